"""A surface baseline judge: the less of the premise's characters the hypothesis shares, the
more likely it changed (1 - chrF). Measured beside the learned judge, never used in an audit."""

from __future__ import annotations

from collections.abc import Sequence

from drift.judge import TYPES, Verdict


class ChrfJudge:
    """1 - chrF(hypothesis, premise) as the probability of a change; no type, no span."""

    name = "chrf"

    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        from drift.align import _chrf

        return [Verdict(1.0 - _chrf(h, p), TYPES[0], 0.0) for p, h in pairs]
