"""The Translator protocol and the registry of backends.

Backends are plain classes registered by name; heavy modules (torch, transformers) are imported
only inside the backend that needs them, on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable


class TranslationError(Exception):
    """A backend cannot translate (model missing, pair not installed, subprocess failed)."""


@runtime_checkable
class Translator(Protocol):
    """Translates batches of text from one source language into English."""

    name: str

    def unavailable(self, src: str) -> str | None:
        """None when ``src`` -> English can be translated, else the reason why not (one line)."""
        ...

    def model_id(self, src: str) -> str | None:
        """The model or language pair used for ``src`` (shown in reports), if any."""
        ...

    def revision(self, src: str) -> str:
        """A string that changes whenever the output for the same input may change (cache key)."""
        ...

    def translate(self, texts: Sequence[str], src: str) -> list[str]:
        """English translations of ``texts``, in order. Raises TranslationError."""
        ...


TRANSLATORS: dict[str, Callable[[], Translator]] = {}


def register(name: str) -> Callable[[Callable[[], Translator]], Callable[[], Translator]]:
    """Class decorator: make a backend constructible by name."""

    def deco(factory: Callable[[], Translator]) -> Callable[[], Translator]:
        TRANSLATORS[name] = factory
        return factory

    return deco
