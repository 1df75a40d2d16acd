"""The benchmarks' scoring and baselines, on tiny inputs (no timing, no shared data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import cmrc_articles
from benchmarks.baselines import BM25Baseline, FuzzBaseline
from benchmarks.report import Target, table
from benchmarks.scoring import (
    cmrc_citation_hit,
    cmrc_exact_match,
    cmrc_f1,
    mixed_segmentation,
)
from benchmarks.speed import percentile
from knowledge.models import Answer, Article, Citation, Paragraph, Sentence, StoreContent


def make_article(article_id: str, title: str, sentences: list[str]) -> Article:
    paragraph = Paragraph(
        number=1,
        kind="body",
        text="".join(sentences),
        sentences=[Sentence(number=i, text=s) for i, s in enumerate(sentences, start=1)],
    )
    return Article(id=article_id, title=title, paragraphs=[paragraph])


@pytest.fixture(scope="module")
def store() -> StoreContent:
    return StoreContent(
        source_digest="test",
        checksum="test",
        articles=[
            make_article(
                "harbour",
                "港口扩建",
                ["新码头去年开工建设。", "码头总投资约48亿元，由港务集团承建。"],
            ),
            make_article(
                "library",
                "图书馆开放",
                ["市图书馆周六起延长开放时间。", "馆长李文静说，读者可以在线预约座位。"],
            ),
        ],
    )


def answer(text: str, answered: bool = True, quote: str = "", confidence: float = 0.9) -> Answer:
    citations = [Citation(article_id="a", title="t", paragraph=1, quote=quote)] if quote else []
    return Answer(
        question="q",
        answered=answered,
        answer=text,
        reply=text,
        citations=citations,
        confidence=confidence,
    )


# --- seed dev scoring ------------------------------------------------------------------


# --- CMRC 2018 official scoring ----------------------------------------------------------


def test_mixed_segmentation_splits_chinese_and_keeps_words() -> None:
    assert mixed_segmentation("光荣和ω-force") == ["光", "荣", "和", "ω", "-", "force"]
    assert mixed_segmentation("光荣和ω-force", remove_punctuation=True) == [
        "光",
        "荣",
        "和",
        "ωforce",
    ]
    assert mixed_segmentation("约3.5 Million人") == ["约", "3.5", "million", "人"]


def test_f1_is_over_the_longest_common_substring() -> None:
    assert cmrc_f1("北京天安门", ["北京"]) == pytest.approx(2 * 0.4 / 1.4)
    assert cmrc_f1("北x京", ["北京"]) == pytest.approx(0.4)
    assert cmrc_f1("北京", ["上海", "北京"]) == 1.0
    assert cmrc_f1("", ["北京"]) == 0.0


def test_exact_match_ignores_official_punctuation_only() -> None:
    assert cmrc_exact_match("《北京》", ["北京"]) == 1.0
    assert cmrc_exact_match("北京市", ["北京"]) == 0.0


def test_citation_hit_looks_at_the_first_quote() -> None:
    assert cmrc_citation_hit(answer("x", quote="他出生于北京，后来……"), ["北京"])
    assert not cmrc_citation_hit(answer("x", quote="他出生于上海。"), ["北京"])
    assert not cmrc_citation_hit(answer("北京"), ["北京"])


# --- baselines -----------------------------------------------------------------------------


@pytest.mark.parametrize("baseline", [FuzzBaseline, BM25Baseline])
def test_baselines_quote_the_best_sentence(store: StoreContent, baseline: type) -> None:
    result = baseline(store).answer("码头总投资是多少？")
    assert result.answered
    assert result.answer == "码头总投资约48亿元，由港务集团承建。"
    assert result.citations[0].article_id == "harbour"
    assert result.citations[0].quote == result.answer
    assert 0.0 <= result.confidence <= 1.0


def test_bm25_prefers_rare_words(store: StoreContent) -> None:
    result = BM25Baseline(store).answer("馆长是谁")
    assert result.citations[0].article_id == "library"
    assert "李文静" in result.answer


def test_bm25_always_answers_with_no_confidence_when_nothing_matches(store: StoreContent) -> None:
    result = BM25Baseline(store).answer("？？")
    assert result.answered
    assert result.confidence == 0.0


# --- harness -------------------------------------------------------------------------------


def test_targets_and_tables() -> None:
    assert Target(metric="f1", threshold=0.55).met(0.6)
    assert not Target(metric="p99", threshold=5, at_most=True).met(6)
    assert not Target(metric="f1", threshold=0.55).met(None)
    lines = table(["metric", "engine"], [["f1", "0.5"], ["hit_at_1", "0.98"]]).splitlines()
    assert len({len(line) for line in lines}) == 1


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([3.0], 0.99) == 3.0


def test_cmrc_articles_and_questions_from_squad(tmp_path: Path, monkeypatch) -> None:
    squad = {
        "version": "v1.0",
        "data": [
            {
                "id": "DEV_0",
                "title": "港口",
                "paragraphs": [
                    {
                        "id": "DEV_0",
                        "context": "新码头去年开工。总投资约48亿元。",
                        "qas": [
                            {
                                "id": "DEV_0_QUERY_0",
                                "question": "总投资多少？",
                                "answers": [{"text": "约48亿元", "answer_start": 10}],
                            }
                        ],
                    }
                ],
            }
        ],
    }
    (tmp_path / "cmrc2018_dev.json").write_text(json.dumps(squad, ensure_ascii=False))
    monkeypatch.setattr(cmrc_articles, "DATA_DIR", tmp_path)
    monkeypatch.setattr(cmrc_articles, "BENCH_DIR", tmp_path / "bench")
    [question] = cmrc_articles.read_questions("dev")
    assert question.passage_id == "DEV_0"
    assert question.answers == ["约48亿元"]
    path = cmrc_articles.write_articles("dev")
    [line] = path.read_text(encoding="utf-8").splitlines()
    article = json.loads(line)
    assert (article["id"], article["title"]) == ("DEV_0", "港口")
    assert article["text"] == "新码头去年开工。总投资约48亿元。"
