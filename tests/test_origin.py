"""Translation origin (drift/origin.py): is a drift on translated text the outlet's change or
drift's own translation's?

Stub second backends whose output differs from the first translation (or agrees with it) decide
findings built by hand; an audit through Apertium with a stub second backend, and one with
Apertium and the tiny Marian test model together, decide real findings. No timed assertions.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import need_apertium

from drift.origin import NBEST, SECOND_ENV, TRANSLATION_FACTOR, assign_origins, words
from drift.records import Article, Finding, Passage, Piece, Translation

SETS = Path(__file__).resolve().parents[1] / "benchmarks" / "sets" / "lineage"
L1 = SETS / "l1-pesticide-seizure"


class Stub:
    """A second backend: a fixed English text per source text, counting its calls."""

    def __init__(self, out: dict[str, str] | None = None, name: str = "stub",
                 nbest: dict[str, list[str]] | None = None) -> None:
        self.out = out or {}
        self.nbest = nbest or {}
        self.name = name
        self.calls = 0

    def unavailable(self, src: str) -> str | None:
        return None

    def model_id(self, src: str) -> str | None:
        return "stub-model"

    def revision(self, src: str) -> str:
        return "1"

    def translate(self, texts: Sequence[str], src: str) -> list[str]:
        self.calls += 1
        return [self.out.get(t, "") for t in texts]


class NBestStub(Stub):
    def translate_nbest(self, texts: Sequence[str], src: str, n: int) -> list[list[str]]:
        self.calls += 1
        return [self.nbest[t][:n] for t in texts]


SPANISH = "Los agentes hallaron el miércoles 430 bidones en el puerto."
FIRST = "The agents found the Wednesday 430 drums in the port."
TEXT = f"The port reopened on Friday. {SPANISH}\n"


def _article(text: str = TEXT) -> Article:
    return Article("a3", "a3.md", text, text, (Piece(0, 0, len(text)),))


def _passage(art: Article, foreign: str = SPANISH, english: str = FIRST,
             backend: str = "apertium", kind: str = "sentence") -> Passage:
    start = art.text.index(foreign)
    return Passage(art.id, art.span(start, start + len(foreign)), "es", 0.99, kind,  # type: ignore[arg-type]
                   Translation(english, backend, "spa-eng"))


def _finding(art: Article, phrase: str, type_: str, expected: str, found: str) -> Finding:
    start = art.text.index(phrase)
    return Finding(f"{type_}-{found}", type_, "medium", 0.8, art.id,
                   art.span(start, start + len(phrase)), (), expected, found,
                   "The article says otherwise.")


def _run(findings: list[Finding], art: Article, passages: list[Passage], stub: Stub | None,
         second: str = "stub", cache: Path | None = None) -> tuple[list[Finding], tuple]:
    return assign_origins(findings, [art], {art.id: passages}, cache_path=cache,
                          use_cache=cache is not None, second=second,
                          translators={stub.name: stub} if stub else None)


def test_a_change_the_second_translation_drops_is_the_translations() -> None:
    art = _article()
    p = _passage(art)
    f = _finding(art, SPANISH, "date_change", "tuesday", "wednesday")
    stub = Stub({SPANISH: "The agents found on Tuesday 430 drums in the port."})
    (out,), notes = _run([f], art, [p], stub)
    assert out.origin is not None and out.origin.value == "translation"
    assert out.confidence == round(f.confidence * TRANSLATION_FACTOR, 3)
    assert out.explanation.startswith(f.explanation) and "'Wednesday'" in out.explanation
    assert out.origin.second == Translation(stub.out[SPANISH], "stub", "stub-model")
    assert out.origin.first == FIRST and out.origin.passage == p.span
    data = out.to_json()
    assert data["origin"] == "translation" and data["origin_detail"]["words"] == ["wednesday"]
    assert notes == ()


def test_a_change_the_second_translation_keeps_is_the_articles() -> None:
    art = _article()
    f = _finding(art, SPANISH, "date_change", "tuesday", "wednesday")
    stub = Stub({SPANISH: "Agents found 430 drums at the port on Wednesday."})
    (out,), _ = _run([f], art, [_passage(art)], stub)
    assert out.origin is not None and out.origin.value == "article"
    assert out.confidence == f.confidence and out.explanation == f.explanation


def test_figures_and_names_in_the_foreign_text_need_no_second_translation() -> None:
    art = _article()
    f = _finding(art, SPANISH, "number_change", "340 drums", "430 drums")
    (out,), notes = _run([f], art, [_passage(art)], None, second="off")
    assert out.origin is not None and out.origin.value == "article"
    assert out.origin.second is None and "'430'" in out.origin.reason and notes == ()


def test_a_change_in_the_articles_own_english_is_the_articles() -> None:
    quote = "No aceptaremos recortes"
    text = f"Iriarte said “{quote}”, meaning the union would strike on Friday.\n"
    art = _article(text)
    p = _passage(art, quote, "We will not accept cuts", kind="quote")
    f = _finding(art, text.strip(), "date_change", "monday", "friday")
    (out,), _ = _run([f], art, [p], None, second="off")
    assert out.origin is not None and out.origin.value == "article"
    assert "own English" in out.origin.reason


def test_findings_off_translated_text_get_no_origin() -> None:
    art = _article()
    f = _finding(art, "The port reopened on Friday.", "date_change", "monday", "friday")
    (out,), notes = _run([f], art, [_passage(art)], Stub())
    assert out == f and notes == ()


def test_without_a_second_translation_no_origin_and_one_note(offline_models: Path) -> None:
    art = _article()
    findings = [_finding(art, SPANISH, "date_change", "tuesday", "wednesday"),
                _finding(art, SPANISH, "location_change", "in the port", "in the harbour")]
    findings[1] = Finding("loc", "location_change", "medium", 0.8, art.id, findings[0].span,
                          (), "at the dock", "in the port", "The article places it elsewhere.")
    out, notes = assign_origins(findings, [art], {art.id: [_passage(art)]}, use_cache=False,
                                second="auto")
    assert all(f.origin is None for f in out) and out == findings
    (note,) = notes
    assert note.source == "origin" and note.level == "warning"
    assert note.message.startswith("2 findings on translated text carry no origin")
    assert "apertium is the only translator installed for es" in note.message


def test_a_translation_shift_is_checked_on_certainty() -> None:
    quote = "Podríamos retirar la licencia"
    text = f"The minister said “{quote}”, so the licence will be withdrawn.\n"
    art = _article(text)
    mt = "We could remove the licence"
    p = _passage(art, quote, mt, kind="quote")
    f = _finding(art, text.strip(), "translation_shift", f"a possibility: {mt}",
                 "a certainty: so the licence will be withdrawn")
    same = Stub({quote: "We might withdraw the licence"})
    other = Stub({quote: "We will withdraw the licence"})
    assert _run([f], art, [p], same)[0][0].origin.value == "article"  # type: ignore[union-attr]
    out = _run([f], art, [p], other)[0][0]
    assert out.origin is not None and out.origin.value == "translation"
    assert "'could'" in out.origin.reason


def test_second_translations_are_cached_like_the_first(tmp_path: Path) -> None:
    from drift.translate.cache import TranslationCache

    art = _article()
    f = _finding(art, SPANISH, "date_change", "tuesday", "wednesday")
    stub = Stub({SPANISH: "They found 430 drums on Tuesday."})
    cache = tmp_path / "translations.sqlite"
    first = _run([f], art, [_passage(art)], stub, cache=cache)
    again = _run([f], art, [_passage(art)], stub, cache=cache)
    assert stub.calls == 1 and first == again
    with TranslationCache(cache) as c:
        assert c.get_many("stub", "stub-model", "1", "es", [SPANISH]) == {0: stub.out[SPANISH]}


def test_the_n_best_list_of_the_same_model_is_a_second_way(tmp_path: Path) -> None:
    art = _article()
    p = _passage(art, english=FIRST, backend="stub")
    f = _finding(art, SPANISH, "date_change", "tuesday", "wednesday")
    stub = NBestStub(nbest={SPANISH: [FIRST, "The agents found Tuesday 430 drums.",
                                      "Agents found 430 drums on Wednesday.", FIRST]})
    (out,), _ = _run([f], art, [p], stub, cache=tmp_path / "t.sqlite")
    assert out.origin is not None and out.origin.value == "translation"
    second = out.origin.second
    assert second is not None and second.backend == f"stub {NBEST}-best"
    assert second.text == "The agents found Tuesday 430 drums."  # the best that differs
    with_cache = _run([f], art, [p], stub, cache=tmp_path / "t.sqlite")
    assert stub.calls == 1 and with_cache[0][0] == out


def test_the_same_backend_without_an_n_best_list_is_no_second_way() -> None:
    art = _article()
    p = _passage(art, backend="stub")
    f = _finding(art, SPANISH, "date_change", "tuesday", "wednesday")
    (out,), (note,) = _run([f], art, [p], Stub())
    assert out.origin is None and "stub made the first translation" in note.message


def test_words_keep_modal_verbs_and_numbers() -> None:
    assert words("It could delay 1,400 ships") == {"could", "delay", "1400", "ship"}


# --- audits --------------------------------------------------------------------------------


@pytest.fixture
def small_set(tmp_path: Path) -> Path:
    """The pesticide story's reference and its Spanish-language article (a3)."""
    folder = tmp_path / "set"
    folder.mkdir()
    for name in ("reference.md", "a3.md", "a1.md"):
        shutil.copy(L1 / name, folder / name)
    return folder


def _audit(folder: Path, cache: Path) -> dict:
    from drift.core import audit

    report = audit([folder], reference=folder / "reference.md", translator="apertium",
                   cache_path=cache, judge="off")
    return json.loads(report.to_json())


def _date(report: dict) -> dict:
    (f,) = [f for f in report["findings"] if f["article"] == "a3" and f["type"] == "date_change"]
    return f


def test_audit_with_a_stub_second_backend(small_set: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Apertium translates; a stub that renders the Spanish weekday otherwise makes the date
    drift drift's own translation's, a stub that agrees makes it the article's."""
    need_apertium("es")
    from drift.translate import TRANSLATORS
    from drift.translate.apertium import ApertiumTranslator

    class Agreeing(ApertiumTranslator):
        name = "stub"

        def revision(self, src: str) -> str:
            return "agree"

    class Differing(Agreeing):
        def revision(self, src: str) -> str:
            return "differ"

        def translate(self, texts: Sequence[str], src: str) -> list[str]:
            return [t.replace("Wednesday", "Tuesday") for t in super().translate(texts, src)]

    monkeypatch.setenv(SECOND_ENV, "stub")
    monkeypatch.setitem(TRANSLATORS, "stub", Differing)
    differ = _date(_audit(small_set, tmp_path / "one" / "c.sqlite"))
    assert differ["origin"] == "translation"
    assert differ["origin_detail"]["second"]["backend"] == "stub"
    assert "Tuesday" in differ["origin_detail"]["second"]["text"]
    monkeypatch.setitem(TRANSLATORS, "stub", Agreeing)
    agree = _date(_audit(small_set, tmp_path / "two" / "c.sqlite"))
    assert agree["origin"] == "article"
    assert differ["confidence"] == round(agree["confidence"] * TRANSLATION_FACTOR, 3)
    assert differ["explanation"].startswith(agree["explanation"])
    import jsonschema

    from drift.contract import schema

    jsonschema.validate(_audit(small_set, tmp_path / "two" / "c.sqlite"), schema())


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models directory holding the tiny random model as opus-mt-es-en."""
    from tiny_marian import build_tiny_marian

    root = tmp_path_factory.mktemp("tiny-models")
    build_tiny_marian(root / "opus-mt-es-en")
    return root


@pytest.mark.slow
def test_audit_with_apertium_and_the_tiny_marian_model(small_set: Path, tmp_path: Path,
                                                       offline_models: Path, tiny_models: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """With Apertium translating and a MarianMT model installed, ``auto`` takes Marian as the
    second way: the tiny random model's output keeps no weekday, so the date drift is marked
    as the translation's; the figure in the Spanish text stays the article's."""
    need_apertium("es")
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(tiny_models))
    monkeypatch.delenv(SECOND_ENV, raising=False)
    report = _audit(small_set, tmp_path / "c.sqlite")
    date = _date(report)
    assert date["origin"] == "translation"
    assert date["origin_detail"]["second"]["backend"] == "marian"
    assert date["origin_detail"]["second"]["model"] == "Helsinki-NLP/opus-mt-es-en"
    assert not [n for n in report["notes"] if n["source"] == "origin"]
    numbers = [f for f in report["findings"] if f["type"] == "number_change"]
    assert numbers and all(f.get("origin", "article") == "article" for f in numbers)


@pytest.mark.slow
def test_nbest_lists_of_the_tiny_marian_model(offline_models: Path, tiny_models: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from tiny_marian import SPANISH as LINES

    from drift.translate.marian import MarianTranslator

    monkeypatch.setenv("DRIFT_MODELS_DIR", str(tiny_models))
    t = MarianTranslator()
    assert t.installed("es")
    lists = t.translate_nbest(LINES[:2], "es", 3)
    assert [len(x) for x in lists] == [3, 3]
    assert all(isinstance(h, str) and h for x in lists for h in x)
    assert t.translate_nbest(LINES[:2], "es", 3) == lists  # deterministic
