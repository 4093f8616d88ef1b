"""Reader base: raw bytes to decoded text with the checks every format shares."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drift.clean import clean
from drift.records import Article

# Larger files are refused: no news article is 20 MB of text, and reading one would stall the run.
MAX_BYTES = 20 * 1024 * 1024


class ReadFailure(Exception):
    """A file (or one item of it) that cannot be read; the message is one line for the user."""


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

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Meta:
        def text(key: str, *alts: str) -> str | None:
            for k in (key, *alts):
                value = data.get(k)
                if value is not None and str(value).strip():
                    return str(value).strip()
            return None

        ref = data.get("reference", False)
        return cls(
            id=text("id"),
            title=text("title", "headline"),
            outlet=text("outlet", "source_name", "site", "publisher"),
            url=text("url", "link"),
            date=text("date", "published", "published_at"),
            language=text("language", "lang"),
            reference=ref is True or str(ref).lower() in {"true", "yes", "1"},
        )


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing unreadable and oversized files."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            limit = MAX_BYTES // 2**20
            raise ReadFailure(f"file is {size / 1e6:.1f} MB, over the {limit} MB limit")
        return path.read_bytes()
    except OSError as exc:
        raise ReadFailure(f"cannot read file: {exc.strerror or exc}") from exc


def decode(data: bytes) -> str:
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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadFailure("empty file")
    return text


HEADLINE = re.compile(r"^[^\n]{3,200}$")


def make_article(body: str, meta: Meta, *, default_id: str, source: str) -> Article:
    """Clean ``body`` and build the Article; a short first line is the title when none is given."""
    cleaned = clean(body)
    if not cleaned.text.strip():
        raise ReadFailure("no article text left after removing boilerplate")
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
        language=meta.language,
        reference=meta.reference,
    )
