"""`python -m bot`: the bot on Telegram (long polling, or `--webhook`), `chat` in the
terminal, or `ask` for scripts. Without a token it falls back to the terminal chat.

A configuration mistake (malformed token, unreadable store or database) stops the
program with one line on stderr and exit code 2, before anything has started.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.log_redaction import configure_logging
from bot.terminal import ask_lines, ask_one, chat
from knowledge import texts
from knowledge.engine import Engine
from knowledge.library import Library, LibraryError
from knowledge.store import DEFAULT_STORE, StoreError

CONFIG_ERROR = 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        return int(args.command(args, settings))
    except (ConfigError, StoreError, LibraryError) as error:
        print(f"error: {error}", file=sys.stderr)
        return CONFIG_ERROR
    except KeyboardInterrupt:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--webhook", action="store_true", help="receive updates through a webhook (WEBHOOK_*)"
    )
    parser.set_defaults(command=_serve)
    commands = parser.add_subparsers(metavar="COMMAND")

    chat_command = commands.add_parser("chat", help="chat in the terminal (until end of input)")
    chat_command.add_argument(
        "--store", type=Path, help="the fact store (default: KNOWLEDGE_STORE)"
    )
    chat_command.set_defaults(command=_chat)

    ask = commands.add_parser(
        "ask",
        help="answer one question, or with - one question a line from stdin as JSON lines",
    )
    ask.add_argument("question", metavar="QUESTION|-")
    ask.add_argument("--store", type=Path, help="the fact store (default: KNOWLEDGE_STORE)")
    ask.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    ask.set_defaults(command=_ask)
    return parser


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    configure_logging(settings.log_level, settings.secrets())
    if settings.token is None:
        if args.webhook:
            raise ConfigError("--webhook needs TELEGRAM_BOT_TOKEN (put it in .env)")
        print(texts.TERMINAL_HOW_TO_CONNECT, file=sys.stderr)
        return _chat(args, settings)
    # Only the bot itself loads python-telegram-bot: `ask` and `chat` start without it.
    from bot.app import check_webhook, run_bot

    if args.webhook:
        check_webhook(settings)
    run_bot(settings, _open_library(settings), webhook=args.webhook)
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    engine = _terminal_engine(args, settings)
    chat(engine, sys.stdin, sys.stdout, prompt="> " if sys.stdin.isatty() else "")
    return 0


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    engine = _terminal_engine(args, settings)
    if args.question == "-":
        ask_lines(engine, sys.stdin.buffer, sys.stdout)
    else:
        ask_one(engine, args.question, sys.stdout, as_json=args.json)
    return 0


def _terminal_engine(args: argparse.Namespace, settings: Settings) -> Engine:
    # The terminal is for answers: only warnings go to stderr.
    configure_logging("WARNING", settings.secrets())
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")  # whatever the locale says
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="surrogateescape")  # `chat` says which lines are not UTF-8
    explicit = getattr(args, "store", None) or settings.knowledge_store
    if explicit is not None:
        return Engine.load(explicit)
    return Engine(_open_library(settings).open())  # the same articles the bot answers from


def _open_library(settings: Settings) -> Library:
    """The bot answers from the seeds and the articles administrators added."""
    try:
        return Library(
            settings.articles_dir,
            settings.knowledge_store or DEFAULT_STORE,
            derived=settings.knowledge_store is None,
            max_document_bytes=settings.max_document_bytes,
        )
    except OSError as error:
        raise ConfigError(
            f"ARTICLES_DIR {settings.articles_dir}: cannot use the folder ({error.strerror})"
        ) from None
