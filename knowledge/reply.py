"""Turn a chosen answer into what the bot says: short answer, context, quote, source."""

from __future__ import annotations

import re

from knowledge import texts
from knowledge.models import Answer, ArticleInfo, Citation
from knowledge.question import Question, to_asker_script
from knowledge.reader import Reading
from knowledge.retrieve import Hit

MAX_CONTEXT = 40


def citation(hit: Hit) -> Citation:
    return Citation(
        article_id=hit.article.id,
        title=hit.article.title,
        paragraph=hit.paragraph.number,
        quote=hit.sentence.text,
    )


def context_line(reading: Reading) -> str:
    """Name what the answer is about: the clause around it (「从开工到通车只用了18个月」)."""
    sentence = reading.hit.sentence.text
    clauses = re.finditer(r"[^，,。；;！？!?]+", sentence)
    around = next((m.group(0) for m in clauses if m.start() <= reading.start < m.end()), "")
    around = around.strip("“”‘’「」 ")
    return around if 0 < len(around) <= MAX_CONTEXT and around != reading.answer else ""


def source_line(question: Question, cited: Citation) -> str:
    """「来源」 in the asker's script, the title as printed."""
    before, after = texts.SOURCE.format(title="\n", paragraph=cited.paragraph).split("\n")
    script = to_asker_script
    return f"{script(before, question)}{cited.title}{script(after, question)}"


def answered(question: Question, reading: Reading) -> Answer:
    """The short answer and its context in the asker's script; the quote as printed."""
    short = to_asker_script(reading.answer, question)
    context = to_asker_script(context_line(reading), question)
    cited = citation(reading.hit)
    lines = [short, *([context] if context and context != short else [])]
    lines.append(f"「{cited.quote}」")
    lines.append(source_line(question, cited))
    return Answer(
        question=question.raw,
        answered=True,
        answer=short,
        context=context,
        reply="\n".join(lines),
        citations=[cited],
        confidence=reading.confidence,
    )


def from_metadata(
    question: Question, answer: str, context: str, cited: Citation, confidence: float
) -> Answer:
    """An answer about an article as a whole: its authors, title, subject or photos."""
    lines = [to_asker_script(answer, question)]
    if context:
        lines.append(to_asker_script(context, question))
    if cited.quote and cited.quote != answer:
        lines.append(f"「{cited.quote}」")
    lines.append(source_line(question, cited))
    return Answer(
        question=question.raw,
        answered=True,
        answer=lines[0],
        context=to_asker_script(context, question),
        reply="\n".join(lines),
        citations=[cited],
        confidence=confidence,
    )


def article_list(question: Question, articles: list[ArticleInfo], confidence: float) -> Answer:
    """「一共有几篇文章」: the number, then every title."""
    count = texts.ARTICLE_COUNT.format(count=len(articles))
    lines = [to_asker_script(count, question)]
    lines += [texts.ARTICLE_ITEM.format(number=n, title=a.title) for n, a in enumerate(articles, 1)]
    citations = [
        Citation(article_id=a.id, title=a.title, paragraph=1, quote=a.title) for a in articles
    ]
    return Answer(
        question=question.raw,
        answered=True,
        answer=lines[0],
        reply="\n".join(lines),
        citations=citations,
        confidence=confidence,
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
