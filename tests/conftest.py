"""Shared fixtures.

The seed articles and the development sets are real test data kept outside the project, in the
``shared`` folder beside the checkout (``../shared``). Tests read them from there and never copy
their text; a clone without ``../shared`` skips those tests with a reason and still passes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _need(path: Path, what: str) -> Path:
    if not path.is_dir():
        pytest.skip(f"{what} not found at {path}: the shared test data is not beside this checkout")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout; skips the test when it is absent."""
    return _need(SHARED, "shared test data folder")


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    """The five seed articles, their reference and labels (``../shared/seeds``)."""
    return _need(shared_dir / "seeds", "seed article set")


@pytest.fixture(scope="session")
def devset_dir(shared_dir: Path) -> Path:
    """The development sets with gold labels (``../shared/devset``)."""
    return _need(shared_dir / "devset", "development sets")


@pytest.fixture(scope="session")
def devsets(devset_dir: Path) -> list[Path]:
    """Every development set folder (one holding a labels.json)."""
    sets = sorted(p for p in devset_dir.iterdir() if (p / "labels.json").is_file())
    if not sets:
        pytest.skip(f"no development set with a labels.json under {devset_dir}")
    return sets


def _load_labels(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def load_labels() -> Callable[[Path], dict[str, Any]]:
    """A function reading the gold labels (labels.json) of a seed or development set."""
    return _load_labels


@pytest.fixture
def offline_models(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No hub access, an empty Hugging Face cache and an empty models directory (returned)."""
    models = tmp_path / "no-models"
    models.mkdir()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(models))
    return models
