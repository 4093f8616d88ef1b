"""The ray engine: long-lived Ray actors, one per worker, on a local Ray or on a cluster.

Each actor (``num_cpus=1``) caps its math threads and runs ``warm`` once, in its constructor,
then runs ``fn(job)`` for every job it is given: the models stay loaded for every job, and
across ``run`` calls, until :meth:`RayEngine.close`. The driver keeps at most one job in flight
per actor and hands the next job to whichever actor finishes first (``ray.wait``), so a job
never waits behind a long one on a busy actor while another actor idles, and the death of an
actor is charged to the one job it was running.

Faults: an actor that dies in the middle of a job (its process killed: out of memory, a node
lost) is replaced by a new actor and the job runs again, up to ``MAX_ATTEMPTS`` attempts in
all, after which the job is given up as :class:`~drift.engines.JobFailed`. An exception raised
by ``fn`` itself is the job's own error: it is handed back as ``JobFailed("Type: message", n)``
at once, without another attempt. An exception raised by ``warm`` is logged (in the worker's
log, under Ray's session folder) and the actor runs its jobs all the same, as the local
engine's workers do: each job loads what it needs, or says why it cannot.

Ray itself: with ``address`` (``"auto"``, ``"ray://host:10001"``, ``"host:6379"``) the engine
connects to that cluster; without, it uses the Ray already initialised in this process (taken
to be on this machine), or starts a local one with ``workers`` CPUs (no dashboard, workers'
logs not copied to this terminal, usage statistics off) and shuts it down in
:meth:`RayEngine.close`. Ray's workers inherit the environment Ray itself started with; each
actor is also given this process's ``DRIFT_*`` environment variables as they are when the
actor is made (and, on this machine, ``HOME``, ``TMPDIR``, ``XDG_*`` and the Hugging Face
variables), set in its constructor before ``warm``. (A ``runtime_env`` would do the same at
the process's start, but costs every actor a fresh process: ~1 s more per actor start,
measured, where Ray otherwise hands over one of the idle workers it keeps started.) On a
cluster, drift and its models must be installed on every node (the actors import ``drift``
and load the models there).

``import ray`` happens only here, when the engine is made: ``drift --help`` stays instant, and
without the optional extra the engine says how to add it.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from drift.engines import (
    MAX_ATTEMPTS,
    EngineError,
    Job,
    JobFailed,
    Result,
    limit_threads,
    threads_per_worker,
)

log = logging.getLogger(__name__)

# The object store only carries jobs and reports (kilobytes to a few megabytes each).
OBJECT_STORE_BYTES = 256 * 2**20
# Environment variables an actor gets from this process: drift's own everywhere; the paths and
# model-hub settings only on a local Ray (on a cluster they name this machine's folders).
ENV_PREFIXES = ("DRIFT_",)
LOCAL_ENV_PREFIXES = ("HF_", "TRANSFORMERS_", "XDG_")
LOCAL_ENV_NAMES = ("HOME", "TMPDIR")
AUTH_LOGGER = "ray._private.authentication.authentication_token_setup"
# Seconds without any actor ready before the engine says it is waiting for CPUs.
WAIT_NOTICE_S = 60.0
INSTALL_HINT = "the ray engine needs the optional extra: pip install 'drift[cluster]'"


def _import_ray() -> Any:
    """The ``ray`` module (typed ``Any``: its API is dynamic), or :class:`EngineError`."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        return importlib.import_module("ray")
    except ImportError as exc:
        raise EngineError(INSTALL_HINT) from exc


class _Worker:
    """The actor's class: the models loaded once (``warm``) and every job run with them."""

    def __init__(self, warm: Callable[[], None] | None, threads: int,
                 env: dict[str, str]) -> None:
        os.environ.update(env)  # before anything reads it: warm, the jobs
        self.threads = threads
        limit_threads(threads)
        if warm is not None:
            try:
                warm()
            except Exception:  # as the local engine: each job loads it, or says why not
                log.exception("worker %d: models not loaded ahead", os.getpid())

    def call(self, fn: Callable[[Job], Result], job: Job) -> Result:
        # Again for each job: Ray unsets the OMP_NUM_THREADS it set for the constructor, and a
        # job may be the first to import torch.
        limit_threads(self.threads)
        return fn(job)

    def pid(self) -> int:
        return os.getpid()


def actor_env(local: bool, environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment variables an actor is given (see the module docstring)."""
    environ = dict(os.environ if environ is None else environ)
    prefixes = ENV_PREFIXES + (LOCAL_ENV_PREFIXES if local else ())
    names = LOCAL_ENV_NAMES if local else ()
    return {k: v for k, v in sorted(environ.items()) if k.startswith(prefixes) or k in names}


class RayEngine:
    """Jobs on ``workers`` Ray actors (see the module docstring)."""

    name = "ray"

    def __init__(self, workers: int, *, warm: Callable[[], None] | None = None,
                 address: str | None = None) -> None:
        self.workers = max(1, workers)
        self.warm = warm
        self.address = address
        self.actors_started = 0  # actors made: one per worker, plus one per actor lost
        self._ray = ray = _import_ray()
        self._owns_ray = False
        self._actors: list[Any] = []  # live actors, ready or starting
        self._ready: set[Any] = set()  # the actors whose constructor has run
        self._cls: Any = None
        self._closed = False
        if ray.is_initialized():
            pass  # this process's Ray (a test's, or the caller's): used, and left running
        elif address:
            try:
                ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False)
            except Exception as exc:  # no cluster there, refused (its token), a bad address
                raise EngineError(f"cannot reach the Ray cluster at {address}: "
                                  f"{_first_line(exc)}") from exc
            self._owns_ray = True  # the connection (not the cluster) is ours to close
        else:
            # Ray's default for a new local cluster, token authentication, stays on; only its
            # warning that it is on (a line on every run) is kept off the terminal.
            auth_log = logging.getLogger(AUTH_LOGGER)
            level = auth_log.level
            auth_log.setLevel(logging.ERROR)
            try:
                ray.init(num_cpus=self.workers, num_gpus=0, include_dashboard=False,
                         log_to_driver=False, logging_level=logging.WARNING,
                         object_store_memory=OBJECT_STORE_BYTES)
            finally:
                auth_log.setLevel(level)
            self._owns_ray = True
        _errors_to_stderr(ray)
        self.local = not address or address == "local"
        # On this machine the cores are shared out among the workers; on a cluster each actor
        # holds one CPU, and uses one thread (Ray's own default for a task).
        self.threads = threads_per_worker(self.workers) if self.local else 1

    @property
    def started_ray(self) -> bool:
        """Whether this engine started (or connected) the Ray it uses, and stops it in close."""
        return self._owns_ray

    # --- actors -------------------------------------------------------------------------

    def _new_actor(self) -> Any:
        """Start one actor (it is ready once its constructor, ``warm``, has run)."""
        if self._cls is None:
            self._cls = self._ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(
                _Worker)
        self.actors_started += 1
        actor = self._cls.remote(self.warm, self.threads, actor_env(self.local))
        self._actors.append(actor)
        return actor

    def _drop(self, actor: Any) -> None:
        if actor in self._actors:
            self._actors.remove(actor)
        self._ready.discard(actor)
        with contextlib.suppress(Exception):  # already gone
            self._ray.kill(actor, no_restart=True)

    def pids(self) -> list[int]:
        """The process ids of the live actors (starting them if none is running)."""
        while len(self._actors) < self.workers:
            self._new_actor()
        pids = [int(p) for p in self._ray.get([a.pid.remote() for a in self._actors])]
        self._ready.update(self._actors)
        return pids

    # --- jobs ---------------------------------------------------------------------------

    def run(self, fn: Callable[[Job], Result], jobs: Sequence[Job]
            ) -> Iterator[tuple[int, Result | JobFailed]]:
        """Yield ``(index, result)`` for every job as it completes.

        A job goes only to an actor that is ready (its models loaded), one job at a time: an
        actor that cannot be placed yet (no free CPU on the cluster) takes none, and one that
        dies while starting is replaced (``MAX_ATTEMPTS`` times per worker at most) without
        charging any job."""
        if self._closed:
            raise EngineError("the ray engine is closed")
        if not jobs:
            return
        ray = self._ray
        target = min(self.workers, len(jobs))
        while len(self._actors) < target:
            self._new_actor()
        idle = [a for a in self._actors if a in self._ready]
        starting: dict[Any, Any] = {a.pid.remote(): a for a in self._actors
                                    if a not in self._ready}  # ObjectRef -> actor
        running: dict[Any, tuple[Any, int]] = {}  # ObjectRef -> (actor, job index)
        attempts = [0] * len(jobs)
        pending = deque(range(len(jobs)))
        start_deaths = 0
        noticed = False

        def replace() -> None:
            if pending and start_deaths < MAX_ATTEMPTS * target:
                actor = self._new_actor()
                starting[actor.pid.remote()] = actor

        while pending or running:
            while pending and idle:
                actor = idle.pop(0)
                i = pending.popleft()
                attempts[i] += 1
                running[actor.call.remote(fn, jobs[i])] = (actor, i)
            if not running and not starting:  # every worker died while starting
                while pending:
                    i = pending.popleft()
                    yield i, JobFailed(f"its workers died while starting, {start_deaths} "
                                       "times (killed, or out of memory)", attempts[i])
                return
            ready, _ = ray.wait([*running, *starting], num_returns=1,
                                timeout=None if noticed or running else WAIT_NOTICE_S)
            if not ready:
                noticed = True
                log.warning("still waiting for %d Ray workers to start (loading the models, "
                            "or waiting for a free CPU on the cluster)", len(starting))
                continue
            ref = ready[0]
            if ref in starting:
                actor = starting.pop(ref)
                try:
                    ray.get(ref)
                except ray.exceptions.RayError:  # killed while loading the models
                    start_deaths += 1
                    self._drop(actor)
                    replace()
                else:
                    self._ready.add(actor)
                    idle.append(actor)
                continue
            actor, i = running.pop(ref)
            try:
                result = ray.get(ref)
            except ray.exceptions.RayTaskError as exc:  # fn's own error: not retried
                cause = exc.cause if isinstance(exc.cause, BaseException) else exc
                idle.append(actor)
                yield i, JobFailed(f"{type(cause).__name__}: {cause}", attempts[i])
            except ray.exceptions.RayError as exc:  # the actor died (killed, its node lost)
                self._drop(actor)
                if attempts[i] >= MAX_ATTEMPTS:
                    yield i, JobFailed(
                        f"its worker died {attempts[i]} times (killed, or out of memory): "
                        f"{_first_line(exc)}", attempts[i])
                else:
                    pending.appendleft(i)
                replace()
            else:
                idle.append(actor)
                yield i, result

    def close(self) -> None:
        """Stop the actors, and the Ray this engine started (or its connection)."""
        if self._closed:
            return
        self._closed = True
        for actor in list(self._actors):
            self._drop(actor)
        if self._owns_ray and self._ray.is_initialized():
            self._ray.shutdown()

    def __enter__(self) -> RayEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _errors_to_stderr(ray: Any) -> None:
    """Send what Ray prints in this process about its workers (such as ``(raylet) A worker
    died or was killed...`` when a worker is killed) to stderr, not stdout: stdout is drift's
    (``--format json``). Ray offers no setting for this; where its private printer is not
    there (another Ray version), nothing changes."""
    module: Any = getattr(getattr(ray, "_private", None), "worker", None)
    original = getattr(module, "print_to_stdstream", None)
    if original is None or getattr(original, "drift_stderr", False):
        return

    def print_to_stdstream(data: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        return original({**data, "is_err": True}, *args, **kwargs)

    print_to_stdstream.drift_stderr = True  # type: ignore[attr-defined]
    module.print_to_stdstream = print_to_stdstream


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
