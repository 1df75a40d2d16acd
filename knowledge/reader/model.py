"""The reader's learned model: a linear ranker over candidates, trees that re-rank its best
ones, and two calibrated estimates, kept as a small JSON file and a trees file beside it.

Fitting lives in `benchmarks/train_reader.py` (scikit-learn, SciPy and LightGBM,
development dependencies); answering only needs the dot products and tree walks below.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from knowledge.reader.trees import Trees, TreesError

WEIGHTS = Path(__file__).parents[1] / "data" / "reader.json"
# The trees re-rank the linear ranker's best 50 candidates of a question (of several
# hundred): on the training folds re-ranking its best 10, 30 or all gives the same choice
# within 0.006, and 50 trees walks over 400 trees cost about a millisecond.
RERANKED = 50


class LinearModel(BaseModel):
    """weights · features + bias; the feature names say what each weight is for and let a
    stale weights file be told from a current one."""

    model_config = ConfigDict(frozen=True)

    features: list[str]
    weights: list[float]
    bias: float = 0.0

    def vector(self) -> np.ndarray:
        return np.asarray(self.weights, dtype=np.float32)


class ReaderWeights(BaseModel):
    model_config = ConfigDict(frozen=True)

    ranker: LinearModel = Field(description="scores candidates; the best one is the answer")
    evidence: LinearModel = Field(
        description="log-odds that the chosen sentence holds the answer: answer or refuse"
    )
    answer: LinearModel = Field(description="log-odds that the short answer itself is right")
    trees: str | None = Field(
        default=None, description="the file, beside this one, of the trees that re-rank"
    )
    trained_on: list[str] = Field(description="the training sets, for the record")
    seed: int


@dataclass(frozen=True)
class ReaderModel:
    """The weights with their trees, as read from disk."""

    weights: ReaderWeights
    trees: Trees | None = None


class ReaderModelError(RuntimeError):
    """The weights file is missing or was trained for other features."""


class Scorer:
    """A `LinearModel` ready to score: numpy weights made once."""

    def __init__(self, model: LinearModel, expected: list[str]) -> None:
        if model.features != expected:
            raise ReaderModelError(
                "the reader's weights were trained for other features; "
                "retrain them with `python -m benchmarks.train_reader`"
            )
        self.weights = model.vector()
        self.bias = np.float32(model.bias)

    def logits(self, features: np.ndarray) -> np.ndarray:
        return features @ self.weights + self.bias

    def probability(self, features: np.ndarray) -> float:
        return float(1.0 / (1.0 + np.exp(-self.logits(features))))


class Ranker:
    """Scores a question's candidates: the linear ranker's, and where there are trees, the
    trees' scores for its best `RERANKED` with every other candidate at minus infinity."""

    def __init__(self, linear: Scorer, trees: Trees | None) -> None:
        self.linear = linear
        self.trees = trees

    def logits(self, features: np.ndarray) -> np.ndarray:
        linear = self.linear.logits(features)
        if self.trees is None:
            return linear
        best = np.argsort(-linear, kind="stable")[:RERANKED]
        scores = np.full(len(features), -np.inf, dtype=np.float32)
        scores[best] = self.trees.score(features[best])
        return scores


@cache
def load_model(path: Path = WEIGHTS) -> ReaderModel:
    try:
        weights = ReaderWeights.model_validate_json(path.read_bytes())
    except FileNotFoundError as missing:
        raise ReaderModelError(
            f"no reader weights at {path}; train them with `python -m benchmarks.train_reader`"
        ) from missing
    if weights.trees is None:
        return ReaderModel(weights)
    try:
        return ReaderModel(weights, Trees.load(path.parent / weights.trees, weights.ranker.features))
    except TreesError as error:
        raise ReaderModelError(str(error)) from None


def save_model(model: ReaderModel, path: Path = WEIGHTS) -> None:
    """The trees first, then the weights that name them, each written whole and renamed."""
    weights = model.weights
    if model.trees is not None:
        trees = path.with_suffix(".trees.npz")
        model.trees.save(trees)
        weights = weights.model_copy(update={"trees": trees.name})
    temporary = path.with_suffix(".tmp")
    temporary.write_text(weights.model_dump_json(indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)
