"""Words for matching: the one place text is segmented, and character bigrams, which
survive segmentation differences and one-character typos.

Segmentation is rjieba, jieba's dictionary and algorithm in Rust: its dictionary loads in
about 0.12 s and 33 MB where jieba's pure Python takes about 1.2 s and 81 MB, it cuts 30
times faster, and it cuts Chinese the same way (benchmarks/segmenter.py measures both).
With the HMM on it keeps runs such as 「1-2」 or 「CD-ROM」 as one token where jieba splits
them at the hyphen.
The store's own names are added to its dictionary so that they stay whole.
Other modules call these functions and never the segmenter itself. What a build
extracts is cut by a second rjieba that holds the dictionary alone (`cut_plain`), so that
the names added here never change it; its part-of-speech tags are jieba's dictionary's,
as rjieba holds them (`dictionary_tag`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from operator import add
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rjieba

_CONTENT = re.compile(r"[\w\u3400-\u9fff]")
_BIGRAM_CHARS = re.compile(r"[^\w\u3400-\u9fff]+")
_INDEX_TERM = re.compile(r"[\w+#&.%\-]+")
# A name's frequency in the dictionary: above any word of two characters or more there
# (the highest, 一个, has 142,747 in a total of 60 million), so that a name wins over the
# dictionary's own splits of it.
NAME_FREQUENCY = 200_000
NAME_CHARS = range(2, 21)  # a shorter name is a character; a longer one is a phrase
SPLIT_WORD_TAGS = Path(__file__).parent / "data" / "split_word_tags.json"
TAGS_CACHED = 200_000  # words a build has looked up, a few MB

FUNCTION_WORDS = frozenset(
    [
        "的",
        "了",
        "在",
        "是",
        "和",
        "与",
        "及",
        "或",
        "等",
        "也",
        "都",
        "就",
        "还",
        "又",
        "而",
        "并",
        "被",
        "把",
        "将",
        "对",
        "从",
        "向",
        "为",
        "以",
        "于",
        "由",
        "其",
        "之",
        "这",
        "那",
        "该",
        "此",
        "个",
        "一",
        "有",
        "我",
        "你",
        "他",
        "她",
        "它",
        "我们",
        "你们",
        "他们",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "嘛",
        "么",
        "着",
        "过",
        "到",
        "给",
        "让",
        "使",
        "说",
        "要",
        "能",
        "会",
        "可",
        "可以",
        "已",
        "已经",
        "这个",
        "那个",
        "这些",
        "那些",
        "什么",
        "怎么",
        "怎样",
        "如何",
        "哪",
        "哪个",
        "哪些",
        "哪里",
        "多少",
        "几",
        "谁",
        "为什么",
        "是否",
        "请问",
        "一下",
        "文中",
        "文章",
        "报道",
        "里",
        "中",
        "上",
        "下",
    ]
)


@cache
def _segmenter() -> ModuleType:
    """rjieba, imported on first need: importing it loads its dictionary (about 0.1 s),
    which a command that never cuts text should not pay."""
    import rjieba

    return rjieba


@cache
def _plain_segmenter() -> rjieba.Jieba:
    """A segmenter of its own, with the dictionary and none of the names added."""
    import rjieba

    return rjieba.Jieba()


@cache
def _split_word_tags() -> dict[str, str]:
    """The tags of the dictionary words rjieba does not keep whole when tagging them alone
    (「处理完」 comes out as 处理/完): 2% of them, kept in a file `python -m
    knowledge.words` writes from jieba's own table."""
    return json.loads(SPLIT_WORD_TAGS.read_text(encoding="utf-8"))


def ready() -> None:
    """Load the dictionary now rather than at the first cut (benchmarks time it apart)."""
    _segmenter()


def add_names(names: Iterable[str]) -> None:
    """The store's own names stay one token (and win over the dictionary's own splits).

    Adding a name again changes nothing: rjieba replaces a word's frequency and corrects
    its total, so builds and restarts cut the same way however often a name comes back."""
    segmenter = _segmenter()
    for name in names:
        if len(name) in NAME_CHARS:
            segmenter.add_word(name, NAME_FREQUENCY, None)


def is_dictionary_word(word: str) -> bool:
    """Whether the dictionary (with the names added to it) holds the word itself; a mere
    prefix of a dictionary word (「一丝不」 of 「一丝不苟」) is not one."""
    return _segmenter().has_word(word)


def tokens(text: str) -> list[str]:
    """Content words of a text, fine-grained so that 「海棠花园小区」 also gives 「花园」."""
    return [
        token
        for token in _segmenter().cut_for_search(text, True)
        if _CONTENT.search(token) and token not in FUNCTION_WORDS
    ]


def index_terms(text: str) -> list[str]:
    """The terms the full-text index makes of a text: its tokenizer lower-cases and splits
    at every character that is not a letter, a digit or one jieba keeps inside words."""
    return _INDEX_TERM.findall(text.lower())


def cut(text: str) -> list[str]:
    """Plain segmentation, for reading words in order; unknown words are guessed (HMM)."""
    return _segmenter().cut(text, True)


def cut_plain(text: str) -> list[str]:
    """`cut` by the dictionary alone, whatever names were added: what a build extracts."""
    return _plain_segmenter().cut(text, True)


@lru_cache(maxsize=TAGS_CACHED)
def dictionary_tag(word: str) -> str | None:
    """The word's part of speech in jieba's dictionary, or None if it has none. rjieba
    holds the same table; loading jieba's in Python would take 1.3 s and 50 MB."""
    plain = _plain_segmenter()
    if not plain.has_word(word):
        return None
    tagged = plain.tag(word, False)
    return tagged[0][1] if len(tagged) == 1 else _split_word_tags()[word]


WORD_CLASSES = (
    "noun",
    "person",
    "place",
    "organization",
    "verb",
    "adjective",
    "numeral",
    "measure",
    "time",
    "adverb",
    "preposition",
    "conjunction",
    "particle",
    "pronoun",
    "locality",
    "latin",
    "punctuation",
    "unknown",
)
"""Coarse parts of speech: jieba's forty-odd tags folded to what tells an answer's edge
(a measure word ends a quantity, a particle seldom ends anything)."""
_CLASS_OF_TAG = {
    "nr": "person",
    "ns": "place",
    "nt": "organization",
    "n": "noun",
    "v": "verb",
    "a": "adjective",
    "b": "adjective",
    "z": "adjective",
    "m": "numeral",
    "q": "measure",
    "t": "time",
    "d": "adverb",
    "p": "preposition",
    "c": "conjunction",
    "u": "particle",
    "y": "particle",
    "e": "particle",
    "o": "particle",
    "r": "pronoun",
    "f": "locality",
    "s": "locality",
    "eng": "latin",
}


@lru_cache(maxsize=TAGS_CACHED)
def word_class(word: str) -> str:
    """The word's coarse part of speech (one of `WORD_CLASSES`); a word the dictionary
    lacks (a new name, a guessed word) is `unknown`, unless it is a number or Latin."""
    if not _CONTENT.search(word):
        return "punctuation"
    if any(c.isdigit() for c in word):
        return "numeral"
    if word.isascii():
        return "latin"
    tag = dictionary_tag(word)
    if tag is None:
        return "unknown"
    return _CLASS_OF_TAG.get(tag[:2]) or _CLASS_OF_TAG.get(tag[:1], "unknown")


def in_dictionary(word: str) -> bool:
    """Whether jieba's own dictionary (no names added) holds the word."""
    return _plain_segmenter().has_word(word)


def write_split_word_tags() -> int:
    """Write the tags rjieba cannot give for a word alone, from jieba's table."""
    import jieba.posseg

    plain = _plain_segmenter()
    split = {
        word: tag
        for word, tag in sorted(jieba.posseg.dt.word_tag_tab.items())
        if len(plain.tag(word, False)) != 1
    }
    SPLIT_WORD_TAGS.write_text(
        json.dumps(split, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    return len(split)


def cut_known(text: str) -> list[str]:
    """Dictionary words only, no guessed words: Chinese characters of no dictionary word
    stay single, so that the pieces follow the dictionary's own word boundaries."""
    return _segmenter().cut(text, False)


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs within runs of letters, digits and Chinese."""
    pairs: list[str] = []
    for run in _BIGRAM_CHARS.split(text.lower()):
        pairs.extend(map(add, run, run[1:]))  # each character with the next, at C speed
    return pairs


if __name__ == "__main__":
    print(f"{write_split_word_tags()} tags -> {SPLIT_WORD_TAGS}")
