"""The systems every benchmark compares, built the same way from the same store."""

from __future__ import annotations

from benchmarks.baselines import Answerer, BM25Baseline, FuzzBaseline
from knowledge.store import Store

SYSTEMS = ("engine", "rapidfuzz", "bm25")


def make_system(name: str, store: Store) -> Answerer:
    if name == "engine":
        # Imported here so that a baseline's speed worker does not pay for loading it.
        from knowledge.engine import Engine

        return Engine(store)
    if name == "rapidfuzz":
        return FuzzBaseline(store)
    if name == "bm25":
        return BM25Baseline(store)
    raise ValueError(f"unknown system {name!r}; choose one of {', '.join(SYSTEMS)}")


def make_systems(store: Store) -> dict[str, Answerer]:
    return {name: make_system(name, store) for name in SYSTEMS}
