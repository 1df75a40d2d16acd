"""Understand a question typed in everyday Chinese: what kind of answer it wants, about what.

People write Simplified or Traditional, with full-width letters, Chinese or Arabic
numerals, a greeting or an @mention in front and particles at the end. All of that is
folded away into `Question.text`, so that the rest of the engine matches one form only;
the interrogative part then tells the expected answer type and unit, and what is left
(`focus`, `terms`) is what the answer must be about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import NamedTuple

from pydantic import Field

from knowledge.models import Frozen
from knowledge.numerals import to_number
from knowledge.script import HALF_WIDTH, converter, encodable, in_script, is_traditional
from knowledge.typos import TypoFixer
from knowledge.words import cut_known, tokens

PARAPHRASES = Path(__file__).parent / "data" / "paraphrases.txt"
LEXICON_SPAN = 4  # dictionary pieces that may together spell one lexicon word


class AnswerType(StrEnum):
    QUANTITY = "quantity"
    DATE = "date"
    DURATION = "duration"
    PERSON = "person"
    ORGANIZATION = "organization"
    PLACE = "place"
    LIST = "list"
    REASON = "reason"
    MANNER = "manner"
    YES_NO = "yes_no"
    ROLE = "role"
    DEFINITION = "definition"
    OTHER = "other"


class Question(Frozen):
    raw: str
    text: str
    traditional: bool = False
    expected: AnswerType = AnswerType.OTHER
    unit: str | None = None
    count: int | None = None
    focus: str = ""
    terms: list[str] = Field(default_factory=list)
    is_chitchat: bool = False


def parse_question(raw: str, typos: TypoFixer | None = None) -> Question:
    raw = encodable(raw)
    """`typos` is built from the store's vocabulary; without it the words stay as typed."""
    normalised = normalize_text(raw)
    text = _strip_fillers(normalised)
    if typos is not None:
        text = typos.fix(text)
    is_chitchat = bool(normalised) and _SMALL_TALK.fullmatch(text) is not None
    asked = _Asked(AnswerType.OTHER, None, (0, len(text))) if is_chitchat else _classify(text)
    focus = _focus(text, asked.span)
    return Question(
        raw=raw,
        text=text,
        traditional=is_traditional(raw),
        expected=asked.expected,
        unit=asked.unit,
        count=_count(text) if asked.expected is AnswerType.LIST else None,
        focus=focus,
        terms=_terms(focus),
        is_chitchat=is_chitchat,
    )


# --- script: Simplified inside, the asker's script outside -----------------------------


def to_asker_script(text: str, question: Question) -> str:
    return in_script(text, question.traditional)


# --- normalisation ----------------------------------------------------------------------

_WRAPPERS = str.maketrans("", "", "「」『』“”‘’\"'《》〈〉【】[]()")
_MENTION = re.compile(r"@[A-Za-z][A-Za-z0-9_]*")  # Telegram usernames start with a letter
_SEPARATORS = re.compile(r"\s*(?:(?:[,，。!?;:、…~—]|(?<!\d)\.|\.(?!\d))\s*)+")
_SPACE_NEAR_CHINESE = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")
_SPACES = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """One written form for matching: Simplified, half-width, Arabic numerals, one comma.

    Spaces next to Chinese characters go too: newspaper dumps and pasted text are full of
    「审 批 服 务」.
    """
    text = encodable(text).translate(HALF_WIDTH)
    text = _MENTION.sub(" ", text).translate(_WRAPPERS)
    text = converter("t2s").convert(text)
    text = _SEPARATORS.sub("，", text)
    text = _SPACE_NEAR_CHINESE.sub("", text)
    text = _SPACES.sub(" ", text).strip("， ")
    return _arabic_numerals(text)


# Chinese numerals become digits only where they are numbers: 二十三天, 两台, 二〇一三年,
# 第三十二届. A lone 一 is almost always part of a word (一起, 一次, 统一, 第一), and other
# lone numerals count something only when a measure word follows (三省 and 两岸 stay).
_NUMERAL = re.compile(
    r"(?:百分之)?[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"
)
_PERCENT_ASKED = re.compile(r"百分之(几|多少)")
_DIGIT_SEQUENCE = re.compile(r"[零〇一二三四五六七八九]+")
_LONE_NUMERALS = frozenset("二两三四五六七八九十")
_MEASURES = (
    *"个天年月日号台块次件项名人位家座条批期届倍周岁层楼户所套栋辆张本类种支根段篇组轮场吨米度元亩斤克瓦",
    "小时",
    "分钟",
    "公里",
    "千米",
    "平方",
    "立方",
)
_LEXICALISED = frozenset({"二次"})  # 二次供水 is "secondary", not "two times"
_MAGNITUDE = re.compile(r"(.+?)(万亿|万|亿)$")


def _arabic_numerals(text: str) -> str:
    text = _PERCENT_ASKED.sub(r"\1%", text)  # 百分之几 → 几%, like 百分之三十 → 30%
    return _NUMERAL.sub(_numeral_as_digits, text)


def _numeral_as_digits(match: re.Match[str]) -> str:
    run = match.group()
    before = match.string[match.start() - 1 : match.start()]
    after = match.string[match.end() :]
    if not _is_number(run, before, after):
        return run
    try:
        return _digits(run)
    except (ValueError, KeyError):  # how cn2an turns down 千万, 万一, 〇十〇 and other non-numbers
        return run


def _is_number(run: str, before: str, after: str) -> bool:
    if run.startswith("百分之"):
        return True
    if len(run) == 1:
        return (
            run in _LONE_NUMERALS
            and before != "第"
            and after.startswith(_MEASURES)
            and run + after[:1] not in _LEXICALISED
        )
    if _DIGIT_SEQUENCE.fullmatch(run):  # 二〇一三 is a year, 三五 / 七八 are "three or five"
        return len(run) == 4 or "〇" in run or "零" in run
    return True


def _digits(run: str) -> str:
    if run.startswith("百分之"):
        return f"{_number(run.removeprefix('百分之'))}%"
    magnitude = _MAGNITUDE.fullmatch(run)
    if magnitude:  # 二十万吨 → 20万吨, the way news write it
        return _number(magnitude.group(1)) + magnitude.group(2)
    return _number(run)


def _number(numeral: str) -> str:
    value = to_number(numeral)
    return str(int(value)) if float(value).is_integer() else str(value)


# --- greetings, @mentions, particles, small talk ---------------------------------------

_LEADING_FILLER = re.compile(
    r"^(?:你们好|您好|你好|大家好|哈喽|哈啰|嗨|hello|hey|hi(?![a-z])|早上好|上午好|中午好|下午好|"
    r"晚上好|早安|在吗|在不在|有人吗|打扰一下|打扰了|不好意思|请问一下|请问下|请问|"
    r"麻烦问一下|麻烦问下|麻烦请问|麻烦你|麻烦|我想问一下|我想问下|我想问|想问一下|想问下|"
    r"我想知道|想知道|问一下|问下|请教一下|请教|请告诉我|告诉我|帮我查一下|帮我查查|帮我查)"
    r"[呀啊哈呢]?[，\s]*",
    re.IGNORECASE,
)
_TRAILING_THANKS = re.compile(
    r"[，\s]*(?:谢谢你们|谢谢你|谢谢啦|谢谢|多谢|感谢|谢了|thanks|thank you|thx)[!呀啊哈]*$",
    re.IGNORECASE,
)
_TRAILING_PARTICLES = re.compile(r"(?<![酒网干])[啊呢呀吧嘛哈哦啦喔]+$")
_SMALL_TALK = re.compile(
    r"(?:吗|在|在的|你是谁|你是什么|你叫什么(?:名字)?|你好吗|你能做什么|你会什么|你会干什么|晚安|"
    r"再见|拜拜|bye|好的|好|嗯+|哦+|ok|okay|收到|辛苦了|呵+|测试|test)?",
    re.IGNORECASE,
)


def _strip_fillers(text: str) -> str:
    while True:
        stripped = _LEADING_FILLER.sub("", text, count=1)
        stripped = _TRAILING_THANKS.sub("", stripped)
        stripped = _TRAILING_PARTICLES.sub("", stripped).strip("， ")
        if stripped == text:
            return text
        text = stripped


# --- what is asked ----------------------------------------------------------------------

_UNITS = (
    "万元|亿元|千元|元|万吨|吨|万度|度|兆瓦|千瓦|瓦|平方公里|平方米|立方米|公里|千米|米|亩|万户|户|"
    "万人|人|名|位|个|块|台|项|件|家|座|条|次|批|届|倍|篇|张|本|辆|栋|套|所|根|组|轮|场|期|种|类|岁|"
    "万|亿|%"
)
_TIME_UNITS = "个工作日|工作日|个小时|小时|分钟|个月|天|日|周|星期|年|秒"
_NUMBER = r"\d+|[两二三四五六七八九十]+"

# First match wins, so the more specific kinds come first: 为什么 before 什么, 几月 (a
# date) before 几个月 (a duration), 几楼 (a place) before 几个 (a quantity).
_ASKS: tuple[tuple[AnswerType, re.Pattern[str]], ...] = tuple(
    (expected, re.compile(pattern))
    for expected, pattern in (
        (
            AnswerType.REASON,
            r"为什么|为何|为啥|怎么会|何以|什么原因|啥原因|原因是什么|原因何在|出于什么|什么目的|"
            r"目的是什么|为了什么",
        ),
        (
            AnswerType.LIST,
            rf"哪些|哪几(?:个|项|件|种|类|家|位|条|方面)?|哪(?={_NUMBER})|"
            r"(?:分别|都)(?:是|有|包括)(?:什么|哪些|啥)?|包括(?:什么|哪些|啥)",
        ),
        (
            AnswerType.DATE,
            r"什么时候|啥时候|何时|几时|什么时间|哪个时间|什么日子|什么日期|哪个日期|日期是什么|"
            r"时间是什么|哪一?(?:天|年|月|日)|哪个月|几月几[日号]|几月份?|几号|几点钟",
        ),
        (
            AnswerType.DURATION,
            rf"多久|多长时间|多少时间|多长的时间|(?:多少|几)(?P<unit>{_TIME_UNITS})|用时多少|耗时多少",
        ),
        (AnswerType.PLACE, r"第?几(?P<unit>楼|层)"),
        (
            AnswerType.PLACE,
            r"哪里|哪儿|哪边|何处|何地|什么地方|啥地方|哪个地方|哪(?=$|，)|哪一?个?(?:楼层|层)|"
            r"哪(?:个|座|一个|一座)?(?=[\u4e00-\u9fff]{0,2}?(?:省|市|区|县|镇|乡|村|街道|园区|水库|城市|国家|地区|社区))",
        ),
        (
            AnswerType.ORGANIZATION,
            r"(?:哪|什么|啥)(?:个|家|一个|一家|所)?(?=单位|公司|企业|部门|机构|集团|组织|机关|银行|学校|"
            r"医院|媒体|报社|报纸|政府|党委|支部|科室|局|委员会|协会|平台|智库|团队|厂家)|谁家",
        ),
        (
            AnswerType.ROLE,
            r"(?:什么|啥|哪个|何)(?:职务|职位|职称|官职|身份|岗位|头衔)|(?:职务|职位|身份)是什么|"
            r"担任(?:什么|啥|何)|任(?:什么|啥|何)职|是(?:做|干)(?:什么|啥)的|(?:做|干)(?:什么|啥)工作",
        ),
        (AnswerType.PERSON, r"谁|哪位|何人|什么人|哪个人|叫什么名字|名字是什么|姓什么"),
        (
            AnswerType.QUANTITY,
            rf"(?:多少|几(?![乎何]))(?P<unit>{_UNITS})?|多大|多高|多长|多远|多重|多宽|多深|多快|多厚",
        ),
        (
            AnswerType.MANNER,
            r"怎么样|怎么|怎样|如何|咋|通过什么|靠什么|以什么方式|用什么(?:方式|办法|方法)|"
            r"什么(?:方式|办法|方法|途径|手段)",
        ),
        (
            AnswerType.YES_NO,
            r"吗$|(?<!什)么$|是否|能否|可否|有没有|可不可以|([是有会能要对好行])不\1",
        ),
        (
            AnswerType.DEFINITION,
            r"什么是|是什么意思|什么意思|指的是什么|是指什么|指什么|是什么|是啥|啥是|何为|何谓|的含义|的意思",
        ),
        (AnswerType.OTHER, r"什么|啥|哪一?个|哪"),
    )
)

# 「陈建国是谁」 asks what the person does; 「作者是谁」 asks for a person.
_WHO_IS_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}(?P<ask>是谁)$")
_ROLE_NOUN_ENDINGS = (
    "者",
    "人",
    "长",
    "员",
    "书记",
    "主任",
    "经理",
    "代表",
    "董事",
    "老师",
    "领导",
)
_COUNTED = re.compile(rf"哪({_NUMBER})|({_NUMBER})[^\d，]{{0,6}}?(?:分别|都)(?:是|有|包括)")
_EDGE_WORDS = "，是的在有吗呢么为 "


class _Asked(NamedTuple):
    expected: AnswerType
    unit: str | None
    span: tuple[int, int]


def _classify(text: str) -> _Asked:
    name = _WHO_IS_NAME.match(text)
    if name and not text[: name.start("ask")].endswith(_ROLE_NOUN_ENDINGS):
        return _Asked(AnswerType.ROLE, None, name.span("ask"))
    for expected, pattern in _ASKS:
        match = pattern.search(text)
        if match:
            unit = match.groupdict().get("unit")
            return _Asked(expected, unit, match.span())
    return _Asked(AnswerType.OTHER, None, (0, 0))


def _count(text: str) -> int | None:
    match = _COUNTED.search(text)
    if not match:
        return None
    numeral = match.group(1) or match.group(2)
    return int(numeral) if numeral.isdigit() else int(to_number(numeral))


def _focus(text: str, span: tuple[int, int]) -> str:
    start, end = span
    return (text[:start].rstrip(_EDGE_WORDS) + text[end:].lstrip(_EDGE_WORDS)).strip(_EDGE_WORDS)


# The interrogative words an answer stands in for, longest first.
QUESTION_WORD = re.compile(
    r"几月几[号日]|几年几月|为什么|为何|什么时候|什么地方|什么样的?|什么|怎么样|怎么|怎样|如何"
    r"|多少|多大|多长|多久|多高|多远"
    r"|几[个次天年月号楼项名位家台块条处件种届]?|谁|啥|咋|何时|何地|何处|是否"
    r"|哪[一二两三四五六七八九十几\d]*[个位家些里儿年天月种座所条项件届]?"
)


def question_word(question: str) -> re.Match[str] | None:
    return QUESTION_WORD.search(question)


# --- terms and paraphrases --------------------------------------------------------------

# Words that say how the question is put, not what it is about.
_ASKING_WORDS = frozenset(
    {
        "分别",
        "告诉",
        "知道",
        "想",
        "问",
        "请",
        "提到",
        "提及",
        "介绍",
        "具体",
        "到底",
        "究竟",
        "一下",
    }
)


@cache
def _paraphrase_groups() -> dict[str, frozenset[str]]:
    groups: dict[str, frozenset[str]] = {}
    for line in PARAPHRASES.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#"):
            continue
        words = frozenset(re.split(r"[\s~～]+", line.strip())) - {""}
        if len(words) < 2:
            continue
        for word in words:
            groups[word] = groups.get(word, frozenset()) | words
    return groups


def load_paraphrases() -> dict[str, frozenset[str]]:
    """Each word of the lexicon with every word it may stand for (itself included)."""
    return dict(_paraphrase_groups())


def expand_paraphrases(words: Iterable[str]) -> list[str]:
    """The words, then every paraphrase of them not already there, in a stable order."""
    groups = _paraphrase_groups()
    result = list(dict.fromkeys(words))
    seen = set(result)
    for word in [word for word in result if len(word) > 1]:  # a lone 日 is rarely "daily"
        for other in sorted(groups.get(word, ())):
            if other not in seen:
                seen.add(other)
                result.append(other)
    return result


def _terms(focus: str) -> list[str]:
    """Content words of the focus, keeping lexicon words whole where jieba's words spell them.

    jieba cuts some lexicon words into single characters; joining its pieces back (only along its own boundaries, so
    that 「使用了」 never yields 「用了」) lets the paraphrases apply.
    """
    words: list[str] = []
    gap: list[str] = []
    for piece, known in _lexicon_pieces(focus):
        if not known:
            gap.append(piece)
            continue
        words.extend(tokens("".join(gap)))
        words.append(piece)
        gap = []
    words.extend(tokens("".join(gap)))
    return expand_paraphrases(word for word in words if word not in _ASKING_WORDS)


def _lexicon_pieces(text: str) -> list[tuple[str, bool]]:
    """Dictionary pieces of the text, consecutive ones joined when they spell a lexicon word."""
    parts = cut_known(text)
    groups = _paraphrase_groups()
    pieces: list[tuple[str, bool]] = []
    start = 0
    while start < len(parts):
        for end in range(min(len(parts), start + LEXICON_SPAN), start, -1):
            word = "".join(parts[start:end])
            if len(word) > 1 and word in groups:  # a lone 日 or 约 is too often something else
                pieces.append((word, True))
                start = end
                break
        else:
            pieces.append((parts[start], False))
            start += 1
    return pieces
