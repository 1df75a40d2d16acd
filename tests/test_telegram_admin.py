"""Administrators changing the articles from Telegram, and ALLOWED_CHAT_IDS, end to end:
the real python-telegram-bot Application against the fake Bot API server."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from knowledge import texts
from knowledge.engine import Engine
from knowledge.library import Change, Library
from knowledge.store import load_store
from tests.fake_bot_api import BOT_USERNAME, ApiCall, FakeBotApi, Json, group_chat, private_chat
from tests.test_telegram_bot import ADMIN, ALICE, ARTICLE, COST, Running, running_bot, settle, shown

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

DATA = Path(__file__).parent / "data"
SPONGE_PARK = (DATA / "unseen_articles.jsonl").read_text("utf-8").splitlines()[0]
PARK_TITLE = "滨江新区建成首座海绵公园"
PARK_COST = "海绵公园总投资约多少亿元？"
PAGE = (DATA / "second_page.txt").read_text("utf-8")
LIBRARY_TITLE = "城东图书馆新馆开放 市民借阅量翻番"
VISITORS = "图书馆新馆首日接待读者多少人次？"
GROUP = group_chat(-500, "读报小组")
OTHER_GROUP = group_chat(-600, "陌生群")


@asynccontextmanager
async def admin_bot(
    tmp_path: Path, allowed: frozenset[int] = frozenset()
) -> AsyncIterator[tuple[Running, Library]]:
    """`running_bot` with an article library (seeded with the bridge article) and an
    allow-list; set before the first update, as `python -m bot` builds them in."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bridge.jsonl").write_text(json.dumps(ARTICLE, ensure_ascii=False), "utf-8")
    library = Library(tmp_path / "articles", tmp_path / "store.db", derived=True, seeds=[seeds])
    async with running_bot(Engine(library.open()), tmp_path) as bot:
        bot.services.library = library
        bot.services.allowed_chat_ids = allowed
        yield bot, library


async def reply_to(api: FakeBotApi, chat: Json, count: int = 1) -> list[ApiCall]:
    """The first `count` messages sent to `chat` (waited for)."""
    await api.wait_until(lambda: len(api.sent_to(chat["id"])) >= count, what="a reply")
    return api.sent_to(chat["id"])[:count]


async def ask(api: FakeBotApi, question: str) -> str:
    """What Alice reads first in answer to `question`."""
    chat = private_chat(ALICE)
    before = len(api.sent_to(ALICE["id"]))
    api.send_text(chat, ALICE, question)
    await api.wait_until(lambda: len(api.sent_to(ALICE["id"])) > before, what="an answer")
    return shown(api.sent_to(ALICE["id"])[before])


def untouched(library: Library) -> tuple[bytes, list[str]]:
    return library.store_path.read_bytes(), sorted(p.name for p in library.folder.iterdir())


def test_the_settings_for_this_are_read_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLOWED_CHAT_IDS", "-1001234567890, 42")
    monkeypatch.setenv("ARTICLES_DIR", str(tmp_path))
    settings = load_settings(env_file=None)
    assert settings.allowed_chat_ids == frozenset({-1001234567890, 42})
    assert settings.articles_dir == tmp_path
    assert settings.max_document_bytes == 2 * 1024 * 1024

    monkeypatch.setenv("MAX_DOCUMENT_MB", "50")
    with pytest.raises(ConfigError, match="MAX_DOCUMENT_MB"):
        load_settings(env_file=None)


async def test_an_admin_adds_a_jsonl_and_a_gbk_page_while_others_keep_getting_answers(
    tmp_path: Path,
) -> None:
    async with admin_bot(tmp_path) as (bot, library):
        api, admin = bot.api, private_chat(ADMIN)
        # The change waits until a question asked meanwhile has been answered.
        answered_meanwhile = threading.Event()
        plain_add = library.add

        def add_after_an_answer(data: bytes, suffix: str) -> Change:
            assert answered_meanwhile.wait(10)
            return plain_add(data, suffix)

        library.add = add_after_an_answer  # type: ignore[method-assign]
        api.send_document(admin, ADMIN, SPONGE_PARK.encode(), "新文章.jsonl")
        await api.wait_until(lambda: bool(api.calls_to("getFile")), what="the download")
        assert (await ask(api, COST)).startswith("18亿元")
        answered_meanwhile.set()
        [added] = await reply_to(api, admin)

        assert "已加入 1 篇文章（5 段，" in shown(added)
        assert f"《{PARK_TITLE}》 编号 sponge-park" in shown(added)
        assert "现在共 2 篇文章" in shown(added)
        assert (await ask(api, PARK_COST)).startswith("3.6亿元")

        library.add = plain_add  # type: ignore[method-assign]
        api.send_document(admin, ADMIN, PAGE.encode("gbk"), "第二版.txt")
        [_, page_added] = await reply_to(api, admin, 2)
        assert f"《{LIBRARY_TITLE}》" in shown(page_added)
        assert "现在共 4 篇文章" in shown(page_added)
        assert (await ask(api, VISITORS)).startswith("6800人次")

        listed = await ask(api, "/articles")
        assert f"《{PARK_TITLE}》" in listed and f"《{LIBRARY_TITLE}》" in listed
        titles = [article.title for article in load_store(library.store_path).articles]
        assert titles[:3] == [ARTICLE["title"], PARK_TITLE, LIBRARY_TITLE]


async def test_a_document_from_anyone_else_gets_a_polite_no_and_changes_nothing(
    tmp_path: Path,
) -> None:
    async with admin_bot(tmp_path) as (bot, library):
        api, before = bot.api, untouched(library)
        api.send_document(private_chat(ALICE), ALICE, SPONGE_PARK.encode(), "a.jsonl")
        api.add_bot(GROUP, ADMIN)
        api.send_document(GROUP, ADMIN, SPONGE_PARK.encode(), "a.jsonl")  # admins too, in groups

        [no] = await reply_to(api, private_chat(ALICE))
        assert shown(no) == texts.NON_TEXT_HINT
        assert len(await settle(api, GROUP, ALICE)) == 1  # only the introduction
        assert api.calls_to("getFile", delivered=False) == []
        assert untouched(library) == before
        assert not (await ask(api, PARK_COST)).startswith("3.6亿元")


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"x" * (2 * 1024 * 1024 + 1), "big.txt", "over the 2 MB limit"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.txt", "looks like a binary file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", "only .txt page dumps"),
        (b'{"id": "x"}\n', "bad.jsonl", "the document:1: not an article"),
    ],
)
async def test_a_bad_document_is_refused_in_one_line_and_the_old_articles_stay(
    tmp_path: Path, data: bytes, name: str, reason: str
) -> None:
    async with admin_bot(tmp_path) as (bot, library):
        api, before = bot.api, untouched(library)
        api.send_document(private_chat(ADMIN), ADMIN, data, name)
        [refused] = await reply_to(api, private_chat(ADMIN))

        assert shown(refused).startswith("没有改动，仍在用原来的文章。原因：")
        assert reason in shown(refused) and "\n" not in shown(refused)
        assert untouched(library) == before
        downloaded = bool(api.calls_to("getFile"))
        assert downloaded == (reason not in ("over the 2 MB limit", "only .txt page dumps"))


async def test_a_document_name_never_becomes_a_path(tmp_path: Path) -> None:
    async with admin_bot(tmp_path) as (bot, library):
        api = bot.api
        api.send_document(private_chat(ADMIN), ADMIN, PAGE.encode(), "../../etc/passwd.txt")
        [added] = await reply_to(api, private_chat(ADMIN))

        assert f"《{LIBRARY_TITLE}》" in shown(added)
        [saved] = library.folder.iterdir()
        assert saved.parent == library.folder and saved.name.startswith("added-")
        assert saved.read_text("utf-8") == PAGE
        assert not [p for p in tmp_path.parent.rglob("passwd*")]


async def test_remove_and_reload(tmp_path: Path) -> None:
    async with admin_bot(tmp_path) as (bot, library):
        api, admin = bot.api, private_chat(ADMIN)
        api.send_document(admin, ADMIN, SPONGE_PARK.encode(), "park.jsonl")
        api.send_text(admin, ADMIN, "/remove")
        api.send_text(admin, ADMIN, "/remove no-such-article")
        api.send_text(admin, ADMIN, "/remove sponge-park")
        _, listed, unknown, removed = [shown(call) for call in await reply_to(api, admin, 4)]

        assert listed.startswith(texts.ADMIN_REMOVE_USAGE)
        assert f"《{PARK_TITLE}》 编号 sponge-park" in listed and "编号 bridge" in listed
        assert "no article with id 'no-such-article'" in unknown
        assert removed.startswith(texts.ADMIN_REMOVED) and "现在共 1 篇文章" in removed
        assert PARK_TITLE not in await ask(api, PARK_COST)

        (library.folder / "by-hand.jsonl").write_text(SPONGE_PARK, "utf-8")
        api.send_text(admin, ADMIN, "/reload")
        [*_, reloaded] = await reply_to(api, admin, 5)
        assert f"《{PARK_TITLE}》" in shown(reloaded) and "现在共 2 篇文章" in shown(reloaded)
        assert (await ask(api, PARK_COST)).startswith("3.6亿元")


async def test_a_hand_edited_store_is_refused_on_reload_and_left_to_look_at(
    tmp_path: Path,
) -> None:
    async with admin_bot(tmp_path) as (bot, library):
        api = bot.api
        assert (await ask(api, COST)).startswith("18亿元")
        with sqlite3.connect(library.store_path) as connection:
            connection.execute("UPDATE sentences SET text = replace(text, '18亿元', '81亿元')")
        edited = library.store_path.read_bytes()
        api.send_text(private_chat(ADMIN), ADMIN, "/reload")
        [refused] = await reply_to(api, private_chat(ADMIN))

        assert shown(refused).startswith("没有改动，仍在用原来的文章。原因：")
        assert "does not match its digest" in shown(refused)
        assert (await ask(api, COST)).startswith("18亿元")  # the article as it was read
        assert library.store_path.read_bytes() == edited


async def test_outside_allowed_chats_one_line_and_groups_are_left(tmp_path: Path) -> None:
    async with admin_bot(tmp_path, allowed=frozenset({GROUP["id"]})) as (bot, _):
        api = bot.api
        api.send_text(private_chat(ALICE), ALICE, COST)
        api.add_bot(OTHER_GROUP, ALICE)
        api.add_bot(GROUP, ALICE)
        api.send_text(GROUP, ALICE, f"/ask@{BOT_USERNAME} {COST}")
        api.send_text(private_chat(ADMIN), ADMIN, COST)  # administrators are never locked out

        [refused] = await reply_to(api, private_chat(ALICE))
        assert shown(refused) == texts.CHAT_NOT_ALLOWED
        [goodbye] = await reply_to(api, OTHER_GROUP)
        assert shown(goodbye) == texts.CHAT_NOT_ALLOWED
        await api.wait_until(lambda: bool(api.calls_to("leaveChat")), what="leaving")
        assert [c.params["chat_id"] for c in api.calls_to("leaveChat")] == [OTHER_GROUP["id"]]
        [_, answer] = await reply_to(api, GROUP, 2)
        assert shown(answer).startswith("18亿元")
        [admin_answer] = await reply_to(api, private_chat(ADMIN))
        assert shown(admin_answer).startswith("18亿元")
        assert len(api.sent_to(ALICE["id"])) == 1


async def test_admin_commands_do_not_exist_for_anyone_else(tmp_path: Path) -> None:
    async with admin_bot(tmp_path) as (bot, library):
        api, alice, before = bot.api, private_chat(ALICE), untouched(library)
        for command in ("/nonsense", "/stats", "/reload", "/remove bridge"):
            api.send_text(alice, ALICE, command)
        api.add_bot(GROUP, ADMIN)
        for command in ("/stats", "/reload", "/remove bridge"):
            api.send_text(GROUP, ADMIN, f"{command.split()[0]}@{BOT_USERNAME}")

        replies = [shown(call) for call in await settle(api, alice, ALICE)]
        assert replies == [texts.UNKNOWN_COMMAND] * 4
        assert len(await settle(api, GROUP, ADMIN)) == 1  # only the introduction
        assert untouched(library) == before
