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


def _keys(claim: Claim) -> set[str]:
    keys = set(claim.lemmas) | {f"E:{e}" for e in claim.entities}
    keys |= {f"N:{q.value:g}" for q in claim.numbers}
    return keys


def similarity(a: Claim, b: Claim) -> float:
    """0..1: how likely two claims state the same thing."""
    ka, kb = _keys(a), _keys(b)
    if not ka or not kb:
        return 0.0
    jaccard = len(ka & kb) / len(ka | kb)
    containment = len(ka & kb) / min(len(ka), len(kb))
    chrf = float(_metric().sentence_score(a.text, [b.text]).score) / 100.0
    # A shared specific number ("29", "212") ties two sentences to the same fact even when one is
    # a short paraphrase of a long one (seeds: "Mexico extradited 29 ..." vs the reference's
    # 30-word transfer sentence scored 0.21 without it).
    shared_numbers = {q.value for q in a.numbers} & {q.value for q in b.numbers}
    bonus = min(0.3, 0.15 * sum(1 for v in shared_numbers if v > 10))
    return 0.4 * chrf + 0.3 * jaccard + 0.3 * containment + bonus


class Index:
    """Inverted index over the claims of one article (or the reference)."""

    def __init__(self, claims: Sequence[Claim]) -> None:
        self.claims = list(claims)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(self.claims):
            for k in _keys(c):
                self.postings[k].append(i)

    def candidates(self, claim: Claim) -> list[Claim]:
        counts: dict[int, int] = defaultdict(int)
        for k in _keys(claim):
            for i in self.postings.get(k, ()):
                counts[i] += 1
        return [self.claims[i] for i, n in sorted(counts.items()) if n >= MIN_SHARED]

    def best(self, claim: Claim, min_score: float = MIN_SCORE) -> Alignment | None:
        best: Alignment | None = None
        for other in self.candidates(claim):
            score = similarity(claim, other)
            if score >= min_score and (best is None or score > best.score):
                best = Alignment(claim, other, score)
        return best

    def ranked(self, claim: Claim, min_score: float = MIN_SCORE, top: int = 3) -> list[Alignment]:
        scored = [Alignment(claim, o, similarity(claim, o)) for o in self.candidates(claim)]
        scored = [a for a in scored if a.score >= min_score]
        scored.sort(key=lambda a: (-a.score, a.other.span.start))
        return scored[:top]
