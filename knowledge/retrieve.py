"""Find the sentences that can answer a question.

The store's full-text index proposes candidate paragraphs; they are ranked with BM25 over
jieba words and over character bigrams (bigrams forgive segmentation differences and
typos), plus a smaller share for the article's title; the sentences of the best paragraphs are then scored by how much of the
question's weight they hold.
"""

from __future__ import annotations

import math
import re
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz

from knowledge.models import Article, ArticleInfo, Paragraph, Sentence
from knowledge.words import bigrams, index_terms

if TYPE_CHECKING:
    from knowledge.store import PassageText, Store

K1 = 1.2
B = 0.75
BIGRAM_SHARE = 0.6
TITLE_SHARE = 0.3
PARAGRAPHS_CONSIDERED = 6
CANDIDATE_PASSAGES = 50
"""Paragraphs the full-text index proposes; its own BM25 ranks the ones that matter well
inside this many, so that the finer ranking reads fifty rows, not the archive. On CMRC
2018 trial (300 questions) over 31,040 passages, 50 gives the same six best paragraphs
and the same answers as 100 for every question, in 37 ms a question instead of 50; 30
changes one answer in 300."""
COMMON_SHARE = 0.05
"""A term in more of the paragraphs than this (and in more than CANDIDATE_PASSAGES, which
it could fill by itself) is left out of the full-text query: it ranks little (its idf is
under 3, a rare word's 8 to 10) and its long list of paragraphs is most of the query's
cost. On CMRC 2018 trial over 31,040 passages the query takes 10 ms instead
of 30, and the top six paragraphs are the same for 99.8% of questions."""
PASSAGES_CACHED = 4096  # paragraphs kept counted: a few MB, the ones questions come back to
ARTICLE_TEXT_SHARE = 0.1  # an article's paragraphs say less of what it is than its title
ANAPHOR = re.compile(r"该|此|其|这")


class Hit(BaseModel):
    """A candidate sentence, with enough of its place to cite it."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    article: Article
    paragraph: Paragraph
    sentence: Sentence
    score: float
    coverage: float  # share of the question's term weight found in the sentence's paragraph
    sentence_coverage: float  # share found in the sentence itself
    rank_share: float = 1.0  # the paragraph's score relative to the best paragraph's
    on_subject: bool = True  # the paragraph names the question's most specific word
    anchor: int | None = None  # where the sentence names the rarest question word it holds


class Query(BaseModel):
    """What to look for: groups of interchangeable words (a word and its paraphrases,
    the question's own word first) and the question text for bigrams."""

    model_config = ConfigDict(frozen=True)

    groups: list[list[str]]
    weights: list[float] = []  # per group; names of the store weigh more than common words
    text: str

    def weight(self, group: int) -> float:
        return self.weights[group] if group < len(self.weights) else 1.0


@dataclass(frozen=True)
class _Field:
    """BM25 statistics of one indexed field (paragraph words, paragraph pairs or titles)
    for the terms of one question: how many documents hold each, and their sizes."""

    documents: int
    average: float
    frequency: dict[str, int]
    _idf: dict[str, float] = field(default_factory=dict)  # the question's terms, computed once

    def idf(self, term: str) -> float:
        known = self._idf.get(term)
        if known is None:
            frequency = self.frequency.get(term, 0)
            known = math.log(1 + (self.documents - frequency + 0.5) / (frequency + 0.5))
            self._idf[term] = known
        return known

    def is_common(self, term: str) -> bool:
        """In so many paragraphs that the full-text query is better off without it."""
        limit = max(self.documents * COMMON_SHARE, CANDIDATE_PASSAGES)
        return self.frequency.get(term, 0) > limit

    def knows(self, term: str) -> bool:
        return self.frequency.get(term, 0) > 0

    def score(self, term: str, count: int, length: int) -> float:
        if not count:
            return 0.0
        saturation = count + K1 * (1 - B + B * length / self.average)
        return self.idf(term) * count * (K1 + 1) / saturation


@dataclass(frozen=True)
class _Passage:
    """A paragraph as the ranking sees it: its terms counted, where it stands."""

    row: int
    article: int
    words: Counter[str]
    word_count: int
    text: str
    """Folded and lower-cased, as `bigrams` reads it: the question's pairs are counted in
    it when asked, instead of counting every pair of the paragraph."""
    pair_count: int

    def pairs_of(self, pair: str) -> int:
        """How often `bigrams` would find the pair here. Two different characters cannot
        overlap, so str.count is exact for them; a doubled one (「哈哈」) is found one
        place at a time."""
        if pair[0] != pair[1]:
            return self.text.count(pair)
        count, at = 0, self.text.find(pair)
        while at >= 0:
            count, at = count + 1, self.text.find(pair, at + 1)
        return count


class _Statistics:
    """The index's statistics for one question's terms, read in three queries."""

    def __init__(self, store: Store, words: set[str], pairs: set[str]) -> None:
        documents, word_average, pair_average = store.passage_sizes()
        words_found, pairs_found = store.passage_frequencies(words, pairs)
        self.words = _Field(documents, word_average, words_found)
        self.pairs = _Field(documents, pair_average, pairs_found)
        articles, title_average = store.title_sizes()
        self.titles = _Field(articles, title_average, store.title_frequencies(pairs))


class Index:
    """Retrieval over the store's full-text index: its BM25 ranking proposes candidate
    paragraphs, which are then ranked by the question's word groups, its character pairs
    and the article's title."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._passages: OrderedDict[int, _Passage] = OrderedDict()
        self._generation = store.generation

    def _passages_of(self, rows: list[int]) -> list[_Passage]:
        """Counted once and kept: the same paragraphs come up question after question."""
        if self._generation != self.store.generation:
            self._passages.clear()
            self._generation = self.store.generation
        missing = [row for row in rows if row not in self._passages]
        if missing:
            for text in self.store.passage_texts(missing):
                self._passages[text.row] = _passage(text)
        found = []
        for row in rows:
            self._passages.move_to_end(row)
            found.append(self._passages[row])
        while len(self._passages) > PASSAGES_CACHED:
            self._passages.popitem(last=False)
        return found

    def search(self, query: Query, limit: int = 24) -> list[Hit]:
        pairs = set(bigrams(query.text))
        statistics = _Statistics(self.store, _query_words(query), pairs)
        ranked = self._rank_paragraphs(query, pairs, statistics)
        coverage = _Coverage(query, statistics)
        best = ranked[0][1] if ranked else 1.0
        hits: list[Hit] = []
        for row, paragraph_score in ranked[:PARAGRAPHS_CONSIDERED]:
            article, paragraph, previous = self.store.place(row)
            context = matched_text(paragraph)
            if previous is not None and ANAPHOR.search(context):
                context = matched_text(previous) + context  # 「该小区」 leans on the one before
            in_paragraph = coverage.of(context)
            on_subject = coverage.holds_specific(context)
            for sentence in paragraph.sentences:
                share = coverage.of(sentence.matched)
                closeness = fuzz.partial_ratio(query.text, sentence.matched) / 100
                hits.append(
                    Hit(
                        article=article,
                        paragraph=paragraph,
                        sentence=sentence,
                        score=paragraph_score * (0.5 + share) + closeness,
                        coverage=in_paragraph,
                        sentence_coverage=share,
                        rank_share=paragraph_score / best,
                        on_subject=on_subject,
                        anchor=coverage.anchor(sentence.matched),
                    )
                )
        hits.sort(key=lambda hit: -hit.score)
        return hits[:limit]

    def known(self, terms: list[str]) -> set[str]:
        """Which of the terms some paragraph holds."""
        found, _ = self.store.passage_frequencies({t.lower() for t in terms}, set())
        return {term for term in terms if found.get(term.lower(), 0) > 0}

    def rank_articles(self, text: str) -> list[ArticleInfo]:
        """Articles by how well their title, then their text, matches: for questions about
        an article as a whole (who wrote the one about some subject)."""
        pairs = set(bigrams(text))
        statistics = _Statistics(self.store, set(), pairs)
        totals: dict[int, float] = defaultdict(float)
        titled = self.store.titles_matching(pairs, CANDIDATE_PASSAGES)
        for position, score in self._title_scores(titled, pairs, statistics).items():
            totals[position] += score
        nothing = Query(groups=[], text=text)
        for row, score in self._rank_paragraphs(nothing, pairs, statistics)[:PARAGRAPHS_CONSIDERED]:
            totals[self.store.article_of(row)] += ARTICLE_TEXT_SHARE * score
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
        return [self.store.info_at(position) for position, _ in ranked]

    def _rank_paragraphs(
        self, query: Query, pairs: set[str], statistics: _Statistics
    ) -> list[tuple[int, float]]:
        words = _query_words(query)
        rows = self.store.passages_matching(
            *_distinctive(words, pairs, statistics), CANDIDATE_PASSAGES
        )
        passages = self._passages_of(rows)
        titles = self._title_scores(
            self.store.titles_of({p.article for p in passages}), pairs, statistics
        )
        totals: list[tuple[int, float]] = []
        for passage in passages:
            total = _group_score(query, passage, statistics.words)
            total += BIGRAM_SHARE * sum(
                statistics.pairs.score(pair, passage.pairs_of(pair), passage.pair_count)
                for pair in pairs
            )
            if total > 0:
                totals.append((passage.row, total + TITLE_SHARE * titles.get(passage.article, 0.0)))
        return sorted(totals, key=lambda item: (-item[1], item[0]))

    @staticmethod
    def _title_scores(
        titles: dict[int, str], pairs: set[str], statistics: _Statistics
    ) -> dict[int, float]:
        scores: dict[int, float] = {}
        for position, title in titles.items():
            counts = Counter(bigrams(title))
            length = sum(counts.values())
            score = sum(statistics.titles.score(pair, counts[pair], length) for pair in pairs)
            if score > 0:
                scores[position] = score
        return scores


def _passage(text: PassageText) -> _Passage:
    words = Counter(index_terms(text.tokens))
    return _Passage(
        row=text.row,
        article=text.article,
        words=words,
        word_count=sum(words.values()),
        text=text.matched.lower(),
        pair_count=text.pair_count,
    )


def _distinctive(
    words: set[str], pairs: set[str], statistics: _Statistics
) -> tuple[set[str], set[str]]:
    """The terms worth asking the full-text index for: all of them if all are common."""
    rare_words = {
        w for w in words if statistics.words.knows(w) and not statistics.words.is_common(w)
    }
    rare_pairs = {
        p for p in pairs if statistics.pairs.knows(p) and not statistics.pairs.is_common(p)
    }
    return (rare_words, rare_pairs) if rare_words or rare_pairs else (words, pairs)


def _query_words(query: Query) -> set[str]:
    return {word.lower() for group in query.groups for word in group}


def _group_score(query: Query, passage: _Passage, words: _Field) -> float:
    """Each group counts once per paragraph, by its best-matching word."""
    total = 0.0
    for number, group in enumerate(query.groups):
        best = max(
            words.score(w.lower(), passage.words[w.lower()], passage.word_count) for w in group
        )
        total += query.weight(number) * best
    return total


class _Coverage:
    """How much of the question a text holds: its word groups (by their rarest word)
    and its character bigrams, each weighted by how rare it is in the store."""

    def __init__(self, query: Query, statistics: _Statistics) -> None:
        words, pairs = statistics.words, statistics.pairs
        self.groups = [
            (group, query.weight(number) * max(words.idf(w.lower()) for w in group))
            for number, group in enumerate(query.groups)
        ]
        self.pairs = {pair: pairs.idf(pair) for pair in set(bigrams(query.text))}
        self.group_total = sum(weight for _, weight in self.groups) or 1.0
        self.pair_total = sum(self.pairs.values()) or 1.0
        known = [
            (group, number, max(words.idf(w.lower()) for w in group if words.knows(w.lower())))
            for number, group in enumerate(query.groups)
            if any(len(w) >= 2 and words.knows(w.lower()) for w in group)
        ]
        known.sort(key=lambda item: (-query.weight(item[1]) * item[2], -len(item[0][0])))
        self.specific = known[0][0] if known else []
        self.by_rarity = [group for group, _, _ in known]

    def anchor(self, text: str) -> int | None:
        """Where the text names the rarest question word it holds."""
        for group in self.by_rarity:
            for word in group:
                at = text.find(word)
                if at >= 0:
                    return at
        return None

    def holds_specific(self, text: str) -> bool:
        """Whether the text names the question's rarest word (its subject, usually):
        evidence about 甲水厂 does not answer a question about 乙水厂."""
        return not self.specific or any(word in text for word in self.specific)

    def of(self, text: str) -> float:
        held_groups = sum(w for group, w in self.groups if any(word in text for word in group))
        held_pairs = sum(w for pair, w in self.pairs.items() if pair in text)
        return 0.5 * held_groups / self.group_total + 0.5 * held_pairs / self.pair_total


def matched_text(paragraph: Paragraph) -> str:
    """The paragraph in the folded form questions are matched against."""
    return "".join(sentence.matched for sentence in paragraph.sentences)
