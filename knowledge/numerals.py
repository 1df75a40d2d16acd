"""Chinese numerals as numbers (二十三 → 23), by cn2an, loaded when a numeral first needs it.

Importing cn2an costs about a quarter of a second, as much as the rest of a start:
its package builds its converters at import, compiling large patterns (and, through
`proces`, one of every Chinese place name). Most questions hold no Chinese numeral.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Literal

Mode = Literal["normal", "smart"]
"""cn2an's modes: "normal" reads numerals only, "smart" also mixed runs such as 3万."""


def to_number(numeral: str, mode: Mode = "normal") -> int | float:
    """Raises ValueError, KeyError or IndexError, cn2an's ways of saying "not a number"."""
    return _cn2an()(numeral, mode)


@cache
def _cn2an() -> Callable[[str, str], int | float]:
    import cn2an  # here, not at the top: see the module's docstring

    return cn2an.cn2an
