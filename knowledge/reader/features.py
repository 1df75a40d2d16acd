"""What the reader knows about each candidate answer: a fixed vector of features.

Four groups, all computed for every candidate of a sentence at once:
- the span itself: length, boundaries (punctuation or a dangling 的 at either end), shape
  (digits, dates, a short run of Chinese characters, an enumeration), the typed fact it is;
- how it sits in the question's slot: the question's words just left of its question word
  against the sentence just left of the span, the same on the right, the head noun
  (「什么样的城市」 is answered by a span ending in 城市), and how far the nearest question
  word is;
- the sentence it comes from: retrieval rank and strength, how much of the question it holds;
- the span's shape crossed with the answer type the question expects, so that digits count
  for 「多少」 and a short name for 「谁」.
How much each feature is worth is learned (`benchmarks/train_reader.py`), never set by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np

from knowledge.models import FactKind, ParagraphKind
from knowledge.question import AnswerType, Question, question_word
from knowledge.reader.candidates import CLOSE_FOR, OPEN_MARKS, SentenceView
from knowledge.reader.units import UnitMatch, asked_units, unit_match
from knowledge.words import FUNCTION_WORDS, WORD_CLASSES, bigrams, cut, word_class

CONTEXT_CHARS = 8  # how far the question's words are lined up on either side of the slot
RIGHT_INSIDE = 3  # measure words and head nouns that end an answer are 1 to 3 characters
WINDOW_CHARS = 12  # the window in which the slot's neighbouring words may stand
CHAR_BINS = (1, 2, 4, 7, 12, 20)  # upper bounds of the length bins; the last bin is open
WORD_BINS = (1, 2, 3, 6)
RANK_BINS = (0, 1, 2, 5)
COMMA_CAP = 3
LOG_SCALE = 4.0  # log1p(length) / 4 stays near 0..1 for spans up to 48 characters
DIGITS = re.compile(r"\d")
DATE = re.compile(r"\d{1,4}\s*[年月日号]|[年月]底|[上下]旬|世纪|年代")
TIME_UNIT_END = re.compile(r"(?:天|日|年|月|周|小时|分钟|秒|个工作日)$")
UNIT_CHARS = 3  # 「万平方米」 is the longest unit commonly printed after a number, less one
OPENERS = "".join(sorted(OPEN_MARKS))
CLOSERS = "".join(CLOSE_FOR[c] for c in OPENERS)
BREAKS = "，,。；;：:！？!?、 "
NAMED = (FactKind.ORGANIZATION, FactKind.PLACE, FactKind.PROJECT)
TYPES = tuple(AnswerType)
KINDS = tuple(FactKind)
PARAGRAPH_KINDS = tuple(ParagraphKind)


EDGES = ("first", "last", "before", "after")  # the span's first and last word, and its neighbours


def _bins(prefix: str, bounds: tuple[int, ...]) -> list[str]:
    return [f"{prefix}<={b}" for b in bounds] + [f"{prefix}>{bounds[-1]}"]


SPAN_FEATURES = [
    "log_chars",
    *_bins("chars", CHAR_BINS),
    *_bins("words", WORD_BINS),
    "question_chars",
    "left_match",
    "left_none",
    "right_match",
    "right_none",
    "right_inside",
    "left_window",
    "right_window",
    "ends_with_head",
    "head_follows",
    "anchor_distance",
    "anchor_none",
    "anchor_just_left",
    "anchor_just_right",
    "starts_at_break",
    "ends_at_break",
    "first_function",
    "last_function",
    "commas",
    "enumeration",
    "splits_list",
    "unbalanced",
    "quoted",
    "has_digit",
    "digit_share",
    "starts_digit",
    "ends_with_unit",
    "date_like",
    "time_unit_end",
    "short_han",
    "has_latin",
    "store_name",
    *(f"fact_{kind}" for kind in KINDS),
    *(f"unit_{match.name.lower()}" for match in UnitMatch),
    "fact_subject",
    "role_of_asked_person",
    *(f"{edge}_{name}" for edge in EDGES for name in WORD_CLASSES),
]
SENTENCE_FEATURES = [
    *_bins("rank", RANK_BINS),
    "sentence_coverage",
    "coverage_share_of_best",
    "paragraph_coverage",
    "paragraph_rank_share",
    "on_subject",
    "score_share_of_best",
    "sentence_length",
    *(f"paragraph_{kind}" for kind in PARAGRAPH_KINDS),
]
CROSSED = [
    "has_digit",
    "date_like",
    "ends_with_unit",
    "time_unit_end",
    "short_han",
    "store_name",
    "fact_quantity",
    "fact_date",
    "fact_person",
    "fact_named",
    "fact_quote",
    "enumeration",
    "splits_list",
    "commas",
    *_bins("chars", CHAR_BINS),
    "left_match",
    "right_match",
    "right_inside",
    "question_chars",
    "ends_with_head",
    *(f"last_{name}" for name in WORD_CLASSES),
]
FEATURES = [
    *SPAN_FEATURES,
    *SENTENCE_FEATURES,
    *(f"{kind}×{name}" for kind in TYPES for name in CROSSED),
]
_SPAN = {name: n for n, name in enumerate(SPAN_FEATURES)}


class Names(Protocol):
    """The store's proper names; looked up a batch at a time, an archive has many."""

    def known(self, candidates: Iterable[str]) -> set[str]: ...


@dataclass(frozen=True)
class QuestionView:
    """What the features need of a question, derived once per question."""

    question: Question
    left: str  # the question's text before its question word, ready to line up
    right: str  # and after it
    left_word: str
    right_word: str
    head: str  # the noun after the question word (「什么样的城市」 → 城市)
    units: tuple[str, ...]
    anchors: tuple[str, ...]  # the question's own words, longest first
    pairs: tuple[str, ...]  # character pairs of the question outside its question word
    characters: frozenset[str]


def question_view(question: Question) -> QuestionView:
    text = question.text
    found = question_word(text)
    left, right = (text[: found.start()], text[found.end() :]) if found else (text, "")
    left_words = [w for w in cut(left) if _is_content(w)]
    right_words = [w for w in cut(right) if _is_content(w)]
    right_first = right_words[0] if right_words else ""
    return QuestionView(
        question=question,
        left=left[-CONTEXT_CHARS:],
        right=right[:CONTEXT_CHARS],
        left_word=left_words[-1] if left_words else "",
        right_word=right_first,
        head=right_first if len(right_first) >= 2 and right.startswith(right_first) else "",
        units=asked_units(question),
        anchors=tuple(sorted({t for t in question.terms if len(t) >= 2}, key=len, reverse=True)),
        characters=frozenset(c for c in text if c.isalnum() and c not in FUNCTION_WORDS),
        pairs=tuple(dict.fromkeys(bigrams(left) + bigrams(right))),
    )


def _is_content(word: str) -> bool:
    return any(c.isalnum() for c in word) and word not in FUNCTION_WORDS


def featurize(
    question: QuestionView,
    sentence: SentenceView,
    starts: np.ndarray,
    ends: np.ndarray,
    best: SentenceSummary,
    names: Names,
) -> np.ndarray:
    """The feature matrix of one sentence's candidates, one row a candidate."""
    spans = _span_features(question, sentence, starts, ends, names)
    rows = len(starts)
    sentence_row = np.tile(_sentence_features(sentence, best), (rows, 1))
    crossed = np.zeros((rows, len(TYPES) * len(CROSSED)), dtype=np.float32)
    block = TYPES.index(question.question.expected) * len(CROSSED)
    crossed[:, block : block + len(CROSSED)] = _crossed(spans)
    return np.hstack([spans, sentence_row, crossed])


@dataclass(frozen=True)
class SentenceSummary:
    """The best values among the retrieved sentences, to put each sentence's in proportion."""

    coverage: float
    score: float

    @classmethod
    def of(cls, sentences: Iterable[SentenceView]) -> SentenceSummary:
        hits = [s.hit for s in sentences]
        return cls(
            coverage=max((h.sentence_coverage for h in hits), default=0.0) or 1.0,
            score=max((h.score for h in hits), default=0.0) or 1.0,
        )


def _sentence_features(sentence: SentenceView, best: SentenceSummary) -> np.ndarray:
    hit = sentence.hit
    values = [
        *one_hot_bins(sentence.rank, RANK_BINS),
        hit.sentence_coverage,
        hit.sentence_coverage / best.coverage,
        hit.coverage,
        hit.rank_share,
        float(hit.on_subject),
        hit.score / best.score,
        np.log1p(len(sentence.text)) / (2 * LOG_SCALE),
        *(float(hit.paragraph.kind == kind) for kind in PARAGRAPH_KINDS),
    ]
    return np.array(values, dtype=np.float32)


def one_hot_bins(value: int, bounds: tuple[int, ...]) -> list[float]:
    hot = next((n for n, bound in enumerate(bounds) if value <= bound), len(bounds))
    return [float(n == hot) for n in range(len(bounds) + 1)]


def _span_features(
    question: QuestionView,
    sentence: SentenceView,
    starts: np.ndarray,
    ends: np.ndarray,
    names: Names,
) -> np.ndarray:
    text = sentence.text
    out = np.zeros((len(starts), len(SPAN_FEATURES)), dtype=np.float32)
    lengths = (ends - starts).astype(np.float32)
    column = _SPAN.__getitem__

    out[:, column("log_chars")] = np.log1p(lengths) / LOG_SCALE
    first_bin = column(f"chars<={CHAR_BINS[0]}")
    out[np.arange(len(starts)), first_bin + np.searchsorted(CHAR_BINS, lengths)] = 1.0
    words = sentence.word_at[np.maximum(ends - 1, 0)] - sentence.word_at[starts] + 1
    first_word_bin = column(f"words<={WORD_BINS[0]}")
    out[np.arange(len(starts)), first_word_bin + np.searchsorted(WORD_BINS, words)] = 1.0

    in_question = np.array([c in question.characters for c in text], dtype=np.float32)
    out[:, column("question_chars")] = _span_sums(in_question, starts, ends) / lengths

    positions = range(len(text) + 1)
    left = np.array([_common_suffix(text, p, question.left) for p in positions])
    right = np.array([_common_prefix(text, p, question.right) for p in positions])
    out[:, column("left_match")] = left[starts] / CONTEXT_CHARS
    out[:, column("left_none")] = left[starts] == 0
    out[:, column("right_match")] = right[ends] / CONTEXT_CHARS
    out[:, column("right_none")] = right[ends] == 0
    inside = np.array([_right_inside(text, p, question.right) for p in positions])
    out[:, column("right_inside")] = inside[ends] / RIGHT_INSIDE
    out[:, column("left_window")] = _windows(question.left, text, starts, before=True)
    out[:, column("right_window")] = _windows(question.right, text, ends, before=False)
    if question.head:
        head_ends = np.array([text.endswith(question.head, 0, p) for p in positions])
        head_starts = np.array([text.startswith(question.head, p) for p in positions])
        out[:, column("ends_with_head")] = head_ends[ends]
        out[:, column("head_follows")] = head_starts[ends]

    _anchor_features(out, question, text, starts, ends)
    _boundary_features(out, sentence, starts, ends)
    _word_class_features(out, sentence, starts, ends)
    _shape_features(out, text, starts, ends, names)
    _fact_features(out, question, sentence, starts, ends)
    return out


def _span_sums(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    prefix = np.concatenate([[0.0], np.cumsum(values)])
    return (prefix[ends] - prefix[starts]).astype(np.float32)


def _common_suffix(text: str, end: int, context: str) -> int:
    """How many characters before `end` repeat the end of the question's left context."""
    size = 0
    while size < min(end, len(context)) and text[end - 1 - size] == context[-1 - size]:
        size += 1
    return size


def _right_inside(text: str, end: int, context: str) -> int:
    """How many of the first characters after the question word end the span: the
    measure word of 「多少盏」 in 「1800盏」, the head noun of 「什么建设」 in 「政治建设」."""
    return next(
        (
            size
            for size in range(min(RIGHT_INSIDE, len(context), end), 0, -1)
            if text.endswith(context[:size], 0, end)
        ),
        0,
    )


def _common_prefix(text: str, start: int, context: str) -> int:
    size = 0
    limit = min(len(text) - start, len(context))
    while size < limit and text[start + size] == context[size]:
        size += 1
    return size


def _windows(context: str, text: str, at: np.ndarray, *, before: bool) -> np.ndarray:
    """The share of the context's characters found in the window before (or after) each
    position, computed once per distinct position."""
    shares = {
        p: _share_in(
            context, text[max(0, p - WINDOW_CHARS) : p] if before else text[p : p + WINDOW_CHARS]
        )
        for p in set(at.tolist())
    }
    return np.array([shares[p] for p in at.tolist()], dtype=np.float32)


def _share_in(context: str, window: str) -> float:
    wanted = [c for c in context if c.isalnum()]
    if not wanted:
        return 0.0
    return sum(c in window for c in wanted) / len(wanted)


def _anchor_features(
    out: np.ndarray, question: QuestionView, text: str, starts: np.ndarray, ends: np.ndarray
) -> None:
    """Distance from the span to the nearest of the question's own words in the sentence."""
    covered = np.zeros(len(text), dtype=bool)
    for word in question.anchors:
        at = text.find(word)
        while at >= 0:
            covered[at : at + len(word)] = True
            at = text.find(word, at + len(word))
    column = _SPAN.__getitem__
    if not covered.any():
        out[:, column("anchor_none")] = 1.0
        return
    positions = np.flatnonzero(covered)
    far = len(text) + 1
    # the nearest covered character before each start and at or after each end
    before = np.searchsorted(positions, starts) - 1
    left_gap = np.where(before >= 0, starts - positions[np.maximum(before, 0)] - 1, far)
    after = np.searchsorted(positions, ends)
    right_gap = np.where(
        after < len(positions), positions[np.minimum(after, len(positions) - 1)] - ends, far
    )
    gap = np.minimum(left_gap, right_gap).astype(np.float32)
    out[:, column("anchor_distance")] = np.log1p(gap) / LOG_SCALE
    out[:, column("anchor_just_left")] = left_gap <= 1
    out[:, column("anchor_just_right")] = right_gap <= 1


def _word_classes(words: tuple[str, ...]) -> np.ndarray:
    """Each word's part of speech as an index into `WORD_CLASSES`, with a break before the
    first word and after the last: the sentence's edges are boundaries like punctuation."""
    edge = WORD_CLASSES.index("punctuation")
    classes = [WORD_CLASSES.index(word_class(word)) for word in words]
    return np.array([edge, *classes, edge], dtype=np.int32)


def _word_class_features(
    out: np.ndarray, sentence: SentenceView, starts: np.ndarray, ends: np.ndarray
) -> None:
    """The parts of speech at the span's ends and just outside them: a span that ends on
    a measure word or a noun is whole, one that ends on 的 or before a measure word is not."""
    classes = _word_classes(sentence.words)
    first = sentence.word_at[starts] + 1  # +1: the break put before the first word
    last = sentence.word_at[np.maximum(ends - 1, 0)] + 1
    rows = np.arange(len(starts))
    for edge, words in zip(EDGES, (first, last, first - 1, last + 1), strict=True):
        out[rows, _SPAN[f"{edge}_{WORD_CLASSES[0]}"] + classes[words]] = 1.0


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


BASIC_PLANE = 0x10000  # the marks looked up all lie in Unicode's basic plane


@cache
def _lookup(chars: str) -> np.ndarray:
    table = np.zeros(BASIC_PLANE + 1, dtype=np.float32)
    table[_codes(chars)] = 1.0
    return table


def _among(codes: np.ndarray, chars: str) -> np.ndarray:
    return _lookup(chars)[np.minimum(codes, BASIC_PLANE)]


def _within(codes: np.ndarray, *ranges: tuple[str, str]) -> np.ndarray:
    inside = np.zeros(len(codes), dtype=bool)
    for low, high in ranges:
        inside |= (codes >= ord(low)) & (codes <= ord(high))
    return inside.astype(np.float32)


def _boundary_features(
    out: np.ndarray, sentence: SentenceView, starts: np.ndarray, ends: np.ndarray
) -> None:
    codes = _codes(sentence.text)
    column = _SPAN.__getitem__
    opening = _among(codes, BREAKS + OPENERS)
    closing = _among(codes, BREAKS + CLOSERS)
    before = np.concatenate([[1.0], opening])  # the sentence start is a break too
    after = np.concatenate([closing, [1.0]])
    out[:, column("starts_at_break")] = before[starts]
    out[:, column("ends_at_break")] = after[ends]
    function = np.array([w in FUNCTION_WORDS for w in sentence.words], dtype=np.float32)
    out[:, column("first_function")] = function[sentence.word_at[starts]]
    out[:, column("last_function")] = function[sentence.word_at[ends - 1]]
    commas = _span_sums(_among(codes, "，,") * ~_inside_number(codes), starts, ends)
    out[:, column("commas")] = np.minimum(commas, COMMA_CAP) / COMMA_CAP
    out[:, column("enumeration")] = _span_sums(_among(codes, "、"), starts, ends) > 0
    dun = np.concatenate([[0.0], _among(codes, "、"), [0.0]])
    out[:, column("splits_list")] = np.maximum(dun[starts], dun[ends + 1])  # 、 just outside
    unbalanced = np.zeros(len(starts), dtype=bool)
    for opener, closer in zip(OPENERS, CLOSERS, strict=True):
        if opener not in sentence.text and closer not in sentence.text:
            continue
        opened = _span_sums(_among(codes, opener), starts, ends)
        closed = _span_sums(_among(codes, closer), starts, ends)
        unbalanced |= opened != closed
    out[:, column("unbalanced")] = unbalanced
    quote_before = np.concatenate([[0.0], _among(codes, OPENERS)])
    quote_after = np.concatenate([_among(codes, CLOSERS), [0.0]])
    out[:, column("quoted")] = quote_before[starts] * quote_after[ends]


def _shape_features(
    out: np.ndarray, text: str, starts: np.ndarray, ends: np.ndarray, names: Names
) -> None:
    column = _SPAN.__getitem__
    lengths = (ends - starts).astype(np.float32)
    codes = _codes(text)
    digit = _within(codes, ("0", "9"))
    digits = _span_sums(digit, starts, ends)
    out[:, column("has_digit")] = digits > 0
    out[:, column("digit_share")] = digits / lengths
    out[:, column("starts_digit")] = digit[starts]
    out[:, column("ends_with_unit")] = _ends_near_digit(digit, starts, ends)
    out[:, column("date_like")] = _holds_match(DATE, text, starts, ends)
    timed = np.array([TIME_UNIT_END.search(text, 0, p) is not None for p in range(len(text) + 1)])
    out[:, column("time_unit_end")] = timed[ends]
    han = _span_sums(_within(codes, ("\u4e00", "\u9fff")), starts, ends)
    out[:, column("short_han")] = (han == lengths) & (lengths >= 2) & (lengths <= 4)
    out[:, column("has_latin")] = (
        _span_sums(_within(codes, ("A", "Z"), ("a", "z")), starts, ends) > 0
    )
    spans = [text[start:end] for start, end in zip(starts.tolist(), ends.tolist(), strict=True)]
    known = names.known(spans)
    out[:, column("store_name")] = [span in known for span in spans]


def _inside_number(codes: np.ndarray) -> np.ndarray:
    """Marks between two digits (1,500 or 3.6) belong to the number."""
    digit = _within(codes, ("0", "9")).astype(bool)
    inside = np.zeros(len(codes), dtype=bool)
    inside[1:-1] = digit[:-2] & digit[2:]
    return inside


def _ends_near_digit(digit: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """A number and at most a short unit end the span: 「23天」, 「1.2万吨」, 「45%」."""
    positions = np.flatnonzero(digit)
    if not len(positions):
        return np.zeros(len(starts), dtype=bool)
    last = np.searchsorted(positions, ends) - 1
    last_digit = np.where(last >= 0, positions[np.maximum(last, 0)], -1)
    return (last_digit >= starts) & (ends - last_digit - 1 <= UNIT_CHARS)


def _holds_match(
    pattern: re.Pattern[str], text: str, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    held = np.zeros(len(starts), dtype=bool)
    for match in pattern.finditer(text):
        held |= (starts <= match.start()) & (ends >= match.end())
    return held


def _fact_features(
    out: np.ndarray,
    question: QuestionView,
    sentence: SentenceView,
    starts: np.ndarray,
    ends: np.ndarray,
) -> None:
    if not sentence.facts:
        return
    column = _SPAN.__getitem__
    rows = {span: row for row, span in enumerate(zip(starts.tolist(), ends.tolist(), strict=True))}
    for fact in sentence.facts:
        row = rows.get((fact.start, fact.start + len(fact.text)))
        if row is None:
            continue
        out[row, column(f"fact_{fact.kind}")] = 1.0
        if fact.kind == FactKind.QUANTITY:
            match = unit_match(question.units, fact.unit)
            out[row, column(f"unit_{match.name.lower()}")] = 1.0
        if fact.subject:
            out[row, column("fact_subject")] = _share_in(fact.subject, question.question.text)
    _roles_of_asked_people(out, question, sentence, rows)


def _roles_of_asked_people(
    out: np.ndarray,
    question: QuestionView,
    sentence: SentenceView,
    rows: dict[tuple[int, int], int],
) -> None:
    """「陈某是做什么的」: the role the article gives a person the question names."""
    for fact in sentence.facts:
        if fact.kind != FactKind.PERSON or not fact.subject:
            continue
        if fact.value not in question.question.text:
            continue
        at = sentence.text.find(fact.subject)
        row = rows.get((at, at + len(fact.subject)))
        if at >= 0 and row is not None:
            out[row, _SPAN["role_of_asked_person"]] = 1.0


def _crossed(spans: np.ndarray) -> np.ndarray:
    """The shape columns that mean something only next to the expected answer type."""
    named = sum(spans[:, _SPAN[f"fact_{kind}"]] for kind in NAMED)
    columns = [named if name == "fact_named" else spans[:, _SPAN[name]] for name in CROSSED]
    return np.stack(columns, axis=1)
