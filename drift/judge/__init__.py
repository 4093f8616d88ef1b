"""Judges: does an article sentence say what its reference context says?

A judge scores (premise, hypothesis) pairs: the premise is the reference context of an article
sentence (its best-aligned reference sentences, in reference order), the hypothesis the article
sentence in English. Each ``Verdict`` gives the probability that the meaning changed, the most
likely drift type, and the character spans of the hypothesis that carry the change.

Judges are interchangeable behind the ``Judge`` protocol and chosen from ``JUDGES`` by name:

- ``learned``: the cross-encoder trained by ``make train-judge`` (``drift.judge.learned``),
  weights in ``models/judge/``;
- ``chrf``: a surface baseline (1 - chrF), for measuring the learned judge against.

Corpus generation (``drift.judge.corpus``) and training (``drift.judge.train``) live beside
inference and are never imported by it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

# The sentence-level drift types a judge tells apart (the taxonomy's types less the two that
# are about whole articles: unsupported_addition and omission).
TYPES: tuple[str, ...] = (
    "actor_swap",
    "entity_change",
    "number_change",
    "date_change",
    "location_change",
    "predicate_change",
    "modality_shift",
    "condition_change",
    "polarity_flip",
    "source_change",
    "quote_misattribution",
    "translation_shift",
)
SAME = "same"


@dataclass(frozen=True, slots=True)
class Verdict:
    """A judge's answer for one (premise, hypothesis) pair."""

    p_changed: float  # probability that the hypothesis changes the premise's meaning
    type: str  # the most likely drift type (one of TYPES)
    type_prob: float
    tagged: tuple[tuple[int, int], ...] = ()  # character spans of the hypothesis marked changed


@runtime_checkable
class Judge(Protocol):
    """Scores batches of (premise, hypothesis) pairs."""

    name: str

    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        """One verdict per pair, in input order."""
        ...


JUDGES: dict[str, str] = {
    "learned": "drift.judge.learned.LearnedJudge",
    "chrf": "drift.judge.baseline.ChrfJudge",
}


def weights_dir() -> Path | None:
    """The learned judge's folder: ``$DRIFT_JUDGE`` alone when set (``off`` disables it), else
    ``models/judge`` of this checkout, else ``judge/`` in drift's models directory; None when
    none holds weights."""
    env = os.environ.get("DRIFT_JUDGE", "").strip()
    if env.lower() in {"off", "0", "none", "false", "no"}:
        return None
    if env:
        candidates = [Path(env).expanduser()]
    else:
        from drift.modelhub import models_dir

        candidates = [Path(__file__).resolve().parents[2] / "models" / "judge",
                      models_dir() / "judge"]
    for folder in candidates:
        if (folder / "config.json").is_file() and any(folder.glob("*.safetensors")):
            return folder
    return None


def create(name: str) -> Judge:
    """The judge registered under ``name`` (imported on first use)."""
    if name not in JUDGES:
        raise ValueError(f"unknown judge {name!r} (choose from {', '.join(JUDGES)})")
    module, _, cls = JUDGES[name].rpartition(".")
    judge: Judge = getattr(importlib.import_module(module), cls)()
    return judge
