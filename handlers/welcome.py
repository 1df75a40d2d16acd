"""`/start`, `/help` and `/articles`: what the bot knows and how to ask it.

`/start` ends with example questions as buttons, so that a newcomer's first answer is
one tap away; the button carries the example's index, the question is looked up again.
"""

from __future__ import annotations

from telegram import Update

from handlers.buttons import examples_keyboard
from handlers.context import BotContext
from handlers.html_messages import Block, pack
from handlers.replies import reply_in_parts
from knowledge import texts

EXAMPLES = 3


async def start(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    engine = context.services.engine
    examples = engine.example_questions(EXAMPLES)
    blocks = [Block(texts.GREETING), *_article_list(context)]
    if examples:
        blocks.append(Block(texts.EXAMPLES_HEADING))
    keyboard = examples_keyboard(examples) if examples else None
    await reply_in_parts(message, pack(blocks), keyboard=keyboard)


async def help_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    help_text = texts.HELP.format(username=context.bot.username)
    await reply_in_parts(message, pack([Block(line) for line in help_text.splitlines()]))


async def articles(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    await reply_in_parts(message, pack(_article_list(context)))


def _article_list(context: BotContext) -> list[Block]:
    titles = [info.title for info in context.services.engine.store.infos()]
    return [
        Block(texts.ARTICLES_HEADING),
        *(
            Block(texts.ARTICLE_ITEM.format(number=number, title=title))
            for number, title in enumerate(titles, start=1)
        ),
    ]
