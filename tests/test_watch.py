"""drift check / watch against a local HTTP server, SMTP server and webhook receiver.

Everything is local: an ``http.server`` on 127.0.0.1 (random port) serves feeds and article
pages that each test changes between runs, and receives the webhook alerts; aiosmtpd receives
the email alerts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
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


@dataclass
class Server:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
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
            self.send_response(state.post_status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            state.requests.append(("GET", self.path, dict(self.headers)))
            state.times.append(time.monotonic())
            route = state.routes.get(self.path)
            if route is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.delay:
                time.sleep(route.delay)
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
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.end_headers()
                    return
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


def test_fetcher_retries_caps_and_is_polite(server: Server) -> None:
    from drift.config import FetchSettings
    from drift.fetch import USER_AGENT

    server.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", etag=False,
                                         content_type="text/plain")
    server.routes["/ok"] = Route(b"<rss/>")
    server.routes["/private/x"] = Route(b"secret")
    server.routes["/down"] = Route(b"", status=500, etag=False)
    server.routes["/slow"] = Route(b"late", delay=1.0)
    server.routes["/huge"] = Route(lambda: (b"x" * 65536 for _ in range(800)))  # 50 MB
    settings = FetchSettings(timeout=0.3, retries=2, backoff=0.01, max_mb=1, min_interval=0.2)
    with Fetcher(settings) as f:
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
        start = time.monotonic()
        with pytest.raises(FetchError, match="1 MB limit"):
            f.fetch(server.url("/huge"))
        assert time.monotonic() - start < 3
    assert len(server.hits("/down")) == 3  # one try and two retries
    assert len(server.hits("/robots.txt")) == 1  # cached per host
    assert server.hits("/private/x") == []
    assert all(h["User-Agent"] == USER_AGENT for _m, _p, h in server.requests)
    assert server.hits("/ok")[1]["If-None-Match"] == got.validators.etag
    # per-host rate limit: consecutive requests at least min_interval apart
    gaps = [b - a for a, b in zip(server.times, server.times[1:], strict=False)]
    assert min(gaps) >= 0.19


# ---------------------------------------------------------------- a check pass, end to end


def test_check_end_to_end(server: Server, smtp: Mailbox, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str],
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
    cache = tmp_path / "cache.sqlite"
    monkeypatch.chdir(tmp_path)

    # run 1: two articles (one drifted) and a page; five broken sources are skipped
    start = time.monotonic()
    r1 = run_check(cfg, cache_path=cache)
    assert time.monotonic() - start < 30
    assert r1.status == "partial"
    problems = "\n".join(r1.problems)
    for what in ("HTTP 500", "timed out", "malformed", "1 MB limit", "robots.txt"):
        assert what in problems
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
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["type"] for x in lines] == ["number_change"]
    assert (tmp_path / "reports" / "schools-plan" / "report.json").is_file()
    index = (tmp_path / "reports" / "index.html").read_text()
    assert "schools &lt;plan&gt;" in index and "<plan>" not in index
    run_row = Store(store).runs()[0]
    assert run_row["status"] == "partial" and "HTTP 500" in run_row["problems"]

    # run 2: nothing changed: conditional requests, no new alert
    r2 = run_check(cfg, cache_path=cache)
    assert r2.new_findings == [] and len(s.posts) == 1 and len(smtp.messages) == 1
    assert s.hits("/a.xml")[-1].get("If-None-Match")
    assert store_counts(store)["articles"] == 4

    # run 3: a new faithful item appears and the page is edited to introduce a drift
    s.routes["/a.xml"] = Route(rss("Paper A", [*feed_a, (s.url("/n/3"), "More on schools",
                                                         FAITHFUL + " The vote was close.")]))
    s.routes["/p.html"] = Route(page("Schools plan", EDITED), content_type="text/html")
    r3 = run_check(cfg, cache_path=cache)
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


# ---------------------------------------------------------------- subprocesses: crash, lock


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["DRIFT_CACHE_DIR"] = str(tmp / "cache")
    return env


def _drift(tmp: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "drift", *args], cwd=tmp, env=_env(tmp),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


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
    _two_stories(tmp_path, server)
    store = tmp_path / "drift.sqlite"
    server.routes["/b.xml"].delay = 30  # the second story's feed hangs: kill the run there
    # (the client's 0.5 s timeout would give up first: make the route slow but the client patient)
    cfg = (tmp_path / "drift.toml").read_text().replace("timeout = 0.5", "timeout = 60")
    (tmp_path / "drift.toml").write_text(cfg)
    proc = _drift(tmp_path, "check")
    _wait(lambda: _sent(store) >= 1 and bool(server.hits("/b.xml")), 60, proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    first = store_counts(store)
    assert first["findings"] == 1 and first["unsent"] == 0  # story 1 committed and alerted
    server.routes["/b.xml"].delay = 0
    proc = _drift(tmp_path, "check")
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    after = store_counts(store)
    assert after["findings"] == 2 and after["alerts"] == 2 and after["unsent"] == 0
    assert sorted(p["story"] for p in server.posts) == ["schools <plan>", "second"]
    with Store(store) as st:
        assert [r["status"] for r in st.runs()] == ["ok", "aborted"]


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


# ---------------------------------------------------------------- the seed articles as a feed


@pytest.mark.slow
def test_seed_articles_as_a_feed(server: Server, tmp_path: Path, seeds_dir: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("apertium") is None:
        pytest.skip("apertium is not installed")
    files = sorted(seeds_dir.glob("0*.txt"))
    items = [(server.url(f"/seed/{f.stem}"), f.stem, f.read_text(encoding="utf-8"))
             for f in files]
    server.routes["/seeds.xml"] = Route(rss("Seeds", items))
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
    result = run_check(load_config(tmp_path / "drift.toml"), cache_path=tmp_path / "c.sqlite")
    assert result.status == "ok", result.problems
    from drift.watch import item_key

    by_key = {item_key(server.url(f"/seed/{f.stem}")): f.stem[:3] for f in files}
    got = {(by_key[p["article"]], p["type"]) for p in server.posts}
    for expected in [("004", "actor_swap"), ("004", "quote_misattribution"),
                     ("001", "condition_change"), ("000", "predicate_change"),
                     ("001", "predicate_change"), ("004", "predicate_change")]:
        assert expected in got, got
    assert len(server.posts) == len({p["finding_id"] for p in server.posts})


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
