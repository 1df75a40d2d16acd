"""Thin Telegram handlers, all registered here, in the one order they are tried.

The handlers only read updates and write messages; every answer comes from the engine.
In groups the bot is silent unless addressed, so group updates have no catch-all.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import (
    access,
    admin,
    button_presses,
    fallbacks,
    groups,
    inline,
    questions,
    stats,
    welcome,
)
from handlers.context import SERVICES, BotApplication, Services
from handlers.errors import on_error

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.CALLBACK_QUERY,
    Update.INLINE_QUERY,
    Update.MY_CHAT_MEMBER,
]
"""The updates the handlers use; asked for explicitly, Telegram remembers earlier choices."""


def register(application: BotApplication, services: Services) -> None:
    application.bot_data[SERVICES] = services
    new = filters.UpdateType.MESSAGE  # edited messages are not asked again
    private = new & filters.ChatType.PRIVATE
    in_groups = new & filters.ChatType.GROUPS
    admins = filters.User(user_id=services.admin_ids)
    # Before all others: outside ALLOWED_CHAT_IDS no other handler sees the update.
    application.add_handler(TypeHandler(Update, access.outside_allowed_chats), group=-1)
    application.add_handlers(
        [
            CommandHandler("start", welcome.start, filters=private),
            CommandHandler("help", welcome.help_command, filters=private),
            CommandHandler("articles", welcome.articles, filters=private),
            CommandHandler("ask", questions.ask_command, filters=new),
            CommandHandler("stats", stats.stats, filters=private & admins),
            CommandHandler("remove", admin.remove, filters=private & admins),
            CommandHandler("reload", admin.reload, filters=private & admins),
            MessageHandler(private & admins & filters.Document.ALL, admin.on_document),
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, questions.private_text),
            MessageHandler(in_groups & filters.TEXT & ~filters.COMMAND, questions.group_text),
            MessageHandler(new & filters.StatusUpdate.MIGRATE, groups.on_migration),
            MessageHandler(private & filters.COMMAND, fallbacks.unknown_command),
            MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, fallbacks.not_text),
            CallbackQueryHandler(button_presses.on_button),
            InlineQueryHandler(inline.on_inline_query),
            ChatMemberHandler(groups.on_membership, ChatMemberHandler.MY_CHAT_MEMBER),
        ]
    )
    application.add_error_handler(on_error)
