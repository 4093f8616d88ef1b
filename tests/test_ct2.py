"""The marian-ct2 backend: a tiny Marian model converted to CTranslate2 int8, run end to end."""

from __future__ import annotations

import logging
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from drift import modelhub
from drift.records import Passage, Span
from drift.translate import TranslationCache, TranslationError, ct2, translate_passages
from drift.translate.ct2 import CT2Translator, SpmTokenizer, default_beams, thread_layout

sys.path.insert(0, str(Path(__file__).parent))
from tiny_marian import ENGLISH, SPANISH, build_tiny_marian

pytestmark = pytest.mark.slow
ES_MODEL = "Helsinki-NLP/opus-mt-es-en"
LONG = " ".join(SPANISH[:6])


@pytest.fixture(scope="module")
def ct2_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models directory with the tiny model as opus-mt-es-en and its CT2 conversion."""
    root = tmp_path_factory.mktemp("models")
    build_tiny_marian(root / "opus-mt-es-en")
    messages = modelhub.convert(["es"], root)
    assert len(messages) == 1 and "converted" in messages[0]
    return root


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ct2_root: Path) -> Iterator[Path]:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(ct2_root))
    yield ct2_root


def passage(article: str, text: str, language: str) -> Passage:
    return Passage(article, Span.of(text, 0, len(text)), language, 0.99)


def test_conversion_layout(ct2_root: Path) -> None:
    folder = modelhub.ct2_dir(ES_MODEL, ct2_root)
    assert modelhub.is_ct2_dir(folder)
    for name in ("model.bin", "source.spm", "target.spm", "vocab.json", "drift-ct2.json"):
        assert (folder / name).is_file(), name
    assert modelhub.ct2_max_positions(folder) == 128
    again = modelhub.convert(["es"], ct2_root)
    assert "already converted" in again[0]


def test_convert_missing_source_is_a_clear_error(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    with pytest.raises(modelhub.ModelConvertError, match="no transformers model to convert"):
        modelhub.convert(["es"], tmp_path)


def test_thread_layout_follows_cores() -> None:
    assert thread_layout(1) == (1, 1)
    assert thread_layout(2) == (2, 1)
    assert thread_layout(8) == (2, 4)


def test_batching_order_and_one_call(ct2_root: Path) -> None:
    tr = CT2Translator(ct2_root, batch_size=3, num_beams=1)
    assert tr.unavailable("es") is None
    texts = [*SPANISH, ""]
    out = tr.translate(texts, "es")
    assert len(out) == len(texts) and out[-1] == ""
    assert all(o.strip() for o in out[:-1])
    assert tr.translate_calls == 1  # one translate_batch call for all inputs
    # Order: each text translated alone gives the same output as in the batch.
    single = CT2Translator(ct2_root, batch_size=1, num_beams=1)
    for text, expected in zip(SPANISH[:4], out[:4], strict=True):
        assert single.translate([text], "es") == [expected]
    reversed_out = tr.translate(list(reversed(SPANISH)), "es")
    assert reversed_out == list(reversed(out[:-1]))


def test_small_calls_keep_every_worker_busy(ct2_root: Path) -> None:
    """Fewer inputs than workers x batch size: even shares per worker, never over batch_size."""
    tr = CT2Translator(ct2_root, batch_size=32, cores=2)
    loaded = tr._load("es")
    seen: list[int] = []
    real = loaded.model

    class Recorder:
        def translate_batch(self, source: list[list[str]], **kwargs: object) -> object:
            seen.append(int(kwargs["max_batch_size"]))  # type: ignore[call-overload]
            return real.translate_batch(source, **kwargs)

    loaded.model = Recorder()
    try:
        for n in (1, 3, 32, 64, 100):
            tr.generate([["▁a", "</s>"]] * n, loaded, 4)
    finally:
        loaded.model = real
    assert tr.inter_threads == 2
    assert seen == [1, 2, 16, 32, 32]


def test_long_input_is_split(ct2_root: Path) -> None:
    tr = CT2Translator(ct2_root, max_input_tokens=24, num_beams=1)
    loaded = tr._load("es")
    pieces = tr.split(LONG, loaded)
    assert len(pieces) > 1
    out = tr.translate([LONG], "es")
    assert len(out) == 1 and out[0]
    assert tr.pieces_translated == len(pieces)


def test_cache_hits_through_translate_passages(env: Path, tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "t.sqlite")
    ps = [passage("a", t, "es") for t in SPANISH[:3]]
    tr = CT2Translator(env, num_beams=1)
    first = translate_passages(ps, "marian-ct2", cache=cache, translators={"marian-ct2": tr})
    assert all(p.translation and p.translation.backend == "marian-ct2" for p in first)
    assert cache.misses == 3 and tr.translate_calls == 1
    second = translate_passages(ps, "marian-ct2", cache=cache, translators={"marian-ct2": tr})
    assert cache.hits == 3 and tr.translate_calls == 1
    assert [p.translation for p in second] == [p.translation for p in first]
    cache.close()


def test_auto_picks_ct2_when_converted(env: Path) -> None:
    done = translate_passages([passage("a", SPANISH[0], "es")], "auto")
    assert done[0].translation is not None
    assert done[0].translation.backend == "marian-ct2"
    assert done[0].translation.model == ES_MODEL


@pytest.fixture
def unconverted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A models directory with only the transformers model (no conversion), offline."""
    root = tmp_path / "models"
    build_tiny_marian(root / "opus-mt-es-en")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(root))
    monkeypatch.setattr(ct2, "AUTO_CONVERT_FAILURES", {})
    return root


def test_auto_converts_once_and_uses_the_fast_path(
    unconverted: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="drift.translate.ct2"):
        done = translate_passages([passage("a", SPANISH[0], "es")], "auto")
    assert done[0].translation is not None
    assert done[0].translation.backend == "marian-ct2"
    folder = modelhub.ct2_dir(ES_MODEL, unconverted)
    assert modelhub.is_ct2_dir(folder)  # the same output as `drift models convert es`
    assert modelhub.convert(["es"], unconverted) == [
        f"{ES_MODEL}: already converted in {folder}"]
    lines = [r.getMessage() for r in caplog.records if r.name == "drift.translate.ct2"]
    assert len(lines) == 1 and "converted" in lines[0] and "DRIFT_AUTO_CONVERT=0" in lines[0]
    caplog.clear()
    again = translate_passages([passage("a", SPANISH[1], "es")], "auto")
    assert again[0].translation is not None and again[0].translation.backend == "marian-ct2"
    assert not [r for r in caplog.records if r.name == "drift.translate.ct2"]  # once


def test_auto_convert_opt_out_keeps_marian(unconverted: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRIFT_AUTO_CONVERT", "0")
    done = translate_passages([passage("a", SPANISH[0], "es")], "auto")
    assert done[0].translation is not None and done[0].translation.backend == "marian"
    assert not modelhub.ct2_dir(ES_MODEL, unconverted).exists()


def test_failed_auto_conversion_falls_back_to_marian_with_the_reason(
    unconverted: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []

    def broken(model_id: str, root: Path | None = None, **_: object) -> str:
        calls.append(model_id)
        raise modelhub.ModelConvertError(f"{model_id}: conversion failed: disk full")

    monkeypatch.setattr(modelhub, "convert_model", broken)
    with caplog.at_level(logging.INFO, logger="drift.translate.ct2"):
        done = translate_passages([passage("a", SPANISH[0], "es")], "auto")
        again = translate_passages([passage("a", SPANISH[1], "es")], "auto")
    assert [p.translation.backend for p in (*done, *again) if p.translation] == ["marian"] * 2
    assert calls == [ES_MODEL]  # not retried
    assert "disk full" in ct2.AUTO_CONVERT_FAILURES[ES_MODEL]
    lines = [r.getMessage() for r in caplog.records if r.name == "drift.translate.ct2"]
    assert len(lines) == 1 and "disk full" in lines[0] and "marian" in lines[0]
    # When no other backend can translate either, the conversion failure is among the reasons.
    gone = {name: _Unavailable() for name in ("marian", "apertium")}
    lost = translate_passages([passage("a", SPANISH[0], "es")], "auto", translators=gone)
    assert lost[0].translation is None and lost[0].untranslated_reason
    assert "marian-ct2: automatic conversion" in lost[0].untranslated_reason
    assert "disk full" in lost[0].untranslated_reason


class _Unavailable:
    name = "stub"

    def unavailable(self, src: str) -> str | None:
        return "not here"


def test_no_automatic_conversion_without_a_local_model(offline_models: Path) -> None:
    tr = CT2Translator()
    reason = tr.auto_convert("es")
    assert reason is not None and "no local transformers model" in reason
    assert not any(offline_models.iterdir())


@pytest.fixture
def offline_models(offline_models: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """conftest's empty offline models directory, with no conversion failure remembered."""
    monkeypatch.setattr(ct2, "AUTO_CONVERT_FAILURES", {})
    return offline_models


def test_greedy_by_default_configurable(ct2_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DRIFT_BEAM", raising=False)
    assert default_beams() == 1 and CT2Translator(ct2_root).num_beams == 1
    assert CT2Translator(ct2_root, num_beams=4).num_beams == 4
    monkeypatch.setenv("DRIFT_BEAM", "3")
    assert default_beams() == 3 and CT2Translator(ct2_root).num_beams == 3
    assert CT2Translator(ct2_root, num_beams=1).num_beams == 1
    monkeypatch.setenv("DRIFT_BEAM", "many")
    assert default_beams() == 1
    # The beam size is part of the cache revision: greedy outputs are never served for beam 4.
    assert CT2Translator(ct2_root, num_beams=1).revision("es") != \
        CT2Translator(ct2_root, num_beams=4).revision("es")
    out1 = CT2Translator(ct2_root, num_beams=1).translate(SPANISH[:3], "es")
    out4 = CT2Translator(ct2_root, num_beams=4).translate(SPANISH[:3], "es")
    assert len(out1) == len(out4) == 3


def test_spm_tokenizer_matches_marian_tokenizer(ct2_root: Path) -> None:
    from transformers import MarianTokenizer

    folder = modelhub.ct2_dir(ES_MODEL, ct2_root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = MarianTokenizer.from_pretrained(str(folder))
    ours = SpmTokenizer(folder)
    texts = [*SPANISH, *ENGLISH, LONG, "", "  dos  espacios ", "a </s> b <unk>c<pad>",
             ">>fra<< Hola", "Ünïcödé ☃ 日本語 1,400 — «x»", "línea\nnueva\tTab"]
    for text in texts:
        assert ours.tokenize(text) == reference.tokenize(text), text
        for limit in (8, 400):
            ids = reference([text], truncation=True, max_length=limit)["input_ids"][0]
            assert ours.encode(text, limit) == ids, text
            assert ours.source_tokens(text, limit) == reference.convert_ids_to_tokens(ids)
    vocab = sorted(ours.encoder)
    for start in range(0, len(vocab), 7):
        tokens = [*vocab[start : start + 9], "</s>", "never-a-piece"]
        ids = reference.convert_tokens_to_ids(tokens)
        assert ours.detokenize(tokens) == reference.decode(ids, skip_special_tokens=True).strip()


def test_fast_path_does_not_import_transformers(ct2_root: Path) -> None:
    code = (
        "import sys\n"
        "from drift.translate.ct2 import CT2Translator\n"
        f"out = CT2Translator({str(ct2_root)!r}).translate({SPANISH[:2]!r}, 'es')\n"
        "assert len(out) == 2 and all(out), out\n"
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_missing_conversion_is_a_clear_error(tmp_path: Path) -> None:
    tr = CT2Translator(tmp_path)
    reason = tr.unavailable("es")
    assert reason is not None and "drift models convert es" in reason
    with pytest.raises(TranslationError, match="drift models convert es"):
        tr.translate(["Hola."], "es")
    done = translate_passages([passage("a", "Hola.", "es")], "marian-ct2",
                              translators={"marian-ct2": tr})
    assert done[0].translation is None
    assert done[0].untranslated_reason and "convert" in done[0].untranslated_reason


def test_nbest_lists_of_the_fast_path(env: Path) -> None:
    """The n-best list a second translation reads (drift/origin.py): n hypotheses per text,
    the best first; one translate_batch call."""
    t = CT2Translator()
    lists = t.translate_nbest(SPANISH[:3], "es", 3)
    assert [len(x) for x in lists] == [3, 3, 3]
    assert all(isinstance(h, str) for x in lists for h in x)
    assert t.translate_calls == 1
