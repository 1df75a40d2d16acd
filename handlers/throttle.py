"""A per-person question limit, so that one person cannot drown the bot for everybody.

Over the limit a person is told once, politely, and then hears nothing until the window
has moved on: repeating the notice would only add to the flood.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from enum import StrEnum


class Verdict(StrEnum):
    ANSWER = "answer"
    WARN = "warn"
    IGNORE = "ignore"


class _Window:
    __slots__ = ("asked", "warned")

    def __init__(self) -> None:
        self.asked: deque[float] = deque()
        self.warned = False


class QuestionThrottle:
    def __init__(
        self,
        limit: int = 20,
        window_seconds: float = 60.0,
        capacity: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limit = limit
        self._window = window_seconds
        self._capacity = capacity
        self._clock = clock
        self._people: OrderedDict[int, _Window] = OrderedDict()

    def check(self, user_id: int) -> Verdict:
        """Count one question from `user_id` and say what to do with it."""
        now = self._clock()
        window = self._window_of(user_id)
        while window.asked and window.asked[0] <= now - self._window:
            window.asked.popleft()
        if len(window.asked) < self._limit:
            window.asked.append(now)
            window.warned = False
            return Verdict.ANSWER
        if window.warned:
            return Verdict.IGNORE
        window.warned = True
        return Verdict.WARN

    def _window_of(self, user_id: int) -> _Window:
        window = self._people.pop(user_id, None) or _Window()
        self._people[user_id] = window
        if len(self._people) > self._capacity:
            # The least recently active person; their window has long passed.
            self._people.popitem(last=False)
        return window
