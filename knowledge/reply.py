"""Turn a chosen answer into what the bot says: short answer, context, quote, source."""

from __future__ import annotations

import re

from knowledge import texts
from knowledge.extract import Candidate
from knowledge.models import Answer, Article, Citation
from knowledge.question import Question, to_asker_script
from knowledge.retrieve import Hit

MAX_CONTEXT = 40


def citation(hit: Hit) -> Citation:
    return Citation(
        article_id=hit.article.id,
        title=hit.article.title,
        paragraph=hit.paragraph.number,
        quote=hit.sentence.text,
    )


def context_line(candidate: Candidate) -> str:
    """Name what the answer is about: the clause around it (「从开工到通车只用了18个月」),
    else the fact's subject."""
    sentence = candidate.hit.sentence.text
    at = sentence.find(candidate.answer.split("、")[0])
    clauses = list(re.finditer(r"[^，,。；;！？!?]+", sentence))
    around = next((m.group(0) for m in clauses if m.start() <= at < m.end()), "")
    around = around.strip("“”‘’「」 ")
    if 0 < len(around) <= MAX_CONTEXT and around != candidate.answer:
        return around
    return f"{candidate.subject}：{candidate.answer}" if candidate.subject else ""


def answered(question: Question, chosen: list[Candidate], confidence: float) -> Answer:
    """One answer, or the two or three best when several fit equally well."""
    lines: list[str] = []
    short = "、".join(dict.fromkeys(c.answer for c in chosen))
    lines.append(short)
    if len(chosen) == 1:
        context = context_line(chosen[0])
        if context and context != short:
            lines.append(context)
    else:
        lines.extend(f"· {context_line(c) or c.answer}" for c in chosen)
    citations = list(
        {
            (c.hit.article.id, c.hit.paragraph.number, c.hit.sentence.text): citation(c.hit)
            for c in chosen
        }.values()
    )
    for cited in citations:
        lines.append(f"「{cited.quote}」")
        lines.append(texts.SOURCE.format(title=cited.title, paragraph=cited.paragraph))
    return _in_script(
        question,
        Answer(
            question=question.raw,
            answered=True,
            answer=short,
            context=lines[1] if len(lines) > 1 and not lines[1].startswith("「") else "",
            reply="\n".join(lines),
            citations=citations,
            confidence=confidence,
        ),
    )


def authors(question: Question, article: Article, confidence: float) -> Answer:
    names = "、".join(article.authors)
    quote = " ".join(article.authors)
    first = article.paragraphs[0].sentences[0].text if article.paragraphs else ""
    cited = Citation(
        article_id=article.id, title=article.title, paragraph=1, quote=f"{quote} {first}".strip()
    )
    reply = "\n".join(
        [
            names,
            texts.AUTHORS_OF.format(title=article.title),
            texts.SOURCE.format(title=article.title, paragraph=1),
        ]
    )
    return _in_script(
        question,
        Answer(
            question=question.raw,
            answered=True,
            answer=names,
            context=texts.AUTHORS_OF.format(title=article.title),
            reply=reply,
            citations=[cited],
            confidence=confidence,
        ),
    )


def not_answered(question: Question, lead: str, suggestions: list[str]) -> Answer:
    lines = [lead]
    if suggestions:
        lines.append(texts.TRY_THESE)
        lines.extend(f"· {s}" for s in suggestions)
    return _in_script(
        question,
        Answer(
            question=question.raw,
            answered=False,
            reply="\n".join(lines),
            confidence=0.0,
            suggestions=suggestions,
        ),
    )


def _in_script(question: Question, answer: Answer) -> Answer:
    """Answer in the script the question was asked in; citations stay as printed."""
    if not question.traditional:
        return answer
    return answer.model_copy(
        update={
            "answer": to_asker_script(answer.answer, question),
            "context": to_asker_script(answer.context, question),
            "reply": to_asker_script(answer.reply, question),
            "suggestions": [to_asker_script(s, question) for s in answer.suggestions],
        }
    )
