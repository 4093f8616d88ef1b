"""The translation model registry and the local model store.

Which MarianMT model translates a language into English comes from ``registry.toml`` in the
models directory (see :func:`models_dir`), else from the copy shipped inside the package
(``drift/registry.toml``, package data), else from the built-in table below; models are kept in
``<models dir>/<last part of the hub id>/`` and can be fetched with :func:`pull`.

Nothing here imports torch or transformers; huggingface_hub is imported only when needed.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

HUB_PREFIX = "Helsinki-NLP/opus-mt-"
BUILTIN_FALLBACK = "Helsinki-NLP/opus-mt-mul-en"
# Languages with their own opus-mt-<lang>-en pair (believed to exist on the hub).
DIRECT_PAIRS = (
    "af", "ar", "bg", "ca", "cs", "da", "de", "es", "et", "fi", "fr", "he", "hi", "hu", "id", "it",
    "ja", "ko", "mk", "nl", "pl", "ru", "sv", "th", "tr", "uk", "vi", "zh",
)
# No opus-mt-pt-en (nor ro-en / gl-en, as far as we know) exists: the Romance model covers them.
ROMANCE_MODEL = "Helsinki-NLP/opus-mt-ROMANCE-en"
BUILTIN_LANGUAGES: dict[str, str] = {
    **{lang: f"{HUB_PREFIX}{lang}-en" for lang in DIRECT_PAIRS},
    **dict.fromkeys(("gl", "pt", "ro"), ROMANCE_MODEL),
}
REGISTRY_FILE = "registry.toml"
CT2_SUFFIX = "-ct2"
CT2_META = "drift-ct2.json"  # what a conversion was made from (written by convert())
# Copied next to a conversion: MarianTokenizer loads from these (the CT2 config.json is its own).
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json", "target_vocab.json",
                   "tokenizer_config.json", "special_tokens_map.json")
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
# Fail fast when the hub cannot be reached (seconds).
HUB_TIMEOUT = float(os.environ.get("DRIFT_HUB_TIMEOUT", "5"))
# Downloads skip the TensorFlow, Flax and Rust weights that opus-mt repositories also hold.
IGNORE_PATTERNS = ["*.h5", "*.msgpack", "*.ot", "*.onnx", "tf_model*", "flax_model*", "rust_model*"]


class RegistryError(ValueError):
    """registry.toml cannot be read or has the wrong shape."""


class ModelPullError(RuntimeError):
    """A model could not be downloaded (one-line message)."""


class ModelConvertError(RuntimeError):
    """A model could not be converted to CTranslate2 (one-line message)."""


@dataclass(frozen=True, slots=True)
class Registry:
    """Source language -> hub model id, and the model for every other language."""

    languages: dict[str, str]
    fallback: str
    source: Path | None  # the registry file, None for the built-in table


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What is known locally about the model for one language (no network involved)."""

    language: str  # "*" for the fallback model
    model_id: str
    path: Path | None  # the local folder when present
    local: bool  # a complete model folder in the models directory
    cached: bool  # in the Hugging Face cache
    converted: bool  # a CTranslate2 conversion in <models dir>/<name>-ct2


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def hub_offline() -> bool:
    """Is the Hugging Face hub switched off by the environment (HF_HUB_OFFLINE, ...)?"""
    return _truthy(os.environ.get("HF_HUB_OFFLINE")) or _truthy(
        os.environ.get("TRANSFORMERS_OFFLINE"))


_REACHABLE: dict[tuple[str, int], bool] = {}


def hub_reachable() -> bool:
    """Can a TCP connection to the hub (or the HTTPS proxy) be made within HUB_TIMEOUT seconds?

    Checked once per process: without it, transformers retries an unreachable hub with
    back-off for about 20 s per file.
    """
    if hub_offline():
        return False
    proxy = os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy")
    url = urlsplit(proxy or os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
    host = url.hostname or "huggingface.co"
    port = url.port or (80 if url.scheme == "http" else 443)
    if (host, port) not in _REACHABLE:
        try:
            with socket.create_connection((host, port), timeout=HUB_TIMEOUT):
                _REACHABLE[(host, port)] = True
        except OSError:
            _REACHABLE[(host, port)] = False
    return _REACHABLE[(host, port)]


def user_models_dir() -> Path:
    """``$XDG_DATA_HOME/drift/models``, by default ``~/.local/share/drift/models``."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "drift" / "models"


def models_dir() -> Path:
    """Where models are kept and the registry is read from, in this order:

    1. ``$DRIFT_MODELS_DIR`` when set;
    2. ``./models`` when it holds a ``registry.toml`` (a drift checkout: the documented file);
    3. the user data folder, ``~/.local/share/drift/models`` (``$XDG_DATA_HOME`` honoured).

    A ``models`` folder of some other project in the current directory is not taken for drift's.
    """
    env = os.environ.get("DRIFT_MODELS_DIR")
    if env:
        return Path(env).expanduser().absolute()
    here = Path.cwd() / "models"
    if (here / REGISTRY_FILE).is_file():
        return here
    return user_models_dir()


def builtin_registry() -> Registry:
    """The registry shipped with the package (``drift/registry.toml``, package data; the same
    content as the documented models/registry.toml), else the built-in table."""
    packaged = packaged_registry_path()
    if packaged is not None:
        try:
            return _cached_parse(packaged)
        except RegistryError:  # pragma: no cover - a broken installation
            pass
    return Registry(dict(BUILTIN_LANGUAGES), BUILTIN_FALLBACK, None)


def packaged_registry_path() -> Path | None:
    """``registry.toml`` inside the installed drift package, when present."""
    path = Path(__file__).with_name(REGISTRY_FILE)
    return path if path.is_file() else None


_REGISTRY_CACHE: dict[tuple[Path, int], Registry] = {}


def parse_registry(path: Path) -> Registry:
    """Read a registry file: ``fallback = "..."`` and a ``[languages]`` table of strings."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RegistryError(f"cannot read model registry {path}: {exc}") from exc
    langs = data.get("languages", {})
    fallback = data.get("fallback", BUILTIN_FALLBACK)
    if not isinstance(langs, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in langs.items()
    ):
        raise RegistryError(f"{path}: [languages] must map language codes to model ids")
    if not isinstance(fallback, str) or not fallback:
        raise RegistryError(f"{path}: fallback must be a model id")
    return Registry({k.lower(): v for k, v in langs.items()}, fallback, path)


def registry(root: Path | None = None) -> Registry:
    """The registry in force: ``registry.toml`` of the models directory, else the built-in one."""
    path = (root or models_dir()) / REGISTRY_FILE
    if not path.is_file():
        return builtin_registry()
    return _cached_parse(path)


def _cached_parse(path: Path) -> Registry:
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise RegistryError(f"cannot read model registry {path}: {exc}") from exc
    key = (path, mtime)
    if key not in _REGISTRY_CACHE:
        _REGISTRY_CACHE[key] = parse_registry(path)
    return _REGISTRY_CACHE[key]


def normalize_language(lang: str) -> str:
    """``pt-BR`` -> ``pt``; ``ZH_hans`` -> ``zh``."""
    return lang.strip().lower().replace("_", "-").split("-")[0]


def registered_model(lang: str, root: Path | None = None) -> str | None:
    """The model the registry names for ``lang`` itself (``pt-BR`` -> ``pt``), None when the
    language would only get the fallback model."""
    reg = registry(root)
    code = lang.strip().lower().replace("_", "-")
    return reg.languages.get(code) or reg.languages.get(normalize_language(code))


def model_for(lang: str, root: Path | None = None) -> str:
    """The hub id of the model that translates ``lang`` into English (the fallback model for a
    language the registry does not list)."""
    return registered_model(lang, root) or registry(root).fallback


def local_dir(model_id: str, root: Path | None = None) -> Path:
    """Where the model is kept locally: models_dir() / the last part of the hub id."""
    return (root or models_dir()) / model_id.rstrip("/").rsplit("/", 1)[-1]


def ct2_dir(model_id: str, root: Path | None = None) -> Path:
    """Where a CTranslate2 conversion of the model is kept."""
    folder = local_dir(model_id, root)
    return folder.with_name(folder.name + CT2_SUFFIX)


def is_ct2_dir(path: Path) -> bool:
    """A folder holding a CTranslate2 conversion (model.bin) with the tokenizer files."""
    return (path / "model.bin").is_file() and (path / "source.spm").is_file()


def ct2_max_positions(path: Path) -> int:
    """The source model's max_position_embeddings, recorded at conversion (512 if unknown)."""
    try:
        meta = json.loads((path / CT2_META).read_text(encoding="utf-8"))
        return int(meta.get("max_position_embeddings") or 512)
    except (OSError, ValueError, TypeError, AttributeError):
        return 512


def is_model_dir(path: Path) -> bool:
    """A folder holding a complete transformers model (config and weights)."""
    return (path / "config.json").is_file() and any((path / w).is_file() for w in WEIGHT_FILES)


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment now (HF_HUB_CACHE, HF_HOME)."""
    if env := os.environ.get("HF_HUB_CACHE") or os.environ.get("HUGGINGFACE_HUB_CACHE"):
        return Path(env).expanduser()
    if home := os.environ.get("HF_HOME"):
        return Path(home).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser() / "huggingface" / "hub"


def cached_snapshot(model_id: str) -> Path | None:
    """The Hugging Face cache snapshot folder holding the model's config and weights, if any."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover - a dependency of transformers
        return None
    try:
        config = try_to_load_from_cache(model_id, "config.json", cache_dir=hf_cache_dir())
    except Exception:  # a malformed id or unreadable cache is simply "not cached"
        return None
    if not isinstance(config, str):
        return None
    snapshot = Path(config).parent
    return snapshot if is_model_dir(snapshot) else None


def list_models() -> list[ModelInfo]:
    """Every language of the registry (and ``*`` for the fallback) with its local state."""
    reg = registry()
    rows = [*sorted(reg.languages.items()), ("*", reg.fallback)]
    out: list[ModelInfo] = []
    for lang, model_id in rows:
        folder = local_dir(model_id)
        local = is_model_dir(folder)
        out.append(ModelInfo(
            language=lang,
            model_id=model_id,
            path=folder if local else None,
            local=local,
            cached=cached_snapshot(model_id) is not None,
            converted=is_ct2_dir(ct2_dir(model_id)),
        ))
    return out


def offline_message(model_id: str, lang: str | None = None, root: Path | None = None) -> str:
    """One line: the hub is unreachable, and how to get the model another way."""
    folder = local_dir(model_id, root)
    how = f"`drift models pull {lang}`" if lang else f"download {model_id}"
    return (
        f"no network access to the Hugging Face hub, so {model_id} cannot be downloaded here; "
        f"on a machine with network access run {how} and copy the folder {folder.name}/ "
        f"into {folder.parent}/ here"
    )


def is_connection_error(exc: BaseException) -> bool:
    """Does ``exc`` (or its cause) say the hub could not be reached?"""
    names = {"ConnectError", "ConnectTimeout", "ConnectionError", "TimeoutException",
             "ReadTimeout", "Timeout", "LocalEntryNotFoundError", "OfflineModeIsEnabled",
             "NetworkError"}
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__name__ in names or isinstance(seen, (ConnectionError, TimeoutError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def unknown_language_message(lang: str) -> str:
    """One line: the registry has no model for ``lang``, and what to do."""
    reg = registry()
    where = reg.source or "the built-in registry"
    return (f"no translation model registered for {lang!r} in {where}; add it to the registry's "
            f"[languages], or pass --fallback-mul to fetch the multilingual {reg.fallback}")


def pull(langs: Iterable[str], *, force: bool = False, allow_fallback: bool = True) -> list[str]:
    """Download the models for ``langs`` into the models directory; one message per model.

    A language the registry does not list gets the fallback (multilingual) model only with
    ``allow_fallback``. Raises ModelPullError (one line) for such a language without it, when the
    hub cannot be reached, or when a download fails.
    """
    wanted: dict[str, str] = {}
    for lang in langs:
        if not allow_fallback and registered_model(lang) is None:
            raise ModelPullError(unknown_language_message(lang))
        wanted.setdefault(model_for(lang), lang)
    messages: list[str] = []
    for model_id, lang in wanted.items():
        target = local_dir(model_id)
        if is_model_dir(target) and not force:
            messages.append(f"{model_id}: already present in {target}")
            continue
        if not hub_reachable():
            raise ModelPullError(offline_message(model_id, lang))
        try:
            from huggingface_hub import snapshot_download

            snapshot_download(model_id, local_dir=target, etag_timeout=HUB_TIMEOUT,
                              ignore_patterns=IGNORE_PATTERNS)
        except Exception as exc:
            if is_connection_error(exc):
                raise ModelPullError(offline_message(model_id, lang)) from exc
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelPullError(f"{model_id}: download failed: {first}") from exc
        if not is_model_dir(target):
            raise ModelPullError(f"{model_id}: downloaded to {target} but no config and weights "
                                 "were found there")
        messages.append(f"{model_id}: downloaded to {target}")
    return messages


def _convert_source(model_id: str, root: Path | None) -> Path:
    """The transformers model folder to convert: the models directory's, else the HF cache's."""
    folder = local_dir(model_id, root)
    if is_model_dir(folder):
        return folder
    snapshot = cached_snapshot(model_id)
    if snapshot is not None:
        return snapshot
    raise ModelConvertError(
        f"{model_id}: no transformers model to convert (not in {folder}, not in the Hugging "
        f"Face cache): run `drift models pull` for its language first, or copy the model "
        f"folder into {folder}")


def convert_model(model_id: str, root: Path | None = None, *, force: bool = False,
                  quantization: str = "int8") -> str:
    """Convert one model into ``ct2_dir(model_id)``; a one-line message. Raises
    ModelConvertError."""
    target = ct2_dir(model_id, root)
    if is_ct2_dir(target) and not force:
        return f"{model_id}: already converted in {target}"
    source = _convert_source(model_id, root)
    missing = [f for f in ("source.spm", "target.spm", "vocab.json") if not (source / f).is_file()]
    if missing:
        raise ModelConvertError(f"{model_id}: {source} lacks the tokenizer files "
                                f"{', '.join(missing)} that the conversion needs")
    try:
        import ctranslate2.converters
    except ImportError as exc:  # pragma: no cover - a dependency
        raise ModelConvertError("ctranslate2 is not installed: pip install ctranslate2") from exc
    copy = [str(source / f) for f in TOKENIZER_FILES if (source / f).is_file()]
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        ctranslate2.converters.TransformersConverter(str(source), copy_files=copy).convert(
            str(tmp), quantization=quantization, force=True)
    except Exception as exc:  # the converter raises ValueError, OSError, RuntimeError...
        shutil.rmtree(tmp, ignore_errors=True)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelConvertError(f"{model_id}: conversion of {source} failed: {first}") from exc
    try:
        config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    (tmp / CT2_META).write_text(json.dumps({
        "model_id": model_id,
        "source": str(source),
        "quantization": quantization,
        "max_position_embeddings": config.get("max_position_embeddings", 512),
    }, indent=2), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return f"{model_id}: converted {source} to {target} ({quantization})"


def convert(langs_or_models: Iterable[str], root: Path | None = None, *,
            force: bool = False) -> list[str]:
    """Convert the models of the given languages (or hub ids, containing '/') to CTranslate2
    int8; one message per model. Raises ModelConvertError at the first failure."""
    wanted = dict.fromkeys(x if "/" in x else model_for(x, root) for x in langs_or_models)
    return [convert_model(m, root, force=force) for m in wanted]


@contextmanager
def quiet_progress(always: bool = False) -> Iterator[None]:
    """No transformers / huggingface_hub progress bars ("Loading weights: 100%|...") while loading,
    unless stderr is a terminal (or ``always``): in pipes, logs and CI they are noise on every
    run."""
    if sys.stderr.isatty() and not always:
        yield
        return
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]
