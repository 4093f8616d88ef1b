"""The bundled example story: the demo audit finds the drifts it was written with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import need_apertium

from drift.core import audit

STORY = Path(__file__).resolve().parents[1] / "examples" / "harbour-strike"
EXPECTED = json.loads((STORY / "expected.json").read_text(encoding="utf-8"))


def _overlaps(text: str, span: dict[str, Any], needle: str) -> bool:
    at = text.find(needle)
    assert at >= 0, f"expected.json text not in the article: {needle!r}"
    return span["start"] < at + len(needle) and at < span["end"]


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    """The demo's audit (as `make demo` runs it), as its JSON report."""
    need_apertium("es")
    report = audit([STORY], reference=STORY / "reference.md", use_cache=False)
    data: dict[str, Any] = json.loads(report.to_json())
    return data


@pytest.mark.parametrize("gold", EXPECTED["drifts"],
                         ids=[f"{d['article']}-{d['type']}" for d in EXPECTED["drifts"]])
def test_demo_finds_each_drift_it_was_written_with(demo: dict[str, Any],
                                                   gold: dict[str, Any]) -> None:
    texts = {a["id"]: a["text"] for a in demo["articles"]}
    found = [f for f in demo["findings"]
             if f["article"] == gold["article"] and f["type"] == gold["type"]
             and f["severity"] != "low" and _overlaps(texts[f["article"]], f["span"], gold["text"])]
    if not gold["found_by_demo"]:
        assert not found, "now found: mark it found_by_demo in expected.json and EXPECTED.md"
        pytest.xfail(f"a known miss: {gold['note']}")
    assert found, f"the demo misses {gold['type']} in {gold['article']}: {gold['text']!r}"


def test_demo_is_quiet_on_the_faithful_rewrite(demo: dict[str, Any]) -> None:
    for clean in EXPECTED["clean"]:
        loud = [f for f in demo["findings"] if f["article"] == clean and f["severity"] != "low"]
        assert not loud, loud


def test_demo_translates_the_spanish_quote(demo: dict[str, Any]) -> None:
    passages = [p for a in demo["articles"] for p in a["passages"]]
    want = EXPECTED["non_english"][0]
    hits = [p for p in passages if want["text"][:30] in p["span"]["text"]]
    assert hits and hits[0]["language"] == want["language"]
    assert hits[0]["translation"] and hits[0]["translation"]["text"]
