"""What every handler gets besides the update: the engine and the bot's memory.

The services live in `bot_data`, put there once when the handlers are registered; the
custom context type gives handlers typed access instead of dictionary look-ups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from handlers.conversations import Conversations
from handlers.throttle import QuestionThrottle
from knowledge.engine import Engine
from knowledge.journal import Journal
from knowledge.library import Library

SERVICES = "services"


@dataclass(slots=True)
class Services:
    """`engine` is replaced, in one assignment, when an administrator changes the articles;
    handlers read it once per update. `library` is None where articles cannot change."""

    engine: Engine
    journal: Journal
    conversations: Conversations
    throttle: QuestionThrottle
    admin_ids: frozenset[int]
    library: Library | None = None
    allowed_chat_ids: frozenset[int] = frozenset()
    """Empty: every chat."""


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def services(self) -> Services:
        return self.bot_data[SERVICES]


BotApplication = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
