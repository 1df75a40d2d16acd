"""Answer a corpus with several systems and score each with the outside scorer.

`python -m benchmarks.run_systems --corpus drcd --limit 200` runs the two retrieval
baselines only, so that it works whatever state the engine is in; callers that have an
engine (or a trained reader) pass it to `run` beside them.

A system that raises on a question gets a refusal for it, as `bot ask` gives one (a
refusal is what an outside check would see), and the count goes into the metrics as
`errors`, so that a crash is visible in the table instead of ending the run.
"""

from __future__ import annotations

import argparse
import logging
import math
import time

from benchmarks.baselines import Answerer
from benchmarks.datasets import CORPORA, Corpus, LabelledQuestion, load_corpus
from benchmarks.outside_score import OutsideScore, score_answers
from benchmarks.report import table
from benchmarks.systems import make_system
from knowledge.models import Answer

log = logging.getLogger(__name__)

BASELINES = ("rapidfuzz", "bm25")
COUNTS = {"confident_n", "errors"}
_FAILED_REPLY = "(the system raised an error on this question)"


def answer_all(system: Answerer, questions: list[LabelledQuestion]) -> tuple[list[Answer], int]:
    """Each question answered on its own (no chat context), and how many raised."""
    answers: list[Answer] = []
    errors = 0
    for question in questions:
        try:
            answers.append(system.answer(question.question))
        except Exception:
            if not errors:
                log.exception("system failed on %s %r", question.id, question.question[:100])
            errors += 1
            answers.append(
                Answer(
                    question=question.question,
                    answered=False,
                    reply=_FAILED_REPLY,
                    confidence=0.0,
                )
            )
    return answers, errors


def run(
    corpus: Corpus,
    systems: dict[str, Answerer],
    questions: list[LabelledQuestion] | None = None,
) -> list[OutsideScore]:
    """One OutsideScore a system, in the order of `systems`; `questions` defaults to the
    corpus's (pass a fold's to score a fold). Adds `ms_per_q` (mean answering time) and
    `errors` (questions the system raised on) to each system's metrics."""
    questions = corpus.questions if questions is None else questions
    scores = []
    for name, system in systems.items():
        started = time.perf_counter()
        answers, errors = answer_all(system, questions)
        elapsed = time.perf_counter() - started
        score = score_answers(corpus, answers, name, questions=questions)
        score.metrics["ms_per_q"] = 1000 * elapsed / max(1, len(questions))
        score.metrics["errors"] = float(errors)
        scores.append(score)
    return scores


def render(scores: list[OutsideScore]) -> str:
    """Systems as columns, metrics as rows, in the order they were added (the scorer's
    summary first); a column is `corpus/system` when the scores span several corpora."""
    several = len({s.corpus for s in scores}) > 1
    headers = ["metric", *(f"{s.corpus}/{s.system}" if several else s.system for s in scores)]
    metrics = list(dict.fromkeys(key for s in scores for key in s.metrics))
    rows = [[metric, *(_cell(metric, s.metrics.get(metric)) for s in scores)] for metric in metrics]
    rows.append(["n", *(str(s.n) for s in scores)])
    return table(headers, rows)


def _cell(metric: str, value: float | None) -> str:
    if value is None or math.isnan(value):
        return "-"
    if metric in COUNTS:
        return str(int(value))
    return f"{value:.1f}" if metric == "ms_per_q" else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Score the baselines with the outside scorer.")
    parser.add_argument("--corpus", choices=CORPORA, required=True)
    parser.add_argument("--limit", type=int, help="only the first N questions")
    parser.add_argument("--json", action="store_true", help="one OutsideScore a line instead")
    options = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    corpus = load_corpus(options.corpus, options.limit)
    systems = {name: make_system(name, corpus.store) for name in BASELINES}
    scores = run(corpus, systems)
    if options.json:
        for score in scores:
            print(score.model_dump_json())
        return
    print(
        f"{corpus.name}: {len(corpus.questions)} questions, {len(corpus.store.articles)} articles"
    )
    print(render(scores))


if __name__ == "__main__":
    main()
