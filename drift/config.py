"""``drift.toml``: the stories to watch, where their articles come from, and where alerts go.

Read with :func:`load_config`; every problem is a :class:`ConfigError` naming the key, e.g.
``story[1].match.min_similarity: must be a number between 0 and 1``. See examples/drift.toml.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

SEVERITIES = ("low", "medium", "high")
TRANSLATORS = ("auto", "marian", "apertium", "identity")
SOURCE_KINDS = ("auto", "feed", "page", "folder")
DEFAULT_SCHEDULE = "0 * * * *"

SourceKind = Literal["auto", "feed", "page", "folder"]


class ConfigError(ValueError):
    """An invalid drift.toml; the message names the key."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where articles come from: a feed URL, an article page URL or a local folder."""

    name: str
    location: str  # URL or resolved folder path
    kind: SourceKind = "auto"

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Match:
    """Which incoming articles belong to a story."""

    keywords: tuple[str, ...] = ()
    keywords_mode: Literal["any", "all"] = "any"
    entities: tuple[str, ...] = ()
    min_similarity: float = 0.0
    window_days: float | None = None


@dataclass(frozen=True, slots=True)
class Story:
    """One story: its reference, its sources and how to match and audit them."""

    name: str
    sources: tuple[str, ...]
    reference: str | None = None  # file path (resolved) or URL
    first_from: str | None = None  # or: the first article from this source is the reference
    match: Match = field(default_factory=Match)
    translator: str = "auto"
    alert_severity: str = "medium"
    schedule: str = DEFAULT_SCHEDULE


@dataclass(frozen=True, slots=True)
class EmailSettings:
    """SMTP settings for email alerts."""

    host: str
    port: int
    sender: str
    to: tuple[str, ...]
    starttls: bool = False
    username: str | None = None
    password_env: str | None = None  # name of the environment variable holding the password
    timeout: float = 10.0


@dataclass(frozen=True, slots=True)
class Alerts:
    """Where alerts go."""

    stdout: bool = True
    webhook: str | None = None
    email: EmailSettings | None = None
    report_base_url: str | None = None  # where the reports folder is served: absolute links


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """HTTP fetching limits."""

    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    max_mb: float = 10.0
    min_interval: float = 1.0  # seconds between two requests to one host
    respect_robots: bool = True


@dataclass(frozen=True, slots=True)
class Config:
    """A whole drift.toml."""

    stories: tuple[Story, ...]
    sources: dict[str, Source]
    alerts: Alerts = field(default_factory=Alerts)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    store: Path = Path("drift.sqlite")
    reports: Path = Path("reports")
    lock_timeout: float = 5.0
    path: Path | None = None

    def story(self, name: str) -> Story:
        for s in self.stories:
            if s.name == name:
                return s
        known = ", ".join(s.name for s in self.stories)
        raise ConfigError(f"no story named {name!r}; the stories are: {known}")


def load_config(path: Path) -> Config:
    """Read and validate a drift.toml; local paths are relative to the file's folder."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return parse_config(data, base=path.resolve().parent, path=path)


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}{key}: must be a table")
    return value


def _str(data: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}{key}: must be a non-empty string")
    return value


def _opt_str(data: Mapping[str, Any], key: str, where: str) -> str | None:
    return _str(data, key, where) if key in data else None


def _num(data: Mapping[str, Any], key: str, where: str, default: float, lo: float = 0.0,
         hi: float | None = None) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < lo or (
        hi is not None and value > hi
    ):
        bound = f"between {lo:g} and {hi:g}" if hi is not None else f">= {lo:g}"
        raise ConfigError(f"{where}{key}: must be a number {bound}, not {value!r}")
    return float(value)


def _bool(data: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}{key}: must be true or false, not {value!r}")
    return value


def _strs(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}{key}: must be a list of strings")
    return tuple(value)


def _choice(data: Mapping[str, Any], key: str, where: str, default: str,
            allowed: tuple[str, ...]) -> str:
    value = data.get(key, default)
    if value not in allowed:
        raise ConfigError(f"{where}{key}: must be one of {', '.join(allowed)}, not {value!r}")
    return str(value)


def _cron(value: str, where: str) -> str:
    from croniter import croniter

    if not croniter.is_valid(value):
        raise ConfigError(f"{where}schedule: not a valid cron expression: {value!r}")
    return value


def _location(value: str, base: Path) -> str:
    if value.startswith(("http://", "https://")):
        return value
    return str((base / Path(value).expanduser()).resolve())


def _check_keys(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(
            f"{where}{unknown[0]}: unknown key; expected one of {', '.join(sorted(allowed))}"
        )


def parse_config(data: Mapping[str, Any], *, base: Path, path: Path | None = None) -> Config:
    """Validate parsed TOML; ``base`` is the folder relative paths start from."""
    _check_keys(data, {"defaults", "fetch", "alerts", "source", "story"}, "")
    defaults = _table(data, "defaults", "")
    _check_keys(
        defaults,
        {"store", "reports", "translator", "alert_severity", "schedule", "lock_timeout"},
        "defaults.",
    )
    d_translator = _choice(defaults, "translator", "defaults.", "auto", TRANSLATORS)
    d_severity = _choice(defaults, "alert_severity", "defaults.", "medium", SEVERITIES)
    d_schedule = _cron(_str(defaults, "schedule", "defaults.", DEFAULT_SCHEDULE), "defaults.")

    f = _table(data, "fetch", "")
    _check_keys(
        f, {"timeout", "retries", "backoff", "max_mb", "min_interval", "respect_robots"}, "fetch."
    )
    fetch = FetchSettings(
        timeout=_num(f, "timeout", "fetch.", 10.0, 0.001),
        retries=int(_num(f, "retries", "fetch.", 2, 0, 10)),
        backoff=_num(f, "backoff", "fetch.", 0.5),
        max_mb=_num(f, "max_mb", "fetch.", 10.0, 0.001),
        min_interval=_num(f, "min_interval", "fetch.", 1.0),
        respect_robots=_bool(f, "respect_robots", "fetch.", True),
    )

    a = _table(data, "alerts", "")
    _check_keys(a, {"stdout", "webhook", "email", "report_base_url"}, "alerts.")
    webhook = _opt_str(a, "webhook", "alerts.")
    base_url = _opt_str(a, "report_base_url", "alerts.")
    for key, url in (("webhook", webhook), ("report_base_url", base_url)):
        if url is not None and not url.startswith(("http://", "https://")):
            raise ConfigError(f"alerts.{key}: must be an http(s) URL, not {url!r}")
    email = None
    if "email" in a:
        e = _table(a, "email", "alerts.")
        w = "alerts.email."
        _check_keys(
            e, {"host", "port", "from", "to", "starttls", "username", "password_env", "timeout"}, w
        )
        to = _strs(e, "to", w)
        if not to:
            raise ConfigError(f"{w}to: give at least one recipient")
        email = EmailSettings(
            host=_str(e, "host", w),
            port=int(_num(e, "port", w, 25, 1, 65535)),
            sender=_str(e, "from", w),
            to=to,
            starttls=_bool(e, "starttls", w, False),
            username=_opt_str(e, "username", w),
            password_env=_opt_str(e, "password_env", w),
            timeout=_num(e, "timeout", w, 10.0, 0.001),
        )
    alerts = Alerts(stdout=_bool(a, "stdout", "alerts.", True), webhook=webhook, email=email,
                    report_base_url=base_url)

    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list):
        raise ConfigError("source: must be an array of tables ([[source]])")
    sources: dict[str, Source] = {}
    for i, s in enumerate(raw_sources):
        w = f"source[{i}]."
        if not isinstance(s, Mapping):
            raise ConfigError(f"source[{i}]: must be a table")
        _check_keys(s, {"name", "url", "path", "kind"}, w)
        name = _str(s, "name", w)
        if name in sources:
            raise ConfigError(f"{w}name: duplicate source name {name!r}")
        if ("url" in s) == ("path" in s):
            raise ConfigError(f"{w}url: give exactly one of url (feed or page) or path (folder)")
        if "url" in s:
            loc = _str(s, "url", w)
            if not loc.startswith(("http://", "https://")):
                raise ConfigError(f"{w}url: must start with http:// or https://, not {loc!r}")
        else:
            loc = _location(_str(s, "path", w), base)
        kind = _choice(s, "kind", w, "folder" if "path" in s else "auto", SOURCE_KINDS)
        sources[name] = Source(name, loc, kind)  # type: ignore[arg-type]

    raw_stories = data.get("story", [])
    if not isinstance(raw_stories, list) or not raw_stories:
        raise ConfigError("story: give at least one story ([[story]])")
    stories: list[Story] = []
    for i, s in enumerate(raw_stories):
        w = f"story[{i}]."
        if not isinstance(s, Mapping):
            raise ConfigError(f"story[{i}]: must be a table")
        _check_keys(
            s,
            {"name", "reference", "first_from", "sources", "match", "translator",
             "alert_severity", "schedule"},
            w,
        )
        name = _str(s, "name", w)
        if any(st.name == name for st in stories):
            raise ConfigError(f"{w}name: duplicate story name {name!r}")
        if "/" in name or name.startswith("."):
            raise ConfigError(f"{w}name: must not contain '/' or start with '.'")
        srcs = _strs(s, "sources", w)
        if not srcs:
            raise ConfigError(f"{w}sources: give at least one source name")
        for src in srcs:
            if src not in sources:
                raise ConfigError(f"{w}sources: unknown source {src!r}; define it in [[source]]")
        reference = _opt_str(s, "reference", w)
        first_from = _opt_str(s, "first_from", w)
        if (reference is None) == (first_from is None):
            raise ConfigError(f"{w}reference: give exactly one of reference or first_from")
        if first_from is not None and first_from not in srcs:
            raise ConfigError(f"{w}first_from: {first_from!r} is not one of the story's sources")
        if reference is not None:
            reference = _location(reference, base)
            if not reference.startswith("http") and not Path(reference).is_file():
                raise ConfigError(f"{w}reference: no such file: {reference}")
        m = _table(s, "match", w)
        mw = f"{w}match."
        _check_keys(m, {"keywords", "keywords_mode", "entities", "min_similarity",
                        "window_days"}, mw)
        match = Match(
            keywords=_strs(m, "keywords", mw),
            keywords_mode=_choice(m, "keywords_mode", mw, "any", ("any", "all")),  # type: ignore[arg-type]
            entities=_strs(m, "entities", mw),
            min_similarity=_num(m, "min_similarity", mw, 0.0, 0.0, 1.0),
            window_days=_num(m, "window_days", mw, 0.0, 0.0) if "window_days" in m else None,
        )
        stories.append(
            Story(
                name=name,
                sources=srcs,
                reference=reference,
                first_from=first_from,
                match=match,
                translator=_choice(s, "translator", w, d_translator, TRANSLATORS),
                alert_severity=_choice(s, "alert_severity", w, d_severity, SEVERITIES),
                schedule=_cron(_str(s, "schedule", w, d_schedule), w),
            )
        )

    def _path(key: str, default: str) -> Path:
        return Path(_location(_str(defaults, key, "defaults.", default), base))

    return Config(
        stories=tuple(stories),
        sources=sources,
        alerts=alerts,
        fetch=fetch,
        store=_path("store", "drift.sqlite") if "store" in defaults else Path("drift.sqlite"),
        reports=_path("reports", "reports") if "reports" in defaults else Path("reports"),
        lock_timeout=_num(defaults, "lock_timeout", "defaults.", 5.0),
        path=path,
    )
