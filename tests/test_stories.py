"""``drift audit STORIES/ --stories``: every story of a collection audited (in worker processes),
one report per story and an index of them, a failing story one warning and exit 3."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from drift.stories import AuditOptions, CollectionError, audit_stories, find_stories, slug

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_audit import make_set

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "harbour-strike"
DRIFT = [sys.executable, "-m", "drift"]
# A story name with markup in it: the index shows it as text.
ODD = "<i>odd<i> & story"


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three stories: the bundled example, a generated one (the reference in a subfolder's
    sibling reference.md) and one with a file that cannot be read."""
    root = tmp_path_factory.mktemp("collection")
    shutil.copytree(EXAMPLE, root / "harbour-strike",
                    ignore=shutil.ignore_patterns("*.json", "EXPECTED.md"))
    make_set(4, root / ODD, seed=7)
    broken = root / "broken-story"
    make_set(3, broken, seed=8)
    (broken / "articles" / "garbled.txt").write_bytes(b"\xff\xfe\x00\x00binary\x00")
    (root / "notes.txt").write_text("files beside the stories are not read\n", encoding="utf-8")
    return root


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DRIFT, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          check=False)


def test_find_stories_takes_subfolders_and_their_reference_files(collection: Path) -> None:
    stories = find_stories(collection)
    assert [s.name for s in stories] == sorted(["harbour-strike", ODD, "broken-story"])
    by_name = {s.name: s for s in stories}
    assert by_name["harbour-strike"].reference == collection / "harbour-strike" / "reference.md"
    assert by_name[ODD].reference == collection / ODD / "reference.md"
    with pytest.raises(CollectionError, match="holds no story"):
        find_stories(EXAMPLE)  # a story, not a collection


def test_collection_audit_writes_reports_and_index(collection: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _run("audit", collection, "--stories", "--workers", "2", "--translator", "identity",
                "--judge", "off", "--json", out, "--html", out, "--no-cache", cwd=tmp_path)
    # One story has a file that cannot be read: a warning, exit 3, the others complete.
    assert done.returncode == 3, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "broken-story" in warnings[0] and "garbled.txt" in warnings[0]
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    rows = {r["story"]: r for r in index["stories"]}
    assert list(rows) == sorted(rows)
    assert rows["broken-story"]["status"] == "partial"
    assert rows["harbour-strike"]["status"] == rows[ODD]["status"] == "ok"
    assert index["totals"]["stories"] == 3 and index["totals"]["failed"] == 0
    for name, row in rows.items():
        report = json.loads((out / row["json"]).read_text(encoding="utf-8"))
        assert row["json"] == f"{slug(name)}/report.json"
        assert row["articles"] == len(report["articles"])
        assert row["findings"] == report["summary"]["findings"]
        assert (out / row["html"]).is_file()
    assert rows["harbour-strike"]["findings"]["high"] >= 1  # the example's drifts are found
    # Each story's report is the report `drift audit FOLDER` gives for that folder alone.
    single = _run("audit", collection / "harbour-strike", "--translator", "identity",
                  "--judge", "off", "--no-cache", "--format", "json", cwd=tmp_path)
    assert single.stdout == (out / "harbour-strike" / "report.json").read_text(encoding="utf-8")
    # The index page: one row per story, names escaped, links to the written pages.
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<i>odd<i>" not in page
    soup = BeautifulSoup(page, "html.parser")
    shown = [tr.select_one("td.name").get_text(strip=True) for tr in soup.select("tr.story")]
    assert shown == list(rows)
    for tr in soup.select("tr.story"):
        link = tr.select_one("td.name a")
        assert link is not None and (out / link["href"]).is_file()
    odd_row = soup.select_one(f'tr[data-story="{ODD}"]')
    assert odd_row is not None and odd_row.select_one("td.high").get_text() == str(
        rows[ODD]["findings"]["high"])
    assert "garbled.txt" in soup.select_one('tr[data-story="broken-story"] td.problems').get_text()
    assert "http" not in page.split("<body>", 1)[1].split("</table>")[0]  # nothing fetched


def test_parallel_reports_equal_sequential_ones(collection: Path, tmp_path: Path) -> None:
    from drift.engines.local import LocalEngine

    options = AuditOptions(translator="identity", judge="off", use_cache=False)
    outs = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        engine = LocalEngine(workers)
        result = audit_stories(find_stories(collection), options, engine, json_dir=out)
        assert [o.story.name for o in result.outcomes] == sorted(o.story.name
                                                                  for o in result.outcomes)
        outs[workers] = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*"))
                         if p.is_file()}
        if workers == 2:
            assert engine.pools_started == 1
            assert len({o.result.pid for o in result.outcomes if o.result}) >= 1
    assert outs[1] == outs[2]


@pytest.mark.parametrize(("args", "message"), [
    (["--reference", "x.md"], "--reference"),
    (["--workers", "0"], "--workers must be 1 or more"),
    (["--engine", "spark"], "--engine must be one of"),
    (["--format", "markdown"], "--format markdown"),
])
def test_collection_usage_errors(collection: Path, tmp_path: Path, args: list[str],
                                 message: str) -> None:
    (tmp_path / "x.md").write_text("text\n", encoding="utf-8")
    done = _run("audit", collection, "--stories", *args, cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr


def test_story_options_need_stories_and_a_collection(tmp_path: Path) -> None:
    done = _run("audit", EXAMPLE, "--workers", "2", cwd=tmp_path)
    assert done.returncode == 2 and "add --stories" in done.stderr
    done = _run("audit", EXAMPLE, "--stories", cwd=tmp_path)
    assert done.returncode == 2 and "holds no story" in done.stderr
