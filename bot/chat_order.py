"""Updates from different chats are handled side by side, those from one chat in order.

Handling updates one at a time would make every chat wait for the slowest reply anywhere;
handling all of them at once would let a follow-up overtake the question it follows, and
answers arrive out of order. One lock per chat gives both: chats run in parallel, each
chat's messages are answered in the order they were written.

How many updates are worked on at once is limited after the chat's lock is taken, so that
updates queueing behind their own chat never hold up other chats; and the limit is small,
because beyond a few dozen requests in flight the HTTP connection pool spends more time
managing itself than sending.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, worked_on: int, held: int) -> None:
        """`worked_on` updates are handled at once; `held` are accepted at once, most of
        them waiting for their chat or a free slot."""
        super().__init__(held)
        self._slots = asyncio.Semaphore(worked_on)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: Counter[int] = Counter()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            # Inline queries belong to no chat and need no order.
            async with self._slots:
                await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._waiting[chat.id] += 1
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            self._waiting[chat.id] -= 1
            if not self._waiting[chat.id]:
                # Nobody else holds or awaits it: forget the chat, keep memory bounded.
                del self._waiting[chat.id], self._locks[chat.id]

    async def initialize(self) -> None:
        """Nothing to set up: locks are made as chats appear."""

    async def shutdown(self) -> None:
        """Nothing to free: a lock is dropped as soon as its chat is idle."""
