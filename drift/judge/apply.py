"""The learned judge in an audit: every judged pair in one batch, then three uses of it.

1. **re-score**: a comparator's finding takes the judge's P(changed) into its confidence;
2. **veto**: a comparator's finding on a sentence the judge is sure says the same thing is
   dropped (a paraphrase the rules took for a change), and one it doubts is kept at low
   severity, saying so;
3. **findings of its own**: where no comparator fired and the judge says changed, a finding of
   the judge's type, with the words it tagged as ``found`` and the words they replace as
   ``expected``.

Which of these run is set by the judge's gate (``drift.judge.learned.gate_mode``: held-out ROC
AUC >= 0.85 for all three, >= 0.75 for the first two) or forced by the audit's ``judge`` option.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from drift.judge import Verdict

if TYPE_CHECKING:
    from drift.claims import Claim
    from drift.judge.pairs import JudgedPair
    from drift.records import Finding

# A comparator finding moves this far toward the judge's P(changed).
RESCORE_WEIGHT = 0.5
# Below this P(changed) the judge vetoes a comparator finding of a type it reads well (see
# VETOABLE). Calibrated on the development sets (the shared devset and benchmarks/sets/dev/s*).
VETO_BELOW = 0.05
# Below this P(changed) a finding of a type the judge reads well is kept, but at low severity,
# with a sentence that says why: the judge doubts it. Calibrated with the shipped judge on
# benchmarks/sets/train-1 (written after that judge was trained, so out of its sample): of the
# comparators' medium and high findings there, those below 0.15 were 15 of 67 false and 1 of 37
# true (below 0.3: 32 false, 3 true). It stays under the true findings the judge reads worst on
# real and hand-written articles: the seeds' actor swap (0.199) and predicate change (0.205),
# and a shared devset drift (0.2 doubted it); the development stories s* have no false findings
# to calibrate on.
DOUBT_BELOW = 0.15
# Higher for a type whose comparator reads paraphrase as change: conditions reworded ("if it
# clears the Senate" / "if the Senate approves it", "should visitor numbers stay where they are")
# differ in every word. Calibrated on the condition changes of the tuning sets (train-1 to
# train-5, heldout, heldout-long, heldout-3) and the first audits of train-3 to train-5: below
# 0.3, 6 false (5 of them on clean articles) and 1 true; from 0.3 to 0.45, 3 false and 2 true.
# Lower for a quote credited to another speaker (not otherwise doubted: it rests on whom a
# pronoun or a description stands for, which the judge reads no better than the rules). On the
# first audits of train-2 to train-5 (each by the code before the round tuned on it, so their
# false findings were not fixed yet) its findings below 0.3 were 7 false and no true one, but the
# shared devset's Portuguese quote credited through a "she" is true at 0.142 (and one true one of
# the tuning sets at 0.2): below 0.1, 2 false and one at another drift's place, no true one.
# Not vetoable: a doubted credit stays, at low severity.
# Higher again for a dropped hedge and for a gloss read as shifted, calibrated on the first audits
# of train-6 to train-9 (each made by the code before the round that tuned on it, so none of
# their false findings had been fixed): the medium and high modality shifts below 0.5 were 6
# false and no true one (true ones from 0.70), the translation shifts below 0.3 were 6 false and
# no true one (no true one at all among 20). Checked on the first audit of train-10 before
# adoption: one false modality shift (0.37) and no true finding below either bar.
# Raised again for two types on the first audits of train-6 to train-12 (train-11 by the code
# before the sixteenth round, train-12 by that round's code before it read them): flipped
# polarities below 0.3 were 3 false and no true one (the tuning sets: 1 and 1), changed
# conditions below 0.4 were 3 false and no true one (2 and 1). Changed figures below 0.2 were 4
# false and no true one there too, but on the tuning sets a doubt bar also lost a figure with two
# digits swapped (148 / 184), which the judge reads no better than chance: figures stay undoubted.
# Raised for a gloss read as shifted on the first audits of train-6 to train-14 (train-13 and
# train-14 by the code before the seventeenth round): its medium and high findings there were 23
# false and no true one, 11 of them below 0.5 (the tuning sets: 1 false, and no true one below
# 0.59, the shared devset's lowest).
DOUBT_BELOW_TYPE = {"condition_change": 0.4, "quote_misattribution": 0.1, "modality_shift": 0.5,
                    "translation_shift": 0.5, "polarity_flip": 0.3}
# Findings whose evidence the rules read from figures and calendars are not vetoed: a number or a
# date the judge misreads is the judge's error, and the comparators' precision on them is 0.98 on
# the development sets.
VETOABLE = frozenset({
    "actor_swap", "entity_change", "location_change", "predicate_change", "modality_shift",
    "condition_change", "polarity_flip", "source_change", "translation_shift",
})
# The judge reports a finding of its own from this P(changed) (where its gate allows it).
# Calibrated on the development sets by benchmarks/calibrate_judge.py.
OWN_FROM = 0.98


@dataclass(frozen=True, slots=True)
class Judged:
    """A pair and its verdict."""

    pair: JudgedPair
    verdict: Verdict


def run(judge: object, pairs: Sequence[JudgedPair]) -> list[Judged]:
    """All pairs in one call of the judge."""
    from drift.judge import Judge

    assert isinstance(judge, Judge)
    verdicts = judge.judge([(p.premise, p.hypothesis) for p in pairs]) if pairs else []
    return [Judged(p, v) for p, v in zip(pairs, verdicts, strict=True)]


def by_claim(judged: Sequence[Judged]) -> dict[str, Judged]:
    """The verdict per claim id: the most confident change when a claim has several pairs (a
    sentence pair and a gloss pair)."""
    out: dict[str, Judged] = {}
    for j in judged:
        cur = out.get(j.pair.claim.id)
        if cur is None or j.verdict.p_changed > cur.verdict.p_changed:
            out[j.pair.claim.id] = j
    return out


def rescore(finding: Finding, judged: Judged | None, veto: bool = True) -> Finding | None:
    """The finding with the judge's probability in its confidence, or None when vetoed; at low
    severity when the judge doubts it (veto and doubt only with ``veto``: against a reference,
    not against one other article's sentence)."""
    if judged is None:
        return finding
    p = judged.verdict.p_changed
    if veto and p < VETO_BELOW and finding.type in VETOABLE:
        return None
    conf = (1 - RESCORE_WEIGHT) * finding.confidence + RESCORE_WEIGHT * p
    out = replace(finding, confidence=round(conf, 3), judge_changed=round(p, 3),
                  basis="rules+judge")
    doubt = DOUBT_BELOW_TYPE.get(finding.type, DOUBT_BELOW)
    if (veto and p < doubt and (finding.type in VETOABLE or finding.type in DOUBT_BELOW_TYPE)
            and finding.severity != "low"):
        out = replace(out, severity="low", explanation=(
            f"{finding.explanation} The learned judge reads the two sentences as saying the "
            f"same thing (P(changed) {p:.2f}), so this is kept at low severity."))
    return out


_WORDS = re.compile(r"\S+")


def changed_words(j: Judged) -> tuple[str, str]:
    """(expected, found): the tagged words of the article sentence, and the words of the context
    sentence they stand in place of (by a word alignment of the two)."""
    hyp = j.pair.hypothesis
    spans = j.verdict.tagged or ()
    found = " ".join(hyp[a:b] for a, b in spans[:2]).strip(" ,.;:") if spans else ""
    context = [c.text for c in j.pair.context] or [j.pair.premise]
    best = max(context, key=lambda c: difflib.SequenceMatcher(
        None, hyp.lower().split(), c.lower().split()).ratio())
    if not spans:
        return _short(best), _short(hyp)
    h_tokens = [(m.start(), m.end(), m.group()) for m in _WORDS.finditer(hyp)]
    c_words = best.split()
    sm = difflib.SequenceMatcher(None, [t[2].lower() for t in h_tokens],
                                 [w.lower() for w in c_words], autojunk=False)
    a0, b0 = spans[0]
    expected: list[str] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        start = h_tokens[i1][0] if i1 < len(h_tokens) else len(hyp)
        end = h_tokens[i2 - 1][1] if i2 > i1 else start
        if (start < b0 and a0 < end) or (i1 == i2 and a0 <= start <= b0):
            expected.extend(c_words[j1:j2])
    exp = " ".join(expected).strip(" ,.;:")
    return (_short(exp) if exp else "not said in the source"), _short(found or hyp)


def _short(text: str, words: int = 14) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def own_finding(j: Judged, version: str, threshold: float | None = None) -> Finding | None:
    """A finding of the judge's own on a pair no comparator flagged, or None."""
    from drift.compare import DEFAULT_SEVERITY, PLAIN_NAMES, finding_id
    from drift.records import Evidence, Finding

    v = j.verdict
    type_ = "translation_shift" if j.pair.kind == "gloss" else v.type
    if v.p_changed < (OWN_FROM if threshold is None else threshold):
        return None
    claim: Claim = j.pair.claim
    expected, found = changed_words(j)
    evidence = tuple(Evidence(c.article, c.span, "differs") for c in j.pair.context[:1])
    what = PLAIN_NAMES[type_].lower()
    against = "its machine translation" if j.pair.kind == "gloss" else "the source"
    explanation = (f"The learned judge (drift judge {version}) reads this sentence as changing "
                   f"what {against} says ({what}, probability {v.p_changed:.2f}): "
                   f"it says \u201c{found}\u201d where {against} says \u201c{expected}\u201d.")
    return Finding(
        id=finding_id(type_, claim.article, claim.span.start, claim.span.end, expected, found),
        type=type_,
        severity=DEFAULT_SEVERITY[type_],
        confidence=round(v.p_changed, 3),
        article=claim.article,
        span=claim.span,
        evidence=evidence,
        expected=expected,
        found=found,
        explanation=explanation,
        judge_changed=round(v.p_changed, 3),
        basis="judge",
    )
