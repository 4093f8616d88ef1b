"""Shared fixtures and the system-package guard.

The seed articles and the development sets are real test data kept outside the project, in the
``shared`` folder beside the checkout (``../shared``). Tests read them from there and never copy
their text; a clone without ``../shared`` skips those tests with a reason and still passes.

Tests that need a system package (Apertium and its pairs, Chromium) call ``need_apertium`` /
``need_chromium`` (``from conftest import ...``): without the package the test is skipped with
the line that installs it (``make setup`` installs them where it can), and under CI
(``CI=true``) it fails instead, so CI always runs those tests.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def in_ci() -> bool:
    """Whether this run is CI's (``CI`` set to true, 1 or yes)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def need_system(what: str, install: str, *, module: bool = False) -> NoReturn:
    """Skip the calling test (the whole module with ``module``) because the system package
    ``what`` is missing, naming the ``install`` line; under CI fail instead."""
    message = f"{what} is not installed here: {install}"
    if in_ci():
        pytest.fail(f"CI must run this test: {message}", pytrace=False)
    pytest.skip(message, allow_module_level=module)


def need_apertium(lang: str = "es") -> None:
    """Unless Apertium translates ``lang`` into English here (directly or through Spanish),
    skip the test (fail it under CI) with the apt-get line that adds the missing pieces."""
    from drift.doctor import APERTIUM_LANGUAGES, install_line
    from drift.translate.apertium import ApertiumTranslator

    if ApertiumTranslator().unavailable(lang) is None:
        return
    route = APERTIUM_LANGUAGES.get(lang, (("spa-eng", "apertium-eng-spa"),))
    need_system(f"Apertium {lang}->en", install_line(["apertium", *(p for _, p in route)]))


def need_chromium(*, module: bool = False) -> None:
    """Skip (fail under CI) unless Debian's Chromium is installed."""
    from drift.doctor import CHROMIUM, install_line

    if not CHROMIUM.exists():
        need_system(f"Chromium ({CHROMIUM})", install_line(["chromium"]), module=module)


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
