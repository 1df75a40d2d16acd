"""The bot token never reaches a log line, however it gets there."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.log_redaction import REDACTED, SecretRedactor, configure_logging
from tests.fake_bot_api import TOKEN

SECRET_HALF = TOKEN.split(":")[1]


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("DEBUG", [TOKEN], stream=stream)
    yield stream
    root.handlers, root.level = saved


def test_the_token_is_redacted_from_messages_arguments_and_tracebacks(log: io.StringIO) -> None:
    logger = logging.getLogger("some.library")
    logger.info("POST https://api.telegram.org/bot%s/getMe", TOKEN)
    logger.warning(f"only the secret half: {SECRET_HALF}")
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getUpdates")
    except ConnectionError:
        logger.exception("polling failed")
    logger.info("stack", stack_info=True, extra={"unrelated": TOKEN})

    written = log.getvalue()
    assert TOKEN not in written and SECRET_HALF not in written
    assert written.count(REDACTED) >= 3
    assert (
        "ConnectionError: cannot reach https://api.telegram.org/bot<redacted>/getUpdates" in written
    )


def test_httpx_request_lines_are_not_logged_at_info(log: io.StringIO) -> None:
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot... 200 OK")
    logging.getLogger("httpx").warning("something worth knowing")

    assert "HTTP Request" not in log.getvalue()
    assert "something worth knowing" in log.getvalue()


def test_a_record_without_secrets_is_left_as_it_was() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d questions", (3,), None)
    assert SecretRedactor([TOKEN, ""]).filter(record)
    assert record.getMessage() == "3 questions"
