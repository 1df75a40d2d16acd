"""Private messages no other handler takes: unknown commands and anything but text.

In groups the bot stays silent about these; only private chats get a hint.
"""

from __future__ import annotations

import html

from telegram import Update

from handlers.context import BotContext
from knowledge import texts


async def unknown_command(update: Update, context: BotContext) -> None:
    await _hint(update, texts.UNKNOWN_COMMAND)


async def not_text(update: Update, context: BotContext) -> None:
    await _hint(update, texts.NON_TEXT_HINT)


async def _hint(update: Update, hint: str) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(html.escape(hint))
