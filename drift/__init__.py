"""drift: a multilingual translation-drift auditor for news.

The pipeline, one module per stage: ``ingest`` (read and clean) -> ``segment`` -> ``detect``
(non-English passages) -> ``translate`` -> ``claims`` -> ``align`` -> ``compare`` -> ``report``.
``core`` wires the stages; ``cli`` is a thin command-line layer over it.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
