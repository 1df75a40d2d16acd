"""Two retrieval-only baselines the engine has to beat: the best-matching sentence, quoted.

Both always answer, with the whole sentence as the answer, so they show what plain
retrieval gets right (citations) and what it cannot do (short answers, refusals).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Protocol

import jieba
from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from knowledge.models import Answer, ChatContext, Citation, StoreContent
from knowledge.store import Store
from knowledge.texts import SOURCE

_HAS_WORD = re.compile(r"\w")


class Answerer(Protocol):
    def answer(self, question: str, context: ChatContext | None = None) -> Answer: ...


class Passage(BaseModel):
    """One sentence of the store, with where it stands, so that it can be cited."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    title: str
    paragraph: int
    text: str


def store_sentences(store: Store | StoreContent) -> list[Passage]:
    passages = [
        Passage(article_id=article.id, title=article.title, paragraph=paragraph.number, text=s.text)
        for article in store.articles
        for paragraph in article.paragraphs
        for s in paragraph.sentences
        if s.text.strip()
    ]
    if not passages:
        raise ValueError("the store has no sentences to answer from")
    return passages


def quote_answer(question: str, passage: Passage, confidence: float) -> Answer:
    source = SOURCE.format(title=passage.title, paragraph=passage.paragraph)
    return Answer(
        question=question,
        answered=True,
        answer=passage.text,
        context=passage.title,
        reply=f"{passage.text}\n{source}",
        citations=[
            Citation(
                article_id=passage.article_id,
                title=passage.title,
                paragraph=passage.paragraph,
                quote=passage.text,
            )
        ],
        confidence=min(1.0, max(0.0, confidence)),
    )


class FuzzBaseline:
    """rapidfuzz alone: the sentence whose best-aligned window looks most like the question."""

    def __init__(self, store: Store | StoreContent) -> None:
        self.passages = store_sentences(store)
        self._texts = [p.text for p in self.passages]

    def answer(self, question: str, context: ChatContext | None = None) -> Answer:
        _, score, index = process.extractOne(question, self._texts, scorer=fuzz.partial_ratio)
        return quote_answer(question, self.passages[index], score / 100)


def words(text: str) -> list[str]:
    """jieba's words, without whitespace and punctuation, lower case."""
    return [w.lower() for w in jieba.lcut(text) if _HAS_WORD.search(w)]


class BM25Baseline:
    """Okapi BM25 over jieba words, one sentence a document.

    Confidence is the share of the question's idf weight that the chosen sentence covers.
    """

    def __init__(self, store: Store | StoreContent, k1: float = 1.5, b: float = 0.75) -> None:
        self.passages = store_sentences(store)
        self.k1 = k1
        self.b = b
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = []
        for index, passage in enumerate(self.passages):
            counts = Counter(words(passage.text))
            lengths.append(sum(counts.values()))
            for word, count in counts.items():
                self._postings[word].append((index, count))
        self._average = sum(lengths) / max(1, len(lengths))
        self._norms = [k1 * (1 - b + b * n / self._average) for n in lengths]
        self._unseen_idf = self.idf(0)

    def idf(self, frequency: int) -> float:
        return math.log((len(self.passages) - frequency + 0.5) / (frequency + 0.5) + 1)

    def answer(self, question: str, context: ChatContext | None = None) -> Answer:
        terms = set(words(question))
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, float] = defaultdict(float)
        total = 0.0
        for term in terms:
            postings = self._postings.get(term, [])
            weight = self.idf(len(postings)) if postings else self._unseen_idf
            total += weight
            for index, count in postings:
                scores[index] += weight * count * (self.k1 + 1) / (count + self._norms[index])
                matched[index] += weight
        if not scores:
            return quote_answer(question, self.passages[0], 0.0)
        best = max(scores, key=lambda index: (scores[index], -index))
        return quote_answer(question, self.passages[best], matched[best] / total)
