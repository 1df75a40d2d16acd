"""CMRC 2018 dev, the reported set: every question asked of one store of all its passages.

Scored by the outside scorer (../shared/tools/score.py): whether the right passage is
cited first (hit@1), whether the first quote holds a gold answer (cite), the short
answer with the official EM and F1, the share answered, and answering speed; the engine
beside the two baselines in the same run. The reader is never trained or tuned on this
split (`benchmarks/train_reader.py` reads CMRC trial).

Data: CMRC 2018 (Cui et al., EMNLP 2019), CC BY-SA 4.0, read from ../shared/benchmarks/.
"""

from __future__ import annotations

import logging

from benchmarks.datasets import load_corpus
from benchmarks.report import Target, arguments, check, number, table, verdict_cells
from benchmarks.run_systems import render, run
from benchmarks.systems import make_systems

TARGETS = (
    Target(metric="hit@1", threshold=0.95),
    Target(metric="cite", threshold=0.80),
    Target(metric="EM", threshold=0.35),
    Target(metric="F1", threshold=0.55),
    Target(metric="answered", threshold=0.90),
)


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "trial"), default="dev")
    options = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    corpus = load_corpus(f"cmrc_{options.split}", options.limit)
    scores = run(corpus, make_systems(corpus.store))
    if options.json:
        print("\n".join(score.model_dump_json() for score in scores))
        return
    engine = scores[0].metrics
    print(
        f"CMRC 2018 {options.split}: {len(corpus.questions)} questions, "
        f"{len(corpus.store.articles)} passages"
    )
    print(render(scores))
    verdicts = [check(target, engine.get(target.metric)) for target in TARGETS]
    rows = [[v.metric, number(v.value), *verdict_cells(v)] for v in verdicts]
    print(table(["engine", "value", "target", ""], rows))


if __name__ == "__main__":
    main()
