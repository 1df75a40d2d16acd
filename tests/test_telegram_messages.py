"""What the bot's messages look like: escaped, emphasised, never over Telegram's limit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.answer_messages import answer_messages, paragraph_messages
from handlers.buttons import Action, ButtonPress, answer_keyboard, examples_keyboard
from handlers.html_messages import MAX_MESSAGE, Block, pack, utf16_length
from knowledge.models import Answer, Article, Citation, Paragraph, ParagraphKind
from tests.fake_bot_api import visible_text

TRICKY = "大桥<b>通车</b>&amp;😀 "
CITATION = Citation(article_id="a1", title="《桥》<新>", paragraph=2, quote="全长<3公里>&。")


def answered(**fields: object) -> Answer:
    defaults: dict[str, object] = {
        "question": "大桥多长？",
        "answered": True,
        "answer": "3公里",
        "context": "大桥：3公里",
        "reply": "3公里\n大桥：3公里\n「全长<3公里>&。」\n来源：《《桥》<新>》第 2 段",
        "citations": [CITATION],
        "confidence": 0.9,
    }
    return Answer.model_validate({**defaults, **fields})


def test_short_blocks_share_one_message_one_line_each() -> None:
    assert pack([Block("a"), Block("b", "b"), Block("  "), Block("<c>", "blockquote")]) == [
        "a\n<b>b</b>\n<blockquote>&lt;c&gt;</blockquote>"
    ]


def test_a_long_block_is_cut_after_a_sentence_and_keeps_its_tag() -> None:
    sentence = "大桥正式通车了。"
    parts = pack([Block(sentence * 1000, "blockquote")])

    assert len(parts) > 1
    for part in parts:
        assert utf16_length(part) <= MAX_MESSAGE
        assert part.startswith("<blockquote>") and part.endswith("。</blockquote>")
    assert "".join(visible_text(part, "HTML") for part in parts) == sentence * 1000


@given(
    st.lists(
        st.tuples(
            st.text(alphabet=st.sampled_from(list(TRICKY + "。\n")), max_size=3000),
            st.sampled_from([None, "b", "i", "blockquote"]),
        ),
        max_size=6,
    ),
    st.integers(min_value=40, max_value=MAX_MESSAGE),
)
def test_any_text_packs_into_valid_messages_that_keep_every_character(
    blocks: list[tuple[str, str | None]], limit: int
) -> None:
    kept = [Block(text, tag) for text, tag in blocks if text.strip()]
    parts = pack(kept, limit)

    assert all(utf16_length(part) <= limit for part in parts)
    read = "".join(visible_text(part, "HTML") for part in parts)
    assert read.replace("\n", "") == "".join(block.text for block in kept).replace("\n", "")


def test_an_answer_has_its_short_answer_in_bold_and_its_quote_quoted() -> None:
    [message] = answer_messages(answered())

    assert message == (
        "<b>3公里</b>\n大桥：3公里\n<blockquote>全长&lt;3公里&gt;&amp;。</blockquote>\n"
        "来源：《《桥》&lt;新&gt;》第 2 段"
    )


def test_an_answer_in_several_parts_has_each_short_answer_in_bold() -> None:
    reply = "3公里\n「全长3公里。」\n\n18亿元\n「总投资18亿元。」"
    [message] = answer_messages(answered(answer="3公里、18亿元", reply=reply))

    assert message.count("<b>") == 2 and "<b>18亿元</b>" in message


def test_no_answer_is_plain_escaped_text_and_may_show_the_question() -> None:
    declined = Answer(
        question="<script>", answered=False, reply="抱歉。\n· 大桥多长？", confidence=0.0
    )
    [message] = answer_messages(declined, show_question=True)

    assert message == "<i>问：&lt;script&gt;</i>\n抱歉。\n· 大桥多长？"


def test_a_paragraph_is_shown_whole_under_its_title() -> None:
    paragraph = Paragraph(number=2, kind=ParagraphKind.BODY, text="全长<3公里>&。", sentences=[])
    article = Article(id="a1", title="桥", paragraphs=[paragraph])

    assert paragraph_messages(article, paragraph) == [
        "<b>《桥》第 2 段</b>\n<blockquote>全长&lt;3公里&gt;&amp;。</blockquote>"
    ]


@pytest.mark.parametrize("question_id", [1, 2**62])
def test_answer_buttons_carry_the_question_id_in_under_64_bytes(question_id: int) -> None:
    keyboard = answer_keyboard(question_id, cited=True)
    data = [button.callback_data for row in keyboard.inline_keyboard for button in row]

    assert all(isinstance(d, str) and len(d.encode()) <= 64 for d in data)
    presses = [ButtonPress.parse(d) for d in data if isinstance(d, str)]
    assert [(p.action, p.number) for p in presses if p] == [
        (Action.SOURCE, question_id),
        (Action.HELPFUL, question_id),
        (Action.UNHELPFUL, question_id),
    ]


def test_without_a_citation_there_is_no_source_button() -> None:
    keyboard = answer_keyboard(7, cited=False)
    assert [b.text for row in keyboard.inline_keyboard for b in row] == ["👍", "👎"]


def test_example_buttons_carry_an_index_not_the_question() -> None:
    long_question = "大桥" * 100
    [[button]] = examples_keyboard([long_question]).inline_keyboard

    assert button.text == long_question
    assert button.callback_data == "ex:0"


@pytest.mark.parametrize("data", [None, "", "ex", "ex:", "ex:-1", "src:x", "zap:1", "up:1:2"])
def test_unknown_button_data_is_recognised_as_such(data: str | None) -> None:
    assert ButtonPress.parse(data) is None
