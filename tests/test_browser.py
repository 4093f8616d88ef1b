"""The HTML report in a real browser (Playwright, Debian's Chromium, headless, offline).

Opens reports from disk (file://) and checks through the DOM: counts, highlighted spans,
filters, the evidence panel, the translation of seed 004's Spanish passage, j/k navigation, that
no request leaves the page, that hostile article content runs nothing; and takes full-page
screenshots at desktop and phone widths into reports/screenshots/ (`make screenshots`).

One browser per module; each test gets a fresh context. Skips when /usr/bin/chromium or the
playwright package is missing (CI installs chromium in .ci/run).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from html_cases import DEVSET, named_report

from drift.html import write_html

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "reports" / "screenshots"

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)", allow_module_level=True)
if importlib.util.find_spec("playwright") is None:
    pytest.skip("playwright is not installed (pip install -e '.[dev]')", allow_module_level=True)

from playwright.sync_api import Browser, Page, Route, expect, sync_playwright  # noqa: E402

# Records what the page tries while it runs: CSP violations, dialogs (alert), errors.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def pages(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Callable[[str], tuple[Path, dict[str, Any]]]:
    """Writes a named report's page once; returns (path, report dict)."""
    folder = tmp_path_factory.mktemp("html")
    done: dict[str, tuple[Path, dict[str, Any]]] = {}

    def get(name: str) -> tuple[Path, dict[str, Any]]:
        if name not in done:
            report = named_report(name, request)
            done[name] = (write_html(report, folder / f"{name}.html"), report)
        return done[name]

    return get


@dataclass
class Viewer:
    page: Page
    url: str
    report: dict[str, Any]
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def visible_keys(self) -> list[str]:
        items = self.page.locator("#finding-list > li.finding:visible")
        return [str(k) for k in items.evaluate_all("els => els.map(e => e.dataset.key)")]

    def key_of(self, finding_id: str) -> str:
        return str(self.page.locator("#finding-list > li.finding").evaluate_all(
            "(els, id) => els.find(e => e.dataset.finding === id).dataset.key", finding_id))

    def active_key(self) -> str | None:
        key = self.page.evaluate("document.activeElement && document.activeElement.dataset.key")
        return None if key is None else str(key)

    def assert_offline(self) -> None:
        assert self.requests == [self.url], self.requests
        assert self.page.evaluate("window.__violations") == []
        assert not self.dialogs and not self.errors, (self.dialogs, self.errors)


@pytest.fixture
def open_report(browser: Browser, pages: Callable[[str], tuple[Path, dict[str, Any]]]
                ) -> Iterator[Callable[..., Viewer]]:
    """Opens a report page in a fresh context that records (and blocks) every request."""
    contexts = []

    def open_(name: str, width: int = 1280, bypass_csp: bool = False) -> Viewer:
        path, report = pages(name)
        context = browser.new_context(viewport={"width": width, "height": 900},
                                      bypass_csp=bypass_csp, java_script_enabled=True)
        contexts.append(context)
        page = context.new_page()
        viewer = Viewer(page, path.as_uri(), report)

        def route(r: Route) -> None:
            viewer.requests.append(r.request.url)
            if r.request.url == viewer.url:
                r.continue_()
            else:
                r.abort()

        page.route("**/*", route)
        page.on("dialog", lambda d: (viewer.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: viewer.errors.append(str(e)))
        page.add_init_script(WATCH)
        page.goto(viewer.url)
        expect(page.locator("html")).to_have_class("js")  # our script ran under the CSP
        return viewer

    yield open_
    for context in contexts:
        context.close()


SETS = ["seeds", "devset"]


@pytest.mark.parametrize("name", SETS)
def test_counts(open_report: Callable[..., Viewer], name: str) -> None:
    v = open_report(name)
    summary, total = v.report["summary"]["findings"], len(v.report["findings"])
    for sev in ("high", "medium", "low"):
        expect(v.page.locator(f'[data-count="{sev}"] .tile-n')).to_have_text(str(summary[sev]))
    expect(v.page.locator('[data-count="total"] .tile-n')).to_have_text(str(total))
    expect(v.page.locator("#finding-list > li.finding:visible")).to_have_count(total)
    expect(v.page.locator("#filter-status")).to_have_text(f"Showing all {total} findings")
    v.assert_offline()


@pytest.mark.parametrize("name", SETS)
def test_every_span_is_highlighted(open_report: Callable[..., Viewer], name: str) -> None:
    v = open_report(name)
    assert v.report["findings"]
    texts = v.page.evaluate("""() => {
        const out = {};
        for (const m of document.querySelectorAll("mark[data-finding]")) {
            out[m.dataset.finding] = (out[m.dataset.finding] || "") + m.textContent;
        }
        return out;
    }""")
    assert texts == {f["id"]: f["span"]["text"] for f in v.report["findings"]}
    for f in v.report["findings"]:
        mark = v.page.locator(f"#m-{v.key_of(f['id'])}")
        expect(mark).to_be_visible()
        article = mark.locator("xpath=ancestor::article[1]")
        expect(article).to_have_attribute("data-article", f["article"])


@pytest.mark.parametrize("name", SETS)
def test_filters_hide_and_show(open_report: Callable[..., Viewer], name: str) -> None:
    v = open_report(name)
    findings = v.report["findings"]
    total = len(findings)
    items = v.page.locator("#finding-list > li.finding:visible")
    for sev in ("high", "medium"):
        n = sum(1 for f in findings if f["severity"] == sev)
        if not n:
            continue
        toggle = v.page.locator(f'button[data-filter="severity"][data-value="{sev}"]')
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "false")
        expect(items).to_have_count(total - n)
        hidden = v.page.locator(f'#finding-list > li[data-severity="{sev}"]:visible')
        expect(hidden).to_have_count(0)
        expect(v.page.locator(f"mark.sev-{sev}.filtered").first).to_be_attached()
        status = f"Showing {total - n} of {total} findings"
        expect(v.page.locator("#filter-status")).to_have_text(status)
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "true")
        expect(items).to_have_count(total)
    type_ = findings[0]["type"]
    v.page.select_option("#filter-type", type_)
    expect(items).to_have_count(sum(1 for f in findings if f["type"] == type_))
    article = findings[-1]["article"]
    v.page.select_option("#filter-article", article)
    expect(items).to_have_count(sum(1 for f in findings
                                    if f["type"] == type_ and f["article"] == article))
    v.page.click("#filter-reset")
    expect(items).to_have_count(total)
    v.assert_offline()


@pytest.mark.parametrize("name", SETS)
def test_clicking_a_finding_shows_its_evidence_and_span(open_report: Callable[..., Viewer],
                                                        name: str) -> None:
    v = open_report(name)
    with_evidence = [f for f in v.report["findings"] if f["evidence"]]
    assert with_evidence
    for f in with_evidence:
        key = v.key_of(f["id"])
        v.page.locator(f'#finding-list a.goto[data-key="{key}"]').click()
        card = v.page.locator(f"#ev-{key}")
        expect(card).to_be_visible()
        expect(v.page.locator(".ev-card:visible")).to_have_count(1)
        for e in f["evidence"]:
            expect(card.locator("mark.ev-span")).to_contain_text(e["span"]["text"])
        mark = v.page.locator(f"#m-{key}")
        expect(mark).to_be_in_viewport()
        expect(mark).to_be_focused()
        expect(mark).to_have_class(re.compile(rf"\bsev-{f['severity']}\b.*\bis-current\b"))
        expect(v.page.locator("#evidence")).to_be_in_viewport()
    v.assert_offline()


def test_seed_004_spanish_passage_shows_its_translation(open_report: Callable[..., Viewer]) -> None:
    v = open_report("seeds")
    art = next(a for a in v.report["articles"] if a["id"].startswith("004"))
    passage = next(p for p in art["passages"] if p["language"] == "es")
    doc = v.page.locator(f'article[data-article="{art["id"]}"]')
    span = doc.locator('span.passage[lang="es"]')
    expect(span).to_have_text(passage["span"]["text"])
    expect(span).to_be_visible()
    translation = doc.locator("aside.translation").first
    expect(translation).to_be_visible()
    expect(translation.locator(".translation-text")).to_have_text(passage["translation"]["text"])
    expect(translation.locator(".backend")).to_have_text(passage["translation"]["backend"])
    expect(translation.locator(".model")).to_have_text(passage["translation"]["model"])
    # the translation sits under the paragraph holding the passage
    below = translation.evaluate("el => el.previousElementSibling.contains(document.querySelector("
                                 "'article[data-article^=\"004\"] span.passage'))")
    assert below is True


@pytest.mark.parametrize("name", SETS)
def test_j_and_k_move_between_findings(open_report: Callable[..., Viewer], name: str) -> None:
    v = open_report(name)
    keys = v.visible_keys()
    assert len(keys) >= 2
    v.page.locator("h1").click()
    for expected in keys:
        v.page.keyboard.press("j")
        assert v.active_key() == expected
        expect(v.page.locator(f"#ev-{expected}")).to_be_visible()
    v.page.keyboard.press("j")  # stays on the last one
    assert v.active_key() == keys[-1]
    v.page.keyboard.press("k")
    assert v.active_key() == keys[-2]
    # the buttons do the same
    v.page.locator('.filters button[data-step="-1"]').click()
    assert v.active_key() == keys[max(0, len(keys) - 3)]
    # j / k move among the findings the filters leave visible
    high = {f["id"] for f in v.report["findings"] if f["severity"] == "high"}
    if high and len(high) < len(keys):
        before = v.active_key()
        v.page.locator('button[data-filter="severity"][data-value="high"]').click()
        shown = v.visible_keys()
        v.page.keyboard.press("j")
        at = shown.index(before) + 1 if before in shown else 0
        assert v.active_key() == shown[min(at, len(shown) - 1)]
        assert v.active_key() not in {v.key_of(i) for i in high}
    # and are left alone while a form control has the focus
    current = v.active_key()
    v.page.locator("#filter-type").focus()
    v.page.keyboard.press("j")
    assert v.page.evaluate("document.activeElement.id") == "filter-type"
    expect(v.page.locator(f"#{current}.is-current")).to_have_count(1)
    v.assert_offline()


def test_no_request_leaves_the_page(open_report: Callable[..., Viewer]) -> None:
    for name in ("seeds", "devset", "story"):
        v = open_report(name)
        v.page.locator("#finding-list a.goto").first.click()
        v.page.keyboard.press("j")
        v.page.locator('button[data-filter="severity"]').first.click()
        v.page.wait_for_load_state("networkidle")
        v.assert_offline()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_hostile_article_runs_nothing(open_report: Callable[..., Viewer], bypass_csp: bool) -> None:
    # Without the CSP too: escaping alone must keep the injected markup inert.
    v = open_report("hostile", bypass_csp=bypass_csp)
    v.page.locator("#finding-list a.goto").first.click()
    v.page.locator("span.passage").first.hover()
    v.page.locator(".doc-meta").first.hover()
    v.page.wait_for_timeout(200)
    assert v.page.evaluate("typeof window.__pwned") == "undefined"
    assert v.page.locator("script").count() == 1
    assert v.page.locator("img, iframe, object, embed").count() == 0
    hrefs = v.page.locator("a[href]").evaluate_all("els => els.map(e => e.href)")
    assert not [h for h in hrefs if not h.startswith(("file://", "https://example.org/"))]
    # the RLO shows as a marker; the heading reads in logical order
    heading = v.page.locator('article[data-article^="evil"] h3')
    expect(heading).to_contain_text("Headline [RLO]oll[PDF]")
    v.assert_offline()


def test_phone_evidence_panel_opens_and_closes(open_report: Callable[..., Viewer]) -> None:
    v = open_report("seeds", width=390)
    panel = v.page.locator("#evidence")
    expect(panel).to_be_hidden()
    key = v.visible_keys()[0]
    v.page.locator(f'a.goto[data-key="{key}"]').click()
    expect(panel).to_be_visible()
    expect(v.page.locator(f"#m-{key}")).to_be_in_viewport()
    v.page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    v.assert_offline()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", SETS)
def test_screenshot(open_report: Callable[..., Viewer], name: str, width: int) -> None:
    v = open_report(name, width=width)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    label = "seeds" if name == "seeds" else f"devset-{DEVSET}"
    out = SCREENSHOTS / f"{label}-{width}.png"
    v.page.screenshot(path=str(out), full_page=True)
    assert out.stat().st_size > 10_000
    # nothing is wider than the viewport (no sideways scrolling of the page itself)
    assert v.page.evaluate("document.documentElement.scrollWidth") <= width
    v.assert_offline()
