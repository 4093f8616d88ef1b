"""Score drift as a summary-faithfulness detector on the FRANK benchmark (``make eval-frank``).

usage: python benchmarks/eval_frank.py [--split test|valid] [--limit N] [--frank DIR]
                                       [--out reports/eval-frank.md] [--no-tune] [--json PATH]

Each FRANK summary is audited as a derivative of its source article: one temporary folder per
source article holds the article (front matter ``reference: true``) and every summary of it in
the split, and drift audits the folder once (``translator="identity"``, no cache), so each article
is parsed once however many summaries it has.

Per summary: ``flagged`` = drift has a finding of medium or high severity on it; ``score`` = the
highest confidence of its findings (0 without any). Gold: unfaithful when FRANK's ``Factuality``
(the share of summary sentences whose annotator majority is "no error") is below 1.0, the
binarisation of the SummaC benchmark. Metrics: balanced accuracy of ``flagged``, ROC AUC of
``score`` (unfaithful is the positive class), the same per source dataset and per FRANK error
category, and (unless ``--no-tune``) the balanced accuracy of ``score`` at the threshold that is
best on the valid split, which is how SummaC reports balanced accuracy.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _metrics import EPS, balanced_accuracy, best_threshold, roc_auc
from _metrics import safe as _safe

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FRANK = ROOT.parent / "shared" / "external" / "frank"
DEFAULT_OUT = ROOT / "reports" / "eval-frank.md"

# Per-summary FRANK error categories (field -> name in the FRANK paper). Each score is
# 1 - (summary sentences with that error) / (summary sentences): below 1.0 means "has it".
CATEGORIES: dict[str, str] = {
    "RelE": "PredE (predicate)",
    "EntE": "EntE (entity)",
    "CircE": "CircE (circumstance)",
    "CorefE": "CorefE (coreference)",
    "LinkE": "LinkE (discourse link)",
    "OutE": "OutE (out of article)",
    "GramE": "GramE (grammar)",
    "Other": "OtherE (other)",
}
FLAG_SEVERITIES = frozenset({"medium", "high"})

# Published results on FRANK. The SummaC benchmark's FRANK task uses FRANK's own valid/test split
# (validation_split.txt / test_split.txt: 671 / 1,575 summaries) and labels a summary consistent
# when every sentence has a majority "no error" label, i.e. Factuality == 1.0; balanced accuracy
# there uses a threshold tuned on the valid split.
# Sources:
#   Laban, Schnabel, Bennett & Hearst (2022), "SummaC: Re-Visiting NLI-based Models for
#   Inconsistency Detection in Summarization", TACL 10. Table 2 (test split of the SummaC
#   benchmark, balanced accuracy, FRANK column). Read here from copies of that table in public
#   notes (three agree); not checked against the PDF.
#   Zha, Yang, Li & Hu (2023), "AlignScore: Evaluating Factual Consistency with a Unified Alignment
#   Function", ACL. The repository README gives the SummaC-benchmark AUC averaged over its six
#   datasets (verified there); the per-dataset FRANK AUC table of the paper could not be read
#   here, so its FRANK figure is a recollection and marked not verified.
PUBLISHED: list[dict[str, Any]] = [
    {"system": "FactCC-CLS", "balanced_accuracy": 0.594, "roc_auc": None,
     "source": "Laban et al. 2022 (TACL), Table 2, balanced accuracy, FRANK test",
     "verified": True},
    {"system": "DAE", "balanced_accuracy": 0.617, "roc_auc": None,
     "source": "Laban et al. 2022 (TACL), Table 2, balanced accuracy, FRANK test",
     "verified": True},
    {"system": "QuestEval", "balanced_accuracy": 0.821, "roc_auc": None,
     "source": "Laban et al. 2022 (TACL), Table 2, balanced accuracy, FRANK test",
     "verified": True},
    {"system": "SummaC-ZS", "balanced_accuracy": 0.790, "roc_auc": None,
     "source": "Laban et al. 2022 (TACL), Table 2, balanced accuracy, FRANK test",
     "verified": True},
    {"system": "SummaC-Conv", "balanced_accuracy": 0.816, "roc_auc": None,
     "source": "Laban et al. 2022 (TACL), Table 2, balanced accuracy, FRANK test",
     "verified": True},
    {"system": "AlignScore-large", "balanced_accuracy": None, "roc_auc": 0.91,
     "source": "Zha et al. 2023 (ACL), SummaC-benchmark AUC table, FRANK column "
               "(recollection, about 0.91; its verified 6-dataset average is 0.886)",
     "verified": False},
]


# ---------------------------------------------------------------------------------------------
# data


@dataclass(frozen=True, slots=True)
class Summary:
    """One annotated FRANK summary."""

    hash: str
    model: str
    dataset: str
    text: str
    factuality: float
    errors: dict[str, float] = field(default_factory=dict)
    lines: tuple[str, ...] = ()  # the summary's sentences as annotated (``<model>_lines``)

    @property
    def unfaithful(self) -> bool:
        return self.factuality < 1.0 - EPS

    @property
    def key(self) -> str:
        return f"{self.hash}/{self.model}"


def read_lines(path: Path) -> list[str]:
    """Non-empty lines of a UTF-8 file, split on "\\n" only."""
    return [ln.strip() for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]


ESCAPED_QUOTE = re.compile(r"\\(['\"])")


def summary_text(lines: Sequence[str]) -> str:
    """The summary as annotated: its sentences joined with spaces.

    Some BBC summaries carry backslash-escaped quotes ("britain\\'s"), an export artifact of
    the data set: the backslash is dropped.
    """
    return ESCAPED_QUOTE.sub(r"\1", " ".join(s.strip() for s in lines if s.strip()))


# A sentence end glued to the next sentence ("delays.The", "time.\"The"): the BBC article texts
# lost their paragraph breaks. The character before the stop must be lower-case, a digit or a
# closing bracket, so "U.S.The" and decimals are left alone.
GLUED = re.compile(r"(?<=[a-z0-9)%][.!?])([\"”’]?)(?=[\"“]?[A-Z])")


def source_text(article: str) -> str:
    """The source article with a space restored between glued sentences.

    A straight double quote right after the stop closes a quotation when an odd number of quotes
    precede it, and otherwise opens the next sentence's quotation.
    """
    out: list[str] = []
    last = 0
    for m in GLUED.finditer(article):
        opening = m.group(1) == '"' and article.count('"', 0, m.start()) % 2 == 0
        cut = m.start() if opening else m.end()  # the space goes before an opening quote
        out.append(article[last:cut] + " ")
        last = cut
    out.append(article[last:])
    return "".join(out)


def load_summaries(frank: Path, split: str, limit: int | None = None) -> list[Summary]:
    """The annotated summaries of a split ("test" or "valid"), in file order, at most ``limit``."""
    if split not in ("test", "valid"):
        raise ValueError(f"unknown split {split!r}: use test or valid")
    split_file = frank / ("test_split.txt" if split == "test" else "validation_split.txt")
    hashes = set(read_lines(split_file))
    records = json.loads((frank / "human_annotations.json").read_text(encoding="utf-8"))
    out: list[Summary] = []
    articles: dict[str, dict[str, Any]] = {}
    for r in records:
        if r["split"] != split:
            continue
        if r["hash"] not in hashes:
            raise ValueError(f"{r['hash']} is marked {split} but is not in {split_file.name}")
        if r["hash"] not in articles:
            path = frank / "articles" / f"{r['hash']}.json"
            articles[r["hash"]] = json.loads(path.read_text(encoding="utf-8"))
        lines = articles[r["hash"]][r["model_name"] + "_lines"]
        out.append(Summary(r["hash"], r["model_name"], r["dataset"], summary_text(lines),
                           float(r["Factuality"]), {c: float(r[c]) for c in CATEGORIES},
                           tuple(summary_text([ln]) for ln in lines if ln.strip())))
        if limit is not None and len(out) >= limit:
            break
    return out


def load_source(frank: Path, hash_: str) -> str:
    """The source article of ``hash_``, glued sentences separated."""
    data = json.loads((frank / "articles" / f"{hash_}.json").read_text(encoding="utf-8"))
    return source_text(str(data["article"]))


# ---------------------------------------------------------------------------------------------
# auditing


@dataclass(frozen=True, slots=True)
class Scored:
    """drift's verdict on one summary."""

    key: str
    flagged: bool
    score: float
    findings: tuple[tuple[str, str, float], ...]  # (type, severity, confidence)
    error: str | None = None  # drift failed on it: counted as not flagged, score 0


def _yaml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid YAML scalar


def audit_article(source: str, summaries: Sequence[Summary]) -> list[Scored]:
    """Audit every summary of one source article in one drift run (the source is the reference)."""
    from drift.core import audit

    with tempfile.TemporaryDirectory(prefix="frank-") as tmp:
        folder = Path(tmp)
        ref = folder / "source.txt"
        ref.write_text(f"---\nid: source\nreference: true\nlanguage: en\n---\n{source}\n",
                       encoding="utf-8")
        ids: dict[str, Summary] = {}
        for n, s in enumerate(summaries):
            sid = f"summary-{n}"  # file stems must not be all upper case (read as documentation)
            ids[sid] = s
            (folder / f"{sid}.txt").write_text(
                f"---\nid: {sid}\ntitle: {_yaml_str(s.model)}\nlanguage: en\n---\n{s.text}\n",
                encoding="utf-8")
        report = audit([folder], reference=ref, translator="identity", use_cache=False)
    got: dict[str, list[tuple[str, str, float]]] = {sid: [] for sid in ids}
    for f in report.findings:
        if f.article in got:
            got[f.article].append((f.type, f.severity, float(f.confidence)))
    missing = set(ids) - {a.article.id for a in report.articles}
    if missing:
        raise RuntimeError(f"drift did not read {sorted(missing)}: {report.problems}")
    out = []
    for sid, s in ids.items():
        fs = got[sid]
        out.append(Scored(s.key, any(sev in FLAG_SEVERITIES for _, sev, _ in fs),
                          max((c for _, _, c in fs), default=0.0), tuple(fs)))
    return out


def audit_group(source: str, summaries: Sequence[Summary]) -> list[Scored]:
    """``audit_article``, falling back to one run per summary when drift fails on the group;
    a summary drift still fails on is kept as not flagged with its error."""
    try:
        return audit_article(source, summaries)
    except Exception:  # drift's own failure: isolate the summary that causes it
        if len(summaries) == 1:
            return [_failed(summaries[0], sys.exc_info()[1])]
    out = []
    for s in summaries:
        try:
            out.extend(audit_article(source, [s]))
        except Exception as exc:
            out.append(_failed(s, exc))
    return out


def _failed(s: Summary, exc: BaseException | None) -> Scored:
    where = ""
    tb = exc.__traceback__ if exc is not None else None
    while tb is not None:
        if "/drift/" in tb.tb_frame.f_code.co_filename.replace("\\", "/"):
            where = f" at {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return Scored(s.key, False, 0.0, (), f"{type(exc).__name__}: {exc}{where}")


def run(frank: Path, summaries: Sequence[Summary],
        progress: Callable[[int, int], None] | None = None) -> dict[str, Scored]:
    """Audit all summaries, one drift run per source article; verdicts by ``Summary.key``."""
    groups: dict[str, list[Summary]] = {}
    for s in summaries:
        groups.setdefault(s.hash, []).append(s)
    out: dict[str, Scored] = {}
    for n, (h, group) in enumerate(groups.items(), 1):
        for scored in audit_group(load_source(frank, h), group):
            out[scored.key] = scored
        if progress:
            progress(n, len(groups))
    return out


# ---------------------------------------------------------------------------------------------
# evaluation


def metrics(summaries: Sequence[Summary], verdicts: dict[str, Scored],
            threshold: float | None = None) -> dict[str, Any]:
    """n, class counts, balanced accuracy of ``flagged``, ROC AUC of ``score``, the rates behind
    them and (given a threshold) the balanced accuracy of ``score >= threshold``."""
    labels = [s.unfaithful for s in summaries]
    flagged = [verdicts[s.key].flagged for s in summaries]
    scores = [verdicts[s.key].score for s in summaries]
    pos = sum(labels)
    neg = len(labels) - pos
    out: dict[str, Any] = {
        "n": len(labels), "unfaithful": pos, "faithful": neg,
        "flagged": sum(flagged),
        "balanced_accuracy": _safe(lambda: balanced_accuracy(labels, flagged)),
        "roc_auc": _safe(lambda: roc_auc(labels, scores)),
        "recall": sum(1 for y, f in zip(labels, flagged, strict=True) if y and f) / pos
        if pos else None,
        "false_alarm_rate": sum(1 for y, f in zip(labels, flagged, strict=True) if not y and f)
        / neg if neg else None,
    }
    if threshold is not None:
        out["tuned_threshold"] = threshold
        out["tuned_balanced_accuracy"] = _safe(
            lambda: balanced_accuracy(labels, [x >= threshold for x in scores]))
    return out


def by_category(summaries: Sequence[Summary], verdicts: dict[str, Scored]) -> dict[str, Any]:
    """Per FRANK error category: summaries with that error against the fully faithful ones."""
    faithful = [s for s in summaries if not s.unfaithful]
    out: dict[str, Any] = {}
    for cat, name in CATEGORIES.items():
        with_err = [s for s in summaries if s.errors.get(cat, 1.0) < 1.0 - EPS]
        group = with_err + faithful
        labels = [s.unfaithful for s in group]
        scores = [verdicts[s.key].score for s in group]
        out[cat] = {
            "name": name, "n": len(with_err),
            "recall": sum(verdicts[s.key].flagged for s in with_err) / len(with_err)
            if with_err else None,
            "roc_auc_vs_faithful": _safe(lambda labels=labels, scores=scores:
                                         roc_auc(labels, scores)),
        }
    return out


def by_finding_type(summaries: Sequence[Summary], verdicts: dict[str, Scored]) -> dict[str, Any]:
    """Per finding type (medium/high only): summaries it flagged, and how many were unfaithful."""
    flagged: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for s in summaries:
        types = {t for t, sev, _ in verdicts[s.key].findings if sev in FLAG_SEVERITIES}
        for t in types:
            flagged[t] += 1
            right[t] += s.unfaithful
    return {t: {"flagged": n, "unfaithful": right[t], "precision": right[t] / n}
            for t, n in flagged.most_common()}


def evaluate(frank: Path, split: str = "test", limit: int | None = None,
             summaries: Sequence[Summary] | None = None, tune: bool = False,
             progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """Run drift over a FRANK split (or the given summaries) and compute every figure.

    With ``tune`` (and the test split), the valid split is audited too and the score threshold
    best on it is applied to the test scores.
    """
    t0 = time.perf_counter()
    items = list(summaries) if summaries is not None else load_summaries(frank, split, limit)
    verdicts = run(frank, items, (lambda n, t: progress(split, n, t)) if progress else None)
    seconds = time.perf_counter() - t0
    tuned: dict[str, Any] | None = None
    threshold = None
    if tune and split == "test":
        t1 = time.perf_counter()
        valid = load_summaries(frank, "valid")
        vv = run(frank, valid, (lambda n, t: progress("valid", n, t)) if progress else None)
        threshold, vba = best_threshold([s.unfaithful for s in valid],
                                        [vv[s.key].score for s in valid])
        tuned = {"split": "valid", "n": len(valid), "threshold": threshold,
                 "valid_balanced_accuracy": vba, "seconds": time.perf_counter() - t1}
    datasets = sorted({s.dataset for s in items})
    return {
        "split": split,
        "limit": limit,
        "gold": "unfaithful when Factuality < 1.0 (any summary sentence with a majority error)",
        "flagged": "a finding of medium or high severity on the summary",
        "score": "highest finding confidence on the summary (0 without findings)",
        "articles": len({s.hash for s in items}),
        "seconds": seconds,
        "overall": metrics(items, verdicts, threshold),
        "by_dataset": {d: metrics([s for s in items if s.dataset == d], verdicts, threshold)
                       for d in datasets},
        "by_category": by_category(items, verdicts),
        "by_finding_type": by_finding_type(items, verdicts),
        "tuning": tuned,
        "errors": [{"summary": s.key, "error": verdicts[s.key].error} for s in items
                   if verdicts[s.key].error],
        **({"without_failures": metrics([s for s in items if not verdicts[s.key].error],
                                        verdicts, threshold)}
           if any(v.error for v in verdicts.values()) else {}),
        "published": PUBLISHED,
        "rows": [{**asdict(verdicts[s.key]), "unfaithful": s.unfaithful,
                  "factuality": s.factuality, "dataset": s.dataset} for s in items],
    }


# ---------------------------------------------------------------------------------------------
# output


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def render(result: dict[str, Any], command: str) -> str:
    """The Markdown report."""
    o = result["overall"]
    tuning = result["tuning"]
    lines = [
        "# FRANK: drift as a summary-faithfulness detector",
        "",
        f"- date: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- command: `{command}`",
        f"- machine: {platform.machine()}, Python {platform.python_version()}",
        f"- split: {result['split']}"
        + (f" (first {result['limit']} summaries)" if result["limit"] else "")
        + f"; {o['n']} summaries of {result['articles']} source articles; "
        f"{result['seconds']:.0f} s for the audits"
        + (f" (+{tuning['seconds']:.0f} s auditing the valid split to tune the threshold)"
           if tuning else ""),
        f"- gold: {result['gold']}: {o['unfaithful']} unfaithful, {o['faithful']} faithful",
        f"- flagged: {result['flagged']}; score: {result['score']}",
        "- figures are percentages; unfaithful is the positive class",
        f"- drift failed on {len(result['errors'])} summaries (counted as not flagged, score 0; "
        "see the end of this report)" if result["errors"] else "- drift ran on every summary",
        "",
        "## drift beside published systems",
        "",
        "| system | balanced accuracy | ROC AUC | source |",
        "|---|---|---|---|",
        f"| **drift** (`flagged`, fixed rule) | **{_pct(o['balanced_accuracy'])}** | "
        f"**{_pct(o['roc_auc'])}** | this run |",
    ]
    if "tuned_balanced_accuracy" in o:
        lines.append(
            f"| **drift** (`score` ≥ {o['tuned_threshold']:.3f}, tuned on valid) | "
            f"**{_pct(o['tuned_balanced_accuracy'])}** | **{_pct(o['roc_auc'])}** | this run |")
    for p in result["published"]:
        mark = "" if p["verified"] else " (not verified)"
        ba = _pct(p["balanced_accuracy"]) + (mark if p["balanced_accuracy"] is not None else "")
        auc = _pct(p["roc_auc"]) + (mark if p["roc_auc"] is not None else "")
        lines.append(f"| {p['system']} | {ba} | {auc} | {p['source']} |")
    lines += [
        "",
        "Comparability: the SummaC benchmark's FRANK task uses the same test split (FRANK's "
        "`test_split.txt`, 1,575 summaries) and, to our reading of its loader, the same "
        "binarisation (consistent only when every sentence's annotator majority is \"no error\", "
        "i.e. Factuality = 1.0). Its balanced accuracies come from a score threshold tuned on the "
        "valid split, like drift's tuned row; drift's fixed-rule row uses no tuning at all. AUC "
        "needs no threshold. drift is a rule-based drift detector with spaCy's small English "
        "model, not a trained factuality model: the published systems are NLI or QA models "
        "(SummaC, QuestEval, AlignScore) or a classifier trained for this task (FactCC).",
        "",
        "## By source dataset",
        "",
        "| dataset | n | unfaithful | balanced accuracy | ROC AUC | recall | false alarms |",
        "|---|---|---|---|---|---|---|",
    ]
    table = [*result["by_dataset"].items(), ("all", o)]
    if "without_failures" in result:
        table.append(("all but drift failures", result["without_failures"]))
    for d, m in table:
        lines.append(f"| {d} | {m['n']} | {m['unfaithful']} | {_pct(m['balanced_accuracy'])} | "
                     f"{_pct(m['roc_auc'])} | {_pct(m['recall'])} | "
                     f"{_pct(m['false_alarm_rate'])} |")
    lines += [
        "",
        "## By FRANK error category",
        "",
        "Summaries with at least one sentence of the category (a summary can have several), "
        "against the fully faithful summaries. Recall is the share flagged.",
        "",
        "| category | n | recall | ROC AUC vs faithful |",
        "|---|---|---|---|",
    ]
    for c in result["by_category"].values():
        lines.append(f"| {c['name']} | {c['n']} | {_pct(c['recall'])} | "
                     f"{_pct(c['roc_auc_vs_faithful'])} |")
    lines += [
        "",
        "## By finding type (medium and high severity)",
        "",
        "| finding type | summaries flagged | of them unfaithful | precision |",
        "|---|---|---|---|",
    ]
    for t, m in result["by_finding_type"].items():
        lines.append(f"| {t} | {m['flagged']} | {m['unfaithful']} | {_pct(m['precision'])} |")
    if not result["by_finding_type"]:
        lines.append("| (none) | 0 | 0 | — |")
    lines += [
        "",
        "## Method",
        "",
        "- One drift run per source article: a temporary folder holds the article as the "
        "reference (front matter `reference: true`) and each of its summaries in the split as "
        "an article; `audit(..., translator=\"identity\", use_cache=False)`. Summaries of one "
        "article share the run's IDF table and nothing else.",
        "- Summary text: the annotated sentences (`<model>_lines`) joined with spaces, as "
        "annotated (CNN/DM summaries are tokenised, BBC/XSum summaries are lower case); the "
        "backslash of the data set's escaped quotes (`britain\\'s`) is dropped. Detokenising "
        "(Moses) and re-casing the BBC summaries from their article changed the valid-split "
        "figures by under one point, so the text is left as annotated.",
        "- Source text: the `article` field, with a space restored where the BBC texts glue "
        "sentences together (`delays.The` → `delays. The`).",
        "- Published figures: `PUBLISHED` in `benchmarks/eval_frank.py` names paper, table and "
        "metric for each; figures marked \"not verified\" could not be checked here.",
        "",
    ]
    if result["errors"]:
        kinds = Counter(e["error"] for e in result["errors"])
        lines += ["## drift failures", "",
                  "Each summary drift failed on (alone, or because its source article fails) "
                  "counts as not flagged with score 0.", "",
                  "| summaries | error |", "|---|---|"]
        lines += [f"| {n} | `{err}` |" for err, n in kinds.most_common()]
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--frank", type=Path, default=DEFAULT_FRANK, help="the FRANK data folder")
    ap.add_argument("--split", choices=("test", "valid"), default="test")
    ap.add_argument("--limit", type=int, default=None, help="only the first N summaries")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the Markdown report")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure as JSON")
    ap.add_argument("--no-tune", action="store_true",
                    help="skip auditing the valid split to tune a score threshold")
    args = ap.parse_args(argv)
    if not (args.frank / "human_annotations.json").is_file():
        print(f"no FRANK data at {args.frank}: nothing to evaluate")
        return 0
    if args.limit is not None and args.limit < 1:
        ap.error("--limit must be at least 1")

    def progress(split: str, n: int, total: int) -> None:
        if n == total or n % 25 == 0:
            print(f"  {split}: {n}/{total} articles", file=sys.stderr, flush=True)

    tune = not args.no_tune and args.limit is None
    result = evaluate(args.frank, args.split, args.limit, tune=tune, progress=progress)
    command = " ".join(["python", "benchmarks/eval_frank.py", *(argv or sys.argv[1:])])
    text = render(result, command)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(_summary_table(result))
    print(f"report: {args.out}")
    return 0


def _summary_table(result: dict[str, Any]) -> str:
    o = result["overall"]
    rows: list[tuple[str, str, str, str]] = [
        ("system", "bal.acc", "AUC", "note"),
        ("drift (flagged)", _pct(o["balanced_accuracy"]), _pct(o["roc_auc"]),
         f"{result['split']}, n={o['n']}, {result['seconds']:.0f} s"),
    ]
    if "tuned_balanced_accuracy" in o:
        rows.append(("drift (score, tuned)", _pct(o["tuned_balanced_accuracy"]),
                     _pct(o["roc_auc"]), f"threshold {o['tuned_threshold']:.3f} from valid"))
    for p in result["published"]:
        rows.append((p["system"], _pct(p["balanced_accuracy"]), _pct(p["roc_auc"]),
                     "published" + ("" if p["verified"] else ", not verified")))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


if __name__ == "__main__":
    raise SystemExit(main())
