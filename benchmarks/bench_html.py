"""Time the HTML report on a large synthetic audit: 50 articles, 300 findings.

    python benchmarks/bench_html.py [--articles 50] [--findings 300] [--out reports/bench.html]
                                    [--no-browser]

Builds a report dict like ``AuditReport.to_dict()`` (reference mode, a translated passage in
every fifth article, findings that nest and cross), renders it with ``drift.html.render_html``
and reports the best time of a few runs and the page size (targets: < 2 s, < 5 MB). Then opens
the page from disk in headless Chromium (Debian's /usr/bin/chromium through Playwright, every
request but the page's own blocked) and measures how responsive it is: time to DOM interactive
and DOMContentLoaded, and how long a severity-filter click and a ``j`` (next finding) take,
from the event to the page laid out again and to the next frame drawn (targets: < 2 s to
DOMContentLoaded, < 100 ms per interaction, medians). Skipped, with a note, when Chromium or
Playwright is missing. ``run()`` returns the figures; ``summary_rows`` / ``section`` format them for
reports/bench.md (benchmarks/run_all.py).
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path
from typing import Any

from drift.compare import DEFAULT_SEVERITY, PLAIN_NAMES
from drift.html import render_html

WORDS = (
    "council", "port", "ferry", "minister", "budget", "strike", "harbour", "union", "vote",
    "tariff", "inspector", "court", "ruling", "drought", "reservoir", "mayor", "police",
    "customs", "official", "report", "agency", "statement", "million", "percent", "week",
    "Monday", "Tuesday", "March", "April", "city", "region", "board", "contract",
)
SPANISH = "La alcaldesa dijo que el puerto seguirá cerrado hasta el lunes por la huelga."


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 26))]
    words.insert(rng.randint(1, len(words) - 1), str(rng.randint(2, 900)))
    return " ".join(words).capitalize() + "."


def article_text(rng: random.Random, spanish: bool) -> tuple[str, list[tuple[int, int]]]:
    """About 3,500 characters in paragraphs of three sentences; the sentence spans."""
    text, spans = "", []
    while len(text) < 3500:
        para = []
        for _ in range(3):
            s = SPANISH if spanish and rng.random() < 0.1 else sentence(rng)
            start = len(text) + sum(len(p) + 1 for p in para)
            spans.append((start, start + len(s)))
            para.append(s)
        text += " ".join(para) + "\n\n"
    return text, spans


def span(text: str, start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text[start:end]}


def synthetic_report(n_articles: int = 50, n_findings: int = 300, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    articles, sentences = [], {}
    for i in range(n_articles):
        id_ = "reference" if i == n_articles - 1 else f"article-{i:02d}"
        text, spans = article_text(rng, spanish=i % 5 == 0 and id_ != "reference")
        sentences[id_] = spans
        passages = [
            {"span": span(text, s, e), "language": "es", "confidence": 0.97,
             "translation": {"text": "The mayor said the port will stay closed until Monday "
                             "because of the strike.", "backend": "marian",
                             "model": "Helsinki-NLP/opus-mt-es-en"},
             "untranslated_reason": None}
            for s, e in spans if text[s:e] == SPANISH
        ]
        articles.append({
            "id": id_, "source": f"set/{id_}.txt", "title": sentence(rng)[:80],
            "outlet": "The Synthetic Times", "url": f"https://news.example.org/{id_}",
            "date": "2025-03-01", "reference": id_ == "reference", "language": "en",
            "text": text, "passages": passages,
        })
    texts = {a["id"]: a["text"] for a in articles}
    others = [a["id"] for a in articles if a["id"] != "reference"]
    types = list(PLAIN_NAMES)
    findings = []
    for n in range(n_findings):
        art = others[n % len(others)]
        s, e = rng.choice(sentences[art])
        if n % 7 == 0:  # a span inside the sentence, nested in another finding's
            s, e = s + 5, max(s + 6, e - 5)
        elif n % 11 == 0:  # a span crossing into the next sentence
            e = min(len(texts[art]), e + 40)
        t = types[n % len(types)]
        rs, re_ = rng.choice(sentences["reference"])
        findings.append({
            "id": f"{n:012x}", "type": t, "severity": DEFAULT_SEVERITY[t],
            "confidence": round(rng.uniform(0.4, 0.95), 3), "article": art,
            "span": span(texts[art], s, e),
            "evidence": [{"article": "reference", "span": span(texts["reference"], rs, re_),
                          "relation": rng.choice(["contradicts", "differs"])}],
            "expected": rng.choice(WORDS), "found": rng.choice(WORDS),
            "explanation": "The article says one thing where the source says another.",
        })
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in ("high", "medium", "low")}
    passages = [p for a in articles for p in a["passages"]]
    return {
        "schema_version": "1", "tool": {"name": "drift", "version": "bench"},
        "signature": {"translator": "marian"}, "reference": "reference", "mode": "reference",
        "articles": articles, "findings": findings, "problems": [],
        "summary": {"articles": len(articles), "passages": len(passages),
                    "translated": len(passages), "claims": 40 * len(articles),
                    "findings": counts},
    }


CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
# Targets: the render time and size; opening as fast as rendering; an interaction
# answered within 100 ms (the usual bound for a response to feel immediate), on the median
# (single runs on a shared 2-core machine jump with whatever else runs).
RENDER_TARGET_S, SIZE_TARGET_MB, LOAD_TARGET_MS, INPUT_TARGET_MS = 2.0, 5.0, 2000.0, 100.0

# One interaction, timed in the page: the event, then the style and layout it causes (read back
# synchronously), then the next frame (a requestAnimationFrame callback and a task after it).
TIME_ACTION = """async (what) => {
    const toggle = 'button[data-filter="severity"]:not([disabled])';
    const act = what === "filter"
        ? () => document.querySelector(toggle).click()
        : () => document.body.dispatchEvent(new KeyboardEvent("keydown", {key: "j",
                                                                           bubbles: true}));
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    const t0 = performance.now();
    act();
    document.body.getBoundingClientRect();  // forces the style and layout the event caused
    const t1 = performance.now();
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
    return [t1 - t0, performance.now() - t0];
}"""


def _median(values: list[float]) -> float:
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def browser_timings(path: Path, loads: int = 3, actions: int = 10) -> dict[str, float]:
    """Load and interaction timings of the page at ``path`` in headless Chromium (ms)."""
    from playwright.sync_api import Route, sync_playwright

    url = path.resolve().as_uri()
    out: dict[str, list[float]] = {k: [] for k in (
        "interactive_ms", "dcl_ms", "load_ms", "filter_ms", "filter_frame_ms", "j_ms",
        "j_frame_ms")}
    blocked: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            for _ in range(loads):
                context = browser.new_context(viewport={"width": 1280, "height": 900})

                def route(r: Route) -> None:
                    if r.request.url == url:
                        r.continue_()
                    else:
                        blocked.append(r.request.url)
                        r.abort()

                context.route("**/*", route)
                page = context.new_page()
                page.goto(url, wait_until="load")
                nav = page.evaluate("""() => { const n = performance.getEntriesByType(
                    "navigation")[0]; return [n.domInteractive, n.domContentLoadedEventEnd,
                    n.loadEventEnd]; }""")
                for key, value in zip(("interactive_ms", "dcl_ms", "load_ms"), nav, strict=True):
                    out[key].append(float(value))
                for _ in range(actions):
                    sync, frame = page.evaluate(TIME_ACTION, "filter")
                    out["filter_ms"].append(sync)
                    out["filter_frame_ms"].append(frame)
                for _ in range(actions):
                    sync, frame = page.evaluate(TIME_ACTION, "j")
                    out["j_ms"].append(sync)
                    out["j_frame_ms"].append(frame)
                context.close()
        finally:
            browser.close()
    if blocked:
        raise RuntimeError(f"the page tried to load {blocked[:3]}")
    result = {k: _median(v) for k, v in out.items()}
    result.update({f"{k}_max": max(out[k]) for k in ("dcl_ms", "filter_frame_ms", "j_frame_ms")})
    return result


def browser_missing() -> str | None:
    """Why the browser part cannot run here, or None."""
    import importlib.util

    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


def run(n_articles: int = 50, n_findings: int = 300, runs: int = 3, browser: bool = True,
        out: Path | None = None) -> dict[str, Any]:
    """Render time and size of the synthetic report; its page's timings in Chromium."""
    import tempfile

    report = synthetic_report(n_articles, n_findings)
    render_html(report)  # warm up: template compilation, imports
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        html = render_html(report)
        times.append(time.perf_counter() - t0)
    result: dict[str, Any] = {
        "articles": n_articles, "findings": n_findings, "runs": runs,
        "render_s": min(times), "size_mb": len(html.encode("utf-8")) / 1e6,
        "browser": None, "browser_note": None,
    }
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    why = browser_missing() if browser else "not requested (--no-browser)"
    if why is not None:
        result["browser_note"] = why
        return result
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "bench.html"
        page.write_text(html, encoding="utf-8")
        result["browser"] = browser_timings(page)
    return result


def _ok(flag: bool) -> str:
    return "yes" if flag else "**no**"


def summary_rows(r: dict[str, Any]) -> list[str]:
    """Rows for the summary table of reports/bench.md (| measure | value | target | met |)."""
    where = f"{r['articles']} articles / {r['findings']} findings"
    rows = [
        f"| HTML report render time ({where}) | {r['render_s']:.2f} s | < {RENDER_TARGET_S:g} s | "
        f"{_ok(r['render_s'] < RENDER_TARGET_S)} |",
        f"| HTML report file size ({where}) | {r['size_mb']:.2f} MB | < {SIZE_TARGET_MB:g} MB | "
        f"{_ok(r['size_mb'] < SIZE_TARGET_MB)} |",
    ]
    b = r["browser"]
    if b is None:
        rows.append(f"| HTML report responsiveness in Chromium | skipped: {r['browser_note']} | "
                    "- | - |")
        return rows
    rows += [
        f"| HTML report in Chromium: DOMContentLoaded | {b['dcl_ms']:.0f} ms | "
        f"< {LOAD_TARGET_MS:g} ms | {_ok(b['dcl_ms'] < LOAD_TARGET_MS)} |",
        f"| HTML report in Chromium: severity filter click, to next frame (median) | "
        f"{b['filter_frame_ms']:.0f} ms | < {INPUT_TARGET_MS:g} ms | "
        f"{_ok(b['filter_frame_ms'] < INPUT_TARGET_MS)} |",
        f"| HTML report in Chromium: `j` (next finding), to next frame (median) | "
        f"{b['j_frame_ms']:.0f} ms | < {INPUT_TARGET_MS:g} ms | "
        f"{_ok(b['j_frame_ms'] < INPUT_TARGET_MS)} |",
    ]
    return rows


def section(r: dict[str, Any]) -> list[str]:
    """The HTML report section of reports/bench.md."""
    lines = [
        f"## HTML report ({r['articles']} articles, {r['findings']} findings, synthetic)",
        "",
        f"`drift.html.render_html` on a generated reference-mode report (a translated passage in "
        f"every fifth article, nested and crossing spans): best of {r['runs']} renders "
        f"{r['render_s']:.3f} s (target < {RENDER_TARGET_S:g} s); page {r['size_mb']:.2f} MB "
        f"(target < {SIZE_TARGET_MB:g} MB).",
        "",
    ]
    b = r["browser"]
    if b is None:
        lines += [f"Responsiveness in a browser not measured: {r['browser_note']}.", ""]
        return lines
    lines += [
        "Opened from disk in headless Chromium (1280x900, every request but the page's own "
        "blocked; none was made). Medians of 3 fresh loads, and of 10 interactions per load; "
        "'to layout' is the event handler plus the style and layout it causes, 'to next "
        "frame' adds the wait for the next frame to be drawn (frames come every ~16 ms).",
        "",
        "| measure | median | worst | target |",
        "|---|---|---|---|",
        f"| DOM interactive | {b['interactive_ms']:.0f} ms | - | - |",
        f"| DOMContentLoaded | {b['dcl_ms']:.0f} ms | {b['dcl_ms_max']:.0f} ms | "
        f"< {LOAD_TARGET_MS:g} ms |",
        f"| load event | {b['load_ms']:.0f} ms | - | - |",
        f"| severity filter click, to layout | {b['filter_ms']:.1f} ms | - | - |",
        f"| severity filter click, to next frame | {b['filter_frame_ms']:.1f} ms | "
        f"{b['filter_frame_ms_max']:.1f} ms | < {INPUT_TARGET_MS:g} ms (median) |",
        f"| `j` (next finding: select, scroll, focus), to layout | {b['j_ms']:.1f} ms | - | - |",
        f"| `j`, to next frame | {b['j_frame_ms']:.1f} ms | {b['j_frame_ms_max']:.1f} ms | "
        f"< {INPUT_TARGET_MS:g} ms (median) |",
        "",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--findings", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="also write the page here")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    args = parser.parse_args()
    r = run(args.articles, args.findings, args.runs, browser=not args.no_browser, out=args.out)
    print(f"html report: {args.articles} articles, {args.findings} findings: "
          f"render {r['render_s']:.3f} s (best of {args.runs}), {r['size_mb']:.2f} MB")
    b = r["browser"]
    if b is None:
        print(f"browser timings skipped: {r['browser_note']}")
    else:
        print(f"chromium: interactive {b['interactive_ms']:.0f} ms, DOMContentLoaded "
              f"{b['dcl_ms']:.0f} ms, load {b['load_ms']:.0f} ms; filter click "
              f"{b['filter_ms']:.1f} ms to layout, {b['filter_frame_ms']:.1f} ms to next frame "
              f"(worst {b['filter_frame_ms_max']:.1f}); j {b['j_ms']:.1f} ms to layout, "
              f"{b['j_frame_ms']:.1f} ms to next frame (worst {b['j_frame_ms_max']:.1f})")


if __name__ == "__main__":
    main()
