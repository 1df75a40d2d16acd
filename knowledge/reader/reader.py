"""The reader: candidates from the best sentences, scored by learned weights, and the
calibrated chance that the chosen one is right.

`candidates` and `decide` are separate so that training sees exactly the features that
answering computes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict

from knowledge.models import Fact
from knowledge.question import Question
from knowledge.reader.candidates import SentenceView, spans, view
from knowledge.reader.decision import (
    DECISION_FEATURES,
    Choice,
    QuestionSignals,
    decision_vector,
)
from knowledge.reader.features import (
    FEATURES,
    Names,
    QuestionView,
    SentenceSummary,
    featurize,
    question_view,
)
from knowledge.reader.model import Ranker, ReaderModel, Scorer, load_model
from knowledge.retrieve import Hit

FactsOf = Callable[[Hit], list[Fact]]
SENTENCES_READ = 6  # the retrieved sentences whose spans are scored
NO_RIVAL = 10.0  # the margin when every candidate says the same thing: as clear as it gets


@dataclass(frozen=True)
class CandidateSet:
    """Every candidate of a question: its sentence, its span, its features."""

    question: QuestionView
    sentences: list[SentenceView]
    features: np.ndarray
    sentence_of: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    def folded(self, row: int) -> str:
        return self.sentences[self.sentence_of[row]].text[self.starts[row] : self.ends[row]]

    def printed(self, row: int) -> str:
        sentence = self.sentences[self.sentence_of[row]].hit.sentence.text
        return sentence[self.starts[row] : self.ends[row]]


class Reading(BaseModel):
    """The chosen answer, as printed, with the estimates that decide what the bot says."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    answer: str
    hit: Hit
    start: int
    evidence: float  # chance that the cited sentence holds the answer
    confidence: float  # chance that the short answer itself is right


def candidates(
    question: Question, hits: list[Hit], facts_of: FactsOf, names: Names
) -> CandidateSet | None:
    asked = question_view(question)
    sentences = _read_sentences(hits, facts_of)
    if not sentences:
        return None
    best = SentenceSummary.of(sentences)
    blocks: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    all_starts: list[np.ndarray] = []
    all_ends: list[np.ndarray] = []
    for number, sentence in enumerate(sentences):
        starts, ends = spans(sentence)
        if not len(starts):
            continue
        blocks.append(featurize(asked, sentence, starts, ends, best, names))
        owners.append(np.full(len(starts), number, dtype=np.int32))
        all_starts.append(starts)
        all_ends.append(ends)
    if not blocks:
        return None
    return CandidateSet(
        question=asked,
        sentences=sentences,
        features=np.vstack(blocks),
        sentence_of=np.concatenate(owners),
        starts=np.concatenate(all_starts),
        ends=np.concatenate(all_ends),
    )


def _read_sentences(hits: list[Hit], facts_of: FactsOf) -> list[SentenceView]:
    seen: set[tuple[str, int, int]] = set()
    sentences: list[SentenceView] = []
    for hit in hits:
        key = (hit.article.id, hit.paragraph.number, hit.sentence.number)
        if key in seen or not hit.sentence.matched.strip():
            continue
        seen.add(key)
        sentences.append(view(hit, len(sentences), facts_of(hit)))
        if len(sentences) == SENTENCES_READ:
            break
    return sentences


def choice(found: CandidateSet, logits: np.ndarray) -> Choice:
    """The best row, its softmax share among all candidates, and its lead over the best
    candidate that says something else."""
    best = int(np.argmax(logits))
    shifted = np.exp(logits - logits[best])
    chosen = found.folded(best)
    order = np.argsort(-logits)
    runner_up = next(
        (float(logits[row]) for row in order[1:] if found.folded(int(row)) != chosen),
        float(logits[best]) - NO_RIVAL,
    )
    return Choice(
        row=best,
        probability=float(1.0 / shifted.sum()),
        logit=float(logits[best]),
        margin=float(logits[best]) - runner_up,
    )


def decision_features(
    found: CandidateSet, logits: np.ndarray, signals: QuestionSignals
) -> tuple[int, np.ndarray]:
    chosen = choice(found, logits)
    sentence = found.sentences[found.sentence_of[chosen.row]]
    vector = decision_vector(found.question, sentence, chosen, found.features[chosen.row], signals)
    return chosen.row, vector


class Reader:
    def __init__(self, names: Names, model: ReaderModel | None = None) -> None:
        model = model or load_model()
        weights = model.weights
        self.names = names
        self.ranker = Ranker(Scorer(weights.ranker, FEATURES), model.trees)
        self.evidence = Scorer(weights.evidence, DECISION_FEATURES)
        self.answer = Scorer(weights.answer, DECISION_FEATURES)

    def read(
        self, question: Question, hits: list[Hit], facts_of: FactsOf, signals: QuestionSignals
    ) -> Reading | None:
        found = candidates(question, hits, facts_of, self.names)
        if found is None:
            return None
        logits = self.ranker.logits(found.features)
        best, vector = decision_features(found, logits, signals)
        sentence = found.sentences[found.sentence_of[best]]
        return Reading(
            answer=found.printed(best),
            hit=sentence.hit,
            start=int(found.starts[best]),
            evidence=round(self.evidence.probability(vector), 3),
            confidence=round(self.answer.probability(vector), 3),
        )
