"""The inline buttons and what their callback data says.

Telegram gives callback data 64 bytes, so a button carries an action and a number (the
journal's id of the question it belongs to, or the index of an example question), never
the text itself.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from knowledge import texts


class Action(StrEnum):
    EXAMPLE = "ex"
    SOURCE = "src"
    HELPFUL = "up"
    UNHELPFUL = "down"


class ButtonPress(BaseModel):
    model_config = ConfigDict(frozen=True)

    action: Action
    number: int = Field(ge=0)

    @property
    def data(self) -> str:
        return f"{self.action}:{self.number}"

    @classmethod
    def parse(cls, data: str | None) -> ButtonPress | None:
        """None for data this version of the bot did not write."""
        action, _, number = (data or "").partition(":")
        try:
            return cls(action=action, number=number)  # type: ignore[arg-type]
        except ValidationError:
            return None


def _button(text: str, action: Action, number: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=ButtonPress(action=action, number=number).data)


def answer_keyboard(question_id: int, cited: bool) -> InlineKeyboardMarkup:
    source = [_button(texts.BUTTON_SOURCE, Action.SOURCE, question_id)] if cited else []
    return InlineKeyboardMarkup(
        [
            [
                *source,
                _button(texts.BUTTON_HELPFUL, Action.HELPFUL, question_id),
                _button(texts.BUTTON_UNHELPFUL, Action.UNHELPFUL, question_id),
            ]
        ]
    )


def examples_keyboard(questions: list[str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(question, Action.EXAMPLE, index)] for index, question in enumerate(questions)]
    )
