"""The ``marian-ct2`` backend: opus-mt models converted to CTranslate2 int8, run on the CPU.

This is drift's fast translation path: ``auto`` picks it whenever a conversion is present, and
converts a locally available opus-mt model once, on first use, when it is not (see
:meth:`CT2Translator.auto_convert`; ``DRIFT_AUTO_CONVERT=0`` turns that off).

A converted model lives in ``<models dir>/<model name>-ct2/`` (``drift models convert <lang>``,
:func:`drift.modelhub.convert`) with the model's tokenizer files copied in (``source.spm``,
``target.spm``, ``vocab.json``, ``tokenizer_config.json``...). Tokenization reads those files
with sentencepiece directly (:class:`SpmTokenizer`, the same pieces and ids as transformers'
MarianTokenizer, without importing transformers); source pieces end with ``</s>``.

Decoding is greedy by default (``beam_size=1``): beam 4 runs at about half its throughput,
which would leave the fast path near 2x transformers fp32 greedy instead of the 4x or more it is
for. ``num_beams=`` or ``$DRIFT_BEAM`` choose another beam size; the beam size is part
of :meth:`CT2Translator.revision`, so cached translations of one setting are never served for
another. All inputs of a call go to ONE ``translate_batch`` (:meth:`CT2Translator.generate`)
with ``max_batch_size`` examples per batch, sorted by length, with the beam size and the
decoding length set explicitly (the library defaults are beam 2 and 256 tokens), split so that
every worker gets a share; threads follow the core count (:func:`thread_layout`). Splitting of
over-long inputs is the ``marian`` backend's (inherited).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from drift import modelhub
from drift.translate.base import TranslationError, register
from drift.translate.marian import MarianTranslator, _cpu_count, _first_line, _Loaded

log = logging.getLogger(__name__)

DEFAULT_BEAMS = 1  # greedy: the fast path's default decoding
BEAM_ENV = "DRIFT_BEAM"
AUTO_CONVERT_ENV = "DRIFT_AUTO_CONVERT"
_LOADED: dict[Path, _Loaded] = {}  # converted folder -> loaded translator and tokenizer
LOADS: dict[str, int] = {}  # converted folder name -> times loaded here (``drift.stories``)
_LOCK = threading.Lock()
# Model id -> why its automatic conversion failed (not retried in this process).
AUTO_CONVERT_FAILURES: dict[str, str] = {}


def default_beams() -> int:
    """The beam size of the fast path: ``$DRIFT_BEAM`` when it is a positive integer, else 1."""
    raw = os.environ.get(BEAM_ENV, "").strip()
    try:
        return max(1, int(raw)) if raw else DEFAULT_BEAMS
    except ValueError:
        return DEFAULT_BEAMS


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


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _token_text(value: Any, default: str) -> str:
    """A special token from tokenizer_config / special_tokens_map: a string or {"content": ...}."""
    if isinstance(value, dict):
        value = value.get("content")
    return value if isinstance(value, str) and value else default


class SpmTokenizer:
    """MarianTokenizer's behaviour, as far as drift uses it, from the opus-mt tokenizer files
    with sentencepiece alone (transformers is not imported).

    Source side: special tokens in the text kept whole, a leading ``>>xx<<`` language code kept
    as one token, the rest encoded by ``source.spm``; pieces mapped through ``vocab.json``
    (unknown ones to ``<unk>``), cut to ``max_length - 1`` and ended with ``</s>``. Target side:
    special tokens and unknown pieces dropped, the rest decoded by ``source.spm`` when the
    vocabulary is shared (as MarianTokenizer does) or ``target.spm`` when it is separate.
    """

    def __init__(self, folder: Path | str) -> None:
        import sentencepiece

        folder = Path(folder)
        config = _read_json(folder / "tokenizer_config.json")
        special = _read_json(folder / "special_tokens_map.json")

        def token(name: str, default: str) -> str:
            return _token_text(config.get(name, special.get(name)), default)

        self.unk_token = token("unk_token", "<unk>")
        self.eos_token = token("eos_token", "</s>")
        self.pad_token = token("pad_token", "<pad>")
        extra = config.get("additional_special_tokens", special.get("additional_special_tokens"))
        extras = [_token_text(t, "") for t in extra] if isinstance(extra, list) else []
        self.separate_vocabs = bool(config.get("separate_vocabs", False))
        self.clean_up_spaces = bool(config.get("clean_up_tokenization_spaces", False))
        encoder = _read_json(folder / "vocab.json")
        if self.unk_token not in encoder:
            raise ValueError(f"{folder / 'vocab.json'}: no {self.unk_token} token")
        self.encoder: dict[str, int] = {str(k): int(v) for k, v in encoder.items()}
        self.decoder = {v: k for k, v in self.encoder.items()}
        self.target_encoder = self.encoder
        if self.separate_vocabs:
            target = _read_json(folder / "target_vocab.json")
            self.target_encoder = {str(k): int(v) for k, v in target.items()}
        self.unk_id = self.encoder[self.unk_token]
        self.eos_id = self.encoder.get(self.eos_token, 0)
        self.source_spm = sentencepiece.SentencePieceProcessor(
            model_file=str(folder / "source.spm"))
        self.target_spm = sentencepiece.SentencePieceProcessor(
            model_file=str(folder / "target.spm"))
        self.special_tokens = [t for t in dict.fromkeys(
            [self.eos_token, self.unk_token, self.pad_token, *extras]) if t]
        self._special_set = frozenset(self.special_tokens)
        ordered = sorted(self.special_tokens, key=len, reverse=True)
        self._split = re.compile("(" + "|".join(re.escape(t) for t in ordered) + ")")

    # -- source side ----------------------------------------------------------------------

    def _pieces(self, text: str) -> list[str]:
        code: list[str] = []
        if text.startswith(">>") and (end := text.find("<<")) != -1:
            code, text = [text[: end + 2]], text[end + 2 :]
        return code + list(self.source_spm.encode(text, out_type=str))

    def tokenize(self, text: str) -> list[str]:
        """Source pieces of ``text`` (no ``</s>``), as ``MarianTokenizer.tokenize`` gives them."""
        out: list[str] = []
        for chunk in self._split.split(text):
            if not chunk:
                continue
            if chunk in self._special_set:
                out.append(chunk)
            else:
                out.extend(self._pieces(chunk))
        return out

    def encode(self, text: str, max_length: int | None = None) -> list[int]:
        """Source ids ending with ``</s>``, at most ``max_length`` of them (the tokenizer's
        ``input_ids`` with ``truncation=True``)."""
        ids = [self.encoder.get(p, self.unk_id) for p in self.tokenize(text)]
        if max_length is not None:
            ids = ids[: max(0, max_length - 1)]
        return [*ids, self.eos_id]

    def source_tokens(self, text: str, max_length: int | None = None) -> list[str]:
        """The tokens of :meth:`encode`'s ids (what CTranslate2 is given)."""
        return [self.decoder[i] for i in self.encode(text, max_length)]

    # -- target side ----------------------------------------------------------------------

    def detokenize(self, tokens: Sequence[str]) -> str:
        """The text of target tokens, special and unknown tokens skipped (``decode(...,
        skip_special_tokens=True)`` of their ids)."""
        keep = [t for t in tokens if t in self.target_encoder and t not in self._special_set]
        spm = self.target_spm if self.separate_vocabs else self.source_spm
        text = str(spm.decode_pieces(keep)).replace("\u2581", " ").strip()
        return _clean_up(text) if self.clean_up_spaces else text


def _clean_up(text: str) -> str:
    """transformers' ``clean_up_tokenization`` (for tokenizer configs that ask for it)."""
    for a, b in ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"),
                 (" n't", "n't"), (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"),
                 (" 're", "'re")):
        text = text.replace(a, b)
    return text


def auto_convert_enabled() -> bool:
    """``$DRIFT_AUTO_CONVERT`` is not 0 / false / no / off, and ctranslate2 is importable."""
    if os.environ.get(AUTO_CONVERT_ENV, "").strip().lower() in {"0", "false", "no", "off"}:
        return False
    return importlib.util.find_spec("ctranslate2") is not None


@register("marian-ct2")
class CT2Translator(MarianTranslator):
    """opus-mt models run by CTranslate2 (int8 weights, greedy): several times faster than
    transformers fp32, a third of the RAM."""

    name = "marian-ct2"

    def __init__(
        self,
        models_dir: Path | str | None = None,
        batch_size: int = 32,
        num_beams: int | None = None,
        max_input_tokens: int = 400,
        compute_type: str = "int8",
        cores: int | None = None,
    ) -> None:
        beams = default_beams() if num_beams is None else num_beams
        super().__init__(models_dir, batch_size, beams, max_input_tokens, device="cpu")
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
        return f"ct2-{self.compute_type}-beam{self.num_beams}-{_dir_hash(folder)}"

    def device(self) -> str:
        return "cpu"

    def convertible(self, src: str) -> bool:
        """Is there a transformers model of ``src`` here to convert (the models directory or
        the Hugging Face cache; nothing is downloaded)?"""
        model_id = self._hub_id(src)
        return self._local(model_id) is not None or modelhub.cached_snapshot(model_id) is not None

    def auto_convert(self, src: str) -> str | None:
        """Convert ``src``'s model once for this backend, as ``drift models convert`` does, when
        it is not converted yet, automatic conversion is on (:func:`auto_convert_enabled`) and
        the transformers model is here. None when the conversion is there afterwards; else why
        not (a failed conversion is logged, recorded in AUTO_CONVERT_FAILURES, not retried)."""
        if self.unavailable(src) is None:
            return None
        model_id = self._hub_id(src)
        if model_id in AUTO_CONVERT_FAILURES:
            return AUTO_CONVERT_FAILURES[model_id]
        if not auto_convert_enabled():
            return f"automatic conversion is off ({AUTO_CONVERT_ENV}=0 or no ctranslate2)"
        if not self.convertible(src):
            return f"no local transformers model of {model_id} to convert"
        from drift.modelhub import quiet_progress

        try:
            with _LOCK, quiet_progress():
                message = modelhub.convert_model(model_id, self._root())
        except Exception as exc:  # ModelConvertError, OSError (a read-only folder), ...
            reason = f"automatic conversion of {model_id} failed: {_first_line(exc)}"
            AUTO_CONVERT_FAILURES[model_id] = reason
            log.warning("drift: %s; translating with the marian backend instead", reason)
            return reason
        log.warning("drift: %s, once, for the fast marian-ct2 backend (%s=0 turns this off)",
                    message, AUTO_CONVERT_ENV)
        return self.unavailable(src)

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
            except Exception as exc:  # ctranslate2 raises RuntimeError, sentencepiece OSError...
                raise TranslationError(
                    f"cannot load {folder}: {_first_line(exc)}") from exc
            _LOADED[folder] = loaded
            LOADS[folder.name] = LOADS.get(folder.name, 0) + 1
            return loaded

    def _open(self, folder: Path) -> _Loaded:
        import ctranslate2

        tokenizer = SpmTokenizer(folder)
        translator = ctranslate2.Translator(
            str(folder), device="cpu", compute_type=self.compute_type,
            inter_threads=self.inter_threads, intra_threads=self.intra_threads)
        positions = modelhub.ct2_max_positions(folder)
        return _Loaded(tokenizer, translator, str(folder), "cpu", positions)

    # -- translating ----------------------------------------------------------------------

    def source_tokens(self, texts: Sequence[str], loaded: _Loaded) -> list[list[str]]:
        """SentencePiece pieces of each text, ending with ``</s>``, cut to the input limit."""
        tok: SpmTokenizer = loaded.tokenizer
        limit = self._limit(loaded)
        return [tok.source_tokens(t, limit) for t in texts]

    def generate(self, sources: Sequence[Sequence[str]], loaded: _Loaded,
                 max_length: int, min_length: int = 1) -> list[list[str]]:
        """Target tokens of each source token list (ending with ``</s>``), in input order:
        ONE translate_batch call with this backend's decoding settings (beam size, batch size,
        sorted by length, explicit lengths). The benchmark times this very call.

        Batches hold at most ``batch_size`` examples, and no more than an even share per
        worker: a call with fewer than inter_threads x batch_size inputs still keeps every
        worker busy (32 inputs on 2 workers: two batches of 16, not one of 32 on one core)."""
        if not sources:
            return []
        per_batch = max(1, min(self.batch_size, -(-len(sources) // self.inter_threads)))
        # Sorting by length here too keeps the batches (and so the outputs) the same whatever
        # order the texts came in.
        order = sorted(range(len(sources)), key=lambda i: (len(sources[i]), i))
        results: list[Any] = loaded.model.translate_batch(
            [list(sources[i]) for i in order],
            max_batch_size=per_batch,
            batch_type="examples",
            beam_size=self.num_beams,
            num_hypotheses=1,
            max_decoding_length=max_length,
            min_decoding_length=min_length,
            max_input_length=self._limit(loaded),
        )
        self.translate_calls += 1
        self.generate_calls += 1
        self.pieces_translated += len(sources)
        out: list[list[str]] = [[] for _ in sources]
        for i, res in zip(order, results, strict=True):
            out[i] = list(res.hypotheses[0])
        return out

    def installed(self, src: str) -> bool:
        return self.unavailable(src) is None

    def _generate_n(self, pieces: list[str], loaded: _Loaded, n: int) -> list[list[str]]:
        """The ``n`` best translations of each piece: one translate_batch call, beam search at
        least ``n`` wide (n = 1: this backend's decoding)."""
        if n == 1:
            return [[t] for t in self._generate(pieces, loaded)]
        if not pieces:
            return []
        tok: SpmTokenizer = loaded.tokenizer
        sources = self.source_tokens(pieces, loaded)
        budgets = [self._budget(len(s), loaded) for s in sources]
        order = sorted(range(len(sources)), key=lambda i: (len(sources[i]), i))
        results: list[Any] = loaded.model.translate_batch(
            [list(sources[i]) for i in order], max_batch_size=self.batch_size,
            batch_type="examples", beam_size=max(self.num_beams, n), num_hypotheses=n,
            max_decoding_length=max(budgets), max_input_length=self._limit(loaded))
        self.translate_calls += 1
        out: list[list[str]] = [[] for _ in pieces]
        for i, res in zip(order, results, strict=True):
            hyps = [list(h)[: budgets[i] - 1] if len(h) >= budgets[i] else list(h)
                    for h in res.hypotheses]
            hyps += [hyps[-1] if hyps else []] * (n - len(hyps))
            out[i] = [tok.detokenize(h) for h in hyps[:n]]
        return out

    def _generate(self, pieces: list[str], loaded: _Loaded) -> list[str]:
        """Translations of ``pieces`` in input order: one translate_batch call over them all."""
        if not pieces:
            return []
        tok: SpmTokenizer = loaded.tokenizer
        sources = self.source_tokens(pieces, loaded)
        budgets = [self._budget(len(s), loaded) for s in sources]
        hyps = self.generate(sources, loaded, max(budgets))
        out: list[str] = []
        for hyp, budget in zip(hyps, budgets, strict=True):
            # Each output cut to its own budget (less the final </s>), as the marian backend does.
            if len(hyp) >= budget:
                hyp = hyp[: budget - 1]
            out.append(tok.detokenize(hyp))
        return out
