"""Find the sentences that can answer a question.

Paragraphs are ranked with BM25 over jieba words and over character bigrams (bigrams
forgive segmentation differences and typos), plus a smaller share for the article's
title; the sentences of the best paragraphs are then scored by how much of the
question's weight they hold.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter, defaultdict

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz

from knowledge.models import Article, Paragraph, ParagraphKind, Sentence, Store
from knowledge.script import fold
from knowledge.words import bigrams

K1 = 1.2
B = 0.75
BIGRAM_SHARE = 0.6
TITLE_SHARE = 0.3
PARAGRAPHS_CONSIDERED = 6
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


class _Bm25:
    """Postings are kept as flat arrays of (document, count) pairs: a large store has
    hundreds of thousands of them, and tuples would cost ten times the memory."""

    def __init__(self, documents: list[list[str]]) -> None:
        collected: dict[str, list[int]] = defaultdict(list)
        for number, document in enumerate(documents):
            for term, count in Counter(document).items():
                pairs = collected[term]
                pairs.append(number)
                pairs.append(count)
        self.postings = {term: array("I", pairs) for term, pairs in collected.items()}
        self.lengths = [len(document) for document in documents]
        self.average = sum(self.lengths) / max(len(documents), 1) or 1.0
        self.size = len(documents)

    def idf(self, term: str) -> float:
        frequency = len(self.postings.get(term, ())) // 2
        return math.log(1 + (self.size - frequency + 0.5) / (frequency + 0.5))

    def scores(self, terms: list[str]) -> dict[int, float]:
        totals: dict[int, float] = defaultdict(float)
        for term in set(terms):
            for number, score in self._term_scores(term).items():
                totals[number] += score
        return totals

    def group_scores(self, query: Query) -> dict[int, float]:
        """Each group counts once per document, by its best-matching word."""
        totals: dict[int, float] = defaultdict(float)
        for number, group in enumerate(query.groups):
            best: dict[int, float] = {}
            for term in group:
                for document, score in self._term_scores(term).items():
                    best[document] = max(best.get(document, 0.0), score)
            weight = query.weight(number)
            for document, score in best.items():
                totals[document] += weight * score
        return totals

    def _term_scores(self, term: str) -> dict[int, float]:
        postings = self.postings.get(term)
        if not postings:
            return {}
        weight = self.idf(term)
        return {
            number: weight
            * count
            * (K1 + 1)
            / (count + K1 * (1 - B + B * self.lengths[number] / self.average))
            for number, count in zip(postings[::2], postings[1::2], strict=True)
        }


class Index:
    def __init__(self, store: Store) -> None:
        self.places: list[tuple[Article, Paragraph]] = [
            (article, paragraph)
            for article in store.articles
            for paragraph in article.paragraphs
            if paragraph.kind != ParagraphKind.CREDIT
        ]
        self.words = _Bm25([_paragraph_words(p) for _, p in self.places])
        self.pairs = _Bm25([bigrams(matched_text(p)) for _, p in self.places])
        self.articles = store.articles
        self.article_numbers = {a.id: n for n, a in enumerate(store.articles)}
        self.titles = _Bm25([bigrams(fold(a.title + a.subtitle)) for a in store.articles])

    def search(self, query: Query, limit: int = 24) -> list[Hit]:
        query_pairs = bigrams(query.text)
        ranked = self._rank_paragraphs(query, query_pairs)
        coverage = _Coverage(query, self.words, self.pairs)
        best = ranked[0][1] if ranked else 1.0
        hits: list[Hit] = []
        for place, paragraph_score in ranked[:PARAGRAPHS_CONSIDERED]:
            article, paragraph = self.places[place]
            context = self._with_antecedent(place)
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

    def _with_antecedent(self, place: int) -> str:
        """A paragraph that says 「该小区」 or 「此前」 leans on the one before it."""
        article, paragraph = self.places[place]
        text = matched_text(paragraph)
        if place == 0 or not ANAPHOR.search(text):
            return text
        previous_article, previous = self.places[place - 1]
        if previous_article.id != article.id:
            return text
        return matched_text(previous) + text

    def rank_articles(self, text: str) -> list[Article]:
        """Articles by how well their title, then their text, matches: for questions about
        an article as a whole (who wrote the one about some subject)."""
        pairs = bigrams(text)
        totals: dict[int, float] = defaultdict(float)
        for number, score in self.titles.scores(pairs).items():
            totals[number] += score
        nothing = Query(groups=[], text=text)
        for place, score in self._rank_paragraphs(nothing, pairs)[:PARAGRAPHS_CONSIDERED]:
            article = self.places[place][0]
            totals[self.article_numbers[article.id]] += 0.1 * score
        ranked = sorted(totals.items(), key=lambda item: -item[1])
        return [self.articles[number] for number, _ in ranked]

    def _rank_paragraphs(self, query: Query, pairs: list[str]) -> list[tuple[int, float]]:
        totals: dict[int, float] = defaultdict(float)
        for number, score in self.words.group_scores(query).items():
            totals[number] += score
        for number, score in self.pairs.scores(pairs).items():
            totals[number] += BIGRAM_SHARE * score
        title_scores = self.titles.scores(pairs)
        if title_scores:
            for number, (article, _) in enumerate(self.places):
                bonus = title_scores.get(self.article_numbers[article.id], 0.0)
                if bonus and number in totals:
                    totals[number] += TITLE_SHARE * bonus
        return sorted(totals.items(), key=lambda item: -item[1])


class _Coverage:
    """How much of the question a text holds: its word groups (by their rarest word)
    and its character bigrams, each weighted by how rare it is in the store."""

    def __init__(self, query: Query, words: _Bm25, pairs: _Bm25) -> None:
        self.groups = [
            (group, query.weight(number) * max(words.idf(w) for w in group))
            for number, group in enumerate(query.groups)
        ]
        self.pairs = {pair: pairs.idf(pair) for pair in set(bigrams(query.text))}
        self.group_total = sum(weight for _, weight in self.groups) or 1.0
        self.pair_total = sum(self.pairs.values()) or 1.0
        known = [
            (group, number, max(words.idf(w) for w in group if words.postings.get(w)))
            for number, group in enumerate(query.groups)
            if any(len(w) >= 2 and words.postings.get(w) for w in group)
        ]
        known.sort(key=lambda item: (-query.weight(item[1]) * item[2], -len(item[0][0])))
        self.specific = known[0][0] if known else []
        self.unknown = [
            group[0]
            for group in query.groups
            if len(group[0]) >= 2 and not any(words.postings.get(w) for w in group)
        ]
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


def _paragraph_words(paragraph: Paragraph) -> list[str]:
    return [token for sentence in paragraph.sentences for token in sentence.tokens.split()]
