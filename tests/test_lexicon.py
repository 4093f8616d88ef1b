"""Kept libraries in place of hand tables: WordNet (Debian's wordnet-base), text2num, dateparser."""

from __future__ import annotations

import pytest

from drift import lexicon
from drift.claims import _quantities, load_parser


@pytest.mark.parametrize(
    ("words", "value"),
    [("twenty-four", 24), ("Twenty-four", 24), ("one hundred and twelve", 112),
     ("thirty five", 35), ("two thousand", 2000), ("dozen", 12), ("veinticuatro", 24)],
)
def test_number_words(words: str, value: float) -> None:
    lang = "es" if words == "veinticuatro" else "en"
    assert lexicon.word_value(words, lang) == value


@pytest.mark.parametrize("vague", ["thousands", "dozens", "hundreds", "many", "a", ""])
def test_vague_or_no_number_words(vague: str) -> None:
    assert lexicon.word_value(vague) is None


@pytest.mark.parametrize(
    ("sentence", "value", "phrase"),
    [("Twenty-four workers were hurt on Monday.", 24, "Twenty-four workers"),
     ("About one hundred and twelve people were evacuated.", 112,
      "one hundred and twelve people"),
     ("Thirty five people died in the fire.", 35, "Thirty five people")],
)
def test_a_hyphenated_count_is_never_its_last_part(sentence: str, value: float,
                                                   phrase: str) -> None:
    found = [(q.value, q.phrase) for q in _quantities(load_parser()(sentence), False)]
    assert found == [(value, phrase)]


def test_scale_words_are_not_counts_of_their_own() -> None:
    found = [q.value for q in _quantities(load_parser()("Two million people paid $4 million."),
                                          False)]
    assert found == [2e6, 4e6]


def test_number_words_in_running_text() -> None:
    assert lexicon.number_words("Twenty-four workers and one hundred people") \
        == "24 workers and 100 people"
    assert lexicon.number_words("veinticuatro trabajadores", "es") == "24 trabajadores"


@pytest.fixture(scope="module")
def wordnet() -> object:
    wn = lexicon.wordnet()
    if wn is None:
        pytest.skip("WordNet is not installed here: apt-get install wordnet-base")
    return wn


def test_wordnet_relations(wordnet: object) -> None:
    assert lexicon.verb_lemma("extradited") == "extradite"
    assert "delay" in lexicon.synonyms("postpone") or "defer" in lexicon.synonyms("postpone")
    assert "disapprove" in lexicon.antonyms("approve")
    assert "postpone" not in lexicon.siblings("postpone")
    assert lexicon.siblings("buy")  # other kinds of getting: an action family, not synonyms


def test_dates_through_dateparser() -> None:
    pytest.importorskip("dateparser")
    assert lexicon.parse_date("9 March 2026") == (2026, 3, 9)
    assert lexicon.parse_date("March 9")[1:] == (3, 9)
    assert lexicon.parse_date("no date here") == (None, None, None)


def test_agent_nouns_are_people_groups_and_bodies() -> None:
    from drift.lexicon import is_agent_noun, wordnet

    if wordnet() is None:
        pytest.skip("WordNet is not installed (apt-get install wordnet-base)")
    for word in ("council", "residents", "manufacturers", "police", "consumers"):
        assert is_agent_noun(word), word
    for word in ("toll", "estimate", "quarrel", "increase", "gift", "detour"):
        assert not is_agent_noun(word), word


def test_polities(wordnet: object) -> None:
    from drift.lexicon import is_polity

    assert is_polity("Quebec") and is_polity("Andorra") and is_polity("Bavaria")
    assert not is_polity("Laurentia") and not is_polity("") and not is_polity("tank")


def test_is_place_word(wordnet: object) -> None:
    from drift.lexicon import is_place_word

    assert is_place_word("Hamburg") and is_place_word("Swiss") and is_place_word("Peruvian")
    assert not is_place_word("Hollmann") and not is_place_word("group")
