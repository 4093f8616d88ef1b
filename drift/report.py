"""Stage 7: the audit report — JSON (schema: drift/contract/findings.schema.json), a table,
Markdown."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from drift import __version__
from drift.compare import PLAIN_NAMES
from drift.records import (
    SEVERITY_RANK,
    Article,
    Finding,
    Note,
    Passage,
    ReadError,
    StoryLineage,
)


@dataclass(frozen=True, slots=True)
class AuditedArticle:
    """An article as audited: its detected language and passages."""

    article: Article
    language: str
    passages: tuple[Passage, ...]

    def source_span(self, start: int, end: int) -> list[int] | None:
        """``[start, end]`` of a cleaned-text span in the source text (``raw_of``), if known."""
        try:
            return list(self.article.source_span(start, end))
        except ValueError:  # an article without a map back (built by hand)
            return None

    def to_json(self) -> dict[str, object]:
        a = self.article
        return {
            "id": a.id,
            "source": a.source,
            "title": a.title,
            "outlet": a.outlet,
            "url": a.url,
            "date": a.date,
            "reference": a.reference,
            "language": self.language,
            "text": a.text,
            # Where ``source_span`` pairs point: the file's text ("file"), its JSON field, or the
            # text extracted from an HTML page ("extract").
            "raw_of": a.raw_of,
            "passages": [{**p.to_json(), "source_span": self.source_span(p.span.start, p.span.end)}
                         for p in self.passages],
        }


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Everything an audit found, in a stable order."""

    articles: tuple[AuditedArticle, ...]
    findings: tuple[Finding, ...]
    reference: str | None
    claims: int
    problems: tuple[ReadError, ...] = ()
    signature: dict[str, object] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()  # about the inputs: skipped files, an empty folder ...
    # Story-level lineage (drift/lineage.py): None with fewer than two articles to order.
    lineage: StoryLineage | None = None

    @property
    def mode(self) -> str:
        return "reference" if self.reference else "consensus"

    def counts(self) -> dict[str, int]:
        out = {"high": 0, "medium": 0, "low": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out

    @staticmethod
    def _finding_json(f: Finding, by_id: dict[str, AuditedArticle]) -> dict[str, object]:
        art = by_id.get(f.article)
        return {**f.to_json(),
                "source_span": art.source_span(f.span.start, f.span.end) if art else None}

    def to_dict(self) -> dict[str, object]:
        passages = [p for a in self.articles for p in a.passages]
        by_id = {a.article.id: a for a in self.articles}
        out: dict[str, object] = {
            "schema_version": "1",
            "tool": {"name": "drift", "version": __version__},
            "signature": self.signature,
            "reference": self.reference,
            "mode": self.mode,
            "articles": [a.to_json() for a in self.articles],
            "findings": [self._finding_json(f, by_id) for f in self.findings],
            "problems": [{"source": p.source, "message": p.message} for p in self.problems],
            "notes": [{"source": n.source, "message": n.message, "level": n.level}
                      for n in self.notes],
            "summary": {
                "articles": len(self.articles),
                "passages": len(passages),
                "translated": sum(1 for p in passages if p.translation is not None),
                "claims": self.claims,
                "findings": self.counts(),
            },
        }
        if self.lineage is not None:
            out["lineage"] = self.lineage.to_json()
        return out

    def to_json(self) -> str:
        """Byte-identical for identical inputs: fixed key order, rounded floats, no timestamps."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def at_least(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[severity]]


def lineage_text(f: Finding) -> str | None:
    """Where the finding's drift came from among the articles, in one line (None: only this
    article carries it)."""
    lin = f.lineage
    if lin is None:
        return None

    def name(article: str) -> str:
        return "this article" if article == f.article else article

    parts = []
    if lin.introducer is not None:
        when = f" ({lin.introducer.time})" if lin.introducer.time else ""
        parts.append(f"introduced by {name(lin.introducer.article)}{when}")
    else:
        parts.append("order unknown (no carrier is known to come first)")
    if lin.repeaters:
        parts.append("repeated by " + ", ".join(
            name(c.article) + (f" (copied from {c.peer})" if c.peer else "")
            for c in lin.repeaters))
    if lin.unordered:
        parts.append("carried without a known order by " + ", ".join(
            name(c.article) + (f" (reads like {c.peer})" if c.peer else "")
            for c in lin.unordered))
    return "; ".join(parts)


def provenance_line(f: Finding) -> str | None:
    """The finding's lineage and origin in one line, when it has either."""
    parts = []
    if (lin := lineage_text(f)) is not None:
        parts.append(f"lineage: {lin}")
    if f.origin is not None:
        parts.append(f"origin: {f.origin.value}" + (
            " (the change appears only in drift's translation)"
            if f.origin.value == "translation" else ""))
    return " · ".join(parts) or None


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def grouped(findings: Sequence[Finding], order: Sequence[str]) -> list[tuple[str, list[Finding]]]:
    """Findings by article (in set order), highest severity first within each."""
    out = []
    for art in order:
        fs = [f for f in findings if f.article == art]
        if fs:
            fs.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.span.start, f.type))
            out.append((art, fs))
    return out


def to_markdown(report: AuditReport) -> str:
    """A summary ready to paste into an email or a chat."""
    c = report.counts()
    lines = [
        f"**drift audit**: {len(report.articles)} articles, "
        + (
            f"compared with the reference `{report.reference}`"
            if report.reference
            else "compared with the consensus of the set (no reference given)"
        )
        + f". Findings: {c['high']} high, {c['medium']} medium, {c['low']} low.",
        "",
    ]
    order = [a.article.id for a in report.articles]
    for art, fs in grouped(report.findings, order):
        lines.append(f"### {art}")
        for f in fs:
            ev = (
                f" (evidence: {', '.join(sorted({e.article for e in f.evidence}))})"
                if f.evidence
                else ""
            )
            lines.append(
                f"- **{f.severity.upper()}** {PLAIN_NAMES[f.type]}: "
                f"“{_short(f.span.text, 160)}”  \n"
                f"  expected: {f.expected or '—'}; found: {f.found or '—'}. {f.explanation}{ev}"
            )
            if (line := provenance_line(f)) is not None:
                lines[-1] += f"  \n  {line}"
        lines.append("")
    if not report.findings:
        lines.append("No drift found.")
    return "\n".join(lines).rstrip() + "\n"


# Below this terminal width the five columns of the table are too narrow to read (an 80-column
# pipe showed "sev…" and "re…"): each finding is printed as a short block instead.
TABLE_MIN_WIDTH = 110


def print_table(report: AuditReport, width: int | None = None) -> None:
    """Findings grouped by article, highest severity first (rich table on stdout; a list of
    blocks on narrow terminals)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    # Article text, ids and values are data, never rich markup: "[/b]" or "[bold]" in an article
    # must print as written (and not raise MarkupError), so they go in as Text or escaped.
    console = Console(width=width) if width else Console()
    c = report.counts()
    mode = (
        f"reference: {escape(report.reference)}"
        if report.reference
        else "consensus of the set (no reference)"
    )
    console.print(
        f"[bold]drift audit[/bold] — {len(report.articles)} articles, {mode}; "
        f"findings: {c['high']} high, {c['medium']} medium, {c['low']} low"
    )
    order = [a.article.id for a in report.articles]
    narrow = console.width < TABLE_MIN_WIDTH
    for art, fs in grouped(report.findings, order):
        if narrow:
            console.print(Text(f"\n{art}", style="bold underline"))
            for f in fs:
                evidence = ", ".join(sorted({e.article for e in f.evidence})) or "—"
                console.print(Text.assemble((f.severity.upper(), "bold"), "  ",
                                            PLAIN_NAMES[f.type], f"  (evidence: {evidence})"))
                console.print(Text(f"  “{_short(f.span.text, 200)}”"))
                console.print(Text(f"  expected: {_short(f.expected or '—', 80)} → found: "
                                   f"{_short(f.found or '—', 80)}"))
                if (line := provenance_line(f)) is not None:
                    console.print(Text(f"  {line}"))
            continue
        table = Table(title=Text(art), show_lines=True, expand=True)
        for col, ratio in (
            ("severity", 1),
            ("type", 2),
            ("span", 5),
            ("expected → found", 4),
            ("evidence", 1),
        ):
            table.add_column(col, ratio=ratio, min_width=8 if col in {"severity", "evidence"}
                             else None)
        for f in fs:
            change = Text(f"{_short(f.expected or '—', 80)} → {_short(f.found or '—', 80)}")
            if (line := provenance_line(f)) is not None:
                change.append(f"\n{line}", style="dim")
            table.add_row(
                f.severity,
                PLAIN_NAMES[f.type],
                Text(_short(f.span.text, 200)),
                change,
                Text(", ".join(sorted({e.article for e in f.evidence})) or "—"),
            )
        console.print(table)
