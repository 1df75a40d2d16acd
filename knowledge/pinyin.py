"""Toneless pinyin readings, for homophone typos and for names asked in English.

pypinyin is loaded when a reading is first needed, and without its phrase dictionary,
which reads a character by the word it stands in: that dictionary costs 0.27 s and 44 MB
at import. Both callers look the store's words up under every reading of their
characters (长沙 as chang sha and zhang sha), so one reading per character of the
question, its most common one, is enough. Measured on all 8,061 labelled questions
(seed, dev pages, CMRC 2018 trial and dev, DRCD dev) under one hash seed: the seed's and
the dev pages' are read exactly as with the phrases, 5 to 29 others differently (a change
of hash seed alone moves 67 to 92), with the same CMRC answers and one DRCD exact match
fewer in 3,524.
"""

from __future__ import annotations

import os
from functools import cache
from itertools import islice, product
from types import ModuleType

MAX_READINGS = 16
"""Readings kept per word: four characters of two readings each; a word of rarer
characters would otherwise fill the tables with readings nobody types."""

Reading = tuple[str, ...]


def common_reading(text: str) -> list[str]:
    """Each character's most common reading; a run of other characters stays one item."""
    return _pypinyin().lazy_pinyin(text)


def word_readings(word: str) -> list[Reading]:
    """Every reading of a word (长江 as zhang jiang and chang jiang), at most `MAX_READINGS`.

    Per-character readings are cached, which keeps a 60,000-word vocabulary well under a
    second; reading whole words would take about as long as the whole start-up budget.
    """
    choices = [_char_readings(char) for char in word]
    return list(islice(product(*choices), MAX_READINGS))


@cache
def _char_readings(char: str) -> Reading:
    pypinyin = _pypinyin()
    readings = pypinyin.pinyin(char, style=pypinyin.Style.NORMAL, heteronym=True)[0]
    return tuple(dict.fromkeys(readings))


@cache
def _pypinyin() -> ModuleType:
    # pypinyin reads these when imported: no phrase dictionary (see above), and no copy of
    # its character dictionary, which only custom dictionaries (never loaded here) need.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    import pypinyin  # here, not at the top: the variables must be set first

    return pypinyin
