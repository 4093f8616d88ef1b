"""Performance machinery that must not change results: the parse cache and consensus blocking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drift import core
from drift.align import Index, SetIndex
from drift.cache import ParseCache, parse_docs
from drift.claims import Claim, extract, load_parser, units

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "harbour-strike"
ARTICLES = sorted(p for p in EXAMPLES.glob("*.md") if p.name != "reference.md")


def _units(paths: list[Path]) -> tuple[core.Prepared, list[Any]]:
    prepared = core.prepare(paths, translator="identity", use_cache=False)
    all_units = [u for a in prepared.articles
                 for u in units(a, prepared.segmentations[a.id], prepared.passages[a.id])]
    return prepared, all_units


def test_parse_cache_round_trip_gives_identical_claims(tmp_path: Path) -> None:
    _, all_units = _units(ARTICLES)
    plain = extract(all_units, parse_cache=False)
    cache = ParseCache(tmp_path / "parses.sqlite")
    first = extract(all_units, parse_cache=cache)
    assert cache.misses > 0 and cache.hits == 0
    misses = cache.misses
    second = extract(all_units, parse_cache=cache)
    # Every unit is parsed, and each distinct translated quote on its own too.
    quotes = {t for u in all_units for _, t in u.quotes if t}
    assert cache.misses == misses and cache.hits == len(all_units) + len(quotes)
    assert first == plain and second == plain
    cache.close()


def test_parse_cache_hits_across_instances(tmp_path: Path) -> None:
    nlp = load_parser()
    texts = ["The union said 1,400 workers will strike.", "The port is closed.",
             "The port is closed."]
    with ParseCache(tmp_path / "p.sqlite") as a:
        docs = a.parse(nlp, texts)
        assert a.misses == 2  # the repeated text is parsed once
    with ParseCache(tmp_path / "p.sqlite") as b:
        again = b.parse(nlp, texts)
        assert b.hits == 3 and b.misses == 0
    assert [d.to_json() for d in docs] == [d.to_json() for d in again]
    assert [d.to_json() for d in parse_docs(nlp, texts, parse_cache=False)] == \
        [d.to_json() for d in docs]


def test_parse_cache_env_override_and_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from drift.cache import default_parse_cache_path

    monkeypatch.setenv("DRIFT_PARSE_CACHE", str(tmp_path / "x.sqlite"))
    assert default_parse_cache_path() == tmp_path / "x.sqlite"
    monkeypatch.setenv("DRIFT_PARSE_CACHE", "off")
    assert default_parse_cache_path() is None
    monkeypatch.delenv("DRIFT_PARSE_CACHE")
    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path / "c"))
    assert default_parse_cache_path() == tmp_path / "c" / "parses.sqlite"


def test_report_bytes_same_with_and_without_cache(tmp_path: Path) -> None:
    ref = EXAMPLES / "reference.md"
    kwargs: dict[str, Any] = {"reference": ref, "translator": "identity"}
    plain = core.audit(ARTICLES, use_cache=False, **kwargs).to_json()
    cached = core.audit(ARTICLES, cache_path=tmp_path / "t.sqlite", **kwargs).to_json()
    again = core.audit(ARTICLES, cache_path=tmp_path / "t.sqlite", **kwargs).to_json()
    assert (tmp_path / "parses.sqlite").is_file()
    assert plain == cached == again


def _exhaustive_consensus(prepared: core.Prepared,
                          by_article: dict[str, list[Claim]]) -> dict[str, list[Any]]:
    """The consensus alignment as it was before blocking: every article's own index."""
    from drift.compare import PAIR_COMPARATORS, Context, consensus_actors, idf_table, self_quoting

    indexes = {a.id: Index(by_article[a.id]) for a in prepared.articles}
    idf = idf_table([c for cs in by_article.values() for c in cs])
    out: dict[str, list[Any]] = {}
    for art in prepared.articles:
        others = [b for b in prepared.articles if b.id != art.id]
        for d in by_article[art.id]:
            cands = list(self_quoting(d))
            if not d.is_headline:
                cands.extend(consensus_actors(d, [by_article[b.id] for b in others]))
                votes: dict[str, list[Any]] = {}
                aligned = 0
                for b in others:
                    al = indexes[b.id].best(d)
                    if al is None:
                        continue
                    aligned += 1
                    ctx = Context(by_article[b.id], by_article[art.id], b.outlet, idf)
                    for comp in PAIR_COMPARATORS:
                        for cand in comp(d, al.other, ctx):
                            votes.setdefault(cand.type, []).append(cand)
                            break
                for vs in votes.values():
                    if aligned and len(vs) * 2 > aligned:
                        cands.append(vs[0])
            if cands:
                out[d.id] = cands
    return out


def test_consensus_blocking_matches_exhaustive_search() -> None:
    # Our own words: the example story's articles and its reference, all as peers.
    prepared, all_units = _units([*ARTICLES, EXAMPLES / "reference.md"])
    claims = extract(all_units, parse_cache=False)
    by_article: dict[str, list[Claim]] = {a.id: [] for a in prepared.articles}
    for c in claims:
        by_article[c.article].append(c)
    fast = core._consensus_candidates(prepared, by_article)
    slow = _exhaustive_consensus(prepared, by_article)

    def key(cands: dict[str, list[Any]]) -> dict[str, list[tuple[Any, ...]]]:
        return {k: [(c.type, c.expected, c.found, c.explanation) for c in v]
                for k, v in cands.items()}

    assert key(fast) == key(slow)
    assert fast  # the example story has drifts to find


def test_set_index_best_per_article_equals_per_article_best() -> None:
    prepared, all_units = _units(ARTICLES)
    claims = extract(all_units, parse_cache=False)
    index = SetIndex(claims)
    for d in claims:
        got = index.best_per_article(d)
        for art in prepared.articles:
            if art.id == d.article:
                continue
            want = Index([c for c in claims if c.article == art.id]).best(d)
            assert (got.get(art.id) is None) == (want is None)
            if want is not None:
                assert got[art.id].other == want.other and got[art.id].score == want.score


def test_set_index_peers_bound_the_articles_scored() -> None:
    _, all_units = _units(ARTICLES)
    claims = extract(all_units, parse_cache=False)
    index = SetIndex(claims)
    for d in claims:
        every = index.best_per_article(d)
        two = index.best_per_article(d, peers=2)
        assert len(two) <= 2 and set(two) <= set(every)
        for art, al in two.items():
            assert al == every[art]  # the same choice within the articles kept


def test_result_cache_serves_unchanged_audits_and_misses_on_change(tmp_path: Path) -> None:
    """Re-running an unchanged audit is a cache lookup with the same report bytes; editing one
    article (or changing an option) audits again."""
    from drift.cache import ResultCache
    from drift.core import _result_key, audit
    from drift.ingest import read_paths

    story = tmp_path / "story"
    story.mkdir()
    (story / "ref.md").write_text(
        "---\nreference: true\n---\nThe council said 40 buses would run on Sunday.\n",
        encoding="utf-8",
    )
    (story / "copy.md").write_text("The council said 14 buses would run on Sunday.\n",
                                   encoding="utf-8")
    cache = tmp_path / "cache" / "translations.sqlite"
    first = audit([story], translator="identity", cache_path=cache)
    second = audit([story], translator="identity", cache_path=cache)
    assert first.to_json() == second.to_json()
    results = ResultCache(cache.parent / "results.sqlite")
    key = _result_key(read_paths([story]), "identity", "low", None, "auto")
    assert results.get(key) is not None
    assert _result_key(read_paths([story]), "identity", "medium", None, "auto") != key
    (story / "copy.md").write_text("The council said 40 buses would run on Sunday.\n",
                                   encoding="utf-8")
    assert _result_key(read_paths([story]), "identity", "low", None, "auto") != key
    third = audit([story], translator="identity", cache_path=cache)
    assert [f.type for f in first.findings] == ["number_change"]
    assert third.findings == ()


def test_source_digest_follows_contents_not_mtimes(tmp_path: Path) -> None:
    import os

    from drift.cache import source_digest

    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "a.py").write_text("A = 1\n", encoding="utf-8")
    (pkg / "sub" / "b.py").write_text("B = 2\n", encoding="utf-8")
    (pkg / "notes.txt").write_text("not code\n", encoding="utf-8")
    first = source_digest(pkg)
    assert source_digest() == source_digest()  # drift's own: computed once per process
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "sub").mkdir()
    for rel in ("a.py", "sub/b.py"):
        (copy / rel).write_bytes((pkg / rel).read_bytes())
        os.utime(copy / rel, (1, 1))  # other mtimes, same contents: same digest
    assert source_digest(copy) == first
    (copy / "a.py").write_text("A = 3\n", encoding="utf-8")
    assert source_digest(copy) == first  # memoised: computed once per process and folder
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.py").write_text("A = 3\n", encoding="utf-8")
    assert source_digest(other) != first


def test_models_signature_is_what_the_translators_use(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    """The models listing of the result-cache key: independent of the working directory and of
    files the translators never read; changed by a new conversion or new weights."""
    import os

    from drift.cache import environment_signature, models_signature

    root = tmp_path / "models"
    model = root / "opus-mt-es-en"
    model.mkdir(parents=True)
    (model / "config.json").write_text('{"d_model": 8}', encoding="utf-8")
    (model / "model.safetensors").write_bytes(b"weights")
    (root / "README.md").write_text("notes\n", encoding="utf-8")
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(root))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    sig = environment_signature()
    assert models_signature() == models_signature(root)
    for cwd in (tmp_path, model):
        monkeypatch.chdir(cwd)
        assert environment_signature() == sig
    os.utime(root / "README.md", (5, 5))
    (root / "opus-mt-fr-en-ct2.partial").mkdir()  # a conversion being written
    assert environment_signature() == sig
    ct2 = root / "opus-mt-es-en-ct2"
    ct2.mkdir()
    (ct2 / "model.bin").write_bytes(b"int8")
    (ct2 / "source.spm").write_bytes(b"spm")
    converted = environment_signature()
    assert converted != sig
    (model / "model.safetensors").write_bytes(b"other weights")
    assert environment_signature() not in (sig, converted)
    monkeypatch.setenv("DRIFT_BEAM", "4")  # decoding settings change translations
    assert environment_signature() != converted


def test_unchanged_rerun_hits_the_result_cache_in_another_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The same audit from two working directories is one result-cache entry (no spurious
    misses), and the rerun does not parse again."""
    from drift.cache import ResultCache

    monkeypatch.setenv("DRIFT_MODELS_DIR", str(tmp_path / "models"))
    cache = tmp_path / "cache" / "translations.sqlite"
    ref = EXAMPLES / "reference.md"
    kwargs: dict[str, Any] = {"reference": ref, "translator": "identity", "cache_path": cache}
    paths = [p.resolve() for p in ARTICLES]
    first = core.audit(paths, **kwargs)
    monkeypatch.chdir(tmp_path)
    calls: list[int] = []
    real = core._audit_uncached

    def counted(*args: Any, **kw: Any) -> Any:
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(core, "_audit_uncached", counted)
    again = core.audit(paths, **kwargs)
    assert calls == [] and again.to_json() == first.to_json()
    results = ResultCache(cache.parent / "results.sqlite")
    import sqlite3

    with sqlite3.connect(results.path) as conn:  # type: ignore[arg-type]
        assert conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 1
