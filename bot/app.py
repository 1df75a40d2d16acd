"""The python-telegram-bot Application, wired from the settings and the services, and run.

Only `python -m bot` on Telegram imports this module (and with it python-telegram-bot
and the handlers); `ask` and `chat` answer without it.

Sending goes through PTB's AIORateLimiter, which keeps to Telegram's flood limits and
retries a 429 after the time Telegram asks for; fetching updates retries network errors
and 5xx on its own. Updates from different chats are handled in parallel, each chat's in
order (see `bot.chat_order`), and confirmed to Telegram only once handled (see
`bot.update_confirmation`).
"""

from __future__ import annotations

import asyncio
import sqlite3
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlparse

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, Defaults

from bot.config import ConfigError, Settings
from bot.update_confirmation import ConfirmAfterHandling, ReportingHandled, UpdatesInHand
from handlers import ALLOWED_UPDATES, register
from handlers.commands_menu import publish_commands
from handlers.context import BotApplication, BotContext, Services
from handlers.conversations import Conversations
from handlers.throttle import QuestionThrottle
from knowledge.engine import Engine
from knowledge.journal import Journal
from knowledge.library import Library

IN_FLIGHT = 16
"""Updates worked on at once, and HTTP connections to send their replies: a larger pool
costs httpcore more bookkeeping than it gains (see `bot.chat_order`)."""
ACCEPTED = 4096
"""Updates accepted at once; most of them wait for their chat or a slot."""
TOKEN_REFUSED = "Telegram refuses TELEGRAM_BOT_TOKEN; get the current one from @BotFather"
POLL_INTERVAL = 0.005
"""Seconds between two getUpdates calls: under load, updates are fetched a few at a
time instead of one request each, for at most this much more latency."""


def run_bot(settings: Settings, library: Library, *, webhook: bool) -> None:
    """On Telegram until stopped, answering from the library's articles."""
    engine = Engine(library.open())
    engine.warm_up()  # a long-running bot loads everything now, not while the first person waits
    journal = _open_journal(settings.database_path)
    try:
        services = Services(
            engine=engine,
            journal=journal,
            conversations=Conversations(),
            throttle=QuestionThrottle(limit=settings.questions_per_user_per_minute),
            admin_ids=settings.admin_user_ids,
            library=library,
            allowed_chat_ids=settings.allowed_chat_ids,
        )
        application = build_application(settings, services)
        asyncio.run(verify_token(application))
        if webhook:
            run_webhook(application, settings)
        else:
            run_polling(application)
    finally:
        journal.close()


def _open_journal(path: Path) -> Journal:
    try:
        return Journal(path)
    except (sqlite3.Error, OSError) as error:
        raise ConfigError(f"DATABASE_PATH {path}: cannot open the database ({error})") from None


def build_application(settings: Settings, services: Services) -> BotApplication:
    if settings.token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set (put it in .env)")
    in_hand = UpdatesInHand()
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .get_updates_request(ConfirmAfterHandling(in_hand))
        .context_types(ContextTypes(context=BotContext))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                # A question deleted before its answer arrives still gets the answer.
                allow_sending_without_reply=True,
            )
        )
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=settings.rate_limit_per_second,
                group_max_rate=settings.rate_limit_per_group_per_minute,
                max_retries=settings.rate_limit_max_retries,
            )
        )
        .concurrent_updates(ReportingHandled(in_hand, worked_on=IN_FLIGHT, held=ACCEPTED))
        .connection_pool_size(IN_FLIGHT)
        .post_init(publish_commands)
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    if settings.telegram_base_file_url:
        builder = builder.base_file_url(settings.telegram_base_file_url)
    application: BotApplication = builder.build()  # type: ignore[assignment]
    register(application, services)
    return application


async def verify_token(application: BotApplication) -> None:
    """A token Telegram rejects is a configuration mistake, told in one line before PTB
    would log it with a traceback; Telegram being unreachable is not, it is waited out."""
    try:
        async with application.bot:
            pass
    except InvalidToken:
        raise ConfigError(TOKEN_REFUSED) from None
    except NetworkError:
        return


def run_polling(application: BotApplication) -> None:
    """Until SIGINT or SIGTERM; PTB stops polling, finishes and shuts down cleanly.
    Telegram being unreachable at start-up is waited out like any later outage."""
    application.run_polling(
        allowed_updates=ALLOWED_UPDATES, poll_interval=POLL_INTERVAL, bootstrap_retries=-1
    )


def check_webhook(settings: Settings) -> None:
    """Before anything starts: a webhook needs an address and PTB's webhook server."""
    if not settings.webhook_url:
        raise ConfigError("--webhook needs WEBHOOK_URL, the public https address Telegram posts to")
    if find_spec("tornado") is None:
        raise ConfigError(
            "--webhook needs PTB's webhook server: pip install 'python-telegram-bot[webhooks]'"
        )


def run_webhook(application: BotApplication, settings: Settings) -> None:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    application.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlparse(settings.webhook_url).path.lstrip("/"),
        webhook_url=settings.webhook_url,
        secret_token=secret,
        allowed_updates=ALLOWED_UPDATES,
        bootstrap_retries=-1,
    )
