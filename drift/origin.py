"""Stage 9a: origin — is a drift on translated text the outlet's, or drift's own translation's?

A finding whose span holds a translated passage (or a translation shift, which compares an
article's English gloss with drift's translation of the passage it glosses) depends on that
translation. Its *changed words* are the words of the value drift read from the translation
(``found``; for a translation shift, the translation's side, ``expected``) that the other value
lacks and the translation holds. Then:

- no changed word is in the translation: the change is in the article's own English (a gloss,
  an attribution): ``article``;
- otherwise the passage is translated a second way and the changed words looked for in it: kept
  (at least half of them) means any translation says it, the change is in the foreign text:
  ``article``; lost means the change appears only in drift's translation: ``translation``, the
  confidence is multiplied by ``TRANSLATION_FACTOR`` and the explanation says why.

The second way is ``$DRIFT_SECOND_TRANSLATOR``: ``auto`` (the default) takes another installed
backend for the language (``marian-ct2``, ``marian``, ``apertium``; the two MarianMT backends
run one model and count as one), else, when the first translation is MarianMT's, the best of the
same model's ``NBEST`` best translations that is not the first; ``off`` checks nothing; a backend
name takes that backend. Second translations are cached like the first (``drift.translate.cache``,
keyed by backend, model and revision). When none can be had, the finding gets no ``origin`` and
the report one note saying so.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from drift.lineage import root as _root
from drift.lineage import tokens
from drift.records import Article, Finding, Note, Origin, Passage, Translation
from drift.translate.base import Translator

SECOND_ENV = "DRIFT_SECOND_TRANSLATOR"
# A change that appears only in drift's translation is likely a machine-translation artefact.
TRANSLATION_FACTOR = 0.5
NBEST = 4
# Backends that run the same model: one is no second opinion on the other.
FAMILY = {"marian": "opus-mt", "marian-ct2": "opus-mt"}
# Function words never count as changed words (modal verbs do: "could" against "will").
_FUNCTION = frozenset((
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "by", "with", "as",
    "from", "that", "this", "is", "are", "was", "were", "be", "been", "it", "its", "his", "her",
    "their", "s",
))
# The values a translation shift gives for certainty (drift.compare._gloss_shift).
_POSSIBLE = re.compile(
    r"\b(?:could|might|may|can|possibl\w*|likely|not (?:rule|discard|exclude)\w*|"
    r"do(?:es)? not (?:rule|discard|exclude)\w*|no descart\w*)\b", re.I)
_CERTAIN = re.compile(r"\bwill\b|\bshall\b", re.I)
_STATUS = {"a possibility": "possible", "a plain statement": "plain", "a certainty": "certain"}


def choice() -> str:
    """``$DRIFT_SECOND_TRANSLATOR``: auto, off, or a backend name."""
    return os.environ.get(SECOND_ENV, "").strip() or "auto"


def words(text: str | None) -> frozenset[str]:
    """Roots of the words of ``text`` less function words (modal verbs kept)."""
    return frozenset(_root(t.word) if not t.word[:1].isdigit() else t.word
                     for t in tokens(text or "") if t.word not in _FUNCTION)


def _label(value: str | None) -> str | None:
    return value.split(":", 1)[0].strip() if value and ":" in value else value


def _sides(f: Finding) -> tuple[str | None, str | None]:
    """(the value drift read from its translation, the other value)."""
    if f.type == "translation_shift":
        return _label(f.expected), _label(f.found)
    return f.found, f.expected


def _status(text: str) -> str:
    if _POSSIBLE.search(text):
        return "possible"
    return "certain" if _CERTAIN.search(text) else "plain"


def _normal(text: str) -> str:
    return " ".join(text.split()).strip(" ,;:.\"'“”«»").lower()


def _passages(f: Finding, mine: Sequence[Passage]) -> list[Passage]:
    """The translated passages the finding rests on."""
    done = [p for p in mine if p.translation is not None]
    if f.type == "translation_shift" and f.expected and ":" in f.expected:
        mt = _normal(f.expected.split(":", 1)[1])
        return [p for p in done if p.translation is not None and mt and (
            (t := _normal(p.translation.text)) and (t in mt or mt in t))]
    return [p for p in done if p.span.start < f.span.end and f.span.start < p.span.end]


@dataclass(frozen=True, slots=True)
class _Check:
    """What one finding needs: the passage, the changed words, and how to test a translation."""

    finding: Finding
    passage: Passage
    words: tuple[str, ...]  # roots, or a certainty status ("possible" ...) for a shift
    status: str | None = None


def _plan(f: Finding, mine: Sequence[Passage], article: Article) -> _Check | Origin | None:
    """What deciding ``f``'s origin takes: a check against a second translation, an origin
    decided now, or None (not on translated text, or nothing to look for)."""
    if f.type == "omission":
        return None  # what is missing is nobody's wording
    found = _passages(f, mine)
    if not found:
        return None
    mt_side, other = _sides(f)
    status = _STATUS.get((mt_side or "").strip())
    if f.type == "translation_shift" and status is not None:
        p = found[0]
        return _Check(f, p, (status,), status)
    changed = words(mt_side) - words(other)
    for p in found:
        mt = p.translation.text if p.translation else ""
        first = words(mt)
        hit = changed & first or (words(mt_side) & first)
        if not hit:
            continue
        if hit <= words(p.span.text):  # figures, names: the foreign words themselves
            check = _Check(f, p, tuple(sorted(hit)))
            return Origin("article", f"The foreign text itself gives {_shown(check, mt)}, which "
                          "any translation keeps.", check.words, p.span, mt)
        return _Check(f, p, tuple(sorted(hit)))
    covered = sum(min(p.span.end, f.span.end) - max(p.span.start, f.span.start) for p in found)
    own = article.text[f.span.start:f.span.end]
    if covered >= len(own.strip()) - 2:
        return None  # all of it is translation, yet the words are not there: nothing to tell
    p = found[0]
    return Origin("article", "The changed words are the article's own English, not drift's "
                  "translation of the foreign passage.", (), p.span,
                  p.translation.text if p.translation else None)


def _kept(check: _Check, second: str) -> bool:
    if check.status is not None:
        return _status(second) == check.status
    have = words(second)
    return 2 * sum(1 for w in check.words if w in have) >= len(check.words)


def _shown(check: _Check, first: str) -> str:
    """The changed words as the first translation writes them (for the explanation)."""
    if check.status is not None:
        m = _POSSIBLE.search(first) if check.status == "possible" else _CERTAIN.search(first)
        return f"'{m.group()}'" if m else {"plain": "a plain statement"}.get(
            check.status, check.status)
    seen: list[str] = []
    for t in tokens(first):
        r = _root(t.word) if not t.word[:1].isdigit() else t.word
        if r in check.words and first[t.start:t.end] not in seen:
            seen.append(first[t.start:t.end])
    return ", ".join(f"'{w}'" for w in seen) or ", ".join(f"'{w}'" for w in check.words)


# --- the second translation ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Second:
    translator: Translator
    n: int  # 1: a translation; more: the n-best list of the same model


class _NBest:
    """A backend's n-best list as a Translator (for the cache): one JSON list per text."""

    def __init__(self, inner: Translator, n: int) -> None:
        self.inner = inner
        self.n = n
        self.name = inner.name

    def unavailable(self, src: str) -> str | None:
        return self.inner.unavailable(src)

    def model_id(self, src: str) -> str | None:
        return self.inner.model_id(src)

    def revision(self, src: str) -> str:
        return f"{self.inner.revision(src)}+nbest{self.n}"

    def translate(self, texts: Sequence[str], src: str) -> list[str]:
        nbest = getattr(self.inner, "translate_nbest")  # noqa: B009 (checked by _second)
        return [json.dumps(list(h), ensure_ascii=False) for h in nbest(texts, src, self.n)]


def _installed(t: Translator, lang: str) -> bool:
    """Available for ``lang`` without downloading anything."""
    try:
        if t.unavailable(lang) is not None:
            return False
        installed = getattr(t, "installed", None)
        return bool(installed(lang)) if callable(installed) else True
    except (OSError, ValueError, RuntimeError):
        return False


def _second(first: Translation, lang: str, wanted: str,
            get: Mapping[str, Translator] | None) -> _Second | str:
    """The second way to translate ``lang`` after ``first``, or why there is none."""
    from drift.translate import AUTO_ORDER, TRANSLATORS

    instances: dict[str, Translator] = dict(get or {})

    def backend(name: str) -> Translator:
        if name not in instances:
            instances[name] = TRANSLATORS[name]()
        return instances[name]

    family = FAMILY.get(first.backend, first.backend)
    if wanted == "off":
        return f"second translations are off ({SECOND_ENV}=off)"
    if wanted != "auto":
        if wanted not in TRANSLATORS and wanted not in instances:
            return f"{SECOND_ENV}={wanted} names no translator"
        t = backend(wanted)
        if not _installed(t, lang):
            return f"{wanted} cannot translate {lang} here"
        if FAMILY.get(wanted, wanted) != family:
            return _Second(t, 1)
        if hasattr(t, "translate_nbest"):
            return _Second(t, NBEST)
        return f"{wanted} made the first translation"
    for name in AUTO_ORDER:
        if FAMILY.get(name, name) == family:
            continue
        t = backend(name)
        if _installed(t, lang):
            return _Second(t, 1)
    if family == "opus-mt" and first.backend in TRANSLATORS:
        t = backend(first.backend)
        if hasattr(t, "translate_nbest") and _installed(t, lang):
            return _Second(t, NBEST)
    return f"{first.backend} is the only translator installed for {lang}"


def _translate(second: _Second, lang: str, texts: list[str], firsts: Mapping[str, str],
               cache_path: Path | None, use_cache: bool) -> dict[str, Translation]:
    """Second translations of ``texts`` (cached), by text."""
    from drift.translate import _translate_texts
    from drift.translate.cache import TranslationCache, default_cache_path

    t: Translator = _NBest(second.translator, second.n) if second.n > 1 else second.translator
    cache = TranslationCache(cache_path or default_cache_path()) if use_cache else None
    try:
        done = _translate_texts(t, lang, texts, cache)
    finally:
        if cache is not None:
            cache.close()
    model = second.translator.model_id(lang)
    out = {}
    for text, result in zip(texts, done, strict=True):
        if second.n > 1:
            hyps = [h for h in json.loads(result) if isinstance(h, str)]
            other = next((h for h in hyps if _normal(h) != _normal(firsts[text])), None)
            out[text] = Translation(other if other is not None else (hyps[0] if hyps else ""),
                                    f"{second.translator.name} {second.n}-best", model)
        else:
            out[text] = Translation(result, second.translator.name, model)
    return out


def _by(tr: Translation) -> str:
    return tr.backend + (f", {tr.model}" if tr.model else "")


def assign_origins(findings: Sequence[Finding], articles: Sequence[Article],
                   passages: Mapping[str, Sequence[Passage]], *, cache_path: Path | None = None,
                   use_cache: bool = True, second: str | None = None,
                   translators: Mapping[str, Translator] | None = None,
                   ) -> tuple[list[Finding], tuple[Note, ...]]:
    """The findings with ``origin`` set where they rest on translated text, and a note when a
    second translation was needed but could not be had. ``second`` overrides
    ``$DRIFT_SECOND_TRANSLATOR``; ``translators`` are instances to use by name (tests)."""
    by_id = {a.id: a for a in articles}
    decided: dict[str, Origin] = {}
    checks: list[_Check] = []
    for f in findings:
        art = by_id.get(f.article)
        if art is None:
            continue
        plan = _plan(f, passages.get(f.article, ()), art)
        if isinstance(plan, Origin):
            decided[f.id] = plan
        elif plan is not None:
            checks.append(plan)
    wanted = second or choice()
    missing: dict[str, str] = {}
    groups: dict[tuple[str, str, str | None], list[_Check]] = {}
    for c in checks:
        tr = c.passage.translation
        if tr is not None:
            groups.setdefault((c.passage.language, tr.backend, tr.model), []).append(c)
    for (lang, backend, model), group in sorted(groups.items(), key=lambda kv: str(kv[0])):
        way = _second(Translation("", backend, model), lang, wanted, translators)
        if isinstance(way, str):
            missing.setdefault(lang, way)
            continue
        firsts = {c.passage.span.text: c.passage.translation.text
                  for c in group if c.passage.translation is not None}
        texts = list(firsts)
        try:
            seconds = _translate(way, lang, texts, firsts, cache_path, use_cache)
        except Exception as exc:  # a backend failing (TranslationError, OSError ...)
            missing.setdefault(lang, f"the second translation failed: {exc}")
            continue
        for c in group:
            tr2 = seconds[c.passage.span.text]
            first = firsts[c.passage.span.text]
            shown = _shown(c, first)
            if _kept(c, tr2.text):
                decided[c.finding.id] = Origin(
                    "article", f"A second translation ({_by(tr2)}) also says {shown}: the "
                    "change is in the foreign text, not an artefact of drift's translation.",
                    c.words, c.passage.span, first, tr2)
            else:
                decided[c.finding.id] = Origin(
                    "translation", f"A second translation ({_by(tr2)}) does not say {shown}: "
                    "the change appears only in drift's machine translation, so it may be a "
                    "translation artefact rather than the outlet's error.",
                    c.words, c.passage.span, first, tr2)
    out = []
    for f in findings:
        origin = decided.get(f.id)
        if origin is None:
            out.append(f)
        elif origin.value == "translation":
            out.append(replace(f, origin=origin,
                               confidence=round(f.confidence * TRANSLATION_FACTOR, 3),
                               explanation=f"{f.explanation} {origin.reason}"))
        else:
            out.append(replace(f, origin=origin))
    notes: tuple[Note, ...] = ()
    if missing:
        n = sum(1 for c in checks if c.passage.language in missing and c.finding.id not in decided)
        why = "; ".join(f"{lang}: {reason}" for lang, reason in sorted(missing.items()))
        notes = (Note("origin", f"{n} finding{'s' if n != 1 else ''} on translated text "
                      f"{'carry' if n != 1 else 'carries'} no origin (article or translation): no "
                      f"second translation ({why}); a second translator for the language "
                      "gives one (`drift doctor` lists them)"),)
    return out, notes

