"""The bot's articles as files on disk, and the store built from them, changed while it runs.

The sources are the project's seeds plus one folder (ARTICLES_DIR) where added documents
are kept. Adding a document or removing an article is one transaction on the open store:
only the document is built, its articles are written and read back, and the change
commits or leaves nothing behind. A reload that finds the sources changed builds a whole
new store beside the one in use, checks it as a start-up would and only then renames it
into place. A change that fails leaves the folder and the store as they were and says
why in one line.

Nothing here knows about Telegram: a document is bytes and a suffix. Its own file name is
never used, so no name anybody sends can become a path.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from knowledge.models import Article, Frozen, StoreContent
from knowledge.sources import SOURCE_SUFFIXES, SourceError, decode, read_file
from knowledge.store import (
    DEFAULT_STORE,
    SEEDS,
    Store,
    StoreError,
    content_checksum,
    load_store,
    save_store,
    source_digest,
)

log = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
REMOVED_FILE = "removed.json"
"""Ids of articles taken out whose source file is not cut: seeds, and page dumps (one
file, several articles). Not a source suffix, so never read as articles."""
DOCUMENT = "the document"


class LibraryError(Exception):
    """A change that was not made; str() is one line saying why."""


class Tally(Frozen):
    articles: int
    paragraphs: int
    facts: int

    @classmethod
    def of(cls, articles: Iterable[Article]) -> Tally:
        listed = list(articles)
        return cls(
            articles=len(listed),
            paragraphs=sum(len(article.paragraphs) for article in listed),
            facts=sum(len(article.facts) for article in listed),
        )

    @classmethod
    def of_store(cls, store: Store) -> Tally:
        articles, paragraphs, facts = store.counts()
        return cls(articles=articles, paragraphs=paragraphs, facts=facts)


class ArticleRef(Frozen):
    id: str
    title: str


class Change(Frozen):
    """What one change did, for the person who asked for it, and the store it made."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    added: list[ArticleRef]
    removed: list[ArticleRef]
    added_tally: Tally = Field(description="paragraphs and facts of the added articles")
    total: Tally
    store: Store = Field(exclude=True, repr=False)


class _Removed(BaseModel):
    ids: list[str] = []


class Library:
    """One folder of added articles beside the seeds, and the store built from both.

    A `derived` store (the project's default) is rebuilt at start-up when it is missing,
    damaged or older than the sources; a store named explicitly is loaded as it is, as
    `load_store` does. Changes made while running are built into either the same way.
    """

    def __init__(
        self,
        folder: Path,
        store: Path = DEFAULT_STORE,
        *,
        derived: bool = False,
        seeds: list[Path] | None = None,
        max_document_bytes: int = MAX_DOCUMENT_BYTES,
    ) -> None:
        self.folder = folder
        self.store_path = store
        self.derived = derived
        self.sources = [*(seeds if seeds is not None else [SEEDS]), folder]
        self.max_document_bytes = max_document_bytes
        self.lock = threading.RLock()
        """Held through a whole change; callers hold it too to install its result in order."""
        self.store: Store | None = None
        folder.mkdir(parents=True, exist_ok=True)

    # --- start-up ----------------------------------------------------------------------

    def open(self) -> Store:
        """The store to start answering from. Raises StoreError for an explicit store
        that cannot be used, LibraryError when a derived store cannot be built."""
        with self.lock:
            if not self.derived:
                self.store = load_store(self.store_path)
                return self.store
            try:
                store = load_store(self.store_path)
                if store.source_digest == self._digest(self._removed()):
                    self.store = store
                    return store
                store.close()
            except StoreError as error:
                log.info("%s; building it again", error)
            self.store = self._commit(self._build(self._removed()))
            return self.store

    # --- changes -------------------------------------------------------------------------

    def check_document(self, suffix: str, size: int | None) -> None:
        """Before downloading anything: is it a kind of file and a size the library takes?"""
        if suffix.lower() not in SOURCE_SUFFIXES:
            raise LibraryError("only .txt page dumps and .jsonl article files can be added")
        if size is not None and size > self.max_document_bytes:
            raise LibraryError(
                f"{DOCUMENT} is {size / 2**20:.1f} MB, over the "
                f"{self.max_document_bytes / 2**20:.0f} MB limit; split it into smaller files"
            )

    def add(self, data: bytes, suffix: str) -> Change:
        """Keep the document's articles under a new name of our making, as UTF-8."""
        self.check_document(suffix, len(data))
        try:
            text = decode(Path(DOCUMENT), data)
        except SourceError as error:
            raise LibraryError(str(error)) from None
        with self.lock:
            target = self._new_path(suffix.lower())
            _write(target, text.encode("utf-8"))
            try:
                articles = self._articles_in(target)
                removed = self._removed() - {a.id for a in articles}  # added again: shown again
                change = self._transact(removed, add=articles)
            except BaseException:
                target.unlink(missing_ok=True)
                raise
            return change

    def remove(self, article_id: str) -> Change:
        """A `.jsonl` article in the folder is cut from its file (the file goes when it is
        left empty), so that it can be added again; any other is listed as removed."""
        with self.lock:
            if self._current().article(article_id) is None:
                raise LibraryError(f"no article with id {article_id!r}")
            holder = self._jsonl_holding(article_id)
            if holder is None:
                return self._transact(self._removed() | {article_id}, remove=[article_id])
            path, lines = holder
            before = path.read_bytes()
            kept = [line for line in lines if _line_id(line) != article_id]
            if kept:
                _write(path, ("\n".join(kept) + "\n").encode("utf-8"))
            else:
                path.unlink()
            try:
                return self._transact(self._removed(), remove=[article_id])
            except BaseException:
                _write(path, before)
                raise

    def reload(self) -> Change:
        """What is on disk now. The store there is used when it was built from the sources
        as they are; otherwise they are built again. A store on disk that fails its checks
        (edited by hand, damaged) is refused, and the one in use stays."""
        with self.lock:
            removed = self._removed()
            if self.store_path.exists():
                try:
                    on_disk = load_store(self.store_path)
                    on_disk.verify()
                except StoreError as error:
                    raise LibraryError(
                        f"{self.store_path} fails its checks ({_reason(error, self.store_path)}); "
                        "delete it and reload to build it again from the sources"
                    ) from None
                if on_disk.source_digest == self._digest(removed) and on_disk.article_count():
                    return self._summary(on_disk, added=[])
                on_disk.close()
            before = set(self._current().ids())
            store = self._commit(self._build(removed))
            self._write_removed(removed)
            return self._summary(store, added=[a for a in store.articles if a.id not in before])

    # --- building --------------------------------------------------------------------------

    def _build(self, removed: set[str]) -> StoreContent:
        content = self._built(self.sources)
        kept = [article for article in content.articles if article.id not in removed]
        return content.model_copy(
            update={
                "articles": kept,
                "checksum": content_checksum(kept),
                "source_digest": self._digest(removed),
            }
        )

    @staticmethod
    def _built(sources: list[Path]) -> StoreContent:
        # Imported here: building pulls in the fact extractor, which answering never needs.
        from knowledge.build import build_store

        try:
            return build_store(sources)
        except SourceError as error:
            raise LibraryError(str(error)) from None

    def _articles_in(self, path: Path) -> list[Article]:
        try:
            articles = self._built([path]).articles
        except LibraryError as error:
            raise LibraryError(str(error).replace(str(path), DOCUMENT)) from None
        if not articles:
            raise LibraryError(f"{DOCUMENT} holds no article")
        present = set(self._current().ids())
        for article in articles:
            if article.id in present:
                raise LibraryError(f"article id {article.id!r} appears twice; ids must be unique")
        return articles

    def _transact(
        self,
        removed: set[str],
        *,
        add: list[Article] | None = None,
        remove: list[str] | None = None,
    ) -> Change:
        """One transaction on the store in use: it commits whole, or changes nothing."""
        store = self._current()
        gone = set(remove or [])
        if store.article_count() - len(gone & set(store.ids())) + len(add or []) <= 0:
            raise LibraryError("no article would be left; the bot needs at least one")
        before = {i: article for i in gone if (article := store.article(i)) is not None}
        try:
            store.change(add=add or [], remove=sorted(gone), source_digest=self._digest(removed))
        except StoreError as error:
            reason = _reason(error, store.path)
            raise LibraryError(f"the new store failed its checks ({reason})") from None
        except sqlite3.Error as error:
            raise LibraryError(f"cannot write the new store ({error})") from None
        self._write_removed(removed)
        return Change(
            added=[ArticleRef(id=a.id, title=a.title) for a in add or []],
            removed=[ArticleRef(id=i, title=before[i].title) for i in sorted(gone) if i in before],
            added_tally=Tally.of(add or []),
            total=Tally.of_store(store),
            store=store,
        )

    def _commit(self, content: StoreContent) -> Store:
        """Write a whole new store beside the one in use, read it back with every check a
        start-up makes, and only then rename it into place."""
        if not content.articles:
            raise LibraryError("no article would be left; the bot needs at least one")
        try:
            save_store(content, self.store_path)
            return load_store(self.store_path)
        except StoreError as error:
            reason = _reason(error, self.store_path)
            raise LibraryError(f"the new store failed its checks ({reason})") from None
        except (OSError, sqlite3.Error) as error:
            message = error.strerror if isinstance(error, OSError) else str(error)
            raise LibraryError(f"cannot write the new store ({message})") from None

    def _summary(self, store: Store, *, added: list[Article]) -> Change:
        before = self._current().infos()
        after = set(store.ids())
        self.store = store
        return Change(
            added=[ArticleRef(id=a.id, title=a.title) for a in added],
            removed=[ArticleRef(id=i.id, title=i.title) for i in before if i.id not in after],
            added_tally=Tally.of(added),
            total=Tally.of_store(store),
            store=store,
        )

    def _current(self) -> Store:
        if self.store is None:
            raise LibraryError("the library was not opened")
        return self.store

    def _digest(self, removed: set[str]) -> str:
        """Of the sources and the removed ids; without removals, the same as the
        seeds' store when nothing was added, so a fresh default store is taken as is."""
        try:
            digest = source_digest(self.sources)
        except (SourceError, OSError) as error:
            raise LibraryError(f"cannot read the sources: {error}") from None
        if not removed:
            return digest
        return hashlib.sha256("\n".join([digest, *sorted(removed)]).encode()).hexdigest()

    # --- the folder --------------------------------------------------------------------

    def _new_path(self, suffix: str) -> Path:
        """Sorts by arrival, so new articles come last; a page dump's ids derive from it."""
        while True:
            path = self.folder / f"added-{datetime.now():%Y%m%d-%H%M%S-%f}{suffix}"
            if not path.exists():
                return path

    def _jsonl_holding(self, article_id: str) -> tuple[Path, list[str]] | None:
        for path in sorted(self.folder.glob("*.jsonl")):
            try:
                lines = [line for line in read_file(path).splitlines() if line.strip()]
            except SourceError:
                continue
            if any(_line_id(line) == article_id for line in lines):
                return path, lines
        return None

    def _removed(self) -> set[str]:
        path = self.folder / REMOVED_FILE
        if not path.exists():
            return set()
        try:
            return set(_Removed.model_validate_json(path.read_bytes()).ids)
        except (OSError, ValidationError) as error:
            raise LibraryError(f"{path}: cannot read the removed articles ({error})") from None

    def _write_removed(self, removed: set[str]) -> None:
        path = self.folder / REMOVED_FILE
        if removed:
            _write(path, _Removed(ids=sorted(removed)).model_dump_json(indent=1).encode())
        else:
            path.unlink(missing_ok=True)


def _line_id(line: str) -> object:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return None
    return record.get("id") if isinstance(record, dict) else None


def _reason(error: StoreError, path: Path) -> str:
    """What is wrong with a store, without the command-line fix StoreError suggests."""
    return str(error).removeprefix(f"{path}: ").split(";")[0]


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: a half-written source would break the next build."""
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise LibraryError(f"cannot write {path.name} ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(name, 0o644)
        os.replace(name, path)
    except BaseException as error:
        Path(name).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise LibraryError(f"cannot write {path.name} ({error.strerror})") from None
        raise
