"""Where independent jobs (one story's audit each) run: in this process, in a local pool of
worker processes, or on a cluster. Every engine runs the same importable function on each job
and hands back each job's result, or a :class:`JobFailed` when the job could not complete
(its worker died on every attempt); it never drops a job.

Engines are chosen from a registry (``ENGINES``) by name, as translators are; ``local`` is always
there, ``ray`` needs the optional extra (``pip install 'drift[cluster]'``).

Workers load their models once (``warm``, run at each worker's start) and keep them for every
job they run: a story's audit then costs its own work alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# Attempts per job before it is given up: a job whose worker is killed (out of memory, a node
# lost) runs again on another worker, up to this many times in all.
MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class JobFailed:
    """A job that did not complete on any attempt: why, and how many attempts were made."""

    message: str
    attempts: int


class EngineError(RuntimeError):
    """An engine cannot start: its package is missing, or its cluster cannot be reached."""


Job = Any
Result = Any


class Engine(Protocol):
    """Runs ``fn(job)`` for every job and yields ``(index of the job, its result)`` as each
    completes, in any order; a job that could not complete yields a :class:`JobFailed`."""

    name: str
    workers: int

    def run(self, fn: Callable[[Job], Result], jobs: Sequence[Job]
            ) -> Iterator[tuple[int, Result | JobFailed]]: ...

    def close(self) -> None: ...


EngineFactory = Callable[..., Engine]


def _local(workers: int, warm: Callable[[], None] | None = None,
           address: str | None = None) -> Engine:
    from drift.engines.local import LocalEngine

    if address:
        raise EngineError("the local engine takes no --address (it is for --engine ray)")
    return LocalEngine(workers, warm=warm)


def _ray(workers: int, warm: Callable[[], None] | None = None,
         address: str | None = None) -> Engine:
    from drift.engines.ray import RayEngine

    return RayEngine(workers, warm=warm, address=address)


ENGINES: dict[str, EngineFactory] = {"local": _local, "ray": _ray}


def default_workers() -> int:
    """The default ``--workers``: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def get_engine(name: str, workers: int | None = None, *,
               warm: Callable[[], None] | None = None, address: str | None = None) -> Engine:
    """The engine ``name`` with ``workers`` workers (default: the core count). Raises
    :class:`EngineError` for an unknown name or an engine that cannot start."""
    try:
        factory = ENGINES[name]
    except KeyError:
        raise EngineError(f"unknown engine {name!r}; choose one of "
                          f"{', '.join(sorted(ENGINES))}") from None
    return factory(workers or default_workers(), warm=warm, address=address)


def threads_per_worker(workers: int) -> int:
    """Math threads each worker may use (torch's intra-op pool): the cores shared out, so that
    two workers on two cores do not each start two threads and fight over them."""
    return max(1, default_workers() // max(1, workers))


def limit_threads(threads: int) -> None:
    """Cap this process's math threads (before torch is imported, and after when it is)."""
    import sys

    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "DRIFT_THREADS"):
        os.environ[var] = str(threads)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)


# test hooks

CRASH_ENV = "DRIFT_TEST_CRASH_AT"
# With this set to a file path, the crash happens once: the first process to reach the point
# creates the file and dies; the others (the job run again on another worker) go on.
CRASH_ONCE_ENV = "DRIFT_TEST_CRASH_ONCE"


def crash_point(name: str) -> None:
    """Tests only: SIGKILL this process when ``$DRIFT_TEST_CRASH_AT`` is ``name`` (once, when
    ``$DRIFT_TEST_CRASH_ONCE`` names a marker file). Unset, this does nothing.

    The points: ``audit`` (inside a story's audit, in a worker or in ``drift check``),
    ``commit`` (a story committed, its report not written), ``sent`` (an alert sent, not yet
    marked sent)."""
    if os.environ.get(CRASH_ENV) != name:
        return
    marker = os.environ.get(CRASH_ONCE_ENV)
    if marker:
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
    import signal

    os.kill(os.getpid(), signal.SIGKILL)
