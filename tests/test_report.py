"""The report layer: Markdown, the rich table, severity filtering and the summary, on reports
built by hand (own sentences) and on the real seed audit."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import need_apertium

from drift.core import audit
from drift.records import Article, Evidence, Finding, Passage, Span, Translation
from drift.report import AuditedArticle, AuditReport, grouped, print_table, to_markdown

REF_TEXT = "The ferry to Kelso Island carried 85 passengers on Sunday, the operator said."
A_TEXT = ("The ferry to Kelso Island carried 58 passengers on Sunday. "
          "The crew allegedly ignored a storm warning. "
          "The operator will not comment, a spokesman said.")
B_TEXT = "Un portavoz dijo que el barco salió tarde. The ferry left on Saturday."


def article(id_: str, text: str, reference: bool = False) -> Article:
    return Article(id=id_, source=f"{id_}.txt", text=text, raw=text, reference=reference)


def span_of(text: str, needle: str) -> Span:
    at = text.index(needle)
    return Span.of(text, at, at + len(needle))


def finding(id_: str, type_: str, severity: str, art: str, text: str, needle: str,
            evidence: tuple[Evidence, ...] = ()) -> Finding:
    return Finding(id=id_, type=type_, severity=severity, confidence=0.8,  # type: ignore[arg-type]
                   article=art, span=span_of(text, needle), evidence=evidence,
                   expected="x", found="y", explanation="An explanation of the drift.")


def make_report(reference: str | None = "ref") -> AuditReport:
    ref, a, b = article("ref", REF_TEXT, True), article("a", A_TEXT), article("b", B_TEXT)
    spanish = span_of(B_TEXT, "Un portavoz dijo que el barco salió tarde.")
    passages = (Passage("b", spanish, "es", 0.97, translation=Translation(
        "A spokesman said that the boat left late.", "apertium", "spa-eng")),)
    ev = (Evidence("ref", span_of(REF_TEXT, REF_TEXT), "contradicts"),)
    findings = (
        # In text order: a low finding first, the high ones later, so the grouping must re-sort.
        finding("f1", "unsupported_addition", "low", "a", A_TEXT,
                "The crew allegedly ignored a storm warning."),
        finding("f2", "number_change", "high", "a", A_TEXT,
                "The ferry to Kelso Island carried 58 passengers on Sunday.", ev),
        finding("f3", "polarity_flip", "high", "a", A_TEXT,
                "The operator will not comment, a spokesman said."),
        finding("f4", "date_change", "medium", "b", B_TEXT, "The ferry left on Saturday."),
    )
    arts = (AuditedArticle(ref, "en", ()), AuditedArticle(a, "en", ()),
            AuditedArticle(b, "en", passages))
    return AuditReport(arts, findings, reference, claims=7)


def section(markdown: str, art: str) -> str:
    match = re.search(rf"^### {art}\n(.*?)(?=^### |\Z)", markdown, flags=re.M | re.S)
    assert match, markdown
    return match.group(1)


def test_markdown_groups_by_article_highest_severity_first() -> None:
    md = to_markdown(make_report())
    assert md.startswith("**drift audit**: 3 articles, compared with the reference `ref`.")
    assert "Findings: 2 high, 1 medium, 1 low." in md
    assert md.index("### a") < md.index("### b")
    assert "### ref" not in md, "an article without findings gets no section"
    a = section(md, "a")
    severities = re.findall(r"\*\*(HIGH|MEDIUM|LOW)\*\*", a)
    assert severities == ["HIGH", "HIGH", "LOW"]
    assert a.index("Number changed") < a.index("Negation flipped") < a.index("Unsupported addition")
    assert "(evidence: ref)" in a
    assert re.findall(r"\*\*(HIGH|MEDIUM|LOW)\*\* (.+?):", section(md, "b")) == [
        ("MEDIUM", "Date changed")]


def test_markdown_in_consensus_mode_says_so() -> None:
    md = to_markdown(make_report(reference=None))
    assert "compared with the consensus" in md
    assert "compared with the reference" not in md


def test_markdown_without_findings() -> None:
    report = make_report()
    empty = AuditReport(report.articles, (), "ref", claims=7)
    md = to_markdown(empty)
    assert "No drift found." in md
    assert "###" not in md
    assert "Findings: 0 high, 0 medium, 0 low." in md


def test_grouped_keeps_article_order() -> None:
    report = make_report()
    groups = grouped(report.findings, ["b", "a", "ref"])
    assert [art for art, _ in groups] == ["b", "a"]
    assert [f.id for f in groups[1][1]] == ["f2", "f3", "f1"]


def test_at_least_filters_by_severity() -> None:
    report = make_report()
    assert [f.id for f in report.at_least("low")] == ["f1", "f2", "f3", "f4"]
    assert [f.id for f in report.at_least("medium")] == ["f2", "f3", "f4"]
    assert [f.id for f in report.at_least("high")] == ["f2", "f3"]


def test_summary_counts_match_the_findings() -> None:
    report = make_report()
    data = json.loads(report.to_json())
    by_severity = Counter(f["severity"] for f in data["findings"])
    assert data["summary"] == {
        "articles": 3, "passages": 1, "translated": 1, "claims": 7,
        "findings": {"high": by_severity["high"], "medium": by_severity["medium"],
                     "low": by_severity["low"]},
    }
    assert data["summary"]["findings"] == {"high": 2, "medium": 1, "low": 1}
    assert report.counts() == data["summary"]["findings"]
    assert data["mode"] == "reference" and data["reference"] == "ref"


def test_json_is_stable_and_keeps_non_ascii() -> None:
    one, two = make_report().to_json(), make_report().to_json()
    assert one == two
    assert one.endswith("}\n")
    assert "salió" in one
    data = json.loads(one)
    for f in data["findings"]:
        text = next(a["text"] for a in data["articles"] if a["id"] == f["article"])
        assert text[f["span"]["start"] : f["span"]["end"]] == f["span"]["text"]


def test_print_table_lists_articles_and_plain_type_names(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("NO_COLOR", "1")
    print_table(make_report(reference=None))
    out = capsys.readouterr().out
    assert "consensus of the set" in out
    assert "findings: 2 high, 1 medium, 1 low" in out
    for name in ("Number changed", "Negation flipped", "Unsupported addition", "Date changed"):
        assert name in out
    for code in ("number_change", "polarity_flip", "unsupported_addition", "date_change"):
        assert code not in out
    # One table per article with findings, titled with the article id, in set order.
    titles = [line.strip() for line in out.splitlines() if line.strip() in {"a", "b", "ref"}]
    assert titles == ["a", "b"]
    at = [out.index(name) for name in ("Number changed", "Unsupported addition", "Date changed")]
    assert at == sorted(at)


def test_print_table_on_a_narrow_terminal_prints_whole_values(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    print_table(make_report(), width=80)
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    # No column squeezed to "sev…" or "re…": severities, types and evidence print in full.
    assert "HIGH  Number changed  (evidence: ref)" in out
    assert "MEDIUM  Date changed  (evidence: —)" in out
    assert "expected: x → found: y" in out
    assert "…" not in out.replace("“", "").split("expected")[0].splitlines()[1]
    print_table(make_report(), width=160)
    wide = capsys.readouterr().out
    assert "severity" in wide and "expected → found" in wide  # the table


def test_json_carries_source_offsets(tmp_path: Path) -> None:
    text = "Home / World / Ports\n\nThe ferry to Kelso carried 58 passengers on Sunday.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "ref.txt").write_text("The ferry to Kelso carried 85 passengers on Sunday.\n",
                                      encoding="utf-8")
    report = audit([tmp_path], reference=tmp_path / "ref.txt", translator="identity",
                   use_cache=False)
    data = json.loads(report.to_json())
    [f] = [f for f in data["findings"] if f["article"] == "a"]
    start, end = f["source_span"]
    assert text[start:end] == f["span"]["text"], "the span maps back into the file"
    assert start > 0, "past the breadcrumb the cleaner removed"
    assert next(a for a in data["articles"] if a["id"] == "a")["raw_of"] == "file"


@pytest.fixture(scope="module")
def seeds_report(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> AuditReport:
    need_apertium("es")
    cache = tmp_path_factory.mktemp("report-seeds") / "t.sqlite"
    return audit([seeds_dir], reference=seeds_dir / "reference.txt", translator="apertium",
                 cache_path=cache)


def test_print_table_on_the_seeds(
    seeds_report: AuditReport, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("NO_COLOR", "1")
    print_table(seeds_report)
    out = capsys.readouterr().out
    assert "Actor changed" in out
    lines = [line.strip() for line in out.splitlines()]
    for art in {f.article for f in seeds_report.findings}:
        assert art in lines, f"no table titled {art}"
    assert "reference" not in lines, "the reference has no findings, so no table"
    c = seeds_report.counts()
    assert f"findings: {c['high']} high, {c['medium']} medium, {c['low']} low" in out


def test_markdown_on_the_seeds(seeds_report: AuditReport) -> None:
    md = to_markdown(seeds_report)
    arts = [a.article.id for a in seeds_report.articles]
    headers = re.findall(r"^### (\S+)$", md, flags=re.M)
    assert headers == [a for a in arts if any(f.article == a for f in seeds_report.findings)]
    for art in headers:
        ranks = [["LOW", "MEDIUM", "HIGH"].index(s)
                 for s in re.findall(r"\*\*(HIGH|MEDIUM|LOW)\*\*", section(md, art))]
        assert ranks == sorted(ranks, reverse=True), art
    assert md.count("\n- **") == len(seeds_report.findings)


def test_print_table_prints_brackets_in_article_text_verbatim(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Article text is data, not rich markup: a stray closing tag used to raise MarkupError and
    # "[bold]" was swallowed as styling.
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("NO_COLOR", "1")
    text = "The pier [Harbour Desk] reopened [/b] with 40 [bold]cranes[/bold] on Monday."
    art = article("pier[1]", text)
    report = AuditReport((AuditedArticle(art, "en", ()),),
                         (finding("f", "number_change", "high", "pier[1]", text, text),),
                         "ref[/i]", claims=1)
    print_table(report)
    out = capsys.readouterr().out
    assert text in out
    assert "reference: ref[/i]" in out
    assert "pier[1]" in [line.strip() for line in out.splitlines()]
