"""The engines that run many stories at once (``drift.engines``): the local process pool and,
where Ray is installed, the ray engine (long-lived actors). Each gives the reports of a run in
this process byte for byte, survives a worker killed in the middle of a story, hands back a job's
own error without retrying it, gives up on a job that kills its worker every time, and loads the
models once per worker.

The ray cases are skipped when Ray is not installed (``pip install 'drift[cluster]'``), except
under CI when the Makefile installs the extra: then they must run. One local Ray is started for
the whole module and shut down at its end; every engine a test makes is closed by the test's
fixture, and no process is left behind.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import operator
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import in_ci

from drift.engines import CRASH_ENV, CRASH_ONCE_ENV, MAX_ATTEMPTS, Engine, JobFailed
from drift.engines.local import LocalEngine
from drift.stories import (
    INDEX_JSON,
    AuditOptions,
    CollectionResult,
    audit_stories,
    find_stories,
    warm,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_audit import make_set  # noqa: E402

WORKERS = 2
# The learned judge where its weights are in the checkout (it is part of every real audit).
JUDGE = "auto" if (ROOT / "models" / "judge" / "model.safetensors").is_file() else "off"
OPTIONS = AuditOptions(translator="identity", judge=JUDGE, cache_path=None, use_cache=False)
HAVE_RAY = importlib.util.find_spec("ray") is not None


def _ci_installs_ray() -> bool:
    """Whether `make test` installs the cluster extra (then CI must run the ray cases)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return '".[dev,cluster]"' in makefile


def _need_ray() -> None:
    if HAVE_RAY:
        return
    message = "ray is not installed: pip install 'drift[cluster]' (or ray==2.60.0)"
    if in_ci() and _ci_installs_ray():
        pytest.fail(f"CI must run the ray engine's tests: {message}", pytrace=False)
    pytest.skip(message)


ENGINE_NAMES = ("local", "ray")


def _children() -> list[str]:
    """This process's live descendants (pid and command), from /proc."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            if fields[0] == "Z":  # a zombie is gone, only not yet reaped
                continue
            parents[int(d.name)] = int(fields[1])
            names[int(d.name)] = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                errors="replace")[:100]
        except (OSError, IndexError, ValueError):
            continue
    out: list[str] = []
    frontier = {os.getpid()}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier}
        out.extend(f"{pid} {names[pid]}" for pid in sorted(frontier))
    return out


def _left_behind(before: set[str], match: str = "", seconds: float = 20.0) -> list[str]:
    """The descendants of this process (whose command holds ``match``) that were not there
    ``before`` and are still alive after up to ``seconds`` (multiprocessing's resource
    tracker, which lives as long as this process, excepted)."""
    deadline = time.monotonic() + seconds
    while True:
        left = [p for p in _children() if p not in before and match in p
                and "multiprocessing.resource_tracker" not in p]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


# --- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    """One local Ray for the module (every ray engine of a test uses it, and leaves it
    running); shut down at the end, with every process it started."""
    _need_ray()
    from drift.engines.ray import RayEngine

    before = set(_children())
    starter = RayEngine(WORKERS)  # starts Ray (no actor yet): the engine that owns it
    assert starter.started_ray, "Ray was running before this module (left by another test?)"
    yield
    starter.close()
    left = _left_behind(before)
    assert not left, f"processes left behind by Ray: {left}"


Factory = Callable[..., Engine]


def _factory(name: str, request: pytest.FixtureRequest) -> tuple[Factory, list[Engine]]:
    made: list[Engine] = []
    if name == "ray":
        request.getfixturevalue("ray_cluster")

    def make(workers: int = WORKERS, warm: Callable[[], None] | None = None) -> Engine:
        engine: Engine
        if name == "ray":
            from drift.engines.ray import RayEngine

            engine = RayEngine(workers, warm=warm)
        else:
            engine = LocalEngine(workers, warm=warm)
        made.append(engine)
        return engine

    return make, made


@pytest.fixture(params=ENGINE_NAMES)
def make_engine(request: pytest.FixtureRequest) -> Iterator[Factory]:
    """Makes engines of the parametrized kind; closes them after the test (the local
    engine's worker processes must be gone; Ray's, at the end of the module)."""
    make, made = _factory(request.param, request)
    before = set(_children())
    yield make
    for engine in made:
        engine.close()
    if request.param == "local":  # (a module's Ray starts and stops idle workers meanwhile)
        left = _left_behind(before, match="multiprocessing")
        assert not left, f"worker processes left behind: {left}"


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three small stories: two generated sets (4 and 5 articles, their own seeds) and a copy
    of the bundled example story."""
    root = tmp_path_factory.mktemp("collection") / "stories"
    make_set(4, root / "gen-a", seed=101)
    make_set(5, root / "gen-b", seed=202)
    shutil.copytree(ROOT / "examples" / "harbour-strike", root / "harbour-strike")
    return root


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _audit(collection: Path, options: AuditOptions, engine: Engine,
           out: Path) -> CollectionResult:
    return audit_stories(find_stories(collection), options, engine, json_dir=out)


@pytest.fixture(scope="module")
def sequential(collection: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The reports (file name -> bytes) of the collection audited in this process, one story
    after another (``workers=1``)."""
    out = tmp_path_factory.mktemp("sequential")
    _audit(collection, OPTIONS, LocalEngine(1, warm=functools.partial(warm, OPTIONS)), out)
    return _files(out)


@dataclass(frozen=True)
class Runs:
    """The collection audited by one engine with 2 workers, twice: as is, then with a worker
    killed in the middle of a story (``marker``: the file the killed worker made)."""

    engine: str
    out: Path
    result: CollectionResult
    crash_out: Path
    crash_result: CollectionResult
    marker: Path


@pytest.fixture(scope="module", params=ENGINE_NAMES)
def runs(request: pytest.FixtureRequest, collection: Path,
         tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """Both runs of the collection by the parametrized engine (see :class:`Runs`).

    The crash is set up before the workers start (the environment reaches every worker: the
    local engine's inherit it, the ray engine hands it to its actors) and disarmed by its
    marker file; the file is removed between the runs, and the next story any worker audits
    kills that worker. The ray engine's second run uses the same actors, models loaded; the
    local engine starts a pool per run anyway, and its second has no warm-up (the models load
    with each worker's first story: the killed pool's would load them for nothing)."""
    make, made = _factory(request.param, request)
    base = tmp_path_factory.mktemp(f"runs-{request.param}")
    marker = base / "crashed"
    marker.touch()
    with pytest.MonkeyPatch.context() as env:  # never set while this process audits
        env.setenv(CRASH_ENV, "audit")
        env.setenv(CRASH_ONCE_ENV, str(marker))
        try:
            engine = make(WORKERS, functools.partial(warm, OPTIONS))
            result = _audit(collection, OPTIONS, engine, base / "out")
            marker.unlink()
            if request.param == "local":
                engine = make(WORKERS)
            crashed = _audit(collection, OPTIONS, engine, base / "crash-out")
        finally:
            for e in made:  # at once: the actors would hold the module's Ray's CPUs
                e.close()
    return Runs(request.param, base / "out", result, base / "crash-out", crashed, marker)


def _assert_equal_reports(out: Path, result: CollectionResult,
                          expected: dict[str, bytes]) -> None:
    assert [o.status for o in result.outcomes] == ["ok"] * 3, [o.problems for o in
                                                                result.outcomes]
    got = _files(out)
    assert sorted(got) == sorted(expected) == [
        "gen-a/report.json", "gen-b/report.json", "harbour-strike/report.json", INDEX_JSON]
    for name in expected:
        assert got[name] == expected[name], f"{name} differs from the sequential run's"
    index = json.loads(got[INDEX_JSON])
    assert [r["story"] for r in index["stories"]] == ["gen-a", "gen-b", "harbour-strike"]


# --- (a) and (e): the same reports as in this process; models loaded once per worker -------

def test_parallel_reports_equal_sequential_byte_for_byte(
        runs: Runs, sequential: dict[str, bytes]) -> None:
    assert runs.marker.exists()  # (the crash was disarmed: no worker was killed)
    _assert_equal_reports(runs.out, runs.result, sequential)


def test_models_load_once_per_worker(runs: Runs) -> None:
    stories: dict[int, int] = {}
    loads: dict[tuple[int, str], int] = {}
    for o in runs.result.outcomes:
        assert o.result is not None
        pid = o.result.pid
        assert pid not in (0, os.getpid()), "the story ran in this process, not a worker"
        stories[pid] = stories.get(pid, 0) + 1
        for model, count in o.result.loads:
            loads[(pid, model)] = max(loads.get((pid, model), 0), count)
    assert len(stories) <= WORKERS
    assert max(stories.values()) >= 2, f"no worker ran two stories: {stories}"
    assert loads, "the workers report no model loaded"
    assert all(count <= 1 for count in loads.values()), loads
    models = {model for _pid, model in loads}
    assert {"spacy", "embeddings"} <= models, models
    if JUDGE == "auto":
        assert "judge" in models, models


# --- (b) a worker killed in the middle of a story ------------------------------------------

def test_worker_killed_mid_story_still_gives_every_report(
        runs: Runs, sequential: dict[str, bytes]) -> None:
    assert runs.marker.exists(), "no worker was killed"
    _assert_equal_reports(runs.crash_out, runs.crash_result, sequential)


# --- (c) a job's own error; (d) a job that kills its worker every time ----------------------

def _ok(value: int) -> Any:
    return functools.partial(operator.add, value, 0)


def test_job_error_is_handed_back_and_others_complete(make_engine: Factory) -> None:
    # Each job is a callable run by ``operator.call`` (stdlib only: any worker unpickles it).
    jobs = [_ok(1), functools.partial(int, "not a number"), _ok(3), _ok(4)]
    got = dict(make_engine(WORKERS).run(operator.call, jobs))
    assert sorted(got) == [0, 1, 2, 3]
    assert got[0] == 1 and got[2] == 3 and got[3] == 4
    failed = got[1]
    assert isinstance(failed, JobFailed)
    assert failed.message == "ValueError: invalid literal for int() with base 10: 'not a number'"
    assert failed.attempts == 1


# SIGKILL of the worker running the job, half a second into it (a shell the job starts kills
# its parent): as a worker killed for memory in the middle of a story.
KILL_MY_WORKER = functools.partial(os.system, "sleep 0.5; kill -9 $PPID")


def test_job_killing_its_worker_every_time_is_given_up(make_engine: Factory) -> None:
    jobs = [_ok(1), _ok(2), KILL_MY_WORKER, _ok(4), _ok(5)]
    got = dict(make_engine(WORKERS).run(operator.call, jobs))
    assert sorted(got) == [0, 1, 2, 3, 4]
    assert [got[i] for i in (0, 1, 3, 4)] == [1, 2, 4, 5]
    failed = got[2]
    assert isinstance(failed, JobFailed)
    assert failed.attempts == MAX_ATTEMPTS
    assert "died" in failed.message


# --- ray only -------------------------------------------------------------------------------

def test_ray_actors_stay_up_across_runs_even_when_warm_fails(ray_cluster: None) -> None:
    # The same actors (processes) run every job of every ``run`` until ``close``. A ``warm``
    # that raises is logged, as by the local engine's workers, and the jobs run all the same
    # (each loads what it needs, or says why not): nothing is retried.
    from drift.engines.ray import RayEngine

    with RayEngine(WORKERS, warm=functools.partial(int, "x")) as engine:
        first = sorted(engine.pids())
        got = dict(engine.run(operator.call, [_ok(1), _ok(2), _ok(3)]))
        assert got == {0: 1, 1: 2, 2: 3}
        pids = {r for _i, r in engine.run(operator.call, [os.getpid] * 6)}
        assert pids <= set(first)
        assert sorted(engine.pids()) == first
        assert engine.actors_started == WORKERS


def test_ray_workers_beyond_the_clusters_cpus_take_no_job(ray_cluster: None) -> None:
    # The module's Ray has 2 CPUs: the third actor is never placed, and no job waits for it.
    from drift.engines.ray import RayEngine

    with RayEngine(WORKERS + 1) as engine:
        got = dict(engine.run(operator.call, [_ok(k) for k in range(5)]))
        assert got == {k: k for k in range(5)}
        assert engine.actors_started == WORKERS + 1


def test_ray_worker_killed_while_starting_is_replaced_then_given_up(ray_cluster: None) -> None:
    from drift.engines.ray import RayEngine

    kill = functools.partial(signal.raise_signal, signal.SIGKILL)
    with RayEngine(1, warm=kill) as engine:
        got = dict(engine.run(operator.call, [_ok(1), _ok(2)]))
        assert sorted(got) == [0, 1]
        for failed in got.values():
            assert isinstance(failed, JobFailed) and failed.attempts == 0
            assert "died while starting" in failed.message
        assert engine.actors_started == MAX_ATTEMPTS


def test_ray_missing_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from drift.engines import EngineError, get_engine

    monkeypatch.setitem(sys.modules, "ray", None)  # ``import ray`` raises ImportError
    with pytest.raises(EngineError, match=r"pip install 'drift\[cluster\]'"):
        get_engine("ray", 2)
