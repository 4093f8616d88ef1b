"""Article pages given by URL: fetched with ``drift check``'s fetcher (timeouts, retries, a size
cap, robots.txt, a per-host interval) and extracted with the HTML reader (trafilatura)."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from drift.ingest.base import ReadFailure
from drift.records import Article

if TYPE_CHECKING:
    from drift.config import FetchSettings
    from drift.fetch import Fetcher

# The fetch settings of ``drift audit URL...`` (drift.config.FetchSettings' defaults when None).
FETCH_SETTINGS: FetchSettings | None = None


def is_url(path: str | Path) -> bool:
    """An http(s) URL (given as a string: ``Path`` would fold its ``//``)."""
    return isinstance(path, str) and path.lower().startswith(("http://", "https://"))


def url_id(url: str) -> str:
    """An article id from a URL: the last part of its path without the extension
    (``.../harbour-strike.html`` -> ``harbour-strike``), else the host name."""
    parts = urlsplit(url)
    name = PurePosixPath(unquote(parts.path)).name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    slug = re.sub(r"[^\w.-]+", "-", stem).strip("-.")
    return slug or parts.hostname or "page"


def open_fetcher(settings: FetchSettings | None = None) -> Fetcher:
    """A fetcher with ``settings`` (else ``FETCH_SETTINGS``, else the defaults of drift.toml)."""
    from drift.config import FetchSettings
    from drift.fetch import Fetcher

    return Fetcher(settings or FETCH_SETTINGS or FetchSettings())


def read_url(fetcher: Fetcher, url: str) -> Article:
    """The article of the page at ``url``; raises ReadFailure (one line) when it cannot be read."""
    from drift.fetch import FetchError
    from drift.ingest.base import decode
    from drift.ingest.html import extract_html

    try:
        got = fetcher.fetch(url)
    except FetchError as exc:
        message = str(exc)
        raise ReadFailure(message.removeprefix(f"{url}: ")) from exc
    return extract_html(decode(got.content), default_id=url_id(url), source=url, url=url)
