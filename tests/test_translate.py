"""Translation backends, the translation cache, and the model registry.

The marian backend runs for real (transformers, generate) on a tiny random-weight model built by
tests/tiny_marian.py; Apertium tests run when ``apertium spa-eng`` is installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest
from conftest import need_apertium

from drift import modelhub
from drift.records import Passage, Span, Translation
from drift.translate import (
    ALL_CHOICES,
    TRANSLATORS,
    TranslationError,
    get_translator,
    translate_passages,
)
from drift.translate.apertium import ApertiumTranslator, strip_marks
from drift.translate.cache import TranslationCache, default_cache_path
from drift.translate.marian import MarianTranslator

sys.path.insert(0, str(Path(__file__).parent))
from tiny_marian import build_tiny_marian

REPO = Path(__file__).parents[1]
ES_MODEL = "Helsinki-NLP/opus-mt-es-en"

SPANISH = [
    "El gobierno anunció medidas.",
    "La presidenta habló con el ministro de Defensa durante más de una hora.",
    "Hola.",
    "Los aranceles entrarán en vigor el lunes, según el comunicado oficial del gobierno.",
    "El Ejército enviará soldados.",
    "¿Qué hará la oposición?",
    "Varios funcionarios fueron detenidos por colusión con los cárteles en la frontera norte.",
]
LONG = (
    "El ministro de Defensa anunció nuevas medidas en la frontera norte. "
    "La presidenta dijo que el gobierno no aceptará amenazas de ningún país. "
    "Los aranceles entrarán en vigor el próximo lunes, según el comunicado oficial. "
    "El Ejército enviará diez mil soldados para reforzar la seguridad."
)


@pytest.fixture
def apertium_es() -> None:
    """Apertium's Spanish pair, or a skip (a failure under CI) naming its install line."""
    need_apertium("es")


needs_apertium = pytest.mark.usefixtures("apertium_es")


@pytest.fixture(scope="module")
def models_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models directory holding the tiny model as opus-mt-es-en (and no registry file)."""
    root = tmp_path_factory.mktemp("models")
    build_tiny_marian(root / "opus-mt-es-en")
    return root


@pytest.fixture
def offline_env(offline_models: Path) -> Path:
    """No hub access and an empty Hugging Face cache; returns an empty models directory."""
    return offline_models


def passage(article: str, text: str, language: str) -> Passage:
    return Passage(article, Span.of(text, 0, len(text)), language, 0.99)


# -- marian on the tiny model -------------------------------------------------------------


def test_batches_give_the_same_outputs_as_one_by_one(models_root: Path) -> None:
    tr = MarianTranslator(models_dir=models_root, batch_size=3, num_beams=1)
    batched = tr.translate(SPANISH, "es")
    assert tr.generate_calls == 3  # 7 inputs in batches of 3
    single = [tr.translate([t], "es")[0] for t in SPANISH]
    assert batched == single
    assert len(set(batched)) > 1  # the random model does depend on its input


def test_order_is_kept_across_length_sorted_batches(models_root: Path) -> None:
    tr = MarianTranslator(models_dir=models_root, batch_size=2, num_beams=1)
    forward = tr.translate(SPANISH, "es")
    backward = tr.translate(SPANISH[::-1], "es")
    assert backward == forward[::-1]
    assert tr.translate(["", "  "], "es") == ["", ""]


def test_beam_search_is_deterministic(models_root: Path) -> None:
    tr = MarianTranslator(models_dir=models_root, batch_size=4, num_beams=4)
    assert tr.translate(SPANISH[:4], "es") == tr.translate(SPANISH[:4], "es")


def test_long_input_is_split_at_sentences(models_root: Path) -> None:
    tr = MarianTranslator(models_dir=models_root, num_beams=1, max_input_tokens=48)
    loaded = tr._load("es")
    pieces = tr.split(LONG, loaded)
    assert len(pieces) == 4 and pieces[0].startswith("El ministro") and pieces[3].endswith("dad.")
    out = tr.translate([LONG, "Hola."], "es")
    assert len(out) == 2 and out[0]
    assert tr.pieces_translated == 5 > 2  # the model saw more pieces than inputs
    assert tr.generate_calls == 1  # pieces of all inputs go through the same batched pass


def test_sentence_too_long_is_split_on_token_windows(models_root: Path) -> None:
    tr = MarianTranslator(models_dir=models_root, num_beams=1, max_input_tokens=16)
    loaded = tr._load("es")
    words = " ".join(["frontera"] * 40)  # one "sentence" with no boundary
    pieces = tr.split(words, loaded)
    assert len(pieces) > 1
    assert all(len(loaded.tokenizer.tokenize(p)) + 1 <= 16 for p in pieces)
    assert " ".join(pieces).split() == words.split()  # cut between words, nothing lost


def test_revision_and_model_id(models_root: Path) -> None:
    tr = MarianTranslator(models_dir=models_root)
    assert tr.model_id("es") == ES_MODEL
    assert tr.unavailable("es") is None
    rev = tr.revision("es")
    assert rev.startswith("local-") and rev == tr.revision("es")
    weights = models_root / "opus-mt-es-en" / "model.safetensors"
    st = weights.stat()
    os.utime(weights, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert tr.revision("es") != rev


def test_translate_passages_fills_translation_then_hits_the_cache(
    models_root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(models_root))
    passages = [
        passage("a1", SPANISH[0], "es"),
        passage("a1", "The government announced measures.", "en"),
        passage("a2", SPANISH[1], "es"),
        passage("a3", SPANISH[0], "es"),  # the same text in another article
    ]
    tr = MarianTranslator(num_beams=1)
    with TranslationCache(tmp_path / "cache.sqlite") as cache:
        done = translate_passages(passages, "marian", cache=cache, translators={"marian": tr})
        assert done[1] is passages[1]  # English passages come back unchanged
        for i in (0, 2, 3):
            t = done[i].translation
            assert t is not None and t.backend == "marian" and t.model == ES_MODEL
            assert done[i].untranslated_reason is None
        assert done[0].translation == done[3].translation
        assert tr.pieces_translated == 2  # deduplicated across articles, one batch
        assert (cache.hits, cache.misses) == (0, 2)

    def no_generate(self: MarianTranslator, pieces: list[str], loaded: object) -> list[str]:
        raise AssertionError("generate called on a cache hit")

    monkeypatch.setattr(MarianTranslator, "_generate", no_generate)
    with TranslationCache(tmp_path / "cache.sqlite") as cache:
        again = translate_passages(passages, "marian", cache=cache,
                                   translators={"marian": MarianTranslator(num_beams=1)})
        assert (cache.hits, cache.misses) == (2, 0)
    assert again == done


def test_missing_model_offline_is_a_clear_translation_error(offline_env: Path) -> None:
    tr = MarianTranslator()
    reason = tr.unavailable("es")
    assert reason is not None and ES_MODEL in reason and "drift models pull es" in reason
    with pytest.raises(TranslationError) as err:
        tr.translate(["Hola."], "es")
    message = str(err.value)
    assert ES_MODEL in message and "drift models pull" in message and "\n" not in message
    assert str(offline_env / "opus-mt-es-en") in message


def test_unavailable_does_not_import_torch(offline_env: Path) -> None:
    code = ("import sys; from drift.translate import get_translator; "
            "r = get_translator('marian').unavailable('es'); "
            "assert r and 'torch' not in sys.modules and 'transformers' not in sys.modules, r")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=60)


@needs_apertium
def test_auto_falls_back_to_apertium(offline_env: Path) -> None:
    done = translate_passages([passage("a", "El gobierno anunció nuevas medidas.", "es")], "auto",
                              cache=TranslationCache(None))
    assert done[0].translation is not None
    assert done[0].translation.backend == "apertium"
    assert done[0].translation.model == "apertium spa-eng"
    assert "government" in done[0].translation.text.lower()


def test_auto_leaves_an_unknown_language_untranslated_with_both_reasons(
    offline_env: Path,
) -> None:
    done = translate_passages([passage("a", "Blorp fnord zib.", "xx")], "auto")
    reason = done[0].untranslated_reason
    assert done[0].translation is None and reason
    assert "marian:" in reason and "opus-mt-mul-en" in reason and "apertium:" in reason


@needs_apertium
@pytest.mark.skipif(ApertiumTranslator().unavailable("uk") is None, reason="uk pair installed")
def test_a_named_backend_failing_for_one_language_does_not_stop_the_others() -> None:
    passages = [passage("a", "Привіт, світе.", "uk"), passage("b", "Hola, mundo.", "es")]
    done = translate_passages(passages, "apertium")
    assert done[0].translation is None and "no Apertium pair for uk" in str(
        done[0].untranslated_reason)
    assert done[1].translation is not None and done[1].translation.backend == "apertium"


def test_identity_and_choices() -> None:
    done = translate_passages([passage("a", "Hola.", "es")], "identity")
    assert done[0].translation == Translation("Hola.", "identity", None)
    assert ALL_CHOICES[0] == "auto" and {"marian", "apertium", "identity"} <= set(ALL_CHOICES)
    assert set(ALL_CHOICES[1:]) == set(TRANSLATORS)
    assert get_translator("marian").name == "marian"
    with pytest.raises(ValueError, match="unknown translator"):
        translate_passages([passage("a", "Hola.", "es")], "nope")


# -- apertium -----------------------------------------------------------------------------


def seed_quote(seeds_dir: Path) -> str:
    """The Spanish quotation of seed 004 (between “ and ”)."""
    seeds = sorted(seeds_dir.glob("004_*.txt"))
    if not seeds:
        pytest.skip(f"seed 004 not found under {seeds_dir}")
    text = seeds[0].read_text(encoding="utf-8")
    start = text.index("“") + 1
    return text[start : text.index("”", start)].rstrip(",")


@needs_apertium
def test_apertium_translates_the_seed_quote(seeds_dir: Path) -> None:
    quote = seed_quote(seeds_dir)
    assert quote.startswith("El jefe del Pentágono")
    english = ApertiumTranslator().translate([quote], "es")[0]
    assert "Pentagon" in english and "Hegseth" in english
    assert "*" not in english and "#" not in english


@needs_apertium
def test_apertium_batch_keeps_count_and_order() -> None:
    tr = ApertiumTranslator()
    texts = ["El perro come.", "La casa grande\n\ntiene dos puertas", "¿Dónde está el gato?"]
    batch = tr.translate(texts, "es")
    assert len(batch) == 3 and all(batch)
    assert batch == [tr.translate([t], "es")[0] for t in texts]
    assert "dog" in batch[0].lower() and "cat" in batch[2].lower()
    # An input holding the separator itself still comes back as one output.
    assert len(tr.translate(["Uno.\n¶\nDos.", "Tres."], "es")) == 2
    assert tr.model_id("es") == "apertium spa-eng"
    assert tr.revision("es") != "unknown"


@needs_apertium
def test_apertium_round_trip_gives_noisy_english_of_the_same_facts() -> None:
    tr = ApertiumTranslator()
    texts = ["The council refused to approve the budget on Tuesday.",
             "Only 312 of the 1,400 workers will keep their jobs in Valmora."]
    back = tr.round_trip(texts, "es")
    assert back is not None and len(back) == 2
    # Names, figures, days and the negation survive; the wording need not.
    assert "Tuesday" in back[0] and "refused" in back[0] and "council" in back[0]
    assert "312" in back[1] and "1,400" in back[1] and "Valmora" in back[1]
    assert back != texts or back[0] != texts[0]
    assert tr.round_trip(texts, "xx") is None  # no pair: no round trip, no error


def test_apertium_pivots_portuguese_through_spanish() -> None:
    need_apertium("pt")
    from drift.translate.apertium import route_for

    route = route_for("pt")
    assert route is not None and len(route) == 2 and route[1][0].startswith("spa-eng")
    tr = ApertiumTranslator()
    assert tr.model_id("pt") == f"apertium {route[0][0]}+{route[1][0]}"
    assert tr.revision("pt").count("+") == 1 and "unknown" not in tr.revision("pt")
    english = tr.translate(["O governo anunciou novas medidas.", "Olá, mundo."], "pt")
    assert "government" in english[0].lower() and "measures" in english[0].lower()
    assert english[1].lower().startswith("hello")


def test_apertium_translates_catalan_directly_and_italian_through_spanish() -> None:
    need_apertium("ca")
    need_apertium("it")
    tr = ApertiumTranslator()
    assert tr.model_id("ca") == "apertium cat-eng"
    assert tr.model_id("it").startswith("apertium ita-spa+spa-eng")
    catalan = tr.translate(["El sindicat no acceptarà el pla de l'empresa."], "ca")[0].lower()
    assert "union" in catalan and "not accept" in catalan
    italian = tr.translate(["Il sindaco ha detto che lo stadio non sarà costruito."],
                           "it")[0].lower()
    assert "mayor" in italian and "stadium" in italian and "not" in italian


def test_apertium_routes_prefer_a_direct_pair(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Routes come from the mode files: direct into English first, else through a pivot, with
    the two-letter names older pair packages use ("pt-es") and regional variants."""
    from drift.translate.apertium import route_for, route_name

    modes = tmp_path / "modes"
    modes.mkdir()
    for name in ("spa-eng_US", "pt-es", "fr-es", "cat-eng", "por-cat", "eng-spa"):
        (modes / f"{name}.mode").write_text("true\n", encoding="utf-8")
    monkeypatch.setattr("drift.translate.apertium.DEFAULT_MODES_DIRS", ())
    monkeypatch.setenv("APERTIUM_MODES", str(modes))
    monkeypatch.delenv("APERTIUM_DATADIR", raising=False)
    routes = {lang: route_for(lang) for lang in ("es", "pt", "fr", "ca", "de", "en")}
    assert {k: route_name(v) if v else None for k, v in routes.items()} == {
        "es": "spa-eng_US", "pt": "pt-es+spa-eng_US", "fr": "fr-es+spa-eng_US", "ca": "cat-eng",
        "de": None, "en": None,
    }
    assert "through Spanish or Catalan" in str(ApertiumTranslator(binary="true").unavailable("de"))


def test_apertium_unavailable_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ApertiumTranslator(binary="no-such-apertium-binary").unavailable("es") == (
        "Apertium is not installed (apt-get install apertium apertium-eng-spa)")
    with pytest.raises(TranslationError, match="not installed"):
        ApertiumTranslator(binary="no-such-apertium-binary").translate(["Hola"], "es")
    monkeypatch.setenv("APERTIUM_MODES", "/nonexistent")
    if ApertiumTranslator().unavailable("es") is None:
        assert "no Apertium pair for xx->en" in str(ApertiumTranslator().unavailable("xx"))


def test_strip_marks_keeps_source_hashtags_and_handles() -> None:
    assert strip_marks("The *perro and #coso of @ir #tag @ana", "#tag @ana") == (
        "The perro and coso of ir #tag @ana")


# -- cache --------------------------------------------------------------------------------


def test_cache_hits_and_misses() -> None:
    cache = TranslationCache(None)
    assert cache.get_many("marian", ES_MODEL, "r1", "es", ["Hola", "Adiós"]) == {}
    assert (cache.hits, cache.misses) == (0, 2)
    cache.put_many("marian", ES_MODEL, "r1", "es", ["Hola"], ["Hello"])
    assert cache.get_many("marian", ES_MODEL, "r1", "es", ["Adiós", "Hola"]) == {1: "Hello"}
    assert (cache.hits, cache.misses) == (1, 3)


def test_cache_key_includes_backend_model_revision_and_language() -> None:
    cache = TranslationCache(":memory:")
    cache.put_many("marian", ES_MODEL, "r1", "es", ["Hola"], ["Hello"])
    assert cache.get_many("marian", ES_MODEL, "r2", "es", ["Hola"]) == {}
    assert cache.get_many("apertium", ES_MODEL, "r1", "es", ["Hola"]) == {}
    assert cache.get_many("marian", "other", "r1", "es", ["Hola"]) == {}
    assert cache.get_many("marian", ES_MODEL, "r1", "pt", ["Hola"]) == {}
    assert cache.get_many("marian", ES_MODEL, "r1", "es", ["Hola"]) == {0: "Hello"}


def test_cache_persists_across_instances_and_connections(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "translations.sqlite"
    with TranslationCache(path) as first:
        first.put_many("apertium", None, "v1", "es", ["Hola", "Sí"], ["Hello", "Yes"])
    second, third = TranslationCache(path), TranslationCache(path)

    def write(c: TranslationCache, tag: str) -> None:
        for n in range(20):
            c.put_many("identity", None, "1", "es", [f"{tag}{n}"], [f"{tag}{n}"])

    threads = [threading.Thread(target=write, args=(c, t)) for c, t in ((second, "a"),
                                                                         (third, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert second.get_many("apertium", None, "v1", "es", ["Sí", "Hola"]) == {0: "Yes",
                                                                           1: "Hello"}
    assert len(third) == 42 and second.errors == third.errors == 0
    second.close()
    third.close()


def test_default_cache_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path))
    assert default_cache_path() == tmp_path / "translations.sqlite"
    monkeypatch.delenv("DRIFT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_path() == tmp_path / "xdg" / "drift" / "translations.sqlite"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_path() == Path.home() / ".cache" / "drift" / "translations.sqlite"


# -- modelhub -----------------------------------------------------------------------------


def test_registry_file_parses_and_agrees_with_the_builtin_table() -> None:
    path = REPO / "models" / "registry.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    reg = modelhub.parse_registry(path)
    assert reg.languages == data["languages"] == modelhub.BUILTIN_LANGUAGES
    assert reg.fallback == modelhub.BUILTIN_FALLBACK == "Helsinki-NLP/opus-mt-mul-en"


def test_model_for(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(tmp_path))  # no registry file: built-in table
    assert modelhub.model_for("es") == ES_MODEL
    assert modelhub.model_for("pt-BR") == "Helsinki-NLP/opus-mt-ROMANCE-en"
    assert modelhub.model_for("xx") == "Helsinki-NLP/opus-mt-mul-en"
    assert modelhub.local_dir(ES_MODEL) == tmp_path / "opus-mt-es-en"
    (tmp_path / "registry.toml").write_text(
        'fallback = "me/any-en"\n[languages]\nes = "me/es-en"\n', encoding="utf-8")
    assert modelhub.model_for("es") == "me/es-en" and modelhub.model_for("fr") == "me/any-en"
    (tmp_path / "registry.toml").write_text("[languages]\nes = 3\n", encoding="utf-8")
    with pytest.raises(modelhub.RegistryError):
        modelhub.model_for("es")


def test_models_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(tmp_path / "env"))
    assert modelhub.models_dir() == tmp_path / "env"
    monkeypatch.delenv("DRIFT_MODELS_DIR")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "registry.toml").write_text("[languages]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert modelhub.models_dir() == tmp_path / "models"
    monkeypatch.chdir(tmp_path / "models")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert modelhub.models_dir() == Path.home() / ".local" / "share" / "drift" / "models"


def test_list_models(models_root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(models_root))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    rows = {m.language: m for m in modelhub.list_models()}
    assert rows["es"].local and rows["es"].path == models_root / "opus-mt-es-en"
    assert not rows["es"].cached and not rows["es"].converted
    assert not rows["fr"].local and rows["fr"].path is None
    assert rows["*"].model_id == "Helsinki-NLP/opus-mt-mul-en"


def _forbid_downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Fail the test on any download or model load; return the TCP connections attempted."""
    import socket

    import huggingface_hub

    attempts: list[tuple[str, int]] = []
    real = socket.create_connection

    def connect(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        attempts.append(address)
        return real(address, *args, **kwargs)  # type: ignore[arg-type]

    def no(*args: object, **kwargs: object) -> None:
        raise AssertionError("no download or model load may be attempted")

    monkeypatch.setattr(socket, "create_connection", connect)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", no)
    monkeypatch.setattr(MarianTranslator, "_from_pretrained", staticmethod(no))
    return attempts


def test_pull_offline_fails_fast_with_a_clear_message(offline_env: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Fast by construction (no timed assertion): HF_HUB_OFFLINE means no connection is even
    # tried, so no network timeout or retry back-off can be paid.
    attempts = _forbid_downloads(monkeypatch)
    with pytest.raises(modelhub.ModelPullError) as err:
        modelhub.pull(["fr"])
    assert attempts == []
    message = str(err.value)
    assert "no network access to the Hugging Face hub" in message
    assert "Helsinki-NLP/opus-mt-fr-en" in message and "opus-mt-fr-en/" in message
    assert "\n" not in message


@pytest.fixture
def unreachable_hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """HF_HUB_OFFLINE unset but the hub endpoint refuses connections (a closed loopback port)."""
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setattr(modelhub, "_REACHABLE", {})
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(tmp_path))
    return tmp_path


def test_unreachable_hub_fails_fast_without_hf_hub_offline(unreachable_hub: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    # Fast by construction (no timed assertion): one refused connection, remembered for the
    # process, and then neither a download nor a model load (transformers' retries) is tried.
    attempts = _forbid_downloads(monkeypatch)
    assert not modelhub.hub_reachable()
    with pytest.raises(modelhub.ModelPullError, match="no network access"):
        modelhub.pull(["de"])
    reason = MarianTranslator().unavailable("de")
    assert reason and "Helsinki-NLP/opus-mt-de-en" in reason
    with pytest.raises(TranslationError, match="drift models pull de"):
        MarianTranslator().translate(["Hallo."], "de")
    assert attempts == [("127.0.0.1", 9)]


def test_pull_skips_models_already_present(models_root: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(models_root))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert modelhub.pull(["es"]) == [f"{ES_MODEL}: already present in {models_root}/opus-mt-es-en"]
