"""Incremental audits: a set audited again after a change reuses each unchanged article's stage
results (``drift.cache.StageCache``), and its report is byte for byte the report of a fresh,
uncached audit of the changed set, with and without a reference."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_audit import make_set, write_article

from drift import core

N = 7  # articles in the generated set: small enough to audit in about a second
FIRST = "gen-00000.md"
Change = Callable[[Path, Path], None]


def _added(articles: Path, reference: Path) -> None:
    write_article(articles, N)


def _edited(articles: Path, reference: Path) -> None:
    # A figure changed and a sentence added: another article's claims and comparisons.
    path = articles / "gen-00003.md"
    text = path.read_text(encoding="utf-8").replace("1,400", "1,700", 1)
    path.write_text(text + "\nThe port authority said 12 cranes stood idle on Tuesday.\n",
                    encoding="utf-8")


def _removed(articles: Path, reference: Path) -> None:
    (articles / "gen-00002.md").unlink()


def _reference_edited(articles: Path, reference: Path) -> None:
    text = reference.read_text(encoding="utf-8")
    reference.write_text(text.replace("1,400", "1,500").replace("60", "70"), encoding="utf-8")


CHANGES: dict[str, Change] = {"added": _added, "edited": _edited, "removed": _removed,
                              "reference edited": _reference_edited}


def _audit(folder: Path, with_reference: bool, *, cache: Path | None, judge: str = "off") -> Any:
    reference = folder / "reference.md" if with_reference else None
    return core.audit([folder / "articles"], reference=reference, translator="identity",
                      cache_path=cache / "translations.sqlite" if cache else None,
                      use_cache=cache is not None, judge=judge)


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[bool], Path]]:
    """A generated set with the caches of its first audit, per mode (made once per module;
    each test works on a copy)."""
    made: dict[bool, Path] = {}

    def get(with_reference: bool) -> Path:
        if with_reference not in made:
            folder = tmp_path_factory.mktemp("reference" if with_reference else "consensus")
            make_set(N, folder)
            _audit(folder, with_reference, cache=folder / "cache")
            made[with_reference] = folder
        return made[with_reference]

    yield get


class Spy:
    """Counts the calls of a function of ``drift.core`` (and passes them on)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
        self.calls = 0
        real = getattr(core, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(core, name, counted)


@pytest.mark.parametrize("with_reference", [True, False], ids=["reference", "consensus"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_incremental_rerun_equals_a_fresh_audit(
        audited: Callable[[bool], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        change: str, with_reference: bool) -> None:
    folder = tmp_path / "set"
    shutil.copytree(audited(with_reference), folder)
    CHANGES[change](folder / "articles", folder / "reference.md")
    compared = Spy(monkeypatch, "_compare_article")
    again = _audit(folder, with_reference, cache=folder / "cache")
    reused = compared.calls
    fresh = _audit(folder, with_reference, cache=None)
    assert again.to_json() == fresh.to_json()
    assert again.findings, "the generated set has drifts to find"
    if with_reference:
        derivatives = len(again.articles) - 1
        if change == "reference edited":
            assert reused == derivatives  # every comparison rests on the reference
        else:
            assert reused < derivatives  # unchanged articles' comparisons were reused
        assert compared.calls - reused == derivatives  # the fresh audit compared them all


def test_only_the_new_article_is_parsed_and_compared(
        audited: Callable[[bool], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drift import cache

    folder = tmp_path / "set"
    shutil.copytree(audited(True), folder)
    path = write_article(folder / "articles", N)
    parsed: list[str] = []
    real = cache.parse_docs

    def counted(nlp: Any, texts: Any, *args: Any, **kwargs: Any) -> Any:
        parsed.extend(texts)
        return real(nlp, texts, *args, **kwargs)

    monkeypatch.setattr(cache, "parse_docs", counted)
    compared = Spy(monkeypatch, "_compare_article")
    _audit(folder, True, cache=folder / "cache")
    text = path.read_text(encoding="utf-8")
    assert parsed and all(t in text for t in parsed)
    assert compared.calls < N  # the new article, and those whose comparisons read the whole set


def test_the_default_judge_gives_the_same_report_incrementally(
        audited: Callable[[bool], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drift.judge import weights_dir

    if weights_dir() is None:
        pytest.skip("the learned judge's weights are not installed")
    folder = tmp_path / "set"
    shutil.copytree(audited(True), folder)
    _audit(folder, True, cache=folder / "cache", judge="auto")
    write_article(folder / "articles", N)
    batches: list[int] = []
    learned = core._shared_judge(__import__("drift.judge.learned").judge.learned.LearnedJudge)
    real = learned.judge_batch

    def counted(pairs: Any) -> Any:
        batches.append(len(pairs))
        return real(pairs)

    monkeypatch.setattr(learned, "judge_batch", counted)
    again = _audit(folder, True, cache=folder / "cache", judge="auto")
    judged_again = len(batches)
    fresh = _audit(folder, True, cache=None, judge="auto")
    assert again.signature["judge_mode"] == "rescore"
    assert any(f.basis == "rules+judge" for f in again.findings)
    assert again.to_json() == fresh.to_json()
    # Only the new article's pairs (and those of an article whose flagged sentences changed
    # with it) were judged again; the fresh audit judged every article's.
    assert judged_again < len(batches) - judged_again


def test_entity_lookups_decide_whether_claims_are_reused() -> None:
    """An article's claims are read with what every article teaches the entity index: kept
    claims hold only while every lookup they made finds the same."""
    from drift.claims import EntityIndex, extract, extract_articles, units
    from drift.records import Article
    from drift.segment import segment

    def unit_list(name: str, text: str) -> list[Any]:
        return units(Article(name, f"{name}.txt", text, text), segment(text), ())

    plain = unit_list("a", "Union leader Iriarte called the strike.")
    full = unit_list("b", "Marta Iriarte Gil, the union leader, called the strike.")
    alone = extract_articles([plain], [None], parse_cache=False)
    both = extract_articles([plain, full], [alone[0], None], parse_cache=False)
    assert [c for a in both for c in a.claims] == extract([*plain, *full], parse_cache=False)
    index = EntityIndex()
    for a in both:
        index.replay(a.learned)
    # "gil" is the canonical key of the person "Iriarte" now names: the kept claims are stale.
    assert not index.agrees(alone[0].consulted)
    assert both[0] is not alone[0] and both[0].claims != alone[0].claims
    again = extract_articles([plain, full], list(both), parse_cache=False)
    assert again[0] is both[0] and again[1] is both[1]
