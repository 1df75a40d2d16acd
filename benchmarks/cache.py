"""Derived benchmark files under var/bench/: rebuilt only when their sources changed.

Every benchmark corpus turns shared data into an articles file and a store. Building a
large store takes seconds, and several processes (benchmarks, training runs) may ask for
the same one at once, so a store is cached beside its sources and every write is atomic:
a reader sees the old file or the new one, never half of one.

A cached store counts as fresh when it is at least as new as its sources (cheap, checked
first) and its `source_digest` matches the sources and the build code now: the digest
covers knowledge/*.py and knowledge/data/, so a store built by an older fact extractor or
tokeniser is rebuilt instead of silently skewing the figures.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from knowledge.sources import expand
from knowledge.store import Store, StoreError, load_store, save_store, source_digest


def fresh(target: Path, *sources: Path) -> bool:
    """`target` exists and is at least as new as every one of `sources`."""
    if not target.exists():
        return False
    built = target.stat().st_mtime
    return all(built >= source.stat().st_mtime for source in sources)


def write_atomically(path: Path, text: str) -> Path:
    """Write beside the target, then rename; a unique temporary name so that two
    processes writing the same file at once do not clobber each other's half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def cached_store(sources: list[Path], path: Path) -> Store:
    """The store built from `sources`, loaded from `path` when fresh, else built and saved."""
    files = expand(sources)
    if fresh(path, *sources, *files):
        try:
            store = load_store(path)
        except StoreError:
            pass
        else:
            if store.source_digest == source_digest(sources):
                return store
    # Imported here so that processes that only load (the speed benchmark's workers)
    # do not carry the fact extractor's memory.
    from knowledge.build import build_store

    save_store(build_store(sources), path)
    return load_store(path)
