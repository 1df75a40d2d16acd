"""The answer engine: one question in, one cited `Answer` out.

The question is understood (`question`), its sentences retrieved (`retrieve`), and the
reader picks the answer and estimates the chance that its evidence is right. Below an
even chance the bot refuses rather than guesses: the reply says the articles don't cover
it and suggests questions they do.
"""

from __future__ import annotations

import re
from functools import cache, cached_property
from pathlib import Path

from knowledge import reply, texts
from knowledge.articles import ArticleAsk, article_ask, lead, named_article, photo_credit
from knowledge.english import NameReader, is_english, to_chinese
from knowledge.models import Answer, Article, ArticleInfo, ChatContext, Citation, Fact
from knowledge.question import (
    Question,
    load_paraphrases,
    normalize_text,
    parse_question,
    question_word,
    to_asker_script,
)
from knowledge.reader import QuestionSignals, Reader, Reading
from knowledge.reader.model import ReaderModel
from knowledge.retrieve import Hit, Index, Query
from knowledge.script import encodable
from knowledge.store import Store, StoreNames, load_store
from knowledge.suggest import questions_from
from knowledge.typos import TypoFixer
from knowledge.words import add_names

THRESHOLD = 0.5  # the calibrated chance of right evidence above which answering beats refusing
MAX_QUESTIONS = 5  # questions answered from one message; more are a paste, not a conversation
# Five questions fit in far fewer characters; the rest of a longer message is not read, so
# that a pasted book costs no more than a question.
MAX_QUESTION_CHARS = 600
MAX_REPLY_CHARS = 4096  # Telegram's limit for one message
WARM_UP = "請問，二十三天是多少？"
NAME_WEIGHT = 2.0
METADATA_CONFIDENCE = 0.9  # metadata is as printed, but which article is meant is a guess
MAX_SUGGESTIONS = 3
EXAMPLE_ARTICLES = 20  # example questions come from the first articles, not the archive
FOLLOW_UP = re.compile(
    r"^(?:那么|那|还有|再问一下)(?P<subject>.{1,12}?)(?:呢|的呢|又如何|怎么样)?$"
    r"|^(?P<bare>.{1,12}?)(?:呢|的呢)$"
)
PART_BREAK = re.compile(r"(?<=[？?])")


class Engine:
    def __init__(self, store: Store, model: ReaderModel | None = None) -> None:
        """Opening costs milliseconds whatever the store's size: everything is read from
        the store when a question needs it."""
        self.store = store
        add_names(load_paraphrases())
        self.index = Index(store)
        self.names = StoreNames(store)
        self._questions: dict[tuple[str, int], list[str]] = {}
        self._checked: dict[str, bool] = {}
        self.typos = TypoFixer(store)
        self.reader = Reader(self.names, model)

    def warm_up(self) -> None:
        """Load what the first question would (OpenCC, cn2an, pinyin), for a long-running
        bot: not while the first person waits for an answer."""
        to_asker_script(WARM_UP, self.parse(WARM_UP))

    @cached_property
    def name_reader(self) -> NameReader:
        """The store's names by their pinyin, for English questions: read on the first."""
        return NameReader(self.store.names)

    @classmethod
    def load(cls, path: Path | None = None) -> Engine:
        return cls(load_store(path))

    def answer(self, question: str, context: ChatContext | None = None) -> Answer:
        result = self._answer(question[:MAX_QUESTION_CHARS], context)
        update: dict[str, str] = {"question": encodable(question)}
        if len(result.reply) > MAX_REPLY_CHARS:
            update["reply"] = result.reply[: MAX_REPLY_CHARS - 1] + "…"
        return result.model_copy(update=update)

    def _answer(self, question: str, context: ChatContext | None) -> Answer:
        parsed = self.parse(question)
        if not parsed.text.strip():
            return reply.not_answered(parsed, texts.EMPTY_QUESTION, self.example_questions())
        subject = _follow_up_subject(question) if context is not None else None
        if context is not None and subject:
            parsed = self._follow_up(subject, parsed, self.parse(context.question))
        if parsed.is_chitchat:
            return reply.not_answered(parsed, texts.OFF_TOPIC, self.example_questions())
        parts = list(dict.fromkeys(p.strip() for p in PART_BREAK.split(question) if _worded(p)))
        if len(parts) > 1:
            return self._several(parsed, parts)
        return self._single(parsed)

    def parse(self, question: str) -> Question:
        """An English question is read as the Chinese words the articles use. The store's
        names in the question are made jieba words first, so that they stay whole."""
        if not is_english(question):
            add_names(self.names.within(question))
            return parse_question(question, self.typos)
        chinese = to_chinese(question, self.name_reader)
        return parse_question(chinese, self.typos).model_copy(update={"raw": question})

    def retrieve(self, question: Question) -> list[Hit]:
        return self.index.search(query_for(question, self.names))

    def signals(self, question: Question) -> QuestionSignals:
        asked = [
            t for t in question.terms if len(t) >= 2 and t in (question.focus or question.text)
        ]
        known = self.index.known(asked)
        unknown = [t for t in asked if t not in known]
        return QuestionSignals(
            unknown_share=len(unknown) / len(asked) if asked else 0.0,
        )

    def read(self, question: Question) -> tuple[list[Hit], Reading | None]:
        hits = self.retrieve(question)
        return hits, self.reader.read(question, hits, self.facts_of, self.signals(question))

    def _single(self, question: Question) -> Answer:
        ask = article_ask(question)
        if ask is not None:
            return self._about_articles(question, ask)
        hits, reading = self.read(question)
        if reading is None or reading.evidence < THRESHOLD:
            return self._decline(question, hits)
        return reply.answered(question, reading)

    def _several(self, question: Question, parts: list[str]) -> Answer:
        """「开了几次会？发了多少份材料？」: answer each part, all or nothing; at most
        `MAX_QUESTIONS` of them."""
        answers = [self._single(p) for p in self._parts(parts[:MAX_QUESTIONS])]
        if not all(a.answered for a in answers):
            return answers[0] if not answers[0].answered else self._decline(question, [])
        citations = list({c.quote: c for a in answers for c in a.citations}.values())
        return answers[0].model_copy(
            update={
                "question": question.raw,
                "answer": "、".join(a.answer for a in answers),
                "reply": "\n\n".join(a.reply for a in answers),
                "citations": citations,
                "confidence": min(a.confidence for a in answers),
            }
        )

    def _about_articles(self, question: Question, ask: ArticleAsk) -> Answer:
        articles = self.store.infos()
        if ask is ArticleAsk.COUNT:
            return reply.article_list(question, articles, METADATA_CONFIDENCE)
        meant = named_article(question, articles) or self._meant_article(question, articles)
        article = self.store.article(meant.id) if meant is not None else None
        if article is None:
            return self._decline(question, [])
        found = _metadata_answer(ask, article, question)
        if found is None:
            return self._decline(question, [])
        answer, context, cited = found
        return reply.from_metadata(question, answer, context, cited, METADATA_CONFIDENCE)

    def _meant_article(self, question: Question, articles: list[ArticleInfo]) -> ArticleInfo | None:
        if len(articles) == 1:
            return articles[0]
        ranked = self.index.rank_articles(question.focus or question.text)
        return ranked[0] if ranked else None

    def _parts(self, parts: list[str]) -> list[Question]:
        """Each part of a message, parsed; 「学生票呢？」 after 「全票多少钱？」 asks the part
        before it again about the new subject."""
        parsed: list[Question] = []
        for part in parts:
            question = self.parse(part)
            subject = _follow_up_subject(part) if parsed else None
            if subject:
                question = self._follow_up(subject, question, parsed[-1])
            parsed.append(question)
        return parsed

    def _follow_up(self, subject: str, question: Question, previous: Question) -> Question:
        """「那北港码头呢？」 after a question about another wharf: ask that question again
        about the new subject."""
        new_subject = self.typos.fix(subject)
        replaced = _swap_subject(previous.text, new_subject, self.names.within(previous.text))
        return parse_question(replaced, self.typos).model_copy(
            update={"raw": question.raw, "traditional": question.traditional}
        )

    def _decline(self, question: Question, hits: list[Hit]) -> Answer:
        near = self._suggestions_near(hits) or self.example_questions()
        return reply.not_answered(question, texts.NOT_COVERED, near[:MAX_SUGGESTIONS])

    def facts_of(self, hit: Hit) -> list[Fact]:
        return [
            fact
            for fact in hit.article.facts
            if fact.paragraph == hit.paragraph.number and fact.sentence == hit.sentence.number
        ]

    def _suggestions_near(self, hits: list[Hit]) -> list[str]:
        suggestions: list[str] = []
        for hit in hits:
            for made in self._paragraph_questions(hit.article, hit.paragraph.number):
                if made not in suggestions and self._answers_itself(made):
                    suggestions.append(made)
                if len(suggestions) >= MAX_SUGGESTIONS:
                    return suggestions
        return suggestions

    def _paragraph_questions(self, article: Article, paragraph: int) -> list[str]:
        key = (article.id, paragraph)
        if key not in self._questions:
            facts = [f for f in article.facts if f.paragraph == paragraph]
            self._questions[key] = questions_from(article, facts)
        return self._questions[key]

    def _answers_itself(self, question: str) -> bool:
        """Whether a suggestion would be answered; checked once per suggestion, since
        refusals are frequent and checking means answering it."""
        if question not in self._checked:
            _, reading = self.read(self.parse(question))
            self._checked[question] = (
                reading is not None
                and min(reading.evidence, reading.confidence) >= THRESHOLD
                and reading.answer not in question
            )
        return self._checked[question]

    def example_questions(self, limit: int = MAX_SUGGESTIONS) -> list[str]:
        """Questions the articles answer, taken from different articles in turn."""
        return self._examples[:limit]

    @cached_property
    def _examples(self) -> list[str]:
        per_article = [
            self._article_examples(self.store.article_at(position))
            for position in self.store.positions()[:EXAMPLE_ARTICLES]
        ]
        examples: list[str] = []
        for round_ in range(MAX_SUGGESTIONS):
            examples.extend(made[round_] for made in per_article if len(made) > round_)
        return examples

    def _article_examples(self, article: Article) -> list[str]:
        found: list[str] = []
        for made in questions_from(article, article.facts):
            if self._answers_itself(made):
                found.append(made)
            if len(found) >= MAX_SUGGESTIONS:
                break
        return found


def _metadata_answer(
    ask: ArticleAsk, article: Article, question: Question
) -> tuple[str, str, Citation] | None:
    """(answer, context, citation) from an article's metadata, or None when it has none."""
    first = Citation(article_id=article.id, title=article.title, paragraph=1, quote=article.title)
    if ask is ArticleAsk.TITLE:
        return article.title, texts.TITLE_OF, first
    if ask is ArticleAsk.AUTHORS:
        if not article.authors:
            return None
        quote = article.byline or " ".join(article.authors)
        cited = first.model_copy(update={"quote": quote})
        return "、".join(article.authors), texts.AUTHORS_OF.format(title=article.title), cited
    if ask is ArticleAsk.PHOTOGRAPHER:
        credit, names = photo_credit(article, question)
        if credit is None:
            return None
        cited = first.model_copy(update={"paragraph": credit.number, "quote": credit.text})
        return "、".join(names), texts.PHOTOS_OF.format(title=article.title), cited
    opening = lead(article)
    paragraph = next((p.number for p in article.paragraphs if opening and opening in p.text), 1)
    cited = first.model_copy(update={"paragraph": paragraph, "quote": opening or article.title})
    return article.title, opening, cited


def query_for(question: Question, names: frozenset[str] = frozenset()) -> Query:
    """The question's own words, each with the paraphrases it may appear as; the store's
    names (people, places, organisations) weigh double: they say what it is about."""
    paraphrases = load_paraphrases()
    asked = question.focus or question.text
    own = [term for term in question.terms if term in asked] or question.terms
    groups = [[term, *sorted(paraphrases.get(term, frozenset()) - {term})] for term in own]
    weights = [NAME_WEIGHT if term in names else 1.0 for term in own]
    return Query(groups=groups, weights=weights, text=asked)


def _worded(part: str) -> bool:
    """A part of a message that could be a question: not a lone 🙏 or a second ？."""
    return any(char.isalnum() for char in part)


def _follow_up_subject(question: str) -> str | None:
    """The new subject of 「那X呢？」, 「X呢」, 「还有X」; None for a question of its own."""
    match = FOLLOW_UP.match(normalize_text(question))
    if not match:
        return None
    subject = (match.group("subject") or match.group("bare")).strip("，,")
    if question_word(subject) or subject.startswith(("个", "些", "种")):
        return None
    return subject


def _swap_subject(previous: str, subject: str, names: set[str]) -> str:
    """Put the new subject where the old one of the same kind stood: the name in the
    previous question that ends like it (水厂 for 水厂), else the words up to the same
    last characters (全票 for 学生票), else the previous question's start."""
    tail = subject[-2:]
    olds = [n for n in names if n in previous and n.endswith(tail) and n != subject]
    if olds:
        return previous.replace(max(olds, key=len), subject, 1)
    for ending in (tail, subject[-1]):
        at = previous.find(ending)
        if at >= 0:
            return subject + previous[at + len(ending) :]
    return subject + previous


@cache
def default_engine() -> Engine:
    """The engine on the project's default store, loaded once per process."""
    return Engine.load()
