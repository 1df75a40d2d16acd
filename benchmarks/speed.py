"""Speed: latency per question, start-up time and peak memory, each system in a fresh process.

The parent starts one worker process per system and store. Start-up is what a user waits
for: from launching the process (interpreter, imports) to the system being ready to answer
(store loaded, dictionaries loaded, indexes built), timed by the parent until the worker says
"ready". The worker then answers every question once, timing each, and reports its peak
resident memory (getrusage), which includes everything it loaded.
"""

from __future__ import annotations

import argparse
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from benchmarks import ROOT
from benchmarks.cmrc_articles import load_cmrc_store, store_path
from benchmarks.cmrc_articles import read_questions as read_cmrc_questions
from benchmarks.datasets import load_corpus
from benchmarks.report import Target, Verdict, arguments, check, number, table, verdict_cells
from benchmarks.systems import SYSTEMS, make_system
from knowledge.store import DEFAULT_STORE, load_store

Bench = Literal["seed", "cmrc"]
BENCHES: tuple[Bench, ...] = ("seed", "cmrc")
READY = "ready"
TARGETS = {
    ("seed", "p99_ms"): Target(metric="seed p99_ms", threshold=5, at_most=True),
    ("seed", "startup_s"): Target(metric="seed startup_s", threshold=1.5, at_most=True),
    ("cmrc", "p99_ms"): Target(metric="cmrc p99_ms", threshold=20, at_most=True),
    ("cmrc", "startup_s"): Target(metric="cmrc startup_s", threshold=1.5, at_most=True),
    ("cmrc", "peak_rss_mb"): Target(metric="cmrc peak_rss_mb", threshold=250, at_most=True),
}
METRICS = {"questions_per_s": 0, "p50_ms": 3, "p99_ms": 3, "startup_s": 2, "peak_rss_mb": 1}


class WorkerReport(BaseModel):
    questions: list[str]
    latencies_ms: list[float]
    peak_rss_mb: float


class SpeedScores(BaseModel):
    questions: int
    questions_per_s: float
    p50_ms: float
    p99_ms: float
    startup_s: float
    peak_rss_mb: float
    slowest_ms: float
    slowest_question: str


class SpeedResult(BaseModel):
    benches: dict[str, dict[str, SpeedScores]]
    targets: list[Verdict]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with `share` of the values at or below."""
    ordered = sorted(values)
    rank = math.ceil(share * len(ordered) - 1e-9)
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def summarise(report: WorkerReport, startup: float) -> SpeedScores:
    total = sum(report.latencies_ms) / 1000
    slowest_ms, slowest_question = max(zip(report.latencies_ms, report.questions, strict=True))
    return SpeedScores(
        questions=len(report.questions),
        questions_per_s=len(report.questions) / total if total else 0.0,
        p50_ms=percentile(report.latencies_ms, 0.5),
        p99_ms=percentile(report.latencies_ms, 0.99),
        startup_s=startup,
        peak_rss_mb=report.peak_rss_mb,
        slowest_ms=slowest_ms,
        slowest_question=slowest_question,
    )


def bench_store(bench: Bench) -> Path:
    return DEFAULT_STORE if bench == "seed" else store_path("dev")


def bench_questions(bench: Bench, limit: int | None) -> list[str]:
    if bench == "seed":
        return [q.question for q in load_corpus("seed", limit).questions]
    return [q.question for q in read_cmrc_questions("dev", limit=limit)]


def work(system_name: str, bench: Bench, limit: int | None) -> None:
    """The worker's side: get ready, say so, answer everything, report."""
    system = make_system(system_name, load_store(bench_store(bench)))
    print(READY, flush=True)
    questions = bench_questions(bench, limit)
    latencies = []
    for question in questions:
        started = time.perf_counter()
        system.answer(question)
        latencies.append((time.perf_counter() - started) * 1000)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        WorkerReport(
            questions=questions, latencies_ms=latencies, peak_rss_mb=peak
        ).model_dump_json()
    )


def measure(system_name: str, bench: Bench, limit: int | None) -> SpeedScores:
    """Run one worker in a fresh interpreter and time it from the outside."""
    command = [sys.executable, "-m", "benchmarks.speed", "--worker", system_name, "--bench", bench]
    if limit is not None:
        command += ["--limit", str(limit)]
    with tempfile.TemporaryFile(mode="w+") as errors:
        started = time.perf_counter()
        with subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True
        ) as worker:
            assert worker.stdout is not None
            first = worker.stdout.readline().strip()
            startup = time.perf_counter() - started
            output = worker.stdout.read()
        if first != READY or worker.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"speed worker {system_name} on {bench} failed:\n{errors.read()}")
    return summarise(WorkerReport.model_validate_json(output), startup)


def evaluate(systems: tuple[str, ...], limit: int | None) -> SpeedResult:
    load_store()
    load_cmrc_store("dev")
    benches = {bench: {name: measure(name, bench, limit) for name in systems} for bench in BENCHES}
    verdicts = [
        check(target, getattr(benches[bench]["engine"], metric))
        for (bench, metric), target in TARGETS.items()
        if "engine" in benches[bench]
    ]
    return SpeedResult(benches=benches, targets=verdicts)


def render(result: SpeedResult) -> str:
    verdicts = {v.metric: v for v in result.targets}
    parts = []
    for bench, scores in result.benches.items():
        rows = [
            [
                metric,
                *(number(getattr(s, metric), digits) for s in scores.values()),
                *verdict_cells(verdicts.get(f"{bench} {metric}")),
            ]
            for metric, digits in METRICS.items()
        ]
        count = next(iter(scores.values())).questions
        parts += [
            f"speed on the {bench} store ({count} questions)",
            table([bench, *scores, "target", "engine"], rows),
            *(
                f"{name} slowest: {s.slowest_ms:.1f} ms for 「{s.slowest_question}」"
                for name, s in scores.items()
            ),
            "",
        ]
    return "\n".join(parts).rstrip()


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS))
    parser.add_argument("--worker", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--bench", choices=BENCHES, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        work(options.worker, options.bench, options.limit)
        return
    result = evaluate(tuple(options.systems), options.limit)
    print(result.model_dump_json(indent=2) if options.json else render(result))


if __name__ == "__main__":
    main()
