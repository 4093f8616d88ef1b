"""Time the HTML report on a large synthetic audit: 50 articles, 300 findings.

    python benchmarks/bench_html.py [--articles 50] [--findings 300] [--out reports/bench.html]

Builds a report dict like ``AuditReport.to_dict()`` (reference mode, a translated passage in
every fifth article, findings that nest and cross), renders it with ``drift.html.render_html``
and prints the best time of a few runs and the page size. Target: well under 2 s and 5 MB.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--findings", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="also write the page here")
    args = parser.parse_args()
    report = synthetic_report(args.articles, args.findings)
    render_html(report)  # warm up: template compilation, imports
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        html = render_html(report)
        times.append(time.perf_counter() - t0)
    size = len(html.encode("utf-8"))
    print(f"html report: {args.articles} articles, {args.findings} findings: "
          f"render {min(times):.3f} s (best of {args.runs}), {size / 1e6:.2f} MB")
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(html, encoding="utf-8")


if __name__ == "__main__":
    main()
