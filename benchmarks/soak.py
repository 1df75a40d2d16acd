"""Soak: a long stream of questions from many chats through the fake Bot API, with the
rate limits lifted, into the real `python -m bot` process. It must keep up, lose and
repeat nothing, and not grow.

By default 20,000 questions from 500 chats (half private, half groups) are offered at 300
a second. A quarter of them carry a number of their own, so that the bot also meets text
it has not seen before instead of a few questions over and over. The bot's resident
memory (RSS, from /proc) is read once the first tenth of the answers are out, when its
caches and connection pools are warm, and again at the end: it may grow by a tenth at
most. Latency is from the question being queued on the server to its answer arriving
there, as in `benchmarks.telegram_load`, whose machinery this reuses.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import tempfile
from pathlib import Path

from pydantic import BaseModel

from benchmarks.report import Target, Verdict, check, number, table, verdict_cells
from benchmarks.telegram_load import (
    RunResult,
    load_questions,
    offer,
    running_bot,
    score,
    wait_for_answers,
)
from tests.fake_bot_api import FakeBotApi

LIFTED = {
    "RATE_LIMIT_PER_SECOND": "0",
    "RATE_LIMIT_PER_GROUP_PER_MINUTE": "0",
    "QUESTIONS_PER_USER_PER_MINUTE": "1000000",
}
"""Telegram's limits and the per-person limit out of the way: the bot itself is measured."""
WARM = 0.1
"""Share of the answers after which the starting RSS is read."""
MAX_GROWTH = 0.10
KEEP_UP = 0.95
"""Share of the offered rate the bot must answer at; latency is reported, not judged."""


class SoakResult(BaseModel):
    run: RunResult
    chats: int
    offered_per_s: float
    rss_start_mb: float
    rss_end_mb: float
    rss_peak_mb: float
    rss_growth: float
    verdicts: list[Verdict]


async def soak(count: int, chats: int, rate: float) -> SoakResult:
    questions = varied(load_questions(count))
    async with FakeBotApi() as api:
        with tempfile.TemporaryDirectory() as scratch:
            async with running_bot(api, Path(scratch), LIFTED) as bot:
                memory = RssSamples(bot.pid)
                sampling = asyncio.create_task(memory.sample(api, warm_after=int(count * WARM)))
                try:
                    asked = await offer(api, questions, chats, rate)
                    await wait_for_answers(api, len(asked))
                    memory.take(answered=len(api.calls_to("sendMessage")))
                finally:
                    sampling.cancel()
        run = score("soak", api, asked)
    growth = memory.last_mb / memory.warm_mb - 1 if memory.warm_mb else math.inf
    return SoakResult(
        run=run,
        chats=chats,
        offered_per_s=rate,
        rss_start_mb=memory.warm_mb,
        rss_end_mb=memory.last_mb,
        rss_peak_mb=memory.peak_mb,
        rss_growth=growth,
        verdicts=verdicts(run, rate, growth),
    )


def varied(questions: list[str]) -> list[str]:
    """Every fourth question made new by a number of its own."""
    return [
        f"{question}（第{index}问）" if index % 4 == 3 else question
        for index, question in enumerate(questions)
    ]


class RssSamples:
    """The bot's resident memory, read every second while it works."""

    def __init__(self, pid: int) -> None:
        self._status = Path(f"/proc/{pid}/status")
        self.warm_mb = 0.0
        self.last_mb = 0.0
        self.peak_mb = 0.0

    async def sample(self, api: FakeBotApi, warm_after: int) -> None:
        while True:
            self.take(answered=len(api.calls_to("sendMessage")), warm_after=warm_after)
            await asyncio.sleep(1.0)

    def take(self, answered: int, warm_after: int = 0) -> None:
        self.last_mb = rss_mb(self._status)
        self.peak_mb = max(self.peak_mb, self.last_mb)
        if not self.warm_mb and answered >= warm_after:
            self.warm_mb = self.last_mb


def rss_mb(status: Path) -> float:
    """VmRSS from /proc/<pid>/status, in MB."""
    for line in status.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ValueError(f"{status}: no VmRSS line")


def verdicts(run: RunResult, rate: float, growth: float) -> list[Verdict]:
    return [
        check(Target(metric="answers_per_s", threshold=KEEP_UP * rate), run.answers_per_s),
        check(Target(metric="rss growth", threshold=MAX_GROWTH, at_most=True), growth),
        check(
            Target(metric="lost+duplicated", threshold=0, at_most=True), run.lost + run.duplicated
        ),
    ]


def render(result: SoakResult) -> str:
    run = result.run
    headers = ["questions", "chats", "lost", "duplicated", "seconds", "answers_per_s"]
    headers += ["p50_ms", "p95_ms", "p99_ms", "rss_start_mb", "rss_end_mb", "rss_peak_mb"]
    row = [
        str(run.questions),
        str(result.chats),
        str(run.lost),
        str(run.duplicated),
        number(run.seconds, 1),
        number(run.answers_per_s, 1),
        number(run.p50_ms, 1),
        number(run.p95_ms, 1),
        number(run.p99_ms, 1),
        number(result.rss_start_mb, 1),
        number(result.rss_end_mb, 1),
        number(result.rss_peak_mb, 1),
    ]
    checks = [[v.metric, number(v.value, 3), *verdict_cells(v)] for v in result.verdicts]
    return "\n\n".join(
        [table(headers, [row]), table(["target", "value", "wanted", "result"], checks)]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument("--questions", type=int, default=20_000, help="questions asked in all")
    parser.add_argument("--chats", type=int, default=500, help="chats asking (half groups)")
    parser.add_argument("--rate", type=float, default=300, help="questions offered a second")
    options = parser.parse_args()
    result = asyncio.run(soak(options.questions, options.chats, options.rate))
    print(result.model_dump_json(indent=2) if options.json else render(result))
    if not all(verdict.passed for verdict in result.verdicts):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
