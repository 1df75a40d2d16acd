"""Ablation: what each group of the reader's features, and each hand-made signal, adds on
data it was not fitted to.

Refits from what `python -m benchmarks.train_reader` saved (var/bench/): the linear ranker
alone against the linear ranker with the trees that re-rank its best candidates; then, for
each group, the linear ranker refitted fold by fold with the group's columns zeroed (the
trees cost a minute a fold, the linear ranker seconds). Each is scored on the held-out fold:
the share of questions whose best-scored candidate is a right one, among the candidates
training kept. The two estimates are refitted the same way without a
decision signal, or without the sibling negatives, and scored on held-out choices.
Folds are the training folds: by passage and by page, never by question.
"""

from __future__ import annotations

import argparse

import numpy as np
from sklearn.linear_model import LogisticRegression

from benchmarks.report import table
from benchmarks.train_reader import (
    CALIBRATOR_C,
    DECISIONS,
    FOLDS,
    SEED,
    Decision,
    RankerRows,
    fit_ranker,
    fit_rankers,
    load_rows,
)
from knowledge.reader.decision import DECISION_FEATURES
from knowledge.reader.features import EDGES, FEATURES, SENTENCE_FEATURES, TYPES
from knowledge.words import WORD_CLASSES

CONFIDENT = 0.5
RANKER_GROUPS: dict[str, tuple[str, ...]] = {
    "slot alignment": (
        "left_match", "left_none", "right_match", "right_none", "right_inside",
        "left_window", "right_window", "ends_with_head", "head_follows",
        "anchor_distance", "anchor_none", "anchor_just_left", "anchor_just_right",
    ),
    "typed facts": tuple(
        name for name in FEATURES
        if "×" not in name and name.startswith(("fact_", "unit_", "role_"))
    ),
    "boundaries": (
        "starts_at_break", "ends_at_break", "first_function", "last_function", "commas",
        "enumeration", "splits_list", "unbalanced", "quoted",
    ),
    "parts of speech": tuple(
        name for name in FEATURES
        if name.split("×")[-1] in {f"{e}_{c}" for e in EDGES for c in WORD_CLASSES}
    ),
    "sentence retrieval": tuple(SENTENCE_FEATURES),
    "shape × answer type": tuple(name for name in FEATURES if "×" in name),
}  # fmt: skip
DECISION_GROUPS: dict[str, tuple[str, ...]] = {
    "unknown words": ("unknown_share",),
    "missing question words": ("question_pairs_missing", "question_words_missing"),
    "asked type": tuple(f"asks_{kind}" for kind in TYPES),
}


def ranker_top1(columns: list[int]) -> dict[str, float]:
    """Held-out share of questions whose top candidate is right, per question style."""
    rows, folds, weights, styles = load_rows()
    hits: dict[str, list[bool]] = {"cmrc": [], "seed": []}
    for fold in range(FOLDS):
        train = [_without(r, columns) for r, f in zip(rows, folds, strict=True) if f != fold]
        train_weights = [w for w, f in zip(weights, folds, strict=True) if f != fold]
        ranker = fit_ranker(train, train_weights)
        for row, row_fold, style in zip(rows, folds, styles, strict=True):
            if row_fold == fold:
                features = row.features.copy()
                features[:, columns] = 0.0
                hits[str(style)].append(bool(row.positive[int(np.argmax(features @ ranker))]))
    return {style: float(np.mean(found)) for style, found in hits.items() if found}


def reranked_top1() -> dict[str, dict[str, float]]:
    """Held-out top candidate right for the linear ranker alone and with the trees."""
    rows, folds, weights, styles = load_rows()
    hits: dict[str, dict[str, list[bool]]] = {
        model: {"cmrc": [], "seed": []} for model in ("linear", "linear + trees")
    }
    for fold in range(FOLDS):
        train = [r for r, f in zip(rows, folds, strict=True) if f != fold]
        train_weights = [w for w, f in zip(weights, folds, strict=True) if f != fold]
        fitted = fit_rankers(train, train_weights)
        ranker = fitted.ranker()
        for row, row_fold, style in zip(rows, folds, styles, strict=True):
            if row_fold != fold:
                continue
            for model, logits in (
                ("linear", row.features @ fitted.linear),
                ("linear + trees", ranker.logits(row.features)),
            ):
                hits[model][str(style)].append(bool(row.positive[int(np.argmax(logits))]))
    return {
        model: {style: float(np.mean(found)) for style, found in by_style.items() if found}
        for model, by_style in hits.items()
    }


def _without(rows: RankerRows, columns: list[int]) -> RankerRows:
    """The rows with the group's columns zeroed: the ranker is refitted without them, so
    that the other features can make up what they can."""
    features = rows.features.copy()
    features[:, columns] = 0.0
    return RankerRows(features=features, positive=rows.positive)


def calibrated(drop: list[int], *, siblings: bool = True) -> dict[str, float]:
    """Held-out refusal accuracy of the evidence estimate, and the share right among
    answers whose confidence passes 0.5."""
    made = [Decision.model_validate_json(line) for line in DECISIONS.read_text().splitlines()]
    keep = [n for n in range(len(DECISION_FEATURES)) if n not in drop]
    decided: list[bool] = []
    confident: list[bool] = []
    for fold in range(FOLDS):
        train = [d for d in made if d.fold != fold and (siblings or d.scenario != "sibling")]
        test = [d for d in made if d.fold == fold and d.style == "seed"]
        if not test:
            continue
        vectors = np.array([d.vector for d in train])[:, keep]
        weights = np.array([d.weight for d in train])
        tested = np.array([d.vector for d in test])[:, keep]
        for label in ("evidence", "answer"):
            labels = np.array([getattr(d, label) for d in train])
            model = LogisticRegression(C=CALIBRATOR_C, max_iter=2000, random_state=SEED)
            model.fit(vectors, labels, sample_weight=weights / weights.mean())
            chance = model.predict_proba(tested)[:, 1]
            truth = np.array([getattr(d, label) for d in test])
            if label == "evidence":
                decided += ((chance >= CONFIDENT) == truth).tolist()
            else:
                confident += truth[chance > CONFIDENT].tolist()
    return {
        "seed-style decisions right": float(np.mean(decided)),
        "right among confidence > 0.5": float(np.mean(confident)) if confident else 0.0,
        "confident answers": float(len(confident)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-ranker", action="store_true", help="only the estimates")
    parser.add_argument("--skip-trees", action="store_true", help="not linear against trees")
    parser.add_argument(
        "--group", action="append", choices=RANKER_GROUPS, help="only these feature groups"
    )
    options = parser.parse_args()
    if not options.skip_ranker and not options.skip_trees:
        rows = [[model, *_cells(top1)] for model, top1 in reranked_top1().items()]
        print("Ranker models, held-out top candidate right (among the candidates training kept)")
        print(table(["model", "CMRC/DRCD style", "seed/page style"], rows))
        print()
    if not options.skip_ranker:
        rows = [["all features", *_cells(ranker_top1([]))]]
        for name, group in RANKER_GROUPS.items():
            if options.group and name not in options.group:
                continue
            columns = [FEATURES.index(feature) for feature in group]
            rows.append([f"without {name}", *_cells(ranker_top1(columns))])
        print("Linear ranker, held-out top candidate right (among the candidates training kept)")
        print(table(["features", "CMRC/DRCD style", "seed/page style"], rows))
        print()
    full = calibrated([])
    rows = [["all signals", *_cells(full)]]
    for name, group in DECISION_GROUPS.items():
        drop = [DECISION_FEATURES.index(feature) for feature in group]
        rows.append([f"without {name}", *_cells(calibrated(drop))])
    rows.append(["without sibling negatives", *_cells(calibrated([], siblings=False))])
    print("Estimates, held out, on seed-style questions (dev pages and seed)")
    print(table(["signals", *full], rows))


def _cells(values: dict[str, float]) -> list[str]:
    return [f"{v:.0f}" if k == "confident answers" else f"{v:.3f}" for k, v in values.items()]


if __name__ == "__main__":
    main()
