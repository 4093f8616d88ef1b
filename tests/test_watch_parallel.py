"""``drift check --workers N``: the stories' audits run in worker processes, the check alone
writes the store. The same stories checked one after another and in two workers give the same
store (findings, alerts) and the same report files; a worker killed in the middle of a story
is replaced and the story audited again, each finding and alert stored once; a story with a
broken file or a source that cannot be fetched completes with its warning; a check with
nothing new adds nothing.

Each check is ``python -m drift check`` in a fresh process (its own store, reports and caches,
HOME and XDG_CACHE_HOME in the test's folder), on three generated stories of five articles
(translator ``identity``, the learned judge off).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from drift.engines import JobFailed
from drift.report import AuditReport
from drift.stories import AuditJob, JobResult

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_audit import make_set

STORIES = ("harbour", "port-strike", "dockers")
BROKEN = "dockers"  # its folder holds a file that cannot be read, and a source that is down
GARBLED = "zz-garbled.html"
TIMEOUT_S = 180


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three story folders (``<story>/reference.md``, ``<story>/articles/*.md``), each
    article dated (so that no report depends on when a check first saw it)."""
    root = tmp_path_factory.mktemp("stories")
    for n, name in enumerate(STORIES):
        make_set(5, root / name, seed=20 + n)
        for i, path in enumerate(sorted((root / name / "articles").glob("*.md"))):
            text = path.read_text(encoding="utf-8")
            assert text.startswith("---\n")
            path.write_text(f"---\ndate: 2026-03-0{i + 1}T0{n}:00:00Z\n{text[4:]}",
                            encoding="utf-8")
    (root / BROKEN / "articles" / GARBLED).write_bytes(b"\xff\xfe\x00<html>\x00\x9c\xff" * 64)
    return root


def _config(folder: Path, stories: Path, down: int | None) -> Path:
    """drift.toml in ``folder``: a story per folder of ``stories``, the broken one also reading
    a feed on the closed port ``down`` (None: not)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = "".join(f'[[source]]\nname = "{s}"\npath = "{stories / s / "articles"}"\n'
                      for s in STORIES)
    if down is not None:
        sources += f'[[source]]\nname = "down"\nurl = "http://127.0.0.1:{down}/feed.xml"\n'
    story_rows = "".join(
        f'[[story]]\nname = "{s}"\nreference = "{stories / s / "reference.md"}"\n'
        f'sources = {json.dumps([s, "down"] if s == BROKEN and down is not None else [s])}\n'
        '[story.match]\nkeywords = ["Velmar"]\n' for s in STORIES)
    path = folder / "drift.toml"
    path.write_text(f"""
[defaults]
store = "drift.sqlite"
reports = "reports"
translator = "identity"
alert_severity = "medium"
[fetch]
timeout = 0.5
retries = 1
backoff = 0.01
min_interval = 0
[alerts]
stdout = true
{sources}
{story_rows}""", encoding="utf-8")
    return path


def _check(folder: Path, *args: str, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    base |= {"HOME": str(folder / "home"), "XDG_CACHE_HOME": str(folder / "xdg-cache"),
             "DRIFT_CACHE_DIR": str(folder / "cache"), "DRIFT_JUDGE": "off"}
    return subprocess.run([sys.executable, "-m", "drift", "check", *args], cwd=folder,
                          env=base | (env or {}), capture_output=True, text=True,
                          timeout=TIMEOUT_S, check=False)


def _snapshot(folder: Path) -> dict[str, Any]:
    """The store's findings (by drift key) and alerts, with the check's folder taken out of
    the alerts' report paths, and every report file's bytes."""
    db = sqlite3.connect(folder / "drift.sqlite")
    try:
        findings = Counter(
            (story, key, type_, severity, article, version, payload)
            for story, key, type_, severity, article, version, payload in db.execute(
                "SELECT story, drift_key, type, severity, article_key, version, payload "
                "FROM findings"))
        alerts = Counter(
            (key, notifier, payload.replace(str(folder), "<check>"))
            for key, notifier, payload in db.execute(
                "SELECT f.drift_key, a.notifier, a.payload FROM alerts a "
                "JOIN findings f ON f.id = a.finding"))
        unsent = db.execute("SELECT COUNT(*) FROM alerts WHERE sent IS NULL").fetchone()[0]
    finally:
        db.close()
    reports = {p.relative_to(folder / "reports").as_posix(): p.read_bytes()
               for p in sorted((folder / "reports").rglob("report.*"))}
    return {"findings": findings, "alerts": alerts, "unsent": unsent, "reports": reports}


@pytest.fixture(scope="module")
def checks(stories: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    """The same stories checked one after another (``--workers 1``) and in two workers."""
    down = _closed_port()
    out = {}
    for name, workers in (("sequential", "1"), ("parallel", "2")):
        folder = tmp_path_factory.mktemp(name)
        _config(folder, stories, down)
        out[name] = folder, _check(folder, "--workers", workers)
    return out


def test_workers_give_the_store_and_reports_of_a_sequential_check(
        checks: dict[str, tuple[Path, subprocess.CompletedProcess[str]]]) -> None:
    (seq, seq_run), (par, par_run) = checks["sequential"], checks["parallel"]
    assert seq_run.returncode == 0, seq_run.stderr
    assert par_run.returncode == 0, par_run.stderr
    assert "auditing 3 stories in 2 local workers" in par_run.stderr
    assert "local workers" not in seq_run.stderr
    want, got = _snapshot(seq), _snapshot(par)
    assert got["findings"] == want["findings"]
    assert got["alerts"] == want["alerts"]
    assert {s for s, *_ in want["findings"]} == set(STORIES)
    assert sum(want["alerts"].values()) >= 3 and got["unsent"] == want["unsent"] == 0
    assert sorted(got["reports"]) == sorted(want["reports"]) == sorted(
        f"{s}/report.{ext}" for s in STORIES for ext in ("html", "json"))
    for name, data in want["reports"].items():
        assert got["reports"][name] == data, name  # byte for byte
    # The store is the check's alone: the workers' translations went to the file beside it,
    # then into the store.
    assert (par / "drift.translations.sqlite").is_file()
    assert not (seq / "drift.translations.sqlite").exists()
    for folder in (seq, par):
        db = sqlite3.connect(folder / "drift.sqlite")
        try:
            assert db.execute("SELECT COUNT(*) FROM translations").fetchone()[0] > 0
        finally:
            db.close()
    alerts_out = [json.loads(line) for line in par_run.stdout.splitlines()]
    assert Counter(a["idempotency_key"] for a in alerts_out) == Counter(
        key for key, _n, _p in got["alerts"].elements())


def test_a_broken_file_and_a_source_down_are_warnings_of_their_story(
        checks: dict[str, tuple[Path, subprocess.CompletedProcess[str]]]) -> None:
    folder, run = checks["parallel"]
    assert run.returncode == 0, run.stderr
    assert f"source {BROKEN}: " in run.stderr and GARBLED in run.stderr
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and f"{BROKEN}: source down:" in warnings[0], warnings
    db = sqlite3.connect(folder / "drift.sqlite")
    try:
        status, problems = db.execute("SELECT status, problems FROM runs").fetchone()
        per_story = dict(db.execute("SELECT story, COUNT(*) FROM articles WHERE role = "
                                    "'article' GROUP BY story").fetchall())
    finally:
        db.close()
    assert status == "partial" and len(json.loads(problems)) == 1
    assert per_story == dict.fromkeys(STORIES, 5)  # the garbled file is no article
    for name in STORIES:  # every story audited and reported, the broken one too
        report = json.loads((folder / "reports" / name / "report.json").read_text())
        assert len(report["articles"]) == 6


def test_a_check_with_nothing_new_adds_nothing(
        checks: dict[str, tuple[Path, subprocess.CompletedProcess[str]]]) -> None:
    folder, _run = checks["parallel"]
    before = _snapshot(folder)
    again = _check(folder, "--workers", "2")
    assert again.returncode == 0, again.stderr
    assert "0 new findings" in again.stderr and "local workers" not in again.stderr
    assert again.stdout == ""  # no alert sent
    after = _snapshot(folder)
    assert after == before
    db = sqlite3.connect(folder / "drift.sqlite")
    try:
        runs = db.execute("SELECT status, new_articles, new_findings FROM runs ORDER BY id"
                          ).fetchall()
    finally:
        db.close()
    assert runs[-1] == ("partial", 0, 0) and len(runs) == 2


def test_a_worker_killed_mid_story_is_replaced_and_nothing_is_stored_twice(
        stories: Path, tmp_path: Path,
        checks: dict[str, tuple[Path, subprocess.CompletedProcess[str]]]) -> None:
    _config(tmp_path, stories, _closed_port())
    marker = tmp_path / "crashed"
    run = _check(tmp_path, "--workers", "2",
                 env={"DRIFT_TEST_CRASH_AT": "audit", "DRIFT_TEST_CRASH_ONCE": str(marker)})
    assert run.returncode == 0, run.stderr
    assert marker.is_file()  # a worker died inside a story's audit
    assert "not audited" not in run.stderr and "audit failed" not in run.stderr
    seq, _seq_run = checks["sequential"]
    want, got = _snapshot(seq), _snapshot(tmp_path)
    # the story whose worker died was audited again by another: its findings and alerts are
    # all there, each once
    assert got["findings"] == want["findings"] and set(got["findings"].values()) == {1}
    assert got["alerts"] == want["alerts"] and set(got["alerts"].values()) == {1}
    assert got["reports"] == want["reports"]
    assert got["unsent"] == 0


# ---------------------------------------------------------------- in this process, no model


class FakeEngine:
    """An engine that completes its jobs last first, without auditing: an empty report, an
    error of the audit's own, or a worker dead on every attempt, by story."""

    name = "fake"

    def __init__(self, workers: int, outcomes: dict[str, str]) -> None:
        self.workers = workers
        self.outcomes = outcomes
        self.jobs: list[AuditJob] = []
        self.closed = False

    def run(self, fn: Any, jobs: list[AuditJob]) -> Any:
        self.jobs = list(jobs)
        for i in reversed(range(len(jobs))):
            story = jobs[i].story
            outcome = self.outcomes.get(story, "ok")
            if outcome == "died":
                yield i, JobFailed("its worker died 3 times (killed, or out of memory)", 3)
            elif outcome == "error":
                yield i, JobResult(story, None, "ValueError: boom")
            else:
                yield i, JobResult(story, AuditReport((), (), None, 0))

    def close(self) -> None:
        self.closed = True


def _articles(store: Path) -> list[str]:
    db = sqlite3.connect(store)
    try:
        return [r[0] for r in db.execute("SELECT story FROM articles WHERE role = 'article' "
                                         "ORDER BY id")]
    finally:
        db.close()


def test_failed_audits_are_one_problem_each_and_stories_are_recorded_in_order(
        stories: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drift.config import load_config
    from drift.watch import run_check, worker_cache_path

    monkeypatch.chdir(tmp_path)
    cfg = load_config(_config(tmp_path, stories, None))
    store = tmp_path / "drift.sqlite"
    engine = FakeEngine(2, {STORIES[0]: "error", STORIES[1]: "died"})
    result = run_check(cfg, engine=engine, notifiers={})
    assert result.status == "failed" and not engine.closed  # an engine given is not closed
    assert [j.story for j in engine.jobs] == list(STORIES)
    assert {j.options.cache_path for j in engine.jobs} == {worker_cache_path(store)}
    assert [r.story for r in result.stories] == list(STORIES)
    assert list(result.problems) == [f"{STORIES[0]}: audit failed: ValueError: boom",
                                     f"{STORIES[1]}: audit failed: not audited: its worker "
                                     "died 3 times (killed, or out of memory)"]
    assert _articles(store) == [STORIES[2]] * 5  # a failed story stores nothing of it
    # The next pass audits them again; stories recorded in their order whatever the order
    # their audits complete in.
    again = run_check(cfg, engine=FakeEngine(2, {}), notifiers={})
    assert again.status == "ok" and again.problems == ()
    assert _articles(store) == [STORIES[2]] * 5 + [STORIES[0]] * 5 + [STORIES[1]] * 5
    for name in STORIES:
        assert (tmp_path / "reports" / name / "report.json").is_file()


def test_a_stop_reads_no_more_story_and_finishes_those_read(
        stories: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drift.config import load_config
    from drift.watch import run_check

    monkeypatch.chdir(tmp_path)
    cfg = load_config(_config(tmp_path, stories, None))
    asked: list[int] = []

    def stop() -> bool:  # set while the second story is read
        asked.append(1)
        return len(asked) > 2

    engine = FakeEngine(2, {})
    result = run_check(cfg, engine=engine, notifiers={}, stop=stop)
    assert result.status == "interrupted"
    assert [j.story for j in engine.jobs] == list(STORIES[:2])
    assert _articles(tmp_path / "drift.sqlite") == [STORIES[0]] * 5 + [STORIES[1]] * 5


def test_the_workers_translation_cache_is_synced_with_the_store(tmp_path: Path) -> None:
    from drift.store import Store
    from drift.translate.cache import TranslationCache
    from drift.watch import merge_worker_cache, seed_worker_cache, worker_cache_path

    path = tmp_path / "drift.sqlite"
    side = worker_cache_path(path)
    assert side == tmp_path / "drift.translations.sqlite"
    with Store(path) as store:
        with TranslationCache(path) as in_store:  # what an in-process audit caches
            in_store.put_many("m", "x", "1", "es", ["hola", "adiós"], ["hello", "goodbye"])
        assert seed_worker_cache(store, side) == 2
        assert seed_worker_cache(store, side) == 0  # nothing new
        started = time.time()
        with TranslationCache(side) as workers:  # what a worker caches
            assert workers.get_many("m", "x", "1", "es", ["hola", "adiós"]) == {
                0: "hello", 1: "goodbye"}
            workers.put_many("m", "x", "1", "es", ["gracias"], ["thanks"])
        assert merge_worker_cache(store, side, started) == 1
        assert merge_worker_cache(store, side, started) == 0
        assert store.counts()["translations"] == 3
    with TranslationCache(path) as in_store:
        assert in_store.get_many("m", "x", "1", "es", ["gracias"]) == {0: "thanks"}


@pytest.mark.parametrize(("args", "message"), [
    (["--workers", "0"], "--workers must be 1 or more"),
    (["--engine", "nope"], "--engine must be one of"),
    (["--address", "ray://nowhere:10001"], "--engine local"),
])
def test_check_refuses_bad_engine_options(stories: Path, tmp_path: Path, args: list[str],
                                          message: str) -> None:
    from typer.testing import CliRunner

    from drift.cli import app

    config = _config(tmp_path, stories, None)
    done = CliRunner().invoke(app, ["check", "--config", str(config), *args])
    assert done.exit_code == 2, done.output
    assert message in done.output
    assert not (tmp_path / "drift.sqlite").exists()  # before any work
