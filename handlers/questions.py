"""Questions, however they are asked: any text in a private chat, `/ask` anywhere, and in
groups a message that mentions the bot or replies to it.

Every way of asking ends in `answer_question`: the person's limit is checked, the engine
answers with the conversation's previous exchange as context, the outcome is journaled
and the answer sent, as a reply to the question in groups so that it is clear whose
question it answers.
"""

from __future__ import annotations

import html

from telegram import Message, Update, User
from telegram.constants import ChatType

from handlers.addressing import addressed_question
from handlers.answer_messages import answer_messages
from handlers.buttons import answer_keyboard
from handlers.context import BotContext
from handlers.replies import reply_in_parts
from handlers.throttle import Verdict
from knowledge import texts


async def private_text(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    await answer_question(message, message.text or "", update.effective_user, context)


async def ask_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    command_and_question = (message.text or "").split(maxsplit=1)
    question = command_and_question[1] if len(command_and_question) == 2 else ""
    await answer_question(message, question, update.effective_user, context)


async def group_text(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    question = addressed_question(message, context.bot.bot)
    if question is not None:
        await answer_question(message, question, update.effective_user, context)


async def answer_question(
    message: Message,
    question: str,
    asker: User,
    context: BotContext,
    *,
    show_question: bool = False,
) -> None:
    """Answer `question`, asked by `asker` in the chat of `message` (replied to in groups)."""
    services = context.services
    in_group = message.chat.type != ChatType.PRIVATE
    verdict = services.throttle.check(asker.id)
    if verdict is Verdict.IGNORE:
        return
    if verdict is Verdict.WARN:
        await message.reply_text(html.escape(texts.SLOW_DOWN), do_quote=in_group)
        return
    key = (message.chat.id, asker.id)
    answer = services.engine.answer(question, services.conversations.previous(key))
    question_id = None
    if question.strip():
        services.conversations.remember(key, answer)
        question_id = services.journal.record(message.chat.type, answer)
    keyboard = answer_keyboard(question_id, bool(answer.citations)) if question_id else None
    parts = answer_messages(answer, show_question=show_question)
    await reply_in_parts(message, parts, quote=in_group, keyboard=keyboard)
