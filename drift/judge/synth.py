"""Synthetic (premise, hypothesis) pairs for the judge, written by program (MiniCheck-style).

How examples are built. Each group is one invented story: a frame (``FRAMES``: a fine, a
takeover, a strike, a ferry accident, ...) draws its participants, figures, dates and places
from ``synth_vocab`` and writes a short wire-style reference passage. The frame also declares
re-report templates: sentences an outlet could write from one to three of the reference
sentences (reordered, passive, merged, shortened, title for name, another date or number
format, indirect speech for a quote). A template is literal text and slots; a slot holds
interchangeable faithful renderings (``Seg``), each with drifted renderings of its fact by
drift type. A group realises two or three templates; each realisation is emitted as ``same``
and again with one slot replaced by one of its drifted renderings: a minimal pair whose
``span`` covers the words that differ. The premise is the reference sentences the template
uses (and any a drift needs, such as the one naming the other actor), in reference order,
sometimes with one unrelated sentence of the story. About one group in twelve is a foreign
quote (``QUOTES``: Spanish, French, Portuguese, German, Italian, Catalan): the premise is its
literal machine-style English rendering, the hypothesis an outlet's gloss, faithful or shifted
(``translation_shift``). Drift types stay balanced: each pair's type is drawn among those its
template offers, with weights that favour the types drawn least so far.

All randomness comes from one ``random.Random(seed)``; nothing depends on set or hash order.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from drift.judge import SAME, TYPES
from drift.judge import synth_vocab as V
from drift.judge.example import Example

# A drifted rendering of a slot and the reference sentences its premise must then include.
Alt = tuple[str, tuple[int, ...]]
AltIn = str | Alt


@dataclass(frozen=True, slots=True)
class Seg:
    """One faithful rendering of a fact and its drifted renderings by drift type."""

    text: str
    alts: Mapping[str, tuple[Alt, ...]] = field(default_factory=dict)


Slot = tuple[Seg, ...]  # interchangeable faithful renderings of one fact
SlotIn = Seg | Slot | str


def seg(text: str, **alts: Sequence[AltIn]) -> Seg:
    """A ``Seg``; each alternative is a text or a (text, needed sentences) pair."""
    out: dict[str, tuple[Alt, ...]] = {}
    for label, items in alts.items():
        norm = tuple(a if isinstance(a, tuple) else (a, ()) for a in items)
        norm = tuple(a for a in norm if a[0] and a[0] != text)
        if norm:
            out[label] = norm
    return Seg(text, out)


def same_alts(texts: Sequence[str], **alts: Sequence[AltIn]) -> Slot:
    """A slot of several faithful texts sharing one set of drifted renderings."""
    return tuple(seg(t, **alts) for t in texts)


@dataclass(frozen=True, slots=True)
class Template:
    """A re-report sentence: literal text and slots, and the reference sentences it uses."""

    parts: tuple[str | Slot, ...]
    uses: tuple[int, ...]


@dataclass
class Story:
    """An invented story: its reference sentences and its re-report templates."""

    name: str
    ref: list[str] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)

    def add(self, sentence: str) -> int:
        """Append a reference sentence (first letter capitalised); its index."""
        sentence = re.sub(r",([,.])", r"\1", sentence)
        self.ref.append(cap(re.sub(r"\.\.$", ".", sentence)))
        return len(self.ref) - 1

    def hyp(self, template: str, uses: Sequence[int], **slots: SlotIn) -> None:
        """Declare a re-report: ``{name}`` in ``template`` is filled from ``slots``."""
        parts: list[str | Slot] = []
        for i, piece in enumerate(re.split(r"\{(\w+)\}", template)):
            if i % 2 == 0:
                if piece:
                    parts.append(piece)
                continue
            value = slots[piece]
            if isinstance(value, str):
                parts.append(value)
            elif isinstance(value, Seg):
                parts.append((value,))
            else:
                parts.append(value)
        # An appositive's closing comma goes when punctuation or the end follows it.
        for i, part in enumerate(parts):
            after = parts[i + 1] if i + 1 < len(parts) else "."
            if not isinstance(part, str) and isinstance(after, str) and after[:1] in ",.;:":
                parts[i] = amap(part, lambda t: t[:-1] if t.endswith(",") else t)
        self.templates.append(Template(tuple(parts), tuple(uses)))


def cap(text: str) -> str:
    """``text`` with its first letter upper-cased."""
    return text[:1].upper() + text[1:] if text else text


def poss(name: str) -> str:
    """The possessive of a name ('Spain's', 'the Netherlands'')."""
    return name + ("'" if name.endswith("s") else "'s")


def bare(name: str) -> str:
    """``name`` without a leading 'the ' ('the Rift Valley' -> 'Rift Valley')."""
    return name[4:] if name.startswith("the ") else name


def an(word: str) -> str:
    """The indefinite article for ``word`` (figures read aloud: 'an 8%', 'an 11-year')."""
    w = word.lstrip("$€£\"“")
    if w[:1].isdigit():
        group = re.match(r"\d+", w)
        lead = group.group() if group else w
        return "an" if lead[0] == "8" or lead in ("11", "18") else "a"
    vowel = w[:1].lower() in "aeiou" and not w.lower().startswith(("uni", "eu", "one", "us"))
    return "an" if vowel else "a"


# --------------------------------------------------------------------------------------------
# Numbers, money, dates, places


_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")
_TENS = ("_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def words(n: int) -> str:
    """``n`` (0-99) in English words."""
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + ("-" + _ONES[ones] if ones else "")


def wire_int(n: int) -> str:
    """A count as wire style writes it: words below ten, digits with commas above."""
    return words(n) if n < 10 else f"{n:,}"


def near(rng: random.Random, n: int, k: int = 3) -> list[int]:
    """Up to ``k`` plausible wrong values for the count ``n``."""
    if n < 10:
        cands = [n + 1, n - 1, n + 2, n * 2, n + 3]
    elif n < 100:
        cands = [n + 1, n - 1, n + 10, n - 10, int(str(n)[::-1]), n + 2]
    else:
        digits = len(str(n))
        mag = 10 ** max(digits - 2, 0)
        s = str(n)
        swapped = int(s[1] + s[0] + s[2:]) if s[1] != "0" else n + 3 * mag
        cands = [n + mag, n - mag, n * 10, swapped, n + 2 * mag, n // 10 if n >= 1000 else n * 2]
    out: list[int] = []
    for c in cands:
        if c >= 2 and c != n and c not in out:
            out.append(c)
    rng.shuffle(out)
    return out[:k]


HEDGE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "": ("",),
    "about": ("about", "around", "some", "roughly", "approximately"),
    "nearly": ("nearly", "almost"),
    "more than": ("more than", "over"),
    "at least": ("at least",),
    "up to": ("up to", "as many as"),
}
HEDGE_CONTRAST = {"nearly": "more than", "more than": "fewer than", "at least": "at most",
                  "up to": "at least", "about": "more than"}


def count(rng: random.Random, n: int, hedge: str = "") -> Slot:
    """Faithful renderings of a count (with its hedge) and wrong counts (number_change)."""
    forms: list[tuple[str, Callable[[int], str]]] = [("d", lambda x: f"{x:,}")]
    if n < 10:
        forms = [("w", words), ("d", lambda x: f"{x:,}")] if rng.random() < 0.3 else [("w", words)]
    elif n < 100 and rng.random() < 0.3:
        forms.append(("w", lambda x: words(x) if x < 100 else f"{x:,}"))
    if n >= 1_000_000 and n % 100_000 == 0:
        forms.append(("m", lambda x: f"{x / 1e6:g} million" if x % 100_000 == 0 else f"{x:,}"))
    wrong = near(rng, n)
    out = []
    for _, fmt in forms:
        for h in HEDGE_SYNONYMS[hedge]:
            pre = h + " " if h else ""
            alts = [pre + fmt(w) for w in wrong]
            if hedge in HEDGE_CONTRAST and rng.random() < 0.5:
                alts.append(HEDGE_CONTRAST[hedge] + " " + fmt(n))
            out.append(seg(pre + fmt(n), number_change=alts))
    return tuple(out)


def ref_count(n: int, hedge: str = "") -> str:
    """A count as the reference writes it."""
    return (hedge + " " if hedge else "") + wire_int(n)


CURRENCY = {"USD": ("$", "dollars"), "EUR": ("€", "euros"), "GBP": ("£", "pounds")}


def _mantissa(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def money_forms(amount: int, cur: str, adjective: bool = False) -> list[str]:
    """Equivalent renderings of an amount of money ('$6.2 million', '$6.2m', ...)."""
    sym, word = CURRENCY[cur]
    if amount >= 1_000_000_000:
        m = _mantissa(amount / 1e9)
        forms = [f"{sym}{m} billion", f"{sym}{m}bn"]
        if not adjective:
            forms.append(f"{m} billion {word}")
    elif amount >= 1_000_000:
        m = _mantissa(amount / 1e6)
        forms = [f"{sym}{m} million", f"{sym}{m}m"]
        if not adjective:
            forms.append(f"{m} million {word}")
            if amount % 100_000 == 0:
                forms.append(f"{sym}{amount:,}")
    else:
        forms = [f"{sym}{amount:,}"]
        if not adjective:
            forms.append(f"{amount:,} {word}")
    return forms


def ref_money(amount: int, cur: str, adjective: bool = False) -> str:
    """An amount as the reference writes it."""
    return money_forms(amount, cur, adjective)[0]


def wrong_amounts(rng: random.Random, amount: int) -> list[int]:
    """Plausible wrong amounts: another mantissa or another scale."""
    unit = 10 ** max(len(str(amount)) - 2, 0)
    m = amount // unit
    out = [c * unit for c in (m + 1, m - 1, m + 5, m * 2) if c > 0 and c != m]
    rng.shuffle(out)
    out = out[:2]
    if 1_000_000 <= amount < 1_000_000_000:
        out.append(amount * 1000)
    elif amount >= 1_000_000_000:
        out.append(amount // 1000)
    else:
        out.append(amount * 10)
    return out


def rand_amount(rng: random.Random, big: bool = False) -> int:
    """A random amount of money: tens of thousands to tens of millions, or (``big``) tens of
    millions to billions."""
    if big:
        return rng.choice([rng.randint(12, 95) * 1_000_000, rng.randint(11, 99) * 10_000_000,
                           rng.randint(11, 60) * 100_000_000])
    return rng.choice([rng.randint(2, 95) * 10_000, rng.randint(11, 99) * 100_000,
                       rng.randint(11, 95) * 1_000_000])


def money(rng: random.Random, amount: int, cur: str, adjective: bool = False) -> Slot:
    """Faithful renderings of an amount and wrong ones (number_change: value, scale, currency)."""
    wrong = wrong_amounts(rng, amount)
    other_cur = rng.choice([c for c in CURRENCY if c != cur])
    out = []
    for i, form in enumerate(money_forms(amount, cur, adjective)):
        alts = []
        for w in wrong:
            forms = money_forms(w, cur, adjective)
            alts.append(forms[min(i, len(forms) - 1)])
        oforms = money_forms(amount, other_cur, adjective)
        alts.append(oforms[min(i, len(oforms) - 1)])
        out.append(seg(form, number_change=alts))
    return tuple(out)


def _dec(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def pct(rng: random.Random, x: float, ref_form: int = 0) -> tuple[str, Slot]:
    """A percentage: its reference rendering and faithful/wrong renderings."""
    s = _dec(x)
    forms = [f"{s}%", f"{s} percent", f"{s} per cent"]
    step = 0.5 if x % 1 else 1.0
    wrong = [x + step, x - step, x + 2 * step, x * 2]
    wrong = [w for w in wrong if 0 < w < max(100, x + 1) and w != x]
    rng.shuffle(wrong)
    out = []
    for f in forms:
        tail = f[len(s):]
        out.append(seg(f, number_change=[_dec(w) + tail for w in wrong[:3]]))
    return forms[ref_form], tuple(out)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _us(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}"


def _uk(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]}"


def _wd(d: dt.date) -> str:
    return WEEKDAYS[d.weekday()]


@dataclass(frozen=True, slots=True)
class Day:
    """A story date and how the reference gives it: weekday, date, or both."""

    date: dt.date
    mode: str  # "wd", "date" or "both"
    uk: bool  # the reference writes "9 March"

    def ref(self, prep: str = "on") -> str:
        """The date as the reference writes it."""
        p = prep + " " if prep else ""
        date = _uk(self.date) if self.uk else _us(self.date)
        if self.mode == "wd":
            return p + _wd(self.date)
        if self.mode == "date":
            return p + date
        return p + (f"{_wd(self.date)} {date}" if self.uk else f"{_wd(self.date)}, {date}")

    def slot(self, rng: random.Random, prep: str = "on") -> Slot:
        """Faithful renderings of the date (those the reference supports) and wrong dates."""
        p = prep + " " if prep else ""
        shifts = [1, -1, 2, -2, 7, 3]
        rng.shuffle(shifts)
        wrong = [self.date + dt.timedelta(days=s) for s in shifts[:3]]
        month_off = self.date.replace(month=self.date.month % 12 + 1, day=min(self.date.day, 28))
        wrong_dates = [*wrong[:2], month_off]
        renderers: list[Callable[[dt.date], str]] = []
        if self.mode in ("wd", "both"):
            renderers.append(_wd)
        if self.mode in ("date", "both"):
            renderers += [_us, _uk]
        if self.mode == "both":
            renderers += [lambda d: f"{_wd(d)}, {_us(d)}", lambda d: f"{_wd(d)} {_uk(d)}"]
        out = []
        for r in renderers:
            alts = [p + r(w) for w in (wrong if r is _wd else wrong_dates)]
            out.append(seg(p + r(self.date), date_change=alts))
        return tuple(out)


def new_day(rng: random.Random, mode: str | None = None) -> Day:
    """A random recent date."""
    d = dt.date(rng.randint(2018, 2025), 1, 1) + dt.timedelta(days=rng.randint(0, 360))
    return Day(d, mode or rng.choice(["wd", "date", "both", "both"]), rng.random() < 0.4)


def clock(rng: random.Random) -> tuple[str, Slot]:
    """A time of day: its reference rendering and faithful/wrong renderings."""
    h, m = rng.randint(0, 23), rng.choice([0, 5, 10, 15, 20, 30, 35, 40, 45, 50, 55])

    def r24(h: int, m: int) -> str:
        return f"{h:02d}:{m:02d}"

    def r12(h: int, m: int) -> str:
        suffix = "a.m." if h < 12 else "p.m."
        return f"{(h - 1) % 12 + 1}:{m:02d} {suffix}"

    def r12b(h: int, m: int) -> str:
        suffix = "am" if h < 12 else "pm"
        return f"{(h - 1) % 12 + 1}.{m:02d}{suffix}"

    wrong = [((h + 1) % 24, m), ((h + 12) % 24, m), (h, (m + 20) % 60), ((h + 23) % 24, m)]
    rng.shuffle(wrong)
    out = tuple(seg("at " + r(h, m), date_change=["at " + r(*w) for w in wrong[:3]])
                for r in (r24, r12, r12b))
    return "at " + (r24(h, m) if rng.random() < 0.6 else r12(h, m)), out


def month_slot(month: int, prep: str = "in") -> Slot:
    """A month ('in May') and other months (date_change)."""
    others = [MONTHS[(month + k) % 12] for k in (0, 1, -2, 2)]
    return (seg(f"{prep} {MONTHS[month - 1]}", date_change=[f"{prep} {o}" for o in others]),)


def year_slot(year: int, prep: str = "by") -> Slot:
    """A year ('by 2027') and other years (date_change)."""
    return (seg(f"{prep} {year}", date_change=[f"{prep} {year + k}" for k in (1, 2, -1)]),)


# --------------------------------------------------------------------------------------------
# Participants


@dataclass
class Person:
    """A named participant with a role (title and affiliation)."""

    name: str
    last: str
    female: bool
    pre: str  # prenominal title: "Health Minister", "Norvex chief executive"
    appos: str  # appositive: "the health minister", "Norvex's chief executive"
    role_alts: list[tuple[str, str]] = field(default_factory=list)  # other (pre, appos)

    @property
    def he(self) -> str:
        return "she" if self.female else "he"

    @property
    def his(self) -> str:
        return "her" if self.female else "his"

    def form(self, kind: str, end: bool = False, role: tuple[str, str] | None = None) -> str:
        """The person as ``kind``: name, pre (title before name), appos (name, title) or title."""
        pre, appos = role or (self.pre, self.appos)
        if kind == "name":
            return self.name
        if kind == "pre" and pre:
            return f"{pre} {self.name}"
        if kind == "appos" or (kind == "pre" and self.pre):
            return f"{self.name}, {appos}" + ("" if end else ",")
        if kind == "title":
            return appos
        return self.name

    def ref(self, end: bool = False) -> str:
        """How the reference introduces the person."""
        return self.form("pre" if self.pre else "appos", end)


@dataclass
class Org:
    """An organisation: its name forms, and other organisations it could be confused with."""

    name: str
    short: str  # "the regulator", "the company"
    others: list[str] = field(default_factory=list)  # same-kind organisations (entity_change)


Who = Person | Org


def forms_of(who: Who, kinds: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """(kind, text) renderings of a participant (an appositive keeps its closing comma)."""
    if isinstance(who, Org):
        ks = kinds or ("name", "short")
        return [(k, who.name if k == "name" else who.short) for k in ks]
    ks = kinds or (("name", "pre", "appos", "title") if who.pre else ("name", "appos", "title"))
    return [(k, who.form(k)) for k in ks if k != "pre" or who.pre]


def form_as(who: Who, kind: str) -> str:
    """``who`` rendered as ``kind`` where it has that kind, else by name."""
    if isinstance(who, Org):
        return who.short if kind == "short" else who.name
    return who.form("appos" if kind == "pre" and not who.pre else kind)


def who(who_: Who, *, swap: Sequence[tuple[Who, Sequence[int]]] = (),
        label: str = "actor_swap", kinds: Sequence[str] | None = None,
        change: bool = True) -> Slot:
    """A participant's renderings; alternatives: another participant (``label``) and, when
    ``change``, the same person with another role or another organisation (entity_change).
    ``Story.hyp`` drops an appositive's closing comma where punctuation follows."""
    out = []
    for kind, text in forms_of(who_, kinds):
        swaps = [(form_as(o, kind), tuple(n)) for o, n in swap]
        changes: list[str] = []
        if change and isinstance(who_, Person) and kind in ("pre", "appos"):
            changes = [who_.form(kind, role=r) for r in who_.role_alts[:3]]
        elif change and isinstance(who_, Org) and kind == "name":
            changes = list(who_.others[:3])
        out.append(seg(text, **{label: swaps}, entity_change=changes))
    return tuple(out)


class Ctx:
    """Draws the participants, places and names of one story (no repeats within it)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        c = rng.choice(V.COUNTRIES)
        self.country, self.adj, self.style, self.tstyle, self.cur, regions = c
        self.regions = list(regions)
        rng.shuffle(self.regions)
        self.used: set[str] = set()

    def pick(self, items: Sequence[str]) -> str:
        """An item of ``items`` not yet used in this story (any when all are)."""
        fresh = [i for i in items if i not in self.used]
        out = self.rng.choice(fresh or list(items))
        self.used.add(out)
        return out

    def town(self, style: str | None = None) -> str:
        """An invented town."""
        a, b = V.TOWN_PARTS[style or self.tstyle]
        for _ in range(20):
            name = self.rng.choice(a) + self.rng.choice(b)
            if name not in self.used:
                break
        self.used.add(name)
        return name

    def person(self, pre: str = "", appos: str = "", role_alts: Sequence[tuple[str, str]] = (),
               style: str | None = None, female: bool | None = None) -> Person:
        """An invented person of the story's (or another) naming style."""
        st = style or (self.style if self.rng.random() < 0.75 else self.rng.choice(list(V.NAMES)))
        males, females, lasts = V.NAMES[st]
        fem = self.rng.random() < 0.5 if female is None else female
        first = self.pick(females if fem else males)
        last = self.pick(lasts)
        name = f"{last} {first}" if st in V.EAST_ORDER else f"{first} {last}"
        return Person(name, last, fem, pre, appos, list(role_alts))

    def brand(self) -> str:
        """An invented brand name (its first syllable new to the story)."""
        head = self.pick(V.BRAND_A)
        return head + self.rng.choice(V.BRAND_B)

    def company(self, sector: str) -> tuple[Org, str]:
        """A company of ``sector`` and one of its products."""
        suffixes, noun, products = V.SECTORS[sector]
        name = f"{self.brand()} {self.rng.choice(suffixes)}"
        others = [f"{self.brand()} {self.rng.choice(suffixes)}" for _ in range(2)]
        return Org(name, f"the {noun}", others), self.rng.choice(products)

    def minister(self, portfolio: str | None = None) -> Person:
        """A government minister."""
        port = portfolio or self.pick(V.PORTFOLIOS)
        alts = [p for p in V.PORTFOLIOS if p != port]
        self.rng.shuffle(alts)
        return self.person(f"{port.capitalize()} Minister", f"the {port} minister",
                           [(f"{p.capitalize()} Minister", f"the {p} minister") for p in alts])

    def executive(self, company: str, role: str | None = None) -> Person:
        """A company executive."""
        r = role or self.rng.choice(V.CORP_ROLES[:3])
        alts = [x for x in V.CORP_ROLES if x != r]
        self.rng.shuffle(alts)
        brand = company.split()[0]
        return self.person(f"{brand} {r}", f"{poss(brand)} {r}",
                           [(f"{brand} {x}", f"{poss(brand)} {x}") for x in alts])

    def official(self, title: str, org: str, alt_titles: Sequence[str] = (),
                 alt_orgs: Sequence[str] = ()) -> Person:
        """An official: '<title> of <org>' (e.g. 'a spokesperson for the police')."""
        roles = [("", f"{t} {org}") for t in alt_titles] + [("", f"{title} {o}") for o in alt_orgs]
        return self.person("", f"{title} {org}", roles)

    def outlet(self) -> str:
        """A news outlet."""
        t = self.rng.choice(V.OUTLETS)
        return t.format(t=self.town(), b=self.brand())


# --------------------------------------------------------------------------------------------
# Verb phrases with hedges, negation and conditions


@dataclass(frozen=True, slots=True)
class Cond:
    """A condition clause: present and past (reported speech) forms, and other conditions."""

    now: tuple[str, ...]  # faithful present-tense forms: "if talks fail", "should talks fail"
    past: tuple[str, ...]
    others_now: tuple[str, ...]
    others_past: tuple[str, ...]


def cond(now: Sequence[str], past: Sequence[str], others: Sequence[tuple[str, str]]) -> Cond:
    """A ``Cond`` from faithful forms and (present, past) other conditions."""
    return Cond(tuple(now), tuple(past), tuple(o[0] for o in others), tuple(o[1] for o in others))


MODALS_NOW: dict[str, tuple[str, ...]] = {
    "may": ("may", "could", "might"),
    "will": ("will",),
    "expected": ("is expected to", "is likely to"),
    "plans": ("plans to", "intends to"),
    "would": ("would",),
}
MODALS_PAST: dict[str, tuple[str, ...]] = {
    "may": ("might", "could"),
    "will": ("would",),
    "expected": ("was expected to", "was likely to"),
    "plans": ("planned to",),
    "would": ("would",),
}
_PLURAL = {"is expected to": "are expected to", "is likely to": "are likely to",
           "plans to": "plan to", "intends to": "intend to", "was expected to": "were expected to"}
_NEG = {"may": "may not", "could": "could not", "might": "might not", "will": "will not",
        "would": "would not", "is expected to": "is not expected to",
        "is likely to": "is unlikely to", "plans to": "does not plan to",
        "intends to": "does not intend to", "was expected to": "was not expected to",
        "planned to": "did not plan to", "are expected to": "are not expected to",
        "are likely to": "are unlikely to", "plan to": "do not plan to",
        "intend to": "do not intend to", "were expected to": "were not expected to",
        "was likely to": "was unlikely to"}


def claim(hedge: str, vp: str, *, past: bool = False, plural: bool = False,
          fact: str | None = None, preds: Sequence[str] = (), cnd: Cond | None = None,
          neg: bool = False, drop_cond: bool = True, vps: Sequence[str] = ()) -> Slot:
    """A hedged verb phrase ('may close the plant if talks fail') in its faithful forms, with
    modality_shift, polarity_flip, predicate_change and condition_change alternatives.

    ``vps`` are faithful synonyms of ``vp``; ``fact`` is the plain-fact form of the phrase
    ('closed the plant'); ``preds`` are contrasting actions in base form; ``neg`` says the
    reference negates the phrase."""
    table = MODALS_PAST if past else MODALS_NOW
    hedged = hedge not in ("will", "would")
    modals = [_PLURAL.get(m, m) if plural else m for m in table[hedge]]
    targets = (["would"] if past else ["will"]) if hedged else (
        ["might", "could"] if past else ["may", "could", "might"])
    conds = (cnd.past if past else cnd.now) if cnd else ("",)
    others = (cnd.others_past if past else cnd.others_now) if cnd else ()
    out = []
    for verb in (vp, *vps):
        for m in modals:
            for c in conds:
                tail = f" {c}" if c else ""
                head = _NEG[m] if neg else m
                mod_alts = [] if hedged and verb.startswith("have ") else [
                    f"{_NEG[x] if neg else x} {verb}{tail}" for x in targets]
                if fact and hedged and not neg:
                    mod_alts.append(fact)  # a conditional turned into a plain fact
                pol = [f"{m if neg else _NEG[m]} {verb}{tail}"]
                cond_alts = [f"{head} {verb} {o}" for o in others]
                if c and drop_cond:
                    cond_alts.append(f"{head} {verb}")
                out.append(seg(f"{head} {verb}{tail}", modality_shift=mod_alts, polarity_flip=pol,
                               predicate_change=[f"{head} {p}{tail}" for p in preds],
                               condition_change=cond_alts))
    return tuple(out)


def amap(slot: Slot, fn: Callable[[str], str]) -> Slot:
    """``slot`` with ``fn`` applied to every faithful and drifted text."""
    return tuple(Seg(fn(s.text), {k: tuple((fn(t), n) for t, n in v) for k, v in s.alts.items()})
                 for s in slot)


def with_article(slot: Slot) -> Slot:
    """``slot`` with 'a'/'an' before each text."""
    return amap(slot, lambda t: f"{an(t)} {t}")


def plain(*texts: str) -> Slot:
    """Faithful texts without drifted renderings."""
    return tuple(Seg(t) for t in texts)


FRAMES: list[Callable[[Ctx], Story]] = []


def frame(fn: Callable[[Ctx], Story]) -> Callable[[Ctx], Story]:
    """Register a story frame."""
    FRAMES.append(fn)
    return fn


# --------------------------------------------------------------------------------------------
# Shared template helpers


def quote_ref(c: Ctx, sp: Person, direct: str, tail: str = "") -> str:
    """A reference sentence quoting ``sp`` ('"...," said X.')."""
    if c.rng.random() < 0.5 and not (tail and not sp.pre):
        return f'"{direct}," said {sp.ref(end=True)}{tail}.'
    verb = c.rng.choice(["said", "said", "told reporters"])
    return f'"{direct}," {sp.ref()} {verb}{tail}.'


def add_quote(st: Story, c: Ctx, sp: Person, direct: SlotIn, indirect: SlotIn,
              uses: Sequence[int], others: Sequence[tuple[Who, Sequence[int]]]) -> None:
    """Re-reports of a direct quote: quoted again (another speaker is a quote_misattribution) or
    in indirect speech by the same speaker."""
    r = c.rng
    style = r.randrange(4)
    kinds = ("name", "pre", "appos", "title")
    if style == 0:
        st.hyp('"{q}," {s} said.', uses, q=direct,
               s=who(sp, swap=others, label="quote_misattribution",
                     kinds=("name", "pre", "title")))
    elif style == 1:
        st.hyp('"{q}," said {s}.', uses, q=direct,
               s=who(sp, swap=others, label="quote_misattribution", kinds=kinds))
    elif style == 2:
        st.hyp('{s} {v}: "{q}."', uses, q=direct, v=r.choice(["said", "told reporters"]),
               s=who(sp, swap=others, label="quote_misattribution", kinds=kinds))
    st.hyp("{s} {v} {q}.", uses, q=indirect, v=r.choice(["said", "said", "stated"]),
           s=who(sp, kinds=("name", "pre", "title") if sp.pre else ("name", "title")))


def said_by(st: Story, c: Ctx, clause: SlotIn, sp: Who, uses: Sequence[int],
            others: Sequence[tuple[Who, Sequence[int]]], front: bool | None = None) -> None:
    """A re-report of an attributed statement ('X, police said.' / 'According to police, X.');
    another source is a source_change."""
    r = c.rng
    front = r.random() < 0.4 if front is None else front
    src = who(sp, swap=others, label="source_change", change=False)
    if front:
        st.hyp("according to {s}, {x}.", uses, s=src, x=clause)
    elif r.random() < 0.5:
        st.hyp("{x}, said {s}." if isinstance(sp, Person) else "{x}, {s} said.", uses, s=src,
               x=clause)
    else:
        st.hyp("{x}, according to {s}.", uses, s=src, x=clause)


def as_quote(st: Story, faithful: str, direct: str, speaker: str, uses: Sequence[int]) -> None:
    """A re-report of narration or reported speech; the same given as ``speaker``'s direct words
    is a quote_misattribution."""
    st.hyp("{x}.", uses, x=same_alts([faithful], quote_misattribution=[
        f'"{direct}," {speaker} said', f'"{direct}," said {speaker}']))


def place(town: str, others: Sequence[tuple[str, Sequence[int]]],
          prep: str = "in", region: str | None = None, extra: Sequence[str] = ()) -> Slot:
    """A town ('in Lindenfeld', 'in the town of Lindenfeld') and other places."""
    forms = [f"{prep} {town}"]
    if prep == "in":
        forms.append(f"in the town of {town}")
    if region:
        forms.append(f"{prep} {town}, {region},".rstrip(","))
    alts: list[AltIn] = [(f"{prep} {o}", tuple(n)) for o, n in others]
    alts += [f"{prep} {x}" for x in extra]
    out = []
    for f in forms:
        a = alts
        if region and region in f:
            a = [(t[0] if isinstance(t, tuple) else t) for t in alts]
            a = [f"{x}, {region}" for x in a]
        out.append(seg(f, location_change=a))
    return tuple(out)


def towns_near(c: Ctx, k: int = 2) -> list[str]:
    """``k`` invented towns not mentioned in the story (location_change alternatives)."""
    return [c.town() for _ in range(k)]


# --------------------------------------------------------------------------------------------
# Frames


@frame
def regulator_fine(c: Ctx) -> Story:
    """A regulator fines a company."""
    r = c.rng
    st = Story("regulator_fine")
    (rname, rdesc), *rest = r.sample(V.REGULATORS, 3)
    reg = Org(f"the {c.adj} {rname}", f"the {rdesc}", [f"the {c.adj} {o[0]}" for o in rest])
    co, product = c.company(r.choice(list(V.SECTORS)))
    off_ger, off_past = (x.format(product=product) for x in r.choice(V.OFFENCES))
    amount, day = rand_amount(r), new_day(r)
    assoc = Org(f"the consumer group {c.brand()}", "the consumer group",
                [f"the consumer group {c.brand()}"])
    head = c.person("", f"the head of the {rdesc}",
                    [("", f"the deputy head of the {rdesc}"), ("", f"the legal director of the "
                                                                  f"{rdesc}")])
    boss = c.executive(co.name)
    n_cust = r.choice([r.randint(12, 95) * 100, r.randint(11, 99) * 1000])
    hedge = r.choice(["", "about", "more than"])
    y1 = day.date.year - r.randint(2, 4)
    y2 = y1 + r.randint(1, 2)
    mon = r.randint(1, 12)
    m_ref = ref_money(amount, c.cur)
    s_fine = st.add(r.choice([
        f"{reg.name} fined {co.name} {m_ref} {day.ref()} for {off_ger}.",
        f"{reg.name} {day.ref()}{',' if day.mode == 'both' and not day.uk else ''} fined "
        f"{co.name} {m_ref} for {off_ger}.",
        f"{reg.name} said {day.ref()} it had fined {co.name} {m_ref} for {off_ger}."]))
    s_inv = st.add(f"Its investigation found that {co.name} had {off_past} between {y1} and {y2}, "
                   f"affecting {ref_count(n_cust, hedge)} customers.")
    s_assoc = st.add(f"The case was opened after a complaint by {assoc.name}.")
    reaction = r.choice(["appeal", "no_appeal", "deny"])
    if reaction == "appeal":
        s_react = st.add(f"{boss.ref()} said the company would appeal the decision.")
    elif reaction == "no_appeal":
        s_react = st.add(f"{boss.ref()} said the company would not appeal and had set aside "
                         f"money for refunds.")
    else:
        s_react = st.add(f"{boss.ref()} denied any wrongdoing by the company.")
    direct, indirect = r.choice([
        ("No company is too big to follow the rules",
         "no company was too big to follow the rules"),
        ("Customers must be able to trust what they are told",
         "customers had to be able to trust what they were told"),
        ("This penalty should serve as a warning to the whole sector",
         "the penalty should serve as a warning to the whole sector"),
        ("We will keep a close eye on this market", "the regulator would keep a close eye on the "
                                                    "market")])
    s_quote = st.add(quote_ref(c, head, direct))
    cond_now = [f"if {co.name} compensates affected customers by the end of {MONTHS[mon - 1]}"]
    cond_past = [f"if {co.name} compensated affected customers by the end of {MONTHS[mon - 1]}"]
    s_cond = st.add(f"The fine could be reduced {cond_now[0]}.")

    R = who(reg, swap=[(assoc, [s_assoc])])
    C = who(co)
    M = money(r, amount, c.cur)
    D = day.slot(r)
    fined_p = same_alts(["was fined"], predicate_change=["was ordered to repay", "was sued for"])
    st.hyp(r.choice(["{R} fined {C} {M} {D} for {off}.", "{D}, {R} fined {C} {M} for {off}."]),
           [s_fine], R=R, C=C, M=M, D=D, off=off_ger)
    st.hyp("{C} {fined} {M} by {R} {D} for {off}.", [s_fine], R=R, C=C, M=M, D=D, off=off_ger,
           fined=fined_p)
    st.hyp("{R} {imposed} {M} fine on {C} {D}.", [s_fine], R=R, C=C, D=D,
           M=with_article(money(r, amount, c.cur, adjective=True)),
           imposed=same_alts(["imposed", "slapped"],
                             predicate_change=["proposed", "waived", "overturned"]))
    st.hyp("{C} {fined} {M} for {off}.", [s_fine], C=C, M=M, off=off_ger, fined=fined_p)

    years = seg(f"between {y1} and {y2}", date_change=[f"between {y1 + 1} and {y2 + 1}",
                                                       f"between {y1} and {y2 + 2}"])
    st.hyp("an investigation by {R} found that {C} had {off} {y}.", [s_fine, s_inv],
           R=who(reg, swap=[(assoc, [s_assoc])], label="source_change", change=False), C=C,
           off=off_past, y=years)
    said_by(st, c, (*amap(count(r, n_cust, hedge), lambda t: f"{t} customers were affected"),),
            reg, [s_fine, s_inv], [(assoc, [s_assoc])])
    X = who(boss, swap=[(head, [s_quote])], label="source_change")
    if reaction == "appeal":
        cl = claim("would", "appeal the decision", past=True, vps=["challenge the fine"],
                   preds=["pay the fine", "accept the decision"])
        st.hyp("{X} said the company {cl}.", [s_react], X=X, cl=cl)
        st.hyp("{C}, which was fined {M} by {R} {D}, said it {cl}.", [s_fine, s_react],
               C=C, M=M, R=R, D=D, cl=cl)
    elif reaction == "no_appeal":
        cl = claim("would", "appeal", past=True, neg=True, vps=["challenge the fine"])
        st.hyp("{X} said the company {cl}.", [s_react], X=X, cl=cl)
        st.hyp("{C}, which was fined {M} by {R} {D}, said it {cl}.", [s_fine, s_react],
               C=C, M=M, R=R, D=D, cl=cl)
    else:
        den = same_alts(["denied any wrongdoing by the company",
                         "denied that the company had done anything wrong"],
                        polarity_flip=["admitted wrongdoing by the company",
                                       "admitted that the company had done something wrong"])
        st.hyp("{X} {d}.", [s_react], X=X, d=den)
        st.hyp("{C}, which was fined {M} by {R} {D}, {d}.", [s_fine, s_react],
               C=C, M=M, R=R, D=D, d=den)
    add_quote(st, c, head, direct, indirect, [s_quote], [(boss, [s_react])])
    conds = [(f"if {co.name} drops its appeal", f"if {co.name} dropped its appeal"),
             (f"unless {co.name} compensates affected customers by the end of "
              f"{MONTHS[mon - 1]}", f"unless {co.name} compensated affected customers by the end "
                                    f"of {MONTHS[mon - 1]}"),
             (f"if {co.name} cuts its prices", f"if {co.name} cut its prices")]
    cl2 = claim("may", "be reduced", cnd=cond(cond_now, cond_past, conds), fact="was reduced",
                preds=["be increased", "be suspended"], vps=["be lowered"])
    st.hyp("{s} {cl}.", [s_cond], s=plain("the fine", "the penalty", f"{poss(co.name)} fine"),
           cl=cl2)
    st.hyp("{R} fined {C} {M} after a complaint by {A}.", [s_fine, s_assoc], R=R, C=C, M=M,
           A=who(assoc))
    as_quote(st, f"{reg.name} fined {co.name} {ref_money(amount, c.cur)} for {off_ger}",
             f"We have fined {co.name} {ref_money(amount, c.cur)} for {off_ger}", head.name,
             [s_fine, s_quote])
    st.hyp("{R} fined {C} {M} {D} after an investigation found it had {off} {y}, affecting {N} "
           "customers.", [s_fine, s_inv], R=R, C=C, M=M, D=D, off=off_past, y=years,
           N=count(r, n_cust, hedge))
    return st


@frame
def takeover(c: Ctx) -> Story:
    """A company agrees to buy another."""
    r = c.rng
    sector = r.choice(list(V.SECTORS))
    buyer, _ = c.company(sector)
    target, _ = c.company(sector)
    rival, _ = c.company(sector)
    st = Story("takeover")
    amount, day = rand_amount(r, big=True), new_day(r)
    town = c.town()
    boss = c.executive(buyer.name, "chief executive")
    tboss = c.executive(target.name, "chairman")
    noun = V.SECTORS[sector][1]
    desc = f"{an(town)} {town}-based {noun}"
    who_app, who_app_past = r.choice([("shareholders approve it", "shareholders approved it"),
                                      ("regulators approve it", "regulators approved it"),
                                      ("competition authorities clear it",
                                       "competition authorities cleared it")])
    others = [("unless shareholders approve it", "unless shareholders approved it"),
              ("if unions agree to job cuts", "if unions agreed to job cuts"),
              ("if the government clears it", "if the government cleared it"),
              ("if financing is secured", "if financing was secured")]
    others = [o for o in others if o[0].split()[1] not in who_app][:3]
    mon = r.randint(1, 12)
    n_staff = r.choice([r.randint(12, 95) * 100, r.randint(11, 60) * 1000])
    s_deal = st.add(r.choice([
        f"{buyer.name} agreed {day.ref()} to buy {target.name}, {desc}, for "
        f"{ref_money(amount, c.cur)}.",
        f"{buyer.name} said {day.ref()} it had agreed to buy {target.name}, {desc}, in a deal "
        f"worth {ref_money(amount, c.cur)}."]))
    s_close = st.add(f"The deal is expected to close in {MONTHS[mon - 1]} if {who_app}.")
    s_rival = st.add(f"{rival.name} had also bid for {target.name} but withdrew its offer "
                     f"last month.")
    direct, indirect = r.choice([
        ("This deal gives us the scale to compete globally",
         "the deal gave the company the scale to compete globally"),
        ("We are buying a great business with great people",
         "the company was buying a great business with great people"),
        ("Together we will be stronger in every market we serve",
         "together the two companies would be stronger in every market they served")])
    s_quote = st.add(quote_ref(c, boss, direct, " in a statement"))
    s_board = st.add(f"{tboss.ref()} said the board {r.choice(['backed', 'supported'])} the offer.")
    s_staff = st.add(f"{target.name} employs {ref_count(n_staff, 'about')} people, most of them "
                     f"in {town}.")

    A = who(buyer, swap=[(rival, [s_rival])], kinds=("name",))
    B = who(target, kinds=("name",))
    M = money(r, amount, c.cur)
    D = day.slot(r)
    buy = same_alts(["agreed to buy", "agreed to acquire", "struck a deal to buy"],
                    predicate_change=["completed its takeover of", "made a bid for",
                                      "sold its stake in"])
    st.hyp("{A} {buy} {B} for {M} {D}.", [s_deal], A=A, B=B, M=M, D=D, buy=buy)
    st.hyp("{D}, {A} {buy} {B} in a deal worth {M}.", [s_deal], A=A, B=B, M=M, D=D,
           buy=same_alts(["agreed to buy", "agreed to acquire"],
                         predicate_change=["completed its takeover of", "made a bid for"]))
    st.hyp("{B} {agreed} to be taken over by {A} for {M}.", [s_deal, s_board], A=A, B=B, M=M,
           agreed=same_alts(["has agreed", "agreed"], predicate_change=["refused"]))
    cnd = cond([f"if {who_app}"], [f"if {who_app_past}"], others)
    close = claim("expected", f"close in {MONTHS[mon - 1]}", cnd=cnd, fact="closed",
                  vps=[f"be completed in {MONTHS[mon - 1]}"])
    st.hyp("the deal {cl}.", [s_close], cl=close)
    st.hyp("{A} takeover of {B} {cl}.", [s_deal, s_close], A=amap(A, poss), B=B, cl=close)
    st.hyp("{A} {M} purchase of {B}, agreed {D}, {cl}.", [s_deal, s_close], A=amap(A, poss),
           B=B, D=D,
           M=money(r, amount, c.cur, adjective=True), cl=close)
    add_quote(st, c, boss, direct, indirect, [s_quote], [(tboss, [s_board])])
    st.hyp("{T} said the board {backed} the offer.", [s_board],
           T=who(tboss, swap=[(boss, [s_quote])], label="source_change"), B=poss(target.name),
           backed=same_alts(["backed", "supported"], polarity_flip=["rejected", "opposed"]))
    st.hyp("{R} {withdrew} its offer for {B}.", [s_rival],
           R=who(rival, swap=[(buyer, [s_deal])], kinds=("name",)), B=B,
           withdrew=same_alts(["withdrew", "pulled"], predicate_change=["raised", "renewed"]))
    st.hyp("{B}, which employs {N} people, mostly {P}, {agreed} to a takeover by {A}.",
           [s_deal, s_staff], B=B, A=A, N=count(r, n_staff, "about"),
           P=place(town, [], extra=towns_near(c)),
           agreed=same_alts(["has agreed", "agreed"], predicate_change=["objected"]))
    as_quote(st, f"{tboss.name} said the board backed the offer",
             "The board backs the offer", tboss.name, [s_board])
    st.hyp("{A} {buy} {B} for {M} {D}, and the deal {cl}.", [s_deal, s_close], A=A, B=B, M=M, D=D,
           buy=buy, cl=close)
    return st


@frame
def strike(c: Ctx) -> Story:
    """Workers strike over pay."""
    r = c.rng
    st = Story("strike")
    wk, wk2, suffixes, noun = r.choice(V.UNION_SECTORS)
    union = Org(r.choice([f"the {c.brand().upper()} union", f"the National Union of {wk2}"]),
                "the union", [f"the {c.brand().upper()} union"])
    emp = Org(f"{c.brand()} {r.choice(suffixes)}", f"the {noun}", [f"{c.brand()} {suffixes[0]}"])
    leader = c.person("union leader", "the union leader",
                      [("union treasurer", "the union treasurer")])
    spoke = c.executive(emp.name, "chief operating officer")
    day = new_day(r, r.choice(["wd", "both"]))
    hours = r.choice([24, 48, 72])
    dur = r.choice([f"{hours} hours", f"{words(hours // 24)} days" if hours > 24 else "24 hours"])
    p_ask = r.choice([5, 6, 7, 8, 9, 10, 12, 15])
    p_off = r.choice([1, 1.5, 2, 2.5, 3, 3.5, 4])
    n = r.choice([r.randint(12, 95) * 100, r.randint(11, 40) * 1000, r.randint(15, 95) * 10])
    vote = r.randint(62, 97)
    town = c.town()
    s_call = st.add(r.choice([
        f"{cap(wk)} at {emp.name} will strike for {dur} from {day.ref('')}, {union.name} said.",
        f"{union.name} said {wk} at {emp.name} would strike for {dur} "
        f"from {day.ref('')}."]))
    ask_ref, ask = pct(r, p_ask)
    off_ref, off = pct(r, p_off)
    s_pay = st.add(f"The union is demanding {an(ask_ref)} {ask_ref} pay rise; {emp.name} has "
                   f"offered {off_ref}.")
    cnd_now = "unless the company improves its offer"
    cnd_past = "unless the company improved its offer"
    s_ext = st.add(f"{leader.ref()} said the walkout could be extended {cnd_past}.")
    s_n = st.add(f"About {wire_int(n)} workers are expected to take part, according to the "
                 f"union.")
    s_emp = st.add(f"{spoke.ref()} said the strike would disrupt services in {town} and called "
                   f"it unnecessary.")
    s_vote = st.add(f"{vote}% of members voted in favour of the action in a ballot last month.")

    E = who(emp)
    U = who(union, swap=[(emp, [s_emp])], label="source_change", change=False)
    D = day.slot(r, "from")
    walk = claim("will", "strike", vps=["walk out"], preds=["hold a go-slow", "hold talks"],
                 plural=True)
    DUR = same_alts([f"for {dur}"], number_change=[f"for {x}" for x in
                                                    ("24 hours", "48 hours", "72 hours",
                                                     "a week", "three days", "two days")
                                                    if x != dur and not (dur == "two days" and
                                                                         x == "48 hours")
                                                    and not (dur == "three days" and
                                                             x == "72 hours")])
    W = same_alts([wk], entity_change=r.sample([w[0] for w in V.UNION_SECTORS if w[0] != wk], 3))
    st.hyp("{W} at {E} {walk} {dur} {D}, {U} said.", [s_call], W=W, E=E, walk=walk, dur=DUR,
           D=D, U=U)
    st.hyp("according to {U}, {W} at {E} {walk} {dur} {D}.", [s_call], W=W, E=E, walk=walk,
           dur=DUR, D=D, U=U)
    st.hyp("{W} at {E} {walk} {D} after rejecting a pay offer of {off}.", [s_call, s_pay], W=W,
           E=E, walk=walk, D=D, off=off)
    st.hyp("the union wants a pay rise of {ask}, while {E} has offered {off}.", [s_pay],
           ask=ask, off=off, E=E)
    st.hyp("{E} has offered {off}, far short of the {ask} demanded by the union.", [s_pay],
           ask=ask, off=off, E=E)
    ext_cnd = cond([cnd_now], [cnd_past],
                   [("if the government intervenes", "if the government intervened"),
                    ("unless the company withdraws its job cuts",
                     "unless the company withdrew its job cuts"),
                    ("if the company improves its offer", "if the company improved its offer")])
    L = who(leader, swap=[(spoke, [s_emp])], label="source_change")
    st.hyp("{L} said the walkout {cl}.", [s_ext], L=L,
           cl=claim("may", "be extended", past=True, cnd=ext_cnd, fact="had been extended",
                    preds=["be called off", "be suspended"], vps=["be prolonged"]))
    st.hyp("the strike {cl}, warned {L}.", [s_ext], L=who(leader, swap=[(spoke,
                                                                                    [s_emp])],
                                                           label="source_change"),
           cl=claim("may", "be extended", past=True, cnd=ext_cnd, fact="had been extended",
                    preds=["be called off"]))
    st.hyp("{N} workers {join}, the union said.", [s_n], N=count(r, n, "about"),
           join=claim("expected", "take part", plural=True, vps=["join the strike"],
                      preds=["be laid off"]))
    said_by(st, c, (*amap(count(r, n, "about"), lambda t: f"{t} workers are expected to strike"),),
            Org("the union", "the union"), [s_n], [(emp, [s_emp])])
    st.hyp("{S} said the strike would disrupt services {P}.", [s_emp],
           S=who(spoke, swap=[(leader, [s_ext])], label="source_change"),
           P=place(town, [], extra=towns_near(c)))
    _, vt = pct(r, vote)
    st.hyp("{v} of members {backed} the strike in a ballot last month.", [s_vote], v=vt,
           backed=same_alts(["backed", "voted for"], polarity_flip=["rejected", "voted against"]))
    direct, indirect = r.choice([
        ("We have been left with no choice", "the union had been left with no choice"),
        ("Our members are exhausted and underpaid", "its members were exhausted and underpaid"),
        ("Nobody wants this strike, but the offer is an insult",
         "nobody wanted the strike but the offer was an insult")])
    s_q = st.add(quote_ref(c, leader, direct))
    add_quote(st, c, leader, direct, indirect, [s_q], [(spoke, [s_emp])])
    as_quote(st, f"{leader.name} said the walkout could be extended {cnd_past}",
             f"The walkout could be extended {cnd_now}", leader.name, [s_ext])
    st.hyp("{W} at {E} {walk} {dur} {D} after rejecting a pay offer of {off}, and {L} said the "
           "action {cl}.", [s_call, s_pay, s_ext], W=W, E=E, walk=walk, dur=DUR, D=D, off=off,
           L=who(leader, kinds=("name", "pre")),
           cl=claim("may", "be extended", past=True, cnd=ext_cnd, fact="had been extended"))
    return st


@frame
def transport_accident(c: Ctx) -> Story:
    """A bus, train or ferry accident with dead and injured."""
    r = c.rng
    st = Story("transport_accident")
    vehicle, events, pred_alts = r.choice([
        ("bus", ["overturned", "plunged into a ravine", "collided with a lorry"],
         ["broke down", "was hijacked"]),
        ("passenger train", ["derailed", "collided with a freight train", "came off the tracks"],
         ["broke down", "caught fire"]),
        ("ferry", ["capsized", "ran aground", "sank"], ["broke down", "caught fire"]),
        ("minibus", ["overturned", "collided with a truck", "fell into a river"],
         ["broke down", "was hijacked"])])
    event = r.choice(events)
    dead, inj = r.randint(3, 40), r.randint(5, 90)
    pax = dead + inj + r.randint(5, 60)
    t_from, t_to, town = c.town(), c.town(), c.town()
    region = c.regions[0]
    day = new_day(r)
    time_ref, time_slot = clock(r)
    police = Org(f"{town} police" if r.random() < 0.5 else "police", "police")
    hosp = Org(f"{town} General Hospital", "the hospital")
    minister = c.minister("transport")
    operator, _ = c.company("logistics")
    n_serious = r.randint(2, min(inj, 12))
    s_main = st.add(r.choice([
        f"At least {wire_int(dead)} people were killed and {wire_int(inj)} injured when a "
        f"{vehicle} {event} near {town} in {region} {day.ref()}, {police.name} said.",
        f"A {vehicle} {event} near {town} in {region} {day.ref()}, killing at least "
        f"{wire_int(dead)} people and injuring {wire_int(inj)}, {police.name} said."]))
    s_route = st.add(f"The {vehicle}, operated by {operator.name}, was travelling from {t_from} "
                     f"to {t_to} with {wire_int(pax)} passengers on board.")
    s_time = st.add(f"The accident happened {time_ref}.")
    ruled = r.random() < 0.5
    s_cause = st.add(f"Police said they had {'not ' if not ruled else ''}ruled out a technical "
                     f"fault.")
    s_hosp = st.add(f"{cap(words(n_serious)) if n_serious < 10 else n_serious} of the injured "
                    f"were in a serious condition, according to {hosp.name}.")
    s_inq = st.add(f"{minister.ref()} ordered an inquiry into the crash.")

    dead_s = count(r, dead, "at least")
    inj_s = count(r, inj)
    P = place(town, [(t_from, [s_route]), (t_to, [s_route])], "near", extra=towns_near(c, 1))
    D = day.slot(r)
    EV = same_alts([event], predicate_change=pred_alts)
    st.hyp("{dead} people were killed and {inj} injured when a {v} {ev} {P} {D}.", [s_main],
           dead=dead_s, inj=inj_s, v=vehicle, ev=EV, P=P, D=D)
    st.hyp("a {v} {ev} {P} {D}, killing {dead} people and injuring {inj}.", [s_main],
           dead=dead_s, inj=inj_s, v=vehicle, ev=EV, P=P, D=D)
    st.hyp("{D}, a {v} crash {P} left {dead} people dead and {inj} injured.", [s_main],
           dead=dead_s, inj=inj_s, v=vehicle, P=P, D=D)
    said_by(st, c, (*amap(dead_s, lambda t: f"{t} people died when a {vehicle} {event} near "
                                            f"{town}"),), police, [s_main],
            [(hosp, [s_hosp])])
    route = same_alts([f"from {t_from} to {t_to}"], location_change=[
        f"from {t_to} to {t_from}", f"from {t_from} to {town}", f"from {c.town()} to {t_to}"])
    st.hyp("the {v}, run by {O}, was travelling {route} with {pax} passengers.", [s_route],
           v=vehicle, O=who(operator), route=route, pax=count(r, pax))
    st.hyp("the {v}, which was carrying {pax} passengers {route}, {ev} {T}.", [s_route, s_time],
           v=vehicle, pax=count(r, pax), route=route, ev=EV, T=time_slot)
    st.hyp("the {v} {ev} {P} {T} {D}.", [s_main, s_time], v=vehicle, ev=EV, P=P, T=time_slot,
           D=D)
    ruled_s = same_alts(["have ruled out" if ruled else "have not ruled out"],
                        polarity_flip=["have not ruled out" if ruled else "have ruled out"])
    st.hyp("police {ru} a technical fault.", [s_cause], ru=ruled_s)
    if not ruled:
        st.hyp("police said a technical fault {cl}.", [s_cause],
               cl=same_alts(["could not be ruled out", "had not been ruled out"],
                            polarity_flip=["had been ruled out"],
                            modality_shift=["was the cause"]))
    said_by(st, c, (*amap(count(r, n_serious), lambda t: f"{t} of the injured are in a serious "
                                                         f"condition"),), hosp, [s_hosp],
            [(police, [s_main])])
    M = who(minister, swap=[(operator, [s_route])])
    st.hyp("{M} {ordered} an inquiry into the crash.", [s_inq], M=M,
           ordered=same_alts(["ordered", "has ordered"],
                             predicate_change=["called for", "ruled out", "closed"]))
    st.hyp("an inquiry into the crash has been ordered by {M}.", [s_inq],
           M=who(minister, swap=[(operator, [s_route])]))
    boss = c.executive(operator.name, "chief executive")
    direct, indirect = r.choice([
        ("Our thoughts are with the victims and their families",
         "the company's thoughts were with the victims and their families"),
        ("We will cooperate fully with the investigation",
         "the company would cooperate fully with the investigation")])
    s_q = st.add(quote_ref(c, boss, direct))
    add_quote(st, c, boss, direct, indirect, [s_q], [(minister, [s_inq])])
    as_quote(st, f"{minister.name} has ordered an inquiry into the crash",
             "I have ordered an inquiry into the crash", minister.name, [s_inq])
    st.hyp("{dead} people were killed and {inj} injured when a {v} travelling {route} with {pax} "
           "passengers {ev} {P} {T} {D}.", [s_main, s_route, s_time], dead=dead_s, inj=inj_s,
           v=vehicle, route=route, pax=count(r, pax), ev=EV, P=P, T=time_slot, D=D)
    return st


def other_country(c: Ctx) -> tuple[str, str, str]:
    """Another country than the story's: (name, adjective, naming style)."""
    while True:
        o = c.rng.choice(V.COUNTRIES)
        if o[0] != c.country:
            return o[0], o[1], o[2]


NO_DEATHS = same_alts(["no deaths have been reported", "no one has been reported dead"],
                      polarity_flip=["deaths have been reported", "several deaths have been "
                                                                  "reported"])


@frame
def flood_evacuation(c: Ctx) -> Story:
    """A river floods and residents are evacuated."""
    r = c.rng
    st = Story("flood_evacuation")
    town, town2, town3 = c.town(), c.town(), c.town()
    region = c.regions[0]
    river = f"the {c.brand()} River"
    n = r.choice([r.randint(12, 95) * 100, r.randint(11, 60) * 1000, r.randint(15, 95) * 10])
    hedge = r.choice(["", "about", "more than"])
    days = r.randint(2, 6)
    day = new_day(r)
    agency = Org("the civil protection agency", "civil protection officials",
                 ["the fire service", "the army"])
    weather = Org("the national weather service", "the weather service",
                  ["the national meteorological office"])
    mm = r.choice([80, 100, 120, 150, 200, 250, 300])
    wd2 = WEEKDAYS[(day.date.weekday() + 2) % 7]
    gov = c.person("Governor", f"the governor of {region}",
                   [("Deputy Governor", f"the deputy governor of {region}"),
                    ("", f"the mayor of {town}")])
    mayor = c.person(f"{town} Mayor", f"the mayor of {town}",
                     [(f"{town2} Mayor", f"the mayor of {town2}"),
                      (f"{town} Deputy Mayor", f"the deputy mayor of {town}")])
    level = r.choice([3, 4, 5, 6])
    hurt = r.randint(2, 30)
    troops = r.randint(2, 9) * 100
    s_evac = st.add(f"{agency.name} ordered the evacuation of {ref_count(n, hedge)} residents "
                    f"from {town} and {town2} {day.ref()} after {river} burst its banks "
                    f"following {words(days)} days of heavy rain.")
    s_rain = st.add(f"{weather.name} said up to {mm} millimetres of rain could fall by {wd2}.")
    s_back = st.add(f"{mayor.ref()} said residents would be allowed to return only if water "
                    f"levels fell below {words(level)} metres.")
    s_hurt = st.add(f"{cap(wire_int(hurt))} people were treated for minor injuries but no "
                    f"deaths have been reported, according to {agency.name}.")
    s_emerg = st.add(f"{gov.ref()} declared a state of emergency in {region}.")
    s_army = st.add(f"About {troops} soldiers have been sent to {town3} to reinforce flood "
                    f"defences.")

    A = who(agency, swap=[(weather, [s_rain])])
    N = count(r, n, hedge)
    D = day.slot(r)
    T = same_alts([f"{town} and {town2}", f"{town2} and {town}"],
                  location_change=[(f"{town} and {town3}", (s_army,)),
                                   (f"{town3} and {town2}", (s_army,)),
                                   f"{town} and {c.town()}"])
    ordered = same_alts(["ordered"], predicate_change=["recommended", "called off", "postponed"])
    st.hyp("{A} {o} the evacuation of {N} residents from {T} {D}.", [s_evac], A=A, o=ordered,
           N=N, T=T, D=D)
    st.hyp("{N} residents of {T} were {o} to leave their homes {D} after {R} burst its banks.",
           [s_evac], N=N, T=T, D=D, R=river,
           o=same_alts(["ordered"], predicate_change=["allowed", "advised"]))
    st.hyp("{D}, {A} {o} the evacuation of {T} after {k} days of heavy rain.", [s_evac], A=A,
           o=ordered, T=T, D=D, k=count(r, days))
    W = who(weather, swap=[(agency, [s_evac])], label="source_change", change=False)
    mm_s = tuple(seg(f.format(mm), number_change=[f.format(x) for x in (mm + 50, mm * 2, mm - 30)])
                 for f in ("{} millimetres", "{} mm", "{}mm"))
    fall = claim("may", "fall", fact="fell", neg=False)
    st.hyp("up to {mm} of rain {f} by {wd}, {W} said.", [s_rain], mm=mm_s, f=fall, W=W,
           wd=same_alts([wd2], date_change=[WEEKDAYS[(day.date.weekday() + k) % 7]
                                            for k in (1, 3, 4)]))
    st.hyp("{W} warned that up to {mm} of rain {f} by {wd}.", [s_rain], mm=mm_s, f=fall, W=W,
           wd=wd2)
    back = cond([f"only if water levels fall below {words(level)} metres"],
                [f"only if water levels fell below {words(level)} metres"],
                [("once the rain stops", "once the rain stopped"),
                 ("only after the army has inspected the dykes",
                  "only after the army had inspected the dykes"),
                 (f"only if water levels rise above {words(level)} metres",
                  f"only if water levels rose above {words(level)} metres")])
    Mm = who(mayor, swap=[(gov, [s_emerg])], label="source_change")
    st.hyp("{M} said residents {cl}.", [s_back], M=Mm,
           cl=claim("would", "be allowed to return", past=True, cnd=back,
                    vps=["be able to go home"]))
    st.hyp("residents {cl} only if water levels fell below {lv}, {M} said.", [s_back],
           M=who(mayor, kinds=("name", "pre", "title")),
           cl=same_alts(["would be allowed to return", "could return home"],
                        polarity_flip=["would not be allowed to return"]),
           lv=same_alts([f"{words(level)} metres", f"{level} metres"],
                        number_change=[f"{words(level + 1)} metres",
                                       f"{words(level - 1)} metres"]))
    st.hyp("{k} people were treated for minor injuries and {nd}, {A} said.", [s_hurt],
           k=count(r, hurt), nd=NO_DEATHS,
           A=who(agency, swap=[(weather, [s_rain])], label="source_change", change=False))
    G = who(gov, swap=[(mayor, [s_back])])
    emerg = same_alts(["declared a state of emergency", "declared an emergency"],
                      predicate_change=["lifted the state of emergency",
                                        "refused to declare a state of emergency"])
    st.hyp("{G} {e} {P}.", [s_emerg], G=G, e=emerg,
           P=same_alts([f"in {region}", f"across {region}"],
                       location_change=[f"in {x}" for x in c.regions[1:3]]))
    st.hyp("{G} {e} after {R} flooded {T}.", [s_evac, s_emerg], G=G, e=emerg, R=river, T=T)
    st.hyp("{N} soldiers have been sent {P} to shore up flood defences.", [s_army],
           N=count(r, troops, "about"),
           P=same_alts([f"to {town3}"], location_change=[(f"to {town}", (s_evac,)),
                                                        (f"to {town2}", (s_evac,))]))
    direct, indirect = r.choice([
        ("The water is still rising in some streets", "the water was still rising in some streets"),
        ("We have never seen anything like this", "the town had never seen anything like it"),
        ("Please do not try to go back to your homes",
         "residents should not try to go back to their homes")])
    s_q = st.add(quote_ref(c, mayor, direct))
    add_quote(st, c, mayor, direct, indirect, [s_q], [(gov, [s_emerg])])
    as_quote(st, f"{mayor.name} said residents would be allowed to return only if water levels "
                 f"fell below {words(level)} metres",
             f"Residents will be allowed to return only if water levels fall below "
             f"{words(level)} metres", mayor.name, [s_back])
    st.hyp("{N} residents of {T} were ordered to leave their homes {D} after {R} burst its banks, "
           "and {G} {e} {P}.", [s_evac, s_emerg], N=N, T=T, D=D, R=river, G=G, e=emerg,
           P=same_alts([f"in {region}"], location_change=[f"in {x}" for x in c.regions[1:3]]))
    return st


@frame
def court_sentence(c: Ctx) -> Story:
    """A court convicts and sentences a defendant."""
    r = c.rng
    st = Story("court_sentence")
    town = c.town()
    co, _ = c.company(r.choice(list(V.SECTORS)))
    kind = r.randrange(3)
    if kind == 0:
        dfd = c.person(f"former {town} mayor", f"a former mayor of {town}",
                       [(f"former {town} police chief", f"a former police chief of {town}")])
    elif kind == 1:
        dfd = c.person("businessman" if r.random() < 0.5 else "", "a businessman",
                       [("banker", "a banker")])
        dfd.pre = "businessman" if not dfd.female else "businesswoman"
        dfd.appos = "a businessman" if not dfd.female else "a businesswoman"
    else:
        brand = co.name.split()[0]
        dfd = c.person(f"{brand} founder", f"the founder of {brand}",
                       [(f"{brand} co-founder", f"a co-founder of {brand}")])
    crimes = r.sample(["fraud", "bribery", "money laundering", "embezzlement", "tax evasion",
                       "abuse of office", "forgery"], 3)
    years = r.randint(2, 12)
    sought = years + r.randint(2, 6)
    day = new_day(r)
    lawyer = c.person("", f"{poss(dfd.last)} lawyer", [("", "the prosecutor in the case")])
    judge = c.person("Judge", "the presiding judge", [("", "the chief prosecutor")])
    repay = rand_amount(r)
    months = r.choice([6, 12, 18, 24])
    s_sent = st.add(f"A court in {town} {day.ref()} sentenced {dfd.ref()} to {wire_int(years)} "
                    f"years in prison for {crimes[0]}.")
    s_guilty = st.add(f"{dfd.last} was also found guilty of {crimes[1]} but acquitted of "
                      f"{crimes[2]}.")
    s_sought = st.add(f"Prosecutors had sought {an(str(sought))} {sought}-year sentence.")
    appeal = r.random() < 0.6
    if appeal:
        s_law = st.add(f"{lawyer.ref()} said {lawyer.his} client would appeal.")
    else:
        s_law = st.add(f"{lawyer.ref()} said {lawyer.his} client would not appeal the verdict.")
    s_cond = st.add(f"{judge.ref()} said the sentence could be reduced if {dfd.last} repaid "
                    f"{ref_money(repay, c.cur)} within {wire_int(months)} months.")
    s_deny = st.add(f"{dfd.last} has denied all the charges.")

    Dn = who(dfd, kinds=("name", "pre", "appos"))
    Dend = who(dfd, kinds=("name", "pre", "appos"))
    Y = amap(count(r, years), lambda t: f"{t} years")
    Y = tuple(Seg(s.text, {**s.alts, "number_change": (*s.alts["number_change"],
                                                       (f"{wire_int(sought)} years",
                                                        (s_sought,)))}) for s in Y)
    P = place(town, [], extra=towns_near(c))
    D = day.slot(r)
    st.hyp("a court {P} {sentenced} {Dn} to {Y} in prison {D} for {cr}.", [s_sent],
           P=P, Dn=Dend, Y=Y, D=D, cr=crimes[0], sentenced="sentenced")
    st.hyp("a court {P} {D} jailed {Dn} for {Y} for {cr}.", [s_sent], P=P, Dn=Dend, Y=Y, D=D,
           cr=crimes[0])
    st.hyp("{Dn} {conv} {cr} and sentenced to {Y} in prison {D}.", [s_sent], Dn=Dn, Y=Y, D=D,
           cr=crimes[0], conv=same_alts(["was convicted of", "was found guilty of"],
                                        predicate_change=["was charged with",
                                                          "was investigated for"]))
    st.hyp("{Dn} was sentenced to {Y} in prison {D} for {cr}.", [s_sent], Dn=Dn, Y=Y, D=D,
           cr=crimes[0])
    st.hyp("{Dn} {g} {c2} {a} {c3}.", [s_guilty], Dn=dfd.last, c2=crimes[1],
           c3=crimes[2],
           g=same_alts(["was also found guilty of", "was also convicted of"],
                       polarity_flip=["was also acquitted of", "was also cleared of"]),
           a=same_alts(["but acquitted of", "but cleared of"],
                       polarity_flip=["and convicted of", "and found guilty of"]))
    st.hyp("the court acquitted {Dn} of {c3}.", [s_sent, s_guilty], Dn=Dend, c3=crimes[2])
    st.hyp("prosecutors had asked for {Y} in prison.", [s_sought],
           Y=amap(count(r, sought), lambda t: f"{t} years"))
    L = who(lawyer, swap=[(judge, [s_cond])], label="source_change")
    st.hyp("{L} said {Dn} {cl}.", [s_law], L=L, Dn=dfd.last,
           cl=claim("would", "appeal" if appeal else "appeal the verdict", past=True,
                    neg=not appeal, preds=["accept the verdict"] if appeal else []))
    cnd = cond([f"if {dfd.last} repays {ref_money(repay, c.cur)} within {wire_int(months)} months"],
               [f"if {dfd.last} repaid {ref_money(repay, c.cur)} within {wire_int(months)} months"],
               [(f"if {dfd.last} admits the charges", f"if {dfd.last} admitted the charges"),
                (f"unless {dfd.last} repays {ref_money(repay, c.cur)}",
                 f"unless {dfd.last} repaid {ref_money(repay, c.cur)}"),
                (f"if {dfd.last} drops the appeal", f"if {dfd.last} dropped the appeal")])
    J = who(judge, swap=[(lawyer, [s_law])], label="source_change")
    st.hyp("{J} said the sentence {cl}.", [s_cond], J=J,
           cl=claim("may", "be reduced", past=True, cnd=cnd, fact="had been reduced",
                    preds=["be increased", "be overturned"], vps=["be shortened"]))
    st.hyp("the sentence {cl} {M} within {mo}, {J} said.", [s_cond],
           J=who(judge, kinds=("name", "pre", "title")),
           cl=same_alts([f"could be reduced if {dfd.last} repaid"],
                        modality_shift=[f"would be reduced if {dfd.last} repaid"]),
           M=money(r, repay, c.cur),
           mo=same_alts([f"{months} months"], number_change=[f"{months + 6} months",
                                                              f"{months // 2} months"]))
    den = same_alts(["has denied all the charges", "denies the charges"],
                    polarity_flip=["has admitted all the charges", "admits the charges"])
    st.hyp("{Dn}, who was sentenced to {Y} in prison, {d}.", [s_sent, s_deny], Dn=Dn, d=den,
           Y=Y)
    st.hyp("{Dn}, who {d}, was sentenced to {Y} in prison for {cr}.", [s_sent, s_deny],
           Dn=Dn, Y=Y, cr=crimes[0],
           d=same_alts(["has denied the charges", "denies the charges"],
                       polarity_flip=["has admitted the charges", "admits the charges"]))
    direct, indirect = r.choice([
        ("This verdict is a political one", "the verdict was a political one"),
        ("My client has been punished for doing his job",
         f"{lawyer.his} client had been punished for doing {dfd.his} job"),
        ("The court ignored the evidence", "the court had ignored the evidence")])
    direct = direct.replace("his job", f"{dfd.his} job")
    s_q = st.add(quote_ref(c, lawyer, direct, " outside the court"))
    add_quote(st, c, lawyer, direct, indirect, [s_q], [(judge, [s_cond])])
    st.hyp("{Dn}, who {d}, was sentenced {D} by a court {P} to {Y} in prison for {cr}, although "
           "prosecutors had sought {Y2}.", [s_sent, s_sought, s_deny], Dn=Dn, D=D, P=P, Y=Y,
           cr=crimes[0], Y2=amap(count(r, sought), lambda t: f"{t} years"),
           d=same_alts(["has denied the charges", "denies the charges"],
                       polarity_flip=["has admitted the charges", "admits the charges"]))
    return st


@frame
def arrest_extradition(c: Ctx) -> Story:
    """Police arrest suspects; another country seeks an extradition."""
    r = c.rng
    st = Story("arrest_extradition")
    c2, adj2, style2 = other_country(c)
    c3 = other_country(c)[0]
    while c3 == c2:
        c3 = other_country(c)[0]
    age = r.randint(24, 67)
    sus = c.person("", f"a {age}-year-old {adj2} national",
                   [("", f"a {age}-year-old {c.adj} national")], style=style2)
    crime = r.choice(["drug trafficking", "money laundering", "fraud", "people smuggling",
                      "running an online scam", "arms trafficking"])
    town = c.town()
    n = r.randint(3, 14)
    day = new_day(r)
    police = Org(f"police in {town}", "police")
    agency = Org(r.choice(["the national anti-fraud office", "the customs service",
                           "the organised crime unit"]), "investigators")
    lawyer = c.person("", f"{poss(sus.last)} lawyer", [("", "a prosecutor")])
    months = r.randint(4, 30)
    s_arr = st.add(f"Police in {town} arrested {words(n) if n < 10 else n} people {day.ref()}, "
                   f"including {sus.name}, {sus.appos}, on suspicion of {crime}.")
    s_chg = st.add(f"{sus.last} was charged with {crime} and remanded in custody.")
    s_ext = st.add(f"{c2} has requested {poss(sus.last)} extradition, the {c.adj} justice "
                   f"ministry said.")
    s_law = st.add(f"{lawyer.ref()} said {lawyer.his} client denied the allegations.")
    s_inv = st.add(f"The arrests followed a {months}-month investigation by {agency.name}.")
    s_conf = st.add("Police declined to confirm the identities of the other suspects.")

    S = who(sus, kinds=("name", "appos"))
    Pl = place(town, [], extra=towns_near(c))
    D = day.slot(r)
    N = count(r, n)
    arrested = same_alts(["arrested", "detained"],
                         predicate_change=["questioned", "released", "charged"])
    st.hyp("police {a} {N} people {P} {D} on suspicion of {cr}.", [s_arr], a=arrested, N=N,
           P=Pl, D=D, cr=crime)
    st.hyp("{S} was {a} {P} {D} on suspicion of {cr}.", [s_arr], S=S, P=Pl, D=D, cr=crime,
           a=same_alts(["arrested", "detained"], predicate_change=["released", "questioned"]))
    st.hyp("{N} people were {a} {D} in a police operation {P}.", [s_arr], N=N, D=D, P=Pl,
           a=same_alts(["arrested", "detained"], predicate_change=["questioned", "released"]))
    chg = same_alts(["was charged with", "has been charged with"],
                    predicate_change=["was convicted of", "was questioned about"],
                    polarity_flip=["was cleared of"])
    st.hyp("{S} {c} {cr} and remanded in custody.", [s_arr, s_chg], S=S, c=chg, cr=crime)
    st.hyp("{S}, who was arrested {D} {P}, {c} {cr}.", [s_arr, s_chg], S=S, D=D, P=Pl,
           c=chg, cr=crime)
    req = same_alts(["has requested", "has asked for"],
                    predicate_change=["has approved", "has blocked"],
                    polarity_flip=["has opposed"])
    C2 = same_alts([c2], location_change=[c3, c.country])
    said_by(st, c, (*amap(req, lambda t: f"{c2} {t} {poss(sus.last)} extradition"),), Org(
        f"the {c.adj} justice ministry", "the justice ministry"), [s_ext],
        [(police, [s_arr])])
    st.hyp("{C} {q} the extradition of {S}.", [s_arr, s_ext], C=C2, q=req, S=S)
    st.hyp("{L} said {S} {d} the allegations.", [s_law],
           L=who(lawyer, swap=[(police, [s_arr])], label="source_change"), S=sus.last,
           d=same_alts(["denied", "rejected"], polarity_flip=["admitted", "accepted"]))
    st.hyp("the arrests came after a {m} investigation by {A}.", [s_inv],
           m=same_alts([f"{months}-month"], number_change=[f"{months + 6}-month",
                                                            f"{months + 12}-month"]),
           A=who(agency, swap=[(police, [s_arr])], change=False))
    st.hyp("police {d} the identities of the other suspects.", [s_conf],
           d=same_alts(["declined to confirm", "would not confirm", "refused to confirm"],
                       polarity_flip=["confirmed", "released"]))
    chief = c.person(f"{town} police chief", f"the {town} police chief",
                     [(f"{town} deputy police chief", f"the {town} deputy police chief")])
    direct, indirect = r.choice([
        ("This was a highly organised network", "it had been a highly organised network"),
        ("More arrests are likely in the coming days",
         "more arrests were likely in the coming days"),
        ("We have dismantled one of the largest groups in the region",
         "police had dismantled one of the largest groups in the region")])
    s_q = st.add(quote_ref(c, chief, direct))
    add_quote(st, c, chief, direct, indirect, [s_q], [(lawyer, [s_law])])
    as_quote(st, f"{c2} has requested the extradition of {sus.name}, the {c.adj} justice ministry "
                 f"said", f"{c2} has requested the extradition of {sus.name}",
             f"{chief.name}", [s_arr, s_ext])
    st.hyp("{S} was among {N} people arrested {P} {D} on suspicion of {cr}, and {C} {q} "
           "{h} extradition.", [s_arr, s_ext], S=S, N=N, P=Pl, D=D, cr=crime, C=C2, q=req,
           h=sus.his)
    return st


@frame
def parliament_bill(c: Ctx) -> Story:
    """Parliament passes a bill."""
    r = c.rng
    st = Story("parliament_bill")
    k = r.choice([4, 6, 8, 10, 12])
    age = r.choice([16, 17])
    measure, benef = r.choice([
        ("ban smoking on beaches", "smokers"),
        (f"lower the voting age to {age}", "young voters"),
        ("require large companies to publish their gender pay gaps", "workers"),
        ("allow shops to open on Sundays", "shop workers"),
        ("tighten rules on short-term holiday rentals", "households"),
        (f"extend paid paternity leave to {words(k)} weeks", "new fathers"),
        ("cap rent increases for three years", "tenants"),
        ("make voting compulsory", "voters")])
    yes = r.randint(150, 300)
    no = r.randint(60, yes - 20)
    day = new_day(r)
    party, party2 = r.sample(V.PARTIES, 2)
    minister = c.minister()
    opp = c.person("", f"the leader of the {party}", [("", f"the leader of the {party2}")])
    mon = r.randint(1, 12)
    n = r.choice([r.randint(11, 99) * 10_000, r.randint(2, 9) * 100_000,
                  r.randint(11, 40) * 100_000])
    when_cond_now, when_cond_past = r.choice([
        ("if it is signed by the president", "if it was signed by the president"),
        ("if the senate also approves it", "if the senate also approved it")])
    parl = f"{poss(c.country)} parliament"
    s_vote = st.add(f"{parl} {day.ref()} approved a bill that would {measure}, by {yes} votes "
                    f"to {no}.")
    s_eff = st.add(f"The law will take effect in {MONTHS[mon - 1]} {when_cond_now}.")
    s_prop = st.add(f"The bill was proposed by {minister.ref()} and opposed by the {party}.")
    s_opp = st.add(f"{opp.ref()} said the party would challenge the law in the constitutional "
                   f"court.")
    s_est = st.add(f"About {wire_int(n)} {benef} could be affected, according to government "
                   f"estimates.")

    Pa = same_alts([parl, "lawmakers", f"{c.adj} lawmakers"],
                   actor_swap=[("the " + party, (s_prop,)), ("the senate", ())])
    appr = same_alts(["approved", "passed", "voted through"],
                     polarity_flip=["rejected", "voted down"],
                     predicate_change=["debated", "amended", "delayed"])
    D = day.slot(r)
    st.hyp("{Pa} {a} a bill to {m} {D}.", [s_vote], Pa=Pa, a=appr, m=measure, D=D)
    st.hyp("{D}, {Pa} {a} a bill that would {m}.", [s_vote], Pa=Pa, a=appr, m=measure, D=D)
    st.hyp("a bill to {m} was {a} by {y} votes to {nn}.", [s_vote], m=measure,
           a=same_alts(["approved", "passed"], polarity_flip=["rejected", "defeated"]),
           y=count(r, yes), nn=count(r, no))
    cnd = cond([when_cond_now], [when_cond_past],
               [("if it is approved in a referendum", "if it was approved in a referendum"),
                ("if the constitutional court clears it",
                 "if the constitutional court cleared it"),
                ("unless the president vetoes it", "unless the president vetoed it")
                if "senate" in when_cond_now else
                ("if the senate also approves it", "if the senate also approved it")])
    st.hyp("the law {cl}.", [s_eff],
           cl=claim("will", f"take effect in {MONTHS[mon - 1]}", cnd=cnd,
                    vps=[f"come into force in {MONTHS[mon - 1]}"],
                    preds=[f"be reviewed in {MONTHS[mon - 1]}"]))
    st.hyp("the law will take effect {M}, {c}.", [s_eff], M=month_slot(mon), c=when_cond_now)
    Mi = who(minister, swap=[(opp, [s_opp])])
    st.hyp("{Mi} {p} the bill, which the {pa} opposed.", [s_prop], Mi=Mi, pa=party,
           p=same_alts(["proposed", "drafted"], predicate_change=["withdrew", "vetoed"]))
    st.hyp("the bill, proposed by {Mi}, was {o} by the {pa}.", [s_prop],
           Mi=who(minister, swap=[(opp, [s_opp])], kinds=("name", "pre", "title")),
           o=same_alts(["opposed"], polarity_flip=["backed", "supported"]),
           pa=same_alts([party], entity_change=[party2, r.choice(V.PARTIES)]))
    Op = who(opp, swap=[(minister, [s_prop])], label="source_change")
    st.hyp("{O} said the party {cl}.", [s_opp], O=Op,
           cl=claim("would", "challenge the law in the constitutional court", past=True,
                    vps=["take the law to the constitutional court"],
                    preds=["support the law in the constitutional court"]))
    said_by(st, c, (*amap(count(r, n, "about"), lambda t: f"{t} {benef} could be affected"),),
            Org("government estimates", "government estimates"), [s_est],
            [(Org(f"the {party}", f"the {party}"), [s_prop])])
    st.hyp("the measure {cl} {N} {b}.", [s_est], N=count(r, n, "about"), b=benef,
           cl=claim("may", "affect", fact="has affected"))
    direct, indirect = r.choice([
        ("This law will change lives", "the law would change lives"),
        ("Today parliament listened to the people", "parliament had listened to the people"),
        ("It is a historic day for our country", "it was a historic day for the country")])
    s_q = st.add(quote_ref(c, minister, direct, " after the vote"))
    add_quote(st, c, minister, direct, indirect, [s_q], [(opp, [s_opp])])
    st.hyp("{Pa} {a} a bill to {m} by {y} votes to {nn} {D}, and the law {cl}.", [s_vote, s_eff],
           Pa=Pa, a=appr, m=measure, y=count(r, yes), nn=count(r, no), D=D,
           cl=claim("will", f"take effect in {MONTHS[mon - 1]}", cnd=cnd))
    return st


@frame
def rate_decision(c: Ctx) -> Story:
    """A central bank moves its interest rate."""
    r = c.rng
    st = Story("rate_decision")
    up = r.random() < 0.6
    bp = r.choice([25, 50, 75])
    rate = r.randint(4, 30) * 0.25
    rate = rate + bp / 100 if up else rate
    infl = r.randint(21, 98) / 10
    day = new_day(r)
    prev = (day.date.month - 2) % 12 + 1
    bank = Org(f"{poss(c.country)} central bank", "the central bank",
               [f"{poss(c.country)} finance ministry"])
    gov = c.person("Governor", "the central bank's governor",
                   [("Deputy Governor", "the central bank's deputy governor"),
                    ("", "the central bank's chief economist")])
    fin = c.minister("finance")
    outlet = c.outlet()
    outlet2 = c.outlet()
    votes = r.randint(5, 9)
    yes = r.randint(votes // 2 + 1, votes - 1)
    bp_forms = {25: ["by 25 basis points", "by a quarter of a percentage point",
                     "by 0.25 percentage points", "by a quarter point"],
                50: ["by 50 basis points", "by half a percentage point",
                     "by 0.5 percentage points", "by half a point"],
                75: ["by 75 basis points", "by three-quarters of a percentage point",
                     "by 0.75 percentage points", "by three-quarters of a point"]}
    verb, verb_other = ("raised", "cut") if up else ("cut", "raised")
    s_move = st.add(f"{bank.name} {verb} its benchmark interest rate "
                    f"{bp_forms[bp][r.randrange(2)]} to {_dec(rate)}% {day.ref()}.")
    s_infl = st.add(f"Inflation {'rose' if up else 'eased'} to {infl}% in {MONTHS[prev - 1]}, "
                    f"official figures showed.")
    fut = "rates could rise further" if up else "further cuts were possible"
    cnow, cpast = (("if inflation does not slow", "if inflation did not slow") if up else
                   ("if inflation keeps falling", "if inflation kept falling"))
    s_gov = st.add(f"{gov.ref()} said {fut} {cpast}.")
    s_votes = st.add(f"{cap(words(yes))} of the {words(votes)} members of the monetary policy "
                     f"committee voted for the move.")
    s_fin = st.add(f"{fin.ref()} said the government respected the bank's independence.")
    s_poll = st.add(f"Economists polled by {outlet} had expected the bank to hold rates.")

    B = who(bank, swap=[(Org(f"{poss(c.country)} finance ministry", "the finance ministry"),
                         [s_fin])], change=False)
    v = same_alts([verb], predicate_change=[verb_other, "held"])
    BP = tuple(seg(f, number_change=[bp_forms[x][i] for x in bp_forms if x != bp])
               for i, f in enumerate(bp_forms[bp]))
    _, RT = pct(r, rate)
    RT = amap(RT, lambda t: "to " + t)
    D = day.slot(r)
    st.hyp("{B} {v} its key interest rate {bp} {rt} {D}.", [s_move], B=B, v=v, bp=BP, rt=RT, D=D)
    st.hyp("{D}, {B} {v} its main rate {bp}, taking it {rt}.", [s_move], B=B, v=v, bp=BP, rt=RT,
           D=D)
    st.hyp("{B} {v} borrowing costs {bp} as inflation reached {inf}.", [s_move, s_infl], B=B,
           v=v, bp=BP, inf=pct(r, infl)[1])
    st.hyp("inflation {ro} to {inf} {m}.", [s_infl], inf=pct(r, infl)[1],
           ro=same_alts(["rose" if up else "eased", "climbed" if up else "slowed"],
                        predicate_change=["fell" if up else "jumped"]),
           m=month_slot(prev))
    cnd = cond([cnow], [cpast], [("unless wages stop rising", "unless wages stopped rising"),
                                 ("if the currency weakens", "if the currency weakened"),
                                 ("if growth slows", "if growth slowed")])
    G = who(gov, swap=[(fin, [s_fin])], label="source_change")
    if up:
        st.hyp("{G} said rates {cl}.", [s_gov], G=G,
               cl=claim("may", "rise further", past=True, cnd=cnd, fact="would rise further",
                        preds=["be cut"], vps=["go up again"]))
    else:
        st.hyp("{G} said rates {cl}.", [s_gov], G=G,
               cl=claim("may", "fall further", past=True, cnd=cnd, fact="would fall further",
                        preds=["be raised"], vps=["be cut again"]))
    st.hyp("{y} of the {n} committee members voted for the {m}.", [s_votes],
           y=count(r, yes), n=count(r, votes), m="increase" if up else "cut")
    said_by(st, c, "the move surprised analysts, who had expected rates to stay on hold",
            Org(outlet, outlet), [s_poll], [(Org(outlet2, outlet2), [])], front=True)
    st.hyp("economists surveyed by {O} had {e} the bank to hold rates.", [s_poll],
           O=same_alts([outlet], source_change=[outlet2]),
           e=same_alts(["expected", "forecast"], polarity_flip=["not expected"]))
    direct, indirect = r.choice([
        ("We will do whatever it takes to bring inflation back to target",
         "the bank would do whatever it took to bring inflation back to target"),
        ("Price stability remains our first priority",
         "price stability remained the bank's first priority")])
    s_q = st.add(quote_ref(c, gov, direct))
    add_quote(st, c, gov, direct, indirect, [s_q], [(fin, [s_fin])])
    st.hyp("{B} {v} its key rate {bp} {rt} {D} after inflation reached {inf} in {m}, and {G} "
           "said rates {cl}.", [s_move, s_infl, s_gov], B=B, v=v, bp=BP, rt=RT, D=D,
           inf=pct(r, infl)[1], m=MONTHS[prev - 1], G=who(gov, kinds=("name", "pre")),
           cl=claim("may", "rise further" if up else "fall further", past=True, cnd=cnd))
    return st


@frame
def product_recall(c: Ctx) -> Story:
    """A company recalls a faulty product."""
    r = c.rng
    st = Story("product_recall")
    sector = r.choice(list(V.RECALL_FAULTS))
    co, product = c.company(sector)
    fault_np, fault_vp = r.choice(V.RECALL_FAULTS[sector])
    n = r.choice([r.randint(11, 99) * 1000, r.randint(12, 95) * 100, r.randint(11, 40) * 10_000])
    reports = r.randint(3, 60)
    hurt = r.random() < 0.4
    n_hurt = r.randint(2, min(reports, 9))
    agency = Org(f"the {c.adj} product safety agency", "the safety agency",
                 [f"the {c.adj} consumer affairs ministry"])
    lab = Org(f"the {c.brand()} testing laboratory", "the laboratory",
              [f"the {c.brand()} testing laboratory"])
    town = c.town()
    y = r.randint(2019, 2025)
    m1 = r.randint(1, 6)
    m2 = m1 + r.randint(2, 6)
    s_rec = st.add(f"{co.name} is recalling {ref_count(n)} {product} sold in {c.country} "
                   f"because of {fault_np}.")
    s_rep = st.add(f"The company said it had received {reports} reports of problems"
                   + (f", including {words(n_hurt)} minor injuries." if hurt else
                      " but no injuries."))
    s_adv = st.add(f"{agency.name} said customers should stop using the {product} immediately "
                   f"and return them for a full refund.")
    s_ord = st.add(f"The recall was ordered by {agency.name} after tests by {lab.name}.")
    s_made = st.add(f"The {product} were made at the company's plant in {town} between "
                    f"{MONTHS[m1 - 1]} and {MONTHS[m2 - 1]} {y}.")
    C = who(co)
    N = count(r, n)
    rec = same_alts(["is recalling", "has recalled"],
                    predicate_change=["has stopped selling", "is investigating"])
    st.hyp("{C} {rec} {N} {p} because of {f}.", [s_rec], C=C, rec=rec, N=N, p=product,
           f=fault_np)
    st.hyp("{N} {p} are being recalled by {C} over {f}.", [s_rec], C=C, N=N, p=product,
           f=fault_np)
    st.hyp("{C} {rec} {N} {p} that {f}.", [s_rec], C=C, rec=rec, N=N, p=product,
           f=same_alts([fault_vp], modality_shift=[re.sub(r"^(may|could) ", "", fault_vp)
                                                   if fault_vp.startswith(("may", "could"))
                                                   else "may " + fault_vp]))
    if hurt:
        st.hyp("{C} said it had received {k} reports of problems, including {h} minor "
               "injuries.", [s_rec, s_rep], C=C, k=count(r, reports), h=count(r, n_hurt))
    else:
        st.hyp("{C} said it had received {k} reports of problems {ni}.", [s_rec, s_rep], C=C,
               k=count(r, reports),
               ni=same_alts(["but no injuries", "but no reports of injuries"],
                            polarity_flip=["and several injuries", "including injuries"]))
    A = who(agency, swap=[(co, [s_rec])], label="source_change", change=False)
    st.hyp("customers {s} stop using the {p}, {A} said.", [s_adv], p=product, A=A,
           s=same_alts(["should"], modality_shift=["must", "may want to"]))
    st.hyp("{A} advised customers to {s} the {p} for a full refund.", [s_adv], p=product, A=A,
           s=same_alts(["return"], predicate_change=["repair", "keep"]))
    st.hyp("{A} {o} the recall after tests by {L}.", [s_ord],
           A=who(agency, swap=[(co, [s_rec])]), L=who(lab),
           o=same_alts(["ordered"], predicate_change=["opposed", "reviewed"]))
    st.hyp("the {p} were made {P} between {m1} and {m2} {y}.", [s_made], p=product,
           P=place(f"{town}", [], "at the company's plant in", extra=towns_near(c)),
           m1=same_alts([MONTHS[m1 - 1]], date_change=[MONTHS[m1 % 12]]),
           m2=MONTHS[m2 - 1], y=same_alts([str(y)], date_change=[str(y - 1), str(y + 1)]))
    boss = c.executive(co.name, "chief executive")
    head = c.person("", f"the director of {agency.name}", [("", f"the deputy director of "
                                                                 f"{agency.name}")])
    direct, indirect = r.choice([
        ("Customer safety is our first priority", "customer safety was the company's first "
                                                   "priority"),
        ("We are deeply sorry for the inconvenience", "the company was deeply sorry for the "
                                                      "inconvenience")])
    s_q = st.add(quote_ref(c, boss, direct))
    s_h = st.add(f"{head.ref()} said the agency would publish its test results next week.")
    add_quote(st, c, boss, direct, indirect, [s_q], [(head, [s_h])])
    as_quote(st, f"{head.name} said the agency would publish its test results next week",
             "The agency will publish its test results next week", head.name, [s_h])
    st.hyp("{C} {rec} {N} {p} made at its plant {P} because of {f}, after receiving {k} reports "
           "of problems.", [s_rec, s_rep, s_made], C=C, rec=rec, N=N, p=product, f=fault_np,
           P=place(town, [], extra=towns_near(c)), k=count(r, reports))
    return st


@frame
def outbreak(c: Ctx) -> Story:
    """A disease outbreak and the health response."""
    r = c.rng
    st = Story("outbreak")
    disease, unit = r.choice(V.DISEASES)
    region = c.regions[0]
    town, town2 = c.town(), c.town()
    n = r.randint(40, 900)
    dead = r.randint(2, 12)
    start = new_day(r, "date")
    schools = r.randint(3, 25)
    off = c.person("", f"the head of the {bare(region)} health department",
                   [("", f"the deputy head of the {bare(region)} health department"),
                    ("Health Minister", "the health minister")])
    peak = (start.date.month + 1) % 12 + 1
    hosp = Org(f"{town2} General Hospital", "the hospital", [f"{c.town()} General Hospital"])
    until = new_day(r, "date")
    ministry = Org("the health ministry", "the ministry")
    s_cases = st.add(f"Health authorities in {region} have recorded {n} {unit} of {disease} "
                     f"since {start.ref('')}, {wire_int(dead)} of them fatal.")
    s_town = st.add(f"Most of the {unit} are in {town}, where {wire_int(schools)} schools have "
                    f"been closed as a precaution.")
    s_peak = st.add(f"{off.ref()} said the outbreak was likely to peak in {MONTHS[peak - 1]} "
                    f"and urged residents to avoid crowded places.")
    s_src = st.add(f"The source of the outbreak has not yet been identified, {ministry.name} "
                   f"said.")
    s_hosp = st.add(f"{hosp.name} said it had postponed non-urgent operations until "
                    f"{until.ref('')}.")
    N = count(r, n)
    Dd = count(r, dead)
    R = same_alts([f"in {region}"], location_change=[f"in {x}" for x in c.regions[1:3]])
    st.hyp("{N} {u} of {d} have been recorded {R} since {S}, {k} of them fatal.", [s_cases],
           N=N, u=unit, d=disease, R=R, S=start.slot(r, ""), k=Dd)
    st.hyp("{k} people have died {R} in an outbreak of {d} that has infected {N} people since "
           "{S}.", [s_cases], N=N, d=disease, R=R, S=start.slot(r, ""), k=Dd)
    P = place(town, [(town2, [s_hosp])])
    st.hyp("most {u} are {P}, where {k} schools {h}.", [s_town], u=unit, P=P, k=count(r, schools),
           h=same_alts(["have been closed", "have shut"],
                       predicate_change=["have been disinfected", "have reopened"]))
    Op = who(off, swap=[(hosp, [s_hosp])], label="source_change")
    st.hyp("{O} said the outbreak {cl} {M}.", [s_peak], O=Op, M=month_slot(peak),
           cl=claim("expected", "peak", past=True, fact="had peaked"))
    st.hyp("{O} {u} residents to avoid crowded places.", [s_peak],
           O=who(off, swap=[(hosp, [s_hosp])]),
           u=same_alts(["urged", "called on"], predicate_change=["ordered", "forbade"]))
    said_by(st, c, (*same_alts(["the source of the outbreak has not yet been identified",
                                "the source of the outbreak is still unknown"],
                               polarity_flip=["the source of the outbreak has been identified"]),),
            ministry, [s_src], [(hosp, [s_hosp])])
    st.hyp("{H} {p} non-urgent operations until {U}.", [s_hosp],
           H=who(hosp), U=until.slot(r, ""),
           p=same_alts(["has postponed", "has delayed", "has put off"],
                       predicate_change=["has cancelled", "has resumed"]))
    direct, indirect = r.choice([
        ("There is no reason to panic", "there was no reason to panic"),
        ("The situation is serious but under control",
         "the situation was serious but under control"),
        ("We expect more cases in the coming days", "more cases were expected in the coming days")])
    s_q = st.add(quote_ref(c, off, direct))
    director = c.person("", f"the director of {hosp.name}", [])
    s_d = st.add(f"{director.ref()} said staff were working around the clock.")
    add_quote(st, c, off, direct, indirect, [s_q], [(director, [s_d])])
    st.hyp("{N} {u} of {d} have been recorded {R} since {S}, most of them {P}, where {k} schools "
           "have been closed.", [s_cases, s_town], N=N, u=unit, d=disease, R=R,
           S=start.slot(r, ""), P=P, k=count(r, schools))
    return st


@frame
def election_result(c: Ctx) -> Story:
    """An election result and the runner-up's reaction."""
    r = c.rng
    st = Story("election_result")
    town = c.town()
    kind, office = r.choice([(f"mayoral election in {town}", f"mayor of {town}"),
                             (f"regional election in {c.regions[0]}",
                              f"governor of {c.regions[0]}"),
                             ("presidential election", "president")])
    p1, p2 = r.sample(V.PARTIES, 2)
    win = c.person("", f"the {p1} candidate", [("", f"the {p2} candidate")])
    run = c.person("", f"the {p2} candidate", [("", f"the {p1} candidate")])
    v1 = r.randint(380, 620) / 10
    v2 = round(r.uniform(15, min(v1 - 2, 100 - v1 - 2)), 1)
    turnout = r.randint(380, 810) / 10
    day = new_day(r)
    conceded = r.random() < 0.5
    take = new_day(r, "date")
    s_win = st.add(f"{win.name} of the {p1} won the {kind} {day.ref()} with {_dec(v1)}% of the "
                   f"vote, according to preliminary results.")
    s_run = st.add(f"{run.name} of the {p2} came second with {_dec(v2)}%.")
    s_turn = st.add(f"Turnout was {_dec(turnout)}%, the electoral commission said.")
    if conceded:
        s_react = st.add(f"{run.last} conceded defeat and congratulated {win.last}.")
    else:
        s_react = st.add(f"{run.last} refused to concede, citing irregularities in several "
                         f"polling stations.")
    s_take = st.add(f"{win.last} will take office on {take.ref('')}.")
    s_final = st.add("Final results are expected by the end of the week.")
    W = who(win, swap=[(run, [s_run])], kinds=("name", "appos"))
    _, V1 = pct(r, v1)
    _, V2 = pct(r, v2)
    prelim = same_alts(["of the vote, according to preliminary results",
                        "of the vote, preliminary results showed"],
                       modality_shift=["of the vote", "of the vote, final results showed"])
    st.hyp("{W} won the {k} {D} with {v} {pr}.", [s_win], W=W, k=kind, D=day.slot(r), v=V1,
           pr=prelim)
    st.hyp("according to preliminary results, {W} won the {k} with {v} of the vote.", [s_win],
           W=W, k=kind, v=V1)
    st.hyp("{R} came second with {v}, behind {W}.", [s_win, s_run],
           R=who(run, swap=[(win, [s_win])], kinds=("name", "appos")), v=V2,
           W=who(win, kinds=("name",)))
    said_by(st, c, (*amap(pct(r, turnout)[1], lambda t: f"turnout was {t}"),),
            Org("the electoral commission", "the electoral commission"), [s_turn],
            [(Org(f"the {p2}", f"the {p2}"), [s_run])])
    Rr = who(run, swap=[(win, [s_win])], kinds=("name", "appos"))
    if conceded:
        st.hyp("{R} {c} and congratulated {W}.", [s_win, s_run, s_react],
               R=who(run, kinds=("name", "appos")), W=win.last,
               c=same_alts(["conceded defeat", "admitted defeat"],
                           polarity_flip=["refused to concede"]))
    else:
        st.hyp("{R} {c}, alleging irregularities at several polling stations.",
               [s_win, s_run, s_react],
               R=Rr, c=same_alts(["refused to concede", "declined to concede"],
                                 polarity_flip=["conceded defeat"]))
    st.hyp("{W} will take office as {o} {T}.", [s_win, s_take],
           W=who(win, swap=[(run, [s_run])], kinds=("name",)), o=office,
           T=take.slot(r))
    st.hyp("final results {e} by the end of the week.", [s_final],
           e=same_alts(["are expected", "should be published"],
                       modality_shift=["will be published", "have been published"]))
    direct, indirect = r.choice([
        ("Tonight the voters have chosen change", "the voters had chosen change"),
        ("This victory belongs to everyone who believed in us",
         "the victory belonged to everyone who had believed in the campaign"),
        ("I will be a leader for all citizens", f"{win.he} would be a leader for all citizens")])
    s_q = st.add(f'"{direct}," {win.last} told supporters.')
    add_quote(st, c, Person(win.last, win.last, win.female, "", win.appos, []), direct, indirect,
              [s_win, s_q], [(run, [s_run])])
    as_quote(st, f"{win.name} will take office on {take.ref('')}",
             f"I will take office on {take.ref('')}", win.name, [s_win, s_take])
    st.hyp("{W} won the {k} with {v} of the vote, ahead of {R} on {v2}, on a turnout of {t}, "
           "according to preliminary results.", [s_win, s_run, s_turn], W=W, k=kind, v=V1,
           R=who(run, kinds=("name",)), v2=V2,
           t=pct(r, turnout)[1])
    return st


@frame
def sports_transfer(c: Ctx) -> Story:
    """A football club signs a player."""
    r = c.rng
    st = Story("sports_transfer")
    t1, t2 = c.town(), c.town(r.choice(list(V.TOWN_PARTS)))
    club1 = r.choice([f"{t1} FC", f"Sporting {t1}", f"{t1} United", f"Atlético {t1}"])
    club2 = r.choice([f"{t2} City", f"Real {t2}", f"{t2} Rovers", f"{t2} SC"])
    club3 = f"{c.town()} Athletic"
    pos_ = r.choice(["striker", "midfielder", "defender", "goalkeeper", "winger"])
    _, adj2, style2 = other_country(c)
    player = c.person("", f"the {adj2} {pos_}", [("", f"the {c.adj} {pos_}")], female=False,
                      style=style2)
    coach = c.person(f"{club2} coach", f"the {club2} coach",
                     [(f"{club1} coach", f"the {club1} coach"),
                      (f"{club2} president", f"the {club2} president")])
    fee = r.randint(15, 95) * 1_000_000 if r.random() < 0.5 else r.randint(11, 99) * 100_000 * 10
    bonus = fee + r.randint(2, 20) * 1_000_000
    age = r.randint(19, 31)
    yrs = r.randint(2, 5)
    goals, apps = r.randint(4, 28), r.randint(20, 45)
    day = new_day(r)
    s_sign = st.add(f"{club1} have signed {adj2} {pos_} {player.name} from {club2} for a fee of "
                    f"{ref_money(fee, 'EUR')}, the club said {day.ref()}.")
    s_contract = st.add(f"The {age}-year-old has agreed a {words(yrs)}-year contract.")
    s_bonus = st.add(f"The fee could rise to {ref_money(bonus, 'EUR')} if {club1} win the league "
                     f"this season.")
    s_goals = st.add(f"{player.last} scored {wire_int(goals)} goals in {apps} appearances for "
                     f"{club2} last season.")
    wanted = r.random() < 0.5
    s_coach = st.add(f"{coach.ref()} said {coach.he} had {'' if wanted else 'not '}wanted to sell "
                     f"the player.")
    P = who(player, kinds=("name", "appos"))
    M = money(r, fee, "EUR")
    C1 = same_alts([club1], entity_change=[club3], actor_swap=[])
    st.hyp("{C1} {s} {P} from {C2} for {M}.", [s_sign], C1=C1, P=P, M=M,
           C2=same_alts([club2], entity_change=[club3]),
           s=same_alts(["have signed", "have completed the signing of"],
                       predicate_change=["have loaned out", "have released"]))
    st.hyp("{P} has joined {C1} from {C2} in a {M} deal, the club said {D}.", [s_sign], P=P,
           C1=C1, C2=same_alts([club2], entity_change=[club3]),
           M=money(r, fee, "EUR", adjective=True), D=day.slot(r))
    st.hyp("the {a}-year-old {pos} has signed a {y}-year contract with {C1}.",
           [s_sign, s_contract], a=same_alts([str(age)], number_change=[str(age + 1),
                                                                        str(age - 2)]),
           pos=pos_, C1=club1,
           y=same_alts([words(yrs), str(yrs)], number_change=[words(yrs + 1), words(yrs - 1)]))
    cnd = cond([f"if {club1} win the league this season", f"if {club1} win the title this season"],
               [f"if {club1} won the league this season"],
               [(f"if {club1} avoid relegation this season",
                 f"if {club1} avoided relegation this season"),
                (f"if {player.last} scores {goals} goals this season",
                 f"if {player.last} scored {goals} goals this season"),
                (f"unless {club1} win the league this season",
                 f"unless {club1} won the league this season")])
    st.hyp("the fee {cl}.", [s_bonus],
           cl=claim("may", f"rise to {ref_money(bonus, 'EUR')}", cnd=cnd,
                    fact=f"rose to {ref_money(bonus, 'EUR')}",
                    preds=[f"fall to {ref_money(fee // 2, 'EUR')}"]))
    st.hyp("add-ons could take the fee to {M} {c}.", [s_bonus], M=money(r, bonus, "EUR"),
           c=f"if {club1} win the league")
    st.hyp("{P} scored {g} goals in {a} appearances last season.", [s_sign, s_goals],
           P=who(player, kinds=("name",)), g=count(r, goals), a=count(r, apps))
    st.hyp("{Co} said {he} {w} to sell {P}.", [s_coach, s_sign],
           Co=who(coach),
           he=coach.he, P=player.last,
           w=same_alts(["had wanted" if wanted else "had not wanted"],
                       polarity_flip=["had not wanted" if wanted else "had never wanted"]))
    direct, indirect = r.choice([("This is a dream come true for me",
                                  "joining the club was a dream come true"),
                                 ("I am here to win trophies", "he was there to win trophies")])
    s_q = st.add(f'"{direct}," {player.last} told the club\'s website.')
    add_quote(st, c, Person(player.last, player.last, False, "", player.appos, []), direct,
              indirect, [s_sign, s_q], [(coach, [s_coach])])
    st.hyp("{C1} have signed {P} from {C2} for {M}, a fee that {cl}.", [s_sign, s_bonus], C1=C1,
           P=P, C2=club2, M=M,
           cl=claim("may", f"rise to {ref_money(bonus, 'EUR')}", cnd=cnd,
                    fact=f"rose to {ref_money(bonus, 'EUR')}"))
    return st


@frame
def budget_cut(c: Ctx) -> Story:
    """A government cuts spending in one area and raises it in another."""
    r = c.rng
    st = Story("budget_cut")
    areas = {"defence": "military bases", "culture": "public libraries",
             "public transport": "rural bus routes", "higher education": "university campuses",
             "housing": "housing offices", "health": "rural clinics", "policing": "police stations",
             "research": "research institutes"}
    a1, a2 = r.sample(list(areas), 2)
    amount = rand_amount(r, big=True)
    p_rise = r.choice([2, 3, 4, 5, 6, 8, 10, 12])
    deficit = r.choice([1.5, 2, 2.5, 3, 3.5])
    year = r.randint(2026, 2030)
    day = new_day(r)
    fin = c.minister("finance")
    opp = c.person("opposition leader", "the opposition leader",
                   [("opposition spokesperson", "an opposition spokesperson")])
    n = r.randint(6, 90)
    gov = Org(f"the {c.adj} government", "the government")
    s_cut = st.add(f"{gov.name} will cut spending on {a1} by {ref_money(amount, c.cur)} next "
                   f"year, {fin.ref(end=True)} announced {day.ref()}.")
    s_rise = st.add(f"Spending on {a2} will rise by {p_rise}%.")
    s_def = st.add(f"The cuts are part of a plan to reduce the budget deficit to {deficit}% of "
                   f"economic output by {year}.")
    s_opp = st.add(f"{opp.ref()} said the cuts could force the closure of {n} {areas[a1]}.")
    s_parl = st.add("The budget must still be approved by parliament, where the government does "
                    "not have a majority.")
    M = money(r, amount, c.cur)
    A1 = same_alts([a1], entity_change=[(a2, (s_rise,)), r.choice([x for x in areas
                                                                    if x not in (a1, a2)])])
    cut = claim("will", "cut spending on", preds=["freeze spending on", "increase spending on"],
                vps=["reduce spending on"])
    st.hyp("{G} {cut} {A} by {M} next year.", [s_cut], G=who(gov, change=False), cut=cut, A=A1,
           M=M)
    F = who(fin, swap=[(opp, [s_opp])], label="source_change",
            kinds=("name", "pre", "title"))
    st.hyp("spending on {A} will be cut by {M} next year, {F} said {D}.", [s_cut], A=A1, M=M, F=F,
           D=day.slot(r))
    st.hyp("{F2} {ann} {D} that the government would cut {A} spending by {M}.", [s_cut],
           F2=who(fin, swap=[(opp, [s_opp])], label="source_change", kinds=("name", "pre")),
           ann=same_alts(["announced", "said"], predicate_change=["denied"]), D=day.slot(r), A=A1,
           M=M)
    _, PR = pct(r, p_rise)
    st.hyp("spending on {A} will {ri} by {p}.", [s_rise],
           A=same_alts([a2], entity_change=[(a1, (s_cut,))]),
           ri=same_alts(["rise", "increase", "go up"], predicate_change=["fall", "be frozen"]),
           p=PR)
    st.hyp("{G} will cut {A} spending by {M} while raising spending on {B} by {p}.",
           [s_cut, s_rise], G=who(gov, change=False), A=A1, M=M, B=a2, p=PR)
    _, DF = pct(r, deficit)
    st.hyp("the government {aims} to reduce the deficit to {d} of GDP {y}.", [s_def],
           aims=same_alts(["aims", "plans", "wants"], modality_shift=["has managed"]),
           d=DF, y=year_slot(year))
    Op = who(opp, swap=[(fin, [s_cut])], label="source_change")
    st.hyp("{O} said the cuts {cl} {n} {f}.", [s_opp], O=Op,
           cl=claim("may", "force the closure of", past=True, fact="had forced the closure of",
                    vps=["lead to the closure of"], preds=["prevent the closure of"]),
           n=count(r, n), f=areas[a1])
    st.hyp("the budget {n} parliament's approval, and the government {h} a majority there.",
           [s_parl],
           n=same_alts(["still needs", "still requires"],
                       polarity_flip=["no longer needs", "does not need"]),
           h=same_alts(["lacks", "does not have"], polarity_flip=["has"]))
    direct, indirect = r.choice([
        ("Every ministry has to play its part", "every ministry had to play its part"),
        ("These are difficult but necessary choices", "the choices were difficult but necessary"),
        ("We cannot keep spending money we do not have",
         "the country could not keep spending money it did not have")])
    s_q = st.add(quote_ref(c, fin, direct))
    add_quote(st, c, fin, direct, indirect, [s_q], [(opp, [s_opp])])
    as_quote(st, f"{opp.name} said the cuts could force the closure of {n} {areas[a1]}",
             f"These cuts could force the closure of {n} {areas[a1]}", opp.name, [s_opp])
    st.hyp("{G} will cut {A} spending by {M} next year as part of a plan to reduce the deficit to "
           "{d} of GDP {y}.", [s_cut, s_def], G=who(gov, change=False), A=A1, M=M, d=DF,
           y=year_slot(year))
    return st


@frame
def protest(c: Ctx) -> Story:
    """A protest march with police and organiser estimates."""
    r = c.rng
    st = Story("protest")
    city = c.town()
    issue, demand_now, _ = r.choice([
        ("a pension reform", "withdraw the reform", "withdrew the reform"),
        ("rising rents", "freeze rents", "froze rents"),
        ("a new mining law", "scrap the law", "scrapped the law"),
        ("fuel price increases", "cut fuel taxes", "cut fuel taxes"),
        ("the closure of rural schools", "reverse the closures", "reversed the closures"),
        ("a planned motorway", "cancel the project", "cancelled the project")])
    n_pol = r.randint(8, 60) * 1000 if r.random() < 0.6 else r.randint(15, 95) * 100
    n_org = n_pol * r.choice([2, 3, 4]) + r.randint(1, 9) * 1000
    day = new_day(r, r.choice(["wd", "both"]))
    org = Org(f"the {c.brand()} collective", "the collective", [f"the {c.brand()} collective"])
    party = r.choice(V.PARTIES)
    k = r.randint(3, 60)
    landmark = r.choice(["the parliament building", "the town hall", "the central station",
                         "the interior ministry"])
    minister = c.minister(r.choice(["interior", "labour", "economy"]))
    day2 = Day(day.date + dt.timedelta(days=r.choice([7, 10, 14])), "date", day.uk)
    police = Org("police", "police")
    organisers = Org("organisers", "organisers")
    s_march = st.add(f"About {wire_int(n_pol)} people marched through {city} {day.ref()} to "
                     f"protest against {issue}, according to police.")
    s_org = st.add(f"Organisers put the number at {wire_int(n_org)}.")
    s_by = st.add(f"The march was organised by {org.name} and backed by the {party}.")
    s_arr = st.add(f"Police said {wire_int(k)} people were arrested after clashes near "
                   f"{landmark}.")
    s_min = st.add(f"{minister.ref()} said the government would not {demand_now}.")
    s_next = st.add(f"Organisers said they would hold another march on {day2.ref('')} if the "
                    f"government did not {demand_now}.")
    NP = count(r, n_pol, "about")
    P = place(city, [], "through", extra=towns_near(c))
    st.hyp("{N} people marched {P} {D} against {i}, police said.", [s_march], N=NP, P=P,
           D=day.slot(r), i=issue)
    said_by(st, c, (*amap(NP, lambda t: f"{t} people protested against {issue} in {city}"),),
            police, [s_march], [(organisers, [s_org])])
    st.hyp("organisers said {N} people took part, while police counted {M}.", [s_march, s_org],
           N=count(r, n_org), M=NP)
    said_by(st, c, (*amap(count(r, n_org), lambda t: f"{t} people joined the march"),),
            organisers, [s_march, s_org], [(police, [s_march])])
    st.hyp("the march was organised by {O} and backed by the {p}.", [s_by],
           O=who(org, swap=[(Org(f"the {party}", f"the {party}"), [])]),
           p=same_alts([party], entity_change=[r.choice(V.PARTIES)]))
    st.hyp("{k} people were arrested after clashes near {l}, police said.", [s_arr],
           k=count(r, k), l=same_alts([landmark], location_change=[
               x for x in ("the parliament building", "the town hall", "the central station")
               if x != landmark]))
    Mi = who(minister, swap=[(organisers, [s_org])], label="source_change")
    st.hyp("{M} said the government {cl}.", [s_min], M=Mi,
           cl=claim("would", demand_now, past=True, neg=True))
    cnd = cond([f"if the government does not {demand_now}",
                f"unless the government agrees to {demand_now}"],
               [f"if the government did not {demand_now}"],
               [(f"even if the government agrees to {demand_now}",
                 f"even if the government agreed to {demand_now}"),
                ("if police ban the march", "if police banned the march"),
                (f"if the government agrees to {demand_now}",
                 f"if the government agreed to {demand_now}")])
    st.hyp("organisers {cl} {D2}.", [s_next],
           cl=claim("will", "hold another march", plural=True,
                    preds=["call off the next march"]),
           D2=amap(day2.slot(r), lambda t: t + f" if the government does not {demand_now}"))
    st.hyp("organisers said they {cl}.", [s_next],
           cl=claim("would", f"march again on {day2.ref('')}", past=True, cnd=cnd,
                    drop_cond=True))
    spk = c.person("", f"a spokesperson for {org.name}", [("", f"a spokesperson for the {party}")])
    direct, indirect = r.choice([
        ("We will not stop until we are heard", "they would not stop until they were heard"),
        ("The streets are full, and the government can no longer ignore us",
         "the streets were full and the government could no longer ignore them"),
        ("This is only the beginning", "it was only the beginning")])
    s_q = st.add(quote_ref(c, spk, direct))
    add_quote(st, c, spk, direct, indirect, [s_q], [(minister, [s_min])])
    as_quote(st, f"{minister.name} said the government would not {demand_now}",
             f"The government will not {demand_now}", minister.name, [s_min])
    st.hyp("{N} people marched {P} {D} against {i}, according to police, while organisers put "
           "the turnout at {M} and {k} people were arrested.", [s_march, s_org, s_arr], N=NP,
           P=P, D=day.slot(r), i=issue, M=count(r, n_org), k=count(r, k))
    return st


@frame
def plant_closure(c: Ctx) -> Story:
    """A company closes a plant and cuts jobs."""
    r = c.rng
    st = Story("plant_closure")
    co, product = c.company(r.choice(["steel", "auto", "chem", "appliance", "food", "tech"]))
    town = c.town()
    c2, _, style2 = other_country(c)
    town2 = c.town(style2)
    n = r.choice([r.randint(12, 95) * 10, r.randint(11, 40) * 100])
    year = r.randint(2025, 2028)
    day = new_day(r)
    reason = r.choice(["falling demand", "high energy costs", "competition from cheaper imports",
                       "rising labour costs"])
    leader = c.person("union leader", "the local union leader",
                      [("union treasurer", "the local union treasurer")])
    minister = c.minister(r.choice(["economy", "labour"]))
    opened = r.randint(1955, 2005)
    mon = r.randint(1, 12)
    s_close = st.add(f"{co.name} said {day.ref()} it would close its plant in {town} by the end "
                     f"of {year}, cutting {wire_int(n)} jobs.")
    s_move = st.add(f"The company blamed {reason} and said production would move to its factory "
                    f"in {town2}, {c2}.")
    s_union = st.add(f"{leader.ref()} said the union would fight the closure.")
    informed = r.random() < 0.5
    s_min = st.add(f"{minister.ref()} said the government had {'' if informed else 'not '}been "
                   f"informed in advance.")
    s_buyer = st.add(f"The plant could stay open if a buyer is found before {MONTHS[mon - 1]}, "
                     f"the company said.")
    s_open = st.add(f"The plant, which opened in {opened}, makes {product}.")
    C = who(co)
    P = place(town, [(town2, [s_move])])
    Y = same_alts([f"by the end of {year}", f"by late {year}"],
                  date_change=[f"by the end of {year + 1}", f"by the end of {year - 1}",
                               f"by the middle of {year}"])
    N = count(r, n)
    close = claim("will", "close its plant", preds=["sell its plant", "expand its plant"],
                  vps=["shut its plant"])
    st.hyp("{C} {cl} {P} {Y}, cutting {N} jobs.", [s_close], C=C, cl=close, P=P, Y=Y, N=N)
    st.hyp("{N} jobs will go when {C} closes its plant {P} {Y}.", [s_close], C=C, P=P, Y=Y, N=N)
    st.hyp("{C} said {D} that it would shut its {T} factory, with the loss of {N} jobs.",
           [s_close], C=C, D=day.slot(r), N=N,
           T=same_alts([town], location_change=[(town2, (s_move,)), c.town()]))
    st.hyp("production will move to {P}, {c2}, the company said.", [s_move],
           P=same_alts([town2], location_change=[(town, (s_close,)), c.town()]), c2=c2)
    st.hyp("{C}, which blamed {re}, will move production {P}.", [s_close, s_move], C=C,
           re=reason, P=same_alts([f"to {c2}", f"to its {town2} factory"],
                                 location_change=[f"to {other_country(c)[0]}",
                                                  (f"to its {town} factory", (s_close,))]))
    st.hyp("{L} said the union {cl}.", [s_union],
           L=who(leader, swap=[(minister, [s_min])], label="source_change"),
           cl=claim("would", "fight the closure", past=True, vps=["oppose the closure"],
                    preds=["accept the closure", "negotiate the closure"]))
    st.hyp("{M} said the government {i} in advance.", [s_min],
           M=who(minister, swap=[(leader, [s_union])], label="source_change"),
           i=same_alts(["had been informed" if informed else "had not been informed"],
                       polarity_flip=["had not been informed" if informed else
                                      "had been informed"]))
    cnd = cond([f"if a buyer is found before {MONTHS[mon - 1]}"],
               [f"if a buyer was found before {MONTHS[mon - 1]}"],
               [("if the government provides subsidies", "if the government provided subsidies"),
                ("if workers accept pay cuts", "if workers accepted pay cuts"),
                (f"unless a buyer is found before {MONTHS[mon - 1]}",
                 f"unless a buyer was found before {MONTHS[mon - 1]}")])
    st.hyp("the plant {cl}, the company said.", [s_buyer],
           cl=claim("may", "stay open", cnd=cnd, fact="will stay open", vps=["remain open"]))
    st.hyp("the plant, which has made {p} since {y}, {cl}.", [s_buyer, s_open], p=product,
           y=same_alts([str(opened)], date_change=[str(opened + 3),
                                                                       str(opened - 5)]),
           cl=claim("may", "be saved", cnd=cnd, fact="has been saved"))
    direct, indirect = r.choice([
        (f"This is a dark day for {town}", f"it was a dark day for {town}"),
        ("The workers have been betrayed", "the workers had been betrayed"),
        ("We will fight for every single job", "the union would fight for every single job")])
    s_q = st.add(quote_ref(c, leader, direct))
    add_quote(st, c, leader, direct, indirect, [s_q], [(minister, [s_min])])
    as_quote(st, f"{co.name} said it would close its plant in {town} by the end of {year}",
             f"We will close our plant in {town} by the end of {year}", co.name, [s_close])
    st.hyp("{C} {cl} {P} {Y}, cutting {N} jobs, and will move production to {T}, blaming {re}.",
           [s_close, s_move], C=C, cl=close, P=P, Y=Y, N=N, re=reason,
           T=same_alts([town2], location_change=[c.town()]))
    return st


@frame
def wildfire(c: Ctx) -> Story:
    """A wildfire burns forest and forces evacuations."""
    r = c.rng
    st = Story("wildfire")
    town, town2, town3 = c.town(), c.town(), c.town()
    region = c.regions[0]
    ha = r.choice([r.randint(11, 99) * 100, r.randint(12, 95) * 1000])
    day = new_day(r, r.choice(["wd", "both"]))
    ff = r.randint(12, 90) * 10
    air = r.randint(3, 25)
    ev = r.choice([r.randint(12, 95) * 10, r.randint(11, 60) * 100])
    hurt = r.randint(2, 14)
    fire = Org(f"the {bare(region)} fire service", "the fire service")
    rgov = Org(f"the {bare(region)} regional government", "the regional government")
    wd = WEEKDAYS[(day.date.weekday() + 3) % 7]
    s_fire = st.add(f"A wildfire has burned {wire_int(ha)} hectares of forest near {town} in "
                    f"{region} since {day.ref('')}, {fire.name} said.")
    s_crews = st.add(f"More than {wire_int(ff)} firefighters and {wire_int(air)} water-bombing "
                     f"aircraft are battling the blaze.")
    s_ev = st.add(f"{cap(wire_int(ev))} people were evacuated from {town2} and {town3} as a "
                  f"precaution.")
    s_cause = st.add(f"Investigators believe the fire may have been started deliberately, "
                     f"{rgov.name} said.")
    s_hurt = st.add(f"{cap(wire_int(hurt))} firefighters were treated for smoke inhalation and "
                    f"no deaths have been reported.")
    s_wind = st.add(f"Forecasters expect the wind to ease by {wd}.")
    HA = amap(count(r, ha), lambda t: f"{t} hectares")
    P = place(town, [(town2, [s_ev]), (town3, [s_ev])], "near")
    D = day.slot(r, "since")
    st.hyp("the fire has burned {h} of forest {P} {D}.", [s_fire], h=HA, P=P, D=D)
    st.hyp("{h} of forest have burned {P} {D}, {F} said.", [s_fire], h=HA, P=P, D=D,
           F=who(fire, swap=[(rgov, [s_cause])], label="source_change", change=False))
    st.hyp("more than {f} firefighters, backed by {a} aircraft, are fighting the fire.",
           [s_crews], f=count(r, ff), a=count(r, air))
    st.hyp("{f} firefighters and {a} planes are battling a blaze that has burned {h} {P}.",
           [s_fire, s_crews], f=count(r, ff, "more than"), a=count(r, air), h=HA, P=P)
    T = same_alts([f"{town2} and {town3}", f"{town3} and {town2}"],
                  location_change=[(f"{town} and {town3}", (s_fire,)), f"{town2} and {c.town()}"])
    st.hyp("{n} people {e} from {T}.", [s_ev], n=count(r, ev), T=T,
           e=same_alts(["were evacuated", "were moved to safety"],
                       predicate_change=["were rescued", "were stranded"]))
    cause = claim("may", "have been started deliberately", fact="was started deliberately",
                  vps=["have been set deliberately"], preds=["have been started by lightning"])
    said_by(st, c, (*amap(cause, lambda t: f"the fire {t}"),), rgov, [s_cause],
            [(fire, [s_fire])])
    st.hyp("{k} firefighters were treated for smoke inhalation and {nd}.", [s_hurt],
           k=count(r, hurt), nd=NO_DEATHS)
    st.hyp("forecasters {e} by {w}.", [s_wind],
           e=same_alts(["expect the wind to ease", "expect winds to ease"],
                       modality_shift=["say the wind will ease", "say the wind has eased"]),
           w=same_alts([wd], date_change=[WEEKDAYS[(day.date.weekday() + k) % 7]
                                          for k in (1, 5)]))
    chief = c.person("fire chief", f"the head of {fire.name}",
                     [("", f"the deputy head of {fire.name}")])
    direct, indirect = r.choice([
        ("The next 48 hours will be critical", "the next 48 hours would be critical"),
        ("The fire is not under control", "the fire was not under control"),
        ("Our crews are exhausted", "the crews were exhausted")])
    s_q = st.add(quote_ref(c, chief, direct))
    spoke = c.person("", f"a spokesperson for {rgov.name}", [])
    s_sp = st.add(f"{spoke.ref()} said emergency shelters had been opened in {town}.")
    add_quote(st, c, chief, direct, indirect, [s_q], [(spoke, [s_sp])])
    st.hyp("a wildfire that has burned {h} {P} {D} has forced the evacuation of {n} people from "
           "{T}, and {f} firefighters are battling the blaze.", [s_fire, s_crews, s_ev], h=HA,
           P=P, D=D, n=count(r, ev), T=T, f=count(r, ff, "more than"))
    return st


@frame
def research(c: Ctx) -> Story:
    """Researchers announce a finding."""
    r = c.rng
    st = Story("research")
    thing, _, verb = r.choice(V.SCIENCE)
    contrast = {"discovered": ["described", "ruled out"], "identified": ["ruled out", "patented"],
                "developed": ["patented", "tested"], "tested": ["approved", "abandoned"]}[verb]
    t1, t2 = c.town(), c.town()
    univ = Org(f"the University of {t1}", "the university")
    univ2 = Org(f"the {t2} Institute of Technology", f"the {t2} Institute")
    journal = f"the journal {c.brand()} {r.choice(['Science', 'Medicine', 'Biology', 'Reports'])}"
    lead = c.person("", f"a professor at {univ.name}",
                    [("", f"a professor at {univ2.name}"), ("", f"a student at {univ.name}")])
    other = c.person("", f"a researcher at {univ2.name}",
                     [("", f"a researcher at {univ.name}")])
    fund = Org(f"the {c.brand()} Foundation", "the foundation", [f"the {c.brand()} Foundation"])
    n = r.randint(12, 95) * 10
    subjects = r.choice(["volunteers", "patients", "samples", "sites"])
    yrs = r.randint(2, 9)
    within = r.randint(3, 10)
    day = new_day(r)
    app = r.choice(["cheaper treatments", "new farming practices", "better diagnosis",
                    "industrial uses"])
    s_find = st.add(f"Researchers at {univ.name} have {verb} {thing}, according to a study "
                    f"published in {journal} {day.ref()}.")
    s_study = st.add(f"The study, led by {lead.name}, involved {n} {subjects} over {words(yrs)} "
                     f"years.")
    s_lead = st.add(f"{lead.last} said the findings could lead to {app} within "
                    f"{wire_int(within)} years but cautioned that more research was needed.")
    s_fund = st.add(f"The work was funded by {fund.name}.")
    s_other = st.add(f"{other.ref()}, who was not involved in the study, said the results were "
                     f"promising.")
    U = who(univ, swap=[(univ2, [s_other])], change=False)
    vb = same_alts([verb], predicate_change=contrast)
    st.hyp("researchers at {U} have {v} {t}.", [s_find], U=U, v=vb, t=thing)
    st.hyp("{t} has been {v} by researchers at {U}, according to a study in {J}.", [s_find],
           U=U, v=vb, t=thing, J=same_alts([journal], entity_change=[
               f"the journal {c.brand()} Letters"]))
    st.hyp("a study by {U} published {D} in {J} reports that its researchers have {v} {t}.",
           [s_find], U=who(univ, swap=[(univ2, [s_other])], label="source_change",
                           change=False), D=day.slot(r), J=journal, v=verb, t=thing)
    st.hyp("the study, led by {L}, included {n} {s} over {y} years.", [s_study],
           L=who(lead, kinds=("name",)), n=count(r, n), s=subjects,
           y=same_alts([words(yrs), str(yrs)], number_change=[words(yrs + 1), words(yrs + 3)]))
    Ld = who(lead, swap=[(other, [s_other])], label="source_change", kinds=("name",))
    st.hyp("{L} said the findings {cl} within {w} years.", [s_study, s_lead], L=Ld,
           cl=claim("may", f"lead to {app}", past=True, fact=f"had already led to {app}",
                    preds=[f"rule out {app}"]),
           w=count(r, within))
    st.hyp("{L} {ca} that more research was needed.", [s_study, s_lead], L=Ld,
           ca=same_alts(["cautioned", "warned"], polarity_flip=["denied"]))
    st.hyp("the research was funded by {F}.", [s_fund], F=who(fund))
    st.hyp("{O}, who {w} in the study, called the results promising.", [s_other],
           O=who(other, kinds=("name", "appos")),
           w=same_alts(["was not involved", "had no part"],
                       polarity_flip=["was involved", "took part"]))
    direct, indirect = r.choice([
        ("We were surprised by how strong the effect was",
         "the researchers had been surprised by how strong the effect was"),
        ("This is a first step, not a cure", "it was a first step, not a cure"),
        ("Nobody expected to find this", "nobody had expected to find it")])
    s_q = st.add(f'"{direct}," {lead.last} said.')
    add_quote(st, c, Person(lead.name, lead.last, lead.female, "", "the study's lead author", []),
              direct,
              indirect, [s_study, s_q], [(other, [s_other])])
    st.hyp("researchers at {U} have {v} {t}, according to a study led by {L} that involved {n} "
           "{s} over {y} years.", [s_find, s_study], U=U, v=vb, t=thing,
           L=who(lead, kinds=("name",)), n=count(r, n), s=subjects,
           y=same_alts([words(yrs)], number_change=[words(yrs + 2)]))
    return st


@frame
def infrastructure(c: Ctx) -> Story:
    """Plans for a bridge, tunnel or rail line are approved."""
    r = c.rng
    st = Story("infrastructure")
    kind = r.choice(["rail line", "bridge", "road tunnel", "tram line", "motorway"])
    town, town2 = c.town(), c.town()
    km = r.randint(2, 90)
    cost = rand_amount(r, big=True)
    year = r.randint(2028, 2036)
    mon = r.randint(1, 12)
    day = new_day(r)
    gov = Org(r.choice([f"the {c.adj} government", f"the {bare(c.regions[0])} regional council"]),
              "the authorities")
    co = Org(f"{c.brand()} Construction", "the construction group")
    co2 = Org(f"{c.brand()} Infrastructure", "its rival")
    cnow, cpast = r.choice([
        ("an environmental review is completed", "an environmental review was completed"),
        ("parliament approves the funding", "parliament approved the funding"),
        ("a loan from the regional development bank is confirmed",
         "a loan from the regional development bank was confirmed")])
    wet = f"the {c.town()} wetlands"
    s_app = st.add(f"{gov.name} {day.ref()} approved plans for a {km}-kilometre {kind} linking "
                   f"{town} and {town2}.")
    s_cost = st.add(f"The project is expected to cost {ref_money(cost, c.cur)} and to be "
                    f"completed by {year}.")
    s_start = st.add(f"Construction will begin in {MONTHS[mon - 1]} provided that {cnow}.")
    s_con = st.add(f"{co.name} won the contract to build the {kind}, beating {co2.name}.")
    s_env = st.add(f"Environmental groups said the route would threaten {wet} and vowed to "
                   f"challenge the decision in court.")
    G = who(gov, change=False, swap=[(co, [s_con])])
    K = same_alts([f"{km}-kilometre", f"{km}-km"],
                  number_change=[f"{km + 10}-kilometre", f"{km * 2}-kilometre"])
    L = same_alts([f"{town} and {town2}", f"{town2} and {town}"],
                  location_change=[f"{town} and {c.town()}", f"{c.town()} and {town2}"])
    appr = same_alts(["approved", "gave the go-ahead for"],
                     predicate_change=["shelved", "postponed"], polarity_flip=["rejected"])
    st.hyp("{G} {a} plans for a {k} {ki} between {L} {D}.", [s_app], G=G, a=appr, k=K, ki=kind,
           L=L, D=day.slot(r))
    st.hyp("plans for a {k} {ki} linking {L} were {a} {D}.", [s_app], k=K, ki=kind, L=L,
           D=day.slot(r), a=same_alts(["approved"], polarity_flip=["rejected"],
                                      predicate_change=["shelved", "delayed"]))
    st.hyp("the {ki} between {L} {e} {M}.", [s_app, s_cost], ki=kind, L=L,
           M=money(r, cost, c.cur),
           e=claim("expected", "cost", fact="has cost", vps=["come in at"]))
    st.hyp("the {ki} {e} {Y}.", [s_cost], ki=kind, Y=year_slot(year),
           e=claim("expected", "be completed", fact="was completed", vps=["be finished"]))
    cnd = cond([f"provided that {cnow}", f"as long as {cnow}"], [f"provided that {cpast}"],
               [("if local residents agree", "if local residents agreed"),
                ("unless " + cnow, "unless " + cpast),
                ("once the land purchases are finished", "once the land purchases were finished")])
    st.hyp("construction {cl}.", [s_start],
           cl=claim("will", f"begin in {MONTHS[mon - 1]}", cnd=cnd,
                    vps=[f"start in {MONTHS[mon - 1]}"], preds=[f"be halted in {MONTHS[mon - 1]}"]))
    st.hyp("work on the {k} {ki} {w} {M}, provided that {c}.", [s_app, s_start], k=K, ki=kind,
           w=same_alts(["will start", "will begin"], modality_shift=["may start", "has started"]),
           M=month_slot(mon), c=cnow)
    st.hyp("{C} won the contract to build the {k}, beating {C2}.", [s_con],
           C=who(co, swap=[(co2, [])], kinds=("name",)), k=kind,
           C2=who(co2, change=False, kinds=("name",)))
    st.hyp("environmental groups {v} to challenge the plans in court over {w}.", [s_env],
           v=same_alts(["vowed", "have promised"], polarity_flip=["declined"]),
           w=same_alts([wet], location_change=[f"the {c.town()} wetlands"]))
    minister = c.minister("transport")
    direct, indirect = r.choice([
        ("This project will transform the region", "the project would transform the region"),
        ("We have waited decades for this", "people had waited decades for it")])
    s_q = st.add(quote_ref(c, minister, direct))
    boss = c.executive(co.name, "chief executive")
    s_b = st.add(f"{boss.ref()} said work would be carried out in three phases.")
    add_quote(st, c, minister, direct, indirect, [s_q], [(boss, [s_b])])
    st.hyp("{G} {a} plans {D} for a {k} {ki} between {L}, which is expected to cost {M} and to be "
           "finished {Y}.", [s_app, s_cost], G=G, a=appr, D=day.slot(r), k=K, ki=kind, L=L,
           M=money(r, cost, c.cur), Y=year_slot(year))
    return st


@frame
def diplomacy(c: Ctx) -> Story:
    """Foreign ministers of two countries plan talks."""
    r = c.rng
    st = Story("diplomacy")
    c2, adj2, style2 = other_country(c)
    c3, adj3, _ = other_country(c)
    mA = c.person(f"{c.adj} Foreign Minister", f"{poss(c.country)} foreign minister",
                  [(f"{c.adj} Defence Minister", f"{poss(c.country)} defence minister"),
                   (f"{c.adj} Trade Minister", f"{poss(c.country)} trade minister")])
    mB = c.person(f"{adj2} Foreign Minister", f"{poss(c2)} foreign minister",
                  [(f"{adj2} Prime Minister", f"{poss(c2)} prime minister"),
                   (f"{adj3} Foreign Minister", f"{poss(c3)} foreign minister")],
                  style=style2)
    city = c.town()
    topic, topic2 = r.sample(["trade", "border security", "fishing rights", "energy supplies",
                              "migration", "water sharing", "visa rules"], 2)
    day = new_day(r)
    since = day.date.year - r.randint(2, 9)
    _, cpast = r.choice([
        ("if border incidents continue", "if border incidents continued"),
        ("unless tariffs are lifted", "unless tariffs were lifted"),
        ("if the other side keeps changing its demands",
         "if the other side kept changing its demands")])
    ministry = Org(f"the {c.adj} foreign ministry", "the foreign ministry")
    s_meet = st.add(f"{mA.ref()} will meet {mA.his} {adj2} counterpart {mB.name} in {city} "
                    f"{day.ref()} for talks on {topic}, {ministry.name} said.")
    s_first = st.add(f"It will be the first meeting between the two since {since}.")
    s_hope = st.add(f"{mA.last} said {mA.he} hoped to sign an agreement on {topic2} but that a "
                    f"deal would not be possible {cpast}.")
    confirmed = r.random() < 0.5
    s_conf = st.add(f"{c2} has {'' if confirmed else 'not '}confirmed the meeting.")
    direct, indirect = r.choice([
        ("We are ready to listen, but we will not give up our interests",
         f"{c2} was ready to listen but would not give up its interests"),
        ("Dialogue is the only way forward", "dialogue was the only way forward"),
        ("Our door has always been open", f"{poss(c2)} door had always been open")])
    s_q = st.add(f'"{direct}," {mB.name} said in a radio interview last week.')
    A = who(mA, kinds=("name", "pre", "appos"))
    B = who(mB, kinds=("name", "pre", "appos"))
    meet = claim("will", "meet", vps=["hold talks with"], preds=["call", "cancel a meeting with"])
    P = place(city, [], extra=towns_near(c))
    D = day.slot(r)
    st.hyp("{A} {m} {B} {P} {D} to discuss {t}.", [s_meet], A=A, m=meet, B=B, P=P, D=D, t=topic)
    st.hyp("{A} {m} {B} {D} for talks on {t}, {M} said.", [s_meet], A=A, m=meet, B=B, D=D,
           t=topic, M=same_alts([ministry.name, "the ministry"],
                                source_change=[f"the {adj2} foreign ministry", "state media"]))
    q_alt = f'"I will meet {mB.name} in {city} {day.ref()} to discuss {topic}," {mA.last} said'
    st.hyp("{x}.", [s_meet],
           x=same_alts([f"{mA.name} will meet {mB.name} in {city} {day.ref()} to discuss "
                        f"{topic}, {ministry.name} said"],
                       quote_misattribution=[q_alt]))
    st.hyp("the talks {P} will be the first between the two ministers {S}.", [s_meet, s_first],
           P=P, S=year_slot(since, "since"))
    cnd = cond([cpast], [cpast], [("if elections were called", "if elections were called"),
                                  ("unless sanctions were lifted", "unless sanctions were lifted"),
                                  ("if talks dragged on", "if talks dragged on")])
    st.hyp("{A} said {h} {ho} to sign an agreement on {t}.", [s_meet, s_hope], A=A, h=mA.he,
           t=topic2,
           ho=same_alts(["hoped", "wanted"], modality_shift=["was going", "had agreed"]))
    st.hyp("{A} said a deal on {t} {cl}.", [s_meet, s_hope], A=A, t=topic2,
           cl=claim("would", "be possible", past=True, neg=True, cnd=Cond(
               (cpast,), (cpast,), cnd.others_now, cnd.others_past)))
    st.hyp("{C} {cf} the meeting with {A}.", [s_meet, s_conf], A=who(mA),
           C=same_alts([c2], entity_change=[c3]),
           cf=same_alts(["has confirmed" if confirmed else "has not confirmed"],
                        polarity_flip=["has not confirmed" if confirmed else "has confirmed"]))
    add_quote(st, c, mB, direct, indirect, [s_meet, s_q], [(mA, [s_meet])])
    st.hyp("{A} {m} {B} {P} {D} for talks on {t}, their first meeting {S}.", [s_meet, s_first],
           A=A, m=meet, B=B, P=P, D=D, t=topic, S=year_slot(since, "since"))
    return st
# --------------------------------------------------------------------------------------------
# Foreign quotes

# Meaning type -> (speaker kind, [(faithful gloss, [shifted glosses])]). Glosses are reported
# speech; {he} is the speaker's pronoun, {town} and {n} the quote's slots.
GLOSSES: dict[str, tuple[str, list[tuple[str, list[str]]]]] = {
    "close_if": ("company", [
        ("the company could close its {town} plant if no agreement was reached",
         ["the company would close its {town} plant if no agreement was reached",
          "the company would close its {town} plant",
          "the company had decided to close its {town} plant",
          "the company could close its {town} plant even if an agreement was reached"]),
        ("the company might shut the plant in {town} if there was no deal",
         ["the company would shut the plant in {town} if there was no deal",
          "the company might shut all its plants if there was no deal",
          "the company might shut the plant in {town}"])]),
    "asked": ("government", [
        ("{he} had asked ministers to review their budgets",
         ["{he} had ordered ministers to review their budgets",
          "{he} had asked ministers to cut their budgets",
          "{he} had demanded that ministers review their budgets"]),
        ("{he} had requested that ministers look again at their budgets",
         ["{he} had instructed ministers to slash their budgets",
          "{he} had insisted that ministers look again at their budgets"])]),
    "pay_cut": ("union", [
        ("the union would not accept a pay cut dressed up as reform",
         ["the union would not accept any reform of pay",
          "the union would accept a pay cut dressed up as reform",
          "the union would not accept any reform"]),
        ("the union would reject a wage cut disguised as reform",
         ["the union would reject any pay reform",
          "the union would accept a wage cut disguised as reform"])]),
    "warn": ("government", [
        ("the government was warning of consequences if the agreement was not respected",
         ["the government was threatening retaliation if the agreement was not respected",
          "the government was warning of sanctions if the agreement was not respected",
          "the government was warning of consequences whether or not the agreement was "
          "respected"]),
        ("there would be consequences if the deal was broken",
         ["there would be reprisals if the deal was broken",
          "there would be consequences because the deal had been broken"])]),
    "jobs": ("union", [
        ("as many as {n} workers could lose their jobs",
         ["{n} workers would lose their jobs",
          "at least {n} workers could lose their jobs",
          "as many as {n} workers had lost their jobs"]),
        ("up to {n} jobs could be lost",
         ["{n} jobs would be lost", "more than {n} jobs could be lost",
          "up to {n} jobs had already been lost"])]),
    "taxes": ("government", [
        ("the government had not ruled out raising taxes",
         ["the government planned to raise taxes",
          "the government had ruled out raising taxes",
          "the government would raise taxes"]),
        ("tax rises were not off the table",
         ["tax rises were off the table", "tax rises were inevitable",
          "tax rises had been agreed"])]),
    "undecided": ("company", [
        ("no decision had yet been taken on the closure",
         ["the closure had already been decided",
          "a decision on the closure would be taken next week",
          "no closure would take place"]),
        ("the company had not yet decided whether to close the site",
         ["the company had decided to close the site",
          "the company would not close the site"])]),
    "hope_sign": ("government", [
        ("the government hoped to sign the agreement before the summer",
         ["the government would sign the agreement before the summer",
          "the government had signed the agreement",
          "the government hoped to sign the agreement after the summer"]),
        ("{he} hoped the deal would be signed before summer",
         ["{he} said the deal would be signed before summer",
          "{he} feared the deal would be signed before summer"])]),
    "regret": ("company", [
        ("the company deeply regretted what had happened",
         ["the company accepted full responsibility for what had happened",
          "the company denied any responsibility for what had happened",
          "the company did not regret what had happened"]),
        ("the company expressed deep regret over the incident",
         ["the company apologised and admitted fault for the incident",
          "the company expressed surprise over the incident"])]),
    "premature": ("government", [
        ("it was too early to talk about closing the mine",
         ["a closure of the mine was likely",
          "the mine would not be closed",
          "it was too late to save the mine"]),
        ("talk of a closure of the mine was premature",
         ["the closure of the mine was imminent",
          "talk of a closure of the mine was unfounded"])]),
    "inquiry": ("union", [
        ("the union demanded an independent investigation",
         ["the union welcomed an independent investigation",
          "the union demanded a government investigation",
          "the union had opened an independent investigation"]),
        ("the union called for an independent inquiry",
         ["the union agreed to an independent inquiry",
          "the union rejected an independent inquiry"])]),
    "fine_appeal": ("company", [
        ("the company would not pay the fine until its appeal had been decided",
         ["the company would not pay the fine",
          "the company had already paid the fine",
          "the company would pay the fine before its appeal had been decided"]),
        ("the company would only pay the fine once its appeal was settled",
         ["the company would never pay the fine",
          "the company would pay the fine at once"])]),
}

# (meaning type, language, the quote, its literal machine-style English rendering)
QUOTES: tuple[tuple[str, str, str, str], ...] = (
    ("close_if", "es", "Podríamos cerrar la planta de {town} si no hay acuerdo",
     "We could close the plant of {town} if there is no agreement"),
    ("close_if", "fr", "Nous pourrions fermer l'usine de {town} s'il n'y a pas d'accord",
     "We could close the factory of {town} if there is not an agreement"),
    ("close_if", "pt", "Poderíamos fechar a fábrica de {town} se não houver acordo",
     "We could close the factory of {town} if there is no agreement"),
    ("close_if", "de", "Wir könnten das Werk in {town} schließen, wenn es keine Einigung gibt",
     "We could close the works in {town} if there is no agreement"),
    ("close_if", "it", "Potremmo chiudere lo stabilimento di {town} se non ci sarà un accordo",
     "We could close the plant of {town} if there will not be an agreement"),
    ("close_if", "ca", "Podríem tancar la planta de {town} si no hi ha acord",
     "We could close the plant of {town} if there is no agreement"),
    ("asked", "es", "He pedido a los ministros que revisen sus presupuestos",
     "I have asked to the ministers that they review their budgets"),
    ("asked", "fr", "J'ai demandé aux ministres de revoir leurs budgets",
     "I asked to the ministers to review their budgets"),
    ("asked", "pt", "Pedi aos ministros que revejam os seus orçamentos",
     "I asked the ministers that they review their budgets"),
    ("asked", "de", "Ich habe die Minister gebeten, ihre Haushalte zu überprüfen",
     "I have asked the ministers to check their budgets"),
    ("asked", "it", "Ho chiesto ai ministri di rivedere i loro bilanci",
     "I have asked to the ministers to review their budgets"),
    ("asked", "ca", "He demanat als ministres que revisin els seus pressupostos",
     "I have asked the ministers that they review their budgets"),
    ("pay_cut", "es", "No vamos a aceptar una rebaja salarial disfrazada de reforma",
     "We are not going to accept a salary reduction disguised as reform"),
    ("pay_cut", "fr", "Nous n'accepterons pas une baisse des salaires déguisée en réforme",
     "We will not accept a lowering of the salaries disguised as reform"),
    ("pay_cut", "pt", "Não vamos aceitar um corte salarial disfarçado de reforma",
     "We are not going to accept a salary cut disguised as reform"),
    ("pay_cut", "de", "Wir werden keine Lohnkürzung akzeptieren, die als Reform verkauft wird",
     "We will accept no wage cut that is sold as reform"),
    ("pay_cut", "it", "Non accetteremo un taglio degli stipendi travestito da riforma",
     "We will not accept a cut of the salaries disguised as reform"),
    ("pay_cut", "ca", "No acceptarem una retallada salarial disfressada de reforma",
     "We will not accept a salary cut disguised as reform"),
    ("warn", "es", "Advertimos de que habrá consecuencias si no se respeta el acuerdo",
     "We warn that there will be consequences if the agreement is not respected"),
    ("warn", "fr", "Nous prévenons qu'il y aura des conséquences si l'accord n'est pas respecté",
     "We warn that there will be consequences if the agreement is not respected"),
    ("warn", "pt", "Avisamos que haverá consequências se o acordo não for respeitado",
     "We warn that there will be consequences if the agreement is not respected"),
    ("warn", "de", "Wir warnen, dass es Konsequenzen geben wird, wenn die Vereinbarung nicht "
                   "eingehalten wird",
     "We warn that there will be consequences if the agreement is not kept"),
    ("warn", "it", "Avvertiamo che ci saranno conseguenze se l'accordo non verrà rispettato",
     "We warn that there will be consequences if the agreement will not be respected"),
    ("warn", "ca", "Avisem que hi haurà conseqüències si no es respecta l'acord",
     "We warn that there will be consequences if the agreement is not respected"),
    ("jobs", "es", "Hasta {n} trabajadores podrían perder su empleo",
     "Up to {n} workers could lose their employment"),
    ("jobs", "fr", "Jusqu'à {n} salariés pourraient perdre leur emploi",
     "Until {n} employees could lose their employment"),
    ("jobs", "pt", "Até {n} trabalhadores podem perder o emprego",
     "Up to {n} workers can lose the employment"),
    ("jobs", "de", "Bis zu {n} Beschäftigte könnten ihren Arbeitsplatz verlieren",
     "Up to {n} employees could lose their workplace"),
    ("jobs", "it", "Fino a {n} lavoratori potrebbero perdere il posto",
     "Up to {n} workers could lose the post"),
    ("jobs", "ca", "Fins a {n} treballadors podrien perdre la feina",
     "Up to {n} workers could lose the job"),
    ("taxes", "es", "No descartamos subir los impuestos",
     "We do not discard raising the taxes"),
    ("taxes", "fr", "Nous n'excluons pas d'augmenter les impôts",
     "We do not exclude increasing the taxes"),
    ("taxes", "pt", "Não descartamos aumentar os impostos",
     "We do not discard increasing the taxes"),
    ("taxes", "de", "Wir schließen Steuererhöhungen nicht aus",
     "We do not exclude tax increases"),
    ("taxes", "it", "Non escludiamo di aumentare le tasse",
     "We do not exclude to increase the taxes"),
    ("taxes", "ca", "No descartem apujar els impostos",
     "We do not discard raising the taxes"),
    ("undecided", "es", "Todavía no hemos tomado ninguna decisión sobre el cierre",
     "We still have not taken any decision about the closure"),
    ("undecided", "fr", "Nous n'avons pas encore pris de décision sur la fermeture",
     "We have not yet taken a decision on the closure"),
    ("undecided", "pt", "Ainda não tomámos nenhuma decisão sobre o encerramento",
     "We still did not take any decision about the closing"),
    ("undecided", "de", "Wir haben noch keine Entscheidung über die Schließung getroffen",
     "We have still made no decision about the closure"),
    ("undecided", "it", "Non abbiamo ancora preso alcuna decisione sulla chiusura",
     "We have not yet taken any decision on the closure"),
    ("undecided", "ca", "Encara no hem pres cap decisió sobre el tancament",
     "We still have not taken any decision on the closure"),
    ("hope_sign", "es", "Esperamos firmar el acuerdo antes del verano",
     "We hope to sign the agreement before the summer"),
    ("hope_sign", "fr", "Nous espérons signer l'accord avant l'été",
     "We hope to sign the agreement before the summer"),
    ("hope_sign", "pt", "Esperamos assinar o acordo antes do verão",
     "We hope to sign the agreement before the summer"),
    ("hope_sign", "de", "Wir hoffen, das Abkommen vor dem Sommer zu unterzeichnen",
     "We hope to sign the agreement before the summer"),
    ("hope_sign", "it", "Speriamo di firmare l'accordo prima dell'estate",
     "We hope to sign the agreement before of the summer"),
    ("hope_sign", "ca", "Esperem signar l'acord abans de l'estiu",
     "We hope to sign the agreement before the summer"),
    ("regret", "es", "Lamentamos profundamente lo ocurrido",
     "We lament deeply what occurred"),
    ("regret", "fr", "Nous regrettons profondément ce qui s'est passé",
     "We regret deeply what has happened"),
    ("regret", "pt", "Lamentamos profundamente o que aconteceu",
     "We lament deeply what happened"),
    ("regret", "de", "Wir bedauern zutiefst, was passiert ist",
     "We regret deeply what has happened"),
    ("regret", "it", "Siamo profondamente dispiaciuti per quanto accaduto",
     "We are deeply sorry for how much occurred"),
    ("regret", "ca", "Lamentem profundament el que ha passat",
     "We lament deeply what has happened"),
    ("premature", "es", "Es prematuro hablar de un cierre de la mina",
     "It is premature to speak of a closure of the mine"),
    ("premature", "fr", "Il est prématuré de parler d'une fermeture de la mine",
     "It is premature to speak of a closure of the mine"),
    ("premature", "pt", "É prematuro falar de um encerramento da mina",
     "It is premature to speak of a closing of the mine"),
    ("premature", "de", "Es ist verfrüht, von einer Schließung der Mine zu sprechen",
     "It is premature to speak of a closure of the mine"),
    ("premature", "it", "È prematuro parlare di una chiusura della miniera",
     "It is premature to speak of a closure of the mine"),
    ("premature", "ca", "És prematur parlar d'un tancament de la mina",
     "It is premature to speak of a closure of the mine"),
    ("inquiry", "es", "Exigimos una investigación independiente",
     "We demand an independent investigation"),
    ("inquiry", "fr", "Nous exigeons une enquête indépendante",
     "We demand an independent inquiry"),
    ("inquiry", "pt", "Exigimos uma investigação independente",
     "We demand an independent investigation"),
    ("inquiry", "de", "Wir fordern eine unabhängige Untersuchung",
     "We demand an independent investigation"),
    ("inquiry", "it", "Pretendiamo un'indagine indipendente",
     "We demand an independent investigation"),
    ("inquiry", "ca", "Exigim una investigació independent",
     "We demand an independent investigation"),
    ("fine_appeal", "es", "No pagaremos la multa hasta que se resuelva el recurso",
     "We will not pay the fine until the appeal is resolved"),
    ("fine_appeal", "fr", "Nous ne paierons pas l'amende tant que le recours n'est pas tranché",
     "We will not pay the fine as long as the appeal is not decided"),
    ("fine_appeal", "pt", "Não pagaremos a multa até que o recurso seja decidido",
     "We will not pay the fine until the appeal is decided"),
    ("fine_appeal", "de", "Wir werden die Strafe erst zahlen, wenn über den Einspruch "
                          "entschieden ist",
     "We will pay the penalty only when about the appeal is decided"),
    ("fine_appeal", "it", "Non pagheremo la multa finché il ricorso non sarà deciso",
     "We will not pay the fine until the appeal will not be decided"),
    ("fine_appeal", "ca", "No pagarem la multa fins que es resolgui el recurs",
     "We will not pay the fine until the appeal is resolved"),
)

LANGS = {"es": ("Spanish", "es"), "fr": ("French", "fr"), "pt": ("Portuguese", "pt"),
         "de": ("German", "de"), "it": ("Italian", "it"), "ca": ("Catalan", "es")}
_SEP = {"es": ".", "pt": ".", "de": ".", "it": ".", "ca": ".", "fr": "\u202f"}


def foreign_story(c: Ctx) -> Story:
    """A foreign-language quote: the premise is its literal English rendering (with the
    speaker), the hypotheses are outlets' English glosses, faithful or shifted
    (translation_shift)."""
    r = c.rng
    kind, lang, text, mt = r.choice(QUOTES)
    lang_name, style = LANGS[lang]
    who_kind, glosses = GLOSSES[kind]
    st = Story(f"foreign_quote_{lang}")
    town = c.town(style)
    n = r.choice([r.randint(12, 95) * 10, r.randint(11, 60) * 100])
    foreign = text.format(town=town, n=f"{n:,}".replace(",", _SEP[lang]))
    english = mt.format(town=town, n=f"{n:,}")
    if who_kind == "company":
        org, _ = c.company(r.choice(["steel", "auto", "chem", "food", "energy", "airline"]))
        sp = c.executive(org.name, r.choice(["chief executive", "chair"]))
        context = f"{org.name} employs {ref_count(n, 'about')} people in {town}."
    elif who_kind == "union":
        wk, wk2, _, _ = r.choice(V.UNION_SECTORS)
        union = f"the National Union of {wk2}"
        sp = c.person("union leader", "the union leader",
                      [("union treasurer", "the union treasurer")], style=style)
        context = f"{cap(union)} represents about {wire_int(n)} {wk} in {town}."
    else:
        sp = c.minister(r.choice(["finance", "economy", "foreign", "labour", "industry"]))
        context = f"The government took office in {r.randint(2016, 2024)}."
    mt_sent = r.choice([f'"{english}," {sp.ref(end=True)} declared.',
                        f'"{english}," said {sp.ref(end=True)}.',
                        f'{sp.ref()} affirmed: "{english}."'])
    s_q = st.add(mt_sent)
    st.add(context)
    fmt = {"he": sp.he, "town": town, "n": f"{n:,}"}
    G = tuple(seg(f.format(**fmt), translation_shift=[a.format(**fmt) for a in alts])
              for f, alts in glosses)
    S = who(sp, change=False, kinds=("name", "pre", "title") if sp.pre else ("name", "title"))
    S_end = who(sp, change=False,
                kinds=("name", "pre", "title") if sp.pre else ("name", "title"))
    st.hyp("{S} said {g}.", [s_q], S=S, g=G)
    st.hyp('"{f}," {S} said, meaning that {g}.', [s_q], S=S_end, g=G, f=foreign)
    st.hyp("{S} said {g}, according to a translation of {h} remarks.", [s_q], S=S, g=G,
           h=sp.his)
    st.hyp("in remarks in {l}, {S} said {g}.", [s_q], S=S, g=G, l=lang_name)
    st.hyp('{S} said in {l} that {g} ("{f}").', [s_q], S=S, g=G, l=lang_name, f=foreign)
    return st


# --------------------------------------------------------------------------------------------
# Emission


@dataclass
class Balancer:
    """Chooses drift types so that they stay balanced over the whole run."""

    counts: dict[str, int] = field(default_factory=lambda: {t: 0 for t in TYPES})

    def pick(self, rng: random.Random, labels: Sequence[str]) -> str:
        """One of ``labels``, the less drawn so far the likelier."""
        low = min(self.counts[lab] for lab in labels)
        weights = [1.0 / (1 + self.counts[lab] - low) ** 3 for lab in labels]
        label = rng.choices(list(labels), weights)[0]
        self.counts[label] += 1
        return label


_TOK = re.compile(r"\S+")
_TRIM = " ,.;:!?\"'“”‘’()"


def local_span(old: str, new: str) -> tuple[int, int]:
    """The word range of ``new`` that differs from ``old`` (all of ``new`` for a deletion)."""
    a = [m.group() for m in _TOK.finditer(old)]
    bm = list(_TOK.finditer(new))
    b = [m.group() for m in bm]
    p = 0
    while p < min(len(a), len(b)) and a[p] == b[p]:
        p += 1
    s = 0
    while s < min(len(a), len(b)) - p and a[-1 - s] == b[-1 - s]:
        s += 1
    if p < len(b) - s:
        return bm[p].start(), bm[len(b) - s - 1].end()
    return 0, len(new)


def _namey(tok: str) -> bool:
    return tok[:1].isupper() or tok in ("da", "do", "de", "del", "di") or tok.startswith("el-")


def whole_names(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` of ``text`` widened so that it does not cut a multi-word place name."""
    toks = list(_TOK.finditer(text))
    first = next(i for i, m in enumerate(toks) if m.end() > start)
    last = max(i for i, m in enumerate(toks) if m.start() < end)
    while first > 0 and _namey(toks[first].group()) and _namey(toks[first - 1].group()):
        first -= 1
    while last + 1 < len(toks) and _namey(toks[last].group().rstrip(",")) and _namey(
            toks[last + 1].group()) and not toks[last].group().endswith(","):
        last += 1
    return toks[first].start(), toks[last].end()


def render(parts: Sequence[str]) -> tuple[str, list[int]]:
    """The sentence of ``parts`` (first letter capitalised) and each part's start offset."""
    starts, pos = [], 0
    for p in parts:
        starts.append(pos)
        pos += len(p)
    text = cap("".join(parts))
    if text.endswith(".."):  # "... at 6:10 p.m." ending the sentence
        text = text[:-1]
    return text, starts


def trim(new: str, old: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``start:end`` past spaces and punctuation while outside it ``new`` still matches
    ``old``."""
    s, e = start, end
    while s < e and new[s] in _TRIM:
        s += 1
    while e > s and new[e - 1] in _TRIM:
        e -= 1
    outside = s + len(new) - e
    if s < e and old.startswith(new[:s]) and old.endswith(new[e:]) and outside <= len(old):
        return s, e
    return start, end


def build_premise(story: Story, needed: Sequence[int], rng: random.Random) -> str:
    """The reference sentences ``needed``, sometimes with one unrelated sentence, in order."""
    idx = sorted(set(needed))
    rest = [i for i in range(len(story.ref)) if i not in idx]
    if rest and len(idx) < 3 and rng.random() < 0.3:
        idx = sorted([*idx, rng.choice(rest)])
    return " ".join(story.ref[i] for i in idx)


def emit(story: Story, rng: random.Random, bal: Balancer, group: str) -> Iterator[Example]:
    """The same/drifted pairs of one story."""
    k = rng.choice([2, 2, 3])
    templates = rng.sample(story.templates, min(k, len(story.templates)))
    source = f"synth:{story.name}"
    for t in templates:
        chosen: list[str | Seg] = [p if isinstance(p, str) else rng.choice(p) for p in t.parts]
        labels = sorted({lab for p in chosen if isinstance(p, Seg) for lab in p.alts})
        if not labels:
            continue
        label = bal.pick(rng, labels)
        where = [i for i, p in enumerate(chosen) if isinstance(p, Seg) and label in p.alts]
        i = rng.choice(where)
        piece = chosen[i]
        assert isinstance(piece, Seg)
        new_text, needs = rng.choice(piece.alts[label])
        old_parts = [p if isinstance(p, str) else p.text for p in chosen]
        new_parts = [*old_parts[:i], new_text, *old_parts[i + 1:]]
        faithful, _ = render(old_parts)
        drifted, starts = render(new_parts)
        ls, le = local_span(piece.text, new_text)
        if label == "location_change":
            ls, le = whole_names(new_text, ls, le)
        start, end = trim(drifted, faithful, starts[i] + ls, starts[i] + le)
        premise = build_premise(story, [*t.uses, *needs], rng)
        yield Example(premise, faithful, SAME, None, source, group)
        yield Example(premise, drifted, label, (start, end), source, group)


P_FOREIGN = 0.08  # share of groups that are foreign quotes (translation_shift)


def generate(n_groups: int, seed: int = 0) -> Iterator[Example]:
    """Examples of ``n_groups`` invented stories; deterministic for a given ``seed``."""
    rng = random.Random(seed)
    bal = Balancer()
    for i in range(n_groups):
        ctx = Ctx(rng)
        story = foreign_story(ctx) if rng.random() < P_FOREIGN else rng.choice(FRAMES)(ctx)
        yield from emit(story, rng, bal, f"synth-{seed}-{i}")
