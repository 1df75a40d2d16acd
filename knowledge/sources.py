"""Read article sources: raw `.txt` page dumps and `.jsonl` files of articles.

Bad input never crashes the build and is never dropped without a word: every problem
is a `SourceError` naming the file (and line), and the caller decides to stop or skip.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ValidationError

from knowledge.clean import squeeze
from knowledge.layout import ArticleLayout, Block, read_layout
from knowledge.models import ArticleInfo, PagePart, ParagraphKind

log = logging.getLogger(__name__)

MAX_SOURCE_BYTES = 10 * 1024 * 1024
SOURCE_SUFFIXES = (".txt", ".jsonl")
# The label of an article the page prints no title for: a label, not page text.
UNTITLED = "（无标题）"


class SourceError(Exception):
    """A source that cannot be read; str() is one line naming the file and the fix."""


class ArticleSource(ArticleInfo):
    """An article as read from its source, before sentences and facts are extracted."""

    blocks: list[Block]


class Sources(BaseModel):
    """Everything read from the sources: the articles, and the parts of page dumps that
    belong to no article (running heads and feet, editor's notes, continuation notes)."""

    articles: list[ArticleSource]
    page: list[PagePart] = []


class JsonArticle(BaseModel):
    id: str
    title: str
    text: str
    source: str = ""
    date: str = ""
    authors: list[str] | str = []
    url: str = ""


def expand(paths: list[Path]) -> list[Path]:
    """Folders stand for the `.txt` and `.jsonl` files in them, in name order."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise SourceError(f"{path}: no such file or folder")
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in SOURCE_SUFFIXES))
        elif path.suffix in SOURCE_SUFFIXES:
            files.append(path)
        else:
            raise SourceError(f"{path}: not a .txt or .jsonl file")
    return files


def decode(path: Path, data: bytes) -> str:
    """UTF-8 first; GBK/GB18030 dumps are common for Chinese text and are decoded too."""
    if b"\x00" in data:
        raise SourceError(f"{path}: looks like a binary file, not text; give a .txt or .jsonl")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise SourceError(f"{path}: neither UTF-8 nor GBK text; save it as UTF-8") from None
    log.warning("%s: not UTF-8, read as GBK (GB18030)", path)
    return text


def read_file(path: Path, max_bytes: int = MAX_SOURCE_BYTES) -> str:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(
                f"{path}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit; "
                "split it into smaller files"
            )
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"{path}: cannot read it ({error.strerror})") from None
    text = decode(path, data)
    if not text.strip():
        raise SourceError(f"{path}: the file is empty")
    return text


def read_articles(
    paths: list[Path], *, skip_bad: bool = False, max_bytes: int = MAX_SOURCE_BYTES
) -> list[ArticleSource]:
    """All articles of all sources; with skip_bad, bad files and lines are logged and skipped."""
    return read_sources(paths, skip_bad=skip_bad, max_bytes=max_bytes).articles


def read_sources(
    paths: list[Path], *, skip_bad: bool = False, max_bytes: int = MAX_SOURCE_BYTES
) -> Sources:
    """Articles and page-level parts of all sources (see `read_articles`)."""
    articles: list[ArticleSource] = []
    page: list[PagePart] = []
    for path in expand(paths):
        try:
            text = read_file(path, max_bytes)
        except SourceError as error:
            if not skip_bad:
                raise
            log.warning("skipped %s", error)
            continue
        if path.suffix == ".jsonl":
            articles.extend(_jsonl_articles(path, text, skip_bad=skip_bad))
        else:
            layout = read_layout(text)
            articles.extend(_page_articles(path, layout.articles))
            page.extend(part.model_copy(update={"source": path.name}) for part in layout.page)
    _check_unique_ids(articles)
    return Sources(articles=articles, page=page)


def _page_articles(path: Path, layouts: list[ArticleLayout]) -> Iterator[ArticleSource]:
    for number, layout in enumerate(layouts, start=1):
        yield ArticleSource(
            id=f"{path.stem}-{number}",
            title=layout.title or UNTITLED,
            kicker=layout.kicker,
            subtitle=layout.subtitle,
            byline=layout.byline,
            authors=layout.authors,
            source=path.name,
            blocks=layout.blocks,
        )


def _jsonl_articles(path: Path, text: str, *, skip_bad: bool) -> Iterator[ArticleSource]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield _from_json(_json_article(path, number, line), path)
        except SourceError as problem:
            if not skip_bad:
                raise
            log.warning("skipped %s", problem)


def _json_article(path: Path, number: int, line: str) -> JsonArticle:
    try:
        record = JsonArticle.model_validate(json.loads(line))
    except (json.JSONDecodeError, ValidationError) as error:
        raise SourceError(f"{path}:{number}: not an article ({_first_line(error)})") from None
    try:
        record.model_dump_json()
    except ValueError:  # JSON may escape half a character (「\\ud800」): not storable text
        raise SourceError(f"{path}:{number}: holds an escaped lone surrogate, not text") from None
    return record


def _from_json(record: JsonArticle, path: Path) -> ArticleSource:
    authors = record.authors
    if isinstance(authors, str):
        authors = [name for name in authors.replace("、", " ").split() if name]
    blocks = [
        Block(kind=ParagraphKind.BODY, text=squeeze(line))
        for line in record.text.splitlines()
        if line.strip()
    ]
    return ArticleSource(
        id=record.id,
        title=squeeze(record.title),
        authors=authors,
        source=record.source or path.name,
        date=record.date,
        url=record.url,
        blocks=blocks,
    )


def _check_unique_ids(articles: list[ArticleSource]) -> None:
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise SourceError(f"article id {article.id!r} appears twice; ids must be unique")
        seen.add(article.id)


def _first_line(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "line"
        return f"{where}: {first['msg']}"
    return str(error).splitlines()[0]
