"""One training or evaluation example of the judge: a (premise, hypothesis) pair and its label.

Shared by corpus generation and training; inference never imports it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Example:
    """``label`` is ``"same"`` or one of ``drift.judge.TYPES``; ``span`` is the character range of
    ``hypothesis`` that carries the change (None for ``same``); examples sharing a ``group`` come
    from one source passage and are never split between training and validation."""

    premise: str
    hypothesis: str
    label: str
    span: tuple[int, int] | None
    source: str
    group: str

    def __post_init__(self) -> None:
        if self.span is not None:
            start, end = self.span
            if not 0 <= start < end <= len(self.hypothesis):
                raise ValueError(f"span {self.span} outside the hypothesis {self.hypothesis!r}")
            object.__setattr__(self, "span", (int(start), int(end)))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> Example:
        d = json.loads(line)
        span = (int(d["span"][0]), int(d["span"][1])) if d.get("span") is not None else None
        return cls(d["premise"], d["hypothesis"], d["label"], span,
                   d["source"], d["group"])
