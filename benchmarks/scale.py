"""What the archive's size costs, today's store beside the JSON store it replaced.

Stores, smallest first:
- `seed`: the seed page (2 articles);
- `archive`: 3,104 encyclopedia passages, 4.4 MB of text: CMRC 2018 trial and dev, DRCD
  dev, and DRCD dev once more in Simplified script (OpenCC t2s), each its own article;
- `archive×10`: the same ten times over, in ten files, every copy with ids of its own
  (31,040 passages).

Each store is built and asked by two versions of the code, in one run: `new` is this
tree; `old` is the last commit with the JSON store (OLD_REVISION), unpacked from git under
var/bench/. Every figure comes from a fresh process through the command-line contract:
- build: `python -m knowledge build FILES --out STORE`, seconds and peak MB;
- first answer: `python -m bot ask --store STORE QUESTION`, seconds and peak MB (the
  second run: bytecode compiled, the store in the page cache);
- batch: `python -m bot ask --json -` with BATCH + 1 questions, the seconds from its first
  answer to its last;
- add one (new only; the old library rebuilt the whole store): one article added through
  the library's transaction while a thread of the same process keeps answering, as an
  admin's upload does in the bot. Reported: its seconds, the longest an answer waited
  meanwhile, and whether the next question finds the new article.
Peak memory is each child's own (`os.wait4`), whatever ran before it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass
from io import BytesIO
from itertools import cycle, pairwise
from pathlib import Path

from pydantic import BaseModel

from benchmarks import BENCH_DIR, ROOT
from benchmarks.cache import fresh, write_atomically
from benchmarks.cmrc_articles import read_questions, write_articles
from benchmarks.datasets import SEED_QUESTIONS, SEEDS, drcd_articles
from benchmarks.report import table

OLD_REVISION = "0420f07"
"""The parent of the commit that moved the store into SQLite: the JSON store, jieba."""
QUESTION = "从拿地到拿证用了几天？"
BATCH = 200  # questions answered in one process after the first, as the issue counts them
COPIES = 10  # of the archive in the largest store
PROBE = {"id": "scale-probe", "title": "公交新线", "text": "全市新增公交线路3条，总长42公里。"}
PROBE_QUESTION = "全市新增了几条公交线路？"
SETTLE = 0.5
"""Seconds of answering before the article is added, so that the add meets a busy engine."""


@dataclass(frozen=True)
class Code:
    """A version of the project: where its packages are, run with this interpreter."""

    name: str
    root: Path


class Measured(BaseModel):
    seconds: float
    peak_mb: float
    lines: list[tuple[float, str]]
    """What the process printed, one line each, with the seconds since it started."""


def compiled(code: Code) -> Code:
    """`code` with its bytecode written, as an installed package has it: with
    PYTHONDONTWRITEBYTECODE set (as here), every start would otherwise compile every module
    from source again (about 0.1 s)."""
    packages = [name for name in ("bot", "knowledge", "handlers") if (code.root / name).is_dir()]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *packages], cwd=code.root, check=True
    )
    return code


def new_code() -> Code:
    return compiled(Code("new", ROOT))


def old_code() -> Code:
    """OLD_REVISION's tree, unpacked once (`git archive`, so no worktree is registered)."""
    root = BENCH_DIR / f"old-{OLD_REVISION}"
    if not (root / "knowledge").is_dir():
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", OLD_REVISION],
            check=True,
            capture_output=True,
        ).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(root, filter="data")
    return compiled(Code("old", root))


def run(code: Code, args: list[str], stdin: str = "") -> Measured:
    """One command in a fresh process of `code`, its own peak memory read at its exit."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args],
        cwd=code.root,
        env={**os.environ, "PYTHONPATH": str(code.root)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(stdin)
    process.stdin.close()
    lines = [(time.perf_counter() - started, line.rstrip("\n")) for line in process.stdout]
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{code.name}: {' '.join(args)} exited with {process.returncode}")
    return Measured(
        seconds=time.perf_counter() - started, peak_mb=usage.ru_maxrss / 1024, lines=lines
    )


# --- the stores --------------------------------------------------------------------------


def archive_files(copies: int) -> list[Path]:
    """The archive's articles, `copies` times, one file a copy; copy k's ids end in ~k."""
    folder = BENCH_DIR / "archive"
    sources = [write_articles("trial"), write_articles("dev"), drcd_articles()]
    files = [folder / f"copy-{k}.jsonl" for k in range(copies)]
    if all(fresh(path, *sources, Path(__file__)) for path in files):
        return files
    articles = [json.loads(line) for source in sources for line in source.open(encoding="utf-8")]
    articles += [_simplified(article) for article in map(json.loads, drcd_articles().open())]
    for k, path in enumerate(files):
        lines = [json.dumps({**a, "id": f"{a['id']}~{k}"}, ensure_ascii=False) for a in articles]
        write_atomically(path, "\n".join(lines) + "\n")
    return files


def _simplified(article: dict[str, str]) -> dict[str, str]:
    import opencc

    convert = opencc.OpenCC("t2s").convert
    return {
        **article,
        "id": f"{article['id']}-s",
        "title": convert(article["title"]),
        "text": convert(article["text"]),
        "source": "DRCD dev, in Simplified script",
    }


def stores() -> dict[str, tuple[list[Path], list[str]]]:
    """Each store's sources and the questions its batch asks."""
    seed_questions = [json.loads(line)["question"] for line in SEED_QUESTIONS.open()]
    archive_questions = [q.question for q in read_questions("dev", BATCH + 1)]
    return {
        "seed": ([SEEDS], seed_questions),
        "archive": (archive_files(1), archive_questions),
        f"archive×{COPIES}": (archive_files(COPIES), archive_questions),
    }


# --- the measurements ------------------------------------------------------------------


def build(code: Code, sources: list[Path], store: Path) -> Measured:
    return run(code, ["-m", "knowledge", "build", *map(str, sources), "--out", str(store)])


def first_answer(code: Code, store: Path) -> Measured:
    """The second of two runs: bytecode compiled and the file in the page cache, as for a
    bot restarted on a machine that has run it before."""
    command = ["-m", "bot", "ask", "--store", str(store), QUESTION]
    run(code, command)
    return run(code, command)


def batch(code: Code, store: Path, questions: list[str]) -> float:
    """Seconds from the first answer to the last."""
    asked = questions[: BATCH + 1]
    measured = run(
        code,
        ["-m", "bot", "ask", "--store", str(store), "--json", "-"],
        stdin="\n".join(asked) + "\n",
    )
    if len(measured.lines) != len(asked):
        raise RuntimeError(f"{code.name}: {len(asked)} questions, {len(measured.lines)} answers")
    return measured.lines[-1][0] - measured.lines[0][0]


class Added(BaseModel):
    seconds: float
    longest_wait: float
    found: bool


def add_while_answering(store: Path, questions: list[str]) -> Added:
    """In a process of its own: this tree's engine, answering in a thread, and the add."""
    script = f"from benchmarks.scale import _add_here; _add_here({str(store)!r}, {questions!r})"
    measured = run(new_code(), ["-c", script])
    return Added.model_validate_json(measured.lines[-1][1])


def _add_here(store_path: str, questions: list[str]) -> None:
    from knowledge.engine import Engine
    from knowledge.library import Library

    with tempfile.TemporaryDirectory() as folder:
        library = Library(Path(folder), Path(store_path))
        engine = Engine(library.open())
        engine.answer(questions[0])
        answered: list[float] = []
        stop = threading.Event()

        def keep_answering() -> None:
            for question in cycle(questions):
                if stop.is_set():
                    return
                engine.answer(question)
                answered.append(time.perf_counter())

        answering = threading.Thread(target=keep_answering)
        answering.start()
        time.sleep(SETTLE)
        started = time.perf_counter()
        change = library.add(json.dumps(PROBE, ensure_ascii=False).encode(), ".jsonl")
        ended = time.perf_counter()
        time.sleep(SETTLE)
        stop.set()
        answering.join()
        installed = Engine(change.store)  # as the admin handler installs a change
        reply = installed.answer(PROBE_QUESTION)
        found = any(citation.article_id == PROBE["id"] for citation in reply.citations)
        library.remove(PROBE["id"])
    print(
        Added(
            seconds=ended - started,
            longest_wait=_longest_wait(answered, started, ended),
            found=found,
        ).model_dump_json()
    )


def _longest_wait(answered: list[float], started: float, ended: float) -> float:
    """The longest gap between answers that overlaps the add."""
    gaps = [
        later - earlier
        for earlier, later in pairwise(answered)
        if later >= started and earlier <= ended
    ]
    return max(gaps, default=ended - started)


# --- the run ---------------------------------------------------------------------------


def measure(
    name: str, code: Code, sources: list[Path], questions: list[str], folder: Path
) -> list[str]:
    store = folder / f"{name}.{code.name}.{'json' if code.name == 'old' else 'db'}"
    built = build(code, sources, store)
    answered = first_answer(code, store)
    in_batch = batch(code, store, questions)
    if code.name == "old":
        added = "rebuild"
    else:
        add = add_while_answering(store, questions)
        added = (
            f"{add.seconds:.2f} (wait {add.longest_wait:.2f}{'' if add.found else ', NOT FOUND'})"
        )
    return [
        name,
        code.name,
        f"{store.stat().st_size / 2**20:.1f}",
        f"{built.seconds:.0f}",
        f"{built.peak_mb:.0f}",
        f"{answered.seconds:.2f}",
        f"{answered.peak_mb:.0f}",
        f"{len(questions[: BATCH + 1]) - 1} in {in_batch:.2f}",
        added,
    ]


HEADERS = [
    "store",
    "code",
    "store MB",
    "build s",
    "build MB",
    "first answer s",
    "peak MB",
    "batch s",
    "add one s",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    choices = list(stores())
    parser.add_argument("--stores", nargs="+", choices=choices, default=choices)
    parser.add_argument("--codes", nargs="+", choices=["old", "new"], default=["old", "new"])
    options = parser.parse_args()
    codes = [{"old": old_code, "new": new_code}[name]() for name in options.codes]
    rows = []
    everything = stores()
    with tempfile.TemporaryDirectory(dir=BENCH_DIR) as folder:
        for name in options.stores:
            sources, questions = everything[name]
            for code in codes:
                rows.append(measure(name, code, sources, questions, Path(folder)))
                print(table(HEADERS, rows[-1:]), flush=True)
    print(table(HEADERS, rows))


if __name__ == "__main__":
    main()
