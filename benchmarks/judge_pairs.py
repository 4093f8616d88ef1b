"""Write the judge's pairs of labelled sets as JSON lines (``drift.judge.example.Example``).

usage: python benchmarks/judge_pairs.py SET [SET ...] --out PAIRS.jsonl [--translator auto]

Each set folder holds a reference, articles and ``labels.json``; every article sentence and
glossed passage the audit would judge becomes one example, labelled ``same`` or with the gold
drift type of the sentence (pairs on unsupported additions and omissions are left out). The
changed span is the gold text where it lies inside the hypothesis. Used for the development
pairs (threshold calibration), the held-out pairs (the gate), and the in-style training pairs.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from drift.judge.example import Example
from drift.judge.pairs import SKIP, labelled_pairs


def examples(folder: Path, translator: str, source: str) -> list[Example]:
    out = []
    for lp in labelled_pairs(folder, translator):
        if lp.label == SKIP:
            continue
        hyp = lp.pair.hypothesis
        span = None
        if lp.label != "same" and lp.gold_text:
            at = hyp.find(lp.gold_text)
            if at >= 0:
                span = (at, at + len(lp.gold_text))
        kind = "" if lp.pair.kind == "sentence" else ":gloss"
        out.append(Example(lp.pair.premise, hyp, lp.label, span,
                           f"{source}{kind}:{lp.story}/{lp.article}", lp.story))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("sets", type=Path, nargs="+")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--translator", default="auto")
    ap.add_argument("--source", default="sets")
    args = ap.parse_args()
    found = [s for s in args.sets if (s / "labels.json").is_file()]
    rows = [e for s in found for e in examples(s, args.translator, args.source)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(e.to_json() + "\n" for e in rows), encoding="utf-8")
    counts = Counter(e.label for e in rows)
    print(f"{len(rows)} pairs from {len(found)} sets -> {args.out}: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
