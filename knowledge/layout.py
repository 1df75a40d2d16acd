"""Read the layout of a newspaper page dump: where articles start, what is a title,
a byline, a section heading, a photo caption or a credit, and where paragraphs end.

The rules describe how such dumps look in general (bylines are short runs of names,
headings are short balanced lines between finished paragraphs, captions run wider than
the text column or follow a title printed at the end, credits end in 摄), never what one
page says.
"""

from __future__ import annotations

import re
import statistics
from functools import cache

import jieba
from pydantic import BaseModel

from knowledge.clean import (
    CLOSERS,
    ends_sentence,
    is_balanced,
    is_cjk,
    is_spread,
    squeeze,
    visible_width,
)
from knowledge.models import ParagraphKind

MAX_TITLE_CHARS = 40
MAX_HEADING_LINES = 3
WIDE_FACTOR = 1.4
CONTINUATION_ENDINGS = "，、：:；;—-(（《“‘「"
DANGLING_WORDS = "的了在和与及给对将把被从向为以于由是而并或其之"
CONTINUATION_STARTS = "的地得了着过下之和与及或等中上后时"
EARLY_COMMA = 5

_BYLINE_ROLE = re.compile(
    r"^(?:本报|特约|实习|见习)?(?:记者|通讯员|撰稿)[:：/／]?|^(?:文|图|文图|文/图|文／图)[:：/／]"
)
_CREDIT = re.compile(
    r"[（(]?(?:本文|本版)?(?:图片|照片|图|摄影)[^（()）。]{0,24}(?:摄|供图|提供)[)）]?$"
    r"|[（(][^（()）]{1,20}摄[)）]$"
)
_DATELINE = re.compile(
    r"^(?:本报讯|本报[^（(]{0,10}电|[^（(]{2,8}社[^（(]{0,12}电)[（(]([^）)]{2,30})[）)]"
)
_CAPTION_START = re.compile(r"^(?:图为|图注|▲|△|上图|下图|左图|右图)")
_INNER_STOP = re.compile(r"[。！？!?；;]")
_DANGLING_COUNT = re.compile(
    r"[一二三四五六七八九十两几这那每各该此][个批项名位种类支家条件次座台块]?$"
)
_EARLY_COMMA = re.compile(rf"^[^，,]{{1,{EARLY_COMMA}}}[，,]")


class Line(BaseModel):
    text: str
    chunk: int


class Block(BaseModel):
    kind: ParagraphKind
    text: str


class ArticleLayout(BaseModel):
    title: str
    subtitle: str = ""
    authors: list[str] = []
    blocks: list[Block]


class _Unit(BaseModel):
    """Lines that stay together before paragraphs are formed: a chunk between blank
    lines, cut at bylines and credits, which always stand alone."""

    role: str  # "text", "byline" or "credit"
    lines: list[str]
    authors: list[str] = []

    @property
    def text(self) -> str:
        return squeeze("\n".join(self.lines))


def parse_byline(line: str) -> list[str] | None:
    """Names in a byline such as 「谢 璐 刘胤琳」 or 「本报记者 张三 通讯员 李四」, else None."""
    pieces: list[str] = []
    roles = 0
    for token in re.split(r"[\s、,，]+", line.strip()):
        name = _BYLINE_ROLE.sub("", token)
        roles += name != token
        if name:
            pieces.append(name)
    if not pieces or not all(all(is_cjk(char) for char in piece) for piece in pieces):
        return None
    if not roles and re.search(r"[、,，]", line):
        return None
    names = _pair_single_characters(pieces)
    if names is None or not 1 <= len(names) <= 8 or sum(map(len, names)) > 24:
        return None
    if len(pieces) < 2 and not roles:
        return None
    if all(len(piece) == 1 for piece in pieces) and len(pieces) > 6:
        return None
    return names


def _pair_single_characters(pieces: list[str]) -> list[str] | None:
    """Two-character names are printed spread out (「谢 璐」): join single characters."""
    names: list[str] = []
    pending = ""
    for piece in pieces:
        if len(piece) == 1:
            pending += piece
            if len(pending) == 2:
                names.append(pending)
                pending = ""
            continue
        if pending or len(piece) > 3:
            return None
        names.append(piece)
    return None if pending else names


def is_credit(text: str) -> bool:
    """The whole text is a photo credit (「本文图片均由某某摄」)."""
    match = _CREDIT.search(squeeze(text))
    return bool(match) and match.start() == 0


def split_credit(text: str) -> tuple[str, str]:
    """Split a trailing photo credit off a caption: (caption, credit)."""
    match = _CREDIT.search(text)
    if not match or match.start() == 0:
        return text, ""
    return text[: match.start()], text[match.start() :]


def _units(lines: list[Line]) -> list[_Unit]:
    units: list[_Unit] = []
    previous_chunk = -1
    for line in lines:
        authors = parse_byline(line.text)
        if authors is not None:
            units.append(_Unit(role="byline", lines=[line.text], authors=authors))
        elif is_credit(line.text) and visible_width(line.text) <= 24:
            units.append(_Unit(role="credit", lines=[line.text]))
        elif units and units[-1].role == "text" and line.chunk == previous_chunk:
            units[-1].lines.append(line.text)
        else:
            units.append(_Unit(role="text", lines=[line.text]))
        previous_chunk = line.chunk
    return units


def _column_width(units: list[_Unit]) -> float | None:
    """The width text lines wrap at; None when the dump is not wrapped into columns."""
    widths = sorted(
        visible_width(line) for unit in units if unit.role == "text" for line in unit.lines
    )
    if len(widths) < 10:
        return None
    column = statistics.quantiles(widths, n=4)[2]
    return column if column <= 40 else None


@cache
def _splits_word(before: str, after: str) -> bool:
    """Whether the line break between two texts falls inside a word (「工|程」)."""
    left, right = squeeze(before)[-4:], squeeze(after)[:4]
    if not left or not right or not is_cjk(left[-1]) or not is_cjk(right[0]):
        return False
    position = 0
    for token in jieba.cut(left + right, HMM=False):
        if position < len(left) < position + len(token):
            return True
        position += len(token)
    return False


def _headline_shaped(unit: _Unit) -> bool:
    """Short, balanced, no sentence inside and nothing left hanging at the end."""
    text = unit.text
    if unit.role != "text" or not text or len(unit.lines) > MAX_HEADING_LINES:
        return False
    if len(text) > MAX_TITLE_CHARS or _INNER_STOP.search(text) or not is_balanced(text):
        return False
    if any(is_spread(line) for line in unit.lines):
        return False
    if text[0] in CONTINUATION_STARTS or _EARLY_COMMA.match(text):
        return False
    ending = text.rstrip(CLOSERS)
    if not ending or _DANGLING_COUNT.search(ending):
        return False
    return ending[-1] not in CONTINUATION_ENDINGS and ending[-1] not in DANGLING_WORDS


class _Page:
    """One pass over a page's units, deciding each unit's part in the layout."""

    def __init__(self, units: list[_Unit]) -> None:
        self.units = units
        self.column = _column_width(units)

    def is_wide_line(self, line: str) -> bool:
        """Captions run across columns: far wider than the text column."""
        return self.column is not None and visible_width(line) > self.column * WIDE_FACTOR

    def is_wide(self, unit: _Unit) -> bool:
        return any(self.is_wide_line(line) for line in unit.lines)

    def follows_closed_text(self, index: int) -> bool:
        if index == 0:
            return True
        previous = self.units[index - 1]
        return previous.role != "text" or ends_sentence(previous.lines[-1])

    def joins_next(self, index: int) -> bool:
        """Whether the next unit reads on from this one (「工|程」, 「…难|的问题」)."""
        if index + 1 >= len(self.units) or self.units[index + 1].role != "text":
            return False
        following = self.units[index + 1].lines[0]
        if following[0] in CONTINUATION_STARTS or following[0] in CLOSERS + "，、。：":
            return True
        return _splits_word(self.units[index].lines[-1], following)

    def is_heading(self, index: int) -> bool:
        unit = self.units[index]
        if not _headline_shaped(unit) or self.is_wide(unit) or self.joins_next(index):
            return False
        if self.column is not None and any(
            visible_width(line) > self.column + 1 for line in unit.lines
        ):
            return False
        return self.follows_closed_text(index) or (index > 0 and self.is_heading(index - 1))

    def title_before(self, byline: int, floor: int) -> list[int]:
        """Up to two headline-shaped units right before a byline are its title."""
        found: list[int] = []
        index = byline - 1
        while index >= floor and len(found) < 2 and _headline_shaped(self.units[index]):
            found.insert(0, index)
            index -= 1
        if found and not self.follows_closed_text(found[0]):
            return []
        return found


def _page_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    chunk = 0
    for raw in text.splitlines():
        if not raw.strip():
            chunk += 1
            continue
        lines.append(Line(text=raw.strip(), chunk=chunk))
    return lines


def read_page(text: str) -> list[ArticleLayout]:
    """Split a page dump into articles with their titles, authors and paragraphs."""
    page = _Page(_units(_page_lines(text)))
    if not page.units:
        return []
    return [_article(page, start, end) for start, end in _article_spans(page)]


def _article_spans(page: _Page) -> list[tuple[int, int]]:
    """(first unit, end) of each article: an article starts at its title or byline."""
    bylines = [i for i, unit in enumerate(page.units) if unit.role == "byline"]
    starts: list[int] = []
    floor = 0
    for byline in bylines:
        title = page.title_before(byline, floor)
        starts.append(title[0] if title else byline)
        floor = byline + 1
    if not starts or starts[0] > 0:
        starts.insert(0, 0)
    ends = [*starts[1:], len(page.units)]
    return list(zip(starts, ends, strict=True))


def _article(page: _Page, start: int, end: int) -> ArticleLayout:
    indices = list(range(start, end))
    bylines = [i for i in indices if page.units[i].role == "byline"]
    byline = bylines[0] if bylines else None
    title_units = page.title_before(byline, start) if byline is not None else []
    if byline is None and page.is_heading(start):
        title_units = [start]
    body = [i for i in indices if i not in title_units and i != byline]
    captions_from = len(page.units)
    if not title_units:
        title_units, captions_from = _title_at_end(page, body)
        body = [i for i in body if i not in title_units]
    titles = [_title_line(line) for i in title_units for line in page.units[i].lines]
    title, subtitle = _main_title(titles)
    if not title:
        title = _fallback_title(page, body)
    blocks = _blocks(page, body, first_body=body[0] if body else -1, captions_from=captions_from)
    authors = page.units[byline].authors if byline is not None else _dateline_authors(blocks)
    return ArticleLayout(title=title, subtitle=subtitle, authors=authors, blocks=blocks)


def _dateline_authors(blocks: list[Block]) -> list[str]:
    """「本报讯（记者 王小明）…」: the byline printed inside the first paragraph."""
    first = next((b.text for b in blocks if b.kind == ParagraphKind.BODY), "")
    match = _DATELINE.match(first)
    return (parse_byline(match.group(1)) or []) if match else []


def _title_line(line: str) -> str:
    """Headlines use a space as a pause (「新馆开放 借阅量翻番」): keep it unless spread."""
    return squeeze(line) if is_spread(line) else " ".join(line.split())


def _main_title(titles: list[str]) -> tuple[str, str]:
    """Of a kicker, a main line and a subtitle, the main title is the longest line."""
    if not titles:
        return "", ""
    main = max(titles, key=len)
    return main, " ".join(t for t in titles if t is not main)


def _fallback_title(page: _Page, body: list[int]) -> str:
    for index in body:
        if page.units[index].role == "text":
            return page.units[index].text[:MAX_TITLE_CHARS]
    return "（无标题）"


def _title_at_end(page: _Page, body: list[int]) -> tuple[list[int], int]:
    """Some pages print an article's title after its text, followed only by captions."""
    for position in range(len(body) - 1, 0, -1):
        index = body[position]
        if not page.is_heading(index):
            continue
        trailing = body[position + 1 :]
        if not all(_caption_sized(page.units[i]) for i in trailing):
            return [], len(page.units)
        title = [index]
        if position > 1 and page.is_heading(body[position - 1]):
            title.insert(0, body[position - 1])
        return title, index + 1
    return [], len(page.units)


def _caption_sized(unit: _Unit) -> bool:
    return unit.role == "credit" or len(unit.lines) <= 4


def _blocks(page: _Page, body: list[int], first_body: int, captions_from: int) -> list[Block]:
    blocks: list[Block] = []
    lines: list[str] = []
    kind = ParagraphKind.BODY

    def flush() -> None:
        nonlocal lines, kind
        if lines:
            blocks.extend(_finish(squeeze("\n".join(lines)), kind))
        lines, kind = [], ParagraphKind.BODY

    for index in body:
        unit = page.units[index]
        if unit.role == "credit" or (index != first_body and page.is_heading(index)):
            flush()
            role = ParagraphKind.CREDIT if unit.role == "credit" else ParagraphKind.HEADING
            blocks.append(Block(kind=role, text=unit.text))
            continue
        if index >= captions_from or _CAPTION_START.match(unit.lines[0]):
            if kind != ParagraphKind.CAPTION:
                flush()
            kind = ParagraphKind.CAPTION
        for line in unit.lines:
            if page.is_wide_line(line) and kind != ParagraphKind.CAPTION:
                flush()
                kind = ParagraphKind.CAPTION
            lines.append(line)
            if (ends_sentence(line) and not is_spread(line)) or _CREDIT.search(line):
                flush()
    flush()
    return blocks


def _finish(text: str, kind: ParagraphKind) -> list[Block]:
    caption, credit = split_credit(text)
    blocks = [Block(kind=kind, text=caption)] if caption else []
    if credit:
        if kind == ParagraphKind.BODY and blocks:
            blocks[0] = Block(kind=ParagraphKind.CAPTION, text=caption)
        blocks.append(Block(kind=ParagraphKind.CREDIT, text=credit))
    return blocks
