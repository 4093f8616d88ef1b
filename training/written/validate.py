#!/usr/bin/env python3
"""Check written minimal-pair groups (stdlib only): JSON lines, fields, spans, types.

usage: python3 training/written/validate.py FILE.jsonl [...]   (ends with OK when all is well)
"""
from __future__ import annotations

import json
import sys
from collections import Counter

TYPES = {
    "actor_swap", "entity_change", "number_change", "date_change", "location_change",
    "predicate_change", "modality_shift", "condition_change", "polarity_flip", "source_change",
    "quote_misattribution",
}
LANGUAGES = {"es", "fr", "pt", "it", "ca", "de"}


def check(path: str, errors: list[str], types: Counter, langs: Counter, ids: set[str]) -> int:
    n = 0
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            where = f"{path}:{lineno}"
            if not line.strip():
                continue
            try:
                g = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{where}: not JSON ({exc})")
                continue
            n += 1
            gid = g.get("id", "")
            if not gid or gid in ids:
                errors.append(f"{where}: missing or repeated id {gid!r}")
            ids.add(gid)
            ref = g.get("reference")
            if not isinstance(ref, list) or not 4 <= len(ref) <= 8 or not all(
                    isinstance(s, str) and len(s.split()) >= 5 for s in ref):
                errors.append(f"{where}: reference must be a list of 4-8 sentences")
                ref = []
            pairs = g.get("pairs", [])
            if not isinstance(pairs, list) or len(pairs) != 3:
                errors.append(f"{where}: pairs must hold 3 items")
                pairs = []
            seen_types = set()
            for k, p in enumerate(pairs):
                at = f"{where} pair {k}"
                f, d, t, c = p.get("faithful"), p.get("drifted"), p.get("type"), p.get("changed")
                if not (isinstance(f, str) and isinstance(d, str) and f and d):
                    errors.append(f"{at}: faithful and drifted texts needed")
                    continue
                if f == d:
                    errors.append(f"{at}: faithful and drifted are identical")
                if f in ref or d in ref:
                    errors.append(f"{at}: a rewrite copies a reference sentence verbatim")
                if t not in TYPES:
                    errors.append(f"{at}: type {t!r}")
                elif t in seen_types:
                    errors.append(f"{at}: type {t} twice in one group")
                seen_types.add(t)
                types[t] += 1
                if not isinstance(c, str) or not c or d.count(c) != 1:
                    errors.append(f"{at}: changed {c!r} must occur exactly once in drifted")
                if not p.get("note"):
                    errors.append(f"{at}: note missing")
            extra = g.get("extra_same", [])
            if not isinstance(extra, list) or not 1 <= len(extra) <= 3 or not all(
                    isinstance(s, str) and s not in ref for s in extra):
                errors.append(f"{where}: extra_same must hold 1-3 new sentences")
            q = g.get("quote")
            if q is not None:
                lang = q.get("language")
                if lang not in LANGUAGES:
                    errors.append(f"{where}: quote language {lang!r}")
                langs[lang] += 1
                for key in ("original", "faithful", "shifted", "changed"):
                    if not isinstance(q.get(key), str) or not q.get(key):
                        errors.append(f"{where}: quote {key} missing")
                if isinstance(q.get("shifted"), str) and isinstance(q.get("changed"), str) \
                        and q["shifted"].count(q["changed"]) != 1:
                    errors.append(f"{where}: quote changed must occur once in shifted")
                if q.get("faithful") == q.get("shifted"):
                    errors.append(f"{where}: quote glosses identical")
    return n


def main() -> int:
    errors: list[str] = []
    types: Counter = Counter()
    langs: Counter = Counter()
    ids: set[str] = set()
    total = sum(check(p, errors, types, langs, ids) for p in sys.argv[1:])
    for e in errors[:50]:
        print(e)
    print(f"{total} groups; drift types: {dict(sorted(types.items()))}")
    print(f"quotes: {dict(sorted(langs.items()))}")
    if errors:
        print(f"{len(errors)} problems")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
