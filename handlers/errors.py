"""The one place errors end up: logged, and the bot carries on.

Network trouble, flood control and people who blocked the bot are expected now and then
and need no traceback; anything else is a bug (a Bad Request is ours too), logged in full,
and a person waiting in a private chat is told that something went wrong.
"""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from handlers.context import BotContext
from knowledge import texts

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if _expected(error):
        log.warning("Telegram request failed (update %s): %s", update_id, error)
        return
    log.error("Update %s failed", update_id, exc_info=error)
    if isinstance(error, TelegramError) or not isinstance(update, Update):
        return
    message = update.effective_message
    if message is not None and message.chat.type == ChatType.PRIVATE:
        try:
            await message.reply_text(html.escape(texts.ERROR_APOLOGY))
        except TelegramError as apology_error:
            log.warning("Could not apologise for update %s: %s", update_id, apology_error)


def _expected(error: Exception | None) -> bool:
    if isinstance(error, BadRequest):
        return False
    return isinstance(error, NetworkError | RetryAfter | Forbidden)
