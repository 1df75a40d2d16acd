"""CMRC 2018: every question of a split asked against the store of all its passages.

Measures whether the right passage is cited first (hit@1), whether the first quote holds a
gold answer (citation hit), and the short answer with the official CMRC 2018 EM and F1.

Data: CMRC 2018 (Cui et al., EMNLP 2019; https://github.com/ymcui/cmrc2018), licensed
CC BY-SA 4.0, read at run time from ../shared/benchmarks/cmrc2018/.
"""

from __future__ import annotations

import time

from pydantic import BaseModel, Field

from benchmarks.baselines import Answerer
from benchmarks.cmrc_articles import SPLITS, CmrcQuestion, Split, load_cmrc_store, read_questions
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
from benchmarks.scoring import cmrc_citation_hit, cmrc_exact_match, cmrc_f1
from benchmarks.systems import make_systems

METRICS = ("hit_at_1", "citation_hit", "exact_match", "f1", "answered", "answered_hit_at_1")
TARGETS = {
    "hit_at_1": Target(metric="hit_at_1", threshold=0.98),
    "citation_hit": Target(metric="citation_hit", threshold=0.85),
    "exact_match": Target(metric="exact_match", threshold=0.35),
    "f1": Target(metric="f1", threshold=0.55),
}


class CmrcScores(BaseModel):
    hit_at_1: float
    citation_hit: float
    exact_match: float
    f1: float
    answered: float
    answered_hit_at_1: float | None = Field(
        description="hit@1 among the answered questions: retrieval apart from refusals"
    )
    seconds: float


class CmrcResult(BaseModel):
    split: Split
    questions: int
    passages: int
    systems: dict[str, CmrcScores]
    targets: list[Verdict]


def evaluate_system(system: Answerer, questions: list[CmrcQuestion]) -> CmrcScores:
    hits = citations = answered = answered_hits = 0
    exact = f1 = 0.0
    started = time.perf_counter()
    for question in questions:
        answer = system.answer(question.question)
        first = answer.citations[0] if answer.citations else None
        hit = first is not None and first.article_id == question.passage_id
        hits += hit
        answered_hits += hit and answer.answered
        citations += cmrc_citation_hit(answer, question.answers)
        answered += answer.answered
        exact += cmrc_exact_match(answer.answer, question.answers)
        f1 += cmrc_f1(answer.answer, question.answers)
    total = max(1, len(questions))
    return CmrcScores(
        hit_at_1=hits / total,
        citation_hit=citations / total,
        exact_match=exact / total,
        f1=f1 / total,
        answered=answered / total,
        answered_hit_at_1=ratio(answered_hits, answered),
        seconds=time.perf_counter() - started,
    )


def evaluate(
    systems: dict[str, Answerer], questions: list[CmrcQuestion], split: Split, passages: int
) -> CmrcResult:
    results = {name: evaluate_system(system, questions) for name, system in systems.items()}
    engine = results["engine"]
    return CmrcResult(
        split=split,
        questions=len(questions),
        passages=passages,
        systems=results,
        targets=[check(target, getattr(engine, name)) for name, target in TARGETS.items()],
    )


def render(result: CmrcResult) -> str:
    verdicts = {v.metric: v for v in result.targets}
    rows = [
        [
            metric,
            *(number(getattr(scores, metric)) for scores in result.systems.values()),
            *verdict_cells(verdicts.get(metric)),
        ]
        for metric in METRICS
    ]
    rows.append(["seconds", *(number(s.seconds, 1) for s in result.systems.values()), "", ""])
    heading = (
        f"CMRC 2018 {result.split}: {result.questions} questions, {result.passages} passages "
        "(EM/F1: official CMRC 2018 scoring, as fractions)"
    )
    return "\n".join([heading, table(["metric", *result.systems, "target", "engine"], rows)])


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="dev")
    options = parser.parse_args()
    store = load_cmrc_store(options.split)
    questions = read_questions(options.split, limit=options.limit)
    result = evaluate(make_systems(store), questions, options.split, len(store.articles))
    print(result.model_dump_json(indent=2) if options.json else render(result))


if __name__ == "__main__":
    main()
