"""Lineage (drift/lineage.py): the order of articles in time, the carriers of a drift, its
introducer and repeaters, copy evidence and the story's copy edges.

The sets in benchmarks/sets/lineage (fictional, the project's own words) are audited once each
and checked against their ``lineage.json``; the seeds are checked for what the data allows (no
dates: the "extradited" findings name no introducer). The rest are unit tests on records built
by hand: no timed assertions anywhere.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import need_apertium

from drift.lineage import (
    COPY_BAR,
    article_time,
    drift_key,
    english_view,
    overlap,
    parse_time,
    precedes,
    root,
    tokens,
    trace,
    wording,
)
from drift.records import Article, Evidence, Finding, Piece, Span
from drift.segment import segment

SETS = Path(__file__).resolve().parents[1] / "benchmarks" / "sets" / "lineage"
STORIES = sorted(p.name for p in SETS.iterdir() if (p / "lineage.json").is_file())


# --- time --------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "text"), [
    ("2026-03-03T09:15:00Z", "2026-03-03T09:15:00+00:00"),
    ("2026-03-03T15:05:00+01:00", "2026-03-03T14:05:00+00:00"),
    ("2026-03-03 11:40", "2026-03-03T11:40:00+00:00"),
    ("Tue, 03 Mar 2026 17:30:00 GMT", "2026-03-03T17:30:00+00:00"),
    ("2026-03-04", "2026-03-04"),
    ("March 4, 2026", "2026-03-04"),
])
def test_times_are_read_from_every_format_drift_ingests(value: str, text: str) -> None:
    parsed = parse_time(value)
    assert parsed is not None and parsed[2] == text


@pytest.mark.parametrize("value", [None, "", "   ", "soon", "last Tuesday", "2026-13-45"])
def test_what_is_no_time_is_none(value: str | None) -> None:
    assert parse_time(value) is None


def _article(id_: str, text: str = "Text.", date: str | None = None, seen: str | None = None,
             reference: bool = False) -> Article:
    return Article(id_, f"{id_}.md", text, text, (Piece(0, 0, len(text)),), date=date,
                   seen=seen, reference=reference)


def test_a_day_is_not_ordered_against_a_time_of_that_day() -> None:
    times = {a.id: article_time(a) for a in [
        _article("morning", date="2026-03-03T09:00:00Z"), _article("day", date="2026-03-03"),
        _article("next", date="2026-03-04"), _article("undated")]}
    assert not precedes(times, "morning", "day") and not precedes(times, "day", "morning")
    assert precedes(times, "morning", "next") and precedes(times, "day", "next")
    assert not precedes(times, "undated", "next") and not precedes(times, "next", "undated")


def test_the_date_comes_before_first_seen_in_the_store() -> None:
    dated = article_time(_article("a", date="2026-03-03", seen="2026-05-01T00:00:00+00:00"))
    seen = article_time(_article("b", seen="2026-05-01T08:00:00+00:00"))
    assert dated is not None and dated.source == "date" and dated.text == "2026-03-03"
    assert seen is not None and seen.source == "seen"


# --- words and copy evidence ---------------------------------------------------------------


def test_roots_meet_across_inflections_and_numbers_across_separators() -> None:
    assert root("extradited") == root("extradition") == root("extradite")
    assert root("transferred") == root("transfer")
    assert [t.word for t in tokens("2,100 and 2.100, 8.2 and 8,2")] == \
        ["2100", "and", "2100", "8.2", "and", "8.2"]


def _view(text: str) -> Any:
    art = _article("x", text)
    return english_view(art, segment(text), ())


def test_shared_wording_beyond_the_reference_is_copy_evidence() -> None:
    ref = _view("Officers seized 340 drums of pesticide at the port on Tuesday.")
    one = _view("Officers found 430 drums of fake crop spray in a pre-dawn sweep of the "
                "container terminal on Tuesday.")
    copy = _view("Officers found 430 drums of fake crop spray at the port in a pre-dawn sweep "
                 "of the container terminal.")
    own = _view("Officers at the port seized 430 drums of pesticide on Tuesday, the office said.")
    views = {"ref": ref, "one": one, "copy": copy, "own": own}
    words = wording(views, ["one", "copy", "own"], "ref")
    changed = frozenset({"430"})
    copied = overlap(copy.toks, one.toks, words, changed, copy.text)
    alone = overlap(own.toks, one.toks, words, changed, own.text)
    assert copied.score >= COPY_BAR > alone.score
    assert copied.shared is not None and "pre-dawn sweep of the container terminal" in \
        copied.shared


# --- the stage on hand-built findings ------------------------------------------------------


def _finding(article: Article, phrase: str, found: str, ref: Article | None = None,
             ref_phrase: str = "") -> Finding:
    start = article.text.index(phrase)
    evidence: tuple[Evidence, ...] = ()
    if ref is not None:
        rs = ref.text.index(ref_phrase)
        evidence = (Evidence(ref.id, ref.span(rs, rs + len(ref_phrase)), "contradicts"),)
    return Finding(f"{article.id}-{found}", "number_change", "high", 0.9, article.id,
                   article.span(start, start + len(phrase)), evidence, "340 drums", found,
                   "The article gives another figure.")


def _trace(articles: list[Article], findings: list[Finding]) -> Any:
    return trace(findings, articles, {a.id: segment(a.text) for a in articles}, {}, {})


def test_introducer_repeaters_and_the_unordered() -> None:
    ref = _article("ref", "Officers seized 340 drums at the port.", reference=True)
    text = "Officers found 430 drums of crop spray in a pre-dawn sweep of the terminal."
    a = _article("a", text, date="2026-03-03T09:00:00Z")
    b = _article("b", text.replace("Officers", "Agents"), date="2026-03-03T12:00:00Z")
    c = _article("c", text, seen="2026-03-03T10:00:00Z")  # first seen by drift check
    d = _article("d", text)  # no time at all
    arts = [ref, d, c, b, a]
    findings = [_finding(x, x.text.split(".")[0], "430 drums", ref, ref.text[:-1])
                for x in arts[1:]]
    out, story = _trace(arts, findings)
    lin = out[0].lineage
    assert lin is not None and all(f.lineage == lin for f in out)
    assert lin.introducer is not None and lin.introducer.article == "a"
    assert [c.article for c in lin.repeaters] == ["c", "b"]  # in time order
    assert [c.article for c in lin.unordered] == ["d"] and lin.order == "partial"
    assert lin.introducer.finding == "a-430 drums"
    assert story is not None and [d.article for d in story.timeline] == ["a", "c", "b", "d"]
    assert [(d.source) for d in story.timeline] == ["date", "seen", "date", None]
    assert story.trails[0].drift == drift_key("number_change", "340 drums", "430 drums")


def test_a_drift_one_article_carries_gets_no_lineage_and_the_json_is_unchanged() -> None:
    ref = _article("ref", "Officers seized 340 drums at the port.", reference=True)
    a = _article("a", "Officers seized 430 drums at the port.", date="2026-03-03")
    b = _article("b", "Officers seized 340 drums at the port.", date="2026-03-04")
    f = _finding(a, a.text, "430 drums", ref, ref.text)
    out, story = _trace([ref, a, b], [f])
    assert out == [f] and out[0].to_json() == f.to_json()
    assert "lineage" not in out[0].to_json() and "origin" not in out[0].to_json()
    assert story is not None and story.trails == () and story.edges == ()


def test_fewer_than_two_articles_beside_the_reference_have_no_lineage() -> None:
    ref = _article("ref", "Officers seized 340 drums.", reference=True)
    a = _article("a", "Officers seized 430 drums.")
    f = _finding(a, a.text, "430 drums", ref, ref.text)
    assert _trace([ref, a], [f]) == ([f], None)


def test_a_tie_for_the_earliest_names_no_introducer() -> None:
    ref = _article("ref", "Officers seized 340 drums.", reference=True)
    arts = [ref] + [_article(x, "Officers seized 430 drums.", date="2026-03-03")
                    for x in ("a", "b")]
    findings = [_finding(x, x.text, "430 drums", ref, ref.text) for x in arts[1:]]
    lin = _trace(arts, findings)[0][0].lineage
    assert lin.introducer is None and lin.order == "unknown"
    assert sorted(c.article for c in lin.unordered) == ["a", "b"]


# --- the lineage sets ----------------------------------------------------------------------


def _labels(story: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SETS / story / "lineage.json").read_text())
    return data


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Each lineage set audited once (the Spanish article through Apertium)."""
    from drift.core import audit

    need_apertium("es")
    cache = tmp_path_factory.mktemp("lineage-cache") / "translations.sqlite"
    out = {}
    for story in STORIES:
        labels = _labels(story)
        ref = labels["reference"]
        folder = SETS / story
        report = audit([folder], reference=folder / ref if ref else None,
                       translator="apertium", cache_path=cache)
        assert report.to_json() == report.to_json()  # deterministic
        out[story] = json.loads(report.to_json())
    return out


def _trail(report: dict[str, Any], drift: dict[str, Any]) -> dict[str, Any]:
    found = [t for t in report["lineage"]["drifts"] if t["type"] == drift["type"]
             and drift["found"].lower() in (t["found"] or "").lower()]
    assert len(found) == 1, (drift, report["lineage"]["drifts"])
    return found[0]


@pytest.mark.parametrize("story", STORIES)
def test_every_drift_has_the_right_introducer_and_repeaters(
        audited: dict[str, dict[str, Any]], story: str) -> None:
    report, labels = audited[story], _labels(story)
    assert [d["article"] for d in report["lineage"]["timeline"]] == labels["timeline"]
    assert len(report["lineage"]["drifts"]) == len(labels["drifts"])
    by_id = {f["id"]: f for f in report["findings"]}
    for drift in labels["drifts"]:
        trail = _trail(report, drift)
        assert trail["introducer"] == drift["introducer"], drift
        assert trail["repeaters"] == drift["repeaters"], drift
        assert sorted(trail["unordered"]) == sorted(drift["unordered"]), drift
        assert trail["order"] == ("unknown" if drift["introducer"] is None else
                                  "partial" if drift["unordered"] else "known")
        assert trail["findings"], drift
        for fid in trail["findings"]:  # every finding of the drift names the same lineage
            lin = by_id[fid]["lineage"]
            assert lin["drift"] == trail["drift"]
            assert {c["article"]: c["copied_from"] for c in lin["repeaters"]} == \
                drift["copied_from"]
            assert {c["article"]: c["shares_with"] for c in lin["unordered"]} == \
                drift.get("shares_with", {})
            for c in lin["repeaters"]:
                if c["copied_from"]:
                    assert c["copy_score"] >= 0.18 and c["shared"]
    for alone in labels["alone"]:
        mine = [f for f in report["findings"] if f["article"] == alone["article"]
                and f["type"] == alone["type"]]
        assert mine and all("lineage" not in f for f in mine)


@pytest.mark.parametrize("story", STORIES)
def test_copy_edges_and_none_between_articles_sharing_only_the_reference(
        audited: dict[str, dict[str, Any]], story: str) -> None:
    report, labels = audited[story], _labels(story)
    edges = report["lineage"]["edges"]
    assert sorted([e["from"], e["to"]] for e in edges if e["directed"]) == \
        sorted(labels["edges"])
    assert sorted(sorted([e["from"], e["to"]]) for e in edges if not e["directed"]) == \
        sorted(sorted(p) for p in labels["undirected"])
    for art in labels["isolated"]:
        assert all(art not in (e["from"], e["to"]) for e in edges), art


def test_the_lineage_reports_validate_and_print_one_line_per_finding(
        audited: dict[str, dict[str, Any]]) -> None:
    import jsonschema

    from drift.contract import schema

    for report in audited.values():
        jsonschema.validate(report, schema())
    from drift.core import audit
    from drift.report import to_markdown

    folder = SETS / "l3-cycle-lane"
    rep = audit([folder], reference=folder / "reference.md", translator="identity",
                use_cache=False)
    md = to_markdown(rep)
    assert md.count("lineage: order unknown") == len([f for f in rep.findings if f.lineage])
    assert "carried without a known order by this article (reads like c2)" in md


def test_lineage_tables_in_narrow_and_wide_terminals(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    from drift.core import audit
    from drift.report import print_table

    folder = SETS / "l3-cycle-lane"
    rep = audit([folder], reference=folder / "reference.md", translator="identity",
                use_cache=False)
    print_table(rep, width=80)
    narrow = capsys.readouterr().out
    assert narrow.count("lineage: order unknown") == 3
    print_table(rep, width=160)
    assert "lineage: order" in capsys.readouterr().out


# --- the seeds -----------------------------------------------------------------------------


def test_the_seeds_extradited_drift_names_one_introducer_or_an_unknown_order(
        seeds_dir: Path) -> None:
    from drift.core import audit

    need_apertium("es")
    report = audit([seeds_dir], reference=seeds_dir / "reference.txt", translator="apertium",
                   use_cache=False)
    extradited = [f for f in report.findings if f.found == "extradite"]
    assert {f.article[:3] for f in extradited} == {"000", "001", "004"}
    lin = extradited[0].lineage
    assert lin is not None and all(f.lineage == lin for f in extradited)
    carriers = {c.article[:3] for c in lin.carriers}
    assert carriers == {"000", "001", "004"}
    # The seed articles carry no date: the order is unknown, and drift says so.
    assert lin.introducer is None and lin.order == "unknown"
    assert report.lineage is not None and all(d.time is None for d in report.lineage.timeline)


# --- drift check: first seen, and drift history --------------------------------------------


def test_history_shows_where_each_drift_first_appeared_and_spread(tmp_path: Path) -> None:
    from drift.store import Store
    from drift.watch import story_drifts, story_history

    with Store(tmp_path / "drift.sqlite") as st:
        run = st.start_run(["s"])
        finding = {"id": "x", "type": "number_change", "article": "a", "expected": "340",
                   "found": "430", "severity": "high", "span": {"text": "430"}}
        with st.transaction() as db:
            for key in ("a", "b"):
                st.add_article(db, story="s", key=key, role="article", source=key, guid=None,
                               content_hash=key, article=_article(key), run_id=run)
            st.add_finding(db, story="s", drift_key="k1", finding=finding, article_key="a",
                           version=1, run_id=run)
            st.add_finding(db, story="s", drift_key="k2", finding=finding | {"article": "b"},
                           article_key="b", version=1, run_id=run)
            st.save_report(db, "s", {"lineage": {"drifts": [
                {"drift": drift_key("number_change", "340", "430"), "introducer": "b"}]}}, run)
        assert set(st.first_seen("s")) == {"a", "b"}
        events = [e for e in story_history(st, "s") if e["event"].startswith(("finding",
                                                                              "spread"))]
        assert [e["event"] for e in events] == ["finding high", "spread high"]
        assert "first seen in a" in events[1]["detail"]
        assert events[0]["drift"] == events[1]["drift"]
        (drift,) = story_drifts(st, "s")
        assert drift["in"] == "a" and [s["article"] for s in drift["spread to"]] == ["b"]
        assert drift["introduced by"] == "b"  # by publication time, from the report


def test_the_store_keeps_articles_without_the_seen_field(tmp_path: Path) -> None:
    """Articles stored before ``seen`` existed read back (the field defaults to None)."""
    from drift.store import article_from_json, article_to_json

    data = json.loads(article_to_json(_article("a")))
    del data["seen"]
    assert article_from_json(json.dumps(data)).seen is None
    art = replace(_article("a"), seen="2026-03-03T10:00:00+00:00")
    assert article_from_json(article_to_json(art)) == art


def test_spans_of_carriers_point_into_their_articles() -> None:
    ref = _article("ref", "Officers seized 340 drums.", reference=True)
    a = _article("a", "Officers seized 430 drums.", date="2026-03-03")
    b = _article("b", "Officers seized 430 drums.", date="2026-03-04")
    out, _story = _trace([ref, a, b], [_finding(x, x.text, "430 drums", ref, ref.text)
                                       for x in (a, b)])
    for f in out:
        art = {"a": a, "b": b}[f.article]
        assert f.span == Span.of(art.text, f.span.start, f.span.end)
