"""The judge's training corpus (``make judge-data``): synthetic drift pairs, half of them
hard negatives, from sources that never include an evaluation set.

usage: python -m drift.judge.corpus --shared SHARED --out data/judge [--seed 7]
       [--synth-groups 30000] [--leipzig 10000] [--newstest 3000] [--frank-docs 149]

Sources (counts per source and label go to ``counts.json`` and the model card):

1. ``synth``: invented reference passages with faithful and drifted re-report sentences in the
   styles outlets use, minimal pairs of one named change (``drift.judge.synth``);
2. ``leipzig``, ``newstest``, ``frank``: real English news sentences (Leipzig 2020, the English
   side of newstest2013, FRANK's *validation*-split articles) rewritten faithfully and perturbed
   by spaCy parses (``drift.judge.perturb``), the premise being the sentence in its document
   context;
3. ``mt``: newstest2013's Spanish side through Apertium against the English reference, as
   machine-translation paraphrases (same), and the same pairs with one change (changed);
4. ``written``: minimal-pair groups written for the judge in the MiniCheck manner
   (``training/written``: a short invented reference report, faithful and drifted twins of
   re-report sentences that differ by one named change, merged-fact sentences, and a foreign
   quote with a faithful and a shifted English gloss, judged against its machine translation);
   (``roundtrip``, only on request: half of those twins again, through Apertium into Spanish or
   Catalan and back, as a translated quote's noise; measured not to help, see ROUND_TRIP_EVERY);
5. ``instyle``: the aligned sentences of the project's *training* stories (benchmarks/sets/dev
   g* and h*, and the former held-out collections heldout, heldout-long and heldout-3, which
   the comparators were tuned on), with their gold labels, plus perturbations of the faithful
   ones.

Never used: FRANK's test split, the seeds, the shared devset, MRPC, Falke, QAGS, the project's
held-out collections (heldout-4 to heldout-19), and the development stories kept for
calibration (s1-s4).

Outputs ``train.jsonl`` and ``valid.jsonl`` (whole groups, 5% to validation), and the
development and held-out pairs (``dev-pairs.jsonl``, ``heldout-pairs.jsonl``) that
``drift.judge.train`` measures and calibrates on.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from drift.judge import SAME
from drift.judge.example import Example

ROOT = Path(__file__).resolve().parents[2]
SETS = ROOT / "benchmarks" / "sets"
# Project stories used for training (in-style pairs): the development stories g* and h*, and
# the collections that were held out once and have since been tuned on (their READMEs say so).
TRAIN_SETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dev", ("g*", "h*")), ("heldout", ("*",)), ("heldout-long", ("*",)), ("heldout-3", ("*",)))
# Kept for calibration (development pairs) and for the gate (held-out pairs, never trained on).
DEV_STORIES = ("s*",)
HELDOUT_COLLECTIONS = ("heldout-4", "heldout-5", "heldout-6", "heldout-7", "heldout-8",
                       "heldout-9", "heldout-10", "heldout-11", "heldout-12",
                       "heldout-13", "heldout-14", "heldout-15", "heldout-16",
                       "heldout-17", "heldout-18", "heldout-19")
VALID_SHARE = 20  # one group in 20 goes to validation


def read_lines(path: Path) -> list[str]:
    """A text file split on "\\n" only (as the external data's README asks), empties dropped."""
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def leipzig_sentences(shared: Path, limit: int) -> list[str]:
    path = shared / "external" / "leipzig-eng-news-2020" / "eng_news_2020_10K-sentences.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return [r[1].strip() for r in rows[1:] if len(r) > 1 and r[1].strip()][:limit]


def frank_validation_articles(shared: Path, limit: int) -> list[tuple[str, list[str]]]:
    """(hash, sentences) of FRANK's validation-split articles; never the test split."""
    frank = shared / "external" / "frank"
    valid = read_lines(frank / "validation_split.txt")
    test = set(read_lines(frank / "test_split.txt"))
    out = []
    for h in valid[:limit]:
        if h.strip() in test:
            continue
        path = frank / "articles" / f"{h.strip()}.json"
        if not path.is_file():
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        lines = doc.get("article_lines") or []
        if not lines:
            from drift.segment import segment

            text = str(doc.get("article", ""))
            lines = [s.span.text for s in segment(text).sentences]
        out.append((h.strip(), [str(x).strip() for x in lines if str(x).strip()]))
    return out


def chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for at in range(0, len(items), size):
        yield list(items[at : at + size])


def from_documents(docs: Iterable[tuple[str, Sequence[str]]], source: str, seed: int,
                   max_targets: int) -> list[Example]:
    """Perturbation examples of real documents (``drift.judge.perturb``)."""
    from drift.claims import load_parser
    from drift.judge.perturb import examples_from_document

    nlp = load_parser()
    out: list[Example] = []
    for n, (group, sentences) in enumerate(docs):
        rng = random.Random(f"{seed}:{source}:{group}")
        out.extend(examples_from_document(sentences, nlp, rng, f"{source}-{group}", source,
                                          max_targets=max_targets))
        if n % 200 == 0:
            print(f"  {source}: {n} documents, {len(out)} examples", flush=True)
    return out


def perturbed_hypotheses(rows: Sequence[Example], source: str, seed: int,
                         per_row: int = 2) -> list[Example]:
    """For each faithful pair, drifted copies of its hypothesis (premise kept): minimal pairs of
    text in the exact style of the pair."""
    from drift.claims import load_parser
    from drift.judge.perturb import PERTURBERS, doc_context

    nlp = load_parser()
    same = [r for r in rows if r.label == SAME]
    docs = list(nlp.pipe([r.hypothesis for r in same], batch_size=64))
    premises = list(nlp.pipe([r.premise for r in same], batch_size=64))
    out: list[Example] = []
    kinds = sorted(PERTURBERS)
    for r, doc, prem in zip(same, docs, premises, strict=True):
        rng = random.Random(f"{seed}:{source}:{r.group}:{r.hypothesis}")
        ctx = doc_context([prem, doc])
        made = 0
        for kind in rng.sample(kinds, len(kinds)):
            if made >= per_row:
                break
            edit = PERTURBERS[kind](doc, ctx, rng)
            if edit is None or edit.text == r.hypothesis:
                continue
            out.append(Example(r.premise, edit.text, edit.label, (edit.start, edit.end),
                               f"{source}:perturbed", r.group))
            made += 1
    return out


def mt_pairs(shared: Path, limit: int, seed: int) -> list[Example]:
    """newstest2013 Spanish through Apertium against the English reference: same, both ways
    round; then the same pairs with one change of the English side."""
    from drift.translate.apertium import ApertiumTranslator

    folder = shared / "external" / "newstest2013-es-en"
    es = (folder / "es.txt").read_text(encoding="utf-8").split("\n")
    en = (folder / "en.txt").read_text(encoding="utf-8").split("\n")
    n = min(len(es), len(en), limit)
    translator = ApertiumTranslator()
    if translator.unavailable("es"):
        print("  mt: Apertium spa-eng is not installed; no MT pairs", flush=True)
        return []
    mt = translator.translate([es[i] for i in range(n)], "es")
    rng = random.Random(f"{seed}:mt")
    rows: list[Example] = []
    for i in range(n):
        if len(en[i].split()) < 6 or not mt[i].strip():
            continue
        group = f"mt-{i // 8}"
        if rng.random() < 0.5:
            rows.append(Example(en[i].strip(), mt[i].strip(), SAME, None, "mt:apertium", group))
        else:
            rows.append(Example(mt[i].strip(), en[i].strip(), SAME, None, "mt:gloss", group))
    return rows + perturbed_hypotheses(rows, "mt", seed, per_row=1)


WRITTEN = ROOT / "training" / "written"


def _span(text: str, part: str | None) -> tuple[int, int] | None:
    """The character range of ``part`` in ``text`` (its first occurrence), or None."""
    at = text.find(part) if part else -1
    return (at, at + len(part)) if part and at >= 0 else None


def written(folder: Path, seed: int) -> list[Example]:
    """Examples of the written minimal-pair groups (``training/written/*.jsonl``): each
    rewrite judged against its context in the group's reference (``drift.judge.context``, as
    the audit does), each foreign quote's glosses against its Apertium translation (quotes in a
    language Apertium does not translate are left out), plus perturbed copies of the faithful
    rewrites."""
    from drift.judge.context import premise as context_of
    from drift.translate.apertium import ApertiumTranslator

    rows: list[Example] = []
    quotes: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in filter(str.strip, path.read_text(encoding="utf-8").splitlines()):
            g = json.loads(line)
            group, ref = f"written-{g['id']}", g["reference"]
            rewrites = [twin for p in g["pairs"] for twin in ((p["faithful"], SAME, None),
                                                               (p["drifted"], p["type"],
                                                                p["changed"]))]
            rewrites += [(text, SAME, None) for text in g.get("extra_same", [])]
            for hyp, label, changed in rewrites:
                prem = context_of(hyp, ref) or " ".join(ref[:3])
                rows.append(Example(prem, hyp, label, _span(hyp, changed), "written", group))
            if g.get("quote"):
                quotes.setdefault(g["quote"]["language"], []).append((group, g["quote"]))
    translator = ApertiumTranslator()
    for lang, items in sorted(quotes.items()):
        if translator.unavailable(lang) is not None:
            continue
        mt = translator.translate([q["original"] for _, q in items], lang)
        for (group, q), gloss in zip(items, mt, strict=True):
            if gloss.strip():
                rows.append(Example(gloss.strip(), q["faithful"], SAME, None, "written:gloss",
                                    group))
                rows.append(Example(gloss.strip(), q["shifted"], "translation_shift",
                                    _span(q["shifted"], q["changed"]), "written:gloss", group))
    faithful = [r for r in rows if r.source == "written"]
    return rows + perturbed_hypotheses(faithful, "written", seed, per_row=1)


# One written group in ROUND_TRIP_EVERY also gives its twins through machine translation.
# Foreign quotes and sentences reach the judge as Apertium English ("the pozos of ventilation
# were badly reinforced"); three of the top 14 false alarms on the development pairs of the
# 2026-12-06 judge were such sentences, faithful but garbled. Measured in the fifth round
# (7,262 such examples; 52 minutes of fine-tuning from the shipped judge at lr 2e-5, beside the
# same run without them): development ROC AUC 0.897 against 0.899 at the kept step and 0.886
# against 0.891 on average over the later steps; held-out 0.805 against 0.805 (the starting
# judge: 0.899, 0.807). So it is not in the default corpus (``--only ... roundtrip`` builds it).
ROUND_TRIP_EVERY = 2


def round_trips(rows: Sequence[Example], seed: int,
                every: int = ROUND_TRIP_EVERY) -> list[Example]:
    """The written twins of one group in ``every`` with their hypothesis sent into
    Spanish (or, for one group in three, Catalan) and back by Apertium, label kept: the same
    minimal pairs with the noise of a translated quote. A drifted twin that comes back
    identical to a faithful one of its group is dropped; the changed span is kept where its
    own round trip is found in the sentence."""
    from drift.translate.apertium import ApertiumTranslator

    def pick(group: str, salt: str, n: int) -> int:
        return int(hashlib.sha1(f"{seed}:{salt}:{group}".encode()).hexdigest()[:8], 16) % n

    twins = [r for r in rows
             if r.source == "written" and pick(r.group, "rt", every) == 0]
    translator = ApertiumTranslator()
    out: list[Example] = []
    for via in ("es", "ca"):
        mine = [r for r in twins if (pick(r.group, "via", 3) == 0) == (via == "ca")]
        changed = [r.hypothesis[r.span[0]:r.span[1]] if r.span else "" for r in mine]
        back = translator.round_trip([r.hypothesis for r in mine] + changed, via)
        if back is None:
            print(f"  roundtrip: no Apertium en<->{via}; left out", flush=True)
            continue
        hyps = [h.strip() for h in back[: len(mine)]]
        parts = back[len(mine):]
        faithful: dict[str, list[str]] = {}
        for r, hyp in zip(mine, hyps, strict=True):
            if r.label == SAME:
                faithful.setdefault(r.group, []).append(hyp)
        for r, hyp, part in zip(mine, hyps, parts, strict=True):
            if len(hyp.split()) < 4 or (r.label != SAME and hyp in faithful.get(r.group, ())):
                continue
            span = None
            if r.label != SAME:
                span = _span(hyp, part.strip()) or _diff_span(hyp, faithful.get(r.group, []))
            out.append(Example(r.premise, hyp, r.label, span, f"roundtrip:{via}", r.group))
    return out


def _diff_span(drifted: str, faithful: Sequence[str]) -> tuple[int, int] | None:
    """The characters of ``drifted`` that differ from its closest faithful twin, when they are
    a part of the sentence (at most half of it) rather than most of it."""
    import difflib

    best = max(faithful, default=None,
               key=lambda f: difflib.SequenceMatcher(None, f, drifted, autojunk=False).ratio())
    if best is None:
        return None
    ops = difflib.SequenceMatcher(None, best, drifted, autojunk=False).get_opcodes()
    changed = [(j1, j2) for tag, _, _, j1, j2 in ops if tag != "equal" and j2 > j1]
    if not changed:
        return None
    start, end = changed[0][0], changed[-1][1]
    while start > 0 and drifted[start - 1].isalnum():  # whole words
        start -= 1
    while end < len(drifted) and drifted[end].isalnum():
        end += 1
    return (start, end) if 0 < end - start <= len(drifted) // 2 else None


def instyle(sets: Sequence[Path], seed: int, translator: str) -> list[Example]:
    """Aligned pairs of the training stories with their gold labels, and perturbed copies of
    their faithful hypotheses."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from judge_pairs import examples  # type: ignore[import-not-found]

    rows: list[Example] = []
    for s in sets:
        rows.extend(examples(s, translator, "instyle"))
    return rows + perturbed_hypotheses(rows, "instyle", seed, per_row=3)


_SENTENCE_END = re.compile(r"(?<=[.!?\"\u201d])\s+(?=[A-Z\"\u201c])")


def premise_dropout(rows: Sequence[Example], share: float, seed: int) -> list[Example]:
    """Faithful pairs whose premise lost one of its sentences: the sentence now says something
    the premise does not (an addition, not a contradiction), which is still ``same``. A judge
    that learned otherwise would flag every background fact an outlet restates from elsewhere
    in the reference."""
    rng = random.Random(f"{seed}:dropout")
    out = []
    for r in rows:
        if r.label != SAME or rng.random() >= share:
            continue
        parts = _SENTENCE_END.split(r.premise)
        if len(parts) < 2:
            continue
        del parts[rng.randrange(len(parts))]
        out.append(Example(" ".join(parts), r.hypothesis, SAME, None,
                           r.source.split(":")[0] + ":dropout", r.group))
    return out


# Ways outlets write the same date, figure or word: applied to premises so that the judge sees
# the article sentence's wording differ from its context's without a change of meaning (the
# first judge took "Oct. 16" against "October 16" for a date change, "fails to" against "does
# not" for a condition change, on the development pairs).
_MONTHS = {"January": "Jan.", "February": "Feb.", "August": "Aug.", "September": "Sept.",
           "October": "Oct.", "November": "Nov.", "December": "Dec."}
_MONTH_NAMES = ("January|February|March|April|May|June|July|August|September|October|November|"
                "December")
_ABBREVIATED = {v.rstrip("."): k for k, v in _MONTHS.items()}
_FORMATS: tuple[tuple[re.Pattern[str], Any], ...] = (
    (re.compile(r"\b(Jan|Feb|Aug|Sept|Oct|Nov|Dec)\. (\d{1,2})\b"),
     lambda m: f"{_ABBREVIATED[m.group(1)]} {m.group(2)}"),
    (re.compile(rf"\b({'|'.join(_MONTHS)}) (\d{{1,2}})\b"),
     lambda m: f"{_MONTHS[m.group(1)]} {m.group(2)}"),
    (re.compile(rf"\b(\d{{1,2}}) ({_MONTH_NAMES})\b"), lambda m: f"{m.group(2)} {m.group(1)}"),
    (re.compile(rf"\b({_MONTH_NAMES}) (\d{{1,2}})\b(?!,? \d{{4}})"),
     lambda m: f"{m.group(2)} {m.group(1)}"),
    (re.compile(r"(\d)%"), lambda m: f"{m.group(1)} percent"),
    (re.compile(r"(\d) per ?cent\b"), lambda m: f"{m.group(1)}%"),
    (re.compile(r"\$(\d+(?:\.\d+)?) (million|billion)\b"),
     lambda m: f"{m.group(1)} {m.group(2)} dollars"),
    (re.compile(r"\b(\d+(?:\.\d+)?) (million|billion) euros\b"),
     lambda m: f"€{m.group(1)} {m.group(2)}"),
)
# Words news copy uses interchangeably (inflected forms given as they are swapped).
_EQUIVALENT = [
    ("halted", "suspended", "stopped"), ("halt", "suspend", "stop"), ("closed", "shut"),
    ("banned", "barred", "prohibited"), ("fell", "dropped", "declined"),
    ("rose", "climbed", "increased"), ("due", "expected", "scheduled"), ("company", "firm"),
    ("said", "stated"), ("warned", "cautioned"), ("residents", "locals"),
    ("about", "around", "roughly"), ("more than", "over"), ("detained", "arrested"),
    ("injured", "hurt"), ("cut", "reduced"), ("begin", "start"), ("began", "started"),
    ("lifted", "removed"), ("chief executive", "CEO"), ("head", "chief"),
    ("spokesman", "spokesperson"), ("told reporters", "said"), ("people", "persons"),
    ("announced", "said"), ("ordered", "instructed"), ("worried", "concerned"),
    ("if it does not", "unless it"), ("if they do not", "unless they"),
    ("does not", "fails to"), ("did not", "failed to"), ("around", "some"),
]


def restyle(text: str, rng: random.Random, avoid: str) -> str:
    """``text`` with one or two of its dates, figures or words written another way; never
    introducing a word ``avoid`` (the hypothesis) contains."""
    changes = 0
    for pattern, repl in rng.sample(_FORMATS, len(_FORMATS)):
        if changes < 2 and pattern.search(text):
            text = pattern.sub(repl, text, count=1)
            changes += 1
    low_avoid = avoid.lower()
    for group in rng.sample(_EQUIVALENT, len(_EQUIVALENT)):
        if changes >= 3:
            break
        for word in group:
            m = re.search(rf"\b{re.escape(word)}\b", text)
            if m is None:
                continue
            other = rng.choice([w for w in group if w != word])
            if re.search(rf"\b{re.escape(other.lower())}\b", low_avoid):
                break
            text = text[: m.start()] + other + text[m.end():]
            changes += 1
            break
    return text


def augment(rows: Sequence[Example], seed: int, restyle_share: float = 0.25,
            dropout_share: float = 0.15) -> list[Example]:
    """Copies of examples with a restyled premise (any label: the change, or its absence, is
    in the hypothesis), and faithful examples whose premise lost a sentence."""
    rng = random.Random(f"{seed}:augment")
    out: list[Example] = []
    for r in rows:
        if rng.random() < restyle_share:
            new = restyle(r.premise, rng, r.hypothesis)
            if new != r.premise:
                out.append(Example(new, r.hypothesis, r.label, r.span,
                                   r.source.split(":")[0] + ":restyled", r.group))
    out.extend(premise_dropout([r for r in rows if not r.source.startswith("synth")],
                               dropout_share, seed))
    return out


def labelled_sets(collection: str, patterns: Sequence[str]) -> list[Path]:
    folder = SETS / collection
    found = {p for pat in patterns for p in folder.glob(pat) if (p / "labels.json").is_file()}
    return sorted(found)


def rebalance(rows: Sequence[Example], seed: int, cap: float = 1.5) -> list[Example]:
    """Perturbations of real sentences, with no drift type above ``cap`` times the median type
    of its source: a negation or a hedge can be put into almost any sentence, a place or a
    condition only into some, and a judge trained on the raw mix learns mostly the first two."""
    rng = random.Random(f"{seed}:rebalance")
    by_source: dict[str, list[Example]] = {}
    for r in rows:
        by_source.setdefault(r.source, []).append(r)
    out: list[Example] = []
    for _, items in sorted(by_source.items()):
        labels = Counter(r.label for r in items if r.label != SAME)
        if not labels:
            out.extend(items)
            continue
        sizes = sorted(labels.values())
        limit = max(1, int(cap * sizes[len(sizes) // 2]))
        kept: Counter[str] = Counter()
        for r in items:
            if r.label != SAME:
                if kept[r.label] >= limit:
                    continue
                kept[r.label] += 1
            out.append(r)
        rng.shuffle(out)
    return out


def split(rows: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    """(train, valid) by a hash of the group: a group's examples stay together."""
    train: list[Example] = []
    valid: list[Example] = []
    for r in rows:
        h = int(hashlib.sha1(r.group.encode()).hexdigest()[:8], 16)
        (valid if h % VALID_SHARE == 0 else train).append(r)
    return train, valid


def write(path: Path, rows: Sequence[Example]) -> None:
    path.write_text("".join(r.to_json() + "\n" for r in rows), encoding="utf-8")


def counts(rows: Sequence[Example]) -> dict[str, dict[str, int]]:
    by: dict[str, Counter[str]] = {}
    for r in rows:
        by.setdefault(r.source.split(":")[0], Counter())[r.label] += 1
    return {k: dict(sorted(v.items())) for k, v in sorted(by.items())}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "judge")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--synth-groups", type=int, default=30000)
    ap.add_argument("--instyle-repeat", type=int, default=4,
                    help="copies of the in-style pairs (the closest to what the judge sees)")
    ap.add_argument("--written-repeat", type=int, default=2,
                    help="copies of the written minimal-pair groups")
    ap.add_argument("--dropout", type=float, default=0.15,
                    help="share of faithful synthetic pairs also given with a sentence of the "
                         "premise removed")
    ap.add_argument("--leipzig", type=int, default=10000, help="Leipzig sentences to use")
    ap.add_argument("--newstest", type=int, default=3000, help="newstest2013 lines to use")
    ap.add_argument("--frank-docs", type=int, default=149, help="FRANK validation articles")
    ap.add_argument("--restyle", type=float, default=0.0,
                    help="share of examples also given with a restyled premise (dates, figures, "
                         "interchangeable words; see augment). Measured with 0.25 and the "
                         "dropout at 0.3: development ROC AUC 0.830 against 0.836 without, so "
                         "off by default")
    ap.add_argument("--translator", default="apertium",
                    help="translator for the sets' foreign passages (pairs of stories)")
    ap.add_argument("--only", nargs="*", default=None,
                    help="build only these sources (synth leipzig newstest frank mt written "
                         "instyle; roundtrip, not built by default, see ROUND_TRIP_EVERY)")
    args = ap.parse_args(argv)
    ext = args.shared / "external"
    if not ext.is_dir():
        print(f"no {ext}: the corpus needs the shared data folder's external/ "
              "(training text; --shared)")
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = set(args.only or ["synth", "leipzig", "newstest", "frank", "mt", "written",
                               "instyle"])
    rows: list[Example] = []
    t0 = time.time()
    if "synth" in wanted:
        from drift.judge.synth import generate

        synth = list(generate(args.synth_groups, seed=args.seed))
        rows.extend(synth)
        rows.extend(premise_dropout(synth, args.dropout, args.seed))
        print(f"synth: {len(rows)} examples ({time.time() - t0:.0f} s)", flush=True)
    if "leipzig" in wanted:
        sents = leipzig_sentences(args.shared, args.leipzig)
        rows.extend(rebalance(from_documents(
            ((str(i), c) for i, c in enumerate(chunks(sents, 5))), "leipzig", args.seed,
            max_targets=2), args.seed))
    if "newstest" in wanted:
        en = read_lines(ext / "newstest2013-es-en" / "en.txt")[: args.newstest]
        rows.extend(rebalance(from_documents(
            ((str(i), c) for i, c in enumerate(chunks(en, 8))), "newstest", args.seed,
            max_targets=3), args.seed))
    if "frank" in wanted:
        rows.extend(rebalance(from_documents(
            frank_validation_articles(args.shared, args.frank_docs), "frank", args.seed,
            max_targets=8), args.seed))
    if "mt" in wanted:
        rows.extend(rebalance(mt_pairs(args.shared, args.newstest, args.seed), args.seed))
    if "written" in wanted or "roundtrip" in wanted:
        twins = written(WRITTEN, args.seed)
        if "written" in wanted:
            rows.extend(twins * max(1, args.written_repeat))
        if "roundtrip" in wanted:
            rows.extend(round_trips(twins, args.seed))
            print(f"roundtrip: {len(rows)} examples ({time.time() - t0:.0f} s)", flush=True)
    if "instyle" in wanted:
        train_sets = [p for c, pats in TRAIN_SETS for p in labelled_sets(c, pats)]
        style = rebalance(instyle(train_sets, args.seed,
                                  args.translator), args.seed, cap=3.0)
        rows.extend(style * max(1, args.instyle_repeat))
    if args.restyle:
        rows.extend(augment(rows, args.seed, restyle_share=args.restyle))
    print(f"{len(rows)} examples in {time.time() - t0:.0f} s", flush=True)
    train, valid = split(rows)
    random.Random(args.seed).shuffle(train)
    write(args.out / "train.jsonl", train)
    write(args.out / "valid.jsonl", valid)
    stats: dict[str, Any] = {"seed": args.seed, "train": counts(train), "valid": counts(valid),
                             "args": {k: str(v) for k, v in vars(args).items()}}
    (args.out / "counts.json").write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(stats["train"], indent=1))
    write_eval_pairs(args.out, args.shared, args.translator)
    return 0


def write_eval_pairs(out: Path, shared: Path, translator: str) -> None:
    """The development pairs (calibration: the shared devset and the s* stories) and the
    held-out pairs (the gate: both held-out collections)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from judge_pairs import examples

    dev_sets = [p for p in sorted((shared / "devset").glob("d*"))
                if (p / "labels.json").is_file()] + labelled_sets("dev", DEV_STORIES)
    held = [p for c in HELDOUT_COLLECTIONS for p in labelled_sets(c, ("*",))]
    for name, sets in (("dev-pairs", dev_sets), ("heldout-pairs", held)):
        rows = [e for s in sets for e in examples(s, translator, name)]
        write(out / f"{name}.jsonl", rows)
        print(f"{name}: {len(rows)} pairs from {len(sets)} sets "
              f"({sum(1 for r in rows if r.label != SAME)} changed)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
