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
