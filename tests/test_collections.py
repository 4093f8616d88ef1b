"""The labelled story collections pass the consistency checker (labels found exactly once,
word counts, one clean article per story, drift types valid, the counts each collection must
hold)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from drift.judge.corpus import HELDOUT_COLLECTIONS, TRAIN_SETS

SETS = Path(__file__).resolve().parent.parent / "benchmarks" / "sets"
sys.path.insert(0, str(SETS))

from check_collection import COLLECTIONS, check, main  # noqa: E402


@pytest.mark.parametrize("name", sorted(COLLECTIONS))
def test_collection_passes_the_checker(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(SETS / name, COLLECTIONS[name]) == 0, capsys.readouterr().out[-2000:]
    assert capsys.readouterr().out.rstrip().endswith("OK")


def test_the_checker_finds_a_broken_label(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import shutil

    story = next(p for p in sorted((SETS / "heldout-4").iterdir()) if p.is_dir())
    shutil.copytree(story, tmp_path / story.name)
    labels = json.loads((story / "labels.json").read_text(encoding="utf-8"))
    labels["drifts"][0]["text"] = "words that no article of this story contains"
    (tmp_path / story.name / "labels.json").write_text(json.dumps(labels), encoding="utf-8")
    assert check(tmp_path, COLLECTIONS["heldout-4"], [story.name.split("-")[0]]) == 1
    assert "text found 0 times" in capsys.readouterr().out
    assert main(["no-such-collection"]) == 2


def test_every_numbered_and_every_gate_or_training_collection_is_checked() -> None:
    numbered = {p.name for p in SETS.glob("heldout-[0-9]*") if p.is_dir()}
    trained = {name for name, _ in TRAIN_SETS if name != "dev"}
    assert set(HELDOUT_COLLECTIONS) <= numbered
    assert sorted(numbered - set(COLLECTIONS)) == []
    # heldout (5 short stories, the first collection) predates the checker.
    assert sorted(trained - set(COLLECTIONS)) == ["heldout"]
    assert all((SETS / name).is_dir() for name in COLLECTIONS)
