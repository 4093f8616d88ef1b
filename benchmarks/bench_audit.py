"""How the audit scales: 10 to 1,000 articles of one story, with and without its reference.

usage: python benchmarks/bench_audit.py [--sizes 10 100 300 1000] [--consensus 10 30 100 300]
                                        [--check 50] [--budget SECONDS] [--json out.json]

The articles are generated from the project's own example story (examples/harbour-strike/):
each starts from one of its articles (or the reference) and gets seeded, realistic edits, so
that most sentences of a large set are distinct (the fraction is reported): synonyms from a
small table, name forms ("Marta Iriarte" / "Ms Iriarte" / "Iriarte"), number and date forms
("1,400" / "1400", "about" / "some"; "Monday, March 9" / "March 9"), attribution verbs;
sentences shuffled (not the lead), dropped, and added from templates with their own figures;
and drift edits (a figure changed, a hedge dropped, a claim attributed to someone else).

Timing is of the audit only, in one warm process (imports and spaCy loaded once, by audits of
another 20-article set in both modes, before anything is timed), each size with a fresh cache
folder (translation, parse and result caches empty), translator "identity" (translation
excluded); sizes in increasing order, so the process's peak RSS after a size is the peak up to
that size. The small sizes are run several times (median). The growth exponent is the
least-squares slope of log(time) over log(n), over all sizes, and between 100 and 1,000
articles.

Re-runs: (a) the largest set audited again, unchanged, with the caches of its (cold) timed run,
in the same process; (b) ``drift check`` on a local-folder source in a temp dir, fresh
processes (start-up included), second run vs first; (c) one article added: the audit of the
300-article set again, and a third ``drift check``, each against its first run.

Consensus mode (no reference) is timed last, at 10, 30, 100 and 300 articles; a size beyond the
first three is skipped, and reported as such, when its projected time would overrun
``--budget``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mib

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "harbour-strike"
SEED = 20260302
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“])")

# Phrase -> the forms a re-write may use instead (faithful paraphrase). Longest phrases first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "dock workers": ("dockers", "port workers", "harbour workers", "stevedores", "dock staff"),
    "dockers": ("dock workers", "port workers", "stevedores", "longshoremen"),
    "night-shift pay": ("pay for night shifts", "night-shift wages", "overnight pay",
                        "night-work pay"),
    "night-shift bonus": ("night-shift premium", "bonus for night shifts", "night allowance"),
    "container ships": ("container vessels", "cargo ships", "freighters", "box ships"),
    "perishable cargo": ("perishable goods", "fresh produce", "perishable freight",
                         "perishables"),
    "perishable goods": ("perishable cargo", "fresh produce", "perishables"),
    "broke down": ("collapsed", "failed", "stalled", "fell apart"),
    "collapsed": ("broke down", "failed", "stalled"),
    "called off": ("cancelled", "dropped", "abandoned", "scrapped"),
    "cancelled": ("called off", "dropped", "scrapped"),
    "stop work": ("walk out", "down tools", "strike", "halt work"),
    "strike": ("walkout", "stoppage", "industrial action"),
    "walkout": ("strike", "stoppage", "industrial action"),
    "stoppage": ("strike", "walkout", "shutdown"),
    "talks": ("negotiations", "discussions", "wage talks"),
    "negotiations": ("talks", "discussions"),
    "diverted": ("rerouted", "redirected", "sent"),
    "neighbouring": ("nearby", "neighboring", "adjacent"),
    "nearby": ("neighbouring", "nearby", "close-by"),
    "offered": ("proposed", "put forward", "tabled"),
    "rise": ("increase", "raise", "hike"),
    "increase": ("rise", "raise"),
    "restored": ("reinstated", "brought back", "returned"),
    "urged": ("called on", "pressed", "asked"),
    "resume talks": ("return to negotiations", "go back to the table", "restart talks"),
    "return to talks": ("resume negotiations", "go back to the table", "restart talks"),
    "basic pay": ("base pay", "basic wages", "base salaries"),
    "reporters": ("journalists", "the press", "a news conference"),
    "port operator": ("terminal operator", "operator", "port company"),
    "announced": ("said", "confirmed", "declared"),
    "defiant": ("unyielding", "firm", "combative"),
    "About": ("Around", "Some", "Roughly", "Nearly"),
    "about": ("around", "some", "roughly", "nearly"),
    "Some": ("About", "Around", "Roughly"),
    "roughly": ("about", "around", "some"),
    "Around": ("About", "Some", "Roughly"),
}
NAMES: dict[str, tuple[str, ...]] = {
    "Marta Iriarte": ("Marta Iriarte", "Ms Iriarte", "Iriarte", "Marta Iriarte Gil"),
    "Jorge Salcedo": ("Jorge Salcedo", "Mr Salcedo", "Salcedo", "Jorge A. Salcedo"),
    "Unidad Portuaria": ("Unidad Portuaria", "the Unidad Portuaria union", "UP",
                         "Unidad Portuaria (UP)"),
    "Velmar Terminals": ("Velmar Terminals", "Velmar Terminals Ltd", "VT", "Velmar Terminals SA"),
    "Castrelo": ("Castrelo", "Castrelo port", "the port of Castrelo"),
}
DATES: dict[str, tuple[str, ...]] = {
    "Monday, March 9": ("Monday, March 9", "March 9", "Monday 9 March", "Monday (March 9)",
                        "next Monday"),
    "on Friday": ("on Friday", "late on Friday", "on Friday evening", "in a statement on Friday",
                  ""),
    "in January": ("in January", "at the start of the year", "earlier this year",
                   "in early January"),
    "48 hours": ("48 hours", "two days", "two full days"),
    "48-hour": ("48-hour", "two-day", "two-day-long"),
}
NUMBER_FORMS: dict[str, tuple[str, ...]] = {
    "1,400": ("1,400", "1400"),
    "60": ("60", "sixty"),
    "3%": ("3%", "3 percent", "three percent", "3 per cent"),
}
# Drift edits: (what, replacement), each applied with a small probability.
DRIFTS: tuple[tuple[str, str], ...] = (
    ("1,400", "4,100"), ("1,400", "14,000"), ("60", "160"), ("60", "16"), ("3%", "13%"),
    ("3%", "30%"), ("48 hours", "a week"), ("could delay", "will delay"), ("about ", ""),
    ("roughly ", ""), ("would be called off", "would go ahead"), ("the union said",
                                                                   "the government said"),
    ("March 9", "March 19"), ("the company cut", "the government cut"), ("offered", "refused"),
)
ADDED = (
    "The port handled {a}.{b} million tonnes of cargo last year, according to {src}.",
    "The last strike at Port Velmar, in {year}, lasted {k} days.",
    "Shipping agents said {n} vessels were already waiting offshore on {day}.",
    "Retailers in {region} warned of shortages of fresh {produce} within {k} days.",
    "Unidad Portuaria represents about {n}0 workers across {k} ports in the region.",
    "{Outlet} could not reach Velmar Terminals for comment on {day}.",
    "Freight rates on the {region} route rose {k}% this week, brokers said.",
    "The harbour master said {n} berths would stay open for emergency cargo.",
    "A ferry service to {region} will run as normal, the operator said on {day}.",
    "Talks are due to resume on {day} at the offices of the {body}.",
)
FILL = {
    "src": ("the port authority", "port statistics", "the ministry", "Velmar Terminals"),
    "region": ("the north coast", "Castrelo", "the islands", "the capital", "the south"),
    "produce": ("fish", "fruit", "vegetables", "flowers", "dairy"),
    "day": ("Tuesday", "Wednesday", "Thursday", "Saturday", "Sunday"),
    "body": ("mediation service", "labour ministry", "port authority", "regional council"),
}
OPENERS = ("Meanwhile, ", "Separately, ", "In addition, ", "At the same time, ", "Also, ")
HEADLINES = (
    "Port Velmar dockers to strike from {date}", "Velmar dock strike set for {date}",
    "{n} dockers at Port Velmar plan {dur} walkout", "Port Velmar braces for {dur} strike",
    "Velmar port workers walk out over night-shift pay", "Strike threatens {ships} ships at Velmar",
)


def _split_front(text: str) -> tuple[dict[str, str], str]:
    m = FRONT.match(text)
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).splitlines():
        k, _, v = line.partition(":")
        meta[k.strip()] = v.strip()
    return meta, text[m.end():]


def _sub_table(text: str, table: dict[str, tuple[str, ...]], p: float,
               rng: random.Random) -> str:
    """Each occurrence of a table phrase replaced, with probability ``p``, by one of its forms."""
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile("|".join(rf"\b{re.escape(k)}(?![\w-])" for k in keys))

    def repl(m: re.Match[str]) -> str:
        return rng.choice(table[m.group(0)]) if rng.random() < p else m.group(0)

    return pattern.sub(repl, text)


def _added(rng: random.Random, outlet: str) -> str:
    template = rng.choice(ADDED)
    values = {k: rng.choice(v) for k, v in FILL.items()}
    return template.format(a=rng.randint(1, 9), b=rng.randint(0, 9), year=rng.randint(1998, 2024),
                           k=rng.randint(2, 14), n=rng.randint(3, 99), Outlet=outlet,
                           **values)


def _tidy(sentence: str) -> str:
    sentence = re.sub(r"\s+([,.])", r"\1", re.sub(r"  +", " ", sentence)).strip()
    return sentence[:1].upper() + sentence[1:] if sentence else sentence


def edit(body: str, rng: random.Random, outlet: str) -> str:
    """A paraphrased, possibly drifted re-write of ``body`` (deterministic for ``rng``)."""
    paras = [p for p in body.strip().split("\n\n") if p.strip() and not p.startswith(("Read", "-"))]
    out: list[str] = []
    for k, para in enumerate(paras):
        sents = SENT.split(para.strip())
        if k > 0:
            sents = [s for s in sents if len(sents) == 1 or rng.random() > 0.15]  # dropped
            if len(sents) > 1 and rng.random() < 0.35:
                rng.shuffle(sents)
            if rng.random() < 0.45:
                sents.insert(rng.randint(0, len(sents)), _added(rng, outlet))
        new = []
        for s in sents:
            s = _sub_table(s, SYNONYMS, 0.6, rng)
            s = _sub_table(s, NAMES, 0.6, rng)
            s = _sub_table(s, DATES, 0.5, rng)
            for a, b in DRIFTS:
                if a in s and rng.random() < 0.04:
                    s = s.replace(a, b, 1)
            s = _sub_table(s, NUMBER_FORMS, 0.4, rng)
            if rng.random() < 0.35:
                s = re.sub(r"\bsaid\b", rng.choice(("stated", "told reporters", "confirmed",
                                                    "said in a statement", "has said")), s,
                           count=1)
            if k > 0 and rng.random() < 0.15 and not s.startswith(("\"", "“")):
                s = rng.choice(OPENERS) + s[:1].lower() + s[1:] if not re.match(
                    r"[A-Z][a-z]+ [A-Z]", s) else rng.choice(OPENERS) + s
            new.append(_tidy(s))
        out.append(" ".join(new))
    if len(out) > 3 and rng.random() < 0.25:
        rest = out[1:]
        rng.shuffle(rest)
        out = [out[0], *rest]
    if rng.random() < 0.3:
        out.append(_added(rng, outlet))
    return "\n\n".join(out) + "\n"


def _bases() -> list[tuple[dict[str, str], str]]:
    return [_split_front(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.md"))]


def write_article(folder: Path, i: int, seed: int = SEED) -> Path:
    """Generated article number ``i`` (deterministic for ``seed``) written into ``folder``."""
    rng = random.Random(seed * 1_000_003 + i)
    bases = _bases()
    _meta, body = bases[rng.randrange(len(bases))]
    outlet = f"Outlet {i} (generated)"
    title = rng.choice(HEADLINES).format(
        date=rng.choice(DATES["Monday, March 9"]), n=rng.choice(("1,400", "Some 1,400", "1400")),
        dur=rng.choice(("48-hour", "two-day")), ships=rng.choice(("60", "dozens of")))
    head = (f"---\nid: gen-{i:05d}\ntitle: {title}\noutlet: {outlet}\nlanguage: en\n---\n")
    path = folder / f"gen-{i:05d}.md"
    path.write_text(head + edit(body, rng, outlet), encoding="utf-8")
    return path


def make_set(n: int, folder: Path, seed: int = SEED) -> Path:
    """Write ``n`` generated articles into ``folder``/articles and the story's reference into
    ``folder``; return the reference's path."""
    articles = folder / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    reference = folder / "reference.md"
    shutil.copyfile(EXAMPLES / "reference.md", reference)
    for i in range(n):
        write_article(articles, i, seed)
    return reference


def distinct_fraction(folder: Path) -> tuple[int, int]:
    """(distinct sentences, sentences) of the articles in ``folder`` (drift's segmenter)."""
    from drift.segment import segment

    seen: set[str] = set()
    total = 0
    for path in sorted(folder.glob("*.md")):
        body = _split_front(path.read_text(encoding="utf-8"))[1]
        for s in segment(body).sentences:
            total += 1
            seen.add(s.span.text)
    return len(seen), total


def growth_exponent(rows: list[dict[str, Any]]) -> float:
    """Least-squares slope of log(seconds) over log(n)."""
    xs = [math.log(r["n"]) for r in rows]
    ys = [math.log(r["seconds"]) for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def slope(rows: list[dict[str, Any]], lo: int, hi: int) -> float | None:
    by_n = {r["n"]: r["seconds"] for r in rows}
    if lo not in by_n or hi not in by_n:
        return None
    return math.log(by_n[hi] / by_n[lo]) / math.log(hi / lo)


ADDED_MAX = 300  # the "one article added" re-run uses the largest set up to this size


def _repeats(n: int, reference: bool = True) -> int:
    """Timed runs per size: small sizes several times (their median), large ones once."""
    return 3 if n <= 30 else 2 if n <= 100 and reference else 1


def _audit(articles: Path, reference: Path | None, cache_dir: Path) -> tuple[float, Any]:
    from drift.core import audit

    t0 = time.perf_counter()
    report = audit([articles], reference=reference, translator="identity",
                   cache_path=cache_dir / "translations.sqlite")
    return time.perf_counter() - t0, report


def _check(home: Path, env: dict[str, str]) -> float:
    exe = Path(sys.executable).parent / "drift"
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-m", "drift"]
    t0 = time.perf_counter()
    done = subprocess.run([*cmd, "check", "--config", str(home / "drift.toml")], cwd=home,
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode not in (0, 3):
        raise RuntimeError(f"drift check failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def _warm_check(home: Path, n: int) -> dict[str, Any]:
    """First pass, unchanged pass and one-article-added pass of ``drift check`` in this process
    (``drift.watch.run_check``), caches under ``home``."""
    from drift.config import load_config
    from drift.watch import run_check

    make_set(n, home / "set")
    (home / "drift.toml").write_text(CHECK_TOML, encoding="utf-8")
    saved = dict(os.environ)
    os.environ.update({"XDG_CACHE_HOME": str(home / "xdg-cache"),
                       "DRIFT_MODELS_DIR": str(home / "models")})
    cwd = Path.cwd()
    try:
        os.chdir(home)
        config = load_config(home / "drift.toml")
        times = []
        for step in ("first", "unchanged", "added"):
            if step == "added":
                write_article(home / "set" / "articles", n)
            t0 = time.perf_counter()
            run_check(config, notifiers={})
            times.append(time.perf_counter() - t0)
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(saved)
    return {"n": n, "first_s": times[0], "rerun_s": times[1], "ratio": times[1] / times[0],
            "added_s": times[2], "added_ratio": times[2] / times[0]}


CHECK_TOML = """[defaults]
store = "drift.sqlite"
reports = "reports"
translator = "identity"

[[source]]
name = "generated"
path = "set/articles"

[[story]]
name = "harbour-strike"
sources = ["generated"]
reference = "set/reference.md"

[story.match]
keywords = ["Velmar"]
"""


def child(sizes: list[int], consensus: list[int], check_n: int,
          budget_s: float | None = None) -> dict[str, Any]:
    """The whole audit benchmark in one warm process (see the module docstring). The reference
    sizes, re-runs and check always run; a consensus size is skipped when
    its projected time would overrun ``budget_s`` (counted from the start): those beyond the
    first three."""
    start = time.perf_counter()
    result: dict[str, Any] = {"skipped": []}
    with tempfile.TemporaryDirectory(prefix="drift-bench-") as tmp:
        base = Path(tmp)
        # Imports, spaCy and anything else loaded lazily, in both modes, on another set.
        wref = make_set(20, base / "warm", seed=SEED + 1)
        _audit(base / "warm" / "articles", wref, base / "warm-cache")
        _audit(base / "warm" / "articles", None, base / "warm-cache-consensus")
        result["warmup_s"] = time.perf_counter() - start
        biggest = max(sizes)
        sets: dict[int, Path] = {}

        def the_set(n: int) -> Path:
            if n not in sets:
                sets[n] = base / f"set-{n}"
                make_set(n, sets[n])
            return sets[n]

        distinct, total = distinct_fraction(the_set(biggest) / "articles")
        result["sentences"] = {"n": biggest, "distinct": distinct, "total": total}

        def timed(n: int, reference: bool, tag: str) -> dict[str, Any]:
            times, report = [], None
            folder = the_set(n)
            for k in range(_repeats(n, reference)):
                cache = base / f"cache-{tag}-{n}-{k}"
                ref = folder / "reference.md" if reference else None
                seconds, report = _audit(folder / "articles", ref, cache)
                times.append(seconds)
            assert report is not None
            row = {"n": n, "seconds": statistics.median(times), "runs": len(times),
                   "findings": len(report.findings), "rss_mib": peak_rss_mib()}
            row["per_article_ms"] = 1000 * row["seconds"] / n
            row["findings_per_s"] = row["findings"] / row["seconds"]
            print(f"{tag:>9} n={n:5d}  {row['seconds']:7.2f} s  {row['per_article_ms']:6.1f} "
                  f"ms/article  {row['findings']:5d} findings  peak RSS {row['rss_mib']:.0f} "
                  f"MiB", file=sys.stderr, flush=True)
            return row

        rows = [timed(n, True, "reference") for n in sorted(sizes)]
        result["rows"] = rows
        # (a) the largest set again, unchanged, same caches (those of its last timed run).
        cache = base / f"cache-reference-{biggest}-{_repeats(biggest) - 1}"
        ref = sets[biggest] / "reference.md"
        first = rows[-1]["seconds"]
        rerun_s, again = _audit(sets[biggest] / "articles", ref, cache)
        result["rerun"] = {"n": biggest, "first_s": first, "rerun_s": rerun_s,
                           "ratio": rerun_s / first, "findings": len(again.findings)}
        # (c) one article added to a set (the largest up to ADDED_MAX articles, for time).
        m = max(n for n in sizes if n <= ADDED_MAX) if min(sizes) <= ADDED_MAX else biggest
        cache = base / f"cache-reference-{m}-{_repeats(m) - 1}"
        first_m = next(r["seconds"] for r in rows if r["n"] == m)
        write_article(sets[m] / "articles", m)
        added_s, _ = _audit(sets[m] / "articles", sets[m] / "reference.md", cache)
        result["added"] = {"n": m, "first_s": first_m, "added_s": added_s,
                           "ratio": added_s / first_m}
        # (b) a scheduled check on a local folder, in a temp dir, fresh processes.
        if check_n:
            home = base / "check"
            make_set(check_n, home / "set")
            (home / "drift.toml").write_text(CHECK_TOML, encoding="utf-8")
            env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / "xdg-cache"),
                   "DRIFT_MODELS_DIR": str(home / "models")}
            c1 = _check(home, env)
            c2 = _check(home, env)
            write_article(home / "set" / "articles", check_n)
            c3 = _check(home, env)
            result["check"] = {"n": check_n, "first_s": c1, "rerun_s": c2, "ratio": c2 / c1,
                               "added_s": c3, "added_ratio": c3 / c1}
            # The same passes in this warm process, as `drift watch` runs them (models loaded
            # once, by the audits above): what a new article costs a resident checker.
            result["check_warm"] = _warm_check(base / "check-warm", check_n)
        cons: list[dict[str, Any]] = []
        for n in sorted(consensus):
            if len(cons) >= 3 and budget_s is not None:
                a, b = cons[-2], cons[-1]
                e = max(1.0, math.log(b["seconds"] / a["seconds"]) / math.log(b["n"] / a["n"]))
                projected = b["seconds"] * (n / b["n"]) ** e * _repeats(n, False)
                if time.perf_counter() - start + projected > budget_s:
                    result["skipped"].append({"n": n, "projected_s": projected})
                    print(f"consensus n={n}: skipped (projected {projected:.0f} s, over the "
                          "budget)", file=sys.stderr, flush=True)
                    continue
            cons.append(timed(n, False, "consensus"))
        result["consensus"] = cons
    result["seconds"] = time.perf_counter() - start
    return result


def run(sizes: list[int], consensus: list[int], check_n: int = 50,
        budget_s: float | None = None) -> dict[str, Any]:
    """The benchmark in a fresh interpreter (translation never loaded there); a summary."""
    cmd = [sys.executable, __file__, "--child", "--sizes", *map(str, sizes),
           "--consensus", *map(str, consensus), "--check", str(check_n)]
    if budget_s is not None:
        cmd += ["--budget", str(budget_s)]
    done = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    res: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    rows, cons = res["rows"], res["consensus"]
    res["exponent"] = growth_exponent(rows)
    res["exponent_100_1000"] = slope(rows, 100, 1000)
    res["consensus_exponent"] = growth_exponent(cons) if len(cons) > 1 else None
    sent = res["sentences"]
    res["distinct_fraction"] = sent["distinct"] / sent["total"] if sent["total"] else 0.0
    rr, ad = res["rerun"], res["added"]
    print(f"distinct sentences at {sent['n']} articles: {sent['distinct']} of {sent['total']} "
          f"({res['distinct_fraction']:.0%})")
    e100 = res["exponent_100_1000"]
    print(f"growth exponent, reference mode: {res['exponent']:.2f} over "
          f"{', '.join(str(r['n']) for r in rows)}; 100->1000: "
          f"{'n/a' if e100 is None else f'{e100:.2f}'} (target <= 1.2)")
    if res["consensus_exponent"] is not None:
        print(f"growth exponent, consensus mode: {res['consensus_exponent']:.2f} over "
              f"{', '.join(str(r['n']) for r in cons)}"
              + "".join(f"; n={s['n']} skipped (projected {s['projected_s']:.0f} s)"
                        for s in res["skipped"]))
    print(f"re-run of an unchanged audit ({rr['n']} articles): first {rr['first_s']:.2f} s, "
          f"second {rr['rerun_s']:.3f} s, ratio {rr['ratio']:.3f}")
    print(f"one article added to the {ad['n']}-article set: {ad['added_s']:.2f} s vs first "
          f"{ad['first_s']:.2f} s, ratio {ad['ratio']:.2f}")
    if "check" in res:
        ck = res["check"]
        print(f"drift check ({ck['n']} articles, fresh processes): first {ck['first_s']:.2f} s, "
              f"unchanged re-run {ck['rerun_s']:.2f} s (ratio {ck['ratio']:.3f}); one article "
              f"added {ck['added_s']:.2f} s (ratio {ck['added_ratio']:.2f})")
    if "check_warm" in res:
        cw = res["check_warm"]
        print(f"drift check ({cw['n']} articles, passes in one warm process as drift watch runs "
              f"them): first {cw['first_s']:.2f} s, unchanged {cw['rerun_s']:.2f} s (ratio "
              f"{cw['ratio']:.3f}); one article added {cw['added_s']:.2f} s (ratio "
              f"{cw['added_ratio']:.2f})")
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 300, 1000])
    ap.add_argument("--consensus", type=int, nargs="*", default=[10, 30, 100, 300])
    ap.add_argument("--check", type=int, default=50, help="articles of the drift check run")
    ap.add_argument("--budget", type=float, default=None,
                    help="seconds; consensus sizes beyond the first three that would overrun it "
                         "are skipped")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.sizes, args.consensus, args.check, args.budget)))
        return 0
    summary = run(args.sizes, args.consensus, args.check, args.budget)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
