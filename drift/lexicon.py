"""Kept lexical libraries in place of hand-grown word tables.

- **WordNet 3.0** from Debian's ``wordnet-base`` (``/usr/share/wordnet``), read with nltk's
  WordNet reader: synonyms, antonyms and verb relations (``wordnet()``; None when absent).
- **Number words** through ``text2num`` (English, Spanish, French, Portuguese, German, Italian):
  a hyphenated "Twenty-four workers" reads as 24, never as "four workers" (``number_words``).
- **Dates** through ``dateparser`` where it serves (``parse_date``).

Each library is imported on first use; a missing one degrades to None with a logged warning.
"""

from __future__ import annotations

import io
import logging
import os
import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

WORDNET_DIRS = ("/usr/share/wordnet",)

# WordNet 3.0's lexicographer files in their numbered order (lexnames(5WN)). Debian's
# wordnet-base ships the database without this small index, which nltk's reader opens first.
_LEXNAMES = [
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
    "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
    "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
    "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
    "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
    "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition",
    "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
    "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather", "adj.ppl",
]
_SYNTACTIC_CATEGORY = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}
LEXNAMES = "".join(
    f"{i:02d}\t{name}\t{_SYNTACTIC_CATEGORY[name.split('.')[0]]}\n"
    for i, name in enumerate(_LEXNAMES)
)


def wordnet_dir() -> Path | None:
    """The WordNet database folder: ``$DRIFT_WORDNET``, else Debian's, if it holds one."""
    env = os.environ.get("DRIFT_WORDNET", "").strip()
    for folder in ([env] if env else list(WORDNET_DIRS)):
        path = Path(folder).expanduser()
        if (path / "data.verb").is_file() and (path / "index.verb").is_file():
            return path
    return None


@lru_cache(maxsize=1)
def wordnet() -> Any | None:
    """nltk's WordNet reader over the installed database (loaded once, about 3 s), or None."""
    folder = wordnet_dir()
    if folder is None:
        log.warning("WordNet is not installed (apt-get install wordnet-base): "
                    "word relations come from drift's own short lists")
        return None
    try:
        import nltk  # type: ignore[import-untyped]
        from nltk.corpus.reader.wordnet import (  # type: ignore[import-untyped]
            WordNetCorpusReader,
        )
    except ImportError:
        log.warning("nltk is not installed: WordNet is unavailable")
        return None

    root: Path = folder

    class _Reader(WordNetCorpusReader):  # type: ignore[misc]
        def open(self, fileid: str) -> Any:
            if fileid == "lexnames" and not (root / "lexnames").is_file():
                return io.StringIO(LEXNAMES)
            return super().open(fileid)

        def map_wn(self, version: str = "wordnet") -> None:
            # Only the Open Multilingual Wordnet needs a version map; reading the English
            # database asks for none (nltk compares "3.0" with "wordnet" and would look one up).
            return None

    if str(folder) not in nltk.data.path:
        nltk.data.path.append(str(folder))  # nltk reads only below its data paths
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions are not available"
        try:
            return _Reader(str(folder), None)
        except (OSError, ValueError, LookupError) as exc:
            log.warning("cannot read WordNet in %s: %s", folder, exc)
            return None


def verb_lemma(word: str) -> str:
    """The base form of a verb ('extradited' -> 'extradite'), by WordNet's morphology."""
    wn = wordnet()
    if wn is None:
        return word.lower()
    return str(wn.morphy(word.lower(), "v") or word.lower())


def synonyms(lemma: str, pos: str = "v") -> frozenset[str]:
    """Lemmas sharing a synset with ``lemma`` in its two most frequent senses."""
    wn = wordnet()
    if wn is None:
        return frozenset()
    out: set[str] = set()
    for s in wn.synsets(lemma, pos)[:2]:
        out.update(name.replace("_", " ") for name in s.lemma_names())
    out.discard(lemma)
    return frozenset(out)


@lru_cache(maxsize=4096)
def kind_of(lemma: str, other: str, pos: str = "n", senses: int = 2) -> bool:
    """Is ``lemma`` a kind of ``other`` (a direct hypernym of one of its ``senses`` most
    frequent senses has ``other`` among its lemmas: a lorry is a truck)?"""
    wn = wordnet()
    if wn is None:
        return False
    return any(other in {n.replace("_", " ") for n in h.lemma_names()}
               for s in wn.synsets(lemma, pos)[:senses] for h in s.hypernyms())


# What a participant must be to be swapped for another: people, groups and bodies, businesses.
_AGENT_ROOTS = frozenset({"person.n.01", "people.n.01", "social_group.n.01", "organization.n.01",
                          "establishment.n.04"})


@lru_cache(maxsize=4096)
def is_agent_noun(word: str, senses: int = 2) -> bool:
    """Is ``word`` (a noun, any number) a person, a group or a body in one of its two most
    frequent WordNet senses ('council', 'residents', 'manufacturers'; not 'toll', 'estimate',
    'quarrel')? True when WordNet is not installed."""
    wn = wordnet()
    if wn is None:
        return True
    lemma = wn.morphy(word.lower(), "n") or word.lower()
    for s in wn.synsets(lemma, "n")[:senses]:
        if any(h.name() in _AGENT_ROOTS for path in s.hypernym_paths() for h in path):
            return True
    return False


@lru_cache(maxsize=4096)
def is_polity(name: str) -> bool:
    """Is ``name`` a country, region or town WordNet knows ('Quebec', 'Andorra', 'Ticino'):
    a place with a government, which news copy names for that government? False when WordNet
    is not installed."""
    wn = wordnet()
    if wn is None or not name.strip():
        return False
    return any(h.name() == "administrative_district.n.01"
               for s in wn.synsets(name.strip().lower().replace(" ", "_"), "n")[:2]
               for path in s.hypernym_paths() for h in path)


@lru_cache(maxsize=4096)
def is_place_word(word: str) -> bool:
    """Is ``word`` a place with a government or its demonym ('Hamburg', 'Swiss', 'Peruvian'):
    a word that situates a description ('the Hamburg group') rather than naming the body?"""
    if is_polity(word):
        return True
    wn = wordnet()
    if wn is None or not word.isalpha():
        return False
    return any(is_polity(p.name()) for s in wn.synsets(word.lower(), "a")[:2]
               for lem in s.lemmas() for p in lem.pertainyms())


def antonyms(lemma: str, pos: str = "v") -> frozenset[str]:
    """WordNet antonyms of ``lemma`` (any sense)."""
    wn = wordnet()
    if wn is None:
        return frozenset()
    return frozenset(a.name().replace("_", " ") for s in wn.synsets(lemma, pos)
                     for lem in s.lemmas() if lem.name() == lemma for a in lem.antonyms())


def siblings(lemma: str, pos: str = "v", senses: int = 2) -> frozenset[str]:
    """Co-hyponyms: other kinds of what ``lemma`` is a kind of ("postpone" and "cancel" are
    not siblings; "arrest" and "release" are not; "buy" and "rent" are). Distinct actions of
    the same family: the near-misses a predicate change is made of."""
    wn = wordnet()
    if wn is None:
        return frozenset()
    own = {n for s in wn.synsets(lemma, pos)[:senses] for n in s.lemma_names()}
    out: set[str] = set()
    for s in wn.synsets(lemma, pos)[:senses]:
        for h in s.hypernyms():
            for sib in h.hyponyms():
                out.update(n for n in sib.lemma_names() if n not in own)
    return frozenset(n.replace("_", " ") for n in out)


_LANGS = {"en", "es", "fr", "pt", "de", "it", "nl", "da"}


# Words text2num does not read that news uses as counts.
_EXTRA_NUMBERS = {"dozen": 12.0}
# Scale words a run of number words may end with; "million" and "billion" are left to the
# caller's scale handling ("$4 million", "2.5 billion euros").
_RUN_SCALES = frozenset({"hundred", "thousand"})


@lru_cache(maxsize=4096)
def word_value(text: str, language: str = "en") -> float | None:
    """The value of number words ("twenty-four" 24, "one hundred and twelve" 112, "thirty five"
    35, "dozen" 12, "veinticuatro" 24), or None when ``text`` is not a number in words."""
    t = " ".join(text.lower().replace("\u00a0", " ").split())
    if not t or any(ch.isdigit() for ch in t) or (language == "en" and t.endswith("s")):
        return None  # "thousands", "dozens": vague, not a figure
    if t in _EXTRA_NUMBERS:
        return _EXTRA_NUMBERS[t]
    try:
        from text_to_num import text2num  # type: ignore[import-untyped]
    except ImportError:
        return None
    try:
        return float(text2num(t, language if language in _LANGS else "en"))
    except (ValueError, IndexError, TypeError):
        return None


def is_number_word(word: str, language: str = "en") -> bool:
    """Is ``word`` a number in words on its own ("four", "twenty", "hundred", "dozen")?"""
    w = word.lower()
    return w.isalpha() and (w in _RUN_SCALES or word_value(w, language) is not None)


def word_run(words: list[str], language: str = "en") -> tuple[float, int] | None:
    """(value, tokens used) of the longest run of number words opening ``words`` (tokens as a
    parser splits them: "Twenty", "-", "four"; "one", "hundred", "and", "twelve"), or None."""
    best: tuple[float, int] | None = None
    i = 0
    parts: list[str] = []
    while i < len(words):
        w = words[i].lower()
        if w == "-" and parts and i + 1 < len(words) and is_number_word(words[i + 1], language):
            parts.append("-")
        elif w == "and" and parts and parts[-1] in _RUN_SCALES and i + 1 < len(words) \
                and is_number_word(words[i + 1], language):
            parts.append("and")
        elif is_number_word(w, language) and w not in {"million", "billion"}:
            parts.append(w)
            value = word_value(" ".join(parts).replace(" - ", "-"), language)
            if value is not None:
                best = (value, i + 1)
            elif best is not None:
                break  # "five hundred thousand four" stops where the number stops
        else:
            break
        i += 1
    return best


def number_words(text: str, language: str = "en") -> str:
    """``text`` with number words written as digits ("Twenty-four workers" -> "24 workers";
    "veinticuatro" -> "24"); unchanged when text2num is missing or the language unknown.
    Lone "one"/"a" stay words (text2num leaves numbers below ten after an article alone)."""
    if language not in _LANGS:
        return text
    try:
        from text_to_num import alpha2digit
    except ImportError:
        return text
    try:
        return str(alpha2digit(text, language))
    except (ValueError, IndexError):  # text2num raises on some odd sequences
        return text


def parse_date(text: str, language: str = "en") -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a date expression, or Nones where it does not say; dateparser
    reads "9 March", "March 9", "el 9 de marzo", "9/3/2026" alike."""
    try:
        import dateparser  # type: ignore[import-untyped]
    except ImportError:
        return None, None, None
    settings: Any = {"REQUIRE_PARTS": [], "PREFER_DATES_FROM": "current_period",
                     "RETURN_AS_TIMEZONE_AWARE": False}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = dateparser.parse(text, languages=[language, "en"], settings=settings)
    if found is None:
        return None, None, None
    has_year = bool(re.search(r"\b\d{4}\b", text))
    return (found.year if has_year else None), found.month, found.day
