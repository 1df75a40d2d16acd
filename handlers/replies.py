"""Sending a text that may take several messages.

Only the first part quotes the message it answers (in groups, so that it is clear whose
question it is) and only the last carries the buttons, under the whole text.

A part Telegram refuses as HTML (entities it cannot parse, a length it counts higher
than we do) is sent again as plain text, which it always reads: the person gets the
answer without emphasis rather than not at all. A server error is tried once more after
a pause; a timeout is not, because the message may well have arrived.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest, NetworkError, TimedOut

log = logging.getLogger(__name__)

REFUSED_AS_HTML = ("can't parse entities", "message is too long")
RETRY_PAUSE = 1.0
"""Seconds before a part that met a server error is sent again."""
TAG = re.compile(r"</?[a-z][a-z-]*>")


async def reply_in_parts(
    message: Message,
    parts: list[str],
    *,
    quote: bool = False,
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await _send(message, part, quote=quote and index == 0, keyboard=keyboard if last else None)


async def _send(
    message: Message, part: str, *, quote: bool, keyboard: InlineKeyboardMarkup | None
) -> None:
    try:
        await message.reply_text(part, do_quote=quote, reply_markup=keyboard)
    except BadRequest as error:
        if not any(refusal in str(error).lower() for refusal in REFUSED_AS_HTML):
            raise
        log.warning("Telegram refused a reply as HTML (%s); sending it as plain text", error)
        await message.reply_text(
            plain_text(part), parse_mode=None, do_quote=quote, reply_markup=keyboard
        )
    except TimedOut:
        raise
    except NetworkError as error:
        log.warning("Sending a reply failed (%s); trying once more", error)
        await asyncio.sleep(RETRY_PAUSE)
        await message.reply_text(part, do_quote=quote, reply_markup=keyboard)


def plain_text(part: str) -> str:
    """What the reader would have seen of `part`: its tags dropped, its entities read.
    Every `<` in the text itself is escaped, so every one left starts a tag."""
    return html.unescape(TAG.sub("", part))
