"""The ``marian-ct2`` backend: opus-mt models converted to CTranslate2 int8, run on the CPU.

A converted model lives in ``<models dir>/<model name>-ct2/`` (``drift models convert <lang>``,
:func:`drift.modelhub.convert`) with the model's tokenizer files copied in. Tokenization is the
model's own MarianTokenizer (source pieces end with ``</s>``); all inputs of a call go to ONE
``translate_batch`` with ``max_batch_size`` examples per batch (CTranslate2 sorts them by length),
with the beam size and the decoding length set explicitly (the library defaults are beam 2 and
256 tokens). Splitting of over-long inputs is the ``marian`` backend's (inherited).
"""

from __future__ import annotations

import hashlib
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from drift import modelhub
from drift.translate.base import TranslationError, register
from drift.translate.marian import MarianTranslator, _cpu_count, _first_line, _Loaded

_LOADED: dict[Path, _Loaded] = {}  # converted folder -> loaded translator and tokenizer
_LOCK = threading.Lock()


def thread_layout(cores: int | None = None) -> tuple[int, int]:
    """(inter_threads, intra_threads) for ``cores`` CPU cores: parallel batches first."""
    n = max(1, cores if cores is not None else _cpu_count())
    inter = min(2, n)
    return inter, max(1, n // inter)


def _dir_hash(folder: Path) -> str:
    """Sizes and mtimes of the converted model's files: changes when it is converted again."""
    h = hashlib.sha256()
    try:
        names = sorted(p.name for p in folder.iterdir() if p.is_file())
    except OSError:
        return "unknown"
    for name in names:
        st = (folder / name).stat()
        h.update(f"{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


@register("marian-ct2")
class CT2Translator(MarianTranslator):
    """opus-mt models run by CTranslate2 (int8 weights): several times faster, a third the RAM."""

    name = "marian-ct2"

    def __init__(
        self,
        models_dir: Path | str | None = None,
        batch_size: int = 32,
        num_beams: int = 4,
        max_input_tokens: int = 400,
        compute_type: str = "int8",
        cores: int | None = None,
    ) -> None:
        super().__init__(models_dir, batch_size, num_beams, max_input_tokens, device="cpu")
        self.compute_type = compute_type
        self.inter_threads, self.intra_threads = thread_layout(cores)
        self.translate_calls = 0  # translate_batch() calls made by this instance

    # -- where the model is ---------------------------------------------------------------

    def converted_dir(self, src: str) -> Path:
        """Where the CTranslate2 conversion of ``src``'s model is (or would be)."""
        return modelhub.ct2_dir(self._hub_id(src), self._root())

    def unavailable(self, src: str) -> str | None:
        folder = self.converted_dir(src)
        if modelhub.is_ct2_dir(folder):
            return None
        return (f"no CTranslate2 conversion of {self._hub_id(src)} in {folder}: run "
                f"`drift models convert {src}` (needs the transformers model locally)")

    def revision(self, src: str) -> str:
        folder = self.converted_dir(src)
        return f"ct2-{self.compute_type}-{_dir_hash(folder)}"

    def device(self) -> str:
        return "cpu"

    # -- loading --------------------------------------------------------------------------

    def _load(self, src: str) -> _Loaded:
        folder = self.converted_dir(src)
        if not modelhub.is_ct2_dir(folder):
            raise TranslationError(self.unavailable(src) or f"no model in {folder}")
        with _LOCK:
            if folder in _LOADED:
                return _LOADED[folder]
            try:
                loaded = self._open(folder)
            except Exception as exc:  # ctranslate2 raises RuntimeError, transformers OSError...
                raise TranslationError(
                    f"cannot load {folder}: {_first_line(exc)}") from exc
            _LOADED[folder] = loaded
            return loaded

    def _open(self, folder: Path) -> _Loaded:
        import ctranslate2
        from transformers import MarianTokenizer

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            tokenizer = MarianTokenizer.from_pretrained(str(folder), local_files_only=True)
        translator = ctranslate2.Translator(
            str(folder), device="cpu", compute_type=self.compute_type,
            inter_threads=self.inter_threads, intra_threads=self.intra_threads)
        positions = modelhub.ct2_max_positions(folder)
        return _Loaded(tokenizer, translator, str(folder), "cpu", positions)

    # -- translating ----------------------------------------------------------------------

    def source_tokens(self, texts: Sequence[str], loaded: _Loaded) -> list[list[str]]:
        """SentencePiece pieces of each text, ending with ``</s>``, cut to the input limit."""
        tok = loaded.tokenizer
        limit = self._limit(loaded)
        out: list[list[str]] = []
        for ids in tok(list(texts), truncation=True, max_length=limit)["input_ids"]:
            out.append(list(tok.convert_ids_to_tokens(ids)))
        return out

    def _generate(self, pieces: list[str], loaded: _Loaded) -> list[str]:
        """Translations of ``pieces`` in input order: one translate_batch call over them all."""
        if not pieces:
            return []
        tok = loaded.tokenizer
        sources = self.source_tokens(pieces, loaded)
        budgets = [self._budget(len(s), loaded) for s in sources]
        # Sorting by length here too keeps the batches (and so the outputs) the same whatever
        # order the texts came in.
        order = sorted(range(len(pieces)), key=lambda i: (len(sources[i]), i))
        results: list[Any] = loaded.model.translate_batch(
            [sources[i] for i in order],
            max_batch_size=self.batch_size,
            batch_type="examples",
            beam_size=self.num_beams,
            num_hypotheses=1,
            max_decoding_length=max(budgets),
            max_input_length=self._limit(loaded),
        )
        self.translate_calls += 1
        self.generate_calls += 1
        self.pieces_translated += len(pieces)
        out = [""] * len(pieces)
        for i, res in zip(order, results, strict=True):
            hyp: list[str] = list(res.hypotheses[0])
            # Each output cut to its own budget (less the final </s>), as the marian backend does.
            if len(hyp) >= budgets[i]:
                hyp = hyp[: budgets[i] - 1]
            ids = tok.convert_tokens_to_ids(hyp)
            out[i] = tok.decode(ids, skip_special_tokens=True).strip()
        return out
