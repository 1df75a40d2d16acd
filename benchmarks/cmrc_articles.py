"""CMRC 2018 passages as articles, and a store built from them, for the CMRC benchmarks.

CMRC 2018 (Cui et al., "A Span-Extraction Dataset for Chinese Machine Reading
Comprehension", EMNLP 2019; https://github.com/ymcui/cmrc2018) is licensed CC BY-SA 4.0;
its passages and questions are read from ../shared/benchmarks/cmrc2018/ and never copied
into the project. Each passage becomes one article (`id` = passage id, `title`, `text` =
context) in var/bench/cmrc2018_<split>.jsonl; the store built from it is kept next to it
and rebuilt only when the passages file is newer or the store no longer loads.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from benchmarks import BENCH_DIR, SHARED
from benchmarks.cache import cached_store, fresh
from knowledge.store import Store

Split = Literal["dev", "trial"]
SPLITS: tuple[Split, ...] = ("dev", "trial")
DATA_DIR = SHARED / "benchmarks" / "cmrc2018"


class CmrcArticle(BaseModel):
    id: str
    title: str
    text: str
    source: str


class CmrcQuestion(BaseModel):
    id: str
    question: str
    passage_id: str
    answers: list[str]


def dataset_path(split: Split) -> Path:
    return DATA_DIR / f"cmrc2018_{split}.json"


def articles_path(split: Split) -> Path:
    return BENCH_DIR / f"cmrc2018_{split}.jsonl"


def store_path(split: Split) -> Path:
    return BENCH_DIR / f"cmrc2018_{split}.store.db"


class SquadAnswer(BaseModel):
    text: str


class SquadQuestion(BaseModel):
    id: str
    question: str
    answers: list[SquadAnswer]


class SquadParagraph(BaseModel):
    id: str | None = None
    context: str
    qas: list[SquadQuestion]


class SquadEntry(BaseModel):
    id: str
    title: str
    paragraphs: list[SquadParagraph]


class SquadFile(BaseModel):
    data: list[SquadEntry]


def _passages(split: Split) -> list[tuple[str, SquadEntry, SquadParagraph]]:
    """(passage id, entry, paragraph) for every passage of the SQuAD-format file."""
    squad = SquadFile.model_validate_json(dataset_path(split).read_bytes())
    return [
        (paragraph.id or entry.id, entry, paragraph)
        for entry in squad.data
        for paragraph in entry.paragraphs
    ]


def read_articles(split: Split) -> list[CmrcArticle]:
    return [
        CmrcArticle(
            id=passage_id, title=entry.title, text=paragraph.context, source=f"CMRC 2018 {split}"
        )
        for passage_id, entry, paragraph in _passages(split)
    ]


def read_questions(split: Split, limit: int | None = None) -> list[CmrcQuestion]:
    questions = [
        CmrcQuestion(
            id=qa.id,
            question=qa.question,
            passage_id=passage_id,
            answers=[answer.text for answer in qa.answers],
        )
        for passage_id, _, paragraph in _passages(split)
        for qa in paragraph.qas
    ]
    return questions[:limit]


def write_articles(split: Split) -> Path:
    """The articles file, rewritten only when the dataset file is newer."""
    path = articles_path(split)
    if fresh(path, dataset_path(split)):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [article.model_dump_json() for article in read_articles(split)]
    temporary = path.with_suffix(".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path


def load_cmrc_store(split: Split) -> Store:
    """The store of the split's passages, built and saved the first time it is needed."""
    return cached_store([write_articles(split)], store_path(split))


def main() -> None:
    parser = argparse.ArgumentParser(description="Turn CMRC 2018 passages into a store.")
    parser.add_argument("--split", choices=SPLITS, default="dev")
    split = parser.parse_args().split
    store = load_cmrc_store(split)
    print(f"{len(store.articles)} articles -> {store_path(split)}")


if __name__ == "__main__":
    main()
