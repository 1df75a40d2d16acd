"""Build the fact store from article sources: structure, sentences, facts and tokens."""

from __future__ import annotations

from pathlib import Path

from knowledge.clean import split_sentences
from knowledge.facts import extract_facts, proper_names
from knowledge.models import Article, Fact, Paragraph, Sentence, StoreContent
from knowledge.question import load_paraphrases
from knowledge.script import fold
from knowledge.sources import MAX_SOURCE_BYTES, ArticleSource, read_sources
from knowledge.store import content_checksum, source_digest
from knowledge.words import add_names, tokens


def build_store(
    sources: list[Path], *, skip_bad: bool = False, max_bytes: int = MAX_SOURCE_BYTES
) -> StoreContent:
    read = read_sources(sources, skip_bad=skip_bad, max_bytes=max_bytes)
    articles = [_article(source) for source in read.articles]
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
