"""Life in groups: a short introduction when the bot is added, and following a group that
becomes a supergroup (it changes id; the conversations move with it)."""

from __future__ import annotations

import html

from telegram import ChatMember, ChatMemberUpdated, Update
from telegram.constants import ChatType

from handlers.context import BotContext
from knowledge import texts

PRESENT = frozenset({ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER})


async def on_membership(update: Update, context: BotContext) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return
    if _joined(change):
        await context.bot.send_message(change.chat.id, html.escape(texts.GROUP_INTRO))


def _joined(change: ChatMemberUpdated) -> bool:
    """Added, not merely promoted or restricted while already there."""
    was_there = change.old_chat_member.status in PRESENT
    return change.new_chat_member.status in PRESENT and not was_there


async def on_migration(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    conversations = context.services.conversations
    if message.migrate_to_chat_id:
        conversations.migrate(message.chat.id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        conversations.migrate(message.migrate_from_chat_id, message.chat.id)
