"""Pick the short answer from the best evidence: the typed fact or the span whose kind
and unit fit the question, near the words the question and the sentence share."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from knowledge import texts
from knowledge.models import Fact, FactKind
from knowledge.question import AnswerType, Question, load_paraphrases
from knowledge.retrieve import Hit
from knowledge.spans import align, enumerations, question_word, shares_run
from knowledge.words import tokens

FactsOf = Callable[[Hit], list[Fact]]

MEASURES = Path(__file__).parent / "data" / "measures.json"
COPULA = re.compile(r"指的是|是指|就是|是|指|即|为")
EDGE = "，,。：:“”「」 "
MAX_GAP = 20  # characters between the subject and 是 (「X，或称Y，是」)
MAX_DEFINITION = 60
PER_QUESTION_CACHE = 256  # derived once per question, not once per candidate sentence
CANDIDATE_HITS = 24
ALIGNED_HITS = 10  # aligning is the costly step; the best sentences are enough
CONFIRMS = 0.8
NEGATION = re.compile(r"不|没有|未|无法|并非")
MAX_REASON = 40
REASON_CUES = re.compile(r"(?:由于|因为|因而|所以|为了|原因是|源于|得益于)")
YEAR = re.compile(r"\d{4}")
MONTH = re.compile(r"\d{1,2}月")
DAY = re.compile(r"\d{1,2}[日号]")
# Scales fit × evidence so that 0.5 separates the seed dev set's answerable questions
# from its unanswerable ones (benchmarks/seed_dev.py checks it stays calibrated).
CALIBRATION = 1.75
OFF_SUBJECT = 0.6
EVENT_MISSING = 0.4
DATE_ONLY_RESIDUE = 3  # 「仅今年3月，」「早在2017年9月，」 leave the event to the next clause
UNLED_LIST = 0.85
MAGNITUDES = "万亿千百"
GENERIC_COUNTERS = ("个",)
ASKED_HEAD = re.compile(r"(?:哪|什么)[一二两三四五六七八九十几\d]*[个家座所条位些项种件]?")
GENERIC_HEADS = frozenset(
    ["单位", "机构", "部门", "公司", "企业", "组织", "地方", "地区", "东西", "人", "方面", "时候"]
)
PERIODS = (
    ("day", re.compile(r"每天|一天|日均|每日|日产|日供|日生产|日漏")),
    ("year", re.compile(r"每年|一年|年均|全年|年产|年办")),
    ("total", re.compile(r"累计|共计|总计|合计|一共|总共")),
)
CLAUSE_END = re.compile(r"[，,。；;！？!?]")
HOW_MUCH = re.compile(r"多少|几|多大|多高|多长|多重|多远|多深")
ASKED_UNIT = re.compile(
    r"(?:多少|几)([回趟场起处条项件次家个名位人块台座所根组轮期种类栋套辆本张篇批届倍户])"
)
TIME_UNITS = ("天", "日", "个月", "月", "年", "小时", "分钟", "周")
NAMED_KINDS = (FactKind.ORGANIZATION, FactKind.PLACE, FactKind.PROJECT)
NUMBERED = re.compile(r".{0,12}[\d一二三四五六七八九十两百千万亿].{0,12}")
SPAN_SHAPES = {
    AnswerType.PERSON: re.compile(
        r"[\u4e00-\u9fff]{2,4}|[^\s，,。；;、的]{1,12}·[^\s，,。；;、的]{1,12}|[A-Z][A-Za-z .'-]{2,30}"
    ),
    AnswerType.ROLE: re.compile(r"[^，,。；;]{2,20}"),
    AnswerType.QUANTITY: NUMBERED,
    AnswerType.DURATION: NUMBERED,
    AnswerType.DATE: re.compile(
        r".{0,12}(?:\d|[一二三四五六七八九十]+[年月日]|世纪|朝|代|初|末).{0,12}"
    ),
}
BOTH_WAYS = (AnswerType.PLACE, AnswerType.ORGANIZATION)  # names or where-phrases both answer
TYPED_SPAN = 0.5  # a span of the right shape is much less sure than a typed fact


class Candidate(BaseModel):
    model_config = ConfigDict(frozen=True)

    answer: str
    hit: Hit
    fit: float  # how well the kind of answer fits the question, 0..1
    subject: str = ""

    @property
    def strength(self) -> float:
        """Fit times evidence: how much of the question the sentence and its paragraph hold."""
        hit = self.hit
        evidence = 0.4 * hit.sentence_coverage + 0.4 * hit.coverage + 0.2 * hit.rank_share
        off_subject = 1.0 if hit.on_subject else OFF_SUBJECT
        return CALIBRATION * self.fit * off_subject * (0.2 + evidence)

    @property
    def confidence(self) -> float:
        return round(min(1.0, self.strength), 3)


@cache
def _measures() -> tuple[list[frozenset[str]], dict[str, list[str]]]:
    data = json.loads(MEASURES.read_text(encoding="utf-8"))
    return [frozenset(group) for group in data["unit_groups"]], data["measures"]


def unit_fit(asked: str | None, question_text: str, unit: str | None) -> float:
    """1 for the asked unit, less for a related one, little for an unrelated one."""
    if not unit:
        return 0.3
    groups, measures = _measures()
    if asked:
        bare_asked, bare_unit = asked.lstrip(MAGNITUDES) or asked, unit.lstrip(MAGNITUDES) or unit
        if bare_unit == bare_asked:
            return 1.0
        if any(bare_asked in group and bare_unit in group for group in groups):
            return 0.85
        if asked in GENERIC_COUNTERS and not _is_measure(unit, groups):
            return 0.7
        return 0.15
    wanted = [u for word in _measure_words(question_text) for u in measures[word]]
    if not wanted:
        return 0.6
    related = any(u in group and unit in group for u in wanted for group in groups)
    return 0.9 if related else 0.25


def _measure_words(text: str) -> list[str]:
    """The measure asked about, read around the question word: 「投了多少钱」 → 钱,
    「交了多少水费」 → 水费 (not 水)."""
    found = HOW_MUCH.search(text)
    if not found:
        return []
    window = text[max(0, found.start() - 6) : found.end() + 5]
    words = [word for word in _measures()[1] if word in window]
    return [word for word in words if not any(word in other and word != other for other in words)]


def _is_measure(unit: str, groups: list[frozenset[str]]) -> bool:
    """Units of measure (元, 吨, 米...) as opposed to counters (处, 项, 家...)."""
    bare = unit.lstrip(MAGNITUDES) or unit
    return any(bare in group for group in groups[:6])


def asked_unit(question: Question) -> str | None:
    """The unit right after 多少/几 (「多少回」), when the parser did not name one."""
    if question.unit:
        return question.unit
    match = ASKED_UNIT.search(question.text)
    return match.group(1) if match else None


def _nearness(hit: Hit, question: Question, position: int) -> float:
    """Facts near the words the question shares with the sentence, and near the rarest
    of them, belong to what it asks about (「西港码头…18万吨」, not the 东港 figure)."""
    text = hit.sentence.text
    positions = [text.find(t) for t in question.terms if len(t) >= 2 and t in text]
    if not positions:
        return 0.6
    nearest = min(abs(position - p) for p in positions)
    to_anchor = abs(position - hit.anchor) if hit.anchor is not None else nearest
    return 0.5 / (1.0 + nearest / 40) + 0.5 / (1.0 + to_anchor / 40)


def _clause(text: str, position: int) -> tuple[int, int, int]:
    """Start and end of the clause holding the position, and the end of the next one
    (a date often leads the clause that says what happened: 「仅今年3月，…集中并网」)."""
    starts = [m.end() for m in CLAUSE_END.finditer(text, 0, position)]
    first_stop = CLAUSE_END.search(text, position)
    end = first_stop.start() if first_stop else len(text)
    second_stop = CLAUSE_END.search(text, first_stop.end()) if first_stop else None
    return (starts[-1] if starts else 0, end, second_stop.start() if second_stop else len(text))


def _period(text: str) -> str | None:
    for period, pattern in PERIODS:
        if pattern.search(text):
            return period
    return None


def _clause_fit(hit: Hit, question: Question, position: int) -> float:
    """Facts in the clause that names the question's rarest word, holds its other words
    and speaks of the same period (每天 vs 累计) answer it best."""
    text = hit.sentence.text
    start, end, stop = _clause(text, position)
    clause = text[start:stop]
    held = sum(1 for term in question.terms if len(term) >= 2 and term in clause)
    same = hit.anchor is None or start <= hit.anchor < end
    periods = {_period(question.text), _period(clause)}
    period_fit = 0.6 if "day" in periods and periods & {"year", "total"} else 1.0
    return (0.85 + 0.15 * min(1.0, held / 3)) * (1.0 if same else 0.85) * period_fit


def _about(question: Question, subject: str) -> float:
    """Facts whose subject shares the question's characters are about what it asks
    (「维修费用」 answers 「花了多少修理费」 better than 「投了多少钱」)."""
    if not subject:
        return 0.75
    shared = sum(1 for char in set(subject) if char in question.text)
    return 0.5 + 0.5 * min(1.0, 2 * shared / len(set(subject)))


def _typed(question: Question, hit: Hit, facts: list[Fact]) -> list[Candidate]:
    expected = question.expected
    if expected in (AnswerType.QUANTITY, AnswerType.DURATION) or question.unit:
        return _quantities(question, hit, facts)
    if expected == AnswerType.DATE:
        return _dates(question, hit, facts)
    if expected == AnswerType.PERSON:
        return _people(question, hit, facts)
    if expected == AnswerType.ROLE:
        return _roles(question, hit, facts)
    if expected in (AnswerType.PLACE, AnswerType.ORGANIZATION) or _names_a_kind(question, facts):
        return _named(question, hit, facts)
    if expected == AnswerType.LIST:
        return _lists(question, hit)
    if expected == AnswerType.REASON:
        return _reasons(question, hit)
    if expected == AnswerType.YES_NO:
        return _confirmed(hit)
    if expected == AnswerType.DEFINITION:
        return _defined(question, hit)
    return []


def _quantities(question: Question, hit: Hit, facts: list[Fact]) -> list[Candidate]:
    candidates = []
    for fact in facts:
        if fact.kind != FactKind.QUANTITY:
            continue
        unit = asked_unit(question)
        fit = unit_fit(unit, question.text, fact.unit)
        after = hit.sentence.text[fact.start + len(fact.text) :]
        if unit and after.startswith(unit):
            fit = max(fit, 0.9)
        if question.expected == AnswerType.DURATION and not (fact.unit or "").endswith(TIME_UNITS):
            fit *= 0.3
        fit *= _nearness(hit, question, fact.start) * _about(question, fact.subject)
        fit *= _clause_fit(hit, question, fact.start)
        candidates.append(Candidate(answer=fact.text, hit=hit, fit=fit, subject=fact.subject))
    return candidates


def _dates(question: Question, hit: Hit, facts: list[Fact]) -> list[Candidate]:
    wants = _date_detail(question.text)
    candidates = []
    for fact in facts:
        if fact.kind != FactKind.DATE:
            continue
        fit = 1.0 if wants is None or wants.search(fact.text) else 0.25
        if wants is None and not re.search(r"[月日号底初末]|\d{4}年", fact.text):
            fit = 0.5
        fit *= _nearness(hit, question, fact.start)
        fit *= _event_fit(question, hit, fact.start, fact.text)
        candidates.append(Candidate(answer=fact.text, hit=hit, fit=fit, subject=fact.subject))
    return candidates


@lru_cache(maxsize=PER_QUESTION_CACHE)
def _event_words(question: str) -> tuple[str, ...]:
    """The words after the question word (「…什么时候开始启用的」 → 启用)."""
    found = question_word(question)
    if not found:
        return ()
    after = question[found.end() :]
    return tuple(t for t in tokens(after) if len(t) >= 2 and not question_word(t))


def _event_fit(question: Question, hit: Hit, position: int, fact_text: str) -> float:
    """「…是什么时候开始启用的」: the date's clause should tell that event (启用 or a
    paraphrase such as 投入使用), not another one of the same subject."""
    event = _event_words(question.text)
    if not event:
        return 1.0
    start, end, stop = _clause(hit.sentence.text, position)
    own = hit.sentence.text[start:end]
    date_only = len(own) - len(fact_text) <= DATE_ONLY_RESIDUE
    clause = hit.sentence.text[start:stop] if date_only else own
    paraphrases = load_paraphrases()
    told = any(word in clause for term in event for word in (term, *paraphrases.get(term, ())))
    return 1.0 if told else EVENT_MISSING


def _date_detail(text: str) -> re.Pattern[str] | None:
    """What a date must hold to answer: a day for 哪天, a year for 哪年, else anything."""
    if re.search(r"哪一?天|几号|几[日号]|哪一?日|几月几", text):
        return DAY
    if re.search(r"哪一?年|几几年|哪年", text):
        return YEAR
    if re.search(r"哪个月|几月", text):
        return MONTH
    return None


def _people(question: Question, hit: Hit, facts: list[Fact]) -> list[Candidate]:
    candidates = []
    for fact in facts:
        if fact.kind != FactKind.PERSON:
            continue
        role_asked = bool(fact.subject) and any(t in fact.subject for t in question.terms)
        fit = (1.0 if role_asked else 0.5) * _nearness(hit, question, fact.start)
        candidates.append(Candidate(answer=fact.value, hit=hit, fit=fit, subject=fact.subject))
    return candidates


def _roles(question: Question, hit: Hit, facts: list[Fact]) -> list[Candidate]:
    return [
        Candidate(answer=fact.subject, hit=hit, fit=1.0, subject=fact.value)
        for fact in facts
        if fact.kind == FactKind.PERSON and fact.subject and fact.value in question.text
    ]


def _named(question: Question, hit: Hit, facts: list[Fact]) -> list[Candidate]:
    head = _asked_head(question.text)
    candidates = []
    for fact in facts:
        if fact.kind not in NAMED_KINDS or fact.value in question.text:
            continue
        fit = 0.6 if not head else 1.0 if fact.value.endswith(head) else 0.3
        fit *= _nearness(hit, question, fact.start)
        candidates.append(Candidate(answer=fact.value, hit=hit, fit=fit))
    return candidates


def _names_a_kind(question: Question, facts: list[Fact]) -> bool:
    """「在哪个新区」: a named fact of the kind asked for (…新区) answers it."""
    if question.expected not in (AnswerType.OTHER, AnswerType.DEFINITION):
        return False
    head = _asked_head(question.text) if "哪" in question.text else ""
    return bool(head) and any(
        f.kind in NAMED_KINDS and f.value.endswith(head) and f.value not in question.text
        for f in facts
    )


@lru_cache(maxsize=PER_QUESTION_CACHE)
def _asked_head(text: str) -> str:
    """The noun after 哪个/哪三/什么: what kind of thing is asked for (水库, 医院...)."""
    match = ASKED_HEAD.search(text)
    if not match:
        return ""
    following = tokens(text[match.end() :])
    if not following or following[0] in GENERIC_HEADS:
        return ""
    return following[0]


def _lists(question: Question, hit: Hit) -> list[Candidate]:
    head = _asked_head(question.text)
    text = hit.sentence.text
    candidates = []
    for items in enumerations(text):
        fit = 0.4 if question.count and len(items) != question.count else 1.0
        if any(item in question.text for item in items):
            fit *= 0.5
        at = text.find(items[-1]) + len(items[-1])
        named = head and head in text
        if named and head not in "".join(items) and head not in text[at : at + 6]:
            fit *= 0.6
        start = text.find(items[0])
        fit *= _nearness(hit, question, start) * _clause_fit(hit, question, start)
        fit *= 1.0 if _led_in(question.text, text, start) else UNLED_LIST
        candidates.append(Candidate(answer="、".join(items), hit=hit, fit=fit))
    return candidates


def _reasons(question: Question, hit: Hit) -> list[Candidate]:
    """After 由于/因为 when the sentence gives a cue; else the clause before the effect
    the question names (「工期一再推迟」 after 「图纸改了三次」)."""
    text = hit.sentence.text
    cue = REASON_CUES.search(text)
    if cue:
        clauses = re.split(r"[，,。；;]", text[cue.end() :])
        answer = "，".join(clauses[:2]).strip("，。“”")
        if not answer or len(answer) > MAX_REASON:
            answer = clauses[0]
        return [Candidate(answer=answer, hit=hit, fit=0.9)]
    found = question_word(question.text)
    effect = question.text[found.end() :] if found else ""
    clauses = [c for c in re.split(r"[，,。；;]", text) if c]
    for number, clause in enumerate(clauses[1:], start=1):
        if shares_run(effect, clause) and len(clauses[number - 1]) <= MAX_REASON:
            return [Candidate(answer=clauses[number - 1].strip("“”"), hit=hit, fit=0.6)]
    return []


def _defined(question: Question, hit: Hit) -> list[Candidate]:
    """「什么是X」: what the sentence says X is (「X，或称Y，是…」 gives what follows 是)."""
    subject = question.focus.strip(EDGE)
    text = hit.sentence.text
    at = text.find(subject) if len(subject) >= 2 else -1
    if at < 0:
        return []
    copula = COPULA.search(text, at + len(subject))
    if not copula or copula.start() - at - len(subject) > MAX_GAP:
        return []
    meaning = text[copula.end() :].rstrip("。；;！!").strip(EDGE)
    if not meaning or len(meaning) > MAX_DEFINITION:
        return []
    return [Candidate(answer=meaning, hit=hit, fit=0.8)]


def _led_in(question: str, sentence: str, start: int) -> bool:
    """「要达到哪几项标准」 and 「将达到“无积水、无异味、…”」: the word before the question
    word stands right before the list."""
    found = question_word(question)
    lead = question[: found.start()].rstrip("，,的是要")[-2:] if found else ""
    return len(lead) == 2 and lead in sentence[max(0, start - 4) : start]


def _confirmed(hit: Hit) -> list[Candidate]:
    """「…吗？」 is answered 「是」 only when the sentence says nearly all of it; a sentence
    that says less, or says it with a negation, leaves the question unanswered."""
    if hit.sentence_coverage < CONFIRMS or NEGATION.search(hit.sentence.text):
        return []
    return [Candidate(answer=texts.YES, hit=hit, fit=hit.sentence_coverage)]


def _aligned(question: Question, hit: Hit) -> list[Candidate]:
    """A span where the question word stands, when no typed fact fits; for typed
    questions only a span of that shape (a short name, something with a number)."""
    if question.expected == AnswerType.YES_NO:
        return []
    found = align(question.text, hit.sentence.text)
    if found is None or found.span in question.text:
        return []
    shape = SPAN_SHAPES.get(question.expected)
    if shape is not None and not shape.fullmatch(found.span):
        return []
    fit = (0.35 + 0.45 * found.anchored) * (1.0 if shape is None else TYPED_SPAN)
    head = _asked_head(question.text) if "哪" in question.text else ""
    if head and not _names_head(found.span, head, hit.sentence.text):
        fit *= 0.4
    return [Candidate(answer=found.span, hit=hit, fit=fit)]


def _names_head(span: str, head: str, sentence: str) -> bool:
    """A span answering 「哪个街道」 is a 街道, or stands right before the word 街道."""
    at = sentence.find(span) + len(span)
    return head in span or sentence[at : at + len(head) + 2].lstrip("”」’").startswith(head)


def candidates(question: Question, hits: list[Hit], facts_of: FactsOf) -> list[Candidate]:
    """Every answer the top hits offer, best first (hit strength times fit)."""
    found: list[Candidate] = []
    for rank, hit in enumerate(hits[:CANDIDATE_HITS]):
        typed = _typed(question, hit, facts_of(hit))
        found.extend(typed)
        if rank < ALIGNED_HITS and (not typed or question.expected in BOTH_WAYS):
            found.extend(_aligned(question, hit))
    found = [c for c in found if c.answer not in question.text]
    found.sort(key=lambda c: -c.strength)
    return found
