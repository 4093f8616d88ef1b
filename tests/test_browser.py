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
from conftest import need_chromium
from html_cases import DEVSET, named_report

from drift.doctor import CHROMIUM
from drift.html import write_html

ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "reports" / "screenshots"

need_chromium(module=True)
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
    sockets: list[str] = field(default_factory=list)
    popups: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    javascript: bool = True

    def visible_ids(self) -> list[str]:
        items = self.page.locator("#finding-list > li.finding:visible")
        return [str(k) for k in items.evaluate_all("els => els.map(e => e.dataset.finding)")]

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
        assert not self.sockets and not self.popups, (self.sockets, self.popups)
        if self.javascript:
            assert self.page.evaluate("window.__violations") == []
        assert not self.dialogs and not self.errors, (self.dialogs, self.errors)


@pytest.fixture
def open_report(browser: Browser, pages: Callable[[str], tuple[Path, dict[str, Any]]]
                ) -> Iterator[Callable[..., Viewer]]:
    """Opens a report page in a fresh context that records (and blocks) every request."""
    contexts = []

    def open_(name: str, width: int = 1280, bypass_csp: bool = False,
              javascript: bool = True) -> Viewer:
        path, report = pages(name)
        context = browser.new_context(viewport={"width": width, "height": 900},
                                      bypass_csp=bypass_csp, java_script_enabled=javascript)
        contexts.append(context)
        viewer = Viewer(context.new_page(), path.as_uri(), report, javascript=javascript)

        def route(r: Route) -> None:
            viewer.requests.append(r.request.url)
            if r.request.url == viewer.url:
                r.continue_()
            else:
                r.abort()

        # On the context: every page of it (a popup too) and every kind of request
        context.route("**/*", route)
        context.route_web_socket(re.compile(".*"), lambda ws: (viewer.sockets.append(ws.url),
                                                              ws.close()))
        context.on("page", lambda p: viewer.popups.append(p.url))  # any page but the first
        page = viewer.page
        page.on("websocket", lambda ws: viewer.sockets.append(ws.url))
        page.on("popup", lambda p: viewer.popups.append(p.url))
        page.on("dialog", lambda d: (viewer.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: viewer.errors.append(str(e)))
        page.add_init_script(WATCH)
        page.goto(viewer.url)
        # our script ran under the CSP (or, switched off, did not)
        expect(page.locator("html")).to_have_class(re.compile(
            r"(^|\s)js(\s|$)" if javascript else r"(^|\s)no-js(\s|$)"))
        return viewer

    yield open_
    for context in contexts:
        context.close()


SETS = ["seeds", "devset"]  # the seed set and a development set, from disk


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


def _ids(findings: list[dict[str, Any]], keep: Callable[[dict[str, Any]], bool]) -> list[str]:
    """The ids of the findings ``keep`` accepts, in the page's order."""
    return [f["id"] for f in findings if keep(f)]


@pytest.mark.parametrize("name", SETS)
def test_filters_hide_and_show(open_report: Callable[..., Viewer], name: str) -> None:
    v = open_report(name)
    order = v.visible_ids()  # all of them, in the page's order
    by_id = {f["id"]: f for f in v.report["findings"]}
    assert sorted(order) == sorted(by_id)
    findings = [by_id[i] for i in order]
    total = len(findings)
    for sev in ("high", "medium", "low"):
        n = sum(1 for f in findings if f["severity"] == sev)
        if not n:
            continue
        toggle = v.page.locator(f'button[data-filter="severity"][data-value="{sev}"]')
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "false")
        # exactly the findings of the other severities, in order, are shown
        assert v.visible_ids() == _ids(findings, lambda f, s=sev: f["severity"] != s)
        for f in findings:
            mark = v.page.locator(f"#m-{v.key_of(f['id'])}")
            expect(mark).to_have_class(re.compile(r"\bfiltered\b") if f["severity"] == sev
                                       else re.compile(r"^(?!.*\bfiltered\b)"))
        status = f"Showing {total - n} of {total} findings"
        expect(v.page.locator("#filter-status")).to_have_text(status)
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "true")
        assert v.visible_ids() == order
    # by type, then by type and article, for every type and article in the report
    for type_ in sorted({f["type"] for f in findings}):
        v.page.select_option("#filter-type", type_)
        assert v.visible_ids() == _ids(findings, lambda f, t=type_: f["type"] == t)
    v.page.select_option("#filter-type", "")
    for article in sorted({f["article"] for f in findings}):
        v.page.select_option("#filter-article", article)
        assert v.visible_ids() == _ids(findings, lambda f, a=article: f["article"] == a)
    type_, article = findings[-1]["type"], findings[-1]["article"]
    v.page.select_option("#filter-type", type_)
    v.page.select_option("#filter-article", article)
    v.page.locator(f'button[data-filter="severity"][data-value="{findings[-1]["severity"]}"]'
                   ).click()
    assert v.visible_ids() == []
    expect(v.page.locator("#filter-status")).to_have_text(f"Showing 0 of {total} findings")
    v.page.click("#filter-reset")
    assert v.visible_ids() == order
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


def _covered_by_bars(v: Viewer, selector: str) -> float:
    """How far the element's top lies above the bottom of whatever sticky bar is over it
    (positive: hidden under the bar)."""
    return float(v.page.evaluate("""sel => {
        const el = document.querySelector(sel);
        const top = el.getBoundingClientRect().top;
        let bottom = 0;
        for (const bar of document.querySelectorAll("nav.sections, .filters")) {
            const r = bar.getBoundingClientRect();
            const style = getComputedStyle(bar);
            const stuck = r.top <= (parseFloat(style.top) || 0) + 0.5;  // at its sticky offset
            if ((style.position === "sticky" || style.position === "fixed") && stuck &&
                r.bottom > 0) {
                bottom = Math.max(bottom, r.bottom);
            }
        }
        return bottom - top;
    }""", selector))


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", ["seeds", "drought"])
def test_matrix_links_select_their_finding(open_report: Callable[..., Viewer], name: str,
                                           width: int) -> None:
    v = open_report(name, width=width)
    links = v.page.locator("#claims a.cell-link")
    n = links.count()
    assert n > 0
    keys = [str(k) for k in links.evaluate_all("els => els.map(e => e.dataset.key)")]
    # a cell with several findings links to each of them
    for cell in v.page.locator("#claims td.cell").all():
        found = cell.locator("a.cell-link").count()
        if cell.get_attribute("data-status") in ("supports", "not-found", "source"):
            assert found == 0
        else:
            assert found >= 1
    for i, key in enumerate(keys):
        v.page.locator("#claims").scroll_into_view_if_needed()
        links.nth(i).click()
        card = v.page.locator(f"#ev-{key}")
        expect(card).to_be_visible()  # the evidence opens, as when clicking the finding
        expect(v.page.locator(".ev-card:visible")).to_have_count(1)
        expect(v.page.locator(f"#{key}")).to_have_class(re.compile(r"\bis-current\b"))
        mark = v.page.locator(f"#m-{key}")
        expect(mark).to_be_focused()
        expect(mark).to_be_in_viewport()
        assert _covered_by_bars(v, f"#m-{key}") <= 1
        v.page.keyboard.press("Escape")
    v.assert_offline()


@pytest.mark.parametrize("width", [1280, 390])
def test_sticky_bars_cover_no_target(open_report: Callable[..., Viewer], width: int) -> None:
    v = open_report("seeds", width=width)
    keys = v.visible_keys()
    # a finding of the list reached by its address lands below the nav and the filter bar
    for key in (keys[len(keys) // 2], keys[-1]):
        v.page.evaluate("k => { location.hash = ''; location.hash = k; }", key)
        v.page.wait_for_timeout(50)
        assert _covered_by_bars(v, f"#{key}") <= 1, key
    # a highlighted span reached from the list ("Show in text and evidence") or with j
    for key in keys[:3]:
        v.page.locator(f'#finding-list a.goto[data-key="{key}"]').click()
        assert _covered_by_bars(v, f"#m-{key}") <= 1, key
    # the filter bar is one row on a laptop screen
    if width == 1280:
        height = v.page.evaluate("document.querySelector('.filters').getBoundingClientRect()"
                                 ".height")
        assert height < 60, height
    v.assert_offline()


def test_without_javascript_every_evidence_card_shows(open_report: Callable[..., Viewer]) -> None:
    v = open_report("seeds", javascript=False)
    findings = v.report["findings"]
    cards = v.page.locator("#evidence .ev-card")
    expect(cards).to_have_count(len(findings))
    for i in range(len(findings)):
        expect(cards.nth(i)).to_be_visible()
    for f in findings:
        card = v.page.locator(f"#ev-{v.key_of(f['id'])}")
        for e in f["evidence"]:
            expect(card.locator("mark.ev-span")).to_contain_text(e["span"]["text"])
    expect(v.page.locator("#evidence .panel-empty.no-js-only")).to_be_visible()
    expect(v.page.locator("#panel-empty")).to_be_hidden()  # "Select a finding …" needs JS
    expect(v.page.locator(".filters")).to_be_hidden()
    expect(v.page.locator("#shortcuts")).to_be_hidden()
    # every finding links to its evidence card; following the link shows it
    first = v.key_of(findings[-1]["id"])
    link = v.page.locator(f"#{first} a.ev-link")
    expect(link).to_be_visible()
    link.click()
    expect(v.page.locator(f"#ev-{first}")).to_be_in_viewport()
    expect(v.page.locator("#finding-list > li.finding:visible")).to_have_count(len(findings))
    v.assert_offline()


def test_shortcuts_can_be_turned_off(open_report: Callable[..., Viewer]) -> None:
    """WCAG 2.1.4: the single-key shortcuts j / k have a visible off switch, which sticks."""
    v = open_report("seeds")
    box = v.page.get_by_label("Keyboard shortcuts")
    expect(box).to_be_visible()
    expect(box).to_be_checked()
    keys = v.visible_keys()
    v.page.locator("h1").click()
    v.page.keyboard.press("j")
    assert v.active_key() == keys[0]
    box.uncheck()
    expect(v.page.locator("button[data-step][aria-keyshortcuts]")).to_have_count(0)
    v.page.locator("h1").click()
    for key in ("j", "j", "k"):
        v.page.keyboard.press(key)
    assert v.active_key() is None
    expect(v.page.locator(f"#{keys[0]}.is-current")).to_have_count(1)  # nothing moved
    expect(v.page.locator(f"#{keys[1]}.is-current")).to_have_count(0)
    # the buttons still work
    v.page.locator('.filters button[data-step="1"]').click()
    assert v.active_key() == keys[1]
    # the choice is kept for the next visit
    v.requests.clear()
    v.page.reload()
    expect(v.page.get_by_label("Keyboard shortcuts")).not_to_be_checked()
    v.page.locator("h1").click()
    v.page.keyboard.press("j")
    assert v.active_key() is None
    v.page.get_by_label("Keyboard shortcuts").check()
    expect(v.page.locator('button[data-step="1"][aria-keyshortcuts="j"]')).to_have_count(2)
    v.page.locator("h1").click()
    v.page.keyboard.press("j")
    assert v.active_key() == keys[0]
    # typing into a form control (the type filter) never triggers them
    v.page.locator("#filter-article").focus()
    v.page.keyboard.press("j")
    assert v.page.evaluate("document.activeElement.id") == "filter-article"
    expect(v.page.locator(f"#{keys[1]}.is-current")).to_have_count(0)
    v.assert_offline()


def test_phone_matrix_and_chart_scroll_sideways_with_a_hint(
        open_report: Callable[..., Viewer]) -> None:
    v = open_report("seeds", width=390)
    scroller = v.page.locator("#claims .scroller")
    claim = v.page.locator("#claims tbody th.claim").first
    width = v.page.evaluate("document.querySelector('#claims .scroller').clientWidth")
    claim_width = claim.evaluate("el => el.getBoundingClientRect().width")
    # the sentence column leaves room for more than one article
    first_cell = v.page.locator("#claims tbody tr").first.locator("td").first
    cell_width = first_cell.evaluate("el => el.getBoundingClientRect().width")
    assert claim_width + 2 * cell_width <= width + 1, (claim_width, cell_width, width)
    hint = v.page.locator("#claims .scroll-hint")
    expect(hint).to_be_visible()
    expect(v.page.locator("#claims .scroll-box")).to_have_class(re.compile(r"\bmore-right\b"))
    left = claim.evaluate("el => el.getBoundingClientRect().left")
    scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    v.page.wait_for_timeout(50)
    # the sentence column stays put (sticky) while the articles scroll
    assert abs(claim.evaluate("el => el.getBoundingClientRect().left") - left) < 1
    expect(v.page.locator("#claims .scroll-box")).not_to_have_class(re.compile(r"\bmore-right\b"))
    # the chart: the same hint when it is wider than the screen
    chart = v.page.locator(".chart .scroller")
    wider = chart.evaluate("el => el.scrollWidth > el.clientWidth")
    expect(v.page.locator(".chart .scroll-hint")).to_be_visible() if wider else expect(
        v.page.locator(".chart .scroll-hint")).to_be_hidden()
    # the section nav wraps rather than clipping its links
    for link in v.page.locator("nav.sections a").all():
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    v.assert_offline()


def test_wide_screen_hides_the_scroll_hint_when_all_fits(open_report: Callable[..., Viewer]
                                                         ) -> None:
    v = open_report("story")
    expect(v.page.locator("#claims .scroll-hint")).to_be_hidden()
    v.assert_offline()


def test_finding_cards_are_as_tall_as_their_content(open_report: Callable[..., Viewer]) -> None:
    v = open_report("seeds")
    gaps = v.page.locator("#finding-list > li.finding").evaluate_all("""els => els.map(li => {
        const last = li.lastElementChild.getBoundingClientRect().bottom;
        const s = getComputedStyle(li);
        return li.getBoundingClientRect().bottom - last - parseFloat(s.paddingBottom)
            - parseFloat(s.borderBottomWidth);
    })""")
    assert max(gaps) < 2, gaps  # not stretched to the height of the row


def test_print_drops_the_current_finding_ring(open_report: Callable[..., Viewer]) -> None:
    v = open_report("seeds")
    key = v.visible_keys()[0]
    v.page.locator(f'#finding-list a.goto[data-key="{key}"]').click()
    v.page.emulate_media(media="print")
    item = v.page.locator(f"#{key}")
    assert item.evaluate("el => getComputedStyle(el).boxShadow") == "none"
    assert v.page.locator(f"#m-{key}").evaluate("el => getComputedStyle(el).outlineStyle") == "none"
    expect(v.page.locator("#evidence")).to_be_hidden()
    expect(v.page.locator("#finding-list > li.finding:visible")).to_have_count(
        len(v.report["findings"]))
    v.assert_offline()


def test_all_spanish_article_shows_each_translation(open_report: Callable[..., Viewer]) -> None:
    v = open_report("drought")
    art = next(a for a in v.report["articles"] if a["language"] == "es")
    doc = v.page.locator(f'article[data-article="{art["id"]}"]')
    done = [p for p in art["passages"] if p["translation"]]
    expect(doc.locator(".shared-translation .backend")).to_have_text(
        done[0]["translation"]["backend"])
    texts = doc.locator("aside.translation .translation-text")
    expect(texts).to_have_count(len(done))
    for i, p in enumerate(done):
        expect(texts.nth(i)).to_be_visible()
        expect(texts.nth(i)).to_contain_text(p["translation"]["text"])
    v.assert_offline()


def test_large_report_skips_offscreen_layout_and_still_works(
        open_report: Callable[..., Viewer]) -> None:
    """From html.py LARGE_* on, articles and cards off screen are not laid out until needed:
    jumping to the last finding, filtering and j / k must not notice."""
    v = open_report("large")
    expect(v.page.locator("html")).to_have_class(re.compile(r"(^|\s)large(\s|$)"))
    assert v.page.locator("article.doc").first.evaluate(
        "el => getComputedStyle(el).contentVisibility") == "auto"
    keys = v.visible_keys()
    assert len(keys) >= 100
    last = keys[-1]
    v.page.locator(f'#finding-list a.goto[data-key="{last}"]').click()
    expect(v.page.locator(f"#m-{last}")).to_be_in_viewport()
    expect(v.page.locator(f"#ev-{last}")).to_be_visible()
    assert _covered_by_bars(v, f"#m-{last}") <= 1
    for back in (2, 3):
        v.page.keyboard.press("k")
        assert v.active_key() == keys[-back]
        expect(v.page.locator(f"#m-{keys[-back]}")).to_be_in_viewport()
    v.page.locator('button[data-filter="severity"][data-value="high"]').click()
    high = {f["id"] for f in v.report["findings"] if f["severity"] == "high"}
    assert not high & set(v.visible_ids())
    assert len(v.visible_ids()) == len(v.report["findings"]) - len(high)
    v.page.emulate_media(media="print")  # printing lays out everything
    assert v.page.locator("article.doc").last.evaluate(
        "el => getComputedStyle(el).contentVisibility") == "visible"
    v.assert_offline()


def test_lineage_view_by_keyboard(open_report: Callable[..., Viewer]) -> None:
    """Tab walks the lineage drawing: the timeline's articles, then each drift's carriers in
    order; Enter on a carrier opens its finding as a click in the list does."""
    v = open_report("lineage")
    page = v.page
    nodes = page.locator("#lineage-svg a.node")
    marks = page.locator("#lineage-svg a.mark-link")
    expect(page.locator("#lineage")).to_be_visible()
    page.locator(".lineage-scroll").focus()
    order = []
    for _ in range(nodes.count() + 2):
        page.keyboard.press("Tab")
        order.append(page.evaluate(
            "(() => { const a = document.activeElement;"
            " return [a.getAttribute('class'), a.getAttribute('data-role')]; })()"))
    assert all(str(c).split()[0] == "node" for c, _r in order[:nodes.count()])
    assert order[nodes.count()] == ["mark-link", "introducer"]  # the first drift's introducer
    assert order[nodes.count() + 1][0] == "mark-link"
    key = marks.nth(1).get_attribute("data-key")
    assert key
    page.keyboard.press("Enter")
    expect(page.locator(f"#{key}")).to_have_class(re.compile(r"\bis-current\b"))
    expect(page.locator(f"#ev-{key}")).to_be_visible()
    assert v.active_key() == key  # the finding's highlight in the text has the focus
    # the finding card names where the drift came from
    expect(page.locator(f"#{key} p.lineage-line")).to_contain_text("introduced by")
    v.assert_offline()
