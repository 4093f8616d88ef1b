"""The judge's data plumbing: examples, corpus splits and balance, premise rewrites, labelled
pairs of a set, weight shards, and the words a judge finding names."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from drift.judge import SAME, Verdict
from drift.judge.corpus import premise_dropout, rebalance, restyle, split
from drift.judge.example import Example


def _ex(label: str, group: str, source: str = "leipzig", premise: str = "A. B.",
        hyp: str = "The port closed on Monday.") -> Example:
    span = None if label == SAME else (0, 3)
    return Example(premise, hyp, label, span, source, group)


def test_example_round_trip_and_span_check() -> None:
    e = _ex("number_change", "g1")
    assert Example.from_json(e.to_json()) == e
    with pytest.raises(ValueError, match="outside the hypothesis"):
        Example("p", "short", "number_change", (2, 99), "s", "g")


def test_split_keeps_groups_together() -> None:
    rows = [_ex(SAME if i % 2 else "date_change", f"g{i // 3}") for i in range(600)]
    train, valid = split(rows)
    assert len(train) + len(valid) == 600 and valid
    assert {r.group for r in train}.isdisjoint({r.group for r in valid})


def test_rebalance_caps_the_easy_types() -> None:
    rows = ([_ex("polarity_flip", f"p{i}") for i in range(100)]
            + [_ex("location_change", f"l{i}") for i in range(10)]
            + [_ex("date_change", f"d{i}") for i in range(10)]
            + [_ex(SAME, f"s{i}") for i in range(50)])
    out = rebalance(rows, seed=1, cap=1.5)
    counts = {lab: sum(r.label == lab for r in out) for lab in
              ("polarity_flip", "location_change", "date_change", SAME)}
    assert counts == {"polarity_flip": 15, "location_change": 10, "date_change": 10, SAME: 50}


def test_premise_dropout_makes_faithful_additions() -> None:
    rows = [_ex(SAME, f"g{i}", premise="The port closed. Ships waited. Trade fell.")
            for i in range(40)] + [_ex("number_change", "x", premise="One. Two.")]
    out = premise_dropout(rows, share=1.0, seed=3)
    assert len(out) == 40
    assert all(r.label == SAME and r.source.endswith(":dropout") for r in out)
    assert all(len(r.premise.split(". ")) == 2 for r in out)


def test_restyle_writes_dates_and_figures_another_way() -> None:
    rng = random.Random(0)
    text = "The union will strike on October 16 after pay fell 4.2% at the company."
    seen = {restyle(text, rng, "unrelated words") for _ in range(30)}
    assert any("Oct. 16" in t or "16 October" in t for t in seen)
    assert any("4.2 percent" in t for t in seen)
    # never a word the hypothesis has: the restyled premise must still differ from it
    for t in (restyle(text, random.Random(k), "the firm said") for k in range(30)):
        assert "firm" not in t


def test_float_shards_round_trip(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from drift.judge import TYPES
    from drift.judge.model import CrossEncoder, EncoderConfig
    from drift.judge.train import load_float_shards, save_float_shards

    torch.manual_seed(0)
    model = CrossEncoder(EncoderConfig(hidden_size=32, num_hidden_layers=1,
                                       num_attention_heads=4, intermediate_size=64,
                                       vocab_size=4000), len(TYPES))
    save_float_shards(model, tmp_path, shard_mb=0.1)
    files = sorted(tmp_path.glob("float-*.safetensors"))
    assert len(files) > 1 and all(f.stat().st_size < 0.2 * 2**20 for f in files)
    back = load_float_shards(tmp_path)
    for name, t in model.state_dict().items():
        assert torch.equal(back[name], t.half().float()), name


def test_labelled_pairs_of_a_development_set(devsets: list[Path]) -> None:
    from drift.judge.pairs import SKIP, labelled_pairs

    rows = labelled_pairs(devsets[0], translator="apertium")
    labels = {r.label for r in rows}
    assert "same" in labels and labels - {"same", SKIP}, labels
    for r in rows:
        assert r.pair.premise and r.pair.hypothesis
        assert r.article != "reference"
        if r.label not in {"same", SKIP}:
            assert r.gold_text


def test_changed_words_name_what_replaced_what() -> None:
    from drift.claims import Unit, extract
    from drift.judge.apply import Judged, changed_words
    from drift.judge.pairs import JudgedPair
    from drift.records import Span

    texts = ["The council approved 40 new buses on Monday.",
             "The council rejected 40 new buses on Monday."]
    units = [Unit(a, Span(0, len(t), t), t, False, ()) for a, t in zip("rd", texts, strict=True)]
    ref, art = extract(units, parse_cache=False)
    at = texts[1].index("rejected")
    pair = JudgedPair(art, (ref,), ref.text, art.text)
    expected, found = changed_words(Judged(pair, Verdict(0.99, "polarity_flip", 0.9,
                                                         ((at, at + 8),))))
    assert (expected, found) == ("approved", "rejected")


_GROUP = {
    "id": "t-001",
    "reference": [
        "The Varden county council voted on Tuesday to close the Orlen Street pool for "
        "eight months of repairs.",
        "The work will cost 2.4 million euros, according to the council's finance office.",
        "Swimming clubs will train at the Hollis Road pool until the repairs end in June.",
        "Councillor Mara Fenn said the roof was unsafe and could not wait another winter.",
    ],
    "pairs": [
        {"faithful": "Repairs to the Orlen Street pool will cost EUR 2.4 million, the council's "
                     "finance office says.",
         "drifted": "Repairs to the Orlen Street pool will cost EUR 4.2 million, the council's "
                    "finance office says.",
         "type": "number_change", "changed": "EUR 4.2 million", "note": "2.4 million"},
        {"faithful": "Clubs will use the Hollis Road pool while the work lasts.",
         "drifted": "Clubs will use the Orlen Street pool while the work lasts.",
         "type": "location_change", "changed": "Orlen Street", "note": "Hollis Road"},
        {"faithful": "The council closed the pool on Tuesday.",
         "drifted": "The council closed the pool on Thursday.",
         "type": "date_change", "changed": "Thursday", "note": "Tuesday"},
    ],
    "extra_same": ["The pool shuts for eight months because its roof is unsafe, Fenn said."],
}


def test_written_groups_become_twin_examples(tmp_path: Path) -> None:
    import json

    from drift.judge.corpus import written

    (tmp_path / "t.jsonl").write_text(json.dumps(_GROUP) + "\n", encoding="utf-8")
    rows = written(tmp_path, seed=5)
    base = [r for r in rows if r.source == "written"]
    assert len(base) == 7  # three twins and one merged faithful sentence
    assert sum(r.label == SAME for r in base) == 4
    for r in base:
        assert r.group == "written-t-001"
        # The premise is the context the audit would give: reference sentences, in order.
        used = [s for s in _GROUP["reference"] if s in r.premise]
        assert used and r.premise == " ".join(used)
        if r.label != SAME:
            assert r.span is not None
            assert r.hypothesis[r.span[0]:r.span[1]] in {"EUR 4.2 million", "Orlen Street",
                                                         "Thursday"}
    # The drifted twin is judged against the context that holds the fact it changes.
    number = next(r for r in base if r.label == "number_change")
    assert "2.4 million euros" in number.premise
    # Perturbed copies of the faithful sentences keep their premise and carry a change.
    perturbed = [r for r in rows if r.source == "written:perturbed"]
    assert perturbed and all(r.label != SAME and r.span is not None for r in perturbed)


def test_round_trips_keep_labels_and_find_the_changed_words(tmp_path: Path) -> None:
    import json

    from conftest import need_apertium

    from drift.judge import corpus

    need_apertium("es")
    need_apertium("ca")
    (tmp_path / "t.jsonl").write_text(json.dumps(_GROUP) + "\n", encoding="utf-8")
    rows = corpus.written(tmp_path, seed=5)
    base = [r for r in rows if r.source == "written"]
    trips = corpus.round_trips(rows, seed=5, every=1)  # the one group here goes through
    assert trips and all(r.source in {"roundtrip:es", "roundtrip:ca"} for r in trips)
    by_premise = {(r.premise, r.label) for r in base}
    for r in trips:
        assert (r.premise, r.label) in by_premise  # premise and label of a written twin
        assert r.hypothesis not in {b.hypothesis for b in base}  # the wording changed
    changed = [r for r in trips if r.label != SAME]
    assert {r.label for r in changed} == {"number_change", "location_change", "date_change"}
    # Each drifted twin's span covers its changed words after the round trip (found as such,
    # or as what differs from its faithful twin), not the rest of the sentence.
    assert all(r.span is not None for r in changed)
    spans = {r.label: r.hypothesis[r.span[0]:r.span[1]] for r in changed if r.span}
    assert "4.2" in spans["number_change"] and "Orlen" in spans["location_change"]
    assert "Thursday" in spans["date_change"]
    assert all(len(t.split()) <= 4 for t in spans.values()), spans


def test_diff_span_marks_the_words_that_differ_from_the_faithful_twin() -> None:
    from drift.judge.corpus import _diff_span

    drifted = "The mayor of the town closed the bridge on Thursday after the storm."
    faithful = ["The mayor of the town closed the bridge on Tuesday after the storm."]
    span = _diff_span(drifted, faithful)
    assert span is not None and drifted[span[0]:span[1]] == "Thursday"
    assert _diff_span("Something else entirely was said.", faithful) is None
    assert _diff_span(drifted, []) is None


def test_the_committed_written_groups_pass_their_checker() -> None:
    import subprocess
    import sys

    folder = Path(__file__).resolve().parents[1] / "training" / "written"
    files = sorted(str(p) for p in folder.glob("*.jsonl"))
    assert len(files) >= 40
    out = subprocess.run([sys.executable, str(folder / "validate.py"), *files],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout[-2000:]
    assert out.stdout.startswith("2025 groups")
