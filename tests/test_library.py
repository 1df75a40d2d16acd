"""The article library without Telegram: documents added under names of its own making,
articles removed, reloads, and every failed change leaving the folder and store as they were."""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import threading
from pathlib import Path

import pytest

import knowledge.library as library_module
from knowledge.library import REMOVED_FILE, Library, LibraryError
from knowledge.store import Store, load_store

DATA = Path(__file__).parent / "data"
SPONGE_PARK, WATER_PLANTS = (DATA / "unseen_articles.jsonl").read_text("utf-8").splitlines()
PAGE = (DATA / "second_page.txt").read_text("utf-8")


@pytest.fixture
def library(tmp_path: Path) -> Library:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "plants.jsonl").write_text(WATER_PLANTS + "\n", encoding="utf-8")
    opened = Library(tmp_path / "articles", tmp_path / "store.db", derived=True, seeds=[seeds])
    opened.open()
    return opened


def ids(store: Store | None) -> list[str]:
    assert store is not None
    return [article.id for article in store.articles]


def snapshot(library: Library) -> tuple[bytes, dict[str, bytes]]:
    """The store file and the folder, byte for byte."""
    folder = {path.name: path.read_bytes() for path in library.folder.iterdir()}
    return library.store_path.read_bytes(), folder


def test_open_builds_a_derived_store_and_reuses_it_while_the_sources_are_unchanged(
    library: Library,
) -> None:
    assert ids(library.store) == ["water-plants"]
    written = library.store_path.stat().st_mtime_ns

    again = Library(library.folder, library.store_path, derived=True, seeds=library.sources[:1])
    assert ids(again.open()) == ["water-plants"]
    assert library.store_path.stat().st_mtime_ns == written


def test_a_jsonl_document_is_added_under_a_name_of_the_librarys_making(
    library: Library,
) -> None:
    change = library.add(SPONGE_PARK.encode("utf-8"), ".jsonl")

    assert [(ref.id, ref.title) for ref in change.added] == [
        ("sponge-park", "滨江新区建成首座海绵公园")
    ]
    assert change.added_tally.articles == 1
    assert change.added_tally.paragraphs == 5 and change.added_tally.facts > 0
    assert change.total.articles == 2
    assert change.total.paragraphs == change.added_tally.paragraphs + 2
    assert ids(load_store(library.store_path)) == ["water-plants", "sponge-park"]
    assert change.store == library.store
    [saved] = library.folder.iterdir()
    assert saved.name.startswith("added-") and saved.suffix == ".jsonl"


def test_a_gbk_page_dump_is_decoded_and_kept_as_utf8(library: Library) -> None:
    change = library.add(PAGE.encode("gbk"), ".TXT")

    assert change.added and all(ref.id.startswith("added-") for ref in change.added)
    assert "城东图书馆新馆开放 市民借阅量翻番" in [ref.title for ref in change.added]
    [saved] = library.folder.glob("*.txt")
    assert saved.read_text("utf-8") == PAGE


@pytest.mark.parametrize(
    ("data", "suffix", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ".txt", "binary"),
        (bytes([0x81, 0x30, 0xFF, 0xFE]) * 10, ".txt", "neither UTF-8 nor GBK"),
        (b"   \n", ".txt", "empty"),
        (b'{"id": "x", "title": "t"}\n', ".jsonl", "the document:1: not an article (text"),
        (b"not json at all\n", ".jsonl", "the document:1: not an article"),
        (SPONGE_PARK.encode(), ".pdf", "only .txt"),
        (b"x" * (2 * 1024 * 1024 + 1), ".txt", "over the 2 MB limit"),
        (WATER_PLANTS.encode(), ".jsonl", "'water-plants' appears twice"),
    ],
)
def test_a_bad_document_is_refused_in_one_line_and_nothing_changes(
    library: Library, data: bytes, suffix: str, reason: str
) -> None:
    before = snapshot(library)
    with pytest.raises(LibraryError, match=re.escape(reason)) as refused:
        library.add(data, suffix)

    assert "\n" not in str(refused.value)
    assert str(library.folder) not in str(refused.value)  # the document, not our file name
    assert snapshot(library) == before
    assert ids(library.store) == ["water-plants"]


def test_removing_a_jsonl_article_cuts_its_line_and_it_can_be_added_again(
    library: Library,
) -> None:
    other = json.dumps({"id": "tiny", "title": "小消息", "text": "全市新增公交线路3条。"})
    library.add(f"{SPONGE_PARK}\n{other}\n".encode(), ".jsonl")

    change = library.remove("sponge-park")
    assert [ref.id for ref in change.removed] == ["sponge-park"]
    assert ids(library.store) == ["water-plants", "tiny"]
    [saved] = library.folder.glob("*.jsonl")
    assert "sponge-park" not in saved.read_text("utf-8")

    library.remove("tiny")
    assert not list(library.folder.glob("*.jsonl"))  # an emptied file goes
    assert ids(library.add(SPONGE_PARK.encode(), ".jsonl").store) == ["water-plants", "sponge-park"]


def test_removing_a_seed_article_is_remembered_across_restarts(library: Library) -> None:
    library.add(SPONGE_PARK.encode(), ".jsonl")
    library.remove("water-plants")

    assert ids(library.store) == ["sponge-park"]
    assert json.loads((library.folder / REMOVED_FILE).read_text("utf-8")) == {
        "ids": ["water-plants"]
    }
    restarted = Library(library.folder, library.store_path, derived=True, seeds=library.sources[:1])
    assert ids(restarted.open()) == ["sponge-park"]
    with pytest.raises(LibraryError, match="no article would be left"):
        restarted.remove("sponge-park")
    with pytest.raises(LibraryError, match="no article with id 'nope'"):
        restarted.remove("nope")


def test_reload_builds_what_was_put_in_the_folder_by_hand(library: Library) -> None:
    (library.folder / "by-hand.jsonl").write_text(SPONGE_PARK + "\n", encoding="utf-8")

    change = library.reload()
    assert [ref.id for ref in change.added] == ["sponge-park"]
    assert ids(load_store(library.store_path)) == ["water-plants", "sponge-park"]
    assert library.reload().added == []  # nothing new: the store on disk is taken as it is


def test_reload_refuses_a_hand_edited_store_and_keeps_the_one_in_use(library: Library) -> None:
    library.add(SPONGE_PARK.encode(), ".jsonl")
    in_use = library.store
    with sqlite3.connect(library.store_path) as connection:
        connection.execute("UPDATE sentences SET text = replace(text, '3.6亿元', '36亿元')")
    edited = library.store_path.read_bytes()

    with pytest.raises(LibraryError, match=r"does not match its digest.*delete it") as refused:
        library.reload()
    assert "\n" not in str(refused.value)
    assert library.store is in_use
    assert library.store_path.read_bytes() == edited  # left for a person to look at

    library.store_path.unlink()
    assert ids(library.reload().store) == ["water-plants", "sponge-park"]


def test_reload_with_a_broken_source_keeps_the_store(library: Library) -> None:
    (library.folder / "broken.jsonl").write_text("{oops\n", encoding="utf-8")
    before = library.store_path.read_bytes()

    with pytest.raises(LibraryError, match=r"broken.jsonl:1: not an article"):
        library.reload()
    assert library.store_path.read_bytes() == before
    assert ids(library.store) == ["water-plants"]


def test_an_article_that_does_not_read_back_is_never_added(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = library.store
    assert store is not None
    water = store.article("water-plants")
    monkeypatch.setattr(store, "_read_article", lambda position, generation: water)
    before = snapshot(library)
    with pytest.raises(LibraryError, match="the new store failed its checks"):
        library.add(SPONGE_PARK.encode(), ".jsonl")

    assert snapshot(library) == before
    assert not list(library.store_path.parent.glob(".*.tmp"))


def test_a_full_disk_is_one_line_and_nothing_changes(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    assert library.store is not None
    monkeypatch.setattr(library.store, "change", disk_full)
    before = snapshot(library)
    with pytest.raises(LibraryError, match=re.escape("cannot write the new store (database or")):
        library.add(SPONGE_PARK.encode(), ".jsonl")
    assert snapshot(library) == before


def test_a_whole_rebuild_on_a_full_disk_is_one_line(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(content: object, path: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    (library.folder / "by-hand.jsonl").write_text(SPONGE_PARK + "\n", encoding="utf-8")
    monkeypatch.setattr(library_module, "save_store", disk_full)
    before = library.store_path.read_bytes()
    with pytest.raises(LibraryError, match=re.escape("cannot write the new store (No space left")):
        library.reload()
    assert library.store_path.read_bytes() == before


def test_changes_from_two_threads_are_made_one_after_the_other(library: Library) -> None:
    other = json.dumps({"id": "tiny", "title": "小消息", "text": "全市新增公交线路3条。"})
    threads = [
        threading.Thread(target=library.add, args=(document.encode(), ".jsonl"))
        for document in (SPONGE_PARK, other)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(ids(load_store(library.store_path))) == ["sponge-park", "tiny", "water-plants"]
    assert len(list(library.folder.glob("added-*.jsonl"))) == 2
