"""Building, saving and loading the store, and the `python -m knowledge` command line."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import knowledge.store as store_module
from knowledge.build import build_store
from knowledge.models import FORMAT_VERSION, FactKind, ParagraphKind
from knowledge.store import SEEDS, StoreError, load_store, save_store

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
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    save_store(build_store([SEEDS]), first)
    save_store(build_store([SEEDS]), second)
    assert first.read_bytes() == second.read_bytes()


def test_store_round_trips_and_is_readable_by_others(tmp_path: Path) -> None:
    store = build_store([UNSEEN])
    path = tmp_path / "store.json"
    save_store(store, path)
    assert load_store(path) == store
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
    path = tmp_path / "store.json"
    with pytest.raises(
        StoreError, match="no store there; build it with `python -m knowledge build"
    ):
        load_store(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match="damaged; rebuild it"):
        load_store(path)
    save_store(build_store([UNSEEN]), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["format_version"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoreError, match="format 1 is stale"):
        load_store(path)
    data["format_version"] = FORMAT_VERSION
    data["articles"][0]["title"] = "改过的标题"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoreError, match="does not match its checksum"):
        load_store(path)


def test_build_and_show_on_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "store.json"
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
    missing = run("show", "--store", str(tmp_path / "none.json"))
    assert missing.returncode == 1
    assert missing.stderr.strip().count("\n") == 0
    assert "python -m knowledge build" in missing.stderr
    bad = run("build", str(tmp_path / "nothing.txt"), "--out", str(tmp_path / "s.json"))
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
    monkeypatch.setattr(store_module, "DEFAULT_STORE", tmp_path / "var" / "store.json")
    monkeypatch.setattr(store_module, "DEFAULT_ARTICLES", tmp_path / "var" / "articles")

    first = load_store()
    assert (tmp_path / "var" / "store.json").exists()
    assert len(first.articles) == 2
    (seeds / "page.txt").write_text(page.split("跨江大桥")[0], encoding="utf-8")
    assert len(load_store().articles) == 1
