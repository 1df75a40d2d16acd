"""The data that crosses module boundaries: the fact store and the engine's answers.

The store is the single source of truth for the bot; every fact points back at the
sentence it was read from, so that every answer can be cited.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

FORMAT_VERSION = 6


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ParagraphKind(StrEnum):
    BODY = "body"
    HEADING = "heading"
    CAPTION = "caption"
    CREDIT = "credit"


class PagePartKind(StrEnum):
    """Parts of a page that belong to no article."""

    HEADER = "header"
    FOOTER = "footer"
    EDITORS_NOTE = "editors_note"
    CONTINUATION = "continuation"


class PagePart(Frozen):
    """A page-level part of a dump, kept so that nothing printed is lost."""

    kind: PagePartKind
    text: str
    source: str = Field(default="", description="the dump it was printed in")


class FactKind(StrEnum):
    QUANTITY = "quantity"
    DATE = "date"
    PERSON = "person"
    ORGANIZATION = "organization"
    PLACE = "place"
    PROJECT = "project"
    QUOTE = "quote"


class Fact(Frozen):
    """One typed piece of information, always traceable to its sentence."""

    kind: FactKind
    text: str = Field(description="the words as they stand in the sentence, e.g. 约7200度")
    value: str = Field(description="normalised value: 7200, 2022-05-17, 陈建国")
    unit: str | None = Field(default=None, description="万吨, 天, 兆瓦 ... for quantities")
    subject: str = Field(
        default="",
        description="what a quantity measures, a person's role, a quote's speaker",
    )
    paragraph: int = Field(ge=1)
    sentence: int = Field(ge=1)
    start: int = Field(ge=0, description="offset of `text` in the sentence")


class Sentence(Frozen):
    number: int = Field(ge=1, description="1-based within its paragraph")
    text: str
    folded: str = Field(
        default="",
        description="the text in Simplified, half-width form when that differs (same length)",
    )
    tokens: str = Field(
        default="", description="jieba words of the folded text, kept so that loading is fast"
    )

    @property
    def matched(self) -> str:
        """The form questions are matched against; offsets are those of `text`."""
        return self.folded or self.text


class Paragraph(Frozen):
    number: int = Field(ge=1, description="1-based within its article, as cited")
    kind: ParagraphKind
    text: str
    sentences: list[Sentence]


class ArticleInfo(Frozen):
    """What is known of an article apart from its text."""

    id: str
    title: str
    kicker: str = Field(default="", description="the line printed above the title (引题)")
    subtitle: str = ""
    byline: str = Field(default="", description="the byline as printed, roles and all")
    authors: list[str] = Field(default=[], description="person names only")
    source: str = ""
    date: str = ""
    url: str = ""


class Article(ArticleInfo):
    paragraphs: list[Paragraph]
    facts: list[Fact] = []

    def paragraph(self, number: int) -> Paragraph | None:
        if 1 <= number <= len(self.paragraphs):
            return self.paragraphs[number - 1]
        return None


class StoreContent(Frozen):
    """Everything a store holds, in memory: what a build makes and `show` prints. The
    store itself (knowledge.store) keeps it in SQLite and reads only what it needs."""

    source_digest: str = Field(description="sha256 of the sources, to tell a stale store")
    checksum: str = Field(description="sha256 of the articles, checked on load")
    names: list[str] = Field(default=[], description="proper names added to jieba's dictionary")
    articles: list[Article]
    page: list[PagePart] = Field(default=[], description="headers, footers, editor's notes")


class Citation(Frozen):
    article_id: str
    title: str
    paragraph: int = Field(ge=1)
    quote: str


class Answer(Frozen):
    """What the engine says to one question; `reply` is plain text, ready to send."""

    question: str
    answered: bool
    answer: str = ""
    context: str = Field(default="", description="one line naming what the answer is about")
    reply: str
    citations: list[Citation] = []
    confidence: float = Field(ge=0.0, le=1.0)
    suggestions: list[str] = Field(default=[], description="questions the articles do answer")


class ChatContext(Frozen):
    """The previous exchange in the same chat, so that follow-ups can be understood."""

    question: str
    answer: Answer | None = None
