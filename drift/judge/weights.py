"""The judge's weights on disk: int8 safetensors with one scale per row.

Every matrix of the encoder (the word embeddings and each linear layer's weight) is stored as
int8 with a float32 scale per output row (symmetric, round to nearest); vectors (biases, layer
norms) and the small position and segment tables as float16. That keeps the all-MiniLM-L6-v2
shaped judge at about 23 MB (float32: 91 MB), within the 30 MB the repository allows, and costs
under 0.01 in the changed-probability on the project's pairs (measured by ``make train-judge``).
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import Tensor

SCALE = ".__scale"  # suffix of a row-scale tensor's name
# Tables kept in float16 although two-dimensional: small, and read by position, not multiplied.
KEEP_FLOAT = ("position_embeddings", "token_type_embeddings")


def quantize(state: dict[str, Tensor]) -> dict[str, Tensor]:
    """int8 rows with float32 scales for the matrices, float16 for the rest."""
    out: dict[str, Tensor] = {}
    for name, t in state.items():
        t = t.detach().float().cpu()
        if t.dim() == 2 and not any(k in name for k in KEEP_FLOAT):
            scale = t.abs().amax(dim=1).clamp(min=1e-8) / 127.0
            out[name] = torch.round(t / scale[:, None]).clamp(-127, 127).to(torch.int8)
            out[name + SCALE] = scale
        else:
            out[name] = t.half()
    return out


def dequantize(stored: dict[str, Tensor]) -> dict[str, Tensor]:
    """float32 tensors back from ``quantize``'s output."""
    out: dict[str, Tensor] = {}
    for name, t in stored.items():
        if name.endswith(SCALE):
            continue
        scale = stored.get(name + SCALE)
        out[name] = t.float() * scale[:, None] if scale is not None else t.float()
    return out


def save(state: dict[str, Tensor], path: Path) -> int:
    """Write ``state`` quantized to ``path`` (safetensors); returns the file size in bytes."""
    from safetensors.torch import save_file

    save_file({k: v.contiguous() for k, v in quantize(state).items()}, str(path))
    return path.stat().st_size


def load(path: Path) -> dict[str, Tensor]:
    """float32 state dict from a file written by ``save``."""
    from safetensors.torch import load_file

    return dequantize(load_file(str(path)))
