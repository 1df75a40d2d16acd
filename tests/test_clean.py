import pytest

from knowledge.clean import ends_sentence, is_balanced, is_spread, split_sentences, squeeze


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("发 布《 中 国 市 辖 区", "发布《中国市辖区"),
        ("5 月 13 日，壹城", "5月13日，壹城"),
        (
            "两根\nDN2000 管道上增设两台装机量 1MW\n的机组",
            "两根DN2000管道上增设两台装机量1MW的机组",
        ),
        ("容量 2.86 兆瓦, 安装", "容量2.86兆瓦,安装"),
        ("Lei  Feng\nvolunteers", "Lei Feng volunteers"),
        ("增长 1.1 倍", "增长1.1倍"),
    ],
)
def test_squeeze_removes_extraction_spaces_only(raw: str, clean: str) -> None:
    assert squeeze(raw) == clean


def test_spread_lines_are_told_from_ordinary_ones() -> None:
    assert is_spread("造 成 水 资 源 浪 费 的 一 个 重 要 原 因 。")
    assert not is_spread("5 月 13 日，壹城智库在新华社客户端")
    assert not is_spread("普通的一行文字没有空格。")


def test_sentence_ends_and_balance() -> None:
    assert ends_sentence("他说：“好。”")
    assert ends_sentence("改革揭榜竞优重点推介……")
    assert not ends_sentence("从拿地到办证只用了")
    assert is_balanced("“水务+光伏”")
    assert not is_balanced("第三十二届“全国城市节约用水")


def test_sentences_keep_closing_quotes() -> None:
    assert split_sentences("“我们支部平时还会学习。”书记说。然后；结束") == [
        "“我们支部平时还会学习。”",
        "书记说。",
        "然后；",
        "结束",
    ]
