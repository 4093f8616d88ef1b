"""Run every performance benchmark and write reports/bench.md and reports/bench-scaling.png.

usage: python benchmarks/run_all.py [--out reports] [--with-langid]

Runs bench_translate, bench_audit (10 / 100 / 300 / 1,000 articles, consensus mode, re-runs of
an audit and of ``drift check``), bench_judge (the judge's back-ends, audits with it judging
every sentence), bench_startup and
bench_html (render, size, and responsiveness in headless Chromium when it is installed) and
bench_stories (20 stories of 20 articles through 1 and 2 local workers and the Ray engine), one
after the other (they would disturb each other's timings in parallel). bench_langid (~2.5 min)
runs only with --with-langid (``make bench-langid`` runs it on its own). The load average and
the CPU time other processes used are recorded around each part; bench.md warns when the
machine was loaded. Budgets keep the whole run under 10 minutes on a loaded 2-core machine:
translation rounds stop after BUDGET_TRANSLATE_S, and consensus sizes that would overrun
BUDGET_AUDIT_S are skipped (and reported as skipped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
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
import bench_html  # noqa: E402
import bench_judge  # noqa: E402
import bench_startup  # noqa: E402
import bench_stories  # noqa: E402
import bench_translate  # noqa: E402


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


BUDGET_TRANSLATE_S = 90.0  # timed translation rounds stop after this (at least two run)
BUDGET_AUDIT_S = 330.0  # optional consensus sizes are skipped past this


class LoadGuard:
    """How loaded the machine was: the load average and the CPU time of other processes
    (all CPU time in /proc/stat minus this process tree's own), around each part of the run."""

    def __init__(self) -> None:
        self.cores = os.cpu_count() or 1
        self.sections: list[dict[str, Any]] = []
        self._open: dict[str, Any] | None = None
        self._first = self._sample()
        self.overall: dict[str, Any] | None = None

    @staticmethod
    def _busy_s() -> float | None:
        """CPU seconds all processes have used (the busy fields of /proc/stat's cpu line)."""
        try:
            fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        except OSError:
            return None
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _own_s() -> float:
        """CPU seconds of this process and of its children that have finished."""
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def _sample(self) -> dict[str, Any]:
        return {"t": time.perf_counter(), "load": os.getloadavg()[0], "busy": self._busy_s(),
                "own": self._own_s()}

    def _row(self, name: str, a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        wall = max(1e-9, b["t"] - a["t"])
        other = None
        if a["busy"] is not None and b["busy"] is not None:
            used = (b["busy"] - a["busy"]) - (b["own"] - a["own"])
            other = max(0.0, used) / (wall * self.cores)
        return {"name": name, "seconds": wall, "load_before": a["load"],
                "load_after": b["load"], "other_share": other}

    def start(self, name: str) -> None:
        self.stop()
        self._open = {"name": name, **self._sample()}

    def stop(self) -> None:
        if self._open is not None:
            a = self._open
            self.sections.append(self._row(a["name"], a, self._sample()))
            self._open = None

    def finish(self) -> None:
        self.stop()
        self.overall = self._row("whole run", self._first, self._sample())

    def loaded(self) -> bool:
        """Were other processes busy: over 20% of the machine's CPU, or a load average above
        half the cores before the run?"""
        share = (self.overall or {}).get("other_share")
        return (share is not None and share > 0.2) or self._first["load"] > 0.5 * self.cores

    def markdown(self) -> list[str]:
        rows = [*self.sections, *([self.overall] if self.overall else [])]
        out = ["## Machine load", "",
               "Load average (1 minute) before and after each part, and the share of the "
               f"machine's CPU ({self.cores} cores x wall time) that OTHER processes used "
               "meanwhile (all CPU time in /proc/stat minus this benchmark's own).", "",
               "| part | seconds | load before | load after | CPU used by other processes |",
               "|---|---|---|---|---|"]
        for r in rows:
            share = "n/a" if r["other_share"] is None else f"{r['other_share']:.0%}"
            out.append(f"| {r['name']} | {r['seconds']:.0f} | {r['load_before']:.2f} | "
                       f"{r['load_after']:.2f} | {share} |")
        out.append("")
        return out

    def warning(self) -> list[str]:
        if not self.loaded():
            return []
        share = (self.overall or {}).get("other_share")
        return [f"**Warning: the machine was loaded** (load average {self._first['load']:.2f} "
                f"on {self.cores} cores at the start; other processes used "
                f"{'n/a' if share is None else f'{share:.0%}'} of the CPU during the run). "
                "Ratios were measured side by side and alternate engines, but absolute times "
                "are inflated, and transformers' 2-thread fp32 suffers more from contention than "
                "CTranslate2's independent workers, so the translation ratios may be higher "
                "than on an idle machine (see Machine load).", ""]


def plot(au: dict[str, Any], path: Path) -> None:
    """Time per article vs articles in the set: reference mode and consensus mode."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=120)
    series = (("reference mode", au["rows"], "o"), ("consensus mode (no reference)",
                                                    au.get("consensus", []), "s"))
    for label, rows, marker in series:
        if not rows:
            continue
        ns = [r["n"] for r in rows]
        per = [r["per_article_ms"] for r in rows]
        ax.plot(ns, per, marker=marker, label=label)
        for n, p in zip(ns, per, strict=True):
            ax.annotate(f"{p:.0f}", (n, p), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("articles in the set")
    ax.set_ylabel("audit time per article (ms)")
    ax.set_title("drift audit scaling (translation excluded, warm process)")
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def ok(flag: bool) -> str:
    return "yes" if flag else "**no**"


def write_md(path: Path, tr: dict[str, Any], au: dict[str, Any], st: dict[str, Any],
             total: float, langid: str, ht: dict[str, Any],
             load: LoadGuard | None = None, jd: dict[str, Any] | None = None,
             sr: dict[str, Any] | None = None) -> None:
    rows, cons = au["rows"], au["consensus"]
    big = rows[-1]
    rr, ad, ck, cw = au["rerun"], au["added"], au.get("check"), au.get("check_warm")
    sent = au["sentences"]
    hf, ct = tr["hf"], tr["ct2"]
    e100, ce = au["exponent_100_1000"], au["consensus_exponent"]
    sizes = ", ".join(f"{int(r['n']):,}" for r in rows)
    csizes = ", ".join(f"{int(r['n']):,}" for r in cons)

    def fmt(value: float | None, spec: str = ".2f") -> str:
        return "n/a" if value is None else format(value, spec)

    lines = [
        "# drift performance benchmarks",
        "",
        f"Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}. Machine: "
        f"{tr['cores']} cores, {platform.machine()}, Python {platform.python_version()}. "
        f"Versions: torch {version('torch')}, transformers {version('transformers')}, "
        f"ctranslate2 {version('ctranslate2')}, sentencepiece {version('sentencepiece')}, "
        f"spacy {version('spacy')}, drift {version('drift')}. Total benchmark time: "
        f"{total:.0f} s.",
        "",
        *(load.warning() if load is not None else []),
        "## Summary",
        "",
        "Ratios are measured side by side in this one run.",
        "",
        "| measure | value | target | met |",
        "|---|---|---|---|",
        f"| translation throughput, default fast path (`marian-ct2`: CTranslate2 int8, beam "
        f"{ct['beams']}) / transformers fp32 greedy, batch 32 | {tr['ratio_32']:.2f}x | "
        f">= 4.0x | {ok(tr['ratio_32'] >= 4.0)} |",
        f"| same, batch 1 (throughput: {bench_translate.N_BATCH1} inputs, one per batch) | "
        f"{tr['ratio_1']:.2f}x | >= 4.0x | {ok(tr['ratio_1'] >= 4.0)} |",
        # The batch-1 target is throughput at batch size 1 (TRANSLATION-NOTES: 64 inputs,
        # CTranslate2's two workers each on one); one request alone uses one core.
        f"| same, single request (latency: one input per call, one after the other; "
        f"informational) | {tr['ratio_single']:.2f}x | - | - |",
        f"| translation peak RSS, fast path / fp32 | {tr['rss_ratio']:.2f} | <= 0.5 | "
        f"{ok(tr['rss_ratio'] <= 0.5)} |",
        f"| fast path vs fp32 outputs: token agreement | {tr['agreement']:.3f} | - | - |",
        f"| fast path vs fp32 outputs: BLEU | {tr['bleu']:.1f} | - | - |",
        f"| audit growth exponent, reference mode ({sizes} articles) | {au['exponent']:.2f} | "
        f"<= 1.2 | {ok(au['exponent'] <= 1.2)} |",
        f"| same, 100 -> 1,000 articles | {fmt(e100)} | <= 1.2 | "
        f"{ok(e100 is not None and e100 <= 1.2)} |",
        f"| audit growth exponent, consensus mode (no reference; {csizes} articles) | "
        f"{fmt(ce)} | - | - |",
        f"| audit peak RSS at {int(big['n']):,} articles (translation excluded) | "
        f"{big['rss_mib']:.0f} MiB | < 2 GB | {ok(big['rss_mib'] < 2048)} |",
        f"| distinct sentences in the {int(sent['n']):,}-article set | "
        f"{au['distinct_fraction']:.0%} ({sent['distinct']:,} of {sent['total']:,}) | - | - |",
        f"| re-run of an unchanged audit / cold first run ({int(rr['n']):,} articles) | "
        f"{rr['ratio']:.3f} | < 0.10 | {ok(rr['ratio'] < 0.10)} |",
        *([f"| re-run of an unchanged scheduled check (`drift check`, {ck['n']} articles, "
           f"fresh processes) / first run | {ck['ratio']:.3f} | < 0.10 | "
           f"{ok(ck['ratio'] < 0.10)} |",
           f"| `drift check` with one article added / first run (fresh processes: model "
           f"loads and start-up in both) | {ck['added_ratio']:.2f} | - | - |"] if ck else []),
        *([f"| `drift check` with one article added / first run, passes in one warm process "
           f"(as `drift watch` runs them; {cw['n']} articles) | {cw['added_ratio']:.2f} | "
           f"<= 0.10 | {ok(cw['added_ratio'] <= 0.10)} |"] if cw else []),
        f"| audit with one article added / first run ({int(ad['n']):,} articles) | "
        f"{ad['ratio']:.2f} | <= 0.10 | {ok(ad['ratio'] <= 0.10)} |",
        *(bench_stories.summary_rows(sr) if sr else []),
        f"| `drift --help` / `import transformers` wall time | {st['ratio']:.2f} | < 0.5 | "
        f"{ok(st['ratio'] < 0.5)} |",
        *bench_html.summary_rows(ht),
        "",
        "## Translation (random-weight model shaped like opus-mt-es-en, 77.9M parameters)",
        "",
        "Both engines run side by side, each in its own process, alternating (A, B, then B, A) "
        f"over {tr['rounds']} rounds; medians. The same token ids go into both (29 source "
        f"tokens + `</s>`), exactly {bench_translate.OUT_TOKENS} output tokens per input. "
        "Baseline: plain transformers fp32 greedy (`num_beams=1`), "
        f"`torch.set_num_threads({tr['cores']})`. Fast path: drift's `marian-ct2` backend with "
        "its defaults, `CT2Translator(models_dir)` (int8, beam "
        f"{ct['beams']}, batch size 32, inter_threads x intra_threads = "
        f"{ct['threads'][0]} x {ct['threads'][1]} from the core count), timed through "
        "`CT2Translator.generate`, the call its `translate` makes after tokenizing.",
        "",
        "| engine | tok/s, batch 32 | tok/s, batch 1 (throughput) | single request, ms "
        "(latency) | peak RSS MiB | load s |",
        "|---|---|---|---|---|---|",
        f"| transformers fp32 greedy, {hf['threads']} threads | {hf['tok_s_b32']:.0f} | "
        f"{hf['tok_s_b1']:.0f} | {hf['single_ms']:.0f} | {hf['rss_mib']:.0f} | "
        f"{hf['load_s']:.1f} |",
        f"| drift `marian-ct2`, CTranslate2 int8, beam {ct['beams']} | {ct['tok_s_b32']:.0f} | "
        f"{ct['tok_s_b1']:.0f} | {ct['single_ms']:.0f} | {ct['rss_mib']:.0f} | "
        f"{ct['load_s']:.1f} |",
        "",
        f"Batch 32: {bench_translate.N_BATCH32} inputs, batches of 32 (transformers: one "
        "generate call per batch; the fast path: one call, its batches on its workers). "
        "Batch 1 (throughput): "
        f"{bench_translate.N_BATCH1} inputs, one per batch: transformers runs them one after "
        "the other; CTranslate2 gets them in one call with `max_batch_size=1` and runs them on "
        f"its {ct['threads'][0]} workers at once. Single request (latency): the same inputs, "
        "one call each, one after the other (for transformers, the batch-1 run). Ratio range "
        "over the rounds: "
        + ", ".join(f"{name} {lo:.1f}-{hi:.1f}x" for name, (lo, hi) in (
            ("batch 32", tr["ratio_range"]["b32"]), ("batch 1", tr["ratio_range"]["b1"]),
            ("single request", tr["ratio_range"]["single"]))) + ".",
        "",
        f"Quality: the fast path's outputs against fp32's on the batch-32 inputs (first "
        f"{bench_translate.OUT_TOKENS - 1} tokens each): token agreement "
        f"{tr['agreement']:.3f}, BLEU {tr['bleu']:.1f}. On random weights the output "
        "distributions are nearly flat, so int8 rounding flips many argmaxes: a lower bound, "
        "not an estimate for a trained model.",
        "",
        "## Audit scaling (generated from examples/harbour-strike, translator=identity)",
        "",
        f"The {int(sent['n']):,}-article set has {sent['distinct']:,} distinct sentences of "
        f"{sent['total']:,} ({au['distinct_fraction']:.0%}): each article is one of the "
        "example story's with seeded synonyms, name, number and date forms, attribution "
        "verbs, sentences shuffled, dropped and added (with their own figures), and drift "
        "edits. Timed in one warm process (imports and spaCy loaded before anything is "
        "timed), each size with empty translation, parse and result caches, in increasing "
        "order; sizes up to 100 are medians of 2-3 runs. Peak RSS: the process's peak up to "
        "that size.",
        "",
        "Reference mode:",
        "",
        "| articles | total s | ms per article | findings | findings/s | peak RSS MiB |",
        "|---|---|---|---|---|---|",
        *(f"| {int(r['n']):,} | {r['seconds']:.2f} | {r['per_article_ms']:.1f} | "
          f"{int(r['findings'])} | {r['findings_per_s']:.1f} | {r['rss_mib']:.0f} |"
          for r in rows),
        "",
        f"Growth exponent (least-squares slope of log time over log n): {au['exponent']:.2f} "
        f"over {sizes} articles; {fmt(e100)} from 100 to 1,000.",
        "",
        "Consensus mode (no reference: each claim against its counterparts in the other "
        "articles):",
        "",
        "| articles | total s | ms per article | findings | findings/s | peak RSS MiB |",
        "|---|---|---|---|---|---|",
        *(f"| {int(r['n']):,} | {r['seconds']:.2f} | {r['per_article_ms']:.1f} | "
          f"{int(r['findings'])} | {r['findings_per_s']:.1f} | {r['rss_mib']:.0f} |"
          for r in cons),
        "",
        f"Growth exponent: {fmt(ce)} over {csizes} articles."
        + "".join(f" {int(x['n']):,} articles skipped: projected {x['projected_s']:.0f} s, "
                  "past the time budget." for x in au.get("skipped", [])),
        "",
        "### Re-runs",
        "",
        f"- Unchanged audit ({int(rr['n']):,} articles, same process, the caches of its cold "
        f"first run): first {rr['first_s']:.2f} s, re-run {rr['rerun_s']:.3f} s, ratio "
        f"{rr['ratio']:.3f}. A re-run reads the files and hashes the articles, then finds the "
        "whole report in the result cache (keyed by the articles' text and metadata, the "
        "options, a content hash of drift's source and the installed models as the "
        "translators identify them): nothing is segmented, translated, parsed or compared.",
        *([f"- Unchanged scheduled check (`drift check` on a local folder of {ck['n']} "
           f"articles in a temp dir, a fresh process each time): first {ck['first_s']:.2f} s, "
           f"second {ck['rerun_s']:.2f} s, ratio {ck['ratio']:.3f}. The second run finds no "
           "new or changed item in the store and audits nothing: it pays for start-up, "
           "reading and hashing the folder, and the store."] if ck else []),
        f"- One article added: the {int(ad['n']):,}-article audit again with one more "
        f"article: {ad['added_s']:.2f} s vs {ad['first_s']:.2f} s, ratio {ad['ratio']:.2f}"
        + (f"; `drift check` likewise: {ck['added_s']:.2f} s vs {ck['first_s']:.2f} s, ratio "
           f"{ck['added_ratio']:.2f}" if ck else "") + ". The report cache is keyed by the "
        "whole set, so a new article means auditing the whole set again: only parses (parse "
        "cache) and translations (translation cache) of unchanged text are reused, while "
        "segmentation, claim extraction, alignment and comparison run for every article. "
        "Only an incremental audit would make this cheap.",
        "",
        "![time per article](bench-scaling.png)",
        "",
        "## Start-up",
        "",
        f"`drift --help` {st['drift_help_s']:.3f} s vs `python -c \"import transformers\"` "
        f"{st['import_transformers_s']:.3f} s (medians of {st.get('runs', 5)} fresh "
        "processes, alternating). Heavy modules imported by `drift --help`: "
        f"{', '.join(st.get('heavy_imports', [])) or 'none'}.",
        "",
        *(load.markdown() if load is not None else []),
        *(bench_judge.section(jd) if jd else []),
        *bench_html.section(ht),
        *(bench_stories.section(sr) if sr else []),
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
    guard = LoadGuard()
    print("== translation", flush=True)
    guard.start("translation")
    tr = bench_translate.run(5, BUDGET_TRANSLATE_S)
    print("== audit scaling", flush=True)
    guard.start("audit")
    au = bench_audit.run([10, 100, 300, 1000], [10, 30, 100, 300], check_n=100,
                         budget_s=BUDGET_AUDIT_S)
    print("== learned judge", flush=True)
    guard.start("learned judge")
    jd = bench_judge.run([30, 100])
    print("== start-up", flush=True)
    guard.start("start-up")
    st = bench_startup.run(5)
    guard.start("html report")
    print("== html report", flush=True)
    ht = bench_html.run()
    print("== many stories", flush=True)
    guard.start("many stories")
    sr = bench_stories.run(20, 20, 50)
    if args.with_langid:
        print("== language identification", flush=True)
        guard.start("language identification")
        out = subprocess.run([sys.executable, str(HERE / "bench_langid.py")], check=True,
                             capture_output=True, text=True, cwd=ROOT)
        langid = "```\n" + out.stdout.strip() + "\n```"
    else:
        langid = ("Not part of `make bench` (it takes about 2.5 minutes on its own and would "
                  "push the total past 10 minutes); run `make bench-langid` separately.")
    total = time.perf_counter() - t0
    guard.finish()
    plot(au, args.out / "bench-scaling.png")
    write_md(args.out / "bench.md", tr, au, st, total, langid, ht, load=guard, jd=jd, sr=sr)
    print(f"wrote {args.out / 'bench.md'} and {args.out / 'bench-scaling.png'} "
          f"({total:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
