"""What the bot remembers: per-person limits, conversations, the journal, chat order."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram import Update

from bot.chat_order import ChatOrderedProcessor
from handlers.conversations import Conversations
from handlers.throttle import QuestionThrottle, Verdict
from knowledge.journal import Journal
from knowledge.models import Answer, Citation
from tests.fake_bot_api import FakeBotApi, Json, person, private_chat


def answer(question: str, answered: bool = True) -> Answer:
    citations = [Citation(article_id="a1", title="桥", paragraph=3, quote="全长3公里。")]
    return Answer(
        question=question,
        answered=answered,
        answer="3公里" if answered else "",
        reply="3公里" if answered else "抱歉。",
        citations=citations if answered else [],
        confidence=0.8 if answered else 0.0,
    )


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_over_the_limit_a_person_is_warned_once_then_ignored_until_the_window_moves() -> None:
    clock = Clock()
    throttle = QuestionThrottle(limit=3, window_seconds=60, clock=clock)

    verdicts = []
    for second in (0, 10, 20, 30, 40, 50):
        clock.now = second
        verdicts.append(throttle.check(1))
    assert verdicts == [Verdict.ANSWER] * 3 + [Verdict.WARN] + [Verdict.IGNORE] * 2
    assert throttle.check(2) is Verdict.ANSWER  # someone else

    clock.now = 59.9
    assert throttle.check(1) is Verdict.IGNORE
    clock.now = 60.0  # the question at 0 has left the window, those at 10 and 20 not
    assert throttle.check(1) is Verdict.ANSWER
    assert throttle.check(1) is Verdict.WARN


def test_the_throttle_forgets_the_least_recently_active_beyond_its_capacity() -> None:
    throttle = QuestionThrottle(limit=1, capacity=2, clock=Clock())
    throttle.check(1)
    throttle.check(2)
    throttle.check(3)  # 1 is forgotten
    assert throttle.check(1) is Verdict.ANSWER
    assert throttle.check(3) is Verdict.WARN


def test_conversations_are_per_person_bounded_and_follow_a_migration() -> None:
    conversations = Conversations(capacity=2)
    conversations.remember((-1, 1), answer("大桥多长？"))
    conversations.remember((-1, 2), answer("投资多少？"))
    assert conversations.previous((-1, 1)).question == "大桥多长？"  # type: ignore[union-attr]

    conversations.migrate(-1, -100)
    assert conversations.previous((-1, 1)) is None
    moved = conversations.previous((-100, 2))
    assert moved is not None and moved.answer is not None and moved.answer.answer == "3公里"

    conversations.remember((5, 5), answer("工期多久？"))  # the oldest goes
    assert conversations.previous((-100, 1)) is None
    assert conversations.previous((-100, 2)) is not None


def test_the_journal_counts_answers_feedback_and_lists_recent_misses(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "bot.sqlite3"
    journal = Journal(path)
    first = journal.record("private", answer("大桥多长？"))
    journal.record("group", answer("火星上有水吗？", answered=False))
    journal.record("supergroup", answer("月亮多大？", answered=False))
    assert journal.set_feedback(first, helpful=False)
    assert journal.set_feedback(first, helpful=True)  # the last press counts
    assert not journal.set_feedback(999, helpful=True)
    journal.close()

    reopened = Journal(path)
    stats = reopened.stats()
    assert (stats.questions, stats.answered, stats.helpful, stats.unhelpful) == (3, 1, 1, 0)
    assert stats.answer_rate == 1 / 3
    assert stats.by_chat_type == {"private": 1, "group": 1, "supergroup": 1}
    assert stats.recent_unanswered == ["月亮多大？", "火星上有水吗？"]
    cited = reopened.cited_paragraph(first)
    assert cited is not None and (cited.article_id, cited.paragraph) == ("a1", 3)
    assert reopened.cited_paragraph(first + 1) is None  # nothing cited


def test_an_empty_journal_has_no_answer_rate() -> None:
    assert Journal(Path(":memory:")).stats().answer_rate == 0.0


async def test_one_chat_is_handled_in_order_different_chats_side_by_side() -> None:
    api = FakeBotApi()
    alice, bob = person(1), person(2)

    def update(chat: Json, sender: Json, text: str) -> Update:
        return Update.de_json({"update_id": 0, "message": api.send_text(chat, sender, text)}, None)

    processor = ChatOrderedProcessor(worked_on=4, held=100)
    events: list[str] = []
    bob_done = asyncio.Event()

    async def handle(name: str, wait_for_bob: bool = False) -> None:
        events.append(f"{name} start")
        if wait_for_bob:
            await bob_done.wait()  # Alice's first update is slow...
        events.append(f"{name} end")
        if name == "bob":
            bob_done.set()

    async with processor:
        await asyncio.gather(
            processor.process_update(update(private_chat(alice), alice, "1"), handle("a1", True)),
            processor.process_update(update(private_chat(alice), alice, "2"), handle("a2")),
            processor.process_update(update(private_chat(bob), bob, "1"), handle("bob")),
        )

    # ...so Bob, in another chat, goes first, and Alice's second waits for her first.
    assert events == ["a1 start", "bob start", "bob end", "a1 end", "a2 start", "a2 end"]
    assert processor._locks == {}  # idle chats are forgotten
