"""The held-out collections pass their own consistency checkers (labels found exactly once,
word counts, one clean article per story, drift types valid)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from drift.judge.corpus import HELDOUT_COLLECTIONS

SETS = Path(__file__).resolve().parent.parent / "benchmarks" / "sets"
CHECKERS = sorted(SETS.glob("*/check.py"))


@pytest.mark.parametrize("checker", CHECKERS, ids=[c.parent.name for c in CHECKERS])
def test_collection_passes_its_checker(checker: Path) -> None:
    out = subprocess.run([sys.executable, str(checker)], cwd=checker.parent,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert out.stdout.rstrip().endswith("OK")


def test_every_numbered_collection_and_the_gate_collections_have_a_checker() -> None:
    numbered = {p.name for p in SETS.glob("heldout-[0-9]*") if p.is_dir()}
    assert set(HELDOUT_COLLECTIONS) <= numbered
    assert sorted(n for n in numbered if not (SETS / n / "check.py").is_file()) == []
