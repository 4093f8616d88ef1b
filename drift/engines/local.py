"""The local engine: a pool of worker processes on this machine (``concurrent.futures`` with the
``spawn`` start method, so no worker inherits the driver's threads or open databases).

Each worker runs ``warm`` once when it starts (loading spaCy, the translator and the judge) and
keeps what it loaded for every job it is given. A worker that dies in the middle of a job (killed
for memory, say) breaks the pool: a new pool is started and every job not yet done is
submitted again; a job that was running when a pool broke counts one attempt, and after
``MAX_ATTEMPTS`` it is given up as :class:`~drift.engines.JobFailed`. One worker, or a single
job, runs in this process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from drift.engines import MAX_ATTEMPTS, Job, JobFailed, Result, limit_threads, threads_per_worker

log = logging.getLogger(__name__)

_STARTED: Any = None  # in a worker: the queue it reports each job's start on


def _init(warm: Callable[[], None] | None, threads: int, started: Any) -> None:
    """A worker's start: end with the driver, share out the cores, then load the models once.
    A model that cannot be loaded here is logged, not raised (a worker that cannot start
    would break every pool started after it): each job then loads it, or says why not."""
    global _STARTED
    _STARTED = started
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True,
                     name="drift-exit-with-parent").start()
    limit_threads(threads)
    if warm is not None:
        try:
            warm()
        except Exception:
            log.exception("worker %d: models not loaded ahead", os.getpid())


ORPHAN_POLL_S = 1.0  # how often a worker looks whether the process that started it is alive


def _exit_with_parent(parent: int) -> None:
    """In a worker: end the process once its parent is gone. A driver killed (SIGKILL, out of
    memory) cannot stop its workers, which would otherwise wait on their job queue for ever,
    holding their memory and the driver's stdout and stderr."""
    while True:
        time.sleep(ORPHAN_POLL_S)
        if os.getppid() != parent:
            os._exit(1)


def _call(fn: Callable[[Job], Result], index: int, job: Job) -> Result:
    """Run one job in a worker, first saying which job this worker has started (so that a
    worker's death is charged to the job it was running, not to the jobs waiting)."""
    if _STARTED is not None:
        _STARTED.put((index, os.getpid()))
    return fn(job)


class LocalEngine:
    """``workers`` processes on this machine (see the module docstring)."""

    name = "local"

    def __init__(self, workers: int, *, warm: Callable[[], None] | None = None) -> None:
        self.workers = max(1, workers)
        self.warm = warm
        self.pools_started = 0  # pools started by ``run``: 1, plus one per pool broken

    def close(self) -> None:
        """Nothing to release: each ``run`` shuts its pool down."""

    def run(self, fn: Callable[[Job], Result], jobs: Sequence[Job]
            ) -> Iterator[tuple[int, Result | JobFailed]]:
        """Yield ``(index, result)`` for every job as it completes."""
        if self.workers == 1 or len(jobs) <= 1:
            # In this process: no pool to start, and the models stay loaded for the next call.
            if self.warm is not None and jobs:
                try:
                    self.warm()
                except Exception:  # each job loads what it needs, or says why it cannot
                    log.exception("models not loaded ahead")
            for i, job in enumerate(jobs):
                yield i, fn(job)
            return
        attempts = dict.fromkeys(range(len(jobs)), 0)
        pending = set(range(len(jobs)))
        idle_breaks = 0  # pools broken in a row before any job started
        context = multiprocessing.get_context("spawn")
        while pending:
            # SimpleQueue: put() has written the message when it returns (a Queue's feeder
            # thread loses the message of a worker killed right after it started a job).
            started = context.SimpleQueue()
            running: dict[int, int] = {}  # job index -> pid of the worker that started it
            size = min(self.workers, len(pending))
            pool = ProcessPoolExecutor(max_workers=size, mp_context=context, initializer=_init,
                                       initargs=(self.warm, threads_per_worker(size), started))
            self.pools_started += 1
            broken = False
            try:
                futures: dict[Future[Result], int] = {
                    pool.submit(_call, fn, i, jobs[i]): i for i in sorted(pending)}
                waiting = set(futures)
                while waiting and not broken:
                    done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                    for fut in sorted(done, key=futures.__getitem__):
                        i = futures[fut]
                        try:
                            result = fut.result()
                        except BrokenProcessPool:
                            broken = True
                            continue
                        except Exception as exc:  # the job's own error, not its worker's death
                            result = JobFailed(f"{type(exc).__name__}: {exc}", attempts[i] + 1)
                        pending.discard(i)
                        yield i, result
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
                _drain(started, running)
                started.close()
            if broken:
                # A pool broken before any job started (a worker killed while loading the
                # models) charges no job: after MAX_ATTEMPTS such pools in a row, give up.
                idle_breaks = 0 if running else idle_breaks + 1
                if idle_breaks >= MAX_ATTEMPTS:
                    for i in sorted(pending):
                        yield i, JobFailed(f"its workers died while starting, {idle_breaks} "
                                           "times (killed, or out of memory)", attempts[i])
                    return
                # The jobs that had started and not finished were on the dead worker (or on
                # the others, stopped with the pool): each counts an attempt.
                for i in sorted(pending):
                    if i in running:
                        attempts[i] += 1
                    if attempts[i] >= MAX_ATTEMPTS:
                        pending.discard(i)
                        yield i, JobFailed(
                            f"its worker died {attempts[i]} times (killed, or out of memory)",
                            attempts[i])


def _drain(started: Any, running: dict[int, int]) -> None:
    """Read every (job, pid) start message left in the queue into ``running``."""
    while True:
        try:
            if started.empty():
                return
            index, pid = started.get()
        except (OSError, ValueError, EOFError):
            return
        running[index] = pid
