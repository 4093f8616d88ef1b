"""The command line: help texts, ``detect`` (table and JSON), exit codes, ``python -m drift`` and
``translate`` with the identity backend."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from conftest import need_apertium
from typer.testing import CliRunner, Result

from drift.cli import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, app

# Wide enough that rich neither wraps nor cuts a table row.
ENV = {"COLUMNS": "250", "TERMINAL_WIDTH": "250", "NO_COLOR": "1"}

SPANISH_ARTICLE = (
    "The harbour master was blunt about the storm damage on Tuesday.\n\n"
    "“Nadie revisó las grúas antes de la tormenta, y eso lo sabe todo el puerto,” she told "
    "reporters at the north pier.\n\n"
    "Engineers will inspect the other cranes this week, the port authority said.\n"
)
SPANISH_INNER = "Nadie revisó las grúas antes de la tormenta, y eso lo sabe todo el puerto"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=ENV)


def flat(text: str) -> str:
    """Output without box drawing and with whitespace collapsed (help panels wrap)."""
    return " ".join(re.sub(r"[│┃╭╮╰╯─━┏┓┗┛┡┩╇╈┳┻┼]", " ", text).split())


def commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every registered command and sub-command, with the words that invoke it."""
    for name, cmd in sorted(group.commands.items()):
        yield (*path, name), cmd
        if getattr(cmd, "commands", None):
            yield from commands(cmd, (*path, name))


def test_top_level_help() -> None:
    result = run("--help")
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "Usage:" in out
    assert "find meaning that drifted" in out
    for name in typer.main.get_command(app).commands:  # type: ignore[attr-defined]
        assert name in out


def test_every_command_has_help() -> None:
    found = list(commands(typer.main.get_command(app)))
    names = {path for path, _ in found}
    assert {("detect",), ("translate",), ("version",), ("models",)} <= names
    assert any(len(path) == 2 for path in names), "the models sub-commands are listed"
    for path, cmd in found:
        assert cmd.help and cmd.help.strip(), f"{' '.join(path)} has no help text"
        result = run(*path, "--help")
        assert result.exit_code == 0, (path, result.output)
        out = flat(result.stdout)
        assert "Usage:" in out
        summary = " ".join(cmd.help.strip().split("\n\n")[0].split())
        assert summary in out, (path, summary)
        for param in cmd.params:
            if param.name != "help":
                assert getattr(param, "help", None), f"{' '.join(path)}: {param.name} has no help"


def test_no_arguments_shows_help() -> None:
    result = run()
    assert "Usage:" in result.output and "Commands:" in result.output
    # click's no_args_is_help: the help, as a usage error (nothing was asked for).
    assert result.exit_code == EXIT_USAGE


def test_help_has_no_type_placeholders() -> None:
    for path, _ in commands(typer.main.get_command(app)):
        out = run(*path, "--help").stdout
        for placeholder in ("<bool>", "<list", "<path>", "<text>", "<str>", "{"):
            assert placeholder not in out, (path, placeholder, out)
    usage = run("detect", "--help").stdout
    assert "detect [OPTIONS] PATH..." in usage


def test_translator_choices_come_from_the_registry() -> None:
    from drift.cli import TRANSLATOR_HELP_CHOICES, translator_choices
    from drift.translate import ALL_CHOICES

    assert translator_choices() == tuple(ALL_CHOICES)
    assert set(TRANSLATOR_HELP_CHOICES) == set(ALL_CHOICES), "the help names every backend"
    assert "marian-ct2" in ALL_CHOICES
    out = flat(run("translate", "--help").stdout)
    assert "auto, marian, marian-ct2, apertium or identity" in out


def test_registered_backend_marian_ct2_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "crane.txt").write_text(SPANISH_ARTICLE, encoding="utf-8")
    result = run("translate", str(tmp_path), "--translator", "marian-ct2", "--no-cache")
    assert "unknown translator" not in result.stderr
    assert result.exit_code in (EXIT_OK, EXIT_PARTIAL), result.output
    bad = run("translate", str(tmp_path), "--translator", "google", "--no-cache")
    assert bad.exit_code == EXIT_USAGE
    assert "marian-ct2" in bad.stderr and "unknown translator 'google'" in bad.stderr


def test_cli_start_imports_no_pipeline_module() -> None:
    code = ("import sys, drift.cli; heavy = [m for m in ('drift.translate', 'drift.core', "
            "'drift.ingest', 'httpx', 'jinja2', 'yaml', 'torch', 'transformers', 'lingua', "
            "'spacy', 'rich.markdown') if m in sys.modules]; print(heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "[]", done.stdout


def test_detect_seeds_table(seeds_dir: Path, load_labels: Callable[[Path], dict[str, Any]]) -> None:
    [gold] = load_labels(seeds_dir)["non_english"]
    result = run("detect", str(seeds_dir))
    assert result.exit_code == EXIT_OK, result.output
    out = flat(result.stdout)
    assert "Non-English passages in 6 articles" in out
    row = re.search(r"(004_\w+) es (\d\.\d\d) (.+)", out)
    assert row, out
    assert row.group(3).startswith(" ".join(gold["text"].split()[:5]))
    assert result.stderr == ""


def test_detect_seeds_json(seeds_dir: Path, load_labels: Callable[[Path], dict[str, Any]]) -> None:
    [gold] = load_labels(seeds_dir)["non_english"]
    result = run("detect", "--json", str(seeds_dir))
    assert result.exit_code == EXIT_OK, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and len(rows) == 1
    [row] = rows
    assert row["article"].startswith(gold["article"]) and row["kind"] == "quote"
    assert row["language"] == "es"
    assert 0.5 <= row["confidence"] <= 1.0
    assert set(row["span"]) == {"start", "end", "text"}
    # The passage is the gold Spanish text, found at its offsets in the cleaned article ...
    from drift.ingest import read_file

    [seed] = [p for p in seeds_dir.glob(f"{gold['article']}_*.txt")]
    [art], _ = read_file(seed)
    span = row["span"]
    assert span["text"] == art.text[span["start"] : span["end"]]
    assert span["text"].startswith(gold["text"][:40])
    assert span["start"] == art.text.index(gold["text"])
    # ... and at raw_start:raw_end in the seed file itself.
    file_text = seed.read_bytes().decode("utf-8-sig")
    assert row["raw_of"] == "file"
    assert file_text[row["raw_start"] : row["raw_end"]] == span["text"]
    assert row["raw_start"] == file_text.index(gold["text"])


def test_detect_json_raw_offsets_skip_removed_boilerplate(tmp_path: Path) -> None:
    furniture = ("---\nid: crane\nlanguage: English\n---\nHome / Harbour / Crane\n"
                 "<ns:image>data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAE</ns:image>\n"
                 "Read also\n- Storm closes the port\n- Ferries cancelled\n\n")
    path = tmp_path / "crane.md"
    path.write_bytes((furniture + SPANISH_ARTICLE).replace("\n", "\r\n").encode())
    result = run("detect", "--json", str(path))
    assert result.exit_code == EXIT_OK, result.output
    [row] = json.loads(result.stdout)
    assert row["span"]["text"] == SPANISH_INNER
    file_text = path.read_bytes().decode("utf-8")
    assert file_text[row["raw_start"] : row["raw_end"]] == SPANISH_INNER
    assert row["raw_start"] > row["span"]["start"] > 0


def test_detect_json_span_matches_the_article(tmp_path: Path) -> None:
    path = tmp_path / "crane.txt"
    path.write_text(SPANISH_ARTICLE, encoding="utf-8")
    result = run("detect", "--json", str(path))
    assert result.exit_code == EXIT_OK, result.output
    [row] = json.loads(result.stdout)
    assert row["article"] == "crane"
    assert row["language"] == "es"
    assert row["kind"] == "quote"
    text = SPANISH_ARTICLE.strip()
    assert row["span"]["text"] == SPANISH_INNER == text[row["span"]["start"] : row["span"]["end"]]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    result = run("detect", str(missing))
    assert result.exit_code == EXIT_USAGE
    assert str(missing) in result.stderr
    assert result.stdout == ""


def test_unknown_option_is_a_usage_error(tmp_path: Path) -> None:
    result = run("detect", "--no-such-option", str(tmp_path))
    assert result.exit_code == EXIT_USAGE


@pytest.mark.parametrize("json_out", [False, True], ids=["table", "json"])
def test_one_bad_file_is_a_partial_failure(tmp_path: Path, json_out: bool) -> None:
    (tmp_path / "crane.txt").write_text(SPANISH_ARTICLE, encoding="utf-8")
    bad = tmp_path / "broken.json"
    bad.write_text('{"id": "x", "text": "never closed', encoding="utf-8")
    result = run("detect", *(["--json"] if json_out else []), str(tmp_path))
    assert result.exit_code == EXIT_PARTIAL, result.output
    warnings = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith(f"warning: {bad}: ")
    assert "malformed JSON" in warnings[0]
    if json_out:
        [row] = json.loads(result.stdout)
        assert (row["article"], row["language"]) == ("crane", "es")
    else:
        out = flat(result.stdout)
        assert "crane es" in out and SPANISH_INNER[:40] in out


@pytest.mark.slow
def test_python_dash_m_drift_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "drift", "--help"], capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "120", "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout and "detect" in done.stdout


def test_translate_identity_prints_original_and_translation(tmp_path: Path) -> None:
    (tmp_path / "crane.txt").write_text(SPANISH_ARTICLE, encoding="utf-8")
    result = run("translate", str(tmp_path), "--translator", "identity", "--no-cache")
    assert result.exit_code == EXIT_OK, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("[crane] es ")
    assert lines[1].split(":", 1) == ["  original", f"    {SPANISH_INNER}"]
    assert lines[2].split(":", 1) == ["  translation", f" {SPANISH_INNER}"]
    assert "identity" in lines[3]


# --- notes on the inputs ---------------------------------------------------------------------


def test_empty_folder_says_so_and_exits_4(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Nothing yet\n", encoding="utf-8")
    result = run("detect", str(tmp_path))
    assert result.exit_code == EXIT_NOTHING
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"note: {tmp_path}: no article files in this folder (drift reads")
    assert lines[-1] == "error: no article could be read"
    audit = run("audit", str(tmp_path), "--translator", "identity", "--no-cache")
    assert audit.exit_code == EXIT_NOTHING
    assert "no article files in this folder" in audit.stderr


def test_verbose_names_skipped_files(tmp_path: Path) -> None:
    (tmp_path / "crane.txt").write_text(SPANISH_ARTICLE, encoding="utf-8")
    (tmp_path / "CNN.txt").write_text("The port reopened on Friday, officials said.",
                                      encoding="utf-8")
    (tmp_path / "README.md").write_text("# About\n", encoding="utf-8")
    quiet = run("detect", "--json", str(tmp_path))
    assert quiet.exit_code == EXIT_OK and quiet.stderr == ""
    loud = run("detect", "--json", "--verbose", str(tmp_path))
    assert loud.exit_code == EXIT_OK
    assert loud.stderr.splitlines() == [
        f"info: {tmp_path / 'README.md'}: skipped: a documentation file, not an article"]


def test_empty_json_list_named_directly_is_noted(tmp_path: Path) -> None:
    (tmp_path / "crane.txt").write_text(SPANISH_ARTICLE, encoding="utf-8")
    (tmp_path / "none.json").write_text("[]", encoding="utf-8")
    result = run("detect", str(tmp_path / "crane.txt"), str(tmp_path / "none.json"))
    assert result.exit_code == EXIT_OK
    assert result.stderr.splitlines() == [
        f"note: {tmp_path / 'none.json'}: holds no article (an empty JSON list)"]


def test_article_notes_are_shown(tmp_path: Path) -> None:
    links = "\n".join(f"- Harbour story number {n} about cranes and storms" for n in range(12))
    (tmp_path / "thin.md").write_text(
        f"---\nlanguage: Klingon\n---\nThe crane fell on Monday.\nRead also\n{links}\n",
        encoding="utf-8")
    result = run("detect", str(tmp_path))
    assert result.exit_code == EXIT_OK
    notes = result.stderr.splitlines()
    assert len(notes) == 2 and all(n.startswith(f"note: {tmp_path / 'thin.md'}: ") for n in notes)
    assert "cleaning removed" in notes[0] and "unknown declared language 'Klingon'" in notes[1]


# --- models list / pull, translate with real backends ----------------------------------------


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models directory holding the tiny random model as opus-mt-es-en (tests/tiny_marian.py)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from tiny_marian import build_tiny_marian

    root = tmp_path_factory.mktemp("models")
    build_tiny_marian(root / "opus-mt-es-en")
    return root


@pytest.fixture
def offline(offline_models: Path) -> Path:
    """No hub, an empty Hugging Face cache and an empty models directory (returned)."""
    return offline_models


def test_models_list(offline: Path, tiny_models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(tiny_models))
    result = run("models", "list")
    assert result.exit_code == EXIT_OK, result.output
    out = flat(result.stdout)
    assert f"models directory: {tiny_models}" in out
    assert "es Helsinki-NLP/opus-mt-es-en yes no no" in out
    assert "fr Helsinki-NLP/opus-mt-fr-en no no no" in out
    assert "* Helsinki-NLP/opus-mt-mul-en no" in out


def test_models_pull_offline_all_failed_exits_4(offline: Path) -> None:
    result = run("models", "pull", "fr", "de")
    assert result.exit_code == EXIT_NOTHING
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and all(e.startswith("error: no network access to the Hugging Face "
                                                 "hub") for e in errors)
    assert "opus-mt-fr-en" in errors[0] and "opus-mt-de-en" in errors[1]


def test_models_pull_some_failed_exits_3(offline: Path, tiny_models: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(tiny_models))
    result = run("models", "pull", "es", "fr")
    assert result.exit_code == EXIT_PARTIAL
    assert "opus-mt-es-en: already present" in result.stdout
    assert "opus-mt-fr-en" in result.stderr


def test_models_pull_refuses_unknown_languages(offline: Path) -> None:
    result = run("models", "pull", "xx", "es")
    assert result.exit_code == EXIT_USAGE
    from drift.modelhub import packaged_registry_path

    assert result.stderr.splitlines() == [
        f"error: no translation model registered for 'xx' in {packaged_registry_path()}; add it "
        "to the registry's [languages], or pass --fallback-mul to fetch the multilingual "
        "Helsinki-NLP/opus-mt-mul-en"]
    assert result.stdout == ""  # nothing was fetched, not even es
    fallback = run("models", "pull", "--fallback-mul", "xx")
    assert fallback.exit_code == EXIT_NOTHING  # offline: the one model failed
    assert "opus-mt-mul-en" in fallback.stderr and "no network access" in fallback.stderr


@pytest.mark.slow
def test_models_pull_offline_exit_code_from_the_shell(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "HOME": str(tmp_path),
           "DRIFT_MODELS_DIR": str(tmp_path / "models"), "HF_HUB_CACHE": str(tmp_path / "hf")}
    done = subprocess.run([sys.executable, "-m", "drift", "models", "pull", "fr"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == EXIT_NOTHING, done.stderr
    assert done.stderr.startswith("error: no network access to the Hugging Face hub")
    assert done.stderr.count("\n") == 1


def test_translate_with_the_tiny_marian_model(offline: Path, tiny_models: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(tiny_models))
    (tmp_path / "crane.txt").write_text(SPANISH_ARTICLE, encoding="utf-8")
    result = run("translate", str(tmp_path / "crane.txt"), "--translator", "marian", "--json",
                 "--no-cache")
    assert result.exit_code == EXIT_OK, result.output
    [row] = json.loads(result.stdout)
    assert row["span"]["text"] == SPANISH_INNER
    assert row["translation"]["backend"] == "marian"
    assert row["translation"]["model"] == "Helsinki-NLP/opus-mt-es-en"
    assert isinstance(row["translation"]["text"], str)
    # transformers' "Loading weights" progress bar stays off stderr outside a terminal.
    assert "Loading weights" not in result.stderr and "%|" not in result.stderr
    assert result.stderr == ""


def test_translate_with_apertium(tmp_path: Path) -> None:
    need_apertium("es")
    (tmp_path / "crane.txt").write_text(SPANISH_ARTICLE, encoding="utf-8")
    result = run("translate", str(tmp_path), "--translator", "apertium", "--no-cache")
    assert result.exit_code == EXIT_OK, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("[crane] es ")
    assert lines[1] == f"  original:    {SPANISH_INNER}"
    assert lines[2].startswith("  translation: ") and "crane" in lines[2].lower()
    assert lines[3] == "  by:          apertium, apertium spa-eng"


def test_translate_offline_marian_is_a_partial_failure(offline: Path, tmp_path: Path) -> None:
    (tmp_path / "crane.txt").write_text(SPANISH_ARTICLE, encoding="utf-8")
    result = run("translate", str(tmp_path), "--translator", "marian", "--no-cache")
    assert result.exit_code == EXIT_PARTIAL
    assert "not translated:" in result.stdout
    assert "drift models pull es" in result.stderr


# --- the models folder -----------------------------------------------------------------------


def test_models_dir_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from drift import modelhub

    monkeypatch.setenv("DRIFT_MODELS_DIR", str(tmp_path / "env"))
    assert modelhub.models_dir() == tmp_path / "env"
    monkeypatch.delenv("DRIFT_MODELS_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    user = tmp_path / "data" / "drift" / "models"
    (tmp_path / "models").mkdir()
    monkeypatch.chdir(tmp_path)
    # A "models" folder without a registry is some other project's, not drift's.
    assert modelhub.models_dir() == user
    (tmp_path / "models" / "registry.toml").write_text("[languages]\n", encoding="utf-8")
    assert modelhub.models_dir() == tmp_path / "models"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.chdir(tmp_path / "models")
    assert modelhub.models_dir() == Path.home() / ".local" / "share" / "drift" / "models"


def test_registry_ships_with_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import tomllib

    from drift import modelhub

    packaged = modelhub.packaged_registry_path()
    assert packaged is not None and packaged.parent == Path(modelhub.__file__).parent
    documented = Path(__file__).parents[1] / "models" / "registry.toml"
    a, b = (tomllib.loads(p.read_text(encoding="utf-8")) for p in (packaged, documented))
    assert a == b, "drift/registry.toml and models/registry.toml must list the same models"
    assert a["languages"] == modelhub.BUILTIN_LANGUAGES
    # Outside a checkout (no ./models/registry.toml, an empty user folder) the packaged one serves.
    monkeypatch.setenv("DRIFT_MODELS_DIR", str(tmp_path))
    reg = modelhub.registry()
    assert reg.source == packaged and reg.languages["es"] == "Helsinki-NLP/opus-mt-es-en"
    for lang in ("ar", "he", "bg", "mk", "ja", "ko", "zh", "hi", "uk", "ru", "nl"):
        assert modelhub.registered_model(lang) == f"Helsinki-NLP/opus-mt-{lang}-en"
