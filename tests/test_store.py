"""The SQLite store: migrations, the lock, article versions, findings stored once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from drift.ingest.base import Meta, make_article
from drift.store import MIGRATIONS, SCHEMA_VERSION, Store, StoreBusy, StoreError, StoreLock


def test_migrations_run_once_in_order(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with Store(path) as st:
        assert st.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
        assert st.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(path) as st:  # reopening applies nothing again
        assert st.schema_version == SCHEMA_VERSION
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_versions_findings_and_alerts(tmp_path: Path) -> None:
    art = make_article("A headline\n\nSome text about a thing.", Meta(), default_id="k",
                       source="s")
    finding = {"id": "f1", "type": "number_change", "severity": "high", "article": "k"}
    with Store(tmp_path / "s.sqlite") as st:
        run = st.start_run(["x"])
        with st.transaction() as db:
            v1 = st.add_article(db, story="x", key="k", role="article", source="s", guid=None,
                                content_hash="h1", article=art, run_id=run)
            v2 = st.add_article(db, story="x", key="k", role="article", source="s", guid=None,
                                content_hash="h2", article=art, run_id=run)
            row = st.add_finding(db, story="x", drift_key="d", finding=finding, article_key="k",
                                 version=v2, run_id=run)
            again = st.add_finding(db, story="x", drift_key="d", finding=finding,
                                   article_key="k", version=v2, run_id=run)
            assert row is not None and again is None
            st.add_alert(db, row, "stdout", {"text": "t"})
            st.add_alert(db, row, "stdout", {"text": "t"})
        assert (v1, v2) == (1, 2)
        assert st.latest("x")["k"].content_hash == "h2"
        assert st.latest("x")["k"].article == art  # round-trips, pieces included
        pending = st.pending_alerts()
        assert len(pending) == 1
        st.mark_alert(pending[0].id, None)
        assert st.pending_alerts() == []
        with pytest.raises(RuntimeError), st.transaction() as db:  # rolled back
            st.add_finding(db, story="x", drift_key="e", finding=finding, article_key="k",
                           version=1, run_id=run)
            raise RuntimeError
        assert st.counts()["findings"] == 1


def test_lock_is_exclusive(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with StoreLock(path, 0.1), pytest.raises(StoreBusy, match="another drift check"):
        StoreLock(path, 0.2).__enter__()
    with StoreLock(path, 0.1):  # released
        pass


def test_upgrade_from_schema_2_keeps_data(tmp_path: Path) -> None:
    """A store made by the previous drift (schema 2, built here by hand) opens as schema 3:
    rows kept, the translation cache and report tables added and usable."""
    from drift.translate.cache import TranslationCache

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    for migration in MIGRATIONS[:2]:
        db.executescript(migration)
    db.executescript(
        "PRAGMA user_version = 2;"
        "INSERT INTO runs (id, started, status) VALUES (1, '2026-01-01T00:00:00+00:00', 'ok');"
        "INSERT INTO articles (story, key, version, role, source, content_hash, article, run_id,"
        " seen) VALUES ('x', 'k', 1, 'article', 's', 'h1', '{}', 1, '2026-01-01');"
        "INSERT INTO findings (id, story, drift_key, finding_id, article_key, version, run_id,"
        " type, severity, first_seen, payload) VALUES (1, 'x', 'd', 'f1', 'k', 1, 1,"
        " 'number_change', 'high', '2026-01-01', '{\"type\": \"number_change\"}');"
        "INSERT INTO alerts (finding, notifier, payload, created) VALUES"
        " (1, 'webhook', '{\"text\": \"t\"}', '2026-01-01');"
        "INSERT INTO http_cache VALUES ('x', 'http://h/f.xml', '\"e1\"', NULL, '2026-01-01');"
    )
    db.close()
    with Store(path) as st:
        assert st.schema_version == SCHEMA_VERSION == 3
        tables = {r[0] for r in st.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"translations", "reports"} <= tables
        assert st.counts() | {"reports": 0} == {"runs": 1, "articles": 1, "findings": 1,
                                                "alerts": 1, "reports": 0, "translations": 0}
        assert [(a.story, a.payload) for a in st.pending_alerts()] == [("x", {"text": "t"})]
        assert st.validators("x", "http://h/f.xml") == ('"e1"', None)
    with TranslationCache(path) as cache:  # drift check's translation cache is the store
        cache.put_many("apertium", "spa-eng", "1", "es", ["hola"], ["hello"])
    with Store(path) as st:
        assert st.counts()["translations"] == 1
        assert st.db.execute("SELECT translation FROM translations").fetchone()[0] == "hello"


def test_reports_and_run_counts(tmp_path: Path) -> None:
    art = make_article("A headline\n\nSome text about a thing.", Meta(), default_id="k",
                       source="s")
    with Store(tmp_path / "s.sqlite") as st:
        run = st.start_run(["x"])
        with st.transaction() as db:
            st.add_article(db, story="x", key="k", role="article", source="s", guid="g",
                           content_hash="h1", article=art, run_id=run)
            st.add_finding(db, story="x", drift_key="d", finding={"id": "f", "type": "t",
                           "severity": "low"}, article_key="k", version=1, run_id=run)
            first = st.save_report(db, "x", {"findings": []}, run)
            second = st.save_report(db, "x", {"findings": [1]}, run)
        assert first != second and st.report_digests() == {"x": second}
        assert st.report("x") == {"findings": [1]} and st.report("y") is None
        assert st.run_counts(run) == {"new_articles": 1, "new_findings": 1}
        assert st.latest("x")["k"].guid == "g" and st.story_names() == ["x"]
