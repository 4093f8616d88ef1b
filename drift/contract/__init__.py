"""The report's contract, shipped with the package: the drift types (``TAXONOMY.md``) and the
JSON Schema of ``drift audit --json`` (``findings.schema.json``; ``drift schema`` prints it).

    >>> from drift.contract import schema, taxonomy
    >>> schema()["properties"]["schema_version"]
    {'const': '1'}
    >>> taxonomy()[0].type, taxonomy()[0].severity
    ('actor_swap', 'high')
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
SCHEMA_PATH = HERE / "findings.schema.json"
TAXONOMY_PATH = HERE / "TAXONOMY.md"
_ROW = re.compile(r"^\|\s*`(\w+)`\s*\|(.*)\|(.*)\|\s*(high|medium|low)\s*\|\s*$", re.M)


@dataclass(frozen=True, slots=True)
class DriftType:
    """One row of the taxonomy: the type, what changed, an example, the default severity."""

    type: str
    meaning: str
    example: str
    severity: str


@cache
def schema_text() -> str:
    """The schema file's text, as ``drift schema`` prints it."""
    return SCHEMA_PATH.read_text(encoding="utf-8")


def schema() -> dict[str, Any]:
    """The JSON Schema of the audit report (a fresh dict on each call)."""
    data: dict[str, Any] = json.loads(schema_text())
    return data


@cache
def taxonomy() -> tuple[DriftType, ...]:
    """The drift types of TAXONOMY.md's table, in its order."""
    text = TAXONOMY_PATH.read_text(encoding="utf-8")
    return tuple(DriftType(t, meaning.strip(), example.strip(), severity)
                 for t, meaning, example, severity in _ROW.findall(text))
