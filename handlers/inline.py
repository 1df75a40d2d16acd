"""Inline mode: `@bot question` in any chat offers the answer, ready to send there.

The first result answers the question as typed; the next ones answer the questions the
engine suggests instead, so that a question the articles do not cover still offers
something useful. An empty query offers the example questions, answered.
"""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update

from handlers.answer_messages import answer_messages
from handlers.context import BotContext
from knowledge import texts
from knowledge.models import Answer

RESULTS = 4
CACHE_SECONDS = 300


async def on_inline_query(update: Update, context: BotContext) -> None:
    query = update.inline_query
    if query is None:
        return
    answers = _answers(query.query.strip(), context)
    await query.answer(
        [_result(str(index), answer) for index, answer in enumerate(answers)],
        cache_time=CACHE_SECONDS,
    )


def _answers(question: str, context: BotContext) -> list[Answer]:
    engine = context.services.engine
    if not question:
        return [engine.answer(example) for example in engine.example_questions(RESULTS)]
    first = engine.answer(question)
    others = [suggestion for suggestion in first.suggestions if suggestion != question]
    return [first, *(engine.answer(other) for other in others[: RESULTS - 1])]


def _result(result_id: str, answer: Answer) -> InlineQueryResultArticle:
    # Inline results are single messages: the answer's first part, which holds its core.
    text = answer_messages(answer, show_question=True)[0]
    return InlineQueryResultArticle(
        id=result_id,
        title=answer.answer if answer.answered else texts.INLINE_NOT_FOUND,
        description=answer.question,
        input_message_content=InputTextMessageContent(text),
    )
