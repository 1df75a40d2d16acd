"""How a candidate's unit relates to the unit a question asks for.

The relation is a category (the same unit, a related one, an unrelated one, none); how
much each category is worth is learned with the reader's other weights.
"""

from __future__ import annotations

import json
import re
from enum import IntEnum
from functools import cache
from pathlib import Path

from knowledge.question import Question

MEASURES = Path(__file__).parents[1] / "data" / "measures.json"
MAGNITUDES = "万亿千百"
HOW_MUCH = re.compile(r"多少|几|多大|多高|多长|多重|多远|多深")
ASKED_UNIT = re.compile(
    r"(?:多少|几)([回趟场起处条项件次家个名位人块台座所根组轮期种类栋套辆本张篇批届倍户])"
)
MEASURE_WINDOW = 6  # characters either side of 多少 where the measured thing is named


class UnitMatch(IntEnum):
    NOTHING_ASKED = 0
    SAME = 1
    RELATED = 2
    UNRELATED = 3
    NO_UNIT = 4


@cache
def _measures() -> tuple[list[frozenset[str]], dict[str, list[str]]]:
    data = json.loads(MEASURES.read_text(encoding="utf-8"))
    return [frozenset(group) for group in data["unit_groups"]], data["measures"]


def asked_units(question: Question) -> tuple[str, ...]:
    """The unit after 多少/几 (「多少回」), else the units of the measure asked about
    (「投了多少钱」 → 元)."""
    if question.unit:
        return (question.unit,)
    match = ASKED_UNIT.search(question.text)
    if match:
        return (match.group(1),)
    return tuple(unit for word in _measure_words(question.text) for unit in _measures()[1][word])


def unit_match(asked: tuple[str, ...], unit: str | None) -> UnitMatch:
    if not asked:
        return UnitMatch.NOTHING_ASKED
    if not unit:
        return UnitMatch.NO_UNIT
    bare = _bare(unit)
    if any(_bare(a) == bare for a in asked):
        return UnitMatch.SAME
    groups, _ = _measures()
    if any(_bare(a) in group and bare in group for a in asked for group in groups):
        return UnitMatch.RELATED
    return UnitMatch.UNRELATED


def _bare(unit: str) -> str:
    return unit.lstrip(MAGNITUDES) or unit


def _measure_words(text: str) -> list[str]:
    """「交了多少水费」 names 水费, not 水: the longest measure words near the question word."""
    found = HOW_MUCH.search(text)
    if not found:
        return []
    window = text[max(0, found.start() - MEASURE_WINDOW) : found.end() + MEASURE_WINDOW]
    words = [word for word in _measures()[1] if word in window]
    return [word for word in words if not any(word in other and word != other for other in words)]
