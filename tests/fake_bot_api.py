"""A fake Telegram Bot API server, for the offline end-to-end tests and the load benchmark.

It speaks the protocol python-telegram-bot speaks to the real one (form-encoded
parameters, JSON replies, long polling with offsets), rejects what Telegram would reject
(over-long or malformed HTML, oversized callback data, replies to unknown messages,
unanswerable button presses), records every call, and can be told to fail the next calls
of a method (429, 5xx, any 400), hold them past the client's timeout, or answer them with
broken JSON. The tests play the people: `send_text`, `press_button` and
friends queue the updates the bot polls for, with entities computed as Telegram does.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import socket
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

Json = dict[str, Any]

BOT_ID = 7_000_001
BOT_USERNAME = "news_answer_test_bot"
TOKEN = f"{BOT_ID}:AAF4keT0kenForOfflineTests_0123456789"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_ANSWER_CALLBACK_TEXT = 200
MAX_DOWNLOAD = 20 * 1024 * 1024
"""The largest file a bot may download through getFile."""
GARBLED = '{"ok": true, "result": [{"update_id": 1, "mess'
"""A reply cut off mid-way, as a broken proxy might pass it on."""
LONG_POLL_CAP = 1.0
"""Seconds a getUpdates call is held at most, so that stopping never waits long."""

STRING_PARAMETERS = frozenset(
    {
        "text",
        "caption",
        "query",
        "parse_mode",
        "callback_query_id",
        "inline_query_id",
        "inline_message_id",
        "url",
        "secret_token",
        "language_code",
        "next_offset",
        "description",
        "short_description",
        "name",
        "file_id",
    }
)
HTML_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "tg-emoji", "code", "pre", "blockquote",
    }
)  # fmt: skip
HTML_TOKEN = re.compile(
    r"<(?P<close>/?)(?P<tag>[A-Za-z][A-Za-z-]*)(?P<attributes>\s[^<>]*)?>"
    r"|&(?P<entity>lt|gt|amp|quot|#[0-9]+|#x[0-9A-Fa-f]+);"
    r"|(?P<stray>[<>&])"
)
USER_ENTITY = re.compile(
    r"(?P<bot_command>(?<![A-Za-z0-9_/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?)"
    r"|(?P<mention>(?<![A-Za-z0-9_@])@[A-Za-z0-9_]{5,32})"
)


def utf16_length(text: str) -> int:
    """Telegram counts lengths and offsets in UTF-16 code units: an emoji is two."""
    return len(text.encode("utf-16-le")) // 2


class ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> Json:
        body: Json = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def visible_text(text: str, parse_mode: str | None) -> str:
    """What the reader sees, after Telegram parsed the entities; raises as Telegram would."""
    if parse_mode is None:
        return text
    if parse_mode != "HTML":
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    seen: list[str] = []
    open_tags: list[str] = []
    position = 0
    for token in HTML_TOKEN.finditer(text):
        seen.append(text[position : token.start()])
        position = token.end()
        if token["stray"]:
            raise bad_request(f"can't parse entities: unexpected {token['stray']!r}")
        if token["entity"]:
            seen.append(html.unescape(token.group()))
            continue
        tag = token["tag"].lower()
        if tag not in HTML_TAGS:
            raise bad_request(f"can't parse entities: unsupported start tag {tag!r}")
        if not token["close"]:
            open_tags.append(tag)
        elif not open_tags or open_tags.pop() != tag:
            raise bad_request(f"can't parse entities: can't find end tag corresponding to {tag}")
    if open_tags:
        raise bad_request(f"can't parse entities: can't find end tag for {open_tags[-1]!r}")
    seen.append(text[position:])
    return "".join(seen)


def checked_text(text: object, parse_mode: str | None) -> str:
    if not isinstance(text, str) or not text.strip():
        raise bad_request("message text is empty")
    visible = visible_text(text, parse_mode)
    if not visible.strip():
        raise bad_request("message text is empty")
    if utf16_length(visible) > MAX_TEXT:
        raise bad_request("message is too long")
    return visible


def check_keyboard(markup: object) -> None:
    if markup is None:
        return
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        raise bad_request("unsupported reply_markup")
    for row in markup["inline_keyboard"]:
        for button in row:
            if not button.get("text"):
                raise bad_request("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")


def user_entities(text: str) -> list[Json]:
    return [
        {
            "type": match.lastgroup,
            "offset": utf16_length(text[: match.start()]),
            "length": utf16_length(match.group()),
        }
        for match in USER_ENTITY.finditer(text)
    ]


def person(user_id: int, first_name: str = "读者") -> Json:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "zh-hans"}


def private_chat(user: Json) -> Json:
    return {"id": user["id"], "type": "private", "first_name": user["first_name"]}


def group_chat(chat_id: int, title: str = "读报小组") -> Json:
    return {"id": chat_id, "type": "group", "title": title}


def supergroup_chat(chat_id: int, title: str = "读报社区", *, forum: bool = False) -> Json:
    return {"id": chat_id, "type": "supergroup", "title": title, "is_forum": forum}


@dataclass
class ApiCall:
    method: str
    params: Json
    at: float = field(default_factory=time.perf_counter)
    status: int = 0
    result: Any = None


@dataclass
class _Failure:
    status: int
    retry_after: int
    remaining: int
    description: str = "Bad Gateway"


class FakeBotApi:
    def __init__(self, token: str = TOKEN, username: str = BOT_USERNAME) -> None:
        self.token = token
        self.bot = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "新闻问答",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }
        self.calls: list[ApiCall] = []
        self.pushed_at: dict[tuple[int, int], float] = {}
        """When each person's message was queued, by (chat id, message id)."""
        self._pending: list[Json] = []
        self._arrived = asyncio.Event()
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._chats: dict[int, Json] = {}
        self._messages: dict[tuple[int, int], Json] = {}
        self._topics: set[tuple[int, int]] = set()
        self._open_queries: set[str] = set()
        self._query_ids = itertools.count(1)
        self._failures: dict[str, _Failure] = {}
        self._delays: dict[str, list[float]] = {}
        self._garbled: Counter[str] = Counter()
        self._files: dict[str, bytes] = {}
        """What people sent as documents, by file id."""
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._methods: dict[str, Callable[[Json], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "getFile": self._get_file,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "setMyCommands": self._set_my_commands,
            "getWebhookInfo": self._get_webhook_info,
            "deleteWebhook": self._true,
            "setWebhook": self._true,
            "leaveChat": self._true,
            "sendChatAction": self._true,
            "deleteMyCommands": self._true,
            "close": self._true,
            "logOut": self._true,
        }

    # --- the server --------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/file/bot"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        self._arrived.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            call = ApiCall(method=method, params=await _parameters(request))
        except ConnectionResetError:  # a client stopping mid-request, as PTB does on shutdown
            return web.Response(status=499)
        self.calls.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            await self._maybe_delay(method)
            if self._garbled[method] > 0:
                self._garbled[method] -= 1
                call.status = 200
                return web.Response(text=GARBLED, content_type="application/json")
            self._maybe_fail(method)
            handler = self._methods.get(method)
            if handler is None:
                raise ApiError(404, "Not Found")
            call.result = await handler(call.params)
        except ApiError as error:
            call.status = error.status
            return web.json_response(error.body(), status=error.status)
        call.status = 200
        return web.json_response({"ok": True, "result": call.result})

    async def _download(self, request: web.Request) -> web.Response:
        """Files are served from where getFile says, under TELEGRAM_BASE_FILE_URL."""
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        file_id = request.match_info["path"].removeprefix("documents/")
        if file_id not in self._files:
            return web.json_response(ApiError(404, "Not Found").body(), status=404)
        return web.Response(body=self._files[file_id])

    def fail_next(
        self,
        method: str,
        times: int,
        status: int = 429,
        retry_after: int = 1,
        description: str = "Bad Gateway",
    ) -> None:
        """Answer the next `times` calls of `method` with `status` (and, unless it is 429,
        `description`, e.g. "Bad Request: message is too long") instead."""
        self._failures[method] = _Failure(
            status=status, retry_after=retry_after, remaining=times, description=description
        )

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Hold the next `times` calls of `method` for `seconds`, then handle them, as a
        slow Telegram does: a client that gave up meanwhile never learns the outcome."""
        self._delays.setdefault(method, []).extend([seconds] * times)

    def garble_next(self, method: str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with a body that is not JSON, and
        do nothing else for them."""
        self._garbled[method] += times

    async def _maybe_delay(self, method: str) -> None:
        delays = self._delays.get(method)
        if delays:
            await asyncio.sleep(delays.pop(0))

    def _maybe_fail(self, method: str) -> None:
        failure = self._failures.get(method)
        if failure is None or failure.remaining <= 0:
            return
        failure.remaining -= 1
        if failure.status == 429:
            raise ApiError(
                429,
                f"Too Many Requests: retry after {failure.retry_after}",
                {"retry_after": failure.retry_after},
            )
        raise ApiError(failure.status, failure.description)

    # --- what the bot sees ---------------------------------------------------------------

    async def _true(self, params: Json) -> bool:
        return True

    async def _get_me(self, params: Json) -> Json:
        return self.bot

    async def _get_webhook_info(self, params: Json) -> Json:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    async def _get_updates(self, params: Json) -> list[Json]:
        offset = params.get("offset")
        if isinstance(offset, int) and offset > 0:
            self._pending = [update for update in self._pending if update["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), LONG_POLL_CAP)
        while not self._pending and (left := deadline - time.monotonic()) > 0:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), left)
        return self._pending[:limit]

    async def _get_file(self, params: Json) -> Json:
        file_id = params.get("file_id")
        if not isinstance(file_id, str) or file_id not in self._files:
            raise bad_request("invalid file_id")
        size = len(self._files[file_id])
        if size > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": size,
            "file_path": f"documents/{file_id}",
        }

    async def _send_message(self, params: Json) -> Json:
        chat = self._chat(params.get("chat_id"))
        text = checked_text(params.get("text"), params.get("parse_mode"))
        check_keyboard(params.get("reply_markup"))
        thread_id = params.get("message_thread_id")
        if thread_id is not None and (chat["id"], thread_id) not in self._topics:
            raise bad_request("message thread not found")
        message = self._new_message(chat, self.bot, text=text, thread_id=thread_id)
        replied = self._replied_message(chat, params)
        if replied is not None:
            message["reply_to_message"] = _without_reply(replied)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _edit_message_text(self, params: Json) -> Json:
        chat = self._chat(params.get("chat_id"))
        message = self._messages.get((chat["id"], params.get("message_id")))
        if message is None or message["from"]["id"] != self.bot["id"]:
            raise bad_request("message to edit not found")
        text = checked_text(params.get("text"), params.get("parse_mode"))
        check_keyboard(params.get("reply_markup"))
        if text == message["text"] and params.get("reply_markup") == message.get("reply_markup"):
            raise bad_request("message is not modified")
        message["text"] = text
        message["edit_date"] = int(time.time())
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _answer_callback_query(self, params: Json) -> bool:
        self._close_query(params.get("callback_query_id"))
        if len(params.get("text") or "") > MAX_ANSWER_CALLBACK_TEXT:
            raise bad_request("MESSAGE_TOO_LONG")
        return True

    async def _answer_inline_query(self, params: Json) -> bool:
        self._close_query(params.get("inline_query_id"))
        results = params.get("results") or []
        if len(results) > 50:
            raise bad_request("RESULTS_TOO_MUCH")
        ids = [result.get("id", "") for result in results]
        if len(set(ids)) != len(ids) or not all(1 <= len(i.encode()) <= 64 for i in ids):
            raise bad_request("RESULT_ID_INVALID")
        for result in results:
            if result.get("type") != "article" or not result.get("title"):
                raise bad_request("RESULT_TYPE_INVALID")
            content = result.get("input_message_content") or {}
            checked_text(content.get("message_text"), content.get("parse_mode"))
            check_keyboard(result.get("reply_markup"))
        return True

    async def _set_my_commands(self, params: Json) -> bool:
        for command in params.get("commands") or []:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        return True

    def _chat(self, chat_id: object) -> Json:
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _replied_message(self, chat: Json, params: Json) -> Json | None:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id", params.get("reply_to_message_id"))
        if message_id is None:
            return None
        replied = self._messages.get((chat["id"], message_id))
        if replied is None and not reply.get("allow_sending_without_reply"):
            raise bad_request("message to be replied not found")
        return replied

    def _close_query(self, query_id: object) -> None:
        if query_id not in self._open_queries:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self._open_queries.discard(str(query_id))

    # --- what the people do --------------------------------------------------------------

    def push(self, update: Json) -> int:
        update_id = next(self._update_ids)
        self._pending.append({"update_id": update_id, **update})
        self._arrived.set()
        return update_id

    def send_text(
        self,
        chat: Json,
        sender: Json,
        text: str,
        *,
        reply_to: Json | None = None,
        topic: int | None = None,
    ) -> Json:
        """A person writes `text`; replies in a topic go to the topic's first message."""
        message = self._new_message(chat, sender, text=text, thread_id=topic)
        entities = user_entities(text)
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = _without_reply(reply_to)
        elif topic is not None:
            message["reply_to_message"] = _without_reply(self._messages[(chat["id"], topic)])
        return self._queue_message(message)

    def send_sticker(self, chat: Json, sender: Json) -> Json:
        message = self._new_message(chat, sender)
        message["sticker"] = {
            "file_id": "CAACAgIAAxkBAAIBa2Zz",
            "file_unique_id": "AgADSwADwZxgDA",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self._queue_message(message)

    def send_document(
        self, chat: Json, sender: Json, data: bytes, file_name: str, mime_type: str = "text/plain"
    ) -> Json:
        file_id = f"doc{len(self._files) + 1}"
        self._files[file_id] = data
        message = self._new_message(chat, sender)
        message["document"] = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        return self._queue_message(message)

    def create_topic(self, chat: Json, sender: Json, name: str) -> int:
        message = self._new_message(chat, sender)
        thread_id = message["message_id"]
        message.update(
            message_thread_id=thread_id,
            is_topic_message=True,
            forum_topic_created={"name": name, "icon_color": 7322096},
        )
        self._topics.add((chat["id"], thread_id))
        self._queue_message(message)
        return thread_id

    def press_button(self, message: Json, data: str, sender: Json) -> str:
        query_id = str(next(self._query_ids))
        self._open_queries.add(query_id)
        self.push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": sender,
                    "message": message,
                    "chat_instance": str(message["chat"]["id"]),
                    "data": data,
                }
            }
        )
        return query_id

    def inline_query(self, sender: Json, query: str) -> str:
        query_id = str(next(self._query_ids))
        self._open_queries.add(query_id)
        self.push({"inline_query": {"id": query_id, "from": sender, "query": query, "offset": ""}})
        return query_id

    def add_bot(self, chat: Json, by: Json) -> None:
        self._chats[chat["id"]] = chat
        now = int(time.time())
        self.push(
            {
                "my_chat_member": {
                    "chat": chat,
                    "from": by,
                    "date": now,
                    "old_chat_member": {"status": "left", "user": self.bot},
                    "new_chat_member": {"status": "member", "user": self.bot},
                }
            }
        )

    def migrate(self, group: Json, supergroup: Json, by: Json) -> None:
        """The two service messages Telegram sends when a group becomes a supergroup."""
        old = self._new_message(group, by)
        old["migrate_to_chat_id"] = supergroup["id"]
        self._queue_message(old)
        new = self._new_message(supergroup, by)
        new["migrate_from_chat_id"] = group["id"]
        self._queue_message(new)

    def _new_message(
        self, chat: Json, sender: Json, *, text: str | None = None, thread_id: int | None = None
    ) -> Json:
        self._chats[chat["id"]] = chat
        counter = self._message_ids.setdefault(chat["id"], itertools.count(1))
        message: Json = {
            "message_id": next(counter),
            "date": int(time.time()),
            "chat": chat,
            "from": sender,
        }
        if text is not None:
            message["text"] = text
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        self._messages[(chat["id"], message["message_id"])] = message
        return message

    def _queue_message(self, message: Json) -> Json:
        self.pushed_at[(message["chat"]["id"], message["message_id"])] = time.perf_counter()
        self.push({"message": message})
        return message

    # --- what the tests look at ----------------------------------------------------------

    def calls_to(self, method: str, *, delivered: bool = True) -> list[ApiCall]:
        """Calls of `method`; by default only those that were answered with success."""
        return [
            call
            for call in self.calls
            if call.method == method and (call.status == 200 or not delivered)
        ]

    def unconfirmed(self) -> list[Json]:
        """Updates queued and not yet confirmed by a getUpdates offset: Telegram would
        deliver these again."""
        return list(self._pending)

    def sent_to(self, chat_id: int) -> list[ApiCall]:
        return [call for call in self.calls_to("sendMessage") if call.params["chat_id"] == chat_id]

    async def wait_until(
        self, condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition"
    ) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            await asyncio.sleep(0.005)

    async def wait_for_messages(self, count: int, timeout: float = 10.0) -> list[ApiCall]:
        await self.wait_until(
            lambda: len(self.calls_to("sendMessage")) >= count, timeout, f"{count} messages"
        )
        return self.calls_to("sendMessage")


def _without_reply(message: Json) -> Json:
    """Telegram nests a replied-to message one level deep only."""
    return {key: value for key, value in message.items() if key != "reply_to_message"}


async def _parameters(request: web.Request) -> Json:
    """PTB sends strings as they are and everything else JSON-encoded, in a form."""
    if request.content_type == "application/json":
        return await request.json()
    form = await request.post()
    return {key: _decode(key, value) for key, value in form.items() if isinstance(value, str)}


def _decode(key: str, value: str) -> Any:
    if key in STRING_PARAMETERS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
