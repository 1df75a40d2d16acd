"""`python -m bot`: the terminal chat, the `ask` contract, and configuration mistakes
ending in one line and exit code 2."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from knowledge import texts
from knowledge.build import build_store
from knowledge.store import SEEDS, save_store
from tests.fake_bot_api import TOKEN

PROJECT = Path(__file__).resolve().parents[1]
ARTICLE = {
    "id": "bridge",
    "title": "青石河大桥正式通车",
    "text": "青石河大桥正式通车。\n大桥全长约3.2公里，总投资18亿元，建设工期历时26个月。",
}
COST = "大桥总投资多少亿元？"
EXAMPLE = "从拿地到拿证用了几天？"  # the product example, on the seeds
CONTRACT_KEYS = ["question", "answered", "answer", "reply", "citations", "confidence"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("store")
    source = folder / "articles.jsonl"
    source.write_text(json.dumps(ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    save_store(build_store([source]), folder / "store.json")
    return folder / "store.json"


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built here: a default store being rebuilt would load what building needs."""
    path = tmp_path_factory.mktemp("seeds") / "store.json"
    save_store(build_store([SEEDS]), path)
    return path


def bot_process(
    args: list[str], cwd: Path, store: Path | None = None, **env: str
) -> subprocess.Popen[str]:
    """`python -m bot` run from a folder without `.env`, configured by `env` only."""
    base = {k: v for k, v in os.environ.items() if k.upper() not in _setting_names()}
    if store is not None:
        base["KNOWLEDGE_STORE"] = str(store)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**base, "PYTHONPATH": str(PROJECT), **env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def _setting_names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def test_ask_json_prints_the_contract(store_path: Path, tmp_path: Path) -> None:
    process = bot_process(["ask", "--json", COST], tmp_path, store_path)
    out, err = process.communicate(timeout=60)

    assert process.returncode == 0, err
    result = json.loads(out)
    assert list(result) == CONTRACT_KEYS
    assert result["answered"] is True and result["answer"] == "18亿元"
    assert list(result["citations"][0]) == ["article_id", "title", "paragraph", "quote"]
    assert result["citations"][0]["paragraph"] == 2
    assert 0 <= result["confidence"] <= 1


def test_ask_dash_answers_each_line_as_it_comes(store_path: Path, tmp_path: Path) -> None:
    """A caller may wait for each answer before asking the next: every line is flushed."""
    process = bot_process(["ask", "--store", str(store_path), "-"], tmp_path)
    assert process.stdin is not None and process.stdout is not None
    lines = []
    for question in (COST, "", "火星上有没有水？"):
        process.stdin.write(question + "\n")
        process.stdin.flush()
        lines.append(json.loads(process.stdout.readline()))
    process.stdin.close()
    assert process.stdout.read() == ""
    assert process.wait(timeout=30) == 0

    assert [line["question"] for line in lines] == [COST, "", "火星上有没有水？"]
    assert all(list(line) == CONTRACT_KEYS for line in lines)
    assert [line["answered"] for line in lines] == [True, False, False]
    assert lines[1]["reply"].startswith(texts.EMPTY_QUESTION)
    assert lines[2]["answer"] == "" and lines[2]["citations"] == []


def test_ask_without_json_prints_the_reply(store_path: Path, tmp_path: Path) -> None:
    process = bot_process(["ask", COST], tmp_path, store_path)
    out, _ = process.communicate(timeout=60)

    assert out.splitlines()[0] == "18亿元"
    assert "来源：《青石河大桥正式通车》第 2 段" in out


def test_without_a_token_the_bot_says_how_to_connect_and_chats_until_eof(
    store_path: Path, tmp_path: Path
) -> None:
    process = bot_process([], tmp_path, store_path)
    out, err = process.communicate(f"{COST}\n\n{COST}\n", timeout=60)

    assert process.returncode == 0, err
    assert err.strip() == texts.TERMINAL_HOW_TO_CONNECT
    # The blank line is skipped; no prompt without a terminal.
    assert [line for line in out.splitlines() if line == "18亿元"] == ["18亿元"] * 2


def test_chat_ends_quietly_on_eof(store_path: Path, tmp_path: Path) -> None:
    process = bot_process(["chat"], tmp_path, store_path, TELEGRAM_BOT_TOKEN=TOKEN)
    out, err = process.communicate("", timeout=60)

    assert (process.returncode, out, err) == (0, "", "")


@pytest.mark.parametrize(
    ("args", "stdin"), [(["ask", "--json", EXAMPLE], ""), (["chat"], f"{EXAMPLE}\n")]
)
def test_the_terminal_commands_load_only_what_they_need(
    args: list[str], stdin: str, seed_store: Path, tmp_path: Path
) -> None:
    """python-telegram-bot and the handlers are the bot's own, cn2an is for Chinese
    numerals (the question has none), and pypinyin's phrase dictionary is never needed:
    each would slow every start in the terminal. `PYTHONPROFILEIMPORTTIME` lists every
    module imported."""
    process = bot_process(
        args, tmp_path, seed_store, TELEGRAM_BOT_TOKEN=TOKEN, PYTHONPROFILEIMPORTTIME="1"
    )
    out, err = process.communicate(stdin, timeout=60)

    assert process.returncode == 0, err
    assert "23天" in out
    imported = {line.rpartition("|")[2].strip() for line in err.splitlines()}
    packages = {name.partition(".")[0] for name in imported}
    assert {"encodings", "pypinyin"} <= packages, "the import list was read"
    assert not packages & {"telegram", "handlers", "cn2an"}
    assert "pypinyin.phrases_dict" not in imported


@pytest.fixture
def no_dot_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`main()` in this process, from a folder without `.env`, logging restored after."""
    monkeypatch.chdir(tmp_path)
    for name in _setting_names():
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield
    root.handlers, root.level = saved


@pytest.mark.usefixtures("no_dot_env")
@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["ask", COST], {"TELEGRAM_BOT_TOKEN": "12345:abc"}, "TELEGRAM_BOT_TOKEN"),
        (["ask", "--store", "missing.json", COST], {}, "missing.json"),
        (["ask", "--store", ".", COST], {}, "."),
        (["--webhook"], {"TELEGRAM_BOT_TOKEN": TOKEN}, "WEBHOOK_URL"),
        (["--webhook"], {}, "TELEGRAM_BOT_TOKEN"),
        ([], {"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_PATH": "store.json/bot.db"}, "DATABASE"),
    ],
)
def test_a_configuration_mistake_is_one_line_and_exit_code_2(
    args: list[str],
    env: dict[str, str],
    named: str,
    store_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path("store.json").write_text("not a directory")
    monkeypatch.setenv("KNOWLEDGE_STORE", str(store_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and named in err
    assert "Traceback" not in err and "12345:abc" not in err


def test_a_garbled_store_is_one_line_too(
    no_dot_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbled = tmp_path / "garbled.json"
    garbled.write_text('{"format_version": 1, "articles": [')

    assert main(["ask", "--store", str(garbled), COST]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(garbled) in err
