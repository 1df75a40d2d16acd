"""The benchmarks' scoring and baselines, on tiny inputs (no timing, no shared data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import cmrc_articles
from benchmarks.baselines import BM25Baseline, FuzzBaseline
from benchmarks.report import Target, table
from benchmarks.scoring import (
    answer_correct,
    citation_correct,
    cmrc_citation_hit,
    cmrc_exact_match,
    cmrc_f1,
    mixed_segmentation,
    normalise,
)
from benchmarks.seed_dev import Judgement, SeedQuestion, calibration, judge, scores
from benchmarks.speed import percentile
from knowledge.models import Answer, Article, Citation, Paragraph, Sentence, Store


def make_article(article_id: str, title: str, sentences: list[str]) -> Article:
    paragraph = Paragraph(
        number=1,
        kind="body",
        text="".join(sentences),
        sentences=[Sentence(number=i, text=s) for i, s in enumerate(sentences, start=1)],
    )
    return Article(id=article_id, title=title, paragraphs=[paragraph])


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(
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


def test_normalise_folds_width_case_and_whitespace() -> None:
    assert normalise("５ 月 13\u3000日") == normalise("5月13日") == "5月13日"
    assert normalise("ABC ｄ") == "abcd"


def test_answer_must_hold_a_gold_answer() -> None:
    assert answer_correct(answer("5月13日"), ["5 月 13 日", "五月十三日"], all_required=False)
    assert not answer_correct(answer("5月14日"), ["5月13日"], all_required=False)
    assert not answer_correct(answer("5月13日", answered=False), ["5月13日"], all_required=False)


def test_all_required_needs_every_item() -> None:
    gold = ["省心", "省时", "省钱"]
    assert answer_correct(answer("省心、省时、省钱"), gold, all_required=True)
    assert not answer_correct(answer("省心、省时"), gold, all_required=True)


def test_a_whole_sentence_is_not_an_answer_but_a_long_list_is() -> None:
    sentence = "据介绍，" + "这个项目" * 10 + "总投资约48亿元。"
    assert not answer_correct(answer(sentence), ["48亿元"], all_required=False)
    items = [f"第{n}个比较长的项目名称" for n in range(8)]
    assert len("、".join(items)) > 40
    assert answer_correct(answer("、".join(items)), items, all_required=True)


def test_citation_must_contain_the_evidence() -> None:
    cited = answer("48亿元", quote="码头总投资约 48 亿元，由港务集团承建。")
    assert citation_correct(cited, "总投资约48亿元")
    assert not citation_correct(cited, "新码头去年开工")
    assert not citation_correct(answer("48亿元"), "总投资约48亿元")


def test_scores_and_calibration_count_the_right_questions() -> None:
    def judged(answerable: bool, answered: bool, ok: bool, confidence: float) -> Judgement:
        return Judgement(
            id="x",
            question="q",
            style="plain",
            type="number",
            answerable=answerable,
            answered=answered,
            answer="a" if answered else "",
            confidence=confidence,
            answer_ok=ok,
            citation_ok=ok,
        )

    judgements = [
        judged(True, True, True, 0.9),
        judged(True, True, False, 0.8),
        judged(False, False, False, 0.9),
        judged(False, True, False, 0.3),
    ]
    result = scores(judgements)
    assert (result.answerable, result.unanswerable) == (2, 2)
    assert (result.answer, result.citation, result.refusal) == (0.5, 0.5, 0.5)
    confident = calibration(judgements)
    assert confident.confident == 2
    assert confident.right == 0.5
    assert [j.failed for j in judgements] == [False, True, False, True]


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
def test_baselines_quote_the_best_sentence(store: Store, baseline: type) -> None:
    result = baseline(store).answer("码头总投资是多少？")
    assert result.answered
    assert result.answer == "码头总投资约48亿元，由港务集团承建。"
    assert result.citations[0].article_id == "harbour"
    assert result.citations[0].quote == result.answer
    assert 0.0 <= result.confidence <= 1.0


def test_bm25_prefers_rare_words(store: Store) -> None:
    result = BM25Baseline(store).answer("馆长是谁")
    assert result.citations[0].article_id == "library"
    assert "李文静" in result.answer


def test_bm25_always_answers_with_no_confidence_when_nothing_matches(store: Store) -> None:
    result = BM25Baseline(store).answer("？？")
    assert result.answered
    assert result.confidence == 0.0


def test_judge_scores_a_baseline(store: Store) -> None:
    question = SeedQuestion(
        id="t1",
        question="码头总投资是多少？",
        answerable=True,
        answers=["48亿元"],
        evidence="总投资约48亿元",
        article="harbour",
        type="number",
        style="plain",
        all_required=False,
    )
    judged = judge(BM25Baseline(store), question)
    assert judged.citation_ok
    assert judged.answer_ok  # the sentence is short enough to count as an answer here


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
