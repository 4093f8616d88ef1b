"""drift check / watch against a local HTTP server, SMTP server and webhook receiver.

Everything is local: an ``http.server`` on 127.0.0.1 (random port) serves feeds and article
pages that each test changes between runs, and receives the webhook alerts; aiosmtpd receives
the email alerts.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import need_apertium

from drift.config import ConfigError, load_config, parse_config
from drift.fetch import Fetcher, FetchError, Validators
from drift.store import SCHEMA_VERSION, Store
from drift.watch import matches, next_times, parse_since, run_check, similarity

ROOT = Path(__file__).resolve().parents[1]

# ---------------------------------------------------------------- a controllable local server


@dataclass
class Route:
    """What the server answers on one path."""

    body: bytes | Callable[[], Iterator[bytes]] = b""
    status: int = 200
    content_type: str = "application/rss+xml"
    delay: float = 0.0
    etag: bool = True
    validators_on_304: bool = True  # False: a 304 that does not repeat the ETag
    statuses: list[int] = field(default_factory=list)  # answered first, one per request
    retry_after: str | None = None  # sent with those statuses


@dataclass
class Server:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    post_headers: list[dict[str, str]] = field(default_factory=list)
    report_missing: list[str] = field(default_factory=list)  # alerts naming no report file
    answers: list[tuple[str, int]] = field(default_factory=list)  # (path, status) sent
    times: list[float] = field(default_factory=list)  # clock() at each GET, when clock is set
    clock: Callable[[], float] | None = None
    post_status: int = 200

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[dict[str, str]]:
        return [h for m, p, h in self.requests if p == path and m == "GET"]


def _etag(body: bytes) -> str:
    import hashlib

    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server("")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            state.requests.append(("POST", self.path, dict(self.headers)))
            body = json.loads(self.rfile.read(length))
            if state.post_status == 200:
                state.posts.append(body)
                state.post_headers.append(dict(self.headers))
                if not Path(body["report"]).is_file():
                    state.report_missing.append(body["report"])
            self.send_response(state.post_status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            state.requests.append(("GET", self.path, dict(self.headers)))
            if state.clock is not None:
                state.times.append(state.clock())
            route = state.routes.get(self.path)
            if route is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.delay:
                time.sleep(route.delay)
            if route.statuses:
                status = route.statuses.pop(0)
                state.answers.append((self.path, status))
                self.send_response(status)
                if route.retry_after:
                    self.send_header("Retry-After", route.retry_after)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            try:
                if callable(route.body):
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    self.end_headers()
                    for chunk in route.body():
                        self.wfile.write(chunk)
                    return
                tag = _etag(route.body)
                if route.etag and self.headers.get("If-None-Match") == tag:
                    state.answers.append((self.path, 304))
                    self.send_response(304)
                    if route.validators_on_304:
                        self.send_header("ETag", tag)
                    self.end_headers()
                    return
                state.answers.append((self.path, route.status))
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", tag)
                self.end_headers()
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (size cap, timeout, killed)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@dataclass
class Mailbox:
    port: int
    messages: list[bytes] = field(default_factory=list)


@pytest.fixture
def smtp() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    box = Mailbox(0)

    class Handler:
        async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
            box.messages.append(envelope.content)
            return "250 OK"

    with socket.socket() as probe:  # aiosmtpd cannot start on port 0: take a free port
        probe.bind(("127.0.0.1", 0))
        box.port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


# ---------------------------------------------------------------- the story's texts (our own)

REFERENCE = (
    "City council approves school plan\n\n"
    "Mayor Anna Berg said on Monday that the city will build 40 new schools by 2030. "
    "The council approved the plan by a vote of 7 to 2. "
    "Berg said the schools would be paid for by a bond.\n"
)
FAITHFUL = (
    "Mayor Anna Berg said on Monday that the city will build 40 new schools by 2030. "
    "The council approved the plan by a vote of 7 to 2."
)
DRIFTED = FAITHFUL.replace("40 new schools", "400 new schools")
EDITED = FAITHFUL.replace("by 2030", "by 2045")
UNRELATED = "The harbour festival opens on Saturday with fireworks and a boat parade."


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed of (link, title, text) items, text escaped in <description>."""
    when = format_datetime(datetime.now(UTC))
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<guid>{escape(link)}</guid><pubDate>{when}</pubDate>"
        f"<description>{escape(text)}</description></item>"
        for link, t, text in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://x.invalid/</link>"
        f"<description>d</description>{body}</channel></rss>"
    ).encode()


def page(title: str, text: str) -> bytes:
    paras = "".join(f"<p>{escape(p)}</p>" for p in text.split(". ") if p)
    return (
        f"<!doctype html><html lang='en'><head><title>{escape(title)}</title></head><body>"
        f"<article><h1>{escape(title)}</h1>{paras}</article></body></html>"
    ).encode()


def write_config(tmp: Path, text: str) -> Path:
    path = tmp / "drift.toml"
    path.write_text(text, encoding="utf-8")
    return path


FETCH = """
[fetch]
timeout = 0.5
retries = 1
backoff = 0.01
max_mb = 1
min_interval = 0
"""


def base_config(tmp: Path, server: Server, *, sources: str, story_sources: list[str],
                alerts: str, extra_story: str = "", lock_timeout: float = 2) -> Path:
    (tmp / "reference.md").write_text(REFERENCE, encoding="utf-8")
    return write_config(tmp, f"""
[defaults]
store = "drift.sqlite"
reports = "reports"
translator = "identity"
alert_severity = "medium"
lock_timeout = {lock_timeout}
{FETCH}
{alerts}
{sources}
[[story]]
name = "schools <plan>"
reference = "reference.md"
sources = {json.dumps(story_sources)}
schedule = "*/5 * * * *"
[story.match]
keywords = ["Berg", "schools"]
keywords_mode = "all"
entities = ["Anna Berg"]
min_similarity = 0.2
window_days = 7
{extra_story}
""")


def store_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        return {
            t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("articles", "findings", "alerts")
        } | {"unsent": db.execute("SELECT COUNT(*) FROM alerts WHERE sent IS NULL").fetchone()[0]}
    finally:
        db.close()


# ---------------------------------------------------------------- config


@pytest.mark.parametrize(
    ("snippet", "key"),
    [
        ('[[story]]\nname = "s"\nsources = ["nope"]\nreference = "r.md"\n', "story[0].sources"),
        ('[[source]]\nname = "f"\nurl = "ftp://x"\n', "source[0].url"),
        ('[[source]]\nname = "f"\nurl = "http://x/"\n[[story]]\nname = "s"\nsources = ["f"]\n',
         "story[0].reference"),
        ('[[source]]\nname = "f"\nurl = "http://x/"\n[[story]]\nname = "s"\nsources = ["f"]\n'
         'first_from = "f"\nschedule = "every day"\n', "story[0].schedule"),
        ('[[source]]\nname = "f"\nurl = "http://x/"\n[[story]]\nname = "s"\nsources = ["f"]\n'
         'first_from = "f"\n[story.match]\nmin_similarity = 2\n', "story[0].match.min_similarity"),
        ('[alerts]\nwebhook = "nope"\n[[story]]\nname = "s"\n', "alerts.webhook"),
        ('[alerts]\nreport_base_url = "reports/"\n', "alerts.report_base_url"),
        ('[fetch]\ntimeuot = 3\n', "fetch.timeuot"),
        ("[defaults]\nalert_severity = \"urgent\"\n", "defaults.alert_severity"),
    ],
)
def test_config_errors_name_the_key(tmp_path: Path, snippet: str, key: str) -> None:
    with pytest.raises(ConfigError, match="^" + re.escape(key)):
        load_config(write_config(tmp_path, snippet))


def test_example_config_is_valid() -> None:
    cfg = load_config(ROOT / "examples" / "drift.toml")
    assert cfg.stories[0].name == "harbour-strike"
    assert Path(cfg.stories[0].reference or "").is_file()
    assert next_times(cfg, datetime(2026, 1, 1, 0, 10, tzinfo=UTC))["harbour-strike"] == (
        datetime(2026, 1, 1, 0, 30, tzinfo=UTC)
    )


def test_matching_rules() -> None:
    from drift.ingest.base import Meta, make_article

    cfg = parse_config(
        {"source": [{"name": "f", "url": "http://x/"}],
         "story": [{"name": "s", "sources": ["f"], "first_from": "f",
                    "match": {"keywords": ["schools", "bond"], "keywords_mode": "all",
                              "entities": ["Anna Berg"], "min_similarity": 0.3,
                              "window_days": 2}}]},
        base=Path("."),
    )
    story = cfg.stories[0]
    ref = make_article(REFERENCE, Meta(), default_id="r", source="r")

    def art(text: str, date: str | None = None) -> Any:
        return make_article(text, Meta(date=date), default_id="a", source="a")

    assert matches(story, art(REFERENCE), ref) == (True, "")
    assert not matches(story, art(FAITHFUL), ref)[0]  # "bond" missing: keywords all
    assert "Anna Berg" in matches(story, art(REFERENCE.replace("Anna ", "")), ref)[1]
    old = format_datetime(datetime.now(UTC) - timedelta(days=5))
    assert matches(story, art(REFERENCE, old), ref)[1] == "outside the time window"
    assert similarity(UNRELATED, REFERENCE) < 0.2 < similarity(FAITHFUL, REFERENCE)
    assert parse_since("2d", datetime(2026, 1, 3, tzinfo=UTC)) == "2026-01-01T00:00:00+00:00"
    assert parse_since("2026-01-01") == "2026-01-01T00:00:00+00:00"
    with pytest.raises(ValueError, match="--since"):
        parse_since("yesterday")


# ---------------------------------------------------------------- fetching


@dataclass
class FakeClock:
    """A fake clock for the Fetcher: it moves only when the code under test sleeps on it."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_fetcher_retries_caps_and_is_polite(server: Server) -> None:
    from drift.config import FetchSettings
    from drift.fetch import USER_AGENT

    server.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", etag=False,
                                         content_type="text/plain")
    server.routes["/ok"] = Route(b"<rss/>")
    server.routes["/private/x"] = Route(b"secret")
    server.routes["/down"] = Route(b"", status=500, etag=False)
    server.routes["/slow"] = Route(b"late", delay=1.0)
    produced: list[int] = []  # chunks of /huge the server got to send

    def huge() -> Iterator[bytes]:
        for _ in range(800):  # 50 MB
            produced.append(1)
            yield b"x" * 65536

    server.routes["/huge"] = Route(huge)
    settings = FetchSettings(timeout=0.3, retries=2, backoff=0.01, max_mb=1, min_interval=0.2)
    clock = FakeClock()
    server.clock = clock  # the server notes the fetcher's (fake) time of each request
    with Fetcher(settings, clock=clock, sleep=clock.sleep) as f:
        got = f.fetch(server.url("/ok"))
        assert got.content == b"<rss/>" and got.validators.etag
        again = f.fetch(server.url("/ok"), Validators(got.validators.etag))
        assert again.not_modified and again.content == b""
        with pytest.raises(FetchError, match=r"robots\.txt"):
            f.fetch(server.url("/private/x"))
        with pytest.raises(FetchError, match="HTTP 500"):
            f.fetch(server.url("/down"))
        with pytest.raises(FetchError, match="timed out"):
            f.fetch(server.url("/slow"))
        with pytest.raises(FetchError, match="1 MB limit"):
            f.fetch(server.url("/huge"))
    assert len(server.hits("/huge")) == 1  # cut off, not retried
    assert len(produced) < 800  # and not downloaded whole
    assert len(server.hits("/down")) == 3  # one try and two retries
    assert len(server.hits("/robots.txt")) == 1  # cached per host
    assert server.hits("/private/x") == []
    assert all(h["User-Agent"] == USER_AGENT for _m, _p, h in server.requests)
    assert server.hits("/ok")[1]["If-None-Match"] == got.validators.etag
    # per-host rate limit: consecutive requests at least min_interval apart on the fetcher's
    # clock, which only the fetcher's own sleeps move
    assert len(server.times) == len(server.requests)
    gaps = [b - a for a, b in zip(server.times, server.times[1:], strict=False)]
    assert min(gaps) >= settings.min_interval - 1e-9
    # /down's retries too: the backoff sleep (0.01 s, 0.02 s) is topped up to min_interval
    down = server.requests.index(next(r for r in server.requests if r[1] == "/down"))
    assert gaps[down:down + 2] == pytest.approx([0.2, 0.2])


def test_fetcher_robots_5xx_retry_after_and_304_validators(server: Server,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from drift import fetch
    from drift.config import FetchSettings

    settings = FetchSettings(timeout=2, retries=1, backoff=0.01, max_mb=1, min_interval=0)
    clock = FakeClock()
    server.routes["/robots.txt"] = Route(b"", status=503, etag=False)
    server.routes["/ok"] = Route(b"<rss/>", validators_on_304=False)
    with Fetcher(settings) as f:  # RFC 9309: robots.txt answering 5xx disallows the host
        with pytest.raises(FetchError, match=r"robots\.txt unavailable"):
            f.fetch(server.url("/ok"))
        with pytest.raises(FetchError, match=r"robots\.txt unavailable"):
            f.fetch(server.url("/ok"))
    assert len(server.hits("/robots.txt")) == 1 and server.hits("/ok") == []
    del server.routes["/robots.txt"]  # a 404: no robots.txt, everything allowed
    server.routes["/busy"] = Route(b"fine", statuses=[429], retry_after="1")
    with Fetcher(settings, clock=clock, sleep=clock.sleep) as f:
        got = f.fetch(server.url("/ok"))
        again = f.fetch(server.url("/ok"), got.validators)  # a 304 without an ETag
        assert again.not_modified and again.validators == got.validators
        assert clock.sleeps == []  # min_interval 0: no waiting between requests
        assert f.fetch(server.url("/busy")).content == b"fine"
        assert clock.sleeps == [1.0]  # Retry-After, not the 0.01 s backoff
        server.routes["/busy"] = Route(b"fine", statuses=[503], retry_after="3600")
        assert f.fetch(server.url("/busy")).content == b"fine"
        assert clock.sleeps == [1.0, 60.0]  # an hour's Retry-After capped at RETRY_AFTER_CAP
        monkeypatch.setattr(fetch, "RETRY_AFTER_CAP", 0.2)  # the cap is read at each answer
        server.routes["/busy"] = Route(b"fine", statuses=[503], retry_after="3600")
        assert f.fetch(server.url("/busy")).content == b"fine"
        assert clock.sleeps[-1] == 0.2
    # without Retry-After the backoff doubles at each retry
    clock = FakeClock()
    server.routes["/flaky"] = Route(b"fine", statuses=[503, 502, 500])
    patient = FetchSettings(timeout=2, retries=3, backoff=0.5, max_mb=1, min_interval=0)
    with Fetcher(patient, clock=clock, sleep=clock.sleep) as f:
        assert f.fetch(server.url("/flaky")).content == b"fine"
    assert clock.sleeps == [0.5, 1.0, 2.0]
    assert fetch._retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past
    assert fetch._retry_after("soon") is None


def test_feed_parsing_empty_and_malformed(caplog: pytest.LogCaptureFixture) -> None:
    from drift.config import Source
    from drift.watch import _feed_items

    src = Source("f", "http://x.invalid/f.xml", "feed")
    with caplog.at_level("INFO"):
        assert _feed_items(rss("Empty", []), src) == []
    assert "malformed" not in caplog.text and "no items" in caplog.text
    for bad in (b"<rss><channel><item><title>oops</tit", b"<html><body>hi</body></html>"):
        with pytest.raises(FetchError, match="malformed feed"):
            _feed_items(bad, src)


# ---------------------------------------------------------------- a check pass, end to end


def test_check_end_to_end(server: Server, smtp: Mailbox, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    s = server
    s.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", etag=False,
                                    content_type="text/plain")
    feed_a = [(s.url("/n/1"), "Schools plan backed", FAITHFUL),
              (s.url("/n/2"), "Berg promises schools", DRIFTED),
              (s.url("/n/9"), "Harbour festival", UNRELATED)]
    s.routes["/a.xml"] = Route(rss("Paper A", feed_a))
    s.routes["/b.xml"] = Route(rss("Paper B", feed_a[:1]))  # the same item: stored once
    s.routes["/p.html"] = Route(page("Schools plan", FAITHFUL), content_type="text/html")
    s.routes["/down.xml"] = Route(b"", status=500, etag=False)
    s.routes["/slow.xml"] = Route(rss("Slow", feed_a), delay=1.5)
    s.routes["/bad.xml"] = Route(b"<rss><channel><item><title>oops</tit")
    s.routes["/huge.xml"] = Route(lambda: (b"<!-- padding -->" * 4096 for _ in range(800)))
    s.routes["/private/f.xml"] = Route(rss("Private", feed_a))
    names = ["a", "b", "p", "down", "slow", "bad", "huge", "private"]
    paths = ["/a.xml", "/b.xml", "/p.html", "/down.xml", "/slow.xml", "/bad.xml", "/huge.xml",
             "/private/f.xml"]
    sources = "".join(
        f'[[source]]\nname = "{n}"\nurl = "{s.url(p)}"\n' for n, p in zip(names, paths, strict=True)
    )
    alerts = (f'[alerts]\nstdout = true\nwebhook = "{s.url("/hook")}"\n[alerts.email]\n'
              f'host = "127.0.0.1"\nport = {smtp.port}\nfrom = "drift@test.invalid"\n'
              f'to = ["desk@test.invalid"]\n')
    cfg = load_config(base_config(tmp_path, s, sources=sources, story_sources=names,
                                  alerts=alerts))
    store = tmp_path / "drift.sqlite"
    monkeypatch.chdir(tmp_path)

    # run 1: two articles (one drifted) and a page; five broken sources are skipped
    with caplog.at_level("WARNING", logger="drift.watch"):
        r1 = run_check(cfg)
    assert r1.status == "partial"
    problems = "\n".join(r1.problems)
    for what in ("HTTP 500", "timed out", "malformed", "1 MB limit", "robots.txt"):
        assert what in problems
    # the slow feed is logged and skipped; the sources after it are still read
    assert re.search(r"source slow: \S+/slow\.xml: timed out", problems)
    assert re.search(r"source slow skipped: .*timed out", caplog.text)
    assert all(s.hits(p) for p in ("/bad.xml", "/huge.xml"))
    assert store_counts(store)["articles"] == 4  # reference, /n/1 (once), /n/2, the page
    assert [f["type"] for f in r1.new_findings] == ["number_change"]
    assert [p["type"] for p in s.posts] == ["number_change"]
    hook = s.posts[0]
    assert hook["story"] == "schools <plan>" and hook["outlet"] == "Paper A"
    assert "Number changed" in hook["text"] and "400 new schools" in hook["text"]
    assert hook["report"].endswith(("report.html", "report.json"))
    assert len(smtp.messages) == 1
    mail = message_from_bytes(smtp.messages[0])
    assert mail.is_multipart()
    parts = {p.get_content_type(): p.get_payload(decode=True).decode() for p in mail.walk()
             if not p.is_multipart()}
    assert "Number changed" in parts["text/plain"]
    assert "<a href=\"file://" in parts["text/html"]
    key = hook["idempotency_key"]  # the same finding id on every channel, for deduplication
    assert mail["X-Drift-Idempotency-Key"] == key and key in mail["Message-ID"]
    assert s.post_headers[0]["Idempotency-Key"] == key and s.report_missing == []
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["type"] for x in lines] == ["number_change"]
    assert (tmp_path / "reports" / "schools-plan" / "report.json").is_file()
    index = (tmp_path / "reports" / "index.html").read_text()
    assert "schools &lt;plan&gt;" in index and "<plan>" not in index
    run_row = Store(store).runs()[0]
    assert run_row["status"] == "partial" and "HTTP 500" in run_row["problems"]

    # run 2: nothing changed: conditional requests, no new alert
    r2 = run_check(cfg)
    assert r2.new_findings == [] and len(s.posts) == 1 and len(smtp.messages) == 1
    assert s.hits("/a.xml")[-1].get("If-None-Match")
    assert store_counts(store)["articles"] == 4

    # run 3: a new faithful item appears and the page is edited to introduce a drift
    s.routes["/a.xml"] = Route(rss("Paper A", [*feed_a, (s.url("/n/3"), "More on schools",
                                                         FAITHFUL + " The vote was close.")]))
    s.routes["/p.html"] = Route(page("Schools plan", EDITED), content_type="text/html")
    r3 = run_check(cfg)
    new = [(f["type"], f["found"]) for f in r3.new_findings if f["severity"] != "low"]
    assert len(new) == 1 and "2045" in str(new[0][1])
    assert len(s.posts) == 2 and len(smtp.messages) == 2
    assert s.posts[1]["url"] == s.url("/p.html")
    counts = store_counts(store)
    assert counts["articles"] == 6  # + /n/3, + the page's second version (the first is kept)
    assert counts["unsent"] == 0
    with Store(store) as st:
        versions = [e["event"] for e in st.history("schools <plan>")]
        assert "article v2" in versions
        assert st.schema_version == SCHEMA_VERSION

    # the CLI reads the store
    from typer.testing import CliRunner

    from drift.cli import app

    out = CliRunner().invoke(app, ["findings", "--since", "1d", "--json", "--store", str(store)])
    assert out.exit_code == 0
    assert {f["type"] for f in json.loads(out.stdout)} >= {"number_change"}
    out = CliRunner().invoke(app, ["history", "schools <plan>", "--store", str(store), "--json"])
    assert out.exit_code == 0 and any(e["event"] == "article v2" for e in json.loads(out.stdout))


def test_feed_items_are_read_from_their_linked_pages(server: Server, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    """A feed item's text comes from its page (conditional requests kept across 304s without
    validators); an edit to the page alone makes a new version and one alert."""
    from drift.watch import item_key

    s = server
    teaser = "Anna Berg on schools: read the full story."
    s.routes["/f.xml"] = Route(rss("Paper A", [(s.url("/n/1"), "Schools plan", teaser),
                                               (s.url("/n/2"), "Schools vote", FAITHFUL)]))
    s.routes["/n/1"] = Route(page("Schools plan", FAITHFUL), content_type="text/html",
                             validators_on_304=False)  # /n/2 has no page: the feed's text serves
    cfg = load_config(base_config(
        tmp_path, s, sources=f'[[source]]\nname = "a"\nurl = "{s.url("/f.xml")}"\n',
        story_sources=["a"], alerts=f'[alerts]\nstdout = false\nwebhook = "{s.url("/hook")}"\n'
        'report_base_url = "https://desk.example.invalid/drift/"\n'))
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "drift.sqlite"
    key1, key2 = item_key(s.url("/n/1")), item_key(s.url("/n/2"))

    with caplog.at_level("WARNING"):
        r1 = run_check(cfg)
    assert r1.status == "ok", r1.problems
    assert "using the feed's text" in caplog.text and s.url("/n/2") in caplog.text
    with Store(store) as st:
        latest = st.latest("schools <plan>")
    assert latest[key1].article.source == s.url("/n/1") and "40 new schools" in (
        latest[key1].article.text) and teaser not in latest[key1].article.text
    assert latest[key1].article.outlet == "Paper A"  # the feed's metadata kept
    assert latest[key2].article.text.startswith("Mayor Anna Berg")
    assert s.posts == []

    for _ in range(2):  # unchanged: the feed and the page answer 304, twice (ETag kept)
        r = run_check(cfg)
        assert r.new_findings == [] and r.stories[0].new_articles == 0
        assert s.hits("/n/1")[-1].get("If-None-Match")
    assert [st for p, st in s.answers if p == "/n/1"] == [200, 304, 304]

    s.routes["/n/1"] = Route(page("Schools plan", DRIFTED), content_type="text/html",
                             validators_on_304=False)  # the page alone is edited
    r4 = run_check(cfg)
    assert [st for p, st in s.answers if p == "/f.xml"][-1] == 304
    assert [(f["type"], f["article"]) for f in r4.new_findings
            if f["severity"] != "low"] == [("number_change", key1)]
    assert len(s.posts) == 1 and "400 new schools" in s.posts[0]["text"]
    hook = s.posts[0]
    assert hook["report_url"] == "https://desk.example.invalid/drift/schools-plan/report.html"
    assert hook["report_url"] in hook["text"] and Path(hook["report"]).is_file()
    assert s.post_headers[0]["Idempotency-Key"] == hook["idempotency_key"]
    with Store(store) as st:
        assert st.latest("schools <plan>")[key1].version == 2
        assert [f["drift_key"] for f in st.findings() if f["severity"] != "low"] == [
            hook["idempotency_key"]]
    run_check(cfg)
    assert len(s.posts) == 1 and s.report_missing == []


def test_failed_story_is_recorded_and_its_alerts_wait_for_its_report(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from drift.cli import app

    s = server
    s.routes["/a.xml"] = Route(rss("Paper A", [(s.url("/n/1"), "Schools", DRIFTED)]))
    base_config(tmp_path, s, sources=f'[[source]]\nname = "a"\nurl = "{s.url("/a.xml")}"\n',
                story_sources=["a"],
                alerts=f'[alerts]\nstdout = false\nwebhook = "{s.url("/hook")}"\n')
    (tmp_path / "reports").write_text("a file where the reports folder should be")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path / "cache"))
    store = tmp_path / "drift.sqlite"
    runner = CliRunner()
    first = runner.invoke(app, ["check"])
    assert first.exit_code == 3, first.output  # a story failed (not a traceback's 1)
    with Store(store) as st:
        run = st.runs()[0]
    assert run["status"] == "failed" and "report not written" in run["problems"]
    assert run["new_findings"] >= 1 and run["new_articles"] == 1 and run["alerts_sent"] == 0
    assert s.posts == [] and store_counts(store)["unsent"] == 1  # no alert without its report
    (tmp_path / "reports").unlink()  # fixed: the report is written from the store, then sent
    second = runner.invoke(app, ["check"])
    assert second.exit_code == 0, second.output
    assert len(s.posts) == 1 and s.report_missing == []
    assert Path(s.posts[0]["report"]).is_file()
    assert runner.invoke(app, ["check"]).exit_code == 0 and len(s.posts) == 1


def test_watch_retries_a_busy_store_soon_and_survives_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pass skipped for a busy store is retried after lock_timeout, not at the next cron
    tick; any other error is logged and the next tick runs."""
    from drift import watch as w
    from drift.store import StoreBusy

    cfg = parse_config(
        {"defaults": {"lock_timeout": 0.3},
         "source": [{"name": "f", "url": "http://x.invalid/"}],
         "story": [{"name": "s", "sources": ["f"], "first_from": "f", "schedule": "*/5 * * * *"}]},
        base=tmp_path)
    t0 = datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC)
    now = [t0]  # the watch loop's time: it moves only when the loop waits on ``stop``

    class FakeStop(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            assert timeout is not None and timeout > 0
            now[0] += timedelta(seconds=timeout)
            if now[0] > t0 + timedelta(hours=1):  # a broken retry fails the test, not hangs it
                self.set()
            return self.is_set()

    calls: list[datetime] = []
    stop = FakeStop()

    def fake_run_check(config: Any, **kwargs: Any) -> Any:
        calls.append(now[0])
        if len(calls) == 1:
            raise StoreBusy("another drift check is running")
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        stop.set()
        return w.CheckResult(3, "ok", (), 0, 0)

    monkeypatch.setattr(w, "run_check", fake_run_check)
    passes = w.watch(cfg, stop=stop, run_now=True, clock=lambda: now[0])
    assert passes == 3
    assert calls[0] == t0  # --run-now
    # busy: retried after lock_timeout (0.3 s), raised to BUSY_RETRY_MIN, not at the next tick
    assert calls[1] - calls[0] == timedelta(seconds=w.BUSY_RETRY_MIN)
    tick = datetime(2026, 1, 1, 0, 5, tzinfo=UTC)
    assert tick <= calls[2] < tick + timedelta(seconds=1)  # after an error: the next tick


def test_history_of_an_unknown_story(tmp_path: Path) -> None:
    from drift.watch import UnknownStory, story_history

    with Store(tmp_path / "s.sqlite") as st, pytest.raises(UnknownStory, match="no story named"):
        story_history(st, "nope")


# ---------------------------------------------------------------- subprocesses: crash, lock


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["DRIFT_CACHE_DIR"] = str(tmp / "cache")
    return env


def _drift(tmp: Path, *args: str, crash_at: str | None = None) -> subprocess.Popen[str]:
    """``python -m drift ARGS`` in ``tmp``; ``crash_at`` makes it SIGKILL itself there (see
    drift.watch.crash_point)."""
    env = _env(tmp) | ({"DRIFT_TEST_CRASH_AT": crash_at} if crash_at else {})
    return subprocess.Popen(
        [sys.executable, "-m", "drift", *args], cwd=tmp, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _crashed(tmp: Path, point: str) -> None:
    proc = _drift(tmp, "check", crash_at=point)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL, err


def _two_stories(tmp: Path, s: Server, *, lock_timeout: float = 2) -> Path:
    s.routes["/a.xml"] = Route(rss("Paper A", [(s.url("/n/1"), "Schools", DRIFTED)]))
    s.routes["/b.xml"] = Route(rss("Paper B", [(s.url("/n/2"), "Schools", EDITED)]))
    sources = (f'[[source]]\nname = "a"\nurl = "{s.url("/a.xml")}"\n'
               f'[[source]]\nname = "b"\nurl = "{s.url("/b.xml")}"\n')
    second = """
[[story]]
name = "second"
reference = "reference.md"
sources = ["b"]
[story.match]
keywords = ["Berg"]
"""
    return base_config(tmp, s, sources=sources, story_sources=["a"],
                       alerts=f'[alerts]\nstdout = false\nwebhook = "{s.url("/hook")}"\n',
                       extra_story=second, lock_timeout=lock_timeout)


def _wait(cond: Callable[[], bool], timeout: float, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if proc.poll() is not None:
            raise AssertionError(f"drift exited early: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"timed out: {proc.communicate()}")
        time.sleep(0.05)


def _sent(store: Path) -> int:
    if not store.exists():
        return 0
    try:
        return store_counts(store)["alerts"] - store_counts(store)["unsent"]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
def test_sigkill_mid_run_loses_and_duplicates_nothing(server: Server, tmp_path: Path) -> None:
    """Killed inside an audit, after a commit (report not yet written), while a feed hangs
    and right after an alert went out: each next run completes the work, every alert names a
    report that exists when it arrives, and only the last kind of crash repeats an alert (at
    least once), with the same idempotency key."""
    _two_stories(tmp_path, server)
    store = tmp_path / "drift.sqlite"
    report1 = tmp_path / "reports" / "schools-plan" / "report.html"

    _crashed(tmp_path, "audit")  # inside story 1's audit: nothing of it is stored
    assert store_counts(store) == {"articles": 0, "findings": 0, "alerts": 0, "unsent": 0}

    _crashed(tmp_path, "commit")  # story 1 committed; its report not written, alert unsent
    assert store_counts(store) | {"articles": 0} == {"articles": 0, "findings": 1, "alerts": 1,
                                                     "unsent": 1}
    assert not report1.exists() and server.posts == []

    server.routes["/b.xml"].delay = 30  # the second story's feed hangs: kill the run there
    # (the client's 0.5 s timeout would give up first: make the route slow but the client patient)
    cfg = (tmp_path / "drift.toml").read_text().replace("timeout = 0.5", "timeout = 60")
    (tmp_path / "drift.toml").write_text(cfg)
    proc = _drift(tmp_path, "check")
    _wait(lambda: _sent(store) >= 1 and bool(server.hits("/b.xml")), 60, proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    first = store_counts(store)
    assert first["findings"] == 1 and first["unsent"] == 0  # story 1's report, then its alert
    assert report1.is_file() and len(server.posts) == 1
    server.routes["/b.xml"].delay = 0
    proc = _drift(tmp_path, "check")
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    after = store_counts(store)
    assert after["findings"] == 2 and after["alerts"] == 2 and after["unsent"] == 0
    assert sorted(p["story"] for p in server.posts) == ["schools <plan>", "second"]
    assert server.report_missing == []
    with Store(store) as st:
        assert [r["status"] for r in st.runs()] == ["ok", "aborted", "aborted", "aborted"]
        assert st.runs()[0]["new_findings"] == 1  # story 2's, counted once

    # a crash right after an alert is sent and before it is marked: sent again, same key
    server.routes["/a.xml"] = Route(rss("Paper A", [(server.url("/n/1"), "Schools", DRIFTED),
                                                    (server.url("/n/3"), "Schools", EDITED)]))
    _crashed(tmp_path, "sent")
    assert len(server.posts) == 3 and store_counts(store)["unsent"] == 1
    proc = _drift(tmp_path, "check")
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    keys = [p["idempotency_key"] for p in server.posts]
    assert len(keys) == 4 and keys[2] == keys[3] and len(set(keys)) == 3
    assert store_counts(store)["unsent"] == 0 and server.report_missing == []


@pytest.mark.slow
def test_second_concurrent_check_waits_then_exits(server: Server, tmp_path: Path) -> None:
    _two_stories(tmp_path, server, lock_timeout=0.5)
    store = tmp_path / "drift.sqlite"
    server.routes["/b.xml"].delay = 0.4  # within the client's timeout: the run just takes longer
    first = _drift(tmp_path, "check")
    _wait(lambda: bool(server.hits("/a.xml")), 60, first)
    second = _drift(tmp_path, "check")
    _out2, err2 = second.communicate(timeout=60)
    _out1, err1 = first.communicate(timeout=60)
    assert first.returncode == 0, err1
    assert second.returncode == 5
    assert "another drift check is running" in err2
    counts = store_counts(store)
    assert counts["findings"] == 2 and counts["alerts"] == 2 and counts["unsent"] == 0
    assert len(server.posts) == 2
    # and a check after both finds nothing new
    third = _drift(tmp_path, "check")
    third.communicate(timeout=60)
    assert third.returncode == 0 and store_counts(store) == counts and len(server.posts) == 2


@pytest.mark.slow
def test_watch_stops_cleanly_on_sigterm(server: Server, tmp_path: Path) -> None:
    _two_stories(tmp_path, server)
    store = tmp_path / "drift.sqlite"
    server.routes["/b.xml"].delay = 0.3
    proc = _drift(tmp_path, "watch", "--run-now")
    _wait(lambda: bool(server.hits("/a.xml")), 60, proc)
    proc.send_signal(signal.SIGTERM)  # mid-run: the current story finishes, then it stops
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "SIGTERM" in err
    with Store(store) as st:
        runs = st.runs()
    assert len(runs) == 1 and runs[0]["status"] in ("ok", "interrupted") and runs[0]["ended"]
    assert store_counts(store)["unsent"] == 0
    with Store(store) as st:  # the story under way when the signal came was finished
        assert [f["type"] for f in st.findings(story="schools <plan>")] == ["number_change"]
    assert [p["story"] for p in server.posts][:1] == ["schools <plan>"]
    assert runs[0]["new_findings"] == len(server.posts) and server.report_missing == []


# ---------------------------------------------------------------- the seed articles as a feed


@pytest.mark.slow
def test_seed_articles_as_a_feed(server: Server, tmp_path: Path, seeds_dir: Path,
                                 load_labels: Callable[[Path], dict[str, Any]],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed articles, each an HTML page linked from a feed that carries only their titles,
    raise the alerts of EXPECTED.md, on the passages it names, and nothing on a re-run."""
    need_apertium("es")
    files = sorted(seeds_dir.glob("0*.txt"))
    for f in files:  # one <p> per line of the seed file (its own text, not copied anywhere)
        lines = f.read_text(encoding="utf-8").splitlines()
        body = "".join(f"<p>{escape(line)}</p>" for line in lines if line.strip())
        server.routes[f"/seed/{f.stem}"] = Route(
            f"<!doctype html><html lang='en'><head><title>{f.stem}</title></head><body>"
            f"<article>{body}</article></body></html>".encode(), content_type="text/html")
    items = "".join(
        f"<item><title>{f.stem}</title><link>{server.url(f'/seed/{f.stem}')}</link></item>"
        for f in files)
    server.routes["/seeds.xml"] = Route(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Seeds</title>'
        f"<link>http://x.invalid/</link><description>d</description>{items}</channel></rss>"
        .encode())
    write_config(tmp_path, f"""
[defaults]
translator = "apertium"
alert_severity = "medium"
{FETCH.replace("max_mb = 1", "max_mb = 5")}
[alerts]
stdout = false
webhook = "{server.url('/hook')}"
[[source]]
name = "seeds"
url = "{server.url('/seeds.xml')}"
[[story]]
name = "hegseth"
reference = "{seeds_dir / 'reference.txt'}"
sources = ["seeds"]
[story.match]
keywords = ["Hegseth"]
min_similarity = 0.05
""")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path / "cache"))
    cfg = load_config(tmp_path / "drift.toml")
    result = run_check(cfg)
    assert result.status == "ok", result.problems
    from drift.watch import item_key

    by_key = {item_key(server.url(f"/seed/{f.stem}")): f.stem[:3] for f in files}
    with Store(tmp_path / "drift.sqlite") as st:
        assert {a.article.source for a in st.latest("hegseth").values()
                if a.role == "article"} == {server.url(f"/seed/{f.stem}") for f in files
                                            if "Hegseth" in f.read_text(encoding="utf-8")}
        stored = st.findings(story="hegseth")
        assert st.counts()["translations"] > 0  # the translation cache is in the store
    assert not (tmp_path / "cache" / "translations.sqlite").exists()
    found = [(by_key.get(f["article_key"], "ref"), f["type"], f["payload"]["span"]["text"])
             for f in stored]
    labels = load_labels(seeds_dir)
    for drift in labels["drifts"]:
        want = drift["text"]
        spans = [t for a, ty, t in found if a == drift["article"] and ty == drift["type"]]
        assert any(want in t or t in want for t in spans), (drift, spans)
    assert all(a != "ref" for a, _t, _s in found)  # nothing on the reference
    boilerplate = ("data:image", "Read also", "Share on", "Related posts", "RECOMMENDATION",
                   "Home /")
    assert not [s for _a, _t, s in found if any(b.lower() in s.lower() for b in boilerplate)]
    alerted = {(by_key[p["article"]], p["type"]) for p in server.posts}
    assert {(d["article"], d["type"]) for d in labels["drifts"]} <= alerted
    assert len(server.posts) == len({p["idempotency_key"] for p in server.posts})
    # a re-run: the feed and the pages answer 304; no new finding, no alert
    posts = len(server.posts)
    again = run_check(cfg)
    assert again.status == "ok" and again.new_findings == [] and len(server.posts) == posts
    for f in files:  # stored pages asked again conditionally; the unmatched one not again
        hits = server.hits(f"/seed/{f.stem}")
        if "Hegseth" in f.read_text(encoding="utf-8"):
            assert len(hits) == 2 and hits[-1].get("If-None-Match")
        else:
            assert len(hits) == 1


def test_first_from_reference_unsent_alert_retry_and_fail_on(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from drift.cli import app

    s = server
    s.routes["/wire.xml"] = Route(rss("Wire", [(s.url("/w/1"), "Schools plan", REFERENCE)]))
    s.routes["/a.xml"] = Route(rss("Paper A", [(s.url("/n/1"), "Schools", FAITHFUL)]))
    write_config(tmp_path, f"""
[defaults]
translator = "identity"
{FETCH}
[alerts]
stdout = false
webhook = "{s.url('/hook')}"
[[source]]
name = "wire"
url = "{s.url('/wire.xml')}"
[[source]]
name = "a"
url = "{s.url('/a.xml')}"
[[story]]
name = "schools"
first_from = "wire"
sources = ["wire", "a"]
[story.match]
keywords = ["Berg"]
""")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()
    first = runner.invoke(app, ["check", "--fail-on", "medium"])
    assert first.exit_code == 0, first.output  # the wire's item is the reference; no drift yet
    with Store(tmp_path / "drift.sqlite") as st:
        roles = {a.role for a in st.latest("schools").values()}
        assert roles == {"reference", "article"}
    # a drifted item arrives while the webhook is down: the alert is kept, unsent
    s.routes["/a.xml"] = Route(rss("Paper A", [(s.url("/n/1"), "Schools", FAITHFUL),
                                               (s.url("/n/2"), "Schools", DRIFTED)]))
    s.post_status = 503
    second = runner.invoke(app, ["check", "--fail-on", "high"])
    assert second.exit_code == 1  # a new high finding
    assert s.posts == [] and store_counts(tmp_path / "drift.sqlite")["unsent"] == 1
    s.post_status = 200
    third = runner.invoke(app, ["check", "--fail-on", "high"])
    assert third.exit_code == 0  # no new finding; the old alert goes out now, once
    assert [p["type"] for p in s.posts] == ["number_change"]
    runner.invoke(app, ["check"])
    assert len(s.posts) == 1
    bad = runner.invoke(app, ["check", "--config", "missing.toml"])
    assert bad.exit_code == 2 and "cannot read" in bad.output


def test_check_orders_undated_articles_by_first_seen(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Articles without a date are placed in time by when the store first saw them: a drift
    stored in one article and later in a copy names the first as its introducer, and ``drift
    history`` shows where it spread. A fake clock: no waiting, no timed assertion."""
    import drift.store
    import drift.watch

    clock = iter(f"2026-03-0{d}T08:00:{s:02d}+00:00" for d in (3, 4, 5) for s in range(60))
    day = ["2026-03-03"]

    def fake_now() -> str:
        return day[0] + next(clock)[10:]

    monkeypatch.setattr(drift.store, "now_iso", fake_now)
    monkeypatch.setattr(drift.watch, "now_iso", fake_now)
    folder = tmp_path / "articles"
    folder.mkdir()
    (tmp_path / "reference.md").write_text(
        "The city council approved a 4.5-kilometre cycle lane along Quay Road on Thursday. "
        "Work will cost 2.8 million euros, paid from the regional transport fund.\n")
    first = ("Dunmere's council voted through a 4.5-kilometre bike lane on Quay Road on "
             "Thursday, ending two years of wrangling with the harbour traders. Building will "
             "cost 8.2 million euros from the regional transport fund.\n")
    (folder / "a.md").write_text(first)
    (folder / "b.md").write_text(
        "The city council approved a cycle lane of 4.5 kilometres on Quay Road on Thursday. "
        "It will cost 2.8 million euros from the regional transport fund.\n")
    write_config(tmp_path, """
[defaults]
store = "drift.sqlite"
reports = "reports"
translator = "identity"
[alerts]
stdout = false
[[source]]
name = "local"
path = "articles"
[[story]]
name = "lane"
reference = "reference.md"
sources = ["local"]
""")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path / "cache"))
    cfg = load_config(tmp_path / "drift.toml")
    assert run_check(cfg).status == "ok"
    day[0] = "2026-03-04"  # a day later, a copy appears
    (folder / "c.md").write_text(first.replace("Dunmere's council", "The council of Dunmere"))
    assert run_check(cfg).status == "ok"
    with Store(tmp_path / "drift.sqlite") as st:
        report = st.report("lane")
        assert report is not None
        keys = {s.article.source.rsplit("/", 1)[-1]: k for k, s in st.latest("lane").items()}
        timeline = {d["article"]: d for d in report["lineage"]["timeline"]}
        assert timeline[keys["c.md"]]["from"] == "seen"
        assert timeline[keys["c.md"]]["time"].startswith("2026-03-04")
        (trail,) = report["lineage"]["drifts"]
        assert trail["introducer"] == keys["a.md"] and trail["repeaters"] == [keys["c.md"]]
        events = [e for e in st.history("lane") if e["event"].startswith("spread")]
        assert [e["article"] for e in events] == [keys["c.md"]]
        assert f"first seen in {keys['a.md']}" in events[0]["detail"]
    from typer.testing import CliRunner

    from drift.cli import app

    out = CliRunner().invoke(app, ["history", "lane", "--store", str(tmp_path / "drift.sqlite")],
                             env={"COLUMNS": "200"})
    assert out.exit_code == 0 and "Drifts of lane across articles" in out.stdout
    assert keys["a.md"] in out.stdout
