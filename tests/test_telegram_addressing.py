"""When a group message is meant for the bot, and what it then asks."""

from __future__ import annotations

import pytest
from telegram import Message, User

from handlers.addressing import addressed_question
from tests.fake_bot_api import BOT_ID, BOT_USERNAME, FakeBotApi, Json, group_chat, person

BOT = User(id=BOT_ID, first_name="新闻问答", is_bot=True, username=BOT_USERNAME)
ALICE = person(1, "小李")
GROUP = group_chat(-100)


def message(data: Json) -> Message:
    return Message.de_json(data, bot=None)


@pytest.mark.parametrize(
    ("text", "question"),
    [
        (f"@{BOT_USERNAME} 大桥多长？", "大桥多长？"),
        (f"大桥多长？@{BOT_USERNAME}", "大桥多长？"),
        (f"请问😀@{BOT_USERNAME}，大桥多长？", "请问😀 大桥多长？"),
        (f"@{BOT_USERNAME.upper()} 大桥多长？", "大桥多长？"),
        (f"@{BOT_USERNAME}", ""),
    ],
)
def test_a_mention_anywhere_addresses_the_bot(text: str, question: str) -> None:
    api = FakeBotApi()
    assert addressed_question(message(api.send_text(GROUP, ALICE, text)), BOT) == question


@pytest.mark.parametrize(
    "text",
    [
        "大桥多长？",
        "@other_bot 大桥多长？",
        f"@{BOT_USERNAME}x 大桥多长？",
        f"mail@{BOT_USERNAME} 大桥多长？",
        f"看 https://t.me/{BOT_USERNAME} 大桥多长？",
    ],
)
def test_anything_else_is_not_for_the_bot(text: str) -> None:
    api = FakeBotApi()
    assert addressed_question(message(api.send_text(GROUP, ALICE, text)), BOT) is None


def test_a_mention_by_name_without_username_counts() -> None:
    data = FakeBotApi().send_text(GROUP, ALICE, "新闻问答 大桥多长？")
    data["entities"] = [{"type": "text_mention", "offset": 0, "length": 4, "user": BOT.to_dict()}]
    assert addressed_question(message(data), BOT) == "大桥多长？"


def test_a_reply_to_the_bot_is_for_the_bot_a_reply_to_someone_else_is_not() -> None:
    api = FakeBotApi()
    from_bot = {**api.send_text(GROUP, ALICE, "x"), "from": BOT.to_dict()}
    from_bob = api.send_text(GROUP, person(2, "小王"), "y")

    assert (
        addressed_question(message(api.send_text(GROUP, ALICE, "投资呢？", reply_to=from_bot)), BOT)
        == "投资呢？"
    )
    assert (
        addressed_question(message(api.send_text(GROUP, ALICE, "投资呢？", reply_to=from_bob)), BOT)
        is None
    )


def test_writing_in_a_topic_the_bot_opened_is_not_a_reply_to_the_bot() -> None:
    api = FakeBotApi()
    forum = {**GROUP, "type": "supergroup", "is_forum": True}
    topic = api.create_topic(forum, BOT.to_dict(), "大桥")

    assert (
        addressed_question(message(api.send_text(forum, ALICE, "大家好", topic=topic)), BOT) is None
    )
