"""Segmenters side by side: jieba (pure Python, which the engine cut with before) and
rjieba (jieba's dictionary and algorithm in Rust, which knowledge/words.py cuts with now).

`python -m benchmarks.segmenter [--limit N]` measures, in one run:
- start: importing the segmenter and cutting one question, in a fresh interpreter each
  time (the median of STARTS runs), and that process's peak resident memory;
- speed: cutting the first PASSAGES passages of CMRC 2018 dev, dictionaries loaded;
- names: adding the names of the largest store below to a fresh dictionary;
- agreement: the share of sentences both cut into the same words, with `cut` and with
  `cut_for_search`, with and without the HMM (which guesses words the dictionary lacks),
  on the plain dictionary and with each store's names added to both the way
  `knowledge.words.add_names` adds them. The sentences are those of the stores of CMRC 2018
  trial, DRCD dev, the seed page and the four dev pages, in the folded form the build cuts
  (`--limit` keeps the first N of each); the first run builds the stores (minutes).
Data: CMRC 2018 (CC BY-SA 4.0) and DRCD (CC BY-SA 3.0), read from ../shared/.
"""

from __future__ import annotations

import logging
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Literal

import jieba
import rjieba
from pydantic import BaseModel

from benchmarks.cmrc_articles import read_articles
from benchmarks.datasets import PAGES, load_corpus
from benchmarks.report import arguments, number, table
from knowledge.models import Store
from knowledge.question import load_paraphrases
from knowledge.words import NAME_CHARS, NAME_FREQUENCY

Segmenter = Literal["jieba", "rjieba"]
SEGMENTERS: tuple[Segmenter, ...] = ("jieba", "rjieba")
STARTS = 3  # fresh interpreters per segmenter; the median is reported
PASSAGES = 300
QUESTION = "从拿地到拿证用了几天？"
GROUPS = {"cmrc_trial": ("cmrc_trial",), "drcd": ("drcd",), "seed": ("seed",), "pages": PAGES}
SHOWN_DIFFERENCES = 8
BYTES_PER_MB = 1024 * 1024
KB_PER_MB = 1024

# Run by a fresh interpreter: seconds from before the import to after the first cut, and
# the peak resident memory in kB. VmHWM, not getrusage: Linux keeps ru_maxrss across exec,
# so a child of a large parent would report the parent's peak.
_START = {
    "jieba": "import logging, jieba; jieba.setLogLevel(logging.WARNING); jieba.lcut(Q)",
    "rjieba": "import rjieba; rjieba.cut(Q)",
    "python": "pass",
}
_TIMED = (
    "import re, time; Q = {question!r}; started = time.perf_counter(); {code}; "
    "seconds = time.perf_counter() - started; "
    "status = open('/proc/self/status').read(); "
    "print(seconds, re.search(r'VmHWM:\\s+(\\d+)', status).group(1))"
)

Cut = Callable[[str], list[str]]


class Start(BaseModel):
    seconds: float
    peak_rss_mb: float


class Speed(BaseModel):
    cut_s: float
    cut_for_search_s: float
    add_names_s: float
    names: int


class Agreement(BaseModel):
    mode: str
    names: bool
    shares: dict[str, float]
    """Group name (and "all") -> share of its sentences cut identically."""


class SegmenterResult(BaseModel):
    start: dict[str, Start]
    speed: dict[str, Speed]
    passages: int
    characters: int
    sentences: dict[str, int]
    agreement: list[Agreement]
    differences: list[tuple[str, str, int]]
    """The most frequent (jieba's pieces, rjieba's pieces) where `cut` differs, with names."""


def start(code: str) -> Start:
    """The median of STARTS fresh interpreters running `code`."""
    runs = []
    for _ in range(STARTS):
        script = _TIMED.format(question=QUESTION, code=code)
        output = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout.split()
        runs.append((float(output[0]), int(output[1]) / KB_PER_MB))
    return Start(
        seconds=statistics.median(s for s, _ in runs),
        peak_rss_mb=statistics.median(m for _, m in runs),
    )


MODES = {
    "cut": ("cut", True),
    "cut, no HMM": ("cut", False),
    "cut_for_search": ("search", True),
    "cut_for_search, no HMM": ("search", False),
}


class Pair:
    """One jieba and one rjieba dictionary, both fresh, the same names added to both."""

    def __init__(self, names: list[str]) -> None:
        self.jieba = jieba.Tokenizer()
        self.jieba.initialize()
        self.rjieba = rjieba.Jieba()
        add_jieba_names(self.jieba, names)
        add_rjieba_names(self.rjieba, names)

    def cuts(self, mode: str) -> dict[Segmenter, Cut]:
        """Each segmenter's cut for one of MODES."""
        kind, hmm = MODES[mode]
        if kind == "cut":
            return {
                "jieba": lambda text: self.jieba.lcut(text, HMM=hmm),
                "rjieba": lambda text: self.rjieba.cut(text, hmm),
            }
        return {
            "jieba": lambda text: self.jieba.lcut_for_search(text, HMM=hmm),
            "rjieba": lambda text: self.rjieba.cut_for_search(text, hmm),
        }


def add_jieba_names(tokenizer: jieba.Tokenizer, names: list[str]) -> None:
    """As knowledge/words.py added names to jieba: a name already there is skipped, since
    jieba adds every call's frequency to its total."""
    for name in names:
        if len(name) in NAME_CHARS and tokenizer.FREQ.get(name, 0) < NAME_FREQUENCY:
            tokenizer.add_word(name, freq=NAME_FREQUENCY)


def add_rjieba_names(segmenter: rjieba.Jieba, names: list[str]) -> None:
    """As knowledge.words.add_names adds them, into this dictionary instead of the global one."""
    for name in names:
        if len(name) in NAME_CHARS:
            segmenter.add_word(name, NAME_FREQUENCY, None)


def speeds(passages: list[str], names: list[str]) -> dict[Segmenter, Speed]:
    pair = Pair([])
    cuts, searches = pair.cuts("cut"), pair.cuts("cut_for_search")
    return {
        segmenter: Speed(
            cut_s=_cutting_time(cuts[segmenter], passages),
            cut_for_search_s=_cutting_time(searches[segmenter], passages),
            add_names_s=_names_time(segmenter, names),
            names=len(names),
        )
        for segmenter in SEGMENTERS
    }


def _names_time(segmenter: Segmenter, names: list[str]) -> float:
    if segmenter == "jieba":
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        return _timed(lambda: add_jieba_names(tokenizer, names))
    fresh = rjieba.Jieba()
    return _timed(lambda: add_rjieba_names(fresh, names))


def _cutting_time(cut: Cut, texts: list[str]) -> float:
    return _timed(lambda: [cut(text) for text in texts])


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def store_sentences(store: Store) -> list[str]:
    return [
        sentence.matched
        for article in store.articles
        for paragraph in article.paragraphs
        for sentence in paragraph.sentences
        if sentence.matched.strip()
    ]


def agreement(
    sentences: dict[str, list[str]], names: dict[str, list[str]]
) -> tuple[list[Agreement], list[tuple[str, str, int]]]:
    """Per mode and group, the share of sentences cut the same; and what differs most
    often under `cut` with names (jieba's pieces against rjieba's). One group's named
    dictionaries at a time: each jieba dictionary holds about 100 MB."""
    plain = Pair([])
    same: dict[tuple[str, bool], dict[str, int]] = {
        (mode, named): {} for named in (False, True) for mode in MODES
    }
    differences: Counter[tuple[str, str]] = Counter()
    for group, texts in sentences.items():
        named_pair = Pair(names[group])
        for named, pair in ((False, plain), (True, named_pair)):
            for mode in MODES:
                cuts = pair.cuts(mode)
                agreed = 0
                for text in texts:
                    old, new = cuts["jieba"](text), cuts["rjieba"](text)
                    agreed += old == new
                    if old != new and named and mode == "cut":
                        differences[_difference(old, new)] += 1
                same[mode, named][group] = agreed
        del named_pair
    total = sum(map(len, sentences.values()))
    rows = [
        Agreement(
            mode=mode,
            names=named,
            shares={
                **{group: agreed[group] / len(sentences[group]) for group in sentences},
                "all": sum(agreed.values()) / total,
            },
        )
        for (mode, named), agreed in same.items()
    ]
    shown = [(old, new, count) for (old, new), count in differences.most_common(SHOWN_DIFFERENCES)]
    return rows, shown


def _difference(before: list[str], after: list[str]) -> tuple[str, str]:
    """The words each cut has that the other lacks, joined with /."""
    only_before = [w for w in before if w not in set(after)]
    only_after = [w for w in after if w not in set(before)]
    return "/".join(only_before), "/".join(only_after)


def evaluate(limit: int | None) -> SegmenterResult:
    starts = {name: start(code) for name, code in _START.items()}  # before this process grows
    sentences: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}
    lexicon = list(load_paraphrases())
    for group, corpora in GROUPS.items():
        stores = [load_corpus(name).store for name in corpora]
        sentences[group] = [s for store in stores for s in store_sentences(store)][:limit]
        names[group] = [*(n for store in stores for n in store.names), *lexicon]
    passages = [article.text for article in read_articles("dev")[:PASSAGES]]
    largest = max(names.values(), key=len)
    rows, differences = agreement(sentences, names)
    return SegmenterResult(
        start=starts,
        speed=speeds(passages, largest),
        passages=len(passages),
        characters=sum(map(len, passages)),
        sentences={group: len(texts) for group, texts in sentences.items()},
        agreement=rows,
        differences=differences,
    )


def render(result: SegmenterResult) -> str:
    bare = result.start["python"].peak_rss_mb
    start_rows = [
        [
            name,
            number(s.seconds),
            number(s.peak_rss_mb, 1),
            number(s.peak_rss_mb - bare, 1),
        ]
        for name, s in result.start.items()
    ]
    speed_rows = [
        [
            name,
            number(s.cut_s),
            number(s.cut_for_search_s),
            f"{s.names:,}",
            number(s.add_names_s),
        ]
        for name, s in result.speed.items()
    ]
    groups = [*result.sentences, "all"]
    agreement_rows = [
        [
            f"{row.mode}{', names' if row.names else ''}",
            *(number(row.shares[g]) for g in groups),
        ]
        for row in result.agreement
    ]
    counts = [*result.sentences.values(), sum(result.sentences.values())]
    agreement_rows.append(["sentences", *(f"{c:,}" for c in counts)])
    difference_rows = [
        [old or "-", new or "-", str(count)] for old, new, count in result.differences
    ]
    return "\n".join(
        [
            f"start: import and first cut of {QUESTION}, fresh interpreter, median of {STARTS}",
            table(["", "seconds", "peak_rss_mb", "above python"], start_rows),
            "",
            f"speed: {result.passages} CMRC 2018 dev passages ({result.characters:,} characters),"
            " dictionary loaded; adding the largest store's names to a fresh dictionary",
            table(["", "cut_s", "cut_for_search_s", "names", "add_names_s"], speed_rows),
            "",
            "agreement: share of sentences jieba and rjieba cut into the same words",
            table(["mode", *groups], agreement_rows),
            "",
            "most frequent differences of `cut` with names (jieba | rjieba)",
            table(["jieba", "rjieba", "sentences"], difference_rows),
        ]
    )


def main() -> None:
    parser = arguments(__doc__.splitlines()[0], "only the first N sentences of each group")
    options = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    result = evaluate(options.limit)
    print(result.model_dump_json() if options.json else render(result))


if __name__ == "__main__":
    main()
