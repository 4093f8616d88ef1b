"""Audit every evaluation set and print per-set and pooled scores.

usage: python benchmarks/eval_devset.py [--shared DIR] [--translator auto] [--out reports/eval]
                                        [--sets DIR ...] [--consensus] [-v]

Scored with ../shared/contract/score.py (strict and lenient precision / recall / F1, findings of
medium or high severity on clean articles, passages found). The groups:

- ``devset``: ../shared/devset, six hand-written sets (30 drifts);
- ``seeds``: ../shared/seeds, five real articles (scored, not pooled);
- ``project``: benchmarks/sets/dev, the project's own development sets (15 stories, 149
  drifts), tuned on in three rounds (s1-s4, then h1-h5, then g1-g6, each first measured as a
  held-out set);
- ``held-out``: benchmarks/sets/heldout, five stories (46 drifts) written apart from the code and
  never tuned on: the honest figure.

``--sets`` scores the given folders instead; ``--consensus`` audits without the reference.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from drift.core import audit

HERE = Path(__file__).resolve().parent


def load_scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", shared / "contract" / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {shared}/contract/score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def labelled(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if (p / "labels.json").is_file()) \
        if folder.is_dir() else []


def run_set(s: Path, translator: str, consensus: bool) -> tuple[dict, dict]:
    """The JSON report of one set and its labels."""
    ref = next((s / n for n in ("reference.txt", "reference.md") if (s / n).is_file()), None)
    if consensus:  # the articles alone: the reference file would still be read
        articles = [f for f in s.iterdir() if f != ref and f.suffix in {".txt", ".md"}]
        report = audit(sorted(articles), translator=translator)
    else:
        report = audit([s], reference=ref, translator=translator)
    labels = json.loads((s / "labels.json").read_text(encoding="utf-8"))
    return json.loads(report.to_json()), labels


def explain(scorer: ModuleType, name: str, data: dict, labels: dict, result: dict) -> None:
    for g in result["strict"]["missed"]:
        print(f"  {name} missed {g['article']} {g['type']}: {g['text'][:70]}")
    arts = {a["id"]: a for a in data["articles"]}
    for f in data["findings"]:
        if f["severity"] == "low":
            continue
        hit = any(scorer.same_article(f["article"], g["article"]) and g["type"] == f["type"]
                  and scorer.overlaps(arts[f["article"]], f["span"], g["text"])
                  for g in labels["drifts"])
        if not hit:
            print(f"  {name} false alarm {f['article']} {f['type']}: {f['span']['text'][:70]} "
                  f"[{f['expected']} -> {f['found']}]")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=HERE.parents[1] / "shared")
    ap.add_argument("--translator", default="auto")
    ap.add_argument("--out", type=Path, default=Path("reports/eval"))
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="list missed drifts and false alarms")
    ap.add_argument("--sets", type=Path, nargs="+",
                    help="score these set folders (each with labels.json) instead")
    ap.add_argument("--consensus", action="store_true", help="audit without the reference")
    args = ap.parse_args()
    if not (args.shared / "contract" / "score.py").is_file():
        print(f"no scorer at {args.shared}/contract/score.py: nothing to evaluate")
        return 0
    scorer = load_scorer(args.shared)
    if args.sets:
        groups = [("sets", [p for p in args.sets if (p / "labels.json").is_file()])]
    else:
        groups = [("devset", labelled(args.shared / "devset")),
                  ("seeds", [args.shared / "seeds"] if (args.shared / "seeds").is_dir() else []),
                  ("project", labelled(HERE / "sets" / "dev")),
                  ("held-out", labelled(HERE / "sets" / "heldout"))]
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"{'set':28s} {'strict P':>8s} {'R':>6s} {'F1':>6s} {'lenient R':>9s} "
          f"{'on clean':>8s} {'passages':>8s}")
    pooled_lines = []
    for group, sets in groups:
        if not sets:
            continue
        pooled = {m: {"tp": 0, "fp": 0, "fn": 0} for m in ("strict", "lenient")}
        on_clean = found = gold = 0
        for s in sets:
            data, labels = run_set(s, args.translator, args.consensus)
            (args.out / f"{s.name}.json").write_text(json.dumps(data, ensure_ascii=False,
                                                                indent=2), encoding="utf-8")
            r = scorer.score(data, labels)
            if args.verbose:
                explain(scorer, s.name, data, labels, r)
            print(f"{s.name:28s} {r['strict']['precision']:8.3f} {r['strict']['recall']:6.3f} "
                  f"{r['strict']['f1']:6.3f} {r['lenient']['recall']:9.3f} {r['on_clean']:8d} "
                  f"{r['passages']['found']:>4d}/{r['passages']['gold']:<3d}")
            for m in pooled:
                for k in ("tp", "fp", "fn"):
                    pooled[m][k] += r[m][k]
            on_clean += r["on_clean"]
            found += r["passages"]["found"]
            gold += r["passages"]["gold"]
        for m in ("strict", "lenient"):
            p, rec, f = scorer.prf(pooled[m]["tp"], pooled[m]["fp"], pooled[m]["fn"])
            pooled_lines.append(f"{group} pooled {m:8s} P={p:.3f} R={rec:.3f} F1={f:.3f} "
                                f"(tp={pooled[m]['tp']} fp={pooled[m]['fp']} "
                                f"fn={pooled[m]['fn']})")
        pooled_lines.append(f"{group}: medium/high findings on clean articles {on_clean}; "
                            f"passages found {found}/{gold}")
    print("\n".join(pooled_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
