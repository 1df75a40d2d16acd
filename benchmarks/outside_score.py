"""Score answers with the OUTSIDE scorer, ../shared/tools/score.py, as outside checks do.

Why not score in-process: the figures that count are the scorer's, on the bot's
`ask --json` lines. So the answers are written exactly as the CLI writes them
(bot.terminal.AskResult), the scorer runs as its own process with the flags outside
checks use for the corpus's style, and its one-line summary is parsed back. The scorer
stays where it is (it is called by path, never copied into the project).

On top of the scorer's summary, `confident_*` measure whether a confidence above 0.5 can
be trusted, from the scorer's own per-question verdicts (`--json-out`), among answered
questions with confidence > 0.5:
- seed style: `confident_right` = the scorer's `correct` (short answer right; for an
  unanswerable question an answer is wrong), `confident_strict` = its `strict` (also cited);
- cmrc style: `confident_right` = exact match, `confident_cite` = the first citation holds
  a gold answer, `confident_f1` = mean F1.
`confident_n` is how many answers were that confident. A metric the scorer cannot measure
on the questions given (refusal on a set without unanswerable ones; a confident share
with no confident answers) is left out of `metrics` rather than set to NaN.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
from pathlib import Path

from pydantic import BaseModel

from benchmarks import BENCH_DIR, ROOT, SHARED
from benchmarks.datasets import Corpus, LabelledQuestion
from bot.terminal import AskResult
from knowledge.models import Answer

log = logging.getLogger(__name__)

SCORER = SHARED / "tools" / "score.py"
CONFIDENT = 0.5
FLAGS = {"seed": ["--short-answer", "--cite-len-guard"], "cmrc": []}
SUMMARY_KEYS = {
    "seed": ("answer", "cite", "refuse", "overall", "strict"),
    "cmrc": ("hit@1", "cite", "EM", "F1", "answered"),
}
# Per-question verdicts of score.py's --json-out rows behind each confident_* metric.
CONFIDENT_VERDICTS = {
    "seed": {"confident_right": "correct", "confident_strict": "strict"},
    "cmrc": {"confident_right": "em", "confident_cite": "cite", "confident_f1": "f1"},
}


class OutsideScore(BaseModel):
    corpus: str
    system: str
    metrics: dict[str, float]
    n: int
    summary: str
    """The scorer's last line, verbatim."""


def score_answers(
    corpus: Corpus,
    answers: list[Answer],
    system: str,
    *,
    questions: list[LabelledQuestion] | None = None,
) -> OutsideScore:
    """Score `answers[i]` as the answer to `questions[i]`.

    `questions` defaults to all of the corpus's; a subset (a cross-validation fold) is
    written as its own questions file, its lines picked by id from the corpus's file."""
    questions = corpus.questions if questions is None else questions
    if len(answers) != len(questions):
        raise ValueError(f"{len(answers)} answers for {len(questions)} questions")
    if not questions:
        raise ValueError("no questions to score")
    write = ask_json_line
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=BENCH_DIR, prefix=".score-") as directory:
        folder = Path(directory)
        questions_path = _questions_file(corpus, questions, folder / "questions.jsonl")
        answers_path = folder / "answers.jsonl"
        answers_path.write_text(
            "".join(write(q.question, a) + "\n" for q, a in zip(questions, answers, strict=True)),
            encoding="utf-8",
        )
        rows_path = folder / "scores.json"
        command = [sys.executable, str(SCORER), str(questions_path), str(answers_path)]
        command += [*FLAGS[corpus.style], "--failures", "0", "--json-out", str(rows_path)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not rows_path.exists():
            raise RuntimeError(
                f"score.py failed ({done.returncode}): {done.stderr.strip()[-2000:]}"
            )
        if done.stderr.strip():
            log.warning("score.py on %s/%s: %s", corpus.name, system, done.stderr.strip())
        result = json.loads(rows_path.read_text(encoding="utf-8"))
    summary = done.stdout.strip().splitlines()[-1]
    metrics = parse_summary(summary, corpus.style)
    rows = result[f"{corpus.style}_rows"]
    metrics.update(_confident(answers, rows, corpus.style))
    return OutsideScore(
        corpus=corpus.name, system=system, metrics=metrics, n=len(questions), summary=summary
    )


def ask_json_line(question: str, answer: Answer) -> str:
    """The line `python -m bot ask --json` prints for `answer` to `question`."""
    return AskResult.of(question, answer).model_dump_json()


def parse_summary(line: str, style: str) -> dict[str, float]:
    """'seed: answer 0.712 cite 0.801 refuse  -   overall ... (n=40)' -> {answer: 0.712, ...}.

    The scorer prints '-' for a metric with nothing to measure; those are left out."""
    prefix = f"{style}:"
    if not line.startswith(prefix):
        raise ValueError(f"not a {style} summary line: {line!r}")
    tokens = line[len(prefix) :].split("(n=")[0].split()
    pairs = dict(zip(tokens[::2], tokens[1::2], strict=True))
    missing = set(SUMMARY_KEYS[style]) - set(pairs)
    if missing:
        raise ValueError(f"summary line lacks {sorted(missing)}: {line!r}")
    return {key: float(value) for key, value in pairs.items() if value != "-"}


def _questions_file(corpus: Corpus, questions: list[LabelledQuestion], subset: Path) -> Path:
    """The corpus's questions file when it holds exactly `questions`; else their lines,
    copied from it unchanged (seed-style lines keep the type/style/article the scorer
    groups by), in the order given."""
    lines = [
        line
        for line in corpus.questions_path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    by_id = {json.loads(line)["id"]: line for line in lines}
    wanted = [q.id for q in questions]
    if wanted == list(by_id) and len(by_id) == len(lines):
        return corpus.questions_path
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise ValueError(f"{corpus.name}: questions not in {corpus.questions_path}: {unknown[:5]}")
    subset.write_text("".join(by_id[i] + "\n" for i in wanted), encoding="utf-8")
    return subset


def _confident(answers: list[Answer], rows: list[dict], style: str) -> dict[str, float]:
    if len(rows) != len(answers):
        raise RuntimeError(f"score.py gave {len(rows)} verdicts for {len(answers)} answers")
    confident = [
        row
        for answer, row in zip(answers, rows, strict=True)
        if answer.answered and answer.confidence > CONFIDENT
    ]
    metrics = {"confident_n": float(len(confident))}
    if confident:
        for metric, verdict in CONFIDENT_VERDICTS[style].items():
            metrics[metric] = sum(float(row[verdict]) for row in confident) / len(confident)
    return metrics
