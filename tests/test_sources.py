"""Bad sources get one clear message naming the file; nothing crashes or is dropped silently."""

import json
from pathlib import Path

import pytest

from knowledge.sources import MAX_SOURCE_BYTES, SourceError, read_articles

TEXT = "城东新区图书馆开放\n记者 欧阳明\n\n3月2日，新馆开放，首日接待读者6800人次。\n"


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"empty\.txt: the file is empty"):
        read_articles([write(tmp_path / "empty.txt", "  \n\n")])


def test_binary_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="binary"):
        read_articles([write(tmp_path / "photo.txt", b"\x89PNG\x00\x01\x02")])


def test_gbk_file_is_decoded(tmp_path: Path) -> None:
    articles = read_articles([write(tmp_path / "gbk.txt", TEXT.encode("gbk"))])
    assert articles[0].title == "城东新区图书馆开放"
    assert "6800人次" in articles[0].blocks[0].text


def test_undecodable_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="neither UTF-8 nor GBK"):
        read_articles([write(tmp_path / "latin.txt", b"\xff\xfe\xfa\xfb\x81\x7f" * 10)])


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    with pytest.raises(SourceError, match="over the 10 MB limit"):
        read_articles([big])
    assert big.stat().st_size > MAX_SOURCE_BYTES


def test_bad_jsonl_line_stops_or_is_skipped_by_choice(tmp_path: Path) -> None:
    good = {"id": "a1", "title": "标题", "text": "第一段。\n第二段。"}
    source = write(tmp_path / "news.jsonl", json.dumps(good) + "\n{not json\n")
    with pytest.raises(SourceError, match=r"news\.jsonl:2: not an article"):
        read_articles([source])
    articles = read_articles([source], skip_bad=True)
    assert [a.id for a in articles] == ["a1"]
    assert [b.text for b in articles[0].blocks] == ["第一段。", "第二段。"]


def test_jsonl_line_missing_a_field_is_named(tmp_path: Path) -> None:
    source = write(tmp_path / "news.jsonl", json.dumps({"id": "x", "text": "正文。"}) + "\n")
    with pytest.raises(SourceError, match=r"news\.jsonl:1: not an article \(title"):
        read_articles([source])


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    line = json.dumps({"id": "same", "title": "甲", "text": "正文。"})
    source = write(tmp_path / "news.jsonl", f"{line}\n{line}\n")
    with pytest.raises(SourceError, match="appears twice"):
        read_articles([source])


def test_missing_and_unknown_paths(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        read_articles([tmp_path / "nowhere.txt"])
    with pytest.raises(SourceError, match=r"not a \.txt or \.jsonl"):
        read_articles([write(tmp_path / "notes.md", "# hi")])


def test_a_folder_stands_for_its_sources(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", TEXT)
    write(tmp_path / "a.jsonl", json.dumps({"id": "j", "title": "甲", "text": "正文。"}) + "\n")
    assert [a.id for a in read_articles([tmp_path])] == ["j", "b-1"]
