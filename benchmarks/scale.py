"""What the archive's size costs: first answer and peak memory of `python -m bot ask`, a
batch of questions after the first, and adding one article to the open store.

Each store is measured in fresh processes (`resource` reads the children's peak memory),
so that imports and opening the store count as a user waits for them. Peak memory is
the largest child so far, so stores are measured smallest first. Stores come from
the benchmark corpora (`benchmarks.datasets`); `--corpora` picks them.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.datasets import load_corpus
from benchmarks.report import table
from knowledge.store import Store

QUESTION = "从拿地到拿证用了几天？"
BATCH = 200  # questions answered in one process after the first, as the issue counts them
ADDED = {"id": "scale-probe", "title": "小消息", "text": "全市新增公交线路3条，总长42公里。"}


def first_answer(store: Path) -> tuple[float, float]:
    """Seconds and peak MB of one `bot ask` in a fresh process."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--store", str(store), QUESTION],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb / 1024


def batch(store: Path, questions: list[str]) -> float:
    """Seconds for the batch, after the first answer (a process that already answered)."""
    script = (
        "import sys, time, json\n"
        "from knowledge.engine import Engine\n"
        "engine = Engine.load(__import__('pathlib').Path(sys.argv[1]))\n"
        "questions = json.loads(sys.stdin.read())\n"
        "engine.answer(questions[0])\n"
        "started = time.perf_counter()\n"
        "for q in questions[1:]: engine.answer(q)\n"
        "print(time.perf_counter() - started)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(store)],
        input=json.dumps(questions),
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.strip())


def add_one(store: Path) -> float:
    """Seconds to add one article to the open store (built, written, read back)."""
    from knowledge.build import build_store

    source = store.parent / "scale-probe.jsonl"
    source.write_text(json.dumps(ADDED, ensure_ascii=False) + "\n", encoding="utf-8")
    opened = Store.open(store)
    started = time.perf_counter()
    opened.change(add=build_store([source]).articles)
    seconds = time.perf_counter() - started
    opened.change(remove=[ADDED["id"]])
    source.unlink()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", default=["seed", "cmrc_dev"])
    options = parser.parse_args()
    rows = []
    for name in options.corpora:
        corpus = load_corpus(name, BATCH + 1)
        path = corpus.store.path
        seconds, peak = first_answer(path)
        questions = [q.question for q in corpus.questions][: BATCH + 1]
        rows.append(
            [
                name,
                str(corpus.store.article_count()),
                f"{path.stat().st_size / 2**20:.1f}",
                f"{seconds:.2f}",
                f"{peak:.0f}",
                f"{len(questions) - 1} in {batch(path, questions):.2f} s",
                f"{add_one(path):.2f}",
            ]
        )
    print(
        table(["store", "articles", "MB", "first answer s", "peak MB", "batch", "add one s"], rows)
    )


if __name__ == "__main__":
    main()
