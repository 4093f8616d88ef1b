"""The learned judge: inference only (training lives in ``drift.judge.train``).

Loads ``models/judge/`` (``config.json``, ``model.safetensors`` in drift's int8 format,
``tokenizer.json``), runs the cross-encoder on the CPU in float32 from those int8-stored
weights, and turns its three heads into a ``Verdict`` per pair. Dynamic int8 activations
(``int8=True``) were measured and not adopted: on the development pairs ROC AUC 0.819 against
0.833, and no faster on a CPU without VNNI (``make bench`` prints the ratio). torch is imported
when the judge is first used, never when drift starts.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drift.judge import SAME, TYPES, Verdict, weights_dir

FORMAT = "drift-judge/1"
BATCH_SIZE = 32
MEMO_MAX = 200_000  # verdicts remembered by pair text
# A hypothesis token is part of the changed span above this tag probability.
TAG_THRESHOLD = 0.5


class JudgeUnavailable(RuntimeError):
    """The learned judge's weights are missing or unreadable (one-line message)."""


@dataclass(frozen=True, slots=True)
class JudgeConfig:
    """What ``config.json`` beside the weights says."""

    encoder: dict[str, Any]
    types: tuple[str, ...]
    max_length: int
    threshold: float  # P(changed) from which a pair counts as changed (calibrated on dev sets)
    mode: str  # "findings", "rescore" or "off": what the held-out gate allows (see GATES)
    heldout_auc: float | None
    version: str

    @classmethod
    def read(cls, folder: Path) -> JudgeConfig:
        d = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if d.get("format") != FORMAT:
            raise JudgeUnavailable(f"{folder}/config.json is not a drift judge ({FORMAT})")
        gate = d.get("gate", {})
        return cls(d["encoder"], tuple(d["types"]), int(d["max_length"]),
                   float(d["threshold"]), str(gate.get("mode", "off")),
                   gate.get("heldout_auc"), str(d.get("version", "unknown")))


# What the judge may do, by its ROC AUC on held-out sentence pairs (changed vs same): from 0.85
# it adds findings of its own; from 0.75 it only re-scores and vetoes comparator findings;
# below, it stays off.
GATES = ((0.85, "findings"), (0.75, "rescore"))


def gate_mode(auc: float | None) -> str:
    """The mode a held-out ROC AUC earns."""
    for floor, mode in GATES:
        if auc is not None and auc >= floor:
            return mode
    return "off"


class LearnedJudge:
    """The cross-encoder of ``models/judge`` behind the ``Judge`` protocol."""

    name = "learned"
    loads = 0  # networks loaded in this process (``drift.stories.model_loads``)

    def __init__(self, folder: Path | None = None, *, int8: bool | None = None,
                 batch_size: int = BATCH_SIZE) -> None:
        found = folder if folder is not None else weights_dir()
        if found is None or not (found / "config.json").is_file():
            raise JudgeUnavailable(
                "the learned judge's weights are not installed (models/judge/ in a drift "
                "checkout, or $DRIFT_JUDGE); `make train-judge` builds them")
        self.folder = found
        self.config = JudgeConfig.read(found)
        # DRIFT_JUDGE_INT8=1 turns dynamic int8 activations on (for CPUs where they pay).
        self.int8 = int8 if int8 is not None else os.environ.get("DRIFT_JUDGE_INT8") == "1"
        self.batch_size = batch_size
        self._net: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self._memo: dict[tuple[str, str], Verdict] = {}

    def load(self) -> LearnedJudge:
        """Load the network and tokenizer now (idempotent)."""
        with self._lock:
            if self._net is None:
                self._net, self._tokenizer = self._load()
                LearnedJudge.loads += 1
        return self

    def _load(self) -> tuple[Any, Any]:
        from tokenizers import Tokenizer

        from drift.judge import weights
        from drift.judge.model import CrossEncoder, EncoderConfig

        try:
            state = weights.load(self.folder / "model.safetensors")
            tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        except (OSError, ValueError, RuntimeError) as exc:
            raise JudgeUnavailable(f"cannot read the judge in {self.folder}: {exc}") from exc
        net = CrossEncoder(EncoderConfig.from_dict(self.config.encoder), len(self.config.types))
        net.load_state_dict(state)
        net.eval()
        if self.int8:
            net = int8_dynamic(net)
        tokenizer.enable_truncation(max_length=self.config.max_length,
                                    strategy="longest_first")
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        return net, tokenizer

    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        """One verdict per (premise, hypothesis) pair, in input order; pairs run in batches of
        similar length."""
        if len(self._memo) > MEMO_MAX:  # a long-lived process (drift watch): start again
            self._memo.clear()
        todo = sorted({p for p in pairs if p not in self._memo},
                      key=lambda p: (len(p[0]) + len(p[1]), p))
        if todo:
            self.load()
            for at in range(0, len(todo), self.batch_size):
                chunk = todo[at : at + self.batch_size]
                self._memo.update(zip(chunk, self._run(chunk), strict=True))
        return [self._memo[p] for p in pairs]

    def judge_batch(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        """One verdict per pair, the pairs run in this order in batches of ``batch_size``,
        without the memo: a verdict's last bits depend on the batch it was computed in, so a
        caller that keeps verdicts (``drift.core``) chooses the batches."""
        if not pairs:
            return []
        self.load()
        out: list[Verdict] = []
        for at in range(0, len(pairs), self.batch_size):
            out.extend(self._run(pairs[at : at + self.batch_size]))
        return out

    def _run(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        import torch

        # The article sentence first (segment 0), its reference context second: truncation
        # shortens the context, never the sentence whose words are tagged.
        encs = self._tokenizer.encode_batch([(h, p) for p, h in pairs])
        ids = torch.tensor([e.ids for e in encs])
        mask = torch.tensor([e.attention_mask for e in encs])
        segs = torch.tensor([e.type_ids for e in encs])
        with torch.inference_mode():
            changed, types, tags = self._net(ids, mask, segs)
            p_changed = torch.softmax(changed.float(), -1)[:, 1].tolist()
            p_types = torch.softmax(types.float(), -1)
            p_tags = torch.softmax(tags.float(), -1)[:, :, 1].tolist()
        out = []
        for i, ((_, hyp), enc) in enumerate(zip(pairs, encs, strict=True)):
            t = int(p_types[i].argmax())
            spans = tag_spans(hyp, enc.offsets, enc.sequence_ids, p_tags[i])
            out.append(Verdict(float(p_changed[i]), self.config.types[t],
                               float(p_types[i][t]), spans))
        return out


def int8_dynamic(net: Any) -> Any:
    """``net`` with its linear layers in int8 (weights) x dynamically quantised activations:
    torch's ``quantize_dynamic`` (marked deprecated in favour of torchao, which is not a
    dependency, yet present and measured in ``make bench``); the float network where a torch
    build lacks it."""
    import warnings

    import torch

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            quantize: Any = torch.ao.quantization.quantize_dynamic
            return quantize(net, {torch.nn.Linear}, dtype=torch.qint8)
    except (AttributeError, RuntimeError, NotImplementedError):  # no quantized engine
        return net


def tag_spans(text: str, offsets: Sequence[tuple[int, int]], sequence_ids: Sequence[int | None],
              probs: Sequence[float], threshold: float = TAG_THRESHOLD
              ) -> tuple[tuple[int, int], ...]:
    """Character spans of ``text`` whose tokens are tagged, widened to whole words and merged
    when only spaces or punctuation separate them."""
    spans: list[list[int]] = []
    for (a, b), seq, p in zip(offsets, sequence_ids, probs, strict=False):
        if seq != 0 or b <= a or p < threshold:
            continue
        while a > 0 and text[a - 1].isalnum():
            a -= 1
        while b < len(text) and text[b].isalnum():
            b += 1
        if spans and (a <= spans[-1][1] or not text[spans[-1][1]:a].strip(" ,-")):
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    return tuple((a, b) for a, b in spans)


def best_type(verdict: Verdict) -> str:
    """The verdict's type, or ``same`` below the judge's own threshold (for display)."""
    return verdict.type if verdict.p_changed >= 0.5 else SAME


__all__ = ["TYPES", "JudgeUnavailable", "LearnedJudge", "gate_mode", "tag_spans"]
