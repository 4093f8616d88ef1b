"""How the audit scales: 10, 100 and 1,000 articles of one story, against its reference.

usage: python benchmarks/bench_audit.py [--sizes 10 100 1000] [--json out.json]

The articles are generated from the project's own example story (examples/harbour-strike/):
each is one of the example articles (or the reference) with deterministic paraphrase and drift
edits (numbers changed, hedges dropped, sentences shuffled, synonyms swapped; seeded). Each size
is audited in a fresh subprocess with translator="identity" (translation excluded) and a fresh
cache dir: time per article, findings per second, peak RSS. The growth exponent is the slope of
log(total time) over log(n). Re-run cost: in one process (imports and models warmed on a small
set), the largest set audited twice with the same fresh cache; second / first.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mib

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "harbour-strike"
SEED = 20260302

SYNONYMS = {
    "strike": "walkout", "workers": "employees", "said": "stated", "talks": "negotiations",
    "stoppage": "work stoppage", "delay": "hold up", "offered": "proposed", "raised": "increased",
    "called off": "cancelled", "port": "harbour", "union": "labour union",
    "broke down": "collapsed",
}
HEDGES = ("about ", "around ", "roughly ", "could ", "reportedly ", "expected to ")
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")


def _split_front(text: str) -> tuple[dict[str, str], str]:
    m = FRONT.match(text)
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).splitlines():
        k, _, v = line.partition(":")
        meta[k.strip()] = v.strip()
    return meta, text[m.end():]


def _edit(body: str, rng: random.Random) -> str:
    """A paraphrased, possibly drifted copy of ``body`` (deterministic for ``rng``)."""
    paras = [p for p in body.strip().split("\n\n") if p.strip()]
    out = []
    for k, para in enumerate(paras):
        sents = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", para.strip())
        if k > 0 and len(sents) > 1 and rng.random() < 0.3:
            rng.shuffle(sents)  # sentence shuffle (not in the lead paragraph)
        para = " ".join(sents)
        for a, b in SYNONYMS.items():  # synonym swaps
            if rng.random() < 0.35:
                para = re.sub(rf"\b{re.escape(a)}\b", b, para)
        for h in HEDGES:  # hedges dropped
            if rng.random() < 0.15:
                para = para.replace(h, "")
                para = para.replace(h.capitalize(), "")

        def renum(m: re.Match[str]) -> str:  # number changes
            if rng.random() >= 0.12:
                return m.group(0)
            raw = m.group(0).replace(",", "")
            try:
                value = float(raw)
            except ValueError:
                return m.group(0)
            new = value * rng.choice((0.5, 0.9, 1.1, 2.0, 3.0))
            return f"{round(new):,}" if "." not in raw else f"{new:.1f}"

        para = NUMBER.sub(renum, para)
        out.append(para)
    if len(out) > 3 and rng.random() < 0.3:
        del out[rng.randrange(1, len(out))]  # a paragraph left out
    return "\n\n".join(out) + "\n"


def make_set(n: int, folder: Path, seed: int = SEED) -> Path:
    """Write ``n`` generated articles and the reference into ``folder``; return the reference."""
    folder.mkdir(parents=True, exist_ok=True)
    ref_path = EXAMPLES / "reference.md"
    bases = [_split_front(p.read_text(encoding="utf-8"))
             for p in sorted(EXAMPLES.glob("*.md")) if p.name != "reference.md"]
    bases.append(_split_front(ref_path.read_text(encoding="utf-8")))
    reference = folder / "reference.md"
    reference.write_text(ref_path.read_text(encoding="utf-8"), encoding="utf-8")
    articles = folder / "articles"
    articles.mkdir(exist_ok=True)
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        meta, body = bases[i % len(bases)]
        head = (f"---\nid: gen-{i:05d}\ntitle: {meta.get('title', 'Port Velmar strike')}\n"
                f"outlet: Outlet {i} (generated)\nlanguage: en\n---\n")
        (articles / f"gen-{i:05d}.md").write_text(head + _edit(body, rng), encoding="utf-8")
    return reference


def child(n: int, rerun: bool) -> dict[str, float]:
    """Run in a fresh process: generate, audit (twice with ``rerun``), report figures."""
    from drift.core import audit

    with tempfile.TemporaryDirectory(prefix="drift-bench-") as tmp:
        base = Path(tmp)
        result: dict[str, float] = {"n": n}
        if rerun:  # warm imports and models on a small other set, so both runs pay the same
            wref = make_set(3, base / "warm", seed=SEED + 1)
            audit([base / "warm" / "articles"], reference=wref, translator="identity",
                  cache_path=base / "warm-cache" / "t.sqlite")
        ref = make_set(n, base / "set")
        cache = base / "cache" / "translations.sqlite"
        t0 = time.perf_counter()
        report = audit([base / "set" / "articles"], reference=ref, translator="identity",
                       cache_path=cache)
        first = time.perf_counter() - t0
        result.update(seconds=first, findings=len(report.findings), rss_mib=peak_rss_mib())
        if rerun:
            t0 = time.perf_counter()
            again = audit([base / "set" / "articles"], reference=ref, translator="identity",
                          cache_path=cache)
            result["rerun_seconds"] = time.perf_counter() - t0
            result["rerun_same"] = float(again.to_json() == report.to_json())
    return result


def run_size(n: int, rerun: bool = False) -> dict[str, float]:
    """``child(n)`` in a fresh interpreter."""
    cmd = [sys.executable, __file__, "--child", str(n)] + (["--rerun"] if rerun else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def growth_exponent(rows: list[dict[str, float]]) -> float:
    """Least-squares slope of log(seconds) over log(n)."""
    xs = [math.log(r["n"]) for r in rows]
    ys = [math.log(r["seconds"]) for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def run(sizes: list[int], rerun_size: int | None = None) -> dict[str, object]:
    """All sizes (fresh process each) and the re-run measurement; a summary dict."""
    rows = []
    for n in sizes:
        row = run_size(n)
        row["per_article_ms"] = 1000 * row["seconds"] / n
        row["findings_per_s"] = row["findings"] / row["seconds"]
        rows.append(row)
        print(f"n={n:5d}  total {row['seconds']:7.2f} s  {row['per_article_ms']:7.1f} ms/article"
              f"  findings {int(row['findings']):5d} ({row['findings_per_s']:.1f}/s)"
              f"  peak RSS {row['rss_mib']:.0f} MiB", flush=True)
    rr = run_size(rerun_size or max(sizes), rerun=True)
    ratio = rr["rerun_seconds"] / rr["seconds"]
    print(f"re-run of an unchanged audit (n={int(rr['n'])}): first {rr['seconds']:.2f} s, "
          f"second {rr['rerun_seconds']:.2f} s, ratio {ratio:.3f}, "
          f"same report: {bool(rr['rerun_same'])}")
    exp = growth_exponent(rows)
    print(f"growth exponent of total time vs n: {exp:.2f} (target <= 1.2)")
    return {"rows": rows, "exponent": exp, "rerun": rr, "rerun_ratio": ratio}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    ap.add_argument("--rerun-size", type=int, default=None)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--rerun", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.rerun)))
        return 0
    summary = run(args.sizes, args.rerun_size)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
