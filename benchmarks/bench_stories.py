"""Many stories at once: ``drift audit STORIES/ --stories`` through each engine, side by side.

A collection of generated stories (20 of 20 articles by default: ``bench_audit``'s generator, one
seed per story, reference mode) is audited by
  (a) the local engine with 1 worker (in the process: the sequential baseline; its torch and
      BLAS math use every core, as a user's ``--workers 1`` does),
  (a') the same held to one math thread (what each of two workers on two cores gets),
  (b) the local engine with 2 workers (a process pool; worker start and model loads included),
  (c) the Ray engine with 2 workers on a local cluster, when ray is installed (the cluster's own
      start is timed apart: with ``--address`` it is already running; actor start and model
      loads are included, as for the pool).
Each configuration runs in a fresh process with empty caches, one after the other, and its
reports are compared byte for byte with the baseline's. Stated per configuration: wall time,
stories/s, the ratio to the baseline (target >= 1.7 for 2 local workers on 2 cores) and to the
local pool (target <= 1.3 for the engine), peak memory per worker, and how many times each
worker loaded each model (target: once).

    .venv/bin/python benchmarks/bench_stories.py [--stories 20] [--articles 20] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_audit import make_set

# (engine, workers, one math thread per process): one worker as users run it (its math on every
# core), the same held to one thread (what each of two workers gets), two workers, Ray.
CONFIGS = (("local", 1, False), ("local", 1, True), ("local", 2, False), ("ray", 2, False))
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
              "DRIFT_THREADS": "1"}


def make_collection(root: Path, stories: int, articles: int) -> Path:
    for s in range(stories):
        make_set(articles, root / f"story-{s:02d}", seed=1000 + s)
    return root


def child(root: Path, engine_name: str, workers: int, out: Path) -> dict[str, Any]:
    """One configuration, timed from the engine's creation to the last report written."""
    import functools

    from drift.engines import get_engine
    from drift.stories import AuditOptions, audit_stories, find_stories, warm

    options = AuditOptions(translator="identity", use_cache=False)
    stories = find_stories(root)
    cluster_s = None
    if engine_name == "ray":
        import ray  # type: ignore[import-untyped]

        t0 = time.perf_counter()
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        cluster_s = time.perf_counter() - t0  # the engine uses this process's Ray as it is
    t0 = time.perf_counter()
    engine = get_engine(engine_name, workers, warm=functools.partial(warm, options))
    try:
        result = audit_stories(stories, options, engine, json_dir=out)
    finally:
        engine.close()
    seconds = time.perf_counter() - t0
    if engine_name == "ray":
        ray.shutdown()
    per_pid: dict[int, dict[str, Any]] = {}
    for o in result.outcomes:
        r = o.result
        if r is None:
            continue
        w = per_pid.setdefault(r.pid, {"stories": 0, "loads": {}, "peak_rss_mib": 0.0})
        w["stories"] += 1
        w["peak_rss_mib"] = max(w["peak_rss_mib"], r.peak_rss_mib)
        for model, n in r.loads:
            w["loads"][model] = max(w["loads"].get(model, 0), n)
    return {"engine": engine_name, "workers": workers, "seconds": seconds,
            "cluster_start_s": cluster_s, "stories": len(stories),
            "failed": len(result.failed), "per_worker": list(per_pid.values())}


STAGE_ORDER = ("read", "detect", "translate", "claims", "compare", "judge", "assemble")


def stage_profile(articles: int) -> dict[str, Any]:
    """Where one story's audit spends its time, in a fresh process with cold caches: model
    loads, then each stage of a ``articles``-article story (reference mode), then its report
    files. The first event of each stage ends the one before it."""
    import functools

    from drift.core import audit
    from drift.html import render_html
    from drift.stories import AuditOptions, model_loads, warm

    options = AuditOptions(translator="identity", use_cache=False)
    loads: dict[str, float] = {}
    t = time.perf_counter()
    from drift.claims import load_parser

    load_parser()
    loads["spacy"] = time.perf_counter() - t
    t = time.perf_counter()
    functools.partial(warm, options)()  # the judge and the embeddings (spaCy is loaded)
    loads["judge and embeddings"] = time.perf_counter() - t
    with tempfile.TemporaryDirectory(prefix="drift-bench-stage-") as tmp:
        folder = Path(tmp) / "story"
        reference = make_set(articles, folder, seed=4242)
        first: dict[str, float] = {}
        last: list[float] = [0.0]

        def progress(stage: str, _n: int, _total: int) -> None:
            now = time.perf_counter()
            first.setdefault(stage, now)
            last[0] = now

        t0 = time.perf_counter()
        report = audit([folder / "articles"], reference=reference, translator="identity",
                       use_cache=False, progress=progress)
        t_end = time.perf_counter()
        # Each stage runs from its first progress event to the next stage's; what follows the
        # last event (findings, lineage, origin: no events) is "assemble".
        marks = [("read", t0), *sorted(first.items(), key=lambda kv: kv[1]),
                 ("assemble", last[0])]
        seconds: dict[str, float] = {}
        for (name, at), (_next, until) in zip(marks, [*marks[1:], ("end", t_end)],
                                              strict=True):
            seconds[name] = until - at
        t = time.perf_counter()
        text = report.to_json()
        render_html(report.to_dict())
        seconds["report files"] = time.perf_counter() - t
    return {"articles": articles, "loads_s": loads, "stages_s": seconds,
            "audit_s": t_end - t0, "findings": len(report.findings), "bytes": len(text),
            "loads": model_loads()}


def _reports(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.json"))}


def run(stories: int, articles: int, stage_articles: int = 50) -> dict[str, Any]:
    try:
        import ray  # type: ignore[import-untyped]  # noqa: F401

        have_ray = True
    except ImportError:
        have_ray = False
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="drift-bench-stories-") as tmp:
        base = Path(tmp)
        root = make_collection(base / "stories", stories, articles)
        baseline: dict[str, bytes] | None = None
        for engine, workers, one_thread in CONFIGS:
            if engine == "ray" and not have_ray:
                print("ray engine: skipped (pip install 'drift[cluster]')")
                continue
            tag = f"{engine}-{workers}{'-t1' if one_thread else ''}"
            out = base / f"out-{tag}"
            home = base / f"home-{tag}"
            env = {**os.environ, "XDG_CACHE_HOME": str(home / "cache"),
                   "DRIFT_RESULT_CACHE": "off", "RAY_USAGE_STATS_ENABLED": "0",
                   **(ONE_THREAD if one_thread else {})}
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(root), engine, str(workers),
                 str(out)], env=env, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"{engine} x{workers} failed: {done.stderr[-3000:]}")
            row = json.loads(done.stdout.strip().splitlines()[-1])
            row["one_thread"] = one_thread
            reports = _reports(out)
            if baseline is None:
                baseline = reports
            row["same_reports"] = reports == baseline
            rows.append(row)
    base_s = rows[0]["seconds"]
    one_s = next((r["seconds"] for r in rows if r["one_thread"]), None)
    pool_s = next((r["seconds"] for r in rows if r["engine"] == "local" and r["workers"] > 1),
                  None)
    for r in rows:
        r["stories_per_s"] = r["stories"] / r["seconds"]
        r["speedup"] = base_s / r["seconds"]
        r["speedup_one_thread"] = one_s / r["seconds"] if one_s else None
        r["vs_pool"] = r["seconds"] / pool_s if pool_s else None
        r["max_loads"] = max((n for w in r["per_worker"] for n in w["loads"].values()),
                             default=0)
        r["max_worker_rss_mib"] = max((w["peak_rss_mib"] for w in r["per_worker"]), default=0)
    res: dict[str, Any] = {"stories": stories, "articles": articles, "rows": rows}
    if stage_articles:
        done = subprocess.run([sys.executable, __file__, "--stages-child", str(stage_articles)],
                              capture_output=True, text=True, check=True,
                              env={**os.environ, "DRIFT_RESULT_CACHE": "off"})
        res["stage_profile"] = json.loads(done.stdout.strip().splitlines()[-1])
    return res


def summary_rows(res: dict[str, Any]) -> list[str]:
    """Rows of run_all's summary table (measure | value | target | met)."""
    by = {(r["engine"], r["workers"]): r for r in res["rows"] if not r["one_thread"]}
    out = []
    n = f"{res['stories']} stories of {res['articles']} articles"
    pool = by.get(("local", 2))
    if pool:
        out.append(f"| {n}: 2 local workers / 1, stories/s (worker start and model loads "
                   f"included; the one worker's math on both cores) | {pool['speedup']:.2f}x | "
                   f">= 1.7x | {'yes' if pool['speedup'] >= 1.7 else '**no**'} |")
        if pool["speedup_one_thread"]:
            out.append(f"| same, against one worker held to one thread (each of the two gets "
                       f"one) | {pool['speedup_one_thread']:.2f}x | >= 1.7x | "
                       f"{'yes' if pool['speedup_one_thread'] >= 1.7 else '**no**'} |")
    ray = by.get(("ray", 2))
    if ray and ray["vs_pool"]:
        out.append(f"| same, Ray engine on a local 2-worker cluster / local pool, time (cluster "
                   f"start apart: {ray['cluster_start_s']:.1f} s) | {ray['vs_pool']:.2f} | "
                   f"<= 1.3 | {'yes' if ray['vs_pool'] <= 1.3 else '**no**'} |")
    loads = max(r["max_loads"] for r in res["rows"])
    rss = max(r["max_worker_rss_mib"] for r in res["rows"])
    out.append(f"| most loads of one model by one worker; peak RSS per worker | {loads}; "
               f"{rss:.0f} MiB | 1 | {'yes' if loads <= 1 else '**no**'} |")
    same = all(r["same_reports"] for r in res["rows"])
    out.append(f"| reports of every engine and worker count byte for byte those of one worker "
               f"| {'identical' if same else 'DIFFERENT'} | identical | "
               f"{'yes' if same else '**no**'} |")
    return out


def section(res: dict[str, Any]) -> list[str]:
    """The benchmark's section of reports/bench.md."""
    lines = ["## Many stories: workers and engines", "",
             f"{res['stories']} generated stories of {res['articles']} articles each "
             "(reference mode, identity translator, judge auto, caches off), each "
             "configuration in a fresh process, one after the other.", "",
             "| engine | workers | seconds | stories/s | speed-up | time / pool | peak RSS per "
             "worker MiB | most loads of a model per worker | reports |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in res["rows"]:
        workers = f"{r['workers']}{' (one thread)' if r['one_thread'] else ''}"
        lines.append(f"| {r['engine']} | {workers} | {r['seconds']:.1f} | "
                     f"{r['stories_per_s']:.3f} | {r['speedup']:.2f} | "
                     f"{'' if r['vs_pool'] is None else format(r['vs_pool'], '.2f')} | "
                     f"{r['max_worker_rss_mib']:.0f} | {r['max_loads']} | "
                     f"{'identical' if r['same_reports'] else 'DIFFERENT'} |")
    prof = res.get("stage_profile")
    if prof:
        lines += ["", f"Where one {prof['articles']}-article story's time goes (fresh process, "
                  "cold caches):", "", "| part | seconds |", "|---|---|"]
        lines += [f"| load {k} | {v:.2f} |" for k, v in prof["loads_s"].items()]
        lines += [f"| {k} | {v:.2f} |" for k, v in prof["stages_s"].items()]
        lines.append(f"| audit in all | {prof['audit_s']:.2f} |")
    return [*lines, ""]


def show(res: dict[str, Any]) -> None:
    print(f"{res['stories']} stories of {res['articles']} articles (reference mode, identity "
          "translator, judge auto, caches off):")
    for r in res["rows"]:
        cluster = (f"; cluster start {r['cluster_start_s']:.1f} s apart"
                   if r["cluster_start_s"] is not None else "")
        vs_pool = f", {r['vs_pool']:.2f}x the pool's time" if r["vs_pool"] else ""
        label = f"{r['engine']} x{r['workers']}{' (1 thread)' if r['one_thread'] else ''}"
        print(f"  {label:18s}: {r['seconds']:6.1f} s, "
              f"{r['stories_per_s']:.2f} stories/s, speed-up {r['speedup']:.2f} (vs one thread "
              f"{r['speedup_one_thread'] or 0:.2f}){vs_pool}; "
              f"peak RSS per worker {r['max_worker_rss_mib']:.0f} MiB; most loads of one "
              f"model by one worker {r['max_loads']}; reports "
              f"{'identical' if r['same_reports'] else 'DIFFERENT'}{cluster}")
    prof = res.get("stage_profile")
    if prof:
        loads = ", ".join(f"{k} {v:.1f} s" for k, v in prof["loads_s"].items())
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in prof["stages_s"].items())
        print(f"one {prof['articles']}-article story, fresh process: model loads {loads}; "
              f"audit {prof['audit_s']:.1f} s ({stages}); {prof['findings']} findings")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stories", type=int, default=20)
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--stage-articles", type=int, default=50,
                    help="articles of the story whose stages are timed (0: skip)")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    ap.add_argument("--stages-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stages_child:
        print(json.dumps(stage_profile(args.stages_child)))
        return 0
    if args.child:
        root, engine, workers, out = args.child
        print(json.dumps(child(Path(root), engine, int(workers), Path(out))))
        return 0
    res = run(args.stories, args.articles, args.stage_articles)
    show(res)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
