"""Stage 5: align each claim with its counterparts in the reference or the other articles.

Similarity is surface (sacrebleu's chrF) plus content (shared lemmas, entities and numbers).
Candidates are blocked through an inverted index over content lemmas and entities, so the cost
grows with the number of claims that share words, not with all pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from drift.claims import Claim

# A pair below this score is not the same claim. Calibrated on the devset: every gold drift's
# sentence aligns with its reference sentence at 0.30 or more, while unrelated sentences of the
# same story rarely reach 0.25.
MIN_SCORE = 0.28
# Candidates must share this many content lemmas or entities (blocking).
MIN_SHARED = 2
# Posting lists longer than this are skipped when blocking (words most claims of a large set
# share); far above the size of any posting list in the devset, so small sets are unaffected.
POSTINGS_CAP = 1000
CHRF_MEMO = 1 << 18  # chrF scores remembered, by (hypothesis, reference) text


@dataclass(frozen=True, slots=True)
class Alignment:
    """A claim and its best counterpart in one other article."""

    claim: Claim
    other: Claim
    score: float


@lru_cache(maxsize=1)
def _metric() -> Any:
    """sacrebleu's chrF (character n-gram F-score), built once."""
    from sacrebleu.metrics.chrf import CHRF

    return CHRF()


def _keys(claim: Claim) -> frozenset[str]:
    keys = set(claim.lemmas) | {f"E:{e}" for e in claim.entities}
    keys |= {f"N:{q.value:g}" for q in claim.numbers}
    return frozenset(keys)


@lru_cache(maxsize=CHRF_MEMO)
def _chrf(hyp: str, ref: str) -> float:
    """chrF of ``hyp`` against ``ref``, 0..1; memoised by text (repeated sentences are common:
    wire copy, syndicated rewrites)."""
    return float(_metric().sentence_score(hyp, [ref]).score) / 100.0


def _bonus(a: Claim, b: Claim) -> float:
    # A shared specific number ("29", "212") ties two sentences to the same fact even when one is
    # a short paraphrase of a long one (seeds: "Mexico extradited 29 ..." vs the reference's
    # 30-word transfer sentence scored 0.21 without it).
    shared_numbers = {q.value for q in a.numbers} & {q.value for q in b.numbers}
    return min(0.3, 0.15 * sum(1 for v in shared_numbers if v > 10))


def _overlap(ka: frozenset[str], kb: frozenset[str]) -> float:
    """The key-overlap part of the similarity: 0.3 jaccard + 0.3 containment."""
    shared = len(ka & kb)
    return 0.3 * shared / len(ka | kb) + 0.3 * shared / min(len(ka), len(kb))


def similarity(a: Claim, b: Claim) -> float:
    """0..1: how likely two claims state the same thing."""
    ka, kb = _keys(a), _keys(b)
    if not ka or not kb:
        return 0.0
    return 0.4 * _chrf(a.text, b.text) + (_overlap(ka, kb) + _bonus(a, b))


def _similarity_bounded(a: Claim, ka: frozenset[str], b: Claim, kb: frozenset[str],
                        cheap: float) -> float:
    """``similarity(a, b)`` given the keys and the cheap (non-chrF) part already computed."""
    if not ka or not kb:
        return 0.0
    return 0.4 * _chrf(a.text, b.text) + cheap


class Index:
    """Inverted index over claims (one article, the reference, or a whole set).

    Posting lists longer than ``postings_cap`` (words nearly every claim of a large set shares)
    are not used for blocking; below the cap results equal an exhaustive search.
    """

    def __init__(self, claims: Sequence[Claim], postings_cap: int = POSTINGS_CAP) -> None:
        self.claims = list(claims)
        self.keys = [_keys(c) for c in self.claims]
        self.postings_cap = postings_cap
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, ks in enumerate(self.keys):
            for k in ks:
                self.postings[k].append(i)

    def _candidate_ids(self, keys: frozenset[str]) -> list[int]:
        counts: dict[int, int] = defaultdict(int)
        for k in keys:
            posting = self.postings.get(k, ())
            if len(posting) > self.postings_cap:
                continue
            for i in posting:
                counts[i] += 1
        return sorted(i for i, n in counts.items() if n >= MIN_SHARED)

    def candidates(self, claim: Claim) -> list[Claim]:
        return [self.claims[i] for i in self._candidate_ids(_keys(claim))]

    def best(self, claim: Claim, min_score: float = MIN_SCORE) -> Alignment | None:
        best: Alignment | None = None
        for other in self.candidates(claim):
            score = similarity(claim, other)
            if score >= min_score and (best is None or score > best.score):
                best = Alignment(claim, other, score)
        return best

    def ranked(self, claim: Claim, min_score: float = MIN_SCORE, top: int = 3) -> list[Alignment]:
        """The ``top`` best counterparts scoring ``min_score`` or more, best first (ties: earlier
        span first). chrF is computed only for candidates whose upper bound can still enter."""
        ka = _keys(claim)
        if not ka:
            return []
        scored: list[tuple[float, float, int]] = []  # (upper bound, cheap part, index)
        for i in self._candidate_ids(ka):
            kb = self.keys[i]
            if not kb:
                continue
            cheap = _overlap(ka, kb) + _bonus(claim, self.claims[i])
            bound = 0.4 + cheap
            if bound >= min_score:
                scored.append((bound, cheap, i))
        scored.sort(key=lambda t: (-t[0], t[2]))
        found: list[tuple[float, int, int]] = []  # (-score, span start, index)
        for bound, cheap, i in scored:
            if len(found) >= top:
                # The k-th best so far beats every remaining bound: nothing further can enter.
                kth = -sorted(found)[top - 1][0]
                if kth > bound:
                    break
            score = _similarity_bounded(claim, ka, self.claims[i], self.keys[i], cheap)
            if score >= min_score:
                found.append((-score, self.claims[i].span.start, i))
        found.sort()
        return [Alignment(claim, self.claims[i], -neg) for neg, _, i in found[:top]]


class SetIndex(Index):
    """One inverted index over the claims of every article of a set (consensus mode)."""

    def best_per_article(self, claim: Claim, min_score: float = MIN_SCORE,
                         peers: int | None = None) -> dict[str, Alignment]:
        """For each other article sharing enough keys with ``claim``: its best counterpart
        (the same choice ``Index(article claims).best(claim)`` makes).

        With ``peers``, only the ``peers`` articles whose candidates score highest on the cheap
        part of the similarity are scored in full (chrF): a consensus of that many articles is
        evidence enough, and it keeps the cost per claim bounded as the set grows."""
        ka = _keys(claim)
        if not ka:
            return {}
        by_article: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for i in self._candidate_ids(ka):
            other = self.claims[i]
            kb = self.keys[i]
            if other.article == claim.article or not kb:
                continue
            cheap = _overlap(ka, kb) + _bonus(claim, other)
            if 0.4 + cheap >= min_score:
                by_article[other.article].append((cheap, i))
        articles = sorted(by_article, key=lambda a: (-max(c for c, _ in by_article[a]), a))
        if peers is not None:
            articles = articles[:peers]
        best: dict[str, Alignment] = {}
        for art in articles:
            for cheap, i in sorted(by_article[art], key=lambda t: (-t[0], t[1])):
                cur = best.get(art)
                if cur is not None and cur.score >= 0.4 + cheap:
                    break  # nothing further in this article can beat it
                other = self.claims[i]
                score = _similarity_bounded(claim, ka, other, self.keys[i], cheap)
                if score >= min_score and (cur is None or score > cur.score):
                    best[art] = Alignment(claim, other, score)
        return best
