"""The HTML report (drift/html.py and its templates), checked by parsing the page: counts,
findings and their highlighted spans, translations, the claim matrix, the Content-Security-
Policy, that nothing loads from the network, and that hostile article content stays text.
No browser here (tests/test_browser.py drives one)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from html_cases import A_TEXT, hostile_report, named_report, seed_report, story_report
from typer.testing import CliRunner

from drift.cli import app
from drift.compare import PLAIN_NAMES
from drift.html import neutral, render_html, safe_href, write_html

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
SELF_JS = (Path(__file__).resolve().parents[1] / "drift" / "templates" / "report.js").read_text(
    encoding="utf-8")
SELF_CSS = (Path(__file__).resolve().parents[1] / "drift" / "templates" / "report.css").read_text(
    encoding="utf-8")


def soup_of(report: dict[str, Any]) -> BeautifulSoup:
    return BeautifulSoup(render_html(report), "html.parser")


def mark_text(soup: BeautifulSoup, finding_id: str) -> str:
    """The text of a finding's highlight: its marks (pieces when split) in document order."""
    return "".join(m.get_text() for m in soup.find_all("mark", attrs={"data-finding": finding_id}))


@pytest.fixture(params=["story", "consensus", "hostile", "seeds", "devset"])
def report(request: pytest.FixtureRequest) -> dict[str, Any]:
    return named_report(request.param, request)


# --- content ----------------------------------------------------------------------------------


def test_counts_equal_the_report(report: dict[str, Any]) -> None:
    soup = soup_of(report)
    summary = report["summary"]["findings"]
    for sev in ("high", "medium", "low"):
        tile = soup.select_one(f'#summary [data-count="{sev}"] .tile-n')
        assert tile is not None and int(tile.get_text()) == summary[sev]
        assert len(soup.select(f'#finding-list > li[data-severity="{sev}"]')) == summary[sev]
    total = soup.select_one('#summary [data-count="total"] .tile-n')
    assert total is not None and int(total.get_text()) == len(report["findings"])
    for type_ in {f["type"] for f in report["findings"]}:
        row = soup.select_one(f'#summary [data-type-count="{type_}"]')
        assert row is not None, type_
        assert PLAIN_NAMES[type_] in row.get_text()
        assert int(row.select_one(".type-n").get_text()) == sum(  # type: ignore[union-attr]
            1 for f in report["findings"] if f["type"] == type_)


def test_every_finding_is_listed_and_highlighted(report: dict[str, Any]) -> None:
    soup = soup_of(report)
    items = soup.select("#finding-list > li.finding")
    assert len(items) == len(report["findings"])
    by_id = {li["data-finding"]: li for li in items}
    for f in report["findings"]:
        li = by_id[f["id"]]
        assert (li["data-severity"], li["data-type"], li["data-article"]) == (
            f["severity"], f["type"], f["article"])
        assert li.select_one(".finding-type").get_text() == PLAIN_NAMES[f["type"]]  # type: ignore[union-attr]
        assert f["severity"].capitalize() in li.select_one(".badge").get_text()  # type: ignore[union-attr]
        assert f"{round(f['confidence'] * 100)}%" in li.get_text()
        if f["expected"]:
            assert neutral(f["expected"]) in li.select_one(".diff-expected dd").get_text()  # type: ignore[union-attr]
        assert neutral(f["explanation"]) in li.select_one(".explanation").get_text()  # type: ignore[union-attr]
        # the highlight: a <mark> (split in pieces where spans cross) with exactly the span's text
        assert mark_text(soup, f["id"]) == neutral(f["span"]["text"])
        first = soup.find("mark", attrs={"data-finding": f["id"], "class": "first"})
        assert isinstance(first, Tag) and first.get("id") == f"m-{li['data-key']}"
        assert f"sev-{f['severity']}" in first["class"]
        assert first.find_parent("article", attrs={"data-article": f["article"]}) is not None
        link = li.select_one("a.goto")
        assert link is not None and link["href"] == f"#{first['id']}"
        # its evidence card: every evidence span, in context
        card = soup.select_one(f"#ev-{li['data-key']}")
        assert card is not None
        for e in f["evidence"]:
            assert neutral(e["span"]["text"]) in card.get_text()


def test_findings_sorted_by_severity_then_article(report: dict[str, Any]) -> None:
    soup = soup_of(report)
    ids = [a["id"] for a in report["articles"]]
    order = sorted(ids, key=lambda i: i != report["reference"])  # the reference reads first
    keys = [(SEVERITY_ORDER[li["data-severity"]], order.index(li["data-article"]))
            for li in soup.select("#finding-list > li.finding")]
    assert keys == sorted(keys)


def test_crossing_and_nested_spans_are_split_not_lost() -> None:
    soup = soup_of(story_report())
    article = soup.select_one('article[data-article="a"] .doc-text')
    assert article is not None
    paragraphs = article.find_all("p", recursive=False)
    assert "".join(p.get_text() for p in paragraphs) == A_TEXT  # no character lost or added
    assert len(soup.find_all("mark", attrs={"data-finding": "f-cross"})) == 2  # crosses two
    inner = soup.find("mark", attrs={"data-finding": "f-num"})
    assert isinstance(inner, Tag)
    assert inner.find_parent("mark", attrs={"data-finding": "f-cost"}) is not None


def test_reference_and_story_are_named() -> None:
    soup = soup_of(story_report())
    assert soup.select_one("h1").get_text() == "Tram line approved"  # type: ignore[union-attr]
    mode = soup.select_one(".mode")
    assert mode is not None and "Compared with the reference" in mode.get_text()
    assert soup.select_one(".doc-reference .doc-kind").get_text() == "Reference"  # type: ignore[union-attr]


def test_consensus_mode_is_said_plainly() -> None:
    soup = soup_of(story_report(reference=False))
    mode = soup.select_one(".mode")
    assert mode is not None
    assert "No reference given: each article is compared with the others" in mode.get_text()
    assert not soup.select(".doc-reference")
    # the claim matrix: spans the findings cite, each "source" in its own article's column
    rows = soup.select("#claims tbody tr")
    assert rows and all(len(r.select('td[data-status="source"]')) == 1 for r in rows)
    assert [th.get_text() for th in soup.select("#claims thead th")][1:] == ["a", "b"]


def test_foreign_passages_show_translation_or_reason() -> None:
    soup = soup_of(story_report())
    doc = soup.select_one('article[data-article="b"]')
    assert doc is not None
    passages = {p.get_text(): p.get("lang") for p in doc.select("span.passage")}
    assert passages["La obra empezará en junio"] == "es"
    assert passages["Bon dia a tothom, va dir el regidor."] == "ca"
    translated = doc.select("aside.translation:not(.untranslated)")
    texts = [t.select_one(".translation-text").get_text() for t in translated]  # type: ignore[union-attr]
    assert "Work will begin in June" in texts
    meta = translated[0].select_one(".translation-meta").get_text()  # type: ignore[union-attr]
    assert "marian" in meta and "Helsinki-NLP/opus-mt-es-en" in meta and "Spanish" in meta
    untranslated = doc.select_one("aside.untranslated")
    assert untranslated is not None
    assert "no translation model for Catalan (ca) is installed" in untranslated.get_text()
    assert "Catalan" in untranslated.get_text()
    # a finding on a translated passage carries the translation in the list and the panel
    item = soup.select_one('#finding-list > li[data-finding="f-june"]')
    assert item is not None
    card = soup.select_one(f"#ev-{item['data-key']}")
    for where in (item, card):
        note = where.select_one(".finding-translation") if where is not None else None
        assert note is not None
        assert "Work will begin in June" in note.get_text()
        assert "marian, Helsinki-NLP/opus-mt-es-en" in note.get_text()
    assert not soup.select('#finding-list > li[data-finding="f-add"] .finding-translation')


def test_seed_004_spanish_passage_shows_its_apertium_translation(seeds_dir: Path) -> None:
    report = seed_report(seeds_dir)
    art = next(a for a in report["articles"] if a["id"].startswith("004"))
    passage = next(p for p in art["passages"] if p["language"] == "es")
    soup = soup_of(report)
    doc = soup.find("article", attrs={"data-article": art["id"]})
    assert isinstance(doc, Tag)
    span = doc.select_one('span.passage[lang="es"]')
    assert span is not None and span.get_text() == passage["span"]["text"]
    assert "El jefe del Pentágono" in span.get_text()
    aside = doc.select_one("aside.translation")
    assert aside is not None
    assert passage["translation"]["text"] in aside.get_text()
    assert aside.select_one(".backend").get_text() == "apertium"  # type: ignore[union-attr]
    assert aside.select_one(".model").get_text() == passage["translation"]["model"]  # type: ignore[union-attr]


def test_claim_matrix_cells() -> None:
    soup = soup_of(story_report())
    table = soup.select_one("#claims table.matrix")
    assert table is not None
    columns = [th.get_text() for th in table.select("thead th")][1:]
    assert columns == ["a", "b"]  # the reference is not a column

    def row(start: str) -> list[str]:
        for tr in table.select("tbody tr"):
            if tr.th is not None and tr.th.get_text().startswith(start):
                return [str(td["data-status"]) for td in tr.select("td")]
        raise AssertionError(f"no row {start!r}")

    assert row("The line will cost 40") == ["contradicts", "absent"]
    assert row("Construction starts in May") == ["differs", "contradicts"]
    # no finding on b for the first sentence, and b says nearly the same: supports
    assert row("The city council approved")[1] == "supports"
    # "Opponents said the money should go to buses instead." is in no article
    assert row("Opponents said") == ["absent", "absent"]
    link = table.select_one("td.cell-contradicts a")
    assert link is not None and str(link["href"]).startswith("#f")


def test_chart_draws_one_dot_per_article_and_type(report: dict[str, Any]) -> None:
    soup = soup_of(report)
    pairs = {(f["article"], f["type"]) for f in report["findings"]}
    dots = soup.select("figure.chart svg g.dot")
    assert len(dots) == len(pairs)
    assert sum(int(d.select_one("text").get_text()) for d in dots) == len(report["findings"])  # type: ignore[union-attr]


def test_without_js_everything_is_visible() -> None:
    soup = soup_of(story_report())
    assert "no-js" in soup.html["class"]  # type: ignore[index]
    assert not soup.select("#finding-list > li[hidden]")
    for control in soup.select("button[data-filter], select[data-filter]"):
        assert control.find_parent(class_="needs-js") is not None
    for button in soup.select("button[data-filter]"):
        assert button["aria-pressed"] == "true"
    assert soup.select_one("#evidence-live")["aria-live"] == "polite"  # type: ignore[index]
    # semantic structure
    for tag in ("header", "nav", "main", "section", "article", "footer"):
        assert soup.find(tag) is not None, tag


def test_render_is_deterministic() -> None:
    assert render_html(story_report()) == render_html(story_report())


def test_empty_report_renders() -> None:
    empty = {"schema_version": "1", "tool": {"name": "drift", "version": "0"}, "reference": None,
             "articles": [], "findings": [], "summary": {}}
    soup = soup_of(empty)
    assert soup.select_one(".no-findings") is not None
    assert soup.select_one("h1").get_text() == "Untitled story"  # type: ignore[union-attr]


# --- self-contained and locked down -------------------------------------------------------------


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_content_security_policy_forbids_the_network(report: dict[str, Any]) -> None:
    soup = soup_of(report)
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert isinstance(meta, Tag)
    csp = str(meta["content"])
    assert "default-src 'none'" in csp
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["connect-src"] == "'none'" and directives["img-src"] == "'none'"
    # the one inline script and the one inline style are allowed by their own hashes
    scripts, styles = soup.find_all("script"), soup.find_all("style")
    assert len(scripts) == 1 and len(styles) == 1
    assert scripts[0].string == SELF_JS and styles[0].string == SELF_CSS
    assert directives["script-src"] == f"'{_hash(SELF_JS)}'"
    assert directives["style-src"] == f"'{_hash(SELF_CSS)}'"
    assert "unsafe-inline" not in csp and "http" not in csp


LOADING_TAGS = ("img", "link", "iframe", "frame", "object", "embed", "source", "video", "audio",
                "track", "base", "form", "input", "image", "use", "picture")


def test_nothing_loads_from_the_network(report: dict[str, Any]) -> None:
    html = render_html(report)
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(LOADING_TAGS)
    assert not soup.select("script[src], [style], [srcset], [background], [poster], [xlink\\:href]")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if re.search(r"(?i)https?:|//", text):
                # only a safe article link may point anywhere
                assert (tag.name, name) == ("a", "href") and safe_href(text) == text, tag
    for raw in (SELF_CSS, SELF_JS):
        assert not re.search(r"(?i)url\(|@import|https?:|fetch\(|XMLHttpRequest|\.src\s*=", raw)
    # every "http" outside links is text: the page's markup itself names no address
    stripped = BeautifulSoup(html, "html.parser")
    for a in stripped.find_all("a", href=True):
        a.attrs.pop("href")
    for node in stripped.find_all(string=re.compile(r"(?i)https?://")):
        node.extract()
    assert not re.search(r"(?i)https?://", str(stripped))


def test_hostile_content_stays_text() -> None:
    report = hostile_report()
    html = render_html(report)
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("script")) == 1 and soup.script.string == SELF_JS  # type: ignore[union-attr]
    assert not soup.find_all(["img", "textarea", "b", "i"])
    assert all(svg.find_parent("figure", class_="chart") for svg in soup.find_all("svg"))
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag.name
        href = str(tag.get("href", "")).strip().lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:", "//"))
    text = soup.get_text()
    assert "<script>window.__pwned=1</script>" in text  # shown, escaped
    assert '<img src=x onerror="window.__pwned=1">' in text
    assert "</textarea></style></script><!-- a comment -->" in text
    # dangerous addresses are shown as text, never linked; the https one is a link
    for bad in ("javascript:alert(1)", "data:text/html;base64,", "VBScript:msgbox(1)",
                "//evil.example.com/x"):
        assert any(bad in code.get_text() for code in soup.select(".unsafe-url code")), bad
    ok = soup.select('a[href^="https://example.org/ok"]')
    assert len(ok) == 1 and ok[0]["href"] == 'https://example.org/ok?a=1&b="2"'
    assert ok[0]["rel"] == ["noopener", "noreferrer", "nofollow"]
    # bidi controls never reach the page; they are shown as visible markers
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert ch not in html
    heading = soup.select_one('article[data-article^="evil"] h3')
    assert heading is not None and heading.get_text().endswith("Headline [RLO]oll[PDF]")
    markers = [s.get_text() for s in soup.select('article[data-article^="evil"] span.ctl')]
    assert markers == ["[RLO]", "[PDF]", "[RLI]", "[PDI]"]
    assert mark_text(soup, "rlo") == "Reversed: [RLO]evil[PDF] text"
    # the hostile "language" never becomes an attribute of its own, nor a language name
    assert not soup.select("[onclick]") and not soup.select("span.passage[lang]")
    assert soup.select_one("aside.translation .translation-meta").get_text().startswith(  # type: ignore[union-attr]
        "Unknown language → English")


@pytest.mark.parametrize(("url", "ok"), [
    ("https://example.org/a?b=1", True),
    ("HTTP://EXAMPLE.ORG", True),
    ("  https://example.org/x  ", True),
    ("javascript:alert(1)", False),
    ("JaVaScRiPt:alert(1)", False),
    (" javascript:alert(1)", False),
    ("java\tscript:alert(1)", False),
    ("data:text/html;base64,PHNjcmlwdD4=", False),
    ("vbscript:msgbox(1)", False),
    ("//evil.example.com", False),
    ("/relative/path", False),
    ("https:evil.example.com", False),
    ("http:\\\\evil.example.com", False),
    ("https://exa\u202emple.org", False),
    ("ftp://example.org/file", False),
    ("", False),
    (None, False),
])
def test_safe_href(url: str | None, ok: bool) -> None:
    assert (safe_href(url) is not None) is ok


# --- accessibility ------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_documented_colour_pairs_pass_wcag_aa() -> None:
    pairs = re.findall(r"(#[0-9a-fA-F]{6}) on (#[0-9a-fA-F]{6})\s+([\d.]+)", SELF_CSS)
    assert len(pairs) >= 15
    for fg, bg, stated in pairs:
        hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
        ratio = (hi + 0.05) / (lo + 0.05)
        assert ratio >= 4.5, (fg, bg, ratio)
        assert abs(ratio - float(stated)) < 0.1, (fg, bg, ratio, stated)


def test_severity_is_never_colour_alone() -> None:
    soup = soup_of(story_report())
    for badge in soup.select(".badge"):
        assert badge.get_text(strip=True).lower().endswith(("high", "medium", "low"))
    for mark in soup.select("mark.first"):
        assert mark["data-label"] in ("▲ High", "◆ Medium", "● Low")  # drawn by CSS ::before
        assert str(mark["title"]).startswith(("High:", "Medium:", "Low:"))
    assert "content: attr(data-label)" in SELF_CSS


# --- command line -------------------------------------------------------------------------------


def test_report_command_renders_the_saved_json(tmp_path: Path) -> None:
    data = story_report()
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    out = tmp_path / "html" / "out.html"
    result = CliRunner().invoke(app, ["report", str(saved), "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render_html(data)


def test_report_command_rejects_what_is_not_a_report(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(bad), "--html", str(tmp_path / "o.html")])
    assert result.exit_code == 2
    assert not (tmp_path / "o.html").exists()
    missing = CliRunner().invoke(app, ["report", str(tmp_path / "nope.json"), "--html", "x.html"])
    assert missing.exit_code == 2


REF_ARTICLE = """---
title: Bridge repairs to finish in June
reference: true
---
Repairs on the old river bridge will finish in June, the transport office said on Friday.

The work costs 3 million euros and closes one lane until then.
"""
COPY_ARTICLE = """---
title: Bridge works drag on
---
Repairs on the old river bridge will finish in September, the transport office said on Friday.

The work costs 3 million euros and closes one lane until then.
"""


@pytest.mark.slow
def test_audit_writes_html_after_json(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "reference.txt").write_text(REF_ARTICLE, encoding="utf-8")
    (folder / "copy.txt").write_text(COPY_ARTICLE, encoding="utf-8")
    out_json, out_html = tmp_path / "r.json", tmp_path / "out" / "r.html"
    result = CliRunner().invoke(app, [
        "audit", str(folder), "--reference", str(folder / "reference.txt"), "-t", "identity",
        "--no-cache", "--json", str(out_json), "--html", str(out_html), "-f", "json"])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(out_json.read_text(encoding="utf-8"))
    html = out_html.read_text(encoding="utf-8")
    assert html == render_html(data)
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select("#finding-list > li.finding")) == len(data["findings"])
    assert soup.select_one("h1").get_text() == "Bridge repairs to finish in June"  # type: ignore[union-attr]


def test_write_html_creates_folders(tmp_path: Path) -> None:
    out = write_html(story_report(), tmp_path / "a" / "b" / "r.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
