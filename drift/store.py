"""The SQLite store of ``drift check``: article versions, runs, findings, alerts, HTTP validators,
each story's latest report, and the translation cache.

WAL mode; the schema version is ``PRAGMA user_version`` and ``MIGRATIONS`` are applied in
order, each in its own transaction. One check at a time holds :class:`StoreLock` (an ``fcntl``
lock on ``<store>.lock``, released by the OS even when the process is killed).

The ``translations`` table has the layout of :mod:`drift.translate.cache`, so a
``TranslationCache`` opened on the store's file reads and writes it (``drift check`` passes the
store as the ``cache_path`` of the audits it runs in its own process; audits in workers use a
file beside it, ``drift.watch.worker_cache_path``).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from drift.records import Article, Piece
from drift.translate.cache import SCHEMA as TRANSLATIONS_SCHEMA

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        ended TEXT,
        status TEXT NOT NULL,
        stories TEXT NOT NULL DEFAULT '[]',
        fetched INTEGER NOT NULL DEFAULT 0,
        new_articles INTEGER NOT NULL DEFAULT 0,
        new_findings INTEGER NOT NULL DEFAULT 0,
        alerts_sent INTEGER NOT NULL DEFAULT 0,
        problems TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        story TEXT NOT NULL,
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('reference', 'article')),
        source TEXT NOT NULL,
        url TEXT,
        guid TEXT,
        title TEXT,
        outlet TEXT,
        content_hash TEXT NOT NULL,
        article TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id),
        seen TEXT NOT NULL,
        UNIQUE (story, key, version)
    );
    CREATE TABLE findings (
        id INTEGER PRIMARY KEY,
        story TEXT NOT NULL,
        drift_key TEXT NOT NULL,
        finding_id TEXT NOT NULL,
        article_key TEXT NOT NULL,
        version INTEGER NOT NULL,
        run_id INTEGER REFERENCES runs(id),
        type TEXT NOT NULL,
        severity TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        payload TEXT NOT NULL,
        UNIQUE (story, drift_key)
    );
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        finding INTEGER NOT NULL REFERENCES findings(id),
        notifier TEXT NOT NULL,
        payload TEXT NOT NULL,
        created TEXT NOT NULL,
        sent TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        UNIQUE (finding, notifier)
    );
    CREATE TABLE http_cache (
        story TEXT NOT NULL,
        url TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        checked TEXT NOT NULL,
        PRIMARY KEY (story, url)
    );
    """,
    # 2: lookups by time
    """
    CREATE INDEX findings_first_seen ON findings (first_seen);
    CREATE INDEX alerts_unsent ON alerts (sent) WHERE sent IS NULL;
    """,
    # 3: the translation cache (its own layout: drift.translate.cache opens the store as its
    # cache) and each story's latest report, committed with its findings so that the report
    # files can always be rewritten
    TRANSLATIONS_SCHEMA + """;
    CREATE TABLE reports (
        story TEXT PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        digest TEXT NOT NULL,
        report TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreBusy(Exception):
    """Another check holds the store."""


class StoreError(Exception):
    """A store that cannot be used (newer schema, not a database)."""


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class StoreLock:
    """An exclusive lock on ``<store>.lock``, waited for up to ``timeout`` seconds."""

    def __init__(self, store: Path, timeout: float) -> None:
        self.path = Path(f"{store}.lock")
        self.timeout = timeout
        self._fd: int | None = None

    def __enter__(self) -> StoreLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                    os.close(fd)
                    raise StoreBusy(
                        f"another drift check is running on {self.path.with_suffix('')} "
                        f"(pid {holder}); waited {self.timeout:g} s, try again later"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """The latest version of an article of a story."""

    key: str
    version: int
    role: str
    source: str
    content_hash: str
    article: Article
    guid: str | None = None


@dataclass(frozen=True, slots=True)
class PendingAlert:
    """An alert recorded but not yet sent."""

    id: int
    notifier: str
    payload: dict[str, Any]
    story: str


def drift_of(finding: dict[str, Any]) -> str:
    """The drift a stored finding belongs to (the same in every article that carries it)."""
    from drift.lineage import drift_key

    lineage = finding.get("lineage")
    if isinstance(lineage, dict) and isinstance(lineage.get("drift"), str):
        return str(lineage["drift"])
    return drift_key(str(finding.get("type")), finding.get("expected"), finding.get("found"))


def article_to_json(article: Article) -> str:
    data = asdict(article)
    data["pieces"] = [[p.start, p.raw_start, p.length] for p in article.pieces]
    return json.dumps(data, ensure_ascii=False)


def article_from_json(text: str) -> Article:
    data = json.loads(text)
    data["pieces"] = tuple(Piece(*p) for p in data["pieces"])
    return Article(**data)


class Store:
    """A connection to the store; use :meth:`transaction` for every write."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreError(f"{path} is not a drift store: {exc}") from exc
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Apply the migrations this store has not had yet, in order."""
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this drift's "
                f"{SCHEMA_VERSION}: upgrade drift"
            )
        for number in range(current + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                for statement in MIGRATIONS[number - 1].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (KeyboardInterrupt too)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # runs

    def start_run(self, stories: list[str]) -> int:
        with self.transaction() as db:
            # We hold the lock: a run still 'running' was killed.
            db.execute("UPDATE runs SET status = 'aborted' WHERE status = 'running'")
            cur = db.execute(
                "INSERT INTO runs (started, status, stories) VALUES (?, 'running', ?)",
                (now_iso(), json.dumps(stories)),
            )
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, counts: dict[str, int],
                   problems: list[str]) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET ended = ?, status = ?, fetched = ?, new_articles = ?, "
                "new_findings = ?, alerts_sent = ?, problems = ? WHERE id = ?",
                (now_iso(), status, counts.get("fetched", 0), counts.get("new_articles", 0),
                 counts.get("new_findings", 0), counts.get("alerts_sent", 0),
                 json.dumps(problems, ensure_ascii=False), run_id),
            )

    def run_counts(self, run_id: int) -> dict[str, int]:
        """What a run committed: article versions and findings stored with its id."""
        one = self.db.execute(
            "SELECT (SELECT COUNT(*) FROM articles WHERE run_id = ? AND role = 'article'), "
            "(SELECT COUNT(*) FROM findings WHERE run_id = ?)", (run_id, run_id),
        ).fetchone()
        return {"new_articles": int(one[0]), "new_findings": int(one[1])}

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))
        return [dict(r) for r in rows]

    # articles

    def latest(self, story: str) -> dict[str, StoredArticle]:
        """The latest version of every article of the story, by key."""
        rows = self.db.execute(
            "SELECT a.* FROM articles a JOIN (SELECT key, MAX(version) v FROM articles "
            "WHERE story = ? GROUP BY key) m ON a.key = m.key AND a.version = m.v "
            "WHERE a.story = ? ORDER BY a.id",
            (story, story),
        )
        return {
            r["key"]: StoredArticle(
                r["key"], r["version"], r["role"], r["source"], r["content_hash"],
                article_from_json(r["article"]), r["guid"],
            )
            for r in rows
        }

    def add_article(self, db: sqlite3.Connection, *, story: str, key: str, role: str,
                    source: str, guid: str | None, content_hash: str, article: Article,
                    run_id: int) -> int:
        """Store a new version of an article (inside a transaction); its version number."""
        row = db.execute(
            "SELECT MAX(version) FROM articles WHERE story = ? AND key = ?", (story, key)
        ).fetchone()
        version = int(row[0] or 0) + 1
        db.execute(
            "INSERT INTO articles (story, key, version, role, source, url, guid, title, outlet, "
            "content_hash, article, run_id, seen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (story, key, version, role, source, article.url, guid, article.title,
             article.outlet, content_hash, article_to_json(article), run_id, now_iso()),
        )
        return version

    # findings and alerts

    def add_finding(self, db: sqlite3.Connection, *, story: str, drift_key: str,
                    finding: dict[str, Any], article_key: str, version: int,
                    run_id: int) -> int | None:
        """Store a finding unless the same drift is stored already; its row id if new."""
        cur = db.execute(
            "INSERT OR IGNORE INTO findings (story, drift_key, finding_id, article_key, version, "
            "run_id, type, severity, first_seen, payload) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (story, drift_key, finding["id"], article_key, version, run_id, finding["type"],
             finding["severity"], now_iso(), json.dumps(finding, ensure_ascii=False)),
        )
        return int(cur.lastrowid) if cur.rowcount and cur.lastrowid else None

    def add_alert(self, db: sqlite3.Connection, finding_row: int, notifier: str,
                  payload: dict[str, Any]) -> None:
        db.execute(
            "INSERT OR IGNORE INTO alerts (finding, notifier, payload, created) VALUES (?,?,?,?)",
            (finding_row, notifier, json.dumps(payload, ensure_ascii=False), now_iso()),
        )

    def pending_alerts(self) -> list[PendingAlert]:
        rows = self.db.execute(
            "SELECT a.id, a.notifier, a.payload, f.story FROM alerts a JOIN findings f "
            "ON f.id = a.finding WHERE a.sent IS NULL ORDER BY a.id"
        )
        return [PendingAlert(r["id"], r["notifier"], json.loads(r["payload"]), r["story"])
                for r in rows]

    def mark_alert(self, alert_id: int, error: str | None) -> None:
        with self.transaction() as db:
            if error is None:
                db.execute(
                    "UPDATE alerts SET sent = ?, attempts = attempts + 1, error = NULL "
                    "WHERE id = ?", (now_iso(), alert_id),
                )
            else:
                db.execute(
                    "UPDATE alerts SET attempts = attempts + 1, error = ? WHERE id = ?",
                    (error, alert_id),
                )

    def findings(self, *, since: str | None = None, story: str | None = None
                 ) -> list[dict[str, Any]]:
        """Stored findings (oldest first), with their article's outlet and URL."""
        sql = (
            "SELECT f.*, a.outlet, a.url, a.source FROM findings f LEFT JOIN articles a "
            "ON a.story = f.story AND a.key = f.article_key AND a.version = f.version WHERE 1=1"
        )
        args: list[Any] = []
        if since is not None:
            sql += " AND f.first_seen >= ?"
            args.append(since)
        if story is not None:
            sql += " AND f.story = ?"
            args.append(story)
        rows = self.db.execute(sql + " ORDER BY f.first_seen, f.id", args)
        return [dict(r) | {"payload": json.loads(r["payload"])} for r in rows]

    def history(self, story: str) -> list[dict[str, Any]]:
        """A story's events in time order: article versions stored, findings first seen (a
        drift seen in another article before is a ``spread``, naming where it was first)."""
        events: list[dict[str, Any]] = []
        for r in self.db.execute(
            "SELECT seen, key, version, role, source, outlet, url, title, run_id FROM articles "
            "WHERE story = ? ORDER BY id", (story,),
        ):
            what = "reference" if r["role"] == "reference" else "article"
            events.append({
                "time": r["seen"], "run": r["run_id"],
                "event": f"{what} v{r['version']}" if r["version"] > 1 else f"new {what}",
                "article": r["key"], "outlet": r["outlet"] or r["source"],
                "detail": r["title"] or r["url"] or "",
            })
        first: dict[str, tuple[str, str]] = {}  # drift -> (time, article) it was first seen
        for f in self.findings(story=story):
            p = f["payload"]
            drift = drift_of(p)
            when, where = first.setdefault(drift, (f["first_seen"], f["article_key"]))
            spread = where != f["article_key"]
            detail = f"{p['type']}: {p.get('expected')} -> {p.get('found')}"
            events.append({
                "time": f["first_seen"], "run": f["run_id"],
                "event": f"{'spread' if spread else 'finding'} {f['severity']}",
                "article": f["article_key"], "outlet": f["outlet"] or f["source"] or "",
                "detail": detail + (f" (first seen in {where} at {when})" if spread else ""),
                "drift": drift,
            })
        return sorted(events, key=lambda e: (e["time"], e["run"] or 0))

    def first_seen(self, story: str) -> dict[str, str]:
        """When each article of the story was first stored (any version), by key."""
        rows = self.db.execute(
            "SELECT key, MIN(seen) FROM articles WHERE story = ? GROUP BY key", (story,))
        return {r[0]: r[1] for r in rows}

    def story_names(self) -> list[str]:
        """Every story with something stored."""
        rows = self.db.execute(
            "SELECT story FROM articles UNION SELECT story FROM findings ORDER BY 1"
        )
        return [r[0] for r in rows]

    def stories(self) -> list[dict[str, Any]]:
        """Per story: article count, finding counts by severity, last change."""
        out: dict[str, dict[str, Any]] = {}
        for r in self.db.execute(
            "SELECT story, COUNT(DISTINCT key) n, MAX(seen) last FROM articles "
            "WHERE role = 'article' GROUP BY story"
        ):
            out[r["story"]] = {"story": r["story"], "articles": r["n"], "last": r["last"],
                               "high": 0, "medium": 0, "low": 0}
        for r in self.db.execute(
            "SELECT story, severity, COUNT(*) n, MAX(first_seen) last FROM findings "
            "GROUP BY story, severity"
        ):
            row = out.setdefault(r["story"], {"story": r["story"], "articles": 0,
                                              "last": r["last"], "high": 0, "medium": 0, "low": 0})
            row[r["severity"]] = r["n"]
        return sorted(out.values(), key=lambda r: r["story"])

    # reports

    def save_report(self, db: sqlite3.Connection, story: str, report: dict[str, Any],
                    run_id: int) -> str:
        """Keep the story's latest report (inside a transaction); its digest."""
        text = json.dumps(report, ensure_ascii=False, sort_keys=True)
        digest = hashlib.sha256(text.encode()).hexdigest()[:32]
        db.execute(
            "INSERT INTO reports (story, run_id, digest, report, updated) VALUES (?,?,?,?,?) "
            "ON CONFLICT (story) DO UPDATE SET run_id = excluded.run_id, digest = "
            "excluded.digest, report = excluded.report, updated = excluded.updated",
            (story, run_id, digest, text, now_iso()),
        )
        return digest

    def report_digests(self) -> dict[str, str]:
        """The digest of every story's stored report, by story."""
        return {r[0]: r[1] for r in self.db.execute("SELECT story, digest FROM reports")}

    def report(self, story: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT report FROM reports WHERE story = ?", (story,)).fetchone()
        return json.loads(row[0]) if row else None

    # HTTP validators

    def validators(self, story: str, url: str) -> tuple[str | None, str | None]:
        row = self.db.execute(
            "SELECT etag, last_modified FROM http_cache WHERE story = ? AND url = ?", (story, url)
        ).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def save_validators(self, db: sqlite3.Connection, story: str, url: str,
                        etag: str | None, last_modified: str | None) -> None:
        db.execute(
            "INSERT INTO http_cache (story, url, etag, last_modified, checked) VALUES "
            "(?,?,?,?,?) ON CONFLICT (story, url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, checked = excluded.checked",
            (story, url, etag, last_modified, now_iso()),
        )

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables (for tests and the log)."""
        return {
            t: int(self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])
            for t in ("runs", "articles", "findings", "alerts", "reports", "translations")
        }
