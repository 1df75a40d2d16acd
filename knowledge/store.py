"""The fact store: one SQLite file that opens in milliseconds, whatever the archive's size.

Articles, paragraphs, sentences, facts and names are tables. Two FTS5 indexes, over the
paragraphs' folded, segmented words and character pairs and over the titles, are what
retrieval searches, so that a question reads only the rows it touches; the typo
vocabulary and its pinyin readings are tables too, built when an article comes in, not
at every start.

Writing a whole store is atomic: it is built into a temporary file beside the target,
read back and renamed into place. Adding or removing articles is one short transaction
on the open store, so that readers keep answering meanwhile. (A rollback journal, not
WAL: a whole store renamed over one in use must not meet the old one's WAL file.)
Opening checks the format
version and the store's checksum (of every article's digest, in order); an article's own
digest is checked when it is read.

The default store is derived data: it is rebuilt from `seeds/` whenever it is missing,
was written by another format version, or its sources changed, so nobody has to
remember a build step. A store named explicitly is never rebuilt behind the user's back:
problems with it are one clear line naming the file and the fix.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from knowledge.models import (
    FORMAT_VERSION,
    Article,
    ArticleInfo,
    Fact,
    PagePart,
    Paragraph,
    ParagraphKind,
    Sentence,
    StoreContent,
)
from knowledge.script import encodable, fold
from knowledge.sources import expand
from knowledge.words import bigrams, index_terms

ENGINE = Path(__file__).resolve().parent
PROJECT_ROOT = ENGINE.parent
SEEDS = PROJECT_ROOT / "seeds"
DEFAULT_STORE = PROJECT_ROOT / "var" / "store.db"
DEFAULT_ARTICLES = PROJECT_ROOT / "var" / "articles"
BUILD_HINT = "python -m knowledge build"
ARTICLES_CACHED = 512  # whole articles kept decoded; a question touches about six
SQLITE_MAGIC = b"SQLite format 3\x00"

# Tokens keep the characters jieba keeps inside words (2.4km, 1-2, 5%), so that the index
# sees the store's words as the reader does.
TOKENIZER = "unicode61 remove_diacritics 0 tokenchars '+#&._%-'"
SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    info TEXT NOT NULL,
    title_pairs INTEGER NOT NULL,
    digest TEXT NOT NULL
);
CREATE TABLE paragraphs (
    id INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(position) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    words INTEGER NOT NULL,
    pairs INTEGER NOT NULL,
    UNIQUE (article, number)
);
CREATE TABLE sentences (
    paragraph INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    folded TEXT NOT NULL,
    tokens TEXT NOT NULL,
    PRIMARY KEY (paragraph, number)
) WITHOUT ROWID;
CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(position) ON DELETE CASCADE,
    paragraph INTEGER NOT NULL,
    sentence INTEGER NOT NULL,
    fact TEXT NOT NULL
);
CREATE INDEX facts_by_sentence ON facts (article, paragraph, sentence);
CREATE TABLE names (
    name TEXT NOT NULL,
    article INTEGER NOT NULL REFERENCES articles(position) ON DELETE CASCADE,
    PRIMARY KEY (name, article)
) WITHOUT ROWID;
CREATE INDEX names_by_article ON names (article);
CREATE TABLE page_parts (position INTEGER PRIMARY KEY, part TEXT NOT NULL);
CREATE TABLE vocabulary (
    word TEXT NOT NULL,
    article INTEGER NOT NULL,
    PRIMARY KEY (word, article)
) WITHOUT ROWID;
CREATE INDEX vocabulary_by_article ON vocabulary (article);
CREATE TABLE readings (
    key TEXT NOT NULL,
    near INTEGER NOT NULL,
    word TEXT NOT NULL,
    PRIMARY KEY (near, key, word)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE passage_index USING fts5(words, pairs, content='', tokenize="{TOKENIZER}");
CREATE VIRTUAL TABLE title_index USING fts5(pairs, content='', tokenize="{TOKENIZER}");
CREATE VIRTUAL TABLE passage_terms USING fts5vocab(passage_index, 'col');
CREATE VIRTUAL TABLE title_terms USING fts5vocab(title_index, 'row');
"""
LEXICON = 0
"""The `vocabulary.article` of words every store knows (the paraphrase lexicon)."""


class StoreError(Exception):
    """A store that cannot be used; str() is one line naming the file and the fix."""


def source_digest(sources: list[Path]) -> str:
    """Of the sources and of the code and word lists that turn them into a store, so
    that the default store follows both an edited article and an updated engine."""
    digest = hashlib.sha256()
    for path in sorted(ENGINE.glob("*.py")) + sorted((ENGINE / "data").glob("*.*")):
        digest.update(path.read_bytes())
    for path in expand(sources):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def article_digest(article: Article) -> str:
    return hashlib.sha256(article.model_dump_json().encode()).hexdigest()


def articles_checksum(digests: Iterable[tuple[str, str]]) -> str:
    """Of the (id, digest) of every article, in order."""
    checksum = hashlib.sha256()
    for article_id, digest in digests:
        checksum.update(f"{article_id}\n{digest}\n".encode())
    return checksum.hexdigest()


def content_checksum(articles: Iterable[Article]) -> str:
    return articles_checksum((article.id, article_digest(article)) for article in articles)


class Store:
    """An open store. Reads go through one connection per thread; writes are
    transactions. Everything decoded is cached until the store changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self.generation = 0
        """Bumped by every change made through this object, so that caches can tell."""
        self._article = lru_cache(maxsize=ARTICLES_CACHED)(self._read_article)
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._memos: dict[str, dict] = {}
        self._memo_generation = self.generation

    # --- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        fix = f"`{_build_command(path)}`"
        try:
            with path.open("rb") as file:
                head = file.read(len(SQLITE_MAGIC))
        except FileNotFoundError:
            raise StoreError(f"{path}: no store there; build it with {fix}") from None
        except OSError as error:
            raise StoreError(f"{path}: cannot read the store ({error.strerror})") from None
        if head.lstrip().startswith(b"{"):
            raise StoreError(f"{path}: a JSON store of an older version; rebuild it with {fix}")
        if head != SQLITE_MAGIC:
            raise StoreError(f"{path}: the store is damaged; rebuild it with {fix}")
        store = cls(path)
        try:
            store._check(fix)
        except sqlite3.DatabaseError:
            store.close()
            raise StoreError(f"{path}: the store is damaged; rebuild it with {fix}") from None
        except StoreError:
            store.close()
            raise
        return store

    @classmethod
    def temporary(cls, content: StoreContent) -> Store:
        """A store written to a private temporary folder, gone when the process ends: for
        tests and for trying out a build."""
        folder = tempfile.TemporaryDirectory(prefix="store-")
        path = Path(folder.name) / "store.db"
        save_store(content, path)
        store = cls.open(path)
        store._folder = folder  # kept alive as long as the store is
        return store

    def _check(self, fix: str) -> None:
        version = self.meta("format_version")
        if version != str(FORMAT_VERSION):
            raise StoreError(
                f"{self.path}: store format {version} is stale (this version reads "
                f"{FORMAT_VERSION}); rebuild it with {fix}"
            )
        rows = self._rows("SELECT id, digest FROM articles ORDER BY position")
        if articles_checksum(rows) != self.meta("checksum"):
            raise StoreError(
                f"{self.path}: the store does not match its checksum; rebuild it with {fix}"
            )

    @property
    def connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA busy_timeout = 5000")
            self._local.connection = connection
        return connection

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    # --- reading -----------------------------------------------------------------------

    def _rows(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple]:
        return self.connection.execute(sql, parameters).fetchall()

    def meta(self, key: str) -> str:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else ""

    @property
    def source_digest(self) -> str:
        return self.meta("source_digest")

    @property
    def checksum(self) -> str:
        return self.meta("checksum")

    def article_count(self) -> int:
        return self._rows("SELECT count(*) FROM articles")[0][0]

    def infos(self) -> list[ArticleInfo]:
        """Every article's metadata, in order: what listing them needs, without text."""
        rows = self._rows("SELECT info FROM articles ORDER BY position")
        return [ArticleInfo.model_validate_json(info) for (info,) in rows]

    def positions(self) -> list[int]:
        return [
            position
            for (position,) in self._rows("SELECT position FROM articles ORDER BY position")
        ]

    @property
    def articles(self) -> list[Article]:
        """Every article, whole: for showing and checking a store, not for answering."""
        return [self.article_at(position) for position in self.positions()]

    def article(self, article_id: str) -> Article | None:
        rows = self._rows("SELECT position FROM articles WHERE id = ?", (article_id,))
        return self.article_at(rows[0][0]) if rows else None

    def article_at(self, position: int) -> Article:
        return self._article(position, self.generation)

    def _read_article(self, position: int, generation: int) -> Article:
        del generation  # part of the cache key only
        (article_id, info, digest), *_ = self._rows(
            "SELECT id, info, digest FROM articles WHERE position = ?", (position,)
        )
        sentences: dict[int, list[Sentence]] = {}
        for paragraph, number, text, folded, tokens in self._rows(
            "SELECT s.paragraph, s.number, s.text, s.folded, s.tokens FROM sentences s "
            "JOIN paragraphs p ON p.id = s.paragraph WHERE p.article = ? ORDER BY s.paragraph, s.number",
            (position,),
        ):
            sentences.setdefault(paragraph, []).append(
                Sentence(number=number, text=text, folded=folded, tokens=tokens)
            )
        paragraphs = [
            Paragraph(
                number=number, kind=ParagraphKind(kind), text=text, sentences=sentences.get(row, [])
            )
            for row, number, kind, text in self._rows(
                "SELECT id, number, kind, text FROM paragraphs WHERE article = ? ORDER BY number",
                (position,),
            )
        ]
        facts = [
            Fact.model_validate_json(fact)
            for (fact,) in self._rows(
                "SELECT fact FROM facts WHERE article = ? ORDER BY id", (position,)
            )
        ]
        article = Article(**json.loads(info), paragraphs=paragraphs, facts=facts)
        if article_digest(article) != digest:
            raise StoreError(
                f"{self.path}: article {article_id!r} does not match its digest; "
                f"rebuild it with `{_build_command(self.path)}`"
            )
        return article

    @property
    def page(self) -> list[PagePart]:
        rows = self._rows("SELECT part FROM page_parts ORDER BY position")
        return [PagePart.model_validate_json(part) for (part,) in rows]

    @property
    def names(self) -> list[str]:
        return [name for (name,) in self._rows("SELECT DISTINCT name FROM names ORDER BY name")]

    def known_names(self, candidates: Iterable[str]) -> set[str]:
        """Which of `candidates` are names of the store."""
        sql = "SELECT DISTINCT name FROM names WHERE name IN ({})"
        return {name for (name,) in self._rows_in(sql, candidates)}

    def known_words(self, candidates: Iterable[str]) -> set[str]:
        """Which of `candidates` are in the typo vocabulary."""
        sql = "SELECT DISTINCT word FROM vocabulary WHERE word IN ({})"
        return {word for (word,) in self._rows_in(sql, candidates)}

    def words_read_as(self, keys: Iterable[str], *, near: bool) -> dict[str, list[str]]:
        """Vocabulary words by their (space-joined, toneless) readings."""
        sql = "SELECT key, word FROM readings WHERE near = ? AND key IN ({}) ORDER BY key, word"
        found: dict[str, list[str]] = {}
        for key, word in self._rows_in(sql, keys, int(near)):
            found.setdefault(key, []).append(word)
        return found

    def _rows_in(self, sql: str, values: Iterable[object], *leading: object) -> list[tuple]:
        """`sql` with its `IN ({})` filled by the distinct values, a chunk at a time: one
        statement takes only so many parameters."""
        unique = list(dict.fromkeys(values))
        rows: list[tuple] = []
        for start in range(0, len(unique), SQL_VARIABLES):
            chunk = unique[start : start + SQL_VARIABLES]
            rows.extend(self._rows(sql.format(",".join("?" * len(chunk))), (*leading, *chunk)))
        return rows

    # --- retrieval ---------------------------------------------------------------------

    def passage_sizes(self) -> tuple[int, float, float]:
        """Indexed paragraphs, and their average number of words and of character pairs."""
        sizes = self._memo("sizes")
        if "passages" not in sizes:
            count, words, pairs = self._rows(
                "SELECT count(*), avg(words), avg(pairs) FROM paragraphs WHERE kind != ?",
                (ParagraphKind.CREDIT.value,),
            )[0]
            sizes["passages"] = count, words or 1.0, pairs or 1.0
        return sizes["passages"]

    def title_sizes(self) -> tuple[int, float]:
        """Articles, and the average number of character pairs of their titles."""
        sizes = self._memo("sizes")
        if "titles" not in sizes:
            count, average = self._rows("SELECT count(*), avg(title_pairs) FROM articles")[0]
            sizes["titles"] = count, average or 1.0
        return sizes["titles"]

    def passage_frequencies(
        self, words: set[str], pairs: set[str]
    ) -> tuple[dict[str, int], dict[str, int]]:
        """How many indexed paragraphs hold each word and each pair."""
        return self._frequencies("words", words), self._frequencies("pairs", pairs)

    def title_frequencies(self, pairs: set[str]) -> dict[str, int]:
        return self._frequencies("titles", pairs)

    def _frequencies(self, field: str, terms: set[str]) -> dict[str, int]:
        """Kept once read: the same words and pairs come up question after question."""
        known: dict[str, int] = self._memo(field)
        missing = sorted(terms - known.keys())
        found = dict(self._rows_in(FREQUENCY_QUERIES[field], missing))
        known.update({term: found.get(term, 0) for term in missing})
        if len(known) > FREQUENCIES_CACHED:
            known.clear()
            return self._frequencies(field, terms)
        return {term: known[term] for term in terms}

    def passages_matching(self, words: set[str], pairs: set[str], limit: int) -> list[int]:
        """The paragraphs the full-text index ranks best for any of the words or pairs."""
        expression = _match_expression({"words": words, "pairs": pairs})
        if not expression:
            return []
        rows = self._rows(
            "SELECT rowid FROM passage_index WHERE passage_index MATCH ? ORDER BY rank LIMIT ?",
            (expression, limit),
        )
        return [row for (row,) in rows]

    def passage_texts(self, rows: list[int]) -> list[PassageText]:
        """The words and the folded text of indexed paragraphs."""
        marks = ",".join("?" * len(rows))
        texts: dict[int, list[tuple[str, str]]] = {}
        for paragraph, tokens, matched in self._rows(
            "SELECT paragraph, tokens, CASE WHEN folded != '' THEN folded ELSE text END "
            f"FROM sentences WHERE paragraph IN ({marks}) ORDER BY paragraph, number",
            rows,
        ):
            texts.setdefault(paragraph, []).append((tokens, matched))
        places = {
            row: (article, pairs)
            for row, article, pairs in self._rows(
                f"SELECT id, article, pairs FROM paragraphs WHERE id IN ({marks})", rows
            )
        }
        return [
            PassageText(
                row=row,
                article=places[row][0],
                pair_count=places[row][1],
                tokens=" ".join(tokens for tokens, _ in texts.get(row, [])),
                matched="".join(matched for _, matched in texts.get(row, [])),
            )
            for row in rows
        ]

    def titles_matching(self, pairs: set[str], limit: int) -> dict[int, str]:
        """Article positions whose title the index ranks best for the pairs, with the
        title and subtitle in folded form."""
        expression = _match_expression({"pairs": pairs})
        if not expression:
            return {}
        positions = [
            position
            for (position,) in self._rows(
                "SELECT rowid FROM title_index WHERE title_index MATCH ? ORDER BY rank LIMIT ?",
                (expression, limit),
            )
        ]
        return self.titles_of(set(positions))

    def titles_of(self, positions: set[int]) -> dict[int, str]:
        """Title and subtitle, folded, of the articles at the positions; kept once read."""
        known: dict[int, str] = self._memo("titles")
        missing = sorted(positions - known.keys())
        if len(known) + len(missing) > TITLES_CACHED:
            known.clear()
        rows = self._rows_in("SELECT position, info FROM articles WHERE position IN ({})", missing)
        known.update(
            (position, _title_text(ArticleInfo.model_validate_json(info)))
            for position, info in rows
        )
        return {position: known[position] for position in positions if position in known}

    def _memo(self, kind: str) -> dict:
        """A cache of what was read of one kind, emptied whenever the store changes."""
        if self._memo_generation != self.generation:
            self._memos.clear()
            self._memo_generation = self.generation
        return self._memos.setdefault(kind, {})

    def place(self, row: int) -> tuple[Article, Paragraph, Paragraph | None]:
        """A paragraph's article, the paragraph, and the indexed paragraph before it."""
        position, number = self._rows(
            "SELECT article, number FROM paragraphs WHERE id = ?", (row,)
        )[0]
        article = self.article_at(position)
        paragraph = article.paragraphs[number - 1]
        before = [p for p in article.paragraphs[: number - 1] if p.kind != ParagraphKind.CREDIT]
        return article, paragraph, before[-1] if before else None

    def article_of(self, row: int) -> int:
        return self._rows("SELECT article FROM paragraphs WHERE id = ?", (row,))[0][0]

    def info_at(self, position: int) -> ArticleInfo:
        (info,) = self._rows("SELECT info FROM articles WHERE position = ?", (position,))[0]
        return ArticleInfo.model_validate_json(info)

    def ids(self) -> list[str]:
        return [
            article_id for (article_id,) in self._rows("SELECT id FROM articles ORDER BY position")
        ]

    def counts(self) -> tuple[int, int, int]:
        """Articles, paragraphs and facts."""
        return tuple(  # type: ignore[return-value]
            self._rows(f"SELECT count(*) FROM {table}")[0][0]
            for table in ("articles", "paragraphs", "facts")
        )

    def verify(self) -> None:
        """Read every article and check its digest: a whole check, for a reload."""
        for position in self.positions():
            self._read_article(position, -1)

    def content(self) -> StoreContent:
        """Everything the store holds, in memory: for `show` and for tests."""
        return StoreContent(
            source_digest=self.source_digest,
            checksum=self.checksum,
            names=self.names,
            articles=self.articles,
            page=self.page,
        )

    # --- writing -----------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock:
            connection = self.connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            self.generation += 1

    def change(
        self,
        *,
        add: Sequence[Article] = (),
        remove: Iterable[str] = (),
        source_digest: str | None = None,
        check: bool = True,
    ) -> None:
        """Remove articles by id and add others (an id present already is replaced), as
        one transaction. With `check`,
        every added article is read back before the change commits."""
        with self._transaction() as connection:
            deleted = [_delete_article(connection, i) for i in [*remove, *(a.id for a in add)]]
            if any(deleted):
                _prune_readings(connection)
            next_position = connection.execute(
                "SELECT coalesce(max(position), 0) + 1 FROM articles"
            ).fetchone()[0]
            for offset, article in enumerate(add):
                _insert_article(connection, next_position + offset, article)
            _write_meta(connection, source_digest)
            if check:
                for offset, article in enumerate(add):
                    if self._read_article(next_position + offset, -1) != article:
                        raise StoreError(f"{self.path}: article {article.id!r} does not read back")


SQL_VARIABLES = 500  # well under SQLite's limit on the parameters of one statement
FREQUENCIES_CACHED = 200_000  # terms a field keeps counted, some MB
TITLES_CACHED = 100_000  # folded titles kept, some MB
FREQUENCY_QUERIES = {
    "words": "SELECT term, doc FROM passage_terms WHERE col = 'words' AND term IN ({})",
    "pairs": "SELECT term, doc FROM passage_terms WHERE col = 'pairs' AND term IN ({})",
    "titles": "SELECT term, doc FROM title_terms WHERE term IN ({})",
}
NAME_LENGTHS = range(2, 21)  # the names the store keeps: jieba takes words of 2 to 20


NAMES_REMEMBERED = 200_000
"""Strings StoreNames remembers the answer for, name or not (some MB). The reader asks
about the same spans of the same paragraphs question after question."""


class StoreNames:
    """The store's proper names, looked up rather than loaded: an archive has many. What
    was looked up is remembered until the store changes."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._is_name: dict[str, bool] = {}
        self._generation = store.generation

    def known(self, candidates: Iterable[str]) -> set[str]:
        """Which of the candidates are names."""
        asked = set(candidates)
        if self._generation != self._store.generation or (
            len(self._is_name) + len(asked) > NAMES_REMEMBERED
        ):
            self._is_name.clear()
            self._generation = self._store.generation
        unseen = asked.difference(self._is_name)
        if unseen:
            found = self._store.known_names(
                c for c in unseen if len(c) in NAME_LENGTHS and encodable(c) == c
            )
            self._is_name.update((c, c in found) for c in unseen)
        return {c for c in asked if self._is_name[c]}

    def within(self, text: str) -> set[str]:
        """The names a text holds."""
        return self.known(
            text[start : start + length]
            for start in range(len(text))
            for length in NAME_LENGTHS
            if start + length <= len(text)
        )

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self.known([name]))

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.names)


class PassageText(NamedTuple):
    """An indexed paragraph as retrieval ranks it: its words, its folded text and how
    many character pairs that holds."""

    row: int
    article: int
    tokens: str
    matched: str
    pair_count: int


def _match_expression(columns: dict[str, set[str]]) -> str:
    """An FTS5 query for any of the terms, each quoted so that none reads as syntax."""
    parts = [
        f"{column} : ({' OR '.join(chr(34) + term + chr(34) for term in sorted(terms))})"
        for column, terms in columns.items()
        if terms
    ]
    return " OR ".join(parts)


def _build_command(path: Path) -> str:
    return BUILD_HINT if path == DEFAULT_STORE else f"{BUILD_HINT} --out {path}"


def _delete_article(connection: sqlite3.Connection, article_id: str) -> bool:
    row = connection.execute(
        "SELECT position, info FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    if row is None:
        return False
    position, info = row
    for paragraph, words, pairs in _index_rows(connection, position):
        connection.execute(
            "INSERT INTO passage_index (passage_index, rowid, words, pairs) VALUES ('delete', ?, ?, ?)",
            (paragraph, words, pairs),
        )
    connection.execute(
        "INSERT INTO title_index (title_index, rowid, pairs) VALUES ('delete', ?, ?)",
        (position, _title_pairs(ArticleInfo.model_validate_json(info))),
    )
    connection.execute("DELETE FROM vocabulary WHERE article = ?", (position,))
    connection.execute(
        "DELETE FROM sentences WHERE paragraph IN (SELECT id FROM paragraphs WHERE article = ?)",
        (position,),
    )
    for table in ("facts", "names", "paragraphs"):
        connection.execute(f"DELETE FROM {table} WHERE article = ?", (position,))
    connection.execute("DELETE FROM articles WHERE position = ?", (position,))
    return True


def _index_rows(connection: sqlite3.Connection, position: int) -> list[tuple[int, str, str]]:
    """What was indexed for each paragraph of an article: a contentless index deletes a
    row only when given the same text again."""
    rows: dict[int, list[Sentence]] = {}
    for paragraph, number, text, folded, tokens in connection.execute(
        "SELECT s.paragraph, s.number, s.text, s.folded, s.tokens FROM sentences s "
        "JOIN paragraphs p ON p.id = s.paragraph WHERE p.article = ? AND p.kind != ?",
        (position, ParagraphKind.CREDIT.value),
    ):
        rows.setdefault(paragraph, []).append(
            Sentence(number=number, text=text, folded=folded, tokens=tokens)
        )
    return [(paragraph, *_passage_terms(sentences)) for paragraph, sentences in rows.items()]


def _passage_terms(sentences: Sequence[Sentence]) -> tuple[str, str]:
    words = " ".join(index_terms(" ".join(s.tokens for s in sentences)))
    pairs = " ".join(bigrams("".join(s.matched for s in sentences)))
    return words, pairs


def _title_text(info: ArticleInfo) -> str:
    return fold(info.title + info.subtitle)


def _title_pairs(info: ArticleInfo) -> str:
    return " ".join(bigrams(_title_text(info)))


def _insert_article(connection: sqlite3.Connection, position: int, article: Article) -> None:
    info = ArticleInfo(**article.model_dump(include=set(ArticleInfo.model_fields)))
    title_pairs = _title_pairs(info)
    connection.execute(
        "INSERT INTO articles (position, id, title, info, title_pairs, digest) VALUES (?, ?, ?, ?, ?, ?)",
        (
            position,
            article.id,
            article.title,
            info.model_dump_json(),
            len(title_pairs.split()),
            article_digest(article),
        ),
    )
    connection.execute(
        "INSERT INTO title_index (rowid, pairs) VALUES (?, ?)", (position, title_pairs)
    )
    for paragraph in article.paragraphs:
        words, pairs = _passage_terms(paragraph.sentences)
        indexed = paragraph.kind != ParagraphKind.CREDIT
        row = connection.execute(
            "INSERT INTO paragraphs (article, number, kind, text, words, pairs) VALUES (?, ?, ?, ?, ?, ?)",
            (
                position,
                paragraph.number,
                paragraph.kind.value,
                paragraph.text,
                len(words.split()) if indexed else 0,
                len(pairs.split()) if indexed else 0,
            ),
        ).lastrowid
        connection.executemany(
            "INSERT INTO sentences (paragraph, number, text, folded, tokens) VALUES (?, ?, ?, ?, ?)",
            [(row, s.number, s.text, s.folded, s.tokens) for s in paragraph.sentences],
        )
        if indexed:
            connection.execute(
                "INSERT INTO passage_index (rowid, words, pairs) VALUES (?, ?, ?)",
                (row, words, pairs),
            )
    connection.executemany(
        "INSERT INTO facts (article, paragraph, sentence, fact) VALUES (?, ?, ?, ?)",
        [(position, f.paragraph, f.sentence, f.model_dump_json()) for f in article.facts],
    )
    names = _article_names(article)
    connection.executemany(
        "INSERT OR IGNORE INTO names (name, article) VALUES (?, ?)",
        [(name, position) for name in names],
    )
    _insert_vocabulary(connection, position, [*names, *_new_words(article)])


def _new_words(article: Article) -> list[str]:
    """Article words jieba's general dictionary does not know: the article's own terms."""
    from knowledge.words import is_dictionary_word

    return [
        token
        for paragraph in article.paragraphs
        for sentence in paragraph.sentences
        for token in sentence.tokens.split()
        if len(token) >= 2 and not is_dictionary_word(token)
    ]


def _insert_vocabulary(connection: sqlite3.Connection, article: int, words: Iterable[str]) -> None:
    """The words a typo may stand for, under each of their readings."""
    # Imported here: pinyin tables are for writing and for questions with typos.
    from knowledge.typos import readings

    fresh = [w for w in dict.fromkeys(words) if readings(w)]
    connection.executemany(
        "INSERT OR IGNORE INTO vocabulary (word, article) VALUES (?, ?)",
        [(w, article) for w in fresh],
    )
    connection.executemany(
        "INSERT OR IGNORE INTO readings (key, near, word) VALUES (?, ?, ?)",
        [(r.key, int(r.near), w) for w in fresh for r in readings(w)],
    )


def _prune_readings(connection: sqlite3.Connection) -> None:
    connection.execute("DELETE FROM readings WHERE word NOT IN (SELECT word FROM vocabulary)")


def _write_meta(connection: sqlite3.Connection, source_digest: str | None) -> None:
    rows = connection.execute("SELECT id, digest FROM articles ORDER BY position").fetchall()
    values = {"format_version": str(FORMAT_VERSION), "checksum": articles_checksum(rows)}
    if source_digest is not None:
        values["source_digest"] = source_digest
    connection.executemany(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", list(values.items())
    )


def save_store(content: StoreContent, path: Path) -> None:
    """Write to a temporary file beside the target, read it back, then rename: readers
    never see half a store, and a store that fails its checks is never put in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        _write_new(content, temporary)
        Store.open(temporary).close()
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a store is for every reader
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}-journal").unlink(missing_ok=True)


def _write_new(content: StoreContent, path: Path) -> None:
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.executescript(SCHEMA)
        connection.execute("BEGIN")
        from knowledge.question import load_paraphrases

        _insert_vocabulary(connection, LEXICON, load_paraphrases())
        for position, article in enumerate(content.articles, start=1):
            _insert_article(connection, position, article)
        connection.executemany(
            "INSERT INTO page_parts (position, part) VALUES (?, ?)",
            [(n, part.model_dump_json()) for n, part in enumerate(content.page, start=1)],
        )
        _write_meta(connection, content.source_digest)
        connection.execute("COMMIT")
    finally:
        connection.close()


def _article_names(article: Article) -> list[str]:
    # Imported here: the fact extractor is for writing; opening a store never needs it.
    from knowledge.facts import proper_names

    return proper_names(article.facts)


def load_store(path: Path | None = None) -> Store:
    if path is None:
        return _load_default()
    return Store.open(path)


def _load_default() -> Store:
    """The seeds and the articles administrators added, as the bot answers from them."""
    # Imported here: the library builds stores, which pulls in the fact extractor that
    # opening a fresh store never needs.
    from knowledge.library import Library

    return Library(DEFAULT_ARTICLES, DEFAULT_STORE, derived=True, seeds=[SEEDS]).open()
