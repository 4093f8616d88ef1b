"""Score a drift judge on four external sets no rule was written for (evaluation only).

usage: python benchmarks/eval_judge_external.py [--judge learned|chrf] [--threshold T]
                                                [--shared ../shared] [--limit N] [--json OUT]

A judge gives P(changed) for (premise, hypothesis) pairs (``drift.judge``); "called changed"
means P(changed) >= the threshold (by default the judge's calibrated one, else 0.5). The data
lie in ``<shared>/external/`` (provenance, licences and field meanings in its README); none of
it is used for training.

1. MRPC test (``mrpc/msr_paraphrase_test.txt``, Microsoft Research Paraphrase Corpus, 1,725 news
   sentence pairs, 1,147 paraphrases): premise s1, hypothesis s2. The share of true paraphrases
   called changed measures false alarms on rewording (target <= 15%); ROC AUC of non-paraphrase
   vs paraphrase is for information.
2. Falke (``falke-correctness/val_sentence_pairs.json``, Falke et al. ACL 2019, 373 triples):
   premise = the article sentence, which the set gives alone (no full article). Ranking accuracy
   = the share of triples whose correct summary sentence gets a lower P(changed) than the
   incorrect one, ties counting one half (chance 0.50, target >= 0.70).
3. QAGS (``qags/mturk_cnndm.jsonl``, ``mturk_xsum.jsonl``, Wang et al. ACL 2020): a summary
   sentence is supported when >= 2 of its 3 votes say yes; premise = ``context.premise`` of the
   sentence over the article's sentences (k=3). Sentence-level ROC AUC of P(changed),
   unsupported vs supported, on CNN/DM; XSum for information.
4. FRANK (``frank/``, Pagnoni et al. NAACL 2021; loaders of ``eval_frank.py``): per summary, the
   score is the highest P(changed) of its sentences (``<model>_lines``), each judged against
   ``context.premise`` over the article's sentences (k=3); unfaithful when Factuality < 1. ROC
   AUC and balanced accuracy on the test split at the given threshold and at the threshold best
   on the valid split (as SummaC reports it), beside the published figures.

Articles are split into sentences by ``drift.segment`` after ``eval_frank.source_text``
restores the spaces the BBC texts lost between sentences. Each set's pairs go to the judge in
one call (duplicates removed).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_frank as ef
from _metrics import balanced_accuracy, best_threshold, roc_auc, safe

from drift.judge import Judge, create
from drift.judge.context import premise

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
DEFAULT_THRESHOLD = 0.5
K = 3  # context sentences per premise (drift.judge.context.TOP_K)
TARGETS = {"mrpc": 0.15, "falke": 0.70}  # max paraphrases called changed; min ranking accuracy
# Published balanced accuracies on the FRANK test split (verified rows of eval_frank.PUBLISHED);
# the table shows these three.
FRANK_PUBLISHED = {p["system"]: p["balanced_accuracy"] for p in ef.PUBLISHED
                   if p["verified"] and p["balanced_accuracy"] is not None}
SHOWN = ("FactCC-CLS", "DAE", "SummaC-Conv")


# ---------------------------------------------------------------------------------------------
# data


@dataclass(frozen=True, slots=True)
class Pair:
    """A judged pair with its gold label (True: meaning changed / unsupported / non-paraphrase)."""

    premise: str
    hypothesis: str
    changed: bool
    group: str = ""  # what the pair belongs to (a QAGS article, a FRANK summary)


def external(shared: Path) -> Path:
    """The external data folder under ``shared``."""
    return shared / "external"


def sentences(text: str) -> list[str]:
    """The sentences of an article (glued BBC sentences separated first)."""
    from drift.segment import segment

    seg = segment(ef.source_text(text))
    return [t for t in (s.span.text.strip() for s in seg.sentences) if t]


def load_mrpc(path: Path, limit: int | None = None) -> list[Pair]:
    """MRPC pairs (s1 premise, s2 hypothesis); ``changed`` is "not a paraphrase". BOM stripped,
    a header line skipped; the first ``limit`` pairs."""
    out: list[Pair] = []
    for line in path.read_text(encoding="utf-8").lstrip("\ufeff").split("\n"):
        if not line.strip():
            continue
        cols = line.rstrip("\r").split("\t")
        if cols[0].strip() not in ("0", "1"):  # "Quality #1 ID #2 ID #1 String #2 String"
            continue
        if len(cols) != 5:
            raise ValueError(f"{path.name}: expected 5 tab-separated columns: {line[:80]!r}")
        out.append(Pair(cols[3].strip(), cols[4].strip(), cols[0].strip() == "0", cols[1]))
        if limit is not None and len(out) >= limit:
            break
    return out


def load_falke(path: Path, limit: int | None = None) -> list[tuple[Pair, Pair]]:
    """Falke triples as (correct, incorrect) pairs sharing the article sentence as premise."""
    out = []
    for t in json.loads(path.read_text(encoding="utf-8"))[:limit]:
        art = str(t["article_sent"]).strip()
        out.append((Pair(art, str(t["correct_sent"]).strip(), False, t["article_id"]),
                    Pair(art, str(t["incorrect_sent"]).strip(), True, t["article_id"])))
    return out


def load_qags(path: Path, limit: int | None = None) -> list[Pair]:
    """QAGS summary sentences of the first ``limit`` articles; ``changed`` when fewer than 2 of
    the 3 votes say yes; premise = the article's ``K`` most relevant sentences."""
    out: list[Pair] = []
    rows = [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]
    for n, row in enumerate(rows[:limit]):
        record = json.loads(row)
        sents = sentences(record["article"])
        for s in record["summary_sentences"]:
            yes = sum(1 for r in s["responses"] if r["response"].strip().lower() == "yes")
            hyp = str(s["sentence"]).strip()
            out.append(Pair(premise(hyp, sents, k=K), hyp, yes < 2, f"{path.stem}/{n}"))
    return out


def load_frank(frank: Path, split: str, limit: int | None = None
               ) -> tuple[list[ef.Summary], list[Pair]]:
    """FRANK summaries of a split (``eval_frank.load_summaries``) and one pair per summary
    sentence (``group`` = the summary's key; ``changed`` = the summary is unfaithful)."""
    summaries = ef.load_summaries(frank, split, limit)
    cache: dict[str, list[str]] = {}
    pairs: list[Pair] = []
    for s in summaries:
        if s.hash not in cache:
            cache[s.hash] = sentences(ef.load_source(frank, s.hash))
        for line in s.lines:
            pairs.append(Pair(premise(line, cache[s.hash], k=K), line, s.unfaithful, s.key))
    return summaries, pairs


# ---------------------------------------------------------------------------------------------
# judging and figures


def judge_all(judge: Judge, pairs: Sequence[Pair]) -> list[float]:
    """P(changed) of every pair, from one ``judge.judge`` call over the distinct pairs."""
    unique = list(dict.fromkeys((p.premise, p.hypothesis) for p in pairs))
    verdicts = judge.judge(unique) if unique else []
    if len(verdicts) != len(unique):
        raise RuntimeError(f"judge {judge.name} gave {len(verdicts)} verdicts for {len(unique)}")
    got = {pair: float(v.p_changed) for pair, v in zip(unique, verdicts, strict=True)}
    return [got[(p.premise, p.hypothesis)] for p in pairs]


def _share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def _binary(labels: Sequence[bool], scores: Sequence[float], threshold: float) -> dict[str, Any]:
    """n, class counts, ROC AUC and balanced accuracy at ``threshold`` (positive: changed)."""
    pred = [s >= threshold for s in scores]
    return {
        "n": len(labels), "positive": sum(labels), "negative": len(labels) - sum(labels),
        "roc_auc": safe(lambda: roc_auc(labels, scores)),
        "balanced_accuracy": safe(lambda: balanced_accuracy(labels, pred)),
    }


def check_mrpc(judge: Judge, threshold: float, ext: Path, limit: int | None) -> dict[str, Any]:
    pairs = load_mrpc(ext / "mrpc" / "msr_paraphrase_test.txt", limit)
    scores = judge_all(judge, pairs)
    para = [s >= threshold for p, s in zip(pairs, scores, strict=True) if not p.changed]
    other = [s >= threshold for p, s in zip(pairs, scores, strict=True) if p.changed]
    share = _share(para)
    return {
        **_binary([p.changed for p in pairs], scores, threshold),
        "paraphrases": len(para),
        "paraphrases_called_changed": share,
        "non_paraphrases_called_changed": _share(other),
        "target": f"paraphrases called changed <= {TARGETS['mrpc']:.2f}",
        "meets_target": None if share is None else share <= TARGETS["mrpc"],
    }


def check_falke(judge: Judge, ext: Path, limit: int | None) -> dict[str, Any]:
    triples = load_falke(ext / "falke-correctness" / "val_sentence_pairs.json", limit)
    scores = judge_all(judge, [p for t in triples for p in t])
    wins = sum(1 for i in range(len(triples)) if scores[2 * i] < scores[2 * i + 1])
    ties = sum(1 for i in range(len(triples)) if scores[2 * i] == scores[2 * i + 1])
    acc = (wins + ties / 2) / len(triples) if triples else None
    return {
        "n": len(triples), "wins": wins, "ties": ties,
        "losses": len(triples) - wins - ties, "ranking_accuracy": acc, "chance": 0.5,
        "target": f"ranking accuracy >= {TARGETS['falke']:.2f}",
        "meets_target": None if acc is None else acc >= TARGETS["falke"],
    }


def check_qags(judge: Judge, threshold: float, ext: Path, limit: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("cnndm", "xsum"):
        pairs = load_qags(ext / "qags" / f"mturk_{name}.jsonl", limit)
        scores = judge_all(judge, pairs)
        out[name] = {**_binary([p.changed for p in pairs], scores, threshold),
                     "articles": len({p.group for p in pairs}),
                     "empty_premises": sum(1 for p in pairs if not p.premise)}
    return out


def _frank_scores(judge: Judge, frank: Path, split: str, limit: int | None
                  ) -> tuple[list[bool], list[float], int]:
    summaries, pairs = load_frank(frank, split, limit)
    best: dict[str, float] = {s.key: 0.0 for s in summaries}  # a summary without sentences: 0
    for p, score in zip(pairs, judge_all(judge, pairs), strict=True):
        best[p.group] = max(best[p.group], score)
    empty = sum(1 for p in pairs if not p.premise)
    return [s.unfaithful for s in summaries], [best[s.key] for s in summaries], empty


def check_frank(judge: Judge, threshold: float, ext: Path, limit: int | None) -> dict[str, Any]:
    frank = ext / "frank"
    v_labels, v_scores, v_empty = _frank_scores(judge, frank, "valid", limit)
    t_labels, t_scores, t_empty = _frank_scores(judge, frank, "test", limit)
    tuned = safe(lambda: best_threshold(v_labels, v_scores)[0])
    out: dict[str, Any] = {
        "valid": {**_binary(v_labels, v_scores, threshold), "empty_premises": v_empty},
        "test": {**_binary(t_labels, t_scores, threshold), "empty_premises": t_empty},
        "tuned_threshold": tuned,
        "published_balanced_accuracy": FRANK_PUBLISHED,
    }
    if tuned is not None:
        out["valid"]["tuned_balanced_accuracy"] = safe(
            lambda: balanced_accuracy(v_labels, [s >= tuned for s in v_scores]))
        out["test"]["tuned_balanced_accuracy"] = safe(
            lambda: balanced_accuracy(t_labels, [s >= tuned for s in t_scores]))
    return out


def own_threshold(judge: Judge) -> float:
    """The judge's calibrated threshold (``threshold``, or ``config.threshold`` as the learned
    judge keeps it), else ``DEFAULT_THRESHOLD``."""
    for holder in (judge, getattr(judge, "config", None)):
        value = getattr(holder, "threshold", None)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return DEFAULT_THRESHOLD


def run(judge: Judge, threshold: float, shared: Path, limit: int | None = None) -> dict[str, Any]:
    """All four checks on the data under ``shared/external``; every figure in one dict (a
    metric that is undefined for the items read, e.g. one class only, is None)."""
    ext = external(shared)
    if not ext.is_dir():
        raise FileNotFoundError(f"no external data at {ext}")
    out: dict[str, Any] = {"judge": judge.name, "threshold": threshold, "limit": limit,
                           "seconds": {}}
    steps = [("mrpc", lambda: check_mrpc(judge, threshold, ext, limit)),
             ("falke", lambda: check_falke(judge, ext, limit)),
             ("qags", lambda: check_qags(judge, threshold, ext, limit)),
             ("frank", lambda: check_frank(judge, threshold, ext, limit))]
    for name, step in steps:
        t0 = time.perf_counter()
        out[name] = step()
        out["seconds"][name] = round(time.perf_counter() - t0, 1)
    return out


# ---------------------------------------------------------------------------------------------
# output


def _f(x: float | None, digits: int = 3) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def table(result: dict[str, Any]) -> str:
    """One small plain-text table of the headline figures."""
    m, f, q, fr = result["mrpc"], result["falke"], result["qags"], result["frank"]
    t = result["threshold"]
    pub = ", ".join(f"{k} {100 * v:.1f}" for k, v in fr["published_balanced_accuracy"].items()
                    if k in SHOWN)
    rows = [
        ("check", "figure", "value", "target / note"),
        ("MRPC test", f"paraphrases changed @{t:g}", _f(m["paraphrases_called_changed"]),
         f"<= {TARGETS['mrpc']:.2f}; n={m['paraphrases']}"),
        ("MRPC test", "ROC AUC non-para vs para", _f(m["roc_auc"]), f"info; n={m['n']}"),
        ("Falke", "ranking accuracy", _f(f["ranking_accuracy"]),
         f">= {TARGETS['falke']:.2f}; chance 0.50; n={f['n']}, ties {f['ties']}"),
        ("QAGS CNN/DM", "ROC AUC unsupp. vs supp.", _f(q["cnndm"]["roc_auc"]),
         f"n={q['cnndm']['n']} ({q['cnndm']['positive']} unsupported)"),
        ("QAGS XSum", "ROC AUC unsupp. vs supp.", _f(q["xsum"]["roc_auc"]),
         f"info; n={q['xsum']['n']} ({q['xsum']['positive']} unsupported)"),
        ("FRANK test", "ROC AUC", _f(fr["test"]["roc_auc"]),
         f"n={fr['test']['n']} ({fr['test']['positive']} unfaithful)"),
        ("FRANK test", f"bal. acc. @{t:g}", _f(fr["test"]["balanced_accuracy"]), ""),
        ("FRANK test", f"bal. acc. @{_f(fr['tuned_threshold'])} (valid-best)",
         _f(fr["test"].get("tuned_balanced_accuracy")), f"published: {pub}"),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    secs = sum(result["seconds"].values())
    head = f"judge {result['judge']}, threshold {t:g}" + (
        f", first {result['limit']} items of each set" if result["limit"] else "")
    return f"{head} ({secs:.0f} s)\n" + "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--judge", choices=("learned", "chrf"), default="learned")
    ap.add_argument("--threshold", type=float, default=None,
                    help="P(changed) at or above which a pair is called changed (default: the "
                         f"judge's calibrated threshold if it has one, else {DEFAULT_THRESHOLD})")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                    help="the shared data folder (holding external/)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N items of each set")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure as JSON")
    args = ap.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        ap.error("--limit must be at least 1")
    if not external(args.shared).is_dir():
        print(f"no external data at {external(args.shared)}: nothing to evaluate")
        return 0
    try:
        judge = create(args.judge)
    except Exception as exc:  # a missing module, missing weights, a broken install
        print(f"cannot load the {args.judge!r} judge ({type(exc).__name__}): {exc}\n"
              "to score the surface baseline instead: --judge chrf", file=sys.stderr)
        return 2
    threshold = own_threshold(judge) if args.threshold is None else args.threshold
    result = run(judge, threshold, args.shared, args.limit)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
