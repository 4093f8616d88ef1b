"""RSS and Atom feed files: one article per item (the item's full content, else its summary)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from drift.ingest.base import Meta, ReadFailure, make_article, read_bytes
from drift.records import Article, ReadError

# Elements that start a new line of text (paragraphs and other blocks, line breaks).
BLOCK_TAGS = frozenset((
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "tr", "table", "section", "article", "header", "footer", "figure", "figcaption", "hr", "dd",
    "dt", "dl",
))
SKIP_TAGS = frozenset({"script", "style", "template", "noscript"})
WHITESPACE = re.compile(r"\s+")


class _FragmentText(HTMLParser):
    """Text of an HTML fragment; block elements become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(WHITESPACE.sub(" ", data))  # source line breaks are not paragraphs


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one paragraph per line.

    Feed items carry fragments (``<p>..</p><p>..</p>``), not documents: trafilatura's
    ``html2txt`` finds no ``<body>`` in them and returns nothing, so they are read here.
    """
    if "<" not in fragment and "&" not in fragment:
        return fragment.replace("\r\n", "\n")
    parser = _FragmentText()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def entry_article(entry: Any, *, default_id: str, source: str, outlet: str | None) -> Article:
    """The article carried by one parsed feed entry."""
    contents = entry.get("content") or []
    body = next((c.get("value", "") for c in contents if c.get("value")), "")
    body = body or entry.get("summary", "")
    text = html_to_text(body)
    if not text.strip():
        raise ReadFailure("feed item has no text")
    meta = Meta(
        id=None,
        title=entry.get("title"),
        outlet=outlet,
        url=entry.get("link"),
        date=entry.get("published") or entry.get("updated"),
        language=entry.get("language"),
    )
    return make_article(text, meta, default_id=default_id, source=source, raw_of="extract")


def parse_feed(data: bytes, source: str) -> tuple[list[Article], list[ReadError]]:
    """Articles of a feed document; a malformed feed with no readable item is one failure."""
    import feedparser  # type: ignore[import-untyped]

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None)
        raise ReadFailure(f"malformed or empty feed: {reason}" if reason else "feed has no items")
    outlet = parsed.feed.get("title")
    articles: list[Article] = []
    errors: list[ReadError] = []
    stem = Path(source).stem
    for n, entry in enumerate(parsed.entries, 1):
        where = f"{source}#{n}"
        try:
            articles.append(
                entry_article(entry, default_id=f"{stem}-{n}", source=where, outlet=outlet)
            )
        except ReadFailure as exc:
            errors.append(ReadError(where, str(exc)))
    reason = getattr(parsed, "bozo_exception", None) if parsed.get("bozo") else None
    if reason is not None and not articles:
        # A broken feed whose items all came out empty: one error for the file, saying why.
        raise ReadFailure(f"malformed feed: {reason}")
    return articles, errors


def read_feed(path: Path) -> tuple[list[Article], list[ReadError]]:
    """An .rss / .atom / .xml feed file."""
    return parse_feed(read_bytes(path), str(path))
