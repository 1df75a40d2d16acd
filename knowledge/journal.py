"""What became of each question, kept in SQLite so that `/stats` survives restarts.

Only what the statistics need is kept: no chat or user ids. A question's text is kept
because the bot was asked it (in groups the bot only hears what is addressed to it), so
that unanswered questions can show what the articles are missing.

The journal is a record, not a reason to stop answering: when the database cannot be
written (a full disk, a read-only file) the question is answered anyway, without the
buttons that would need its record, and the failure is logged once, not every question.

It lives beside the store, not in `bot/`, because the handlers keep and read records too:
both import it downwards, and it knows nothing of Telegram.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from pydantic import BaseModel

from knowledge.models import Answer

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    asked_at REAL NOT NULL,
    chat_type TEXT NOT NULL,
    question TEXT NOT NULL,
    answered INTEGER NOT NULL,
    confidence REAL NOT NULL,
    article_id TEXT,
    paragraph INTEGER,
    feedback INTEGER
);
CREATE INDEX IF NOT EXISTS unanswered ON questions (answered, asked_at);
"""


class CitedParagraph(BaseModel):
    article_id: str
    paragraph: int


class JournalStats(BaseModel):
    questions: int
    answered: int
    helpful: int
    unhelpful: int
    by_chat_type: dict[str, int]
    recent_unanswered: list[str]

    @property
    def answer_rate(self) -> float:
        return self.answered / self.questions if self.questions else 0.0


class Journal:
    def __init__(self, path: Path) -> None:
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        # One connection, used from the event loop's thread only.
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._failing = False

    def close(self) -> None:
        self._db.close()

    def record(self, chat_type: str, answer: Answer) -> int | None:
        """Keep one question's outcome; the id is what the answer's buttons refer to.
        None when it could not be kept."""
        cited = answer.citations[0] if answer.citations else None
        try:
            [(question_id,)] = self._db.execute(
                "INSERT INTO questions"
                " (asked_at, chat_type, question, answered, confidence, article_id, paragraph)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    time.time(),
                    chat_type,
                    answer.question,
                    answer.answered,
                    answer.confidence,
                    cited.article_id if cited else None,
                    cited.paragraph if cited else None,
                ),
            ).fetchall()
        except sqlite3.Error as error:
            self._write_failed(error)
            return None
        self._write_succeeded()
        return int(question_id)

    def set_feedback(self, question_id: int, helpful: bool) -> bool:
        """The last press counts: people change their minds. False when it could not be
        kept, as for a question the journal does not know."""
        try:
            cursor = self._db.execute(
                "UPDATE questions SET feedback = ? WHERE id = ?",
                (1 if helpful else -1, question_id),
            )
        except sqlite3.Error as error:
            self._write_failed(error)
            return False
        self._write_succeeded()
        return cursor.rowcount == 1

    def _write_failed(self, error: sqlite3.Error) -> None:
        if not self._failing:
            log.error("The journal cannot be written (%s); answering on without it", error)
        self._failing = True

    def _write_succeeded(self) -> None:
        if self._failing:
            log.warning("The journal is written again")
        self._failing = False

    def cited_paragraph(self, question_id: int) -> CitedParagraph | None:
        row = self._db.execute(
            "SELECT article_id, paragraph FROM questions WHERE id = ? AND article_id IS NOT NULL",
            (question_id,),
        ).fetchone()
        return CitedParagraph(article_id=row[0], paragraph=row[1]) if row else None

    def stats(self, recent: int = 5) -> JournalStats:
        questions, answered, helpful, unhelpful = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(answered), 0),"
            " COUNT(*) FILTER (WHERE feedback = 1), COUNT(*) FILTER (WHERE feedback = -1)"
            " FROM questions"
        ).fetchone()
        by_chat_type = dict(
            self._db.execute(
                "SELECT chat_type, COUNT(*) FROM questions GROUP BY chat_type ORDER BY 2 DESC"
            ).fetchall()
        )
        recent_unanswered = [
            row[0]
            for row in self._db.execute(
                "SELECT question FROM questions WHERE answered = 0"
                " ORDER BY asked_at DESC, id DESC LIMIT ?",
                (recent,),
            )
        ]
        return JournalStats(
            questions=questions,
            answered=answered,
            helpful=helpful,
            unhelpful=unhelpful,
            by_chat_type=by_chat_type,
            recent_unanswered=recent_unanswered,
        )
