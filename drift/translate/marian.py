"""The MarianMT backend: Helsinki-NLP opus-mt models run with transformers.

Models are looked up (in order) in the models directory (``drift.modelhub``), in the Hugging
Face cache, and on the hub unless HF_HUB_OFFLINE is set. torch and transformers are imported on
first use; each model is loaded once per process. Inputs are sorted by token length and
translated in batches; an input longer than the model takes is split at sentence boundaries
(``drift.segment``), or on token windows as a last resort, and its pieces rejoined with a space.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drift import modelhub
from drift.modelhub import quiet_progress
from drift.translate.base import TranslationError, register

MAX_NEW_TOKENS_CAP = 512
# English output runs up to ~1.5x the source tokens for the opus-mt pairs; +10 for short inputs.
OUTPUT_RATIO = 1.5
OUTPUT_SLACK = 10
_SPACE = "▁"  # SentencePiece's word-start mark


@dataclass(slots=True)
class _Loaded:
    """A loaded model, its tokenizer and where it came from."""

    tokenizer: Any
    model: Any
    source: str  # local folder, cache snapshot or hub id
    device: str
    max_positions: int


_LOADED: dict[tuple[str, str], _Loaded] = {}  # (model folder or hub id, device) -> model
LOADS: dict[str, int] = {}  # model id -> times loaded in this process (``drift.stories``)
_FAILED: dict[str, str] = {}  # hub id -> why loading from the hub failed (not retried)
_LOCK = threading.Lock()
_THREADS_SET = False


def _cpu_count() -> int:
    """Math threads for the model: ``$DRIFT_THREADS`` (a worker's share of the cores,
    ``drift.engines.limit_threads``), else the cores this process may use."""
    share = os.environ.get("DRIFT_THREADS", "")
    if share.isdigit() and int(share) > 0:
        return int(share)
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _stat_hash(folder: Path) -> str:
    """A hash of config.json and the weight files' sizes and mtimes: changes with the weights."""
    h = hashlib.sha256()
    try:
        h.update((folder / "config.json").read_bytes())
    except OSError:
        return "unknown"
    for name in sorted(p.name for p in folder.iterdir()):
        if name.endswith((".safetensors", ".bin")):
            st = (folder / name).stat()
            h.update(f"{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def _download_commit(folder: Path) -> str | None:
    """The hub commit recorded by ``snapshot_download(local_dir=...)``, if any."""
    meta = folder / ".cache" / "huggingface" / "download" / "config.json.metadata"
    try:
        first = meta.read_text(encoding="utf-8").split("\n", 1)[0].strip()
    except OSError:
        return None
    return first if re.fullmatch(r"[0-9a-f]{40}", first) else None


@register("marian")
class MarianTranslator:
    """Translates into English with the opus-mt model the registry names for each language."""

    name = "marian"

    def __init__(
        self,
        models_dir: Path | str | None = None,
        batch_size: int = 16,
        num_beams: int = 4,
        max_input_tokens: int = 400,
        device: str | None = None,
    ) -> None:
        self._models_dir = Path(models_dir) if models_dir is not None else None
        self.batch_size = max(1, batch_size)
        self.num_beams = max(1, num_beams)
        self.max_input_tokens = max(8, max_input_tokens)
        self._device = device
        self.generate_calls = 0  # model.generate() calls made by this instance
        self.pieces_translated = 0  # inputs after splitting, sent to the model

    # -- where the model is ---------------------------------------------------------------

    def _root(self) -> Path:
        return self._models_dir or modelhub.models_dir()

    def model_id(self, src: str) -> str | None:
        return modelhub.model_for(src, self._root())

    def _hub_id(self, src: str) -> str:
        return modelhub.model_for(src, self._root())

    def _local(self, model_id: str) -> Path | None:
        folder = modelhub.local_dir(model_id, self._root())
        return folder if modelhub.is_model_dir(folder) else None

    def _missing_message(self, model_id: str, src: str) -> str:
        folder = modelhub.local_dir(model_id, self._root())
        return (
            f"translation model {model_id} for {src} is not available here (not in {folder}, "
            f"not in the Hugging Face cache, and no hub access): run `drift models pull {src}` "
            f"where there is network access, or copy the model folder into {folder}"
        )

    def installed(self, src: str) -> bool:
        """Is ``src``'s model here (the models directory or the Hugging Face cache)? Nothing is
        downloaded to say so."""
        model_id = self._hub_id(src)
        return self._local(model_id) is not None or modelhub.cached_snapshot(model_id) is not None

    def unavailable(self, src: str) -> str | None:
        model_id = self._hub_id(src)
        if self._local(model_id) or modelhub.cached_snapshot(model_id):
            return None
        if model_id in _FAILED:
            return _FAILED[model_id]
        if not modelhub.hub_reachable():
            return self._missing_message(model_id, src)
        return None  # the hub may have it: tried on first translate

    def revision(self, src: str) -> str:
        model_id = self._hub_id(src)
        folder = self._local(model_id)
        if folder is not None:
            commit = _download_commit(folder)
            stats = _stat_hash(folder)
            return f"{commit[:12]}-{stats}" if commit else f"local-{stats}"
        snapshot = modelhub.cached_snapshot(model_id)
        if snapshot is not None:
            return snapshot.name  # the snapshot folder is named after the hub commit
        return "unknown"

    # -- loading --------------------------------------------------------------------------

    def device(self) -> str:
        """``cuda`` when available (unless a device was given), else ``cpu``."""
        if self._device:
            return self._device
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"

    def _load(self, src: str) -> _Loaded:
        model_id = self._hub_id(src)
        device = self.device()
        folder = self._local(model_id)
        snapshot = None if folder else modelhub.cached_snapshot(model_id)
        if folder is not None:
            candidates = [(str(folder), True)]
        elif snapshot is not None:
            candidates = [(model_id, True)]
        else:
            candidates = []
        if model_id not in _FAILED and modelhub.hub_reachable():
            candidates.append((model_id, False))
        if not candidates:
            raise TranslationError(_FAILED.get(model_id) or self._missing_message(model_id, src))
        with _LOCK:
            for source, _ in candidates:
                if (source, device) in _LOADED:
                    return _LOADED[(source, device)]
            errors: list[str] = []
            for source, local_only in candidates:
                try:
                    loaded = self._from_pretrained(source, local_only, device)
                except Exception as exc:  # transformers raises OSError, ValueError, HTTP errors...
                    if not local_only:
                        reason = (self._missing_message(model_id, src)
                                  if modelhub.is_connection_error(exc) or isinstance(exc, OSError)
                                  else f"cannot load {model_id} from the hub: {_first_line(exc)}")
                        _FAILED[model_id] = reason
                        errors.append(reason)
                    else:
                        errors.append(f"cannot load {model_id} from {source}: {_first_line(exc)}")
                    continue
                _LOADED[(source, device)] = loaded
                LOADS[model_id] = LOADS.get(model_id, 0) + 1
                return loaded
        raise TranslationError("; ".join(errors))

    @staticmethod
    def _from_pretrained(source: str, local_only: bool, device: str) -> _Loaded:
        global _THREADS_SET
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        cache_dir = str(modelhub.hf_cache_dir())
        if device == "cpu" and not _THREADS_SET:
            torch.set_num_threads(_cpu_count())
            _THREADS_SET = True
        with warnings.catch_warnings():
            # Marian's tokenizer asks for sacremoses (Moses punctuation normalisation) and goes
            # on without it; the message is noise for drift's users.
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_only,
                                                      cache_dir=cache_dir)
        with quiet_progress():
            model = AutoModelForSeq2SeqLM.from_pretrained(
                source, local_files_only=local_only, cache_dir=cache_dir, dtype=torch.float32)
        model.eval().to(device)
        # The published generation_config sets max_length=512; drift passes max_new_tokens per
        # batch, and a model-level max_length beside it only produces a warning per call.
        model.generation_config.max_length = None
        positions = int(getattr(model.config, "max_position_embeddings", 512) or 512)
        return _Loaded(tokenizer, model, source, device, positions)

    # -- translating ----------------------------------------------------------------------

    def _limit(self, loaded: _Loaded) -> int:
        """Most source tokens per model input, the final </s> included."""
        return max(4, min(self.max_input_tokens, loaded.max_positions))

    def _count(self, loaded: _Loaded, text: str) -> int:
        return len(loaded.tokenizer.tokenize(text)) + 1

    def split(self, text: str, loaded: _Loaded) -> list[str]:
        """``text`` as pieces that each fit the model: whole, by sentence, or by token window."""
        limit = self._limit(loaded)
        if self._count(loaded, text) <= limit:
            return [text]
        from drift.segment import segment

        sentences = [s.span.text for s in segment(text).sentences] or [text]
        pieces: list[str] = []
        for sentence in sentences:
            if len(sentences) > 1 and self._count(loaded, sentence) <= limit:
                pieces.append(sentence)
            else:
                pieces.extend(self._windows(sentence, loaded, limit - 1))
        return [p for p in pieces if p.strip()]

    @staticmethod
    def _windows(text: str, loaded: _Loaded, size: int) -> list[str]:
        """Token windows of at most ``size`` tokens, cut before a word start where possible."""
        tokens: list[str] = loaded.tokenizer.tokenize(text)
        out: list[str] = []
        start = 0
        while start < len(tokens):
            end = min(start + size, len(tokens))
            if end < len(tokens):
                cut = max((j for j in range(start + 1, end + 1) if tokens[j].startswith(_SPACE)),
                          default=end)
                end = cut
            out.append("".join(tokens[start:end]).replace(_SPACE, " ").strip())
            start = end
        return out

    def _budget(self, n_tokens: int, loaded: _Loaded) -> int:
        """New tokens allowed for an input of ``n_tokens`` source tokens."""
        cap = min(MAX_NEW_TOKENS_CAP, loaded.max_positions - 1)
        return max(1, min(cap, int(n_tokens * OUTPUT_RATIO) + OUTPUT_SLACK))

    def translate(self, texts: Sequence[str], src: str) -> list[str]:
        if not texts:
            return []
        loaded = self._load(src)
        pieces: list[str] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            if text.strip():
                for piece in self.split(text, loaded):
                    pieces.append(piece)
                    owner.append(i)
        try:
            outputs = self._generate(pieces, loaded)
        except (RuntimeError, ValueError, IndexError) as exc:
            raise TranslationError(
                f"{self._hub_id(src)}: translation failed: {_first_line(exc)}") from exc
        parts: list[list[str]] = [[] for _ in texts]
        for i, out in zip(owner, outputs, strict=True):
            if out:
                parts[i].append(out)
        return [" ".join(p) for p in parts]

    def translate_nbest(self, texts: Sequence[str], src: str, n: int) -> list[list[str]]:
        """The ``n`` best translations of each text, best first (beam search at least ``n``
        wide); a text split into pieces gets its pieces' k-th translations joined."""
        if not texts:
            return []
        loaded = self._load(src)
        pieces: list[str] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            if text.strip():
                for piece in self.split(text, loaded):
                    pieces.append(piece)
                    owner.append(i)
        try:
            outputs = self._generate_n(pieces, loaded, n)
        except (RuntimeError, ValueError, IndexError) as exc:
            raise TranslationError(
                f"{self._hub_id(src)}: translation failed: {_first_line(exc)}") from exc
        parts: list[list[list[str]]] = [[] for _ in texts]
        for i, hyps in zip(owner, outputs, strict=True):
            parts[i].append(hyps)
        return [[" ".join(h[k] for h in p if h[k]) for k in range(n)] if p else [""] * n
                for p in parts]

    def _generate(self, pieces: list[str], loaded: _Loaded) -> list[str]:
        """Translations of ``pieces``: sorted by length, batched, returned in input order."""
        return [hyps[0] for hyps in self._generate_n(pieces, loaded, 1)]

    def _generate_n(self, pieces: list[str], loaded: _Loaded, n: int) -> list[list[str]]:
        """The ``n`` best translations of each piece (n = 1: this backend's decoding)."""
        import torch

        limit = self._limit(loaded)
        lengths = [min(self._count(loaded, p), limit) for p in pieces]
        order = sorted(range(len(pieces)), key=lambda i: lengths[i])
        out: list[list[str]] = [[] for _ in pieces]
        tok, model = loaded.tokenizer, loaded.model
        for b in range(0, len(order), self.batch_size):
            batch = order[b : b + self.batch_size]
            enc = tok([pieces[i] for i in batch], return_tensors="pt", padding=True,
                      truncation=True, max_length=limit).to(loaded.device)
            budgets = [self._budget(lengths[i], loaded) for i in batch]
            with torch.inference_mode():
                generated = model.generate(
                    **enc,
                    num_beams=max(self.num_beams, n),
                    max_new_tokens=max(budgets),
                    do_sample=False,
                    num_return_sequences=n,
                )
            self.generate_calls += 1
            self.pieces_translated += len(batch)
            start = int(model.generation_config.decoder_start_token_id or 0)
            eos = model.generation_config.eos_token_id
            eos_ids = set(eos) if isinstance(eos, list) else {eos}
            for row, i in enumerate(batch):
                for k in range(n):
                    ids = [int(t) for t in generated[row * n + k].tolist()]
                    if ids and ids[0] == start:
                        ids = ids[1:]
                    # Cut every row to its own budget (less the forced final </s>), so an output
                    # does not depend on which other inputs shared its batch.
                    ids = ids[: budgets[row] - 1] if len(ids) >= budgets[row] else ids
                    for j, t in enumerate(ids):
                        if t in eos_ids:
                            ids = ids[:j]
                            break
                    out[i].append(tok.decode(ids, skip_special_tokens=True).strip())
        return out


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
