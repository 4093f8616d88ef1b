#!/usr/bin/env python3
"""Consistency check of the train-1 collection: ../check_collection.py says what it
checks. usage: python3 check.py [STORY_PREFIX ...]"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from check_collection import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(HERE, prefix="t", stories_wanted=12,
                  languages={"en", "es", "fr", "pt", "de", "it", "ca"},
                  need_per_type=6, total_range=(90, 130)))
