"""Scheduled checks of syndicated content: one check pass (:func:`run_check`) and the
scheduler (:func:`watch`).

A pass reads every story first, in this process (:func:`gather_story`): the reference and the
sources (conditional HTTP requests; a feed item is read from its linked page), the items that
match the story, and what is new or edited since the store's versions. Then the stories where
something changed are audited, in parallel in worker processes (``drift.engines``) when two or
more are due. Each story is then recorded in the stories' order (:func:`record_story`): its new
articles and versions, its findings (the same drift is stored once) with an alert row per
notifier, and its report, in one transaction of this process, the store's one writer; then its
report files are written and the unsent alerts whose report exists are sent.

A crash before a story's commit loses nothing of it (the items are fetched again: the HTTP
validators are committed with them); a crash after it leaves report files to rewrite from the
store and unsent alerts, which the next pass handles in that order. Alerts are delivered at
least once (see :func:`deliver`).
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence, Set
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from drift.config import Config, Source, Story
from drift.engines import CRASH_ENV as CRASH_ENV
from drift.engines import CRASH_ONCE_ENV as CRASH_ONCE_ENV
from drift.engines import ENGINES, Engine, EngineError, default_workers, get_engine
from drift.engines import crash_point as crash_point
from drift.fetch import Fetched, Fetcher, FetchError, Validators
from drift.notify import Notifier, alert_payload, build_notifiers
from drift.records import SEVERITY_RANK, Article, ArticleSet
from drift.store import Store, StoredArticle, StoreLock, now_iso
from drift.stories import AuditJob, AuditOptions, JobResult, audit_job, run_jobs

if TYPE_CHECKING:
    from drift.report import AuditReport

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


@dataclass(slots=True)
class SourceRead:
    """What reading one source gave: its items, and the responses whose validators to keep."""

    items: list[Item] = field(default_factory=list)
    fetched: list[tuple[str, Fetched]] = field(default_factory=list)


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

    def read(self, source: Source, validators: Validators,
             stored: Mapping[str, StoredArticle] | None = None,
             page_validators: Callable[[str], Validators] | None = None) -> SourceRead:
        """The items of a source; raises FetchError when the source itself fails.

        A feed item with an http(s) link is read from its page (see :meth:`linked`). When the
        feed is unchanged (HTTP 304), the pages of the articles stored from it are checked
        again, so an edit to a page alone is seen.
        """
        stored = stored or {}
        out = SourceRead()
        if not source.is_url:
            out.items = _read_folder(source)
            return out
        got = self.get(source.location, validators)
        out.fetched.append((source.location, got))
        pv = page_validators or (lambda _url: Validators())
        if got.not_modified:
            for old in stored.values():
                url = old.article.url or ""
                if old.source == source.name and url != source.location and _is_http(url):
                    item = self.linked(old.key, old.guid, url, None, old, source.name, pv, out)
                    if item is not None:
                        out.items.append(item)
            return out
        kind = source.kind
        if kind == "auto":
            head = got.content[:512].lstrip().lower()
            xml_type = any(t in got.content_type for t in ("xml", "rss", "atom"))
            kind = "feed" if xml_type or head.startswith((b"<?xml", b"<rss", b"<feed")) else "page"
        if kind != "feed":
            out.items.append(_page_item(got, source.name, source.location))
            return out
        for item in _feed_items(got.content, source):
            link = item.article.url or ""
            if _is_http(link):
                linked = self.linked(item.key, item.guid, link, item.article,
                                     stored.get(item.key), source.name, pv, out)
                item = linked or item
            out.items.append(item)
        return out

    def linked(self, key: str, guid: str | None, url: str, feed_article: Article | None,
               old: StoredArticle | None, source_name: str,
               page_validators: Callable[[str], Validators], out: SourceRead) -> Item | None:
        """A feed item read from its linked page with the extractor of ``drift audit``.

        The page is fetched conditionally when the stored version came from it (a 304 keeps
        that version). When the page cannot be read, the stored page version is kept, else the
        feed's own text serves (logged). The feed's title, outlet and date are kept.
        """
        from_page = old is not None and old.article.source == url
        try:
            got = self.get(url, page_validators(url) if from_page else Validators())
            if got.not_modified:
                if old is None:
                    raise FetchError(f"{url}: HTTP 304 with nothing stored")
                out.fetched.append((url, got))
                return Item(key, source_name, guid, old.article)
            page = _page_item(got, source_name, url).article
        except FetchError as exc:
            if from_page and old is not None:
                log.warning("%s: page not read (%s); its stored version stands", key, exc)
                return Item(key, source_name, guid, old.article)
            if feed_article is not None:
                log.warning("%s: page not read (%s); using the feed's text", key, exc)
            return None
        out.fetched.append((url, got))
        meta = feed_article or (old.article if old is not None else page)
        return Item(key, source_name, guid, replace(
            page, id=key, source=url, url=url, title=meta.title or page.title,
            outlet=meta.outlet or page.outlet, date=meta.date or page.date))


def _is_http(url: str) -> bool:
    return url.startswith(("http://", "https://"))


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
    """The items of a feed, each with the feed's own text; a valid feed may have none."""
    import feedparser  # type: ignore[import-untyped]

    from drift.ingest.base import ReadFailure
    from drift.ingest.feed import entry_article

    parsed = feedparser.parse(data)
    reason = getattr(parsed, "bozo_exception", None) if parsed.get("bozo") else None
    if not parsed.entries:
        if reason is not None or not parsed.get("version"):
            raise FetchError(f"{source.location}: malformed feed" + (f": {reason}" if reason
                                                                     else ": not RSS or Atom"))
        log.info("source %s: the feed has no items", source.name)
        return []
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
            if not _is_http(entry.get("link") or ""):
                log.warning("source %s item %d: %s", source.name, n, exc)
                continue
            # no text in the feed: the linked page may have it
            art = Article(id=key, source=f"{source.location}#{n}", text="", raw="",
                          title=entry.get("title"), outlet=outlet, url=entry.get("link"),
                          date=entry.get("published") or entry.get("updated"))
        items.append(Item(key, source.name, guid, replace(art, id=key)))
    if reason is not None and not items:
        raise FetchError(f"{source.location}: malformed feed: {reason}")
    return items


def _page_item(got: Fetched, source_name: str, url: str) -> Item:
    """An article page, read with drift audit's HTML extractor (trafilatura)."""
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
    if _is_http(story.reference):
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


# test hooks: ``crash_point``, ``CRASH_ENV`` and ``CRASH_ONCE_ENV`` are drift.engines' (imported
# above): a check that audits in-process dies inside its audit, a worker inside its own.


def _pool_crash_point() -> None:
    """Tests only: ``$DRIFT_TEST_CRASH_AT=audit`` without a once-marker kills the check itself as
    its audits start in workers, as it kills a check that audits in-process (in workers every
    attempt would die and the check would carry on without them). With
    ``$DRIFT_TEST_CRASH_ONCE`` the first worker to reach the point dies instead."""
    if not os.environ.get(CRASH_ONCE_ENV):
        crash_point("audit")


# one story: gather (the driver reads and matches), audit (a worker, or the driver), record
# (the driver, in one transaction)


def slug(name: str) -> str:
    """A file-name-safe form of a story name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "story"


def drift_key(story: str, finding: dict[str, Any]) -> str:
    """What makes two findings the same drift: offsets left out, so an edit elsewhere in the
    article (which moves the spans) does not make old drifts new. The finding's stable id in
    the store, and its alerts' idempotency key."""
    span = finding.get("span") or {}
    return _hash(story, str(finding["type"]), str(finding["article"]), str(span.get("text")),
                 str(finding.get("expected")), str(finding.get("found")), length=20)


class AuditFailed(RuntimeError):
    """A story's audit gave no report: its error, or its worker died on every attempt."""


@dataclass(slots=True)
class Gathered:
    """What the driver read for one story (:func:`gather_story`): the items to store, the HTTP
    validators to keep, the story's members, and the set to audit (None: no audit is due)."""

    story: Story
    latest: dict[str, StoredArticle]
    new_items: list[tuple[Item, str]]  # (item, role)
    validators: list[tuple[str, Fetched]]
    members: dict[str, tuple[Item | None, str, Article]]
    changed: set[str]
    ref_changed: bool
    articles: ArticleSet | None
    problems: list[str]


def gather_story(story: Story, config: Config, store: Store, reader: SourceReader) -> Gathered:
    """Read the story's reference and sources, keep what matches, see what changed since the
    store's versions, and build the set to audit when something did. Reads the store, never
    writes it."""
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

    def page_validators(url: str) -> Validators:
        return Validators(*store.validators(story.name, url))

    # The reference is never one of the story's articles (a folder source may hold its file).
    seen: set[str] = {s.key for s in latest.values() if s.role == "reference"}
    seen.update(item.key for item, _role in new_items)
    for name in story.sources:
        source = config.sources[name]
        v = Validators(*store.validators(story.name, source.location)) if source.is_url else None
        try:
            got_source = reader.read(source, v or Validators(), latest, page_validators)
        except FetchError as exc:
            problems.append(f"{story.name}: source {name}: {exc}")
            log.warning("%s: source %s skipped: %s", story.name, name, exc)
            continue
        validators_to_save.extend(got_source.fetched)
        for item in got_source.items:
            if item.key in seen:
                continue  # the same item in two feeds: stored once
            seen.add(item.key)
            if not item.article.text.strip():
                log.warning("%s: %s has no text (feed item without content, page unread)",
                            story.name, item.key)
                continue
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
    articles = [a for k, (_, role, a) in members.items() if role == "article"]

    aset: ArticleSet | None = None
    if ref_key is not None and articles and changed:
        # Articles without a date are ordered by when the store first saw them (lineage).
        first, now = store.first_seen(story.name), now_iso()
        ref_article = replace(members[ref_key][2], reference=True)
        aset = ArticleSet((ref_article, *(replace(a, reference=False, seen=first.get(a.id, now))
                                          for a in articles)))
    elif ref_key is None and articles:
        problems.append(f"{story.name}: no reference yet; articles stored, audit waits")
    return Gathered(story, latest, new_items, validators_to_save, members, changed,
                    ref_key in changed, aset, problems)


def audit_options(story: Story, cache_path: Path | None) -> AuditOptions:
    """The options of a story's audit in a check: the story's translator, ``cache_path`` for
    the caches (translations in it, parses and whole reports beside it), the rest as
    ``drift audit``'s defaults."""
    return AuditOptions(translator=story.translator, cache_path=cache_path)


def audit_gathered(gathered: Gathered, cache_path: Path | None) -> JobResult:
    """Phase 2 in this process: the audit a worker would run (``drift.stories.audit_job``)."""
    assert gathered.articles is not None
    return audit_job(AuditJob(gathered.story.name, audit_options(gathered.story, cache_path),
                              articles=gathered.articles))


def _report_of(result: JobResult) -> AuditReport:
    if result.report is None:
        raise AuditFailed(result.error or "the audit gave no report")
    return result.report


def record_story(gathered: Gathered, config: Config, store: Store, run_id: int,
                 notifiers: Sequence[str], report: AuditReport | None) -> StoryResult:
    """Store the story's new articles, its new findings (from ``report``, the audit of
    ``gathered.articles``) with an alert row per notifier, the HTTP validators and the report,
    in one transaction (:func:`ensure_report` writes the report files after)."""
    story = gathered.story
    if (report is None) != (gathered.articles is None):
        raise ValueError(f"{story.name}: a report is recorded with its audit, and only then")
    findings: list[dict[str, Any]] = []
    report_dict: dict[str, Any] | None = None
    if report is not None:
        report_dict = report.to_dict()
        for found in report.findings:
            if gathered.ref_changed or found.article in gathered.changed:
                findings.append(found.to_json())
    report_path = report_file(config.reports, story.name)
    report_url = report_link(config, story.name)
    members = gathered.members
    outlets = {k: (a.outlet or (it.source if it else "") or k) for k, (it, _r, a) in
               members.items()}
    urls = {k: a.url for k, (_it, _r, a) in members.items()}
    new_findings: list[dict[str, Any]] = []
    with store.transaction() as db:
        versions = {k: s.version for k, s in gathered.latest.items()}
        for item, role in gathered.new_items:
            versions[item.key] = store.add_article(
                db, story=story.name, key=item.key, role=role, source=item.source,
                guid=item.guid, content_hash=item.content_hash, article=item.article,
                run_id=run_id)
        for f in findings:
            key = drift_key(story.name, f)
            row = store.add_finding(
                db, story=story.name, drift_key=key, finding=f,
                article_key=f["article"], version=versions.get(f["article"], 1), run_id=run_id)
            if row is None:
                continue
            new_findings.append(f)
            if SEVERITY_RANK[f["severity"]] >= SEVERITY_RANK[story.alert_severity]:
                payload = alert_payload(
                    story=story.name, outlet=outlets.get(f["article"], f["article"]),
                    article_url=urls.get(f["article"]), finding=f, report=report_path,
                    key=key, report_url=report_url)
                for notifier in notifiers:
                    store.add_alert(db, row, notifier, payload)
        for url, got in gathered.validators:
            store.save_validators(db, story.name, url, got.validators.etag,
                                  got.validators.last_modified)
        if report_dict is not None:
            store.save_report(db, story.name, report_dict, run_id)
    crash_point("commit")
    return StoryResult(
        story.name,
        new_articles=sum(1 for _i, role in gathered.new_items if role == "article"),
        new_findings=tuple(new_findings),
        audited=report_dict is not None,
        report=report_path if report_dict is not None else None,
        problems=tuple(gathered.problems),
    )


def check_story(story: Story, config: Config, store: Store, reader: SourceReader, run_id: int,
                notifiers: Sequence[str], *, cache_path: Path | None = None) -> StoryResult:
    """Read, match, store, audit (in this process) and record alerts for one story, in one
    transaction that also keeps the story's report (:func:`ensure_report` writes its files).
    Raises :class:`AuditFailed` when the audit gives no report (nothing is stored then)."""
    gathered = gather_story(story, config, store, reader)
    report = None
    if gathered.articles is not None:
        report = _report_of(audit_gathered(gathered, cache_path))
    return record_story(gathered, config, store, run_id, notifiers, report)


# reports

STAMP = ".drift-report"  # in a story's report folder: the digest of the stored report it shows


def _html_reports() -> bool:
    try:
        from drift.html import write_html  # noqa: F401
    except ImportError:
        return False
    return True


def report_file(reports: Path, story: str) -> Path:
    """The report file alerts link to: report.html (report.json without drift.html)."""
    return reports / slug(story) / ("report.html" if _html_reports() else "report.json")


def report_link(config: Config, story: str) -> str | None:
    """The report's absolute URL under ``[alerts] report_base_url``, if set."""
    base = config.alerts.report_base_url
    if not base:
        return None
    return f"{base.rstrip('/')}/{quote(slug(story))}/{report_file(Path(), story).name}"


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_reports(report: dict[str, Any], folder: Path) -> Path:
    """Write report.json and (when drift.html is there) report.html; the path to link to."""
    json_path = folder / "report.json"
    _atomic_write(json_path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    if not _html_reports():
        log.warning("HTML report not written (no drift.html); the JSON report is %s", json_path)
        return json_path
    from drift.html import write_html

    html_path = folder / "report.html"
    tmp = folder / f".report.{os.getpid()}.html"
    write_html(report, tmp)
    os.replace(tmp, html_path)
    return html_path


def ensure_report(store: Store, reports: Path, story: str,
                  digests: Mapping[str, str] | None = None) -> Path | None:
    """Write the story's report files unless they already show its latest stored report
    (a stamp file holds the digest they were written from); None when nothing is stored.
    Raises when the files cannot be written (or rendered)."""
    digest = (digests if digests is not None else store.report_digests()).get(story)
    if digest is None:
        return None
    target = report_file(reports, story)
    stamp = target.parent / STAMP
    try:
        if target.is_file() and stamp.read_text(encoding="utf-8").strip() == digest:
            return target
    except OSError:
        pass
    report = store.report(story)
    assert report is not None
    path = write_reports(report, target.parent)
    _atomic_write(stamp, digest + "\n")  # last: a crash before it rewrites the files next time
    return path


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


def deliver(store: Store, notifiers: dict[str, Notifier],
            held: Set[str] = frozenset()) -> tuple[int, int]:
    """Send every unsent alert whose report exists; (sent, failed).

    At least once: an alert is marked sent right after its notifier returns, so a crash in
    between sends it again next pass, with the same idempotency key (the finding's stable id)
    for the receiver to drop the repeat. Alerts of the stories in ``held`` (whose report could
    not be written) and alerts whose report file is missing wait.
    """
    from drift.notify import NotifyError

    sent = failed = 0
    for alert in store.pending_alerts():
        notifier = notifiers.get(alert.notifier)
        if notifier is None:
            continue  # that notifier is no longer configured: left unsent
        if alert.story in held or not Path(str(alert.payload.get("report"))).is_file():
            log.warning("alert %d held: the report of %s is not written", alert.id, alert.story)
            continue
        try:
            notifier.send(alert.payload)
        except NotifyError as exc:
            log.warning("alert %d not sent: %s", alert.id, exc)
            store.mark_alert(alert.id, str(exc))
            failed += 1
            continue
        crash_point("sent")
        store.mark_alert(alert.id, None)
        sent += 1
    return sent, failed


def _refresh_reports(store: Store, reports: Path, stories: Sequence[str] | None = None
                     ) -> tuple[set[str], list[str]]:
    """(Re)write the reports of ``stories`` (all stored ones by default) that are missing or
    stale; (stories whose report could not be written, problems)."""
    digests = store.report_digests()
    held: set[str] = set()
    problems: list[str] = []
    for name in digests if stories is None else stories:
        try:
            ensure_report(store, reports, name, digests)
        except Exception as exc:  # a folder that cannot be written, a report that cannot render
            held.add(name)
            problems.append(f"{name}: report not written ({exc!r}); its alerts wait")
            log.exception("%s: report not written", name)
    return held, problems


# audits in workers


def worker_cache_path(store_path: Path) -> Path:
    """The translation cache of the audits a check runs in workers: a file beside the store,
    not the store itself (the store has one writer, the check's own process). Beside it, so
    that the parse and report caches, which go in the folder of an audit's ``cache_path``, are
    those of the audits the check runs in-process (whose ``cache_path`` is the store)."""
    return store_path.with_name(f"{store_path.stem}.translations.sqlite")


# Rows are copied between the store's translation cache and the workers' by their ``created``
# time: this much earlier too, for clocks that moved back a little.
SYNC_MARGIN_S = 60.0
_TRANSLATION_COLUMNS = "backend, model, revision, key, translation, created"
_INSERT_TRANSLATION = (f"INSERT OR IGNORE INTO translations ({_TRANSLATION_COLUMNS}) "
                       "VALUES (?, ?, ?, ?, ?, ?)")


def _open_side_cache(path: Path) -> sqlite3.Connection:
    from drift.translate.cache import BUSY_TIMEOUT_S, SCHEMA

    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(SCHEMA)
    return conn


def seed_worker_cache(store: Store, side: Path) -> int:
    """Copy into the workers' translation cache ``side`` the store's translations it lacks
    (those the in-process audits made since the last audits in workers), so that a story's
    audit finds the same cached translations wherever it runs; the rows copied. Only reads
    the store."""
    conn = _open_side_cache(side)
    try:
        newest = conn.execute("SELECT MAX(created) FROM translations").fetchone()[0]
        since = -1.0 if newest is None else float(newest) - SYNC_MARGIN_S
        rows = store.db.execute(
            f"SELECT {_TRANSLATION_COLUMNS} FROM translations WHERE created >= ?", (since,))
        before = conn.total_changes
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(_INSERT_TRANSLATION, (tuple(r) for r in rows))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return conn.total_changes - before
    finally:
        conn.close()


def merge_worker_cache(store: Store, side: Path, since: float) -> int:
    """Copy into the store's translation cache what the workers added to ``side`` since
    ``since`` (a ``time.time()``), in one transaction of the check's; the rows added."""
    if not side.is_file():
        return 0
    conn = _open_side_cache(side)
    try:
        rows = conn.execute(f"SELECT {_TRANSLATION_COLUMNS} FROM translations WHERE created >= ?",
                            (since - SYNC_MARGIN_S,)).fetchall()
    finally:
        conn.close()
    if not rows:
        return 0
    before = store.db.total_changes
    with store.transaction() as db:
        db.executemany(_INSERT_TRANSLATION, rows)
    return store.db.total_changes - before


def _start_worker(options: AuditOptions, quiet: bool) -> None:
    """A worker's start (the engine's ``warm``): load the models every audit uses once (a
    local engine's worker also ends with the check: ``drift.engines.local``). With ``quiet``
    (``drift watch``) the worker ignores SIGINT and SIGTERM: the check decides when to stop,
    and finishes the audits it has started. A model that cannot be loaded here is logged:
    each audit then loads it, or says why it cannot, as its own error."""
    from drift.stories import warm

    if quiet:
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        except ValueError:  # not the main thread of the worker (a cluster's worker)
            pass
    try:
        warm(options)
    except Exception:
        log.exception("worker %d: models not loaded ahead", os.getpid())


def worker_warm(*, quiet: bool = False) -> Callable[[], None]:
    """The ``warm`` of a check's engine (see :func:`_start_worker`): picklable, for workers
    started in other processes."""
    import functools

    return functools.partial(_start_worker, AuditOptions(), quiet)


def _audits(todo: Sequence[Gathered], store: Store, *, workers: int | None,
            engine: str | Engine, address: str | None, quiet: bool
            ) -> Generator[tuple[int, JobResult], None, None]:
    """Phase 2 of a pass: ``(index in todo, result)`` of every audit due, as each completes.

    One audit, or one worker: in this process, one at a time as they are asked for (the store
    is their translation cache, as before workers). Otherwise through the engine (created here
    from a name, and closed, or given), with the workers' translation cache beside the store:
    seeded from the store before, merged back into it after (the check is the store's one
    writer). A story whose engine cannot start is a result with its error."""
    path = store.path
    size = engine.workers if not isinstance(engine, str) else (workers or default_workers())
    if size <= 1 or len(todo) <= 1:
        for k, g in enumerate(todo):
            yield k, audit_gathered(g, path)
        return
    side = worker_cache_path(path)
    try:
        seed_worker_cache(store, side)
    except (sqlite3.Error, OSError) as exc:
        log.warning("the workers' translation cache %s not seeded from the store: %s", side, exc)
    started = time.time()
    runner: Engine | None = None
    try:
        try:
            runner = get_engine(engine, size, warm=worker_warm(quiet=quiet),
                                address=address) if isinstance(engine, str) else engine
        except EngineError as exc:
            for k, g in enumerate(todo):
                yield k, JobResult(g.story.name, None, f"not audited: {exc}")
            return
        jobs = []
        for g in todo:
            assert g.articles is not None
            jobs.append(AuditJob(g.story.name, audit_options(g.story, side), articles=g.articles))
        log.info("auditing %d stories in %d %s workers", len(jobs), runner.workers, runner.name)
        _pool_crash_point()
        yield from run_jobs(runner, jobs)  # closing this generator closes that one
    finally:
        if runner is not None and isinstance(engine, str):
            runner.close()
        try:
            merge_worker_cache(store, side, started)
        except (sqlite3.Error, OSError) as exc:
            log.warning("the workers' translations in %s not copied into the store: %s",
                        side, exc)


def run_check(config: Config, *, store_path: Path | None = None,
              stories: Sequence[str] | None = None,
              notifiers: dict[str, Notifier] | None = None,
              stop: Callable[[], bool] | None = None,
              workers: int | None = None, engine: str | Engine = "local",
              address: str | None = None) -> CheckResult:
    """One check pass over the stories (all by default); raises StoreBusy when another check
    holds the store past ``config.lock_timeout``, EngineError for an unknown engine name.

    Three phases: every story's sources are read, matched and compared with the store
    (:func:`gather_story`, in this process, one story after another); the stories with
    something new are audited, in ``workers`` worker processes of ``engine`` (a name of
    ``drift.engines.ENGINES``, or an engine already started, whose workers count; ``workers``
    defaults to the core count) when two or more are due and there are two or more workers,
    else here; each story is recorded (:func:`record_story`: one transaction of this process,
    the store's one writer), its report files written and its alerts sent, in the order of
    the stories, each as soon as its audit and those of the stories before it are done. The
    store and the report files are what a pass of one story after another gives.

    ``stop`` is looked at before each story is read: once it is set no story is read, and the
    stories read are audited and recorded (the pass is ``interrupted``).

    A story that fails (an error in its audit, its worker dead on every attempt, a report
    folder that cannot be written) is logged and recorded in the run row; the pass goes on
    with the next story and its status is ``failed``. Translations are cached in the store (it
    is the ``cache_path`` of in-process audits; see :func:`worker_cache_path` for workers).
    """
    if isinstance(engine, str) and engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; choose one of "
                          f"{', '.join(sorted(ENGINES))}")
    path = store_path or config.store
    chosen = [config.story(n) for n in stories] if stories else list(config.stories)
    notifiers = build_notifiers(config.alerts) if notifiers is None else notifiers
    with StoreLock(path, config.lock_timeout), Store(path) as store:
        held, problems = _refresh_reports(store, config.reports)  # a pass cut short
        sent, failed = deliver(store, notifiers, held)
        run_id = store.start_run([s.name for s in chosen])
        log.info("run %d: checking %d stories", run_id, len(chosen))
        results: list[StoryResult] = []
        status = "ok"
        reader: SourceReader | None = None
        try:
            # 1. gather, in order; a story whose reading failed is its result already
            read: list[Gathered | StoryResult] = []
            with Fetcher(config.fetch) as fetcher:
                reader = SourceReader(fetcher)
                for story in chosen:
                    if stop is not None and stop():
                        status = "interrupted"
                        break
                    try:
                        read.append(gather_story(story, config, store, reader))
                    except Exception as exc:  # one story's failure does not stop the others
                        log.exception("story %s failed", story.name)
                        read.append(StoryResult(story.name,
                                                problems=(f"{story.name}: {exc!r}",)))
            # 2. audit (in workers, as they complete), 3. record in the stories' order
            todo = [g for g in read if isinstance(g, Gathered) and g.articles is not None]
            position = {id(g): k for k, g in enumerate(todo)}
            with closing(_audits(todo, store, workers=workers, engine=engine, address=address,
                                 quiet=stop is not None)) as audits:
                completed = _Completed(audits)
                for g in read:
                    if isinstance(g, StoryResult):
                        res, ok = g, False
                    else:
                        res, ok = _record(g, config, store, run_id, list(notifiers),
                                          completed.get(position.get(id(g)), g.story.name))
                    if not ok:
                        status = "failed"
                    bad, trouble = _refresh_reports(store, config.reports, [res.story])
                    if bad:
                        held |= bad
                        status = "failed"
                        res = replace(res, report=None, problems=(*res.problems, *trouble))
                    else:
                        held.discard(res.story)
                    results.append(res)
                    problems.extend(res.problems)
                    s, fl = deliver(store, notifiers, held)
                    sent, failed = sent + s, failed + fl
                    log.info("run %d: %s: %d new articles, %d new findings", run_id,
                             res.story, res.new_articles, len(res.new_findings))
            try:
                write_index(store, config.reports)
            except OSError as exc:
                problems.append(f"reports/index.html not written: {exc}")
                log.error("index not written: %s", exc)
                status = "failed"
        except BaseException:
            store.finish_run(run_id, "failed", _counts(store, run_id, reader, sent), problems)
            raise
        if status == "ok" and problems:
            status = "partial"
        store.finish_run(run_id, status, _counts(store, run_id, reader, sent), problems)
        log.info("run %d %s: %d alerts sent", run_id, status, sent)
        return CheckResult(run_id, status, tuple(results), sent, failed, tuple(problems))


class _Completed:
    """The audits of a pass as the recording asks for them: ``get(k)`` waits for audit ``k``,
    keeping those that complete before it. An engine that stops early (an error of its own)
    leaves every audit not yet back failed with that error."""

    def __init__(self, audits: Iterator[tuple[int, JobResult]]) -> None:
        self.audits = audits
        self.done: dict[int, JobResult] = {}
        self.broken: str | None = None

    def get(self, k: int | None, story: str) -> JobResult | None:
        if k is None:
            return None
        while k not in self.done and self.broken is None:
            try:
                i, got = next(self.audits)
            except StopIteration:
                self.broken = "the engine gave no result"
            except Exception as exc:
                log.exception("the engine failed")
                self.broken = f"the engine failed: {type(exc).__name__}: {exc}"
            else:
                self.done[i] = got
        if k in self.done:
            return self.done.pop(k)
        return JobResult(story, None, f"not audited: {self.broken}")


def _record(gathered: Gathered, config: Config, store: Store, run_id: int,
            notifiers: Sequence[str], audit: JobResult | None) -> tuple[StoryResult, bool]:
    """Phase 3 of one story: (what it did, whether it completed); a failed audit or record
    stores nothing of the story and is its one problem line."""
    name = gathered.story.name
    try:
        report = _report_of(audit) if audit is not None else None
        return record_story(gathered, config, store, run_id, notifiers, report), True
    except AuditFailed as exc:
        log.error("story %s not audited: %s", name, exc)
        return StoryResult(name, problems=(*gathered.problems,
                                           f"{name}: audit failed: {exc}")), False
    except Exception as exc:  # one story's failure does not stop the others
        log.exception("story %s failed", name)
        return StoryResult(name, problems=(*gathered.problems, f"{name}: {exc!r}")), False


def _counts(store: Store, run_id: int, reader: SourceReader | None, sent: int
            ) -> dict[str, int]:
    """The run row's counts: what the run committed (from the store), fetched and sent."""
    return store.run_counts(run_id) | {"fetched": reader.fetched if reader else 0,
                                       "alerts_sent": sent}


class UnknownStory(LookupError):
    """A story name with nothing in the store."""


def story_history(store: Store, story: str) -> list[dict[str, Any]]:
    """``drift history``: the story's events; raises UnknownStory naming the stored stories."""
    names = store.story_names()
    if story not in names:
        known = ", ".join(repr(n) for n in names) or "none yet (run drift check)"
        raise UnknownStory(f"no story named {story!r} in the store; stored stories: {known}")
    return store.history(story)


def story_drifts(store: Store, story: str) -> list[dict[str, Any]]:
    """Each drift of a story: when and in which article the store first saw it, where it
    spread after (article and time, in order), and which article introduced it by publication
    time according to the story's latest report (``lineage``)."""
    from drift.store import drift_of

    report = store.report(story) or {}
    trails = {t.get("drift"): t for t in (report.get("lineage") or {}).get("drifts", [])
              if isinstance(t, dict)}
    out: dict[str, dict[str, Any]] = {}
    for f in store.findings(story=story):
        p = f["payload"]
        drift = drift_of(p)
        row = out.setdefault(drift, {
            "drift": drift, "type": p["type"], "change": f"{p.get('expected')} -> {p.get('found')}",
            "first seen": f["first_seen"], "in": f["article_key"],
            "outlet": f["outlet"] or f["source"] or "", "spread to": [],
        })
        if f["article_key"] != row["in"] and f["article_key"] not in {
                a for a, _t in row["spread to"]}:
            row["spread to"].append((f["article_key"], f["first_seen"]))
    for drift, row in out.items():
        trail = trails.get(drift) or {}
        row["introduced by"] = trail.get("introducer") or (
            "order unknown" if trail else None)
        row["spread to"] = [{"article": a, "first_seen": t} for a, t in row["spread to"]]
    return list(out.values())


# the scheduler


def next_times(config: Config, after: datetime) -> dict[str, datetime]:
    """When each story is next due after ``after`` (its cron schedule)."""
    from croniter import croniter

    return {s.name: croniter(s.schedule, after).get_next(datetime) for s in config.stories}


BUSY_RETRY_MIN = 1.0  # seconds: a pass skipped for a busy store is retried this soon at least


def watch(config: Config, *, store_path: Path | None = None, stop: threading.Event,
          run_now: bool = False, clock: Callable[[], datetime] | None = None,
          workers: int | None = None, engine: str | Engine = "local",
          address: str | None = None) -> int:
    """Run checks on each story's schedule until ``stop`` is set; the number of passes run.
    Each pass audits its stories as :func:`run_check` does with ``workers``, ``engine`` and
    ``address`` (an engine given serves every pass).

    ``stop`` is only looked at before a story is read and between passes, so a pass under way
    ends with the stories it has read audited and committed (a signal handler should just set
    it). A pass skipped
    because another check holds the store is retried after ``lock_timeout`` (at least
    ``BUSY_RETRY_MIN``); any other error is logged and the stories wait for their next time.
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
        later = None
        try:
            result = run_check(config, store_path=store_path, stories=ready, stop=stop.is_set,
                               workers=workers, engine=engine, address=address)
            log.info("pass %d (%s): %s, %d new findings, %d alerts", result.run_id,
                     ", ".join(ready), result.status, len(result.new_findings),
                     result.alerts_sent)
        except StoreBusy as exc:
            retry = max(config.lock_timeout, BUSY_RETRY_MIN)
            log.warning("pass skipped: %s; retrying in %g s", exc, retry)
            later = dict.fromkeys(ready, now() + timedelta(seconds=retry))
        except Exception:  # logged; watching goes on
            log.exception("pass (%s) failed", ", ".join(ready))
        passes += 1
        later = later or next_times(config, now())
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
