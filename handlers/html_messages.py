"""Telegram messages in HTML: every piece of text escaped, none longer than Telegram allows.

A message is built from blocks (a line of plain text, optionally in one tag). Blocks are
packed into as few messages as fit; a block too long for one message is cut, preferably
after a sentence, and each part keeps its tag, so that every message is valid on its own.
Lengths are counted in UTF-16 code units over the HTML source, which is never shorter
than what Telegram counts.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

MAX_MESSAGE = 4096
SENTENCE_ENDS = frozenset("。！？；!?;\n")
SPACES = frozenset(" \t　")


@dataclass(frozen=True, slots=True)
class Block:
    text: str
    tag: str | None = None

    def html(self) -> str:
        escaped = html.escape(self.text)
        return f"<{self.tag}>{escaped}</{self.tag}>" if self.tag else escaped


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def pack(blocks: list[Block], limit: int = MAX_MESSAGE) -> list[str]:
    """The blocks, one a line, in as few messages of at most `limit` as they fit."""
    messages: list[str] = []
    current = ""
    sendable = (Block(_encodable(block.text), block.tag) for block in blocks if block.text.strip())
    for piece in (piece for block in sendable for piece in _cut(block, limit)):
        joined = f"{current}\n{piece}" if current else piece
        if utf16_length(joined) <= limit:
            current = joined
            continue
        messages.append(current)
        current = piece
    if current:
        messages.append(current)
    return messages


def _encodable(text: str) -> str:
    """Lone surrogates (a Python string, and JSON, may hold them) cannot be sent as UTF-8."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _cut(block: Block, limit: int) -> list[str]:
    whole = block.html()
    if utf16_length(whole) <= limit:
        return [whole]
    budget = limit - utf16_length(Block("", block.tag).html())
    # A part that is only spaces would be an empty message, which Telegram refuses.
    return [Block(part, block.tag).html() for part in _split(block.text, budget) if part.strip()]


def _split(text: str, budget: int) -> list[str]:
    """Cut `text` into parts whose escaped length fits `budget`, at the last sentence end
    or space in a part when there is one in its second half, else where it is full."""
    parts: list[str] = []
    start = 0
    while start < len(text):
        end, used, last_break = start, 0, None
        while end < len(text):
            cost = utf16_length(html.escape(text[end]))
            if used + cost > budget:
                break
            used += cost
            end += 1
            if text[end - 1] in SENTENCE_ENDS or text[end - 1] in SPACES:
                last_break = end
        if end < len(text) and last_break is not None and last_break - start > (end - start) // 2:
            end = last_break
        end = max(end, start + 1)  # a budget smaller than one character still moves on
        parts.append(text[start:end])
        start = end
    return parts
