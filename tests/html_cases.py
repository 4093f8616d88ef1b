"""Report dicts for the HTML report tests (tests/test_html.py, tests/test_browser.py).

Hand-built dicts in the project's own words (a tram-line story, a hostile article set), and the
real seed and development sets (conftest's ``seeds_dir`` / ``devset_dir``) audited with Apertium,
computed once per test process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import need_apertium

DEVSET = "d06-customs-arrest"  # a set with a Spanish-only article and a Spanish quote

REF_TEXT = (
    "Tram line approved\n"
    "The city council approved a new tram line on Monday after a long debate. "
    "The line will cost 40 million euros and connect the port with the university. "
    "Construction starts in May, the mayor said.\n"
    "Opponents said the money should go to buses instead."
)
A_TEXT = (
    "Council backs tram\n"
    "Councillors approved a new tram line on Tuesday after a long debate. "
    "The line will cost 45 million euros and connect the port with the university. "
    "A spokesperson said that work could begin in May."
)
B_TEXT = (
    "El concejo aprueba el tranvía\n"
    "The council approved a new tram line on Monday. "
    "«La obra empezará en junio», dijo la alcaldesa. "
    "Bon dia a tothom, va dir el regidor.\n"
    "Critics said buses would be cheaper."
)


def at(text: str, sub: str) -> dict[str, Any]:
    """The span of ``sub`` in ``text`` (it must occur)."""
    start = text.index(sub)
    return {"start": start, "end": start + len(sub), "text": sub}


def _article(id_: str, text: str, *, title: str | None = None, url: str | None = None,
             language: str = "en", reference: bool = False,
             passages: list[dict[str, Any]] | None = None, outlet: str | None = None
             ) -> dict[str, Any]:
    return {"id": id_, "source": f"{id_}.txt", "title": title, "outlet": outlet, "url": url,
            "date": None, "reference": reference, "language": language, "text": text,
            "passages": passages or []}


def _finding(id_: str, type_: str, severity: str, article: str, text: str, sub: str,
             evidence: list[dict[str, Any]], expected: str | None, found: str | None,
             explanation: str, confidence: float = 0.8) -> dict[str, Any]:
    return {"id": id_, "type": type_, "severity": severity, "confidence": confidence,
            "article": article, "span": at(text, sub), "evidence": evidence,
            "expected": expected, "found": found, "explanation": explanation}


def _report(articles: list[dict[str, Any]], findings: list[dict[str, Any]],
            reference: str | None) -> dict[str, Any]:
    passages = [p for a in articles for p in a["passages"]]
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in ("high", "medium", "low")}
    return {
        "schema_version": "1", "tool": {"name": "drift", "version": "0.1.0"},
        "signature": {"translator": "marian"}, "reference": reference,
        "mode": "reference" if reference else "consensus", "articles": articles,
        "findings": findings, "problems": [],
        "summary": {"articles": len(articles), "passages": len(passages),
                    "translated": sum(1 for p in passages if p["translation"]),
                    "claims": 12, "findings": counts},
    }


def story_report(reference: bool = True) -> dict[str, Any]:
    """Three articles: a reference, an English re-report, a mixed Spanish/Catalan one.

    Findings on ``a`` cross each other (date and source spans overlap) and one lies inside
    another (the number); ``b`` has a date change inside a Spanish quote.
    """
    cost_ref = at(REF_TEXT, "The line will cost 40 million euros and connect the port with the "
                            "university.")
    day_ref = at(REF_TEXT, "The city council approved a new tram line on Monday after a long "
                           "debate.")
    may_ref = at(REF_TEXT, "Construction starts in May, the mayor said.")
    ev = "reference" if reference else "b"
    day_b = at(B_TEXT, "The council approved a new tram line on Monday.")
    passages_b = [
        {"span": at(B_TEXT, "El concejo aprueba el tranvía"), "language": "es", "confidence": 0.97,
         "translation": {"text": "The council approves the tram", "backend": "marian",
                         "model": "Helsinki-NLP/opus-mt-es-en"}, "untranslated_reason": None},
        {"span": at(B_TEXT, "La obra empezará en junio"), "language": "es", "confidence": 0.95,
         "translation": {"text": "Work will begin in June", "backend": "marian",
                         "model": "Helsinki-NLP/opus-mt-es-en"}, "untranslated_reason": None},
        {"span": at(B_TEXT, "Bon dia a tothom, va dir el regidor."), "language": "ca",
         "confidence": 0.81, "translation": None,
         "untranslated_reason": "no translation model for Catalan (ca) is installed"},
    ]
    articles = [
        _article("a", A_TEXT, title="Council backs tram", url="https://news.example.org/tram",
                 outlet="The Harbour Gazette"),
        _article("b", B_TEXT, title="El concejo aprueba el tranvía", language="es",
                 passages=passages_b),
    ]
    if reference:
        articles.append(_article("reference", REF_TEXT, title="Tram line approved", reference=True))
    crossing = "Tuesday after a long debate. The line will cost"  # ends inside the next sentence
    findings = [
        _finding("f-day", "date_change", "medium", "a", A_TEXT,
                 "Councillors approved a new tram line on Tuesday after a long debate.",
                 [{"article": ev, "span": day_ref if reference else day_b,
                   "relation": "contradicts"}],
                 "Monday", "Tuesday", "The article says Tuesday where the source says Monday."),
        _finding("f-cost", "number_change", "high", "a", A_TEXT,
                 "The line will cost 45 million euros and connect the port with the university.",
                 [{"article": ev, "span": cost_ref if reference else day_b,
                   "relation": "contradicts"}],
                 "40 million euros", "45 million euros", "The cost differs: 45 million, not 40."),
        _finding("f-num", "number_change", "high", "a", A_TEXT, "45 million euros", [],
                 "40", "45", "The number inside the cost sentence differs."),
        _finding("f-cross", "actor_swap", "high", "a", A_TEXT, crossing,
                 [], "the council", "councillors", "A span crossing two sentences."),
        _finding("f-may", "modality_shift", "medium", "a", A_TEXT,
                 "A spokesperson said that work could begin in May.",
                 [{"article": ev, "span": may_ref if reference else day_b, "relation": "differs"}],
                 "starts", "could begin", "A firm start became a possibility."),
        _finding("f-june", "date_change", "medium", "b", B_TEXT, "La obra empezará en junio",
                 [{"article": ev, "span": may_ref if reference else at(A_TEXT, "May"),
                   "relation": "contradicts"}],
                 "May", "June", "The translated quote says June; the source says May."),
        _finding("f-add", "unsupported_addition", "low", "b", B_TEXT,
                 "Critics said buses would be cheaper.", [], None, "buses would be cheaper",
                 "No other article says buses would be cheaper.", 0.4),
    ]
    return _report(articles, findings, "reference" if reference else None)


def large_story_report(copies: int = 24) -> dict[str, Any]:
    """The story with ``copies`` more re-reports like ``a`` (same text, same findings): a page
    large enough for the browser to skip laying out what is off screen."""
    report = story_report()
    a = next(x for x in report["articles"] if x["id"] == "a")
    mine = [f for f in report["findings"] if f["article"] == "a"]
    for n in range(2, copies + 2):
        report["articles"].insert(-1, {**a, "id": f"a{n:02d}", "source": f"a{n:02d}.txt"})
        report["findings"] += [{**f, "id": f"{f['id']}-{n:02d}", "article": f"a{n:02d}"}
                               for f in mine]
    return report


HOSTILE_TEXT = (
    "Breaking <script>window.__pwned=1</script> news.\n"
    "An image <img src=x onerror=\"window.__pwned=1\"> sits here.\n"
    "Closing </textarea></style></script><!-- a comment --> tags and "
    "\" onmouseover=\"window.__pwned=1\" too.\n"
    "Reversed: \u202eevil\u202c text and \u2067isolated\u2069 words.\n"
    "Ends with <svg onload=window.__pwned=1> and javascript:alert(1)."
)


def hostile_report() -> dict[str, Any]:
    """Articles whose every field tries to inject markup, script or a dangerous link."""
    img = "An image <img src=x onerror=\"window.__pwned=1\"> sits here."
    rlo = "Reversed: \u202eevil\u202c text"
    passages = [{
        "span": at(HOSTILE_TEXT, "sits here"), "language": "es\" onclick=\"window.__pwned=1",
        "confidence": 0.9,
        "translation": {"text": "<script>window.__pwned=1</script>", "backend": "<b>apertium</b>",
                        "model": "<img src=x onerror=window.__pwned=1>"},
        "untranslated_reason": None,
    }]
    articles = [
        _article("evil\"><script>window.__pwned=1</script>", HOSTILE_TEXT,
                 title="<script>window.__pwned=1</script>Headline \u202eoll\u202c",
                 url="javascript:alert(1)", outlet="\" onmouseover=\"window.__pwned=1",
                 passages=passages),
        _article("data-url", "A calm article about the weather.\n", title="Weather",
                 url="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+"),
        _article("vb-url", "Another calm article.\n", title="Calm",
                 url="  VBScript:msgbox(1)"),
        _article("slash-url", "A third calm article.\n", title="Third",
                 url="//evil.example.com/x"),
        _article("ref", "The reference says <b>nothing</b> unusual about the weather.\n",
                 title="Reference </title><script>window.__pwned=1</script>", reference=True,
                 url="https://example.org/ok?a=1&b=\"2\""),
    ]
    art = articles[0]["id"]
    findings = [
        _finding("x\"><img src=x onerror=window.__pwned=1>", "number_change", "high", art,
                 HOSTILE_TEXT, img,
                 [{"article": "ref", "span": at(articles[4]["text"], "<b>nothing</b>"),
                   "relation": "contradicts"}],
                 "<i>1</i>", "</textarea><script>window.__pwned=1</script>",
                 "Explanation with <a href=\"javascript:alert(1)\">a link</a>."),
        _finding("rlo", "polarity_flip", "high", art, HOSTILE_TEXT, rlo, [], "evil", "live",
                 "A right-to-left override hides the real order."),
    ]
    return _report(articles, findings, "ref")


def apertium_or_skip() -> None:
    """Skip without Apertium's Spanish pair (fail under CI): the reports below translate."""
    need_apertium("es")


@cache
def _audit(folder: str, reference: str) -> dict[str, Any]:
    from drift.core import audit

    report = audit([folder], reference=reference, translator="apertium", use_cache=False)
    return report.to_dict()


def seed_report(seeds_dir: Path) -> dict[str, Any]:
    """The seed set audited against its reference with Apertium (once per test process)."""
    apertium_or_skip()
    return _audit(str(seeds_dir), str(seeds_dir / "reference.txt"))


def devset_report(devset_dir: Path) -> dict[str, Any]:
    """The development set ``DEVSET`` audited against its reference with Apertium."""
    apertium_or_skip()
    folder = devset_dir / DEVSET
    if not folder.is_dir():
        pytest.skip(f"development set {folder} not found")
    return _audit(str(folder), str(folder / "reference.txt"))


def devset_story_report(devset_dir: Path, name: str) -> dict[str, Any]:
    """Any development set, by folder name, audited against its reference with Apertium."""
    apertium_or_skip()
    folder = devset_dir / name
    if not folder.is_dir():
        pytest.skip(f"development set {folder} not found")
    return _audit(str(folder), str(folder / "reference.txt"))


LINEAGE_SET = Path(__file__).resolve().parents[1] / "benchmarks" / "sets" / "lineage" / \
    "l1-pesticide-seizure"


def lineage_report() -> dict[str, Any]:
    """The project's lineage set l1 (a copy chain through a Spanish-language article, an undated
    copy) audited with Apertium: a report with a story-level lineage and findings that name
    their introducer and repeaters."""
    apertium_or_skip()
    return _audit(str(LINEAGE_SET), str(LINEAGE_SET / "reference.md"))


def named_report(name: str, request: pytest.FixtureRequest) -> dict[str, Any]:
    """A report by name: story, consensus, hostile; seeds, devset (``DEVSET``) or drought
    (d05, with an article entirely in Spanish): these need ../shared."""
    if name == "seeds":
        return seed_report(request.getfixturevalue("seeds_dir"))
    if name == "devset":
        return devset_report(request.getfixturevalue("devset_dir"))
    if name == "drought":
        return devset_story_report(request.getfixturevalue("devset_dir"), DROUGHT)
    return {"story": story_report, "consensus": lambda: story_report(reference=False),
            "hostile": hostile_report, "large": large_story_report,
            "lineage": lineage_report}[name]()


DROUGHT = "d05-drought-rationing"  # article d is all Spanish; b glosses a Spanish quote

# Hand labels for calibrating the claim matrix's support test (drift/html.py SUPPORT_SCORE):
# does the article report the reference sentence? Sentence numbers are those of drift's
# segmenter over the reference text, counting every sentence; only sentences with at least
# MATRIX_MIN_WORDS content words are rows. Every (sentence, article) pair is "reported" except
# those listed under NOT_REPORTED; UNCLEAR pairs (a fragment reported, or a loose paraphrase)
# are left out. Labelled by reading the articles (Apertium translations for the Spanish ones).
NOT_REPORTED: dict[str, dict[int, str]] = {
    "seeds": {0: "003", 1: "002 003", 2: "000 002 003 004", 3: "001 002 003 004",
              4: "002 003 004", 5: "002 003", 6: "000 001 002 003", 8: "000 001 003 004",
              9: "001 002 003"},
    "d01-ferry-accident": {5: "d", 9: "b c d"},
    "d02-election-recount": {2: "b", 7: "d", 12: "d", 13: "d"},
    "d03-drug-price-cap": {8: "c"},
    "d04-tech-layoffs-fine": {1: "c", 13: "b"},
    "d05-drought-rationing": {7: "c", 8: "b c", 11: "b"},
    "d06-customs-arrest": {1: "c", 5: "b", 9: "c", 11: "c"},
}
UNCLEAR: dict[str, dict[int, str]] = {
    "seeds": {5: "000 001", 7: "003", 9: "004"},
    "d03-drug-price-cap": {8: "a", 10: "b c"},
    "d04-tech-layoffs-fine": {1: "b", 9: "b", 13: "a"},
}


@cache
def prepared_articles(folder: str, reference: str) -> list[dict[str, Any]]:
    """A set's articles as the report's dicts (text, passages with their Apertium
    translations): read, segmented, detected and translated, not audited."""
    from drift.core import prepare

    apertium_or_skip()

    prep = prepare([folder], reference=reference, translator="apertium", use_cache=False)
    return [{"id": a.id, "reference": a.reference, "text": a.text,
             "passages": [p.to_json() for p in prep.passages[a.id]]} for a in prep.articles]
