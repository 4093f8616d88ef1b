"""What the judge is asked in an audit: one pair per article sentence and per glossed passage.

- **sentence pairs**: an article sentence (in English: translated when foreign, its foreign
  quotes replaced by their translation) against its reference context, the ``TOP_K`` reference
  claims that align with it best, in reference order (``drift.judge.context`` says why);
- **gloss pairs**: a translated quote or sentence (the machine translation) against the English
  words the article gives for it, found as ``compare.translation_shifts`` finds them.

``labelled_pairs`` builds the same pairs for a set folder with gold labels, for measuring a
judge (the gate of ``make train-judge``) and for the in-style part of its training data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from drift.judge.context import TOP_K

if TYPE_CHECKING:
    from drift.align import Index
    from drift.claims import Claim

# The best counterpart must score at least this (drift.align.similarity) for a sentence to be
# judged: below it the reference says nothing about the sentence. Lower than the comparators'
# MIN_SCORE (0.28): heavily reworded ledes of the project's sets score 0.22-0.28 with their
# reference sentence, unrelated sentences of the same story 0.10-0.20.
ALIGN_FLOOR = 0.22
# Further context sentences need only this much (merged sentences score 0.2-0.27 with their
# second counterpart: see core.FIGURE_FLOOR).
CONTEXT_FLOOR = 0.2

Kind = Literal["sentence", "gloss"]


@dataclass(frozen=True, slots=True)
class JudgedPair:
    """An article claim and what it is judged against."""

    claim: Claim
    context: tuple[Claim, ...]  # reference claims, in reference order (empty for gloss pairs)
    premise: str
    hypothesis: str
    kind: Kind = "sentence"


# Reference sentences added to a premise because they give a date or a figure the article
# sentence gives and its aligned sentences do not (background restated from elsewhere in the
# reference: "He was arrested on Thursday"). Measured on the development pairs with one such
# sentence: ROC AUC 0.830 against 0.833 without, so none by default.
ANCHORS = 0


def facts(c: Claim) -> set[str]:
    """Dates (and their parts: 'thursday', '02-13') and figures of 10 or more of a claim."""
    out = {p for d in c.dates for p in d.split()}
    out |= {f"{q.value:g}" for q in c.numbers if q.value >= 10}
    return out


def sentence_pairs(claims: Sequence[Claim], index: Index, k: int = TOP_K,
                   anchors: int = ANCHORS) -> list[JudgedPair]:
    """A pair for each claim (headlines included) whose best counterpart in ``index`` scores
    ``ALIGN_FLOOR`` or more."""
    out = []
    for d in claims:
        ranked = index.ranked(d, min_score=CONTEXT_FLOOR, top=k)
        if not ranked or ranked[0].score < ALIGN_FLOOR:
            continue
        chosen = [al.other for al in ranked]
        wanted = facts(d) - {f for c in chosen for f in facts(c)}
        if anchors and wanted:
            for r in index.claims:
                if len(chosen) >= k + anchors or not wanted:
                    break
                if r not in chosen and facts(r) & wanted:
                    chosen.append(r)
                    wanted -= facts(r)
        context = tuple(sorted(chosen, key=lambda c: c.span.start))
        premise = " ".join(c.text.strip() for c in context)
        out.append(JudgedPair(d, context, premise, d.text.strip()))
    return out


def gloss_pairs(claims: Sequence[Claim]) -> list[JudgedPair]:
    """(machine translation, English gloss) pairs of one article's claims."""
    from drift.compare import glosses

    return [JudgedPair(holder, (), mt.strip(), gloss.strip(), "gloss")
            for holder, mt, gloss in glosses(claims)]


# -- labelled sets ---------------------------------------------------------------------------


def locate(text: str, needle: str) -> tuple[int, int] | None:
    """Where a gold label's text lies in an article (whitespace-tolerant, as the scorer)."""
    i = text.find(needle)
    if i >= 0:
        return i, i + len(needle)
    pattern = r"\s+".join(re.escape(p) for p in needle.split())
    m = re.search(pattern, text, flags=re.IGNORECASE)
    return (m.start(), m.end()) if m else None


SKIP = "skip"  # a pair on an unsupported addition or an omission: not a sentence-level change


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """A judged pair with its gold label: ``same``, a drift type, or ``skip``."""

    story: str
    article: str
    pair: JudgedPair
    label: str
    gold_text: str | None


def labelled_pairs(folder: Path, translator: str = "auto") -> list[LabelledPair]:
    """Every sentence and gloss pair of a labelled set (``labels.json`` beside its articles),
    with the gold type of the drift its sentence carries."""
    from drift.align import Index
    from drift.claims import extract, units
    from drift.core import prepare

    ref = next((folder / n for n in ("reference.txt", "reference.md")
                if (folder / n).is_file()), None)
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    prepared = prepare([folder], reference=ref, translator=translator)
    all_units = [u for a in prepared.articles
                 for u in units(a, prepared.segmentations[a.id], prepared.passages[a.id])]
    claims = extract(all_units)
    ref_article = next((a for a in prepared.articles if a.reference), None)
    if ref_article is None:
        return []
    texts = {a.id: a.text for a in prepared.articles}
    by_article: dict[str, list[Claim]] = {a.id: [] for a in prepared.articles}
    for c in claims:
        by_article[c.article].append(c)
    index = Index(by_article[ref_article.id])
    gold: dict[str, list[tuple[int, int, str, str]]] = {}
    for g in labels.get("drifts", []):
        aid = next((a for a in texts if a == g["article"] or a.startswith(g["article"] + "_")),
                   None)
        where = locate(texts[aid], g["text"]) if aid else None
        if aid and where:
            gold.setdefault(aid, []).append((*where, g["type"], g["text"]))
    out = []
    for art in prepared.articles:
        if art.reference:
            continue
        mine = by_article[art.id]
        for pair in [*sentence_pairs(mine, index), *gloss_pairs(mine)]:
            span = pair.claim.span
            hits = [(t, txt) for a, b, t, txt in gold.get(art.id, ())
                    if a < span.end and span.start < b]
            if not hits:
                label, text = "same", None
            elif any(t in {"unsupported_addition", "omission"} for t, _ in hits):
                label, text = SKIP, hits[0][1]
            else:
                label, text = hits[0]
            out.append(LabelledPair(folder.name, art.id, pair, label, text))
    return out
