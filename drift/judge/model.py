"""The judge's network: a BERT encoder (all-MiniLM-L6-v2's shape) with three heads.

Written in plain torch, with the parameter names of transformers' ``BertModel`` so that the
all-MiniLM-L6-v2 weights load as they are, and so that inference needs neither transformers nor
its start-up time. The pair is encoded as ``[CLS] hypothesis [SEP] premise [SEP]`` (segment 0
for the article sentence, 1 for its reference context); the heads read:

- ``changed``: the [CLS] state through a tanh pooler -> same / changed;
- ``types``: the same pooled state -> one of the drift types (trained on changed pairs only);
- ``tags``: every token's state -> does this token carry the change (trained on the hypothesis).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch import Tensor, nn
from torch.nn import functional as F


@dataclass(frozen=True, slots=True)
class EncoderConfig:
    """The encoder's shape (all-MiniLM-L6-v2: 6 layers of 384 units, 12 heads)."""

    vocab_size: int = 30522
    hidden_size: int = 384
    num_hidden_layers: int = 6
    num_attention_heads: int = 12
    intermediate_size: int = 1536
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12
    hidden_dropout_prob: float = 0.1

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EncoderConfig:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in names})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Embeddings(nn.Module):
    def __init__(self, c: EncoderConfig) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, ids: Tensor, types: Tensor) -> Tensor:
        pos = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(pos)
        x = x + self.token_type_embeddings(types)
        out: Tensor = self.dropout(self.LayerNorm(x))
        return out


class _SelfAttention(nn.Module):
    def __init__(self, c: EncoderConfig) -> None:
        super().__init__()
        self.heads = c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)


class _AttentionOutput(nn.Module):
    def __init__(self, c: EncoderConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)


class _Attention(nn.Module):
    def __init__(self, c: EncoderConfig) -> None:
        super().__init__()
        setattr(self, "self", _SelfAttention(c))  # noqa: B010 - BertModel's parameter name
        self.output = _AttentionOutput(c)


class _Dense(nn.Module):
    def __init__(self, n_in: int, n_out: int, norm: float | None = None) -> None:
        super().__init__()
        self.dense = nn.Linear(n_in, n_out)
        if norm is not None:
            self.LayerNorm = nn.LayerNorm(n_out, eps=norm)


class _Layer(nn.Module):
    def __init__(self, c: EncoderConfig) -> None:
        super().__init__()
        self.attention = _Attention(c)
        self.intermediate = _Dense(c.hidden_size, c.intermediate_size)
        self.output = _Dense(c.intermediate_size, c.hidden_size, c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, x: Tensor, mask: Tensor) -> Tensor:
        att: _SelfAttention = getattr(self.attention, "self")  # noqa: B009
        b, n, h = x.shape
        d = h // att.heads

        def split(t: Tensor) -> Tensor:
            return t.view(b, n, att.heads, d).transpose(1, 2)

        q, k, v = split(att.query(x)), split(att.key(x)), split(att.value(x))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        ctx = ctx.transpose(1, 2).reshape(b, n, h)
        out = self.attention.output
        x = out.LayerNorm(x + self.dropout(out.dense(ctx)))
        inner = F.gelu(self.intermediate.dense(x))
        y: Tensor = self.output.LayerNorm(x + self.dropout(self.output.dense(inner)))
        return y


class _Encoder(nn.Module):
    def __init__(self, c: EncoderConfig) -> None:
        super().__init__()
        self.layer = nn.ModuleList(_Layer(c) for _ in range(c.num_hidden_layers))


class CrossEncoder(nn.Module):
    """BERT encoder + pooler + the changed / type / tag heads."""

    def __init__(self, config: EncoderConfig, n_types: int) -> None:
        super().__init__()
        self.config = config
        self.embeddings = _Embeddings(config)
        self.encoder = _Encoder(config)
        self.pooler = _Dense(config.hidden_size, config.hidden_size)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.changed = nn.Linear(config.hidden_size, 2)
        self.types = nn.Linear(config.hidden_size, n_types)
        self.tags = nn.Linear(config.hidden_size, 2)
        for head in (self.changed, self.types, self.tags):
            nn.init.normal_(head.weight, std=0.02)
            nn.init.zeros_(head.bias)

    def forward(self, input_ids: Tensor, attention_mask: Tensor,
                token_type_ids: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """(changed logits [B, 2], type logits [B, T], tag logits [B, N, 2])."""
        x = self.embeddings(input_ids, token_type_ids)
        # Boolean mask broadcast over heads and query positions: True where a key may be read.
        mask = attention_mask.bool()[:, None, None, :]
        for layer in self.encoder.layer:
            x = layer(x, mask)
        pooled = torch.tanh(self.pooler.dense(x[:, 0]))
        pooled = self.dropout(pooled)
        return self.changed(pooled), self.types(pooled), self.tags(self.dropout(x))


class SentenceEncoder(nn.Module):
    """The BERT encoder alone: every token's last hidden state (``BertModel``'s
    ``last_hidden_state``), for mean-pooled sentence embeddings (``drift.embed``)."""

    def __init__(self, config: EncoderConfig) -> None:
        super().__init__()
        self.config = config
        self.embeddings = _Embeddings(config)
        self.encoder = _Encoder(config)

    def forward(self, input_ids: Tensor, attention_mask: Tensor,
                token_type_ids: Tensor) -> Tensor:
        x = self.embeddings(input_ids, token_type_ids)
        mask = attention_mask.bool()[:, None, None, :]
        for layer in self.encoder.layer:
            x = layer(x, mask)
        out: Tensor = x
        return out


def load_encoder_weights(model: CrossEncoder, state: dict[str, Tensor]) -> list[str]:
    """Copy a ``BertModel`` state dict (all-MiniLM-L6-v2) into ``model``'s encoder; returns the
    names of the model's parameters it did not provide (the heads)."""
    own = model.state_dict()
    missing = []
    for name in own:
        if name in state and state[name].shape == own[name].shape:
            own[name] = state[name].to(own[name].dtype)
        else:
            missing.append(name)
    model.load_state_dict(own)
    return missing


def param_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
