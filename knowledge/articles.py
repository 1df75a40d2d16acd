"""Questions about the articles as a whole, answered from their metadata: who wrote one,
how many there are, what one is about, who took its photos, what it is called.

Which article is meant comes from an ordinal (「第二篇」), from the words the question
shares with the titles (「黄桃那篇」), or, with one article only, from that one.
"""

from __future__ import annotations

import re
from enum import StrEnum

from knowledge.layout.bylines import credit_names
from knowledge.models import Article, ArticleInfo, Paragraph, ParagraphKind
from knowledge.numerals import to_number
from knowledge.question import AnswerType, Question
from knowledge.script import fold

AUTHOR_WORDS = ("作者", "谁写", "写的", "撰稿", "署名", "记者是谁", "哪位记者", "哪些记者")
ARTICLE_WORDS = "(?:文章|报道|稿子|新闻|篇)"
ORDINAL = re.compile(r"第\s*([一二三四五六七八九十\d]+)\s*篇")
LAST = re.compile(r"最后一篇")
COUNT = re.compile(
    rf"(?:几|多少)篇{ARTICLE_WORDS}?|{ARTICLE_WORDS}(?:有|一共有|共有|总共有)(?:几|多少)"
)
SUMMARY = re.compile(
    rf"(?:这|那|该|第.{{1,3}})?篇{ARTICLE_WORDS}?(?:主要)?(?:讲|说|写|报道|介绍)(?:了|的是)?(?:什么|啥|哪些)"
    r"|主要内容|讲的是什么|讲了什么|说了什么|写了什么"
)
PHOTO = re.compile(r"(?:照片|图片|图|相片|摄影).{0,4}(?:谁拍|谁摄|拍摄者|摄影师|谁照)|谁拍的")
TITLE = re.compile(r"(?:标题|题目|题名)(?:是什么|叫什么|是啥)|叫什么(?:题目|标题)")


class ArticleAsk(StrEnum):
    AUTHORS = "authors"
    COUNT = "count"
    SUMMARY = "summary"
    PHOTOGRAPHER = "photographer"
    TITLE = "title"


def article_ask(question: Question) -> ArticleAsk | None:
    text = question.text
    if COUNT.search(text):
        return ArticleAsk.COUNT
    if PHOTO.search(text):
        return ArticleAsk.PHOTOGRAPHER
    if TITLE.search(text):
        return ArticleAsk.TITLE
    if SUMMARY.search(text):
        return ArticleAsk.SUMMARY
    who = question.expected in (AnswerType.PERSON, AnswerType.LIST)
    if who and any(word in text for word in AUTHOR_WORDS):
        return ArticleAsk.AUTHORS
    return None


def named_article(question: Question, articles: list[ArticleInfo]) -> ArticleInfo | None:
    """The article an ordinal names (「第二篇」, 「最后一篇」), or None."""
    if LAST.search(question.text) and articles:
        return articles[-1]
    match = ORDINAL.search(question.text)
    if not match:
        return None
    numeral = match.group(1)
    number = int(numeral) if numeral.isdigit() else int(to_number(numeral))
    return articles[number - 1] if 1 <= number <= len(articles) else None


def photographers(article: Article) -> list[str]:
    """The names in an article's photo credits, in order."""
    names = [
        name
        for paragraph in article.paragraphs
        if paragraph.kind in (ParagraphKind.CREDIT, ParagraphKind.CAPTION)
        for name in credit_names(paragraph.text)
    ]
    return list(dict.fromkeys(names))


def photo_credit(article: Article, question: Question) -> tuple[Paragraph | None, list[str]]:
    """The caption that tells who took the photo asked about, with its names: the caption
    (with the credit printed under it) sharing most of the question's words beyond the
    title's (「操控岸桥的那张照片」), else the article's first credit with every
    photographer."""
    photos = [
        _with_credit(paragraph, following)
        for paragraph, following in zip(
            article.paragraphs, [*article.paragraphs[1:], None], strict=True
        )
        if paragraph.kind == ParagraphKind.CAPTION
        or (paragraph.kind == ParagraphKind.CREDIT and credit_names(paragraph.text))
    ]
    photos = [photo for photo in photos if credit_names(photo.text)]
    if not photos:
        return None, []
    title = fold(article.title)
    words = [term for term in question.terms if len(term) >= 2 and term not in title]
    shared = [sum(word in fold(photo.text) for word in words) for photo in photos]
    best = max(range(len(photos)), key=shared.__getitem__)
    if shared[best]:
        return photos[best], credit_names(photos[best].text)
    return photos[0], photographers(article)


def _with_credit(caption: Paragraph, following: Paragraph | None) -> Paragraph:
    """A caption and the credit printed under it, which the layout keeps apart, as one."""
    if following is None or following.kind != ParagraphKind.CREDIT:
        return caption
    if caption.kind != ParagraphKind.CAPTION:
        return caption
    return caption.model_copy(update={"text": caption.text + following.text})


def lead(article: Article) -> str:
    """The first sentence of the article's first body paragraph."""
    for paragraph in article.paragraphs:
        if paragraph.kind == ParagraphKind.BODY and paragraph.sentences:
            return paragraph.sentences[0].text
    return ""
