"""Whether a group message is meant for the bot, and what it asks if it is.

In a group the bot only speaks when spoken to: a mention of it anywhere in the text, or
a reply to one of its own messages. (`/ask` is a command, recognised by its handler.)
Mentions are read from the message's entities, which count in UTF-16 code units, never
by searching the text, so a bot name inside a word or a link is no mention.
"""

from __future__ import annotations

from telegram import Message, MessageEntity, User

SEPARATORS = " \t\n,，:：、"


def addressed_question(message: Message, bot: User) -> str | None:
    """The question with the mentions taken out, or None if the bot was not addressed."""
    mentions = [entity for entity in message.entities if _names(message, entity, bot)]
    if mentions:
        return _without(message.text or "", mentions)
    if _replies_to(message, bot):
        return (message.text or "").strip()
    return None


def _names(message: Message, entity: MessageEntity, bot: User) -> bool:
    if entity.type == MessageEntity.TEXT_MENTION:
        return entity.user is not None and entity.user.id == bot.id
    if entity.type == MessageEntity.MENTION and bot.username:
        return message.parse_entity(entity).lower() == f"@{bot.username.lower()}"
    return False


def _replies_to(message: Message, bot: User) -> bool:
    replied = message.reply_to_message
    return (
        replied is not None
        and replied.from_user is not None
        and replied.from_user.id == bot.id
        # In a forum every message "replies" to its topic's first message.
        and replied.forum_topic_created is None
    )


def _without(text: str, entities: list[MessageEntity]) -> str:
    encoded = text.encode("utf-16-le")
    kept: list[bytes] = []
    position = 0
    for entity in sorted(entities, key=lambda entity: entity.offset):
        kept.append(encoded[position * 2 : entity.offset * 2])
        position = entity.offset + entity.length
    kept.append(encoded[position * 2 :])
    words = (part.decode("utf-16-le").strip(SEPARATORS) for part in kept)
    return " ".join(word for word in words if word)
