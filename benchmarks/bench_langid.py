"""Benchmark drift's language identification on lingua's short-text test data.

What is measured, on ``<data>/<lang>/{single-words,word-pairs,sentences}.txt`` for en es fr de pt
it ca uk ru (1,000 lines each; the gold label is the folder name; the three kinds are the length
buckets):

* ``langdetect`` and ``lingua``: the identifiers alone: raw langdetect (seeded, on every line
  whatever its length: ``identify_langdetect_raw``; drift itself asks langdetect only from
  ``MIN_LETTERS_LANGDETECT`` letters on) and ``identify_lingua`` (restricted to
  ``drift.detect.LANGUAGES``, or to ``SCRIPT_CANDIDATES`` for Cyrillic text): accuracy of the top
  language per language and bucket.
* ``drift`` and ``drift-langdetect``: drift's span decision ``judge(text, identifier)`` read the way
  ``detect_passages`` reads it. A line is *flagged* non-English when the verdict is not None, its
  language is not ``en`` and its confidence is at least ``MIN_CONFIDENCE``. Reported per language
  and bucket: the flag rate (the false-positive rate on ``en``, recall elsewhere), the accuracy of
  the language label among flagged lines, the share of lines with a verdict ("decided") and the
  label accuracy among them.
* Cost of each system, each run in a fresh process (one after another, so timings do not compete):
  milliseconds per string, overall and per bucket (after a warm-up that loads the models), warm-up
  seconds, and the peak RSS delta: ``resource.getrusage`` ``ru_maxrss`` after the run minus before
  the identifier is first called, so it includes the library and its models.
* Threshold sensitivity: ``judge`` replayed with the identifiers' recorded outputs while one of
  ``MIN_CONFIDENCE``, ``MIN_LETTERS``, ``MIN_ENGLISH_SHARE`` is varied (the others at their
  current values), plus the best combination of a small joint grid that raises no English
  false-positive rate by more than ``FPR_SLACK``. The replay at the current values is checked
  against the measured run. The closing verdict is computed from these numbers.

Run from the repository root (``make bench-langid`` does)::

    python benchmarks/bench_langid.py [--data DIR] [--out reports/bench-langid.md] [--limit N]

``--limit N`` keeps the first N lines of each file for a quick run. The Markdown report is written
to ``--out`` and printed. When the data folder is absent the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from multiprocessing import forkserver
from pathlib import Path

import drift.detect as detect

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "external" / "lingua-testdata"
DEFAULT_OUT = REPO / "reports" / "bench-langid.md"

LANGS = ("en", "es", "fr", "de", "pt", "it", "ca", "uk", "ru")
# (file stem, bucket name), shortest first.
KINDS = (("single-words", "single words"), ("word-pairs", "word pairs"), ("sentences", "sentences"))
BUCKETS = tuple(name for _, name in KINDS)
LATIN_NON_EN = ("es", "fr", "de", "pt", "it", "ca")
CYRILLIC = ("uk", "ru")
ROMANCE_PROBE = ("es", "fr", "pt")  # the languages drift's news re-reports mostly come in
START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
# How much a threshold hint may raise the English false-positive rate, per bucket. Sentences are
# most of what drift judges in an English article, so their rate is multiplied by its length.
FPR_SLACK = {"single words": 0.01, "word pairs": 0.01, "sentences": 0.001}
# The joint search (every combination, plus the current values) for the last sweep row.
JOINT: dict[str, tuple[float, ...]] = {
    "MIN_CONFIDENCE": (0.0, 0.3, 0.4, 0.6),
    "MIN_LETTERS": (12, 15, 17, 25),
    "MIN_ENGLISH_SHARE": (0.1, 0.2, 0.25, 0.3),
}
SLACK_TEXT = ", ".join(f"{100 * v:g} point on {b}" for b, v in FPR_SLACK.items())

# name -> (identifier function of drift.detect, whether drift's judge() wraps it). The
# "langdetect" baseline is langdetect alone (no length cut); "drift-langdetect" is drift's judge
# with drift's langdetect identifier (no verdict below MIN_LETTERS_LANGDETECT letters).
SYSTEMS: dict[str, tuple[str, bool]] = {
    "langdetect": ("identify_langdetect_raw", False),
    "lingua": ("identify_lingua", False),
    "drift": ("identify_lingua", True),
    "drift-langdetect": ("identify_langdetect", True),
}
# The recorded outputs each judged system's replay reads, and the letter floor its identifier
# applies before asking the library (see ``replay``).
REPLAY_OF = {"drift": ("lingua", 0), "drift-langdetect": ("langdetect", -1)}
WARM_UP = (
    "The harbour authority said on Tuesday that the strike would end before the weekend.",
    "Портовая администрация заявила во вторник, что забастовка закончится до выходных.",
)

Output = tuple[str, float] | None  # (language, confidence); None = judge() undecided


@dataclass(frozen=True, slots=True)
class Item:
    lang: str
    bucket: str
    text: str


@dataclass(frozen=True, slots=True)
class Run:
    system: str
    outputs: list[Output]
    seconds_per_bucket: dict[str, float]
    warm_up_s: float
    rss_base_mib: float
    rss_peak_mib: float

    @property
    def seconds(self) -> float:
        return sum(self.seconds_per_bucket.values())

    @property
    def rss_delta_mib(self) -> float:
        return self.rss_peak_mib - self.rss_base_mib


# --------------------------------------------------------------------------------------- data


def load(data: Path, limit: int | None) -> list[Item]:
    """Every line of every file, read as the data README says (UTF-8, split on "\\n" only)."""
    missing = [f"{lang}/{stem}.txt" for lang in LANGS for stem, _ in KINDS
               if not (data / lang / f"{stem}.txt").is_file()]
    if missing:
        raise FileNotFoundError(f"{data}: missing {', '.join(missing)}")
    items: list[Item] = []
    for lang in LANGS:
        for stem, bucket in KINDS:
            # bytes, not read_text(): universal newlines would also turn "\r" into a line break
            text = (data / lang / f"{stem}.txt").read_bytes().decode("utf-8")
            lines = [line for line in text.split("\n") if line.strip()]
            items.extend(Item(lang, bucket, line) for line in lines[:limit])
    return items


# ------------------------------------------------------------------------------------ running


def _maxrss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def run_system(system: str, texts_by_bucket: dict[str, list[str]]) -> Run:
    """One system over every text, in the calling (fresh) process."""
    base = _maxrss_mib()
    name, judged = SYSTEMS[system]
    identify: Callable[[str], tuple[str, float]] = getattr(detect, name)
    start = time.perf_counter()
    for text in WARM_UP:  # loads the library and its models
        identify(text)
    warm_up = time.perf_counter() - start
    outputs: list[Output] = []
    seconds: dict[str, float] = {}
    for bucket, texts in texts_by_bucket.items():
        start = time.perf_counter()
        if judged:
            verdicts = [detect.judge(text, identify) for text in texts]
            seconds[bucket] = time.perf_counter() - start
            outputs.extend(None if v is None else (v.language, v.confidence) for v in verdicts)
        else:
            found = [identify(text) for text in texts]
            seconds[bucket] = time.perf_counter() - start
            outputs.extend(found)
    return Run(system, outputs, seconds, warm_up, base, _maxrss_mib())


def run_isolated(system: str, items: Sequence[Item]) -> Run:
    """run_system() in a fresh process, so RSS and timings are the system's own.

    The process is forked from a fork server started before the data was loaded: a forked child's
    ru_maxrss starts at the small fork server's RSS, whereas a spawned one inherits the peak RSS
    of this (growing) parent, which would hide part of the delta.
    """
    by_bucket: dict[str, list[str]] = {b: [] for b in BUCKETS}
    for it in items:
        by_bucket[it.bucket].append(it.text)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(START_METHOD)) as pool:
        run = pool.submit(run_system, system, by_bucket).result()
    # Outputs come back bucket by bucket; put them back in item order.
    queues: dict[str, Iterator[Output]] = {}
    offset = 0
    for bucket in BUCKETS:
        queues[bucket] = iter(run.outputs[offset:offset + len(by_bucket[bucket])])
        offset += len(by_bucket[bucket])
    ordered = [next(queues[it.bucket]) for it in items]
    return Run(system, ordered, run.seconds_per_bucket, run.warm_up_s, run.rss_base_mib,
               run.rss_peak_mib)


# ------------------------------------------------------------------------------------ metrics


def flagged(out: Output, min_confidence: float) -> bool:
    """drift's reading of a verdict (``detect_passages``): a non-English passage."""
    return out is not None and out[0] != "en" and out[1] >= min_confidence


def rate(hits: int, n: int) -> float | None:
    return hits / n if n else None


Cell = tuple[int, int]  # (hits, n)
Grid = dict[tuple[str, str], Cell]  # (lang, bucket) -> cell


def grid(items: Sequence[Item], outs: Sequence[Output],
         hit: Callable[[Item, Output], bool], keep: Callable[[Item, Output], bool]) -> Grid:
    """hits / kept lines per (language, bucket)."""
    cells: dict[tuple[str, str], list[int]] = {(lang, b): [0, 0] for lang in LANGS for b in BUCKETS}
    for it, out in zip(items, outs, strict=True):
        if keep(it, out):
            cell = cells[it.lang, it.bucket]
            cell[1] += 1
            cell[0] += hit(it, out)
    return {k: (v[0], v[1]) for k, v in cells.items()}


def pooled(g: Grid, langs: Sequence[str], bucket: str) -> float | None:
    hits = sum(g[lang, bucket][0] for lang in langs)
    return rate(hits, sum(g[lang, bucket][1] for lang in langs))


def top_accuracy(items: Sequence[Item], outs: Sequence[Output]) -> Grid:
    return grid(items, outs, lambda it, o: o is not None and o[0] == it.lang, lambda it, o: True)


def flag_rate(items: Sequence[Item], outs: Sequence[Output], min_conf: float) -> Grid:
    return grid(items, outs, lambda it, o: flagged(o, min_conf), lambda it, o: True)


def flagged_label_accuracy(items: Sequence[Item], outs: Sequence[Output],
                           min_conf: float) -> Grid:
    return grid(items, outs, lambda it, o: o is not None and o[0] == it.lang,
                lambda it, o: it.lang != "en" and flagged(o, min_conf))


def decided(items: Sequence[Item], outs: Sequence[Output]) -> Grid:
    return grid(items, outs, lambda it, o: o is not None, lambda it, o: True)


def decided_accuracy(items: Sequence[Item], outs: Sequence[Output]) -> Grid:
    return grid(items, outs, lambda it, o: o is not None and o[0] == it.lang,
                lambda it, o: o is not None)


@dataclass(frozen=True, slots=True)
class Binary:
    """English vs not-English, per bucket: FPR on en, recall on the other languages."""

    fpr: dict[str, float | None]
    recall: dict[str, float | None]
    recall_romance: dict[str, float | None]
    label_acc: dict[str, float | None]

    def balanced(self, bucket: str) -> float:
        return ((1 - (self.fpr[bucket] or 0.0)) + (self.recall[bucket] or 0.0)) / 2

    def mean_balanced(self) -> float:
        return sum(self.balanced(b) for b in BUCKETS) / len(BUCKETS)


def binary(items: Sequence[Item], outs: Sequence[Output], min_conf: float) -> Binary:
    flags = flag_rate(items, outs, min_conf)
    labels = flagged_label_accuracy(items, outs, min_conf)
    non_en = [lang for lang in LANGS if lang != "en"]
    return Binary(
        fpr={b: pooled(flags, ["en"], b) for b in BUCKETS},
        recall={b: pooled(flags, non_en, b) for b in BUCKETS},
        recall_romance={b: pooled(flags, ROMANCE_PROBE, b) for b in BUCKETS},
        label_acc={b: pooled(labels, non_en, b) for b in BUCKETS},
    )


# ----------------------------------------------------------------------------- sensitivity


@contextmanager
def thresholds(**values: float) -> Iterator[None]:
    """Temporarily set drift.detect's module thresholds (judge() reads them at call time)."""
    old = {name: getattr(detect, name) for name in values}
    try:
        for name, value in values.items():
            setattr(detect, name, value)
        yield
    finally:
        for name, value in old.items():
            setattr(detect, name, value)


def replay(items: Sequence[Item], recorded: Sequence[Output], floor: int = 0) -> list[Output]:
    """judge() over the items with the identifier's recorded outputs instead of the identifier.

    ``floor``: spans with fewer letters get ``und`` as drift's identifier would give them
    (-1: ``detect.MIN_LETTERS_LANGDETECT``, read at call time), since the recorded langdetect
    outputs are langdetect's own on every line.
    """
    table: dict[str, tuple[str, float]] = {}
    for it, out in zip(items, recorded, strict=True):
        assert out is not None
        table[it.text] = out
    letters = detect.MIN_LETTERS_LANGDETECT if floor < 0 else floor

    def identify(text: str) -> tuple[str, float]:
        if letters and detect._letters(text) < letters:
            return "und", 0.0
        return table[text]

    verdicts = [detect.judge(it.text, identify) for it in items]
    return [None if v is None else (v.language, v.confidence) for v in verdicts]


def same(a: Output, b: Output) -> bool:
    """Equal verdicts; lingua's confidences can differ run to run in the last bits."""
    if a is None or b is None:
        return a is b
    return a[0] == b[0] and abs(a[1] - b[1]) < 1e-9


@dataclass(frozen=True, slots=True)
class Setting:
    family: str  # the threshold varied, or "joint"
    label: str
    current: bool  # every threshold at drift's current value
    result: Binary


def allowed(s: Setting, cur: Setting) -> bool:
    """No bucket's English false-positive rate rises by more than its FPR_SLACK."""
    return all((s.result.fpr[b] or 0.0) <= (cur.result.fpr[b] or 0.0) + FPR_SLACK[b] + 1e-12
               for b in BUCKETS)


def sweep(items: Sequence[Item], recorded: Sequence[Output], floor: int = 0) -> list[Setting]:
    """One threshold at a time, the others at drift's current values; then the best joint row.

    The joint row is the best setting of the JOINT grid (mean balanced accuracy over the buckets)
    among those that keep every English false-positive rate within FPR_SLACK of today's.
    """
    conf0, letters0, share0 = detect.MIN_CONFIDENCE, detect.MIN_LETTERS, detect.MIN_ENGLISH_SHARE
    replays: dict[tuple[float, float], list[Output]] = {}

    def evaluate(conf: float, letters: float, share: float) -> Binary:
        if (letters, share) not in replays:
            with thresholds(MIN_LETTERS=letters, MIN_ENGLISH_SHARE=share):
                replays[letters, share] = replay(items, recorded, floor)
        return binary(items, replays[letters, share], conf)

    def share_label(share: float) -> str:
        return "off" if share > 1 else f"{share:g}"

    grid_values: dict[str, list[float]] = {
        "MIN_CONFIDENCE": sorted({0.0, 0.2, 0.3, 0.4, conf0, 0.6, 0.7, 0.8, 0.9}),
        "MIN_LETTERS": sorted({5, 10, 12, 15, 17, letters0, 25, 30, 40}),
        "MIN_ENGLISH_SHARE": sorted({0.05, 0.1, share0, 0.2, 0.25, 0.3, 1.01}),
    }
    out: list[Setting] = []
    for family, values in grid_values.items():
        for v in values:
            conf, letters, share = (v if family == "MIN_CONFIDENCE" else conf0,
                                    v if family == "MIN_LETTERS" else letters0,
                                    v if family == "MIN_ENGLISH_SHARE" else share0)
            shown = share_label(v) if family == "MIN_ENGLISH_SHARE" else f"{v:g}"
            now = (conf, letters, share) == (conf0, letters0, share0)
            out.append(Setting(family, f"{family}={shown}", now, evaluate(conf, letters, share)))
    cur = next(st for st in out if st.current)
    joint: list[Setting] = []
    for conf in sorted({conf0, *JOINT["MIN_CONFIDENCE"]}):
        for letters in sorted({letters0, *JOINT["MIN_LETTERS"]}):
            for share in sorted({share0, *JOINT["MIN_ENGLISH_SHARE"]}):
                label = (f"MIN_CONFIDENCE={conf:g}, MIN_LETTERS={letters:g}, "
                         f"MIN_ENGLISH_SHARE={share_label(share)}")
                now = (conf, letters, share) == (conf0, letters0, share0)
                joint.append(Setting("joint", label, now, evaluate(conf, letters, share)))
    out.append(max((st for st in joint if allowed(st, cur)),
                   key=lambda st: st.result.mean_balanced()))
    return out


# ------------------------------------------------------------------------------------- report


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def grid_table(g: Grid, first: str = "language", en_row: bool = True) -> list[str]:
    langs = [lang for lang in LANGS if en_row or lang != "en"]
    rows = [[lang, *(pct(rate(*g[lang, b])) for b in BUCKETS)] for lang in langs]
    non_en = [lang for lang in LANGS if lang != "en"]
    rows.append(["**non-en (pooled)**", *(pct(pooled(g, non_en, b)) for b in BUCKETS)])
    if en_row:
        rows.append(["**all (pooled)**", *(pct(pooled(g, LANGS, b)) for b in BUCKETS)])
    return table([first, *BUCKETS], rows)


def verdict_text(items: Sequence[Item], runs: dict[str, Run], bins: dict[str, Binary],
                 sweeps: dict[str, list[Setting]]) -> list[str]:
    """The closing paragraph, every claim computed from the numbers above."""
    acc = {s: top_accuracy(items, runs[s].outputs) for s in ("lingua", "langdetect")}
    all_langs = list(LANGS)

    def ms(s: str) -> float:
        return 1000 * runs[s].seconds / len(items)

    d, dl = bins["drift"], bins["drift-langdetect"]
    sent = "sentences"
    win = "drift" if d.balanced(sent) >= dl.balanced(sent) else "drift-langdetect"
    lose = "drift-langdetect" if win == "drift" else "drift"
    w, lo = bins[win], bins[lose]
    text = [
        f"On **sentences**, `{win}` wins drift's English / not-English question "
        f"(balanced accuracy {pct(w.balanced(sent))}% vs {pct(lo.balanced(sent))}%): English "
        f"false-positive rate {pct(w.fpr[sent])}% vs {pct(lo.fpr[sent])}%, non-English recall "
        f"{pct(w.recall[sent])}% vs {pct(lo.recall[sent])}% "
        f"(es/fr/pt {pct(w.recall_romance[sent])}% vs {pct(lo.recall_romance[sent])}%), flagged "
        f"labels right {pct(w.label_acc[sent])}% vs {pct(lo.label_acc[sent])}%."
    ]
    if (w.fpr[sent] or 0.0) > (lo.fpr[sent] or 0.0):
        text.append(
            f"The win is bought with English false positives: {pct(w.fpr[sent])}% of English "
            f"sentences vs {pct(lo.fpr[sent])}%, i.e. about "
            f"{100 * (1 - (1 - (w.fpr[sent] or 0.0)) ** 30):.0f}% vs "
            f"{100 * (1 - (1 - (lo.fpr[sent] or 0.0)) ** 30):.0f}% of 30-sentence English "
            f"articles would get at least one false non-English passage (errors independent)."
        )
    short = ("word pairs", "single words")
    shorts = []
    for b in short:
        a_l, a_d = pooled(acc["lingua"], all_langs, b), pooled(acc["langdetect"], all_langs, b)
        leader = "lingua" if (a_l or 0) >= (a_d or 0) else "langdetect"
        shorts.append(f"{b} {pct(a_l)}% vs {pct(a_d)}% (`{leader}`)")
    latin = ["en", *LATIN_NON_EN]
    dec = decided(items, runs["drift"].outputs)
    flags = {s: flag_rate(items, runs[s].outputs, detect.MIN_CONFIDENCE)
             for s in ("drift", "drift-langdetect")}
    recalls = "; ".join(
        f"{b}: Latin-script {pct(pooled(flags['drift'], LATIN_NON_EN, b))}% (lingua) / "
        f"{pct(pooled(flags['drift-langdetect'], LATIN_NON_EN, b))}% (langdetect), Cyrillic "
        f"{pct(pooled(flags['drift'], CYRILLIC, b))}% / "
        f"{pct(pooled(flags['drift-langdetect'], CYRILLIC, b))}%, English FPR "
        f"{pct(d.fpr[b])}% / {pct(dl.fpr[b])}%" for b in short)
    text.append(
        f"On **short spans** the top label of `lingua` vs `langdetect` alone is right on "
        f"{'; '.join(shorts)}. But drift's judge() gives a verdict on only "
        f"{pct(pooled(dec, latin, 'word pairs'))}% of Latin-script word pairs and "
        f"{pct(pooled(dec, latin, 'single words'))}% of single words "
        f"(MIN_LETTERS={detect.MIN_LETTERS}), so its non-English recall there is: {recalls}."
    )
    fast = min(("lingua", "langdetect"), key=ms)
    slow = "langdetect" if fast == "lingua" else "lingua"
    text.append(
        f"Cost: `{fast}` takes {ms(fast):.2f} ms per string vs {ms(slow):.2f} ms for `{slow}`; "
        f"peak RSS delta {runs['lingua'].rss_delta_mib:.0f} MiB (lingua) vs "
        f"{runs['langdetect'].rss_delta_mib:.0f} MiB (langdetect)."
    )
    # Threshold hints, from the sweep: the best single change, then the best joint row.
    for system, settings in sweeps.items():
        cur = next(s for s in settings if s.current)
        singles = [s for s in settings if s.family != "joint" and allowed(s, cur)]
        best = max(singles, key=lambda s: s.result.mean_balanced())
        joint = next(s for s in settings if s.family == "joint")

        def moves(s: Setting, cur: Setting = cur) -> str:
            return "; ".join(
                f"{b} FPR {pct(cur.result.fpr[b])}% → {pct(s.result.fpr[b])}%, recall "
                f"{pct(cur.result.recall[b])}% → {pct(s.result.recall[b])}%" for b in BUCKETS)

        if best.result.mean_balanced() - cur.result.mean_balanced() > 0.001:
            text.append(
                f"Thresholds (`{system}`): the best single change in the sweep that raises no "
                f"English false-positive rate by more than ({SLACK_TEXT}) is "
                f"`{best.label}` (mean balanced accuracy over the buckets "
                f"{pct(cur.result.mean_balanced())}% → {pct(best.result.mean_balanced())}%: "
                f"{moves(best)}); the best joint setting under the same limits, `{joint.label}`, "
                f"gives {pct(joint.result.mean_balanced())}% ({moves(joint)})."
            )
        else:
            text.append(
                f"Thresholds (`{system}`): no single change in the sweep gains 0.1 point of mean "
                f"balanced accuracy without raising an English false-positive rate by more than "
                f"({SLACK_TEXT})."
            )
    return text


def report(items: Sequence[Item], runs: dict[str, Run], data: Path, limit: int | None,
           wall: tuple[float, float], sweeps: dict[str, list[Setting]],
           replay_ok: dict[str, int]) -> str:
    n = len(items)
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    out = [
        "# Language-ID benchmark: drift's identifiers and span judge",
        "",
        f"- date: {datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- machine: {platform.machine()}, {cores} cores ({usable} usable), "
        f"Python {platform.python_version()}",
        f"- langdetect {metadata.version('langdetect')} (seed 0), lingua "
        f"{metadata.version('lingua-language-detector')} (high accuracy, "
        f"{len(detect.LANGUAGES)} languages: {' '.join(detect.LANGUAGES)}; Cyrillic text: "
        f"{' '.join(detect.SCRIPT_CANDIDATES['CYRILLIC'])})",
        f"- drift thresholds: MIN_CONFIDENCE={detect.MIN_CONFIDENCE}, "
        f"MIN_LETTERS={detect.MIN_LETTERS}, MIN_ENGLISH_SHARE={detect.MIN_ENGLISH_SHARE}",
        f"- data: `{data}`, {n:,} lines"
        + (f" (first {limit} per file)" if limit else "")
        + f"; systems {wall[0]:.0f} s, threshold sweep {wall[1]:.0f} s",
        "- all figures are percentages unless marked; each system ran in a fresh process",
        "",
        "## Data: mean characters per line",
        "",
    ]
    chars: dict[tuple[str, str], list[int]] = {}
    letters20: dict[str, list[int]] = {b: [0, 0] for b in BUCKETS}
    for it in items:
        chars.setdefault((it.lang, it.bucket), []).append(len(it.text))
        letters20[it.bucket][0] += sum(c.isalpha() for c in it.text) >= detect.MIN_LETTERS
        letters20[it.bucket][1] += 1
    rows = [[lang, *(f"{sum(v) / len(v):.1f}" if (v := chars.get((lang, b))) else "—"
                     for b in BUCKETS)] for lang in LANGS]
    allc = {b: [len(it.text) for it in items if it.bucket == b] for b in BUCKETS}
    rows.append(["**all**", *(f"{sum(v) / max(len(v), 1):.1f}" for v in allc.values())])
    rows.append([f"lines with ≥ {detect.MIN_LETTERS} letters (%)",
                 *(pct(rate(*letters20[b])) for b in BUCKETS)])
    out += table(["language", *BUCKETS], rows)
    accented = {lang: rate(sum(any(ord(c) > 127 and c.isalpha() for c in it.text) for it in items
                               if it.lang == lang and it.bucket == "sentences"),
                           sum(it.lang == lang and it.bucket == "sentences" for it in items))
                for lang in ("es", "fr", "pt")}
    out += ["Sentences with a non-ASCII letter: "
            + ", ".join(f"{lang} {pct(v)}%" for lang, v in accented.items())
            + " (the data README: the Spanish files lost their accented letters upstream).", ""]

    out += ["## Cost", ""]
    rows = []
    for s, r in runs.items():
        per = [f"{1000 * r.seconds_per_bucket[b] / max(sum(it.bucket == b for it in items), 1):.3f}"
               for b in BUCKETS]
        rows.append([f"`{s}`", f"{1000 * r.seconds / n:.3f}", *per, f"{r.warm_up_s:.2f}",
                     f"{r.rss_delta_mib:.0f}", f"{r.rss_base_mib:.0f}"])
    out += table(["system", "ms/string", *(f"ms, {b}" for b in BUCKETS), "warm-up s",
                  "peak RSS Δ MiB", "base RSS MiB"], rows)

    for s, what in (("langdetect", "langdetect alone: seeded, every line, no length cut"),
                    ("lingua", "lingua alone, restricted as drift restricts it")):
        out += [f"## `{s}`: top-label accuracy ({what})", ""]
        out += grid_table(top_accuracy(items, runs[s].outputs))
    for s in ("drift", "drift-langdetect"):
        out += [f"## `{s}` span judge: label right, over all lines", "",
                "judge() as `detect_passages` calls it (English veto, letter floor, script "
                "table); a line without a verdict counts as wrong.", ""]
        out += grid_table(top_accuracy(items, runs[s].outputs))

    conf = detect.MIN_CONFIDENCE
    for s in ("drift", "drift-langdetect"):
        outs = runs[s].outputs
        bi = binary(items, outs, conf)
        out += [f"## `{s}`: English vs not-English (judge() + confidence ≥ {conf})", "",
                "Flag rate: on `en` the false-positive rate, elsewhere recall.", ""]
        out += grid_table(flag_rate(items, outs, conf), "flagged")
        out += table(["summary", *BUCKETS], [
            ["English FPR", *(pct(bi.fpr[k]) for k in BUCKETS)],
            ["non-English recall", *(pct(bi.recall[k]) for k in BUCKETS)],
            ["es/fr/pt recall", *(pct(bi.recall_romance[k]) for k in BUCKETS)],
            ["balanced accuracy", *(pct(bi.balanced(k)) for k in BUCKETS)],
        ])
        out += [f"### `{s}`: language label right, among flagged non-English lines", ""]
        out += grid_table(flagged_label_accuracy(items, outs, conf), en_row=False)
        out += [f"### `{s}`: lines with a verdict (decided)", ""]
        out += grid_table(decided(items, outs), "decided")
        out += [f"### `{s}`: language label right, among decided lines", ""]
        out += grid_table(decided_accuracy(items, outs))

    out += ["## Threshold sensitivity (one at a time, others at current values)", "",
            "The last row of each table is the best combination of "
            + "; ".join(f"{k} in {{{', '.join(f'{v:g}' for v in vs)}, current}}"
                        for k, vs in JOINT.items())
            + " by mean balanced accuracy over the three buckets, among combinations that raise "
            f"no English false-positive rate by more than: {SLACK_TEXT}.", ""]
    for s, settings in sweeps.items():
        out += [f"`{s}`: judge() replayed on the recorded identifier outputs; at the current "
                f"thresholds the replay matches the measured run (same language, confidence within "
                f"1e-9) on {replay_ok[s]:,}/{n:,} lines.",
                ""]
        rows = []
        for st in settings:
            res = st.result
            label = f"**{st.label}** (current)" if st.current else st.label
            if st.family == "joint":
                label = f"best joint: {label}"
            rows.append([label,
                         pct(res.fpr["sentences"]), pct(res.recall["sentences"]),
                         pct(res.recall_romance["sentences"]), pct(res.label_acc["sentences"]),
                         pct(res.fpr["word pairs"]), pct(res.recall["word pairs"]),
                         pct(res.fpr["single words"]), pct(res.recall["single words"])])
        out += table(["setting", "FPR sent.", "recall sent.", "es/fr/pt sent.", "label acc. sent.",
                      "FPR pairs", "recall pairs", "FPR words", "recall words"], rows)

    bins = {s: binary(items, runs[s].outputs, conf) for s in ("drift", "drift-langdetect")}
    out += ["## Verdict", "", " ".join(verdict_text(items, runs, bins, sweeps)), ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"lingua test data folder (default: {DEFAULT_DATA})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"Markdown report to write (default: {DEFAULT_OUT})")
    parser.add_argument("--limit", type=int, default=None,
                        help="use only the first N lines of each file (default: all)")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    if not args.data.is_dir():
        print(f"bench-langid: no lingua test data at {args.data}; nothing to measure "
              f"(pass --data DIR).")
        return 0
    if START_METHOD == "forkserver":
        forkserver.ensure_running()  # while this process is still small (see run_isolated)
    try:
        items = load(args.data, args.limit)
    except FileNotFoundError as exc:
        print(f"bench-langid: {exc}", file=sys.stderr)
        return 2

    start = time.perf_counter()
    runs: dict[str, Run] = {}
    for system in SYSTEMS:
        print(f"bench-langid: running {system} on {len(items):,} lines ...", file=sys.stderr)
        runs[system] = run_isolated(system, items)

    sweeps: dict[str, list[Setting]] = {}
    replay_ok: dict[str, int] = {}
    for system, (alone, floor) in REPLAY_OF.items():
        recorded = runs[alone].outputs
        replayed = replay(items, recorded, floor)
        replay_ok[system] = sum(same(a, b) for a, b in zip(replayed, runs[system].outputs,
                                                            strict=True))
        if replay_ok[system] != len(items):
            print(f"bench-langid: warning: the replay of {system} differs from its run on "
                  f"{len(items) - replay_ok[system]:,} lines (drift.detect changed during the "
                  f"run?); the threshold sweep may not match the tables.", file=sys.stderr)
    sweep_start = time.perf_counter()
    for system, (alone, floor) in REPLAY_OF.items():
        sweeps[system] = sweep(items, runs[alone].outputs, floor)
    wall = (sweep_start - start, time.perf_counter() - sweep_start)

    text = report(items, runs, args.data, args.limit, wall, sweeps, replay_ok)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"bench-langid: report written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
