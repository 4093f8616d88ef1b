"""Translation speed and memory: plain transformers fp32 greedy vs drift's default fast path.

usage: python benchmarks/bench_translate.py [--rounds 5] [--json out.json]

Builds a random-weight model shaped exactly like Helsinki-NLP/opus-mt-es-en (vocab 65001,
d_model 512, 6+6 layers, 8 heads, ffn 2048, swish, scaled embeddings, static positions, shared
embeddings; 77.9M parameters), converts it with ``drift.modelhub.convert`` (what ``drift models
convert`` and auto-conversion do), and starts two engine processes side by side:

- baseline: plain transformers, fp32, greedy (``num_beams=1``), ``torch.set_num_threads(cores)``;
- fast path: drift's ``marian-ct2`` backend with ITS defaults: ``CT2Translator(models_dir)``
  (int8, greedy unless $DRIFT_BEAM says otherwise, batch size 32, inter x intra threads from
  the core count), timed through ``CT2Translator.generate``, the very call its ``translate``
  makes after tokenizing.

Both get the same token ids (29 source tokens + ``</s>`` per input; tokenizer-free, so both do
the same work) and produce exactly 40 output tokens per input when timed. Measured in rounds,
the engines alternating (A, B, then B, A in the next round) so that a load change on the machine
hits both alike; figures are medians over rounds:

- batch 32: 64 inputs, two batches of 32 (transformers: two generate calls; fast path: one
  call, ``max_batch_size=32``, the two batches on its two inter_threads workers);
- batch 1 (throughput): 4 inputs, one per batch (transformers: four sequential calls; fast path:
  one call with ``max_batch_size=1``, which CTranslate2 spreads over its inter_threads workers);
- single request (latency): 4 inputs, one call each, sequentially, for both engines; for
  transformers this IS its batch-1 run;
- peak RSS of each engine process, load time (imports + model);
- agreement of the fast path's greedy outputs with fp32's on the 64 batch-32 inputs (their first
  39 tokens: transformers forces ``</s>`` as the 40th): token-level agreement and sacrebleu BLEU
  over the token sequences.

Throughput counts decoding steps (40 per input) per second. The rounds stop after
``--budget`` seconds (at least two), so that a heavily loaded machine still finishes in time.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mib

ROOT = Path(__file__).resolve().parents[1]
VOCAB = 65001
PAD = VOCAB - 1
SRC_TOKENS = 29  # + </s> = 30 source tokens
OUT_TOKENS = 40
N_BATCH32 = 64
N_BATCH1 = 4
BUDGET_S = 150.0  # the timed rounds stop after this long (at least MIN_ROUNDS rounds)
MIN_ROUNDS = 2
SEED = 7
REPLY = "@@bench "  # prefix of an engine's answer line on stdout (anything else is ignored)
SETTINGS = ("b32", "b1", "single")


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


def piece(i: int) -> str:
    return {0: "</s>", 1: "<unk>", PAD: "<pad>"}.get(i, f"▁w{i}")


def build_model(folder: Path) -> None:
    """A random-weight opus-mt-es-en look-alike with tokenizer files (vocab.json of 65001)."""
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    sys.path.insert(0, str(ROOT / "tests"))
    from tiny_marian import ENGLISH, SPANISH

    folder.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(SPANISH + ENGLISH), model_writer=buf, vocab_size=120,
        hard_vocab_limit=False, model_type="unigram", character_coverage=1.0, eos_id=0,
        unk_id=1, bos_id=-1, pad_id=-1, num_threads=1, minloglevel=2)
    for name in ("source.spm", "target.spm"):
        (folder / name).write_bytes(buf.getvalue())
    vocab = {piece(i): i for i in range(VOCAB)}
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (folder / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "MarianTokenizer", "source_lang": "es", "target_lang": "en",
        "unk_token": "<unk>", "eos_token": "</s>", "pad_token": "<pad>",
        "model_max_length": 512, "separate_vocabs": False}), encoding="utf-8")
    config = MarianConfig(
        vocab_size=VOCAB, decoder_vocab_size=VOCAB, d_model=512, encoder_layers=6,
        decoder_layers=6, encoder_attention_heads=8, decoder_attention_heads=8,
        encoder_ffn_dim=2048, decoder_ffn_dim=2048, max_position_embeddings=512,
        activation_function="swish", scale_embedding=True, share_encoder_decoder_embeddings=True,
        static_position_embeddings=True, tie_word_embeddings=True, dropout=0.1,
        attention_dropout=0.0, activation_dropout=0.0, encoder_layerdrop=0.0,
        decoder_layerdrop=0.0, init_std=0.02, use_cache=True, is_encoder_decoder=True,
        pad_token_id=PAD, eos_token_id=0, bos_token_id=None, forced_eos_token_id=0,
        decoder_start_token_id=PAD)
    torch.manual_seed(SEED)
    model = MarianMTModel(config).eval()
    model.generation_config = GenerationConfig(
        num_beams=4, max_length=512, bad_words_ids=[[PAD]], forced_eos_token_id=0,
        pad_token_id=PAD, eos_token_id=0, decoder_start_token_id=PAD)
    model.save_pretrained(folder)


def inputs(n: int, salt: int) -> list[list[int]]:
    rng = random.Random(SEED * 1000 + salt)
    return [[rng.randrange(2, PAD) for _ in range(SRC_TOKENS)] + [0] for _ in range(n)]


# -- engines (each in its own process, alive for the whole benchmark) --------------------------


class HFEngine:
    """Plain transformers: fp32, greedy, torch threads = cores."""

    def __init__(self, models: Path) -> None:
        import torch
        from transformers import MarianMTModel

        torch.set_num_threads(cores())
        self.torch = torch
        self.threads = torch.get_num_threads()
        self.model = MarianMTModel.from_pretrained(models / "opus-mt-es-en",
                                                   dtype=torch.float32).eval()
        self.model.generation_config.max_length = None

    def run(self, batch: list[list[int]], fixed: bool) -> list[list[int]]:
        torch = self.torch
        ids = torch.tensor(batch)
        kwargs: dict[str, Any] = {"min_new_tokens": OUT_TOKENS} if fixed else {}
        with torch.inference_mode():
            out = self.model.generate(input_ids=ids, attention_mask=torch.ones_like(ids),
                                      num_beams=1, do_sample=False, max_new_tokens=OUT_TOKENS,
                                      **kwargs)
        rows = []
        for row in out.tolist():
            row = row[1:]  # the decoder start token
            rows.append(row[: row.index(0)] if 0 in row else row)
        return rows

    def translate(self, data: list[list[int]], setting: str, fixed: bool) -> list[list[int]]:
        size = 32 if setting == "b32" else 1
        out: list[list[int]] = []
        for b in range(0, len(data), size):
            out.extend(self.run(data[b : b + size], fixed))
        return out


class CT2Engine:
    """drift's marian-ct2 backend with its defaults; timed through CT2Translator.generate."""

    def __init__(self, models: Path) -> None:
        from drift.translate.ct2 import CT2Translator

        self.default = CT2Translator(models)  # the defaults: batch 32, greedy, threads
        self.batch1 = CT2Translator(models, batch_size=1)  # the same loaded model
        self.loaded = self.default._load("es")
        self.threads = [self.default.inter_threads, self.default.intra_threads]
        self.beams = self.default.num_beams
        self.vocab = {piece(i): i for i in range(VOCAB)}

    def translate(self, data: list[list[int]], setting: str, fixed: bool) -> list[list[int]]:
        sources = [[piece(i) for i in row] for row in data]
        low = OUT_TOKENS if fixed else 1
        if setting == "single":
            hyps = [h for s in sources
                    for h in self.default.generate([s], self.loaded, OUT_TOKENS, low)]
        else:
            backend = self.default if setting == "b32" else self.batch1
            hyps = backend.generate(sources, self.loaded, OUT_TOKENS, low)
        return [[self.vocab[t] for t in h] for h in hyps]


def serve(engine: str, models: Path) -> None:
    """An engine process: load, answer commands (one JSON line each) on stdin."""
    t0 = time.perf_counter()
    eng: Any = HFEngine(models) if engine == "hf" else CT2Engine(models)
    load_s = time.perf_counter() - t0
    data = {"b32": inputs(N_BATCH32, 32), "b1": inputs(N_BATCH1, 1),
            "single": inputs(N_BATCH1, 1)}
    # Warm-up on the very shapes timed: transformers' first batch-32 call can take 10x longer.
    for setting in ("b32", "b1"):
        eng.translate(data[setting], setting, True)

    def reply(obj: dict[str, Any]) -> None:
        sys.stdout.write(REPLY + json.dumps(obj) + "\n")
        sys.stdout.flush()

    reply({"ready": True, "load_s": load_s})
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "time":
            t = time.perf_counter()
            out = eng.translate(data[cmd["setting"]], cmd["setting"], True)
            seconds = time.perf_counter() - t
            short = [len(r) for r in out if len(r) < OUT_TOKENS - 1]
            assert not short, f"outputs shorter than {OUT_TOKENS - 1} tokens: {short}"
            reply({"seconds": seconds, "tokens": OUT_TOKENS * len(out), "requests": len(out),
                   "outputs": [r[: OUT_TOKENS - 1] for r in out] if cmd.get("keep") else None})
        elif cmd["op"] == "info":
            reply({"rss_mib": peak_rss_mib(), "threads": getattr(eng, "threads", None),
                   "beams": getattr(eng, "beams", 1), "load_s": load_s})
        elif cmd["op"] == "quit":
            reply({"bye": True})
            return


class Engine:
    """The parent's handle on an engine process."""

    def __init__(self, engine: str, models: Path, log: IO[str]) -> None:
        cmd = [sys.executable, __file__, "--serve", engine, "--models", str(models)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=log, text=True, cwd=ROOT)
        self.name = engine

    def ask(self, **cmd: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if cmd:
            self.proc.stdin.write(json.dumps(cmd) + "\n")
            self.proc.stdin.flush()
        for line in self.proc.stdout:
            if line.startswith(REPLY):
                return dict(json.loads(line[len(REPLY):]))
        raise RuntimeError(f"engine {self.name} exited (code {self.proc.wait()})")

    def close(self) -> None:
        try:
            self.ask(op="quit")
        finally:
            self.proc.wait(timeout=60)


def build(models: Path) -> dict[str, float]:
    """Build and convert the model (run in a subprocess: torch's threads and RSS stay there)."""
    from drift import modelhub

    t0 = time.perf_counter()
    build_model(models / "opus-mt-es-en")
    t1 = time.perf_counter()
    modelhub.convert(["es"], models)
    return {"build_s": t1 - t0, "convert_s": time.perf_counter() - t1}


def agreement(fast: list[list[int]], ref: list[list[int]]) -> tuple[float, float]:
    """(token-level agreement, BLEU) of ``fast`` against ``ref``."""
    import sacrebleu

    same = total = 0
    for a, b in zip(fast, ref, strict=True):
        n = max(len(a), len(b))
        total += n
        same += sum(1 for x, y in zip(a, b, strict=False) if x == y)
    hyps = [" ".join(f"t{t}" for t in a) for a in fast]
    refs = [" ".join(f"t{t}" for t in b) for b in ref]
    bleu = sacrebleu.corpus_bleu(hyps, [refs], tokenize="none").score
    return (same / total if total else 1.0), float(bleu)


def run(rounds: int = 5, budget_s: float = BUDGET_S) -> dict[str, Any]:
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="drift-bench-mt-") as tmp:
        models = Path(tmp) / "models"
        out = subprocess.run([sys.executable, __file__, "--build", "--models", str(models)],
                             check=True, capture_output=True, text=True, cwd=ROOT)
        built = json.loads(out.stdout.strip().splitlines()[-1])
        log = (Path(tmp) / "engines.log").open("w", encoding="utf-8")
        # Both engines alive side by side; only one works at a time.
        hf, ct = Engine("hf", models, log), Engine("ct2", models, log)
        try:
            ready = {"hf": hf.ask(), "ct2": ct.ask()}
            times: dict[str, dict[str, list[float]]] = {"hf": {}, "ct2": {}}
            tokens: dict[str, dict[str, int]] = {"hf": {}, "ct2": {}}
            outputs: dict[str, list[list[int]]] = {}
            started = time.perf_counter()
            done = 0
            while done < rounds and (done < MIN_ROUNDS
                                     or time.perf_counter() - started < budget_s):
                for setting in SETTINGS:
                    pair = [hf, ct] if done % 2 == 0 else [ct, hf]
                    for eng in pair:
                        if eng is hf and setting == "single":
                            continue  # transformers' single-request run is its batch-1 run
                        time.sleep(0.2)  # let the other engine's worker threads go idle
                        keep = setting == "b32" and done == 0
                        got = eng.ask(op="time", setting=setting, keep=keep)
                        times[eng.name].setdefault(setting, []).append(got["seconds"])
                        tokens[eng.name][setting] = got["tokens"]
                        if keep:
                            outputs[eng.name] = got["outputs"]
                done += 1
            rounds = done
            info = {"hf": hf.ask(op="info"), "ct2": ct.ask(op="info")}
        finally:
            for eng in (hf, ct):
                try:
                    eng.close()
                except Exception:
                    eng.proc.kill()
            log.close()
    times["hf"]["single"] = times["hf"]["b1"]
    tokens["hf"]["single"] = tokens["hf"]["b1"]
    res: dict[str, Any] = {}
    for name in ("hf", "ct2"):
        r = {"load_s": ready[name]["load_s"], "rss_mib": info[name]["rss_mib"],
             "threads": info[name]["threads"], "beams": info[name]["beams"]}
        for setting in SETTINGS:
            med = statistics.median(times[name][setting])
            r[f"tok_s_{setting}"] = tokens[name][setting] / med
            r[f"tokens_{setting}"] = tokens[name][setting]
            r[f"median_s_{setting}"] = med
        r["single_ms"] = 1000 * r["median_s_single"] / N_BATCH1  # per request
        res[name] = r
    hf_r, ct_r = res["hf"], res["ct2"]
    # Per-round ratios (the engines ran next to each other): their median and range.
    per_round = {s: [times["hf"][s][i] / times["ct2"][s][i] * tokens["ct2"][s] / tokens["hf"][s]
                     for i in range(rounds)] for s in SETTINGS}
    agree, bleu = agreement(outputs["ct2"], outputs["hf"])
    summary: dict[str, Any] = {
        "cores": cores(),
        "rounds": rounds,
        "build_s": built["build_s"],
        "convert_s": built["convert_s"],
        "hf": hf_r,
        "ct2": ct_r,
        "ratio_32": ct_r["tok_s_b32"] / hf_r["tok_s_b32"],
        "ratio_1": ct_r["tok_s_b1"] / hf_r["tok_s_b1"],
        "ratio_single": ct_r["tok_s_single"] / hf_r["tok_s_single"],
        "ratio_range": {s: [min(v), max(v)] for s, v in per_round.items()},
        "rss_ratio": ct_r["rss_mib"] / hf_r["rss_mib"],
        "agreement": agree,
        "bleu": bleu,
        "seconds": time.perf_counter() - t0,
    }
    print(f"cores: {summary['cores']}; model built in {built['build_s']:.1f} s, converted in "
          f"{built['convert_s']:.1f} s; {rounds} alternating rounds")
    print(f"{'engine':<34}{'tok/s b32':>10}{'tok/s b1':>10}{'single ms':>10}{'RSS MiB':>9}"
          f"{'load s':>8}   (b1: throughput, one input per batch; single: latency per request)")
    labels = (("transformers fp32 greedy", hf_r), (
        f"drift marian-ct2 (int8, beam {ct_r['beams']})", ct_r))
    for label, r in labels:
        print(f"{label:<34}{r['tok_s_b32']:>10.0f}{r['tok_s_b1']:>10.0f}{r['single_ms']:>10.0f}"
              f"{r['rss_mib']:>9.0f}{r['load_s']:>8.1f}")
    print(f"throughput ratio fast/fp32: batch 32 {summary['ratio_32']:.2f}x, batch 1 "
          f"{summary['ratio_1']:.2f}x, single request {summary['ratio_single']:.2f}x "
          f"(target >= 4.0x); RSS ratio {summary['rss_ratio']:.2f} (target <= 0.5)")
    print(f"quality vs fp32 (greedy, first {OUT_TOKENS - 1} tokens of the batch-32 outputs): "
          f"token agreement {agree:.3f}, BLEU {bleu:.1f}")
    print(f"total {summary['seconds']:.0f} s")
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="at most this many rounds")
    ap.add_argument("--budget", type=float, default=BUDGET_S,
                    help="seconds after which no new round starts (at least two run)")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--serve", choices=("hf", "ct2"), default=None, help=argparse.SUPPRESS)
    ap.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--models", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.build:
        print(json.dumps(build(args.models)))
        return 0
    if args.serve:
        serve(args.serve, args.models)
        return 0
    summary = run(args.rounds, args.budget)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
