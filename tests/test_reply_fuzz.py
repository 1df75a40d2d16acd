"""Whatever people ask and whatever the articles say, every message the bot sends is one
Telegram accepts: only its tags, balanced, every `<`, `>` and `&` escaped, text that can
be encoded, not empty, not over 4096 characters; and the same input gives the same
messages.

The checker below reads the HTML with the standard library's parser, independently of
the fake server's, and the two must agree on what the reader sees.
"""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from handlers.answer_messages import answer_messages, paragraph_messages
from handlers.html_messages import MAX_MESSAGE, Block, pack, utf16_length
from knowledge import texts
from knowledge.build import build_store
from knowledge.engine import Engine
from knowledge.models import Answer, Article, Citation, Paragraph, ParagraphKind
from knowledge.sources import SourceError
from knowledge.store import Store
from tests.fake_bot_api import visible_text

TELEGRAM_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "tg-emoji", "code", "pre", "blockquote",
    }
)  # fmt: skip
TELEGRAM_ENTITIES = frozenset({"lt", "gt", "amp", "quot"})
GIANT = 100_000
FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class TelegramHtml(HTMLParser):
    """What a message reads as, and everything in it Telegram would refuse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.seen: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS or attrs:
            self.problems.append(f"tag <{tag} {attrs}>")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")

    def handle_data(self, data: str) -> None:
        if stray := set(data) & set("<>&"):
            self.problems.append(f"unescaped {sorted(stray)} in {data[:40]!r}")
        self.seen.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in TELEGRAM_ENTITIES:
            self.problems.append(f"entity &{name};")
        self.seen.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.seen.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("declaration")


def telegram_visible(message: str) -> str:
    """The text the reader sees; fails the test on anything Telegram would refuse."""
    message.encode("utf-8")  # httpx sends UTF-8: a lone surrogate would never leave
    parser = TelegramHtml()
    parser.feed(message)
    parser.close()
    assert not parser.problems, parser.problems
    assert not parser.open, f"unclosed {parser.open}"
    seen = "".join(parser.seen)
    assert seen == visible_text(message, "HTML")  # the fake server reads it the same way
    assert seen.strip(), "an empty message"
    assert utf16_length(message) <= MAX_MESSAGE
    assert utf16_length(seen) <= MAX_MESSAGE
    return seen


def check_messages(messages: list[str]) -> str:
    """Every message valid; what they read as together."""
    return "".join(telegram_visible(message) for message in messages)


def encodable(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


def squeezed(text: str) -> str:
    """Text as compared across formatting: no spaces or line breaks, no 「」 (a quoted
    line loses them to the quotation), lone surrogates as Telegram would get them."""
    return "".join(ch for ch in encodable(text) if not ch.isspace() and ch not in "「」")


# --- hostile text ------------------------------------------------------------------------

PIECES = [
    "",
    " ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\u3000",
    "<b>",
    "</b>",
    "<i>x</i>",
    "<blockquote>",
    "<script>alert(1)</script>",
    "<a href='javascript:x'>",
    "<!--",
    "<![CDATA[",
    "<?xml?>",
    "&",
    "&amp;",
    "&lt;",
    "&#0;",
    "&nbsp",
    "<",
    ">",
    "**粗体**",
    "_斜体_",
    "`code`",
    "```",
    "[链接](http://example.com)",
    "||spoiler||",
    "'; DROP TABLE questions;--",
    '" OR 1=1 --',
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\u0085",
    "\u2028",
    "\u202e",
    "\u200f",
    "\u200d",
    "\ufeff",
    "مرحبا بالعالم",
    "שלום",
    "👨‍👩‍👧‍👦",
    "🇨🇳",
    "👍🏽",
    "e\u0301\u0302\u0303\u0304",
    "\u0e01\u0e34\u0e4a",
    "\ud800",
    "\udfff",
    "𠀀𪚥",
    "「",
    "」",
    "「引语」",
    "。",
    "大桥总投资多少亿元？",
    "青石河大桥",
    "/ask@bot",
]
any_character = st.characters(exclude_categories=())
hostile_text = st.one_of(
    st.text(any_character, max_size=300),
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.text(any_character, max_size=5)), max_size=40
    ).map("".join),
)
giant_text = st.builds(
    lambda piece, filler: (piece + filler * GIANT)[:GIANT],
    st.sampled_from(PIECES),
    st.sampled_from([p for p in PIECES if p]),
)


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    """An answer as the engine could never make it: any strings in every field."""
    answered = draw(st.booleans())
    citations = [
        Citation(
            article_id=draw(hostile_text),
            title=draw(hostile_text),
            paragraph=draw(st.integers(1, 10_000)),
            quote=draw(hostile_text),
        )
    ]
    reply_lines = draw(
        st.lists(st.one_of(hostile_text, hostile_text.map("「{}」".format)), max_size=8)
    )
    return Answer(
        question=draw(hostile_text),
        answered=answered,
        answer=draw(hostile_text),
        context=draw(hostile_text),
        reply=draw(st.sampled_from(["\n", "\n\n"])).join(reply_lines),
        citations=citations if answered else [],
        confidence=draw(st.floats(0.0, 1.0)),
    )


@FUZZ
@given(answers(), st.booleans())
@example(Answer(question="\ud800", answered=False, reply="「 」\n「\ud800」", confidence=0.0), True)
def test_any_answer_makes_valid_messages_that_keep_its_text(
    answer: Answer, show_question: bool
) -> None:
    messages = answer_messages(answer, show_question=show_question)

    read = check_messages(messages)
    asked = texts.ASKED.format(question=answer.question) if show_question else ""
    assert squeezed(read) == squeezed(asked + answer.reply)
    assert messages or not squeezed(asked + answer.reply)
    assert answer_messages(answer, show_question=show_question) == messages


@settings(FUZZ, max_examples=10)
@given(giant_text, giant_text, st.booleans())
def test_giant_text_makes_valid_messages(question: str, line: str, answered: bool) -> None:
    answer = Answer(question=question, answered=answered, reply=line, confidence=0.5)
    paragraph = Paragraph(number=1, kind=ParagraphKind.BODY, text=line, sentences=[])
    article = Article(id="a", title=question[:200], paragraphs=[paragraph])

    asked = texts.ASKED.format(question=question)
    heading = texts.PARAGRAPH_TITLE.format(title=article.title, paragraph=1)
    for messages, said in (
        (answer_messages(answer, show_question=True), asked + line),
        (paragraph_messages(article, paragraph), heading + line),
    ):
        assert squeezed(check_messages(messages)) == squeezed(said)  # cut, never truncated


@FUZZ
@given(hostile_text, hostile_text, st.integers(1, 10_000))
def test_any_paragraph_makes_valid_messages(title: str, text: str, number: int) -> None:
    paragraph = Paragraph(number=number, kind=ParagraphKind.BODY, text=text, sentences=[])
    article = Article(id="a", title=title, paragraphs=[paragraph])

    messages = paragraph_messages(article, paragraph)

    read = check_messages(messages)
    heading = texts.PARAGRAPH_TITLE.format(title=title, paragraph=number)
    assert squeezed(read) == squeezed(heading + text)
    assert paragraph_messages(article, paragraph) == messages


@FUZZ
@given(
    st.lists(st.tuples(hostile_text, st.sampled_from([None, "b", "i", "blockquote"])), max_size=5),
    st.integers(min_value=40, max_value=MAX_MESSAGE),  # room for the longest tag pair
)
def test_any_blocks_pack_into_valid_messages(
    blocks: list[tuple[str, str | None]], limit: int
) -> None:
    messages = pack([Block(text, tag) for text, tag in blocks], limit)

    read = check_messages(messages)
    assert all(utf16_length(message) <= limit for message in messages)
    assert squeezed(read) == squeezed("".join(text for text, _ in blocks))


# --- the engine over articles it has never seen ------------------------------------------


def _engine(title: str, text: str, tmp: Path) -> Engine | None:
    source = tmp / "fuzz.jsonl"
    article = {"id": "fuzz", "title": encodable(title), "text": encodable(text)}
    source.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    try:
        return Engine(Store.temporary(build_store([source])))
    except SourceError:
        return None  # refused with one line, as the command line would say it


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


FACT = "大桥全长约3.2公里，总投资18亿元。"
article_text = st.one_of(
    st.builds("{}\n{}\n{}".format, hostile_text, st.just(FACT), hostile_text),
    st.lists(st.one_of(hostile_text, st.sampled_from([FACT, "\n"])), min_size=1, max_size=6).map(
        "".join
    ),
)
question_text = st.one_of(
    hostile_text,
    st.builds(
        "{}{}{}".format,
        st.sampled_from(PIECES),
        st.sampled_from(["大桥总投资多少亿元？", "大桥全长多少公里？"]),
        st.sampled_from(PIECES),
    ),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(hostile_text, article_text, st.lists(question_text, min_size=1, max_size=3))
@example(title="<b>大桥</b>", text=f"&amp;\n{FACT}", questions=["大桥总投资多少亿元？"])
def test_the_engine_over_any_article_answers_any_question_in_valid_messages(
    scratch: Path, title: str, text: str, questions: list[str]
) -> None:
    engine = _engine(title, text, scratch)
    if engine is None:
        return
    for question in questions:
        answer = engine.answer(question)
        event("answered" if answer.answered else "declined")
        messages = answer_messages(answer, show_question=True)
        check_messages(messages)
        assert messages
        assert answer_messages(engine.answer(question), show_question=True) == messages
        for citation in answer.citations:  # the 「原文」 button's message
            [article] = engine.store.articles
            paragraph = article.paragraph(citation.paragraph)
            assert paragraph is not None
            check_messages(paragraph_messages(article, paragraph))


def test_a_lone_surrogate_escaped_in_a_jsonl_is_refused_with_one_line(tmp_path: Path) -> None:
    """Found by the engine fuzzing above: it used to fail deep inside the store build."""
    source = tmp_path / "hand_edited.jsonl"
    source.write_text('{"id": "x", "title": "t", "text": "\\ud800大桥"}\n', encoding="utf-8")

    with pytest.raises(SourceError, match=r"hand_edited\.jsonl"):
        build_store([source])
