"""Calibrate the judge's audit thresholds on the development sets (never the held-out ones).

usage: python benchmarks/calibrate_judge.py [--shared ../shared] [--out reports/calibration.json]

Each calibration set (the development stories the judge was not trained on:
benchmarks/sets/dev/s*, ../shared/devset, ../shared/seeds; the former held-out collections
were calibrated on from the first to the second session of 2026-12-05, and are the judge's
training data since; never heldout-4 to heldout-19) is audited once
with the judge on, no veto and no threshold on its own findings, so every comparator finding
carries the judge's P(changed) and every judged sentence without one is a candidate finding.
The two thresholds of ``drift.judge.apply`` are then swept offline and scored with
../shared/contract/score.py, pooled over the sets:

- ``VETO_BELOW``: a comparator finding of a vetoable type is dropped below it;
- ``OWN_FROM``: the judge's own finding is kept from it (only when the gate allows findings).

It prints the pooled strict P/R/F1 for each pair and the best (highest F1 with P >= 0.80).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from eval_devset import labelled, load_scorer  # noqa: E402

from drift.core import audit  # noqa: E402
from drift.judge import apply  # noqa: E402

VETOES = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4)
CACHE = Path("reports/calibration")
OWN = (0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 1.01)


def audits(sets: list[Path]) -> list[tuple[dict, dict]]:
    """(report, labels) of each set with every judge verdict kept."""
    apply.VETO_BELOW = -1.0
    apply.OWN_FROM = 0.0
    out = []
    for s in sets:
        ref = next((s / n for n in ("reference.txt", "reference.md") if (s / n).is_file()), None)
        report = audit([s], reference=ref, judge="on", use_cache=False)
        labels = json.loads((s / "labels.json").read_text(encoding="utf-8"))
        data = json.loads(report.to_json())
        CACHE.mkdir(parents=True, exist_ok=True)
        (CACHE / f"{s.name}.json").write_text(json.dumps(data), encoding="utf-8")
        out.append((data, labels))
        print(f"audited {s.name}", file=sys.stderr, flush=True)
    return out


def keep(f: dict, veto: float, own: float) -> bool:
    p = f.get("judge_changed")
    if f.get("basis") == "judge":
        return p is not None and p >= own
    return not (p is not None and f["type"] in apply.VETOABLE and p < veto)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--shared", type=Path, default=HERE.parents[1] / "shared")
    ap.add_argument("--out", type=Path, default=Path("reports/calibration.json"))
    args = ap.parse_args()
    scorer = load_scorer(args.shared)
    # The g* and h* stories and the former held-out collections are the judge's in-style
    # training pairs (since 2026-12-05, third session): not calibrated on.
    sets = [s for s in labelled(HERE / "sets" / "dev") if s.name.startswith("s")] \
        + labelled(args.shared / "devset")
    if (args.shared / "seeds").is_dir():
        sets.append(args.shared / "seeds")
    done = audits(sets)
    rows = []
    for veto in VETOES:
        for own in OWN:
            tp = fp = fn = clean = 0
            for report, labels in done:
                filtered = {**report, "findings": [f for f in report["findings"]
                                                   if keep(f, veto, own)]}
                r = scorer.score(filtered, labels)
                tp, fp, fn = tp + r["strict"]["tp"], fp + r["strict"]["fp"], \
                    fn + r["strict"]["fn"]
                clean += r["on_clean"]
            p, rec, f1 = scorer.prf(tp, fp, fn)
            rows.append({"veto_below": veto, "own_from": own, "P": round(p, 3),
                         "R": round(rec, 3), "F1": round(f1, 3), "on_clean": clean})
            print(f"veto<{veto:<5} own>={own:<6} P={p:.3f} R={rec:.3f} F1={f1:.3f} "
                  f"clean={clean}")
    ok = [r for r in rows if r["P"] >= 0.8] or rows
    best = max(ok, key=lambda r: (r["F1"], -r["own_from"], r["veto_below"]))
    print(f"best: {best}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"rows": rows, "best": best}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
