"""Optional NLI contradiction scorer: any transformers sequence-classification NLI model.

``NLIScorer(model).contradiction(pairs)`` gives, for each (premise, hypothesis) pair, the softmax
probability of the model's "contradiction" label. In an audit the premise is the reference
sentence and the hypothesis the article's sentence.

The model is a folder (loaded from disk only) or a hub id, looked up in order in the models
directory (``drift.modelhub``), in the Hugging Face cache, and on the hub unless HF_HUB_OFFLINE
(or TRANSFORMERS_OFFLINE) is set or the hub cannot be reached. torch and transformers are imported
on first use, not when this module is imported.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drift import modelhub

CONTRADICTION = "contradiction"
DEFAULT_BATCH_SIZE = 16
DEFAULT_MAX_LENGTH = 512


class NLIError(RuntimeError):
    """The NLI model cannot be found, loaded or used (one-line message)."""


@dataclass(frozen=True, slots=True)
class _Loaded:
    tokenizer: Any
    model: Any
    source: str  # the folder or hub id it was loaded from
    device: str
    index: int  # the contradiction label's output index
    max_length: int


class NLIScorer:
    """Contradiction probabilities from a sequence-classification NLI model.

    ``model``: a model folder, or a hub id such as ``"cross-encoder/nli-deberta-v3-xsmall"``.
    ``device``: ``"cpu"``, ``"cuda"``, ``"cuda:1"``...; default ``cuda`` when available.
    ``contradiction_index``: the output index to read, for models whose ``config.id2label`` has no
    "contradiction" label (``LABEL_0``...); by default it is found in ``id2label``.
    Loading happens on the first call to :meth:`load` or :meth:`contradiction`; both raise
    :class:`NLIError` with a one-line reason when the model is unusable.
    """

    def __init__(
        self,
        model: str | Path,
        *,
        device: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_length: int = DEFAULT_MAX_LENGTH,
        contradiction_index: int | None = None,
    ) -> None:
        self.model = str(model)
        self.batch_size = max(1, batch_size)
        self.max_length = max(8, max_length)
        self._device = device
        self._index = contradiction_index
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()

    # -- loading --------------------------------------------------------------------------

    def load(self) -> NLIScorer:
        """Load the model and tokenizer now (idempotent); returns ``self``."""
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
        return self

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    @property
    def source(self) -> str:
        """Where the model was loaded from (a folder or the hub id)."""
        return self.load()._require().source

    @property
    def device(self) -> str:
        return self.load()._require().device

    @property
    def contradiction_label(self) -> int:
        """The output index read as "contradiction"."""
        return self.load()._require().index

    def _require(self) -> _Loaded:
        if self._loaded is None:  # pragma: no cover - every caller loads first
            raise NLIError(f"NLI model {self.model} is not loaded")
        return self._loaded

    def _candidates(self) -> list[tuple[str, bool]]:
        """(source, local files only) to try in order; raises NLIError when there is none."""
        path = Path(self.model).expanduser()
        if path.is_dir():
            return [(str(path), True)]
        if _looks_like_path(self.model):
            raise NLIError(f"NLI model folder {self.model} does not exist")
        folder = modelhub.local_dir(self.model)
        if modelhub.is_model_dir(folder):
            return [(str(folder), True)]
        candidates: list[tuple[str, bool]] = []
        if modelhub.cached_snapshot(self.model) is not None:
            candidates.append((self.model, True))
        if modelhub.hub_reachable():
            candidates.append((self.model, False))
        if not candidates:
            why = ("HF_HUB_OFFLINE is set" if modelhub.hub_offline()
                   else "the Hugging Face hub cannot be reached")
            raise NLIError(
                f"NLI model {self.model} is not available here: not in {folder}, not in the "
                f"Hugging Face cache ({modelhub.hf_cache_dir()}), and {why}; download it where "
                f"there is network access and copy its folder to {folder}, or pass a model folder")
        return candidates

    def _load(self) -> _Loaded:
        errors: list[str] = []
        for source, local_only in self._candidates():
            try:
                tokenizer, model = _from_pretrained(source, local_only)
            except Exception as exc:  # transformers raises OSError, ValueError, HTTP errors...
                if not local_only and modelhub.is_connection_error(exc):
                    errors.append(f"NLI model {self.model} could not be downloaded: the Hugging "
                                  "Face hub cannot be reached")
                else:
                    errors.append(f"cannot load NLI model {self.model} from {source}: "
                                  f"{_first_line(exc)}")
                continue
            index = self._label_index(model.config)
            device = self._device or _default_device()
            try:
                model.eval().to(device)
            except (RuntimeError, AssertionError, ValueError) as exc:
                raise NLIError(f"NLI model {self.model}: cannot use device {device}: "
                               f"{_first_line(exc)}") from exc
            limit = self.max_length
            for cap in (getattr(tokenizer, "model_max_length", None),
                        getattr(model.config, "max_position_embeddings", None)):
                if isinstance(cap, int) and cap > 0:
                    limit = min(limit, cap)
            return _Loaded(tokenizer, model, source, device, index, limit)
        raise NLIError("; ".join(errors))

    def _label_index(self, config: Any) -> int:
        id2label = {int(k): str(v) for k, v in (getattr(config, "id2label", None) or {}).items()}
        n = int(getattr(config, "num_labels", len(id2label)) or len(id2label))
        if self._index is not None:
            if not 0 <= self._index < n:
                raise NLIError(f"NLI model {self.model} has {n} labels: contradiction index "
                               f"{self._index} is out of range")
            return self._index
        found = [i for i, label in id2label.items() if label.strip().lower() == CONTRADICTION]
        if len(found) != 1:
            labels = ", ".join(f"{i}={label}" for i, label in sorted(id2label.items())) or "none"
            raise NLIError(f"NLI model {self.model} has no single 'contradiction' label in "
                           f"config.id2label ({labels}); use an NLI model or pass "
                           "contradiction_index")
        return found[0]

    # -- scoring --------------------------------------------------------------------------

    def contradiction(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """P(contradiction) for each (premise, hypothesis) pair, in input order.

        Pairs are sorted by length and run in batches of ``batch_size``; an over-long pair is
        truncated (longest side first) to the model's maximum length.
        """
        if not pairs:
            return []
        loaded = self.load()._require()
        import torch

        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        out = [0.0] * len(pairs)
        for b in range(0, len(order), self.batch_size):
            batch = order[b : b + self.batch_size]
            try:
                enc = loaded.tokenizer(
                    [pairs[i][0] for i in batch], [pairs[i][1] for i in batch],
                    return_tensors="pt", padding=True, truncation=True,
                    max_length=loaded.max_length).to(loaded.device)
                with torch.inference_mode():
                    logits = loaded.model(**enc).logits.float()
            except (RuntimeError, ValueError, IndexError) as exc:
                raise NLIError(f"NLI model {self.model}: scoring failed: "
                               f"{_first_line(exc)}") from exc
            probs = torch.softmax(logits, dim=-1)[:, loaded.index].tolist()
            for i, p in zip(batch, probs, strict=True):
                out[i] = float(p)
        return out


def _looks_like_path(model: str) -> bool:
    """A relative or absolute path rather than a hub id ("org/name" or "name")."""
    return model.startswith((".", "/", "~", "\\")) or model.count("/") > 1 or "\\" in model


def _default_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _from_pretrained(source: str, local_only: bool) -> tuple[Any, Any]:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    cache_dir = str(modelhub.hf_cache_dir())
    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_only,
                                              cache_dir=cache_dir)
    model = AutoModelForSequenceClassification.from_pretrained(
        source, local_files_only=local_only, cache_dir=cache_dir)
    return tokenizer, model


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
