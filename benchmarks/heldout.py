"""Held-out figures: each question answered by reader weights that never saw its passage
or its page, scored by the outside scorer beside the two baselines in the same run.

DRCD dev is read with 5-fold cross-validation over passages; the seed page and each dev
page with leave-one-page-out (each is a fold of its own). The fold weights come from
`python -m benchmarks.train_reader` (var/bench/folds/); the baselines answer the same
questions. `python -m benchmarks.heldout [--corpus NAME ...] [--limit N]`.
"""

from __future__ import annotations

import argparse
import logging

from benchmarks.baselines import Answerer
from benchmarks.datasets import PAGES, Corpus, load_corpus
from benchmarks.outside_score import OutsideScore, score_answers
from benchmarks.run_systems import BASELINES, answer_all, render, run
from benchmarks.systems import make_system
from benchmarks.train_reader import FOLD_DIR, FOLDS, fold_of
from knowledge.engine import Engine
from knowledge.models import Answer
from knowledge.reader.model import ReaderModelError, load_model

HELD_OUT = ("drcd", "seed", *PAGES)


def fold_engines(corpus: Corpus) -> dict[int, Engine]:
    engines: dict[int, Engine] = {}
    for number in range(FOLDS):
        path = FOLD_DIR / f"fold{number}.json"
        if not path.exists():
            raise ReaderModelError(f"no fold weights at {path}; run benchmarks.train_reader")
        engines[number] = Engine(corpus.store, load_model(path))
    return engines


def held_out_answers(corpus: Corpus) -> list[Answer]:
    """Every question answered by the engine of its own fold, in the corpus's order."""
    engines = fold_engines(corpus)
    answers: list[Answer] = []
    for question in corpus.questions:
        engine = engines[fold_of(corpus, question)]
        answered, _ = answer_all(engine, [question])
        answers.extend(answered)
    return answers


def evaluate(corpus: Corpus) -> list[OutsideScore]:
    engine = score_answers(corpus, held_out_answers(corpus), "engine (held out)")
    baselines: dict[str, Answerer] = {n: make_system(n, corpus.store) for n in BASELINES}
    return [engine, *run(corpus, baselines)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", choices=HELD_OUT)
    parser.add_argument("--limit", type=int, help="only the first N questions of each")
    options = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    for name in options.corpus or HELD_OUT:
        corpus = load_corpus(name, options.limit)
        print(f"{name}: {len(corpus.questions)} questions, {len(corpus.store.articles)} articles")
        print(render(evaluate(corpus)))
        print()


if __name__ == "__main__":
    main()
