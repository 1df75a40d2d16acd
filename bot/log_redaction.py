"""Logging that never writes the bot token down.

The token is part of every Bot API URL, and libraries log URLs: httpx at INFO for each
request, python-telegram-bot at DEBUG when it starts, and exceptions may quote them.
Quietening httpx is not enough on its own, so every record is also scrubbed on its way
out, message, arguments, traceback and stack alike.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TextIO

REDACTED = "<redacted>"
CHATTY_LOGGERS = ("httpx", "httpcore")


class SecretRedactor(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so that a whole token goes before its own second half.
        self._secrets = sorted(set(_with_parts(secrets)), key=len, reverse=True)
        self._formatter = logging.Formatter()

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def _with_parts(secrets: Iterable[str]) -> Iterable[str]:
    """A bot token's secret half is as secret as the whole."""
    for secret in filter(None, secrets):
        yield secret
        _, _, after_colon = secret.partition(":")
        if len(after_colon) >= 16:
            yield after_colon


def configure_logging(level: str, secrets: Iterable[str], stream: TextIO | None = None) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretRedactor(secrets))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
