"""Build: how long building a store takes and how big it is, for the seeds and CMRC dev.

The segmenter's dictionary (knowledge.words) is loaded first and timed on its own, so that
the build times are the store's work. Beside them, the time each system takes to get ready from the built store
(the engine's own set-up, the baselines' indexes).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from pydantic import BaseModel

from benchmarks.cmrc_articles import write_articles
from benchmarks.report import Target, Verdict, arguments, check, number, table, verdict_cells
from benchmarks.systems import SYSTEMS, make_system
from knowledge.build import build_store
from knowledge.store import SEEDS, load_store, save_store
from knowledge.words import ready

TARGETS = {
    "seeds": Target(metric="seeds build_s", threshold=1, at_most=True),
    "cmrc dev": Target(metric="cmrc dev build_s", threshold=30, at_most=True),
}


class BuildScores(BaseModel):
    articles: int
    sentences: int
    facts: int
    build_s: float
    store_bytes: int
    ready_s: dict[str, float]


class BuildResult(BaseModel):
    segmenter_init_s: float
    corpora: dict[str, BuildScores]
    targets: list[Verdict]


def stored_size(path: Path) -> int:
    return path.stat().st_size


def ready_time(name: str, path: Path) -> float:
    started = time.perf_counter()
    make_system(name, load_store(path))
    return time.perf_counter() - started


def measure(sources: list[Path]) -> BuildScores:
    """Build and write the store, as `python -m knowledge build` does; then time each
    system's start on it."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "store.db"
        started = time.perf_counter()
        store = build_store(sources)
        save_store(store, path)
        seconds = time.perf_counter() - started
        paragraphs = [p for article in store.articles for p in article.paragraphs]
        return BuildScores(
            articles=len(store.articles),
            sentences=sum(len(p.sentences) for p in paragraphs),
            facts=sum(len(article.facts) for article in store.articles),
            build_s=seconds,
            store_bytes=stored_size(path),
            ready_s={name: ready_time(name, path) for name in SYSTEMS},
        )


def cmrc_articles(directory: Path, limit: int | None) -> Path:
    """The CMRC dev articles file, or a copy of its first `limit` articles."""
    articles = write_articles("dev")
    if limit is None:
        return articles
    lines = articles.read_text(encoding="utf-8").splitlines(keepends=True)[:limit]
    copy = directory / articles.name
    copy.write_text("".join(lines), encoding="utf-8")
    return copy


def evaluate(limit: int | None = None) -> BuildResult:
    started = time.perf_counter()
    ready()
    segmenter_seconds = time.perf_counter() - started
    corpora = {"seeds": measure([SEEDS])}
    with tempfile.TemporaryDirectory() as directory:
        corpora["cmrc dev"] = measure([cmrc_articles(Path(directory), limit)])
    return BuildResult(
        segmenter_init_s=segmenter_seconds,
        corpora=corpora,
        targets=[check(target, corpora[name].build_s) for name, target in TARGETS.items()],
    )


def render(result: BuildResult) -> str:
    verdicts = {v.metric: v for v in result.targets}
    rows = [
        [
            name,
            str(s.articles),
            str(s.sentences),
            str(s.facts),
            number(s.build_s),
            f"{s.store_bytes:,}",
            *verdict_cells(verdicts.get(f"{name} build_s")),
        ]
        for name, s in result.corpora.items()
    ]
    ready = [
        [name, *(number(s.ready_s[system]) for system in SYSTEMS)]
        for name, s in result.corpora.items()
    ]
    return "\n".join(
        [
            f"build (segmenter's dictionary loaded first in {number(result.segmenter_init_s)} s)",
            table(
                ["corpus", "articles", "sentences", "facts", "build_s", "bytes", "target", "ok"],
                rows,
            ),
            "",
            "seconds to get ready from the built store",
            table(["corpus", *SYSTEMS], ready),
        ]
    )


def main() -> None:
    options = arguments(__doc__.splitlines()[0], "only the first N CMRC passages").parse_args()
    result = evaluate(options.limit)
    print(result.model_dump_json(indent=2) if options.json else render(result))


if __name__ == "__main__":
    main()
