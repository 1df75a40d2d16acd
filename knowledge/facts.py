"""Typed facts read from one paragraph, each pointing at the sentence it stands in.

Questions like 多少/什么时候/谁说的 need more than matching words: they need numbers
with their units, dates, people with their roles and quotes with their speakers. Every
rule here is general: the vocabulary it runs on (units, role words, name suffixes ...)
is data in `data/fact_words.json`, backed by jieba's dictionary and part-of-speech tags.

Each sentence is segmented once, by the dictionary alone (`words.cut_plain`): names that
other modules add to the shared dictionary must not change what a rebuild extracts.
Part-of-speech tags are looked up in jieba's dictionary rather than guessed by
jieba.posseg's HMM, which would be six times slower and tags new names poorly anyway;
words only the HMM found are tagged `un` (unknown), which are often new names.

Values
------
quantity  the number in Arabic digits as written ("20", "1.3", "136.98"); Chinese
          numerals are converted ("第三十二届" → "32", "两台" → "2"); a range is "2-4".
          `unit` is written as in the text without qualifiers ("万吨", "个月", "%");
          约/余/多/以上/左右 stay in `text` only. `subject` is the noun phrase next to it.
date      ISO 8601 as far as the text allows: "2022-05-17", "2017-09", "2022", and
          without a year "--05-13" or "--03". A part of the year or month follows after
          a space ("2022 年底", "--04 月底"), a relative year comes first ("今年 --02-07",
          "去年 --11"), and a period joins its two ends with "/" ("2013/2017").
person    the name; `subject` is the role written before it ("港务公司董事长").
quote     the quoted words without their quotation marks, even when they run over
          several sentences; `text` is the part inside the fact's own sentence and
          `subject` the speaker as written ("水厂负责人").
others    the name as written.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel

from knowledge.models import Fact, FactKind, Paragraph
from knowledge.numerals import to_number
from knowledge.words import cut_plain, dictionary_tag, in_dictionary

WORDS_FILE = Path(__file__).parent / "data" / "fact_words.json"


class FactWords(BaseModel):
    """The general vocabulary the extraction rules are made of."""

    measure_units: list[str]
    classifiers: list[str]
    magnitudes: list[str]
    qualifiers_before: list[str]
    qualifiers_after: list[str]
    approximators: list[str]
    range_marks: list[str]
    relative_years: list[str]
    date_parts: list[str]
    roles: list[str]
    honorifics: list[str]
    credit_marks: list[str]
    speech_verbs: list[str]
    surnames: list[str]
    name_breakers: str
    org_suffixes: list[str]
    place_suffixes: list[str]
    project_suffixes: list[str]
    programme_suffixes: list[str]
    place_markers: list[str]
    demonstratives: str
    prepositions: str
    generic_words: list[str]
    linking_words: list[str]


WORDS = FactWords.model_validate_json(WORDS_FILE.read_text(encoding="utf-8"))


def _alternation(words: Iterable[str]) -> str:
    """Longest first, so that 有限公司 wins over 公司 and 个月 over 个."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=lambda w: (-len(w), w)))


def _unit_pattern(unit: str) -> str:
    """「3个多月」: 多 may stand inside a unit that starts with 个."""
    if unit.startswith("个") and len(unit) > 1:
        return "个多?" + re.escape(unit[1:])
    return re.escape(unit)


_BASE_UNITS = sorted(set(WORDS.measure_units + WORDS.classifiers), key=lambda u: (-len(u), u))
_UNITS = "|".join(_unit_pattern(unit) for unit in _BASE_UNITS)
_MAGNITUDES = _alternation(WORDS.magnitudes)
VALID_UNITS = frozenset(
    _BASE_UNITS + WORDS.magnitudes + [m + u for m in WORDS.magnitudes for u in _BASE_UNITS]
)

_HAN = "\u4e00-\u9fff"
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN_NUMBER = "[零〇一二两三四五六七八九十百千万亿]+"
# 「3亿6,500万元」「1万5000人」: digits on both sides of a magnitude are one number
_COMPOUND = rf"\d+[亿万]{_NUMBER}"
_NUMERAL = f"(?:{_COMPOUND}|{_NUMBER}|{_CN_NUMBER})"
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_MONTH = "1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DAY = "3[01]|[12][0-9]|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"
_RANGE = _alternation(WORDS.range_marks)

QUANTITY = re.compile(
    rf"(?P<pre>{_alternation(WORDS.qualifiers_before)})?"
    rf"(?:(?P<ordinal>第)(?P<ord>{_NUMERAL})"
    rf"|(?<![A-Za-z\d.])(?P<num>{_NUMERAL})(?:\s?(?:{_RANGE})\s?(?P<num2>{_NUMERAL}))?)"
    rf"\s?(?P<approx>{_alternation(WORDS.approximators)})?"
    rf"(?P<unit>(?:{_MAGNITUDES})(?:{_UNITS})?|{_UNITS})"
    rf"(?P<post>{_alternation(WORDS.qualifiers_after)})?"
)
DATE = re.compile(
    rf"(?:(?P<rel>{_alternation(WORDS.relative_years)})\s?)?"
    rf"(?:(?P<year>(?<![\d.])\d{{4}}|(?<=[（(])\d{{1,3}}(?=年[）)])|[〇零一二三四五六七八九]{{4}})"
    r"\s?年度?"
    rf"(?:\s?(?P<ym>{_MONTH})\s?月份?(?:\s?(?P<yd>{_DAY})\s?[日号])?)?"
    rf"|(?<![\d.个])(?P<month>{_MONTH})\s?月份?(?:\s?(?P<day>{_DAY})\s?[日号])?)"
    rf"(?P<part>[年月]?(?:{_alternation(WORDS.date_parts)}))?"
)
NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d.])")
BARE_YEAR = re.compile(r"(?<![A-Za-z\d.])(?:19|20)\d{2}(?![\d.%A-Za-z])")
QUOTED = re.compile("[“「]([^“”「」]*)[”」]")
CLAUSE_PUNCTUATION = re.compile("[，。！？；,!?;]")
QUOTE_ENDS = tuple("。！？!?…")
FOREIGN_NAME_DOTS = frozenset("·・•")
SURNAME = re.compile(_alternation(WORDS.surnames))
ROLE = re.compile(rf"(?:{_alternation(WORDS.roles)})(?={SURNAME.pattern})")
ROLE_END = re.compile(rf"(?:{_alternation(WORDS.roles)})$")
HONORIFIC = re.compile(rf"(?:{SURNAME.pattern})(?:{_alternation(WORDS.honorifics)})")
CREDIT = re.compile(
    rf"(?P<name>(?:{SURNAME.pattern})[{_HAN}]{{1,2}}?)\s?(?:{_alternation(WORDS.credit_marks)})"
    rf"(?![{_HAN}])"
)
_SPEECH = _alternation(WORDS.speech_verbs)
_SPEAKER = "[^，。！？；：,.!?;:“”「」\\s]{1,30}?"
SPEAKER_AFTER = re.compile(rf"\s*(?P<who>{_SPEAKER})(?:{_SPEECH})(?=[，。：,:！!？?\s]|$)")
SPEAKER_BEFORE = re.compile(rf"(?P<who>{_SPEAKER})(?:{_SPEECH})道?[：:，,]\s*$")
JIEBA_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9+#&._%\-]+")
NUMERIC_TOKEN = re.compile(rf"{_NUMBER}|[０-９]+")

NOUN_TAGS = frozenset(
    {"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "ng", "nw", "j", "vn", "an", "eng", "un", "l"}
)
MODIFIER_TAGS = frozenset({"a", "b"})
NAME_TAGS = NOUN_TAGS | {"b", "zg"}
ROLE_TAGS = NAME_TAGS | {"m"}
PLACE_PREFIX_TAGS = frozenset({"ns", "un", "nz", "j", "nr", "nrt"})
BOUNDARY_TAGS = frozenset({"x", "p", "c", "uj", "ul"})
PROPER_TAGS = frozenset({"ns", "nt", "nr", "nrt", "nrfg", "nz"})
PERSON_TAGS = frozenset({"un", "nr", "nrt", "nrfg"})
SKIPPED_BEFORE_NUMBER = frozenset({"d", "ad", "ul", "uz", "ug"})
LINKING = frozenset(WORDS.linking_words)
GENERIC = frozenset(WORDS.generic_words)
SPEECH_VERBS = tuple(sorted(WORDS.speech_verbs, key=len, reverse=True))
SUFFIXES = {
    FactKind.PROJECT: WORDS.project_suffixes,
    FactKind.ORGANIZATION: WORDS.org_suffixes,
    FactKind.PLACE: WORDS.place_suffixes,
}
SUFFIX_PATTERNS = {
    kind: re.compile(f"(?:{_alternation(words)})$") for kind, words in SUFFIXES.items()
}
LONG_ORG_SUFFIX = re.compile(f"(?:{_alternation(s for s in WORDS.org_suffixes if len(s) > 1)})$")
PROGRAMME_SUFFIXES = tuple(WORDS.project_suffixes + WORDS.programme_suffixes)
PLACE_MARKERS = frozenset(WORDS.place_markers)
KIND_ORDER = {kind: index for index, kind in enumerate(FactKind)}
NAME_KINDS = frozenset({FactKind.PERSON, FactKind.ORGANIZATION, FactKind.PLACE, FactKind.PROJECT})
MAX_NAME_TOKENS = 8
MAX_ROLE_TOKENS = 16
MAX_SUBJECT_TOKENS = 5


class Token(NamedTuple):
    text: str
    tag: str
    start: int
    end: int


class Found(NamedTuple):
    """A fact before it is tied to its paragraph; `sentence` is the index in it."""

    kind: FactKind
    sentence: int
    start: int
    text: str
    value: str
    unit: str | None = None
    subject: str = ""

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _tag(word: str) -> str:
    """jieba's dictionary tag; words it only found by HMM are `un` (often new names)."""
    tag = dictionary_tag(word)
    if tag and tag.startswith("nr") and len(word) > 3:
        return "i"  # 「严格执行」 is tagged nr; Chinese names are two or three characters
    if tag:
        return tag
    if word.isspace() or not any(char.isalnum() for char in word):
        return "x"
    if NUMERIC_TOKEN.fullmatch(word):
        return "m"
    if word.isascii():
        return "eng"
    return "un"


def _words(text: str) -> Iterator[str]:
    """jieba's words, but a preposition its HMM glued to the next character stands alone.

    「记者从市交通局获悉」 comes out as 从市/交通局; the name is 市交通局.
    """
    for word in cut_plain(text):
        if len(word) == 2 and word[0] in WORDS.prepositions and _tag(word) == "un":
            yield word[0]
            yield word[1]
        else:
            yield word


def is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


class SentenceText:
    """One sentence, segmented once, with what every rule asks about it."""

    def __init__(self, index: int, text: str) -> None:
        self.index = index
        self.text = text
        self.tokens: list[Token] = []
        offset = 0
        for word in _words(text):
            self.tokens.append(Token(word, _tag(word), offset, offset + len(word)))
            offset += len(word)
        self.owner = [i for i, token in enumerate(self.tokens) for _ in token.text]
        self.starts = {token.start for token in self.tokens}
        self.ends = {token.end for token in self.tokens}
        self.terms = [
            (m.start(), m.end(), m.group(1))
            for m in QUOTED.finditer(text)
            if not CLAUSE_PUNCTUATION.search(m.group(1)) and len(m.group(1)) <= 20
        ]

    def in_term(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e, _ in self.terms)

    def term_ending_at(self, end: int) -> str:
        return next((content for _, e, content in self.terms if e == end), "")

    def term_starting_at(self, start: int) -> str:
        return next((content for s, _, content in self.terms if s == start), "")

    def token_after(self, offset: int) -> int:
        """Index of the token at `offset`, or of the next one if that is a space."""
        index = self.owner[offset] if offset < len(self.text) else len(self.tokens)
        while index < len(self.tokens) and self.tokens[index].text.isspace():
            index += 1
        return index

    def token_before(self, offset: int) -> int:
        """Index of the last non-space token ending at or before `offset` (-1 if none)."""
        index = self.owner[offset - 1] if offset > 0 else -1
        while index >= 0 and self.tokens[index].text.isspace():
            index -= 1
        return index

    def found(self, kind: FactKind, start: int, end: int, value: str, **extra: str) -> Found:
        return Found(kind, self.index, start, self.text[start:end], value, **extra)


# --- numbers -----------------------------------------------------------------------


def _number(numeral: str) -> str | None:
    """Arabic digits as written; Chinese numerals converted by cn2an."""
    numeral = unicodedata.normalize("NFKC", numeral).replace(",", "")
    if numeral[0].isdigit():
        return numeral
    if numeral[0] in "百千万亿":
        numeral = "一" + numeral
    try:
        return str(to_number(numeral, "smart"))
    except (ValueError, KeyError, IndexError):  # cn2an's ways of saying "not a number"
        return None


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Blank out spans already explained, so that later rules do not read them again."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "\0" * (end - start)
    return "".join(chars)


def _dates(sentence: SentenceText, text: str) -> list[Found]:
    found = [_date(sentence, m) for m in DATE.finditer(text)]
    found += [
        sentence.found(FactKind.DATE, m.start(), m.end(), f"{y}-{int(mo):02d}-{int(d):02d}")
        for m in NUMERIC_DATE.finditer(text)
        for y, mo, d in [m.groups()]
        if 1 <= int(mo) <= 12 and 1 <= int(d) <= 31
    ]
    return _periods(sentence, sorted(found))


def _date(sentence: SentenceText, m: re.Match[str]) -> Found:
    end = m.end()
    part = m["part"]
    if part and end not in sentence.ends:  # 「2022年初步」: 初 belongs to the next word
        end, part = m.start("part"), None
    year = m["year"].translate(_CN_DIGITS) if m["year"] else None
    month = m["ym"] or m["month"]
    day = m["yd"] or m["day"]
    fields = [f"{int(_number(x) or 0):02d}" for x in (month, day) if x]
    value = "-".join([year, *fields]) if year else "--" + "-".join(fields)
    if part:
        value += f" {'月' if month else '年'}{part.lstrip('年月')}"
    if m["rel"]:
        value = f"{m['rel']} {value}"
    return sentence.found(FactKind.DATE, m.start(), end, value)


def _periods(sentence: SentenceText, dates: list[Found]) -> list[Found]:
    """「2013年至2017年」 is one period, not two dates."""
    merged: list[Found] = []
    for date in dates:
        if merged:
            last = merged[-1]
            between = sentence.text[last.end : date.start].strip()
            if between in WORDS.range_marks:
                merged[-1] = sentence.found(
                    FactKind.DATE, last.start, date.end, f"{last.value}/{date.value}"
                )
                continue
        merged.append(date)
    return merged


def _quantities(sentence: SentenceText, text: str) -> list[Found]:
    found = []
    for m in QUANTITY.finditer(text):
        quantity = _quantity(sentence, m)
        if quantity:
            found.append(quantity)
    return found


def _quantity(sentence: SentenceText, m: re.Match[str]) -> Found | None:
    start = m.start()
    if m["pre"] and start not in sentence.starts:  # 「附近3个」: 近 belongs to 附近
        start = m.end("pre")
    numeral = m["ord"] or m["num"]
    unit = m["unit"]
    chinese = not numeral[0].isdigit()
    if chinese and not m["num2"]:
        numeral, unit = _split_magnitude(numeral, unit)
    if chinese and not _plausible_chinese(sentence, m, start, numeral, unit):
        return None
    end = m.end()
    if m.end("unit") not in sentence.ends and not (m["post"] and end in sentence.ends):
        # 「150余万人口」: 人 belongs to 人口
        unit_start = m.end("unit") - len(unit)
        end = _fit_unit(sentence, unit_start, m.end("unit"))
        if end is None:
            return None
        unit = sentence.text[unit_start:end]
    value = _number(numeral)
    if value is None:
        return None
    if m["num2"]:
        second = _number(m["num2"])
        if second is None:
            return None
        value = f"{value}-{second}"
    subject = _subject(sentence, start, end)
    unit = unit.replace("多", "")
    return sentence.found(FactKind.QUANTITY, start, end, value, unit=unit, subject=subject)


def _split_magnitude(numeral: str, unit: str) -> tuple[str, str]:
    """「两万人」 is 2 万人, as 「20万人」 is 20 万人."""
    for magnitude in sorted(WORDS.magnitudes, key=len, reverse=True):
        if numeral.endswith(magnitude) and len(numeral) > len(magnitude):
            return numeral[: -len(magnitude)], magnitude + unit
    return numeral, unit


def _plausible_chinese(
    sentence: SentenceText, m: re.Match[str], start: int, numeral: str, unit: str
) -> bool:
    """Chinese numerals are everywhere in words (一起, 千家万户, 第三支部); keep real counts."""
    if start not in sentence.starts:
        return False
    if m["ordinal"]:
        return True
    if numeral in ("百", "千", "万", "亿") and not m["approx"]:
        return False
    # 「一个缩影」 is an article, 「二次供水」 an ordinal: counts say 两个, not 二个
    return not (numeral in ("一", "二") and unit in WORDS.classifiers)


def _fit_unit(sentence: SentenceText, start: int, end: int) -> int | None:
    """The longest shorter unit that ends where a word ends."""
    for cut in range(end - 1, start, -1):
        if cut in sentence.ends and sentence.text[start:cut].replace("多", "") in VALID_UNITS:
            return cut
    return None


def _bare_years(sentence: SentenceText, text: str) -> list[Found]:
    """「报告2023」: a four-digit year standing alone, once nothing else explained it."""
    return [
        sentence.found(FactKind.DATE, m.start(), m.end(), m.group())
        for m in BARE_YEAR.finditer(text)
    ]


def _subject(sentence: SentenceText, start: int, end: int) -> str:
    """What a quantity measures: the noun phrase right after it, else the one before."""
    return _subject_after(sentence, end) or _subject_before(sentence, start)


def _subject_after(sentence: SentenceText, end: int) -> str:
    term = sentence.term_starting_at(end)
    if term:
        return term
    first = sentence.token_after(end)
    if first >= len(sentence.tokens) or sentence.tokens[first].start != end:
        return ""
    tokens = sentence.tokens[first : first + MAX_SUBJECT_TOKENS]
    if tokens[0].tag == "v" and len(tokens) > 1 and tokens[1].tag in NOUN_TAGS:
        tokens = tokens[:1] + _phrase(tokens[1:])  # 「12个进驻服务单位」
    else:
        tokens = _phrase(tokens)
    subject = "".join(token.text for token in tokens)
    return subject if len(subject) > 1 else ""  # 「三年内」: 内 is no subject


def _phrase(tokens: list[Token]) -> list[Token]:
    """The leading noun phrase: nouns and modifiers, ending on a noun."""
    phrase: list[Token] = []
    for token in tokens:
        if token.tag not in NOUN_TAGS and token.tag not in MODIFIER_TAGS:
            break
        phrase.append(token)
    while phrase and phrase[-1].tag not in NOUN_TAGS:
        phrase.pop()
    return phrase


def _subject_before(sentence: SentenceText, start: int) -> str:
    term = sentence.term_ending_at(start)
    if term:
        return term
    index = sentence.token_before(start)
    while index >= 0 and (
        sentence.tokens[index].text in LINKING
        or sentence.tokens[index].tag in SKIPPED_BEFORE_NUMBER
    ):
        index -= 1
    if index < 0:
        return ""
    phrase: list[Token] = []
    while index >= 0 and len(phrase) < MAX_SUBJECT_TOKENS:
        token = sentence.tokens[index]
        if token.tag not in NOUN_TAGS and not (phrase and token.tag == "b"):
            break
        phrase.insert(0, token)
        index -= 1
    if phrase:
        return "".join(token.text for token in phrase)
    token = sentence.tokens[index]
    return token.text if token.tag in ("v", "vn") and len(token.text) > 1 else ""


# --- people -------------------------------------------------------------------------


def _name_at(text: str, start: int) -> str | None:
    """A Chinese name starting at `start`: surname and one or two given characters.

    One given character when the next two characters read as a word (「张敏扎实推进」) or
    the next one cannot be part of a name (「李青说」); two otherwise (「陈建国表示」).
    """
    surname = SURNAME.match(text, start)
    if not surname:
        return None
    given = surname.end()
    first, second, third = (text[given + i : given + i + 1] for i in range(3))
    breakers = WORDS.name_breakers
    if not first or not is_han(first) or first in breakers:
        return None
    short = (
        not second
        or not is_han(second)
        or second in breakers
        or (third and in_dictionary(second + third) and third not in breakers)
    )
    name = text[start : given + (1 if short else 2)]
    if not (dictionary_tag(name) or "nr").startswith("nr"):  # 「高度」 is a word, not a name
        return None
    if FOREIGN_NAME_DOTS.intersection(text[start : start + 6]):
        return None  # the start of a transliterated name, 「柳博米尔·弗尔奇科夫」
    return name


def _people(sentence: SentenceText) -> list[Found]:
    people: list[Found] = []
    taken: set[int] = set()

    def add(start: int, name: str, role: str = "") -> None:
        if start not in taken:
            taken.add(start)
            end = start + len(name)
            people.append(sentence.found(FactKind.PERSON, start, end, name, subject=role))

    text = sentence.text
    for m in ROLE.finditer(text):
        if m.end() not in sentence.ends:  # 「宝山区长江南路」: 区长 is no word here
            continue
        name = _name_at(text, m.end())
        if name:
            add(m.end(), name, _role_phrase(sentence, m.start(), m.end()))
    for m in HONORIFIC.finditer(text):
        if m.start() in sentence.starts:
            add(m.start(), m.group())
    for m in CREDIT.finditer(text):
        add(m.start("name"), m["name"], "摄影")
    for index, token in enumerate(sentence.tokens[:-1]):
        if _speaks(sentence, index):
            add(token.start, token.text)
    return people


def _speaks(sentence: SentenceText, index: int) -> bool:
    """「刘志强表示」「据周海涛介绍」: a name-like word right before a speech verb."""
    token = sentence.tokens[index]
    following = sentence.tokens[index + 1].text
    return (
        token.tag in PERSON_TAGS
        and 2 <= len(token.text) <= 4
        and all(is_han(char) for char in token.text)
        and SURNAME.match(token.text) is not None
        and following.startswith(SPEECH_VERBS)
    )


def _role_phrase(sentence: SentenceText, start: int, end: int) -> str:
    """The role as written before a name, across 「、」 between several roles."""
    tokens = sentence.tokens
    first = sentence.owner[start]
    while first > 0 and first > sentence.owner[start] - MAX_ROLE_TOKENS:
        if not _continues_role(tokens, first - 1):
            break
        first -= 1
    return sentence.text[tokens[first].start : end].lstrip("、")


def _continues_role(tokens: list[Token], index: int) -> bool:
    """Nouns and ordinals continue a role; a verb only before a name or a role word.

    「港务公司董事长」「修复师」 keep their verbs; 「是岭南武术宗师」 does not.
    """
    token = tokens[index]
    if token.text == "、":
        return index > 0 and ROLE_END.search(tokens[index - 1].text) is not None
    if token.tag == "v":
        following = tokens[index + 1]
        return len(token.text) > 1 and (
            _ends_name(following, FactKind.ORGANIZATION)
            or ROLE_END.search(following.text) is not None
        )
    return token.tag in ROLE_TAGS and token.text not in GENERIC


# --- organisations, places, projects ----------------------------------------------------


def _suffix(token: Token, kind: FactKind) -> str | None:
    return _word_suffix(token.text, kind)


@cache
def _word_suffix(word: str, kind: FactKind) -> str | None:
    """The suffix that lets this word end a name: 「管理局」 yes; 「全局」「布局」「子公司」 no."""
    found = SUFFIX_PATTERNS[kind].search(word)
    if not found:
        return None
    suffix = found.group()
    if word == suffix:
        return suffix
    tail = word[-len(suffix) - 1 :]  # the suffix and the character before it
    tail_tag = dictionary_tag(tail)
    if tail_tag and tail not in SUFFIXES[kind] and tail_tag not in PROPER_TAGS:
        return None
    return suffix if len(word) >= len(suffix) + 2 else None


def _ends_name(token: Token, kind: FactKind) -> bool:
    """A word that ends a name of this kind also ends the name before it (子公司 too)."""
    if _suffix(token, kind):
        return True
    return kind == FactKind.ORGANIZATION and LONG_ORG_SUFFIX.search(token.text) is not None


def _window(sentence: SentenceText, last: int, kind: FactKind) -> int:
    """Index of the first word of the name that ends with word `last`."""
    tags = PLACE_PREFIX_TAGS if kind == FactKind.PLACE else NAME_TAGS
    first = last
    while first > 0 and last - first < MAX_NAME_TOKENS - 1:
        before = sentence.tokens[first - 1]
        allowed = before.tag in tags or (
            kind != FactKind.PLACE
            and before.tag == "v"
            and _verb_in_name(sentence, first - 1, last)
        )
        if (
            not allowed
            or before.text in GENERIC
            or (before.tag == "un" and before.text[0] in WORDS.demonstratives)
            or _ends_name(before, kind)
        ):
            break
        first -= 1
    while first < last and (
        (sentence.tokens[first].tag == "vn" and last - first > 1)  # 「启动输水…项目」
        or (sentence.tokens[first].tag == "v" and not _after_boundary(sentence, first))
    ):
        first += 1
    return first


def _verb_in_name(sentence: SentenceText, index: int, last: int) -> bool:
    """「城市管理执法局」「供电公司」 have a verb inside; 「来到北港物流集团」 does not."""
    if index + 1 == last and _after_boundary(sentence, index):
        return True
    before = sentence.token_before(sentence.tokens[index].start)
    return (
        len(sentence.tokens[index].text) > 1  # 可, 要, 会 are not part of names
        and before >= 0
        and sentence.tokens[before].tag in NAME_TAGS - {"vn"}
        and sentence.tokens[index + 1].tag in NAME_TAGS - {"ns"}
    )


def _after_boundary(sentence: SentenceText, index: int) -> bool:
    before = sentence.token_before(sentence.tokens[index].start)
    return before < 0 or sentence.tokens[before].tag in BOUNDARY_TAGS


def _names(sentence: SentenceText, people: list[Found]) -> list[Found]:
    found: list[Found] = []
    for index, token in enumerate(sentence.tokens):
        if sentence.in_term(token.start, token.end):
            continue
        name = (
            _suffixed(sentence, index, FactKind.PROJECT)
            or _suffixed(sentence, index, FactKind.ORGANIZATION)
            or _place(sentence, index)
        )
        if name and not any(p.start <= name.start < p.end for p in people):
            found.append(name)
    found += _quoted_projects(sentence)
    return _outermost(found)


def _suffixed(sentence: SentenceText, index: int, kind: FactKind) -> Found | None:
    token = sentence.tokens[index]
    suffix = _suffix(token, kind)
    if not suffix:
        return None
    first = _window(sentence, index, kind)
    start = sentence.tokens[first].start
    name = sentence.text[start : token.end]
    if len(name) < len(suffix) + 2 or name in GENERIC:
        return None
    if kind == FactKind.PROJECT and not any(
        t.tag in PROPER_TAGS | {"un", "eng"} for t in sentence.tokens[first:index]
    ):
        return None  # 「多个项目」「建设工程」 are not named projects
    return sentence.found(kind, start, token.end, name)


def _place(sentence: SentenceText, index: int) -> Found | None:
    token = sentence.tokens[index]
    suffix = _suffix(token, FactKind.PLACE)
    if suffix:
        first = _window(sentence, index, FactKind.PLACE)
        start = sentence.tokens[first].start
        name = sentence.text[start : token.end]
        if len(name) >= len(suffix) + 2 and name not in GENERIC:
            return sentence.found(FactKind.PLACE, start, token.end, name)
    if token.tag == "ns" and len(token.text) >= 2 and _in_place_context(sentence, index):
        return sentence.found(FactKind.PLACE, token.start, token.end, token.text)
    return None


def _in_place_context(sentence: SentenceText, index: int) -> bool:
    """jieba tags many common words ns (深度, 锦旗): trust it only where a place fits."""
    if sentence.tokens[index].text in GENERIC:
        return False
    before = sentence.token_before(sentence.tokens[index].start)
    after = sentence.token_after(sentence.tokens[index].end)
    if before >= 0 and sentence.tokens[before].text in PLACE_MARKERS:
        return True
    return any(
        0 <= i < len(sentence.tokens) and _is_place_word(sentence.tokens[i])
        for i in (before, after)
    )


def _is_place_word(token: Token) -> bool:
    """A place name next door: 「广东东莞」, 「杭州市西湖区」 (a bare 市 is not one)."""
    suffix = _suffix(token, FactKind.PLACE)
    return token.tag == "ns" or (suffix is not None and token.text != suffix)


def _quoted_projects(sentence: SentenceText) -> list[Found]:
    """「“小港”“小航”服务训练营」「“放管服”改革」「“书记工程”」."""
    found = []
    terms = sentence.terms
    index = 0
    while index < len(terms):
        start, end, content = terms[index]
        while index + 1 < len(terms) and terms[index + 1][0] == end:
            index += 1
            end = terms[index][1]
        index += 1
        if len(content) < 2:
            continue
        if content.endswith(PROGRAMME_SUFFIXES):
            found.append(sentence.found(FactKind.PROJECT, start, end, sentence.text[start:end]))
            continue
        closing = _programme_suffix_after(sentence, end)
        if closing:
            found.append(
                sentence.found(FactKind.PROJECT, start, closing, sentence.text[start:closing])
            )
    return found


def _programme_suffix_after(sentence: SentenceText, end: int) -> int | None:
    first = sentence.token_after(end)
    if first >= len(sentence.tokens) or sentence.tokens[first].start != end:
        return None
    for token in sentence.tokens[first : first + 4]:
        if token.tag not in NAME_TAGS | MODIFIER_TAGS or token.text[0] in WORDS.demonstratives:
            return None
        if token.text.endswith(PROGRAMME_SUFFIXES):
            return token.end
    return None


def _outermost(found: list[Found]) -> list[Found]:
    """Drop a name inside a longer name of the same kind (海棠 in 海棠花园小区)."""
    return [
        inner
        for inner in found
        if not any(
            outer is not inner
            and outer.kind == inner.kind
            and outer.start <= inner.start
            and inner.end <= outer.end
            and len(outer.text) > len(inner.text)
            for outer in found
        )
    ]


# --- quotes ---------------------------------------------------------------------------


def _quotes(sentences: list[SentenceText]) -> list[Found]:
    """Quoted speech with its speaker, read over the whole paragraph."""
    texts = [sentence.text for sentence in sentences]
    offsets = [0]
    for text in texts:
        offsets.append(offsets[-1] + len(text))
    joined = "".join(texts)
    found = []
    for m in QUOTED.finditer(joined):
        content = m.group(1)
        if len(content) < 8 or not CLAUSE_PUNCTUATION.search(content):
            continue
        speaker = _speaker(joined, m.start(), m.end())
        if not speaker and not content.rstrip("’』」)）").endswith(QUOTE_ENDS):
            continue
        index = bisect_right(offsets, m.start()) - 1
        start = m.start() - offsets[index]
        end = min(m.end(), offsets[index + 1]) - offsets[index]
        found.append(sentences[index].found(FactKind.QUOTE, start, end, content, subject=speaker))
    return found


def _speaker(text: str, start: int, end: int) -> str:
    after = SPEAKER_AFTER.match(text, end)
    if after:
        return after["who"]
    before = SPEAKER_BEFORE.search(text, max(0, start - 40), start)
    return before["who"] if before else ""


# --- the paragraph --------------------------------------------------------------------


def _sentence_facts(sentence: SentenceText) -> list[Found]:
    text = _mask(sentence.text, ((s, e) for s, e, _ in sentence.terms))
    dates = _dates(sentence, text)
    text = _mask(text, ((d.start, d.end) for d in dates))
    quantities = _quantities(sentence, text)
    text = _mask(text, ((q.start, q.end) for q in quantities))
    people = _people(sentence)
    return dates + quantities + _bare_years(sentence, text) + people + _names(sentence, people)


def _known_names(sentences: list[SentenceText], found: list[Found]) -> list[Found]:
    """A name recognised once is the same name elsewhere in the paragraph."""
    roles = {f.value: f.subject for f in found if f.kind == FactKind.PERSON}
    places = {f.value for f in found if f.kind == FactKind.PLACE}
    projects = {
        term for f in found if f.kind == FactKind.PROJECT for term in QUOTED.findall(f.text)
    }
    again: list[Found] = []
    for sentence in sentences:
        again += [
            sentence.found(FactKind.PERSON, m.start(), m.end(), name, subject=role)
            for name, role in roles.items()
            for m in re.finditer(re.escape(name), sentence.text)
            if m.end() in sentence.ends or not is_han(sentence.text[m.end() :][:1])
        ]
        again += [
            sentence.found(FactKind.PLACE, token.start, token.end, token.text)
            for token in sentence.tokens
            if token.text in places
        ]
        again += [
            sentence.found(FactKind.PROJECT, start, end, sentence.text[start:end])
            for start, end, content in sentence.terms
            if content in projects
        ]
    names = [f for f in found if f.kind in NAME_KINDS]
    return [f for f in again if not any(_overlap(f, name) for name in names)]


def _overlap(one: Found, other: Found) -> bool:
    return one.sentence == other.sentence and one.start < other.end and other.start < one.end


def _sort_key(found: Found) -> tuple[int, int, int, int, str]:
    return (found.sentence, found.start, KIND_ORDER[found.kind], -len(found.text), found.text)


def extract_facts(paragraph: Paragraph) -> list[Fact]:
    """Every fact in the paragraph, sorted by sentence and position."""
    sentences = [SentenceText(index, s.text) for index, s in enumerate(paragraph.sentences)]
    found = [fact for sentence in sentences for fact in _sentence_facts(sentence)]
    found += _known_names(sentences, found) + _quotes(sentences)
    unique = {(f.kind, f.sentence, f.start, f.text): f for f in found}
    return [
        Fact(
            kind=f.kind,
            text=f.text,
            value=f.value,
            unit=f.unit,
            subject=f.subject,
            paragraph=paragraph.number,
            sentence=paragraph.sentences[f.sentence].number,
            start=f.start,
        )
        for f in sorted(unique.values(), key=_sort_key)
    ]


def proper_names(facts: Iterable[Fact]) -> list[str]:
    """The names of people, organisations, places and projects, in the pieces jieba can keep
    as one word (it always splits at quotation marks): 「“放管服”改革」 gives 放管服."""
    names: set[str] = set()
    for fact in facts:
        if fact.kind in NAME_KINDS:
            names.update(_word_pieces(QUOTED.findall(fact.value) or [fact.value]))
    return sorted(names)


def _word_pieces(names: list[str]) -> Iterator[str]:
    for name in names:
        for piece in JIEBA_WORD.findall(name):
            if len(piece) >= 2 and any(is_han(char) for char in piece):
                yield piece
