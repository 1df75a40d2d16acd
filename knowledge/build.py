"""Build the fact store from article sources: structure, sentences, facts and tokens."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from knowledge.clean import split_sentences
from knowledge.facts import extract_facts, proper_names
from knowledge.models import Article, Fact, Paragraph, Sentence, StoreContent
from knowledge.question import load_paraphrases
from knowledge.script import fold
from knowledge.sources import MAX_SOURCE_BYTES, ArticleSource, read_sources
from knowledge.store import content_checksum, source_digest
from knowledge.words import add_names, tokens

ARTICLES_PER_WORKER = 500
"""A worker starts in about a second (imports, dictionaries): worth it from some hundreds
of articles, at about 10 ms each."""
CHUNK = 64  # articles sent to a worker at a time: few round trips, even shares


def build_store(
    sources: list[Path], *, skip_bad: bool = False, max_bytes: int = MAX_SOURCE_BYTES
) -> StoreContent:
    read = read_sources(sources, skip_bad=skip_bad, max_bytes=max_bytes)
    articles = _articles(read.articles)
    names = proper_names(fact for article in articles for fact in article.facts)
    add_names([*names, *load_paraphrases()])
    articles = [_with_tokens(article) for article in articles]
    return StoreContent(
        source_digest=source_digest(sources),
        checksum=content_checksum(articles),
        names=names,
        articles=articles,
        page=read.page,
    )


def _articles(sources: list[ArticleSource]) -> list[Article]:
    """Each article is read on its own (the fact extractor's segmenter holds no names), so a
    large build is shared among the cores; a small one is not worth starting them for."""
    workers = min(os.cpu_count() or 1, len(sources) // ARTICLES_PER_WORKER)
    if workers < 2:
        return [_article(source) for source in sources]
    # spawn, not fork: the bot builds from a worker thread, and forking a threaded process
    # can copy a lock held by another thread.
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        return list(pool.map(_article, sources, chunksize=CHUNK))


def _article(source: ArticleSource) -> Article:
    paragraphs = [
        Paragraph(
            number=number,
            kind=block.kind,
            text=block.text,
            sentences=[
                _sentence(index, text)
                for index, text in enumerate(split_sentences(block.text), start=1)
            ],
        )
        for number, block in enumerate(source.blocks, start=1)
    ]
    facts = [fact for paragraph in paragraphs for fact in _facts(paragraph)]
    return Article(
        **source.model_dump(exclude={"blocks"}),
        paragraphs=paragraphs,
        facts=facts,
    )


def _sentence(number: int, text: str) -> Sentence:
    folded = fold(text)
    return Sentence(number=number, text=text, folded="" if folded == text else folded)


def _facts(paragraph: Paragraph) -> list[Fact]:
    """Facts are read in the folded form, so that one set of patterns reads both scripts,
    and keep the printed words: folding keeps every offset."""
    folded = paragraph.model_copy(
        update={
            "sentences": [
                sentence.model_copy(update={"text": sentence.matched, "folded": ""})
                for sentence in paragraph.sentences
            ]
        }
    )
    facts = extract_facts(folded)
    if folded == paragraph:
        return facts
    printed = {s.number: s.text for s in paragraph.sentences}
    return [
        fact.model_copy(
            update={"text": printed[fact.sentence][fact.start : fact.start + len(fact.text)]}
        )
        for fact in facts
    ]


def _with_tokens(article: Article) -> Article:
    """Tokenise once at build time, after the names are known, not at every start."""
    paragraphs = [
        paragraph.model_copy(
            update={
                "sentences": [
                    sentence.model_copy(update={"tokens": " ".join(tokens(sentence.matched))})
                    for sentence in paragraph.sentences
                ]
            }
        )
        for paragraph in article.paragraphs
    ]
    return article.model_copy(update={"paragraphs": paragraphs})
