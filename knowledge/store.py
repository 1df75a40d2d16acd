"""Save and load the fact store.

The default store is derived data: it is rebuilt from `seeds/` whenever it is missing,
was written by another format version, or its sources changed, so nobody has to
remember a build step. A store named explicitly is never rebuilt behind the user's back:
problems with it are one clear line naming the file and the fix.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from knowledge.models import FORMAT_VERSION, Article, Store
from knowledge.sources import expand

ENGINE = Path(__file__).resolve().parent
PROJECT_ROOT = ENGINE.parent
SEEDS = PROJECT_ROOT / "seeds"
DEFAULT_STORE = PROJECT_ROOT / "var" / "store.json"
DEFAULT_ARTICLES = PROJECT_ROOT / "var" / "articles"
BUILD_HINT = "python -m knowledge build"


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


def articles_checksum(articles: list[Article]) -> str:
    digest = hashlib.sha256()
    for article in articles:
        digest.update(article.model_dump_json().encode())
    return digest.hexdigest()


def save_store(store: Store, path: Path) -> None:
    """Write to a temporary file beside the target, then rename: readers never see half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(store.model_dump_json())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a store is for every reader
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_store(path: Path | None = None) -> Store:
    if path is None:
        return _load_default()
    return _read(path)


def _build_command(path: Path) -> str:
    return BUILD_HINT if path == DEFAULT_STORE else f"{BUILD_HINT} --out {path}"


def _read(path: Path) -> Store:
    fix = f"`{_build_command(path)}`"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StoreError(f"{path}: no store there; build it with {fix}") from None
    except OSError as error:
        raise StoreError(f"{path}: cannot read the store ({error.strerror})") from None
    version = _format_version(data)
    if version is not None and version != FORMAT_VERSION:
        raise StoreError(
            f"{path}: store format {version} is stale (this version reads {FORMAT_VERSION}); "
            f"rebuild it with {fix}"
        )
    try:
        store = Store.model_validate_json(data)
    except ValidationError:
        raise StoreError(f"{path}: the store is damaged; rebuild it with {fix}") from None
    if articles_checksum(store.articles) != store.checksum:
        raise StoreError(f"{path}: the store does not match its checksum; rebuild it with {fix}")
    return store


def _format_version(data: bytes) -> int | None:
    """The format version of a store too old or new to validate, if it says one."""
    marker = b'"format_version":'
    start = data.find(marker)
    if start < 0:
        return None
    digits = data[start + len(marker) : start + len(marker) + 8].split(b",")[0].strip()
    return int(digits) if digits.isdigit() else None


def _load_default() -> Store:
    """The seeds and the articles administrators added, as the bot answers from them."""
    # Imported here: the library builds stores, which pulls in the fact extractor that
    # loading a fresh store never needs.
    from knowledge.library import Library

    return Library(DEFAULT_ARTICLES, DEFAULT_STORE, derived=True, seeds=[SEEDS]).open()
