"""Questions the articles can answer, made from the store's own facts, so that a
refusal can point somewhere useful and /start has examples to press."""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.models import Article, Fact, FactKind

CLAUSE = re.compile(r"[^，,。；;！？!?：:“”]+")
MIN_CLAUSE = 8
MAX_CLAUSE = 26
MIN_SUBJECT = 4  # characters before 多少: what is measured has to be named first
DIGIT = re.compile(r"\d")
NAMED = (FactKind.ORGANIZATION, FactKind.PLACE, FactKind.PROJECT, FactKind.PERSON)


def questions_from(article: Article, facts: Iterable[Fact]) -> list[str]:
    """One natural question per usable fact, in the order of the facts."""
    facts = list(facts)
    names = {fact.value for fact in article.facts if fact.kind in NAMED}
    made: list[str] = []
    for fact in facts:
        question = _question(article, fact, names)
        if question and question not in made:
            made.append(question)
    return made


def _question(article: Article, fact: Fact, names: set[str]) -> str | None:
    if fact.kind == FactKind.PERSON and fact.subject and len(fact.subject) <= 14:
        return f"{fact.subject}是谁？"
    if fact.kind != FactKind.QUANTITY or not fact.unit:
        return None
    paragraph = article.paragraph(fact.paragraph)
    if paragraph is None:
        return None
    sentence = paragraph.sentences[fact.sentence - 1].text
    for clause in CLAUSE.finditer(sentence):
        if clause.start() <= fact.start < clause.end():
            text = clause.group(0).strip("“”‘’「」 ")
            if not MIN_CLAUSE <= len(text) <= MAX_CLAUSE or text.count(fact.text) != 1:
                return None
            asked = text.replace(fact.text, f"多少{fact.unit}")
            subject = asked[: asked.find("多少")]
            if len(subject) < MIN_SUBJECT or DIGIT.search(asked):
                return None  # 「多少年内完成…」 asks nothing; a second figure gives answers away
            if not any(name in text for name in names):
                return None
            return asked + "？"
    return None
