"""The official CMRC 2018 metrics, in-process: the reader's training labels an answer
right by its F1. Reported figures come from the outside scorer (`outside_score`)."""

from __future__ import annotations

import re

from knowledge.models import Answer

# --- CMRC 2018 -----------------------------------------------------------------------
# A faithful Python 3 port of the official evaluation script, cmrc2018_evaluate.py
# (https://github.com/ymcui/cmrc2018, squad-style-data/, "v5 - special"): the same
# punctuation list, the same mixed segmentation (each Chinese character is a token, runs of
# other characters are tokenised as words), F1 over the longest common *substring* of the
# token lists, the maximum over the gold answers. The one change: the script tokenises the
# non-Chinese runs with nltk.word_tokenize; here a regular expression keeps words and
# decimal or thousands-separated numbers whole and splits every other punctuation mark
# off, which is what word_tokenize does on the short English/number runs CMRC answers hold.
# Scores are fractions (0..1); the script prints them multiplied by 100.

# The official list, verbatim ("……" is two characters and so never matches one).
CMRC_PUNCTUATION = frozenset(
    [
        "-", ":", "_", "*", "^", "/", "\\", "~", "`", "+", "=",
        "，", "。", "：", "？", "！", "“", "”", "；", "’", "《", "》", "……", "·", "、",
        "「", "」", "（", "）", "－", "～", "『", "』",
    ]
)  # fmt: skip
_CHINESE = re.compile("[\u4e00-\u9fa5]")
_WORD = re.compile(r"\d+(?:[.,]\d+)+|\w+|[^\w\s]")


def mixed_segmentation(text: str, remove_punctuation: bool = False) -> list[str]:
    text = text.lower().strip()
    tokens: list[str] = []
    run = ""
    for char in text:
        if remove_punctuation and char in CMRC_PUNCTUATION:
            continue
        if _CHINESE.match(char) or char in CMRC_PUNCTUATION:
            tokens.extend(_WORD.findall(run))
            run = ""
            tokens.append(char)
        else:
            run += char
    tokens.extend(_WORD.findall(run))
    return tokens


def cmrc_normalise(text: str) -> str:
    """The official `remove_punctuation`: lower case, stripped, the punctuation list removed."""
    return "".join(char for char in text.lower().strip() if char not in CMRC_PUNCTUATION)


def longest_common_substring(first: list[str], second: list[str]) -> int:
    """Length of the longest run of tokens both lists share (the script's `find_lcs`)."""
    best = 0
    previous = [0] * (len(second) + 1)
    for token in first:
        current = [0] * (len(second) + 1)
        for j, other in enumerate(second):
            if token == other:
                current[j + 1] = previous[j] + 1
                best = max(best, current[j + 1])
        previous = current
    return best


def cmrc_f1(prediction: str, gold: list[str]) -> float:
    predicted = mixed_segmentation(prediction, remove_punctuation=True)
    scores = [0.0]
    for answer in gold:
        expected = mixed_segmentation(answer, remove_punctuation=True)
        common = longest_common_substring(expected, predicted)
        if common == 0:
            continue
        precision = common / len(predicted)
        recall = common / len(expected)
        scores.append(2 * precision * recall / (precision + recall))
    return max(scores)


def cmrc_exact_match(prediction: str, gold: list[str]) -> float:
    predicted = cmrc_normalise(prediction)
    return float(any(cmrc_normalise(answer) == predicted for answer in gold))


def cmrc_citation_hit(answer: Answer, gold: list[str]) -> bool:
    """The first cited quote contains a gold answer (after the official normalisation)."""
    if not answer.citations:
        return False
    quote = cmrc_normalise(answer.citations[0].quote)
    return any(cmrc_normalise(item) in quote for item in gold if cmrc_normalise(item))
