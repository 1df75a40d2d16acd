"""Put a classified page together: which lines make which article, and its paragraphs.

An article runs from its title group to the next one. On pages that print titles after
their text (the page opens with text no title heads), a title group closes the text
before it instead; whatever follows the last such group (a reporter's notes, a credit for
the whole page) still belongs to the last article. An article with a bare byline and no
title above it may carry its title at its end, followed only by captions.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from knowledge.clean import CLOSERS, ends_sentence, is_spread, squeeze
from knowledge.layout.bylines import dateline_authors, split_credit, trailing_authors
from knowledge.layout.lines import (
    ASIDE_ROLES,
    PAGE_ROLES,
    LineRole,
    PageLines,
    classify_lines,
    continues,
)
from knowledge.layout.markers import CONTINUED_FROM, CREDIT, END_MARK, fold
from knowledge.layout.titles import TitleGroup, assign_end_title, find_groups
from knowledge.models import PagePart, PagePartKind, ParagraphKind

# Untitled text of at least this many characters is an article's worth: a title group
# after it closes it (titles printed at the end). Less is a stray caption or line.
MIN_UNTITLED_CHARS = 100
# A title at an article's end is followed by nothing but captions: chunks this short
# (lines), and no more sentences in all than a page sets under its pictures.
MAX_TRAILING_CAPTION_LINES = 4
MAX_TRAILING_SENTENCES = 4
# Kicker and title at an article's end: at most this many headline chunks.
MAX_END_TITLE_CHUNKS = 2

_LATIN = re.compile(r"[A-Za-z0-9]")
BODY = ParagraphKind.BODY
PAGE_KINDS = {
    LineRole.HEADER: PagePartKind.HEADER,
    LineRole.FOOTER: PagePartKind.FOOTER,
    LineRole.EDITORS_NOTE: PagePartKind.EDITORS_NOTE,
    LineRole.CONTINUATION: PagePartKind.CONTINUATION,
}


class Block(BaseModel):
    """One paragraph of an article: body, heading, caption or credit."""

    kind: ParagraphKind
    text: str


class ArticleLayout(BaseModel):
    """An article as printed; `authors` are the names read from its byline(s)."""

    title: str
    kicker: str = ""
    subtitle: str = ""
    byline: str = ""
    authors: list[str] = []
    blocks: list[Block]


class PageLayout(BaseModel):
    """A page: its articles, and the parts that belong to no article."""

    articles: list[ArticleLayout]
    page: list[PagePart] = []


class _Segment(BaseModel):
    """The lines of one article while the page is cut up."""

    group: TitleGroup | None = None
    closing: bool = False
    continued: bool = Field(default=False, description="goes on from another page (上接)")
    lines: list[int] = []


def read_layout(text: str) -> PageLayout:
    """Split a page dump into its articles and the parts that belong to the page."""
    page = classify_lines(text)
    groups = find_groups(page)
    segments = _segments(page, groups)
    articles = [_article(page, segment) for segment in segments]
    printed = [a for a in articles if a.blocks or a.title or a.kicker or a.subtitle or a.byline]
    return PageLayout(articles=printed, page=_parts(page))


def read_page(text: str) -> list[ArticleLayout]:
    """Split a page dump into articles with their titles, authors and paragraphs."""
    return read_layout(text).articles


def _parts(page: PageLines) -> list[PagePart]:
    """The page-level parts in page order; an editor's note over several lines is one."""
    parts: list[PagePart] = []
    previous: LineRole | None = None
    for line in page.lines:
        kind = PAGE_KINDS.get(line.role)
        if kind is None:
            previous = None
            continue
        if line.role == previous == LineRole.EDITORS_NOTE:
            parts[-1] = PagePart(kind=kind, text=squeeze(parts[-1].text + "\n" + line.text))
        else:
            parts.append(PagePart(kind=kind, text=" ".join(line.text.split())))
        previous = line.role
    return parts


def _text_chars(page: PageLines, indices: list[int]) -> int:
    kinds = {LineRole.BODY, LineRole.DATELINE, LineRole.HEADING}
    return sum(len(squeeze(page.lines[i].text)) for i in indices if page.lines[i].role in kinds)


def _opens_with_dateline(page: PageLines, group: TitleGroup) -> bool:
    following = page.next_text(group.last)
    return following is not None and page.lines[following].role == LineRole.DATELINE


def _opens_article(page: PageLines, indices: list[int]) -> bool:
    """Text after the last title printed at the end is still the last article's (a
    reporter's notes, a page credit) unless it opens with a dateline of its own."""
    first = next((i for i in indices if page.lines[i].role not in ASIDE_ROLES), None)
    return first is not None and page.lines[first].role == LineRole.DATELINE


def _segments(page: PageLines, groups: list[TitleGroup]) -> list[_Segment]:
    """Cut the page into articles at its title groups (see the module docstring)."""
    starts = {group.first: group for group in groups}
    members = {i for group in groups for i in range(group.first, group.last + 1)}
    segments: list[_Segment] = []
    current = _Segment()
    closed_any = False
    for index, line in enumerate(page.lines):
        if line.role in PAGE_ROLES:
            if line.role == LineRole.CONTINUATION and not current.lines:
                current.continued = CONTINUED_FROM.match(squeeze(line.folded)) is not None
            continue
        group = starts.get(index)
        if group is not None:
            closes = (
                group.title_lines
                and current.group is None
                and not current.continued
                and _text_chars(page, current.lines) >= MIN_UNTITLED_CHARS
                and (closed_any or not _opens_with_dateline(page, group))
            )
            if closes:
                closed_any = True
                current.group, current.closing = group, True
                segments.append(current)
                current = _Segment()
            elif current.group is None and _text_chars(page, current.lines) == 0:
                current.group = group  # captions floating above an article are its own
            else:
                segments.append(current)
                current = _Segment(group=group)
            continue
        if index not in members:
            current.lines.append(index)
    if (
        current.group is None
        and segments
        and segments[-1].closing
        and not _opens_article(page, current.lines)
    ):
        segments[-1].lines += current.lines
    elif current.lines or current.group is not None:
        segments.append(current)
    return segments


def _article(page: PageLines, segment: _Segment) -> ArticleLayout:
    """An article from its segment: title parts, byline, authors and paragraphs."""
    lines = page.lines
    group = segment.group
    body = list(segment.lines)
    title_lines = list(group.title_lines) if group else []
    if group is not None:
        title_lines += [i for i in range(group.first, group.last + 1) if i not in group.bylines]
    title_lines = sorted(set(title_lines))
    if not any(lines[i].role == LineRole.TITLE for i in title_lines):
        end = _title_at_end(page, body)
        if end:
            assign_end_title(page, end)
            after = [i for i in body if i > end[-1]]
            for index in after:
                if lines[index].role in {LineRole.BODY, LineRole.HEADING}:
                    lines[index].role = LineRole.CAPTION
            body = [i for i in body if i not in end]
            title_lines += end
    bylines = [lines[i] for i in group.bylines] if group else []
    authors: list[str] = []
    for name in [name for line in bylines for name in line.authors]:
        if name not in authors:
            authors.append(name)
    blocks = _blocks(page, body)
    for name in _dateline_names(page, body) or _closing_names(blocks):
        if name not in authors:
            authors.append(name)

    def of(role: LineRole) -> list[str]:
        return [lines[i].text for i in title_lines if lines[i].role == role]

    return ArticleLayout(
        title=_title_text(of(LineRole.TITLE)),
        kicker=_title_text(of(LineRole.KICKER)),
        subtitle=_title_text(of(LineRole.SUBTITLE)),
        byline=" ".join(" ".join(line.text.split()) for line in bylines),
        authors=authors,
        blocks=blocks,
    )


def _dateline_names(page: PageLines, body: list[int]) -> list[str]:
    for index in body:
        if page.lines[index].role == LineRole.DATELINE:
            chunk = [i for i in page.chunk_of(index) if i >= index]
            return dateline_authors(" ".join(page.lines[i].text for i in chunk))
    return []


def _closing_names(blocks: list[Block]) -> list[str]:
    """Names in a byline printed at the end of the article's last paragraph."""
    bodies = [block.text for block in blocks if block.kind == BODY]
    return trailing_authors(bodies[-1]) if bodies else []


def _title_at_end(page: PageLines, body: list[int]) -> list[int]:
    """A kicker and title after the article's last paragraph, followed only by captions."""
    lines = page.lines
    chunks: list[list[int]] = []
    for index in body:
        if not chunks or lines[chunks[-1][-1]].chunk != lines[index].chunk:
            chunks.append([index])
        else:
            chunks[-1].append(index)
    for position in range(len(chunks) - 1, 0, -1):
        chunk = chunks[position]
        if not _headline_at_end(page, chunk):
            continue
        trailing = chunks[position + 1 :]
        sentences = sum(ends_sentence(lines[i].text) for c in trailing for i in c)
        if sentences > MAX_TRAILING_SENTENCES or not all(_caption_sized(page, c) for c in trailing):
            return []
        title = list(chunk)
        start = position
        while (
            start > 1
            and position - start + 1 < MAX_END_TITLE_CHUNKS
            and _headline_at_end(page, chunks[start - 1])
        ):
            start -= 1
            title = chunks[start] + title
        return title
    return []


def _headline_at_end(page: PageLines, chunk: list[int]) -> bool:
    """A heading, or a headline-shaped chunk after finished text with nothing to head
    (the page ends): either may be a title printed after its article."""
    if all(page.lines[i].role == LineRole.HEADING for i in chunk):
        return True
    if not page.headline_chunk(chunk) or not page.closed_before(chunk[0]):
        return False
    after = page.next_text(chunk[-1])
    return after is None or not continues(page.lines[chunk[-1]].text, page.lines[after].text)


def _caption_sized(page: PageLines, chunk: list[int]) -> bool:
    roles = {page.lines[i].role for i in chunk}
    if roles <= {LineRole.CAPTION, LineRole.CREDIT}:
        return True
    return len(chunk) <= MAX_TRAILING_CAPTION_LINES and LineRole.HEADING not in roles


def _title_text(texts: list[str]) -> str:
    """Headlines use a space as a pause (「新馆开放 借阅量翻番」): keep it between Chinese
    words, drop the spaces extraction put around numbers and inside spread lines; a title
    set over several lines is joined with a space."""
    return " ".join(_title_line(text) for text in texts)


def _title_line(line: str) -> str:
    if is_spread(line):
        return squeeze(line)
    words = line.split()
    joined = words[0] if words else ""
    for word in words[1:]:
        before, after = joined[-1], word[0]
        both_latin = bool(_LATIN.match(before)) and bool(_LATIN.match(after))
        both_chinese = not _LATIN.match(before) and not _LATIN.match(after)
        joined += (" " if both_latin or both_chinese else "") + word
    return joined


def _blocks(page: PageLines, indices: list[int]) -> list[Block]:
    """Paragraphs: body lines run on (across captions set into them) until a sentence
    ends; headings, captions and credits are blocks of their own."""
    lines = page.lines
    blocks: list[Block] = []
    body: list[str] = []
    caption: list[str] = []
    heading_chunk: int | None = None

    def flush(pending: list[str], kind: ParagraphKind) -> None:
        if pending:
            blocks.extend(_finish(squeeze("\n".join(pending)), kind))
            pending.clear()

    for index in indices:
        line = lines[index]
        if line.role in {LineRole.HEADING, LineRole.SIDEBAR}:
            flush(caption, ParagraphKind.CAPTION)
            flush(body, ParagraphKind.BODY)
            if heading_chunk == line.chunk and blocks and blocks[-1].kind == ParagraphKind.HEADING:
                blocks[-1] = Block(
                    kind=ParagraphKind.HEADING, text=blocks[-1].text + squeeze(line.text)
                )
            else:
                blocks.append(Block(kind=ParagraphKind.HEADING, text=squeeze(line.text)))
            heading_chunk = line.chunk
            continue
        heading_chunk = None
        if line.role == LineRole.CREDIT:
            flush(caption, ParagraphKind.CAPTION)
            blocks.append(Block(kind=ParagraphKind.CREDIT, text=squeeze(line.text)))
        elif line.role == LineRole.CAPTION:
            caption.append(line.text)
            if ends_sentence(line.text) or CREDIT.search(fold(squeeze(line.text))):
                flush(caption, ParagraphKind.CAPTION)
        elif (
            not body and _ends_paragraph_before(line.folded) and blocks and blocks[-1].kind == BODY
        ):
            # a closing quote wrapped onto a line of its own, or 「（完）」, ends the paragraph
            blocks[-1] = Block(kind=BODY, text=blocks[-1].text + squeeze(line.text))
        else:
            flush(caption, ParagraphKind.CAPTION)
            body.append(line.text)
            if ends_sentence(line.text) and not is_spread(line.text):
                flush(body, ParagraphKind.BODY)
    flush(caption, ParagraphKind.CAPTION)
    flush(body, ParagraphKind.BODY)
    return blocks


def _ends_paragraph_before(folded: str) -> bool:
    text = squeeze(folded)
    return not text.strip(CLOSERS) or bool(END_MARK.match(text))


def _finish(text: str, kind: ParagraphKind) -> list[Block]:
    """A paragraph ending in a photo credit is a caption; the credit is a block of its own
    when the caption's sentence ended before it."""
    credit_at = CREDIT.search(fold(text))
    if credit_at and credit_at.start() > 0 and kind == ParagraphKind.BODY:
        kind = ParagraphKind.CAPTION
    caption, credit = split_credit(text)
    blocks = [Block(kind=kind, text=caption)] if caption else []
    if credit:
        blocks.append(Block(kind=ParagraphKind.CREDIT, text=credit))
    return blocks


__all__ = ["ArticleLayout", "Block", "PageLayout", "read_layout", "read_page"]
