"""Fit the re-ranking trees with LightGBM's lambdarank and turn them into the complete
trees `knowledge/reader/trees.py` scores with numpy (LightGBM is a development dependency:
answering never imports it).

The settings were chosen on the training folds (held-out top candidate among the training
rows, CMRC/DRCD style / seed style): linear alone 0.465 / 0.649; 200 trees at rate 0.2
0.566 / 0.626; 400 trees at rate 0.1 0.582 / 0.676 (leaf-wise trees without a depth
limit: 0.594 / 0.680, but deeper trees cost a vectorised step each).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import lightgbm
import numpy as np

from knowledge.reader.trees import Trees

DEPTH = 6
PARAMETERS: dict[str, Any] = {
    "objective": "lambdarank",
    "learning_rate": 0.1,
    "num_leaves": 31,
    "max_depth": DEPTH,
    "min_data_in_leaf": 50,  # a leaf speaks for at least 50 candidates
    "feature_fraction": 0.5,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambdarank_truncation_level": 10,
    "verbose": -1,
    "num_threads": 2,
}
ROUNDS = 400


def fit_trees(
    features: Sequence[np.ndarray],
    positive: Sequence[np.ndarray],
    weights: Sequence[float],
    names: list[str],
    seed: int,
) -> Trees:
    """One question a query: its candidates' features, which of them are right, and the
    question's weight."""
    matrix = np.vstack(features)
    labels = np.concatenate(positive).astype(int)
    sizes = [len(p) for p in positive]
    row_weights = np.repeat(np.asarray(weights, dtype=np.float64), sizes)
    data = lightgbm.Dataset(
        matrix, labels, group=sizes, weight=row_weights / row_weights.mean(), feature_name=None
    )
    booster = lightgbm.train({**PARAMETERS, "seed": seed}, data, ROUNDS)
    return complete_trees(booster.dump_model(), names, DEPTH)


def complete_trees(dump: dict[str, Any], names: list[str], depth: int) -> Trees:
    """LightGBM's dumped trees as complete trees of `depth`: a leaf above the last level
    becomes a split that always goes left, over copies of itself."""
    splits = 2**depth - 1
    count = len(dump["tree_info"])
    split_feature = np.zeros((count, splits), dtype=np.intp)
    threshold = np.full((count, splits), np.inf)
    leaf_value = np.zeros((count, splits + 1), dtype=np.float32)

    def place(tree: int, node: dict[str, Any], index: int, level: int) -> None:
        if level == depth:
            if "leaf_value" not in node:
                raise ValueError(f"tree {tree} is deeper than {depth}")
            leaf_value[tree, index - splits] = node["leaf_value"]
            return
        if "leaf_value" in node:
            place(tree, node, 2 * index + 1, level + 1)
            place(tree, node, 2 * index + 2, level + 1)
            return
        if node["decision_type"] != "<=" or node["missing_type"] == "Zero":
            raise ValueError(f"tree {tree}: only numeric splits without zero-as-missing")
        split_feature[tree, index] = node["split_feature"]
        threshold[tree, index] = node["threshold"]
        place(tree, node["left_child"], 2 * index + 1, level + 1)
        place(tree, node["right_child"], 2 * index + 2, level + 1)

    for number, info in enumerate(dump["tree_info"]):
        place(number, info["tree_structure"], 0, 0)
    return Trees(
        features=tuple(names),
        split_feature=split_feature,
        threshold=threshold,
        leaf_value=leaf_value,
    )
