#!/usr/bin/env python3
"""Consistency check of the labelled story collections (stdlib only).

usage: python3 benchmarks/sets/check_collection.py COLLECTION [STORY_PREFIX ...]
       (e.g. `check_collection.py heldout-3 n1 n2` checks only those stories; collection-wide
       counts are then skipped)

For every story folder of the collection it verifies the front matter, the word counts
(reference 400-700, articles 350-800, a Spanish article 350-600), that every gold text in
labels.json occurs exactly once in the body of its article, that the drift types are valid,
that the clean article carries no drift, and that each other article carries 2-4 drifts.
It prints per-type counts and totals, and "OK" when nothing is wrong. What each collection
must hold (story folder prefix, stories, languages, drifts per type, total) is in COLLECTIONS.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ARTICLES = ("a", "b", "c", "d")
TYPES = (
    "actor_swap", "quote_misattribution", "translation_shift", "number_change", "date_change",
    "location_change", "entity_change", "predicate_change", "modality_shift", "condition_change",
    "polarity_flip", "source_change", "unsupported_addition",
)
REQUIRED = ("id", "title", "outlet", "date", "language")


@dataclass(frozen=True)
class Spec:
    """What a collection must hold: story folders ``<prefix><n>-...``, how many, the languages
    of its passages, the fewest drifts of each type and the range of its total."""

    prefix: str
    stories: int
    languages: frozenset[str]
    need_per_type: int
    total_range: tuple[int, int]


SIX = frozenset({"en", "es", "fr", "pt", "de", "it", "ca"})
COLLECTIONS = {
    "heldout-long": Spec("m", 8, frozenset({"en", "es", "fr", "pt"}), 4, (60, 75)),
    "heldout-3": Spec("n", 6, SIX, 3, (45, 60)),
    "heldout-4": Spec("p", 6, SIX, 3, (45, 60)),
    "heldout-5": Spec("q", 6, SIX, 3, (45, 60)),
    "heldout-6": Spec("r", 6, SIX, 3, (45, 60)),
    "heldout-7": Spec("q", 6, SIX, 3, (45, 60)),
    "heldout-8": Spec("u", 6, SIX, 3, (45, 60)),
    "heldout-9": Spec("v", 6, SIX, 3, (45, 60)),
    "heldout-10": Spec("w", 6, SIX, 3, (45, 60)),
    "heldout-11": Spec("z", 6, SIX, 3, (45, 60)),
    "heldout-12": Spec("o", 6, SIX, 3, (45, 60)),
    "heldout-13": Spec("f", 6, SIX, 3, (45, 60)),
    "heldout-14": Spec("g", 6, SIX, 3, (45, 60)),
    "heldout-15": Spec("h", 6, SIX, 3, (45, 60)),
    "heldout-16": Spec("a", 6, SIX, 3, (45, 60)),
    "heldout-17": Spec("b", 6, SIX, 3, (45, 60)),
    "heldout-18": Spec("e", 6, SIX, 3, (45, 60)),
    "heldout-19": Spec("j", 6, SIX, 3, (45, 60)),
    "heldout-20": Spec("u", 6, SIX, 3, (45, 60)),
    "train-1": Spec("t", 12, SIX, 6, (90, 130)),
    "train-2": Spec("x", 12, SIX, 6, (90, 130)),
    "train-3": Spec("y", 6, SIX, 3, (45, 60)),
    "train-4": Spec("s", 6, SIX, 3, (45, 60)),
    "train-5": Spec("e", 6, SIX, 3, (45, 60)),
    "train-6": Spec("k", 6, SIX, 3, (45, 60)),
    "train-7": Spec("j", 6, SIX, 3, (45, 60)),
    "train-8": Spec("i", 6, SIX, 3, (45, 60)),
    "train-9": Spec("c", 6, SIX, 3, (45, 60)),
    "train-10": Spec("d", 6, SIX, 3, (45, 60)),
    "train-11": Spec("f", 6, SIX, 3, (45, 60)),
    "train-12": Spec("r", 6, SIX, 3, (45, 60)),
    "train-13": Spec("k", 6, SIX, 3, (45, 60)),
    "train-14": Spec("v", 6, SIX, 3, (45, 60)),
}


def parse(path: Path) -> tuple[dict, str]:
    raw = path.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n", raw, flags=re.S)
    if not m:
        raise ValueError(f"{path}: no front matter")
    meta = {}
    for line in m.group(1).splitlines():
        if ":" not in line:
            raise ValueError(f"{path}: bad front matter line {line!r}")
        key, value = line.split(":", 1)
        meta[key.strip()] = value.strip()
    return meta, raw[m.end():]


def words(text: str) -> int:
    return len(text.split())


def check(here: Path, spec: Spec, only: list[str] | None = None) -> int:
    """Check the collection in ``here`` against ``spec`` (only the stories whose folder names
    start with one of ``only``, when given): 0 when it passes."""
    prefix, stories_wanted, languages = spec.prefix, spec.stories, spec.languages
    need_per_type, total_range = spec.need_per_type, spec.total_range
    errors: list[str] = []
    per_type: Counter = Counter()
    passages: Counter = Counter()
    es_articles = 0
    only = only or []
    stories = sorted(p for p in here.iterdir()
                     if p.is_dir() and re.match(rf"{prefix}\d+-", p.name)
                     and (not only or any(p.name.startswith(o + "-") for o in only)))
    if not only and len(stories) != stories_wanted:
        errors.append(f"expected {stories_wanted} story folders, found {len(stories)}")
    for story in stories:
        name = story.name
        bodies: dict[str, str] = {}
        langs: dict[str, str] = {}
        for aid in ("reference", *ARTICLES):
            path = story / f"{aid}.txt"
            if not path.exists():
                errors.append(f"{name}: missing {aid}.txt")
                continue
            try:
                meta, body = parse(path)
            except ValueError as exc:
                errors.append(str(exc))
                continue
            for key in REQUIRED:
                if not meta.get(key):
                    errors.append(f"{name}/{aid}: front matter lacks {key}")
            if meta.get("id") != aid:
                errors.append(f"{name}/{aid}: id is {meta.get('id')!r}")
            if not re.fullmatch(r"2026-\d\d-\d\d", meta.get("date", "")):
                errors.append(f"{name}/{aid}: bad date {meta.get('date')!r}")
            lang = meta.get("language", "")
            if lang not in ("en", "es"):
                errors.append(f"{name}/{aid}: language {lang!r}")
            n = words(body)
            if aid == "reference":
                if meta.get("reference") != "true":
                    errors.append(f"{name}/reference: front matter lacks 'reference: true'")
                if "(fictional)" not in meta.get("outlet", ""):
                    errors.append(f"{name}/reference: outlet not marked (fictional)")
                if lang != "en":
                    errors.append(f"{name}/reference: not English")
                if not 400 <= n <= 700:
                    errors.append(f"{name}/reference: {n} words (400-700)")
            else:
                lo, hi = (350, 600) if lang == "es" else (350, 800)
                if not lo <= n <= hi:
                    errors.append(f"{name}/{aid}: {n} words ({lo}-{hi})")
                if lang == "es":
                    es_articles += 1
            bodies[aid] = body
            langs[aid] = lang

        labels_path = story / "labels.json"
        try:
            labels = json.loads(labels_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            errors.append(f"{name}: labels.json unreadable: {exc}")
            continue
        if labels.get("reference") != "reference":
            errors.append(f"{name}: labels reference is {labels.get('reference')!r}")
        clean = labels.get("clean", [])
        if len(clean) != 1 or clean[0] not in ARTICLES:
            errors.append(f"{name}: clean must list exactly one article, got {clean}")
        counts: Counter = Counter()
        for i, d in enumerate(labels.get("drifts", [])):
            where = f"{name}: drift {i} ({d.get('article')}, {d.get('type')})"
            art, typ, text = d.get("article"), d.get("type"), d.get("text", "")
            if art not in ARTICLES:
                errors.append(f"{where}: unknown article")
                continue
            if typ not in TYPES:
                errors.append(f"{where}: invalid type")
            if not d.get("note", "").startswith("reference:"):
                errors.append(f"{where}: note must start with 'reference:'")
            if not 3 <= words(text) <= 15:
                errors.append(f"{where}: text has {words(text)} words (3-15)")
            found = bodies.get(art, "").count(text)
            if found != 1:
                errors.append(f"{where}: text found {found} times: {text!r}")
            if art in clean:
                errors.append(f"{where}: drift on the clean article")
            counts[art] += 1
            per_type[typ] += 1
        for art in ARTICLES:
            if art in clean:
                continue
            if not 2 <= counts[art] <= 4:
                errors.append(f"{name}/{art}: {counts[art]} drifts (2-4)")
            if langs.get(art) == "es" and counts[art] != 2:
                errors.append(f"{name}/{art}: Spanish article should carry 2 drifts")
        for i, p in enumerate(labels.get("non_english", [])):
            where = f"{name}: non_english {i} ({p.get('article')})"
            if p.get("language") not in languages - {"en"}:
                errors.append(f"{where}: language {p.get('language')!r}")
            if p.get("article") not in ARTICLES:
                errors.append(f"{where}: unknown article")
                continue
            found = bodies.get(p["article"], "").count(p.get("text", ""))
            if found != 1:
                errors.append(f"{where}: text found {found} times: {p.get('text')!r}")
            passages[p.get("language")] += 1
        for art, lang in langs.items():
            listed = labels.get("non_english", [])
            if lang == "es" and not any(p.get("article") == art for p in listed):
                errors.append(f"{name}/{art}: Spanish article has no non_english entries")
        print(f"{name}: drifts {sum(counts.values())} "
              f"({', '.join(f'{a}={counts[a]}' for a in ARTICLES)}), clean {clean}")

    if not only and es_articles != 1:
        errors.append(f"expected exactly one Spanish article, found {es_articles}")
    print()
    for t in TYPES:
        need = 2 if t == "unsupported_addition" else need_per_type
        flag = "" if per_type[t] >= need else f"   (fewer than {need})"
        if per_type[t] < need and not only:
            errors.append(f"type {t}: only {per_type[t]}")
        print(f"  {t:22s} {per_type[t]:3d}{flag}")
    extra = set(per_type) - set(TYPES)
    for t in sorted(extra):
        print(f"  {t:22s} {per_type[t]:3d}   (invalid)")
    total = sum(per_type.values())
    print(f"  {'total':22s} {total:3d}")
    print(f"  non-English passages: {dict(sorted(passages.items()))}")
    low, high = total_range
    if not only and not low <= total <= high:
        errors.append(f"total drifts {total} outside {low}-{high}")
    if errors:
        print()
        for e in errors:
            print("ERROR", e)
        return 1
    print("OK")
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COLLECTIONS:
        print(__doc__)
        print("collections:", ", ".join(COLLECTIONS))
        return 2
    return check(Path(__file__).resolve().parent / argv[0], COLLECTIONS[argv[0]], argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
