"""benchmarks/eval_frank.py: the metrics by hand, and the evaluation on three FRANK summaries."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "eval_frank.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_frank", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_frank"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


ef = _load()


@pytest.fixture(scope="module")
def frank(shared_dir: Path) -> Path:
    folder = shared_dir / "external" / "frank"
    if not (folder / "human_annotations.json").is_file():
        pytest.skip(f"FRANK data not found at {folder}")
    return folder


# -- metrics, against values worked out by hand ----------------------------------------------


def test_roc_auc_by_hand() -> None:
    # positives 0.9, 0.4; negatives 0.6, 0.1: 3 of the 4 pairs are ordered right.
    assert ef.roc_auc([True, True, False, False], [0.9, 0.4, 0.6, 0.1]) == pytest.approx(0.75)
    # ties count one half: pos {0.8, 0.3} vs neg {0.8, 0.3, 0.0} -> (0.5+1+1 + 0+0.5+1) / 6
    labels = [True, False, True, False, False]
    assert ef.roc_auc(labels, [0.8, 0.8, 0.3, 0.3, 0.0]) == pytest.approx(4 / 6)
    assert ef.roc_auc([True, False], [0.5, 0.5]) == 0.5
    assert ef.roc_auc([True, False, True], [3.0, 1.0, 2.0]) == 1.0
    assert ef.roc_auc([True, False, True], [1.0, 3.0, 2.0]) == 0.0


def test_balanced_accuracy_by_hand() -> None:
    # TPR 1/3, TNR 1/2
    labels = [True, True, True, False, False]
    assert ef.balanced_accuracy(labels, [True, False, False, False, True]) == pytest.approx(5 / 12)
    assert ef.balanced_accuracy(labels, labels) == 1.0
    assert ef.balanced_accuracy(labels, [True] * 5) == 0.5  # flag everything: chance


def test_metrics_need_both_classes() -> None:
    with pytest.raises(ValueError, match="both classes"):
        ef.roc_auc([True, True], [0.1, 0.2])
    with pytest.raises(ValueError, match="both classes"):
        ef.balanced_accuracy([False], [True])
    with pytest.raises(ValueError, match="2 labels but 1"):
        ef.roc_auc([True, False], [0.1])


def test_best_threshold_by_hand() -> None:
    # t=0.9 and t=0.4 both give 0.75; the higher threshold wins the tie.
    t, ba = ef.best_threshold([True, True, False, False], [0.9, 0.4, 0.6, 0.1])
    assert (t, ba) == (0.9, pytest.approx(0.75))


def test_text_preparation() -> None:
    assert ef.summary_text(["britain\\'s team won .", " it said . "]) == \
        "britain's team won . it said ."
    glued = 'delays.The EA said.He said: "It is safe."The firm said."We agree," he said. U.S.A'
    assert ef.source_text(glued) == \
        'delays. The EA said. He said: "It is safe." The firm said. "We agree," he said. U.S.A'


# -- the evaluation itself --------------------------------------------------------------------


def _three(frank: Path) -> list[Any]:
    """Two faithful summaries and one unfaithful one of the first test article that has both."""
    items = ef.load_summaries(frank, "test")
    for h in dict.fromkeys(s.hash for s in items):
        group = [s for s in items if s.hash == h]
        good = [s for s in group if not s.unfaithful]
        bad = [s for s in group if s.unfaithful]
        if len(good) >= 2 and bad:
            return [*good[:2], bad[0]]
    pytest.fail("no test article with two faithful and one unfaithful summary")


def test_evaluate_three_summaries(frank: Path) -> None:
    picked = _three(frank)
    result = ef.evaluate(frank, "test", summaries=picked)
    o = result["overall"]
    assert (o["n"], o["unfaithful"], o["faithful"]) == (3, 1, 2)
    assert result["articles"] == 1
    for key in ("balanced_accuracy", "roc_auc", "recall", "false_alarm_rate"):
        assert 0.0 <= o[key] <= 1.0, key
    assert set(result["by_category"]) == set(ef.CATEGORIES)
    for c in result["by_category"].values():
        assert c["recall"] is None or 0.0 <= c["recall"] <= 1.0
        assert c["roc_auc_vs_faithful"] is None or 0.0 <= c["roc_auc_vs_faithful"] <= 1.0
    rows = {r["key"]: r for r in result["rows"]}
    assert set(rows) == {s.key for s in picked}
    for r in rows.values():
        assert 0.0 <= r["score"] <= 1.0
        assert r["flagged"] == any(sev in ("medium", "high") for _, sev, _ in r["findings"])
    text = ef.render(result, "pytest")
    assert "| **drift** (`flagged`, fixed rule) |" in text
    assert "SummaC-Conv" in text and "not verified" in text


def test_main_limit_writes_the_report(frank: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "eval-frank.md"
    assert ef.main(["--frank", str(frank), "--limit", "3", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "first 3 summaries" in text
    assert "drift (flagged)" in capsys.readouterr().out


def test_load_summaries_split_and_limit(frank: Path) -> None:
    valid = ef.load_summaries(frank, "valid", limit=7)
    assert len(valid) == 7
    hashes = set(ef.read_lines(frank / "validation_split.txt"))
    assert all(s.hash in hashes and s.text for s in valid)
    with pytest.raises(ValueError, match="unknown split"):
        ef.load_summaries(frank, "train")
