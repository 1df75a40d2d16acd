"""Candidate answers: every run of whole words inside a sentence, and every typed fact.

A candidate is a character span of a sentence's folded text, which is also its span in
the printed text (folding keeps offsets). Spans run on jieba's word boundaries, may
cross commas, 、 and quotation marks (enumerations, clauses and quoted names are one
candidate), and never start or end on punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from knowledge.models import Fact
from knowledge.retrieve import Hit
from knowledge.words import cut

MAX_SPAN_WORDS = 14  # CMRC answers run to a dozen words (median 19 characters)
MAX_SPAN_CHARS = 48
MAX_CLAUSE_CHARS = 120
CLOSE_FOR = dict(zip("“‘「『《（(【", "”’」』》）)】", strict=True))  # each opening mark's pair
OPEN_MARKS = frozenset(CLOSE_FOR)
CLOSE_MARKS = frozenset(CLOSE_FOR.values())
CLAUSE = re.compile(r"[^，,；;：:。！？!?]+")
SEGMENTED_SENTENCES = 8192  # sentences whose words are kept between questions
PUNCTUATION = re.compile(r"^[\W_]+$")


@dataclass(frozen=True)
class SentenceView:
    """One retrieved sentence as the reader sees it: folded text, words, facts."""

    hit: Hit
    rank: int
    text: str
    words: tuple[str, ...]
    word_starts: np.ndarray
    word_ends: np.ndarray
    facts: tuple[Fact, ...] = ()
    word_at: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        owner = np.zeros(len(self.text) + 1, dtype=np.int32)
        for number, (start, end) in enumerate(zip(self.word_starts, self.word_ends, strict=True)):
            owner[start:end] = number
        owner[len(self.text)] = max(len(self.words) - 1, 0)
        object.__setattr__(self, "word_at", owner)


@lru_cache(maxsize=SEGMENTED_SENTENCES)
def _segment(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    words = tuple(cut(text))
    starts: list[int] = []
    at = 0
    for word in words:
        starts.append(at)
        at += len(word)
    return words, tuple(starts)


def view(hit: Hit, rank: int, facts: list[Fact]) -> SentenceView:
    text = hit.sentence.matched
    words, starts = _segment(text)
    start_array = np.array(starts, dtype=np.int32)
    ends = start_array + np.array([len(w) for w in words], dtype=np.int32)
    return SentenceView(
        hit=hit,
        rank=rank,
        text=text,
        words=words,
        word_starts=start_array,
        word_ends=ends,
        facts=tuple(facts),
    )


def spans(sentence: SentenceView) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the candidates in one sentence: runs of up to `MAX_SPAN_WORDS`
    words, runs of whole clauses up to `MAX_CLAUSE_CHARS`, then the facts. A run may open
    with a quotation mark or bracket and close with one (「《条例》」, 「5年(1562年)」)."""
    words = sentence.words
    opens = np.array([_is_content(w) or w in OPEN_MARKS for w in words], dtype=bool)
    closes = np.array([_is_content(w) or w in CLOSE_MARKS for w in words], dtype=bool)
    first, length = np.divmod(np.arange(len(words) * MAX_SPAN_WORDS), MAX_SPAN_WORDS)
    last = first + length
    inside = last < len(words)
    first, last = first[inside], last[inside]
    begins, ends = sentence.word_starts[first], sentence.word_ends[last]
    keep = opens[first] & closes[last] & (ends - begins <= MAX_SPAN_CHARS)
    found = dict.fromkeys(zip(begins[keep].tolist(), ends[keep].tolist(), strict=True))
    for begin, end in _clause_runs(sentence):
        found[(begin, end)] = None
    for fact in sentence.facts:
        span = (fact.start, fact.start + len(fact.text))
        if 0 <= span[0] < span[1] <= len(sentence.text):
            found[span] = None
    starts, ends = zip(*found, strict=True) if found else ((), ())
    return np.array(starts, dtype=np.int32), np.array(ends, dtype=np.int32)


def _is_content(word: str) -> bool:
    return not PUNCTUATION.match(word) and not word.isspace()


def _clause_runs(sentence: SentenceView) -> list[tuple[int, int]]:
    """Consecutive whole clauses, up to the whole sentence without its final mark: the
    answers to 「为什么」 and 「怎样」 are often that long."""
    text = sentence.text.rstrip()
    clauses = [(m.start(), m.end()) for m in CLAUSE.finditer(text)]
    runs = []
    for first, (begin, _) in enumerate(clauses):
        for _, end in clauses[first:]:
            if end - begin > MAX_CLAUSE_CHARS:
                break
            runs.append((begin, end))
    return runs
