"""Questions about the articles as a whole come from their metadata, cited."""

from pathlib import Path

import pytest

from knowledge.build import build_store
from knowledge.engine import Engine
from knowledge.store import Store

UNSEEN = Path(__file__).parent / "data" / "unseen_articles.jsonl"
THIRD_PAGE = Path(__file__).parent / "data" / "third_page.txt"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(Store.temporary(build_store([UNSEEN])))


def test_an_ordinal_names_the_article(engine: Engine) -> None:
    first = engine.answer("第一篇文章是谁写的？")
    assert first.answered and first.answer == "唐小禾"
    assert first.citations[0].article_id == "sponge-park"
    title = engine.answer("第二篇报道的标题是什么")
    assert title.answer == "城区三座水厂完成提标改造"
    assert not engine.answer("第二篇文章是谁写的").answered  # it has no byline


def test_how_many_articles_lists_every_title(engine: Engine) -> None:
    answer = engine.answer("一共有几篇文章？")
    assert answer.answer == "2篇"
    assert [c.article_id for c in answer.citations] == ["sponge-park", "water-plants"]
    assert "《城区三座水厂完成提标改造》" in answer.reply


def test_what_an_article_is_about_is_its_title_and_lead(engine: Engine) -> None:
    answer = engine.answer("海绵公园那篇报道讲了什么")
    assert answer.answer == "滨江新区建成首座海绵公园"
    assert answer.citations[0].quote.startswith("6月8日")
    assert answer.citations[0].paragraph == 1


def test_photographers_come_from_the_credits() -> None:
    engine = Engine(Store.temporary(build_store([THIRD_PAGE])))
    credited = [
        (article, paragraph)
        for article in engine.store.articles
        for paragraph in article.paragraphs
        if "摄" in paragraph.text and paragraph.kind in ("credit", "caption")
    ]
    if not credited:
        pytest.skip("the page prints no photo credit")
    article, paragraph = credited[0]
    answer = engine.answer(f"{article.title}那篇报道的照片是谁拍的")
    assert answer.answered and answer.citations[0].quote.endswith(paragraph.text)
    credits = "".join(p.text for p in article.paragraphs if p.kind in ("credit", "caption"))
    names = answer.answer.split("、")
    assert names[0] in paragraph.text and all(name in credits for name in names)


def test_the_photo_asked_about_names_its_own_photographer() -> None:
    engine = Engine(Store.temporary(build_store([THIRD_PAGE])))
    answer = engine.answer("技术员查看禾花鱼苗长势的那张照片是谁拍的？")
    assert answer.answer == "邬晴川"
    assert "禾花鱼苗" in answer.citations[0].quote


def test_the_authors_are_cited_with_the_byline_as_printed() -> None:
    engine = Engine(Store.temporary(build_store([THIRD_PAGE])))
    signed = [article for article in engine.store.articles if article.byline]
    if not signed:
        pytest.skip("the page prints no byline")
    answer = engine.answer(f"{signed[0].title}那篇报道是谁写的？")
    assert answer.citations[0].quote == signed[0].byline
    assert answer.answer == "、".join(signed[0].authors)
