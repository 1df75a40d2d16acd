"""Classify every line of a page dump from general signals and its neighbours.

A line's part in the layout is read from evidence any paper shows: its length against
the width the text column wraps at, how it ends, where it stands (top or foot of the
page, between finished paragraphs, right before or after a byline), whether it is a run
of names, and the markers papers print (本报讯, 记者, 摄, 图为, ▲, 【】, 一、, 编者按,
下转第 版, a date with 星期). Titles, kickers and subtitles are settled later, by
`knowledge.layout.titles`, because they depend on the bylines around them.
"""

from __future__ import annotations

import re
import statistics
from enum import StrEnum
from functools import cache

from pydantic import BaseModel, Field

from knowledge.clean import CLOSERS, ends_sentence, is_balanced, is_spread, squeeze, visible_width
from knowledge.layout.bylines import dateline_end, is_credit, parse_byline
from knowledge.layout.markers import (
    CAPTION_START,
    CONTINUATION_NOTE,
    CREDIT,
    DATE,
    EDITORS_NOTE,
    END_MARK,
    HEADING_MARK,
    PAGE_FURNITURE,
    PAGE_SEPARATOR,
    SIDEBAR,
    TRAILING_CONTINUATION,
    fold,
)
from knowledge.words import cut_known

# The running head and foot sit within this many lines of the top and the bottom.
FURNITURE_LINES = 2
# No title, kicker, subtitle or heading runs longer than this (characters); longer text
# with no stop in it is a paragraph's fragment.
MAX_HEADLINE_CHARS = 40
# A heading takes at most this many lines; more is a short paragraph.
MAX_HEADING_LINES = 3
# Captions run across columns: this much wider than the text column.
WIDE_FACTOR = 1.3
# Headings and titles may also run across columns, but not this far: a headline-shaped
# line wider than this many columns is a caption left unfinished on its line.
HEADLINE_FACTOR = 1.8
# A heading set inside a run of text (no blank lines around it) is clearly short: at
# least this many em narrower than the column.
SHORT_LINE_MARGIN = 2
# A chunk of at least this many other lines shows the width of its own column.
MIN_CHUNK_FOR_COLUMN = 3
# A caption that is not finished on its line goes on for at most this many more lines.
MAX_CAPTION_LINES = 4
# Fewer wrapped lines than this and the dump is not set in columns at all.
MIN_COLUMN_LINES = 10
# In a dump wrapped into columns most lines fill the column: at least this share of
# lines are at least this fraction of its width (digits and Latin letters are narrower).
WRAPPED_SHARE = 0.5
FULL_LINE = 0.85
# A column is never wider than this many em; wider "columns" are unwrapped paragraphs.
MAX_COLUMN = 40
CONTINUATION_ENDINGS = "，、：:；;—-(（《“‘「『"
DANGLING_WORDS = "的了在和与及给对将把被从向为以于由是而并或其之"
CONTINUATION_STARTS = "的地得了着过下之和与及或等中上后时"
# A new paragraph never starts with a single character and a comma (「杰，去年…」): that
# is the end of a name or word broken off on the line before.
BROKEN_WORD_MARKS = "，,。、"
INNER_STOPS = "。！？!?；;"
# A heading may pair two short phrases around one comma (「稳住存量，做大增量」); text
# that opens with a time, a source or a linking word before its comma opens a sentence.
MAX_HEADING_COMMAS = 1
SHORTEST_HEADING_PHRASE = 4
_SENTENCE_OPENER = re.compile(
    r"^(?:[\d.]+\s*[年月日时点号]|[\d.]+\s*月\s*[\d.]+\s*日|今年|去年|明年|近年来?|近日|"
    r"目前|此外|同时|与此同时|另外|其中|然而|不过|因此|据悉|据了解|据介绍|据统计|截至目前|"
    r"(?:记者|笔者)(?:获悉|了解到|注意到|看到))[^，,]{0,6}[，,]"
)
# Counting words left hanging (「这一」「首批三个」): the noun they count is on the next line.
_DANGLING_COUNT = re.compile(
    r"[一二三四五六七八九十两几这那每各该此][个批项名位种类支家条件次座台块]?$"
)


class LineRole(StrEnum):
    """The part a line plays on the page."""

    HEADER = "header"
    FOOTER = "footer"
    EDITORS_NOTE = "editors_note"
    CONTINUATION = "continuation"
    KICKER = "kicker"
    TITLE = "title"
    SUBTITLE = "subtitle"
    BYLINE = "byline"
    DATELINE = "dateline"
    HEADING = "heading"
    SIDEBAR = "sidebar"
    BODY = "body"
    CAPTION = "caption"
    CREDIT = "credit"


PAGE_ROLES = frozenset(
    {LineRole.HEADER, LineRole.FOOTER, LineRole.EDITORS_NOTE, LineRole.CONTINUATION}
)
# Lines that stand aside from the flow of text: a paragraph goes on across them.
ASIDE_ROLES = PAGE_ROLES | {LineRole.CAPTION, LineRole.CREDIT}


class Line(BaseModel):
    """One printed line of the dump (blank lines only separate chunks)."""

    text: str
    folded: str = Field(description="the text in Simplified characters, for markers")
    chunk: int
    role: LineRole = LineRole.BODY
    authors: list[str] = []

    @property
    def width(self) -> float:
        return visible_width(self.text)


def split_lines(text: str) -> list[Line]:
    """Printed lines with the chunk (run between blank lines) each stands in; a
    continuation note printed after a paragraph's last stop becomes a line of its own."""
    lines: list[Line] = []
    chunk = 0
    for raw in text.splitlines():
        if not raw.strip():
            chunk += 1
            continue
        printed = raw.strip()
        folded = fold(printed)
        note = TRAILING_CONTINUATION.search(folded)
        if note and note.start() > 0:  # 「…发展。（下转第2版）」: two parts, two lines
            cut = note.start()
            lines.append(Line(text=printed[:cut], folded=folded[:cut], chunk=chunk))
            printed, folded = printed[cut:], folded[cut:]
        lines.append(Line(text=printed, folded=folded, chunk=chunk))
    return lines


def column_width(lines: list[Line]) -> float | None:
    """The width text lines wrap at; None when the dump is not wrapped into columns."""
    widths = sorted(line.width for line in lines if line.role == LineRole.BODY)
    if len(widths) < MIN_COLUMN_LINES:
        return None
    column = statistics.quantiles(widths, n=4)[2]
    full = sum(width >= column * FULL_LINE for width in widths)
    if full < len(widths) * WRAPPED_SHARE:
        return None  # widths all over the place: a paragraph a line, not a column
    return column if column <= MAX_COLUMN else None


@cache
def splits_word(before: str, after: str) -> bool:
    """Whether the line break between two texts falls inside a word (「工|程」)."""
    left, right = squeeze(before)[-4:], squeeze(after)[:4]
    if not left or not right or not _cjk(left[-1]) or not _cjk(right[0]):
        return False
    position = 0
    for token in cut_known(left + right):
        if position < len(left) < position + len(token):
            return True
        position += len(token)
    return False


def _cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def headline_shaped(text: str) -> bool:
    """Short, balanced, no sentence inside and nothing left hanging at the end: a title,
    a kicker, a subtitle or a heading, never the fragment of a paragraph."""
    text = squeeze(text)
    if not text or len(text) > MAX_HEADLINE_CHARS or not is_balanced(text):
        return False
    if END_MARK.match(fold(text)):
        return False
    if any(stop in text for stop in INNER_STOPS):
        return False
    if text[0] in CONTINUATION_STARTS or text[0] in CLOSERS + "，、。：":
        return False
    commas = [i for i, char in enumerate(text) if char in "，,"]
    if len(commas) > MAX_HEADING_COMMAS or (commas and commas[0] < SHORTEST_HEADING_PHRASE):
        return False
    if _SENTENCE_OPENER.match(text):
        return False
    ending = text.rstrip(CLOSERS)
    if not ending or _DANGLING_COUNT.search(ending):
        return False
    return ending[-1] not in CONTINUATION_ENDINGS and ending[-1] not in DANGLING_WORDS


def continues(before: str, after: str) -> bool:
    """Whether `after` reads on from `before` (「工|程」, 「…村民尤|杰，去年…」)."""
    after = squeeze(after)
    if not after:
        return False
    if after[0] in CONTINUATION_STARTS or after[0] in CLOSERS + "，、。：；":
        return True
    if len(after) > 1 and after[1] in BROKEN_WORD_MARKS:
        return True
    return splits_word(before, after)


class PageLines:
    """The lines of one page and the evidence about them."""

    def __init__(self, text: str) -> None:
        self.lines = split_lines(text)
        self.column: float | None = None
        self._chunks: dict[int, list[int]] = {}
        for index, line in enumerate(self.lines):
            self._chunks.setdefault(line.chunk, []).append(index)

    # -- neighbours -------------------------------------------------------------------

    def chunk_of(self, index: int) -> list[int]:
        """The lines of the chunk (the run between blank lines) that holds `index`."""
        return list(self._chunks[self.lines[index].chunk])

    def previous_text(self, index: int) -> int | None:
        """The nearest line before `index` in the flow of text (asides skipped)."""
        for i in range(index - 1, -1, -1):
            if self.lines[i].role not in ASIDE_ROLES:
                return i
        return None

    def next_text(self, index: int) -> int | None:
        for i in range(index + 1, len(self.lines)):
            if self.lines[i].role not in ASIDE_ROLES:
                return i
        return None

    def closed_before(self, index: int) -> bool:
        """Nothing before `index` is left unfinished: a new part may start here."""
        previous = self.previous_text(index)
        if previous is None:
            return True
        line = self.lines[previous]
        if line.role not in {LineRole.BODY, LineRole.DATELINE}:
            return True
        text = line.text
        if END_MARK.match(squeeze(line.folded)):
            return True
        if not text.strip(CLOSERS) and previous > 0:
            text = self.lines[previous - 1].text + text  # a closing quote wrapped alone
        return ends_sentence(text) and not is_spread(text)

    def is_wide(self, line: Line) -> bool:
        return self.column is not None and line.width > self.column * WIDE_FACTOR

    def fits_headline(self, line: Line) -> bool:
        return self.column is None or line.width <= self.column * HEADLINE_FACTOR

    def stands_out(self, index: int) -> bool:
        """Clearly short of the column the line is set in, or wider than it (a heading
        across columns): articles on one page may use different columns, so a chunk long
        enough to tell has its own."""
        line = self.lines[index]
        others = [self.lines[i].width for i in self.chunk_of(index) if i != index]
        column = statistics.median(others) if len(others) >= MIN_CHUNK_FOR_COLUMN else None
        column = column or self.column
        if column is None:
            return True
        return line.width <= column - SHORT_LINE_MARGIN or (
            column + 1 < line.width <= column * HEADLINE_FACTOR
        )

    # -- passes -------------------------------------------------------------------------

    def classify(self) -> list[Line]:
        """Mark every line, signs first, then what depends on the column and neighbours."""
        self._mark_furniture()
        self._mark_bylines_and_credits()
        self.column = column_width(self.lines)
        self._mark_captions()
        self._mark_datelines()
        self._mark_headings()
        return self.lines

    def _mark_furniture(self) -> None:
        """Running head and foot, continuation notes, the editor's note."""
        count = len(self.lines)
        for index, line in enumerate(self.lines):
            folded = line.folded
            near_top = index < FURNITURE_LINES
            near_foot = index >= count - FURNITURE_LINES
            if CONTINUATION_NOTE.fullmatch(squeeze(folded)):
                line.role = LineRole.CONTINUATION
            elif (near_top or near_foot) and _is_furniture(folded):
                line.role = LineRole.HEADER if near_top else LineRole.FOOTER
        for index, line in enumerate(self.lines):
            if line.role == LineRole.BODY and EDITORS_NOTE.match(line.folded):
                for member in self.chunk_of(index):
                    if member >= index:
                        self.lines[member].role = LineRole.EDITORS_NOTE

    def _mark_bylines_and_credits(self) -> None:
        """Bylines and credits stand on lines of their own and need no context."""
        for line in self.lines:
            if line.role != LineRole.BODY:
                continue
            authors = parse_byline(line.text)
            if authors is not None:
                line.role = LineRole.BYLINE
                line.authors = authors
            elif is_credit(line.text):
                line.role = LineRole.CREDIT

    def _mark_captions(self) -> None:
        """Captions start with a sign (图为, ▲, 图：), run wider than the column, or stand
        alone ending in a credit; they go on until their sentence (or credit) ends."""
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            if line.role == LineRole.BODY and self._starts_caption(index):
                index = self._extend_caption(index)
            index += 1

    def _starts_caption(self, index: int) -> bool:
        line = self.lines[index]
        chunk = self.chunk_of(index)
        if any(self.lines[i].role == LineRole.BYLINE for i in chunk):
            return False  # a title may run wider than the column; it sits by its byline
        if CAPTION_START.match(line.folded):
            return True
        alone = len(chunk) == 1
        credit = CREDIT.search(fold(squeeze(line.text)))
        by_photographer = line.folded.rstrip(")）").rstrip().endswith("摄")
        if credit is not None and credit.start() > 0 and (alone or by_photographer):
            return True
        if not self.is_wide(line) or is_spread(line.text) or HEADING_MARK.match(line.folded):
            return False
        standalone = alone or self.closed_before(index)
        return not (standalone and headline_shaped(line.text) and self.fits_headline(line))

    def _extend_caption(self, index: int) -> int:
        """Mark the caption from `index` on; return its last line."""
        last = index
        for _ in range(MAX_CAPTION_LINES):
            line = self.lines[last]
            line.role = LineRole.CAPTION
            finished = ends_sentence(line.text) or CREDIT.search(fold(squeeze(line.text)))
            following = last + 1
            if finished or following >= len(self.lines):
                break
            if self.lines[following].role != LineRole.BODY:
                break
            if not self.is_wide(line) and self.lines[following].chunk != line.chunk:
                break
            last = following
        after = last + 1
        if after < len(self.lines) and self.lines[after].role == LineRole.CREDIT:
            return after
        return last

    def _mark_datelines(self) -> None:
        """A paragraph that opens with its byline (本报讯（记者…）, 【記者…報導】)."""
        for index, line in enumerate(self.lines):
            previous = self.previous_text(index)
            starts = (
                previous is None
                or self.lines[previous].chunk != line.chunk
                or headline_shaped(self.lines[previous].text)  # its title, set right above
            )
            if line.role != LineRole.BODY or not (starts or self.closed_before(index)):
                continue
            joined = " ".join(self.lines[i].text for i in self.chunk_of(index) if i >= index)
            if dateline_end(joined):
                line.role = LineRole.DATELINE

    def _mark_headings(self) -> None:
        """Short balanced chunks between finished paragraphs are headings (or, when a
        byline stands by them, titles: `knowledge.layout.titles` decides)."""
        seen: set[int] = set()
        for index, line in enumerate(self.lines):
            if line.chunk in seen or line.role != LineRole.BODY:
                continue
            seen.add(line.chunk)
            chunk = self.chunk_of(index)
            if self.is_heading_chunk(chunk):
                for member in chunk:
                    self._mark_heading(member)
        for index, line in enumerate(self.lines):
            if line.role == LineRole.BODY and self.is_heading_inside(index):
                self._mark_heading(index)

    def _mark_heading(self, index: int) -> None:
        line = self.lines[index]
        sidebar = SIDEBAR.match(squeeze(line.folded))
        line.role = LineRole.SIDEBAR if sidebar else LineRole.HEADING

    def is_heading_inside(self, index: int) -> bool:
        """A heading set in a run of text with no blank lines: one line after a finished
        sentence, clearly short of the column (or marked), that the next line does not
        read on from."""
        line = self.lines[index]
        following = self.next_text(index)
        if following is None or self.lines[following].chunk != line.chunk:
            return False
        if index == 0 or self.lines[index - 1].chunk != line.chunk:
            return False
        if self.lines[following].role != LineRole.BODY or not self.closed_before(index):
            return False
        if is_spread(line.text) or not headline_shaped(line.text):
            return False
        marked = bool(HEADING_MARK.match(line.folded) or SIDEBAR.match(squeeze(line.folded)))
        if not (marked or self.stands_out(index)):
            return False
        return not continues(line.text, self.lines[following].text)

    def headline_chunk(self, chunk: list[int]) -> bool:
        """A chunk shaped like a headline: up to three short lines, none a sentence."""
        lines = [self.lines[i] for i in chunk]
        if len(lines) > MAX_HEADING_LINES or any(
            line.role not in {LineRole.BODY, LineRole.HEADING} for line in lines
        ):
            return False
        if any(is_spread(line.text) or not self.fits_headline(line) for line in lines):
            return False
        return headline_shaped("".join(line.text for line in lines))

    def is_heading_chunk(self, chunk: list[int]) -> bool:
        """A headline chunk between finished text and a fresh start, not set over a caption
        (a paragraph's first line broken off by a picture looks the same)."""
        if not self.headline_chunk(chunk) or not self.closed_before(chunk[0]):
            return False
        marked = bool(HEADING_MARK.match(self.lines[chunk[0]].folded)) or bool(
            SIDEBAR.match(squeeze(self.lines[chunk[0]].folded))
        )
        following = chunk[-1] + 1
        if (
            not marked
            and following < len(self.lines)
            and self.lines[following].role in {LineRole.CAPTION, LineRole.CREDIT}
        ):
            return False
        after = self.next_text(chunk[-1])
        if after is None:
            return marked
        return marked or not continues(self.lines[chunk[-1]].text, self.lines[after].text)


def _is_furniture(folded: str) -> bool:
    """A running head or foot: separated fields (「|」), a date with its weekday, the
    editors of the page, or the page number with 版."""
    if len(PAGE_SEPARATOR.findall(folded)) >= 2:
        return True
    return bool(DATE.search(folded) and "星期" in folded) or bool(
        PAGE_FURNITURE.search(folded) and not ends_sentence(folded)
    )


def classify_lines(text: str) -> PageLines:
    """Every line of a dump, classified."""
    page = PageLines(text)
    page.classify()
    return page
