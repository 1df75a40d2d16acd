"""Every labelled question set, loaded the same way: questions, the store they are about,
and a questions file the outside scorer (../shared/tools/score.py) reads.

Why one loader: benchmarks, the outside scorer and reader training all need the same
questions with the same ids, in the same order, over the same store. Each corpus says
which scorer style applies ("cmrc": passage hit, EM/F1; "seed": short answer, citation,
refusal), and which cross-validation unit a question belongs to (`group`): the passage
for CMRC and DRCD, the page for the seed and dev pages, so that a fold never trains on
one question of a passage and tests on its neighbour.

Sources, all read from ../shared and never copied into the project's tree (only into
var/bench/, which is derived data):
- CMRC 2018 trial/dev (CC BY-SA 4.0), through benchmarks.cmrc_articles;
- DRCD dev v1.3 (Delta Electronics, CC BY-SA 3.0; Traditional script), one article a
  passage, like CMRC;
- eval/seed_dev.jsonl about seeds/, and eval/pages/dev_* (a page dump and its questions).
Stores are cached under var/bench/ (see benchmarks.cache).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from benchmarks import BENCH_DIR, ROOT, SHARED
from benchmarks.cache import cached_store, fresh, write_atomically
from benchmarks.cmrc_articles import (
    CmrcArticle,
    SquadEntry,
    SquadFile,
    SquadParagraph,
    load_cmrc_store,
    read_questions,
)
from knowledge.models import Article
from knowledge.store import Store

CORPORA = (
    "cmrc_trial",
    "cmrc_dev",
    "drcd",
    "seed",
    "dev_tea",
    "dev_school",
    "dev_port",
    "dev_trad",
)
PAGES = ("dev_tea", "dev_school", "dev_port", "dev_trad")
Style = Literal["cmrc", "seed"]

EVAL_DIR = SHARED / "eval"
SEED_QUESTIONS = EVAL_DIR / "seed_dev.jsonl"
PAGES_DIR = EVAL_DIR / "pages"
DRCD_PATH = SHARED / "benchmarks" / "drcd" / "DRCD_dev.json"
SEEDS = ROOT / "seeds"
NO_ARTICLE = "none"

_SPACE = re.compile(r"\s+")


class LabelledQuestion(BaseModel):
    id: str
    question: str
    answers: list[str]
    """Gold short forms, in the file's order, duplicates dropped; [] for unanswerable."""
    answerable: bool = True
    article_id: str | None
    """The store article holding the answer (CMRC/DRCD: the passage id; seed-style: the
    article holding the evidence, else the one the question's article key resolves to),
    None if unknown."""
    evidence: str = ""
    """Seed-style only: the shortest verbatim run of article text holding the answer."""
    all_required: bool = False
    group: str
    """Cross-validation unit: the passage id (CMRC/DRCD) or the page name (seed, dev pages)."""


class Corpus(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str
    style: Style
    questions_path: Path
    """A jsonl holding exactly `questions`, in order, in the style's fields, so that
    `score.py questions_path answers` works as is. Seed-style without a limit: the shared
    file itself; otherwise a file under var/bench/."""
    store: Store
    questions: list[LabelledQuestion]


class _SeedRow(BaseModel):
    """One line of a seed-style questions file (seed_dev.jsonl, pages/*/questions.jsonl)."""

    id: str
    question: str
    answerable: bool
    answers: list[str] = []
    evidence: str = ""
    article: str = NO_ARTICLE
    all_required: bool = False


class _CmrcRow(BaseModel):
    """One line of a CMRC-style questions file, as score.py reads it."""

    id: str
    question: str
    answers: list[str]
    article_id: str


def load_corpus(name: str, limit: int | None = None) -> Corpus:
    """The corpus `name` (one of CORPORA), its first `limit` questions when given.

    The store always holds every article of the corpus, whatever the limit, so that a
    quick run searches the same haystack as a full one."""
    if name in ("cmrc_trial", "cmrc_dev"):
        return _cmrc(name, limit)
    if name == "drcd":
        return _drcd(limit)
    if name == "seed":
        store = cached_store([SEEDS], BENCH_DIR / "seed.store.db")
        return _seed_style(name, SEED_QUESTIONS, store, titles={}, limit=limit)
    if name in PAGES:
        return _page(name, limit)
    raise ValueError(f"unknown corpus {name!r}; choose one of {', '.join(CORPORA)}")


def _unique(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))


def _cmrc(name: str, limit: int | None) -> Corpus:
    split = "dev" if name == "cmrc_dev" else "trial"
    store = load_cmrc_store(split)
    questions = [
        LabelledQuestion(
            id=q.id,
            question=q.question,
            answers=_unique(q.answers),
            article_id=q.passage_id,
            group=q.passage_id,
        )
        for q in read_questions(split, limit)
    ]
    source = SHARED / "benchmarks" / "cmrc2018" / f"cmrc2018_{split}.json"
    return _cmrc_corpus(name, store, questions, source, limit)


def _drcd_passages() -> list[tuple[str, SquadEntry, SquadParagraph]]:
    squad = SquadFile.model_validate_json(DRCD_PATH.read_bytes())
    return [
        (paragraph.id or entry.id, entry, paragraph)
        for entry in squad.data
        for paragraph in entry.paragraphs
    ]


def drcd_articles() -> Path:
    """DRCD dev as an articles file, one article a passage, written when the data is newer."""
    path = BENCH_DIR / "drcd_dev.jsonl"
    if not fresh(path, DRCD_PATH):
        lines = [
            CmrcArticle(
                id=passage_id, title=entry.title, text=paragraph.context, source="DRCD dev"
            ).model_dump_json()
            for passage_id, entry, paragraph in _drcd_passages()
        ]
        write_atomically(path, "\n".join(lines) + "\n")
    return path


def _drcd(limit: int | None) -> Corpus:
    passages = _drcd_passages()
    store = cached_store([drcd_articles()], BENCH_DIR / "drcd_dev.store.db")
    questions = [
        LabelledQuestion(
            id=qa.id,
            question=qa.question,
            answers=_unique([answer.text for answer in qa.answers]),
            article_id=passage_id,
            group=passage_id,
        )
        for passage_id, _, paragraph in passages
        for qa in paragraph.qas
    ][:limit]
    return _cmrc_corpus("drcd", store, questions, DRCD_PATH, limit)


def _cmrc_corpus(
    name: str, store: Store, questions: list[LabelledQuestion], source: Path, limit: int | None
) -> Corpus:
    """The corpus, with its questions written in the fields score.py reads as CMRC-style."""
    suffix = "" if limit is None else f".limit{limit}"
    path = BENCH_DIR / f"{name}{suffix}.questions.jsonl"
    if not fresh(path, source, Path(__file__)):
        lines = [
            _CmrcRow(
                id=q.id, question=q.question, answers=q.answers, article_id=q.article_id or ""
            ).model_dump_json()
            for q in questions
        ]
        write_atomically(path, "\n".join(lines) + "\n")
    _check_unique(name, questions)
    return Corpus(name=name, style="cmrc", questions_path=path, store=store, questions=questions)


def _page(name: str, limit: int | None) -> Corpus:
    """A dev page: its dump copied to var/bench/pages/<name>/<name>.txt (so that its
    articles are `<name>-1`, `<name>-2`, ...), and the store built from the copy."""
    folder = PAGES_DIR / name
    page = BENCH_DIR / "pages" / name / f"{name}.txt"
    if not fresh(page, folder / "page.txt"):
        page.parent.mkdir(parents=True, exist_ok=True)
        temporary = page.with_name(f".{page.name}.{time.time_ns()}.tmp")
        shutil.copyfile(folder / "page.txt", temporary)  # not its mode: shared files are read-only
        temporary.replace(page)
    store = cached_store([page], BENCH_DIR / "pages" / name / f"{name}.store.db")
    structure = json.loads((folder / "structure.json").read_text(encoding="utf-8"))
    titles = {article["key"]: article.get("title", "") for article in structure["articles"]}
    return _seed_style(name, folder / "questions.jsonl", store, titles=titles, limit=limit)


def _seed_style(
    name: str, path: Path, store: Store, *, titles: dict[str, str], limit: int | None
) -> Corpus:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [_SeedRow.model_validate_json(line) for line in lines]
    texts = {article.id: _article_text(article) for article in store.articles}
    articles = _resolve_articles(store, rows, titles, texts)
    questions = [
        LabelledQuestion(
            id=row.id,
            question=row.question,
            answers=_unique(row.answers) if row.answerable else [],
            answerable=row.answerable,
            article_id=_holding(row, articles, texts),
            evidence=row.evidence,
            all_required=row.all_required,
            group=name,
        )
        for row in rows
    ][:limit]
    _check_unique(name, questions)
    questions_path = path
    if limit is not None and limit < len(rows):
        # The original lines, all fields kept: score.py groups by type, style and article.
        questions_path = write_atomically(
            BENCH_DIR / f"{name}.limit{limit}.questions.jsonl", "\n".join(lines[:limit]) + "\n"
        )
    return Corpus(
        name=name, style="seed", questions_path=questions_path, store=store, questions=questions
    )


def _check_unique(name: str, questions: list[LabelledQuestion]) -> None:
    """Ids identify questions across files (subsets for folds are picked by id)."""
    repeated = [i for i, count in Counter(q.id for q in questions).items() if count > 1]
    if repeated:
        raise ValueError(f"{name}: question ids appear more than once: {repeated[:5]}")


def _norm(text: str) -> str:
    """As score.py compares: NFKC, lower case, no whitespace (no script folding: the
    page and its evidence are in the same script)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()


def _article_text(article: Article) -> str:
    parts = [article.title, article.subtitle, *(p.text for p in article.paragraphs)]
    return _norm("\n".join(parts))


def _resolve_articles(
    store: Store, rows: list[_SeedRow], titles: dict[str, str], texts: dict[str, str]
) -> dict[str, str]:
    """Question-file article keys ("a1", "wangcheng") -> store article ids.

    A key's printed title (structure.json) names its article when exactly one store
    article has that title; otherwise the article holding most of the key's evidence
    wins, if one article clearly does. Keys that resolve to nothing are left out."""
    by_title: dict[str, list[str]] = {}
    for article in store.articles:
        by_title.setdefault(_norm(article.title), []).append(article.id)
    resolved: dict[str, str] = {}
    for key in {row.article for row in rows} - {NO_ARTICLE}:
        named = by_title.get(_norm(titles.get(key, "")), []) if titles.get(key) else []
        if len(named) == 1:
            resolved[key] = named[0]
            continue
        votes: Counter[str] = Counter()
        for row in rows:
            evidence = _norm(row.evidence)
            if row.article == key and evidence:
                votes.update(i for i, text in texts.items() if evidence in text)
        ranked = votes.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            resolved[key] = ranked[0][0]
    return resolved


def _holding(row: _SeedRow, articles: dict[str, str], texts: dict[str, str]) -> str | None:
    """The one store article holding this question's evidence, else its key's article.

    Per question because the layout may cut a printed article differently from the page
    (a title left in the page header, a sidebar of its own): the article that holds the
    evidence is the one a right citation comes from. Evidence found nowhere (a byline,
    kept as metadata) falls back to the key. A near miss (unanswerable) keeps the article
    it nearly asks about; `none` questions get None."""
    if row.article == NO_ARTICLE or not row.answerable:
        return articles.get(row.article)
    evidence = _norm(row.evidence)
    holding = [i for i, text in texts.items() if evidence and evidence in text]
    return holding[0] if len(holding) == 1 else articles.get(row.article)


def main() -> None:
    parser = argparse.ArgumentParser(description="Load (and cache) benchmark corpora.")
    parser.add_argument("corpora", nargs="*", metavar="CORPUS", help=f"default: all of {CORPORA}")
    parser.add_argument("--limit", type=int)
    options = parser.parse_args()
    for name in options.corpora or CORPORA:
        started = time.perf_counter()
        corpus = load_corpus(name, options.limit)
        seconds = time.perf_counter() - started
        known = sum(q.article_id is not None for q in corpus.questions)
        print(
            f"{name}: {len(corpus.questions)} questions, {len(corpus.store.articles)} articles,"
            f" {len({q.group for q in corpus.questions})} groups,"
            f" {known} with an article id, {seconds:.2f} s -> {corpus.questions_path}"
        )


if __name__ == "__main__":
    main()
