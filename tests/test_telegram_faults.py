"""The bot under faults, through the fake Bot API server: Telegram refusing, failing or
hanging, garbled replies, a database that cannot be written, the process killed.

In every case the bot stays up, the next question is answered, and no question is lost
or answered twice beyond what Telegram's update offsets allow. (429s are covered in
test_telegram_bot.)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import signal
from collections import Counter
from functools import partialmethod
from pathlib import Path

import pytest
from telegram.ext import ApplicationBuilder, Updater

import bot.app
import handlers.replies
from bot.update_confirmation import ConfirmAfterHandling, UpdatesInHand
from handlers.commands_menu import publish_commands
from knowledge.engine import Engine
from tests.fake_bot_api import (
    BOT_USERNAME,
    ApiCall,
    FakeBotApi,
    Json,
    group_chat,
    private_chat,
)
from tests.test_telegram_bot import (
    ALICE,
    BOB,
    COST,
    LENGTH,
    buttons,
    person,
    replied_to,
    running_bot,
    shown,
    start_bot_process,
)
from tests.test_telegram_bot import engine as engine  # the fixtures: one small article
from tests.test_telegram_bot import store_path as store_path

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

CLIENT_TIMEOUT = 0.5
"""Seconds the bot waits for an answer to a request, in these tests (PTB's default is 5)."""
LONG_POLL = dt.timedelta(seconds=1)
"""How long a getUpdates call may be held, as asked by the bot (the fake holds it at most
one second anyway)."""
PTB_TIMEOUT = 5.0
"""PTB's own read timeout, which the real `python -m bot` keeps."""


@pytest.fixture
def quick_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The application as `bot.app` builds it, with half-second timeouts, so that a call
    that hangs costs the test half a second instead of PTB's five or fifteen."""

    class QuickTimeouts(ApplicationBuilder):  # type: ignore[type-arg]
        def build(self):  # type: ignore[no-untyped-def]
            self.read_timeout(CLIENT_TIMEOUT)
            return super().build()

    monkeypatch.setattr(bot.app, "ApplicationBuilder", QuickTimeouts)
    monkeypatch.setattr(
        ConfirmAfterHandling,
        "__init__",
        partialmethod(ConfirmAfterHandling.__init__, read_timeout=CLIENT_TIMEOUT),
    )
    monkeypatch.setattr(
        Updater, "start_polling", partialmethod(Updater.start_polling, timeout=LONG_POLL)
    )


@pytest.fixture(autouse=True)
def quick_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handlers.replies, "RETRY_PAUSE", 0.05)


def too_slow(method: str) -> float:
    """A delay past the client's timeout for `method` (getUpdates waits the long poll too)."""
    extra = LONG_POLL.total_seconds() if method == "getUpdates" else 0.0
    return CLIENT_TIMEOUT + extra + 0.5


def answers_to(api: FakeBotApi, chat_id: int) -> Counter[int | None]:
    """How often each question in a group was answered, by the message id it replies to."""
    return Counter(replied_to(call) for call in api.sent_to(chat_id))


# --- Telegram refusing or failing sendMessage ------------------------------------------


async def test_a_server_error_on_send_is_tried_again_and_delivered(
    engine: Engine, tmp_path: Path
) -> None:
    group = group_chat(-3001)
    async with running_bot(engine, tmp_path) as bot:
        bot.api.fail_next("sendMessage", 1, status=500, description="Internal Server Error")
        first = bot.api.send_text(group, ALICE, f"/ask {COST}")
        second = bot.api.send_text(group, ALICE, f"/ask {LENGTH}")
        await bot.api.wait_for_messages(2)
        await asyncio.sleep(0.2)  # a duplicate would show now

        statuses = [c.status for c in bot.api.calls_to("sendMessage", delivered=False)]
        assert statuses == [500, 200, 200]
        assert answers_to(bot.api, group["id"]) == {first["message_id"]: 1, second["message_id"]: 1}
        assert shown(bot.api.sent_to(group["id"])[0]).startswith("18亿元")


@pytest.mark.parametrize(
    "refusal",
    [
        "Bad Request: message is too long",
        'Bad Request: can\'t parse entities: unsupported start tag "b" at byte offset 0',
    ],
)
async def test_a_reply_refused_as_html_is_delivered_as_plain_text(
    engine: Engine, tmp_path: Path, refusal: str
) -> None:
    group = group_chat(-3002)
    async with running_bot(engine, tmp_path) as bot:
        bot.api.fail_next("sendMessage", 1, status=400, description=refusal)
        first = bot.api.send_text(group, ALICE, f"@{BOT_USERNAME} {COST}")
        second = bot.api.send_text(group, ALICE, f"@{BOT_USERNAME} {COST}")
        await bot.api.wait_for_messages(2)

        refused, plain, html = bot.api.calls_to("sendMessage", delivered=False)
    assert refused.status == 400 and refused.params["parse_mode"] == "HTML"
    assert "<b>18亿元</b>" in refused.params["text"]
    # The same words, the same question answered, the same buttons; no markup.
    assert "parse_mode" not in plain.params and "<" not in plain.params["text"]
    assert plain.params["text"] == shown(refused)
    assert replied_to(plain) == first["message_id"]
    assert buttons(plain) == buttons(refused) != []
    # Only that message fell back.
    assert html.params["parse_mode"] == "HTML" and replied_to(html) == second["message_id"]
    assert shown(html) == shown(plain)


async def test_a_refusal_for_another_reason_is_not_retried(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Only HTML trouble falls back; any other Bad Request is our bug, logged in full."""
    async with running_bot(engine, tmp_path) as bot:
        bot.api.fail_next("sendMessage", 1, status=400, description="Bad Request: chat not found")
        bot.api.send_text(private_chat(ALICE), ALICE, COST)
        await bot.api.wait_until(lambda: bool(bot.api.calls_to("sendMessage", delivered=False)))
        bot.api.send_text(private_chat(BOB), BOB, COST)
        await bot.api.wait_until(lambda: len(bot.api.sent_to(BOB["id"])) == 1)
        await asyncio.sleep(0.2)

    statuses = [c.status for c in bot.api.calls_to("sendMessage", delivered=False)]
    assert statuses == [400, 200]
    [failure] = [r for r in caplog.records if r.name == "handlers.errors"]
    assert failure.exc_info is not None and "Chat not found" in str(failure.exc_info[1])


# --- timeouts ----------------------------------------------------------------------------


@pytest.mark.usefixtures("quick_timeouts")
async def test_a_poll_that_hangs_loses_no_update(engine: Engine, tmp_path: Path) -> None:
    async with running_bot(engine, tmp_path) as bot:
        bot.api.delay_next("getUpdates", too_slow("getUpdates"))
        since = len(bot.api.calls)
        group = group_chat(-3003)
        asked = bot.api.send_text(group, ALICE, f"/ask {COST}")
        await bot.api.wait_for_messages(1, timeout=10)
        await asyncio.sleep(too_slow("getUpdates"))  # the held poll has returned by now
        followed = bot.api.send_text(group, ALICE, f"/ask {LENGTH}")
        await bot.api.wait_for_messages(2, timeout=10)
        await asyncio.sleep(0.3)

        assert answers_to(bot.api, group["id"]) == {
            asked["message_id"]: 1,
            followed["message_id"]: 1,
        }
        held, *later = [c for c in bot.api.calls[since:] if c.method == "getUpdates"]
        assert any(c.at < held.at + too_slow("getUpdates") for c in later)  # gave up on it


@pytest.mark.usefixtures("quick_timeouts")
async def test_a_send_that_hangs_is_not_sent_twice_and_the_next_question_is_answered(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    group = group_chat(-3004)
    async with running_bot(engine, tmp_path) as bot:
        bot.api.delay_next("sendMessage", too_slow("sendMessage"))
        first = bot.api.send_text(group, ALICE, f"/ask {COST}")
        second = bot.api.send_text(group, ALICE, f"/ask {LENGTH}")
        await bot.api.wait_for_messages(2, timeout=10)
        await asyncio.sleep(too_slow("sendMessage"))  # a retry would have arrived by now

        # Telegram got the slow one after the bot had given up on it: a retry would
        # have said it twice.
        assert answers_to(bot.api, group["id"]) == {first["message_id"]: 1, second["message_id"]: 1}
        assert len(_timeouts(caplog)) == 1


@pytest.mark.usefixtures("quick_timeouts")
async def test_button_and_inline_answers_that_hang_do_not_stop_the_next_ones(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    chat = private_chat(ALICE)
    async with running_bot(engine, tmp_path) as bot:
        api = bot.api
        api.send_text(chat, ALICE, COST)
        [answer] = await api.wait_for_messages(1)
        _, helpful, unhelpful = (b["callback_data"] for b in buttons(answer))

        api.delay_next("answerCallbackQuery", too_slow("answerCallbackQuery"))
        api.delay_next("answerInlineQuery", too_slow("answerInlineQuery"))
        api.press_button(answer.result, unhelpful, ALICE)
        api.inline_query(ALICE, COST)
        await asyncio.sleep(CLIENT_TIMEOUT + 0.2)  # both have timed out in the bot
        second_press = api.press_button(answer.result, helpful, ALICE)
        second_query = api.inline_query(ALICE, LENGTH)
        api.send_text(chat, ALICE, LENGTH)
        await api.wait_until(lambda: len(api.calls_to("answerCallbackQuery")) == 2, 10)
        await api.wait_until(lambda: len(api.calls_to("answerInlineQuery")) == 2, 10)
        await api.wait_for_messages(2)

        answered = {c.params["callback_query_id"] for c in api.calls_to("answerCallbackQuery")}
        assert second_press in answered
        inline = {c.params["inline_query_id"] for c in api.calls_to("answerInlineQuery")}
        assert second_query in inline
        feedback = bot.services.journal.stats()
        assert (feedback.helpful, feedback.unhelpful) == (1, 0)  # the last press counts
        assert shown(api.sent_to(ALICE["id"])[1]).startswith("3.2公里")
        assert len(_timeouts(caplog)) == 2


def _timeouts(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The requests the bot gave up on, as its error handler logs them."""
    return [
        r for r in caplog.records if r.name == "handlers.errors" and "Timed out" in r.getMessage()
    ]


@pytest.mark.usefixtures("quick_timeouts")
async def test_a_commands_menu_that_hangs_is_given_up(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(engine, tmp_path) as bot:
        bot.api.delay_next("setMyCommands", too_slow("setMyCommands"))
        await publish_commands(bot.application)  # as at start-up
        bot.api.send_text(private_chat(ALICE), ALICE, COST)
        [answer] = await bot.api.wait_for_messages(1)

    assert shown(answer).startswith("18亿元")
    assert any("Could not publish the commands menu" in r.getMessage() for r in caplog.records)


# --- garbled replies ------------------------------------------------------------------


async def test_polls_answered_with_broken_json_are_survived(engine: Engine, tmp_path: Path) -> None:
    async with running_bot(engine, tmp_path) as bot:
        bot.api.garble_next("getUpdates", 3)
        group = group_chat(-3005)
        asked = bot.api.send_text(group, ALICE, f"/ask {COST}")
        await bot.api.wait_for_messages(1, timeout=15)
        await asyncio.sleep(0.3)

        garbled = [c for c in bot.api.calls if c.method == "getUpdates" and c.result is None]
        assert len(garbled) >= 3
        assert answers_to(bot.api, group["id"]) == {asked["message_id"]: 1}


# --- the database ------------------------------------------------------------------------


def _journal_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r for r in caplog.records if r.name == "knowledge.journal" and r.levelno >= logging.ERROR
    ]


@pytest.mark.parametrize("fault", ["read-only", "full disk"])
async def test_a_database_that_cannot_be_written_still_answers_and_logs_once(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    chat = private_chat(ALICE)
    async with running_bot(engine, tmp_path) as bot:
        journal = bot.services.journal
        # SQLite's own settings on the journal's connection: it refuses writes as a
        # read-only file does, or has no room for one more page, as on a full disk.
        database = journal._db
        if fault == "read-only":
            database.execute("PRAGMA query_only = ON")
        else:
            [(pages,)] = database.execute("PRAGMA page_count").fetchall()
            database.execute(f"PRAGMA max_page_count = {pages}")
            while journal.record("private", engine.answer(COST)) is not None:
                pass  # the disk fills up
        kept = journal.stats().questions
        for _ in range(3):
            bot.api.send_text(chat, ALICE, COST)
        await bot.api.wait_for_messages(3)

        [logged] = _journal_errors(caplog)
        assert ("readonly" if fault == "read-only" else "full") in logged.getMessage()
        sent = bot.api.sent_to(ALICE["id"])
        assert all(shown(call).startswith("18亿元") for call in sent)
        assert all(buttons(call) == [] for call in sent)  # they would point at no record

        database.execute("PRAGMA query_only = OFF")
        database.execute("PRAGMA max_page_count = 1073741823")
        bot.api.send_text(chat, ALICE, COST)
        await bot.api.wait_for_messages(4)
        assert buttons(bot.api.sent_to(ALICE["id"])[3]) != []  # recorded again
        assert journal.stats().questions == kept + 1
        assert len(_journal_errors(caplog)) == 1


# --- confirming updates only once handled ---------------------------------------------


async def test_a_poll_waits_for_the_updates_before_it_to_be_handled() -> None:
    in_hand = UpdatesInHand(patience=5.0)
    await asyncio.wait_for(in_hand.settled(), 0.05)  # nothing in hand
    in_hand.fetched([1, 2])
    waiting = asyncio.create_task(in_hand.settled())

    in_hand.handled(1)
    await asyncio.sleep(0.05)
    assert not waiting.done()
    in_hand.handled(2)
    await asyncio.wait_for(waiting, 0.05)


async def test_a_slow_update_holds_the_polls_up_for_its_patience_only() -> None:
    in_hand = UpdatesInHand(patience=0.2)
    loop = asyncio.get_running_loop()
    in_hand.fetched([7])  # and never handled

    started = loop.time()
    await in_hand.settled()
    assert 0.15 <= loop.time() - started < 1.0
    await asyncio.wait_for(in_hand.settled(), 0.05)  # not waited for again
    in_hand.fetched([8])
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(in_hand.settled(), 0.1)  # a newer one is


async def test_updates_queued_in_a_burst_are_waited_for_while_others_are_handled() -> None:
    """Patience counts from the last update handled, not from fetching: a batch that takes
    several patiences to answer, one update at a time, is still confirmed only when done."""
    in_hand = UpdatesInHand(patience=0.1)
    in_hand.fetched(list(range(6)))
    waiting = asyncio.create_task(in_hand.settled())
    for update_id in range(5):
        await asyncio.sleep(0.06)
        assert not waiting.done()
        in_hand.handled(update_id)
    in_hand.handled(5)
    await asyncio.wait_for(waiting, 0.05)


# --- the real process ------------------------------------------------------------------

LIFTED = {
    "RATE_LIMIT_PER_SECOND": "0",
    "RATE_LIMIT_PER_GROUP_PER_MINUTE": "0",
    "QUESTIONS_PER_USER_PER_MINUTE": "1000",
}


async def test_start_up_calls_that_hang_are_waited_out(store_path: Path, tmp_path: Path) -> None:
    """getMe (checking the token) and deleteWebhook (before polling) each hang past PTB's
    timeout once; the real process, as run in production, waits them out."""
    async with FakeBotApi() as api:
        for method in ("getMe", "deleteWebhook"):
            api.delay_next(method, PTB_TIMEOUT + 0.3)
        process = await start_bot_process(api, store_path, tmp_path, log_level="WARNING")
        try:
            await api.wait_until(lambda: bool(api.calls_to("getUpdates")), timeout=60)
            api.send_text(private_chat(ALICE), ALICE, COST)
            [answer] = await api.wait_for_messages(1)
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.communicate(), timeout=10)
        finally:
            if process.returncode is None:
                process.kill()

    assert process.returncode == 0
    assert shown(answer).startswith("18亿元")
    assert len([c for c in api.calls if c.method == "getMe"]) >= 2


BURST = 400
CHATS = 40


async def test_killed_mid_burst_and_restarted_nothing_is_lost(
    store_path: Path, tmp_path: Path
) -> None:
    """SIGKILL after some answers; the restarted bot gets what Telegram still holds.

    Every question is answered at least once, and twice only if its update was still
    unconfirmed when the process died (Telegram hands those out again)."""
    groups = [group_chat(-4000 - n) for n in range(CHATS)]
    people = [person(4000 + n) for n in range(CHATS)]
    async with FakeBotApi() as api:
        first = await start_bot_process(
            api, store_path, tmp_path, log_level="WARNING", extra=LIFTED
        )
        try:
            await api.wait_until(lambda: bool(api.calls_to("getUpdates")), timeout=60)
            asked = [
                api.send_text(groups[n % CHATS], people[n % CHATS], f"@{BOT_USERNAME} {COST}")
                for n in range(BURST)
            ]
            await api.wait_for_messages(BURST * 3 // 8, timeout=30)  # mid-batch
            first.send_signal(signal.SIGKILL)
            await first.wait()
        finally:
            if first.returncode is None:
                first.kill()
        answered_before = len(api.calls_to("sendMessage"))
        unconfirmed = {_key_of_update(update) for update in api.unconfirmed()}

        second = await start_bot_process(
            api, store_path, tmp_path, log_level="WARNING", extra=LIFTED
        )
        try:
            questions = {(m["chat"]["id"], m["message_id"]) for m in asked}
            await api.wait_until(
                lambda: questions <= set(map(_key_of_answer, api.calls_to("sendMessage"))),
                timeout=30,
                what="every question answered",
            )
            await asyncio.sleep(0.5)  # duplicates would show now
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.communicate(), timeout=10)
        finally:
            if second.returncode is None:
                second.kill()

    assert answered_before < BURST, "the kill came too late to test anything"
    answers = Counter(map(_key_of_answer, api.calls_to("sendMessage")))
    assert set(answers) == questions
    twice = {key for key, count in answers.items() if count > 1}
    assert twice <= unconfirmed
    assert max(answers.values()) <= 2


def _key_of_answer(call: ApiCall) -> tuple[int, int | None]:
    return call.params["chat_id"], replied_to(call)


def _key_of_update(update: Json) -> tuple[int, int]:
    return update["message"]["chat"]["id"], update["message"]["message_id"]
