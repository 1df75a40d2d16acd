"""The bot end to end: the real python-telegram-bot Application against a fake Bot API
server on 127.0.0.1, with a small article written for these tests."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import signal
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import POLL_INTERVAL, build_application
from bot.config import Settings
from bot.log_redaction import configure_logging
from handlers import ALLOWED_UPDATES
from handlers.context import BotApplication, Services
from handlers.conversations import Conversations
from handlers.throttle import QuestionThrottle
from knowledge import texts
from knowledge.build import build_store
from knowledge.engine import Engine
from knowledge.journal import Journal
from knowledge.models import Answer, ChatContext
from knowledge.store import save_store
from tests.fake_bot_api import (
    BOT_USERNAME,
    TOKEN,
    ApiCall,
    FakeBotApi,
    Json,
    group_chat,
    person,
    private_chat,
    supergroup_chat,
    utf16_length,
    visible_text,
)

ARTICLE = {
    "id": "bridge",
    "title": "青石河大桥正式通车",
    "source": "测试日报",
    "date": "2024-05-01",
    "authors": ["王小明"],
    "text": "\n".join(
        [
            "5月1日上午，青石河大桥正式通车，两岸居民从此告别轮渡过河的日子。",
            "大桥全长约3.2公里，总投资18亿元，建设工期历时26个月。",
            "市交通运输局局长李华表示，大桥通车后，两岸之间的通行时间将从40分钟缩短到8分钟。",
            "大桥设计日通行量为4.5万辆，桥面设有双向六车道和两条非机动车道。",
        ]
    ),
}
COST = "大桥总投资多少亿元？"
LENGTH = "大桥全长多少公里？"
# PTB's own RetryAfter reads its deprecated int attribute when a 429 arrives.
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

PROJECT = Path(__file__).resolve().parents[1]
ALICE = person(101, "小李")
BOB = person(102, "小王")
ADMIN = person(900, "管理员")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("store")
    source = folder / "articles.jsonl"
    source.write_text(json.dumps(ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    path = folder / "store.json"
    save_store(build_store([source]), path)
    return path


@pytest.fixture(scope="module")
def engine(store_path: Path) -> Engine:
    return Engine.load(store_path)


@dataclass
class Running:
    api: FakeBotApi
    application: BotApplication
    services: Services


@asynccontextmanager
async def running_bot(engine: Engine, tmp_path: Path, **settings: Any) -> AsyncIterator[Running]:
    """The bot polling the fake server, started and stopped as `Application.run_polling`
    does it, inside the test's event loop. Telegram's rate limits are lifted unless a
    test sets them."""
    async with FakeBotApi() as api:
        config = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=TOKEN,
            telegram_base_url=api.base_url,
            telegram_base_file_url=api.base_file_url,
            database_path=tmp_path / "bot.sqlite3",
            admin_user_ids=frozenset({ADMIN["id"]}),
            **{"rate_limit_per_second": 0, "rate_limit_per_group_per_minute": 0, **settings},
        )
        services = Services(
            engine=engine,
            journal=Journal(config.database_path),
            conversations=Conversations(),
            throttle=QuestionThrottle(limit=config.questions_per_user_per_minute),
            admin_ids=config.admin_user_ids,
        )
        application = build_application(config, services)
        await application.initialize()
        assert application.post_init is not None and application.updater is not None
        await application.post_init(application)
        await application.updater.start_polling(
            poll_interval=POLL_INTERVAL,
            allowed_updates=ALLOWED_UPDATES,
            error_callback=lambda error: application.create_task(
                application.process_error(update=None, error=error)
            ),
        )
        await application.start()
        try:
            yield Running(api=api, application=application, services=services)
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()
            services.journal.close()


def shown(call: ApiCall) -> str:
    """What the person reads."""
    return visible_text(call.params["text"], call.params.get("parse_mode"))


def replied_to(call: ApiCall) -> int | None:
    return (call.params.get("reply_parameters") or {}).get("message_id")


def buttons(call: ApiCall) -> list[Json]:
    markup = call.params.get("reply_markup") or {"inline_keyboard": []}
    return [button for row in markup["inline_keyboard"] for button in row]


async def settle(api: FakeBotApi, chat: Json, sender: Json) -> list[ApiCall]:
    """What was sent to `chat` in answer to everything before now. Each chat's updates
    are handled in order, so once a marker sent now is answered, all before it were."""
    if chat["type"] == "private":
        api.send_text(chat, sender, "/help")
        first_help_line = texts.HELP.splitlines()[0]
        is_marker = lambda call: shown(call).startswith(first_help_line)  # noqa: E731
    else:
        marker = api.send_text(chat, sender, f"/ask@{BOT_USERNAME} {LENGTH}")
        is_marker = lambda call: replied_to(call) == marker["message_id"]  # noqa: E731
    await api.wait_until(
        lambda: any(is_marker(c) for c in api.sent_to(chat["id"])), what="the marker's answer"
    )
    return [c for c in api.sent_to(chat["id"]) if not is_marker(c)]


# --- private chats ---------------------------------------------------------------------


async def test_start_greets_lists_articles_and_offers_example_questions(
    engine: Engine, tmp_path: Path
) -> None:
    async with running_bot(engine, tmp_path) as bot:
        bot.api.send_text(private_chat(ALICE), ALICE, "/start")
        [greeting] = await bot.api.wait_for_messages(1)

        assert ARTICLE["title"] in shown(greeting)
        examples = buttons(greeting)
        assert [b["text"] for b in examples] == engine.example_questions(3)
        assert all(len(b["callback_data"].encode()) <= 64 for b in examples)

        bot.api.press_button(greeting.result, examples[0]["callback_data"], ALICE)
        await bot.api.wait_for_messages(2)
        answer = bot.api.sent_to(ALICE["id"])[1]
        assert examples[0]["text"] in shown(answer)  # the question it answers is shown
        assert "来源：《青石河大桥正式通车》" in shown(answer)
        assert len(bot.api.calls_to("answerCallbackQuery")) == 1


async def test_commands_menu_is_published_in_chinese(engine: Engine, tmp_path: Path) -> None:
    async with running_bot(engine, tmp_path) as bot:
        menus = {
            call.params["scope"]["type"]: [c["command"] for c in call.params["commands"]]
            for call in bot.api.calls_to("setMyCommands")
        }
        assert menus == {
            "all_private_chats": ["start", "help", "articles", "ask"],
            "all_group_chats": ["ask"],
        }
        descriptions = bot.api.calls_to("setMyCommands")[0].params["commands"]
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in c["description"]) for c in descriptions)


async def test_private_question_is_answered_with_the_number_and_its_source(
    engine: Engine, tmp_path: Path
) -> None:
    async with running_bot(engine, tmp_path) as bot:
        bot.api.send_text(private_chat(ALICE), ALICE, COST)
        [answer] = await bot.api.wait_for_messages(1)

        assert answer.params["parse_mode"] == "HTML"
        assert answer.params["text"].startswith("<b>18亿元</b>")
        text = shown(answer)
        assert "<blockquote>大桥全长约3.2公里，总投资18亿元" in answer.params["text"]
        assert "来源：《青石河大桥正式通车》第 2 段" in text
        assert replied_to(answer) is None  # no need to quote in a private chat
        assert [b["text"] for b in buttons(answer)] == ["「原文」", "👍", "👎"]
        previous = bot.services.conversations.previous((ALICE["id"], ALICE["id"]))
        assert previous is not None and previous.question == COST


async def test_ask_command_help_and_articles_in_private(engine: Engine, tmp_path: Path) -> None:
    async with running_bot(engine, tmp_path) as bot:
        chat = private_chat(ALICE)
        for text in (f"/ask {LENGTH}", "/help", "/articles", "/ask"):
            bot.api.send_text(chat, ALICE, text)
        ask, help_, articles, empty_ask = await bot.api.wait_for_messages(4)

        assert "3.2公里" in shown(ask).splitlines()[0]
        assert f"@{BOT_USERNAME}" in shown(help_)
        assert "1. 《青石河大桥正式通车》" in shown(articles)
        assert shown(empty_ask).startswith(texts.EMPTY_QUESTION)


async def test_non_text_and_unknown_commands_get_a_hint(engine: Engine, tmp_path: Path) -> None:
    async with running_bot(engine, tmp_path) as bot:
        chat = private_chat(ALICE)
        bot.api.send_sticker(chat, ALICE)
        bot.api.send_text(chat, ALICE, "/frobnicate")
        sticker_hint, unknown = await bot.api.wait_for_messages(2)

        assert shown(sticker_hint) == texts.NON_TEXT_HINT
        assert shown(unknown) == texts.UNKNOWN_COMMAND


async def test_a_long_question_of_markup_and_emoji_is_escaped_and_split(
    engine: Engine, tmp_path: Path
) -> None:
    """4096 characters of Chinese, emoji and would-be HTML, asked and then read back
    by /stats, which has to show it escaped and in parts Telegram accepts."""
    unit = "大桥<b>通车</b>&amp;😀"
    question = (unit * (4096 // len(unit) + 1))[:4096]
    async with running_bot(engine, tmp_path) as bot:
        chat = private_chat(ADMIN)
        bot.api.send_text(chat, ADMIN, question)
        await bot.api.wait_for_messages(1)
        bot.api.send_text(chat, ADMIN, "/stats")
        stats = (await settle(bot.api, chat, ADMIN))[1:]

        assert not [c for c in bot.api.calls if c.status not in (0, 200)]
        assert len(stats) >= 2
        assert all(utf16_length(c.params["text"]) <= 4096 for c in stats)
        read_back = "".join(shown(c) for c in stats)
        assert "<b>通车</b>&amp;😀" in read_back
        assert question.replace("\n", "") in read_back.replace("\n", "")


# --- groups ----------------------------------------------------------------------------


async def test_group_answers_only_when_addressed_and_always_as_a_reply(
    engine: Engine, tmp_path: Path
) -> None:
    group = group_chat(-1001)
    async with running_bot(engine, tmp_path) as bot:
        api = bot.api
        api.send_text(group, ALICE, COST)  # not addressed
        api.send_sticker(group, ALICE)
        api.send_text(group, ALICE, f"/ask@other_bot {COST}")
        mention = api.send_text(group, ALICE, f"请问😀 {COST} @{BOT_USERNAME}")
        [first] = await api.wait_for_messages(1)
        reply = api.send_text(group, BOB, LENGTH, reply_to=first.result)
        command = api.send_text(group, BOB, f"/ask@{BOT_USERNAME} {COST}")
        await api.wait_for_messages(3)

        answers = api.sent_to(group["id"])
        assert [replied_to(c) for c in answers] == [
            mention["message_id"],
            reply["message_id"],
            command["message_id"],
        ]
        first_lines = [shown(c).splitlines()[0] for c in answers]
        assert first_lines[0] == first_lines[2] == "18亿元" and "3.2公里" in first_lines[1]
        assert bot.services.conversations.previous((group["id"], BOB["id"])) is not None
        assert len(await settle(api, group, ALICE)) == 3  # nothing else was said


async def test_forum_topic_question_is_answered_in_its_topic(
    engine: Engine, tmp_path: Path
) -> None:
    forum = supergroup_chat(-1002, forum=True)
    async with running_bot(engine, tmp_path) as bot:
        topic = bot.api.create_topic(forum, ALICE, "大桥")
        bot.api.send_text(forum, ALICE, "随便聊聊", topic=topic)  # replies to the topic's start
        question = bot.api.send_text(forum, ALICE, f"@{BOT_USERNAME} {COST}", topic=topic)
        [answer] = await bot.api.wait_for_messages(1)

        assert answer.params["message_thread_id"] == topic
        assert replied_to(answer) == question["message_id"]


async def test_added_to_a_group_it_introduces_itself_once(engine: Engine, tmp_path: Path) -> None:
    group = group_chat(-1003)
    async with running_bot(engine, tmp_path) as bot:
        bot.api.add_bot(group, ALICE)
        await bot.api.wait_for_messages(1)
        bot.api.add_bot(supergroup_chat(-1004), ALICE)
        await bot.api.wait_for_messages(2)

        assert [shown(c) for c in bot.api.calls_to("sendMessage")] == [texts.GROUP_INTRO] * 2


async def test_a_group_that_becomes_a_supergroup_keeps_its_conversations(
    engine: Engine, tmp_path: Path
) -> None:
    group, supergroup = group_chat(-1005), supergroup_chat(-1009005)
    async with running_bot(engine, tmp_path) as bot:
        bot.api.send_text(group, ALICE, f"@{BOT_USERNAME} {COST}")
        await bot.api.wait_for_messages(1)
        bot.api.migrate(group, supergroup, ALICE)
        question = bot.api.send_text(supergroup, ALICE, f"/ask {LENGTH}")
        [_, answer] = await bot.api.wait_for_messages(2)

        assert answer.params["chat_id"] == supergroup["id"]
        assert replied_to(answer) == question["message_id"]
        assert bot.services.conversations.previous((group["id"], ALICE["id"])) is None
        moved = bot.services.conversations.previous((supergroup["id"], ALICE["id"]))
        assert moved is not None and moved.question == LENGTH


async def test_stats_is_for_administrators_only(engine: Engine, tmp_path: Path) -> None:
    group = group_chat(-1006)
    async with running_bot(engine, tmp_path) as bot:
        api = bot.api
        api.send_text(private_chat(ALICE), ALICE, COST)
        api.send_text(private_chat(ALICE), ALICE, "火星上有没有水？")
        api.send_text(private_chat(ALICE), ALICE, "/stats")
        api.send_text(private_chat(ALICE), ALICE, "/nonsense")
        api.send_text(group, ADMIN, "/stats")
        api.send_text(group, ADMIN, f"/stats@{BOT_USERNAME}")
        await api.wait_until(lambda: len(api.sent_to(ALICE["id"])) == 4, what="replies")
        api.send_text(private_chat(ADMIN), ADMIN, "/stats")
        await api.wait_until(lambda: len(api.sent_to(ADMIN["id"])) == 1, what="stats")

        _, _, refused, unknown = api.sent_to(ALICE["id"])
        assert shown(refused) == shown(unknown) == texts.UNKNOWN_COMMAND
        assert await settle(api, group, ALICE) == []
        [stats] = api.sent_to(ADMIN["id"])
        assert "共 2 个问题，答上 1 个（50%）" in shown(stats)
        assert "火星上有没有水？" in shown(stats)
        assert "私聊：2" in shown(stats)


async def test_a_person_asking_too_fast_is_told_once_then_ignored(
    engine: Engine, tmp_path: Path
) -> None:
    chat = private_chat(ALICE)
    async with running_bot(engine, tmp_path, questions_per_user_per_minute=3) as bot:
        for _ in range(6):
            bot.api.send_text(chat, ALICE, COST)
        await bot.api.wait_for_messages(4)
        bot.api.send_text(private_chat(BOB), BOB, COST)  # others are not held up
        await bot.api.wait_until(lambda: len(bot.api.sent_to(BOB["id"])) == 1)

        sent = [shown(c) for c in bot.api.sent_to(ALICE["id"])]
        assert sent[:3] == [sent[0]] * 3 and sent[0].startswith("18亿元")
        assert sent[3:] == [texts.SLOW_DOWN]


# --- buttons and inline mode -----------------------------------------------------------


async def test_answer_buttons_show_the_paragraph_and_record_feedback(
    engine: Engine, tmp_path: Path
) -> None:
    group = group_chat(-1007)
    async with running_bot(engine, tmp_path) as bot:
        api = bot.api
        api.send_text(group, ALICE, f"@{BOT_USERNAME} {COST}")
        [answer] = await api.wait_for_messages(1)
        source, helpful, unhelpful = (b["callback_data"] for b in buttons(answer))

        presses = [
            api.press_button(answer.result, source, BOB),
            api.press_button(answer.result, helpful, BOB),
            api.press_button(answer.result, unhelpful, ALICE),
            api.press_button(answer.result, "no such button", ALICE),
        ]
        await api.wait_until(lambda: len(api.calls_to("answerCallbackQuery")) == 4)
        await api.wait_for_messages(2)

        acknowledged = Counter(
            c.params["callback_query_id"] for c in api.calls_to("answerCallbackQuery")
        )
        assert acknowledged == Counter(presses)
        paragraph = api.sent_to(group["id"])[1]
        assert (
            shown(paragraph) == "《青石河大桥正式通车》第 2 段\n" + ARTICLE["text"].splitlines()[1]
        )
        assert replied_to(paragraph) == answer.result["message_id"]
        feedback = bot.services.journal.stats()
        assert (feedback.helpful, feedback.unhelpful) == (0, 1)  # the last press counts
        texts_shown = [c.params.get("text") for c in api.calls_to("answerCallbackQuery")]
        assert texts_shown.count(texts.FEEDBACK_THANKS) == 2
        assert texts.BUTTON_EXPIRED in texts_shown


async def test_inline_query_offers_the_answer(engine: Engine, tmp_path: Path) -> None:
    async with running_bot(engine, tmp_path) as bot:
        bot.api.inline_query(ALICE, COST)
        bot.api.inline_query(BOB, "火星上有没有水？")
        await bot.api.wait_until(lambda: len(bot.api.calls_to("answerInlineQuery")) == 2)

        answered, declined = (c.params["results"] for c in bot.api.calls_to("answerInlineQuery"))
        assert answered[0]["title"] == "18亿元"
        message = answered[0]["input_message_content"]
        assert COST in visible_text(message["message_text"], message["parse_mode"])
        assert declined[0]["title"] == texts.INLINE_NOT_FOUND
        assert [r["title"] for r in declined[1:]]  # the questions it could answer instead


# --- holding up ------------------------------------------------------------------------


async def test_three_429s_in_a_row_still_deliver_every_reply(
    engine: Engine, tmp_path: Path
) -> None:
    async with running_bot(
        engine, tmp_path, rate_limit_per_second=30, rate_limit_per_group_per_minute=20
    ) as bot:
        bot.api.fail_next("sendMessage", 3, status=429, retry_after=1)
        group = group_chat(-1010)
        asked = [bot.api.send_text(group, ALICE, f"/ask {question}") for question in (COST, LENGTH)]
        await bot.api.wait_for_messages(2, timeout=20)

        statuses = [c.status for c in bot.api.calls_to("sendMessage", delivered=False)]
        assert statuses == [429, 429, 429, 200, 200]
        delivered = bot.api.calls_to("sendMessage")
        assert [replied_to(c) for c in delivered] == [m["message_id"] for m in asked]


async def test_getupdates_502s_are_survived_and_the_token_never_logged(
    engine: Engine, tmp_path: Path
) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    log = io.StringIO()
    configure_logging("DEBUG", [TOKEN], stream=log)
    try:
        async with running_bot(engine, tmp_path) as bot:
            bot.api.fail_next("getUpdates", 2, status=502)
            bot.api.send_text(private_chat(ALICE), ALICE, COST)
            await bot.api.wait_for_messages(1, timeout=15)
    finally:
        root.handlers, root.level = saved[0], saved[1]

    assert [c.status for c in bot.api.calls_to("getUpdates", delivered=False)].count(502) == 2
    logged = log.getvalue()
    assert "Bad Gateway" in logged
    assert "<redacted>" in logged  # PTB logs its API URL at DEBUG
    assert TOKEN not in logged and TOKEN.split(":")[1] not in logged


class ExplodingEngine(Engine):
    """An engine with a bug that only one question finds."""

    def answer(self, question: str, context: ChatContext | None = None) -> Answer:
        if question == "💥":
            raise RuntimeError("a bug")
        return super().answer(question, context)


async def test_a_bug_is_logged_apologised_for_and_the_bot_carries_on(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(ExplodingEngine(engine.store), tmp_path) as bot:
        chat = private_chat(ALICE)
        bot.api.send_text(chat, ALICE, "💥")
        bot.api.send_text(chat, ALICE, COST)
        apology, answer = await bot.api.wait_for_messages(2)

    assert shown(apology) == texts.ERROR_APOLOGY
    assert shown(answer).startswith("18亿元")
    [failure] = [
        r for r in caplog.records if r.name == "handlers.errors" and r.levelname == "ERROR"
    ]
    assert failure.exc_info is not None and "a bug" in str(failure.exc_info[1])


async def test_a_burst_of_300_questions_from_70_chats_is_answered_exactly_once(
    engine: Engine, tmp_path: Path
) -> None:
    people = [person(1000 + n) for n in range(70)]
    chats = [private_chat(p) if n % 2 else group_chat(-2000 - n) for n, p in enumerate(people)]
    async with running_bot(engine, tmp_path) as bot:
        asked: list[tuple[int, int]] = []
        for n in range(300):
            chat, sender = chats[n % 70], people[n % 70]
            text = COST if chat["type"] == "private" else f"@{BOT_USERNAME} {LENGTH}"
            asked.append((chat["id"], bot.api.send_text(chat, sender, text)["message_id"]))
        await bot.api.wait_for_messages(300, timeout=30)
        await asyncio.sleep(0.2)  # anything extra would show up now

        sent = bot.api.calls_to("sendMessage")
        assert len(sent) == 300
        per_chat = Counter(c.params["chat_id"] for c in sent)
        assert per_chat == Counter(chat_id for chat_id, _ in asked)
        group_replies = Counter(
            (c.params["chat_id"], replied_to(c)) for c in sent if c.params["chat_id"] < 0
        )
        assert group_replies == Counter(key for key in asked if key[0] < 0)


async def start_bot_process(
    api: FakeBotApi,
    store_path: Path,
    tmp_path: Path,
    token: str = TOKEN,
    log_level: str = "DEBUG",
    *,
    extra: dict[str, str] | None = None,
    webhook: bool = False,
) -> asyncio.subprocess.Process:
    """The real `python -m bot`, from a folder without .env, against the fake server."""
    env = {
        **(extra or {}),
        **os.environ,
        "PYTHONPATH": str(PROJECT),
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_BASE_URL": api.base_url,
        "KNOWLEDGE_STORE": str(store_path),
        "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
        "LOG_LEVEL": log_level,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *(["--webhook"] if webhook else []),
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_the_real_command_line_polls_answers_and_stops_on_sigterm(
    store_path: Path, tmp_path: Path
) -> None:
    async with FakeBotApi() as api:
        process = await start_bot_process(api, store_path, tmp_path)
        try:
            await api.wait_until(lambda: bool(api.calls_to("getUpdates")), timeout=30)
            api.send_text(private_chat(ALICE), ALICE, COST)
            [answer] = await api.wait_for_messages(1)
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=10)
        finally:
            if process.returncode is None:
                process.kill()

    assert process.returncode == 0
    assert shown(answer).startswith("18亿元")
    assert TOKEN not in stderr.decode() and "<redacted>" in stderr.decode()


async def test_a_token_telegram_refuses_is_one_line_and_exit_code_2(
    store_path: Path, tmp_path: Path
) -> None:
    revoked = TOKEN.replace(TOKEN.split(":")[0], "7000999")
    async with FakeBotApi() as api:
        process = await start_bot_process(api, store_path, tmp_path, revoked, log_level="INFO")
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)

    assert process.returncode == 2
    [line] = stderr.decode().splitlines()
    assert line.startswith("error: ") and "TELEGRAM_BOT_TOKEN" in line


async def test_webhook_mode_registers_itself_and_answers_what_telegram_posts(
    store_path: Path, tmp_path: Path
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    hook = f"http://127.0.0.1:{port}/telegram-hook"
    webhook = {
        "WEBHOOK_URL": hook,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": "s3cret-for-tests",
    }
    async with FakeBotApi() as api:
        process = await start_bot_process(api, store_path, tmp_path, extra=webhook, webhook=True)
        try:
            await api.wait_until(lambda: bool(api.calls_to("setWebhook")), timeout=30)
            [registered] = api.calls_to("setWebhook")
            assert registered.params["url"] == hook
            message = api.send_text(private_chat(ALICE), ALICE, COST)
            update = {"update_id": 1, "message": message}
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-for-tests"}
            async with aiohttp.ClientSession() as session:
                for _ in range(50):
                    try:
                        async with session.post(hook, json=update, headers=headers) as posted:
                            assert posted.status == 200
                            break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.2)
                async with session.post(hook, json=update, headers={}) as unsigned:
                    assert unsigned.status == 403
            [answer] = await api.wait_for_messages(1)
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.communicate(), timeout=10)
        finally:
            if process.returncode is None:
                process.kill()

    assert process.returncode == 0
    assert shown(answer).startswith("18亿元")
