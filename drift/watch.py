"""Scheduled checks of syndicated content: one check pass (:func:`run_check`) and the
scheduler (:func:`watch`).

A pass, per story: read the reference and the sources (conditional HTTP requests), keep the
items that match the story, store new articles and new versions of edited ones, audit the story
when something changed, store its findings (the same drift is stored once) with an alert row per
notifier, in one transaction; then write the story's reports and send the unsent alerts. A
crash before the commit loses nothing (the items are fetched again: the HTTP validators are
committed with them); a crash after it leaves unsent alerts that the next pass sends.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from drift.config import Config, Source, Story
from drift.fetch import Fetched, Fetcher, FetchError, Validators
from drift.notify import Notifier, alert_payload, build_notifiers
from drift.records import SEVERITY_RANK, Article, ArticleSet
from drift.store import Store, StoreLock, now_iso

log = logging.getLogger(__name__)

WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
STOPWORDS = frozenset(
    [
        "that", "this", "with", "from", "have", "were", "been", "their", "there", "they",
        "them", "said", "says", "will", "would", "could", "about", "after", "also", "into",
        "more", "than", "when", "what", "which", "while", "where", "other", "some", "such",
        "only", "over", "under", "again", "against", "because", "before", "being", "between",
        "both", "during", "each", "further", "here", "just", "most", "once", "same", "should",
        "then", "these", "those", "through", "very", "your", "yours"
    ]
)


@dataclass(frozen=True, slots=True)
class Item:
    """An article read from a source, with the key that names it across runs."""

    key: str
    source: str
    guid: str | None
    article: Article

    @property
    def content_hash(self) -> str:
        a = self.article
        return _hash(a.title or "", a.text, length=16)


@dataclass(frozen=True, slots=True)
class StoryResult:
    """What one story's check did."""

    story: str
    new_articles: int = 0
    new_findings: tuple[dict[str, Any], ...] = ()
    audited: bool = False
    report: Path | None = None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What one check pass did."""

    run_id: int
    status: str
    stories: tuple[StoryResult, ...]
    alerts_sent: int
    alerts_failed: int
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def new_findings(self) -> list[dict[str, Any]]:
        return [f for s in self.stories for f in s.new_findings]

    def at_least(self, severity: str) -> bool:
        """Whether a new finding is at or above ``severity``."""
        floor = SEVERITY_RANK[severity]
        return any(SEVERITY_RANK[f["severity"]] >= floor for f in self.new_findings)


def _hash(*parts: str, length: int = 12) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:length]


def item_key(url_or_guid: str) -> str:
    """The stable article id of an item: a short hash of its URL (or guid, or file path)."""
    return "a" + _hash(url_or_guid.strip(), length=11)


# matching


def content_words(text: str) -> set[str]:
    """Lower-cased words of four letters or more, less common function words."""
    return {w for w in (m.lower() for m in WORD.findall(text)) if w not in STOPWORDS}


def similarity(a: str, b: str) -> float:
    """Content-word overlap coefficient: shared words over the smaller article's words."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase.casefold())}(?!\w)", text) is not None


def parse_date(value: str | None) -> datetime | None:
    """An RSS (RFC 822) or ISO 8601 date, in UTC; None when it cannot be read."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def matches(story: Story, article: Article, reference: Article | None,
            now: datetime | None = None) -> tuple[bool, str]:
    """Whether an incoming article belongs to the story, and why not."""
    m = story.match
    text = f"{article.title or ''}\n{article.text}".casefold()
    if m.keywords:
        hits = [_contains(text, k) for k in m.keywords]
        if not (all(hits) if m.keywords_mode == "all" else any(hits)):
            return False, "keywords"
    missing = [e for e in m.entities if not _contains(text, e)]
    if missing:
        return False, f"entity {missing[0]!r} missing"
    if m.window_days is not None:
        when = parse_date(article.date)
        if when is not None and when < (now or datetime.now(UTC)) - timedelta(m.window_days):
            return False, "outside the time window"
    if m.min_similarity > 0 and reference is not None:
        score = similarity(article.text, reference.text)
        if score < m.min_similarity:
            return False, f"similarity {score:.2f} below {m.min_similarity:g}"
    return True, ""


# reading sources


class SourceReader:
    """Reads sources for one pass; a URL fetched with the same validators is fetched once."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self._cache: dict[tuple[str, Validators], Fetched | FetchError] = {}
        self.fetched = 0

    def get(self, url: str, validators: Validators) -> Fetched:
        key = (url, validators)
        if key not in self._cache:
            try:
                self._cache[key] = self.fetcher.fetch(url, validators)
                self.fetched += 1
            except FetchError as exc:
                self._cache[key] = exc
        got = self._cache[key]
        if isinstance(got, FetchError):
            raise got
        return got

    def read(self, source: Source, validators: Validators) -> tuple[list[Item], Fetched | None]:
        """The items of a source (none when a URL is unchanged: HTTP 304); raises on failure."""
        if not source.is_url:
            return _read_folder(source), None
        got = self.get(source.location, validators)
        if got.not_modified:
            return [], got
        kind = source.kind
        if kind == "auto":
            head = got.content[:512].lstrip().lower()
            xml_type = any(t in got.content_type for t in ("xml", "rss", "atom"))
            kind = "feed" if xml_type or head.startswith((b"<?xml", b"<rss", b"<feed")) else "page"
        if kind == "feed":
            return _feed_items(got.content, source), got
        return [_page_item(got, source.name, source.location)], got


def _read_folder(source: Source) -> list[Item]:
    from drift.ingest import read_paths

    folder = Path(source.location)
    if not folder.is_dir():
        raise FetchError(f"{folder}: no such folder")
    aset = read_paths([folder])
    for err in aset.errors:
        log.warning("source %s: %s", source.name, err)
    items = []
    for art in aset.articles:
        key = item_key(str(Path(art.source).resolve()))
        items.append(Item(key, source.name, None, replace(art, id=key, reference=False,
                                                        outlet=art.outlet or source.name)))
    return items


def _feed_items(data: bytes, source: Source) -> list[Item]:
    import feedparser  # type: ignore[import-untyped]

    from drift.ingest.base import ReadFailure
    from drift.ingest.feed import entry_article

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None)
        raise FetchError(
            f"{source.location}: malformed or empty feed" + (f": {reason}" if reason else "")
        )
    outlet = parsed.feed.get("title") or source.name
    items: list[Item] = []
    for n, entry in enumerate(parsed.entries, 1):
        guid = entry.get("id") or entry.get("link")
        ident = entry.get("link") or guid or f"{source.location}#{n}"
        key = item_key(ident)
        try:
            art = entry_article(entry, default_id=key, source=f"{source.location}#{n}",
                                outlet=outlet)
        except ReadFailure as exc:
            log.warning("source %s item %d: %s", source.name, n, exc)
            continue
        items.append(Item(key, source.name, guid, replace(art, id=key)))
    reason = getattr(parsed, "bozo_exception", None) if parsed.get("bozo") else None
    if reason is not None and not items:
        raise FetchError(f"{source.location}: malformed feed: {reason}")
    return items


def _page_item(got: Fetched, source_name: str, url: str) -> Item:
    from drift.ingest.base import ReadFailure, decode
    from drift.ingest.html import extract_html

    key = item_key(url)
    try:
        art = extract_html(decode(got.content), default_id=key, source=url, url=url)
    except ReadFailure as exc:
        raise FetchError(f"{url}: {exc}") from exc
    return Item(key, source_name, None, replace(art, id=key, outlet=art.outlet or source_name))


def _reference_item(story: Story, reader: SourceReader, store: Store
                    ) -> tuple[Item | None, Fetched | None]:
    """The story's configured reference, read afresh (None with a 304: the stored one holds)."""
    assert story.reference is not None
    if story.reference.startswith(("http://", "https://")):
        got = reader.get(story.reference, Validators(*store.validators(story.name,
                                                                       story.reference)))
        if got.not_modified:
            return None, got
        return _page_item(got, "reference", story.reference), got
    from drift.ingest import read_paths

    aset = read_paths([story.reference])
    if not aset.articles:
        problem = aset.errors[0] if aset.errors else "no article"
        raise FetchError(f"reference {story.reference}: {problem}")
    key = item_key(str(Path(story.reference).resolve()))
    return Item(key, "reference", None, replace(aset.articles[0], id=key)), None


# one story


def slug(name: str) -> str:
    """A file-name-safe form of a story name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "story"


def drift_key(story: str, finding: dict[str, Any]) -> str:
    """What makes two findings the same drift: offsets left out, so an edit elsewhere in the
    article (which moves the spans) does not make old drifts new."""
    span = finding.get("span") or {}
    return _hash(story, str(finding["type"]), str(finding["article"]), str(span.get("text")),
                 str(finding.get("expected")), str(finding.get("found")), length=20)


def check_story(story: Story, config: Config, store: Store, reader: SourceReader, run_id: int,
                notifiers: Sequence[str], *, cache_path: Path | None = None) -> StoryResult:
    """Read, match, store, audit and record alerts for one story (one transaction)."""
    problems: list[str] = []
    latest = store.latest(story.name)
    stored_ref = next((s for s in latest.values() if s.role == "reference"), None)
    validators_to_save: list[tuple[str, Fetched]] = []
    new_items: list[tuple[Item, str]] = []  # (item, role)

    if story.reference is not None:
        try:
            ref_item, got = _reference_item(story, reader, store)
            if got is not None:
                validators_to_save.append((story.reference, got))
            if ref_item is not None and (
                stored_ref is None or stored_ref.content_hash != ref_item.content_hash
                or stored_ref.key != ref_item.key
            ):
                new_items.append((ref_item, "reference"))
        except FetchError as exc:
            problems.append(f"{story.name}: {exc}")
            log.warning("%s: %s", story.name, exc)
    reference = new_items[0][0].article if new_items else (
        stored_ref.article if stored_ref else None)

    # The reference is never one of the story's articles (a folder source may hold its file).
    seen: set[str] = {s.key for s in latest.values() if s.role == "reference"}
    seen.update(item.key for item, _role in new_items)
    for name in story.sources:
        source = config.sources[name]
        v = Validators(*store.validators(story.name, source.location)) if source.is_url else None
        try:
            items, got = reader.read(source, v or Validators())
        except FetchError as exc:
            problems.append(f"{story.name}: source {name}: {exc}")
            log.warning("%s: source %s skipped: %s", story.name, name, exc)
            continue
        if got is not None:
            validators_to_save.append((source.location, got))
        for item in items:
            if item.key in seen:
                continue  # the same item in two feeds: stored once
            seen.add(item.key)
            old = latest.get(item.key)
            if old is not None:
                if old.content_hash != item.content_hash:
                    new_items.append((item, old.role))  # an edit: a new version
                continue
            if reference is None and story.first_from == name and matches(
                story, item.article, None)[0]:
                new_items.append((item, "reference"))
                reference = item.article
                continue
            ok, why = matches(story, item.article, reference)
            if ok:
                new_items.append((item, "article"))
            else:
                log.debug("%s: %s does not match (%s)", story.name, item.key, why)

    changed = {item.key for item, _ in new_items}
    members: dict[str, tuple[Item | None, str, Article]] = {
        k: (None, s.role, s.article) for k, s in latest.items()
    }
    for item, role in new_items:
        members[item.key] = (item, role, item.article)
    ref_keys = [k for k, (_, role, _a) in members.items() if role == "reference"]
    ref_key = next((k for k in ref_keys if k in changed), ref_keys[-1] if ref_keys else None)
    ref_changed = ref_key in changed
    articles = [a for k, (_, role, a) in members.items() if role == "article"]

    report_dir = config.reports / slug(story.name)
    report_path = report_dir / "report.html"
    findings: list[dict[str, Any]] = []
    audited = False
    report_dict: dict[str, Any] | None = None
    if ref_key is not None and articles and changed:
        from drift.core import audit_set

        ref_article = replace(members[ref_key][2], reference=True)
        aset = ArticleSet((ref_article, *(replace(a, reference=False) for a in articles)))
        report = audit_set(aset, translator=story.translator, cache_path=cache_path)
        report_dict = report.to_dict()
        audited = True
        for found in report.findings:
            if ref_changed or found.article in changed:
                findings.append(found.to_json())
    elif ref_key is None and articles:
        problems.append(f"{story.name}: no reference yet; articles stored, audit waits")

    outlets = {k: (a.outlet or (it.source if it else "") or k) for k, (it, _r, a) in
               members.items()}
    urls = {k: a.url for k, (_it, _r, a) in members.items()}
    new_findings: list[dict[str, Any]] = []
    with store.transaction() as db:
        versions = {k: s.version for k, s in latest.items()}
        for item, role in new_items:
            versions[item.key] = store.add_article(
                db, story=story.name, key=item.key, role=role, source=item.source,
                guid=item.guid, content_hash=item.content_hash, article=item.article,
                run_id=run_id)
        for f in findings:
            row = store.add_finding(
                db, story=story.name, drift_key=drift_key(story.name, f), finding=f,
                article_key=f["article"], version=versions.get(f["article"], 1), run_id=run_id)
            if row is None:
                continue
            new_findings.append(f)
            if SEVERITY_RANK[f["severity"]] >= SEVERITY_RANK[story.alert_severity]:
                payload = alert_payload(
                    story=story.name, outlet=outlets.get(f["article"], f["article"]),
                    article_url=urls.get(f["article"]), finding=f, report=report_path)
                for notifier in notifiers:
                    store.add_alert(db, row, notifier, payload)
        for url, got in validators_to_save:
            store.save_validators(db, story.name, url, got.validators.etag,
                                  got.validators.last_modified)
    if report_dict is not None:
        report_path = write_reports(report_dict, report_dir)
    return StoryResult(
        story.name,
        new_articles=sum(1 for _i, role in new_items if role == "article"),
        new_findings=tuple(new_findings),
        audited=audited,
        report=report_path if audited else None,
        problems=tuple(problems),
    )


# reports


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_reports(report: dict[str, Any], folder: Path) -> Path:
    """Write report.json and (when drift.html is there) report.html; the path to link to."""
    json_path = folder / "report.json"
    _atomic_write(json_path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    html_path = folder / "report.html"
    try:
        from drift.html import write_html

        tmp = folder / f".report.{os.getpid()}.html"
        write_html(report, tmp)
        os.replace(tmp, html_path)
    except (ImportError, AttributeError) as exc:
        log.warning("HTML report not written (%s); the JSON report is %s", exc, json_path)
        return json_path
    return html_path


def write_index(store: Store, reports: Path) -> Path:
    """reports/index.html: every story with its counts and a link to its report."""
    e = html.escape
    rows = []
    for s in store.stories():
        folder = reports / slug(s["story"])
        target = "report.html" if (folder / "report.html").exists() else "report.json"
        href = f"{slug(s['story'])}/{target}"
        rows.append(
            f"<tr><td><a href=\"{e(href)}\">{e(s['story'])}</a></td><td>{s['articles']}</td>"
            f"<td>{s['high']}</td><td>{s['medium']}</td><td>{s['low']}</td>"
            f"<td>{e(str(s['last'] or ''))}</td></tr>"
        )
    page = (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>drift: stories</title><style>body{font-family:sans-serif;margin:2em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em}"
        "</style></head><body><h1>Stories watched by drift</h1>"
        f"<p>Updated {e(now_iso())}.</p><table><thead><tr><th>story</th><th>articles</th>"
        "<th>high</th><th>medium</th><th>low</th><th>last change</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table></body></html>\n"
    )
    path = reports / "index.html"
    _atomic_write(path, page)
    return path


# a pass


def deliver(store: Store, notifiers: dict[str, Notifier]) -> tuple[int, int]:
    """Send every unsent alert; (sent, failed). Each is marked sent right after it goes."""
    from drift.notify import NotifyError

    sent = failed = 0
    for alert in store.pending_alerts():
        notifier = notifiers.get(alert.notifier)
        if notifier is None:
            continue  # that notifier is no longer configured: left unsent
        try:
            notifier.send(alert.payload)
        except NotifyError as exc:
            log.warning("alert %d not sent: %s", alert.id, exc)
            store.mark_alert(alert.id, str(exc))
            failed += 1
            continue
        store.mark_alert(alert.id, None)
        sent += 1
    return sent, failed


def run_check(config: Config, *, store_path: Path | None = None,
              stories: Sequence[str] | None = None,
              notifiers: dict[str, Notifier] | None = None,
              stop: Callable[[], bool] | None = None,
              cache_path: Path | None = None) -> CheckResult:
    """One check pass over the stories (all by default); raises StoreBusy when another check
    holds the store past ``config.lock_timeout``."""
    path = store_path or config.store
    chosen = [config.story(n) for n in stories] if stories else list(config.stories)
    notifiers = build_notifiers(config.alerts) if notifiers is None else notifiers
    with StoreLock(path, config.lock_timeout), Store(path) as store:
        sent, failed = deliver(store, notifiers)  # left over from a pass that was cut short
        run_id = store.start_run([s.name for s in chosen])
        log.info("run %d: checking %d stories", run_id, len(chosen))
        results: list[StoryResult] = []
        problems: list[str] = []
        status = "ok"
        try:
            with Fetcher(config.fetch) as fetcher:
                reader = SourceReader(fetcher)
                for story in chosen:
                    if stop is not None and stop():
                        status = "interrupted"
                        break
                    try:
                        res = check_story(story, config, store, reader, run_id,
                                          list(notifiers), cache_path=cache_path)
                    except Exception as exc:  # one story's failure does not stop the others
                        log.exception("story %s failed", story.name)
                        res = StoryResult(story.name, problems=(f"{story.name}: {exc!r}",))
                        status = "failed"
                    results.append(res)
                    problems.extend(res.problems)
                    s, fl = deliver(store, notifiers)
                    sent, failed = sent + s, failed + fl
                    log.info("run %d: %s: %d new articles, %d new findings", run_id,
                             story.name, res.new_articles, len(res.new_findings))
            write_index(store, config.reports)
        except BaseException:
            store.finish_run(run_id, "failed", _counts(results, reader.fetched, sent), problems)
            raise
        if status == "ok" and problems:
            status = "partial"
        store.finish_run(run_id, status, _counts(results, reader.fetched, sent), problems)
        log.info("run %d %s: %d alerts sent", run_id, status, sent)
        return CheckResult(run_id, status, tuple(results), sent, failed, tuple(problems))


def _counts(results: list[StoryResult], fetched: int, sent: int) -> dict[str, int]:
    return {
        "fetched": fetched,
        "new_articles": sum(r.new_articles for r in results),
        "new_findings": sum(len(r.new_findings) for r in results),
        "alerts_sent": sent,
    }


# the scheduler


def next_times(config: Config, after: datetime) -> dict[str, datetime]:
    """When each story is next due after ``after`` (its cron schedule)."""
    from croniter import croniter

    return {s.name: croniter(s.schedule, after).get_next(datetime) for s in config.stories}


def watch(config: Config, *, store_path: Path | None = None, stop: threading.Event,
          run_now: bool = False, clock: Callable[[], datetime] | None = None,
          cache_path: Path | None = None) -> int:
    """Run checks on each story's schedule until ``stop`` is set; the number of passes run.

    ``stop`` is only looked at between stories and between passes, so a pass under way ends
    with its current story committed (a signal handler should just set it).
    """
    from drift.store import StoreBusy

    now = clock or (lambda: datetime.now(UTC))
    due = next_times(config, now())
    if run_now:
        due = dict.fromkeys(due, now())
    passes = 0
    while not stop.is_set():
        current = now()
        ready = [name for name, when in due.items() if when <= current]
        if not ready:
            wait = min((when - current).total_seconds() for when in due.values())
            stop.wait(max(0.05, min(wait, 1.0)))
            continue
        try:
            result = run_check(config, store_path=store_path, stories=ready,
                               stop=stop.is_set, cache_path=cache_path)
            log.info("pass %d (%s): %s, %d new findings, %d alerts", result.run_id,
                     ", ".join(ready), result.status, len(result.new_findings),
                     result.alerts_sent)
        except StoreBusy as exc:
            log.warning("pass skipped: %s", exc)
        passes += 1
        later = next_times(config, now())
        for name in ready:
            due[name] = later[name]
    log.info("watch stopped after %d passes", passes)
    return passes


def parse_since(value: str, now: datetime | None = None) -> str:
    """``7d``, ``12h``, ``30m``, ``2w`` ago, or an ISO date/time: the ISO UTC time it means."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*", value)
    if m:
        unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[m.group(2)]
        when = (now or datetime.now(UTC)) - timedelta(**{unit: float(m.group(1))})
    else:
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"--since: {value!r} is neither a duration (7d, 12h, 30m, 2w) nor a date "
                "(2026-11-01 or 2026-11-01T08:00)"
            ) from None
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return when.astimezone(UTC).replace(microsecond=0).isoformat()
