"""What the answer-or-refuse decision and the confidence are estimated from: how clearly
the ranker preferred its answer, how much of the question the evidence holds, and whether
the question names something the articles never mention.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel

from knowledge.reader.candidates import SentenceView
from knowledge.reader.features import FEATURES, RANK_BINS, TYPES, QuestionView, one_hot_bins
from knowledge.retrieve import matched_text

MARGIN_SCALE = 10.0  # ranker log-odds margins rarely pass 10
CARRIED = ("left_match", "right_match", "question_chars", "has_digit", "log_chars", "anchor_none")
_CARRIED_COLUMNS = [FEATURES.index(name) for name in CARRIED]


class QuestionSignals(BaseModel):
    """What the engine knows of the question apart from the candidates."""

    unknown_share: float = 0.0  # share of the question's words the articles never use


DECISION_FEATURES = [
    "probability",
    "logit",
    "margin",
    "question_pairs_missing",
    "question_words_missing",
    "sentence_coverage",
    "paragraph_coverage",
    "paragraph_rank_share",
    "on_subject",
    *(f"rank_{n}" for n in range(len(RANK_BINS) + 1)),
    "unknown_share",
    *(f"asks_{kind}" for kind in TYPES),
    *(f"answer_{name}" for name in CARRIED),
]


def decision_vector(
    question: QuestionView,
    sentence: SentenceView,
    choice: Choice,
    candidate: np.ndarray,
    signals: QuestionSignals,
) -> np.ndarray:
    hit = sentence.hit
    paragraph = matched_text(hit.paragraph)
    values = [
        choice.probability,
        float(np.clip(choice.logit, -MARGIN_SCALE, MARGIN_SCALE)) / MARGIN_SCALE,
        min(choice.margin, MARGIN_SCALE) / MARGIN_SCALE,
        _missing(question.pairs, paragraph),
        _missing(question.anchors, sentence.text),
        hit.sentence_coverage,
        hit.coverage,
        hit.rank_share,
        float(hit.on_subject),
        *one_hot_bins(sentence.rank, RANK_BINS),
        signals.unknown_share,
        *(float(question.question.expected == kind) for kind in TYPES),
        *candidate[_CARRIED_COLUMNS].tolist(),
    ]
    return np.array(values, dtype=np.float32)


class Choice(BaseModel):
    """The ranker's choice: its softmax share, its score, its lead over the next answer."""

    row: int
    probability: float
    logit: float
    margin: float


def _missing(parts: tuple[str, ...], text: str) -> float:
    """The share of the question's words or character pairs the text never uses: evidence
    about 一期 does not answer a question about 二期."""
    if not parts:
        return 0.0
    return sum(part not in text for part in parts) / len(parts)
