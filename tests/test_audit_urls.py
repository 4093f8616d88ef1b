"""``drift audit URL... --reference URL`` and ``drift.audit`` with URLs: pages served by a local
HTTP server, fetched with drift check's fetcher, extracted with trafilatura; and the API's
errors for a missing path or a set where nothing could be read."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import drift
from drift.cli import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, app
from drift.config import FetchSettings
from drift.core import NothingRead, UnreadableReference

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "harbour-strike"
ENV = {"COLUMNS": "250", "TERMINAL_WIDTH": "250", "NO_COLOR": "1"}


def page_of(md: Path) -> bytes:
    """The example article as a news page: its front matter's title, one <p> per paragraph,
    a navigation bar and a footer for trafilatura to leave out."""
    _, front, body = md.read_text(encoding="utf-8").split("---\n", 2)
    title = next(line.split(":", 1)[1].strip() for line in front.splitlines()
                 if line.startswith("title:"))
    paras = "".join(f"<p>{escape(p.strip())}</p>" for p in body.split("\n\n")
                    if p.strip() and not p.startswith(("Read also", "-")))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}"
            f"</title></head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{escape(title)}</h1>{paras}</article>"
            "<footer>© Example Media. All rights reserved.</footer></body></html>").encode()


@dataclass
class Site:
    base: str
    pages: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """A local web server holding the example story's articles as pages (/news/<name>.html);
    drift fetches without waiting between requests and without retries."""
    state = Site("")
    for md in sorted(EXAMPLE.glob("*.md")):
        if not md.read_text(encoding="utf-8").startswith("---\n"):
            continue  # EXPECTED.md: documentation, not an article
        state.pages[f"/news/{md.stem}.html"] = (200, page_of(md))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            state.hits.append(self.path)
            status, body = state.pages.get(self.path, (404, b""))
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr("drift.ingest.web.FETCH_SETTINGS",
                        FetchSettings(timeout=10, retries=0, min_interval=0, max_mb=0.05))
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=ENV)


def story_urls(site: Site) -> list[str]:
    return [site.url(f"/news/{n}.html") for n in ("a-faithful", "b-drifted", "c-spanish-quote")]


def test_audit_straight_from_urls(site: Site) -> None:
    result = run("audit", *story_urls(site), "--reference", site.url("/news/reference.html"),
                 "--translator", "identity", "--no-cache", "--format", "json")
    assert result.exit_code == EXIT_OK, result.output
    assert result.stderr == ""
    report = json.loads(result.stdout)
    ids = [a["id"] for a in report["articles"]]
    assert ids == ["reference", "a-faithful", "b-drifted", "c-spanish-quote"]
    assert report["reference"] == "reference"
    by_id = {a["id"]: a for a in report["articles"]}
    assert by_id["b-drifted"]["source"] == by_id["b-drifted"]["url"] == story_urls(site)[1]
    assert by_id["b-drifted"]["raw_of"] == "extract"
    # trafilatura kept the article and dropped the navigation and the footer
    text = by_id["reference"]["text"]
    assert "About 1,400 dock workers" in text and "All rights reserved" not in text
    assert by_id["reference"]["title"].startswith("Dock workers at Port Velmar")
    # the audit itself: the changed figure of b, and the Spanish quote of c found as a passage
    numbers = [f for f in report["findings"] if f["type"] == "number_change"]
    assert any(f["article"] == "b-drifted" and "4,100" in f["span"]["text"] for f in numbers)
    [passage] = by_id["c-spanish-quote"]["passages"]
    assert passage["language"] == "es" and passage["span"]["text"].startswith("No elegimos")
    # each page fetched once, after robots.txt (asked once per host)
    assert site.hits.count("/robots.txt") == 1
    assert sorted(h for h in site.hits if h.startswith("/news/")) == sorted(
        f"/news/{n}.html" for n in ("a-faithful", "b-drifted", "c-spanish-quote", "reference"))


def test_a_page_that_fails_is_one_warning_and_the_rest_is_audited(site: Site) -> None:
    missing = site.url("/news/gone.html")
    big = site.url("/news/huge.html")
    site.pages["/news/huge.html"] = (200, b"<html><body><p>" + b"word " * 20_000 + b"</p>")
    result = run("audit", story_urls(site)[1], missing, big, "--reference",
                 site.url("/news/reference.html"), "--translator", "identity", "--no-cache",
                 "--format", "json")
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert result.stderr.splitlines() == [
        f"warning: {missing}: HTTP 404",
        f"warning: {big}: response over the 0.05 MB limit; cut off",
    ]
    report = json.loads(result.stdout)
    assert [a["id"] for a in report["articles"]] == ["reference", "b-drifted"]
    assert {p["source"] for p in report["problems"]} == {missing, big}


def test_a_page_robots_txt_disallows_is_not_fetched(site: Site) -> None:
    site.pages["/robots.txt"] = (200, b"User-agent: *\nDisallow: /news/c-\n")
    result = run("audit", *story_urls(site), "--translator", "identity", "--no-cache",
                 "--format", "json")
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert result.stderr.splitlines() == [
        f"warning: {story_urls(site)[2]}: disallowed by robots.txt"]
    assert "/news/c-spanish-quote.html" not in site.hits


def test_a_reference_url_that_fails_is_exit_4_like_an_unreadable_file(site: Site) -> None:
    ref = site.url("/news/no-reference.html")
    result = run("audit", *story_urls(site), "--reference", ref, "--translator", "identity",
                 "--no-cache")
    assert result.exit_code == EXIT_NOTHING, result.output
    assert result.stderr.splitlines()[-1] == (
        f"error: the reference {ref} could not be read: HTTP 404")
    assert result.stdout == ""


def test_every_url_failing_is_exit_4(site: Site) -> None:
    urls = [site.url("/news/x.html"), site.url("/news/y.html")]
    result = run("audit", *urls, "--translator", "identity", "--no-cache")
    assert result.exit_code == EXIT_NOTHING, result.output
    assert result.stderr.splitlines() == [f"warning: {urls[0]}: HTTP 404",
                                          f"warning: {urls[1]}: HTTP 404",
                                          "error: no article could be read"]


def test_the_api_takes_urls_and_files_together(site: Site) -> None:
    report = drift.audit([story_urls(site)[1], str(EXAMPLE / "a-faithful.md")],
                         reference=site.url("/news/reference.html"), translator="identity",
                         use_cache=False)
    assert [a.article.id for a in report.articles] == ["reference", "b-drifted", "a-faithful"]
    assert report.reference == "reference" and report.problems == ()
    with pytest.raises(UnreadableReference, match="HTTP 404"):
        drift.audit(story_urls(site), reference=site.url("/nothing"), translator="identity",
                    use_cache=False)
    with pytest.raises(NothingRead, match="HTTP 404") as caught:
        drift.audit([site.url("/a"), site.url("/b")], translator="identity", use_cache=False)
    assert [e.source for e in caught.value.errors] == [site.url("/a"), site.url("/b")]


# -- the API fails as loudly as the CLI ----------------------------------------------------------


def test_api_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        drift.audit(tmp_path / "nonexistent", translator="identity", use_cache=False)
    assert caught.value.filename == str(tmp_path / "nonexistent")
    (tmp_path / "a.txt").write_text("The port reopened on Friday.\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        drift.audit([tmp_path / "a.txt"], reference=tmp_path / "ref.txt", translator="identity",
                    use_cache=False)
    # the CLI's usage error for the same mistake
    result = run("audit", str(tmp_path / "nonexistent"), "--translator", "identity")
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == f"error: no such file or folder: {tmp_path / 'nonexistent'}\n"


def test_api_nothing_read_raises_the_error_behind_exit_4(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NothingRead, match="no article could be read") as caught:
        drift.audit(empty, translator="identity", use_cache=False)
    assert caught.value.errors == ()
    assert "no article files in this folder" in caught.value.notes[0].message
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.json").write_text("{", encoding="utf-8")
    (broken / "b.txt").write_bytes(b"")
    with pytest.raises(NothingRead) as caught:
        drift.audit(broken, translator="identity", use_cache=False)
    assert [Path(e.source).name for e in caught.value.errors] == ["a.json", "b.txt"]
    assert "a.json" in str(caught.value) and "empty file" in str(caught.value)


def test_api_partial_read_keeps_the_problems(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The port reopened on Friday, officials said.\n",
                                    encoding="utf-8")
    (tmp_path / "b.json").write_text("{", encoding="utf-8")
    report = drift.audit(tmp_path, translator="identity", use_cache=False)
    assert [a.article.id for a in report.articles] == ["a"]
    [problem] = report.problems
    assert problem.source == str(tmp_path / "b.json") and "malformed JSON" in problem.message
