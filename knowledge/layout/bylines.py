"""Bylines and photo credits: who wrote an article, who took its pictures.

A byline is printed in many ways: a bare line of names with the two-character ones spread
out (「王 明 李 华」), names after roles (「本报记者 X 通讯员 Y」, 「□ 本报记者 X 实习生 Y」,
「文/图 本报记者 X」), Taiwanese style (「記者 X／報導」), or inside the first paragraph
(「本报讯（记者 X 通讯员 Y）」, 「【記者X／某地報導】」). Names are returned as printed,
without the spaces; roles, places and boxes are not names.
"""

from __future__ import annotations

import re

from knowledge.clean import is_cjk, squeeze
from knowledge.layout.markers import (
    BRACKET_BYLINE,
    CREDIT,
    DATELINE,
    fold,
    starts_like_name,
)
from knowledge.words import dictionary_tag

MAX_NAMES = 8
MAX_NAME_CHARS = 24
# Roles printed before names (matched on folded text).
_ROLE = re.compile(
    r"(?:本报|本刊|本台|特约|见习|首席|实习)?(?:记者|通讯员|实习生|见习生|撰稿人?|摄影|摄像|编辑)"
    r"|文\s*[/／]\s*图|图\s*[/／]\s*文|[文图]\s*[/／:：]"
)
_DECORATION = re.compile(r"^[□■●◎◆◇★☆○]\s*")
# 「／報導」 closes a Taiwanese byline, optionally with the place reported from.
_REPORTED = re.compile(r"[/／][^/／\s]{0,8}报[导道]$|\s*报[导道]$")
_NAME_SEPARATORS = re.compile(r"[、,，]")
_PHOTO_ROLE = re.compile(r"^(?:摄影|图片|图|摄)\s*[:：/／]\s*")
_TRAILING_BYLINE = re.compile(r"(?<=[。！？!?”」』])\s*[（(]([^（()）]{2,30})[)）]$")
# A name printed without spaces after its role (「记者张三李四」) is cut into two-character
# names when it is exactly this long and every part starts like a name.
GLUED_PAIR = 4


def parse_byline(line: str) -> list[str] | None:
    """Names in a byline such as 「孟 川 邹雨桐」 or 「本报记者 张三 通讯员 李四」, else None."""
    printed = line.strip()
    folded = fold(printed)
    start = _DECORATION.match(folded)
    begin = start.end() if start else 0
    end = len(folded)
    reported = _REPORTED.search(folded, begin)
    if reported:
        end = reported.start()
    groups: list[str] = []
    roles = 0
    position = begin
    for role in _ROLE.finditer(folded, begin, end):
        groups.append(printed[position : role.start()])
        position = role.end()
        roles += 1
    groups.append(printed[position:end])
    if not roles and _NAME_SEPARATORS.search(printed):
        return None
    names: list[str] = []
    for group in groups:
        paired = _names(group)
        if paired is None:
            return None
        names += paired
    if not 1 <= len(names) <= MAX_NAMES or sum(map(len, names)) > MAX_NAME_CHARS:
        return None
    if not roles and not reported and (len(names) < 2 or any(map(_common_word, names))):
        return None
    return names


def _common_word(piece: str) -> bool:
    """A dictionary word that is not a person's name (「解忧」, 「周末」): a line of such
    pieces with no role before them is a headline, not a byline."""
    tag = dictionary_tag(fold(piece))
    return tag is not None and not tag.startswith("nr")


def _names(group: str) -> list[str] | None:
    """The names in a run between roles; two-character names are printed spread out
    (「孟 川」), so single characters are joined in pairs."""
    names: list[str] = []
    pending = ""
    for piece in _NAME_SEPARATORS.sub(" ", group).split():
        if not all(is_cjk(char) for char in piece):
            return None
        if len(piece) == 1:
            pending += piece
            if len(pending) == 2:
                names.append(pending)
                pending = ""
            continue
        if pending:
            return None
        if len(piece) == GLUED_PAIR and not starts_like_name(piece):
            names += [piece[:2], piece[2:]]
            continue
        names.append(piece)
    if pending or not all(starts_like_name(name) for name in names):
        return None
    return names


def dateline_authors(first_paragraph: str) -> list[str]:
    """「本报讯（记者 王小明）…」 or 「【記者某某／某地報導】…」: the byline printed inside
    the first paragraph (lines joined with spaces, so that names stay apart)."""
    text = first_paragraph.strip()
    folded = fold(text)
    for pattern in (DATELINE, BRACKET_BYLINE):
        match = pattern.match(folded)
        if match:
            names = parse_byline(text[match.start(1) : match.end(1)])
            if names:
                return names
    return []


def dateline_end(first_paragraph: str) -> int:
    """Where the byline printed at the start of a paragraph ends (0 when there is none)."""
    folded = fold(first_paragraph)
    for pattern in (DATELINE, BRACKET_BYLINE):
        match = pattern.match(folded)
        if match and parse_byline(first_paragraph[match.start(1) : match.end(1)]):
            return match.end()
    return 0


def is_credit(text: str) -> bool:
    """The whole text is a photo credit (「本文图片均由某某摄」, 「（某某 摄）」)."""
    match = CREDIT.search(fold(squeeze(text)))
    if match and match.start() == 0:
        return True
    # 「本报记者 某某 摄」: a byline of the photographer, no brackets
    stripped = text.strip()
    folded = fold(stripped)
    if folded.endswith("摄") and parse_byline(stripped[:-1]) is not None:
        return True
    # 「摄影：某某」, 「图片：某某」: a role, a colon, the photographers
    role = _PHOTO_ROLE.match(folded)
    return bool(role) and _names(stripped[role.end() :]) is not None


def trailing_authors(last_paragraph: str) -> list[str]:
    """「…投入使用。（记者 某某 通讯员 某某）」: names in a byline closing the article."""
    match = _TRAILING_BYLINE.search(last_paragraph.strip())
    if not match or not _ROLE.search(fold(match.group(1))):
        return []
    return parse_byline(match.group(1)) or []


def split_credit(text: str) -> tuple[str, str]:
    """Split a trailing photo credit off a caption: (caption, credit). A credit inside the
    caption's sentence (「…正在吊装钢梁（某某 摄）」, no stop before it) stays with it."""
    match = CREDIT.search(fold(text))
    if not match or match.start() == 0:
        return text, ""
    before = text[: match.start()].rstrip()
    if not before or before[-1] not in "。！？!?…”’」』":
        return text, ""
    return text[: match.start()], text[match.start() :]


_CREDIT_VERB = re.compile(r"\s*(?:摄影|摄|供图|提供)$")
_BARE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def credit_names(text: str) -> list[str]:
    """The photographers a credit names: 「（记者 某某 摄）」, 「（某某 摄）」, 「图/某某」."""
    folded = fold(text)
    match = CREDIT.search(folded) or re.match(r"^图\s*[/／]", folded)
    if not match:
        return []
    inner = _CREDIT_VERB.sub("", text[match.start() : match.end()].strip("（）() "))
    if re.match(r"^图\s*[/／]", fold(inner)):
        inner = text[match.end() :]
    named = parse_byline(inner)
    if named is not None:
        return named
    return [piece for piece in inner.split() if _BARE_NAME.match(fold(piece))]
