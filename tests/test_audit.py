"""End-to-end audits on real inputs: the seed set (with its reference and by consensus), the six
development sets, a small set written for these tests, bad input, and the ``audit`` command.

Each set is audited once per module (audits take seconds); the seeds and devset are read from
``../shared`` and skipped with a reason when it is absent. Translation uses Apertium.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from conftest import need_apertium
from typer.testing import CliRunner, Result

from drift.cli import EXIT_FINDINGS, EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, app
from drift.core import audit
from drift.records import SEVERITY_RANK
from drift.report import AuditReport

BOILERPLATE = (
    "data:image", "Read also", "Share on", "Related posts", "RECOMMENDATION", "Home / Malta",
)
DEVSET_DIR = Path(__file__).resolve().parents[2] / "shared" / "devset"
# Parametrize over the sets present; a placeholder (skipped by the test) when ../shared is absent.
DEVSET_NAMES = sorted(p.parent.name for p in DEVSET_DIR.glob("*/labels.json")) or ["absent"]
ENV = {"COLUMNS": "250", "TERMINAL_WIDTH": "250", "NO_COLOR": "1"}

LabelsLoader = Callable[[Path], dict[str, Any]]


# ---------------------------------------------------------------------------------------------
# Contract helpers: the packaged schema and taxonomy (drift/contract; tests/test_contract.py
# keeps them in step with ../shared/contract), and the scorer of ../shared/contract


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    from drift.contract import schema

    jsonschema.Draft202012Validator.check_schema(schema())
    return jsonschema.Draft202012Validator(schema())


@pytest.fixture(scope="module")
def scorer(shared_dir: Path) -> ModuleType:
    path = shared_dir / "contract" / "score.py"
    spec = importlib.util.spec_from_file_location("drift_contract_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def taxonomy_severity() -> dict[str, str]:
    """Default severity of each finding type, read from the table of the packaged TAXONOMY.md."""
    from drift.contract import taxonomy

    table = {t.type: t.severity for t in taxonomy()}
    assert len(table) == 14, table
    return table


def schema_errors(validator: jsonschema.Draft202012Validator, data: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def texts_of(report: AuditReport) -> dict[str, str]:
    return {a.article.id: a.article.text for a in report.articles}


def gold_range(text: str, needle: str) -> tuple[int, int]:
    at = text.find(needle)
    assert at >= 0, f"{needle!r} not in the article"
    return at, at + len(needle)


def one_sentence(text: str) -> bool:
    """One sentence: ends with a full stop, no sentence break inside (initials like U.S. aside)."""
    flat = re.sub(r"\b(?:[A-Z]\.)+", "X", text.strip())
    return (flat.endswith((".", ".)")) and "\n" not in flat
            and not re.search(r"[.!?][\"”’)]?\s+[A-Z(]", flat[:-2]))


# ---------------------------------------------------------------------------------------------
# The seeds, audited with their reference


@pytest.fixture(scope="module")
def seeds_report(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> AuditReport:
    need_apertium()
    cache = tmp_path_factory.mktemp("seeds-ref") / "t.sqlite"
    return audit([seeds_dir], reference=seeds_dir / "reference.txt", translator="apertium",
                 cache_path=cache)


@pytest.fixture(scope="module")
def seeds_labels(seeds_dir: Path, load_labels: LabelsLoader) -> dict[str, Any]:
    return load_labels(seeds_dir)


def test_seeds_report_validates_against_the_schema(
    seeds_report: AuditReport, validator: jsonschema.Draft202012Validator
) -> None:
    data = json.loads(seeds_report.to_json())
    assert schema_errors(validator, data) == []
    assert data["reference"] == "reference"
    assert data["summary"]["articles"] == 6
    assert data["findings"], "the seeds hold known drifts"


def test_seeds_score_full_strict_recall_and_the_spanish_passage(
    seeds_report: AuditReport, seeds_labels: dict[str, Any], scorer: ModuleType
) -> None:
    result = scorer.score(json.loads(seeds_report.to_json()), seeds_labels)
    assert result["strict"]["recall"] == 1.0, result["strict"]["missed"]
    assert result["passages"]["found"] == result["passages"]["gold"] == 1
    assert result["on_reference"] == 0
    assert result["on_clean"] == 0
    [passage] = [p for a in seeds_report.articles for p in a.passages]
    assert passage.language == "es"
    assert passage.translation is not None and passage.translation.backend == "apertium"
    assert passage.translation.text.strip() and passage.translation.text != passage.span.text


def test_seeds_no_finding_on_the_reference(seeds_report: AuditReport) -> None:
    assert seeds_report.reference == "reference"
    assert [f for f in seeds_report.findings if f.article == "reference"] == []


def test_seeds_no_finding_built_from_boilerplate(seeds_report: AuditReport) -> None:
    for f in seeds_report.findings:
        spans = [f.span.text, *(e.span.text for e in f.evidence)]
        for mark in BOILERPLATE:
            assert not any(mark.lower() in s.lower() for s in spans), (mark, f)


def test_seeds_spans_point_into_their_articles(seeds_report: AuditReport) -> None:
    texts = texts_of(seeds_report)
    for f in seeds_report.findings:
        assert f.span.text and f.span.text == texts[f.article][f.span.start : f.span.end], f
        for e in f.evidence:
            assert e.article != f.article
            assert e.span.text and e.span.text == texts[e.article][e.span.start : e.span.end], e
    for a in seeds_report.articles:
        for p in a.passages:
            assert p.span.text == a.article.text[p.span.start : p.span.end]


def test_seeds_findings_are_explained(
    seeds_report: AuditReport, taxonomy_severity: dict[str, str]
) -> None:
    for f in seeds_report.findings:
        assert one_sentence(f.explanation), f.explanation
        assert isinstance(f.expected, str) and f.expected.strip(), f
        assert isinstance(f.found, str) and f.found.strip(), f
        assert f.expected != f.found, f
        assert f.severity == taxonomy_severity[f.type], (f.type, f.severity)
        assert 0 < f.confidence <= 1


def test_seeds_actor_swap_points_at_the_reference(seeds_report: AuditReport) -> None:
    texts = texts_of(seeds_report)
    swaps = [f for f in seeds_report.findings
             if f.type == "actor_swap" and f.article.startswith("004")]
    assert len(swaps) == 1, swaps
    [swap] = swaps
    start, end = gold_range(texts[swap.article], "which Hegseth postponed")
    assert swap.span.start < end and start < swap.span.end
    assert swap.expected == "Trump" and swap.found == "Hegseth"
    assert swap.evidence and swap.evidence[0].article == "reference"
    assert "Trump" in swap.evidence[0].span.text


# ---------------------------------------------------------------------------------------------
# The seeds without a reference: the consensus of the other articles


@pytest.fixture(scope="module")
def seeds_consensus_report(
    seeds_dir: Path, seeds_labels: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> AuditReport:
    need_apertium()
    articles = sorted(p for p in seeds_dir.glob("*.txt") if p.stem != seeds_labels["reference"])
    assert len(articles) == 5
    cache = tmp_path_factory.mktemp("seeds-consensus") / "t.sqlite"
    return audit(articles, translator="apertium", cache_path=cache)


def _tariff_swap(report: AuditReport) -> Any:
    texts = texts_of(report)
    for f in report.findings:
        if f.type != "actor_swap" or not f.article.startswith("004"):
            continue
        start, end = gold_range(texts[f.article], "which Hegseth postponed")
        if f.span.start < end and start < f.span.end:
            return f
    return None


def test_seeds_consensus_still_finds_the_tariff_actor_swap(
    seeds_consensus_report: AuditReport, seeds_report: AuditReport
) -> None:
    assert seeds_consensus_report.reference is None
    assert seeds_consensus_report.mode == "consensus"
    found = _tariff_swap(seeds_consensus_report)
    assert found is not None, [(f.article, f.type) for f in seeds_consensus_report.findings]
    with_reference = _tariff_swap(seeds_report)
    assert with_reference is not None
    assert found.confidence < with_reference.confidence
    assert "compared with the other articles" in found.explanation
    assert found.expected == "Trump" and found.found == "Hegseth"


def test_seeds_consensus_report_validates(
    seeds_consensus_report: AuditReport, validator: jsonschema.Draft202012Validator
) -> None:
    data = json.loads(seeds_consensus_report.to_json())
    assert schema_errors(validator, data) == []
    assert data["reference"] is None


# ---------------------------------------------------------------------------------------------
# The development sets, each with its reference


@pytest.fixture(scope="module")
def devset_reports() -> dict[str, AuditReport]:
    """Reports of the development sets, audited on first use and shared by the tests below."""
    return {}


def _devset_report(name: str, devset_dir: Path, reports: dict[str, AuditReport],
                   tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, AuditReport]:
    folder = devset_dir / name
    if not (folder / "labels.json").is_file():
        pytest.skip(f"development set {name} not found under {devset_dir}")
    need_apertium()
    if name not in reports:
        cache = tmp_path_factory.mktemp(f"devset-{name}") / "t.sqlite"
        reports[name] = audit([folder], reference=folder / "reference.txt", translator="apertium",
                              cache_path=cache)
    return folder, reports[name]


@pytest.mark.parametrize("name", DEVSET_NAMES)
def test_devset_set(
    name: str,
    devset_dir: Path,
    devset_reports: dict[str, AuditReport],
    tmp_path_factory: pytest.TempPathFactory,
    load_labels: LabelsLoader,
    validator: jsonschema.Draft202012Validator,
    scorer: ModuleType,
) -> None:
    folder, report = _devset_report(name, devset_dir, devset_reports, tmp_path_factory)
    labels = load_labels(folder)
    data = json.loads(report.to_json())
    assert schema_errors(validator, data) == []
    medium = SEVERITY_RANK["medium"]
    on_clean = [(f.article, f.type, f.span.text[:60]) for f in report.findings
                if f.article in labels["clean"] and SEVERITY_RANK[f.severity] >= medium]
    assert on_clean == []
    result = scorer.score(data, labels)
    assert result["passages"]["found"] == result["passages"]["gold"], labels["non_english"]
    assert result["on_reference"] == 0
    texts = texts_of(report)
    for f in report.findings:
        assert f.span.text == texts[f.article][f.span.start : f.span.end]


def test_devset_pooled_precision_and_recall(
    devsets: list[Path],
    devset_dir: Path,
    devset_reports: dict[str, AuditReport],
    tmp_path_factory: pytest.TempPathFactory,
    load_labels: LabelsLoader,
    scorer: ModuleType,
) -> None:
    counts = {m: [0, 0, 0] for m in ("strict", "lenient")}  # tp, fp, fn
    missed: list[str] = []
    on_clean = 0
    for folder in devsets:
        _, report = _devset_report(folder.name, devset_dir, devset_reports, tmp_path_factory)
        result = scorer.score(json.loads(report.to_json()), load_labels(folder))
        for m, c in counts.items():
            c[0], c[1], c[2] = (c[0] + result[m]["tp"], c[1] + result[m]["fp"],
                                c[2] + result[m]["fn"])
        on_clean += result["on_clean"]
        missed += [f"{folder.name}/{g['article']} {g['type']}" for g in result["strict"]["missed"]]
    assert len(devsets) == 6
    tp, fp, fn = counts["strict"]
    # The targets of the audit issue: strict P >= 0.75 and R >= 0.70, lenient R >= 0.85, at most
    # two medium/high findings on all clean articles together.
    assert tp / (tp + fp) >= 0.75, (tp, fp, fn)
    assert tp / (tp + fn) >= 0.70, (tp, fp, fn, missed)
    assert on_clean <= 2
    ltp, _, lfn = counts["lenient"]
    # d03/b's Portuguese quote misattribution needs a pt->en route (apertium-es-pt).
    need_apertium("pt")
    assert ltp / (ltp + lfn) >= 0.85, (ltp, lfn, missed)


PROJECT_SETS = Path(__file__).parents[1] / "benchmarks" / "sets"


def _pooled(sets: list[Path], scorer: ModuleType, load_labels: LabelsLoader,
            tmp_path_factory: pytest.TempPathFactory) -> tuple[int, int, int, int, list[str]]:
    """(tp, fp, fn, medium/high findings on clean articles, missed) over the sets."""
    tp = fp = fn = on_clean = 0
    missed: list[str] = []
    for folder in sets:
        cache = tmp_path_factory.mktemp(f"set-{folder.name}") / "t.sqlite"
        ref = next(folder / n for n in ("reference.md", "reference.txt")
                   if (folder / n).is_file())
        report = audit([folder], reference=ref, translator="apertium", cache_path=cache)
        result = scorer.score(json.loads(report.to_json()), load_labels(folder))
        tp, fp, fn = (tp + result["strict"]["tp"], fp + result["strict"]["fp"],
                      fn + result["strict"]["fn"])
        on_clean += result["on_clean"]
        missed += [f"{folder.name}/{g['article']} {g['type']}" for g in result["strict"]["missed"]]
    return tp, fp, fn, on_clean, missed


def test_project_sets_pooled_precision_and_recall(
    scorer: ModuleType, load_labels: LabelsLoader, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The project's own development sets (benchmarks/sets/dev, 15 stories, 149 drifts), tuned
    on: a regression floor a little under the measured strict P = 0.98, R = 0.54."""
    need_apertium()
    sets = sorted(p for p in (PROJECT_SETS / "dev").iterdir() if (p / "labels.json").is_file())
    assert len(sets) == 15
    tp, fp, fn, on_clean, missed = _pooled(sets, scorer, load_labels, tmp_path_factory)
    assert tp / (tp + fp) >= 0.95, (tp, fp, fn)
    assert tp / (tp + fn) >= 0.50, (tp, fp, fn, missed)
    assert on_clean == 0


@pytest.mark.parametrize(
    ("collection", "stories", "precision", "recall", "on_clean_max"),
    [
        # held out until 2026-12-05 (first measured strict P = 0.68, R = 0.37); a tuning set
        # since (P = 0.83, R = 0.41)
        ("heldout", 5, 0.6, 0.3, 2),
        # held out until the second round of 2026-12-05 (first measured strict P = 0.37,
        # R = 0.18); a tuning set since (P = 0.56, R = 0.27, five on six clean articles)
        ("heldout-3", 6, 0.45, 0.22, 6),
        # never tuned on (measured strict P = 0.27, R = 0.28, twelve medium/high findings on six
        # clean articles; with the judge of 2026-12-05's third session P = 0.27, R = 0.30,
        # fourteen): do not tune drift to this test, nor read its misses
        ("heldout-4", 6, 0.2, 0.22, 14),
        # never tuned or trained on (measured strict P = 0.39, R = 0.28, six on six clean before
        # the judge's written data; P = 0.40, R = 0.30, six after; five with the judge of
        # 2026-12-06)
        ("heldout-5", 6, 0.3, 0.22, 9),
        # never tuned or trained on (measured strict P = 0.38, R = 0.34, six on six clean, before
        # and after the judge of 2026-12-06)
        ("heldout-6", 6, 0.3, 0.28, 9),
        # never tuned or trained on (measured strict P = 0.31, R = 0.27, eleven on six clean,
        # with the judge of 2026-12-06, written after it)
        ("heldout-7", 6, 0.25, 0.22, 14),
        # never tuned or trained on (measured strict P = 0.43, R = 0.38, eight on six clean with
        # the code before the judge's sixth round; P = 0.50, R = 0.37, five, after it)
        ("heldout-8", 6, 0.4, 0.3, 8),
        # never tuned or trained on (measured strict P = 0.42, R = 0.23, five on six clean with
        # the code before the seventh round; P = 0.40, R = 0.27, seven, after it)
        ("heldout-9", 6, 0.35, 0.22, 9),
        # never tuned or trained on (measured strict P = 0.47, R = 0.29, four on six clean with
        # the code before the eighth round; P = 0.48, R = 0.29, four, after it)
        ("heldout-10", 6, 0.4, 0.24, 7),
        # written as the judge's training data (not in the shipped judge's); the rules and the
        # judge's doubt threshold were tuned on it (P = 0.31, R = 0.34, 25 on 12 clean before,
        # P = 0.60, R = 0.32, eight after; P = 0.71, R = 0.38, six after the seventh round)
        ("train-1", 12, 0.5, 0.28, 11),
        # written for the eighth round and tuned on there (P = 0.55, R = 0.32, ten on twelve
        # clean before; P = 0.91, R = 0.35, one after)
        ("train-2", 12, 0.8, 0.3, 4),
        # six stories that validated the eighth round once, not tuned on in it (P = 0.55,
        # R = 0.39, five on six clean before; P = 0.58, R = 0.39, four after); tuned on in the
        # ninth (P = 0.66, R = 0.44, three after it)
        ("train-3", 6, 0.55, 0.38, 5),
        # never tuned or trained on (measured strict P = 0.56, R = 0.36, seven on six clean with
        # the code before the ninth round; P = 0.55, R = 0.38, six, after it)
        ("heldout-11", 6, 0.45, 0.3, 8),
        # written for the ninth round and tuned on there (P = 0.46, R = 0.30, five on six clean
        # before; P = 0.85, R = 0.39, two after; P = 0.88, R = 0.41, one after the tenth)
        ("train-4", 6, 0.7, 0.33, 4),
        # never tuned or trained on (measured strict P = 0.52, R = 0.38, six on six clean with
        # the code before the tenth round, and the same after it and after the eleventh)
        ("heldout-12", 6, 0.45, 0.3, 8),
        # written for the tenth round and tuned on there (P = 0.58, R = 0.32, six on six clean
        # before; P = 0.93, R = 0.47, two after)
        ("train-5", 6, 0.8, 0.4, 4),
        # never tuned or trained on (measured strict P = 0.47, R = 0.38, seven on six clean with
        # the code before the eleventh round; P = 0.48, R = 0.38, seven, after it)
        ("heldout-13", 6, 0.4, 0.3, 9),
        # written for the twelfth round and tuned on there (P = 0.53, R = 0.36, four on six
        # clean before; P = 0.83, R = 0.45, one after)
        ("train-6", 6, 0.75, 0.4, 3),
        # never tuned or trained on (measured strict P = 0.44, R = 0.30, four on six clean with
        # the code before the twelfth round; P = 0.45, R = 0.32, four, after it)
        ("heldout-14", 6, 0.35, 0.25, 7),
        # written for the thirteenth round and tuned on there (P = 0.45, R = 0.27, five on six
        # clean with the code before it, three articles unread; P = 0.76, R = 0.34, one after)
        ("train-7", 6, 0.65, 0.28, 3),
        # written during the thirteenth round and tuned on there (P = 0.51, R = 0.32, two on six
        # clean with the code before it, one article unread; P = 0.64, R = 0.32, one after)
        ("train-8", 6, 0.55, 0.27, 3),
        # never tuned or trained on (measured strict P = 0.30, R = 0.28, four on six clean with
        # the code before the thirteenth round, every article read, and the same after it)
        ("heldout-15", 6, 0.22, 0.22, 7),
        # written at the start of the fourteenth round and tuned on there (P = 0.40, R = 0.34,
        # four on six clean with the code before it; P = 0.58, R = 0.39, none after)
        ("train-9", 6, 0.5, 0.33, 2),
        # never tuned or trained on (measured strict P = 0.48, R = 0.25, four on six clean with
        # the code before the fourteenth round, and the same after it)
        ("heldout-16", 6, 0.38, 0.2, 6),
        # written at the start of the fifteenth round and tuned on there (P = 0.56, R = 0.33,
        # four on six clean with the code before it; P = 0.86, R = 0.35, two after)
        ("train-10", 6, 0.75, 0.3, 3),
        # never tuned or trained on (measured strict P = 0.38, R = 0.27, four on six clean with
        # the code before the fifteenth round; P = 0.42, R = 0.25, three, after it)
        ("heldout-17", 6, 0.35, 0.2, 5),
        # written at the start and in the middle of the sixteenth round and tuned on there
        # (train-11: P = 0.70, R = 0.42, one on six clean with the code before it; P = 0.93,
        # R = 0.47, none after; train-12: P = 0.55, R = 0.31, three on six clean with the round's
        # code before it was read; P = 0.90, R = 0.35, none after)
        ("train-11", 6, 0.8, 0.4, 2),
        ("train-12", 6, 0.75, 0.3, 2),
        # never tuned or trained on (measured strict P = 0.58, R = 0.38, none on six clean with
        # the code before the sixteenth round; P = 0.59, R = 0.36, none, after it)
        ("heldout-18", 6, 0.45, 0.3, 3),
        # written at the end of the sixteenth round and the start of the seventeenth and tuned
        # on there (train-13: P = 0.55, R = 0.32, five on six clean with the code before it;
        # P = 0.77, R = 0.41, one after; train-14: P = 0.55, R = 0.30, five on six clean with
        # the round's code before it was read; P = 0.79, R = 0.34, none after)
        ("train-13", 6, 0.65, 0.35, 3),
        ("train-14", 6, 0.65, 0.3, 2),
        # never tuned or trained on (measured strict P = 0.55, R = 0.33, four on six clean with
        # the code before the seventeenth round; P = 0.58, R = 0.33, three, after it)
        ("heldout-19", 6, 0.45, 0.27, 5),
    ],
)
def test_held_out_sets_regression_floor(
    collection: str, stories: int, precision: float, recall: float, on_clean_max: int,
    scorer: ModuleType, load_labels: LabelsLoader, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Collections written apart from the code: floors against regressions only."""
    need_apertium()
    sets = sorted(p for p in (PROJECT_SETS / collection).iterdir()
                  if (p / "labels.json").is_file())
    assert len(sets) == stories
    tp, fp, fn, on_clean, _ = _pooled(sets, scorer, load_labels, tmp_path_factory)
    assert tp / (tp + fp) >= precision and tp / (tp + fn) >= recall, (tp, fp, fn)
    assert on_clean <= on_clean_max


# ---------------------------------------------------------------------------------------------
# Determinism


def test_same_set_twice_is_byte_identical(
    seeds_dir: Path, seeds_report: AuditReport, tmp_path: Path
) -> None:
    again = audit([seeds_dir], reference=seeds_dir / "reference.txt", translator="apertium",
                  cache_path=tmp_path / "fresh.sqlite")
    assert again.to_json() == seeds_report.to_json()
    assert [f.id for f in again.findings] == [f.id for f in seeds_report.findings]


def test_finding_ids_unique_and_findings_sorted(seeds_report: AuditReport) -> None:
    ids = [f.id for f in seeds_report.findings]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[0-9a-f]{12}", i) for i in ids), ids
    order = {a.article.id: n for n, a in enumerate(seeds_report.articles)}
    keys = [(order[f.article], f.span.start, f.type) for f in seeds_report.findings]
    assert keys == sorted(keys)


# ---------------------------------------------------------------------------------------------
# A set written for these tests: a canning plant closes a line (invented story)


def paragraphs(*paras: str) -> str:
    return "\n\n".join(paras) + "\n"


OWN_REFERENCE = paragraphs(
    "Harwick Canning will close the sardine line at its Port Ellery plant at the end of June, "
    "the company announced on Tuesday.",
    "The closure will cost 120 workers their jobs, according to the company.",
    "Plant manager Iris Dunmore said the remaining tuna line could also shut down next year "
    "if fish prices keep falling.",
    "The regional council has offered retraining grants to the workers who lose their jobs.",
)
OWN_NUMBER = paragraphs(
    "Harwick Canning is shutting the sardine line at its Port Ellery plant at the end of June, "
    "the company said on Tuesday.",
    "The closure will cost 210 workers their jobs, according to the company.",
    "The regional council has offered retraining grants to those affected.",
)
OWN_HEDGE = paragraphs(
    "The sardine line at Harwick Canning's Port Ellery plant will close at the end of June, "
    "the company announced on Tuesday, with 120 jobs lost.",
    "Plant manager Iris Dunmore said the remaining tuna line will also shut down next year "
    "if fish prices keep falling.",
)
OWN_FAITHFUL = paragraphs(
    "At the end of June, Harwick Canning will close the sardine line at its plant in "
    "Port Ellery, the company announced on Tuesday.",
    "According to the company, 120 workers will lose their jobs because of the closure.",
    "The plant's manager, Iris Dunmore, said the tuna line might also close next year if fish "
    "prices continue to fall.",
    "Workers who lose their jobs have been offered retraining grants by the regional council.",
)


@pytest.fixture(scope="module")
def own_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cannery")
    for name, text in (("reference", OWN_REFERENCE), ("number", OWN_NUMBER), ("hedge", OWN_HEDGE),
                       ("faithful", OWN_FAITHFUL)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def own_report(own_set: Path) -> AuditReport:
    need_apertium()
    return audit([own_set], reference=own_set / "reference.txt", translator="apertium",
                 use_cache=False)


def _ref_sentence(marker: str) -> str:
    [line] = [ln for ln in OWN_REFERENCE.splitlines() if marker in ln]
    return line


def test_own_set_number_change(own_report: AuditReport) -> None:
    found = [f for f in own_report.findings if f.article == "number"]
    assert [f.type for f in found] == ["number_change"], found
    [f] = found
    assert "210 workers" in f.span.text
    assert f.severity == "high"
    assert f.expected is not None and "120" in f.expected
    assert f.found is not None and "210" in f.found
    [ev] = f.evidence
    assert ev.article == "reference" and ev.relation == "contradicts"
    assert ev.span.text == _ref_sentence("120 workers")


def test_own_set_dropped_hedge(own_report: AuditReport) -> None:
    found = [f for f in own_report.findings if f.article == "hedge"]
    assert [f.type for f in found] == ["modality_shift"], found
    [f] = found
    assert "will also shut down" in f.span.text
    assert f.expected == "could"
    [ev] = f.evidence
    assert ev.article == "reference"
    assert ev.span.text == _ref_sentence("could also shut down")


def test_own_set_faithful_paraphrase_and_reference_are_clean(own_report: AuditReport) -> None:
    assert own_report.reference == "reference"
    flagged = [(f.article, f.type, f.span.text) for f in own_report.findings
               if f.article in {"faithful", "reference"} and f.severity != "low"]
    assert flagged == []


def test_api_returns_a_report_with_json(own_report: AuditReport) -> None:
    import drift

    assert drift.audit is audit
    assert "audit" in drift.__all__
    assert isinstance(own_report, AuditReport)
    data = json.loads(own_report.to_json())
    assert [a["id"] for a in data["articles"]] == [a.article.id for a in own_report.articles]
    assert {a["id"] for a in data["articles"]} == {"reference", "number", "hedge", "faithful"}
    assert data["summary"]["findings"] == own_report.counts()
    assert data["summary"]["passages"] == 0


OWN_ADDITIONS = paragraphs(
    "Harwick Canning will shut the sardine line at its Port Ellery plant at the end of June, "
    "the company announced on Tuesday, at a cost of 120 jobs.",
    "The company has already sent 35 agency staff home.",
    "What comes next",
    "The plant was fined 40,000 euros in 2019 over a refrigeration leak.",
    "The regional council has offered retraining grants to the workers who lose their jobs.",
)


def test_an_undated_figure_nothing_in_the_source_is_about_is_a_medium_addition(
        own_set: Path, tmp_path: Path) -> None:
    """A figure no other article gives, in a sentence the reference says nothing about, is new
    information an editor must check (medium); background dated to another time stays low, as
    the taxonomy's fentanyl seizure does; a subheading asserts nothing."""
    need_apertium()
    shutil.copy(own_set / "reference.txt", tmp_path / "reference.txt")
    (tmp_path / "additions.txt").write_text(OWN_ADDITIONS, encoding="utf-8")
    report = audit([tmp_path], reference=tmp_path / "reference.txt", translator="apertium",
                   use_cache=False)
    added = {f.span.text: f for f in report.findings if f.type == "unsupported_addition"}
    assert sorted(added) == [
        "The company has already sent 35 agency staff home.",
        "The plant was fined 40,000 euros in 2019 over a refrigeration leak.",
    ], sorted(added)
    staff = added["The company has already sent 35 agency staff home."]
    assert staff.severity == "medium" and staff.found is not None
    assert staff.found.startswith("35 agency staff"), staff.found
    assert "nothing in the source is about" in staff.explanation
    assert added["The plant was fined 40,000 euros in 2019 over a refrigeration leak."
                 ].severity == "low"


OWN_STATEMENTS = paragraphs(
    "Harwick Canning will shut the sardine line at its Port Ellery plant at the end of June, "
    "the company announced on Tuesday, at a cost of 120 jobs.",
    "The fishermen's union has also called a protest march outside the town hall for Saturday "
    "morning.",
    "Then things went badly wrong for the small harbour town and its boat builders.",
    "Read also: Harbour dredging works to resume in spring after the storms",
    "The owners have already put the empty warehouse behind the cannery up for sale.",
)


def test_a_statement_of_its_own_that_says_it_adds_is_a_medium_addition(
        own_set: Path, tmp_path: Path) -> None:
    """A sentence nothing in the reference is about, in words no other article uses, that says
    it adds to the story ("also") is an addition an editor must check, with no figure in it;
    colour in new words says nothing of the kind, and a link line asserts nothing."""
    shutil.copy(own_set / "reference.txt", tmp_path / "reference.txt")
    (tmp_path / "statements.txt").write_text(OWN_STATEMENTS, encoding="utf-8")
    report = audit([tmp_path], reference=tmp_path / "reference.txt", translator="identity",
                   use_cache=False)
    added = [f for f in report.findings if f.type == "unsupported_addition"]
    assert [(f.span.text, f.severity) for f in added] == [
        ("The fishermen's union has also called a protest march outside the town hall for "
         "Saturday morning.", "medium"),
        ("The owners have already put the empty warehouse behind the cannery up for sale.",
         "medium")], added
    assert "no other article uses these words" in added[0].explanation
    assert added[0].found == "Saturday"  # the new fact it names
    # without one, the words no other article uses, as the article writes them
    assert added[1].found == "owners, warehouse, cannery", added[1].found


# ---------------------------------------------------------------------------------------------
# Bad input and partial failure


def test_bad_files_are_problems_and_the_good_article_is_audited(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(OWN_FAITHFUL, encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (tmp_path / "empty.txt").write_bytes(b"")
    report = audit([tmp_path], translator="identity", use_cache=False)
    assert [a.article.id for a in report.articles] == ["good"]
    assert report.claims > 0
    assert sorted(Path(p.source).name for p in report.problems) == ["blob.txt", "empty.txt"]
    messages = {Path(p.source).name: p.message for p in report.problems}
    assert "binary" in messages["blob.txt"]
    assert "empty" in messages["empty.txt"]
    data = json.loads(report.to_json())
    assert len(data["problems"]) == 2


GERMAN_ARTICLE = paragraphs(
    "The town of Lindenfeld will close its oldest swimming pool next spring, the mayor "
    "announced on Friday.",
    "Mayor Jonas Kessler defended the decision in a short speech to the council. "
    '"Wir können das alte Bad nicht länger sicher betreiben, und die Reparatur würde mehr '
    'kosten als ein Neubau," he said.',
    "A new pool is planned on the site of the former tram depot.",
)


def test_untranslatable_passage_is_listed_and_the_audit_goes_on(
    tmp_path: Path, validator: jsonschema.Draft202012Validator
) -> None:
    need_apertium()
    from drift.translate.apertium import pair_for

    if pair_for("de") is not None:
        pytest.skip("an Apertium German-English pair is installed; German is translatable here")
    (tmp_path / "pool.txt").write_text(GERMAN_ARTICLE, encoding="utf-8")
    report = audit([tmp_path], translator="apertium", use_cache=False)
    [article] = report.articles
    [passage] = article.passages
    assert passage.language == "de"
    assert passage.span.text.startswith("Wir können das alte Bad")
    assert passage.translation is None
    assert passage.untranslated_reason and "de" in passage.untranslated_reason
    assert report.claims >= 3, "the English sentences are still audited"
    [problem] = report.problems
    assert problem.source.startswith("pool:")
    data = json.loads(report.to_json())
    assert schema_errors(validator, data) == []
    [p] = data["articles"][0]["passages"]
    assert p["translation"] is None and p["untranslated_reason"]
    assert data["summary"]["passages"] == 1 and data["summary"]["translated"] == 0


# ---------------------------------------------------------------------------------------------
# The ``audit`` command


@pytest.fixture(scope="module")
def cli_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli") / "t.sqlite"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=ENV)


def seeds_args(seeds_dir: Path, cache: Path, *extra: str) -> list[str]:
    need_apertium()
    return ["audit", str(seeds_dir), "--reference", str(seeds_dir / "reference.txt"),
            "--translator", "apertium", "--cache", str(cache), *extra]


def test_cli_audit_writes_valid_json(
    seeds_dir: Path, cli_cache: Path, tmp_path: Path, seeds_report: AuditReport,
    validator: jsonschema.Draft202012Validator,
) -> None:
    out = tmp_path / "out.json"
    result = run(*seeds_args(seeds_dir, cli_cache, "--json", str(out), "--format", "json"))
    assert result.exit_code == EXIT_OK, result.output
    written = out.read_text(encoding="utf-8")
    data = json.loads(written)
    assert schema_errors(validator, data) == []
    assert json.loads(result.stdout) == data
    assert [f["id"] for f in data["findings"]] == [f.id for f in seeds_report.findings]


def test_cli_fail_on(seeds_dir: Path, cli_cache: Path) -> None:
    high = run(*seeds_args(seeds_dir, cli_cache, "--fail-on", "high", "--format", "json"))
    assert high.exit_code == EXIT_FINDINGS, high.output
    none = run(*seeds_args(seeds_dir, cli_cache, "--fail-on", "none", "--format", "json"))
    assert none.exit_code == EXIT_OK, none.output


def test_cli_min_severity_high(seeds_dir: Path, cli_cache: Path, seeds_report: AuditReport) -> None:
    result = run(*seeds_args(seeds_dir, cli_cache, "--min-severity", "high", "--format", "json"))
    assert result.exit_code == EXIT_OK, result.output
    data = json.loads(result.stdout)
    assert data["findings"], "the seeds have high findings"
    assert {f["severity"] for f in data["findings"]} == {"high"}
    expected = [f.id for f in seeds_report.findings if f.severity == "high"]
    assert [f["id"] for f in data["findings"]] == expected
    assert data["summary"]["findings"] == {"high": len(expected), "medium": 0, "low": 0}


def test_cli_markdown(seeds_dir: Path, cli_cache: Path) -> None:
    result = run(*seeds_args(seeds_dir, cli_cache, "--format", "markdown"))
    assert result.exit_code == EXIT_OK, result.output
    out = result.stdout
    assert out.startswith("**drift audit**")
    assert "compared with the reference `reference`" in out
    assert re.search(r"^### 004_\w+$", out, flags=re.M)
    assert "**HIGH** Actor changed" in out
    assert not out.lstrip().startswith("{")


def test_cli_bad_format_is_a_usage_error(seeds_dir: Path, cli_cache: Path) -> None:
    result = run(*seeds_args(seeds_dir, cli_cache, "--format", "bogus"))
    assert result.exit_code == EXIT_USAGE
    assert "--format" in result.stderr
    assert result.stdout == ""


def test_cli_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-set"
    result = run("audit", str(missing), "--translator", "identity", "--no-cache")
    assert result.exit_code == EXIT_USAGE
    assert str(missing) in result.stderr
    assert result.stdout == ""


def test_cli_unreadable_reference_is_an_error_not_a_consensus_audit(own_set: Path,
                                                                     tmp_path: Path) -> None:
    bad = tmp_path / "reference.txt"
    bad.write_bytes(b"\x00\x01\x02binary\xff\xfe")
    result = run("audit", str(own_set / "number.txt"), "--reference", str(bad),
                 "--translator", "identity", "--no-cache", "--format", "json")
    assert result.exit_code == EXIT_NOTHING, result.output
    assert "the reference" in result.stderr and str(bad) in result.stderr
    assert result.stdout == ""
    from drift.core import UnreadableReference

    with pytest.raises(UnreadableReference, match="could not be read"):
        audit([own_set / "number.txt"], reference=bad, translator="identity", use_cache=False)


def test_cli_missing_nli_model_fails_fast_with_one_line(own_set: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = run("audit", str(own_set), "--reference", str(own_set / "reference.txt"),
                 "--translator", "identity", "--no-cache", "--json", str(out),
                 "--nli", str(tmp_path / "no-such-model"))
    assert result.exit_code == EXIT_USAGE, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: --nli:") and "no-such-model" in line
    assert "Traceback" not in result.output and not out.exists()


def test_cli_partial_failure_exit_3_and_fail_on_outranks_it(own_set: Path,
                                                            tmp_path: Path) -> None:
    folder = tmp_path / "set"
    shutil.copytree(own_set, folder)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    args = ["audit", str(folder), "--reference", str(folder / "reference.txt"),
            "--translator", "identity", "--no-cache", "--format", "json"]
    partial = run(*args)
    assert partial.exit_code == EXIT_PARTIAL, partial.output
    assert "warning:" in partial.stderr and "broken.json" in partial.stderr
    assert json.loads(partial.stdout)["findings"], "the readable articles were audited"
    both = run(*args, "--fail-on", "high")
    assert both.exit_code == EXIT_FINDINGS, both.output


def test_cli_nothing_readable_exits_4(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.json").write_text("[", encoding="utf-8")
    result = run("audit", str(tmp_path), "--translator", "identity", "--no-cache")
    assert result.exit_code == EXIT_NOTHING, result.output
    assert "no article could be read" in result.stderr


def test_api_accepts_one_path_and_checks_options_first(own_set: Path) -> None:
    from drift.core import AuditError

    one = audit(str(own_set / "number.txt"), translator="identity", use_cache=False)
    assert [a.article.id for a in one.articles] == ["number"]
    with pytest.raises(AuditError, match="min_severity"):
        audit([own_set / "no-such-file.txt"], min_severity="severe")
    with pytest.raises(AuditError, match="unknown translator"):
        audit([own_set / "no-such-file.txt"], translator="babelfish")


def test_consensus_explanations_read_as_english() -> None:
    from drift.core import consensus_wording

    assert consensus_wording("The article says X where the source says Y.") == \
        "The article says X where the other articles say Y."
    assert consensus_wording("The source hedges this ('could').") == \
        "The other articles hedge this ('could')."
    assert consensus_wording("The article has A say this; the source has B say it.") == \
        "The article has A say this; the other articles have B say it."
    assert consensus_wording("It drops the source's condition.") == \
        "It drops the other articles' condition."


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from drift import cli

    monkeypatch.setattr(cli.sys, "stderr", io.StringIO())
    with cli._progress_bar() as progress:
        assert progress is None  # pipes and CI stay quiet

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    monkeypatch.setattr(cli.sys, "stderr", tty)
    with cli._progress_bar() as progress:
        assert progress is not None
        for stage in ("detect", "translate", "claims", "compare"):
            progress(stage, 1, 2)
            progress(stage, 2, 2)


def test_a_change_in_the_english_gloss_of_a_foreign_quote_is_a_translation_shift(
        tmp_path: Path) -> None:
    """The article quotes the Spanish words and glosses them with another figure: the gloss,
    not the quote, carries the change, so the finding is the gloss's translation shift."""
    need_apertium()
    opening = ("Floodwater swept through the lower town of Arvella on Monday morning after a "
               "night of heavy rain.\n\n")
    closing = "\n\nFirefighters rescued 31 people from rooftops, the regional fire service said.\n"
    (tmp_path / "reference.txt").write_text(
        opening + '"In twenty minutes the water reached the first floor," said resident Marta '
        "Gil, whose shop was destroyed." + closing, encoding="utf-8")
    (tmp_path / "a.txt").write_text(
        opening + "«En veinte minutos el agua llegó al primer piso», dijo la vecina Marta Gil, "
        "cuya tienda quedó destruida. In two minutes, she said, the water was up to the first "
        "floor." + closing, encoding="utf-8")
    report = audit([tmp_path / "a.txt"], reference=tmp_path / "reference.txt",
                   translator="apertium", use_cache=False)
    shifts = [f for f in report.findings if f.type == "translation_shift"]
    assert len(shifts) == 1
    assert shifts[0].span.text == "In two minutes, she said, the water was up to the first floor."
    assert "rendering of the foreign words" in shifts[0].explanation
    assert not [f for f in report.findings if f.type == "number_change"]


def test_a_negation_the_gloss_drops_is_a_translation_shift(tmp_path: Path) -> None:
    """The Spanish words say the smaller classes are no luxury; the English gloss says they
    are one. The negation is read in the Spanish itself (rule-based MT loses 'nadie' and
    'ninguna'), and a faithful gloss of another negative quote raises nothing. A reading that
    rests on counting negative words alone is reported at low severity, saying so."""
    need_apertium()
    opening = "Teachers in the province of Corvel ratified a new contract on Friday.\n\n"
    (tmp_path / "reference.txt").write_text(
        opening + '"Smaller classes are not a luxury," said union leader Rosa Ibarra. '
        '"Nobody voted for a strike," she added.\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text(
        opening + "Union leader Rosa Ibarra put it this way: «Las clases más pequeñas no son un "
        "lujo», meaning that smaller classes are a luxury the province can afford.\n\n"
        "«Nadie votó por una huelga», añadió. In other words, nobody voted for a strike.\n",
        encoding="utf-8")
    report = audit([tmp_path / "a.txt"], reference=tmp_path / "reference.txt",
                   translator="apertium", use_cache=False)
    shifts = [f for f in report.findings if f.type == "translation_shift"]
    assert [f.span.text for f in shifts] == [
        "Union leader Rosa Ibarra put it this way: «Las clases más pequeñas no son un lujo», "
        "meaning that smaller classes are a luxury the province can afford."]
    assert "a positive" in (shifts[0].found or "")
    assert shifts[0].severity == "low" and "count of negative words" in shifts[0].explanation
