"""HTML pages: main text and metadata extracted with trafilatura."""

from __future__ import annotations

import re
from pathlib import Path

from drift.ingest.base import Meta, ReadFailure, decode, make_article, read_bytes
from drift.records import Article

HTML_LANG = re.compile(r"<html[^>]*\blang=[\"']?([A-Za-z]{2,3})", re.I)


def extract_html(html: str, *, default_id: str, source: str, url: str | None = None) -> Article:
    """The article in an HTML page (also used by the feed fetcher)."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True,
        with_metadata=True,
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise ReadFailure("no article text found in the HTML page")
    lang = HTML_LANG.search(html)
    meta = Meta(
        title=getattr(doc, "title", None),
        outlet=getattr(doc, "sitename", None),
        url=url or getattr(doc, "url", None),
        date=getattr(doc, "date", None),
        language=(getattr(doc, "language", None) or (lang.group(1).lower() if lang else None)),
    )
    return make_article(text.replace("\r\n", "\n"), meta, default_id=default_id, source=source,
                        raw_of="extract")


def read_html(path: Path) -> list[Article]:
    """An .html / .htm file: one article."""
    return [extract_html(decode(read_bytes(path)), default_id=path.stem, source=str(path))]
