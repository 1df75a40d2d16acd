"""Questions asked in English: read them as the Chinese words the articles use.

Question words and general news vocabulary come from a small glossary (data); names in
pinyin (「Lei Feng」) are found among the store's own names by their readings, every one of
them: which reading a name takes is rarely in a dictionary (长沙 is Changsha, not Zhangsha).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from knowledge.pinyin import word_readings

GLOSSARY = Path(__file__).parent / "data" / "english.tsv"
LATIN_WORD = re.compile(r"[A-Za-z]+")
MAX_PHRASE = 3
MAX_NAME = 4


@cache
def glossary() -> dict[tuple[str, ...], str]:
    entries: dict[tuple[str, ...], str] = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, chinese = line.split("\t")
        entries[tuple(english.lower().split())] = chinese
    return entries


def is_english(text: str) -> bool:
    letters = sum(len(word) for word in LATIN_WORD.findall(text))
    han = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
    return letters >= 8 and han == 0


class NameReader:
    """Finds the store's names (and their leading words) by their pinyin."""

    def __init__(self, names: Iterable[str]) -> None:
        self.by_reading: dict[tuple[str, ...], str] = {}
        for name in sorted(names, key=len):
            for reading in word_readings(name):
                for size in range(2, min(MAX_NAME, len(name)) + 1):
                    self.by_reading.setdefault(reading[:size], name[:size])

    def read(self, syllables: tuple[str, ...]) -> str | None:
        return self.by_reading.get(syllables)


def to_chinese(question: str, names: NameReader) -> str:
    """The Chinese words of an English question, the question word first (「多大高差…」)."""
    words = [word.lower() for word in LATIN_WORD.findall(question)]
    subject: list[str] = []
    asked: list[str] = []
    position = 0
    while position < len(words):
        size, chinese = _longest_entry(words, position, names)
        if chinese:
            (asked if chinese in QUESTION_WORDS else subject).append(chinese)
        position += size
    return "".join(asked + subject)


def _longest_entry(words: list[str], start: int, names: NameReader) -> tuple[int, str]:
    entries = glossary()
    for size in range(min(MAX_NAME, len(words) - start), 0, -1):
        phrase = tuple(words[start : start + size])
        if size <= MAX_PHRASE and phrase in entries:
            return size, entries[phrase]
        if size >= 2:
            name = names.read(phrase)
            if name:
                return size, name
    return 1, ""


QUESTION_WORDS = frozenset(
    [
        "多少",
        "多大",
        "多久",
        "多高",
        "多远",
        "哪一年",
        "什么时候",
        "谁",
        "哪里",
        "为什么",
        "哪个",
        "什么",
    ]
)
