"""Words for matching: jieba tokens (with the store's own names kept whole) and
character bigrams, which survive segmentation differences and one-character typos."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import cache

import jieba

_CONTENT = re.compile(r"[\w\u3400-\u9fff]")
_BIGRAM_CHARS = re.compile(r"[^\w\u3400-\u9fff]+")
_INDEX_TERM = re.compile(r"[\w+#&.%\-]+")
NAME_FREQUENCY = 200_000
jieba.setLogLevel(logging.WARNING)

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
def ready() -> None:
    """Load jieba's dictionary once."""
    jieba.initialize()


def add_names(names: Iterable[str]) -> None:
    """The store's own names stay one token (and win over jieba's own splits).

    A word already added is skipped: jieba adds every call's frequency to its total,
    which would shift how everything else is cut and make builds drift."""
    ready()
    for name in names:
        if 2 <= len(name) <= 20 and jieba.dt.FREQ.get(name, 0) < NAME_FREQUENCY:
            jieba.add_word(name, freq=NAME_FREQUENCY)


def tokens(text: str) -> list[str]:
    """Content words of a text, fine-grained so that 「海棠花园小区」 also gives 「花园」."""
    ready()
    return [
        token
        for token in jieba.cut_for_search(text)
        if _CONTENT.search(token) and token not in FUNCTION_WORDS
    ]


def is_dictionary_word(word: str) -> bool:
    """Whether jieba's dictionary knows the word (its prefixes are listed with frequency 0)."""
    ready()
    return jieba.dt.FREQ.get(word, 0) > 0


def index_terms(text: str) -> list[str]:
    """The terms the full-text index makes of a text: its tokenizer lower-cases and splits
    at every character that is not a letter, a digit or one jieba keeps inside words."""
    return _INDEX_TERM.findall(text.lower())


def cut(text: str) -> list[str]:
    """Plain segmentation, for reading words in order."""
    ready()
    return jieba.lcut(text)


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs within runs of letters, digits and Chinese."""
    pairs: list[str] = []
    for run in _BIGRAM_CHARS.split(text.lower()):
        pairs.extend(run[i : i + 2] for i in range(len(run) - 1))
    return pairs
