"""Audit every devset set (and the seeds) and print the pooled score table.

usage: python benchmarks/eval_devset.py [--shared DIR] [--translator auto] [--out reports/eval]
                                        [--sets DIR ...] [--consensus] [-v]

Scores with ../shared/contract/score.py: strict and lenient precision / recall / F1 per set and
pooled over the devset, findings of medium or high severity on clean articles, passages found.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from drift.core import audit


def load_scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", shared / "contract" / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {shared}/contract/score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared"
    )
    ap.add_argument("--translator", default="auto")
    ap.add_argument("--out", type=Path, default=Path("reports/eval"))
    ap.add_argument(
        "--verbose", "-v", action="store_true", help="list missed drifts and false alarms"
    )
    ap.add_argument("--sets", type=Path, nargs="+",
                    help="score these set folders (each with labels.json) instead of the devset")
    ap.add_argument("--consensus", action="store_true", help="audit without the reference")
    args = ap.parse_args()
    if not (args.shared / "contract" / "score.py").is_file():
        print(f"no scorer at {args.shared}/contract/score.py: nothing to evaluate")
        return 0
    scorer = load_scorer(args.shared)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.sets:
        sets = [p for p in args.sets if (p / "labels.json").is_file()]
    elif (args.shared / "devset").is_dir():
        sets = sorted(p for p in (args.shared / "devset").iterdir()
                      if (p / "labels.json").is_file())
        sets.append(args.shared / "seeds")
    else:
        print(f"no devset at {args.shared}/devset: nothing to evaluate")
        return 0
    pooled = {m: {"tp": 0, "fp": 0, "fn": 0} for m in ("strict", "lenient")}
    on_clean = passages_found = passages_gold = 0
    rows = []
    for s in sets:
        ref = next((s / n for n in ("reference.txt", "reference.md") if (s / n).is_file()), None)
        if args.consensus:  # the articles alone: the reference file would still be read
            articles = [f for f in s.iterdir() if f != ref and f.suffix in {".txt", ".md"}]
            report = audit(sorted(articles), translator=args.translator)
        else:
            report = audit([s], reference=ref, translator=args.translator)
        path = args.out / f"{s.name}.json"
        path.write_text(report.to_json(), encoding="utf-8")
        data = json.loads(report.to_json())
        labels = json.loads((s / "labels.json").read_text(encoding="utf-8"))
        result = scorer.score(data, labels)
        rows.append((s.name, result))
        if s.name != "seeds":
            for m in pooled:
                for k in ("tp", "fp", "fn"):
                    pooled[m][k] += result[m][k]
            on_clean += result["on_clean"]
            passages_found += result["passages"]["found"]
            passages_gold += result["passages"]["gold"]
        if args.verbose:
            for g in result["strict"]["missed"]:
                print(f"  {s.name} missed {g['article']} {g['type']}: {g['text'][:70]}")
            gold = labels["drifts"]
            for f in data["findings"]:
                if f["severity"] == "low":
                    continue
                hit = any(
                    scorer.same_article(f["article"], g["article"])
                    and g["type"] == f["type"]
                    and scorer.overlaps(
                        next(a for a in data["articles"] if a["id"] == f["article"]),
                        f["span"],
                        g["text"],
                    )
                    for g in gold
                )
                if not hit:
                    print(
                        f"  {s.name} false alarm {f['article']} {f['type']}: "
                        f"{f['span']['text'][:70]} "
                        f"[{f['expected']} -> {f['found']}]"
                    )
    print(
        f"{'set':28s} {'strict P':>8s} {'R':>6s} {'F1':>6s} {'lenient R':>9s} "
        f"{'on clean':>8s} {'passages':>8s}"
    )
    for name, r in rows:
        print(
            f"{name:28s} {r['strict']['precision']:8.3f} {r['strict']['recall']:6.3f} "
            f"{r['strict']['f1']:6.3f} {r['lenient']['recall']:9.3f} {r['on_clean']:8d} "
            f"{r['passages']['found']:>4d}/{r['passages']['gold']:<3d}"
        )
    for m in ("strict", "lenient"):
        p, r, f = scorer.prf(pooled[m]["tp"], pooled[m]["fp"], pooled[m]["fn"])
        print(
            f"devset pooled {m:8s} P={p:.3f} R={r:.3f} F1={f:.3f} "
            f"(tp={pooled[m]['tp']} fp={pooled[m]['fp']} fn={pooled[m]['fn']})"
        )
    print(
        f"devset: medium/high findings on clean articles {on_clean}; "
        f"passages found {passages_found}/{passages_gold}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
