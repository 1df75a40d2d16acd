"""Telegram load: many questions from many chats through the fake Bot API, none lost or
duplicated, in two runs of the real `python -m bot` process.

1. With Telegram's limits in the rate limiter (30 messages a second overall, 20 a minute
   into one group): the bot must hold 30 answers a second.
2. With the limiter's rates lifted: at least 300 answers a second, and the time from an
   update being queued on the server to its answer arriving there at most 50 ms (p95).

Questions are offered at a steady rate, half of the chats private and half groups (where
each question mentions the bot). An answer is matched to its question by the message it
replies to in groups, and by order in private chats, which the bot keeps per chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import signal
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

from pydantic import BaseModel

from benchmarks import ROOT
from benchmarks.report import Target, Verdict, arguments, check, number, table, verdict_cells
from knowledge.engine import Engine
from tests.fake_bot_api import (
    BOT_USERNAME,
    TOKEN,
    ApiCall,
    FakeBotApi,
    Json,
    group_chat,
    person,
    private_chat,
)

LIMITED = "telegram limits"
LIFTED = "limits lifted"
TARGETS = {
    (LIMITED, "answers_per_s"): Target(metric="limited answers_per_s", threshold=28.5),
    (LIFTED, "answers_per_s"): Target(metric="lifted answers_per_s", threshold=300),
    (LIFTED, "p95_ms"): Target(metric="lifted p95_ms", threshold=50, at_most=True),
}
METRICS = ("answers_per_s", "p50_ms", "p95_ms")
UNANSWERABLE = ("这篇报道的记者今年多大？", "火星上有没有水？")


class RunResult(BaseModel):
    run: str
    questions: int
    answered: int
    lost: int
    duplicated: int
    seconds: float
    answers_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float


class LoadResult(BaseModel):
    runs: list[RunResult]
    verdicts: list[Verdict]


async def measure(
    run: str, questions: list[str], chats: int, rate: float, limits: dict[str, str]
) -> RunResult:
    async with FakeBotApi() as api:
        with tempfile.TemporaryDirectory() as scratch:
            async with running_bot(api, Path(scratch), limits):
                asked = await offer(api, questions, chats, rate)
                await wait_for_answers(api, len(asked))
        return score(run, api, asked)


@contextlib.asynccontextmanager
async def running_bot(
    api: FakeBotApi, scratch: Path, limits: dict[str, str]
) -> AsyncIterator[asyncio.subprocess.Process]:
    """The real `python -m bot` against `api`, polling; stopped with SIGTERM after."""
    bot = await _start_bot(api, scratch, limits)
    try:
        yield bot
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 15)


async def wait_for_answers(api: FakeBotApi, expected: int) -> None:
    """Until `expected` answers have arrived (or it is clear they will not), then a little
    longer, for duplicates to show. Looked at ten times a second: the list of calls grows
    long, and the bot needs the CPU more than this loop does."""
    deadline = time.monotonic() + 60 + expected / 30
    while len(api.calls_to("sendMessage")) < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.1)  # what is missing in the end is scored as lost
    await asyncio.sleep(0.5)


async def _start_bot(
    api: FakeBotApi, scratch: Path, limits: dict[str, str]
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": api.base_url,
        "DATABASE_PATH": str(scratch / "bot.sqlite3"),
        "LOG_LEVEL": "WARNING",
        **limits,
    }
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=scratch, env=env, stdin=asyncio.subprocess.DEVNULL
    )
    await api.wait_until(lambda: bool(api.calls_to("getUpdates")), 60, "the bot to poll")
    return bot


async def offer(
    api: FakeBotApi, questions: list[str], chats: int, rate: float
) -> list[tuple[Json, Json]]:
    """Queue the questions at `rate` a second, round-robin over the chats."""
    people = [person(5000 + n) for n in range(chats)]
    rooms = [private_chat(p) if n % 2 else group_chat(-5000 - n) for n, p in enumerate(people)]
    asked: list[tuple[Json, Json]] = []
    started = time.perf_counter()
    for index, question in enumerate(questions):
        delay = started + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        room, asker = rooms[index % chats], people[index % chats]
        text = question if room["type"] == "private" else f"@{BOT_USERNAME} {question}"
        asked.append((room, api.send_text(room, asker, text)))
    return asked


def score(run: str, api: FakeBotApi, asked: list[tuple[Json, Json]]) -> RunResult:
    answers = _answers_by_question(api.calls_to("sendMessage"), asked)
    latencies = sorted(
        (calls[0].at - api.pushed_at[key]) * 1000 for key, calls in answers.items() if calls
    )
    sent = api.calls_to("sendMessage")
    elapsed = max(call.at for call in sent) - min(api.pushed_at.values()) if sent else math.inf
    return RunResult(
        run=run,
        questions=len(asked),
        answered=sum(1 for calls in answers.values() if calls),
        lost=sum(1 for calls in answers.values() if not calls),
        duplicated=sum(len(calls) - 1 for calls in answers.values() if len(calls) > 1),
        seconds=elapsed,
        answers_per_s=len(sent) / elapsed,
        p50_ms=_percentile(latencies, 0.50),
        p95_ms=_percentile(latencies, 0.95),
        p99_ms=_percentile(latencies, 0.99),
    )


def _answers_by_question(
    sent: list[ApiCall], asked: list[tuple[Json, Json]]
) -> dict[tuple[int, int], list[ApiCall]]:
    answers: dict[tuple[int, int], list[ApiCall]] = {
        (room["id"], message["message_id"]): [] for room, message in asked
    }
    private_questions: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for room, message in asked:
        if room["type"] == "private":
            private_questions[room["id"]].append((room["id"], message["message_id"]))
    private_seen: Counter[int] = Counter()
    for call in sent:
        chat_id = call.params["chat_id"]
        if chat_id in private_questions:
            order = private_seen[chat_id]
            private_seen[chat_id] += 1
            queue = private_questions[chat_id]
            key = queue[order] if order < len(queue) else queue[-1]
        else:
            key = (chat_id, (call.params.get("reply_parameters") or {}).get("message_id"))
        answers.setdefault(key, []).append(call)
    return answers


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return math.nan
    return values[min(len(values) - 1, math.ceil(share * len(values)) - 1)]


def load_questions(count: int) -> list[str]:
    """`count` questions, the example questions and two the articles do not answer."""
    pool = [*Engine.load().example_questions(6), *UNANSWERABLE]
    return [pool[index % len(pool)] for index in range(count)]


async def evaluate(count: int, chats: int, rate: float) -> LoadResult:
    questions = load_questions(count)
    limited = {"RATE_LIMIT_PER_SECOND": "30", "RATE_LIMIT_PER_GROUP_PER_MINUTE": "20"}
    lifted = {"RATE_LIMIT_PER_SECOND": "0", "RATE_LIMIT_PER_GROUP_PER_MINUTE": "0"}
    runs = [
        await measure(LIMITED, questions, chats, rate, limited),
        await measure(LIFTED, questions, chats, rate, lifted),
    ]
    by_run = {result.run: result for result in runs}
    verdicts = [
        check(target, getattr(by_run[run], metric)) for (run, metric), target in TARGETS.items()
    ]
    verdicts += [
        check(
            Target(metric=f"{result.run} lost+duplicated", threshold=0, at_most=True),
            result.lost + result.duplicated,
        )
        for result in runs
    ]
    return LoadResult(runs=runs, verdicts=verdicts)


def render(result: LoadResult) -> str:
    headers = ["run", "questions", "answered", "lost", "duplicated", "seconds", *METRICS]
    rows = [
        [
            r.run,
            str(r.questions),
            str(r.answered),
            str(r.lost),
            str(r.duplicated),
            number(r.seconds, 1),
            *(number(getattr(r, metric), 1) for metric in METRICS),
        ]
        for r in result.runs
    ]
    checks = [[v.metric, number(v.value, 1), *verdict_cells(v)] for v in result.verdicts]
    return "\n\n".join(
        [table(headers, rows), table(["target", "value", "wanted", "result"], checks)]
    )


def main() -> None:
    parser = arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=100, help="chats asking (half groups)")
    parser.add_argument(
        "--rate",
        type=float,
        default=330,
        help="questions offered a second (a tenth above the target, to show it is held)",
    )
    options = parser.parse_args()
    result = asyncio.run(evaluate(options.limit or 1000, options.chats, options.rate))
    print(result.model_dump_json(indent=2) if options.json else render(result))
    if not all(verdict.passed for verdict in result.verdicts):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
