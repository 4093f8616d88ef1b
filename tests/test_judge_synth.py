"""The synthetic judge data (drift.judge.synth): deterministic, valid labels and spans, minimal
pairs within each group, balanced drift types."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from drift.judge import SAME, TYPES
from drift.judge.example import Example
from drift.judge.synth import FRAMES, generate


@pytest.fixture(scope="module")
def examples() -> list[Example]:
    """About 3,000 examples (seed 0)."""
    out: list[Example] = []
    for e in generate(700, seed=0):
        out.append(e)
    assert len(out) >= 3000
    return out


def test_deterministic_for_a_seed() -> None:
    assert list(generate(60, seed=3)) == list(generate(60, seed=3))
    assert list(generate(60, seed=3)) != list(generate(60, seed=4))


def test_groups_and_sources_are_named_by_seed() -> None:
    for e in generate(20, seed=7):
        assert re.fullmatch(r"synth-7-\d+", e.group)
        assert e.source.startswith("synth:")


def test_labels_and_spans(examples: list[Example]) -> None:
    for e in examples:
        assert e.label == SAME or e.label in TYPES
        if e.label == SAME:
            assert e.span is None
        else:
            assert e.span is not None
            start, end = e.span
            assert 0 <= start < end <= len(e.hypothesis)
            assert e.hypothesis[start:end].strip() == e.hypothesis[start:end]


def test_each_group_pairs_faithful_and_drifted_versions(examples: list[Example]) -> None:
    groups: dict[str, list[Example]] = defaultdict(list)
    for e in examples:
        groups[e.group].append(e)
    for group in groups.values():
        labels = {e.label for e in group}
        assert SAME in labels and labels - {SAME}, group
        faithful = [(e.premise, e.hypothesis) for e in group if e.label == SAME]
        for e in group:
            if e.label == SAME:
                continue
            assert e.span is not None
            assert (e.premise, e.hypothesis) not in faithful
            head = e.hypothesis[:e.span[0]].rstrip().lower()
            tail = e.hypothesis[e.span[1]:].lstrip().lower()
            # the drifted sentence is a faithful one of the same premise with the span replaced
            assert any(p == e.premise and h.lower().startswith(head) and h.lower().endswith(tail)
                       and len(head) + len(tail) <= len(h) for p, h in faithful), e


def test_type_balance(examples: list[Example]) -> None:
    counts = Counter(e.label for e in examples)
    drifts = sum(v for k, v in counts.items() if k != SAME)
    assert 0.4 < counts[SAME] / len(examples) < 0.6
    for t in TYPES:
        assert counts[t] > 0, t
        assert counts[t] / drifts <= 0.20, (t, counts[t] / drifts)


def test_frames_and_foreign_quotes_all_occur(examples: list[Example]) -> None:
    sources = {e.source for e in examples}
    assert len(FRAMES) >= 15
    for fn in FRAMES:
        assert f"synth:{fn.__name__}" in sources
    assert any(s.startswith("synth:foreign_quote_") for s in sources)
    assert all(e.source.startswith("synth:foreign_quote_") for e in examples
               if e.label == "translation_shift")


def test_sentences_are_well_formed(examples: list[Example]) -> None:
    for e in examples:
        for text in (e.premise, e.hypothesis):
            assert "  " not in text and not re.search(r" [,.;:]|,[,.]|\.\.", text), text
            assert text[0].isupper() or text[0] in '"0123456789', text
            assert text.rstrip('")').endswith((".", "?", "!")), text
            assert text.count('"') % 2 == 0, text
