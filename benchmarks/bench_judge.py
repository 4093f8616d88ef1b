"""Benchmark the learned judge: inference back-ends side by side, and audits with and without it.

usage: python benchmarks/bench_judge.py [--sizes 30 100 200] [--pairs 256]

In one fresh process:

1. **Back-ends** on the same 64-token pairs (article sentence + reference context, made from the
   example story), alternating rounds, medians: torch in float32 from the int8-stored weights
   (what drift ships), torch with dynamic int8 activations (``DRIFT_JUDGE_INT8=1``), and
   CTranslate2's int8 ``Encoder`` (the encoder converted on the fly, heads in torch). Pairs per
   second, and the largest difference in P(changed) from the shipped back-end.
2. **Audits** of generated sets (``bench_audit.make_set``) with the judge judging every aligned
   sentence (``judge="on"``) against the comparators alone (``judge="off"``): time per article
   and growth exponent. (Audits as shipped, where the gate lets the judge only re-score flagged
   sentences, are part of bench_audit's scaling rows.)
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def _pairs(n: int) -> list[tuple[str, str]]:
    """``n`` distinct pairs of about 64 tokens from the example story's sentences."""
    import random

    from drift.judge.context import premise

    story = ROOT / "examples" / "harbour-strike"
    sentences: list[str] = []
    for f in sorted(story.glob("*.md")):
        body = f.read_text(encoding="utf-8").split("---", 2)[-1]
        sentences += [s.strip() + "." for s in body.replace("\n", " ").split(". ")
                      if len(s.split()) > 6]
    rng = random.Random(5)
    out = []
    while len(out) < n:
        hyp = rng.choice(sentences)
        words = hyp.split()
        rng.shuffle(words)  # distinct texts, same lengths
        prem = premise(hyp, sentences, k=1) or rng.choice(sentences)
        out.append((prem, " ".join(words[: max(8, len(words) - rng.randrange(3))])))
    return out


def _rate(judge: Any, pairs: list[tuple[str, str]]) -> float:
    judge._memo.clear()
    t0 = time.perf_counter()
    judge.judge(pairs)
    return len(pairs) / (time.perf_counter() - t0)


class CT2Judge:
    """The judge's encoder through CTranslate2 (int8), its heads in torch: measured, not
    shipped."""

    def __init__(self, folder: Path, tmp: Path) -> None:
        import ctranslate2
        import torch
        from transformers import BertConfig, BertModel

        from drift.judge import weights
        from drift.judge.learned import LearnedJudge

        base = LearnedJudge(folder).load()
        self.tokenizer = base._tokenizer
        state = weights.load(folder / "model.safetensors")
        enc = base.config.encoder
        cfg = BertConfig(vocab_size=enc["vocab_size"], hidden_size=enc["hidden_size"],
                         num_hidden_layers=enc["num_hidden_layers"],
                         num_attention_heads=enc["num_attention_heads"],
                         intermediate_size=enc["intermediate_size"],
                         max_position_embeddings=enc["max_position_embeddings"],
                         type_vocab_size=enc["type_vocab_size"],
                         position_embedding_type="absolute")
        bert = BertModel(cfg, add_pooling_layer=True)
        bert.load_state_dict({k: v for k, v in state.items() if k in bert.state_dict()},
                             strict=False)
        bert.save_pretrained(tmp / "hf")
        from ctranslate2.converters import TransformersConverter

        TransformersConverter(str(tmp / "hf")).convert(str(tmp / "ct2"), quantization="int8",
                                                        force=True)
        self.encoder = ctranslate2.Encoder(str(tmp / "ct2"), device="cpu", compute_type="int8")
        self.pool_w, self.pool_b = state["pooler.dense.weight"], state["pooler.dense.bias"]
        self.head_w, self.head_b = state["changed.weight"], state["changed.bias"]
        self.torch = torch
        self._memo: dict[Any, float] = {}

    def judge(self, pairs: list[tuple[str, str]]) -> list[float]:
        torch = self.torch
        out = []
        for at in range(0, len(pairs), 32):
            chunk = pairs[at : at + 32]
            encs = self.tokenizer.encode_batch([(h, p) for p, h in chunk])
            lengths = [sum(e.attention_mask) for e in encs]
            ids = [e.ids[:n] for e, n in zip(encs, lengths, strict=True)]
            segs = [e.type_ids[:n] for e, n in zip(encs, lengths, strict=True)]
            res = self.encoder.forward_batch(ids, token_type_ids=segs)
            import numpy as np

            hidden = torch.from_numpy(np.array(res.last_hidden_state)).float()
            pooled = torch.tanh(hidden[:, 0] @ self.pool_w.T + self.pool_b)
            logits = pooled @ self.head_w.T + self.head_b
            out.extend(torch.softmax(logits, -1)[:, 1].tolist())
        return out


def child(sizes: list[int], n_pairs: int) -> dict[str, Any]:
    from drift.judge.learned import LearnedJudge

    result: dict[str, Any] = {}
    pairs = _pairs(n_pairs)
    shipped = LearnedJudge()
    int8 = LearnedJudge(int8=True)
    for j in (shipped, int8):
        j.judge(pairs[:16])  # load and warm up
    base = [v.p_changed for v in shipped.judge(pairs)]
    rates: dict[str, list[float]] = {"float32 (shipped)": [], "dynamic int8": []}
    with tempfile.TemporaryDirectory(prefix="drift-bench-judge-") as tmp:
        ct2: CT2Judge | None
        try:
            ct2 = CT2Judge(shipped.folder, Path(tmp))
            ct2.judge(pairs[:16])
            rates["CTranslate2 int8"] = []
        except Exception as exc:  # no converter for this shape, no ctranslate2: report it
            result["ct2_error"] = f"{type(exc).__name__}: {exc}"
            ct2 = None
        for _ in range(2):
            rates["float32 (shipped)"].append(_rate(shipped, pairs))
            rates["dynamic int8"].append(_rate(int8, pairs))
            if ct2 is not None:
                t0 = time.perf_counter()
                ct2.judge(pairs)
                rates["CTranslate2 int8"].append(len(pairs) / (time.perf_counter() - t0))
        diffs = {"dynamic int8": max(abs(a.p_changed - b) for a, b in
                                     zip(int8.judge(pairs), base, strict=True))}
        if ct2 is not None:
            diffs["CTranslate2 int8"] = max(abs(a - b) for a, b in
                                            zip(ct2.judge(pairs), base, strict=True))
    lengths = [len(shipped._tokenizer.encode(h, p).ids) for p, h in pairs]
    result["backends"] = {k: {"pairs_per_s": statistics.median(v),
                              "max_diff": diffs.get(k, 0.0)} for k, v in rates.items()}
    result["tokens"] = statistics.mean(lengths)
    result["pairs"] = len(pairs)
    result["audits"] = _audits(sizes)
    return result


def _audits(sizes: list[int]) -> dict[str, list[dict[str, Any]]]:
    from bench_audit import make_set

    from drift.core import audit

    out: dict[str, list[dict[str, Any]]] = {"off": [], "on": []}
    with tempfile.TemporaryDirectory(prefix="drift-bench-judge-audit-") as tmp:
        base = Path(tmp)
        warm = make_set(10, base / "warm", seed=91)
        for mode in ("off", "on"):
            audit([base / "warm" / "articles"], reference=warm, translator="identity",
                  use_cache=False, judge=mode)
        for n in sizes:
            ref = make_set(n, base / f"set-{n}")
            for mode in ("off", "on"):
                t0 = time.perf_counter()
                report = audit([base / f"set-{n}" / "articles"], reference=ref,
                               translator="identity", use_cache=False, judge=mode)
                seconds = time.perf_counter() - t0
                row = {"n": n, "seconds": seconds, "per_article_ms": 1000 * seconds / n,
                       "findings": len(report.findings)}
                out[mode].append(row)
                print(f"judge={mode:3s} n={n:4d} {seconds:7.2f} s "
                      f"{row['per_article_ms']:6.1f} ms/article", file=sys.stderr, flush=True)
    return out


def exponent(rows: list[dict[str, Any]]) -> float | None:
    if len(rows) < 2:
        return None
    a, b = rows[0], rows[-1]
    return math.log(b["seconds"] / a["seconds"]) / math.log(b["n"] / a["n"])


def run(sizes: list[int] | None = None, n_pairs: int = 256) -> dict[str, Any]:
    """The benchmark in a fresh interpreter; prints and returns the figures."""
    sizes = sizes or [30, 100]
    cmd = [sys.executable, __file__, "--child", "--pairs", str(n_pairs),
           "--sizes", *map(str, sizes)]
    done = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    res: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    for line in section(res):
        print(line)
    return res


def section(res: dict[str, Any]) -> list[str]:
    """Markdown for bench.md."""
    b = res["backends"]
    ship = b["float32 (shipped)"]["pairs_per_s"]
    lines = ["## Learned judge", "",
             f"Inference on {res['pairs']} pairs of {res['tokens']:.0f} tokens on average "
             "(median of two alternating rounds, batches of 32):", "",
             "| back-end | pairs/s | vs shipped | largest P(changed) difference |",
             "|---|---|---|---|"]
    for name, v in b.items():
        lines.append(f"| {name} | {v['pairs_per_s']:.1f} | {v['pairs_per_s'] / ship:.2f}x | "
                     f"{v['max_diff']:.3f} |")
    if "ct2_error" in res:
        lines.append(f"\nCTranslate2 could not be measured: {res['ct2_error']}")
    off, on = res["audits"]["off"], res["audits"]["on"]
    e_off, e_on = exponent(off), exponent(on)
    lines += ["", "Audits judging every aligned sentence (`--judge on`) against the "
              "comparators alone (`--judge off`), reference mode, generated sets:", "",
              "| articles | off: ms/article | on: ms/article | judge's share |",
              "|---|---|---|---|"]
    for a, c in zip(off, on, strict=True):
        share = 1 - a["seconds"] / c["seconds"] if c["seconds"] else 0.0
        lines.append(f"| {a['n']:,} | {a['per_article_ms']:.0f} | {c['per_article_ms']:.0f} | "
                     f"{share:.0%} |")
    lines += ["", f"Growth exponent with the judge on: "
              f"{'n/a' if e_on is None else f'{e_on:.2f}'} (off: "
              f"{'n/a' if e_off is None else f'{e_off:.2f}'}).", ""]
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", type=int, nargs="+", default=[30, 100])
    ap.add_argument("--pairs", type=int, default=256)
    ap.add_argument("--child", action="store_true")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.sizes, args.pairs)))
        return 0
    run(args.sizes, args.pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
