"""ALLOWED_CHAT_IDS: when it is set, the only chats the bot works in.

Checked before every other handler. Outside the list the bot says so in one line and, in
a group, leaves it; no other handler sees the update. Administrators' private chats are
always allowed, so that the list cannot lock them out of their own bot.
"""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from handlers.context import BotContext, Services
from handlers.groups import PRESENT
from knowledge import texts

log = logging.getLogger(__name__)


async def outside_allowed_chats(update: Update, context: BotContext) -> None:
    chat_id = _chat_id(update)
    if chat_id is None or _allowed(chat_id, context.services):
        return
    try:
        await _turn_away(update, context)
    except TelegramError as error:
        log.warning("Could not turn chat %s away: %s", chat_id, error)
    raise ApplicationHandlerStop


def _chat_id(update: Update) -> int | None:
    if update.effective_chat is not None:
        return update.effective_chat.id
    # An inline query has no chat: the person asking stands for their private chat.
    return update.effective_user.id if update.effective_user is not None else None


def _allowed(chat_id: int, services: Services) -> bool:
    allowed = services.allowed_chat_ids
    return not allowed or chat_id in allowed or chat_id in services.admin_ids


async def _turn_away(update: Update, context: BotContext) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(texts.CHAT_NOT_ALLOWED)
        return
    if update.inline_query is not None:
        await update.inline_query.answer([])
        return
    chat = update.effective_chat
    if chat is None:
        return
    line = html.escape(texts.CHAT_NOT_ALLOWED)
    if chat.type == ChatType.PRIVATE:
        if update.effective_message is not None:
            await update.effective_message.reply_text(line)
        return
    change = update.my_chat_member
    if change is not None and change.new_chat_member.status not in PRESENT:
        return  # removed, or its own leaving: nobody to tell
    try:
        await context.bot.send_message(chat.id, line)
    finally:
        await context.bot.leave_chat(chat.id)
    log.info("Left chat %s: not in ALLOWED_CHAT_IDS", chat.id)
