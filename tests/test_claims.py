"""Claim extraction on sentences written for these tests: numbers, dates, frames (relative
clauses, passives, light verbs), negation, hedges, conditions, sources and quote speakers."""

from __future__ import annotations

import pytest

from drift.claims import Claim, Frame, _dates, extract, parse_number, units
from drift.records import Article
from drift.segment import segment


def claims_of(text: str, article_id: str = "t") -> list[Claim]:
    art = Article(article_id, f"{article_id}.txt", text, text)
    return extract(units(art, segment(text), ()))


def only_claim(text: str) -> Claim:
    [claim] = claims_of(text)
    return claim


def frame(claim: Claim, predicate: str) -> Frame:
    found = [f for f in claim.frames if f.predicate == predicate]
    assert found, (predicate, claim.frames)
    return found[0]


# ---------------------------------------------------------------------------------------------
# Numbers and dates


@pytest.mark.parametrize(
    ("token", "foreign", "value"),
    [
        ("1,200", False, 1200.0),
        ("12,500,000", False, 12_500_000.0),
        ("3.5", False, 3.5),
        ("6,2", True, 6.2),
        ("450.000", True, 450_000.0),
        ("1.250.000,75", True, 1_250_000.75),
        ("0,5", True, 0.5),
        ("four", False, 4.0),
        ("Twelve", False, 12.0),
        ("dozen", False, 12.0),
        ("12%", False, 12.0),
        ("$40", False, 40.0),
        ("€2,5", True, 2.5),
        ("harbour", False, None),
        ("", False, None),
    ],
)
def test_parse_number(token: str, foreign: bool, value: float | None) -> None:
    assert parse_number(token, foreign) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The hearing is set for Thursday, Feb. 13 at the county court.", ["thursday 02-13"]),
        # The shape Apertium gives a Spanish date ("el miércoles 12 de febrero").
        ("The police detained him the Wednesday 12 February in the port.", ["wednesday 02-12"]),
        ("The bridge reopened on Sept. 3 after repairs.", ["09-03"]),
        ("On 4 May the market moved to the old square.", ["05-04"]),
        ("Voting ends on Sunday.", ["sunday"]),
        ("Officials may close the road.", []),
        ("No date is given here.", []),
    ],
)
def test_dates(text: str, expected: list[str]) -> None:
    assert _dates(text) == expected


def test_dates_weekday_and_day_are_both_kept() -> None:
    parts = " ".join(_dates("The council meets on Thursday, Feb. 13.")).split()
    assert "thursday" in parts and "02-13" in parts


def test_quantities_carry_their_unit() -> None:
    claim = only_claim("The bakery will lay off 120 workers and cut wages by 5 percent.")
    assert {(q.value, q.unit) for q in claim.numbers} == {(120.0, "worker"), (5.0, "%")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The toll should bring in CHF 11 million a year.", (11e6, "chf")),
        ("Firms may buy up to US$250,000 a month.", (250_000.0, "$")),
        ("The farm was fined R$ 48.6 million.", (48.6e6, "r$")),
        ("The delay adds to the $2.7-billion budget.", (2.7e9, "$")),
        ("The town spent €3-million on the square.", (3e6, "€")),
    ],
)
def test_money_with_codes_and_hyphenated_scales(text: str, expected: tuple[float, str]) -> None:
    assert [(q.value, q.unit) for q in only_claim(text).numbers] == [expected]


def test_unable_to_negates_its_verb() -> None:
    claim = only_claim("Creditors would be unable to enforce their claims.")
    assert frame(claim, "enforce").negated


# ---------------------------------------------------------------------------------------------
# Frames


def test_relative_clause_frame() -> None:
    claim = only_claim("Shop owners complained about the new parking fees, which the minister "
                       "postponed last week.")
    f = frame(claim, "postpone")
    assert (f.agent, f.object) == ("minister", "fee")
    assert f.agent_text == "the minister"
    assert not f.negated


def test_passive_with_by_agent_on_a_nominal_predicate() -> None:
    claim = only_claim("Officials criticised a fine imposed by the ministry on the bakery.")
    fines = [f for f in claim.frames if f.predicate == "fine" and f.agent is not None]
    assert [(f.agent, f.passive) for f in fines] == [("ministry", True)]
    assert fines[0].recipients == ("the bakery",)


def test_light_verb_impose_a_fine() -> None:
    f = frame(only_claim("The regulator imposed a fine on the airline."), "fine")
    assert f.agent == "regulator"
    assert f.recipients == ("the airline",)


def test_plain_active_frame_is_not_passive_or_negated() -> None:
    f = frame(only_claim("The inspectors found evidence of fraud at the depot."), "find")
    assert (f.agent, f.object, f.negated, f.passive) == ("inspector", "evidence", False, False)


# ---------------------------------------------------------------------------------------------
# Negation


@pytest.mark.parametrize(
    ("text", "predicate"),
    [
        ("The inspectors found no evidence of fraud at the depot.", "find"),
        ("The mayor has yet to concede the race.", "concede"),
        ("The company declined to comment on the report.", "comment"),
        ("The pilots did not strike on Monday.", "strike"),
        ("The board never approved the merger.", "approve"),
        ("The landlord left the tenants no choice, the residents said.", "leave"),
        ("The council gave the traders no warning before the closure.", "give"),
    ],
)
def test_negated(text: str, predicate: str) -> None:
    claim = only_claim(text)
    assert frame(claim, predicate).negated
    assert claim.negated


def test_declining_itself_is_not_negated() -> None:
    claim = only_claim("The company declined to comment on the report.")
    assert not frame(claim, "decline").negated


# ---------------------------------------------------------------------------------------------
# Hedges and conditions


@pytest.mark.parametrize(
    ("text", "hedge"),
    [
        ("Bread prices could fall next year.", "could"),
        ("The clerk allegedly received bribes from a shipping firm.", "allegedly"),
        ("The clerk is alleged to have been paid 9,000 dollars.", "allegedly"),
        ("We do not rule out extending the closures.", "not rule out"),
        ("The strike may spread to other ports.", "may"),
    ],
)
def test_hedges(text: str, hedge: str) -> None:
    assert hedge in only_claim(text).hedges


def test_no_hedge_in_a_plain_statement() -> None:
    assert only_claim("Bread prices will fall next year.").hedges == ()


def test_rule_out_extending_is_possible_not_negated() -> None:
    claim = only_claim("We do not rule out extending the closures.")
    extend = frame(claim, "extend")
    assert not extend.negated
    assert "not rule out" in extend.hedges


def test_condition() -> None:
    claim = only_claim("The dam gates will be opened if the river rises above 5 metres.")
    assert claim.conditions == ("if the river rises above 5 metres",)
    assert frame(claim, "open").condition == "if the river rises above 5 metres"


def test_no_condition_without_a_conditional_clause() -> None:
    assert only_claim("The dam gates were opened because the river rose.").conditions == ()


# ---------------------------------------------------------------------------------------------
# Sources and quotes


def test_according_to_source() -> None:
    claim = only_claim("Harbour traffic fell by 12 percent, according to the port authority.")
    assert claim.sources == ("the port authority",)


def test_citing_source() -> None:
    claim = only_claim("Rents rose sharply last year, citing figures from the housing office.")
    assert claim.sources and "housing office" in claim.sources[0]


def test_said_speaker() -> None:
    claim = only_claim("Mayor Tomas Rell said the budget would grow.")
    assert claim.speakers == ("Mayor Tomas Rell",)


def test_quote_speaker_resolved_from_the_previous_sentence() -> None:
    text = ("Port director Ana Velasquez spoke to reporters on Monday. "
            '"The cranes will be back in service before the end of the month," she said.')
    first, second = claims_of(text)
    assert first.quotes == ()
    [quote] = second.quotes
    assert quote.speaker == "velasquez"
    assert quote.speaker_text == "she"
    assert quote.text.startswith("The cranes will be back in service")
    assert quote.span.text == text[quote.span.start : quote.span.end]
    assert not quote.translated and not quote.foreign


@pytest.mark.parametrize(("text", "speakers"), [
    # the person named before the pronoun in its own sentence
    pytest.param("Engineer Tom Hale wrote the survey. Director Sara Lind framed the cap as a "
                 'safeguard: "The cap protects the trade itself," she said.', {"lind"},
                 id="named-in-the-sentence"),
    # two subjects in one sentence: "she" in the next is the later main-clause one
    pytest.param("Councillor Ben Hart backs the cap, but Mayor Rosa Quint wants a larger share "
                 'of the fees. "We carry the traffic and the rubbish," she said.', {"quint"},
                 id="last-main-clause-subject"),
    # a surname the set knows, however the parser tagged it
    pytest.param("Board chair Lucia Ferrant Oyel opened the meeting. Inspector Paul Mace spoke "
                 'next. Ferrant, for her part, kept the door open. "We will look at the rate '
                 'again," she said.', {"oyel", "ferrant"}, id="known-surname-subject"),
])
def test_a_pronoun_quote_speaker_is_resolved(text: str, speakers: set[str]) -> None:
    [quote] = claims_of(text)[-1].quotes
    assert quote.speaker in speakers


def test_colon_introduced_quote_speaker() -> None:
    claim = only_claim('Union leader Marta Solis rejected the offer: "This deal does nothing for '
                       'the night shift workers."')
    [quote] = claim.quotes
    assert quote.speaker == "solis"
    assert quote.text.startswith("This deal does nothing")


def test_scare_quotes_are_not_quote_claims() -> None:
    claim = only_claim('The minister called the plan "reckless" on Monday.')
    assert claim.quotes == ()


def test_claim_spans_point_into_the_text() -> None:
    text = ("The ferry left Kelso at noon. It carried 85 passengers, the operator said.\n\n"
            "Nobody was hurt.")
    claims = claims_of(text, "ferry")
    assert len(claims) == 3
    for c in claims:
        assert c.article == "ferry"
        assert c.span.text == text[c.span.start : c.span.end]
        assert c.id == f"ferry:{c.span.start}-{c.span.end}"


@pytest.mark.parametrize(
    "text",
    [
        # An inverted attribution followed by an English gloss after a colon: the parser hangs
        # the name on the gloss's verb, not on "said".
        '"Nenhum doente deveria ter que escolher entre comprar remédios e pagar a renda," said '
        "Inês Castro, president of the patients' group Vida Plena: no patient should have to "
        "choose between buying medicine and paying the rent.",
        '"The cranes will be back before the end of the month," said Ana Velasquez, the port '
        "director.",
    ],
)
def test_inverted_said_speaker(text: str) -> None:
    [quote] = only_claim(text).quotes
    assert quote.speaker in {"castro", "velasquez"}
    assert quote.speaker_text in {"Inês Castro", "Ana Velasquez"}


def test_stop_negates_its_complement() -> None:
    claim = only_claim("The agency ordered the mill to stop buying timber.")
    assert frame(claim, "buy").negated


def test_an_amount_in_apposition_is_no_institution_name() -> None:
    from drift.claims import EntityIndex, load_parser

    index = EntityIndex()
    index.learn(load_parser()("The toll, CHF 4 per car, will repay part of the cost."))
    assert "toll" not in index.institutions


# ---------------------------------------------------------------------------------------------
# Eighth round


@pytest.mark.parametrize(("text", "predicate", "condition"), [
    pytest.param("Engineers will inspect the bridge on Thursday, as long as the river is below "
                 "four metres.", "inspect", "as long as the river is below four metres",
                 id="as-long-as"),
    pytest.param("The ban will be lifted only when the mill proves it can work within the "
                 "limit.", "lift", "only when the mill proves it can work within the limit",
                 id="only-when"),
])
def test_conditions_the_parser_hangs_elsewhere(text: str, predicate: str,
                                               condition: str) -> None:
    assert frame(only_claim(text), predicate).condition == condition


def test_could_not_states_an_inability_not_a_possibility() -> None:
    claim = only_claim("Part of the grain could not be traced to the registered farms.")
    assert "could" not in frame(claim, "trace").hedges


def test_cannot_rule_out_stays_a_possibility() -> None:
    claim = only_claim("We cannot rule out further closures, the director said.")
    assert "can" in frame(claim, "rule").hedges


def test_what_someone_expects_is_hedged() -> None:
    claim = only_claim("The two firms said they expected the merger to close in June.")
    assert "expected" in frame(claim, "close").hedges


def test_an_acronym_in_brackets_names_the_body() -> None:
    first, second = claims_of("The National Roads Directorate (NRD) closed the coast road. "
                              "The NRD will reopen it on Friday.")
    assert frame(first, "close").agent == frame(second, "reopen").agent == (
        "national roads directorate")


def test_a_code_in_apposition_names_no_body() -> None:
    _, second = claims_of("Lorries now take the state road SC-571 through Vila Nova. "
                              "The ministry closed the old bridge.")
    assert frame(second, "close").agent == "ministry"


def test_the_speaker_of_a_title_in_apposition_is_the_person() -> None:
    text = ("At a briefing in Vilarosa, the group's chief executive, Lucía Ferreira, said the "
            'plant would stay open. "We came here to grow," she said.')
    [quote] = claims_of(text)[-1].quotes
    assert quote.speaker is not None and quote.speaker.endswith("ferreira")


def test_apertium_one_thousand_after_a_figure_scales_it() -> None:
    from drift.claims import _quantities, load_parser

    [q] = _quantities(load_parser()("They produced 184 one thousand litres of mezcal."), True)
    assert q.value == 184_000


def test_a_dateline_with_an_elided_article() -> None:
    from drift.claims import DATELINE

    assert DATELINE.match("L'ALBEREDA, Spain, Feb 11 — A citrus cooperative has stopped")


# Ninth round (read on the fresh tuning stories of train-4).

def test_a_dateline_without_a_comma_is_no_subject() -> None:
    from drift.claims import DATELINE

    assert DATELINE.sub("", "TORVALE — The agency cut the rise.") == "The agency cut the rise."
    assert DATELINE.sub("", "PUERTO ALTO (Agencia Sur) — Un convoy encalló.") == \
        "Un convoy encalló."
    assert DATELINE.sub("", "The EU — and its members — agreed.") == \
        "The EU — and its members — agreed."
    agents = {f.agent for c in claims_of("TORVALE — The housing agency suspended part of the "
                                         "rise on Thursday.") for f in c.frames}
    assert "torvale" not in agents


def test_she_after_a_title_with_the_holder_s_name_is_that_person() -> None:
    cs = claims_of('The tenants\' union says the heating failed 11 times. Its spokeswoman, '
                   'Inès Moreau, called Thursday\'s decision a first step. "It is a first '
                   'victory, but the rise is still there," she said.')
    assert [q.speaker for q in cs[-1].quotes] == ["moreau"]


def test_he_after_a_tabloid_title_is_that_person() -> None:
    cs = claims_of('Watchdog boss Ricardo Alves Tostes gave the miner 30 days to drain the '
                   'reservoir. "We will not wait for another disaster," he told reporters.')
    assert [(q.speaker or "").split()[-1] for q in cs[-1].quotes] == ["tostes"]


def test_a_relative_clause_whose_verb_does_not_agree_is_not_its_neighbour_s() -> None:
    cs = claims_of("The residence is one of 14 that the agency runs around Lille, which between "
                   "them house about 6,200 students.")
    assert not [f for c in cs for f in c.frames if f.predicate == "house" and f.agent == "lille"]


def test_an_if_clause_the_parser_made_the_root_is_still_a_condition() -> None:
    cs = claims_of("According to a spokesman, if serious breaches are found the bank could be "
                   "barred from outsourcing more services.")
    assert cs[-1].conditions == ("if serious breaches are found",)


def test_who_is_asked_to_act_acts() -> None:
    frames = claims_of("The union asked the ministry to guarantee the extra hour.")[-1].frames
    assert [f.agent for f in frames if f.predicate == "guarantee"] == ["ministry"]
    frames = claims_of("The injunction forced the utility to halt the work.")[-1].frames
    assert [f.agent for f in frames if f.predicate == "halt"] == ["injunction"]


def test_not_only_negates_nothing() -> None:
    frames = claims_of("The parents want the city to pay for the extra hour in every school, "
                       "not just where teachers volunteer.")[-1].frames
    assert [f.negated for f in frames if f.predicate == "pay"] == [False]


def test_a_quote_fumed_by_someone_has_a_speaker() -> None:
    cs = claims_of('"The register is simply out of date," fumed vineyard owner Marta Ruiz.')
    assert [(q.speaker or "").split()[-1] for q in cs[-1].quotes] == ["ruiz"]


def test_an_estimate_is_credited_and_other_dollars_are_read() -> None:
    c = claims_of("The hauliers' association estimates that local firms are losing about R$4 "
                  "million a day.")[-1]
    assert c.speakers == ("The hauliers' association",)
    assert [(q.value, q.unit) for q in c.numbers] == [(4_000_000.0, "r$")]


def test_the_parse_cache_is_keyed_by_the_tokenizer_revision() -> None:
    from drift.cache import pipeline_id
    from drift.claims import TOKENIZER_REVISION, load_parser

    assert pipeline_id(load_parser()).endswith("/" + TOKENIZER_REVISION)


@pytest.mark.parametrize(("text", "conditions"), [
    ("The bank will lend the money, provided the club keeps the stadium open.",
     ("provided the club keeps the stadium open",)),
    ("The state will pay the doctors on condition that the ministry releases the funds.",
     ("on condition that the ministry releases the funds",)),
    ("The club will get the loan provided that it sells the resort by July.",
     ("provided that it sells the resort by July",)),
    ("The buses, provided by the state, arrived on Monday.", ()),
    ("The city said it provided 40 buses for the evacuation.", ()),
])
def test_provisos_are_conditions(text: str, conditions: tuple[str, ...]) -> None:
    assert claims_of(text)[-1].conditions == conditions


# ---------------------------------------------------------------------------------------------
# Tenth round: speakers the small model does not tag as people, in our own words.


def _last(text: str) -> Claim:
    return extract(units(Article("a", "a.txt", text, text), segment(text), ()))[-1]


def test_a_name_after_a_title_is_a_person_who_speaks_for_she() -> None:
    c = _last("The chamber passed the bill that Mayor Lidia Varela sent in May. "
              "Varela said she would ask the province to share the cost.")
    asks = [f for f in c.frames if f.predicate == "ask"]
    assert asks and asks[0].agent == "varela"


def test_a_quoted_gloss_after_meaning_is_the_speakers() -> None:
    c = _last('"Wir prüfen das sorgfältig," Keller said, meaning: "We are checking it '
              'carefully."')
    assert {q.speaker for q in c.quotes} == {"keller"}


def test_a_title_after_the_quote_verb_speaks() -> None:
    c = _last('"If the money comes late, the night buses will stop running," fumed a '
              'spokesman for the taxi drivers.')
    assert [q.speaker for q in c.quotes] == ["spokesman"]


def test_a_hyphenated_title_in_apposition_is_one_description() -> None:
    # The small parser cuts "vice-president" into three appositions; they are one post.
    c = only_claim("The line was delayed, said Geneviève Lacombe, the utility's vice-president "
                   "for transmission.")
    assert c.described == (("lacombe", "the utility's vice-president for transmission"),)


@pytest.mark.parametrize(("text", "times"), [
    ("The slide struck at about 10:30 on Sunday night.", ["t22:30"]),
    ("The alarm went off at 9:15 in the evening.", ["t21:15"]),
    ("The talks ended at 3:20 in the afternoon.", ["t15:20"]),
    ("The plant opens at 10:30 on Sunday.", ["t10:30"]),
    ("The lights went out at 2:00 at night.", ["t02:00"]),  # small hours: a.m.
    ("The train left at 8:40 p.m.", ["t20:40"]),
])
def test_a_clock_time_the_words_after_it_place_in_the_evening(text: str,
                                                              times: list[str]) -> None:
    from drift.claims import _times

    assert _times(text) == times


def test_a_negation_over_verbs_joined_by_or_holds_for_each() -> None:
    source = ("The judge refused to declare the strike unlawful or to remove the pickets "
              "from the forecourt.")
    assert frame(only_claim(source), "declare").negated
    assert frame(only_claim(source), "remove").negated
    assert not any(f.negated for f in only_claim("The union signed the deal and left the "
                                                 "room.").frames)


def test_two_days_of_one_month() -> None:
    from drift.claims import _dates

    assert set(_dates("a strike on March 4 and 5")) == {"03-04", "03-05"}
    assert set(_dates("a strike on 4 and 5 March")) == {"03-04", "03-05"}
    assert set(_dates("from March 2 to 12 April")) == {"03-02", "04-12"}


def test_a_speaker_named_in_apposition_after_the_verb() -> None:
    [quote] = only_claim('"We will finally be able to plan the harvest," said its chair, '
                         'Rosalía Benavent — growers can plan at last.').quotes
    assert quote.speaker_text == "Rosalía Benavent"


def test_the_one_asked_to_act_is_the_object_named_before_it() -> None:
    claim = only_claim("The residents went to the regional ombudsman on Monday, asking it to "
                       "halt the demolition.")
    assert frame(claim, "halt").agent_text == "the regional ombudsman"
    # a subject pronoun still stands for the subject named before it
    claim = only_claim("The council met on Monday, and it voted to halt the demolition.")
    assert frame(claim, "vote").agent_text == "The council"


def test_a_number_word_that_begins_a_name_counts_nothing() -> None:
    def figures(text: str) -> list[float]:
        art = Article("a", "a.txt", text, text)
        return [q.value for c in extract(units(art, segment(text), ())) for q in c.numbers]

    # a machine translation's "Tres Palmares", or a place such as "Seven Oaks"
    assert figures("The fuel will go by rail to the depot in Three Palmares.") == []
    assert figures("Three people were hurt near the depot in Seven Oaks.") == [3.0]
    # a title-cased headline still counts
    assert figures("Nine People Fall Ill After Eating Cheese From Alpine Dairy") == [9.0]


def test_a_scaled_count_of_a_whole_takes_the_whole_s_noun() -> None:
    text = "The ban could cost the port up to 1.5 million of the roughly 8 million tonnes it ships."
    art = Article("a", "a.txt", text, text)
    found = [(q.value, q.unit) for c in extract(units(art, segment(text), ())) for q in c.numbers]
    assert found == [(1_500_000.0, "tonne"), (8_000_000.0, "tonne")]


def test_an_hour_in_words_is_a_time() -> None:
    from drift.claims import _times

    assert _times("six in the morning is still night") == ["t06:00"]
    assert _times("the ban runs until eleven at night") == ["t23:00"]
    assert _times("at 3 o'clock in the afternoon") == ["t15:00"]
    assert _times("six in the squad") == []


def test_it_stands_for_no_plural_subject() -> None:
    claim = only_claim("According to the council, its inspectors found 300 illegal flats, and "
                       "it plans to hire more inspectors.")
    assert frame(claim, "plan").agent_text in {"it", "the council"}


def test_an_estimate_credited_after_its_clause_names_its_source() -> None:
    # the small English model reads "council estimates" as one noun here
    claim = only_claim("About 70 jobs at nearby suppliers depend on the mill, the regional "
                       "council estimates.")
    assert claim.sources == ("the regional council",)
    # a figure valued by someone: they are its source, as in "according to"
    claim = only_claim("The fire brigade valued the damage at about 2 million euros.")
    assert claim.sources == ("The fire brigade",)
    assert only_claim("The buyers valued the old mill for its river view.").sources == ()


def test_a_quote_speaker_outside_the_quote_when_the_verb_has_two_subjects() -> None:
    # the parser makes the last quoted word a second subject of "said"
    [quote] = only_claim('"Chi truffa sul latte truffa tutta la Lombardia," union leader Marta '
                         'Vellani said, meaning that whoever cheats on milk cheats all of '
                         'Lombardy.').quotes
    assert quote.speaker_text == "union leader Marta Vellani"
