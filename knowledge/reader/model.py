"""The reader's learned weights: a linear ranker over candidates and two calibrated
estimates, kept as one small JSON file in the package.

Fitting lives in `benchmarks/train_reader.py` (scikit-learn and SciPy, development
dependencies); answering only needs the dot products below.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

WEIGHTS = Path(__file__).parents[1] / "data" / "reader.json"


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
    trained_on: list[str] = Field(description="the training sets, for the record")
    seed: int


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


@cache
def load_weights(path: Path = WEIGHTS) -> ReaderWeights:
    try:
        return ReaderWeights.model_validate_json(path.read_bytes())
    except FileNotFoundError as missing:
        raise ReaderModelError(
            f"no reader weights at {path}; train them with `python -m benchmarks.train_reader`"
        ) from missing


def save_weights(weights: ReaderWeights, path: Path = WEIGHTS) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(weights.model_dump_json(indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)
