"""Administrators change what the bot knows from a private chat: a `.txt` or `.jsonl`
document adds articles, `/remove ID` takes one out, `/reload` reads the sources on disk
again.

Registered for administrators in private chats only, so for anybody else none of this
exists. The work (building and checking the new store, and an engine on it) runs in a
worker thread, so everybody else keeps getting answers meanwhile; the new engine then
takes the old one's place in one assignment. A change that fails leaves the old engine
answering and tells the administrator why in one line.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import PurePosixPath

from telegram import Message, Update
from telegram.error import TelegramError

from handlers import fallbacks
from handlers.context import BotContext, Services
from handlers.html_messages import Block, pack
from handlers.replies import reply_in_parts
from knowledge import texts
from knowledge.engine import Engine
from knowledge.library import ArticleRef, Change, Library, LibraryError

log = logging.getLogger(__name__)


async def on_document(update: Update, context: BotContext) -> None:
    message = update.effective_message
    library = context.services.library
    if message is None or message.document is None:
        return
    if library is None:
        await fallbacks.not_text(update, context)
        return
    document = message.document
    # The document's name is read for its extension only; the library names the file.
    suffix = PurePosixPath(document.file_name or "").suffix
    try:
        library.check_document(suffix, document.file_size)
    except LibraryError as error:
        await _unchanged(message, error)
        return
    try:
        data = bytes(await (await document.get_file()).download_as_bytearray())
    except TelegramError as error:
        log.warning("Could not download a document: %s", error)
        await message.reply_text(html.escape(texts.ADMIN_DOWNLOAD_FAILED))
        return
    await _change(message, context, library, partial(library.add, data, suffix))


async def remove(update: Update, context: BotContext) -> None:
    found = await _library_for(update, context)
    if found is None:
        return
    message, library = found
    article_id = " ".join(context.args or [])
    if not article_id:
        articles = context.services.engine.store.infos()
        refs = [ArticleRef(id=article.id, title=article.title) for article in articles]
        await reply_in_parts(message, pack([Block(texts.ADMIN_REMOVE_USAGE), *_listed(refs)]))
        return
    await _change(message, context, library, partial(library.remove, article_id))


async def reload(update: Update, context: BotContext) -> None:
    found = await _library_for(update, context)
    if found is None:
        return
    message, library = found
    await _change(message, context, library, library.reload)


async def _library_for(update: Update, context: BotContext) -> tuple[Message, Library] | None:
    """The command's message and the library; without a library the command does not
    exist, and is answered as any unknown command is."""
    message = update.effective_message
    if message is None:
        return None
    library = context.services.library
    if library is None:
        await fallbacks.unknown_command(update, context)
        return None
    return message, library


async def _change(
    message: Message, context: BotContext, library: Library, make: Callable[[], Change]
) -> None:
    services = context.services
    try:
        change = await asyncio.to_thread(_make_and_install, services, library, make)
    except LibraryError as error:
        log.warning("Articles not changed for %s: %s", message.chat.id, error)
        await _unchanged(message, error)
        return
    log.info(
        "Articles changed by %s: %d added, %d removed, %d in all",
        message.chat.id,
        len(change.added),
        len(change.removed),
        change.total.articles,
    )
    await reply_in_parts(message, pack(_summary(change)))


def _make_and_install(services: Services, library: Library, make: Callable[[], Change]) -> Change:
    """Under the library's lock, so that engines are installed in the order changes were
    made; handlers read `services.engine` afresh for every update."""
    with library.lock:
        change = make()
        services.engine = Engine(change.store)
    return change


async def _unchanged(message: Message, error: LibraryError) -> None:
    await message.reply_text(html.escape(texts.ADMIN_UNCHANGED.format(reason=error)))


def _summary(change: Change) -> list[Block]:
    blocks: list[Block] = []
    if change.added:
        blocks.append(Block(texts.ADMIN_ADDED.format(**change.added_tally.model_dump())))
        blocks.extend(_listed(change.added))
    if change.removed:
        blocks.append(Block(texts.ADMIN_REMOVED))
        blocks.extend(_listed(change.removed))
    if not blocks:
        blocks.append(Block(texts.ADMIN_RELOADED))
    blocks.append(Block(texts.ADMIN_TOTAL.format(**change.total.model_dump()), "b"))
    return blocks


def _listed(refs: Iterable[ArticleRef]) -> list[Block]:
    return [Block(texts.ADMIN_ARTICLE_LINE.format(title=ref.title, id=ref.id)) for ref in refs]
