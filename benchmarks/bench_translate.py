"""Translation speed and memory: transformers fp32 vs drift's fast path (CTranslate2 int8).

usage: python benchmarks/bench_translate.py [--repeats 3] [--json out.json]

Builds a random-weight model shaped exactly like Helsinki-NLP/opus-mt-es-en (vocab 65001,
d_model 512, 6+6 layers, 8 heads, ffn 2048, swish, scaled embeddings, static positions, shared
embeddings), converts it with ``drift.modelhub.convert`` and measures, each engine in a fresh
subprocess, on the same token ids (tokenizer-free: both engines get the same 29 source tokens +
</s> per input, so they do the same work):

- target tokens/s with exactly 40 output tokens per input, greedy: 64 inputs at batch 32 and 16
  inputs at batch 1 (median of ``--repeats``);
- peak RSS of the process;
- agreement of the fast path's greedy outputs (natural lengths, up to 40 tokens) with fp32's:
  token-level agreement and sacrebleu BLEU over the token sequences.

The fast path is drift's own: the ``marian-ct2`` backend loads the converted model (int8,
inter_threads/intra_threads from the core count) and translates with one translate_batch call.
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mib

ROOT = Path(__file__).resolve().parents[1]
VOCAB = 65001
PAD = VOCAB - 1
SRC_TOKENS = 29  # + </s> = 30 source tokens
OUT_TOKENS = 40
N_BATCH32 = 64
N_BATCH1 = 16
SEED = 7


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


# -- engines (each run in its own process) -------------------------------------------------


class HFEngine:
    """transformers, fp32, greedy, torch threads = cores."""

    def __init__(self, models: Path) -> None:
        import torch
        from transformers import MarianMTModel

        torch.set_num_threads(cores())
        self.torch = torch
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

    def translate(self, data: list[list[int]], batch_size: int, fixed: bool) -> list[list[int]]:
        out: list[list[int]] = []
        for b in range(0, len(data), batch_size):
            out.extend(self.run(data[b : b + batch_size], fixed))
        return out


class CT2Engine:
    """drift's marian-ct2 backend: its loader (int8, threads from the core count), one call."""

    def __init__(self, models: Path) -> None:
        from drift.translate.ct2 import CT2Translator

        self.backend = CT2Translator(models)
        self.translator = self.backend._load("es").model
        self.vocab = {piece(i): i for i in range(VOCAB)}

    def translate(self, data: list[list[int]], batch_size: int, fixed: bool) -> list[list[int]]:
        source = [[piece(i) for i in row] for row in data]
        res = self.translator.translate_batch(
            source, max_batch_size=batch_size, batch_type="examples", beam_size=1,
            max_decoding_length=OUT_TOKENS, min_decoding_length=OUT_TOKENS if fixed else 1)
        return [[self.vocab[t] for t in r.hypotheses[0]] for r in res]


def child(engine: str, models: Path, repeats: int) -> dict[str, Any]:
    if engine == "build":
        from drift import modelhub

        t0 = time.perf_counter()
        build_model(models / "opus-mt-es-en")
        t1 = time.perf_counter()
        modelhub.convert(["es"], models)
        return {"build_s": t1 - t0, "convert_s": time.perf_counter() - t1}
    t0 = time.perf_counter()
    eng: Any = HFEngine(models) if engine == "hf" else CT2Engine(models)
    result: dict[str, Any] = {"engine": engine, "load_s": time.perf_counter() - t0}
    eng.translate(inputs(4, 99), 4, True)  # warm-up
    for batch, n in ((32, N_BATCH32), (1, N_BATCH1)):
        data = inputs(n, batch)
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            out = eng.translate(data, batch, True)
            times.append(time.perf_counter() - t)
        produced = len(out) * OUT_TOKENS  # fixed length (a final forced </s> is cut off)
        result[f"tok_s_{batch}"] = produced / statistics.median(times)
        result[f"tokens_{batch}"] = produced
    result["outputs"] = eng.translate(inputs(N_BATCH32, 32), 32, False)
    result["rss_mib"] = peak_rss_mib()
    return result


def run_child(engine: str, models: Path, repeats: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", engine, "--models", str(models),
           "--repeats", str(repeats)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


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


def run(repeats: int = 3) -> dict[str, Any]:
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="drift-bench-mt-") as tmp:
        models = Path(tmp) / "models"
        # Built in a subprocess too: torch's idle worker threads in this process would compete
        # with the measured ones (10x slower fp32 on 2 cores), and its RSS would be inherited.
        built = run_child("build", models, repeats)
        t_build, t_convert = built["build_s"], built["convert_s"]
        hf = run_child("hf", models, repeats)
        ct = run_child("ct2", models, repeats)
    agree, bleu = agreement(ct["outputs"], hf["outputs"])
    summary = {
        "cores": cores(),
        "build_s": t_build,
        "convert_s": t_convert,
        "hf": {k: v for k, v in hf.items() if k != "outputs"},
        "ct2": {k: v for k, v in ct.items() if k != "outputs"},
        "ratio_32": ct["tok_s_32"] / hf["tok_s_32"],
        "ratio_1": ct["tok_s_1"] / hf["tok_s_1"],
        "rss_ratio": ct["rss_mib"] / hf["rss_mib"],
        "agreement": agree,
        "bleu": bleu,
        "seconds": time.perf_counter() - t0,
    }
    print(f"cores: {summary['cores']}; model built in {t_build:.1f} s, converted in "
          f"{t_convert:.1f} s")
    print(f"{'engine':<28}{'tok/s b32':>10}{'tok/s b1':>10}{'RSS MiB':>9}{'load s':>8}")
    for label, r in (("transformers fp32", hf), ("drift fast path (CT2 int8)", ct)):
        print(f"{label:<28}{r['tok_s_32']:>10.0f}{r['tok_s_1']:>10.0f}{r['rss_mib']:>9.0f}"
              f"{r['load_s']:>8.1f}")
    print(f"throughput ratio fast/fp32: batch 32 {summary['ratio_32']:.2f}x, batch 1 "
          f"{summary['ratio_1']:.2f}x (target >= 4.0x); RSS ratio {summary['rss_ratio']:.2f} "
          f"(target <= 0.5)")
    print(f"quality vs fp32 (greedy, natural lengths): token agreement {agree:.3f}, "
          f"BLEU {bleu:.1f}")
    print(f"total {summary['seconds']:.0f} s")
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--child", choices=("hf", "ct2", "build"), default=None, help=argparse.SUPPRESS)
    ap.add_argument("--models", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.models, args.repeats)))
        return 0
    summary = run(args.repeats)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
