"""Settings: read from the environment and `.env`, checked before anything starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings
from tests.fake_bot_api import TOKEN


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)


def test_defaults_need_no_configuration() -> None:
    settings = load_settings(env_file=None)

    assert settings.token is None
    assert settings.database_path == Path("var/bot.sqlite3")
    assert settings.knowledge_store is None
    assert settings.admin_user_ids == frozenset()
    assert (settings.rate_limit_per_second, settings.rate_limit_per_group_per_minute) == (30, 20)
    assert settings.rate_limit_max_retries >= 3


def test_dot_env_is_read_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\n"
        "TELEGRAM_BASE_URL=http://127.0.0.1:8081/bot\n"
        "ADMIN_USER_IDS=1, 22,333\n"
        "KNOWLEDGE_STORE=\n"
        "LOG_LEVEL=DEBUG\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    settings = load_settings(env_file=env_file)

    assert settings.token == TOKEN
    assert settings.telegram_base_url == "http://127.0.0.1:8081/bot"
    assert settings.admin_user_ids == frozenset({1, 22, 333})
    assert settings.knowledge_store is None  # empty means unset
    assert settings.log_level == "WARNING"
    assert TOKEN not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "TELEGRAM_BOT_TOKEN"),
        ("TELEGRAM_BOT_TOKEN", "123456:short", "TELEGRAM_BOT_TOKEN"),
        ("TELEGRAM_BOT_TOKEN", TOKEN.replace(":", "/"), "TELEGRAM_BOT_TOKEN"),
        ("ADMIN_USER_IDS", "1,alice", "ADMIN_USER_IDS"),
        ("RATE_LIMIT_MAX_RETRIES", "2", "RATE_LIMIT_MAX_RETRIES"),
        ("RATE_LIMIT_PER_SECOND", "-1", "RATE_LIMIT_PER_SECOND"),
        ("WEBHOOK_SECRET", "has spaces", "WEBHOOK_SECRET"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it_without_its_value(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, named: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as raised:
        load_settings(env_file=None)

    message = str(raised.value)
    assert named in message and "\n" not in message
    assert value not in message


def test_secrets_are_the_token_and_the_webhook_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret-path_token")
    assert load_settings(env_file=None).secrets() == [TOKEN, "s3cret-path_token"]
