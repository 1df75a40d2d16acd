"""`/stats` for the bot's administrators: how many questions, how many answered, and the
latest ones the articles could not answer. Registered for administrators only, so that
for anybody else the command does not exist."""

from __future__ import annotations

from telegram import Update

from handlers.context import BotContext
from handlers.html_messages import Block, pack
from handlers.replies import reply_in_parts
from knowledge import texts
from knowledge.journal import JournalStats


async def stats(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    await reply_in_parts(message, pack(stats_blocks(context.services.journal.stats())))


def stats_blocks(stats: JournalStats) -> list[Block]:
    if not stats.questions:
        return [Block(texts.STATS_EMPTY)]
    blocks = [
        Block(
            texts.STATS_SUMMARY.format(
                questions=stats.questions, answered=stats.answered, rate=stats.answer_rate
            ),
            "b",
        ),
        Block(texts.STATS_FEEDBACK.format(helpful=stats.helpful, unhelpful=stats.unhelpful)),
        *(
            Block(texts.STATS_CHAT_TYPE.format(name=texts.CHAT_TYPE_NAMES.get(kind, kind), count=n))
            for kind, n in stats.by_chat_type.items()
        ),
    ]
    if stats.recent_unanswered:
        blocks.append(Block(texts.STATS_UNANSWERED))
        blocks.extend(Block(f"• {question}") for question in stats.recent_unanswered)
    return blocks
