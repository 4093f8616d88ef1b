"""Labelled judge examples from real news sentences: faithful rewrites and single-type drifts.

``examples_from_document`` picks up to ``max_targets`` sentences of a document worth perturbing
(8-45 words, a clause with a subject, preferably names, figures and dates). For each target S the
premise is S with up to two sentences of the document that ``drift.judge.context.select`` finds
relevant to it, in document order, as an audit would give it; the hypotheses are

- "same": a faithful rewrite of S (``REWRITES``: moved adverbials, attribution forms, date and
  number formats, voice, surnames or titles, optional "that", contractions, a frequent synonym),
  else S itself 30% of the time; and, 10% of the time, S merged with a fact of a premise
  sentence or S without a non-essential phrase (never a negation, hedge, condition or figure);
- one or two drifts, made by ``PERTURBERS`` (one per drift type) on the re-parsed rewrite, so
  that faithful and drifted hypotheses share their style and only the meaning tells them apart.

Every function works on a spaCy parse and returns ``None`` when it is not sure the result is
grammatical and changed (or kept) the meaning as its label says. Randomness comes only from the
``random.Random`` passed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import pairwise
from typing import Any

from drift import lexicon
from drift.claims import HEDGES, PLACE_NOUNS, SPEECH_VERBS, WEEKDAYS
from drift.judge import SAME
from drift.judge.context import select
from drift.judge.example import Example

Doc = Any  # spaCy is untyped
Token = Any


def _list(words: str) -> list[str]:
    return words.split()


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())



@dataclass(frozen=True, slots=True)
class Edit:
    """A new sentence; ``start:end`` is the changed part of ``text`` (for drifts)."""

    text: str
    start: int
    end: int
    label: str


# ---------------------------------------------------------------------------------------------
# Fallback pools: invented people, bodies and towns, used when the document has no other one.

POOL_WOMEN = ("Maria Keller", "Ana Ruiz", "Sarah Lindqvist", "Laura Chen", "Nadia Haddad",
              "Claire Dubois", "Helen Park", "Fiona Walsh")
POOL_MEN = ("David Okafor", "Tom Brennan", "James Mwangi", "Peter Novak", "Rahul Mehta",
            "Samuel Adeyemi", "Marco Bellini")
POOL_PEOPLE = POOL_WOMEN + POOL_MEN
POOL_ORGS = (
    "the Interior Ministry", "the Harbour Authority", "Northfield Council",
    "the National Transport Agency", "Meridian Bank", "Corvex Industries",
    "the Regional Health Board", "the Civic Alliance", "Tarrow Energy", "the Audit Office",
)
POOL_TOWNS = (
    "Port Arden", "Millbrook", "Eastwick", "Carrow", "Linden Falls", "Ashford", "Redvale",
    "Kingsbury", "Halden", "Westmoor",
)
POOL_COUNTRIES = (
    "Portugal", "Kenya", "Canada", "Norway", "Chile", "Vietnam", "Poland", "Egypt", "Peru",
    "Ghana", "Ireland", "Malaysia",
)
POOL_REGIONS = ("Southeast Asia", "the Balkans", "East Africa", "Scandinavia", "Central America")
POOL_NORPS = ("Canadian", "Brazilian", "Kenyan", "Polish", "Indonesian", "Swedish", "Mexican")
# Sources a claim is credited to: (text, plural?) so that "says" keeps a singular subject.
POOL_SOURCES = (
    ("police", True), ("officials", True), ("local media", True), ("state media", True),
    ("a government spokesperson", False), ("the Interior Ministry", False), ("witnesses", True),
    ("the Civic Wire news agency", False), ("a company spokesman", False),
)
COUNTRIES = _words(
    """afghanistan albania algeria argentina armenia australia austria azerbaijan bangladesh
    belarus belgium bolivia bosnia brazil bulgaria cambodia cameroon canada chile china colombia
    croatia cuba cyprus denmark ecuador egypt estonia ethiopia finland france georgia germany
    ghana greece guatemala haiti honduras hungary iceland india indonesia iran iraq ireland
    israel italy jamaica japan jordan kazakhstan kenya kosovo kuwait latvia lebanon libya
    lithuania malaysia mali mexico moldova morocco mozambique myanmar nepal netherlands
    nicaragua niger nigeria norway pakistan panama paraguay peru philippines poland portugal
    qatar romania russia rwanda senegal serbia singapore slovakia slovenia somalia spain sudan
    sweden switzerland syria taiwan tanzania thailand tunisia turkey uganda ukraine uruguay
    uzbekistan venezuela vietnam yemen zambia zimbabwe britain england scotland wales"""
) | {"the united states", "the united kingdom", "the uk", "the us", "the u.s.", "south africa",
     "north korea", "south korea", "new zealand", "saudi arabia", "sri lanka", "the philippines",
     "the netherlands", "the united arab emirates"}

# ---------------------------------------------------------------------------------------------
# Word tables.

GENERIC_VERBS = _words(
    "be have do make get take go come give put think seem turn run play work place find let say "
    "hold stand try feel begin become see know keep set bring show tell call pass draw carry want "
    "change need use look"
)
# Near-miss actions news re-reports confuse: stronger, weaker, reversed or neighbouring verbs.
CONTRASTS: dict[str, tuple[str, ...]] = {
    "arrest": ("charge", "release", "question"), "charge": ("arrest", "convict", "question"),
    "convict": ("acquit", "charge"), "acquit": ("convict",), "detain": ("release", "charge"),
    "release": ("detain", "arrest"), "kill": ("injure", "wound"), "injure": ("kill",),
    "wound": ("kill",), "postpone": ("cancel",), "delay": ("cancel", "approve"),
    "cancel": ("postpone", "suspend"), "suspend": ("cancel", "extend"),
    "approve": ("reject", "propose", "delay"), "reject": ("approve", "accept", "consider"),
    "propose": ("approve", "reject"), "accept": ("reject", "consider"),
    "consider": ("approve", "reject"), "confirm": ("announce", "consider"),
    "criticize": ("praise", "condemn"), "criticise": ("praise", "condemn"),
    "condemn": ("criticize", "praise"), "praise": ("criticize",), "warn": ("threaten",),
    "threaten": ("warn",), "urge": ("order", "ask"), "ask": ("order",), "order": ("ask", "urge"),
    "sign": ("reject", "veto"), "veto": ("sign",), "win": ("lose",), "lose": ("win",),
    "increase": ("reduce", "double"), "raise": ("lower", "cut"), "cut": ("freeze",),
    "reduce": ("increase",), "lower": ("raise",), "rise": ("fall",), "fall": ("rise",),
    "grow": ("shrink", "fall"), "drop": ("rise",), "climb": ("fall",), "jump": ("fall",),
    "buy": ("rent", "order"), "sell": ("lease",), "hire": ("dismiss",), "dismiss": ("hire",),
    "open": ("close",), "close": ("open",), "launch": ("cancel", "suspend"), "start": ("end",),
    "end": ("extend",), "extend": ("end",), "attack": ("defend",), "defend": ("attack",),
    "support": ("oppose",), "oppose": ("support",), "back": ("oppose",), "join": ("leave",),
    "leave": ("join",), "enter": ("leave",), "send": ("withdraw",), "deploy": ("withdraw",),
    "withdraw": ("deploy",), "lend": ("borrow",), "borrow": ("lend",), "pay": ("owe",),
    "receive": ("request", "reject"), "allow": ("ban",), "ban": ("allow", "restrict"),
    "restrict": ("ban",), "block": ("allow",), "expel": ("suspend",), "meet": ("call",),
    "visit": ("leave",), "shoot": ("stab",), "stab": ("shoot",), "destroy": ("damage",),
    "damage": ("destroy",), "agree": ("offer",), "offer": ("agree",), "double": ("triple",),
    "triple": ("double",), "halve": ("double",), "score": ("miss",), "miss": ("score",),
    "investigate": ("clear",), "resign": ("retire",), "retire": ("resign",),
    "sue": ("fine",), "fine": ("sue",), "evacuate": ("close",), "transfer": ("extradite",),
    "extradite": ("transfer", "deport"), "deport": ("extradite", "detain"),
}
_IRREGULAR_TEXT = """
arise arose arisen; bear bore borne; beat beat beaten; become became become; begin began begun;
bet bet bet; bid bid bid; bind bound bound; bite bit bitten; blow blew blown; break broke broken;
bring brought brought; broadcast broadcast broadcast; build built built; buy bought bought;
catch caught caught; choose chose chosen; come came come; cost cost cost; cut cut cut;
deal dealt dealt; dig dug dug; do did done; draw drew drawn; drink drank drunk; drive drove driven;
eat ate eaten; fall fell fallen; feed fed fed; feel felt felt; fight fought fought;
find found found;
flee fled fled; fly flew flown; forbid forbade forbidden; forecast forecast forecast;
forget forgot forgotten; forgive forgave forgiven; freeze froze frozen; get got got;
give gave given; go went gone; grow grew grown; hang hung hung; have had had; hear heard heard;
hide hid hidden; hit hit hit; hold held held; hurt hurt hurt; keep kept kept; know knew known;
lay laid laid; lead led led; leave left left; lend lent lent; let let let; light lit lit;
lose lost lost; make made made; mean meant meant; meet met met; overcome overcame overcome;
oversee oversaw overseen; pay paid paid; put put put; quit quit quit; read read read;
rebuild rebuilt rebuilt; ride rode ridden; ring rang rung; rise rose risen; run ran run;
say said said; see saw seen; seek sought sought; sell sold sold; send sent sent; set set set;
shake shook shaken; shoot shot shot; show showed shown; shrink shrank shrunk; shut shut shut;
sing sang sung; sink sank sunk; sit sat sat; sleep slept slept; speak spoke spoken;
spend spent spent; split split split; spread spread spread; stand stood stood; steal stole stolen;
stick stuck stuck; strike struck struck; swear swore sworn; sweep swept swept; swim swam swum;
take took taken; teach taught taught; tear tore torn; tell told told; think thought thought;
throw threw thrown; understand understood understood; undertake undertook undertaken;
uphold upheld upheld; upset upset upset; wake woke woken; wear wore worn; win won won;
withdraw withdrew withdrawn; write wrote written; overturn overturned overturned
"""
IRREGULAR: dict[str, tuple[str, str]] = {
    parts[0]: (parts[1], parts[2])
    for parts in (entry.split() for entry in _IRREGULAR_TEXT.split(";")) if len(parts) == 3
}
_DOUBLING = _words(
    "admit commit omit permit submit transmit refer prefer occur incur deter control patrol compel "
    "expel propel repel rebel regret equip acquit abet forbid kidnap transfer confer defer infer "
    "deter"
)
# Prepositions that leave the verb's meaning its own ("rose to", "met in"), unlike "fall for".
_FREE_PREPS = _words("in at on during after before by from to since until into amid despite "
                     "across near outside inside")
_PARTICLES = _words("back out up off down away over")
_SCOPE_ADVERBS = _words("nearly almost only just even also still already never ever barely "
                        "hardly merely simply again absolutely really")
_LIGHT_VERBS = _words("be have do get make go take give")
HEDGE_ADVERBS = _words(
    "reportedly allegedly apparently possibly probably likely purportedly supposedly perhaps "
    "presumably"
)
HEDGE_MODALS = frozenset({"may", "might", "could", "would", "should"})
# Adjectives of "X is expected to V": the claim is a forecast, not a fact.
FORECAST_ADJ = frozenset({"expected", "likely", "set", "poised", "due", "tipped"})
NEG_WORDS = frozenset({"not", "n't", "n’t", "never", "no", "none", "nobody", "nothing",
                       "neither", "nor", "without", "cannot"})
CONDITION_MARKS = frozenset({"if", "unless"})
# Generic conditions to add to a claim about the future.
ADDED_CONDITIONS = (
    "if the plan is approved", "if funding is approved", "if talks fail",
    "unless the court intervenes", "if the vote passes", "if conditions allow",
    "unless the government steps in", "if the board agrees",
)
# "refused to V" / "failed to V" / "declined to V" against the plain verb.
NEGATING_VERBS = frozenset({"refuse", "decline", "fail"})
ACHIEVEMENT_VERBS = _words(
    "reach meet win score qualify find secure pass finish complete repay settle raise "
    "attract recover"
)
COMMUNICATION_VERBS = _words(
    "comment confirm disclose answer respond reveal identify name explain discuss "
    "specify elaborate"
)
# Changes of a quantity after which "percent" and "percentage points" differ.
CHANGE_VERBS = _words(
    "rise fall increase decrease drop climb jump grow decline gain lose slip surge "
    "plunge"
)
# Portfolios of ministers and secretaries ("Finance Minister" -> "Interior Minister").
PORTFOLIOS = (
    "Finance", "Interior", "Foreign", "Defence", "Health", "Justice", "Education", "Trade",
    "Energy", "Transport", "Labour", "Agriculture", "Environment",
)
TITLE_SWAPS: dict[str, tuple[str, ...]] = {
    "president": ("vice president",), "vice president": ("president",),
    "prime minister": ("deputy prime minister",), "senator": ("governor", "representative"),
    "governor": ("senator", "mayor"), "mayor": ("governor", "deputy mayor"),
    "chairman": ("chief executive",), "chief executive": ("chairman", "chief financial officer"),
    "ceo": ("CFO", "chairman"), "coach": ("captain",), "captain": ("coach",),
    "general": ("colonel",), "colonel": ("general",), "judge": ("prosecutor",),
    "prosecutor": ("judge",), "spokesman": ("director",), "spokeswoman": ("director",),
    "director": ("deputy director",), "manager": ("assistant manager",),
}
PARTY_SWAPS = {"democratic": "Republican", "republican": "Democratic", "democrat": "Republican",
               "labour": "Conservative", "conservative": "Labour", "liberal": "Conservative"}
ROLE_SWAPS: dict[str, tuple[str, ...]] = {
    "officials": ("diplomats", "lawmakers"), "diplomats": ("officials",),
    "soldiers": ("police officers",), "doctors": ("nurses",), "nurses": ("doctors",),
    "students": ("teachers",), "teachers": ("students", "parents"), "workers": ("managers",),
    "managers": ("workers",), "residents": ("tourists",), "tourists": ("residents",),
    "investors": ("analysts",), "analysts": ("investors",), "lawmakers": ("judges",),
    "judges": ("lawmakers",), "journalists": ("activists",), "activists": ("journalists",),
    "children": ("adults",), "adults": ("children",), "women": ("men",), "men": ("women",),
    "passengers": ("crew members",), "farmers": ("fishermen",), "employees": ("contractors",),
    "parents": ("teachers",), "customers": ("suppliers",), "suppliers": ("customers",),
    "official": ("diplomat",), "soldier": ("police officer",), "doctor": ("nurse",),
    "nurse": ("doctor",), "student": ("teacher",), "teacher": ("student",),
    "worker": ("manager",), "resident": ("tourist",), "tourist": ("resident",),
    "journalist": ("activist",), "activist": ("journalist",), "man": ("woman",),
    "woman": ("man",), "boy": ("girl",), "girl": ("boy",), "passenger": ("crew member",),
}
MEDIA_SOURCE_VERBS = frozenset({"say", "report", "tell", "announce", "state", "confirm", "add"})
PRONOUN_OBJECT = {"he": "him", "she": "her", "they": "them", "we": "us", "i": "me", "it": "it",
                  "you": "you"}
PRONOUN_SUBJECT = {v: k for k, v in PRONOUN_OBJECT.items() if k != "you"} | {"you": "you"}
FRONT_PREPS = frozenset({"on", "in", "at", "during", "after", "before", "since", "last", "by"})
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
WEEKDAY_NAMES = tuple(d.capitalize() for d in WEEKDAYS)
RELATIVE_DATES: dict[str, tuple[str, ...]] = {
    "yesterday": ("last week", "on Monday"), "today": ("yesterday", "tomorrow"),
    "tomorrow": ("next week", "today"), "last week": ("last month", "this week"),
    "this week": ("next week", "last week"), "next week": ("next month", "this week"),
    "last month": ("last week", "last year"), "this month": ("next month", "last month"),
    "next month": ("next year", "this month"), "last year": ("this year", "two years ago"),
    "this year": ("last year", "next year"), "next year": ("this year", "in two years"),
    "morning": ("evening", "afternoon"), "evening": ("morning",), "afternoon": ("morning",),
    "night": ("morning",), "tonight": ("tomorrow",), "weekend": ("week",),
}
_UNITS: dict[str, tuple[str, ...]] = {
    "kilometres": ("miles",), "kilometers": ("miles",), "km": ("miles",),
    "miles": ("kilometres",), "metres": ("feet",), "meters": ("feet",), "feet": ("metres",),
    "kilograms": ("pounds",), "kg": ("pounds",), "tonnes": ("kilograms",), "tons": ("kilograms",),
    "litres": ("gallons",), "liters": ("gallons",), "gallons": ("litres",),
    "hectares": ("acres",), "acres": ("hectares",), "dollars": ("euros",), "euros": ("dollars",),
    "degrees": ("percent",), "hours": ("days",), "minutes": ("hours",),
}
_CURRENCY = {"$": ("€", "£"), "€": ("$", "£"), "£": ("$", "€")}
_CURRENCY_WORD = {"$": "dollars", "€": "euros", "£": "pounds"}
_SCALES = {"million": "billion", "billion": "million", "trillion": "billion",
           "thousand": "million", "m": "bn", "bn": "m"}
_ONES = _list("zero one two three four five six seven eight nine ten eleven twelve thirteen "
              "fourteen fifteen sixteen seventeen eighteen nineteen")
_TENS = _list("_ _ twenty thirty forty fifty sixty seventy eighty ninety")
_NUM_WORD = (r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
             r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
             r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)")
WORD_NUMBER = re.compile(rf"\b{_NUM_WORD}(?:(?:-|\s+(?:and\s+)?){_NUM_WORD})*\b", re.I)
DIGITS = re.compile(r"(?<![\w.,/:-])\d+(?:,\d{3})*(?:\.\d+)?(?![\w/:-]|[.,]\d)")
_QUOTE_CHARS = "\"“”"
_QUOTED = re.compile(r"\"[^\"]+\"|“[^”]+”")
_BAD = re.compile(r"  | [,.;:!?]|,,|\.\.(?!\.)|,\.|\bthe the\b|\ba a\b|\ba an\b", re.I)
_VOWEL_SOUND = re.compile(r"^(?:[aeio]|u(?!ni|se|su|ro|k)|hour|honest)", re.I)
# Order in which a target's drifts are tried (weighted random): types that apply to few
# sentences first, so that negation and hedging, which apply to nearly all, do not crowd them out.
LABEL_WEIGHTS = {
    "actor_swap": 3.0, "entity_change": 2.5, "number_change": 3.0, "date_change": 3.0,
    "location_change": 3.0, "predicate_change": 2.0, "modality_shift": 0.8,
    "condition_change": 3.0, "polarity_flip": 0.7, "source_change": 4.0,
    "quote_misattribution": 4.0,
}
_NATIONALITY = re.compile(r"(?:an|ish|ese|i|ic|ch|ian)$")
_GENDERED = re.compile(r"\b(?:he|she|him|her|his|hers|himself|herself)\b", re.I)
_PERSON_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "you"})


# ---------------------------------------------------------------------------------------------
# Document context.


@dataclass(frozen=True, slots=True)
class DocContext:
    """Who and what a document names (each as written), with fallback pools."""

    people: tuple[str, ...] = ()  # full names, one per person
    orgs: tuple[str, ...] = ()  # "the X" when the document writes it so
    places: tuple[str, ...] = ()  # GPE
    regions: tuple[str, ...] = ()  # LOC
    facilities: tuple[str, ...] = ()  # FAC
    norps: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    titles: dict[str, str] = field(default_factory=dict)  # full name -> title as written
    pool_people: tuple[str, ...] = POOL_PEOPLE
    pool_orgs: tuple[str, ...] = POOL_ORGS
    pool_towns: tuple[str, ...] = POOL_TOWNS
    pool_countries: tuple[str, ...] = POOL_COUNTRIES
    pool_regions: tuple[str, ...] = POOL_REGIONS
    pool_norps: tuple[str, ...] = POOL_NORPS

    def surnames(self) -> dict[str, str]:
        """Last name -> full name, for names whose last word is unique to one person."""
        out: dict[str, str] = {}
        seen: set[str] = set()
        for p in self.people:
            last = p.split()[-1]
            if last in seen:
                out.pop(last, None)
            else:
                out[last] = p
                seen.add(last)
        return out


_NAME_WORD = re.compile(r"^[A-Z](?:[a-zA-Z.-]|['’](?!s$))*$")


def _clean_ent(text: str) -> str:
    return re.sub(r"(?:'s|’s|')$", "", text.strip()).strip()


def _with_article(ent: Any) -> str:
    """The entity as the document writes it, with its "the" when a determiner precedes it."""
    text = _clean_ent(ent.text)
    doc = ent.doc
    if text.lower().startswith("the "):
        return "the " + text[4:]
    if ent.start > 0:
        prev = doc[ent.start - 1]
        if prev.lower_ == "the" and ent.start <= prev.head.i < ent.end:
            return "the " + text
    return text


def _is_name(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words)


def doc_context(docs: Sequence[Doc]) -> DocContext:
    """The entities of a document's parsed sentences, in order of first mention."""
    people: list[str] = []
    orgs: list[str] = []
    buckets: dict[str, list[str]] = {k: [] for k in
                                     ("GPE", "LOC", "FAC", "NORP", "DATE", "NUM")}
    titles: dict[str, str] = {}
    for doc in docs:
        for ent in doc.ents:
            text = _clean_ent(ent.text)
            if not text or any(c in text for c in _QUOTE_CHARS + "\n"):
                continue
            if ent.label_ == "PERSON" and _is_name(text):
                people.append(text)
                title = _title_before(ent)
                if title is not None:
                    titles.setdefault(text, doc.text[title[0]:title[1]])
            elif ent.label_ == "ORG" and not any(ch.isdigit() for ch in text) and not (
                    " " not in text and not text.isupper() and _common_noun(text)):
                orgs.append(_with_article(ent))  # not "County", "Council"
            elif ent.label_ in ("GPE", "LOC", "FAC"):
                buckets[ent.label_].append(_with_article(ent))
            elif ent.label_ == "NORP" and _is_name(text) and len(text.split()) == 1:
                buckets["NORP"].append(text)
            elif ent.label_ in ("DATE", "TIME"):
                buckets["DATE"].append(text)
            elif ent.label_ in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
                buckets["NUM"].append(text)
    # One entry per person: a lone surname joins the full name it ends.
    full = [p for p in people if len(p.split()) > 1]
    merged: list[str] = []
    for p in people:
        if len(p.split()) == 1 and any(f.split()[-1] == p for f in full):
            continue
        merged.append(p)
    return DocContext(
        people=_unique(merged), orgs=_unique(orgs), places=_unique(buckets["GPE"]),
        regions=_unique(buckets["LOC"]), facilities=_unique(buckets["FAC"]),
        norps=_unique(buckets["NORP"]), dates=_unique(buckets["DATE"]),
        numbers=_unique(buckets["NUM"]), titles=titles,
    )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.lower(), item)
    return tuple(seen.values())


# ---------------------------------------------------------------------------------------------
# Text and token helpers.


def _end(t: Token) -> int:
    return int(t.idx + len(t.text))


def _tree(t: Token) -> tuple[int, int]:
    return int(t.left_edge.idx), _end(t.right_edge)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def _has_quote(text: str) -> bool:
    return any(c in text for c in _QUOTE_CHARS)


def _in_quote(t: Token, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= t.idx < b for a, b in spans)


def _splice(text: str, repls: Sequence[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with each (start, end, new) replaced; the new spans, in the order given."""
    order = sorted(range(len(repls)), key=lambda i: repls[i][0])
    out: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    pos = 0
    length = 0
    for i in order:
        s, e, new = repls[i]
        if s < pos:
            raise ValueError("overlapping replacements")
        out.append(text[pos:s])
        length += s - pos
        spans[i] = (length, length + len(new))
        out.append(new)
        length += len(new)
        pos = e
    out.append(text[pos:])
    return "".join(out), [spans[i] for i in range(len(repls))]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _decap_word(t: Token) -> str:
    """The text of a sentence-initial token as it reads inside a sentence."""
    text = str(t.text)
    if text in ("The", "A", "An"):
        return text.lower()
    if t.pos_ == "PROPN" or text == "I" or (len(text) > 1 and text.isupper()) or t.ent_type_:
        return text
    return text[:1].lower() + text[1:]


def _lower_start(doc: Doc, start: int, end: int) -> str:
    """``doc.text[start:end]`` with its first word written as inside a sentence."""
    first = next((t for t in doc if t.idx == start), None)
    text = str(doc.text[start:end])
    if first is None:
        return text
    return _decap_word(first) + text[len(first.text):]


def _finish(text: str, start: int, end: int, label: str, original: str = "") -> Edit | None:
    """The edit, or None when the sentence reads broken or the span is empty."""
    if not text or text == original:
        return None
    if text[0].isalpha() and text[0].islower():
        text = _cap(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end or end > len(text) or _BAD.search(text) or text != text.strip():
        return None
    if original and _has_quote(original) != _has_quote(text) and label == SAME:
        return None
    return Edit(text, start, end, label)


def _replace(doc: Doc, start: int, end: int, new: str, label: str) -> Edit | None:
    if doc.text[start:end] == new:
        return None
    text, [(s, e)] = _splice(doc.text, [(start, end, new)])
    return _finish(text, s, e, label, doc.text)


def _article_for(word: str) -> str:
    return "an" if _VOWEL_SOUND.match(word) else "a"


# ---------------------------------------------------------------------------------------------
# Verbs: finding the main action and inflecting replacements.


def _root(doc: Doc) -> Token | None:
    return next((t for t in doc if t.dep_ == "ROOT"), None)


def _contracted(t: Token) -> bool:
    """A clitic ("’s", "'ve") or a word a clitic is glued to ("that" of "that’s")."""
    nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
    return bool(t.text[:1] in ("'", "’") or (not t.whitespace_ and nxt is not None and (
        nxt.text[:1] in ("'", "’") or nxt.lower_ in ("n't", "n’t"))))


def _content_verb(doc: Doc) -> Token | None:
    """The verb of what the sentence reports: the root, or the clause a speech verb reports;
    None when it or an auxiliary of it is a contraction ("that’s", "we’ve")."""
    verb = _content_verb_any(doc)
    if verb is None or _contracted(verb) or any(_contracted(c) for c in verb.children
                                                 if c.dep_ in ("aux", "auxpass", "neg")):
        return None
    if verb.i > 0 and _contracted(doc[verb.i - 1]):
        return None
    return verb


def _content_verb_any(doc: Doc) -> Token | None:
    root = _root(doc)
    if root is None:
        return None
    if root.lemma_ in SPEECH_VERBS:
        comp = [c for c in root.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
        if comp:
            return comp[0]
    return root if root.pos_ in ("VERB", "AUX") else None


def _speech_verbs(doc: Doc) -> list[Token]:
    return [t for t in doc if t.lemma_ in SPEECH_VERBS and t.pos_ == "VERB"
            and any(c.dep_ == "nsubj" for c in t.children)]


def _child(t: Token, *deps: str) -> Token | None:
    return next((c for c in t.children if c.dep_ in deps), None)


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _third_singular(lemma: str) -> str:
    if re.search(r"(?:s|x|z|ch|sh|o)$", lemma):
        return lemma + "es"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ies"
    return lemma + "s"


def _doubles(lemma: str) -> bool:
    return lemma in _DOUBLING or bool(re.fullmatch(r"[^aeiou]*[aeiou][^aeiouwxy]", lemma))


def _past(lemma: str, participle: bool = False) -> str:
    if lemma in IRREGULAR:
        return IRREGULAR[lemma][1 if participle else 0]
    if lemma.endswith("e"):
        return lemma + "d"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ied"
    if _doubles(lemma):
        return lemma + lemma[-1] + "ed"
    return lemma + "ed"


def _gerund(lemma: str) -> str:
    if lemma.endswith("ie"):
        return lemma[:-2] + "ying"
    if lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")):
        return lemma[:-1] + "ing"
    if _doubles(lemma):
        return lemma + lemma[-1] + "ing"
    return lemma + "ing"


def inflect(lemma: str, tag: str) -> str:
    """``lemma`` in the form of Penn tag ``tag`` (VB, VBP, VBZ, VBD, VBN, VBG)."""
    if tag == "VBZ":
        return "has" if lemma == "have" else _third_singular(lemma)
    if tag == "VBD":
        return _past(lemma)
    if tag == "VBN":
        return _past(lemma, participle=True)
    if tag == "VBG":
        return _gerund(lemma)
    return lemma


def _lemma(t: Token) -> str:
    """A verb's base form, checked by inflecting it back: spaCy's, else WordNet's ("fined" is
    "fine", not spaCy's "fin")."""
    lemma = str(t.lemma_)
    tag = str(t.tag_)
    if not tag.startswith("VB") or inflect(lemma, tag) == t.lower_:
        return lemma
    other = lexicon.verb_lemma(t.lower_)
    return other if inflect(other, tag) == t.lower_ else lemma


def _match_case(new: str, old: str) -> str:
    return _cap(new) if old[:1].isupper() else new


@lru_cache(maxsize=4096)
def _verb_freq(lemma: str) -> int:
    wn = lexicon.wordnet()
    if wn is None:
        return 0
    return sum(lem.count() for s in wn.synsets(lemma, "v") for lem in s.lemmas()
               if lem.name() == lemma)


@lru_cache(maxsize=4096)
def _transitive(lemma: str) -> bool | None:
    """True when a sense of ``lemma`` takes an object, False when none does, None unknown."""
    wn = lexicon.wordnet()
    if wn is None or not wn.synsets(lemma, "v"):
        return None
    frames = {f for s in wn.synsets(lemma, "v")[:3] for lem in s.lemmas() if lem.name() == lemma
              for f in lem.frame_ids()}
    return bool(frames & {8, 9, 10, 11, 14, 15, 16, 17, 18, 19, 20, 21, 24, 25, 26, 28, 29, 30})


@lru_cache(maxsize=4096)
def _strict_siblings(lemma: str) -> tuple[str, ...]:
    """Co-hyponyms of the first sense whose own first sense has the same parent (few, frequent)."""
    wn = lexicon.wordnet()
    if wn is None:
        return ()
    senses = wn.synsets(lemma, "v")
    if not senses:
        return ()
    loose = lexicon.siblings(lemma)
    out: set[str] = set()
    if _verb_freq(lemma) < 10:
        return ()
    for h in senses[0].hypernyms():
        hyponyms = h.hyponyms()
        if len(hyponyms) > 12:
            continue
        for sib in hyponyms:
            for name in sib.lemma_names():
                if "_" in name or name == lemma or name not in loose or name in GENERIC_VERBS:
                    continue
                first = wn.synsets(name, "v")
                if first and h in first[0].hypernyms() and _verb_freq(name) >= 20 and \
                        first[0].lexname() == senses[0].lexname():
                    out.add(name)
    return tuple(sorted(out))


def _same_field(word: str, lemma: str) -> bool:
    """Whether a main sense of ``word`` is in the lexicographer file of ``lemma``'s first sense
    ("reduce" and "gain" are antonyms in a sense news rarely means)."""
    wn = lexicon.wordnet()
    if wn is None or not wn.synsets(lemma, "v"):
        return False
    field = wn.synsets(lemma, "v")[0].lexname()
    return any(s.lexname() == field for s in wn.synsets(word, "v")[:2])


def _predicate_candidates(lemma: str, transitive: bool) -> list[str]:
    """Different actions for ``lemma``: contrasts, WordNet antonyms and strict siblings."""
    syn = lexicon.synonyms(lemma)
    cands = list(CONTRASTS.get(lemma, ()))
    if not cands:
        cands = [a for a in sorted(lexicon.antonyms(lemma)) if " " not in a
                 and _verb_freq(a) >= 10 and _same_field(a, lemma)]
    cands = [c for c in cands if c not in (f"dis{lemma}", f"un{lemma}")]  # "disappear in court"
    if not cands and transitive:
        cands = list(_strict_siblings(lemma))
    out = []
    for c in cands:
        if c == lemma or c in syn or c in GENERIC_VERBS or c in out:
            continue
        if transitive and _transitive(c) is False:
            continue
        out.append(c)
    return out


# ---------------------------------------------------------------------------------------------
# Entities.


def _ent_at(doc: Doc, t: Token) -> Any | None:
    return next((e for e in doc.ents if e.start <= t.i < e.end), None)


def _title_before(ent: Any) -> tuple[int, int] | None:
    """The character range of a title written before a name ("Finance Minister" John Smith)."""
    doc = ent.doc
    i = ent.start
    while i > 0:
        prev = doc[i - 1]
        if prev.dep_ != "compound" or not i <= prev.head.i < ent.end:
            break
        if not prev.text[:1].isupper() and prev.lower_ not in TITLE_SWAPS:
            break
        i -= 1
    if i == ent.start:
        return None
    words = doc[i:ent.start]
    if not any(w.lower_ in TITLE_SWAPS or w.lower_ in ("minister", "secretary") for w in words):
        return None
    return int(doc[i].idx), _end(doc[ent.start - 1])


def _entity_region(doc: Doc, ent: Any, with_title: bool) -> tuple[int, int]:
    """Character range of an entity mention with its own "the" (and its title when asked)."""
    start, end = int(ent.start_char), int(ent.end_char)
    text = doc.text[start:end]
    if text.endswith(("'s", "’s")):
        end -= 2
    has_the = text.lower().startswith("the ")
    if ent.start > 0:
        prev = doc[ent.start - 1]
        if prev.lower_ == "the" and ent.start <= prev.head.i < ent.end:
            start, has_the = int(prev.idx), True
    if with_title and not has_the:
        title = _title_before(ent)
        i = _tok_before(doc, title[0]) if title is not None else -1
        if title is not None and (i < 0 or doc[i].lower_ == "the" or
                                  doc[i].head.i not in range(ent.start, ent.end)):
            start = title[0]  # not "Another former [Australia captain] X"
            if i >= 0 and doc[i].lower_ == "the":
                start, has_the = int(doc[i].idx), True
    return start, end


def _tok_before(doc: Doc, char: int) -> int:
    best = -1
    for t in doc:
        if _end(t) <= char:
            best = t.i
    return best


def _fit(doc: Doc, start: int, new: str) -> str:
    """``new`` made to fit where it goes: no "the" after another determiner, capitalised first."""
    i = _tok_before(doc, start)
    if i >= 0 and (doc[i].pos_ in ("DET", "PRON", "ADJ", "NUM") or doc[i].tag_ == "POS"):
        new = re.sub(r"^the ", "", new, flags=re.I)  # "all major X", "its X"
    if start == 0:
        new = _cap(new)
    return new


def _exclusion(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w != "the"}


def _pick(rng: random.Random, doc_items: Sequence[str], pool: Sequence[str], original: str,
          sentence: str, p_pool: float = 0.25) -> str | None:
    """Another entity than ``original``: from the document, else (or sometimes) the pool. It
    shares no word with ``original`` and is not already in the sentence."""
    excluded = _exclusion(original)
    low = sentence.lower()

    def ok(c: str) -> bool:
        bare = re.sub(r"^the ", "", c.lower())
        return not (_exclusion(c) & excluded) and bare not in low

    own = sorted({c for c in doc_items if ok(c)})
    spare = sorted({c for c in pool if ok(c)})
    if own and (not spare or rng.random() >= p_pool):
        return rng.choice(own)
    return rng.choice(spare) if spare else None


def _person_form(candidate: str, original: str) -> str:
    return candidate.split()[-1] if len(original.split()) == 1 else candidate


def _swap_entity(doc: Doc, ent: Any, ctx: DocContext, rng: random.Random, label: str,
                 with_title: bool = False) -> Edit | None:
    """Replace ``ent`` with another entity of its kind."""
    kind = ent.label_
    if kind != "NORP" and (ent.root.pos_ != "PROPN" or (
            ent.end < len(doc) and doc[ent.end].pos_ == "NOUN" and doc[ent.end].is_lower)):
        return None  # not a name, or a name modifying a noun ("The Hall of Fame cornerback")
    start, end = _entity_region(doc, ent, with_title and kind == "PERSON")
    original = doc.text[start:end]
    name = _clean_ent(ent.text)
    new: str | None
    if kind == "PERSON":
        if not _is_name(name):
            return None
        later = _GENDERED.search(doc.text, int(ent.end_char))
        if later is None:
            new = _pick(rng, ctx.people, ctx.pool_people, name, doc.text)
        else:  # a pronoun refers back: keep the gender it gives
            female = later.group().lower() in ("she", "her", "hers", "herself")
            pool = [p for p in ctx.pool_people if p in (POOL_WOMEN if female else POOL_MEN)]
            new = _pick(rng, (), pool, name, doc.text, p_pool=1.0)
        if new is None:
            return None
        if start < ent.start_char:  # replacing a title too: give the new person theirs
            title = ctx.titles.get(new)
            new = f"{title} {new}" if title else new
        else:
            new = _person_form(new, name)
    elif kind == "ORG":
        new = _pick(rng, ctx.orgs, ctx.pool_orgs, name, doc.text)
    elif kind == "GPE":
        country = original.lower() in COUNTRIES or name.lower() in COUNTRIES
        same_kind = [p for p in ctx.places if (p.lower() in COUNTRIES) == country]
        new = _pick(rng, same_kind, ctx.pool_countries if country else ctx.pool_towns, name,
                    doc.text)
    elif kind == "LOC":
        new = _pick(rng, ctx.regions, ctx.pool_regions, name, doc.text)
    elif kind == "FAC":
        new = _pick(rng, ctx.facilities, (), name, doc.text)
    elif kind == "NORP":
        new = _pick(rng, ctx.norps, ctx.pool_norps, name, doc.text)
    else:
        return None
    if new is None:
        return None
    bare = re.sub(r"^the ", "", new, flags=re.I)
    if re.search(rf"\b{re.escape(bare)}\b", doc.text, re.I):
        return None  # "Drennan and Drennan"
    return _replace(doc, start, end, _fit(doc, start, new), label)


# ---------------------------------------------------------------------------------------------
# Perturbers.


def _agent(verb: Token) -> Token | None:
    if _is_passive(verb):
        by = _child(verb, "agent")
        return _child(by, "pobj") if by is not None else None
    return _child(verb, "nsubj")


def actor_swap(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """Another person or body does the action (the agent of the main verb)."""
    verb = _content_verb(doc)
    if verb is None or verb.lemma_ in SPEECH_VERBS:
        return None
    agent = _agent(verb)
    if agent is None:
        return None
    ent = _ent_at(doc, agent)
    if ent is None or ent.label_ not in ("PERSON", "ORG", "GPE") or agent.i != ent.root.i:
        return None
    if any(c.dep_ == "amod" for c in agent.children):
        return None  # "a cheaper Xbox": a product, not a body
    if verb.tag_ == "VBP" or any(a.tag_ == "VBP" for a in _verb_group(verb)[0]):
        return None  # "The Chronicoms plan": a singular name would not agree
    return _swap_entity(doc, ent, ctx, rng, "actor_swap", with_title=True)


def _source_tokens(doc: Doc) -> set[int]:
    """Tokens of sources: "according to X", "citing X", subjects of speech verbs."""
    out: set[int] = set()
    for t in doc:
        if t.lower_ in ("according", "citing") or (t.lemma_ in SPEECH_VERBS and t.pos_ == "VERB"):
            for c in t.subtree:
                if c.dep_ in ("pobj", "dobj", "nsubj") and (c.head == t or c.head.head == t):
                    out.update(x.i for x in c.subtree)
    return out


def entity_change(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """Another participant than the agent: target, recipient, title, affiliation."""
    verb = _content_verb(doc)
    agent = _agent(verb) if verb is not None else None
    agent_ids = {t.i for t in agent.subtree} if agent is not None else set()
    sources = _source_tokens(doc)
    options: list[Callable[[], Edit | None]] = []
    for ent in doc.ents:
        root = ent.root
        participant = root.dep_ in ("dobj", "pobj", "dative", "iobj") or (
            root.dep_ in ("conj", "appos") and root.head.dep_ in ("dobj", "pobj"))
        if ent.label_ in ("PERSON", "ORG") and participant and root.i not in agent_ids and \
                root.i not in sources and root.head.lower_ != "by":
            options.append(partial(_swap_entity, doc, ent, ctx, rng, "entity_change"))
        if ent.label_ == "NORP" and _NATIONALITY.search(ent.text) and len(ent) == 1 and \
                root.i not in agent_ids and root.i not in sources and \
                root.dep_ in ("amod", "compound"):
            options.append(partial(_swap_entity, doc, ent, ctx, rng, "entity_change"))
    for t in doc:
        options.extend(_title_options(doc, t, rng))
        low = t.lower_
        if low in ROLE_SWAPS and t.dep_ in ("dobj", "pobj", "dative") and t.i not in sources \
                and t.i not in agent_ids and t.pos_ == "NOUN" and not t.ent_type_:
            options.append(partial(_role_swap, doc, t, rng))
    rng.shuffle(options)
    for make in options:
        edit = make()
        if edit is not None:
            return edit
    return None


def _title_options(doc: Doc, t: Token, rng: random.Random) -> list[Callable[[], Edit | None]]:
    out: list[Callable[[], Edit | None]] = []
    low = t.lower_
    nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
    if t.text in PORTFOLIOS and nxt is not None and nxt.lower_ in ("minister", "ministry",
                                                                   "secretary"):
        others = [p for p in PORTFOLIOS if p != t.text
                  and not (t.text in ("Defence", "Defense") and p in ("Defence", "Defense"))]
        out.append(lambda: _replace(doc, t.idx, _end(t), rng.choice(others), "entity_change"))
    elif low in PARTY_SWAPS and t.text[:1].isupper() and t.dep_ in ("amod", "compound") and \
            t.ent_type_ != "ORG":
        out.append(lambda: _replace(doc, t.idx, _end(t), PARTY_SWAPS[low], "entity_change"))
    if t.dep_ == "compound" and t.head.ent_type_ == "PERSON" and t.text[:1].isupper():
        pair = f"{low} {nxt.lower_}" if nxt is not None else ""
        if nxt is not None and pair in TITLE_SWAPS and nxt.dep_ == "compound":
            key, end = pair, _end(nxt)
        elif low in TITLE_SWAPS and (t.i == 0 or f"{doc[t.i - 1].lower_} {low}"
                                     not in TITLE_SWAPS):
            key, end = low, _end(t)
        else:
            return out
        new = rng.choice(TITLE_SWAPS[key])
        new = new.upper() if new.isupper() else " ".join(_cap(w) for w in new.split())
        out.append(lambda: _replace(doc, t.idx, end, new, "entity_change"))
    return out


def _role_swap(doc: Doc, t: Token, rng: random.Random) -> Edit | None:
    if _child(t, "poss") is not None:
        return None  # "her children" are not "her adults"
    new = rng.choice(ROLE_SWAPS[t.lower_])
    start = int(t.idx)
    prev = doc[t.i - 1] if t.i > 0 else None
    if prev is not None and prev.lower_ in ("a", "an") and prev.head.i == t.i:
        start = int(prev.idx)
        new = f"{_article_for(new)} {new}"
    elif prev is not None and prev.head.i == t.i and prev.dep_ in ("amod", "compound") and \
            t.lower_ in ("man", "woman", "boy", "girl"):
        return None
    return _replace(doc, start, _end(t), _match_case(new, doc.text[start:]), "entity_change")


# Numbers.


def _spell(n: int) -> str | None:
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    return None


def _word_value(phrase: str) -> int | None:
    digits = lexicon.number_words(phrase.replace("-", " ").lower())
    digits = digits.replace(",", "").strip()
    if digits.isdigit():
        return int(digits)
    if phrase.lower() in _ONES:
        return _ONES.index(phrase.lower())
    return None


def _other_number(value: float, decimals: int, rng: random.Random, cap: float | None) -> float:
    """A plausible other value: a near miss for small or precise counts, else a scaled one."""
    if decimals == 0:
        n = int(value)
        if n <= 12:
            choices = [m for m in range(2, 21) if m != n and abs(m - n) <= 4]
            return float(rng.choice(choices))
        zeros = len(str(n)) - len(str(n).rstrip("0"))
        zeros = min(zeros, len(str(n)) - 1)
        if zeros == 0 and rng.random() < 0.4:
            return float(n + rng.choice((-3, -2, -1, 1, 2, 3)))
        step = 10 ** zeros
        for _ in range(10):
            factor = rng.choice((0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.1, 1.2, 1.25, 1.3, 1.5, 2.0))
            new = round(n * factor / step) * step
            if new != n and new >= 2 and (cap is None or new <= cap):
                return float(new)
        return float(n + step)
    for _ in range(10):
        factor = rng.choice((0.5, 0.7, 0.8, 0.9, 1.1, 1.2, 1.3, 1.5, 2.0))
        new = round(value * factor, decimals)
        if new != value and new > 0 and (cap is None or new <= cap) and \
                round(new) != new:
            return new
    return float(round(value + 10 ** -decimals, decimals))


def _format_number(new: float, original: str, decimals: int) -> str:
    if decimals:
        return f"{new:,.{decimals}f}" if "," in original else f"{new:.{decimals}f}"
    n = int(new)
    if "," in original or (n >= 10000):
        return f"{n:,}"
    return str(n)


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", text))


def _number_options(doc: Doc, ent: Any, rng: random.Random) -> list[tuple[int, int, str]]:
    """(start, end, new) changes of the figure of a CARDINAL/MONEY/PERCENT/QUANTITY entity."""
    text = doc.text[ent.start_char:ent.end_char]
    base = int(ent.start_char)
    out: list[tuple[int, int, str]] = []
    cap = 100.0 if ent.label_ == "PERCENT" else None
    m = DIGITS.search(text)
    if m is not None:
        raw = m.group()
        if _is_year(raw) and ent.label_ == "CARDINAL":
            return []
        value = float(raw.replace(",", ""))
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        if value >= 2 or decimals:
            new = _other_number(value, decimals, rng, cap)
            out.append((base + m.start(), base + m.end(), _format_number(new, raw, decimals)))
    else:
        w = WORD_NUMBER.search(text)
        if w is not None:
            value_w = _word_value(w.group())
            if value_w is not None and value_w >= 2:
                new_n = int(_other_number(float(value_w), 0, rng, cap))
                spelled = _spell(new_n) if value_w < 100 else None
                new_text = spelled if spelled is not None else _format_number(new_n, "", 0)
                out.append((base + w.start(), base + w.end(), _match_case(new_text, w.group())))
    for sm in re.finditer(r"\b(million|billion|trillion|thousand)\b|(?<=\d)(m|bn)\b", text):
        word = sm.group()
        out.append((base + sm.start(), base + sm.end(), _SCALES[word]))
    for um in re.finditer(r"[$€£]", text):
        if um.start() == 0 or not text[um.start() - 1].isalpha():
            out.append((base + um.start(), base + um.end(), rng.choice(_CURRENCY[um.group()])))
    for word, swaps in _UNITS.items():
        for wm in re.finditer(rf"\b{word}\b", text):
            if word == "degrees":
                continue
            out.append((base + wm.start(), base + wm.end(), rng.choice(swaps)))
    if ent.label_ == "PERCENT" and _percent_change(doc, ent):
        for pm in re.finditer(r"\b(?:percent|per cent)\b|%", text):
            points = " percentage points" if pm.group() == "%" else "percentage points"
            out.append((base + pm.start(), base + pm.end(), points))
        for pm in re.finditer(r"\bpercentage points?\b", text):
            out.append((base + pm.start(), base + pm.end(), "percent"))
    return out


def _percent_change(doc: Doc, ent: Any) -> bool:
    head = ent.root.head
    return head.lemma_ in CHANGE_VERBS or (head.lower_ == "by" and head.head.lemma_ in
                                           CHANGE_VERBS)


def _number_ents(doc: Doc) -> list[Any]:
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
            continue
        first, last = doc[ent.start], doc[ent.end - 1]
        if (first.i > 0 and doc[first.i - 1].text in ("-", "No.", "#")) or (
            last.i + 1 < len(doc) and doc[last.i + 1].text in ("-",)
            and last.i + 2 < len(doc) and doc[last.i + 2].is_alpha
        ):
            continue
        if ent.root.head.pos_ == "PROPN" and ent.root.head.i < ent.start:
            continue  # "Station 49", "Apollo 11"
        before = doc.text[ent.start_char - 1:ent.start_char] if ent.start_char else ""
        if before in ("-", "–", "/") or doc.text[ent.end_char:ent.end_char + 1] in ("-", "–",
                                                                                   "/"):
            continue  # scores, ranges, dates: "5-1", "3/4"
        if ent.label_ == "CARDINAL" and ent.root.lower_ in ("one", "1"):
            continue
        if ent.label_ == "CARDINAL" and ent.root.dep_ == "compound":
            continue  # "a 911 call", "the 2020 season": a name, not a count
        out.append(ent)
    return out


def number_change(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """A figure differs: another value, scale (million/billion) or unit."""
    options = [o for ent in _number_ents(doc) for o in _number_options(doc, ent, rng)]
    if not options:
        return None
    value_first = [o for o in options if any(c.isdigit() for c in doc.text[o[0]:o[1]])
                   or WORD_NUMBER.fullmatch(doc.text[o[0]:o[1]])]
    pool = value_first if value_first and rng.random() < 0.7 else options
    start, end, new = rng.choice(pool)
    return _replace(doc, start, end, new, "number_change")


# Dates.

_MONTH_RE = "|".join(MONTH_NAMES)
_DAY_MONTH = re.compile(rf"\b(?:({_MONTH_RE})\.? (\d{{1,2}})(?:st|nd|rd|th)?|(\d{{1,2}})"
                        rf"(?:st|nd|rd|th)? (?:of )?({_MONTH_RE}))\b")
_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(a\.m\.|p\.m\.|am|pm)(?=\W|$)"
                    r"|\b(\d{1,2}):(\d{2})\b", re.I)
_AGO = re.compile(r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+"
                  r"(days|weeks|months|years)\s+ago\b", re.I)
_RELATIVE = re.compile(r"\b(" + "|".join(sorted(RELATIVE_DATES, key=len, reverse=True)) + r")\b",
                       re.I)


def _date_options(text: str, rng: random.Random) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for m in re.finditer(r"\b(" + "|".join(WEEKDAY_NAMES) + r")\b", text):
        out.append((m.start(), m.end(), rng.choice([d for d in WEEKDAY_NAMES if d != m.group()])))
    for m in _DAY_MONTH.finditer(text):
        gi = 2 if m.group(2) else 3
        day = int(m.group(gi))
        if rng.random() < 0.5 and 1 <= day <= 31:
            new_day = rng.choice([d for d in range(max(1, day - 9), min(28, day + 9) + 1)
                                  if d != day] or [1])
            out.append((m.start(gi), m.end(gi), str(new_day)))
        else:
            mi = 1 if m.group(1) else 4
            month = m.group(mi)
            others = [x for x in MONTH_NAMES if x != month]
            if day > 28:
                others = [x for x in others if x != "February"]
            out.append((m.start(mi), m.end(mi), rng.choice(others)))
    if not _DAY_MONTH.search(text):
        for m in re.finditer(rf"\b({_MONTH_RE})\b", text):
            if m.group() == "May" and not re.search(r"\bMay\s+(?:\d|of\b)|\bin May\b", text):
                continue
            out.append((m.start(), m.end(), rng.choice([x for x in MONTH_NAMES
                                                        if x != m.group()])))
    for m in re.finditer(r"(?<![\d,$.])\b((?:19|20)\d\d)(s?)\b", text):
        year = int(m.group(1))
        delta = 10 if m.group(2) else rng.choice((-3, -2, -1, 1, 2))
        new = year + (rng.choice((-10, 10)) if m.group(2) else delta)
        out.append((m.start(1), m.end(1), str(new)))
    for m in _CLOCK.finditer(text):
        hour_group = 1 if m.group(1) else 4
        hour = int(m.group(hour_group))
        if m.group(3):
            if not 1 <= hour <= 12:
                continue
            new_hour = (hour - 1 + rng.choice((-3, -2, -1, 1, 2, 3))) % 12 + 1
        else:
            if hour > 23 or int(m.group(5)) > 59:
                continue
            new_hour = (hour + rng.choice((-3, -2, -1, 1, 2, 3))) % 24
        out.append((m.start(hour_group), m.end(hour_group), str(new_hour)))
    for m in _AGO.finditer(text):
        value = _word_value(m.group(1)) if not m.group(1).isdigit() else int(m.group(1))
        if value is None or value < 2:
            continue
        new_v = int(_other_number(float(value), 0, rng, None))
        new_s = str(new_v) if m.group(1).isdigit() else (_spell(new_v) or str(new_v))
        out.append((m.start(1), m.end(1), _match_case(new_s, m.group(1))))
    for m in _RELATIVE.finditer(text):
        choices = RELATIVE_DATES[m.group().lower()]
        out.append((m.start(), m.end(), _match_case(rng.choice(choices), m.group())))
    return out


def date_change(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """A date, day or time differs (weekday, day of month, month, year, clock, relative)."""
    options: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        root = ent.root
        if root.dep_ == "compound" and root.head.pos_ in ("NOUN", "PROPN") and \
                not ent.start <= root.head.i < ent.end:
            continue  # "Sunday school", "Come and See Weekend retreat"
        base = int(ent.start_char)
        for s, e, new in _date_options(ent.text, rng):
            word = ent.text[s:e]
            if word[:1].isupper() and word.lower() in RELATIVE_DATES and base + s > 0:
                continue  # a relative date written as a name
            options.append((base + s, base + e, new))
    if not options:
        return None
    start, end, new = rng.choice(options)
    if new.startswith(("on ", "in ")) and start > 0 and re.search(
            r"\b(?:on|in|since|by|from|until)\s$", doc.text[:start]):
        new = new.split(" ", 1)[1]
    return _replace(doc, start, end, new, "date_change")


_PLACE_VERBS = _words("visit enter leave reach hit strike flood tour invade cross evacuate "
                      "govern rule represent")
_NON_LOCATIVE = frozenset({"against", "with", "by", "for", "of", "about", "than", "like", "over",
                           "between", "toward", "towards"})


def location_change(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """A place differs: another place of the document or a pool one of its kind."""
    verb = _content_verb(doc)
    agent = _agent(verb) if verb is not None else None
    sources = _source_tokens(doc)
    ents = []
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC", "FAC"):
            continue
        root = ent.root
        if (agent is not None and root.i == agent.i) or root.i in sources:
            continue
        if root.dep_ == "pobj" and root.head.lower_ in _NON_LOCATIVE:
            continue
        if root.dep_ in ("nsubj", "nsubjpass"):
            continue
        if root.dep_ == "dobj" and _lemma(root.head) not in _PLACE_VERBS:
            continue  # "defeated Tug Valley": a team, not a place
        if ent.text.isupper() and ent.text.lower() not in COUNTRIES and \
                f"the {ent.text.lower()}" not in COUNTRIES:
            continue  # "AI", "NXT": rarely places
        if (ent.start > 0 and doc[ent.start - 1].pos_ == "PROPN") or \
                (ent.end < len(doc) and doc[ent.end].pos_ == "PROPN"):
            continue  # part of a name: "MILK Los Angeles"
        ents.append(ent)
    rng.shuffle(ents)
    for ent in ents:
        edit = _swap_entity(doc, ent, ctx, rng, "location_change")
        if edit is not None:
            return edit
    return None


def predicate_change(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """The action differs: a contrasting verb, an antonym or a WordNet sibling, inflected."""
    verb = _content_verb(doc)
    xcomp = _child(verb, "xcomp") if verb is not None else None
    if xcomp is not None and xcomp.tag_ == "VB" and doc[xcomp.i - 1].lower_ == "to":
        verb = xcomp  # "refused to comment": the action is "comment"
    if verb is None or verb.pos_ != "VERB" or verb.lemma_ in GENERIC_VERBS:
        return None
    if verb.tag_ not in ("VB", "VBP", "VBZ", "VBD", "VBN", "VBG") or not verb.is_lower or \
            inflect(_lemma(verb), verb.tag_) != verb.lower_:
        return None
    if _child(verb, "prt") is not None or verb.lemma_ in SPEECH_VERBS:
        return None
    if any(c.dep_ == "prep" and not list(c.children) for c in verb.children):
        return None  # "were shot at": the preposition belongs to this verb
    if any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
        return None  # "agreed that ...": the complement selects the verb
    if any(c.dep_ == "prep" and c.lower_ not in _FREE_PREPS for c in verb.children) or any(
            c.dep_ == "advmod" and c.lower_ in _PARTICLES for c in verb.children):
        return None  # "fall for", "sent back": the verb is part of an idiom
    transitive = _child(verb, "dobj") is not None or _is_passive(verb)
    cands = _predicate_candidates(_lemma(verb), transitive)
    present = {_lemma(t) for t in doc if t.pos_ == "VERB"}
    cands = [c for c in cands if c not in present]  # not "charged and charged"
    if not cands:
        return None
    new = inflect(rng.choice(cands), verb.tag_)
    return _replace(doc, verb.idx, _end(verb), new, "predicate_change")


def _verb_group(verb: Token) -> tuple[list[Token], Token]:
    """Auxiliaries (in order) and the verb."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    return auxes, verb


def _remove_token(doc: Doc, t: Token) -> tuple[int, int]:
    """The range to delete for a token with its comma pair or its following space."""
    start, end = int(t.idx), _end(t)
    prev = doc[t.i - 1] if t.i > 0 else None
    nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
    if prev is not None and prev.text == "," and nxt is not None and nxt.text == ",":
        return int(prev.idx), _end(nxt)
    if t.i == 0 and nxt is not None and nxt.text == ",":
        return start, int(doc[t.i + 2].idx) if t.i + 2 < len(doc) else _end(nxt)
    return start, end + len(t.whitespace_)


def _delete_and_mark(doc: Doc, t: Token, mark: Token, label: str) -> Edit | None:
    """Delete ``t``; the span is ``mark`` (a token that stays) in the new text."""
    start, end = _remove_token(doc, t)
    if start <= mark.idx < end:
        return None
    text, _ = _splice(doc.text, [(start, end, "")])
    shift = end - start if mark.idx >= end else 0
    m_start = int(mark.idx) - shift
    if start == 0 and text:
        text = _cap(text)
    return _finish(text, m_start, m_start + len(mark.text), label, doc.text)


def modality_shift(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """Certainty changes: a hedge or modal added or dropped, a forecast made a fact."""
    verb = _content_verb(doc)
    if verb is None:
        return None
    auxes, _ = _verb_group(verb)
    options: list[Callable[[], Edit | None]] = []
    for t in doc:
        if t.lower_ in HEDGE_ADVERBS and t.dep_ == "advmod" and t.head.pos_ in ("VERB", "AUX"):
            options.append(partial(_delete_and_mark, doc, t, t.head, "modality_shift"))
        if t.lower_ == "alleged" and t.dep_ == "amod":
            options.append(partial(_delete_and_mark, doc, t, t.head, "modality_shift"))
    modal = next((a for a in auxes if a.lower_ in HEDGE_MODALS), None)
    if modal is not None and not any(c.dep_ == "neg" for c in verb.children):
        after = doc[modal.i + 1] if modal.i + 1 < len(doc) else None
        if after is not None and after.lower_ == "have" and verb.tag_ == "VBN" and \
                not _is_passive(verb) and after.i + 1 == verb.i:
            past = inflect(_lemma(verb), "VBD")
            options.append(lambda: _replace(doc, modal.idx, _end(verb), past, "modality_shift"))
        elif after is not None and after.tag_ == "VB":
            options.append(lambda: _replace(doc, modal.idx, _end(modal),
                                            _match_case("will", modal.text), "modality_shift"))
    forecast = _forecast(doc, verb)
    if forecast is not None:
        options.append(forecast)
    hedged = forecast is not None or any(
        (t.lower_ in HEDGES or t.lower_ in FORECAST_ADJ) and not t.ent_type_ for t in doc)
    if not hedged:
        options.extend(_add_hedge(doc, verb, auxes, rng))
    rng.shuffle(options)
    for make in options:
        edit = make()
        if edit is not None:
            return edit
    return None


def _forecast(doc: Doc, verb: Token) -> Callable[[], Edit | None] | None:
    """"is expected to rise" -> "will rise"; "was expected to win" -> "won"."""
    if verb.lemma_ != "be" or verb.lower_ not in ("is", "are", "was", "were"):
        adj = verb if verb.lower_ in FORECAST_ADJ else None
        be = _child(verb, "auxpass") if adj is not None else None
    else:
        adj = next((c for c in verb.children if c.lower_ in FORECAST_ADJ and c.dep_ in
                    ("acomp", "attr")), None)
        be = verb
    if adj is None or be is None or be.lower_ not in ("is", "are", "was", "were"):
        return None
    xcomp = _child(adj, "xcomp") or _child(verb, "xcomp")
    if xcomp is None or xcomp.tag_ != "VB" or xcomp.i != adj.i + 2 or \
            doc[adj.i + 1].lower_ != "to" or be.i + 1 != adj.i:
        return None
    new = "will " + xcomp.text if be.lower_ in ("is", "are") else inflect(_lemma(xcomp), "VBD")
    if be.lower_ in ("was", "were") and xcomp.lemma_ == "be":
        return None
    return lambda: _replace(doc, be.idx, _end(xcomp), new, "modality_shift")


def _add_hedge(doc: Doc, verb: Token, auxes: list[Token],
               rng: random.Random) -> list[Callable[[], Edit | None]]:
    out: list[Callable[[], Edit | None]] = []
    subj = _child(verb, "nsubj", "nsubjpass")
    if subj is None or any(c.dep_ == "neg" for c in verb.children) or \
            any(c.dep_ == "neg" for a in auxes for c in a.children) or \
            (verb.tag_ == "VBG" and not auxes) or verb.lemma_ in ("seem", "appear") or \
            subj.lower_ in ("i", "we", "you"):
        return out
    will = next((a for a in auxes if a.lower_ == "will"), None)
    if will is not None:
        new_modal = rng.choice(("may", "could", "might"))
        out.append(lambda: _replace(doc, will.idx, _end(will), new_modal, "modality_shift"))
    adverb = rng.choice(("reportedly", "allegedly", "apparently", "probably"))
    if auxes:
        first = auxes[0]
        nxt = doc[first.i + 1]
        if first.lower_ != "to" and nxt.dep_ != "neg" and nxt.i <= verb.i and nxt.pos_ != "ADV":
            at = _end(first)
            out.append(lambda: _insert(doc, at, " " + adverb, "modality_shift", mark_to=verb))
    elif verb.tag_ in ("VBD", "VBZ", "VBP") and verb.lemma_ != "be" and \
            doc[verb.i - 1].pos_ != "ADV":
        out.append(lambda: _insert(doc, int(verb.idx), adverb + " ", "modality_shift",
                                   mark_to=verb))
        if verb.tag_ == "VBD" and verb.pos_ == "VERB" and verb.lemma_ not in SPEECH_VERBS and \
                inflect(_lemma(verb), "VBD") == verb.lower_:
            modal = rng.choice(("may", "might", "could"))
            pp = inflect(_lemma(verb), "VBN")
            out.append(lambda: _replace(doc, verb.idx, _end(verb), f"{modal} have {pp}",
                                        "modality_shift"))
    return out


def _insert(doc: Doc, at: int, new: str, label: str, mark_to: Token | None = None) -> Edit | None:
    """Insert ``new`` at ``at``; the span covers the insertion up to ``mark_to``."""
    text, [(s, e)] = _splice(doc.text, [(at, at, new)])
    if mark_to is not None and _end(mark_to) >= at:
        e = _end(mark_to) + len(new)
    return _finish(text, s, e, label, doc.text)


def _negate(doc: Doc, verb: Token) -> tuple[int, int, str] | None:
    """(start, end, new) that negates ``verb``'s clause, or None."""
    auxes, _ = _verb_group(verb)
    if any(c.dep_ == "neg" for c in verb.children) or verb.lemma_ in NEGATING_VERBS | {"deny"}:
        return None  # "did not refuse to comment": a double negative
    if any(t.lower_ in NEG_WORDS for t in verb.subtree if t.i > verb.i):
        return None  # "does not have no bearing"
    if _child(verb, "expl") is not None or any(
            t.lower_ in _SCOPE_ADVERBS for t in doc[verb.i + 1:verb.i + 2]):
        return None  # "there are not ..." reads "there are no ..."; "not only" is another claim
    if auxes:
        first = auxes[0]
        if first.lower_ in ("to", "be") or first.i + 1 >= len(doc) or \
                doc[first.i + 1].lower_ in _SCOPE_ADVERBS:
            return None  # "are not even contacted", "will not absolutely fall"
        if first.lower_ == "can":
            return int(first.idx), _end(verb), "cannot" + doc.text[_end(first):_end(verb)]
        at = first
        while at.i + 1 < verb.i and doc[at.i + 1].lower_ in HEDGE_ADVERBS:
            at = doc[at.i + 1]  # "was reportedly not planning"
        return int(first.idx), _end(verb), doc.text[first.idx:_end(at)] + " not" + \
            doc.text[_end(at):_end(verb)]
    if verb.lemma_ == "be" and verb.lower_ in ("is", "are", "was", "were", "am"):
        if _child(verb, "ccomp", "csubj") is not None or verb.i == 0:
            return None  # "All they knew was that ..."
        return int(verb.idx), _end(verb), verb.text + " not"
    if verb.pos_ != "VERB" or verb.lemma_ in ("be",) or _child(verb, "prt") is not None:
        return None
    do = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(verb.tag_)
    if do is None or inflect(_lemma(verb), verb.tag_) != verb.lower_:
        return None  # a tag the form does not bear out ("DCs scan" tagged past)
    first = verb
    while first.i > 0 and doc[first.i - 1].dep_ == "advmod" and doc[first.i - 1].head == verb \
            and doc[first.i - 1].pos_ == "ADV":
        first = doc[first.i - 1]  # "did not immediately respond"
        if first.lower_ in _SCOPE_ADVERBS:
            return None  # "nearly ended" is not negated by "did not nearly end"
    adverbs = doc.text[first.idx:verb.idx]
    return int(first.idx), _end(verb), _match_case(f"{do} not {adverbs}{_lemma(verb)}",
                                                   first.text)


def _affirm(doc: Doc, verb: Token) -> tuple[int, int, str] | None:
    """(start, end, new) that removes the negation of ``verb``'s clause, or None."""
    neg = next((c for c in verb.children if c.dep_ == "neg"), None)
    if neg is None:
        return None
    auxes, _ = _verb_group(verb)
    if neg.lower_ == "never":
        s, e = _remove_token(doc, neg)
        return s, e, ""
    if neg.lower_ not in ("not", "n't", "n’t"):
        return None
    aux = doc[neg.i - 1] if neg.i > 0 else None
    if aux is None or (aux not in auxes and aux != verb):
        return None
    if aux.lemma_ == "do" and len(auxes) == 1 and aux.i < verb.i:
        tag = {"did": "VBD", "does": "VBZ", "do": "VBP"}.get(aux.lower_)
        if tag is None or verb.tag_ != "VB":
            return None
        between = doc.text[_end(neg):verb.idx].strip()
        new = (between + " " if between else "") + inflect(_lemma(verb), tag)
        return int(aux.idx), _end(verb), _match_case(new, aux.text)
    if neg.lower_ in ("n't", "n’t"):
        fixed = {"wo": "will", "ca": "can", "sha": "shall"}.get(aux.lower_, aux.text)
        return int(aux.idx), _end(neg), _match_case(fixed, aux.text)
    if aux.lower_ == "can" and neg.idx == _end(aux):  # "cannot"
        return int(aux.idx), _end(neg), aux.text
    s, e = _remove_token(doc, neg)
    return s, e, ""


def polarity_flip(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """A negation added or removed, or "refused/failed/declined to" against the plain verb."""
    verb = _content_verb(doc)
    if verb is None:
        return None
    options: list[tuple[int, int, str]] = []
    for change in (_affirm(doc, verb), _negate(doc, verb)):
        if change is not None:
            options.append(change)
    lexical = _lexical_polarity(doc, verb)
    if lexical is not None:
        options.append(lexical)
    for t in doc:
        if t.lower_ == "no" and t.dep_ == "det" and t.head.tag_ == "NNS" and t.i == 0:
            options.append((int(t.idx), int(doc[1].idx), ""))
        if t.lower_ in ("nobody",) or (t.lower_ == "no" and t.i + 1 < len(doc)
                                       and doc[t.i + 1].lower_ == "one"):
            end = _end(doc[t.i + 1]) if t.lower_ == "no" else _end(t)
            options.append((int(t.idx), end, _match_case("someone", t.text)))
    if not options:
        return None
    start, end, new = rng.choice(options)
    text, [(s, e)] = _splice(doc.text, [(start, end, new)])
    if not new:  # a deletion: mark the verb group that stays
        s, e = _span_after_delete(doc, verb, start, end)
    return _finish(text, s, e, "polarity_flip", doc.text)


def _span_after_delete(doc: Doc, verb: Token, start: int, end: int) -> tuple[int, int]:
    auxes, _ = _verb_group(verb)
    first = auxes[0] if auxes else verb
    a, b = int(first.idx), _end(verb)
    if start == 0:
        return 0, max(1, b - (end - start))
    shift = end - start
    a = a - shift if a >= end else a
    b = b - shift if b >= end else b
    return a, b


def _lexical_polarity(doc: Doc, verb: Token) -> tuple[int, int, str] | None:
    root = verb
    xcomp = _child(root, "xcomp")
    if root.lemma_ in NEGATING_VERBS and xcomp is not None and xcomp.tag_ == "VB" and \
            doc[xcomp.i - 1].lower_ == "to" and xcomp.i - 2 == root.i and root.tag_ in \
            ("VBD", "VBZ", "VBP") and not _verb_group(root)[0] and \
            _child(root, "neg") is None:
        return int(root.idx), _end(xcomp), _match_case(inflect(_lemma(xcomp), root.tag_),
                                                      root.text)
    if root.lemma_ == "deny" and root.tag_ in ("VBD", "VBZ", "VBP"):
        return int(root.idx), _end(root), _match_case(inflect("admit", root.tag_), root.text)
    subj = _child(root, "nsubj")
    if subj is None or root.tag_ != "VBD" or _verb_group(root)[0] or root.pos_ != "VERB" or \
            _child(root, "neg") is not None or _child(root, "prt") is not None:
        return None
    animate = subj.ent_type_ in ("PERSON", "ORG", "NORP") or subj.lower_ in _PERSON_PRONOUNS
    if not animate or root.lemma_ in GENERIC_VERBS or root.lemma_ in NEGATING_VERBS:
        return None
    if root.lemma_ in COMMUNICATION_VERBS:
        lead = "declined to"
    elif root.lemma_ in ACHIEVEMENT_VERBS:
        lead = "failed to"
    elif _child(root, "dobj") is not None and root.lemma_ not in SPEECH_VERBS:
        lead = "refused to"
    else:
        return None
    return int(root.idx), _end(root), f"{lead} {_lemma(root)}"


def condition_change(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """An if/unless clause altered, dropped or added."""
    clause = next((t for t in doc if t.dep_ == "advcl" and t.head.lemma_ not in _WHETHER_VERBS
                   and any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS
                           for c in t.children)), None)
    if clause is None:
        if any(t.lower_ in CONDITION_MARKS for t in doc):
            return None  # "asked if ...": a question, not a condition
        return _add_condition(doc, rng)
    mark = next(c for c in clause.children if c.dep_ == "mark")
    c_start, c_end = _tree(clause)
    if c_end - c_start > 0.7 * len(doc.text):
        return None  # a fragment: all condition, no claim
    options: list[Callable[[], Edit | None]] = []
    swap = "unless" if mark.lower_ == "if" else "if"

    def flip_mark() -> Edit | None:
        text, [(s, _)] = _splice(doc.text, [(mark.idx, _end(mark), _match_case(swap,
                                                                                mark.text))])
        return _finish(text, s, c_end + len(text) - len(doc.text), "condition_change",
                       doc.text)

    if not any(c.dep_ == "neg" for c in clause.children):
        options.append(flip_mark)
    negate = _negate(doc, clause) if mark.lower_ == "if" else None  # not "unless ... not"
    for change in (_affirm(doc, clause), negate):
        if change is not None and c_start <= change[0] and change[1] <= c_end:
            options.append(partial(_clause_edit, doc, change, c_start, c_end))
    for ent in _number_ents(doc):
        if c_start <= ent.start_char and ent.end_char <= c_end:
            for change in _number_options(doc, ent, rng)[:1]:
                options.append(partial(_clause_edit, doc, change, c_start, c_end))
    options.append(lambda: _drop_condition(doc, clause, c_start, c_end))
    rng.shuffle(options)
    for make in options:
        edit = make()
        if edit is not None:
            return edit
    return None


def _clause_edit(doc: Doc, change: tuple[int, int, str], c_start: int,
                 c_end: int) -> Edit | None:
    text, _ = _splice(doc.text, [change])
    return _finish(text, c_start, c_end + len(text) - len(doc.text), "condition_change",
                   doc.text)


def _drop_condition(doc: Doc, clause: Token, c_start: int, c_end: int) -> Edit | None:
    main = clause.head
    if c_start == 0:
        nxt = next((t for t in doc if t.idx >= c_end and not t.is_punct), None)
        if nxt is None or doc.text[c_end:nxt.idx].strip() not in (",", ""):
            return None
        text = _cap(nxt.text) + doc.text[_end(nxt):]
        shift = int(nxt.idx)
    else:
        before = doc.text[:c_start].rstrip()
        start = len(before) - 1 if before.endswith(",") else len(before)
        after = doc.text[c_end:]
        if doc.text[start:c_start].strip() == "," and after.startswith(","):
            after = after[1:]
        text = doc.text[:start] + after
        shift = 0
        if main.idx >= c_end:
            shift = c_end - start
    # The span: the claim now made without its condition, up to where the condition was.
    auxes, _ = _verb_group(main)
    first = auxes[0] if auxes else main
    if c_start == 0:
        s, e = 0, _end(main) - shift
    else:
        s, e = int(first.idx) - shift, max(_end(main) - shift, start)
    if s < 0 or e > len(text) or s >= e:
        return None
    last = re.findall(r"[\w’'—–-]+", text)
    if not last or last[-1].lower() in _DANGLING:
        return None  # "An issue this causes is that." / "it's preventable —."
    return _finish(text, s, e, "condition_change", doc.text)


_WHETHER_VERBS = _words("ask wonder know see check decide determine tell question doubt "
                        "investigate learn find")
_DANGLING = _words("that is was are were to — – - and but because which who as the a")
# Subjects that can make a plan depend on something ("the council will ... if funding is
# approved"); a storm or a scorecard cannot.
_INSTITUTIONS = _words("government council company ministry police union board court city state "
                       "officials authority authorities agency club team party parliament "
                       "committee bank firm school university hospital administration minister "
                       "president mayor governor")


def _add_condition(doc: Doc, rng: random.Random) -> Edit | None:
    verb = _content_verb(doc)
    if verb is None or _has_quote(doc.text) or not doc.text.endswith("."):
        return None
    subj = _child(verb, "nsubj")
    if subj is None or not (subj.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or
                            subj.lower_ in _INSTITUTIONS or subj.lower_ in ("he", "she", "they",
                                                                            "we")):
        return None
    auxes, _ = _verb_group(verb)
    future = any(a.lower_ in ("will", "would", "could", "can", "may") for a in auxes) or \
        verb.lemma_ in ("plan", "intend", "aim")
    if not future or any(c.dep_ == "neg" for c in verb.children) or verb.lemma_ == "be":
        return None
    if any(t.dep_ in ("conj", "ccomp", "advcl") and t.pos_ in ("VERB", "AUX") for t in doc) or \
            len(doc) > 30 or doc[0].lower_ in ("and", "but", "so"):
        return None
    if any(t.lower_ in CONDITION_MARKS | {"when", "once", "until", "unless"} for t in doc):
        return None
    last = doc[-2] if len(doc) > 1 else None
    if last is None or last.is_punct:
        return None
    added = " " + rng.choice(ADDED_CONDITIONS)
    return _insert(doc, len(doc.text) - 1, added, "condition_change")


def _source_phrases(doc: Doc) -> list[tuple[Token, str]]:
    """Noun heads that name a source: (head, how): "according", "citing", "speaker"."""
    out: list[tuple[Token, str]] = []
    for t in doc:
        if t.lower_ == "according":
            to = _child(t, "prep")
            obj = _child(to, "pobj") if to is not None else None
            if obj is not None:
                out.append((obj, "according"))
        elif t.lower_ == "citing":
            obj = _child(t, "dobj", "pobj")
            if obj is not None:
                out.append((obj, "citing"))
        elif t.lemma_ in MEDIA_SOURCE_VERBS and t.pos_ == "VERB" and \
                t.tag_ in ("VBD", "VBZ", "VBP"):
            subj = _child(t, "nsubj")
            comp = _child(t, "ccomp")
            if subj is not None and comp is not None and subj.i < t.i:
                out.append((subj, "speaker"))
    return out


def _replace_source(doc: Doc, head: Token, ctx: DocContext, rng: random.Random,
                    label: str, people_only: bool = False) -> Edit | None:
    ent = _ent_at(doc, head)
    if ent is not None and ent.root.i == head.i and ent.label_ in (("PERSON",) if people_only
                                                                    else ("PERSON", "ORG")):
        return _swap_entity(doc, ent, ctx, rng, label, with_title=True)
    if people_only:  # a pronoun or a role ("a government spokesperson"): a pool person
        if head.pos_ == "PRON" and head.lower_ not in ("he", "she", "they"):
            return None
        if head.pos_ not in ("PRON", "NOUN"):
            return None
        start, end = (int(head.idx), _end(head)) if head.pos_ == "PRON" else _tree(head)
        if end - start > 40:
            return None
        later = _GENDERED.search(doc.text, end)
        gender = head.lower_ if head.lower_ in ("he", "she") else (
            later.group().lower() if later else "")
        pool = (POOL_WOMEN if gender in ("she", "her", "hers", "herself") else
                POOL_MEN if gender in ("he", "him", "his", "himself") else ctx.pool_people)
        name = _pick(rng, (), [p for p in ctx.pool_people if p in pool], head.text, doc.text,
                     p_pool=1.0)
        if name is None:
            return None
        return _replace(doc, start, end, name, label)
    if head.lower_ in _PERSON_PRONOUNS or head.pos_ == "PRON":
        return None
    start, end = _tree(head)
    if end - start > 60:
        return None
    verb = head.head
    later = _GENDERED.search(doc.text, end)
    if later is not None:  # "X said he ...": the new source must be a "he" too
        female = later.group().lower() in ("she", "her", "hers", "herself")
        people = [p for p in ctx.pool_people if p in (POOL_WOMEN if female else POOL_MEN)]
        new = _pick(rng, (), people, doc.text[start:end], doc.text, p_pool=1.0)
        return _replace(doc, start, end, new, label) if new else None
    singular_only = verb.tag_ == "VBZ"
    sources = [s for s, plural in POOL_SOURCES if not (plural and singular_only)]
    new = _pick(rng, ctx.orgs, sources, doc.text[start:end], doc.text, p_pool=0.6)
    if new is None:
        return None
    return _replace(doc, start, end, _fit(doc, start, new), label)


def source_change(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """The claim is credited to another source ("according to X", "X said", "citing X")."""
    quoted = _quote_spans(doc.text)
    options = []
    for head, how in _source_phrases(doc):
        if how == "speaker":
            verb = head.head
            if quoted or (verb.i + 1 < len(doc) and doc[verb.i + 1].text == ":"):
                continue  # direct words: a misattributed quote, not another source
        options.append(head)
    rng.shuffle(options)
    for head in options:
        edit = _replace_source(doc, head, ctx, rng, "source_change")
        if edit is not None:
            return edit
    return None


def quote_misattribution(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """A direct quote given to another person, or a reported statement made direct words."""
    quoted = _quote_spans(doc.text)
    speakers: list[Token] = []
    if quoted:
        speakers = [_child(v, "nsubj") for v in _speech_verbs(doc) if not _in_quote(v, quoted)]
        speakers = [s for s in speakers if s is not None and not _in_quote(s, quoted)]
    root = _root(doc)
    if root is not None and root.lemma_ in SPEECH_VERBS and root.i + 1 < len(doc) and \
            doc[root.i + 1].text == ":" and _child(root, "nsubj") is not None:
        speakers.append(_child(root, "nsubj"))  # "X said: We will ...": direct words
    for subj in speakers:
        edit = _replace_source(doc, subj, ctx, rng, "quote_misattribution", people_only=True)
        if edit is not None:
            return edit
    if quoted or speakers:
        return None
    return _indirect_to_direct(doc)


_PRONOUNY = frozenset({"he", "she", "they", "his", "her", "their", "him", "them", "i", "we",
                       "our", "my", "me", "us", "you", "your", "its", "it", "himself",
                       "herself", "themselves", "itself"})


def _indirect_to_direct(doc: Doc) -> Edit | None:
    """A reported statement as the speaker's own words: 'X said (that) Y will ...' or
    'Y will ..., X said' -> '"Y will ...," X said.' (only without pronouns, which direct words
    would have to change)."""
    root = _root(doc)
    if root is None or root.lemma_ not in ("say", "announce", "state", "add") or \
            root.tag_ not in ("VBD", "VBZ") or ":" in doc.text or doc[-1].text != ".":
        return None
    subj = _child(root, "nsubj")
    comp = _child(root, "ccomp")
    if subj is None or comp is None or any(t.lower_ in _PRONOUNY for t in comp.subtree):
        return None
    s_start, s_end = _tree(subj)
    if comp.i > root.i:  # "X said (that) clause."
        if subj.left_edge.i != 0 or subj.right_edge.i + 1 != root.i or \
                comp.right_edge.i != len(doc) - 2:
            return None
        first = comp.left_edge
        if first.lower_ == "that" and first.dep_ == "mark":
            first = doc[first.i + 1]
        if doc.text[_end(root):first.idx].strip() not in ("", "that"):
            return None
        words = doc.text[first.idx:_end(comp.right_edge)]
        tail = f"{_lower_start(doc, s_start, s_end)} {root.text}"
    else:  # "Clause, X said." / "Clause, said X."
        c_start, c_end = _tree(comp)
        if c_start != 0 or doc.text[c_end:c_end + 1] != ",":
            return None
        tail = doc.text[c_end + 1:doc[-1].idx].strip()
        if tail not in (f"{doc.text[s_start:s_end]} {root.text}",
                        f"{root.text} {doc.text[s_start:s_end]}"):
            return None
        words = doc.text[:c_end]
    words = _cap(words)
    new = f"\u201c{words},\u201d {tail}."
    return _finish(new, 0, len(words) + 3, "quote_misattribution", doc.text)


PERTURBERS: dict[str, Callable[[Doc, DocContext, random.Random], Edit | None]] = {
    "actor_swap": actor_swap,
    "entity_change": entity_change,
    "number_change": number_change,
    "date_change": date_change,
    "location_change": location_change,
    "predicate_change": predicate_change,
    "modality_shift": modality_shift,
    "condition_change": condition_change,
    "polarity_flip": polarity_flip,
    "source_change": source_change,
    "quote_misattribution": quote_misattribution,
}


# ---------------------------------------------------------------------------------------------
# Faithful rewrites.


def _same(text: str, start: int, end: int, original: str) -> Edit | None:
    return _finish(text, start, max(end, start + 1), SAME, original)


def move_adverbial(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """A fronted date or place phrase to the end, or a final one to the front."""
    root = _root(doc)
    if root is None or _has_quote(doc.text) or doc[-1].text != "." or \
            _child(root, "ccomp") is not None:
        return None
    for c in root.children:  # fronted: "On Tuesday, police ..."
        if c.left_edge.i == 0 and c.dep_ in ("prep", "npadvmod", "advcl"):
            end_tok = c.right_edge
            if end_tok.i + 1 >= len(doc) or doc[end_tok.i + 1].text != ",":
                return None
            if c.dep_ == "advcl" and not any(m.dep_ == "mark" for m in c.children):
                return None
            if c.dep_ != "advcl" and not any(t.ent_type_ in ("DATE", "TIME", "GPE")
                                             for t in c.subtree):
                return None
            rest_tok = doc[end_tok.i + 2]
            phrase = _lower_start(doc, 0, _end(end_tok))
            rest = _cap(rest_tok.text) + doc.text[_end(rest_tok):doc[-1].idx].rstrip()
            if "," in rest and c.dep_ == "advcl":
                return None
            text = f"{rest} {phrase}."
            return _same(text, len(rest) + 1, len(text) - 1, doc.text)
    subj = _child(root, "nsubj", "nsubjpass")
    if subj is None or subj.left_edge.i != 0:
        return None
    for c in root.children:  # final: "... on Tuesday."
        if c.i > root.i and c.right_edge.i == len(doc) - 2 and c.dep_ in ("prep", "npadvmod"):
            if c.dep_ == "prep" and c.lower_ not in FRONT_PREPS:
                continue
            if not any(t.ent_type_ in ("DATE", "TIME") for t in c.subtree):
                continue
            if any(t.dep_ in ("relcl", "acl") for t in c.subtree):
                continue
            start = int(c.left_edge.idx)
            body = doc.text[:start].rstrip()
            if body.endswith(","):
                body = body[:-1]
            if "," in body:
                continue
            phrase = _cap(doc.text[start:_end(c.right_edge)])
            text = f"{phrase}, {_lower_start(doc, 0, len(body))}."
            return _same(text, 0, len(phrase), doc.text)
    return None


def _said_parts(doc: Doc) -> tuple[Token, Token, Token] | None:
    """(speech verb, speaker head, reported clause head) of a statement without quotes."""
    root = _root(doc)
    if root is None or _has_quote(doc.text) or root.lemma_ not in ("say", "report") or \
            root.tag_ not in ("VBD", "VBZ"):
        return None
    subj = _child(root, "nsubj")
    comp = _child(root, "ccomp")
    if subj is None or comp is None or doc[-1].text != "." or ":" in doc.text:
        return None
    return root, subj, comp


def attribution(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """"X said" <-> "said X" <-> "according to X" for statements (not quotes)."""
    parts = _said_parts(doc)
    if parts is None:
        return _according_to_said(doc)
    root, subj, comp = parts
    s_start, s_end = _tree(subj)
    speaker = doc.text[s_start:s_end]
    pronoun = subj.pos_ == "PRON"
    modal = any(t.lower_ in ("would", "could", "might") for t in comp.subtree)
    if comp.i < root.i:  # "Clause, X said." / "Clause, said X."
        c_start, c_end = _tree(comp)
        if c_start != 0 or doc.text[c_end:c_end + 1] != "," or (root.i != len(doc) - 2 and \
                subj.right_edge.i != len(doc) - 2):
            return None
        clause = doc.text[:c_end]
        if subj.i > root.i:  # "said X" -> "X said"
            return _same(f"{clause}, {speaker} {root.text}.", 0, c_end, doc.text)
        if pronoun or len(speaker.split()) > 6:
            return None
        if rng.random() < 0.5 or modal or root.tag_ != "VBD":
            return _same(f"{clause}, {root.text} {speaker}.", c_end + 2, c_end + 2 +
                         len(root.text) + 1 + len(speaker), doc.text)
        text = f"According to {_lower_start(doc, s_start, s_end)}, {_lower_start(doc, 0, c_end)}."
        return _same(text, 0, len(text) - 1, doc.text)
    # "X said (that) clause." -> "Clause, X said."
    if subj.left_edge.i != 0 or subj.right_edge.i + 1 != root.i:
        return None
    c_start, c_end = _tree(comp)
    first = comp.left_edge
    if first.lower_ == "that" and first.dep_ == "mark":
        first = doc[first.i + 1]
        c_start = int(first.idx)
    if first.i not in (root.i + 1, root.i + 2) or comp.right_edge.i != len(doc) - 2:
        return None
    clause = _cap(doc.text[c_start:c_end])
    speaker_low = _lower_start(doc, s_start, s_end)
    if not modal and not pronoun and rng.random() < 0.4 and root.tag_ == "VBD":
        text = f"According to {speaker_low}, {_lower_start(doc, c_start, c_end)}."
        return _same(text, 0, len(text) - 1, doc.text)
    text = f"{clause}, {speaker_low} {root.text}."
    return _same(text, 0, len(text) - 1, doc.text)


def _according_to_said(doc: Doc) -> Edit | None:
    """"According to X, clause." -> "Clause, X said."."""
    if not doc or doc[0].lower_ != "according" or _has_quote(doc.text) or doc[-1].text != ".":
        return None
    to = _child(doc[0], "prep")
    obj = _child(to, "pobj") if to is not None else None
    if obj is None:
        return None
    o_start, o_end = _tree(obj)
    if doc.text[o_end:o_end + 2] != ", ":
        return None
    clause = doc.text[o_end + 2:doc[-1].idx]
    if any(t.lower_ in ("would", "could", "might") for t in doc) or len(clause) < 10:
        return None
    source = doc.text[o_start:o_end]
    text = f"{_cap(clause)}, {source} said."
    return _same(text, 0, len(text) - 1, doc.text)


_DATE_MD = re.compile(rf"\b({_MONTH_RE}) (\d{{1,2}})(?:, (\d{{4}}))?\b(?!,? ?\d)")
_DATE_DM = re.compile(rf"\b(\d{{1,2}}) ({_MONTH_RE})(?: (\d{{4}}))?\b")


def date_format(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """"March 9" <-> "9 March" (with the year when written)."""
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        base = int(ent.start_char)
        m = _DATE_MD.search(ent.text)
        if m is not None:
            new = f"{m.group(2)} {m.group(1)}" + (f" {m.group(3)}" if m.group(3) else "")
            return _date_swap(doc, base + m.start(), base + m.end(), new)
        m = _DATE_DM.search(ent.text)
        if m is not None:
            new = f"{m.group(2)} {m.group(1)}" + (f", {m.group(3)}" if m.group(3) else "")
            return _date_swap(doc, base + m.start(), base + m.end(), new)
    return None


def _date_swap(doc: Doc, start: int, end: int, new: str) -> Edit | None:
    tail = doc.text[end:]
    if re.match(r", \d", tail):
        return None
    text, [(s, e)] = _splice(doc.text, [(start, end, new)])
    return _same(text, s, e, doc.text)


def number_format(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """Same figure, other form: 1,400/1400, 5 million/5m, $6.2 million/6.2 million dollars,
    25 percent/25%, three/3."""
    options: list[tuple[int, int, str]] = []
    for ent in _number_ents(doc):
        text = ent.text
        base = int(ent.start_char)
        for m in re.finditer(r"(?<![\d,.])(\d{1,3}(?:,\d{3})+)(?![\d,])", text):
            if "." not in text[m.end():m.end() + 2]:
                options.append((base + m.start(), base + m.end(), m.group().replace(",", "")))
        for m in re.finditer(r"(?<![\d,.])(\d{4,})(?![\d,.])", text):
            if not _is_year(m.group()):
                options.append((base + m.start(), base + m.end(), f"{int(m.group()):,}"))
        m2 = re.fullmatch(r"([$€£])(\d+(?:\.\d+)?) (million|billion)", text)
        if m2 is not None:
            cur, num, scale = m2.groups()
            short = "m" if scale == "million" else "bn"
            options.append((base, base + len(text), f"{cur}{num}{short}"))
            nxt = doc[ent.end] if ent.end < len(doc) else None
            if nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "ADJ"):
                options.append((base, base + len(text), f"{num} {scale} {_CURRENCY_WORD[cur]}"))
        m3 = re.fullmatch(r"([$€£])(\d+(?:\.\d+)?)(m|bn)", text)
        if m3 is not None:
            cur, num, short = m3.groups()
            options.append((base, base + len(text),
                            f"{cur}{num} {'million' if short == 'm' else 'billion'}"))
        m4 = re.fullmatch(r"(\d+(?:\.\d+)?) (million|billion) (dollars|euros)", text)
        if m4 is not None:
            cur = "$" if m4.group(3) == "dollars" else "€"
            options.append((base, base + len(text), f"{cur}{m4.group(1)} {m4.group(2)}"))
        m5 = re.fullmatch(r"(\d+(?:\.\d+)?)(?: percent| per cent|%)", text)
        if m5 is not None:
            for form in ("%", " percent", " per cent"):
                if not text.endswith(form.strip()) or (form == " percent" and "per cent"
                                                        in text):
                    options.append((base, base + len(text), m5.group(1) + form))
                    break
        w = WORD_NUMBER.fullmatch(text)
        if w is not None and base > 0:  # no figure to start a sentence
            value = _word_value(text)
            if value is not None and value >= 10:  # news style spells one to nine
                options.append((base, base + len(text), str(value)))
        if re.fullmatch(r"[2-9]", text) and ent.label_ == "CARDINAL":
            spelled = _spell(int(text)) or text
            options.append((base, base + len(text), _cap(spelled) if base == 0 else spelled))
    if not options:
        return None
    start, end, new = rng.choice(options)
    text, [(s, e)] = _splice(doc.text, [(start, end, new)])
    return _same(text, s, e, doc.text)


def voice(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """Active <-> passive for a simple past-tense subject-verb-object clause."""
    root = _root(doc)
    if root is None or _has_quote(doc.text) or doc[-1].text != ".":
        return None
    if any(c.dep_ in ("neg", "prt", "dative", "ccomp", "xcomp", "aux") for c in root.children):
        return None
    if root.tag_ == "VBD" and root.pos_ == "VERB" and root.lemma_ not in GENERIC_VERBS:
        return _to_passive(doc, root)
    if root.tag_ == "VBN" and _is_passive(root):
        return _to_active(doc, root)
    return None


def _np(doc: Doc, head: Token, case: dict[str, str]) -> str | None:
    s, e = _tree(head)
    text = str(doc.text[s:e])
    if head.pos_ == "PRON":
        if head.lower_ not in case:
            return None
        return case[head.lower_]
    if s == 0:
        text = _lower_start(doc, s, e)
    return text


def _definite(head: Token) -> bool:
    """A pronoun, a name, or a noun with a determiner, possessive or number (not "praise",
    not "downtown Raleigh")."""
    if head.pos_ == "PRON":
        return True
    if head.ent_type_ in ("GPE", "LOC", "FAC", "DATE", "TIME"):
        return False
    if head.ent_type_ in ("PERSON", "ORG", "NORP") and head.pos_ == "PROPN":
        first = head.left_edge
        return first.pos_ in ("PROPN", "DET") and (first.ent_type_ or first.pos_ == "DET")
    return any(c.dep_ in ("det", "poss", "nummod") for c in head.children) and \
        head.pos_ == "NOUN"


def _to_passive(doc: Doc, root: Token) -> Edit | None:
    subj = _child(root, "nsubj")
    obj = _child(root, "dobj")
    if subj is None or obj is None or subj.lower_ in ("it", "there", "this", "that", "what"):
        return None
    if subj.right_edge.i + 1 != root.i or obj.left_edge.i != root.i + 1:
        return None
    if len(list(obj.subtree)) > 8 or len(list(subj.subtree)) > 6:
        return None
    if any(t.dep_ in ("relcl", "acl", "appos") or t.text == "," for t in obj.subtree):
        return None
    if not (_definite(obj) and _definite(subj)) or _transitive(root.lemma_) is False:
        return None
    pre = doc.text[:subj.left_edge.idx]
    tail = doc.text[_end(obj.right_edge):]
    rest = [t for t in doc[obj.right_edge.i + 1:] if t.head == root and not t.is_punct]
    if any(t.dep_ not in ("prep", "npadvmod", "advmod") for t in rest):
        return None  # "commended X to effect reforms": the tail belongs to the verb
    agent = _np(doc, subj, PRONOUN_OBJECT)
    patient = _np(doc, obj, PRONOUN_SUBJECT)
    if agent is None or patient is None:
        return None
    plural = obj.tag_ in ("NNS", "NNPS") or obj.lower_ in ("them", "us") or \
        _child(obj, "conj") is not None
    if obj.lower_ in ("me",):
        return None
    be = "were" if plural else "was"
    if pre.strip():
        if not pre.rstrip().endswith(","):
            return None
    else:
        patient = _cap(patient)
    middle = f"{patient} {be} {inflect(_lemma(root), 'VBN')} by {agent}"
    text = pre + middle + tail
    return _same(text, len(pre), len(pre) + len(middle), doc.text)


def _to_active(doc: Doc, root: Token) -> Edit | None:
    subj = _child(root, "nsubjpass")
    aux = _child(root, "auxpass")
    by = _child(root, "agent")
    agent = _child(by, "pobj") if by is not None else None
    if subj is None or aux is None or by is None or agent is None or \
            aux.lower_ not in ("was", "were"):
        return None
    if any(c.dep_ == "aux" for c in root.children):
        return None
    if subj.right_edge.i + 1 != aux.i or aux.i + 1 != root.i or by.i != root.i + 1:
        return None
    if len(list(subj.subtree)) > 8 or len(list(agent.subtree)) > 6:
        return None
    if not (_definite(subj) and _definite(agent)):
        return None
    if any(t.dep_ in ("relcl", "acl", "appos") or t.text == "," for t in subj.subtree):
        return None
    pre = doc.text[:subj.left_edge.idx]
    tail = doc.text[_end(agent.right_edge):]
    actor = _np(doc, agent, PRONOUN_SUBJECT)
    patient = _np(doc, subj, PRONOUN_OBJECT)
    if actor is None or patient is None:
        return None
    if not pre.strip():
        actor = _cap(actor)
    elif not pre.rstrip().endswith(","):
        return None
    middle = f"{actor} {inflect(_lemma(root), 'VBD')} {patient}"
    text = pre + middle + tail
    return _same(text, len(pre), len(pre) + len(middle), doc.text)


_DROPPABLE = frozenset({"also", "meanwhile", "additionally", "furthermore", "moreover"})


def drop_modifier(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """Drop a modifier that adds nothing to the claim ("also", "meanwhile")."""
    for t in doc:
        if t.lower_ in _DROPPABLE and t.dep_ == "advmod":
            start, end = _remove_token(doc, t)
            text, _ = _splice(doc.text, [(start, end, "")])
            if start == 0:
                text = _cap(text)
            mark = t.head
            if start <= mark.idx < end:
                return None
            m = int(mark.idx) - (end - start if mark.idx >= end else 0)
            return _same(text, m, m + len(mark.text), doc.text)
    return None


def short_name(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """A full name by its surname (second-mention style) when no other person shares it, or a
    name by the title the document gives the person ("the finance minister")."""
    surnames = ctx.surnames()
    options: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        text = _clean_ent(ent.text)
        if ent.label_ != "PERSON" or not _is_name(text) or ent.root.dep_ == "compound":
            continue
        words = text.split()
        if _common_word(words[0]) or words[-1].lower() in _NOT_SURNAMES:
            continue  # "Adventurous Stills", "Corry Station": not people
        start = int(ent.start_char)
        full = text if len(words) > 1 else surnames.get(text)
        title = ctx.titles.get(full or "")
        if title and _title_before(ent) is None and not (start and doc.text[start - 1] in "-/"):
            prev = doc[ent.start - 1] if ent.start else None
            if prev is None or prev.pos_ not in ("DET", "PROPN", "ADJ"):
                options.append((start, start + len(text), f"the {title.lower()}"))
        if len(words) > 1 and surnames.get(words[-1]) == text:
            options.append((start, start + len(text), words[-1]))
    if not options:
        return None
    s, e, new = rng.choice(options)
    text_new, [(a, b)] = _splice(doc.text, [(s, e, _cap(new) if s == 0 else new)])
    return _same(text_new, a, b, doc.text)


_NOT_SURNAMES = PLACE_NOUNS | _words("store center centre hall group company team inc ltd "
                                      "corp club")


def _common_noun(word: str) -> bool:
    wn = lexicon.wordnet()
    return wn is not None and bool(wn.synsets(word.lower(), "n"))


def _common_word(word: str) -> bool:
    wn = lexicon.wordnet()
    return wn is not None and bool(wn.synsets(word.lower(), "a"))


def verb_synonym(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """The main verb by the first, frequent lemma of its first WordNet sense."""
    wn = lexicon.wordnet()
    verb = _content_verb(doc)
    if wn is None or verb is None or verb.pos_ != "VERB" or not verb.is_lower:
        return None
    if _child(verb, "prt") is not None or verb.lemma_ in GENERIC_VERBS:
        return None
    if _child(verb, "dobj") is None or _child(verb, "prep") is not None:
        return None  # "rely on" is not "trust on": prepositions select the verb
    senses = wn.synsets(verb.lemma_, "v")
    if not senses:
        return None
    first_lemma = senses[0].lemmas()[0]
    first = first_lemma.name()
    if "_" in first or first == verb.lemma_ or first in _LIGHT_VERBS:
        return None
    own = next((lem.count() for lem in senses[0].lemmas() if lem.name() == verb.lemma_), 0)
    # Both words must mostly mean this sense: "purchase" -> "buy", not "point" -> "indicate".
    if own < 0.7 * _verb_freq(verb.lemma_) or first_lemma.count() < 0.5 * _verb_freq(first):
        return None
    if _verb_freq(first) < max(20, _verb_freq(verb.lemma_)):
        return None
    if (_child(verb, "dobj") is not None or _is_passive(verb)) and _transitive(first) is False:
        return None
    new = inflect(first, verb.tag_)
    text, [(s, e)] = _splice(doc.text, [(verb.idx, _end(verb), new)])
    return _same(text, s, e, doc.text)


def that_clause(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """"said that X" <-> "said X" after a speech or thought verb."""
    for verb in doc:
        if verb.lemma_ not in SPEECH_VERBS | {"think", "believe", "know"} or verb.pos_ != "VERB":
            continue
        comp = _child(verb, "ccomp")
        if comp is None or comp.i < verb.i or _has_quote(doc.text) or ":" in doc.text:
            continue
        first = comp.left_edge
        subj = _child(comp, "nsubj", "nsubjpass", "expl")
        marks = [t for t in verb.subtree if t.lower_ == "that" and t.dep_ == "mark"]
        if first.lower_ == "that" and first.dep_ == "mark" and first.i == verb.i + 1:
            nxt = doc[first.i + 1]
            if subj is None or nxt != subj.left_edge or len(marks) > 1:
                continue  # "added that although ...", "that ... and that ..."
            text, _ = _splice(doc.text, [(first.idx, nxt.idx, "")])
            return _same(text, int(verb.idx), _end(verb), doc.text)
        if first.i == verb.i + 1 and subj is not None and subj.left_edge == first and \
                first.tag_ not in ("WDT", "WP", "WRB", "WP$") and first.lower_ != "that":
            text, [(s, e)] = _splice(doc.text, [(first.idx, first.idx, "that ")])
            return _same(text, s, e, doc.text)
    return None


_CONTRACTIONS = {"did": "didn’t", "does": "doesn’t", "do": "don’t", "is": "isn’t",
                 "are": "aren’t", "was": "wasn’t", "were": "weren’t", "has": "hasn’t",
                 "have": "haven’t", "had": "hadn’t", "will": "won’t", "would": "wouldn’t",
                 "could": "couldn’t", "should": "shouldn’t", "can": "can’t"}
_EXPANSIONS = {"wo": "will", "ca": "can", "sha": "shall"}


def contraction(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    """"did not" <-> "didn't" (the negation stays)."""
    for t in doc:
        if t.dep_ != "neg" or t.i == 0:
            continue
        aux = doc[t.i - 1]
        if t.lower_ in ("n't", "n’t"):
            full = _EXPANSIONS.get(aux.lower_, aux.text)
            new = ("cannot" if aux.lower_ == "ca" else f"{full} not")
            text, [(s, e)] = _splice(doc.text, [(aux.idx, _end(t), _match_case(new, aux.text))])
            return _same(text, s, e, doc.text)
        if t.lower_ == "not" and aux.lower_ in _CONTRACTIONS and aux.whitespace_ and \
                aux.pos_ == "AUX" and not _has_quote(doc.text):
            apostrophe = "’" if "’" in doc.text and "'" not in doc.text else "'"
            new = _CONTRACTIONS[aux.lower_].replace("’", apostrophe)
            text, [(s, e)] = _splice(doc.text, [(aux.idx, _end(t), _match_case(new, aux.text))])
            return _same(text, s, e, doc.text)
    return None


REWRITES: list[Callable[[Doc, DocContext, random.Random], Edit | None]] = [
    move_adverbial, attribution, date_format, number_format, voice, drop_modifier, short_name,
    verb_synonym, that_clause, contraction,
]


# ---------------------------------------------------------------------------------------------
# Faithful variants beyond one sentence: merging a neighbour's fact, keeping part of a sentence.


def merge_sentences(doc: Doc, other: Doc) -> str | None:
    """``doc`` with the fact of ``other`` joined (", which ..." when ``other`` is about the
    noun that ends ``doc``, else ", and ...")."""
    if _has_quote(doc.text) or _has_quote(other.text) or doc[-1].text != "." or \
            other[-1].text != "." or not 4 <= len(other) <= 25:
        return None
    body = doc.text[:doc[-1].idx].rstrip()
    root = _root(other)
    subj = _child(root, "nsubj") if root is not None else None
    last = doc[-2]
    if subj is not None and subj.left_edge.i == 0 and last.pos_ == "NOUN" and \
            subj.lemma_ == last.lemma_ and subj.tag_ == last.tag_ and \
            not any(t.text == "," for t in other):
        rel = "who" if last.ent_type_ == "PERSON" else "which"
        rest = other.text[_end(subj.right_edge):other[-1].idx].strip()
        return f"{body}, {rel} {rest}."
    if root is None or root.pos_ not in ("VERB", "AUX") or other[0].lower_ in (
            "but", "and", "however", "meanwhile", "so"):
        return None
    return f"{body}, and {_lower_start(other, 0, other[-1].idx).rstrip()}."


_POINT_PREPS = _words("on in at during near outside inside")


def _point_phrase(c: Token) -> bool:
    """A phrase saying when or where, at a point ("on Tuesday", "in Halden"), not how long or
    how much ("for 4 years", "in eight years")."""
    if c.dep_ == "prep":
        obj = _child(c, "pobj")
        if c.lower_ not in _POINT_PREPS or obj is None or obj.ent_type_ not in (
                "DATE", "TIME", "GPE", "LOC", "FAC"):
            return False
    elif not (c.dep_ == "npadvmod" and c.ent_type_ == "DATE"):
        return False
    for x in c.subtree:
        if x.like_num and not (_is_year(x.text) or (x.text.isdigit() and int(x.text) <= 31 and any(
                n.text in MONTH_NAMES for n in x.doc[max(0, x.i - 1):x.i + 2]))):
            return False  # a duration or a count is a figure
    return True


def keep_part(doc: Doc) -> str | None:
    """``doc`` without a non-essential phrase: a fronted or final date/place phrase, or an
    appositive; never a negation, a hedge, a condition or a figure."""
    root = _root(doc)
    if root is None or doc[-1].text != "." or root.lemma_ == "be":
        return None  # a copula's phrase is its predicate
    protected = NEG_WORDS | HEDGES | HEDGE_ADVERBS | CONDITION_MARKS
    for c in doc:
        appositive = c.dep_ == "appos" and c.head.ent_type_ == "PERSON"
        edge = c.head == root and (c.left_edge.i == 0 or c.right_edge.i == len(doc) - 2) and \
            _point_phrase(c)
        if not (appositive or edge):
            continue
        sub = list(c.subtree)
        if any(x.lower_ in protected for x in sub) or len(sub) > 10:
            continue
        if appositive and any(x.ent_type_ in ("MONEY", "PERCENT", "QUANTITY") for x in sub):
            continue
        s, e = _tree(c)
        before, after = doc.text[:s], doc.text[e:]
        if appositive:
            if not (before.endswith(", ") and after.startswith(",")):
                continue
            text = before[:-2] + after[1:]
        elif s == 0:
            if not after.startswith(", "):
                continue
            nxt = doc[c.right_edge.i + 2]
            text = _cap(nxt.text) + doc.text[_end(nxt):]
        else:
            text = before.rstrip().rstrip(",") + after
        words = re.findall(r"[\w’'—–-]+", text)
        if not _BAD.search(text) and words and words[-1].lower() not in _DANGLING:
            return str(text)  # not "held talks late on Saturday and."
    return None


# ---------------------------------------------------------------------------------------------
# Documents to examples.

_JUNK = re.compile(r"https?:|www\.|@|#|[\u2600-\u27ff\U0001F000-\U0001FFFF]|\||â€|Ã")


def _target_score(doc: Doc) -> float:
    words = [t for t in doc if not t.is_punct]
    if not 8 <= len(words) <= 45 or _JUNK.search(doc.text):
        return 0.0
    root = _root(doc)
    if root is None or root.pos_ not in ("VERB", "AUX") or not any(
            c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in root.children):
        return 0.0  # fragments and imperatives report no claim
    text = doc.text.strip()
    if not (text[:1].isupper() or text[:1].isdigit() or text[:1] in _QUOTE_CHARS) or \
            not (text[-1].isalnum() or text[-1] in ".!\"”)"):
        return 0.0  # questions report no claim either
    if sum(c.isalpha() for c in text) < 0.6 * len(text):
        return 0.0
    if text.count('"') % 2 or text.count("“") != text.count("”"):
        return 0.0
    if sum(1 for w in text.split() if len(w) > 3 and w.isupper()) > 1:
        return 0.0
    if sum(1 for t in words if t.text[:1].isupper()) > 0.6 * len(words):
        return 0.0  # a title-case headline
    if any(a.lower_ == b.lower_ and a.is_alpha for a, b in pairwise(words)):
        return 0.0  # "will will": a typo the rewrites would carry
    return 1.0 + len(doc.ents) + (1.0 if _has_quote(text) else 0.0)


def _weighted_order(rng: random.Random, weights: dict[str, float]) -> list[str]:
    keys = list(weights)
    scored = [(rng.random() ** (1.0 / weights[k]), k) for k in keys]
    return [k for _, k in sorted(scored, reverse=True)]


def _sample_targets(scores: list[float], k: int, rng: random.Random) -> list[int]:
    pool = [(i, s) for i, s in enumerate(scores) if s > 0]
    picked: list[int] = []
    while pool and len(picked) < k:
        total = sum(s for _, s in pool)
        x = rng.random() * total
        for j, (i, s) in enumerate(pool):
            x -= s
            if x <= 0 or j == len(pool) - 1:
                picked.append(i)
                pool.pop(j)
                break
    return sorted(picked)


def examples_from_document(sentences: Sequence[str], nlp: Any, rng: random.Random, group: str,
                           source: str, max_targets: int = 4) -> list[Example]:
    """Labelled (premise, hypothesis) pairs from one document's sentences (see module doc)."""
    texts = [s.strip() for s in sentences if s and s.strip()]
    if not texts:
        return []
    docs = list(nlp.pipe(texts))
    ctx = doc_context(docs)
    out: list[Example] = []
    for i in _sample_targets([_target_score(d) for d in docs], max_targets, rng):
        doc = docs[i]
        others = [j for j in range(len(texts)) if j != i]
        chosen = select(texts[i], [texts[j] for j in others], k=2)
        premise_ids = sorted([i] + [others[j] for j in chosen])
        premise = " ".join(texts[j] for j in premise_ids)

        def add(hyp: str, label: str, span: tuple[int, int] | None, premise: str = premise) -> None:
            with suppress(ValueError):  # a span the Example refuses: skip it
                out.append(Example(premise, hyp, label, span, source, group))

        rewrite = _rewrite(doc, ctx, rng)
        base = doc
        if rewrite is not None:
            add(rewrite.text, SAME, None)
            base = nlp(rewrite.text)
        elif rng.random() < 0.3:
            add(doc.text, SAME, None)
        seen = {doc.text, base.text}
        labels: set[str] = set()
        wanted = rng.choice((1, 2))
        for candidate in (base, doc) if base is not doc else (doc,):
            for label in _weighted_order(rng, LABEL_WEIGHTS):
                if len(labels) >= wanted:
                    break
                if label in labels:
                    continue
                edit = PERTURBERS[label](candidate, ctx, rng)
                if edit is None or edit.text in seen:
                    continue
                seen.add(edit.text)
                labels.add(label)
                add(edit.text, label, (edit.start, edit.end))
            if labels:
                break
        if rng.random() < 0.1:
            extra = _partial_or_merged(doc, [docs[j] for j in premise_ids if j != i], rng)
            if extra is not None and extra not in seen:
                add(extra, SAME, None)
    return out


def _rewrite(doc: Doc, ctx: DocContext, rng: random.Random) -> Edit | None:
    order = list(REWRITES)
    rng.shuffle(order)
    for fn in order:
        edit = fn(doc, ctx, rng)
        if edit is not None and edit.text != doc.text:
            return edit
    return None


def _partial_or_merged(doc: Doc, neighbours: list[Doc], rng: random.Random) -> str | None:
    makers: list[Callable[[], str | None]] = [lambda: keep_part(doc)]
    for other in neighbours:
        makers.append(partial(merge_sentences, doc, other))
    rng.shuffle(makers)
    for make in makers:
        text = make()
        if text is not None and text != doc.text:
            return text
    return None
