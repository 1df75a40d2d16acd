"""The re-ranking trees: numpy's walk over the complete trees gives LightGBM's own scores,
the file round-trips, and the ranker re-ranks only the linear ranker's best candidates."""

from __future__ import annotations

from pathlib import Path

import lightgbm
import numpy as np
import pytest

from benchmarks.fit_trees import complete_trees
from knowledge.reader.model import RERANKED, LinearModel, Ranker, Scorer
from knowledge.reader.trees import Trees, TreesError

NAMES = ["a", "b", "c", "d", "e"]
DEPTH = 4


def _booster(random: np.random.Generator) -> tuple[lightgbm.Booster, np.ndarray]:
    features = random.normal(size=(600, len(NAMES))).astype(np.float32)
    features[:, 3] = np.round(features[:, 3])  # ties on a threshold are where < and <= differ
    labels = ((features[:, 0] > 0.3) & (features[:, 3] >= 0)).astype(int)
    data = lightgbm.Dataset(features, labels, group=[30] * 20)
    parameters = {
        "objective": "lambdarank",
        "num_leaves": 7,
        "max_depth": DEPTH,
        "min_data_in_leaf": 5,
        "verbose": -1,
        "seed": 1,
        "num_threads": 1,
    }
    return lightgbm.train(parameters, data, 20), features


def test_the_complete_trees_score_as_lightgbm_does() -> None:
    booster, features = _booster(np.random.default_rng(0))
    trees = complete_trees(booster.dump_model(), NAMES, DEPTH)
    np.testing.assert_allclose(trees.score(features), booster.predict(features), atol=1e-5)


def test_a_tree_deeper_than_the_depth_is_refused() -> None:
    booster, _ = _booster(np.random.default_rng(0))
    with pytest.raises(ValueError, match="deeper"):
        complete_trees(booster.dump_model(), NAMES, 1)


def test_the_trees_file_round_trips_and_checks_its_features(tmp_path: Path) -> None:
    booster, features = _booster(np.random.default_rng(1))
    trees = complete_trees(booster.dump_model(), NAMES, DEPTH)
    path = tmp_path / "trees.npz"
    trees.save(path)
    loaded = Trees.load(path, NAMES)
    np.testing.assert_array_equal(loaded.score(features), trees.score(features))
    with pytest.raises(TreesError, match="retrain"):
        Trees.load(path, [*NAMES, "new"])
    path.write_bytes(b"not numpy")
    with pytest.raises(TreesError, match="cannot read"):
        Trees.load(path, NAMES)


def test_only_the_linear_rankers_best_are_reranked() -> None:
    booster, _ = _booster(np.random.default_rng(2))
    trees = complete_trees(booster.dump_model(), NAMES, DEPTH)
    candidates = np.random.default_rng(3).normal(size=(RERANKED * 3, len(NAMES)))
    linear = LinearModel(features=NAMES, weights=[0.0, 0.0, 0.0, 0.0, 1.0])
    scores = Ranker(Scorer(linear, NAMES), trees).logits(candidates.astype(np.float32))
    best_linear = set(np.argsort(-candidates[:, 4])[:RERANKED].tolist())
    assert set(np.flatnonzero(np.isfinite(scores)).tolist()) == best_linear
    assert int(np.argmax(scores)) in best_linear
