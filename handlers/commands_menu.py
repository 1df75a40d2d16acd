"""The commands menu Telegram shows beside the text field, published at start-up.

Private chats list everything; groups only `/ask`, the one command that makes sense there.
`/stats` is not listed: it is for administrators only.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.error import TelegramError
from telegram.ext import Application

from knowledge import texts

log = logging.getLogger(__name__)

ASK = BotCommand("ask", texts.COMMAND_ASK)
PRIVATE_COMMANDS = [
    BotCommand("start", texts.COMMAND_START),
    BotCommand("help", texts.COMMAND_HELP),
    BotCommand("articles", texts.COMMAND_ARTICLES),
    ASK,
]
GROUP_COMMANDS = [ASK]


async def publish_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """A menu that could not be published is no reason not to answer questions."""
    bot = application.bot
    try:
        await bot.set_my_commands(PRIVATE_COMMANDS, scope=BotCommandScopeAllPrivateChats())
        await bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())
    except TelegramError as error:
        log.warning("Could not publish the commands menu: %s", error)
