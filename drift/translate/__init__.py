"""Stage 4: translate the non-English passages of a run into English.

All passages of a run are grouped by language (across articles) and each language is sent to one
backend in one batch; a persistent cache (``drift.translate.cache``) skips what was translated
before. Importing this package does not import torch or transformers.

``auto`` uses the fast path, ``marian-ct2`` (CTranslate2 int8, greedy), whenever it can: when only
the transformers model of a language is here (the models directory or the Hugging Face cache) and
ctranslate2 is installed, the model is converted once into the models directory, as
``drift models convert`` does, with one log line; ``DRIFT_AUTO_CONVERT=0`` turns that off. A
failed conversion falls back to ``marian`` (transformers fp32), its reason logged and recorded
(``drift.translate.ct2.AUTO_CONVERT_FAILURES``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from drift.records import Passage, Translation
from drift.translate import apertium, ct2, identity, marian  # noqa: F401  (register the backends)
from drift.translate.base import TRANSLATORS, TranslationError, Translator
from drift.translate.cache import TranslationCache
from drift.translate.ct2 import CT2Translator

__all__ = [
    "ALL_CHOICES",
    "AUTO_ORDER",
    "TRANSLATORS",
    "TranslationCache",
    "TranslationError",
    "Translator",
    "get_translator",
    "translate_passages",
]

# Tried in this order by choice="auto": the neural model (its CTranslate2 conversion first,
# converted on first use when only the transformers model is here), rule-based Apertium next.
AUTO_ORDER = ("marian-ct2", "marian", "apertium")
# Tried by "auto" only when available: their absence is not worth a line in the reasons.
AUTO_OPTIONAL = frozenset({"marian-ct2"})
ALL_CHOICES = ("auto", *TRANSLATORS)


def get_translator(name: str) -> Translator:
    """A new instance of the backend registered as ``name``."""
    try:
        factory = TRANSLATORS[name]
    except KeyError:
        raise ValueError(f"unknown translator {name!r} (choose from {', '.join(ALL_CHOICES)})") \
            from None
    return factory()


def is_english(lang: str) -> bool:
    """``en``, ``en-GB``, ``EN_us``..."""
    return lang.strip().lower().replace("_", "-").split("-")[0] == "en"


def _translate_texts(translator: Translator, src: str, texts: list[str],
                     cache: TranslationCache | None) -> list[str]:
    """Translations of the distinct ``texts``: cached ones looked up, the rest translated."""
    model = translator.model_id(src)
    found = cache.get_many(translator.name, model, translator.revision(src), src, texts) \
        if cache is not None else {}
    missing = [i for i in range(len(texts)) if i not in found]
    if missing:
        done = translator.translate([texts[i] for i in missing], src)
        if len(done) != len(missing):
            raise TranslationError(
                f"{translator.name} returned {len(done)} translations for {len(missing)} texts")
        found.update(zip(missing, done, strict=True))
        if cache is not None:
            # The revision is asked again: a model fetched from the hub is only known now.
            cache.put_many(translator.name, model, translator.revision(src), src,
                           [texts[i] for i in missing], done)
    return [found[i] for i in range(len(texts))]


def lang_failed(translator: CT2Translator, lang: str) -> bool:
    """Did the automatic conversion of ``lang``'s model fail (rather than not apply)?"""
    return translator.model_id(lang) in ct2.AUTO_CONVERT_FAILURES


def translate_passages(
    passages: Sequence[Passage],
    choice: str = "auto",
    cache: TranslationCache | None = None,
    translators: Mapping[str, Translator] | None = None,
) -> list[Passage]:
    """The passages, in order, with ``translation`` or ``untranslated_reason`` filled in.

    English passages come back unchanged. ``choice`` is "auto" (marian-ct2 when the model is
    converted or can be converted here, else marian if it can, else apertium) or a backend name.
    A backend that is unavailable or fails for one language leaves that language's passages
    untranslated, with the reason; the other languages go on.
    """
    if choice != "auto" and choice not in TRANSLATORS and (translators is None
                                                           or choice not in translators):
        raise ValueError(f"unknown translator {choice!r} (choose from {', '.join(ALL_CHOICES)})")
    order = AUTO_ORDER if choice == "auto" else (choice,)
    instances: dict[str, Translator] = dict(translators or {})

    def backend(name: str) -> Translator:
        if name not in instances:
            instances[name] = get_translator(name)
        return instances[name]

    out = list(passages)
    by_lang: dict[str, list[int]] = {}
    for i, p in enumerate(out):
        if not is_english(p.language):
            by_lang.setdefault(p.language, []).append(i)

    for lang, indexes in by_lang.items():
        texts = list(dict.fromkeys(out[i].span.text for i in indexes))
        reasons: list[str] = []
        for name in order:
            translator = backend(name)
            results: list[str] = []
            try:
                reason = translator.unavailable(lang)
                if reason is not None and choice == "auto" and isinstance(translator,
                                                                          CT2Translator):
                    reason = translator.auto_convert(lang)  # None: converted now
                    if reason is not None and lang_failed(translator, lang):
                        reasons.append(f"{name}: {reason}")  # recorded; marian goes on
                if reason is None:
                    results = _translate_texts(translator, lang, texts, cache)
                elif choice == "auto" and name in AUTO_OPTIONAL:
                    continue
            except (TranslationError, OSError, RuntimeError, ValueError) as exc:
                reason = str(exc) or type(exc).__name__
            if reason is not None:
                reasons.append(f"{name}: {reason}" if len(order) > 1 else reason)
                continue
            by_text = dict(zip(texts, results, strict=True))
            model = translator.model_id(lang)
            for i in indexes:
                tr = Translation(by_text[out[i].span.text], translator.name, model)
                out[i] = dataclasses.replace(out[i], translation=tr, untranslated_reason=None)
            break
        else:
            why = "; ".join(reasons) or "no translator"
            for i in indexes:
                out[i] = dataclasses.replace(out[i], translation=None, untranslated_reason=why)
    return out
