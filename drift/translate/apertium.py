"""The Apertium backend: rule-based translation through the ``apertium`` command.

A batch is translated in one subprocess call: the inputs are joined with a separator paragraph
(a lone pilcrow between blank lines), which Apertium's text format passes through unchanged, and
the output is split on it again. When the count of pieces does not match (an input contained the
separator, or Apertium changed it), each input is translated on its own instead.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from drift.translate.base import TranslationError, register

DEFAULT_MODES_DIRS = (Path("/usr/share/apertium/modes"), Path("/usr/local/share/apertium/modes"))
# ISO 639-1 -> the ISO 639-3 codes Apertium names its pairs with.
ISO3 = {
    "af": "afr", "an": "arg", "ar": "ara", "be": "bel", "bg": "bul", "br": "bre", "bs": "bos",
    "ca": "cat", "cs": "ces", "cy": "cym", "da": "dan", "de": "deu", "el": "ell", "eo": "epo",
    "en": "eng", "es": "spa", "eu": "eus", "fa": "fas", "fi": "fin", "fr": "fra", "ga": "gle",
    "gl": "glg",
    "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun", "id": "ind", "is": "isl", "it": "ita",
    "kk": "kaz", "mk": "mkd", "ms": "msa", "mt": "mlt", "nb": "nob", "nl": "nld", "nn": "nno",
    "no": "nob", "oc": "oci", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "sk": "slk",
    "sl": "slv", "sq": "sqi", "sr": "srp", "sv": "swe", "tr": "tur", "tt": "tat", "uk": "ukr",
    "ur": "urd",
}
SEPARATOR = "¶"
_SEP_JOIN = f"\n\n{SEPARATOR}\n\n"
_SEP_SPLIT = re.compile(rf"\n[ \t]*{SEPARATOR}[ \t]*(?:\n|$)")
_SEP_LINE = re.compile(rf"^[ \t]*{SEPARATOR}[ \t]*$", re.M)
# Apertium's marks: *unknown word, #generation error, @untranslated lemma.
_MARK = re.compile(r"(?<![\w*#@])[*#@](?=\w)")
TIMEOUT_BASE_S = 10.0
TIMEOUT_PER_KB_S = 1.0


def modes_dirs() -> list[Path]:
    """Where mode files are looked for: $APERTIUM_MODES (a path list of ``modes`` folders),
    $APERTIUM_DATADIR/modes, then the system folders."""
    env = os.environ.get("APERTIUM_MODES", "")
    extra = [Path(p).expanduser() for p in env.split(os.pathsep) if p]
    if datadir := os.environ.get("APERTIUM_DATADIR"):
        extra.append(Path(datadir).expanduser() / "modes")
    return [*extra, *DEFAULT_MODES_DIRS]


def installed_pairs() -> dict[str, Path]:
    """Installed translation directions (``spa-eng``) -> their mode file; the first dir wins."""
    pairs: dict[str, Path] = {}
    for folder in modes_dirs():
        try:
            files = sorted(folder.glob("*.mode"))
        except OSError:
            continue
        for mode in files:
            pairs.setdefault(mode.stem, mode)
    return pairs


def _codes(lang: str) -> tuple[str, ...]:
    """The names Apertium may give a language in a direction: ``pt`` -> ("por", "pt"). Older
    pair packages (apertium-es-pt, apertium-fr-es) use the two-letter codes."""
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    return tuple(dict.fromkeys((ISO3.get(code, code), code)))


def _direction(pairs: dict[str, Path], src: tuple[str, ...], dst: tuple[str, ...]) -> str | None:
    """The installed direction from one of ``src``'s names to one of ``dst``'s, exact names
    first, then regional variants (``spa-eng_US``)."""
    for a in src:
        for b in dst:
            if f"{a}-{b}" in pairs:
                return f"{a}-{b}"
    for a in src:
        for b in dst:
            variants = sorted(p for p in pairs if p.startswith(f"{a}-{b}_"))
            if variants:
                return variants[0]
    return None


# Pivot languages tried, in order, when no direction into English is installed: Spanish first
# (apertium-eng-spa is the best-maintained English pair; apertium-es-pt and apertium-fr-es lead
# into it), then Catalan (apertium-eng-cat; apertium-por-cat, apertium-fra-cat lead into it).
PIVOTS = ("es", "ca", "gl", "eo")

Route = tuple[tuple[str, Path], ...]


def route_for(src: str) -> Route | None:
    """The installed directions that take ``src`` into English: one (``spa-eng``) or, through a
    pivot language, two (``pt-es`` then ``spa-eng``)."""
    eng = _codes("en")
    if _codes(src) == eng:
        return None
    pairs = installed_pairs()
    direct = _direction(pairs, _codes(src), eng)
    if direct is not None:
        return ((direct, pairs[direct]),)
    for pivot in PIVOTS:
        if _codes(pivot) == _codes(src):
            continue
        first = _direction(pairs, _codes(src), _codes(pivot))
        second = _direction(pairs, _codes(pivot), eng) if first else None
        if first and second:
            return ((first, pairs[first]), (second, pairs[second]))
    return None


def pair_for(src: str) -> tuple[str, Path] | None:
    """The installed direction straight into English for ``src`` (es -> spa-eng), if any."""
    route = route_for(src)
    return route[0] if route is not None and len(route) == 1 else None


def route_name(route: Route) -> str:
    """``spa-eng``, or ``pt-es+spa-eng`` for a pivot route."""
    return "+".join(direction for direction, _ in route)


def strip_marks(output: str, source: str) -> str:
    """Remove Apertium's ``*``/``#``/``@`` word marks, keeping #tags and @names of the source."""

    def repl(m: re.Match[str]) -> str:
        word = re.match(r"\w+", output[m.end() :])
        token = m.group(0) + (word.group(0) if word else "")
        return m.group(0) if token in source else ""

    return _MARK.sub(repl, output)


@lru_cache(maxsize=64)
def _package_version(direction: str) -> str | None:
    """``apertium-eng-spa 0.8.1-2`` from dpkg, if the pair came from a Debian package."""
    a, _, b = direction.partition("_")[0].partition("-")
    if not shutil.which("dpkg-query"):
        return None
    for pkg in (f"apertium-{a}-{b}", f"apertium-{b}-{a}"):
        try:
            done = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg],
                                  capture_output=True, text=True, timeout=5, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        if done.returncode == 0 and done.stdout.strip():
            return f"{pkg} {done.stdout.strip()}"
    return None


def _mode_hash(mode: Path) -> str:
    """A hash of the mode file and the size/mtime of the data files it names."""
    h = hashlib.sha256()
    try:
        text = mode.read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    h.update(text.encode())
    for name in sorted(set(re.findall(r"'(/[^']+)'", text))):
        try:
            st = Path(name).stat()
        except OSError:
            continue
        h.update(f"{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return "mode-" + h.hexdigest()[:16]


@register("apertium")
class ApertiumTranslator:
    """Translates with an installed Apertium pair (e.g. ``apertium -u spa-eng``), or through a
    pivot language where no pair into English is installed (``pt-es`` then ``spa-eng``)."""

    name = "apertium"

    def __init__(self, binary: str = "apertium") -> None:
        self.binary = binary

    def _binary(self) -> str | None:
        return shutil.which(self.binary)

    def unavailable(self, src: str) -> str | None:
        if self._binary() is None:
            hint = "apertium-eng-spa" if src == "es" else "a pair package such as apertium-eng-spa"
            return f"Apertium is not installed (apt-get install apertium {hint})"
        if route_for(src) is None:
            return (f"no Apertium pair for {src}->en installed, directly or through Spanish or "
                    f"Catalan (see `apt-cache search apertium`: apertium-*-eng, apertium-es-*)")
        return None

    def model_id(self, src: str) -> str | None:
        route = route_for(src)
        return f"apertium {route_name(route)}" if route else None

    def revision(self, src: str) -> str:
        route = route_for(src)
        if route is None:
            return "unknown"
        return "+".join(_package_version(d) or _mode_hash(m) for d, m in route)

    def translate(self, texts: Sequence[str], src: str) -> list[str]:
        reason = self.unavailable(src)
        if reason:
            raise TranslationError(reason)
        route = route_for(src)
        assert route is not None
        return self._translate_route(texts, route)

    def round_trip(self, texts: Sequence[str], via: str) -> list[str] | None:
        """English ``texts`` into ``via`` and back into English (machine-translation noise
        for the judge's training pairs), or None where either direction is not installed."""
        pairs = installed_pairs()
        out_of = _direction(pairs, _codes("en"), _codes(via))
        back = route_for(via)
        if self._binary() is None or out_of is None or back is None or len(back) != 1:
            return None
        mid = self._translate_route(texts, ((out_of, pairs[out_of]),))
        return self._translate_route(mid, back)

    def _translate_route(self, texts: Sequence[str], route: Route) -> list[str]:
        """``texts`` through ``route``, batched in one call where the separator allows."""
        out = [""] * len(texts)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        if not todo:
            return out
        joinable = [i for i in todo if not _SEP_LINE.search(texts[i])]
        if joinable:
            joined = self._run_route(_SEP_JOIN.join(texts[i].strip() for i in joinable), route)
            parts = _SEP_SPLIT.split(joined.strip("\n"))
            if len(parts) == len(joinable):
                for i, part in zip(joinable, parts, strict=True):
                    out[i] = strip_marks(part.strip(), texts[i])
                done = set(joinable)
                todo = [i for i in todo if i not in done]
        for i in todo:  # inputs holding the separator, or a batch whose count did not match
            out[i] = strip_marks(self._run_route(texts[i].strip(), route).strip(), texts[i])
        return out

    def _run_route(self, text: str, route: Route) -> str:
        """``text`` through each direction of the route in turn (a pivot route has two)."""
        for pair in route:
            text = self._run(text, pair)
        return text

    def _run(self, text: str, pair: tuple[str, Path]) -> str:
        """One ``apertium -u -f txt <direction>`` call on ``text``."""
        direction, mode = pair
        binary = self._binary()
        if binary is None:
            raise TranslationError("Apertium is not installed (apt-get install apertium)")
        # apertium -d DIR reads DIR/modes/<direction>.mode.
        cmd = [binary, "-u", "-f", "txt", "-d", str(mode.parent.parent), direction]
        data = text.encode("utf-8")
        timeout = TIMEOUT_BASE_S + TIMEOUT_PER_KB_S * len(data) / 1024
        env = dict(os.environ)
        if "utf" not in (env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or "").lower():
            env["LC_ALL"] = "C.UTF-8"
        try:
            done = subprocess.run(cmd, input=data, capture_output=True, timeout=timeout,
                                  check=False, env=env)
        except subprocess.TimeoutExpired as exc:
            raise TranslationError(
                f"apertium {direction} timed out after {timeout:.0f} s on {len(data)} bytes"
            ) from exc
        except OSError as exc:
            raise TranslationError(f"cannot run apertium: {exc}") from exc
        if done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace").strip().splitlines()
            detail = err[-1] if err else f"exit code {done.returncode}"
            raise TranslationError(f"apertium {direction} failed: {detail}")
        return done.stdout.decode("utf-8", "replace")
