"""Seed dev: the hand-written questions about the seed articles, answerable and not.

Scores the short answer (not the reply), the citation and the refusals, overall and per
question style and type, and checks that a confidence above 0.5 can be trusted.
Questions are read at run time from ../shared/eval/seed_dev.jsonl.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from benchmarks import SHARED
from benchmarks.baselines import Answerer
from benchmarks.report import (
    Target,
    Verdict,
    arguments,
    check,
    number,
    ratio,
    table,
    verdict_cells,
)
from benchmarks.scoring import answer_correct, citation_correct
from benchmarks.systems import make_systems
from knowledge.store import load_store

QUESTIONS = SHARED / "eval" / "seed_dev.jsonl"
CONFIDENT = 0.5
TARGETS = {
    "answer": Target(metric="answer", threshold=0.95),
    "citation": Target(metric="citation", threshold=0.95),
    "refusal": Target(metric="refusal", threshold=0.90),
    "calibration": Target(metric="calibration", threshold=0.90),
}


class SeedQuestion(BaseModel):
    id: str
    question: str
    answerable: bool
    answers: list[str]
    evidence: str
    article: str
    type: str
    style: str
    all_required: bool


class Judgement(BaseModel):
    """One system's answer to one question, judged; `right` means its answer is correct."""

    id: str
    question: str
    style: str
    type: str
    answerable: bool
    answered: bool
    answer: str
    confidence: float
    answer_ok: bool
    citation_ok: bool

    @property
    def right(self) -> bool:
        return self.answer_ok if self.answerable else not self.answered

    @property
    def failed(self) -> bool:
        """Wrong in any way the benchmark scores: answer, citation or refusal."""
        return not self.right or (self.answerable and not self.citation_ok)


class Scores(BaseModel):
    answerable: int
    unanswerable: int
    answer: float | None
    citation: float | None
    refusal: float | None


class Calibration(BaseModel):
    """Of the answers given with confidence above 0.5, the share that are right."""

    confident: int
    right: float | None


class SystemResult(BaseModel):
    overall: Scores
    by_style: dict[str, Scores]
    by_type: dict[str, Scores]
    calibration: Calibration
    failures: list[Judgement]


class SeedDevResult(BaseModel):
    questions: int
    systems: dict[str, SystemResult]
    targets: list[Verdict]


def read_questions(path: Path = QUESTIONS, limit: int | None = None) -> list[SeedQuestion]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [SeedQuestion.model_validate_json(line) for line in lines[:limit]]


def judge(system: Answerer, question: SeedQuestion) -> Judgement:
    answer = system.answer(question.question)
    return Judgement(
        id=question.id,
        question=question.question,
        style=question.style,
        type=question.type,
        answerable=question.answerable,
        answered=answer.answered,
        answer=answer.answer,
        confidence=answer.confidence,
        answer_ok=question.answerable
        and answer_correct(answer, question.answers, question.all_required),
        citation_ok=question.answerable and citation_correct(answer, question.evidence),
    )


def scores(judgements: list[Judgement]) -> Scores:
    answerable = [j for j in judgements if j.answerable]
    unanswerable = [j for j in judgements if not j.answerable]
    return Scores(
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        answer=ratio(sum(j.answer_ok for j in answerable), len(answerable)),
        citation=ratio(sum(j.citation_ok for j in answerable), len(answerable)),
        refusal=ratio(sum(not j.answered for j in unanswerable), len(unanswerable)),
    )


def grouped(judgements: list[Judgement], key: Callable[[Judgement], str]) -> dict[str, Scores]:
    groups: dict[str, list[Judgement]] = {}
    for judgement in judgements:
        groups.setdefault(key(judgement), []).append(judgement)
    return {name: scores(group) for name, group in sorted(groups.items())}


def calibration(judgements: list[Judgement]) -> Calibration:
    confident = [j for j in judgements if j.answered and j.confidence > CONFIDENT]
    return Calibration(
        confident=len(confident), right=ratio(sum(j.right for j in confident), len(confident))
    )


def evaluate(systems: dict[str, Answerer], questions: list[SeedQuestion]) -> SeedDevResult:
    results = {}
    for name, system in systems.items():
        judgements = [judge(system, question) for question in questions]
        results[name] = SystemResult(
            overall=scores(judgements),
            by_style=grouped(judgements, lambda j: j.style),
            by_type=grouped(judgements, lambda j: j.type),
            calibration=calibration(judgements),
            failures=[j for j in judgements if j.failed],
        )
    engine = results["engine"]
    verdicts = [
        check(TARGETS[metric], getattr(engine.overall, metric))
        for metric in ("answer", "citation", "refusal")
    ]
    verdicts.append(check(TARGETS["calibration"], engine.calibration.right))
    return SeedDevResult(questions=len(questions), systems=results, targets=verdicts)


def render(result: SeedDevResult) -> str:
    names = list(result.systems)
    engine = result.systems["engine"].overall
    verdicts = {v.metric: v for v in result.targets}
    rows = [
        [
            metric,
            *(number(getattr(r.overall, metric)) for r in result.systems.values()),
            *verdict_cells(verdicts[metric]),
        ]
        for metric in ("answer", "citation", "refusal")
    ]
    rows.append(
        [
            f"right if conf>{CONFIDENT}",
            *(
                f"{number(r.calibration.right)} ({r.calibration.confident})"
                for r in result.systems.values()
            ),
            *verdict_cells(verdicts["calibration"]),
        ]
    )
    parts = [
        f"seed dev: {result.questions} questions "
        f"({engine.answerable} answerable, {engine.unanswerable} unanswerable)",
        table(["metric", *names, "target", "engine"], rows),
    ]
    for group in ("style", "type"):
        counts: dict[str, Scores] = getattr(result.systems["engine"], f"by_{group}")
        rows = [
            [label, f"{n.answerable}+{n.unanswerable}"]
            + [triple(getattr(r, f"by_{group}")[label]) for r in result.systems.values()]
            for label, n in counts.items()
        ]
        parts += ["", f"by {group}: answer/citation/refusal", table([group, "n", *names], rows)]
    return "\n".join(parts)


def triple(s: Scores) -> str:
    return "/".join(number(value, 2) for value in (s.answer, s.citation, s.refusal))


def what_failed(judgement: Judgement) -> str:
    if not judgement.answerable:
        return "refusal"
    checks = (("answer", judgement.answer_ok), ("citation", judgement.citation_ok))
    return "+".join(name for name, ok in checks if not ok)


def render_failures(failures: list[Judgement]) -> str:
    lines = [f"engine failures ({len(failures)}): id, what failed: question -> answer"]
    for j in failures:
        shown = j.answer if j.answered else "(refused)"
        lines.append(f"{j.id} {what_failed(j)}: {j.question} -> {shown}")
    return "\n".join(lines)


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="list the engine's failures")
    options = parser.parse_args()
    questions = read_questions(limit=options.limit)
    result = evaluate(make_systems(load_store()), questions)
    print(result.model_dump_json(indent=2) if options.json else render(result))
    if options.failures and not options.json:
        print("\n" + render_failures(result.systems["engine"].failures))


if __name__ == "__main__":
    main()
