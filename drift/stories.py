"""Many stories in one command: find the stories of a collection, audit each in a worker
(``drift.engines``), write one report per story and an index of them all.

A collection is a folder whose subfolders are stories (files directly in it are not read).
Each story is audited as ``drift audit FOLDER`` audits a folder: its reference is the file
named ``reference.*`` or, failing that, the article whose front matter says
``reference: true``; without either, the story's consensus serves.

Stories are independent, so they run in parallel; the reports are the same byte for byte
whatever the engine and the number of workers, and the index lists stories by name.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drift import __version__
from drift.engines import Engine, JobFailed, crash_point

if TYPE_CHECKING:
    from drift.records import ArticleSet
    from drift.report import AuditReport

SEVERITIES = ("high", "medium", "low")
INDEX_JSON = "index.json"
INDEX_HTML = "index.html"


class CollectionError(ValueError):
    """A folder that holds no story."""


@dataclass(frozen=True, slots=True)
class Story:
    """One story of a collection: its name (the folder's), its folder, and its reference file
    (None: the front matter, or the consensus, decides)."""

    name: str
    folder: Path
    reference: Path | None = None


def find_stories(root: Path) -> list[Story]:
    """The stories of a collection folder, by name. Hidden folders (``.git``, ``.cache``) are
    not stories. Raises CollectionError when there is none."""
    root = Path(root)
    if not root.is_dir():
        raise CollectionError(f"{root} is not a folder of stories")
    stories = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        refs = sorted(p for p in folder.iterdir() if p.is_file() and p.stem.lower() == "reference")
        stories.append(Story(folder.name, folder, refs[0] if refs else None))
    if not stories:
        raise CollectionError(f"{root} holds no story: each story is a subfolder of articles")
    return stories


def slug(name: str) -> str:
    """A file-name-safe form of a story name (the folder of its report)."""
    import re

    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "story"


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """The options every story of a run is audited with (``drift audit``'s)."""

    translator: str = "auto"
    min_severity: str = "low"
    judge: str = "auto"
    nli: str | None = None
    cache_path: Path | None = None
    use_cache: bool = True


@dataclass(frozen=True, slots=True)
class AuditJob:
    """One story to audit in a worker: its files (``paths``, ``reference``) or articles already
    read (``articles``: ``drift check`` reads and matches them in the driver)."""

    story: str
    options: AuditOptions
    paths: tuple[str, ...] = ()
    reference: str | None = None
    articles: ArticleSet | None = None


@dataclass(frozen=True, slots=True)
class JobResult:
    """What a worker sends back for one story: its report, or why there is none, with the
    worker's process id, the seconds the audit took and the models the worker has loaded."""

    story: str
    report: AuditReport | None
    error: str | None = None
    pid: int = 0
    seconds: float = 0.0
    loads: tuple[tuple[str, int], ...] = ()
    peak_rss_mib: float = 0.0  # the worker process's peak resident memory so far


def model_loads() -> dict[str, int]:
    """How many times this process has loaded each model (each should be 1 at most)."""
    import sys

    out: dict[str, int] = {}
    claims = sys.modules.get("drift.claims")
    if claims is not None:
        out["spacy"] = claims.load_parser.cache_info().misses
    embed = sys.modules.get("drift.embed")
    if embed is not None:
        out["embeddings"] = embed.embedder.cache_info().misses
    learned = sys.modules.get("drift.judge.learned")
    if learned is not None:
        out["judge"] = learned.LearnedJudge.loads
    for name in ("drift.translate.marian", "drift.translate.ct2"):
        module = sys.modules.get(name)
        loaded = getattr(module, "LOADS", None)
        if isinstance(loaded, dict):
            out.update({f"translator {k}": v for k, v in loaded.items()})
    return out


def warm(options: AuditOptions) -> None:
    """Load the models every audit uses (spaCy, the judge, the embeddings, the language
    identifier's models) in this process, once: a worker's start."""
    from drift.claims import load_parser
    from drift.core import _load_judge
    from drift.detect import identify_lingua

    load_parser()
    # lingua loads its language models on first use (seconds): here, not in a story's audit.
    identify_lingua("Los trabajadores del puerto anunciaron una huelga de dos días.")
    learned, mode, _notes = _load_judge(options.judge)
    if learned is not None and mode != "off":
        learned.load()
    from drift.embed import embedder

    embedder()


def _crash_progress(_stage: str, _n: int, _total: int) -> None:
    crash_point("audit")


def audit_job(job: AuditJob) -> JobResult:
    """Audit one story (in a worker): never raises; an error is the result's ``error``."""
    from drift.core import AuditError, NothingRead, audit, audit_set

    t0 = time.perf_counter()
    o = job.options
    common: dict[str, Any] = {"translator": o.translator, "cache_path": o.cache_path,
                              "use_cache": o.use_cache, "min_severity": o.min_severity,
                              "nli": o.nli, "judge": o.judge, "progress": _crash_progress}
    report = None
    error = None
    try:
        if job.articles is not None:
            report = audit_set(job.articles, **common)
        else:
            report = audit(list(job.paths), reference=job.reference, **common)
    except NothingRead as exc:
        problems = "; ".join(str(e) for e in exc.errors[:3])
        error = "no article could be read" + (f" ({problems})" if problems else "")
    except (AuditError, OSError) as exc:
        error = str(exc)
    except Exception as exc:  # a bug in one story's audit must not stop the others
        error = f"{type(exc).__name__}: {exc}"
    return JobResult(job.story, report, error, os.getpid(), time.perf_counter() - t0,
                     tuple(sorted(model_loads().items())), _peak_rss_mib())


def _peak_rss_mib() -> float:
    try:
        import resource
    except ImportError:  # not on Unix
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@dataclass(frozen=True, slots=True)
class StoryOutcome:
    """One story of a run: its report (None when it failed) and what went wrong."""

    story: Story
    report: AuditReport | None
    error: str | None
    result: JobResult | None = None

    @property
    def problems(self) -> list[str]:
        """What the user is warned about: the error, and files that could not be read."""
        if self.error is not None:
            return [self.error]
        assert self.report is not None
        return [str(p) for p in self.report.problems]

    @property
    def status(self) -> str:
        if self.report is None:
            return "failed"
        return "partial" if self.report.problems else "ok"


@dataclass(frozen=True, slots=True)
class CollectionResult:
    """Every story of a run, by name, and the index written for them."""

    outcomes: tuple[StoryOutcome, ...]
    index: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> list[StoryOutcome]:
        return [o for o in self.outcomes if o.status != "ok"]

    def at_least(self, severity: str) -> bool:
        return any(o.report is not None and o.report.at_least(severity) for o in self.outcomes)


def run_jobs(engine: Engine, jobs: Sequence[AuditJob],
             progress: Callable[[int, int], None] | None = None
             ) -> Iterator[tuple[int, JobResult]]:
    """Every job's result through ``engine``, as each completes; a job the engine gave up on
    (its worker died on every attempt) becomes a result with its error."""
    if progress:
        progress(0, len(jobs))
    for done, (i, got) in enumerate(engine.run(audit_job, jobs), 1):
        if isinstance(got, JobFailed):
            got = JobResult(jobs[i].story, None, f"not audited: {got.message}")
        if progress:
            progress(done, len(jobs))
        yield i, got


def audit_stories(stories: Sequence[Story], options: AuditOptions, engine: Engine, *,
                  json_dir: Path | None = None, html_dir: Path | None = None,
                  progress: Callable[[int, int], None] | None = None) -> CollectionResult:
    """Audit every story through ``engine``; write each story's report (JSON under
    ``json_dir``, HTML under ``html_dir``) as it completes, then the index (``index.json`` /
    ``index.html`` in the same folders)."""
    jobs = [AuditJob(s.name, options, paths=(str(s.folder),),
                     reference=str(s.reference) if s.reference else None) for s in stories]
    outcomes: dict[int, StoryOutcome] = {}
    for i, result in run_jobs(engine, jobs, progress):
        outcome = StoryOutcome(stories[i], result.report, result.error, result)
        if outcome.report is not None:
            write_story(outcome.report, stories[i].name, json_dir, html_dir)
        outcomes[i] = outcome
    ordered = tuple(outcomes[i] for i in range(len(stories)))
    index = build_index(ordered, json_dir, html_dir)
    if json_dir is not None:
        _atomic_write(json_dir / INDEX_JSON, json.dumps(index, ensure_ascii=False, indent=2)
                      + "\n")
    if html_dir is not None:
        from drift.html import render_index

        _atomic_write(html_dir / INDEX_HTML, render_index(index))
    return CollectionResult(ordered, index)


def write_story(report: AuditReport, name: str, json_dir: Path | None,
                html_dir: Path | None) -> None:
    """``DIR/<slug>/report.json`` and ``report.html`` for one story."""
    if json_dir is not None:
        _atomic_write(json_dir / slug(name) / "report.json", report.to_json())
    if html_dir is not None:
        from drift.html import render_html

        _atomic_write(html_dir / slug(name) / "report.html", render_html(report.to_dict()))


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target, start)).as_posix()


def build_index(outcomes: Iterable[StoryOutcome], json_dir: Path | None,
                html_dir: Path | None) -> dict[str, Any]:
    """The run's summary: one row per story, in name order, with links relative to the index
    (no times or process ids: the same stories give the same index)."""
    rows = []
    totals = {"stories": 0, "failed": 0, "articles": 0, **dict.fromkeys(SEVERITIES, 0)}
    for o in outcomes:
        counts = o.report.counts() if o.report is not None else dict.fromkeys(SEVERITIES, 0)
        row: dict[str, Any] = {
            "story": o.story.name,
            "status": o.status,
            "mode": o.report.mode if o.report is not None else None,
            "articles": len(o.report.articles) if o.report is not None else 0,
            "findings": {s: counts[s] for s in SEVERITIES},
            "json": None,
            "html": None,
            "problems": o.problems,
        }
        if o.report is not None and json_dir is not None:
            row["json"] = f"{slug(o.story.name)}/report.json"
        if o.report is not None and html_dir is not None:
            row["html"] = f"{slug(o.story.name)}/report.html"
        rows.append(row)
        totals["stories"] += 1
        totals["failed"] += o.report is None
        totals["articles"] += row["articles"]
        for s in SEVERITIES:
            totals[s] += counts[s]
    out: dict[str, Any] = {"schema_version": "1", "tool": {"name": "drift",
                                                           "version": __version__},
                           "totals": totals, "stories": rows}
    if json_dir is not None and html_dir is not None and json_dir != html_dir:
        out["html_index"] = _relative(html_dir / INDEX_HTML, json_dir)
    return out


def summary_rows(index: Mapping[str, Any]) -> list[dict[str, object]]:
    """The index's stories as table rows (``drift audit --stories`` prints them)."""
    return [{"story": r["story"], "status": r["status"], "articles": r["articles"],
             **r["findings"]} for r in index["stories"]]
