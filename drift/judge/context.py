"""The premise of a judged pair: the reference sentences that bear on an article sentence.

An article sentence is judged against its ``k`` best counterparts in the reference, given in
reference order, not against one sentence: re-reports merge facts from several sentences ("The
ferry left Port Arden at 06:10 on Tuesday with 212 passengers" against three sentences that say
each of those), and a judge that saw one of them would call the rest a change. SummaC and
AlignScore chunk the source the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Context sentences per premise. Three covers the merged sentences of the project's sets (a
# re-report merges at most three reference sentences) and keeps a pair within the judge's 192
# tokens (a fourth sentence moved the development ROC AUC by less than 0.01).
TOP_K = 3
# A sentence scoring below this shares too little to be context (chrF 0..1 blended with
# content-word overlap; unrelated sentences of one story score 0.10-0.18 on the project's sets).
MIN_CONTEXT = 0.2

_WORD = re.compile(r"[A-Za-zÀ-ÿ]+|\d+(?:[.,]\d+)*")
_STOP = frozenset(
    [
        "a", "an", "the", "of", "to", "in", "on", "at", "for", "by", "with", "from", "and", "or",
        "but", "as", "is", "are", "was", "were", "be", "been", "has", "have", "had", "it", "its",
        "this", "that", "these", "those", "he", "she", "they", "his", "her", "their", "who",
        "which", "what", "said", "says", "say", "will", "would", "could", "may", "might", "not",
        "no", "after", "before", "over", "about", "into", "than", "then", "there",
    ]
)


def content(text: str) -> set[str]:
    """Lower-cased content words and figures of ``text`` (5-letter prefixes of words)."""
    out = set()
    for w in _WORD.findall(text.lower()):
        if w in _STOP:
            continue
        out.add(w if w[0].isdigit() else w[:5])
    return out


def relevance(hypothesis: str, sentence: str) -> float:
    """0..1: how much ``sentence`` bears on ``hypothesis`` (0.5 chrF + 0.5 word containment)."""
    from drift.align import _chrf

    h, s = content(hypothesis), content(sentence)
    overlap = len(h & s) / len(h) if h else 0.0
    return 0.5 * _chrf(hypothesis, sentence) + 0.5 * overlap


def select(hypothesis: str, sentences: Sequence[str], k: int = TOP_K,
           floor: float = MIN_CONTEXT) -> list[int]:
    """Indices of the ``k`` sentences most relevant to ``hypothesis`` (scoring ``floor`` or
    more), in document order."""
    scored = sorted(((relevance(hypothesis, s), i) for i, s in enumerate(sentences)),
                    key=lambda t: (-t[0], t[1]))
    return sorted(i for score, i in scored[:k] if score >= floor)


def premise(hypothesis: str, sentences: Sequence[str], k: int = TOP_K,
            floor: float = MIN_CONTEXT) -> str:
    """The premise text for ``hypothesis``: its context sentences joined, or "" when none."""
    return " ".join(sentences[i].strip() for i in select(hypothesis, sentences, k, floor))
