"""Stage 1: read article sets (files and folders) into cleaned Articles.

Every format lives in its own reader module; ``READERS`` maps file suffixes to them. A file
that cannot be read becomes a ``ReadError`` and the rest of the set is still read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from drift.ingest.base import MAX_BYTES, ReadFailure
from drift.ingest.feed import read_feed
from drift.ingest.html import read_html
from drift.ingest.jsonl import is_article, load_json, read_json, read_jsonl
from drift.ingest.text import read_text
from drift.records import Article, ArticleSet, ReadError

ReaderResult = list[Article] | tuple[list[Article], list[ReadError]]
READERS: dict[str, Callable[[Path], ReaderResult]] = {
    ".txt": read_text,
    ".md": read_text,
    ".markdown": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
}

__all__ = ["MAX_BYTES", "READERS", "ReadFailure", "read_file", "read_paths", "scan"]


def _is_documentation(path: Path) -> bool:
    """README, EXPECTED, LICENSE ...: upper-case file names are a folder's documentation."""
    letters = [c for c in path.stem if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def scan(folder: Path) -> tuple[list[Path], list[ReadError]]:
    """Article files of a folder (recursively, sorted): known suffixes only; hidden files,
    documentation files and JSON that holds no article (such as gold labels) are skipped."""
    files: list[Path] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith((".", "_")) for part in rel.parts) or not path.is_file():
            continue
        if path.suffix.lower() not in READERS or _is_documentation(path):
            continue
        if path.suffix.lower() == ".json":
            try:
                data = load_json(path)
            except ReadFailure:
                files.append(path)  # reported when read
                continue
            if not (is_article(data) or (isinstance(data, list) and data and is_article(data[0]))):
                continue
        files.append(path)
    return files, []


def read_file(path: Path) -> tuple[list[Article], list[ReadError]]:
    """Articles of one file, and the errors met reading it."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        message = f"unsupported file type {path.suffix or '(none)'}; drift reads {known}"
        return [], [ReadError(str(path), message)]
    try:
        result = reader(path)
    except ReadFailure as exc:
        return [], [ReadError(str(path), str(exc))]
    if isinstance(result, tuple):
        return result
    return result, []


def read_paths(paths: Iterable[str | Path], reference: str | Path | None = None) -> ArticleSet:
    """Read files and folders into one article set.

    ``reference`` names the original reporting: it is read (if not already among ``paths``) and
    marked as the reference. Article ids are made unique (``id``, ``id-2``, ...) in input order.
    """
    files: list[Path] = []
    errors: list[ReadError] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found, errs = scan(path)
            files.extend(found)
            errors.extend(errs)
        elif path.exists():
            files.append(path)
        else:
            errors.append(ReadError(str(path), "no such file or folder"))
    ref_path = Path(reference).resolve() if reference is not None else None
    if ref_path is not None and ref_path not in {f.resolve() for f in files}:
        files.insert(0, Path(reference))  # type: ignore[arg-type]
    seen: set[Path] = set()
    articles: list[Article] = []
    used: set[str] = set()
    for path in files:
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        got, errs = read_file(path)
        errors.extend(errs)
        for art in got:
            if ref_path is not None and resolved == ref_path and not art.reference:
                art = _replace(art, reference=True)
            new_id, n = art.id, 1
            while new_id in used:
                n += 1
                new_id = f"{art.id}-{n}"
            used.add(new_id)
            articles.append(art if new_id == art.id else _replace(art, id=new_id))
    return ArticleSet(tuple(articles), tuple(errors))


def _replace(article: Article, **changes: object) -> Article:
    from dataclasses import replace

    return replace(article, **changes)  # type: ignore[arg-type]
