"""Stage 2b, language detection: the non-English passages of an article, and nothing else."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from drift.detect import IDENTIFIERS, MIN_LETTERS, article_language, detect_passages, judge
from drift.ingest import read_paths
from drift.ingest.base import Meta, make_article
from drift.records import Article, Passage
from drift.segment import segment

Labels = Callable[[Path], dict[str, Any]]


def article_of(text: str, language: str | None = None) -> Article:
    return make_article(text, Meta(language=language), default_id="example", source="example")


def overlaps(p: Passage, start: int, end: int) -> bool:
    return p.span.start < end and start < p.span.end


def check_spans(article: Article, passages: list[Passage]) -> None:
    for p in passages:
        assert p.article == article.id
        assert p.span.text == article.text[p.span.start : p.span.end]
        assert 0.0 <= p.confidence <= 1.0


# --- the seeds -------------------------------------------------------------------------------


def test_seeds_only_passage_is_the_spanish_quote_in_004(
    seeds_dir: Path, load_labels: Labels
) -> None:
    [gold] = load_labels(seeds_dir)["non_english"]
    found: list[tuple[str, Passage]] = []
    arts = read_paths([seeds_dir]).articles
    assert len(arts) == 6
    for art in arts:
        passages = detect_passages(art)
        check_spans(art, passages)
        found.extend((art.id, p) for p in passages)
    assert [(aid.split("_")[0], p.language) for aid, p in found] == [(gold["article"], "es")], found
    [(aid, passage)] = found
    art = next(a for a in arts if a.id == aid)
    start = art.text.index(gold["text"])
    assert overlaps(passage, start, start + len(gold["text"]))
    # The passage is the Spanish quotation itself: it starts where the quote does and holds no
    # English words of the sentence around it.
    assert passage.span.start == start
    assert passage.kind == "quote"
    assert "according to" not in passage.span.text and "saying" not in passage.span.text


def test_no_english_sentence_of_the_seeds_is_judged_foreign(seeds_dir: Path) -> None:
    """Each English sentence on its own (the Spanish quote aside) is English or too short to say."""
    identify = IDENTIFIERS["lingua"]
    flagged: list[str] = []
    for art in read_paths([seeds_dir]).articles:
        seg = segment(art.text)
        for sent in seg.sentences:
            if "“" in sent.span.text:
                continue  # the sentence that carries the Spanish quotation
            verdict = judge(sent.span.text, identify)
            if verdict is not None and verdict.language != "en" and verdict.confidence >= 0.5:
                flagged.append(f"{art.id}: {verdict} {sent.span.text[:60]}")
    assert not flagged, "\n".join(flagged)


# --- the development sets --------------------------------------------------------------------


def test_devset_gold_passages_found_and_nothing_else(
    devsets: list[Path], load_labels: Labels
) -> None:
    missed: list[str] = []
    extra: list[str] = []
    for folder in devsets:
        gold = load_labels(folder)["non_english"]
        for art in read_paths([folder]).articles:
            passages = detect_passages(art)
            check_spans(art, passages)
            spans = []
            for g in (g for g in gold if g["article"] == art.id):
                start = art.text.index(g["text"])
                end = start + len(g["text"])
                spans.append((start, end))
                if not any(overlaps(p, start, end) and p.language == g["language"]
                           for p in passages):
                    missed.append(f"{folder.name}/{art.id} {g['language']}: {g['text'][:60]}")
            if art.language == "en":
                for p in passages:
                    if not any(overlaps(p, s, e) for s, e in spans):
                        extra.append(f"{folder.name}/{art.id} {p.language}: {p.span.text[:60]}")
    assert not missed, "gold passages not found:\n" + "\n".join(missed)
    assert not extra, "passages in English articles that are not gold:\n" + "\n".join(extra)


def test_devset_spanish_articles_are_spanish_throughout(devsets: list[Path]) -> None:
    checked = 0
    for folder in devsets:
        for art in read_paths([folder]).articles:
            if art.language != "es":
                continue
            seg = segment(art.text)
            passages = detect_passages(art, seg)
            assert {p.language for p in passages} == {"es"}
            for sent in seg.sentences:
                s = sent.span
                assert any(overlaps(p, s.start, s.end) for p in passages), s.text[:60]
            assert article_language(art, passages, seg) == "es"
            checked += 1
    assert checked >= 2


# --- determinism -----------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", sorted(IDENTIFIERS))
def test_two_runs_give_identical_passages(
    seeds_dir: Path, devsets: list[Path], identifier: str
) -> None:
    arts = [*read_paths([seeds_dir]).articles, *read_paths(devsets).articles]
    first = [detect_passages(a, identifier=identifier) for a in arts]
    second = [detect_passages(a, identifier=identifier) for a in reversed(arts)][::-1]
    assert first == second
    assert any(first)


def test_two_runs_on_own_example_are_identical() -> None:
    art = article_of(SPANISH_QUOTE)
    runs = [detect_passages(art) for _ in range(3)]
    assert runs[0] == runs[1] == runs[2] and runs[0]


# --- the project's own examples --------------------------------------------------------------

SPANISH_QUOTE = (
    "The harbour master was blunt. “Nadie revisó las grúas antes de la tormenta, y eso lo sabe "
    "todo el puerto,” she told reporters on Tuesday."
)


def test_spanish_quote_in_english_sentence_is_a_quote_passage() -> None:
    art = article_of(SPANISH_QUOTE)
    [p] = detect_passages(art)
    check_spans(art, [p])
    assert (p.kind, p.language) == ("quote", "es")
    # The comma before the closing mark belongs to the English sentence.
    assert p.span.text == (
        "Nadie revisó las grúas antes de la tormenta, y eso lo sabe todo el puerto"
    )


def test_spanish_sentence_between_english_ones() -> None:
    text = (
        "The port authority published its report on Monday. La autoridad portuaria publicó el "
        "informe el lunes y prometió revisar todas las grúas del muelle norte. The ferries will "
        "return in May."
    )
    art = article_of(text)
    [p] = detect_passages(art)
    assert (p.kind, p.language) == ("sentence", "es")
    assert p.span.text.startswith("La autoridad portuaria")
    assert p.span.text.endswith("muelle norte.")


@pytest.mark.parametrize(
    "text",
    [
        "Gracias. The mayor thanked the crew. Adiós, she said.",
        "The minister said “basta” and left the room.",
        "Bon voyage. Then the ferry left.",
        "Prices rose. Sales fell. Shares slid.",
        "Mexico City\nLos Angeles\nSan Juan\nBuenos Aires",
        "Photo: Reuters. Source: AFP.",
    ],
)
def test_short_spans_are_not_judged(text: str) -> None:
    assert detect_passages(article_of(text)) == []
    for sent in segment(text).sentences:
        if sum(c.isalpha() for c in sent.span.text) < MIN_LETTERS:
            assert judge(sent.span.text, IDENTIFIERS["lingua"]) is None


@pytest.mark.parametrize(
    "text",
    [
        "Mayor José Luis Ramírez told reporters in Monterrey that the new bridge would open "
        "in June.",
        "Officials met José María Gutiérrez Hernández and Doña Lucía Fernández de Castro in "
        "Guadalajara on Monday.",
        "Residents of San Juan de los Lagos welcomed Señora Beatriz Ramírez Villalobos at the "
        "Plaza de Armas.",
        "The ferry Nuestra Señora del Carmen, owned by Naviera del Golfo, ran aground near "
        "Isla de los Pájaros.",
    ],
)
def test_english_with_spanish_names_is_not_flagged(text: str) -> None:
    assert detect_passages(article_of(text)) == []


def test_ukrainian_sentence_is_uk() -> None:
    text = (
        "The ministry issued a statement on Friday. Міністерство заявило, що ремонт електромережі "
        "в місті завершать до кінця тижня. Officials did not give a date."
    )
    art = article_of(text)
    [p] = detect_passages(art)
    check_spans(art, [p])
    assert (p.kind, p.language) == ("sentence", "uk")
    assert p.span.text.startswith("Міністерство") and p.span.text.endswith("тижня.")


def test_ukrainian_quote_is_uk() -> None:
    text = "The mayor said: «Ми відновимо кожен будинок у нашому місті» and thanked the volunteers."
    art = article_of(text)
    [p] = detect_passages(art)
    assert (p.kind, p.language) == ("quote", "uk")
    assert p.span.text == "Ми відновимо кожен будинок у нашому місті"


def test_declared_and_inferred_article_language() -> None:
    text = (
        "La autoridad portuaria publicó el informe el lunes por la mañana. Según el documento, "
        "ninguna de las grúas había pasado la revisión anual. Los trabajadores pidieron cambios."
    )
    art = article_of(text)
    seg = segment(art.text)
    passages = detect_passages(art, seg)
    assert article_language(art, passages, seg) == "es"
    declared = article_of(text, language="ES-mx")
    assert article_language(declared, passages, seg) == "es"
    english = article_of("The port authority published the report on Monday morning.")
    assert article_language(english, [], segment(english.text)) == "en"
