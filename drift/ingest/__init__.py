"""Stage 1: read article sets (files, folders and page URLs) into cleaned Articles.

Every format lives in its own reader module; ``READERS`` maps file suffixes to them, and
``web`` fetches pages given by URL. A file or page that cannot be read becomes a ``ReadError``
and the rest of the set is still read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from drift.ingest.base import MAX_BYTES, ReadFailure
from drift.ingest.feed import read_feed
from drift.ingest.html import read_html
from drift.ingest.jsonl import is_article, load_json, read_json, read_jsonl
from drift.ingest.text import read_text
from drift.ingest.web import is_url, open_fetcher, read_url
from drift.records import Article, ArticleSet, Note, ReadError

if TYPE_CHECKING:
    from drift.config import FetchSettings
    from drift.fetch import Fetcher

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

__all__ = [
    "DOCUMENTATION_NAMES",
    "MAX_BYTES",
    "READERS",
    "RawContext",
    "ReadFailure",
    "is_url",
    "raw_context",
    "read_file",
    "read_paths",
    "scan",
]

# A folder's documentation, not articles: these names with any extension and in any case
# (README.md, EXPECTED.md, LICENSE, notes.txt ...). Other upper-case names (CNN.txt, AP.txt) are
# articles like any other.
DOCUMENTATION_NAMES = frozenset((
    "readme", "expected", "license", "licence", "copying", "notice", "changelog", "changes",
    "history", "news", "notes", "contributing", "authors", "contributors", "maintainers",
    "code_of_conduct", "security", "todo", "install", "citation", "manifest",
))


def _is_documentation(path: Path) -> bool:
    """README, EXPECTED, LICENSE ... with any extension (``README.en.md`` too)."""
    return path.name.split(".", 1)[0].lower().replace("-", "_") in DOCUMENTATION_NAMES


def scan(folder: Path) -> tuple[list[Path], list[Note]]:
    """Article files of a folder (recursively, sorted), and notes on what was skipped.

    Only known suffixes are read. Skipped: hidden files and folders (``.name``, silently), names
    starting with ``_`` (drafts, ``__pycache__``: an info note), documentation files
    (``DOCUMENTATION_NAMES``: an info note) and JSON that holds no article, such as gold labels
    (an info note). A folder with no article file at all gets a warning note.
    """
    files: list[Path] = []
    notes: list[Note] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.suffix.lower() not in READERS:
            continue
        underscored = next((part for part in rel.parts if part.startswith("_")), None)
        if underscored is not None:
            notes.append(Note(str(path), f"skipped: names starting with '_' ({underscored}) are "
                                         "not read in folders; name the file to read it", "info"))
            continue
        if _is_documentation(path):
            notes.append(Note(str(path), "skipped: a documentation file, not an article", "info"))
            continue
        if path.suffix.lower() == ".json":
            try:
                data = load_json(path)
            except ReadFailure:
                files.append(path)  # reported when read
                continue
            if not (is_article(data) or (isinstance(data, list) and data and is_article(data[0]))):
                notes.append(Note(str(path), "skipped: JSON without an article (no object with a "
                                             "text field)", "info"))
                continue
        files.append(path)
    if not files:
        known = ", ".join(sorted(READERS))
        notes.append(Note(str(folder), f"no article files in this folder (drift reads {known})"))
    return files, notes


def read_file(path: Path) -> tuple[list[Article], list[ReadError]]:
    """Articles of one file, and the errors met reading it.

    A failure of any parser (malformed input, input nested too deeply, ...) is one ReadError for
    the file; it never stops the rest of the set.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        message = f"unsupported file type {path.suffix or '(none)'}; drift reads {known}"
        return [], [ReadError(str(path), message)]
    try:
        result = reader(path)
    except ReadFailure as exc:
        return [], [ReadError(str(path), str(exc))]
    except RecursionError:
        return [], [ReadError(str(path), "cannot read: the input is nested too deeply")]
    except MemoryError:
        return [], [ReadError(str(path), "cannot read: the input is too large for memory")]
    except Exception as exc:  # a parser's own failure (trafilatura, lxml, feedparser ...)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        detail = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
        return [], [ReadError(str(path), f"cannot read: {detail}")]
    if isinstance(result, tuple):
        return result
    return result, []


def read_paths(paths: Iterable[str | Path], reference: str | Path | None = None,
               fetch: FetchSettings | None = None) -> ArticleSet:
    """Read files, folders and page URLs into one article set.

    ``reference`` names the original reporting: it is read (if not already among ``paths``) and
    marked as the reference. Article ids are made unique (``id``, ``id-2``, ...) in input order.
    URLs (strings starting with http:// or https://) are fetched with ``drift check``'s fetcher
    (``fetch`` settings, else its defaults) and read as HTML pages; a page that cannot be fetched
    or read is one ReadError like an unreadable file.
    """
    files: list[Path | str] = []
    errors: list[ReadError] = []
    notes: list[Note] = []
    for p in paths:
        if is_url(p):
            files.append(str(p))
            continue
        folder = Path(p)
        if folder.is_dir():
            found, skipped = scan(folder)
            files.extend(found)
            notes.extend(skipped)
        elif folder.exists():
            files.append(folder)
        else:
            errors.append(ReadError(str(folder), "no such file or folder"))
    ref_key = _key(reference) if reference is not None else None
    if reference is not None and ref_key not in {_key(f) for f in files}:
        files.insert(0, str(reference) if is_url(reference) else Path(reference))
    seen: set[Path | str] = set()
    articles: list[Article] = []
    used: set[str] = set()
    fetcher: Fetcher | None = None
    try:
        for item in files:
            key = _key(item)
            if key in seen:
                continue
            seen.add(key)
            if isinstance(item, str):
                fetcher = fetcher or open_fetcher(fetch)
                got, errs = _read_page(fetcher, item)
            else:
                got, errs = read_file(item)
            errors.extend(errs)
            if not got and not errs:
                empty_json = isinstance(item, Path) and item.suffix.lower() == ".json"
                notes.append(Note(str(item), "holds no article"
                                  + (" (an empty JSON list)" if empty_json else "")))
            for art in got:
                if ref_key is not None and key == ref_key and not art.reference:
                    art = _replace(art, reference=True)
                new_id, n = art.id, 1
                while new_id in used:
                    n += 1
                    new_id = f"{art.id}-{n}"
                used.add(new_id)
                articles.append(art if new_id == art.id else _replace(art, id=new_id))
    finally:
        if fetcher is not None:
            fetcher.close()
    return ArticleSet(tuple(articles), tuple(errors), tuple(notes))


def _key(path: str | Path) -> Path | str:
    """What makes two inputs the same: the resolved file, or the URL."""
    return str(path) if is_url(path) else Path(path).resolve()


def _read_page(fetcher: Fetcher, url: str) -> tuple[list[Article], list[ReadError]]:
    try:
        return [read_url(fetcher, url)], []
    except ReadFailure as exc:
        return [], [ReadError(url, str(exc))]
    except Exception as exc:  # trafilatura's or lxml's own failure on a hostile page
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return [], [ReadError(url, f"cannot read: {type(exc).__name__}"
                              + (f": {first}" if first else ""))]


def _replace(article: Article, **changes: object) -> Article:
    from dataclasses import replace

    return replace(article, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class RawContext:
    """A cleaned span located in the source text, with the source text around it.

    ``start``/``end`` index the source text (``Article.raw_of``: the file's text for .txt/.md, the
    JSON text field, trafilatura's extraction of an HTML page); ``text`` is the source slice,
    which may hold furniture that cleaning removed from inside the span.
    """

    start: int
    end: int
    before: str
    text: str
    after: str
    of: str | None


def raw_context(article: Article, start: int, end: int, width: int = 80) -> RawContext:
    """The cleaned span ``article.text[start:end]`` in the source (``article.raw`` mapped through
    the cleaning pieces, the front matter and the line endings), with up to ``width`` characters
    of source context on each side (newlines normalised)."""
    lo, hi = article.raw_offset(start), (article.raw_offset(end - 1) + 1 if end > start
                                         else article.raw_offset(start))
    raw = article.raw
    src_start, src_end = article.source_span(start, end)
    return RawContext(src_start, src_end, raw[max(0, lo - width):lo], raw[lo:hi],
                      raw[hi:hi + width], article.raw_of)
