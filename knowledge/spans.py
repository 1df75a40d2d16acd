"""Cut a short answer out of a sentence when no typed fact answers the question.

Two general tricks: aligning the question around its question word with the sentence
(「X是由哪两个公司开发的」 against 「X是由A和B开发的」 leaves 「A和B」), and reading
enumerations (「省心、省时、省钱」, 「“甲”“乙”“丙”」, 「提前办，主动办，全力办」).
"""

from __future__ import annotations

import re
from difflib import Match

from pydantic import BaseModel
from rapidfuzz.distance import Indel

QUESTION_WORD = re.compile(
    r"几月几[号日]|几年几月|为什么|为何|什么时候|什么地方|什么样的?|什么|怎么样|怎么|怎样|如何"
    r"|多少|多大|多长|多久|多高|多远"
    r"|几[个次天年月号楼项名位家台块条处件种届]?|谁|啥|咋|何时|何地|何处|是否"
    r"|哪[一二两三四五六七八九十几\d]*[个位家些里儿年天月种座所条项件届]?"
)
CLAUSE_BREAK = re.compile(r"[，,。；;！？!?：:]")
EDGE_NOISE = "，,。；;：:！？!?、“”‘’\"'（）()《》「」 的了是在为有"
LIST_LEAD = re.compile(r".*(?:是|有|为|包括|包含|即|由|在|：|:|就有|分别是)")
LIST_TAIL = re.compile(r"(?:等|的|和|及|[0-9一二三四五六七八九十两]+[个项家所种类]|三个|四个).*$")
QUOTED = re.compile(r"[“「]([^”」]{1,20})[”」]")
MIN_ANCHOR = 2
MAX_ANSWER = 40


def question_word(question: str) -> re.Match[str] | None:
    return QUESTION_WORD.search(question)


class Aligned(BaseModel):
    span: str
    anchored: float  # share of the question's words around the question word found


def align(question: str, sentence: str) -> Aligned | None:
    """The part of the sentence that stands where the question word stands."""
    found = question_word(question)
    if not found:
        return None
    left, right = question[: found.start()], question[found.end() :]
    left_blocks, right_blocks = _blocks(left, sentence), _blocks(right, sentence)
    left_match = max(left_blocks, key=lambda b: (b.a + b.size, b.size), default=None)
    left_end = left_match.b + left_match.size if left_match else None
    after = [b for b in right_blocks if b.b >= (left_end or 0)]
    right_match = min(after, key=lambda b: (b.a, -b.size), default=None)
    right_start = right_match.b if right_match else None
    shared = sum(b.size for b in left_blocks) + sum(b.size for b in right_blocks)
    anchored = min(1.0, shared / max(len((left + right).strip(EDGE_NOISE)), 1))
    if left_match and right_match is None and right.strip(EDGE_NOISE):
        span = _modifier_before(sentence, left_match.b, right)
        if span:
            return Aligned(span=span, anchored=anchored)
    span = _between(sentence, left_end, right_start)
    if span is None and left_blocks and not right.strip(EDGE_NOISE):
        longest = max(left_blocks, key=lambda b: b.size)
        span = _before(sentence, max(0, longest.b - longest.a))
    return Aligned(span=span, anchored=anchored) if span else None


def _modifier_before(sentence: str, subject_start: int, right: str) -> str | None:
    """「全国五大港口之一北港码头」 answers 「北港码头是什么地位的港口」:
    when what follows the question word is found before the subject, not after it."""
    head = sentence[:subject_start]
    breaks = list(CLAUSE_BREAK.finditer(head))
    clause = head[breaks[-1].end() if breaks else 0 :]
    if not clause or not _blocks(right, clause):
        return None
    return _tidy(clause)


def _between(sentence: str, left_end: int | None, right_start: int | None) -> str | None:
    """Between the anchors; when they stand far apart, the clause that ends at the right
    one (the left anchor then named the subject earlier in the sentence)."""
    if left_end is None and right_start is None:
        return None
    if left_end is not None and right_start is not None and right_start > left_end:
        span = _tidy(sentence[left_end:right_start])
        if span or CLAUSE_BREAK.search(sentence, left_end, right_start) is None:
            return span
        left_end = None
    if left_end is not None and right_start is None:
        rest = sentence[left_end:]
        stop = CLAUSE_BREAK.search(rest, 1)
        return _tidy(rest[: stop.start()] if stop else rest)
    head = sentence[: right_start or 0]
    breaks = list(CLAUSE_BREAK.finditer(head))
    return _tidy(head[breaks[-1].end() :] if breaks else head)


def _before(sentence: str, start: int | None) -> str | None:
    """「甲是湖南最大的电站」 answers 「湖南最大的电站是哪一个」: what comes before 是."""
    if start is None:
        return None
    head = sentence[:start].rstrip()
    if not head.endswith(("是", "为")):
        return None
    breaks = list(CLAUSE_BREAK.finditer(head))
    return _tidy(head[breaks[-1].end() if breaks else 0 : -1])


def shares_run(part: str, text: str) -> bool:
    """Whether the two texts share a run of two characters or more."""
    return bool(_blocks(part, text))


def _blocks(part: str, text: str) -> list[Match]:
    """Runs the two texts share, in order (a longest-common-subsequence alignment)."""
    return [
        Match(op.src_start, op.dest_start, op.src_end - op.src_start)
        for op in Indel.opcodes(part, text)
        if op.tag == "equal" and op.src_end - op.src_start >= MIN_ANCHOR
    ]


def _tidy(span: str) -> str | None:
    span = span.strip(EDGE_NOISE)
    if not span or len(span) > MAX_ANSWER:
        return None
    return span


def enumerations(sentence: str) -> list[list[str]]:
    """Every list the sentence holds, as its members, longest lists first."""
    found = [_quoted_run(sentence), *_listed_runs(sentence), _parallel_clauses(sentence)]
    lists = [items for items in found if len(items) >= 2]
    return sorted(lists, key=len, reverse=True)


def _quoted_run(sentence: str) -> list[str]:
    """「“甲”“乙”“丙”」 or 「“甲、乙、丙”」."""
    quotes = QUOTED.findall(sentence)
    inner = [q for q in quotes if "、" in q]
    if inner:
        return [part for part in max(inner, key=len).split("、") if part]
    run: list[str] = []
    for match in re.finditer(r"(?:[“「][^”」]{1,20}[”」]){2,}", sentence):
        candidate = QUOTED.findall(match.group(0))
        if len(candidate) > len(run):
            run = candidate
    return run


def _listed_runs(sentence: str) -> list[list[str]]:
    """「A、B、C」 inside a clause, its first and last members cut to size."""
    runs: list[list[str]] = []
    for clause in re.split(r"[，,。；;！？!?：:“”「」]", sentence):
        parts = clause.split("、")
        if len(parts) < 2:
            continue
        middle = parts[1:-1] or [parts[-1][: len(parts[0])]]
        width = max(len(p) for p in middle) if middle else 4
        first = _trim_first(parts[0], parts[1:], width)
        last = _trim_last(parts[-1], width)
        items = [first, *parts[1:-1], last]
        runs.append([item for item in items if item])
    return runs


def _trim_first(first: str, others: list[str], width: int) -> str:
    shared = _shared_start(others)
    if shared and shared in first:
        return first[first.rindex(shared) :]
    lead = LIST_LEAD.match(first)
    if lead:
        first = first[lead.end() :]
    return first if len(first) <= width + 2 else first[-width:]


def _trim_last(last: str, width: int) -> str:
    last = LIST_TAIL.sub("", last) or last
    return last if len(last) <= width + 3 else last[:width]


def _shared_start(parts: list[str]) -> str:
    starts = {part[:1] for part in parts if part}
    return starts.pop() if len(starts) == 1 and len(parts) >= 2 else ""


def _parallel_clauses(sentence: str) -> list[str]:
    """Clauses ending in the same character, as in 「提前指导办，主动对接办，全力帮代办」."""
    clauses = [c for c in re.split(r"[，,；;。]", sentence) if c]
    best: list[str] = []
    run: list[str] = []
    for clause in clauses:
        if run and clause[-1] == run[-1][-1] and len(clause) <= 12:
            run.append(clause)
        else:
            run = [clause] if len(clause) <= 12 else []
        if len(run) > len(best):
            best = list(run)
    if len(best) >= 2:
        best[0] = re.sub(r"^.*?(?:即|是|：|:)", "", best[0])
    return best if len(best) >= 3 else []
