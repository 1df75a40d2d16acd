"""Building, saving and loading the store, and the `python -m knowledge` command line."""

import json
import sqlite3
import subprocess
import sys
import threading
from functools import cache
from pathlib import Path

import pytest

import knowledge.store as store_module
from knowledge.build import build_store
from knowledge.models import FORMAT_VERSION, Article, FactKind, ParagraphKind, StoreContent
from knowledge.store import SEEDS, Store, StoreError, content_checksum, load_store, save_store

ROOT = Path(__file__).parents[1]
UNSEEN = Path(__file__).parent / "data" / "unseen_articles.jsonl"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "knowledge", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_same_sources_give_a_byte_identical_store(tmp_path: Path) -> None:
    first, second = tmp_path / "one.db", tmp_path / "two.db"
    save_store(build_store([SEEDS]), first)
    save_store(build_store([SEEDS]), second)
    assert first.read_bytes() == second.read_bytes()


def test_store_round_trips_and_is_readable_by_others(tmp_path: Path) -> None:
    store = build_store([UNSEEN])
    path = tmp_path / "store.db"
    save_store(store, path)
    assert load_store(path).content() == store
    assert path.stat().st_mode & 0o044 == 0o044
    assert not list(tmp_path.glob(".*.tmp"))


def test_facts_point_at_their_sentences() -> None:
    store = build_store([UNSEEN])
    for article in store.articles:
        for fact in article.facts:
            paragraph = article.paragraph(fact.paragraph)
            assert paragraph is not None
            sentence = paragraph.sentences[fact.sentence - 1].text
            assert sentence[fact.start : fact.start + len(fact.text)] == fact.text


def test_missing_damaged_stale_and_edited_stores_say_how_to_fix(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with pytest.raises(
        StoreError, match="no store there; build it with `python -m knowledge build"
    ):
        load_store(path)
    path.write_text("not a store at all, just text", encoding="utf-8")
    with pytest.raises(StoreError, match="damaged; rebuild it"):
        load_store(path)
    path.write_text('{"format_version": 4, "articles": []}', encoding="utf-8")
    with pytest.raises(StoreError, match="JSON store of an older version; rebuild it with"):
        load_store(path)
    path.unlink()
    save_store(build_store([UNSEEN]), path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'format_version'")
    with pytest.raises(StoreError, match="format 1 is stale"):
        load_store(path)
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE meta SET value = ? WHERE key = 'format_version'", (str(FORMAT_VERSION),)
        )
        connection.execute("UPDATE sentences SET text = replace(text, '30万吨', '300万吨')")
    edited = load_store(path)  # opening checks the list of articles, not every word
    with pytest.raises(StoreError, match="'water-plants' does not match its digest"):
        edited.article("water-plants")
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE articles SET digest = 'forged' WHERE id = 'water-plants'")
    with pytest.raises(StoreError, match="does not match its checksum"):
        load_store(path)


@cache
def unseen_articles() -> tuple[Article, Article]:
    sponge, water = build_store([UNSEEN]).articles
    return sponge, water


@pytest.fixture
def water_only(tmp_path: Path) -> tuple[Path, Store]:
    """A store of the water-plants article alone, and its path."""
    path = tmp_path / "store.db"
    water = unseen_articles()[1]
    save_store(
        StoreContent(source_digest="", checksum=content_checksum([water]), articles=[water]), path
    )
    return path, load_store(path)


def test_articles_are_added_and_removed_in_one_transaction_each(
    water_only: tuple[Path, Store],
) -> None:
    path, store = water_only
    sponge, water = unseen_articles()
    assert store.ids() == ["water-plants"]

    store.change(add=[sponge])
    assert store.ids() == ["water-plants", "sponge-park"]
    assert store.article("sponge-park") == sponge
    assert load_store(path).content().articles == [water, sponge]  # others see it at once

    store.change(remove=["water-plants"])
    assert store.ids() == ["sponge-park"]
    assert store.article("water-plants") is None
    only_water = set(_names(water)) - set(_names(sponge))
    assert only_water and not load_store(path).known_names(only_water)


def test_a_change_that_fails_its_check_leaves_the_store_as_it_was(
    water_only: tuple[Path, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, store = water_only
    sponge, water = unseen_articles()
    monkeypatch.setattr(store, "_read_article", lambda position, generation: water)
    with pytest.raises(StoreError, match="'sponge-park' does not read back"):
        store.change(add=[sponge], remove=["water-plants"])
    assert load_store(path).content().articles == [water]
    with pytest.raises(ValueError):  # a lone surrogate cannot be stored
        store.change(add=[sponge.model_copy(update={"title": "\ud800"})])
    assert load_store(path).ids() == ["water-plants"]


def test_readers_keep_answering_while_an_article_is_added(
    water_only: tuple[Path, Store],
) -> None:
    path, store = water_only
    sponge, _ = unseen_articles()
    seen: list[int] = []
    reading = threading.Event()
    done = threading.Event()

    def read() -> None:
        reader = load_store(path)
        while not done.is_set():
            seen.append(reader.article_count())
            reading.set()

    thread = threading.Thread(target=read)
    thread.start()
    assert reading.wait(10)
    store.change(add=[sponge])
    done.set()
    thread.join()
    assert set(seen) <= {1, 2} and seen


def _names(article: object) -> list[str]:
    from knowledge.facts import proper_names

    return proper_names(article.facts)  # type: ignore[attr-defined]


def test_build_and_show_on_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "store.db"
    built = run("build", str(UNSEEN), "--out", str(out))
    assert built.returncode == 0, built.stderr
    assert "2 articles" in built.stdout
    shown = run("show", "--store", str(out), "--json")
    articles = json.loads(shown.stdout)["articles"]
    assert [a["id"] for a in articles] == ["sponge-park", "water-plants"]
    paragraph = articles[0]["paragraphs"][0]
    assert set(paragraph) >= {"number", "kind", "text", "sentences"}
    assert paragraph["kind"] == ParagraphKind.BODY
    fact = articles[0]["facts"][0]
    assert set(fact) >= {"kind", "text", "value", "unit", "paragraph", "sentence"}
    text = run("show", "--store", str(out), "--article", "water-plants", "--facts")
    assert "城区三座水厂完成提标改造" in text.stdout and "30万吨" in text.stdout


def test_command_line_errors_are_one_line(tmp_path: Path) -> None:
    missing = run("show", "--store", str(tmp_path / "none.db"))
    assert missing.returncode == 1
    assert missing.stderr.strip().count("\n") == 0
    assert "python -m knowledge build" in missing.stderr
    bad = run("build", str(tmp_path / "nothing.txt"), "--out", str(tmp_path / "s.db"))
    assert bad.returncode == 1 and "no such file" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_seed_store_has_typed_facts() -> None:
    store = load_store()
    kinds = {fact.kind for article in store.articles for fact in article.facts}
    assert kinds >= {FactKind.QUANTITY, FactKind.DATE, FactKind.PERSON, FactKind.QUOTE}


def test_default_store_is_built_when_missing_and_rebuilt_when_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    page = (Path(__file__).parent / "data" / "second_page.txt").read_text(encoding="utf-8")
    (seeds / "page.txt").write_text(page, encoding="utf-8")
    monkeypatch.setattr(store_module, "SEEDS", seeds)
    monkeypatch.setattr(store_module, "DEFAULT_STORE", tmp_path / "var" / "store.db")
    monkeypatch.setattr(store_module, "DEFAULT_ARTICLES", tmp_path / "var" / "articles")

    first = load_store()
    assert (tmp_path / "var" / "store.db").exists()
    assert len(first.articles) == 2
    (seeds / "page.txt").write_text(page.split("跨江大桥")[0], encoding="utf-8")
    assert len(load_store().articles) == 1
