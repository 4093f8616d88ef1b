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
from typer.testing import CliRunner, Result

from drift.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, app

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
    assert "Usage:" in result.output
    assert result.exit_code in (0, EXIT_USAGE)


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


def test_detect_seeds_json(seeds_dir: Path) -> None:
    result = run("detect", "--json", str(seeds_dir))
    assert result.exit_code == EXIT_OK, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and len(rows) == 1
    [row] = rows
    assert row["article"].startswith("004")
    assert row["language"] == "es"
    assert 0.5 <= row["confidence"] <= 1.0
    assert set(row["span"]) == {"start", "end", "text"}
    assert row["span"]["end"] - row["span"]["start"] == len(row["span"]["text"])


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
