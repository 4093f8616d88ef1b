"""The identity backend: returns the input (for English text, tests and dry runs)."""

from __future__ import annotations

from collections.abc import Sequence

from drift.translate.base import register


@register("identity")
class IdentityTranslator:
    """Copies the input through unchanged."""

    name = "identity"

    def unavailable(self, src: str) -> str | None:
        return None

    def model_id(self, src: str) -> str | None:
        return None

    def revision(self, src: str) -> str:
        return "1"

    def translate(self, texts: Sequence[str], src: str) -> list[str]:
        return list(texts)
