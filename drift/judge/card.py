"""The model card of the learned judge (``models/judge/README.md``), in the Hugging Face layout:
intended use, training data with counts and licences, the exact command and code commit,
evaluation with its figures and data, limitations. Written by ``drift.judge.train``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drift.judge.corpus import HELDOUT_COLLECTIONS

HELD_OUT = " + ".join(HELDOUT_COLLECTIONS)

LICENCES = {
    "synth": "drift's own generator (drift/judge/synth.py): invented passages, MIT",
    "leipzig": "Leipzig Corpora Collection eng_news_2020_10K (download terms of the "
               "collection; © Universität Leipzig)",
    "newstest": "WMT13 newstest2013, English side (WMT research use)",
    "frank": "FRANK validation-split articles (CNN/DM and BBC; MIT annotations, texts © "
             "publishers; research use)",
    "mt": "newstest2013 Spanish side through Apertium spa-eng (GPL tool; WMT research use)",
    "written": "minimal-pair groups written for the judge by language-model helpers "
               "(training/written; invented stories, MIT)",
    "instyle": "the project's own training stories benchmarks/sets/dev/g* and h* and the "
               "former held-out collections heldout, heldout-long, heldout-3 (MIT)",
}


def _table(counts: dict[str, dict[str, int]]) -> str:
    labels = sorted({k for v in counts.values() for k in v})
    head = "| source | " + " | ".join(labels) + " | total |"
    rule = "|---" * (len(labels) + 2) + "|"
    rows = [head, rule]
    for src, by in counts.items():
        rows.append(f"| {src} | " + " | ".join(str(by.get(k, 0)) for k in labels)
                    + f" | {sum(by.values())} |")
    totals = [sum(v.get(k, 0) for v in counts.values()) for k in labels]
    rows.append("| **all** | " + " | ".join(str(t) for t in totals) + f" | {sum(totals)} |")
    return "\n".join(rows)


def _fig(x: Any) -> str:
    return "n/a" if x is None else (f"{x:.3f}" if isinstance(x, float) else str(x))


def _eval_rows(metrics: dict[str, Any]) -> str:
    rows = ["| pairs | n | changed | ROC AUC | accuracy @0.5 | type accuracy | tag accuracy | "
            "tag F1 |", "|---|---|---|---|---|---|---|---|"]
    names = {"valid": "validation split (synthetic, groups never trained on)",
             "dev": "development pairs (shared devset + benchmarks/sets/dev/s*: calibration)",
             "heldout": f"held-out pairs (benchmarks/sets/{HELD_OUT}: the gate)"}
    for key, name in names.items():
        m = metrics.get(key)
        if not m:
            continue
        rows.append(f"| {name} | {m['pairs']} | {m['changed']} | {_fig(m['roc_auc'])} | "
                    f"{_fig(m['accuracy'])} | {_fig(m['type_accuracy'])} | "
                    f"{_fig(m['tag_accuracy'])} | {_fig(m['tag_f1'])} |")
    return "\n".join(rows)


def _curve(m: dict[str, Any] | None) -> str:
    if not m:
        return "(not measured)"
    rows = ["| threshold | TPR | FPR |", "|---|---|---|"]
    rows += [f"| {t:.1f} | {tpr:.3f} | {fpr:.3f} |" for t, tpr, fpr in m["curve"]]
    return "\n".join(rows)


def _selection(run: dict[str, Any]) -> str:
    """How the weights were chosen: early stopping and any sweep, by development-pair AUC."""
    lines = []
    sel = run.get("selected")
    if sel:
        lines.append(f"- kept the weights of step {sel['step']} of {run.get('steps')}: the best "
                     f"ROC AUC on the development pairs, measured every few hundred steps "
                     f"({sel['dev_roc_auc']:.3f}); the held-out pairs were not consulted")
    for name, entry in (run.get("sweep") or {}).items():
        lines.append(f"- {name}: development ROC AUC {entry['dev_roc_auc']:.3f} "
                     f"({entry['what']})")
    if not lines:
        return ""
    return "## How these weights were chosen\n" + "\n".join(lines) + "\n"


def rewrite(folder: Path) -> None:
    """Write the card again from ``config.json`` and ``metrics.json`` of ``folder``."""
    import json

    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    write_card(folder, config, metrics)


def write_card(out: Path, config: dict[str, Any], metrics: dict[str, Any]) -> None:
    run = metrics["run"]
    args = metrics["args"]
    gate = config["gate"]
    counts = run.get("train_counts", {})
    sources = "\n".join(f"- `{k}`: {LICENCES.get(k, '')}" for k in counts)
    command = run.get("command") or (
               f"python -m drift.judge.train --data {args['data']} --out {args['out']} "
               f"--epochs {args['epochs']} --max-minutes {args['max_minutes']} "
               f"--batch-size {args['batch_size']} --lr {args['lr']} "
               f"--max-length {args['max_length']} --seed {args['seed']}")
    text = f"""---
language: en
license: mit
base_model: sentence-transformers/all-MiniLM-L6-v2
tags: [cross-encoder, factual-consistency, news, drift]
---
# drift judge {config['version']}

A cross-encoder that reads an article sentence and its reference context and says whether the
sentence changes the meaning (and which drift type, and which words). It is drift's learned
judge: `drift audit` uses it beside the rule comparators (see the README, "The learned judge").

## Intended use
Pairs of (reference context, re-reported news sentence) in English, or an English gloss against
the machine translation of a foreign quote. Not a general NLI model; not for summaries of
whole articles (FRANK, QAGS figures in the README show how far it transfers).

## Model
all-MiniLM-L6-v2 (6 layers, 384 units, 22.7M parameters) with three heads: changed vs same
(pooled [CLS]), the drift type (12 types), and per-token tags of the changed words. Input
`[CLS] article sentence [SEP] reference context [SEP]`, at most {config['max_length']} tokens.
Weights: int8 per-row (`drift/judge/weights.py`), {metrics['size_bytes'] / 2**20:.1f} MB;
run with torch dynamic int8 quantisation on the CPU.

## Training data
{sources}

Counts per source and label (training split; validation is 5% of the groups, never trained on):

{_table(counts)}

Never used for training or tuning: FRANK's test split, MRPC, Falke, QAGS, the shared seeds and
devset, benchmarks/sets/{HELD_OUT}, benchmarks/sets/dev/s1-s4.

## Training
- command: `{command}`
- code commit: `{metrics['commit']}`; seed {args['seed']}
- trained on: {run.get('device')}; {run.get('steps')} steps, {run.get('pairs_seen')} pairs seen,
  {run.get('minutes')} minutes ({run.get('pairs_per_s')} pairs/s), stopped by
  {run.get('stopped_by')}; final training loss {run.get('final_loss')}

{_selection(run)}
## Evaluation
Measured as shipped: the int8-stored weights, computed in float32 on this machine's CPU.

{_eval_rows(metrics)}

Threshold for "changed", calibrated on the development pairs only (best F1):
**{metrics['threshold']:.2f}**.

ROC curve on the held-out pairs:

{_curve(metrics.get('heldout'))}

## Gate
Held-out ROC AUC {_fig(gate['heldout_auc'])}: mode **{gate['mode']}** (from 0.85 the judge adds
findings of its own; from 0.75 it re-scores and vetoes comparator findings; below, it is off).

## Limitations
- Trained on synthetic and rewritten English news; its notion of "same" is the re-reporting of
  one story, not paraphrase in general.
- A pair is only as good as its premise: a sentence whose reference counterpart was not aligned
  is not judged.
- Foreign text is judged through its machine translation; rough rule-based MT (Apertium) reads
  as changed more often than neural MT would.
"""
    (out / "README.md").write_text(text, encoding="utf-8")
