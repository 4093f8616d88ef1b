"""drift: a multilingual translation-drift auditor for news.

The pipeline, one module per stage: ``ingest`` (read and clean) -> ``segment`` -> ``detect``
(non-English passages) -> ``translate`` -> ``claims`` -> ``align`` -> ``compare`` -> ``report``.
``core`` wires the stages; ``cli`` is a thin command-line layer over it.

    >>> import drift
    >>> report = drift.audit(["articles/"], reference="articles/original.md")  # doctest: +SKIP
    >>> print(report.to_json())  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "audit"]

if TYPE_CHECKING:
    from drift.core import audit


def __getattr__(name: str) -> Any:
    # The API loads lazily so that `drift --help` and `import drift` stay instant.
    if name == "audit":
        from drift.core import audit

        return audit
    raise AttributeError(f"module 'drift' has no attribute {name!r}")
