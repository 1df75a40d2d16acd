"""Button presses: an example question, 「原文」 under an answer, 👍 and 👎.

Every press is acknowledged exactly once (answerCallbackQuery), or the person's client
keeps showing a spinner; a press that cannot be served says why in that acknowledgement.
"""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType

from handlers.answer_messages import paragraph_messages
from handlers.buttons import Action, ButtonPress
from handlers.context import BotContext
from handlers.questions import answer_question
from handlers.replies import reply_in_parts
from handlers.welcome import EXAMPLES
from knowledge import texts
from knowledge.journal import CitedParagraph
from knowledge.models import Article, Paragraph
from knowledge.store import Store


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    press = ButtonPress.parse(query.data)
    message = query.message if isinstance(query.message, Message) else None
    if press is None or message is None:
        await query.answer(texts.BUTTON_EXPIRED)
        return
    match press.action:
        case Action.EXAMPLE:
            await _ask_example(query, message, press.number, context)
        case Action.SOURCE:
            await _show_source(query, message, press.number, context)
        case Action.HELPFUL | Action.UNHELPFUL:
            known = context.services.journal.set_feedback(
                press.number, helpful=press.action is Action.HELPFUL
            )
            await query.answer(texts.FEEDBACK_THANKS if known else texts.BUTTON_EXPIRED)


async def _ask_example(
    query: CallbackQuery, message: Message, index: int, context: BotContext
) -> None:
    examples = context.services.engine.example_questions(EXAMPLES)
    if index >= len(examples):
        await query.answer(texts.BUTTON_EXPIRED)
        return
    await query.answer()
    await answer_question(message, examples[index], query.from_user, context, show_question=True)


async def _show_source(
    query: CallbackQuery, message: Message, question_id: int, context: BotContext
) -> None:
    services = context.services
    cited = services.journal.cited_paragraph(question_id)
    found = _find(services.engine.store, cited) if cited else None
    if found is None:
        await query.answer(texts.SOURCE_MISSING)
        return
    await query.answer()
    article, paragraph = found
    in_group = message.chat.type != ChatType.PRIVATE
    await reply_in_parts(message, paragraph_messages(article, paragraph), quote=in_group)


def _find(store: Store, cited: CitedParagraph) -> tuple[Article, Paragraph] | None:
    """The paragraph as the store has it now; None if the store has changed since."""
    article = store.article(cited.article_id)
    if article is None:
        return None
    paragraph = article.paragraph(cited.paragraph)
    return (article, paragraph) if paragraph else None
