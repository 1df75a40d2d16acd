"""`python -m bot ask --json -` under hostile input: every line in gets exactly one JSON
line out, in order, whatever the line holds, and the conversation goes on."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Settings
from bot.terminal import ask_lines, ask_one, chat
from knowledge import texts
from knowledge.engine import Engine
from tests.test_cli import CONTRACT_KEYS, COST, PROJECT
from tests.test_cli import store_path as store_path  # the fixture: one small article

HOSTILE_LINES = [
    COST.encode(),
    b"\xff\xfe\xfd not UTF-8 \xc3\x28",
    b"\xed\xa0\x80 a lone surrogate, as UTF-8 bytes",
    ("大桥" * 50_000).encode(),
    b"",
    b"   \t  ",
    b"\x00\x07\x1b[31m\x7f",
    "<b>&amp;</b> **粗体** [链接](http://x) `code`".encode(),
    b"'; DROP TABLE questions;--",
    "\u202eمرحبا שלום 👨‍👩‍👧‍👦 🇨🇳 e\u0301\u0302".encode(),
    "大桥总投资多少亿元？\r".encode(),  # a Windows line end
    COST.encode(),
]


def run_ask_lines(data: bytes, store: Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The real command, from a folder without `.env`, with `data` as its stdin."""
    settings = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k.upper() not in settings}
    return subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--store", str(store), "-"],
        input=data,
        capture_output=True,
        cwd=cwd,
        env={**env, "PYTHONPATH": str(PROJECT)},
        timeout=120,
        check=False,
    )


def test_every_hostile_line_gets_one_json_line_and_the_answers_go_on(
    store_path: Path, tmp_path: Path
) -> None:
    done = run_ask_lines(b"\n".join(HOSTILE_LINES) + b"\n", store_path, tmp_path)

    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    results = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(results) == len(HOSTILE_LINES)
    assert all(list(result) == CONTRACT_KEYS for result in results)
    first, not_utf8, surrogate, giant, *_, windows, last = results
    assert first["answered"] and last["answered"] and first["answer"] == last["answer"]
    assert windows["question"] == COST and windows["answered"]
    for refused in (not_utf8, surrogate):
        assert refused["reply"] == texts.NOT_UTF8 and not refused["answered"]
        assert "not UTF-8" in refused["question"] or "surrogate" in refused["question"]
    assert len(giant["question"]) == 100_000 and giant["reply"]
    assert all(result["reply"].strip() for result in results)


# --- the same contract in this process, over any bytes -----------------------------------


@pytest.fixture(scope="module")
def engine(store_path: Path) -> Engine:
    return Engine.load(store_path)


no_line_end = st.one_of(
    st.binary(max_size=60),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60).map(str.encode),
).map(lambda line: line.replace(b"\n", b""))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(no_line_end, max_size=8), st.sampled_from([b"\n", b""]))
def test_any_bytes_one_json_line_each_in_order(
    engine: Engine, lines: list[bytes], last_end: bytes
) -> None:
    out = io.StringIO()
    ask_lines(engine, io.BytesIO(b"\n".join(lines) + last_end if lines else b""), out)

    if lines and not last_end and not lines[-1]:
        lines = lines[:-1]  # nothing after the last line end: no line
    results = [json.loads(line) for line in out.getvalue().split("\n")[:-1]]
    assert len(results) == len(lines)
    for line, result in zip(lines, results, strict=True):
        assert list(result) == CONTRACT_KEYS and result["reply"].strip()
        try:
            question = line.rstrip(b"\r").decode("utf-8")
        except UnicodeDecodeError:
            assert result["reply"] == texts.NOT_UTF8
        else:
            assert result["question"] == question
            assert result == json.loads(_ask_again(engine, line))  # same question, same answer


def _ask_again(engine: Engine, line: bytes) -> str:
    out = io.StringIO()
    ask_lines(engine, io.BytesIO(line + b"\n"), out)
    return out.getvalue()


def test_a_question_argument_that_is_not_utf8_is_answered_too(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bytes on the command line that are not UTF-8 reach Python as lone surrogates."""
    ask_one(engine, os.fsdecode(b"\xff\xfe"), sys.stdout, as_json=True)

    result = json.loads(capsys.readouterr().out)
    assert result["reply"] == texts.NOT_UTF8 and not result["answered"]


def test_the_terminal_chat_says_which_lines_are_not_utf8_and_goes_on(engine: Engine) -> None:
    typed = io.TextIOWrapper(
        io.BytesIO(b"\xff\xfe\n" + COST.encode() + b"\n"),
        encoding="utf-8",
        errors="surrogateescape",
    )
    out = io.StringIO()
    chat(engine, typed, out)

    refusal, answer = out.getvalue().split("\n", 1)
    assert refusal == texts.NOT_UTF8
    assert answer.startswith("18亿元")
