"""drift.nli: the optional NLI contradiction scorer, on a tiny random BERT built in tmp_path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from drift.nli import NLIError, NLIScorer

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "a", "mayor", "council", "said",
         "did", "not", "approve", "approved", "budget", "strike", "ended", "on", "monday", "port",
         "workers", "will", "may", "##s", ".", ","]
ID2LABEL = {0: "entailment", 1: "neutral", 2: "contradiction"}
PAIRS = [
    ("the council approved the budget .", "the council did not approve the budget ."),
    ("the mayor said the strike ended on monday .", "the strike ended ."),
    ("port workers ended the strike .", "the mayor approved a budget , the council said ."),
    ("the budget .", "the budget may strike the mayor on monday , port workers said ."),
    ("a", "a"),
]


def build_model(folder: Path, id2label: dict[int, str] = ID2LABEL, seed: int = 0) -> Path:
    """A randomly initialised 1-layer BERT NLI classifier and its WordPiece tokenizer."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    config = BertConfig(
        vocab_size=len(VOCAB), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=64, num_labels=len(id2label),
        id2label=id2label, label2id={v: k for k, v in id2label.items()},
    )
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config)
    model.save_pretrained(folder)
    BertTokenizer(vocab=str(vocab)).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_nli(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_model(tmp_path_factory.mktemp("tiny-nli") / "model")


@pytest.fixture(scope="module")
def scorer(tiny_nli: Path) -> NLIScorer:
    return NLIScorer(tiny_nli, device="cpu", batch_size=2).load()


def test_import_does_not_load_torch() -> None:
    code = "import sys, drift.nli; print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_scores_are_probabilities(scorer: NLIScorer) -> None:
    scores = scorer.contradiction(PAIRS)
    assert len(scores) == len(PAIRS)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)
    assert scorer.contradiction_label == 2
    assert scorer.device == "cpu"


def test_softmax_of_the_contradiction_logit(scorer: NLIScorer, tiny_nli: Path) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_nli, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(tiny_nli, local_files_only=True)
    premise, hypothesis = PAIRS[0]
    with torch.inference_mode():
        logits = model.eval()(**tok(premise, hypothesis, return_tensors="pt")).logits
    expected = torch.softmax(logits, dim=-1)[0, 2].item()
    assert scorer.contradiction([PAIRS[0]])[0] == pytest.approx(expected, abs=1e-6)


def test_batching_matches_one_by_one(scorer: NLIScorer, tiny_nli: Path) -> None:
    batched = NLIScorer(tiny_nli, device="cpu", batch_size=16).contradiction(PAIRS)
    small = scorer.contradiction(PAIRS)  # batch_size=2: different padding per batch
    single = [scorer.contradiction([p])[0] for p in PAIRS]
    assert batched == pytest.approx(single, abs=1e-5)
    assert small == pytest.approx(single, abs=1e-5)


def test_deterministic_and_in_input_order(scorer: NLIScorer) -> None:
    first = scorer.contradiction(PAIRS)
    assert scorer.contradiction(PAIRS) == first
    assert scorer.contradiction(PAIRS[::-1]) == pytest.approx(first[::-1], abs=1e-6)
    assert scorer.contradiction([]) == []


def test_truncates_long_pairs(scorer: NLIScorer) -> None:
    long = " ".join(["the budget"] * 200)  # far beyond max_position_embeddings=64
    [score] = scorer.contradiction([(long, long)])
    assert 0.0 <= score <= 1.0


def test_label_found_case_insensitively(tmp_path: Path) -> None:
    folder = build_model(tmp_path / "upper", {0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"})
    assert NLIScorer(folder, device="cpu").contradiction_label == 0


def test_missing_contradiction_label_is_a_clear_error(tmp_path: Path) -> None:
    folder = build_model(tmp_path / "sentiment", {0: "negative", 1: "positive"})
    with pytest.raises(NLIError, match=r"no single 'contradiction' label.*0=negative, 1=positive"):
        NLIScorer(folder, device="cpu").contradiction(PAIRS[:1])
    # An explicit index makes such a model usable (and is range-checked).
    assert NLIScorer(folder, device="cpu", contradiction_index=0).contradiction_label == 0
    with pytest.raises(NLIError, match="out of range"):
        NLIScorer(folder, device="cpu", contradiction_index=5).load()


def test_missing_model_offline_names_the_model(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(tmp_path / "models"))
    scorer = NLIScorer("example-org/no-such-nli-model", device="cpu")
    with pytest.raises(NLIError, match=r"example-org/no-such-nli-model.*HF_HUB_OFFLINE"):
        scorer.contradiction(PAIRS[:1])
    assert not scorer.loaded


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NLIError, match="does not exist"):
        NLIScorer(str(tmp_path / "nowhere" / "nli-model")).load()


def test_hub_id_found_in_the_models_dir(tiny_nli: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    models = tmp_path / "models"
    shutil.copytree(tiny_nli, models / "tiny-nli")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(models))
    scorer = NLIScorer("example-org/tiny-nli", device="cpu")
    assert scorer.source == str(models / "tiny-nli")
    assert scorer.contradiction(PAIRS) == pytest.approx(
        NLIScorer(tiny_nli, device="cpu").contradiction(PAIRS), abs=1e-6)


def test_audit_with_nli_scores_findings(tiny_nli: Path, tmp_path: Path) -> None:
    """`--nli MODEL` adds a contradiction probability to every finding that has evidence and
    blends it into the confidence; without it the report has no such field."""
    from typer.testing import CliRunner

    from drift.cli import app

    story = tmp_path / "story"
    story.mkdir()
    (story / "ref.md").write_text(
        "---\nreference: true\n---\nThe river authority said 120 homes were flooded on Sunday.\n",
        encoding="utf-8",
    )
    (story / "copy.md").write_text(
        "The river authority said 210 homes were flooded on Sunday.\n", encoding="utf-8"
    )
    out = tmp_path / "with.json"
    result = CliRunner().invoke(
        app,
        ["audit", str(story), "--translator", "identity", "--no-cache", "--nli", str(tiny_nli),
         "--json", str(out), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    import json

    findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert findings and all(0.0 <= f["nli_contradiction"] <= 1.0 for f in findings)
    plain = tmp_path / "without.json"
    CliRunner().invoke(app, ["audit", str(story), "--translator", "identity", "--no-cache",
                             "--json", str(plain)])
    base = json.loads(plain.read_text(encoding="utf-8"))["findings"]
    assert [f["type"] for f in base] == [f["type"] for f in findings] == ["number_change"]
    assert "nli_contradiction" not in base[0]
    expected = round(0.7 * base[0]["confidence"] + 0.3 * findings[0]["nli_contradiction"], 3)
    assert abs(findings[0]["confidence"] - expected) <= 0.002
