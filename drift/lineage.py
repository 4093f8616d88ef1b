"""Stage 9b: lineage — which article introduced each drift, which repeat it, who copied whom.

**Order.** Articles are placed in time by their ``date`` (front matter, HTML metadata, feed
dates), else by ``seen`` (when ``drift check`` first stored them). A date without a time covers
its whole day, so two articles of one day without times are not ordered; articles with no time
at all are *unordered*.

**Carriers.** The carriers of a finding's drift are the articles that say the same changed value
about the same claim: those with a finding of the same type and value on the same claim (the
same evidence span, one citing the other, or sentences sharing most of their words), and, for
values that are words (figures, dates, places, verbs, conditions), articles where a sentence
aligned with that claim holds the changed words without the right ones (carriers the
comparators missed). Findings whose change is drift's own translation's (``origin``) carry
nothing.

**Introducer and repeaters.** The introducer is the carrier published before every other dated
carrier; the later dated carriers are its repeaters, in time order; carriers without a time (or
tied for the earliest) are unordered. Each repeater's copy evidence is the wording around the
change (its sentence and two on either side, in English) that it shares with an earlier carrier
beyond the reference's wording (without a reference: beyond what most articles share), the
changed words left out and rarer wording weighing more; ``copied_from`` is the earlier carrier
it shares most with, when that reaches the copy bar (``COPY_BAR``; ``CROSS_BAR`` when one of the
two is mostly drift's translation, compared on words alone).

**Copy edges.** Each article is linked to the earlier article (or one with no known order
against it) it shares most wording with, measured the same way over whole articles, when that
reaches the bar: who reads like a rewrite of whom. Edges between articles with no known order
have no direction.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from drift.records import (
    Article,
    Carrier,
    CopyEdge,
    Dated,
    Finding,
    Lineage,
    Passage,
    Segmentation,
    StoryLineage,
    Trail,
)

if TYPE_CHECKING:
    from drift.claims import Claim

# Shared wording beyond the reference's (the weight of the shared features over the smaller
# side's own) from which an article reads like a rewrite of another: a copy edge, and for a
# carrier of a drift, copied from an earlier carrier (measured on the change's sentence and its
# neighbours). Articles in the same language are compared on words and pairs of neighbouring
# words; when one of the two is mostly drift's translation, on words alone (a literal
# translation keeps few pairs) against CROSS_BAR. Calibrated on whole articles: copies in
# benchmarks/sets/lineage scored 0.44-0.94 (a copy's copy 0.14-0.21), translated copies
# 0.27 on words alone; independent rewrites of one story (the project's development sets, the
# shared development sets and the seeds: 161 pairs) at most 0.20, and 0.13 on words alone
# across languages (11 pairs).
COPY_BAR = 0.3
CROSS_BAR = 0.18
# The wording around a change: its sentence and this many on either side.
CONTEXT_REACH = 2
# Fewer own features than this on a side: the overlap is measured over this many.
MIN_FEATURES = 6
# Two findings of one value are about the same claim when their sentences share this much of
# their content words (Jaccard), failing the same evidence.
SAME_CLAIM = 0.3
# Copy edges: each article is compared with at most this many others (those sharing the most
# rare features), and features found in more than POSTINGS_CAP articles are not used to pick
# them, so a set of 1,000 articles costs about 30 comparisons per article.
EDGE_PEERS = 30
POSTINGS_CAP = 200
# A sentence is looked for as a missed carrier by its alignment with at most this many claims
# the drift's findings cite and as many of its carriers' own.
ANCHORS = 5
# Types whose changed value is made of words a sentence either holds or not; a carrier the
# comparators missed is looked for only for these (a name in an actor's place is not that).
SEARCHED = frozenset({"number_change", "date_change", "location_change", "predicate_change",
                      "polarity_flip", "condition_change"})

STOPWORDS = frozenset((
    "a", "about", "after", "again", "against", "all", "also", "an", "and", "any", "are", "as",
    "at", "be", "been", "before", "being", "both", "but", "by", "can", "could", "did", "do",
    "does", "during", "each", "for", "from", "had", "has", "have", "he", "her", "here", "him",
    "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "may", "might", "more",
    "most", "no", "not", "now", "of", "on", "once", "only", "or", "other", "our", "out", "over",
    "said", "say", "says", "she", "should", "so", "some", "such", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "told",
    "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
))
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_THOUSANDS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ied", "ies",
             "ed", "es", "s", "e", "ly")
_DOUBLED = re.compile(r"([b-df-hj-np-tv-z])\1$")
_QUOTED = re.compile(r'“[^”\n]*”|"[^"\n]*"|«[^»\n]*»|„[^“”\n]*[“”]')


# --- words ---------------------------------------------------------------------------------


def root(word: str) -> str:
    """A crude stem that meets across inflections: extradited / extradition / extradite ->
    'extradit', transferred -> 'transfer'; numbers unchanged."""
    if word[:1].isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            stem = word[: -len(suffix)]
            if suffix in {"ed", "ing", "ings"}:
                stem = _DOUBLED.sub(r"\1", stem)
            return stem
    return word


def number(token: str) -> str:
    """'2,100' and '2.100' -> '2100'; '8,2' -> '8.2'; '8.2' unchanged."""
    if _THOUSANDS.match(token):
        return re.sub(r"[.,]", "", token)
    return token.replace(",", ".")


@dataclass(frozen=True, slots=True)
class Token:
    root: str | None  # None for a stop word
    start: int  # in the text it was read from
    end: int
    word: str  # lower case, numbers normalised
    line: int = 0  # the line (a sentence, in a View) it is on


def tokens(text: str) -> list[Token]:
    """Words and numbers of ``text`` with their offsets and line numbers; stop words keep no
    root."""
    out = []
    line, seen = 0, 0
    for m in _TOKEN.finditer(text):
        line += text.count("\n", seen, m.start())
        seen = m.start()
        raw = m.group()
        if raw[0].isdigit():
            word = number(raw)
            out.append(Token(word, m.start(), m.end(), word, line))
            continue
        word = raw.lower()
        keep = len(word) > 2 and word not in STOPWORDS
        out.append(Token(root(word) if keep else None, m.start(), m.end(), word, line))
    return out


@lru_cache(maxsize=65536)
def roots(text: str | None) -> frozenset[str]:
    """The content roots of ``text`` (numbers included); remembered, as claims recur across
    the audits of a process (``drift watch``, a worker)."""
    return frozenset(t.root for t in tokens(text or "") if t.root is not None)


def features(toks: Sequence[Token]) -> frozenset[str]:
    """Content roots and each pair of neighbouring content roots of one line (in either order:
    a literal translation often swaps them, 'frozen fish' / 'fish frozen')."""
    content = [t for t in toks if t.root is not None]
    pairs = {" ".join(sorted((str(a.root), str(b.root))))
             for a, b in itertools.pairwise(content) if a.line == b.line}
    return frozenset(t.root for t in content if t.root is not None) | frozenset(pairs)


# --- time ----------------------------------------------------------------------------------

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class When:
    """A time an article is placed at: ``[start, end)``, a day long when only the day is
    known, a second long otherwise."""

    start: datetime
    end: datetime
    text: str  # ISO 8601: the day alone, or the time in UTC
    source: Literal["date", "seen"]

    def before(self, other: When) -> bool:
        """Known to come first: over before the other begins."""
        return self.end <= other.start


def parse_time(value: str | None) -> tuple[datetime, datetime, str] | None:
    """(start, end, ISO text) of an ISO 8601 date or time, an RFC 822 date (feeds) or a date
    written out ('3 March 2026 09:15'); None when it cannot be read. A time without a zone is
    taken as UTC."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if _DAY.fullmatch(text):
        try:
            day = datetime.fromisoformat(text).replace(tzinfo=UTC)
        except ValueError:
            return None
        return day, day + timedelta(days=1), text
    when: datetime | None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            when = _written_out(text)
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    when = when.astimezone(UTC)
    if not re.search(r"\d:\d\d", text) and when.time() == datetime.min.time():
        day = when.replace(hour=0, minute=0, second=0, microsecond=0)
        return day, day + timedelta(days=1), day.date().isoformat()
    return when, when + timedelta(seconds=1), when.replace(microsecond=0).isoformat()


def _written_out(text: str) -> datetime | None:
    """A date in words ('March 3, 2026'); dateparser is imported only here."""
    if not re.search(r"\d{4}", text):
        return None  # no year: not a publication date
    import dateparser  # type: ignore[import-untyped]

    found = dateparser.parse(text, settings={"TIMEZONE": "UTC", "RETURN_AS_TIMEZONE_AWARE": True,
                                             "REQUIRE_PARTS": ["day", "month", "year"]})
    return found if isinstance(found, datetime) else None


def article_time(article: Article) -> When | None:
    """When the article was published (its ``date``), else first seen by ``drift check``."""
    for value, source in ((article.date, "date"), (article.seen, "seen")):
        parsed = parse_time(value)
        if parsed is not None:
            start, end, text = parsed
            return When(start, end, text, "date" if source == "date" else "seen")
    return None


def precedes(times: Mapping[str, When | None], a: str, b: str) -> bool:
    """Whether article ``a`` is known to come before ``b``."""
    ta, tb = times.get(a), times.get(b)
    return ta is not None and tb is not None and ta.before(tb)


# --- the articles in English ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class View:
    """An article in English (foreign passages replaced by their translations), its tokens,
    and where each of its sentences lies in it."""

    text: str
    toks: tuple[Token, ...]
    # (start, end) in the article, (start, end) in ``text``, for each sentence
    sentences: tuple[tuple[int, int, int, int], ...]
    translated: bool = False  # most of it is drift's translation

    def bar(self, other: View) -> float:
        """The copy bar against ``other``: CROSS_BAR when one of the two is a translation."""
        return CROSS_BAR if self.translated or other.translated else COPY_BAR

    def sentence_at(self, start: int, end: int) -> int | None:
        """The index of the sentence that holds most of the article's span ``[start, end)``."""
        best, best_n = None, 0
        for i, (s, e, _vs, _ve) in enumerate(self.sentences):
            n = min(e, max(end, start + 1)) - max(s, start)
            if n > best_n:
                best, best_n = i, n
        return best

    def window(self, i: int, reach: int = 1) -> tuple[Token, ...]:
        """The tokens of sentence ``i`` and ``reach`` sentences on either side."""
        lo = self.sentences[max(0, i - reach)][2]
        hi = self.sentences[min(len(self.sentences) - 1, i + reach)][3]
        return tuple(t for t in self.toks if lo <= t.start and t.end <= hi)


def english_view(article: Article, seg: Segmentation, passages: Sequence[Passage]) -> View:
    """The article read in English, sentence by sentence (remembered by its text, segmentation
    and passages: an article audited again in the same process is read once)."""
    try:
        return _english_view(article.text, seg, tuple(passages))
    except TypeError:  # an unhashable field: read it again
        return _english_view.__wrapped__(article.text, seg, tuple(passages))


@lru_cache(maxsize=4096)
def _english_view(article_text: str, seg: Segmentation, passages: tuple[Passage, ...]) -> View:
    done = sorted((p for p in passages if p.translation is not None),
                  key=lambda p: (p.span.start, -p.span.end))
    parts: list[str] = []
    sentences = []
    pos = 0
    for sent in seg.sentences:
        s, e = sent.span.start, sent.span.end
        pieces, at = [], s
        for p in done:
            if p.span.start < at or p.span.end > e or p.span.start >= e:
                continue
            pieces.append(article_text[at:p.span.start])
            pieces.append(p.translation.text if p.translation else "")
            at = p.span.end
        pieces.append(article_text[at:e])
        english = " ".join("".join(pieces).split())
        if parts:
            parts.append("\n")
            pos += 1
        sentences.append((s, e, pos, pos + len(english)))
        parts.append(english)
        pos += len(english)
    text = "".join(parts)
    # The words inside quotation marks are the speaker's, which every outlet may quote: they are
    # no evidence of who copied whom. Their tokens keep no root (a quote translated in place
    # is found by its words: the quotation marks stay around the translation).
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    toks = tuple(replace(t, root=None) if any(s <= t.start and t.end <= e for s, e in quoted)
                 else t for t in tokens(text))
    foreign = sum(p.span.end - p.span.start for p in done if p.kind == "sentence")
    return View(text, toks, tuple(sentences), 2 * foreign > len(article_text.strip()))


# --- copy evidence -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Overlap:
    score: float
    shared: str | None


@dataclass(frozen=True, slots=True)
class Wording:
    """What copy evidence is measured against: the wording every copy may share (``base``: the
    reference's, else what most articles share) and each feature's weight, its inverse
    frequency among the articles (wording few articles share tells more of who copied whom)."""

    base: frozenset[str]
    weights: Mapping[str, float]
    default: float  # the weight of a feature no article holds twice

    def weight(self, fs: Iterable[str]) -> float:
        return sum(self.weights.get(f, self.default) for f in fs)


def wording(views: Mapping[str, View], articles: Sequence[str],
            reference: str | None) -> Wording:
    """The ``Wording`` of a set: ``articles`` are those compared (the reference left out)."""
    counts: dict[str, int] = {}
    for a in articles:
        for f in features(views[a].toks):
            counts[f] = counts.get(f, 0) + 1
    n = len(articles)
    if reference is not None and reference in views:
        base = features(views[reference].toks)
    else:
        need = max(3, n // 2 + 1)
        base = frozenset(f for f, k in counts.items() if k >= need)
    weights = {f: math.log((n + 1) / k) for f, k in counts.items()}
    return Wording(base, weights, math.log(n + 1))


@dataclass(frozen=True, slots=True)
class Profile:
    """A text's own wording (its features less the base and the changed words), with their
    weights: all features, and words alone (for a pair where one side is a translation)."""

    toks: tuple[Token, ...]
    text: str
    full: frozenset[str]
    full_weight: float
    words: frozenset[str]
    words_weight: float


def profile(toks: Sequence[Token], text: str, words: Wording,
            leave_out: frozenset[str] = frozenset(),
            feats: frozenset[str] | None = None) -> Profile:
    """The ``Profile`` of ``toks`` (from ``text``); features holding a root of ``leave_out``
    (the changed words) do not count."""
    fs = (feats if feats is not None else features(toks)) - words.base
    full = frozenset(f for f in fs if not leave_out & set(f.split()))
    alone = frozenset(f for f in full if " " not in f)
    return Profile(tuple(toks), text, full, words.weight(full), alone, words.weight(alone))


def similarity(a: Profile, b: Profile, words: Wording, cross: bool) -> float:
    """The weight of the wording ``a`` and ``b`` share over the smaller side's own (at least
    ``MIN_FEATURES`` features' worth); ``cross``: words alone."""
    oa, ob = (a.words, b.words) if cross else (a.full, b.full)
    shared = oa & ob
    if not shared:
        return 0.0
    own = min(a.words_weight, b.words_weight) if cross else min(a.full_weight, b.full_weight)
    return min(1.0, words.weight(shared) / max(MIN_FEATURES * words.default / 2, own))


def shared_run(a: Profile, b: Profile, cross: bool) -> str | None:
    """The longest run of words ``a`` and ``b`` both hold with a shared root in it."""
    shared = (a.words & b.words) if cross else (a.full & b.full)
    return _longest_run(a.toks, b.toks, shared, a.text) if shared else None


def overlap(a: Sequence[Token], b: Sequence[Token], words: Wording,
            leave_out: frozenset[str] = frozenset(), a_text: str = "",
            cross: bool = False) -> Overlap:
    """How much wording ``a`` and ``b`` share beyond the base (``similarity``), and the longest
    shared run of words (from ``a_text``)."""
    pa, pb = profile(a, a_text, words, leave_out), profile(b, "", words, leave_out)
    score = similarity(pa, pb, words, cross)
    return Overlap(score, shared_run(pa, pb, cross) if score else None)


def _longest_run(a: Sequence[Token], b: Sequence[Token], shared: frozenset[str],
                 a_text: str) -> str | None:
    """The longest run of words ``a`` and ``b`` both hold, with a shared root in it."""
    at: dict[str, list[int]] = {}
    for j, t in enumerate(b):
        at.setdefault(t.word, []).append(j)
    best = (0, 0, 0)  # length, start in a, end in a (exclusive)
    prev: dict[int, int] = {}
    for i, t in enumerate(a):
        cur: dict[int, int] = {}
        for j in at.get(t.word, ()):
            n = prev.get(j - 1, 0) + 1 if i and a[i - 1].line == t.line and j and \
                b[j - 1].line == b[j].line else 1
            cur[j] = n
            if n > best[0] and any(x.root in shared for x in a[i - n + 1: i + 1]):
                best = (n, i - n + 1, i + 1)
        prev = cur
    n, lo, hi = best
    if n < 2 or not a_text:
        return None
    text = " ".join(a_text[a[lo].start: a[hi - 1].end].split())
    return text if len(text) <= 160 else text[:159].rstrip() + "…"


# --- drifts --------------------------------------------------------------------------------


def drift_key(type_: str, expected: str | None, found: str | None) -> str:
    """A stable id for one drift (its type and values), the same in every article."""
    def norm(value: str | None) -> str:
        return " ".join(sorted(roots(value)))

    text = f"{type_}|{norm(expected)}|{norm(found)}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _label(value: str | None) -> str | None:
    """A translation shift's value is 'label: text'; the label is what changed."""
    return value.split(":", 1)[0] if value and ":" in value else value


def _value_words(f: Finding) -> tuple[frozenset[str], frozenset[str]]:
    """(roots only the found value has, roots only the expected value has)."""
    found, expected = roots(_label(f.found)), roots(_label(f.expected))
    return found - expected, expected - found


def _claim_words(view: View, f: Finding) -> frozenset[str]:
    i = view.sentence_at(f.span.start, f.span.end)
    if i is None:
        return frozenset()
    _s, _e, vs, ve = view.sentences[i]
    return frozenset(t.root for t in view.toks if t.root and vs <= t.start and t.end <= ve)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _same_claim(f: Finding, g: Finding, views: Mapping[str, View]) -> bool:
    """Two findings of one value in two articles concern the same claim."""
    for e in f.evidence:
        for d in g.evidence:
            if e.article == d.article and _overlaps(e.span.start, e.span.end, d.span.start,
                                                    d.span.end):
                return True
    if any(e.article == g.article and _overlaps(e.span.start, e.span.end, g.span.start,
                                                g.span.end) for e in f.evidence) or any(
            d.article == f.article and _overlaps(d.span.start, d.span.end, f.span.start,
                                                 f.span.end) for d in g.evidence):
        return True
    if f.type == "translation_shift":  # the same foreign passage, glossed the same wrong way
        return _jaccard(roots(f.expected), roots(g.expected)) >= 0.5
    return _jaccard(_claim_words(views[f.article], f), _claim_words(views[g.article], g)) \
        >= SAME_CLAIM


def _find(parent: list[int], i: int) -> int:
    """Union-find: the representative of ``i``."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _groups(findings: Sequence[Finding], views: Mapping[str, View]) -> list[list[Finding]]:
    """Findings of one drift in several articles, grouped (set order kept; at most one finding
    per article)."""
    buckets: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.type == "omission" or f.article not in views or (
                f.origin is not None and f.origin.value == "translation"):
            continue
        value = " ".join(sorted(roots(_label(f.found))))
        buckets.setdefault((f.type, value), []).append(f)
    out: list[list[Finding]] = []
    for bucket in buckets.values():
        parent = list(range(len(bucket)))
        for i in range(len(bucket)):
            for j in range(i + 1, len(bucket)):
                if bucket[i].article != bucket[j].article and \
                        _find(parent, i) != _find(parent, j) and \
                        _same_claim(bucket[i], bucket[j], views):
                    parent[_find(parent, j)] = _find(parent, i)
        members: dict[int, list[Finding]] = {}
        for i, f in enumerate(bucket):
            members.setdefault(_find(parent, i), []).append(f)
        for group in members.values():
            one: dict[str, Finding] = {}
            for f in group:
                one.setdefault(f.article, f)
            out.append(list(one.values()))
    return out


def _search(group: Sequence[Finding], claims: Mapping[str, Sequence[Claim]],
            index: Mapping[str, Sequence[Claim]], reference: str | None,
            ) -> dict[str, tuple[int, int]]:
    """Articles outside ``group`` where a sentence aligned with the group's claim holds the
    changed words and not the right ones: article -> the sentence's span."""
    from drift.align import MIN_SCORE, similarity

    first = group[0]
    if first.type not in SEARCHED:
        return {}
    changed, right = _value_words(first)
    changed = frozenset(w for w in changed if len(w) > 2 or w[:1].isdigit())
    if not changed:
        return {}
    have = {f.article for f in group}
    by_span = {(c.article, c.span.start, c.span.end): c for cs in claims.values() for c in cs}
    anchors = [c for f in group for c in [by_span.get((f.article, f.span.start, f.span.end))]
               if c is not None]
    # The claim the drift is about: what the carriers' findings cite, and a few carriers.
    cited = [c for f in group for e in f.evidence
             for c in [by_span.get((e.article, e.span.start, e.span.end))] if c is not None]
    anchors = list({id(c): c for c in cited}.values())[:ANCHORS] + anchors[:ANCHORS]
    if not anchors:
        return {}
    postings = [set(map(id, index.get(w, ()))) for w in sorted(changed)]
    hits = set.intersection(*postings) if postings else set()
    out: dict[str, tuple[int, int]] = {}
    for c in index.get(sorted(changed)[0], ()):
        if id(c) not in hits or c.article in have or c.article == reference or c.article in out:
            continue
        words = roots(c.text)
        if right and right <= words:
            continue  # it says the right value too
        if any(similarity(c, a) >= MIN_SCORE for a in anchors):
            out[c.article] = (c.span.start, c.span.end)
    return out


def _closest(a: str, peers: Iterable[str], profiles: Mapping[str, Profile],
             views: Mapping[str, View], words: Wording) -> tuple[str | None, Overlap]:
    """The peer ``a`` reads most like a copy of, if one reaches its bar, and the overlap with it
    (else with the closest peer). Peers are ranked on words alone, which compares a translation
    with an original as it compares two originals; each is accepted on its own measure."""
    best: tuple[str | None, float, float] = (None, 0.0, -1.0)  # peer, score, rank
    accepted: tuple[str | None, float, float] = (None, 0.0, -1.0)
    for p in peers:
        cross = views[a].translated or views[p].translated
        rank = similarity(profiles[a], profiles[p], words, True)
        score = rank if cross else similarity(profiles[a], profiles[p], words, False)
        if rank > best[2]:
            best = (p, score, rank)
        if score >= views[a].bar(views[p]) and rank > accepted[2]:
            accepted = (p, score, rank)
    peer, score, _rank = accepted if accepted[0] is not None else best
    if peer is None or score <= 0:
        return None, Overlap(0.0, None)
    cross = views[a].translated or views[peer].translated
    run = shared_run(profiles[a], profiles[peer], cross)
    return (peer if accepted[0] is not None else None), Overlap(score, run)


def _nearest(a: str, peers: list[str], own: Profile, index: Mapping[str, list[str]],
             order: Mapping[str, int]) -> list[str]:
    """At most ``EDGE_PEERS`` of ``peers``: those sharing the most features with ``a`` (found
    through ``index``, features held by more than ``POSTINGS_CAP`` articles left out)."""
    if len(peers) <= EDGE_PEERS:
        return peers
    allowed = set(peers)
    counts: dict[str, int] = {}
    for f in own.full:
        posting = index.get(f, ())
        if len(posting) > POSTINGS_CAP:
            continue
        for b in posting:
            if b in allowed:
                counts[b] = counts.get(b, 0) + 1
    ranked = sorted(counts, key=lambda b: (-counts[b], order[b]))
    return ranked[:EDGE_PEERS] or peers[-EDGE_PEERS:]


def _context(view: View, start: int, end: int) -> tuple[Token, ...]:
    i = view.sentence_at(start, end)
    return view.window(i, CONTEXT_REACH) if i is not None else ()


def _lineage(drift: str, spans: Mapping[str, tuple[int, int]], ids: Mapping[str, str],
             order: Mapping[str, int], times: Mapping[str, When | None],
             views: Mapping[str, View], words: Wording,
             leave_out: frozenset[str]) -> Lineage:
    """The lineage of one drift from its carriers (article -> span of the change)."""
    arts = sorted(spans, key=order.__getitem__)
    ctx = {a: profile(_context(views[a], *spans[a]), views[a].text, words, leave_out)
           for a in arts}

    index: dict[str, list[str]] = {}
    for a in arts:
        for f in ctx[a].full:
            index.setdefault(f, []).append(a)

    def evidence(a: str, peers: list[str]) -> tuple[str | None, Overlap]:
        """The peer ``a`` shares most wording with (relative to the bar), if it reaches it."""
        return _closest(a, _nearest(a, peers, ctx[a], index, order), ctx, views, words)

    def stamp(a: str) -> str | None:
        t = times.get(a)
        return t.text if t is not None else None

    dated = [a for a in arts if times.get(a) is not None]
    earliest = min(dated, key=lambda a: (times[a].end, order[a]), default=None)  # type: ignore[union-attr]
    introducer = earliest if earliest is not None and all(
        a == earliest or precedes(times, earliest, a) for a in dated) else None
    repeaters = sorted((a for a in dated if introducer is not None and a != introducer),
                       key=lambda a: (times[a].start, order[a]))  # type: ignore[union-attr]
    unordered = [a for a in arts if a != introducer and a not in repeaters]
    reps = []
    for a in repeaters:
        peer, ov = evidence(a, [b for b in arts if precedes(times, b, a)])
        reps.append(Carrier(a, stamp(a), ids.get(a), peer, round(ov.score, 3), ov.shared))
    loose = []
    for a in unordered:
        peer, ov = evidence(a, [b for b in arts if b != a])
        loose.append(Carrier(a, stamp(a), ids.get(a), peer, round(ov.score, 3), ov.shared))
    if introducer is None:
        state: Literal["known", "partial", "unknown"] = "unknown"
    else:
        state = "partial" if loose else "known"
    intro = Carrier(introducer, stamp(introducer), ids.get(introducer)) \
        if introducer is not None else None
    return Lineage(drift, state, intro, tuple(reps), tuple(loose))


# --- the stage -----------------------------------------------------------------------------


def copy_edges(arts: Sequence[str], views: Mapping[str, View], times: Mapping[str, When | None],
               words: Wording) -> tuple[CopyEdge, ...]:
    """For each article, the edge to the earlier (or unordered) article it reads most like a
    rewrite of (relative to the bar), when they share enough wording beyond the base
    (``COPY_BAR``, ``CROSS_BAR``)."""
    order = {a: i for i, a in enumerate(arts)}
    profiles = {a: profile(views[a].toks, views[a].text, words) for a in arts}
    index: dict[str, list[str]] = {}
    for a in arts:
        for f in profiles[a].full:
            index.setdefault(f, []).append(a)
    out: dict[tuple[str, str], CopyEdge] = {}
    for a in arts:
        counts: dict[str, int] = {}
        for f in profiles[a].full:
            posting = index[f]
            if len(posting) > POSTINGS_CAP:
                continue
            for b in posting:
                if b != a and not precedes(times, a, b):
                    counts[b] = counts.get(b, 0) + 1
        peers = sorted(counts, key=lambda b: (-counts[b], order[b]))[:EDGE_PEERS]
        found, ov = _closest(a, peers, profiles, views, words)
        if found is None:
            continue
        b = found
        if precedes(times, b, a):
            out[(b, a)] = CopyEdge(b, a, True, round(ov.score, 3), ov.shared)
        else:
            pair = (min(a, b, key=order.__getitem__), max(a, b, key=order.__getitem__))
            if pair not in out or out[pair].score < ov.score:
                out[pair] = CopyEdge(pair[0], pair[1], False, round(ov.score, 3), ov.shared)
    return tuple(sorted(out.values(), key=lambda e: (order[e.source], order[e.target])))


def trace(findings: Sequence[Finding], articles: Sequence[Article],
          segmentations: Mapping[str, Segmentation],
          passages: Mapping[str, Sequence[Passage]],
          claims: Mapping[str, Sequence[Claim]]) -> tuple[list[Finding], StoryLineage | None]:
    """The findings with their ``lineage`` (where another article carries the same drift), and
    the story-level lineage; (findings, None) with fewer than two articles besides the
    reference."""
    reference = next((a.id for a in articles if a.reference), None)
    arts = [a.id for a in articles if not a.reference]
    if len(arts) < 2:
        return list(findings), None
    order = {a.id: i for i, a in enumerate(articles)}
    views = {a.id: english_view(a, segmentations[a.id], passages.get(a.id, ()))
             for a in articles}
    words = wording(views, arts, reference)
    times = {a.id: article_time(a) for a in articles if not a.reference}
    index: dict[str, list[Claim]] = {}
    for a in arts:
        for c in claims.get(a, ()):
            for w in roots(c.text):
                index.setdefault(w, []).append(c)
    lineages: dict[str, Lineage] = {}
    trails: list[Trail] = []
    for group in _groups(findings, {a: views[a] for a in arts}):
        spans = {f.article: (f.span.start, f.span.end) for f in group}
        spans |= _search(group, claims, index, reference)
        if len(spans) < 2:
            continue
        first = group[0]
        key = drift_key(first.type, first.expected, first.found)
        changed, _right = _value_words(first)
        lin = _lineage(key, spans, {f.article: f.id for f in group}, order, times, views, words,
                       changed)
        for f in group:
            lineages[f.id] = lin
        trails.append(Trail(key, first.type, first.expected, first.found, lin))
    timeline = sorted((a for a in arts if times[a] is not None),
                      key=lambda a: (times[a].start, times[a].end, order[a]))  # type: ignore
    dated = [Dated(a, t.text, t.source) for a in timeline for t in [times[a]] if t is not None]
    dated += [Dated(a, None, None) for a in arts if times[a] is None]
    story = StoryLineage(tuple(dated), copy_edges(arts, views, times, words), tuple(trails))
    out = [replace(f, lineage=lineages[f.id]) if f.id in lineages else f for f in findings]
    return out, story
