"""Run every performance benchmark and write reports/bench.md and reports/bench-scaling.png.

usage: python benchmarks/run_all.py [--out reports] [--with-langid]

Runs bench_translate, bench_audit (10 / 100 / 1,000 articles + re-run) and bench_startup, one
after the other (they would disturb each other's timings in parallel). bench_langid (~2.5 min)
runs only with --with-langid (``make bench-langid`` runs it on its own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bench_audit  # noqa: E402
import bench_startup  # noqa: E402
import bench_translate  # noqa: E402


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ns = [r["n"] for r in rows]
    per = [r["per_article_ms"] for r in rows]
    fig, ax = plt.subplots(figsize=(6, 4), dpi=120)
    ax.plot(ns, per, marker="o")
    ax.set_xscale("log")
    ax.set_xlabel("articles in the set")
    ax.set_ylabel("audit time per article (ms)")
    ax.set_title("drift audit scaling (reference mode, translation excluded)")
    for n, p in zip(ns, per, strict=True):
        ax.annotate(f"{p:.0f}", (n, p), textcoords="offset points", xytext=(0, 6), ha="center")
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def ok(flag: bool) -> str:
    return "yes" if flag else "**no**"


def write_md(path: Path, tr: dict[str, Any], au: dict[str, Any], st: dict[str, float],
             total: float, langid: str) -> None:
    rows = au["rows"]
    big = rows[-1]
    rr = au["rerun"]
    hf, ct = tr["hf"], tr["ct2"]
    lines = [
        "# drift performance benchmarks",
        "",
        f"Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}. Machine: "
        f"{tr['cores']} cores, {platform.machine()}, Python {platform.python_version()}. "
        f"Versions: torch {version('torch')}, transformers {version('transformers')}, "
        f"ctranslate2 {version('ctranslate2')}, spacy {version('spacy')}, "
        f"drift {version('drift')}. Total benchmark time: {total:.0f} s.",
        "",
        "## Summary",
        "",
        "| measure | value | target | met |",
        "|---|---|---|---|",
        f"| translation throughput, fast path / fp32, batch 32 | {tr['ratio_32']:.2f}x | "
        f">= 4.0x | {ok(tr['ratio_32'] >= 4.0)} |",
        f"| translation throughput, fast path / fp32, batch 1 | {tr['ratio_1']:.2f}x | "
        f">= 4.0x | {ok(tr['ratio_1'] >= 4.0)} |",
        f"| translation peak RSS, fast path / fp32 | {tr['rss_ratio']:.2f} | <= 0.5 | "
        f"{ok(tr['rss_ratio'] <= 0.5)} |",
        f"| fast path vs fp32 outputs: token agreement | {tr['agreement']:.3f} | - | - |",
        f"| fast path vs fp32 outputs: BLEU | {tr['bleu']:.1f} | - | - |",
        f"| audit growth exponent (time vs n, 10-1,000 articles) | {au['exponent']:.2f} | "
        f"<= 1.2 | {ok(au['exponent'] <= 1.2)} |",
        f"| audit peak RSS at {int(big['n']):,} articles | {big['rss_mib']:.0f} MiB | < 2 GB | "
        f"{ok(big['rss_mib'] < 2048)} |",
        f"| re-run of an unchanged audit / first run ({int(rr['n']):,} articles) | "
        f"{au['rerun_ratio']:.3f} | < 0.10 | {ok(au['rerun_ratio'] < 0.10)} |",
        f"| `drift --help` / `import transformers` wall time | {st['ratio']:.2f} | < 0.5 | "
        f"{ok(st['ratio'] < 0.5)} |",
        "",
        "## Translation (random-weight model shaped like opus-mt-es-en, 77.9M parameters)",
        "",
        "Same token ids into both engines (29 source tokens + `</s>`), greedy, exactly "
        f"{bench_translate.OUT_TOKENS} output tokens; {bench_translate.N_BATCH32} inputs at "
        f"batch 32, {bench_translate.N_BATCH1} at batch 1; each engine in a fresh process. "
        "The fast path is drift's `marian-ct2` loader (int8, inter_threads x intra_threads "
        "from the core count); note drift's backends default to beam 4 for quality, which "
        "costs throughput in both engines alike.",
        "",
        "| engine | tok/s batch 32 | tok/s batch 1 | peak RSS MiB | load s |",
        "|---|---|---|---|---|",
        f"| transformers fp32 (torch threads = cores) | {hf['tok_s_32']:.0f} | "
        f"{hf['tok_s_1']:.0f} | {hf['rss_mib']:.0f} | {hf['load_s']:.1f} |",
        f"| drift fast path: CTranslate2 int8 | {ct['tok_s_32']:.0f} | {ct['tok_s_1']:.0f} | "
        f"{ct['rss_mib']:.0f} | {ct['load_s']:.1f} |",
        "",
        "Quality agreement is measured on random weights, whose output distributions are nearly "
        "flat, so int8 rounding flips many argmaxes: it is a lower bound, not an estimate of "
        "the agreement on a trained model.",
        "",
        "## Audit scaling (examples/harbour-strike, generated variants, translator=identity)",
        "",
        "| articles | total s | ms per article | findings | findings/s | peak RSS MiB |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {int(r['n']):,} | {r['seconds']:.2f} | {r['per_article_ms']:.1f} | "
                     f"{int(r['findings'])} | {r['findings_per_s']:.1f} | {r['rss_mib']:.0f} |")
    lines += [
        "",
        f"Re-run ({int(rr['n']):,} articles, same process after a warm-up on another small set, "
        f"fresh cache dir): first {rr['seconds']:.2f} s, second {rr['rerun_seconds']:.2f} s; "
        f"identical report bytes: {bool(rr['rerun_same'])}. What a re-run still pays: reading, "
        "segmenting, language detection and comparison (parses come from the parse cache, "
        "translations from the translation cache; the default pipeline computes no embeddings).",
        "",
        "![time per article](bench-scaling.png)",
        "",
        "## Start-up",
        "",
        f"`drift --help` {st['drift_help_s']:.3f} s vs `python -c \"import transformers\"` "
        f"{st['import_transformers_s']:.3f} s (medians of 5 fresh processes).",
        "",
        "## Language identification",
        "",
        langid,
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "reports")
    ap.add_argument("--with-langid", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    print("== translation", flush=True)
    tr = bench_translate.run(3)
    print("== audit scaling", flush=True)
    au = bench_audit.run([10, 100, 1000])
    print("== start-up", flush=True)
    st = bench_startup.run(5)
    if args.with_langid:
        print("== language identification", flush=True)
        out = subprocess.run([sys.executable, str(HERE / "bench_langid.py")], check=True,
                             capture_output=True, text=True, cwd=ROOT)
        langid = "```\n" + out.stdout.strip() + "\n```"
    else:
        langid = ("Not part of `make bench` (it takes about 2.5 minutes on its own and would "
                  "push the total past 10 minutes); run `make bench-langid` separately.")
    total = time.perf_counter() - t0
    plot(au["rows"], args.out / "bench-scaling.png")
    write_md(args.out / "bench.md", tr, au, st, total, langid)
    print(f"wrote {args.out / 'bench.md'} and {args.out / 'bench-scaling.png'} "
          f"({total:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
