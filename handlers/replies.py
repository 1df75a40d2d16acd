"""Sending a text that may take several messages.

Only the first part quotes the message it answers (in groups, so that it is clear whose
question it is) and only the last carries the buttons, under the whole text.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message


async def reply_in_parts(
    message: Message,
    parts: list[str],
    *,
    quote: bool = False,
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await message.reply_text(
            part, do_quote=quote and index == 0, reply_markup=keyboard if last else None
        )
