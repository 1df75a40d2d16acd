"""Read the layout of a newspaper page dump: its articles (kicker, title, subtitle, byline,
headings, body, captions, credits) and the parts that belong to the page itself (running
head and foot, editor's note, continuation notes).

`lines` classifies each line from general signals, `titles` finds the title groups,
`bylines` reads names, `articles` puts the page together.
"""

from knowledge.layout.articles import ArticleLayout, Block, PageLayout, read_layout, read_page
from knowledge.layout.bylines import is_credit, parse_byline, split_credit

__all__ = [
    "ArticleLayout",
    "Block",
    "PageLayout",
    "is_credit",
    "parse_byline",
    "read_layout",
    "read_page",
    "split_credit",
]
