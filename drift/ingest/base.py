"""Reader base: raw bytes to decoded text with the checks every format shares."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drift.clean import clean
from drift.ingest.languages import normalize_language
from drift.records import Article

# Larger files are refused: no news article is 20 MiB of text, and reading one would stall the run.
MAX_BYTES = 20 * 1024 * 1024
MIB = 1024 * 1024


class ReadFailure(Exception):
    """A file (or one item of it) that cannot be read; the message is one line for the user."""


# Metadata values drift accepts: YAML and JSON scalars (YAML reads an unquoted date as a date).
SCALARS = (str, int, float, bool, datetime.date)
META_KEYS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "title": ("title", "headline"),
    "outlet": ("outlet", "source_name", "site", "publisher"),
    "url": ("url", "link"),
    "date": ("date", "published", "published_at"),
    "language": ("language", "lang"),
}
# A metadata value longer than this is not metadata (a title is a line, a URL well under 2,000
# characters); it is cut with a note rather than carried into every report row.
MAX_META_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Meta:
    """Article metadata from front matter, JSON fields or HTML."""

    id: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: str | None = None
    language: str | None = None
    reference: bool = False
    notes: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Meta:
        """Known keys of ``data``; a value that is not a scalar (a list, a mapping) is ignored with
        a note, never turned into text (``str()`` of a nested value can be huge)."""
        notes: list[str] = []

        def text(field: str) -> str | None:
            for k in META_KEYS[field]:
                value = data.get(k)
                if value is None:
                    continue
                if not isinstance(value, SCALARS):
                    kind = "a list" if isinstance(value, list) else (
                        "a mapping" if isinstance(value, dict) else type(value).__name__)
                    notes.append(f"metadata field {k!r} is {kind}, not text; ignored")
                    continue
                found = str(value).strip()
                if len(found) > MAX_META_CHARS:
                    notes.append(f"metadata field {k!r} is {len(found):,} characters long; cut to "
                                 f"{MAX_META_CHARS:,}")
                    found = found[:MAX_META_CHARS]
                if found:
                    return found
            return None

        fields = {name: text(name) for name in META_KEYS}
        ref = data.get("reference", False)
        if not isinstance(ref, SCALARS):
            notes.append("metadata field 'reference' is not true or false; ignored")
            ref = False
        return cls(
            **fields,
            reference=ref is True or str(ref).lower() in {"true", "yes", "1"},
            notes=tuple(notes),
        )


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing unreadable and oversized files."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReadFailure(
                f"file is {size / MIB:.1f} MiB, over the {MAX_BYTES / MIB:g} MiB limit")
        return path.read_bytes()
    except OSError as exc:
        raise ReadFailure(f"cannot read file: {exc.strerror or exc}") from exc


@dataclass(frozen=True, slots=True)
class Source:
    """A file's text with newlines normalised, and where "\r\n" pairs were (see
    ``Article.raw_crlf``)."""

    text: str
    crlf: tuple[int, ...] = ()


def decode_source(data: bytes) -> Source:
    """UTF-8 text with newlines normalised, or a clear failure for binary and other encodings."""
    if b"\x00" in data[:8192]:
        raise ReadFailure("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadFailure(
            f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it to UTF-8"
        ) from exc
    text, crlf = normalise_newlines(text)
    if not text.strip():
        raise ReadFailure("empty file")
    return Source(text, crlf)


def normalise_newlines(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` with every line ending a "\n", and the positions (in the result) of the "\n"s
    that were "\r\n" (``Article.raw_crlf``), so offsets map back to the source's own text."""
    if "\r" not in text:
        return text, ()
    crlf: list[int] = []
    parts = text.split("\r\n")
    pos = -1
    for part in parts[:-1]:
        pos += len(part) + 1
        crlf.append(pos)
    return "\n".join(parts).replace("\r", "\n"), tuple(crlf)


def decode(data: bytes) -> str:
    """The text of :func:`decode_source` (for readers that need no map back to the file)."""
    return decode_source(data).text


# Cleaning that removes more than this share of an article's letters (image data excluded) gets a
# note. Calibrated on the seeds, which lose at most 26% (000_*.txt: a "Read also" list with its
# links), and the devset articles, which lose at most 14% (d06 c.txt): an article that loses more
# than half is more likely a page whose text was taken for furniture than a story in a busy page.
MOSTLY_REMOVED = 0.5

HEADLINE = re.compile(r"^[^\n]{3,200}$")


def make_article(body: str, meta: Meta, *, default_id: str, source: str,
                 raw_of: str | None = None, raw_base: int = 0,
                 raw_crlf: tuple[int, ...] = ()) -> Article:
    """Clean ``body`` and build the Article; a short first line is the title when none is given.

    ``raw_of``, ``raw_base`` and ``raw_crlf`` say where ``body`` lies in the source text (see
    ``Article``); the declared language is normalised to ISO 639-1 (unknown ones are dropped with
    a note).
    """
    cleaned = clean(body)
    if not cleaned.text.strip():
        raise ReadFailure("no article text left after removing boilerplate")
    notes = list(meta.notes)
    if cleaned.removed_share > MOSTLY_REMOVED:
        notes.append(f"cleaning removed {100 * cleaned.removed_share:.0f}% of the text as web "
                     "boilerplate; check that the article is complete")
    language = None
    if meta.language is not None:
        language = normalize_language(meta.language)
        if language is None:
            notes.append(f"unknown declared language {meta.language!r} (not an ISO 639 code or a "
                         "language name drift knows); the language is inferred from the text")
    title = meta.title
    if title is None:
        first = cleaned.text.split("\n", 1)[0].strip()
        if HEADLINE.match(first) and len(first.split()) <= 25 and not first.endswith("."):
            title = first
    return Article(
        id=meta.id or default_id,
        source=source,
        text=cleaned.text,
        raw=body,
        pieces=cleaned.pieces,
        title=title,
        outlet=meta.outlet,
        url=meta.url,
        date=meta.date,
        language=language,
        reference=meta.reference,
        raw_of=raw_of,
        raw_base=raw_base,
        raw_crlf=raw_crlf,
        notes=tuple(notes),
    )
