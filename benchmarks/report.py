"""What every benchmark prints: aligned tables, targets with pass/fail, the shared options."""

from __future__ import annotations

import argparse

from pydantic import BaseModel


class Target(BaseModel):
    metric: str
    threshold: float
    at_most: bool = False

    def met(self, value: float | None) -> bool:
        if value is None:
            return False
        return value <= self.threshold if self.at_most else value >= self.threshold

    def __str__(self) -> str:
        return f"{'≤' if self.at_most else '≥'} {self.threshold:g}"


class Verdict(BaseModel):
    """One target checked against the engine's result (the baselines have no targets)."""

    metric: str
    value: float | None
    target: str
    passed: bool


def check(target: Target, value: float | None) -> Verdict:
    return Verdict(metric=target.metric, value=value, target=str(target), passed=target.met(value))


def number(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def ratio(hits: int, total: int) -> float | None:
    return hits / total if total else None


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their widest cell; the first column left-aligned, the rest right."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        first, *rest = cells
        padded = [first.ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)
        ]
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), *(line(row) for row in rows)])


def verdict_cells(verdict: Verdict | None) -> list[str]:
    if verdict is None:
        return ["", ""]
    return [verdict.target, "pass" if verdict.passed else "FAIL"]


def arguments(
    description: str, limit_help: str = "only the first N questions"
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument("--limit", type=int, default=None, help=limit_help)
    return parser
