"""The bot's settings, read once from the environment and `.env`.

Everything an operator can get wrong is checked here, before anything starts, so that a
mistake ends the program with one line naming the setting instead of a traceback later.
The token is a secret: it is never echoed back, not even in error messages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from knowledge.store import DEFAULT_ARTICLES

TOKEN_SHAPE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
SECRET_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


class ConfigError(Exception):
    """A setting the bot cannot work with; str() is one line naming it and the fix."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
    )

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = Field(
        default="",
        description="a self-hosted Bot API server, e.g. http://127.0.0.1:8081/bot",
    )
    telegram_base_file_url: str = ""
    knowledge_store: Path | None = Field(
        default=None, description="the fact store; None is the project's default store"
    )
    admin_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    database_path: Path = Path("var/bot.sqlite3")
    log_level: LogLevel = "INFO"

    webhook_url: str = Field(default="", description="the public https URL Telegram posts to")
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None

    rate_limit_per_second: float = Field(
        default=30, ge=0, description="messages a second over all chats; 0 lifts the limit"
    )
    rate_limit_per_group_per_minute: float = Field(
        default=20, ge=0, description="messages a minute into one group; 0 lifts the limit"
    )
    rate_limit_max_retries: int = Field(
        default=3, ge=3, description="how often a request is retried after a 429"
    )
    questions_per_user_per_minute: int = Field(default=20, ge=1)

    allowed_chat_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), description="the only chats the bot works in; empty: every chat"
    )
    articles_dir: Path = Field(
        default=DEFAULT_ARTICLES, description="articles added by administrators"
    )
    max_document_mb: float = Field(
        default=2, gt=0, le=20, description="largest document to add; bots download ≤ 20 MB"
    )

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, token: SecretStr | None) -> SecretStr | None:
        if token is not None and not TOKEN_SHAPE.fullmatch(token.get_secret_value()):
            raise ValueError(
                "does not look like a bot token (digits:letters, as @BotFather gives it)"
            )
        return token

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is not None and not SECRET_TOKEN_SHAPE.fullmatch(secret.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return secret

    @field_validator("admin_user_ids", "allowed_chat_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def max_document_bytes(self) -> int:
        return int(self.max_document_mb * 1024 * 1024)

    def secrets(self) -> list[str]:
        """Everything that must never reach a log line."""
        values = [self.telegram_bot_token, self.webhook_secret]
        return [value.get_secret_value() for value in values if value is not None]


def load_settings(env_file: Path | None = Path(".env")) -> Settings:
    try:
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as error:
        raise ConfigError(_describe(error)) from None


def _describe(error: ValidationError) -> str:
    """Name each bad setting as it is spelled in `.env`, without echoing its value."""
    problems = []
    for problem in error.errors(include_input=False, include_url=False):
        name = "_".join(str(part) for part in problem["loc"][:1]).upper()
        message = str(problem["msg"]).removeprefix("Value error, ")
        problems.append(f"{name} {message}")
    return "; ".join(problems) + " (check .env or the environment)"
