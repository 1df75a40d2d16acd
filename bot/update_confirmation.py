"""Updates are confirmed to Telegram once they have been handled, not when they arrive.

Long polling confirms implicitly: each getUpdates passes the offset after the last update
received, and Telegram forgets everything before it. PTB polls again as soon as it has
queued a batch, so a process killed mid-burst would lose every update it had queued but
not yet answered. Here getUpdates first waits until the updates fetched before have been
handled: a bot killed and restarted is handed the unhandled ones again, and answers twice
only those it answered in the moment between handling and confirming.

The wait ends early only when handling has stalled: when no update has been handled for
`PATIENCE` seconds. Updates queued behind others in a busy burst keep the poll waiting as
long as answers keep going out; one that is stuck (a store being rebuilt, a reply waiting
for a busy group's rate limit) is confirmed while it is still being handled, together with
those queued behind it, so that one slow chat never stops everyone. Only such updates can
be lost to a kill.
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
"""Seconds without any update handled after which a poll stops waiting for those in hand."""


class UpdatesInHand:
    """The updates fetched and not yet handled, and when handling last made progress."""

    def __init__(self, patience: float = PATIENCE) -> None:
        self._patience = patience
        self._waited_on: set[int] = set()
        self._progress_at = 0.0
        self._handled = asyncio.Event()

    def fetched(self, update_ids: list[int]) -> None:
        self._waited_on.update(update_ids)
        self._progress_at = asyncio.get_running_loop().time()

    def handled(self, update_id: int) -> None:
        self._waited_on.discard(update_id)
        self._progress_at = asyncio.get_running_loop().time()
        self._handled.set()

    async def settled(self) -> None:
        """Until every update waited on has been handled, or none has for `patience`."""
        loop = asyncio.get_running_loop()
        while self._waited_on:
            self._handled.clear()
            patience_left = self._progress_at + self._patience - loop.time()
            try:
                await asyncio.wait_for(self._handled.wait(), max(patience_left, 0.0))
            except TimeoutError:
                self._waited_on.clear()  # confirmed by the next poll, still being handled


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
