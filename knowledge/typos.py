"""Undo pinyin-input typos: 「海堂花园」 → 「海棠花园」 when the articles say 「海棠花园」.

People type Chinese by pinyin, so a typo is usually a homophone: the characters differ but
the sound is the same. A span of the question that sounds like a word of the articles,
differs from it in at most half of its characters and is not itself a known word (of the
articles or of the segmenter's dictionary: 时间 stays 时间 even if the articles say 事件)
is taken for that word. The question is read with `lazy_pinyin`, in context; the articles'
words under each of their readings, since which one the asker meant is unknown. Near-homophones (z/zh, c/ch, s/sh, n/l, -n/-ng) count too, but only for
words of three characters or more, where a chance collision is unlikely.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from itertools import islice, product

from pypinyin import Style, lazy_pinyin, pinyin

from knowledge.words import is_dictionary_word

MAX_WORD = 8
NEAR_MIN_WORD = 3
READINGS_PER_WORD = 16

# Characters that carry the grammar of a question: changing them would change what is asked.
PROTECTED = frozenset("哪那几谁什么吗呢吧啊呀嘛怎咋啥为何多少的了是不没")

_HAN = re.compile(r"[\u3400-\u9fff]+")

Key = tuple[str, ...]


@cache
def _char_readings(char: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(pinyin(char, style=Style.NORMAL, heteronym=True)[0]))


def _word_readings(word: str) -> list[Key]:
    """Every toneless reading of a word (长江 as zhang jiang and chang jiang).

    Per-character readings are cached, which keeps a 60,000-word vocabulary well under a
    second; `lazy_pinyin` word by word would take about as long as the whole budget.
    """
    choices = [_char_readings(char) for char in word]
    return list(islice(product(*choices), READINGS_PER_WORD))


@cache
def _blur_syllable(syllable: str) -> str:
    syllable = re.sub(r"^([zcs])h", r"\1", syllable)
    syllable = re.sub(r"^l", "n", syllable)
    return re.sub(r"([aei])ng$", r"\1n", syllable)


def _blur(key: Key) -> Key:
    return tuple(_blur_syllable(syllable) for syllable in key)


class TypoFixer:
    """Homophone correction against the vocabulary of the store's articles."""

    def __init__(self, words: Iterable[str]) -> None:
        counts = Counter(word for word in words if 2 <= len(word) <= MAX_WORD and _is_han(word))
        self._vocabulary = frozenset(counts)
        self._exact: dict[Key, list[str]] = defaultdict(list)
        self._near: dict[Key, list[str]] = defaultdict(list)
        for word, _ in counts.most_common():
            readings = _word_readings(word)
            for key in readings:
                self._exact[key].append(word)
            if len(word) >= NEAR_MIN_WORD:
                for key in dict.fromkeys(map(_blur, readings)):
                    self._near[key].append(word)

    def fix(self, text: str) -> str:
        """The text with its homophone typos replaced by the vocabulary's words."""
        return _HAN.sub(lambda match: self._fix_run(match.group()), text)

    def _fix_run(self, run: str) -> str:
        if len(run) < 2:
            return run
        readings = lazy_pinyin(run)
        if len(readings) != len(run):
            return run
        pieces: list[str] = []
        start = 0
        while start < len(run):
            length, piece = self._piece_at(run, readings, start)
            pieces.append(piece)
            start += length
        return "".join(pieces)

    def _piece_at(self, run: str, readings: list[str], start: int) -> tuple[int, str]:
        """The longest known word or correctable span starting at `start`."""
        for length in range(min(MAX_WORD, len(run) - start), 1, -1):
            span = run[start : start + length]
            if span in self._vocabulary or is_dictionary_word(span):
                return length, span
            word = self._correction(span, tuple(readings[start : start + length]))
            if word:
                return length, word
        return 1, run[start]

    def _correction(self, span: str, key: Key) -> str | None:
        word = _closest(span, self._exact.get(key, ()))
        if word or len(span) < NEAR_MIN_WORD:
            return word
        return _closest(span, self._near.get(_blur(key), ()))


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
