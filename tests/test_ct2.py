"""The marian-ct2 backend: a tiny Marian model converted to CTranslate2 int8, run end to end."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from drift import modelhub
from drift.records import Passage, Span
from drift.translate import TranslationCache, TranslationError, translate_passages
from drift.translate.ct2 import CT2Translator, thread_layout

sys.path.insert(0, str(Path(__file__).parent))
from tiny_marian import SPANISH, build_tiny_marian

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


def test_auto_falls_back_to_marian_without_conversion(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = tmp_path / "models"
    build_tiny_marian(root / "opus-mt-es-en")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(root))
    done = translate_passages([passage("a", SPANISH[0], "es")], "auto")
    assert done[0].translation is not None and done[0].translation.backend == "marian"


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
