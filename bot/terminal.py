"""The bot without Telegram: a chat in the terminal, and `ask` for scripts.

`ask -` is a contract with other programs: one question a line in, one JSON object a
line out, in the same order, each flushed as soon as it is written, so that a caller can
hold a conversation through a pipe. A blank line is a question too and gets its line.
"""

from __future__ import annotations

from typing import TextIO

from pydantic import BaseModel, Field

from knowledge.engine import Engine
from knowledge.models import Answer, ChatContext, Citation


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


def ask_one(engine: Engine, question: str, out: TextIO, *, as_json: bool) -> None:
    answer = engine.answer(question)
    print(AskResult.of(question, answer).model_dump_json() if as_json else answer.reply, file=out)


def ask_lines(engine: Engine, lines: TextIO, out: TextIO) -> None:
    for line in iter(lines.readline, ""):
        question = line.rstrip("\r\n")
        print(AskResult.of(question, engine.answer(question)).model_dump_json(), file=out)
        out.flush()


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
        answer = engine.answer(question, previous)
        previous = ChatContext(question=question, answer=answer)
        print(answer.reply, file=out, flush=True)
