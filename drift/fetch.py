"""Polite HTTP fetching: timeouts, retries with backoff (honouring ``Retry-After``), a size cap,
conditional requests, robots.txt (RFC 9309) and a per-host rate limit."""

from __future__ import annotations

import logging
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from drift import __version__
from drift.config import FetchSettings

log = logging.getLogger(__name__)

USER_AGENT = f"drift/{__version__} (+https://example.invalid/drift)"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
RETRY_AFTER_STATUS = frozenset({429, 503})
RETRY_AFTER_CAP = 60.0  # seconds: a longer Retry-After is shortened to this (one pass must end)


class FetchError(Exception):
    """A URL that could not be fetched; the message is one line for the log and the run row."""


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said last time, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Fetched:
    """One response: ``not_modified`` (304) carries no body."""

    url: str
    status: int
    content: bytes
    validators: Validators
    not_modified: bool = False
    content_type: str = ""
    retry_after: float | None = None  # seconds a 429/503 asked us to wait


class Fetcher:
    """An HTTP client for one check pass (use as a context manager).

    ``clock`` and ``sleep`` (``time.monotonic`` and ``time.sleep`` by default) are what the
    per-host rate limit and the retry backoff read and wait with; tests pass fakes.
    """

    def __init__(self, settings: FetchSettings, *, user_agent: str = USER_AGENT,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.user_agent = user_agent
        self.clock = clock
        self.sleep = sleep
        self.max_bytes = int(settings.max_mb * 1024 * 1024)
        self._client = httpx.Client(
            timeout=httpx.Timeout(settings.timeout),
            headers={"User-Agent": user_agent},
            follow_redirects=True,
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._robots_down: set[str] = set()  # hosts whose robots.txt answered 5xx / not at all
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def _wait_turn(self, host: str) -> None:
        """Sleep until ``min_interval`` has passed since the last request to ``host``."""
        with self._lock:
            last = self._last.get(host)
            now = self.clock()
            if last is not None:
                delay = self.settings.min_interval - (now - last)
                if delay > 0:
                    self.sleep(delay)
            self._last[host] = self.clock()

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets drift fetch it (read once per host and pass).

        RFC 9309: a 4xx robots.txt (none) allows everything; a 5xx or an unreachable one
        disallows the host for this pass.
        """
        if not self.settings.respect_robots:
            return True
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self._robots:
            parser: urllib.robotparser.RobotFileParser | None = None
            try:
                got = self._get(f"{host}/robots.txt", Validators(), retries=0)
                if got.status >= 500:
                    raise FetchError(f"HTTP {got.status}")
                if got.status < 400:
                    parser = urllib.robotparser.RobotFileParser()
                    parser.parse(got.content.decode("utf-8", "replace").splitlines())
            except FetchError as exc:
                log.warning("robots.txt of %s unavailable (%s): not fetching from it this pass",
                            host, exc)
                parser = urllib.robotparser.RobotFileParser()
                parser.parse(["User-agent: *", "Disallow: /"])
                self._robots_down.add(host)
            self._robots[host] = parser
        parser = self._robots[host]
        return parser is None or parser.can_fetch(self.user_agent, url)

    def fetch(self, url: str, validators: Validators | None = None) -> Fetched:
        """GET ``url`` (conditionally when ``validators`` are given); raises FetchError."""
        if not self.allowed(url):
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" in self._robots_down:
                raise FetchError(f"{url}: robots.txt unavailable (server error): host skipped")
            raise FetchError(f"{url}: disallowed by robots.txt")
        sent = validators or Validators()
        got = self._get(url, sent, retries=self.settings.retries)
        if got.status >= 400:
            raise FetchError(f"{url}: HTTP {got.status}")
        if got.not_modified:  # a 304 need not repeat the validators: keep the ones we sent
            v = got.validators
            got = Fetched(url, 304, b"", Validators(v.etag or sent.etag,
                                                    v.last_modified or sent.last_modified),
                          not_modified=True)
        return got

    def _get(self, url: str, validators: Validators, *, retries: int) -> Fetched:
        headers = {}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        attempt = 0
        while True:
            delay = self.settings.backoff * 2**attempt
            try:
                result = self._once(url, headers)
            except FetchError as exc:
                retryable = exc.__cause__ is not None and not isinstance(exc.__cause__, _TooBig)
                if not retryable or attempt >= retries:
                    raise
                log.info("%s; retrying", exc)
            else:
                if result.status not in RETRY_STATUS:
                    return result
                if attempt >= retries:
                    raise FetchError(f"{url}: HTTP {result.status}")
                delay = max(delay, result.retry_after or 0.0)
                log.info("%s: HTTP %d; retrying in %.1f s", url, result.status, delay)
            self.sleep(delay)
            attempt += 1

    def _once(self, url: str, headers: dict[str, str]) -> Fetched:
        self._wait_turn(urlsplit(url).netloc)
        # a bound on real network time, not politeness: always the wall clock, not ``clock``
        deadline = time.monotonic() + self.settings.timeout * 3
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                if resp.status_code == 304:
                    return Fetched(url, 304, b"", _validators(resp.headers), not_modified=True)
                declared = resp.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise _TooBig(int(declared))
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise _TooBig(size)
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("response too slow")
                    chunks.append(chunk)
                wait = (_retry_after(resp.headers.get("Retry-After"))
                        if resp.status_code in RETRY_AFTER_STATUS else None)
                return Fetched(
                    url,
                    resp.status_code,
                    b"".join(chunks),
                    _validators(resp.headers),
                    content_type=resp.headers.get("Content-Type", ""),
                    retry_after=wait,
                )
        except _TooBig as exc:
            limit = self.settings.max_mb
            raise FetchError(f"{url}: response over the {limit:g} MB limit; cut off") from exc
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: timed out after {self.settings.timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from exc


class _TooBig(Exception):
    pass


def _validators(headers: httpx.Headers) -> Validators:
    return Validators(headers.get("ETag"), headers.get("Last-Modified"))


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), capped at
    ``RETRY_AFTER_CAP``; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)
