"""Undo what PDF extraction does to Chinese text, without changing a single character.

Extraction spreads justified lines with spaces (「发 布《 中 国」) and breaks lines in
mid-sentence. Whitespace is only kept where it separates two Latin words or numbers;
every other character stays exactly as it was.
"""

from __future__ import annotations

import re

SENTENCE_END = "。！？!?；;"
CLOSERS = "”’」』）)》〉】"
OPENERS = "“‘「『（(《〈【"
PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "《": "》", "【": "】"}

_WHITESPACE = re.compile(r"\s+")
_LATIN = re.compile(r"[A-Za-z0-9.%+\-]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPREAD_GAP = re.compile(r"(?<=[^\sA-Za-z0-9]) (?=[^\sA-Za-z0-9])")
_SENTENCE = re.compile(rf"[^{SENTENCE_END}]*[{SENTENCE_END}]+[{CLOSERS}]*|[^{SENTENCE_END}]+$")


def is_cjk(char: str) -> bool:
    return bool(_CJK.match(char))


def _keeps_space(before: str, after: str) -> bool:
    """A space survives only between two Latin/number words (「Lei Feng」, 「2 3」)."""
    return bool(_LATIN.match(before)) and bool(_LATIN.match(after))


def squeeze(text: str) -> str:
    """Remove extraction whitespace (spaces and line breaks) from a run of text."""

    def replace(match: re.Match[str]) -> str:
        start, end = match.span()
        if start > 0 and end < len(text) and _keeps_space(text[start - 1], text[end]):
            return " "
        return ""

    return _WHITESPACE.sub(replace, text)


def visible_width(line: str) -> float:
    """Approximate printed width in em: CJK characters are one, Latin and digits half."""
    return sum(1.0 if ord(char) > 0x2E7F else 0.5 for char in line if not char.isspace())


def is_spread(line: str) -> bool:
    """A justified line that was stretched: it never ends a paragraph."""
    gaps = len(_SPREAD_GAP.findall(line.strip()))
    return gaps >= 4 and gaps * 3 >= len(line.strip().replace(" ", ""))


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and (stripped[-1] in SENTENCE_END or stripped.endswith("……"))


def is_balanced(text: str) -> bool:
    """Quotes and brackets all closed: a heading never leaves one open."""
    stack: list[str] = []
    for char in text:
        if char in PAIRS:
            stack.append(PAIRS[char])
        elif char in PAIRS.values() and (not stack or stack.pop() != char):
            return False
    return not stack


def split_sentences(text: str) -> list[str]:
    """Sentences end at 。！？； (closing quotes stay with their sentence)."""
    return [piece for piece in (m.group(0) for m in _SENTENCE.finditer(text)) if piece.strip()]
