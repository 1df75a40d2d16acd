"""Benchmarks: the engine against two retrieval baselines, on the same questions, in one run.

Run each from the project root, e.g. `python -m benchmarks.cmrc --limit 100`.
The evaluation data is read at run time from the shared directory beside the project;
everything the benchmarks derive from it goes under `var/bench/`.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BENCH_DIR = ROOT / "var" / "bench"
