"""How an answer and a cited paragraph look in Telegram.

The engine's `reply` is the text to send, already in the asker's script; here it only
gets its emphasis: the short answer (the first line of each part) in bold and each quoted
sentence, which the reply sets in 「」, as a quotation.
"""

from __future__ import annotations

from handlers.html_messages import Block, pack
from knowledge import texts
from knowledge.models import Answer, Article, Paragraph

PART_BREAK = "\n\n"


def answer_messages(answer: Answer, *, show_question: bool = False) -> list[str]:
    asked = [Block(texts.ASKED.format(question=answer.question), "i")] if show_question else []
    blocks = [
        _block(line, short_answer=answer.answered and index == 0)
        for part in answer.reply.split(PART_BREAK)
        for index, line in enumerate(part.splitlines())
    ]
    return pack([*asked, *blocks])


def _block(line: str, *, short_answer: bool) -> Block:
    if short_answer:
        return Block(line, "b")
    if len(line) > 2 and line.startswith("「") and line.endswith("」"):
        return Block(line[1:-1], "blockquote")
    return Block(line)


def paragraph_messages(article: Article, paragraph: Paragraph) -> list[str]:
    title = texts.PARAGRAPH_TITLE.format(title=article.title, paragraph=paragraph.number)
    return pack([Block(title, "b"), Block(paragraph.text, "blockquote")])
