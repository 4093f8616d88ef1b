#!/usr/bin/env python3
"""Consistency check for the heldout-5 collection (stdlib only): front matter, word counts
(reference 400-700, articles 350-800, a Spanish article 350-600), every gold text found exactly
once in its article, valid types, a clean article without drifts, 2-4 drifts on the others, and
per-type counts; it ends with "OK".

usage: python3 check.py [STORY_PREFIX ...]   (only those stories; collection-wide counts skipped)
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from check_collection import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(HERE, prefix="q", stories_wanted=6,
                  languages={"en", "es", "fr", "pt", "de", "it", "ca"},
                  need_per_type=3, total_range=(45, 60)))
