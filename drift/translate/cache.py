"""A persistent SQLite cache of translations, shared by concurrent drift processes.

Keyed by (backend, model, revision, sha256 of source language + text): a new model revision or
another backend never returns an old translation. The database runs in WAL mode with a busy
timeout, so several processes can read and write it at once; a cache that cannot be read or
written degrades to misses instead of failing the run.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

BUSY_TIMEOUT_S = 30.0
_CHUNK = 500  # keys per SELECT (below SQLite's host-parameter limit)

SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    revision TEXT NOT NULL,
    key TEXT NOT NULL,
    translation TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (backend, model, revision, key)
) WITHOUT ROWID
"""


def default_cache_path() -> Path:
    """$DRIFT_CACHE_DIR/translations.sqlite, else under $XDG_CACHE_HOME/drift or ~/.cache/drift."""
    if env := os.environ.get("DRIFT_CACHE_DIR"):
        return Path(env).expanduser() / "translations.sqlite"
    if xdg := os.environ.get("XDG_CACHE_HOME"):
        return Path(xdg).expanduser() / "drift" / "translations.sqlite"
    return Path.home() / ".cache" / "drift" / "translations.sqlite"


def text_key(src: str, text: str) -> str:
    """sha256 of the source language and the text."""
    return hashlib.sha256(f"{src}\0{text}".encode()).hexdigest()


class TranslationCache:
    """Translations by (backend, model, revision, source language, text); counts hits and misses."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path: Path | None = None if path is None or str(path) == ":memory:" else Path(path)
        self.hits = 0
        self.misses = 0
        self.errors = 0  # reads or writes that failed (treated as misses / skipped)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection per instance, usable from any thread (calls are serialised by a lock).
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(":memory:" if self.path is None else str(self.path),
                                     timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                     check_same_thread=False)
        self._conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if self.path is not None:
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        self._conn.execute(SCHEMA)

    def get_many(self, backend: str, model: str | None, revision: str, src: str,
                 texts: Sequence[str]) -> dict[int, str]:
        """Cached translations of ``texts``, by index; absent indexes are misses."""
        keys = [text_key(src, t) for t in texts]
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(keys))
        with self._lock:
            try:
                for i in range(0, len(unique), _CHUNK):
                    chunk = unique[i : i + _CHUNK]
                    rows = self._conn.execute(
                        "SELECT key, translation FROM translations WHERE backend = ? "
                        f"AND model = ? AND revision = ? AND key IN ({','.join('?' * len(chunk))})",
                        (backend, model or "", revision, *chunk),
                    ).fetchall()
                    found.update(rows)
            except sqlite3.ProgrammingError:
                raise
            except sqlite3.Error:  # locked past the busy timeout, unreadable file: all misses
                self.errors += 1
                found = {}
        out = {i: found[k] for i, k in enumerate(keys) if k in found}
        self.hits += len(out)
        self.misses += len(keys) - len(out)
        return out

    def put_many(self, backend: str, model: str | None, revision: str, src: str,
                 texts: Sequence[str], translations: Sequence[str]) -> None:
        """Store ``translations[i]`` for ``texts[i]``."""
        if len(texts) != len(translations):
            raise ValueError(f"{len(texts)} texts but {len(translations)} translations")
        now = time.time()
        rows = [(backend, model or "", revision, text_key(src, t), tr, now)
                for t, tr in zip(texts, translations, strict=True)]
        try:
            with self._lock, self._conn:  # one transaction
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.executemany(
                    "INSERT OR REPLACE INTO translations "
                    "(backend, model, revision, key, translation, created) "
                    "VALUES (?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.ProgrammingError:
            raise
        except sqlite3.Error:  # locked past the busy timeout, read-only file: not stored
            self.errors += 1

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM translations").fetchone()[0])

    def close(self) -> None:
        """Close the database (further use raises sqlite3.ProgrammingError)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
