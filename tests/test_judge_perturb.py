"""drift.judge.perturb: each drift changes what its label says, inside its span; rewrites keep
every figure, name and negation; everything is deterministic by seed. Invented sentences only."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

import pytest

from drift import lexicon
from drift.judge import SAME, TYPES
from drift.judge import perturb as P

STORY = [
    "Finance Minister Olga Brandt said on Tuesday that the government would cut 1,400 jobs at "
    "the Halden shipyard by March 9, 2021.",
    "Twenty-four workers were hurt when the roof of the shipyard's main hall collapsed in May.",
    "The Port Authority fined Keller Marine 40,000 euros last week, according to the Harbour "
    "Police.",
    "\"We will not close the yard,\" Brandt told reporters in Carrow.",
    "Union leader Daniel Moss refused to comment on the plan.",
    "The union will strike on Monday if the talks fail.",
]
# Sentences for the perturbers, each heard within STORY (its people, bodies and places).
CASES: dict[str, list[str]] = {
    "actor_swap": [
        "Mayor Lena Hart opened the new bridge in Carrow on Tuesday.",
        "The Port Authority fined the shipping company 40,000 euros last week.",
    ],
    "entity_change": [
        "Police questioned Daniel Moss about the fire at the warehouse.",
        "Finance Minister Olga Brandt met union leaders in Halden on Monday.",
    ],
    "number_change": [
        "Twenty-four workers were hurt when the roof collapsed.",
        "The council approved a budget of $6.2 million for the harbour.",
        "About 1,400 people were evacuated from the valley.",
    ],
    "date_change": [
        "The ferry left the harbour at 6:10 a.m. on Tuesday.",
        "The trial will resume on March 9, 2021.",
    ],
    "location_change": [
        "Police arrested Mary Jones at her home in Carrow last week.",
        "Finance Minister Olga Brandt met union leaders in Halden on Monday.",
    ],
    "predicate_change": [
        "Police arrested the driver on Tuesday.",
        "The council postponed the vote on the new stadium.",
    ],
    "modality_shift": [
        "The ministry may raise fuel taxes next year.",
        "The driver reportedly fled the scene.",
        "The company closed the factory in May.",
    ],
    "condition_change": [
        "The union will strike on Monday if the talks fail.",
        "Unless the board approves the loan, the club will close the stadium.",
    ],
    "polarity_flip": [
        "The company did not respond to a request for comment.",
        "Daniel Moss refused to comment on the investigation.",
        "The council approved the plan.",
    ],
    "source_change": [
        "The fire was started deliberately, according to the Harbour Police.",
        "Police said the fire was started deliberately.",
    ],
    "quote_misattribution": [
        "\"We will rebuild the school,\" Olga Brandt said on Tuesday.",
        "Daniel Moss said the ferry would resume service on Friday.",
    ],
}
SEEDS = range(6)
NUMBER_WORDS = {w: i for i, w in enumerate(("zero", "one", "two", "three", "four", "five",
                                             "six", "seven", "eight", "nine", "ten"))}
NEGATION = re.compile(r"\b(?:not|never|no|none|cannot|refused|declined|failed)\b|n[’']t\b", re.I)
HEDGE = re.compile(r"\b(?:may|might|could|would|should|reportedly|allegedly|apparently|"
                   r"probably|possibly|likely|expected)\b", re.I)


@pytest.fixture(scope="module")
def nlp() -> Any:
    from drift.claims import load_parser

    return load_parser()


@pytest.fixture(scope="module")
def story(nlp: Any) -> Any:
    return P.doc_context(list(nlp.pipe(STORY)))


def need_wordnet() -> None:
    if lexicon.wordnet() is None:
        pytest.skip("WordNet is not installed (apt-get install wordnet-base): verb relations "
                    "and synonyms are unavailable")


def changed_region(old: str, new: str) -> tuple[int, int]:
    """Where ``new`` differs from ``old``: the range of ``new`` between their common prefix and
    common suffix (empty for a pure deletion)."""
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    q = 0
    while q < min(len(old), len(new)) - p and old[-1 - q] == new[-1 - q]:
        q += 1
    return p, len(new) - q


def check_drift(old: str, edit: P.Edit, label: str) -> str:
    """The common contract of a drift; returns its span text."""
    assert edit.label == label
    assert edit.text != old
    assert 0 <= edit.start < edit.end <= len(edit.text)
    span = edit.text[edit.start:edit.end]
    assert span == span.strip() and span
    a, b = changed_region(old, edit.text)
    # The span covers (part of) what changed, or borders what was deleted.
    assert edit.start <= max(a, b) and min(a, b) <= edit.end, (old, edit, (a, b))
    assert "  " not in edit.text and " ," not in edit.text
    return span


def edits(fn: Callable[..., P.Edit | None], doc: Any, ctx: P.DocContext) -> list[P.Edit]:
    out = [fn(doc, ctx, random.Random(seed)) for seed in SEEDS]
    return [e for e in out if e is not None]


def figures(text: str) -> list[float]:
    """The numbers of ``text`` in any of the forms the rewrites use."""
    text = re.sub(r"(?<=\d)(?:m|bn)\b|\b(?:million|billion|thousand)\b", "", text)
    text = lexicon.number_words(text)
    text = re.sub(r"\b(" + "|".join(NUMBER_WORDS) + r")\b",
                  lambda m: str(NUMBER_WORDS[m.group().lower()]), text, flags=re.I)
    return sorted(float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", text))


@pytest.mark.parametrize("label", sorted(CASES))
def test_each_perturber_changes_what_it_claims(label: str, nlp: Any, story: P.DocContext) -> None:
    if label == "predicate_change":
        need_wordnet()
    assert set(P.PERTURBERS) == set(TYPES) - {"translation_shift"}
    for sentence in CASES[label]:
        doc = nlp(sentence)
        made = edits(P.PERTURBERS[label], doc, story)
        assert made, f"{label} made nothing of {sentence!r}"
        for edit in made:
            span = check_drift(sentence, edit, label)
            CHECKS[label](sentence, edit, span)


def _number(old: str, edit: P.Edit, span: str) -> None:
    assert figures(old) != figures(edit.text) or re.search(
        r"billion|million|thousand|\bbn\b|[$€£]|euros|dollars|pounds", span)


def _date(old: str, edit: P.Edit, span: str) -> None:
    assert re.search(r"\d|day|January|February|March|April|May|June|July|August|September|"
                     r"October|November|December|week|month|year|morning|evening", span)


def _place(old: str, edit: P.Edit, span: str) -> None:
    assert span not in old


def _polarity(old: str, edit: P.Edit, span: str) -> None:
    assert len(NEGATION.findall(old)) != len(NEGATION.findall(edit.text))


def _modality(old: str, edit: P.Edit, span: str) -> None:
    assert HEDGE.findall(old) != HEDGE.findall(edit.text)


def _condition(old: str, edit: P.Edit, span: str) -> None:
    assert re.search(r"\b(?:if|unless)\b", old + edit.text, re.I)


def _predicate(old: str, edit: P.Edit, span: str) -> None:
    old_verb = next(w for w in ("arrested", "postponed") if w in old)
    assert old_verb not in edit.text
    assert lexicon.verb_lemma(span) not in lexicon.synonyms(lexicon.verb_lemma(old_verb))


def _source(old: str, edit: P.Edit, span: str) -> None:
    assert span not in old


def _quote(old: str, edit: P.Edit, span: str) -> None:
    if '"' in old:
        assert re.search(r'"We will rebuild the school," .+ said', edit.text)
        assert "Olga Brandt" not in edit.text
    else:
        assert edit.text.startswith("“The ferry would resume service on Friday,” ")
        assert span.startswith("“")


def _agent(old: str, edit: P.Edit, span: str) -> None:
    assert span not in old and edit.start < 25


def _entity(old: str, edit: P.Edit, span: str) -> None:
    assert span not in old


CHECKS: dict[str, Callable[[str, P.Edit, str], None]] = {
    "actor_swap": _agent, "entity_change": _entity, "number_change": _number,
    "date_change": _date, "location_change": _place, "predicate_change": _predicate,
    "modality_shift": _modality, "condition_change": _condition, "polarity_flip": _polarity,
    "source_change": _source, "quote_misattribution": _quote,
}


def test_twenty_four_is_read_as_one_number(nlp: Any, story: P.DocContext) -> None:
    sentence = "Twenty-four workers were hurt when the roof collapsed."
    doc = nlp(sentence)
    for seed in range(40):
        edit = P.number_change(doc, story, random.Random(seed))
        assert edit is not None
        span = edit.text[edit.start:edit.end]
        assert edit.start == 0 and not edit.text.lower().startswith("twenty-four")
        assert "-" not in edit.text[:edit.start]  # never "Twenty-" kept before a new "five"
        value = int(figures(span)[0])
        assert value != 24 and value >= 2
        assert edit.text[edit.end:] == sentence[len("Twenty-four"):]
    # The faithful number rewrites never split it either.
    for seed in SEEDS:
        edit = P.number_format(doc, story, random.Random(seed))
        assert edit is None or figures(edit.text) == [24.0]


def test_scale_currency_and_format_changes_are_number_changes(nlp: Any,
                                                              story: P.DocContext) -> None:
    doc = nlp("The council approved a budget of $6.2 million for the harbour.")
    spans = {e.text[e.start:e.end] for e in
             (P.number_change(doc, story, random.Random(s)) for s in range(30)) if e}
    assert any(re.fullmatch(r"\d+\.\d", s) for s in spans)  # the value, one decimal kept
    assert not any(s.endswith(".0") for s in spans)


REWRITE_CASES = [
    "On Tuesday, police arrested Mary Jones in Carrow.",
    "Police arrested the driver in Halden on Tuesday.",
    "The ministry will cut 1,400 jobs by March 9, 2021, officials said.",
    "Olga Brandt said the government would sell the $6.2 million stake.",
    "Prices rose 25 percent last year, the central bank said.",
    "The Port Authority fined the shipping company last week.",
    "The mayor also praised the three volunteers who rescued 12 people.",
    "The company did not respond to a request for comment.",
    "Daniel Moss purchased the ferry in 2019.",
    "The ferry was bought by the Harbour Authority in 2019.",
]


@pytest.mark.parametrize("sentence", REWRITE_CASES)
def test_rewrites_keep_figures_names_and_negation(sentence: str, nlp: Any,
                                                  story: P.DocContext) -> None:
    doc = nlp(sentence)
    titles = {t.lower() for t in story.titles.values()}
    names = set(re.findall(r"\b[A-Z][a-z]+\b", sentence)) - {
        "On", "Police", "The", "Prices", "Daniel", "Olga", "Mary"}
    for fn in P.REWRITES:
        for edit in edits(fn, doc, story):
            assert edit.label == SAME and edit.text != sentence
            assert 0 <= edit.start < edit.end <= len(edit.text)
            assert figures(edit.text) == figures(sentence), (fn.__name__, edit.text)
            assert len(NEGATION.findall(edit.text)) == len(NEGATION.findall(sentence))
            for name in names:
                assert name in edit.text or any(t in edit.text.lower() for t in titles), (
                    fn.__name__, name, edit.text)


def test_rewrites_cover_the_promised_forms(nlp: Any, story: P.DocContext) -> None:
    def made(fn: Callable[..., P.Edit | None], sentence: str) -> set[str]:
        return {e.text for e in edits(fn, nlp(sentence), story)}

    assert "Police arrested Mary Jones in Carrow on Tuesday." in made(
        P.move_adverbial, "On Tuesday, police arrested Mary Jones in Carrow.")
    assert made(P.attribution, "The ministry will cut 1,400 jobs, officials said.") <= {
        "The ministry will cut 1,400 jobs, said officials.",
        "According to officials, the ministry will cut 1,400 jobs."}
    assert "The trial will resume on 9 March 2021." in made(
        P.date_format, "The trial will resume on March 9, 2021.")
    assert made(P.number_format, "The council approved a budget of $6.2 million.") <= {
        "The council approved a budget of $6.2m.",
        "The council approved a budget of 6.2 million dollars."}
    assert "The ferry was bought by the Harbour Authority." in made(
        P.voice, "The Harbour Authority bought the ferry.")
    assert "Olga Brandt told reporters the ferry was sold." not in made(
        P.short_name, "Olga Brandt told reporters the ferry was sold.")
    assert made(P.short_name, "Olga Brandt told reporters the ferry was sold.") <= {
        "Brandt told reporters the ferry was sold.",
        "The finance minister told reporters the ferry was sold."}
    assert "The company didn't respond to a request for comment." in made(
        P.contraction, "The company did not respond to a request for comment.")


def test_verb_synonym_is_conservative(nlp: Any, story: P.DocContext) -> None:
    need_wordnet()
    assert {e.text for e in edits(P.verb_synonym, nlp("Daniel Moss purchased the ferry."),
                                  story)} == {"Daniel Moss bought the ferry."}
    assert not edits(P.verb_synonym, nlp("All signs pointed toward a late deal."), story)


def test_inflection() -> None:
    assert [P.inflect("cancel", t) for t in ("VBZ", "VBD", "VBN", "VBG")] == [
        "cancels", "cancelled", "cancelled", "cancelling"] or [
        P.inflect("cancel", t) for t in ("VBZ", "VBD", "VBN", "VBG")] == [
        "cancels", "canceled", "canceled", "canceling"]
    assert P.inflect("stop", "VBD") == "stopped"
    assert P.inflect("transfer", "VBN") == "transferred"
    assert P.inflect("withdraw", "VBN") == "withdrawn"
    assert P.inflect("deny", "VBZ") == "denies"
    assert P.inflect("release", "VBG") == "releasing"
    assert P.inflect("visit", "VBD") == "visited"


def test_perturbers_are_deterministic_by_seed(nlp: Any, story: P.DocContext) -> None:
    for label, sentences in CASES.items():
        for sentence in sentences:
            doc = nlp(sentence)
            first = [P.PERTURBERS[label](doc, story, random.Random(s)) for s in SEEDS]
            again = [P.PERTURBERS[label](doc, story, random.Random(s)) for s in SEEDS]
            assert first == again


def test_doc_context_collects_the_story(nlp: Any, story: P.DocContext) -> None:
    assert "Olga Brandt" in story.people and "Brandt" not in story.people
    assert story.titles.get("Olga Brandt") == "Finance Minister"
    assert any("Port Authority" in o for o in story.orgs)
    assert "Carrow" in story.places
    assert story.surnames()["Brandt"] == "Olga Brandt"


def test_examples_from_document(nlp: Any) -> None:
    made = P.examples_from_document(STORY, nlp, random.Random(3), "story-1", "test",
                                    max_targets=6)
    again = P.examples_from_document(STORY, nlp, random.Random(3), "story-1", "test",
                                     max_targets=6)
    assert made == again
    labels = {e.label for e in made}
    assert SAME in labels and labels - {SAME}
    assert labels <= set(TYPES) | {SAME}
    for e in made:
        assert e.group == "story-1" and e.source == "test"
        assert all(s in STORY for s in _sentences(e.premise))
        if e.label == SAME:
            assert e.span is None
        else:
            assert e.span is not None
            start, end = e.span
            assert e.hypothesis[start:end].strip() == e.hypothesis[start:end] != ""
    # Over a few seeds, drifts of several kinds and faithful rewrites both appear.
    kinds = {e.label for seed in range(6) for e in P.examples_from_document(
        STORY, nlp, random.Random(seed), "story-1", "test")}
    assert len(kinds - {SAME}) >= 4


def _sentences(premise: str) -> list[str]:
    out, rest = [], premise
    for s in sorted(STORY, key=len, reverse=True):
        if s in rest:
            out.append(s)
            rest = rest.replace(s, "")
    assert not rest.strip(), rest
    return out


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Police arrested Mary Jones, 45, at her home in Carrow last week.",
     "Police arrested Mary Jones at her home in Carrow last week."),
    ("On Tuesday, the council did not approve the plan.", "The council did not approve the plan."),
    ("If the talks fail, the union will strike in Halden.",
     "If the talks fail, the union will strike."),
    ("The company reportedly cut 300 jobs in May.", None),  # the hedge and the figure stay
    ("Alan was a member of the band for four years.", None),  # a duration is a figure
    ("Prices may rise in Halden.", "Prices may rise."),  # the hedge stays
])
def test_keep_part_never_drops_what_the_claim_rests_on(sentence: str, expected: str | None,
                                                       nlp: Any) -> None:
    kept = P.keep_part(nlp(sentence))
    assert kept == expected
    if kept is not None:
        assert figures(kept) == figures(sentence) or "45" in sentence
        assert len(NEGATION.findall(kept)) == len(NEGATION.findall(sentence))
        assert HEDGE.findall(kept) == HEDGE.findall(sentence)
        assert ("if" in kept.lower()) == ("if" in sentence.lower())


def test_merge_sentences(nlp: Any) -> None:
    merged = P.merge_sentences(nlp("The council approved a new plant in Carrow."),
                               nlp("The plant will employ 500 people."))
    assert merged == "The council approved a new plant in Carrow, and the plant will employ 500 " \
                     "people."
    assert P.merge_sentences(nlp("The council approved a new plant."),
                             nlp("The plant will employ 500 people.")) == (
        "The council approved a new plant, which will employ 500 people.")
    assert P.merge_sentences(nlp('"We will stay," Brandt said.'),
                             nlp("The plant will employ 500 people.")) is None
