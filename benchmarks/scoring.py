"""How an `Answer` is judged: the seed dev rules and the official CMRC 2018 metrics.

Every system compared (the engine and the baselines) goes through these same functions,
so a difference in the tables is a difference in the answers, never in the scoring.
"""

from __future__ import annotations

import re
import unicodedata

from knowledge.models import Answer

MAX_ANSWER_CHARS = 40
LIST_SEPARATOR = "、"


# --- seed dev ------------------------------------------------------------------------


def normalise(text: str) -> str:
    """NFKC, lower case and no whitespace: "5 月 13 日" and "５月13日" compare equal."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def is_short(answer: str) -> bool:
    """An answer is a phrase, not a sentence: each 、-separated item fits in 40 characters.

    A list joined with 、 may be longer as a whole; a quoted sentence may not pass as an
    answer just because it contains the right words.
    """
    return all(len(item) <= MAX_ANSWER_CHARS for item in normalise(answer).split(LIST_SEPARATOR))


def answer_correct(answer: Answer, gold: list[str], all_required: bool) -> bool:
    """The `answer` field (not the reply) holds a gold answer, or all of them for lists."""
    if not answer.answered or not gold or not is_short(answer.answer):
        return False
    text = normalise(answer.answer)
    found = [normalise(item) in text for item in gold]
    return all(found) if all_required else any(found)


def citation_correct(answer: Answer, evidence: str) -> bool:
    """Some cited quote contains the evidence the question was written from."""
    wanted = normalise(evidence)
    return bool(wanted) and any(wanted in normalise(c.quote) for c in answer.citations)


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
