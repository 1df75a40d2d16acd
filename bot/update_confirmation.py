"""Updates are confirmed to Telegram once they have been handled, not when they arrive.

Long polling confirms implicitly: each getUpdates passes the offset after the last update
received, and Telegram forgets everything before it. PTB polls again as soon as it has
queued a batch, so a process killed mid-burst would lose every update it had queued but
not yet answered. Here getUpdates first waits until the updates fetched before have been
handled: a bot killed and restarted is handed the unhandled ones again, and answers twice
only those it answered in the moment between handling and confirming.

An update holds the others up for `PATIENCE` seconds at most. One that takes longer (a
store being rebuilt, a reply waiting for a busy group's rate limit) is confirmed while it
is still being handled, so that one slow chat never stops everyone; only such updates
can be lost to a kill.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.request import HTTPXRequest

from bot.chat_order import ChatOrderedProcessor

PATIENCE = 2.0
"""Seconds an update being handled may delay the confirmation of those fetched after it."""


class UpdatesInHand:
    """The updates fetched and not yet handled, each with when it was fetched."""

    def __init__(self, patience: float = PATIENCE) -> None:
        self._patience = patience
        self._fetched: dict[int, float] = {}
        self._handled = asyncio.Event()

    def fetched(self, update_ids: list[int]) -> None:
        now = asyncio.get_running_loop().time()
        self._fetched.update(dict.fromkeys(update_ids, now))

    def handled(self, update_id: int) -> None:
        self._fetched.pop(update_id, None)
        self._handled.set()

    async def settled(self) -> None:
        """Until every update fetched less than `patience` ago has been handled."""
        loop = asyncio.get_running_loop()
        while self._fetched:
            waited_on = [at for at in self._fetched.values() if loop.time() - at < self._patience]
            if not waited_on:
                return
            self._handled.clear()
            patience_left = min(waited_on) + self._patience - loop.time()
            try:
                await asyncio.wait_for(self._handled.wait(), patience_left)
            except TimeoutError:
                continue


class ConfirmAfterHandling(HTTPXRequest):
    """The connection getUpdates goes through (PTB's `get_updates_request`)."""

    def __init__(self, in_hand: UpdatesInHand, read_timeout: float | None = 5.0) -> None:
        super().__init__(connection_pool_size=1, read_timeout=read_timeout)
        self._in_hand = in_hand

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        await self._in_hand.settled()
        status, payload = await super().do_request(*args, **kwargs)
        if status == 200:
            self._in_hand.fetched(_update_ids(payload))
        return status, payload


class ReportingHandled(ChatOrderedProcessor):
    """The chat-ordered processor, telling `in_hand` when each update is done with."""

    def __init__(self, in_hand: UpdatesInHand, worked_on: int, held: int) -> None:
        super().__init__(worked_on=worked_on, held=held)
        self._in_hand = in_hand

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await super().do_process_update(update, coroutine)
        finally:
            if isinstance(update, Update):
                self._in_hand.handled(update.update_id)


def _update_ids(payload: bytes) -> list[int]:
    """The ids in a getUpdates answer; none if it is garbled (PTB reports that itself)."""
    try:
        return [int(update["update_id"]) for update in json.loads(payload)["result"]]
    except (ValueError, TypeError, KeyError):
        return []
