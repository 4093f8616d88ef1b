"""benchmarks/eval_judge_external.py and benchmarks/_metrics.py: the metrics by hand, the loaders
on the real external files, and a short run of every check with the chrf judge."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from drift.judge import TYPES, Verdict, create

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


ej = _load("eval_judge_external")
m = _load("_metrics")

LIMIT = 20  # items per set for the short run (both classes occur in the first 20 of each)


@pytest.fixture(scope="module")
def ext(shared_dir: Path) -> Path:
    folder = shared_dir / "external"
    for need in ("mrpc/msr_paraphrase_test.txt", "falke-correctness/val_sentence_pairs.json",
                 "qags/mturk_cnndm.jsonl", "qags/mturk_xsum.jsonl",
                 "frank/human_annotations.json"):
        if not (folder / need).is_file():
            pytest.skip(f"external evaluation data not found: {folder / need}")
    return folder


@pytest.fixture(scope="module")
def short_run(ext: Path) -> dict[str, Any]:
    return dict(ej.run(create("chrf"), 0.5, ext.parent, limit=LIMIT))


# -- metrics, against values worked out by hand ----------------------------------------------


def test_roc_auc_by_hand() -> None:
    # positives 0.9, 0.4; negatives 0.6, 0.1: 3 of the 4 pairs ordered right.
    assert m.roc_auc([True, True, False, False], [0.9, 0.4, 0.6, 0.1]) == pytest.approx(0.75)
    # ties count one half: pos {0.8, 0.3} vs neg {0.8, 0.3, 0.0} -> (0.5+1+1 + 0+0.5+1) / 6
    labels = [True, False, True, False, False]
    assert m.roc_auc(labels, [0.8, 0.8, 0.3, 0.3, 0.0]) == pytest.approx(4 / 6)
    assert m.roc_auc([True, False, False], [0.2, 0.2, 0.2]) == 0.5  # all tied
    assert m.roc_auc([True, False, True], [3.0, 1.0, 2.0]) == 1.0
    assert m.roc_auc([True, False, True], [1.0, 3.0, 2.0]) == 0.0
    with pytest.raises(ValueError, match="both classes"):
        m.roc_auc([True, True], [0.1, 0.2])
    with pytest.raises(ValueError, match="2 labels but 1"):
        m.roc_auc([True, False], [0.1])


def test_balanced_accuracy_by_hand() -> None:
    labels = [True, True, True, False, False]
    # TPR 1/3, TNR 1/2
    assert m.balanced_accuracy(labels, [True, False, False, False, True]) == pytest.approx(5 / 12)
    assert m.balanced_accuracy(labels, labels) == 1.0
    assert m.balanced_accuracy(labels, [True] * 5) == 0.5
    assert m.safe(lambda: m.balanced_accuracy([False], [True])) is None


def test_best_threshold_by_hand() -> None:
    # t=0.9 and t=0.4 both give 0.75; the higher threshold wins the tie.
    assert m.best_threshold([True, True, False, False], [0.9, 0.4, 0.6, 0.1]) == \
        (0.9, pytest.approx(0.75))
    # tied scores move together: at t=0.5 TPR 1, TNR 1/2 -> 0.75; at t=0.7 TPR 1/2, TNR 1 -> 0.75
    # (higher wins); nothing beats it.
    assert m.best_threshold([True, True, False, False], [0.7, 0.5, 0.5, 0.1]) == \
        (0.7, pytest.approx(0.75))
    # perfectly separable: the lowest positive score.
    assert m.best_threshold([True, False, True], [0.8, 0.2, 0.6]) == (0.6, 1.0)


# -- judging and loaders ----------------------------------------------------------------------


class _Counting:
    name = "counting"

    def __init__(self) -> None:
        self.calls: list[int] = []

    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        self.calls.append(len(pairs))
        return [Verdict(len(h) / 10, TYPES[0], 0.0) for _, h in pairs]


def test_judge_all_is_one_call_over_distinct_pairs() -> None:
    pairs = [ej.Pair("p", "abc", True), ej.Pair("p", "a", False), ej.Pair("p", "abc", False)]
    judge = _Counting()
    assert ej.judge_all(judge, pairs) == pytest.approx([0.3, 0.1, 0.3])
    assert judge.calls == [2]


def test_own_threshold() -> None:
    assert ej.own_threshold(create("chrf")) == 0.5
    fake = SimpleNamespace(name="x", config=SimpleNamespace(threshold=0.37))
    assert ej.own_threshold(fake) == 0.37


def test_load_mrpc_bom_and_header(tmp_path: Path) -> None:
    path = tmp_path / "mrpc.txt"
    path.write_text("\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
                    "1\t1\t2\tA said B.\tB, A said.\n\n0\t3\t4\tC rose.\tC fell.\n",
                    encoding="utf-8")
    pairs = ej.load_mrpc(path)
    assert [(p.premise, p.hypothesis, p.changed) for p in pairs] == \
        [("A said B.", "B, A said.", False), ("C rose.", "C fell.", True)]


def test_mrpc_test_has_1147_paraphrases(ext: Path) -> None:
    pairs = ej.load_mrpc(ext / "mrpc" / "msr_paraphrase_test.txt")
    assert len(pairs) == 1725
    assert sum(not p.changed for p in pairs) == 1147
    assert all(p.premise and p.hypothesis for p in pairs)


def test_load_falke(ext: Path) -> None:
    triples = ej.load_falke(ext / "falke-correctness" / "val_sentence_pairs.json", limit=5)
    assert len(triples) == 5
    for good, bad in triples:
        assert good.premise == bad.premise and good.premise
        assert (good.changed, bad.changed) == (False, True)
        assert good.hypothesis and bad.hypothesis


def test_load_qags(ext: Path) -> None:
    path = ext / "qags" / "mturk_cnndm.jsonl"
    pairs = ej.load_qags(path, limit=3)
    records = [json.loads(r) for r in path.read_text(encoding="utf-8").split("\n")[:3]]
    votes = [sum(v["response"] == "yes" for v in s["responses"])
             for r in records for s in r["summary_sentences"]]
    assert [p.changed for p in pairs] == [v < 2 for v in votes]
    assert len({p.group for p in pairs}) == 3
    assert all(p.hypothesis and p.premise for p in pairs)


def test_load_frank(ext: Path) -> None:
    summaries, pairs = ej.load_frank(ext / "frank", "test", limit=3)
    assert len(summaries) == 3
    assert {p.group for p in pairs} == {s.key for s in summaries}
    assert sum(len(s.lines) for s in summaries) == len(pairs)
    assert all(p.premise for p in pairs)


def test_sentences_split_glued_text() -> None:
    assert ej.sentences("He left.The team won. It rained.") == \
        ["He left.", "The team won.", "It rained."]


# -- the short run ----------------------------------------------------------------------------

FIGURES = ("roc_auc", "balanced_accuracy", "tuned_balanced_accuracy",
           "paraphrases_called_changed", "non_paraphrases_called_changed", "ranking_accuracy")


def _figures(d: dict[str, Any], where: str = "") -> list[tuple[str, Any]]:
    out = []
    for k, v in d.items():
        if isinstance(v, dict):
            out += _figures(v, f"{where}{k}.")
        elif k in FIGURES:
            out.append((where + k, v))
    return out


def test_run_figures_are_finite_rates(short_run: dict[str, Any]) -> None:
    figures = _figures(short_run)
    assert len(figures) >= 12
    for name, value in figures:
        assert isinstance(value, float) and math.isfinite(value), name
        assert 0.0 <= value <= 1.0, name
    assert short_run["mrpc"]["n"] == LIMIT
    assert short_run["falke"]["n"] == LIMIT
    assert short_run["qags"]["cnndm"]["articles"] == LIMIT
    assert short_run["frank"]["test"]["n"] == short_run["frank"]["valid"]["n"] == LIMIT
    assert math.isfinite(short_run["frank"]["tuned_threshold"])
    f = short_run["falke"]
    assert f["wins"] + f["ties"] + f["losses"] == f["n"]
    assert "Falke" in ej.table(short_run)


def test_main_writes_json_and_table(ext: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "judge.json"
    rc = ej.main(["--judge", "chrf", "--shared", str(ext.parent), "--limit", "3",
                  "--json", str(out)])
    assert rc == 0
    assert json.loads(out.read_text(encoding="utf-8"))["judge"] == "chrf"
    assert "MRPC test" in capsys.readouterr().out


def test_main_without_data_or_judge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert ej.main(["--judge", "chrf", "--shared", str(tmp_path)]) == 0
    assert "no external data" in capsys.readouterr().out
    (tmp_path / "external").mkdir()
    monkeypatch.setenv("DRIFT_JUDGE", "off")
    assert ej.main(["--judge", "learned", "--shared", str(tmp_path)]) == 2
    assert "--judge chrf" in capsys.readouterr().err
