"""The page reader on the seed dump and on a page laid out differently."""

import re
from collections import Counter
from pathlib import Path

import pytest

from knowledge.clean import ends_sentence
from knowledge.layout import ArticleLayout, parse_byline, read_page
from knowledge.models import ParagraphKind

SEED = Path(__file__).parents[1] / "seeds" / "000_7a1c36fb247cef92.txt"
SECOND = Path(__file__).parent / "data" / "second_page.txt"
CJK_SPACE_CJK = re.compile(r"[\u3400-\u9fff]\s+[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def seed() -> list[ArticleLayout]:
    return read_page(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def second() -> list[ArticleLayout]:
    return read_page(SECOND.read_text(encoding="utf-8"))


def _texts(articles: list[ArticleLayout]) -> list[str]:
    """Every printed part of the articles (authors are read from the byline, not printed
    apart from it)."""
    texts: list[str] = []
    for article in articles:
        texts += [article.kicker, article.title, article.subtitle, article.byline]
        texts += [block.text for block in article.blocks]
    return texts


def _visible(text: str) -> str:
    return "".join(text.split())


def test_seed_page_holds_two_articles_with_titles_and_authors(seed: list[ArticleLayout]) -> None:
    assert [a.title for a in seed] == [
        "望城区：党建+政务服务，点燃高质量发展“红色引擎”",
        "长沙水业集团打出“节约增效”组合拳",
    ]
    # The line printed above a main title is its kicker (引题), not a subtitle.
    assert seed[1].kicker == "水务光伏、余压发电、控漏减损"
    assert seed[1].subtitle == ""
    assert seed[0].authors == ["谢璐", "刘胤琳", "杨硕", "周小利"]
    assert seed[1].authors == ["王文", "翟黎", "刘奥熙"]


def test_no_character_of_the_dump_is_lost_or_duplicated(seed: list[ArticleLayout]) -> None:
    dump = _visible(SEED.read_text(encoding="utf-8"))
    stored = [_visible(text) for text in _texts(seed) if text]
    assert Counter("".join(stored)) == Counter(dump)
    for text in stored:
        assert text in dump, f"not a contiguous run of the dump: {text[:30]}"


def test_paragraphs_have_no_space_inside_chinese(seed: list[ArticleLayout]) -> None:
    for article in seed:
        for block in article.blocks:
            assert not CJK_SPACE_CJK.search(block.text), block.text[:40]


def test_body_paragraphs_end_where_sentences_end(seed: list[ArticleLayout]) -> None:
    bodies = [b for a in seed for b in a.blocks if b.kind == ParagraphKind.BODY]
    assert len(bodies) >= 45
    assert all(ends_sentence(block.text) for block in bodies)


def test_seed_headings_captions_and_credits(seed: list[ArticleLayout]) -> None:
    def of(kind: ParagraphKind, article: ArticleLayout) -> list[str]:
        return [b.text for b in article.blocks if b.kind == kind]

    assert of(ParagraphKind.HEADING, seed[0]) == [
        "以雷锋政务超市功能型党委为载体夯实组织堡垒，凝聚向心力",
        "以基层党建“书记工程”为抓手聚焦审批改革，提升服务力",
        "以打造“清廉大厅”为驱动加强队伍建设，保持战斗力",
    ]
    assert len(of(ParagraphKind.HEADING, seed[1])) == 3
    assert of(ParagraphKind.CREDIT, seed[0]) == ["(本文照片均由范远志摄)"]
    assert of(ParagraphKind.CREDIT, seed[1]) == ["本文图片均由田超摄"]
    assert len(of(ParagraphKind.CAPTION, seed[0])) == 2
    assert len(of(ParagraphKind.CAPTION, seed[1])) == 3


def test_a_page_laid_out_differently(second: list[ArticleLayout]) -> None:
    library, bridge = second
    assert library.title == "城东图书馆新馆开放 市民借阅量翻番"
    assert library.authors == ["欧阳明", "孔霞"]
    assert [b.text for b in library.blocks if b.kind == ParagraphKind.HEADING] == [
        "一、数字服务走进社区",
        "二、古籍修复有了新家",
    ]
    assert [b.kind for b in library.blocks[-2:]] == [ParagraphKind.CAPTION, ParagraphKind.CREDIT]
    assert bridge.title == "跨江大桥建设迎来新进展"
    assert bridge.subtitle == "主桥合龙 预计年底通车"
    assert bridge.authors == ["郑凯"]
    assert [b.kind for b in bridge.blocks] == [ParagraphKind.BODY, ParagraphKind.BODY]
    assert bridge.blocks[0].text.startswith("记者从市交通局获悉，跨江大桥主桥于5月20日顺利合龙。")


def test_paragraph_broken_across_blank_lines_is_rejoined(second: list[ArticleLayout]) -> None:
    quote = next(b.text for b in second[0].blocks if "修复师李慧说" in b.text)
    assert quote.endswith("“每一页都要慢慢来，急不得。”")


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("谢 璐 刘胤琳 杨 硕", ["谢璐", "刘胤琳", "杨硕"]),
        ("本报记者 张三 通讯员 李 四", ["张三", "李四"]),
        ("文/郑 凯", ["郑凯"]),
        ("记者 欧阳明", ["欧阳明"]),
    ],
)
def test_bylines_are_names(line: str, names: list[str]) -> None:
    assert parse_byline(line) == names


@pytest.mark.parametrize(
    "line",
    [
        "这 背 后 ，是 省 心",
        "水务光伏、余压发电、控漏减损",
        "降碳：布局",
        "周小利",
        "一 湾 湘 水 向 北 去 两 岸",
    ],
)
def test_text_lines_are_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


def test_an_unwrapped_page_with_the_byline_in_its_dateline() -> None:
    page = (
        "市图书馆推出夜间开放服务\n\n"
        "本报讯（记者 王小明）为方便上班族借阅，市图书馆从7月1日起推出夜间开放服务。\n\n"
        "开放首周，夜间到馆读者达2300人次。\n"
    )
    [article] = read_page(page)
    assert article.title == "市图书馆推出夜间开放服务"
    assert article.authors == ["王小明"]
    assert [b.kind for b in article.blocks] == [ParagraphKind.BODY, ParagraphKind.BODY]
    assert article.blocks[0].text.startswith("本报讯（记者王小明）")
