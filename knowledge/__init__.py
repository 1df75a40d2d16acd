"""The answer engine: builds the fact store from articles and answers questions from it.

Nothing here knows about Telegram; `bot/` and `handlers/` call in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.models import Answer, ChatContext


def answer(question: str, context: ChatContext | None = None) -> Answer:
    """Answer from the project's default store (imported here, not at package import,
    so that reading models does not load jieba)."""
    from knowledge.engine import default_engine

    return default_engine().answer(question, context)
