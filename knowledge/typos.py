"""Undo pinyin-input typos: 「海堂花园」 → 「海棠花园」 when the articles say 「海棠花园」.

People type Chinese by pinyin, so a typo is usually a homophone: the characters differ but
the sound is the same. A span of the question that sounds like a word of the articles,
differs from it in at most half of its characters and is not itself a known word (of the
articles or of jieba's general dictionary: 时间 stays 时间 even if the articles say 事件)
is taken for that word. The question is read one reading a character, its most common; the
articles' words under each of their readings, since which one the asker meant is unknown. Near-homophones (z/zh, c/ch, s/sh, n/l, -n/-ng) count too, but only for
words of three characters or more, where a chance collision is unlikely.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple, Protocol

from knowledge.pinyin import common_reading, word_readings
from knowledge.words import is_dictionary_word

MAX_WORD = 8
NEAR_MIN_WORD = 3
READINGS_CACHED = 100_000  # words whose readings a build keeps made, some tens of MB at most

# Characters that carry the grammar of a question: changing them would change what is asked.
PROTECTED = frozenset("哪那几谁什么吗呢吧啊呀嘛怎咋啥为何多少的了是不没")

_HAN = re.compile(r"[\u3400-\u9fff]+")

Key = tuple[str, ...]


@cache
def _blur_syllable(syllable: str) -> str:
    syllable = re.sub(r"^([zcs])h", r"\1", syllable)
    syllable = re.sub(r"^l", "n", syllable)
    return re.sub(r"([aei])ng$", r"\1n", syllable)


def _blur(key: Key) -> Key:
    return tuple(_blur_syllable(syllable) for syllable in key)


class Reading(NamedTuple):
    """One way a vocabulary word may be typed: its toneless syllables, exact or blurred."""

    key: str
    near: bool


@lru_cache(maxsize=READINGS_CACHED)
def readings(word: str) -> tuple[Reading, ...]:
    """The readings under which a vocabulary word is kept (none for words too short, too
    long or not Chinese): every exact one, and blurred ones for longer words. Kept once
    made: a build meets the same words article after article."""
    if not (2 <= len(word) <= MAX_WORD and _is_han(word)):
        return ()
    exact = word_readings(word)
    found = [Reading(" ".join(key), near=False) for key in exact]
    if len(word) >= NEAR_MIN_WORD:
        found.extend(Reading(" ".join(key), near=True) for key in dict.fromkeys(map(_blur, exact)))
    return tuple(found)


class Vocabulary(Protocol):
    """The words a typo may stand for (the store keeps them with their readings)."""

    def known_words(self, candidates: Iterable[str]) -> set[str]: ...

    def words_read_as(self, keys: Iterable[str], *, near: bool) -> dict[str, list[str]]: ...


class WordList:
    """A vocabulary held in memory, for a handful of words; a store keeps its own in tables."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(w for w in words if readings(w))
        self._by_key: dict[tuple[str, bool], list[str]] = {}
        for word in sorted(self._words):
            for reading in readings(word):
                self._by_key.setdefault((reading.key, reading.near), []).append(word)

    def known_words(self, candidates: Iterable[str]) -> set[str]:
        return self._words.intersection(candidates)

    def words_read_as(self, keys: Iterable[str], *, near: bool) -> dict[str, list[str]]:
        return {key: self._by_key[(key, near)] for key in keys if (key, near) in self._by_key}


class TypoFixer:
    """Homophone correction against the vocabulary of the store's articles."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary

    def fix(self, text: str) -> str:
        """The text with its homophone typos replaced by the vocabulary's words."""
        return _HAN.sub(lambda match: self._fix_run(match.group()), text)

    def _fix_run(self, run: str) -> str:
        if len(run) < 2:
            return run
        readings = common_reading(run)
        if len(readings) != len(run):
            return run
        spans = _Spans(run, readings, self._vocabulary)
        pieces: list[str] = []
        start = 0
        while start < len(run):
            length, piece = spans.piece_at(start)
            pieces.append(piece)
            start += length
        return "".join(pieces)


class _Spans:
    """Every span of one run of Chinese, with what the vocabulary says of it, looked up in
    three queries rather than one a span."""

    def __init__(self, run: str, readings: list[str], vocabulary: Vocabulary) -> None:
        self.run = run
        self.keys = {
            (start, length): tuple(readings[start : start + length])
            for start in range(len(run))
            for length in range(2, min(MAX_WORD, len(run) - start) + 1)
        }
        spans = {run[start : start + length] for start, length in self.keys}
        self.known = vocabulary.known_words(spans) | {s for s in spans if is_dictionary_word(s)}
        self.exact = vocabulary.words_read_as({" ".join(k) for k in self.keys.values()}, near=False)
        near_keys = {" ".join(_blur(k)) for k in self.keys.values() if len(k) >= NEAR_MIN_WORD}
        self.near = vocabulary.words_read_as(near_keys, near=True)

    def piece_at(self, start: int) -> tuple[int, str]:
        """The longest known word or correctable span starting at `start`."""
        for length in range(min(MAX_WORD, len(self.run) - start), 1, -1):
            span = self.run[start : start + length]
            if span in self.known:
                return length, span
            word = self._correction(span, self.keys[(start, length)])
            if word:
                return length, word
        return 1, self.run[start]

    def _correction(self, span: str, key: Key) -> str | None:
        word = _closest(span, self.exact.get(" ".join(key), ()))
        if word or len(span) < NEAR_MIN_WORD:
            return word
        return _closest(span, self.near.get(" ".join(_blur(key)), ()))


def _closest(span: str, candidates: Iterable[str]) -> str | None:
    """The candidate sharing most characters with the span, if it is a plausible typo."""
    best: str | None = None
    best_shared = 0
    for word in candidates:
        if len(word) != len(span):
            continue
        changed = [typed for typed, meant in zip(span, word, strict=True) if typed != meant]
        if 2 * len(changed) > len(span) or PROTECTED.intersection(changed):
            continue
        shared = len(span) - len(changed)
        if shared > best_shared:
            best, best_shared = word, shared
    return best


def _is_han(word: str) -> bool:
    return _HAN.fullmatch(word) is not None
