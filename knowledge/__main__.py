"""`python -m knowledge build|show`: build the fact store and look inside it."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from knowledge.build import build_store
from knowledge.models import Article, PagePartKind, ParagraphKind
from knowledge.sources import MAX_SOURCE_BYTES, SourceError
from knowledge.store import DEFAULT_STORE, SEEDS, Store, StoreError, load_store, save_store

KIND_LABELS = {
    ParagraphKind.HEADING: "小标题",
    ParagraphKind.CAPTION: "图片说明",
    ParagraphKind.CREDIT: "图片署名",
}


PAGE_LABELS = {
    PagePartKind.HEADER: "报眉",
    PagePartKind.FOOTER: "报脚",
    PagePartKind.EDITORS_NOTE: "编者按",
    PagePartKind.CONTINUATION: "转版",
}


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (SourceError, StoreError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the fact store from article sources")
    build.add_argument(
        "sources",
        nargs="*",
        type=Path,
        default=[SEEDS],
        metavar="SOURCES",
        help=".txt page dumps, .jsonl article files or folders (default: seeds/)",
    )
    build.add_argument("--out", type=Path, default=DEFAULT_STORE, help="where to write the store")
    build.add_argument(
        "--skip-bad",
        action="store_true",
        help="skip unreadable files and bad .jsonl lines (default: stop)",
    )
    build.add_argument(
        "--max-mb",
        type=float,
        default=MAX_SOURCE_BYTES / 1024 / 1024,
        help="largest source file to accept, in MB",
    )
    build.set_defaults(run=_build)

    show = commands.add_parser("show", help="print the cleaned articles and their facts")
    show.add_argument(
        "--store", type=Path, default=None, help="store file (default: the project's)"
    )
    show.add_argument("--article", help="only this article id")
    show.add_argument("--facts", action="store_true", help="also list the extracted facts")
    show.add_argument("--json", action="store_true", help="one JSON object on stdout")
    show.set_defaults(run=_show)
    return parser


def _build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    store = build_store(
        args.sources, skip_bad=args.skip_bad, max_bytes=int(args.max_mb * 1024 * 1024)
    )
    save_store(store, args.out)
    paragraphs = sum(len(article.paragraphs) for article in store.articles)
    facts = sum(len(article.facts) for article in store.articles)
    print(
        f"{args.out}: {len(store.articles)} articles, {paragraphs} paragraphs, {facts} facts "
        f"({time.perf_counter() - started:.2f} s)"
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    store = load_store(args.store)
    articles = _select(store, args.article)
    if args.json:
        page = [part.model_dump(mode="json") for part in store.page]
        shown = {"articles": [_article_json(a) for a in articles], "page": page}
        print(json.dumps(shown, ensure_ascii=False))
        return 0
    for article in articles:
        print(_article_text(article, with_facts=args.facts))
    if args.article is None:
        for part in store.page:
            print(f"[{part.source}] 〔{PAGE_LABELS[part.kind]}〕{part.text}")
    return 0


def _select(store: Store, article_id: str | None) -> list[Article]:
    if article_id is None:
        return store.articles
    chosen = store.article(article_id)
    if chosen is None:
        known = ", ".join(info.id for info in store.infos())
        raise StoreError(f"no article {article_id!r} in the store; known: {known}")
    return [chosen]


def _article_json(article: Article) -> dict[str, object]:
    return article.model_dump(
        mode="json",
        include={
            "id",
            "title",
            "kicker",
            "subtitle",
            "byline",
            "authors",
            "source",
            "date",
            "url",
            "paragraphs",
            "facts",
        },
    )


def _article_text(article: Article, *, with_facts: bool) -> str:
    lines = [f"[{article.id}] {article.title}"]
    if article.kicker:
        lines.append(f"  引题：{article.kicker}")
    if article.subtitle:
        lines.append(f"  ({article.subtitle})")
    if article.byline:
        lines.append(f"  署名：{article.byline}")
    if article.authors:
        lines.append(f"  作者：{'、'.join(article.authors)}")
    for paragraph in article.paragraphs:
        label = KIND_LABELS.get(paragraph.kind)
        prefix = f"{paragraph.number:>3} " + (f"【{label}】" if label else "")
        lines.append(prefix + paragraph.text)
    if with_facts:
        lines.append("  事实：")
        for fact in article.facts:
            unit = f" {fact.unit}" if fact.unit else ""
            about = f" ← {fact.subject}" if fact.subject else ""
            lines.append(
                f"    ¶{fact.paragraph}.{fact.sentence} {fact.kind.value:<12} "
                f"{fact.text}  = {fact.value}{unit}{about}"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
