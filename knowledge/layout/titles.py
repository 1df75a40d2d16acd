"""Which lines around a byline or a dateline are the kicker, the title and the subtitle.

A title group is a few headline-shaped lines standing right before a byline (or before a
paragraph that opens with its dateline, or at the top of the page), with perhaps a
subtitle under the byline. Inside the group, a line opening with 「——」 is the subtitle;
of the other lines the widest is the main title, a line above it the kicker (引题) and a
line below it the subtitle. Papers that print their subtitles under the byline (the page
shows it elsewhere), and Traditional-script papers, set a long title over two lines
instead: there all the lines above the byline are one title.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from knowledge.clean import squeeze
from knowledge.layout.bylines import trailing_authors
from knowledge.layout.lines import LineRole, PageLines, headline_shaped
from knowledge.layout.markers import END_MARK, SUBTITLE_DASH, is_traditional

# A kicker, a title over two lines and a subtitle at most.
MAX_TITLE_LINES = 4
# Subtitles printed under the byline take at most this many lines.
MAX_SUBTITLE_LINES = 2
# Title lines before a byline may be set apart by blank lines over this many chunks.
MAX_TITLE_CHUNKS = 2


class TitleGroup(BaseModel):
    """The lines that head (or, on some pages, close) one article."""

    first: int
    last: int
    bylines: list[int] = Field(default=[], description="a byline may take two lines")
    title_lines: list[int] = []


def find_groups(page: PageLines) -> list[TitleGroup]:
    """Every title group of the page in page order, with kicker, title and subtitle
    lines marked."""
    lines = page.lines
    groups: list[TitleGroup] = []
    after_byline: dict[int, list[int]] = {}
    for index, line in enumerate(lines):
        if line.role == LineRole.BYLINE:
            below = _subtitle_below(page, index)
            after_byline[index] = below
            last = groups[-1] if groups else None
            if last and last.bylines and last.last == index - 1 and _same_chunk(page, index):
                last.bylines.append(index)  # 「本报记者 X」 over 「通讯员 Y」
                last.last = (below or [index])[-1]
                continue
            above = _title_above(page, index)
            groups.append(
                TitleGroup(
                    first=(above or [index])[0],
                    last=(below or [index])[-1],
                    bylines=[index],
                    title_lines=above,
                )
            )
        elif line.role == LineRole.DATELINE:
            previous = page.previous_text(index)
            if previous is not None and lines[previous].role == LineRole.BYLINE:
                continue
            above = _title_above(page, index)
            if above:
                groups.append(TitleGroup(first=above[0], last=above[-1], title_lines=above))
    top = _title_at_top(page, groups)
    if top is not None:
        groups.insert(0, top)
    groups = sorted([*groups, *_titles_without_byline(page, groups)], key=lambda g: g.first)
    one_title = is_traditional(" ".join(line.text for line in lines)) or any(after_byline.values())
    for group in groups:
        _assign(page, group.title_lines, one_title=one_title)
        for byline in group.bylines:
            for index in after_byline.get(byline, []):
                lines[index].role = LineRole.SUBTITLE
    return groups


def _same_chunk(page: PageLines, index: int) -> bool:
    return index > 0 and page.lines[index - 1].chunk == page.lines[index].chunk


def _is_title_candidate(page: PageLines, index: int) -> bool:
    """A line not yet given another part that is shaped like a headline."""
    line = page.lines[index]
    return line.role in {LineRole.BODY, LineRole.HEADING} and headline_shaped(line.text)


def _title_above(page: PageLines, anchor: int) -> list[int]:
    """Headline-shaped lines right above `anchor`, after a finished paragraph."""
    lines = page.lines
    found: list[int] = []
    chunks = 0
    index = anchor - 1
    chunk = lines[anchor].chunk
    while index >= 0 and len(found) < MAX_TITLE_LINES:
        if lines[index].chunk != chunk:
            chunks += 1
            chunk = lines[index].chunk
            whole = page.chunk_of(index)
            if chunks > MAX_TITLE_CHUNKS or not all(_is_title_candidate(page, i) for i in whole):
                break
        if not _is_title_candidate(page, index):
            break
        found.insert(0, index)
        index -= 1
    while found and not page.closed_before(found[0]):
        found.pop(0)
    return found


def _subtitle_below(page: PageLines, byline: int) -> list[int]:
    """Headline-shaped lines under the byline that close its chunk."""
    rest = [i for i in page.chunk_of(byline) if i > byline]
    if not rest or len(rest) > MAX_SUBTITLE_LINES:
        return []
    if all(_is_title_candidate(page, i) for i in rest):
        return rest
    return []


def _titles_without_byline(page: PageLines, groups: list[TitleGroup]) -> list[TitleGroup]:
    """A headline chunk heads a new article even with no byline under it when it carries
    a 「——」 subtitle (section headings never do), or when the article before it has just
    ended (「（完）」, or a byline closing its last paragraph)."""
    taken = {i for group in groups for i in range(group.first, group.last + 1)}
    found: list[TitleGroup] = []
    seen: set[int] = set()
    for index, line in enumerate(page.lines):
        if line.chunk in seen or index in taken:
            continue
        seen.add(line.chunk)
        chunk = page.chunk_of(index)
        if any(i in taken for i in chunk) or not page.headline_chunk(chunk):
            continue
        if not page.closed_before(chunk[0]) or page.next_text(chunk[-1]) is None:
            continue
        dashed = any(SUBTITLE_DASH.match(page.lines[i].text) for i in chunk[1:])
        if dashed or _article_ended(page, chunk[0]):
            found.append(TitleGroup(first=chunk[0], last=chunk[-1], title_lines=chunk))
    return found


def _article_ended(page: PageLines, index: int) -> bool:
    """The text before `index` closed its article: an end mark or a closing byline."""
    previous = page.previous_text(index)
    if previous is None:
        return False
    text = page.lines[previous].folded
    return bool(END_MARK.match(squeeze(text))) or bool(trailing_authors(page.lines[previous].text))


def _title_at_top(page: PageLines, groups: list[TitleGroup]) -> TitleGroup | None:
    """A headline chunk opening the page, followed by text, heads the first article."""
    first = page.next_text(-1)
    if first is None or any(group.first <= first <= group.last for group in groups):
        return None
    chunk = page.chunk_of(first)
    if not page.headline_chunk(chunk):
        return None
    following = page.next_text(chunk[-1])
    if following is None or page.lines[following].role not in {
        LineRole.BODY,
        LineRole.DATELINE,
    }:
        return None
    if any(group.first == following for group in groups):
        return None
    return TitleGroup(first=chunk[0], last=chunk[-1], title_lines=chunk)


def _assign(page: PageLines, title_lines: list[int], *, one_title: bool) -> None:
    """Mark kicker, title and subtitle among a group's lines above the byline."""
    lines = page.lines
    dash = next(
        (n for n, i in enumerate(title_lines) if SUBTITLE_DASH.match(lines[i].text)),
        len(title_lines),
    )
    for index in title_lines[dash:]:
        lines[index].role = LineRole.SUBTITLE
    rest = title_lines[:dash]
    if not rest:
        return
    if one_title:
        for index in rest:
            lines[index].role = LineRole.TITLE
        return
    main = max(rest, key=lambda i: lines[i].width)
    for index in rest:
        lines[index].role = (
            LineRole.TITLE
            if index == main
            else LineRole.KICKER
            if index < main
            else LineRole.SUBTITLE
        )


def assign_end_title(page: PageLines, title_lines: list[int]) -> None:
    """A title printed after its article's text is read like one printed before it."""
    _assign(page, title_lines, one_title=False)
