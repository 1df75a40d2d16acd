"""The reader: folding keeps offsets, candidates cover facts and words, the features are
the ones the weights were trained for, and the trainer learns what it is shown."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks.datasets import LabelledQuestion
from benchmarks.train_reader import RankerRows, fit_ranker, right_rows
from knowledge.build import build_store
from knowledge.engine import Engine
from knowledge.reader.candidates import MAX_SPAN_CHARS
from knowledge.reader.features import FEATURES
from knowledge.reader.model import ReaderModelError, Scorer, load_model
from knowledge.reader.reader import candidates
from knowledge.script import fold
from knowledge.store import Store

TRADITIONAL = {
    "id": "lantern",
    "title": "青禾鎮燈會吸引遊客",
    "text": "青禾鎮第十屆燈會於2月24日開幕。本屆燈會共展出花燈1800盞，"
    "吸引遊客約12萬人次。\n主辦單位青禾鎮文化站表示，燈會將持續到3月5日。",
}


@pytest.fixture(scope="module")
def traditional(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    source = tmp_path_factory.mktemp("trad") / "lantern.jsonl"
    source.write_text(json.dumps(TRADITIONAL, ensure_ascii=False) + "\n", encoding="utf-8")
    return Engine(Store.temporary(build_store([source])))


def test_folding_keeps_every_offset() -> None:
    printed = "燈會共展出花燈１８００盞，憂鬱「臺灣」"
    folded = fold(printed)
    assert len(folded) == len(printed)
    assert folded.startswith("灯会共展出花灯1800盏")


def test_a_traditional_article_asked_in_simplified(traditional: Engine) -> None:
    answer = traditional.answer("灯会共展出多少盏花灯？")
    assert answer.answered
    assert "1800盞" in answer.citations[0].quote  # the quote as printed
    assert "1800" in answer.answer and "盞" not in answer.answer  # the answer as asked


def test_a_traditional_article_asked_in_traditional(traditional: Engine) -> None:
    answer = traditional.answer("燈會共展出多少盞花燈？")
    assert answer.answered and "1800盞" in answer.answer


def test_candidates_cover_facts_and_stay_inside_a_sentence(traditional: Engine) -> None:
    question = traditional.parse("灯会吸引了多少游客")
    hits = traditional.retrieve(question)
    found = candidates(question, hits, traditional.facts_of, traditional.names)
    assert found is not None
    assert found.features.shape == (len(found.starts), len(FEATURES))
    spans = {found.folded(row) for row in range(len(found.starts))}
    facts = {f.text for a in traditional.store.articles for f in a.facts}
    cited = {s.hit.sentence.number for s in found.sentences}
    assert cited and any(fold(text) in spans for text in facts)
    assert all(
        0 < end - start <= MAX_SPAN_CHARS
        for start, end in zip(found.starts, found.ends, strict=False)
    )
    assert not any(text.startswith(("，", "。")) for text in spans)


def test_right_rows_are_the_gold_answer(traditional: Engine) -> None:
    question = traditional.parse("燈會將持續到哪天")
    found = candidates(
        question, traditional.retrieve(question), traditional.facts_of, traditional.names
    )
    gold = LabelledQuestion(id="t", question="", answers=["3月5日"], article_id=None, group="g")
    rows = right_rows(found, gold)
    assert rows.any()
    assert {found.folded(int(r)) for r in np.flatnonzero(rows)} == {"3月5日"}


def test_the_ranker_learns_which_feature_marks_the_right_candidate() -> None:
    random = np.random.default_rng(0)
    rows = []
    for _ in range(40):
        features = random.normal(size=(30, 4)).astype(np.float32)
        right = np.zeros(30, dtype=bool)
        right[0] = True
        features[0, 2] += 3.0  # only feature 2 tells the right candidate
        rows.append(RankerRows(features=features, positive=right))
    weights = fit_ranker(rows, [1.0] * len(rows))
    assert int(np.argmax(weights)) == 2
    held_out = random.normal(size=(30, 4))
    held_out[7, 2] += 8.0  # far above any chance value of the noise
    assert int(np.argmax(held_out @ weights)) == 7


def test_the_shipped_weights_fit_the_features() -> None:
    model = load_model()
    weights = model.weights
    assert weights.ranker.features == FEATURES
    assert model.trees is not None and list(model.trees.features) == FEATURES
    assert "cmrc_dev" not in weights.trained_on
    Scorer(weights.ranker, FEATURES)
    with pytest.raises(ReaderModelError, match="retrain"):
        Scorer(weights.ranker, [*FEATURES, "something new"])


def test_missing_weights_say_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(ReaderModelError, match="train_reader"):
        load_model(tmp_path / "none.json")
