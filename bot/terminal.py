"""The bot without Telegram: a chat in the terminal, and `ask` for scripts.

`ask -` is a contract with other programs: one question a line in, one JSON object a
line out, in the same order, each flushed as soon as it is written, so that a caller can
hold a conversation through a pipe. A blank line is a question too and gets its line, and
so does a line that is not UTF-8 (its reply says so) or one the engine fails on: one bad
line never ends the conversation. Lines are read as bytes and decoded one by one for that.
"""

from __future__ import annotations

import logging
import os
from typing import BinaryIO, TextIO

from pydantic import BaseModel, Field

from knowledge import texts
from knowledge.engine import Engine
from knowledge.models import Answer, ChatContext, Citation

log = logging.getLogger(__name__)


class AskResult(BaseModel):
    """One line of `ask --json` / `ask -`; the field order is part of the contract."""

    question: str
    answered: bool
    answer: str
    reply: str
    citations: list[Citation]
    confidence: float = Field(ge=0.0, le=1.0)

    @classmethod
    def of(cls, question: str, answer: Answer) -> AskResult:
        return cls(
            question=question,
            answered=answer.answered,
            answer=answer.answer,
            reply=answer.reply,
            citations=answer.citations,
            confidence=answer.confidence,
        )

    @classmethod
    def unanswered(cls, question: str, reply: str) -> AskResult:
        return cls(
            question=question, answered=False, answer="", reply=reply, citations=[], confidence=0
        )


def ask_one(engine: Engine, question: str, out: TextIO, *, as_json: bool) -> None:
    """`question` comes from the command line, where bytes that are not UTF-8 arrive as
    lone surrogates; `os.fsencode` gives the bytes back."""
    result = _result(engine, os.fsencode(question))
    print(result.model_dump_json() if as_json else result.reply, file=out)


def ask_lines(engine: Engine, lines: BinaryIO, out: TextIO) -> None:
    for line in iter(lines.readline, b""):
        print(_result(engine, line.rstrip(b"\r\n")).model_dump_json(), file=out)
        out.flush()


def _result(engine: Engine, line: bytes) -> AskResult:
    try:
        question = line.decode("utf-8")
    except UnicodeDecodeError:
        return AskResult.unanswered(line.decode("utf-8", "replace"), texts.NOT_UTF8)
    try:
        return AskResult.of(question, engine.answer(question))
    except Exception:
        log.exception("Could not answer %r", question[:200])
        return AskResult.unanswered(question, texts.ERROR_APOLOGY)


def chat(engine: Engine, lines: TextIO, out: TextIO, *, prompt: str = "") -> None:
    """Until end of input; each answer knows the previous exchange, as in Telegram."""
    previous: ChatContext | None = None
    while True:
        out.write(prompt)
        out.flush()
        line = lines.readline()
        if not line:
            if prompt:
                out.write("\n")
            return
        question = line.strip()
        if not question:
            continue
        if not _is_utf8(question):
            print(texts.NOT_UTF8, file=out, flush=True)
            continue
        answer = engine.answer(question, previous)
        previous = ChatContext(question=question, answer=answer)
        print(answer.reply, file=out, flush=True)


def _is_utf8(text: str) -> bool:
    """False for text read with `surrogateescape` from bytes that were not UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
