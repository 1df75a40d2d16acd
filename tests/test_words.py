"""Segmentation as the rest of the engine relies on it (knowledge/words.py).

Names added here are made up, so that no other test's text contains them: the dictionary
is one per process.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rjieba

from knowledge.words import (
    FUNCTION_WORDS,
    SPLIT_WORD_TAGS,
    add_names,
    cut,
    cut_known,
    dictionary_tag,
    in_dictionary,
    is_dictionary_word,
    tokens,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
NEW_NAME = "云栖湾智造园"  # a park's name no dictionary holds
SENTENCE_END = re.compile(r"(?<=[。！？])")


def seed_sentences() -> list[str]:
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def test_an_added_name_stays_one_word_in_every_cut() -> None:
    text = f"{NEW_NAME}今天开园"
    assert NEW_NAME not in cut(text), "the dictionary alone splits it"
    add_names([NEW_NAME])
    assert NEW_NAME in cut(text)
    assert NEW_NAME in cut_known(text)
    assert NEW_NAME in tokens(text)


def test_names_of_one_character_or_past_twenty_are_not_added() -> None:
    rare, long = "乼", "栖" * 21  # a character the dictionary lacks; a 21-character run
    assert not is_dictionary_word(rare)
    add_names([rare, long])
    assert not is_dictionary_word(rare)
    assert not is_dictionary_word(long)


def test_adding_names_again_changes_nothing() -> None:
    """A builder and a restart add the same names again; the dictionary's total must not
    grow with each call (as jieba's did), or every later cut would weigh words differently.
    rjieba's estimate for a phrase of two common words divides by that total."""
    phrase = "我们的"
    names = ["栖霞湾创新港", "栖云谷科技城"]
    add_names(names)
    weight = rjieba.suggest_freq(phrase)
    cuts = [cut(s) for s in seed_sentences()]
    for _ in range(100):
        add_names(names)
    assert rjieba.suggest_freq(phrase) == weight
    assert [cut(s) for s in seed_sentences()] == cuts


def test_tokens_drop_function_words_and_punctuation() -> None:
    words = tokens("我们的水厂在哪里？它已经建成了吗")
    assert "水厂" in words
    assert "建成" in words
    assert not FUNCTION_WORDS & set(words)
    assert "？" not in words


def test_tokens_give_the_words_inside_a_long_one() -> None:
    words = tokens("中华人民共和国")
    assert "中华人民共和国" in words
    assert {"中华", "人民", "共和国"} <= set(words)


@pytest.mark.parametrize("segment", [cut, cut_known])
def test_pieces_spell_the_text_exactly(segment) -> None:
    """Candidate answers and line breaks are found by adding up piece lengths."""
    for text in [*seed_sentences(), "Hello  world\t你好\n\n３４５ ！", "工期1-2个月"]:
        assert "".join(segment(text)) == text


def test_cut_guesses_unknown_words_and_cut_known_does_not() -> None:
    text = "他来到了网易杭研大厦"
    assert "杭研" in cut(text)
    assert "杭研" not in cut_known(text)
    assert {"杭", "研"} <= set(cut_known(text))


def test_a_number_range_stays_one_token() -> None:
    assert "1-2" in cut("工期1-2个月")


def test_dictionary_words_are_whole_words_only() -> None:
    assert is_dictionary_word("时间")
    assert is_dictionary_word("一丝不苟")
    assert not is_dictionary_word("一丝不"), "a prefix of a word is not a word"
    assert not is_dictionary_word("")


def test_an_added_name_counts_as_a_dictionary_word() -> None:
    name = "栖云湾数港"
    assert not is_dictionary_word(name)
    add_names([name])
    assert is_dictionary_word(name)
    assert not is_dictionary_word(name[:3])


def test_dictionary_tags_are_jiebas_own_for_whole_and_split_words() -> None:
    """rjieba's table and the file of words it splits give jieba's tag for every
    dictionary word (every 50th here, and every split one), and no tag for others."""
    import jieba.posseg

    table = jieba.posseg.dt.word_tag_tab
    split = json.loads(SPLIT_WORD_TAGS.read_text(encoding="utf-8"))
    sample = [*list(table)[::50], *split]
    assert [dictionary_tag(word) for word in sample] == [table[word] for word in sample]
    assert split and all(in_dictionary(word) for word in split)
    assert dictionary_tag("青石河大桥管委会") is None and not in_dictionary("青石河大桥管委会")
