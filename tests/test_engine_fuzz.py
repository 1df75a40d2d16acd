"""Whatever people type, the engine answers: it never raises, always says something,
and says the same thing to the same question."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.build import build_store
from knowledge.engine import Engine
from knowledge.store import Store

UNSEEN = Path(__file__).parent / "data" / "unseen_articles.jsonl"
ENGINE = Engine(Store.temporary(build_store([UNSEEN])))

chinese = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=30)
anything = st.text(max_size=200)
question_like = st.builds(
    lambda head, body, tail: f"{head}{body}{tail}",
    st.sampled_from(["", "@bot ", "你好，", "請問", "hello "]),
    st.one_of(chinese, anything),
    st.sampled_from(["", "？", "多少？", "是谁", "吗", "呢", "<b>&amp;</b>", "'; DROP TABLE x;--"]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question_like)
def test_any_text_gets_a_reply(question: str) -> None:
    answer = ENGINE.answer(question)
    assert answer.reply.strip()
    assert 0.0 <= answer.confidence <= 1.0
    assert answer.answered == bool(answer.citations)
    assert ENGINE.answer(question) == answer


@pytest.mark.parametrize(
    "question",
    [
        "",
        " \n\t",
        "？？？",
        "a" * 100_000,
        "\u202e\u0301\u200d👨‍👩‍👧",
        "\x00\x07\x1b[31m",
        "\ud800",
    ],
)
def test_odd_input(question: str) -> None:
    answer = ENGINE.answer(question)
    assert answer.reply.strip()
