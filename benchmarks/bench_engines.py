"""Ray vs Dask distributed for running many stories: overhead, model reuse, real audits, faults.

usage: python benchmarks/bench_engines.py [--engines sequential pool dask ray] [--stories 8]
                                          [--no-faults] [--json out.json]

Each story is one ``drift.core.audit`` of a folder of articles (seconds of CPU, spaCy and the
torch embedder loaded lazily on first use), so the question is which cluster engine runs many
independent stories with the least per-story overhead while loading the models once per
long-lived worker process. Every engine is measured in its own fresh interpreter, on a local
cluster of 2 worker processes with 1 thread each (Ray: ``num_cpus=2``, one task or actor per CPU;
Dask: ``LocalCluster(n_workers=2, threads_per_worker=1, processes=True)``), and compared with a
``ProcessPoolExecutor(2)`` (spawn, an initializer that warms the models) and with one process
running the stories in turn. An engine that is not installed is skipped, with the reason.

Measured, per engine:

a. cluster start-up (import excluded, reported apart) and shutdown;
b. per-task overhead: 200 trivial tasks (a small dict back) submitted and gathered (ms a task),
   and the round trip of one task at a time (median), against calling the function directly;
c. per-story payload: tasks whose argument and result are a report-shaped dict of ~200 KB (JSON);
d. model reuse: 20 tasks that parse a sentence with spaCy through drift's process-global cache
   (``drift.claims.load_parser``, an ``lru_cache``): loads per worker process (must be 1) and the
   warm task time; Ray both with plain tasks (are worker processes reused?) and with actors
   (one per CPU, holding the model);
e. real stories: copies of the first ``--stories`` story folders of benchmarks/sets/dev, each
   audited with ``audit(folder, reference=folder/'reference.txt', translator='identity',
   judge='off', use_cache=False)``, after a warm-up audit of another story on every worker: wall
   time, stories/s, overhead per story (wall time x workers - time inside the audits, per
   story), peak RSS of each worker process (VmHWM) and the RSS of every process the engine
   started;
f. faults (unless ``--no-faults``): a task whose worker process is SIGKILLed mid-task (the task
   kills its own process on its first attempt): Dask (the nanny restarts the worker, the
   scheduler reschedules the task), Ray tasks (``max_retries``) and Ray actors
   (``max_restarts`` / ``max_task_retries``).

Also: the install size of each engine (its distributions and the dependencies drift does not
already pull in), and the processes each engine starts. Two figures say how far the timings are
to be trusted on a small shared machine: the CPU time that other processes took while each
engine ran ("other CPU", a share of all the cores), and a probe run before and after: a CPU-bound
loop alone and two at once (speedup 2.0 when both cores are free to us).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mib

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEV = HERE / "sets" / "dev"
STORIES = ("g1-wildfire-evacuation", "g2-university-admissions", "g3-football-transfer",
           "g4-hospital-cyberattack", "g5-train-derailment", "g6-central-bank-rate",
           "h1-port-strike", "h2-dam-crack", "h4-astrolabe-theft", "h5-mine-licence")
WARM_STORY = "h3-syrup-recall"  # audited once on every worker before the stories are timed
WORKERS = 2
N_TRIVIAL = 200
N_ROUNDTRIP = 30
N_PAYLOAD = 40
PAYLOAD_BYTES = 200_000
N_SPACY = 20
SENTENCE = ("About 1,400 dock workers at Port Velmar will stop work for 48 hours from Monday, "
            "the Unidad Portuaria union said on Friday.")
ENGINES = ("sequential", "pool", "dask", "ray")
RESULT = "RESULT "


# --------------------------------------------------------------------------------------------
# What runs on the workers (module-level, so that every engine pickles it by reference).
# --------------------------------------------------------------------------------------------

def parser_loads() -> int:
    """How many times spaCy was loaded in this process (drift's ``lru_cache`` misses)."""
    if "drift.claims" not in sys.modules:
        return 0
    from drift.claims import load_parser

    return int(load_parser.cache_info().misses)


def trivial(i: int) -> dict[str, int]:
    return {"i": i, "square": i * i}


def echo_report(report: dict[str, Any]) -> dict[str, Any]:
    """A report-sized result for a report-sized argument."""
    out = dict(report)
    out["echoed_by"] = os.getpid()
    return out


def spacy_task(text: str) -> dict[str, Any]:
    """Parse ``text`` with drift's English pipeline, loaded through its process-global cache."""
    from drift.claims import load_parser

    before = parser_loads()
    t0 = time.perf_counter()
    doc = load_parser()(text)
    return {"pid": os.getpid(), "seconds": time.perf_counter() - t0, "tokens": len(doc),
            "loads": parser_loads(), "loaded_now": parser_loads() > before}


def worker_info(sleep_s: float = 0.0) -> dict[str, Any]:
    time.sleep(sleep_s)
    return {"pid": os.getpid(), "loads": parser_loads(), "peak_rss_mib": peak_rss_mib()}


def _audit(folder: Path) -> Any:
    from drift.core import audit

    return audit(folder, reference=folder / "reference.txt", translator="identity", judge="off",
                 use_cache=False)


def warm(_: object = None) -> dict[str, Any]:
    """Load every model a story needs (spaCy, the torch embedder, ...): audit another story."""
    t0 = time.perf_counter()
    _audit(DEV / WARM_STORY)
    return {**worker_info(), "seconds": time.perf_counter() - t0}


def run_story(folder: str) -> dict[str, Any]:
    """One story: the audit of ``folder``, its JSON report back (as a real run would ship it)."""
    t0 = time.perf_counter()
    report = _audit(Path(folder))
    seconds = time.perf_counter() - t0
    return {**worker_info(), "seconds": seconds, "findings": len(report.findings),
            "report": report.to_json()}


def crash_once(marker: str) -> dict[str, Any]:
    """SIGKILL this worker process on the first attempt (``marker`` absent); succeed after."""
    path = Path(marker)
    if not path.exists():
        path.write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(0.2)  # mid-task
        os.kill(os.getpid(), signal.SIGKILL)
    return {"pid": os.getpid(), "killed_pid": int(path.read_text(encoding="utf-8"))}


class StoryActor:
    """Ray actor: one per CPU, the models loaded in ``__init__`` and kept for its lifetime."""

    def __init__(self) -> None:
        from drift.claims import load_parser

        self.nlp = load_parser()

    def info(self) -> dict[str, Any]:
        return worker_info()

    def spacy(self, text: str) -> dict[str, Any]:
        return spacy_task(text)

    def warm(self) -> dict[str, Any]:
        return warm()

    def story(self, folder: str) -> dict[str, Any]:
        return run_story(folder)


class CrashActor:
    """Ray actor whose process is SIGKILLed by its first ``crash`` call."""

    def __init__(self) -> None:
        self.started = time.time()

    def crash(self, marker: str) -> dict[str, Any]:
        return {**crash_once(marker), "actor_started": self.started}


# --------------------------------------------------------------------------------------------
# Measurement helpers (driver side).
# --------------------------------------------------------------------------------------------

def payload(i: int, size: int = PAYLOAD_BYTES) -> dict[str, Any]:
    """A drift-report-shaped dict of about ``size`` bytes of JSON (distinct for each ``i``)."""
    finding = {"kind": "number_changed", "severity": "high", "article": f"art-{i}",
               "claim": "About 1,400 dock workers will stop work for 48 hours. " * 3,
               "reference": "Some 1,400 dockers plan a 48-hour walkout from Monday. " * 3,
               "evidence": {"span": [120, 240], "score": 0.87, "tokens": list(range(20))}}
    one = len(json.dumps(finding))
    report: dict[str, Any] = {"schema_version": "1", "id": i, "articles": [
        {"id": f"art-{k}", "outlet": f"Outlet {k}", "language": "en"} for k in range(8)]}
    report["findings"] = [dict(finding, id=f"{i}-{k}") for k in range(max(1, size // one))]
    return report


def processes() -> list[dict[str, Any]]:
    """The processes this one started (recursively): pid, name, RSS."""
    try:
        import psutil
    except ImportError:
        return _processes_proc()
    out = []
    for p in psutil.Process().children(recursive=True):
        try:
            out.append({"pid": p.pid, "name": p.name(), "rss_mib": p.memory_info().rss / 2**20,
                        "cmd": " ".join(p.cmdline())[:120]})
        except psutil.Error:
            continue
    return out


def _processes_proc() -> list[dict[str, Any]]:
    parents: dict[int, int] = {}
    info: dict[int, dict[str, Any]] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            status = dict(line.split(":", 1) for line in (d / "status").read_text().splitlines()
                          if ":" in line)
            parents[int(d.name)] = int(status["PPid"])
            rss = int(status.get("VmRSS", "0 kB").split()[0]) / 1024
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            info[int(d.name)] = {"pid": int(d.name), "name": status["Name"].strip(),
                                 "rss_mib": rss, "cmd": cmd[:120]}
        except (OSError, KeyError, ValueError):
            continue
    mine: list[dict[str, Any]] = []
    frontier = {os.getpid()}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier}
        mine.extend(info[pid] for pid in frontier if pid in info)
    return mine


def _ms(seconds: float, n: int = 1) -> float:
    return 1000.0 * seconds / n


class Engine:
    """Submit-and-gather (``map``) and one round trip (``one``) on some executor."""

    name = "engine"

    def map(self, fn: Callable[..., Any], args: Sequence[Any]) -> list[Any]:
        raise NotImplementedError

    def one(self, fn: Callable[..., Any], arg: Any) -> Any:
        return self.map(fn, [arg])[0]

    def warm_all(self) -> list[dict[str, Any]]:
        """``warm`` once on each worker process; their info."""
        return list(self.map(warm, [None] * WORKERS))

    def close(self) -> None:
        raise NotImplementedError


class PoolEngine(Engine):
    name = "pool"

    def __init__(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=warm)

    def map(self, fn: Callable[..., Any], args: Sequence[Any]) -> list[Any]:
        return list(self.pool.map(fn, args))

    def one(self, fn: Callable[..., Any], arg: Any) -> Any:
        return self.pool.submit(fn, arg).result()

    def warm_all(self) -> list[dict[str, Any]]:
        # The initializer warms each process before it takes a task: once both pids answer,
        # both are warm.
        seen: dict[int, dict[str, Any]] = {}
        while len(seen) < WORKERS:
            for r in self.map(worker_info, [0.3] * WORKERS):
                seen[r["pid"]] = r
        return list(seen.values())

    def close(self) -> None:
        self.pool.shutdown()


class DaskEngine(Engine):
    name = "dask"

    def __init__(self) -> None:
        import distributed

        dd: Any = distributed  # untyped
        self.cluster = dd.LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                                    dashboard_address=None, silence_logs=logging.ERROR)
        self.client: Any = dd.Client(self.cluster)

    def map(self, fn: Callable[..., Any], args: Sequence[Any]) -> list[Any]:
        return list(self.client.gather(self.client.map(fn, args, pure=False)))

    def one(self, fn: Callable[..., Any], arg: Any) -> Any:
        return self.client.submit(fn, arg, pure=False).result()

    def warm_all(self) -> list[dict[str, Any]]:
        addrs = list(self.client.scheduler_info()["workers"])
        futs = [self.client.submit(warm, None, workers=[a], allow_other_workers=False,
                                   pure=False) for a in addrs]
        return list(self.client.gather(futs))

    def close(self) -> None:
        self.client.close()
        self.cluster.close()


class RayTaskEngine(Engine):
    name = "ray"

    def __init__(self) -> None:
        import ray

        self.ray = ray
        ray.init(num_cpus=WORKERS, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.WARNING, object_store_memory=512 * 2**20)
        self.remote: dict[Callable[..., Any], Any] = {}

    def _r(self, fn: Callable[..., Any]) -> Any:
        if fn not in self.remote:
            self.remote[fn] = self.ray.remote(num_cpus=1)(fn)
        return self.remote[fn]

    def map(self, fn: Callable[..., Any], args: Sequence[Any]) -> list[Any]:
        r = self._r(fn)
        return list(self.ray.get([r.remote(a) for a in args]))

    def one(self, fn: Callable[..., Any], arg: Any) -> Any:
        return self.ray.get(self._r(fn).remote(arg))

    def close(self) -> None:
        self.ray.shutdown()


class RayActorEngine(Engine):
    """Stories on Ray actors (one per CPU) of an already started Ray."""

    name = "ray-actors"

    def __init__(self) -> None:
        import ray
        from ray.util import ActorPool

        self.ray = ray
        cls: Any = ray.remote(num_cpus=1)(StoryActor)
        self.actors: list[Any] = [cls.remote() for _ in range(WORKERS)]
        ray.get([a.info.remote() for a in self.actors])
        self.pool = ActorPool(self.actors)

    def method(self, fn: Callable[..., Any]) -> str:
        return {spacy_task: "spacy", run_story: "story", worker_info: "info", warm: "warm"}[fn]

    def map(self, fn: Callable[..., Any], args: Sequence[Any]) -> list[Any]:
        name = self.method(fn)
        return list(self.pool.map(lambda a, v: getattr(a, name).remote(v), list(args)))

    def one(self, fn: Callable[..., Any], arg: Any) -> Any:
        return self.ray.get(getattr(self.actors[0], self.method(fn)).remote(arg))

    def spread(self, fn: Callable[..., Any], args: Sequence[Any]) -> list[Any]:
        """Round robin over the actors (model reuse: every actor gets its share)."""
        name = self.method(fn)
        refs = [getattr(self.actors[k % WORKERS], name).remote(a) for k, a in enumerate(args)]
        return list(self.ray.get(refs))

    def warm_all(self) -> list[dict[str, Any]]:
        return list(self.ray.get([a.warm.remote() for a in self.actors]))

    def close(self) -> None:
        for a in self.actors:
            self.ray.kill(a)


def bench_trivial(engine: Engine) -> dict[str, Any]:
    t0 = time.perf_counter()
    for i in range(N_TRIVIAL):
        trivial(i)
    direct = time.perf_counter() - t0
    engine.map(trivial, list(range(WORKERS * 2)))  # the function shipped, workers running
    t0 = time.perf_counter()
    out = engine.map(trivial, list(range(N_TRIVIAL)))
    batch = time.perf_counter() - t0
    assert out[-1] == trivial(N_TRIVIAL - 1)
    trips = []
    for i in range(N_ROUNDTRIP):
        t0 = time.perf_counter()
        engine.one(trivial, i)
        trips.append(time.perf_counter() - t0)
    return {"direct_us_per_call": 1e6 * direct / N_TRIVIAL,
            "batch_ms_per_task": _ms(batch, N_TRIVIAL),
            "roundtrip_ms": _ms(statistics.median(trips))}


def bench_payload(engine: Engine) -> dict[str, Any]:
    reports = [payload(i) for i in range(N_PAYLOAD)]
    size = len(json.dumps(reports[0]))
    engine.map(echo_report, reports[:WORKERS])
    t0 = time.perf_counter()
    out = engine.map(echo_report, reports)
    batch = time.perf_counter() - t0
    assert len(out[-1]["findings"]) == len(reports[-1]["findings"])
    trips = []
    for r in reports[:10]:
        t0 = time.perf_counter()
        engine.one(echo_report, r)
        trips.append(time.perf_counter() - t0)
    return {"payload_kb": size / 1000, "batch_ms_per_task": _ms(batch, N_PAYLOAD),
            "roundtrip_ms": _ms(statistics.median(trips))}


def bench_models(engine: Engine) -> dict[str, Any]:
    t0 = time.perf_counter()
    spread = engine.spread if isinstance(engine, RayActorEngine) else engine.map
    out = spread(spacy_task, [SENTENCE] * N_SPACY)
    first = time.perf_counter() - t0
    loads: dict[int, int] = {}
    for r in out:
        loads[r["pid"]] = max(loads.get(r["pid"], 0), r["loads"])
    warm_in_task = [r["seconds"] for r in out if not r["loaded_now"]]
    trips = []
    for _ in range(10):
        t0 = time.perf_counter()
        engine.one(spacy_task, SENTENCE)
        trips.append(time.perf_counter() - t0)
    return {"tasks": N_SPACY, "pids": len(loads), "loads_per_worker": loads,
            "max_loads_per_worker": max(loads.values()),
            "loaded_in_tasks": sum(r["loaded_now"] for r in out), "first_batch_s": first,
            "warm_task_ms": _ms(statistics.median(warm_in_task)) if warm_in_task else None,
            "warm_roundtrip_ms": _ms(statistics.median(trips))}


def bench_stories(engine: Engine, stories: Sequence[str]) -> dict[str, Any]:
    t0 = time.perf_counter()
    warmed = engine.warm_all()
    warm_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = engine.map(run_story, stories)
    wall = time.perf_counter() - t0
    return _story_summary(out, wall, warm_s, {w["pid"] for w in warmed}, WORKERS)


def _story_summary(out: Sequence[dict[str, Any]], wall: float, warm_s: float,
                   warmed: set[int], workers: int) -> dict[str, Any]:
    inside = sum(r["seconds"] for r in out)
    peaks: dict[int, float] = {}
    for r in out:
        peaks[r["pid"]] = max(peaks.get(r["pid"], 0.0), r["peak_rss_mib"])
    return {"stories": len(out), "warmup_s": warm_s, "wall_s": wall,
            "stories_per_s": len(out) / wall, "audit_s_total": inside,
            "overhead_ms_per_story": _ms(max(0.0, wall * workers - inside), len(out)),
            "pids": sorted(peaks), "all_on_warmed_workers": set(peaks) <= warmed,
            "max_loads": max(r["loads"] for r in out),
            "worker_peak_rss_mib": {str(k): round(v, 1) for k, v in peaks.items()},
            "findings": sum(r["findings"] for r in out),
            "report_kb_mean": statistics.mean(len(r["report"]) for r in out) / 1000}


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def _section(result: dict[str, Any], key: str, fn: Callable[[], Any]) -> None:
    """``result[key] = fn()``, or the error (one failing section spoils no other)."""
    try:
        result[key] = fn()
    except Exception as e:  # a benchmark reports what failed and goes on
        result[key] = {"error": f"{type(e).__name__}: {e}"[:500]}
        print(f"{result.get('engine')}: {key} failed: {e}", file=sys.stderr, flush=True)


def _processes_summary(procs: Iterable[dict[str, Any]]) -> dict[str, Any]:
    procs = list(procs)
    return {"count": len(procs), "rss_mib_total": round(sum(p["rss_mib"] for p in procs), 1),
            "list": [{"name": p["name"], "rss_mib": round(p["rss_mib"], 1), "cmd": p["cmd"][:100]}
                     for p in procs]}


# --------------------------------------------------------------------------------------------
# One engine in one fresh interpreter.
# --------------------------------------------------------------------------------------------

def child_sequential(stories: Sequence[str]) -> dict[str, Any]:
    res: dict[str, Any] = {"engine": "sequential"}
    warm_s, info = _timed(warm)
    t0 = time.perf_counter()
    out = [run_story(s) for s in stories]
    wall = time.perf_counter() - t0
    res["stories"] = _story_summary(out, wall, warm_s, {info["pid"]}, 1)
    return res


def child_engine(kind: str, stories: Sequence[str], faults: bool, tmp: Path) -> dict[str, Any]:
    res: dict[str, Any] = {"engine": kind}
    module = {"pool": "concurrent.futures", "dask": "distributed", "ray": "ray"}[kind]
    import_s, _ = _timed(lambda: __import__(module))
    res["import_s"] = import_s
    factory: dict[str, Callable[[], Engine]] = {"pool": PoolEngine, "dask": DaskEngine,
                                                "ray": RayTaskEngine}
    start_s, engine = _timed(factory[kind])
    if kind == "pool":  # processes start on the first submit: count that as start-up
        s2, _ = _timed(lambda: engine.map(trivial, list(range(WORKERS))))
        start_s += s2
    res["startup_s"] = start_s
    time.sleep(1.0)  # let background processes (Ray's agents, prestarted workers) appear
    res["processes_at_start"] = _processes_summary(processes())
    _section(res, "trivial", lambda: bench_trivial(engine))
    _section(res, "payload", lambda: bench_payload(engine))
    _section(res, "models", lambda: bench_models(engine))
    _section(res, "stories", lambda: bench_stories(engine, stories))
    res["processes_after_stories"] = _processes_summary(processes())
    if kind == "ray":
        def actors() -> dict[str, Any]:
            out: dict[str, Any] = {}
            start, act = _timed(RayActorEngine)
            out["actors_start_s"] = start
            out["models"] = bench_models(act)
            out["stories"] = bench_stories(act, stories)
            out["processes_after_stories"] = _processes_summary(processes())
            act.close()
            return out

        _section(res, "actors", actors)
    if faults and kind in ("dask", "ray"):
        _section(res, "faults", lambda: (fault_dask if kind == "dask" else fault_ray)(
            engine, tmp))
    res["shutdown_s"], _ = _timed(engine.close)
    return res


def fault_dask(engine: Engine, tmp: Path) -> dict[str, Any]:
    import dask

    assert isinstance(engine, DaskEngine)
    client = engine.client
    before = client.run(os.getpid)
    marker = tmp / "dask-crash"
    t0 = time.perf_counter()
    fut = client.submit(crash_once, str(marker), pure=False)
    try:
        r = fut.result(timeout=120)
        outcome: dict[str, Any] = {"ok": True, **r}
    except Exception as e:
        outcome = {"ok": False, "error": f"{type(e).__name__}: {e}"[:300]}
    outcome["seconds"] = time.perf_counter() - t0
    client.wait_for_workers(WORKERS, timeout=120)
    after = client.run(os.getpid)
    outcome["worker_pids_before"] = sorted(before.values())
    outcome["worker_pids_after"] = sorted(after.values())
    outcome["allowed_failures"] = dask.config.get("distributed.scheduler.allowed-failures")
    # A fresh worker has an empty cache: the first model task on it loads spaCy again.
    new = [a for a, pid in after.items() if pid not in before.values()]
    if new:
        fut = client.submit(spacy_task, SENTENCE, workers=new[:1], pure=False)
        outcome["restarted_worker_first_task"] = fut.result(timeout=120)
    return {"task_killed_once": outcome}


def fault_ray(engine: Engine, tmp: Path) -> dict[str, Any]:
    import ray

    out: dict[str, Any] = {}
    for retries in (1, 0):
        marker = tmp / f"ray-task-crash-{retries}"
        fn: Any = ray.remote(num_cpus=1, max_retries=retries)(crash_once)
        t0 = time.perf_counter()
        try:
            o: dict[str, Any] = {"ok": True, **ray.get(fn.remote(str(marker)), timeout=120)}
        except Exception as e:
            o = {"ok": False, "error": f"{type(e).__name__}: {str(e)[:200]}"}
        o["seconds"] = time.perf_counter() - t0
        out[f"task_max_retries_{retries}"] = o
    for restarts in (1, 0):
        marker = tmp / f"ray-actor-crash-{restarts}"
        cls: Any = ray.remote(num_cpus=1, max_restarts=restarts, max_task_retries=restarts)(
            CrashActor)
        actor = cls.remote()
        t0 = time.perf_counter()
        try:
            o = {"ok": True, **ray.get(actor.crash.remote(str(marker)), timeout=120)}
        except Exception as e:
            o = {"ok": False, "error": f"{type(e).__name__}: {str(e)[:200]}"}
        o["seconds"] = time.perf_counter() - t0
        out[f"actor_max_restarts_{restarts}"] = o
        ray.kill(actor)
    return out


def child(kind: str, stories_dir: Path, faults: bool) -> dict[str, Any]:
    stories = sorted(str(p) for p in stories_dir.iterdir() if p.is_dir())
    with tempfile.TemporaryDirectory(prefix="drift-engines-") as tmp:
        if kind == "sequential":
            return child_sequential(stories)
        return child_engine(kind, stories, faults, Path(tmp))


# --------------------------------------------------------------------------------------------
# The parent: install sizes, one child per engine, the table.
# --------------------------------------------------------------------------------------------

def _closure(names: Iterable[str], extras: dict[str, set[str]] | None = None) -> set[str]:
    """Installed distributions needed by ``names`` (with ``extras``), transitively."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    extras = extras or {}
    seen: set[str] = set()
    todo = [canonicalize_name(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen.add(name)
        for spec in dist.requires or []:
            req = Requirement(spec)
            wanted = ["", *sorted(extras.get(name, set()))]
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in wanted):
                todo.append(canonicalize_name(req.name))
                if req.extras:
                    extras.setdefault(canonicalize_name(req.name), set()).update(req.extras)
    return seen


def _dist_mib(name: str) -> float:
    from importlib import metadata

    dist = metadata.distribution(name)
    total = 0
    for f in dist.files or []:
        try:
            total += Path(str(dist.locate_file(f))).stat().st_size
        except OSError:
            continue
    return total / 2**20


def install_sizes() -> dict[str, Any]:
    from importlib import metadata

    base = _closure(["drift"], {"drift": {"dev"}})
    out: dict[str, Any] = {}
    for engine, roots, extras in (("dask", ["dask", "distributed"], {"dask": {"distributed"}}),
                                  ("ray", ["ray"], {})):
        try:
            versions = {r: metadata.version(r) for r in roots}
        except metadata.PackageNotFoundError as e:
            out[engine] = {"installed": False, "why": f"{e.name} is not installed"}
            continue
        closure = _closure(roots, dict(extras))
        extra = sorted(closure - base)
        sizes = {n: round(_dist_mib(n), 1) for n in extra}
        out[engine] = {"installed": True, "versions": versions, "dists": sizes,
                       "mib_total": round(sum(sizes.values()), 1)}
    return out


PROBE = "for i in range(8_000_000): pass"


def cpu_probe() -> dict[str, float]:
    """How parallel this machine is right now: a CPU-bound loop alone, then two at once
    (speedup 2.0 on two free cores, 1.0 when only one core's worth is left to us)."""
    def loops(n: int) -> float:
        t0 = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", PROBE], stdout=subprocess.DEVNULL)
                 for _ in range(n)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - t0

    one, two = loops(1), loops(2)
    return {"one_s": one, "two_s": two, "speedup": 2 * one / two}


def available(kind: str) -> str | None:
    """Why ``kind`` cannot run here (None when it can)."""
    module = {"dask": "distributed", "ray": "ray"}.get(kind)
    if module is None:
        return None
    from importlib.util import find_spec

    return None if find_spec(module) else f"{module} is not installed in {sys.prefix}"


def make_stories(base: Path, n: int) -> Path:
    folder = base / "stories"
    for k, name in enumerate(STORIES[:n]):
        shutil.copytree(DEV / name, folder / f"story-{k:02d}-{name}",
                        ignore=shutil.ignore_patterns("labels.json"))
    return folder


def _busy_ticks() -> int:
    """CPU ticks spent busy by the whole machine (/proc/stat: all but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return sum(fields) - fields[3] - fields[4]


def _tree_ticks() -> dict[int, int]:
    """utime + stime of this process and each of its descendants, by pid."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(d.name)] = int(stat[1])
        ticks[int(d.name)] = int(stat[11]) + int(stat[12])
    mine, frontier = {os.getpid()}, {os.getpid()}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - mine
        mine |= frontier
    return {pid: ticks[pid] for pid in mine if pid in ticks}


class CpuSampler:
    """While running: the CPU time of this process tree and of everything else on the machine
    (the other processes' share tells how far the figures are disturbed; approximate: sampled
    every ``interval`` seconds)."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.stop = threading.Event()
        self.seen: dict[int, int] = {}
        self.mine = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, first: bool = False) -> None:
        for pid, t in _tree_ticks().items():
            base = self.seen.get(pid, t if first else 0)
            self.mine += t - base
            self.seen[pid] = t

    def _run(self) -> None:
        while not self.stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> CpuSampler:
        self.t0, self.busy0 = time.perf_counter(), _busy_ticks()
        self._sample(first=True)
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join()
        self._sample()
        hz = os.sysconf("SC_CLK_TCK")
        self.window_s = time.perf_counter() - self.t0
        self.mine_s = self.mine / hz
        self.others_s = max(0.0, (_busy_ticks() - self.busy0) / hz - self.mine_s)

    def summary(self) -> dict[str, float]:
        cpus = os.cpu_count() or 1
        return {"window_s": self.window_s, "cpu_s_ours": self.mine_s,
                "cpu_s_other_processes": self.others_s,
                "other_processes_share": self.others_s / (cpus * self.window_s)}


def run_child(kind: str, stories_dir: Path, faults: bool, timeout: float) -> dict[str, Any]:
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(HERE), *filter(None, [os.environ.get(
               "PYTHONPATH")])])}
    cmd = [sys.executable, __file__, "--child", kind, "--stories-dir", str(stories_dir)]
    if not faults:
        cmd.append("--no-faults")
    t0 = time.perf_counter()
    try:
        with CpuSampler() as cpu:
            done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env,
                                  timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"engine": kind, "error": f"timed out after {timeout:.0f} s"}
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith(RESULT)]
    if not lines:
        return {"engine": kind, "error": f"exit {done.returncode}, no result"}
    res: dict[str, Any] = json.loads(lines[-1][len(RESULT):])
    res["child_s"] = time.perf_counter() - t0
    res["cpu"] = cpu.summary()
    return res


def _g(d: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def _f(v: Any, fmt: str = ".1f") -> str:
    return "-" if v is None else format(v, fmt) if isinstance(v, int | float) else str(v)


def table(results: Sequence[dict[str, Any]]) -> str:
    rows: list[tuple[str, ...]] = [(
        "engine", "import s", "start s", "stop s", "trivial ms/task", "rtt ms",
        "200KB ms/task", "200KB rtt ms", "spaCy loads/worker", "warm task ms",
        "warmup s", "stories s", "stories/s", "audit s", "ovh ms/story", "worker peak MiB",
        "procs", "other CPU")]
    for r in results:
        variants = [(r["engine"], r)]
        if "actors" in r and "error" not in r["actors"]:
            variants.append(("ray-actors", r["actors"]))
        for name, v in variants:
            peaks = _g(v, "stories", "worker_peak_rss_mib") or {}
            st = _g(v, "stories") or {}
            procs = _g(r, "processes_at_start", "count") if v is r else None
            rows.append((
                name, _f(_g(v, "import_s"), ".2f"),
                _f(_g(v, "startup_s") if v is r else _g(v, "actors_start_s"), ".2f"),
                _f(_g(v, "shutdown_s"), ".2f"),
                _f(_g(v, "trivial", "batch_ms_per_task"), ".2f"),
                _f(_g(v, "trivial", "roundtrip_ms"), ".2f"),
                _f(_g(v, "payload", "batch_ms_per_task"), ".2f"),
                _f(_g(v, "payload", "roundtrip_ms"), ".2f"),
                _f(_g(v, "models", "max_loads_per_worker"), "d"),
                _f(_g(v, "models", "warm_task_ms"), ".1f"),
                _f(st.get("warmup_s"), ".1f"), _f(st.get("wall_s"), ".2f"),
                _f(st.get("stories_per_s"), ".2f"), _f(st.get("audit_s_total"), ".1f"),
                _f(st.get("overhead_ms_per_story"), ".0f"),
                "/".join(f"{x:.0f}" for x in peaks.values()) or "-", _f(procs, "d"),
                _f(_g(r, "cpu", "other_processes_share"), ".0%") if v is r else "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True))
                     for row in rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--stories", type=int, default=8, choices=range(1, len(STORIES) + 1),
                    metavar=f"1..{len(STORIES)}")
    ap.add_argument("--no-faults", action="store_true", help="skip the SIGKILL tests")
    ap.add_argument("--timeout", type=float, default=240.0, help="seconds per engine")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    ap.add_argument("--stories-dir", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(RESULT + json.dumps(child(args.child, args.stories_dir, not args.no_faults)),
              flush=True)
        return 0
    summary: dict[str, Any] = {"workers": WORKERS, "cpus": os.cpu_count(),
                               "python": sys.version.split()[0], "load_before": os.getloadavg(),
                               "install": install_sizes(), "cpu_probe_before": cpu_probe(),
                               "skipped": {}, "results": []}
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="drift-engines-") as tmp:
        stories_dir = make_stories(Path(tmp), args.stories)
        for kind in args.engines:
            why = available(kind)
            if why:
                print(f"{kind}: skipped ({why})", flush=True)
                summary["skipped"][kind] = why
                continue
            print(f"{kind}: running...", file=sys.stderr, flush=True)
            summary["results"].append(run_child(kind, stories_dir, not args.no_faults,
                                                args.timeout))
    summary["seconds"] = time.perf_counter() - t_all
    summary["load_after"] = os.getloadavg()
    summary["cpu_probe_after"] = cpu_probe()
    print(table(summary["results"]))
    for r in summary["results"]:
        if "error" in r:
            print(f"{r['engine']}: {r['error']}")
        for name, key, v in (("", "processes_at_start", r),
                             ("", "processes_after_stories", r),
                             (" actors", "processes_after_stories", r.get("actors", {}))):
            if key in v:
                p = v[key]
                names = ", ".join(f"{x['name']} {x['rss_mib']:.0f}" for x in p["list"])
                print(f"{r['engine']}{name} {key}: {p['count']} processes, "
                      f"{p['rss_mib_total']:.0f} MiB RSS ({names})")
        if "faults" in r:
            print(f"{r['engine']} faults: {json.dumps(r['faults'])}")
    for engine, inst in summary["install"].items():
        print(f"{engine} install: {json.dumps(inst)}")
    b, a = summary["cpu_probe_before"], summary["cpu_probe_after"]
    print(f"total {summary['seconds']:.0f} s; two CPU-bound processes at once ran "
          f"{b['speedup']:.2f}x (before) and {a['speedup']:.2f}x (after) one alone (2.0 = two "
          f"free cores); load average before {summary['load_before']}, after "
          f"{summary['load_after']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    # Run as the importable module ``bench_engines`` (not ``__main__``), so that the worker
    # functions are pickled by reference and imported by every engine's worker processes.
    import bench_engines

    sys.exit(bench_engines.main())
