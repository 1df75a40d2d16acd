"""The benchmark corpora and the outside scorer's wrapper, on the shared seed and dev sets.

These read ../shared (benchmarks.SHARED) and skip when it is not there. They assert how
the loader and the scoring behave (fields carried over, groups, subsets, refusals scored
as refusals), never what a question's answer is.
"""

from __future__ import annotations

import json

import pytest

from benchmarks import SHARED
from benchmarks.datasets import PAGES_DIR, SEED_QUESTIONS, Corpus, load_corpus
from benchmarks.outside_score import ask_json_line, parse_summary, score_answers
from knowledge.models import Answer, Citation

pytestmark = pytest.mark.skipif(
    not (SHARED / "eval").is_dir() or not (SHARED / "tools" / "score.py").is_file(),
    reason=f"no shared evaluation data and scorer under {SHARED}",
)


def raw_rows(corpus: Corpus) -> list[dict]:
    path = SEED_QUESTIONS if corpus.name == "seed" else PAGES_DIR / corpus.name / "questions.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def tea() -> Corpus:
    return load_corpus("dev_tea")


@pytest.mark.parametrize("name", ["seed", "dev_tea"])
def test_seed_style_corpus_carries_the_file_over(name: str) -> None:
    corpus = load_corpus(name)
    rows = raw_rows(corpus)
    assert corpus.style == "seed"
    assert corpus.questions_path.samefile(
        SEED_QUESTIONS if name == "seed" else PAGES_DIR / name / "questions.jsonl"
    )
    assert [q.id for q in corpus.questions] == [row["id"] for row in rows]
    assert [q.answerable for q in corpus.questions] == [row["answerable"] for row in rows]
    assert {q.group for q in corpus.questions} == {name}  # the page, never the question
    assert all(q.answers == [] for q in corpus.questions if not q.answerable)
    assert all(q.answers and q.evidence for q in corpus.questions if q.answerable)
    ids = {article.id for article in corpus.store.articles}
    resolved = [q.article_id for q in corpus.questions if q.article_id is not None]
    assert resolved and set(resolved) <= ids
    for question, row in zip(corpus.questions, rows, strict=True):
        if row["article"] == "none":
            assert question.article_id is None


def test_a_limit_gives_a_matching_questions_file() -> None:
    corpus = load_corpus("dev_tea", limit=5)
    lines = corpus.questions_path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [q.id for q in corpus.questions]
    assert len(corpus.questions) == 5


def refusal(question: str) -> Answer:
    return Answer(question=question, answered=False, reply="没有找到", confidence=0.0)


def test_refusing_everything_refuses_right_and_answers_nothing(tea: Corpus) -> None:
    score = score_answers(tea, [refusal(q.question) for q in tea.questions], "refuser")
    assert score.n == len(tea.questions)
    assert score.metrics["refuse"] == 1.0
    assert score.metrics["answer"] == 0.0
    assert score.metrics["confident_n"] == 0
    assert "confident_right" not in score.metrics
    assert score.summary.startswith("seed:")


def test_gold_answers_citing_the_evidence_score_full_marks_on_a_subset(tea: Corpus) -> None:
    """An oracle built from each question's own labels: every answerable one right and
    cited, every unanswerable one answered (so wrong), on a subset as a CV fold would be."""
    fold = tea.questions[::3]
    answers = []
    for q in fold:
        text = "、".join(q.answers) if q.all_required else (q.answers[0] if q.answers else "某")
        quote = q.evidence or text
        citation = Citation(article_id=q.article_id or "x", title="t", paragraph=1, quote=quote)
        answers.append(
            Answer(
                question=q.question,
                answered=True,
                answer=text,
                reply=text,
                citations=[citation],
                confidence=0.9,
            )
        )
    score = score_answers(tea, answers, "oracle", questions=fold)
    answerable = sum(q.answerable for q in fold)
    assert score.n == len(fold)
    assert score.metrics["answer"] == 1.0
    assert score.metrics["cite"] == 1.0
    assert score.metrics["confident_n"] == len(fold)
    assert score.metrics["confident_right"] == pytest.approx(answerable / len(fold))
    if answerable < len(fold):
        assert score.metrics["refuse"] == 0.0


def test_answers_must_match_the_questions(tea: Corpus) -> None:
    with pytest.raises(ValueError, match="answers for"):
        score_answers(tea, [refusal("q")], "short")


def test_summary_lines_parse_and_dashes_are_left_out() -> None:
    seed = parse_summary(
        "seed: answer 0.712 cite 0.801 refuse   -   overall 0.700 strict 0.650 (n=40)", "seed"
    )
    assert seed == {"answer": 0.712, "cite": 0.801, "overall": 0.7, "strict": 0.65}
    cmrc = parse_summary(
        "cmrc: hit@1 0.830 cite 0.550 EM 0.100 F1 0.310 answered 1.000 (n=3219)", "cmrc"
    )
    assert cmrc["hit@1"] == 0.83 and cmrc["answered"] == 1.0
    with pytest.raises(ValueError):
        parse_summary("cmrc: hit@1 0.830 (n=1)", "cmrc")


def test_answer_lines_are_the_clis() -> None:
    """Scored lines are exactly what `python -m bot ask --json` prints."""
    answer = Answer(
        question="问",
        answered=True,
        answer="答",
        reply="答\n来源",
        citations=[Citation(article_id="a-1", title="标题", paragraph=2, quote="引文")],
        confidence=0.75,
    )
    line = json.loads(ask_json_line("问题", answer))
    assert list(line) == ["question", "answered", "answer", "reply", "citations", "confidence"]
    assert line["question"] == "问题" and line["citations"][0]["paragraph"] == 2
