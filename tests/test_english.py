"""English questions: names in pinyin found among the store's names."""

from knowledge.english import NameReader, to_chinese


def test_a_name_is_found_under_any_reading_of_its_characters() -> None:
    """长 reads chang or zhang, 曾 zeng or ceng: the name's own reading is not in any
    dictionary, so every reading counts."""
    names = NameReader(["长沙", "曾国藩"])
    assert to_chinese("Chang Sha", names) == "长沙"
    assert to_chinese("Zhang Sha", names) == "长沙"
    assert to_chinese("Zeng Guo Fan", names) == "曾国藩"
    assert to_chinese("Ceng Guo Fan", names) == "曾国藩"
