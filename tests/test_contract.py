"""The contract shipped in the package (drift/contract): the schema validates real reports,
``drift schema`` prints it, the taxonomy agrees with the code, and both agree with the contract
of the shared test data (../shared/contract) without copying its examples."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from drift.cli import EXIT_OK, app
from drift.compare import DEFAULT_SEVERITY, PLAIN_NAMES
from drift.contract import SCHEMA_PATH, TAXONOMY_PATH, schema, taxonomy
from drift.core import audit

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "harbour-strike"


def errors(data: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    assert SCHEMA_PATH.parent == TAXONOMY_PATH.parent == ROOT / "drift" / "contract"


def test_the_schema_validates_a_real_report(offline_models: Path, tmp_path: Path) -> None:
    """The example story with an unreadable file beside it, audited with a translator that has
    no model here: untranslated passages, problems and notes all appear in the report."""
    folder = tmp_path / "story"
    folder.mkdir()
    for md in EXAMPLE.glob("*.md"):
        (folder / md.name).write_text(md.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.json").write_text("{", encoding="utf-8")
    (folder / "README.md").write_text("# notes\n", encoding="utf-8")
    report = audit(folder, reference=folder / "reference.md", translator="marian",
                   use_cache=False)
    data = json.loads(report.to_json())
    assert errors(data) == []
    assert data["findings"] and data["problems"] and data["notes"]
    assert any(p["translation"] is None for a in data["articles"] for p in a["passages"])
    # what the schema forbids is caught
    bad = json.loads(report.to_json())
    bad["findings"][0]["type"] = "tone_change"
    bad["articles"][0]["passages"] = [{"span": {"start": -1, "end": 2, "text": "x"}}]
    del bad["summary"]["claims"]
    found = "\n".join(errors(bad))
    for error in ("['findings', 0, 'type']: 'tone_change' is not one of",
                  "['articles', 0, 'passages', 0, 'span', 'start']: -1 is less than the minimum",
                  "['articles', 0, 'passages', 0]: 'translation' is a required property",
                  "['summary']: 'claims' is a required property"):
        assert error in found, found


def test_drift_schema_prints_the_packaged_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == EXIT_OK
    assert json.loads(result.stdout) == schema()
    assert result.stdout == SCHEMA_PATH.read_text(encoding="utf-8")


def test_the_taxonomy_agrees_with_the_code_and_the_schema() -> None:
    rows = taxonomy()
    assert {t.type: t.severity for t in rows} == DEFAULT_SEVERITY
    assert [t.type for t in rows] == list(PLAIN_NAMES)
    assert [t.type for t in rows] == schema()["$defs"]["finding"]["properties"]["type"]["enum"]
    assert all(t.meaning and (t.example or t.type == "omission") for t in rows)


def _required(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The tree of required fields of a schema node ($refs followed)."""
    if "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[1]]
    if node.get("type") == "array" and "items" in node:
        return {"[]": _required(node["items"], defs)}
    props = node.get("properties", {})
    return {key: _required(props.get(key, {}), defs) for key in node.get("required", [])}


def test_the_packaged_contract_agrees_with_the_shared_one(shared_dir: Path) -> None:
    contract = shared_dir / "contract"
    theirs = json.loads((contract / "findings.schema.json").read_text(encoding="utf-8"))
    ours = schema()
    assert _required(ours, ours["$defs"]) == _required(theirs, theirs.get("$defs", {}))
    their_types = theirs["properties"]["findings"]["items"]["properties"]["type"]["enum"]
    assert [t.type for t in taxonomy()] == their_types
    text = (contract / "TAXONOMY.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*`(\w+)`\s*\|(.*)\|(.*)\|\s*(high|medium|low)\s*\|\s*$", text, re.M)
    assert {t: s for t, _, _, s in rows} == {t.type: t.severity for t in taxonomy()}
    # the project's own words: no example of the shared table is reused
    ours_text = TAXONOMY_PATH.read_text(encoding="utf-8")
    for _, _, example, _ in rows:
        quoted = re.findall(r"\"([^\"]{6,})\"|(\d[\d.,]* \w+ \w+)", example)
        for phrase in (q for pair in quoted for q in pair if q):
            assert phrase not in ours_text, phrase


@pytest.mark.parametrize("path", ["README.md", "CHANGELOG.md", "Makefile", "pyproject.toml"])
def test_no_user_facing_file_sends_users_to_shared(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert "shared/contract/TAXONOMY" not in text and "shared/contract/findings" not in text
    assert "contract of ../shared" not in text


def test_the_package_never_points_at_shared() -> None:
    for path in sorted((ROOT / "drift").rglob("*")):
        if path.suffix in {".py", ".md", ".json", ".toml", ".html", ".js", ".css"}:
            assert "../shared" not in path.read_text(encoding="utf-8"), path
