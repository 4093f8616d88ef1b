"""Stage 1, reading: every input format, folders as article sets, and bad input.

Every bad file must give one clear one-line ReadError naming that file while the rest of the
set is still read. The example articles here are written for these tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import drift.ingest.base
from drift.ingest import raw_context, read_file, read_paths
from drift.ingest.languages import normalize_language
from drift.records import ArticleSet, ReadError

# --- the project's own example articles -------------------------------------------------------

PLAIN = (
    "Council votes to reopen the old library\n"
    "The town council voted on Tuesday to reopen the old library on Mill Street next spring.\n"
    "Repairs to the roof will cost about 300,000 euros, the mayor said.\n"
)

FRONT_MATTER = """---
id: harbour-1
title: Harbour crane collapses during storm
outlet: The Lakeside Gazette
url: https://gazette.example/harbour-crane
date: 2024-03-12
language: en
reference: true
---
A container crane at the north harbour collapsed on Monday night as winds reached 120 km/h.

No one was hurt, the port authority said, but two ships were moved to the outer basin.
"""

# Hand-written front matter often has an unquoted colon in the title; YAML rejects it.
FLAT_TITLE = """---
id: bridge-2
title: Bridge closure: shops count the cost
outlet: Valley Courier
language: en
reference: false
---
Shopkeepers near the closed swing bridge say takings have fallen by a third since January.
"""

# Truly broken: an unclosed bracket, and a line that is no "key: value" pair at all.
BROKEN_FRONT_MATTER = """---
id: broken-3
title: [Storm damage
this line is not a pair
---
Body text of an article whose front matter cannot be read.
"""

HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Swing bridge reopens after repairs | The Lakeside Gazette</title>
  <meta property="og:site_name" content="The Lakeside Gazette">
</head>
<body>
  <header class="site-header">
    <div class="logo">The Lakeside Gazette</div>
    <nav class="main-menu">
      <ul>
        <li><a href="/">Home</a></li>
        <li><a href="/local">Local news</a></li>
        <li><a href="/sport">Sport results</a></li>
        <li><a href="/weather">Weather forecast and tide tables</a></li>
      </ul>
    </nav>
  </header>
  <div class="layout">
    <aside class="sidebar">
      <h3>Most popular</h3>
      <ul>
        <li><a href="/a1">Farmers market moves to the old fire station</a></li>
        <li><a href="/a2">Council approves new cycle lanes on Mill Road</a></li>
      </ul>
    </aside>
    <main>
      <article>
        <h1>Swing bridge reopens after repairs</h1>
        <p class="byline">By Mira Castellan, 12 March 2024</p>
        <p>The swing bridge over Brenner Harbour reopened to traffic on Monday morning after
        eight weeks of repairs to its corroded hinges, the county roads department said.</p>
        <p>Engineers replaced both hydraulic rams and repainted the steel deck, at a cost of about
        1.4 million pounds. Buses that had been diverted through the industrial estate returned to
        their usual route at noon.</p>
        <p>"We had to finish before the sailing season starts," said the department's chief
        engineer, Tobias Wren. "Every week of closure cost local shops a great deal of trade."</p>
        <p>Shopkeepers on Quay Street said takings had fallen by a third while the bridge was
        shut, and the chamber of commerce has asked the county for a rates holiday.</p>
      </article>
    </main>
  </div>
  <footer class="site-footer">
    <p>Copyright 2024 The Lakeside Gazette. All rights reserved.</p>
    <ul>
      <li><a href="/privacy">Privacy policy</a></li><li><a href="/contact">Contact us</a></li>
    </ul>
  </footer>
</body>
</html>
"""

RSS_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
  <title>Valley Courier</title>
  <link>https://courier.example/</link>
  <description>News from the valley</description>
  <item>
    <title>Library extends weekend opening hours</title>
    <link>https://courier.example/library-hours</link>
    <pubDate>Tue, 05 Mar 2024 09:00:00 GMT</pubDate>
    <description>&lt;p&gt;The central library will open on Sundays from April, the town council
    said on Tuesday.&lt;/p&gt;&lt;p&gt;The change follows a petition signed by more than two
    thousand residents.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Ferry timetable changes in May</title>
    <link>https://courier.example/ferry</link>
    <description>The summer ferry timetable starts on May 2, with two extra crossings a day.
    </description>
  </item>
</channel>
</rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Coastline Wire</title>
  <id>urn:uuid:6f1c2a10-0000-4000-8000-000000000001</id>
  <updated>2024-03-05T10:00:00Z</updated>
  <entry>
    <title>Lighthouse keeper retires after forty years</title>
    <id>urn:uuid:6f1c2a10-0000-4000-8000-000000000002</id>
    <link href="https://wire.example/lighthouse"/>
    <updated>2024-03-05T10:00:00Z</updated>
    <summary>Short summary only.</summary>
    <content type="html">&lt;p&gt;The last keeper of the Point Sorrel lighthouse stepped down on
    Friday after four decades on the headland.&lt;/p&gt;&lt;p&gt;The light has been automatic
    since 1998.&lt;/p&gt;</content>
  </entry>
</feed>
"""

BROKEN_FEED = (
    '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Broken</title>'
    "<item><title>Half an item"
)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def only_error(aset: ArticleSet | tuple[object, list[ReadError]], source: Path | str) -> ReadError:
    """The single error of a read, checked to name ``source`` and to be one line."""
    errors = list(aset.errors if isinstance(aset, ArticleSet) else aset[1])
    assert len(errors) == 1, errors
    err = errors[0]
    assert err.source == str(source)
    assert err.message.strip() and "\n" not in err.message and "\n" not in str(err)
    assert str(err) == f"{source}: {err.message}"
    return err


# --- formats ---------------------------------------------------------------------------------


def test_plain_text_file(tmp_path: Path) -> None:
    path = write(tmp_path, "library-vote.txt", PLAIN)
    articles, errors = read_file(path)
    assert errors == []
    [art] = articles
    assert art.id == "library-vote"
    assert art.source == str(path)
    assert art.text == PLAIN.rstrip("\n")
    assert art.raw == PLAIN
    # A short first line without a full stop serves as the title.
    assert art.title == "Council votes to reopen the old library"
    assert art.language is None and not art.reference


def test_windows_newlines_are_normalised(tmp_path: Path) -> None:
    path = write(tmp_path, "crlf.txt", PLAIN.replace("\n", "\r\n").encode())
    [art], errors = read_file(path)
    assert errors == []
    assert "\r" not in art.raw and "\r" not in art.text
    assert art.text == PLAIN.rstrip("\n")


def test_markdown_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "crane.md", FRONT_MATTER)
    [art], errors = read_file(path)
    assert errors == []
    assert art.id == "harbour-1"
    assert art.title == "Harbour crane collapses during storm"
    assert art.outlet == "The Lakeside Gazette"
    assert art.url == "https://gazette.example/harbour-crane"
    assert art.date == "2024-03-12"
    assert art.language == "en"
    assert art.reference is True
    assert not art.text.startswith("---") and "outlet:" not in art.text
    assert art.text.startswith("A container crane at the north harbour collapsed")
    assert art.text.endswith("moved to the outer basin.")


def test_front_matter_title_with_unquoted_colon(tmp_path: Path) -> None:
    path = write(tmp_path, "bridge.md", FLAT_TITLE)
    [art], errors = read_file(path)
    assert errors == []
    assert art.id == "bridge-2"
    assert art.title == "Bridge closure: shops count the cost"
    assert art.outlet == "Valley Courier"
    assert art.language == "en"
    assert art.reference is False
    assert art.text.startswith("Shopkeepers near the closed swing bridge")


def test_front_matter_of_the_devset(devsets: list[Path]) -> None:
    """Real front matter: ids, titles (some with an unquoted colon) and languages."""
    for folder in devsets:
        aset = read_paths([folder])
        assert aset.errors == (), aset.errors
        for art in aset.articles:
            path = Path(art.source)
            assert art.id == path.stem
            header = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
            fields = dict(line.split(": ", 1) for line in header.splitlines()[1:])
            assert art.title == fields["title"]
            assert art.outlet == fields["outlet"]
            assert art.language == fields["language"]
            assert art.reference is (path.stem == "reference")
            assert "\n---\n" not in art.text and not art.text.startswith("id:")


def test_html_page_main_text_without_navigation(tmp_path: Path) -> None:
    path = write(tmp_path, "bridge.html", HTML_PAGE)
    [art], errors = read_file(path)
    assert errors == []
    assert art.id == "bridge"
    assert art.title == "Swing bridge reopens after repairs"
    assert art.outlet == "The Lakeside Gazette"
    assert art.language == "en"
    text = " ".join(art.text.split())
    for body in (
        "The swing bridge over Brenner Harbour reopened to traffic on Monday morning",
        "Buses that had been diverted through the industrial estate",
        '"Every week of closure cost local shops a great deal of trade."',
        "asked the county for a rates holiday.",
    ):
        assert body in text
    for furniture in (
        "Weather forecast and tide tables", "Sport results", "Most popular",
        "Farmers market moves", "cycle lanes", "Copyright", "All rights reserved",
        "Privacy policy", "Contact us", "<",
    ):
        assert furniture not in art.text, furniture


def test_html_page_without_article(tmp_path: Path) -> None:
    page = "<html><head><title>Loading</title></head><body><script>go();</script></body></html>"
    path = write(tmp_path, "empty-page.html", page)
    articles, errors = read_file(path)
    assert articles == []
    assert "no article text" in only_error((articles, errors), path).message


def test_json_object(tmp_path: Path) -> None:
    obj = {"id": "j-1", "headline": "Tram line opens", "lang": "en", "source_name": "Metro Daily",
           "link": "https://metro.example/tram", "published": "2024-04-01",
           "body": "The new tram line between the station and the hospital opened on Monday."}
    path = write(tmp_path, "tram.json", json.dumps(obj))
    [art], errors = read_file(path)
    assert errors == []
    assert (art.id, art.title, art.language, art.outlet, art.url, art.date) == (
        "j-1", "Tram line opens", "en", "Metro Daily", "https://metro.example/tram", "2024-04-01")
    assert art.text == obj["body"]
    assert art.source == str(path)


def test_json_list_reads_every_item_and_reports_a_bad_one(tmp_path: Path) -> None:
    items = [
        {"id": "l-1", "text": "The first article of the list is about a new bakery."},
        {"id": "l-2", "title": "no text field here"},
        {"content": "The third article has no id, so it is named after the file."},
    ]
    path = write(tmp_path, "batch.json", json.dumps(items))
    articles, errors = read_file(path)
    assert [a.id for a in articles] == ["l-1", "batch-3"]
    assert [a.source for a in articles] == [f"{path}#1", f"{path}#3"]
    err = only_error((articles, errors), f"{path}#2")
    assert "no text field" in err.message


def test_jsonl_reports_a_malformed_line_with_its_number(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "n-1", "text": "Snow closed the mountain pass on Friday."}),
        '{"id": "n-2", "text": "This line is cut off',
        "",
        json.dumps({"id": "n-4", "body": "The pass reopened on Sunday after the ploughs came."}),
    ]
    path = write(tmp_path, "wire.jsonl", "\n".join(lines) + "\n")
    articles, errors = read_file(path)
    assert [a.id for a in articles] == ["n-1", "n-4"]
    assert [a.source for a in articles] == [f"{path}:1", f"{path}:4"]
    err = only_error((articles, errors), f"{path}:2")
    assert "malformed JSON" in err.message


def test_rss_feed(tmp_path: Path) -> None:
    path = write(tmp_path, "courier.rss", RSS_FEED)
    articles, errors = read_file(path)
    assert errors == []
    assert [a.title for a in articles] == ["Library extends weekend opening hours",
                                           "Ferry timetable changes in May"]
    first, second = articles
    assert first.outlet == "Valley Courier"
    assert first.url == "https://courier.example/library-hours"
    assert first.date and "2024" in first.date
    assert first.source == f"{path}#1"
    # The HTML description becomes plain text, one paragraph per line.
    assert first.text.split("\n") == [
        "The central library will open on Sundays from April, the town council said on Tuesday.",
        "The change follows a petition signed by more than two thousand residents.",
    ]
    assert second.text == (
        "The summer ferry timetable starts on May 2, with two extra crossings a day."
    )
    assert len({a.id for a in articles}) == 2


def test_atom_feed_prefers_full_content(tmp_path: Path) -> None:
    path = write(tmp_path, "wire.atom", ATOM_FEED)
    [art], errors = read_file(path)
    assert errors == []
    assert art.title == "Lighthouse keeper retires after forty years"
    assert art.outlet == "Coastline Wire"
    assert art.url == "https://wire.example/lighthouse"
    assert art.text.split("\n") == [
        "The last keeper of the Point Sorrel lighthouse stepped down on Friday after four decades "
        "on the headland.",
        "The light has been automatic since 1998.",
    ]
    assert "Short summary only" not in art.text


@pytest.mark.parametrize("content", [BROKEN_FEED, "this is not a feed, just a line of words\n"])
def test_malformed_feed_is_one_error_and_the_set_goes_on(tmp_path: Path, content: str) -> None:
    bad = write(tmp_path, "broken.rss", content)
    good = write(tmp_path, "courier.rss", RSS_FEED)
    aset = read_paths([bad, good])
    assert [a.title for a in aset.articles] == ["Library extends weekend opening hours",
                                                "Ferry timetable changes in May"]
    assert "feed" in only_error(aset, bad).message


# --- folders ---------------------------------------------------------------------------------


def test_folder_is_a_sorted_recursive_set(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", "Second article: the ferry left late on Sunday evening.")
    write(tmp_path, "a.md", FRONT_MATTER.replace("id: harbour-1", "id: a"))
    write(tmp_path, "sub/c.json", json.dumps({"id": "c", "text": "A nested article about tides."}))
    write(tmp_path, "sub/deeper/d.html", HTML_PAGE)
    write(tmp_path, "labels.json", json.dumps({"reference": "a", "drifts": [], "non_english": []}))
    write(tmp_path, "README.md", "# About this folder\nThese are test files.\n")
    write(tmp_path, "EXPECTED.md", "What a correct audit must show.\n")
    write(tmp_path, "sub/NOTES.txt", "Known documentation names are skipped.\n")
    write(tmp_path, ".hidden.txt", "A hidden file is not an article.\n")
    write(tmp_path, ".cache/e.txt", "Nor is anything in a hidden folder.\n")
    write(tmp_path, "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    aset = read_paths([tmp_path])
    assert aset.errors == ()
    assert [a.id for a in aset.articles] == ["a", "b", "c", "d"]
    assert all(Path(a.source).is_relative_to(tmp_path) for a in aset.articles)


def test_seeds_folder_skips_labels_and_documentation(seeds_dir: Path) -> None:
    aset = read_paths([seeds_dir])
    assert aset.errors == ()
    names = sorted(Path(a.source).name for a in aset.articles)
    expected = sorted(p.name for p in seeds_dir.glob("*.txt"))
    assert names == expected
    assert not any(Path(a.source).name in {"labels.json", "EXPECTED.md"} for a in aset.articles)
    [ref] = [a for a in aset.articles if a.reference]
    assert Path(ref.source).name == "reference.txt"


def test_duplicate_ids_are_numbered(tmp_path: Path) -> None:
    for n in (1, 2, 3):
        write(tmp_path, f"copy{n}.md", FRONT_MATTER.replace("reference: true", "reference: false"))
    aset = read_paths([tmp_path])
    assert [a.id for a in aset.articles] == ["harbour-1", "harbour-1-2", "harbour-1-3"]
    assert [Path(a.source).name for a in aset.articles] == ["copy1.md", "copy2.md", "copy3.md"]


def test_same_file_twice_is_read_once(tmp_path: Path) -> None:
    path = write(tmp_path, "once.txt", PLAIN)
    aset = read_paths([path, tmp_path, path])
    assert [a.id for a in aset.articles] == ["once"]


def test_reference_inside_the_folder_is_marked(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "The first report says the bridge reopened on Monday.")
    ref = write(tmp_path, "orig.txt", "The original report says the bridge reopened on Monday.")
    aset = read_paths([tmp_path], reference=ref)
    assert [(a.id, a.reference) for a in aset.articles] == [("a", False), ("orig", True)]


def test_reference_outside_the_folder_is_read_first(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    write(folder, "a.txt", "The first report says the bridge reopened on Monday.")
    write(folder, "b.txt", "The second report says the bridge reopened on Tuesday.")
    ref = write(tmp_path, "original.txt", "The original report says the bridge reopened on Monday.")
    aset = read_paths([folder], reference=ref)
    assert aset.errors == ()
    assert [(a.id, a.reference) for a in aset.articles] == [
        ("original", True), ("a", False), ("b", False)]


def test_devset_reference_and_other_set(devsets: list[Path], seeds_dir: Path) -> None:
    """A reference from another folder is read and marked; equal ids from two sets get -2."""
    folder = devsets[0]
    aset = read_paths([folder], reference=seeds_dir / "reference.txt")
    refs = [a for a in aset.articles if a.reference]
    assert [Path(a.source).parent for a in refs] == [seeds_dir, folder]
    assert [a.id for a in refs] == ["reference", "reference-2"]


def test_missing_reference_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "The first report says the bridge reopened on Monday.")
    missing = tmp_path / "nowhere" / "ref.txt"
    aset = read_paths([tmp_path], reference=missing)
    assert [a.id for a in aset.articles] == ["a"]
    only_error(aset, missing)


# --- bad input -------------------------------------------------------------------------------

BAD_FILES: list[tuple[str, str | bytes, str]] = [
    ("empty.txt", "", r"empty file"),
    ("blank.md", "  \n\n\t\n", r"empty file"),
    ("binary.txt", b"GIF89a\x01\x00\x00\x00\x00\xff\xff", r"binary file .*NUL"),
    ("latin1.txt", "El niño comió piñata en la reunión.\n".encode("latin-1"),
     r"not UTF-8 .*0xf1 at offset 5"),
    ("broken.json", '{"id": "x", "text": "an unterminated object"', r"malformed JSON at line 1"),
    ("broken.md", BROKEN_FRONT_MATTER, r"malformed YAML front matter \(line \d+\)"),
    ("only-furniture.txt", "Read also\n- Link one\n- Link two\n", r"no article text left"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_one_error_and_the_others_are_read(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    first = write(tmp_path, "first.txt", "The ferry left on time on Sunday morning.")
    bad = write(tmp_path, name, content)
    last = write(tmp_path, "zzz-last.txt", "The ferry came back late on Sunday evening.")
    # Named one by one ...
    aset = read_paths([first, bad, last])
    assert [a.id for a in aset.articles] == ["first", "zzz-last"]
    assert re.search(message, only_error(aset, bad).message)
    # ... and as a folder.
    aset = read_paths([tmp_path])
    assert [a.id for a in aset.articles] == ["first", "zzz-last"]
    assert re.search(message, only_error(aset, bad).message)


def test_unknown_extension_named_explicitly(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", "The ferry left on time on Sunday morning.")
    doc = write(tmp_path, "minutes.docx", b"PK\x03\x04 not really a document")
    aset = read_paths([doc, good])
    assert [a.id for a in aset.articles] == ["good"]
    err = only_error(aset, doc)
    assert "unsupported file type .docx" in err.message and ".txt" in err.message
    # In a folder, files of other types are simply not articles.
    assert read_paths([tmp_path]).errors == ()


def test_json_without_article(tmp_path: Path) -> None:
    """Named explicitly it is an error; in a folder it is data, not an article (as labels.json)."""
    good = write(tmp_path, "good.txt", "The ferry left on time on Sunday morning.")
    data = write(tmp_path, "settings.json", json.dumps({"title": "no body", "pages": 3}))
    aset = read_paths([data, good])
    assert [a.id for a in aset.articles] == ["good"]
    assert "no text field" in only_error(aset, data).message
    aset = read_paths([tmp_path])
    assert ([a.id for a in aset.articles], aset.errors) == (["good"], ())


def test_missing_path(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", "The ferry left on time on Sunday morning.")
    missing = tmp_path / "no-such-article.txt"
    aset = read_paths([missing, good])
    assert [a.id for a in aset.articles] == ["good"]
    assert "no such file" in only_error(aset, missing).message


def test_size_limit_applies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(drift.ingest.base, "MAX_BYTES", 200)
    small = write(tmp_path, "small.txt", "A short article about the harbour crane.")
    large = write(tmp_path, "large.txt", "The harbour crane article goes on and on. " * 10)
    aset = read_paths([large, small])
    assert [a.id for a in aset.articles] == ["small"]
    assert "over the" in only_error(aset, large).message


def test_file_over_20_mb_is_refused_without_reading_it(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "huge.txt"
    line = b"The harbour crane article goes on and on, far beyond any real news story.\n"
    with big.open("wb") as fh:
        fh.write(line * (21 * 2**20 // len(line) + 1))
    assert big.stat().st_size > 21 * 2**20
    good = write(tmp_path, "good.txt", "The ferry left on time on Sunday morning.")
    read: list[Path] = []  # every file opened or read, by any Path method
    real_read_bytes, real_open = Path.read_bytes, Path.open

    def spy_read_bytes(self: Path) -> bytes:
        read.append(self)
        return real_read_bytes(self)

    def spy_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        read.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", spy_read_bytes)
    monkeypatch.setattr(Path, "open", spy_open)
    aset = read_paths([tmp_path])
    assert big not in read and good in read  # refused on its size, before any of it was read
    assert [a.id for a in aset.articles] == ["good"]
    assert re.search(r"file is 2\d\.\d MiB, over the 20 MiB limit", only_error(aset, big).message)
    assert drift.ingest.base.MAX_BYTES == 20 * 2**20  # the unit the message names


# --- parser failures, hostile input (review of issue 2) ------------------------------------

DEEP = "[" * 200_000 + "]" * 200_000


def test_deeply_nested_json_is_one_error_and_the_set_goes_on(tmp_path: Path) -> None:
    first = write(tmp_path, "first.txt", "The ferry left on time on Sunday morning.")
    deep = write(tmp_path, "deep.json", DEEP)
    obj = write(tmp_path, "deep-object.json", '{"text": "x", "meta": ' + DEEP + "}")
    aset = read_paths([first, deep, obj])
    assert [a.id for a in aset.articles] == ["first"]
    errors = {e.source: e.message for e in aset.errors}
    assert set(errors) == {str(deep), str(obj)}
    for message in errors.values():
        assert message == "malformed JSON: nested too deeply to read"
    # In a folder too (the scan parses JSON to tell articles from data).
    aset = read_paths([tmp_path])
    assert [a.id for a in aset.articles] == ["first"]
    assert len(aset.errors) == 2 and all("nested too deeply" in e.message for e in aset.errors)


def test_deeply_nested_jsonl_line_is_an_error_for_that_line_only(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "n-1", "text": "Snow closed the mountain pass on Friday."}), DEEP,
             json.dumps({"id": "n-3", "text": "The pass reopened on Sunday."})]
    path = write(tmp_path, "wire.jsonl", "\n".join(lines))
    articles, errors = read_file(path)
    assert [a.id for a in articles] == ["n-1", "n-3"]
    assert only_error((articles, errors), f"{path}:2").message == (
        "malformed JSON: nested too deeply to read")


def test_jsonl_malformed_line_names_its_column(tmp_path: Path) -> None:
    path = write(tmp_path, "wire.jsonl", '{"id": "x", "text": }\n')
    articles, errors = read_file(path)
    assert articles == []
    assert re.fullmatch(r"malformed JSON at column \d+: .+", errors[0].message)


def test_any_reader_exception_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(path: Path) -> list[object]:
        raise ValueError("parser blew up\nwith a second line")

    monkeypatch.setitem(drift.ingest.READERS, ".html", explode)
    bad = write(tmp_path, "page.html", "<html></html>")
    good = write(tmp_path, "good.txt", "The ferry left on time on Sunday morning.")
    aset = read_paths([bad, good])
    assert [a.id for a in aset.articles] == ["good"]
    assert only_error(aset, bad).message == "cannot read: ValueError: parser blew up"


BILLION_LAUGHS = """---
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
title: [*h, *h, *h, *h, *h, *h, *h, *h, *h]
---
The body of an article whose front matter is an alias bomb.
"""


def test_yaml_alias_bomb_is_refused_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused at the first anchor: no alias is ever resolved and nothing is constructed, so
    the exponential expansion cannot start."""
    composed: list[str] = []  # kinds of the YAML events the composer turned into nodes
    constructed: list[object] = []
    real_compose = yaml.composer.Composer.compose_node
    real_construct = yaml.constructor.BaseConstructor.construct_object

    def spy_compose(self: yaml.composer.Composer, parent: Any, index: Any) -> Any:
        composed.append(type(self.peek_event()).__name__)  # type: ignore[no-untyped-call]
        return real_compose(self, parent, index)

    def spy_construct(self: yaml.constructor.BaseConstructor, node: Any, deep: bool = False) -> Any:
        constructed.append(node)
        return real_construct(self, node, deep)

    monkeypatch.setattr(yaml.composer.Composer, "compose_node", spy_compose)
    monkeypatch.setattr(yaml.constructor.BaseConstructor, "construct_object", spy_construct)
    bomb = write(tmp_path, "bomb.md", BILLION_LAUGHS)
    good = write(tmp_path, "good.txt", "The ferry left on time on Sunday morning.")
    aset = read_paths([bomb, good])
    assert [a.id for a in aset.articles] == ["good"]
    message = only_error(aset, bomb).message
    assert "anchors and aliases" in message and "(line 2)" in message
    assert "AliasEvent" not in composed and len(composed) <= 2  # the root mapping, its first key
    assert constructed == []


def test_yaml_single_anchor_is_refused_too(tmp_path: Path) -> None:
    path = write(tmp_path, "anchor.md", "---\ntitle: &t Harbour news\noutlet: *t\n---\nBody.\n")
    assert "anchors and aliases" in only_error(read_file(path), path).message


def test_front_matter_values_must_be_scalars(tmp_path: Path) -> None:
    text = ("---\nid: scalar-1\ntitle: [Harbour, crane]\noutlet: {name: Gazette}\n"
            "date: 2024-03-12\nreference: [true]\n---\nThe crane fell on Monday.\n")
    [art], errors = read_file(write(tmp_path, "lists.md", text))
    assert errors == []
    assert (art.id, art.title, art.outlet, art.date, art.reference) == (
        "scalar-1", None, None, "2024-03-12", False)
    assert art.notes == (
        "metadata field 'title' is a list, not text; ignored",
        "metadata field 'outlet' is a mapping, not text; ignored",
        "metadata field 'reference' is not true or false; ignored",
    )


def test_json_metadata_must_be_scalars(tmp_path: Path) -> None:
    obj = {"id": ["a", "b"], "title": {"x": 1}, "text": "The tram line opened on Monday."}
    [art], errors = read_file(write(tmp_path, "tram.json", json.dumps(obj)))
    assert errors == [] and art.id == "tram" and art.title is None
    assert len(art.notes) == 2 and all("not text; ignored" in n for n in art.notes)


@pytest.mark.parametrize("line", ["title: [unclosed", "title: {open", 'title: "unterminated',
                                  "outlet: *alias"])
def test_malformed_yaml_value_is_an_error_not_text(tmp_path: Path, line: str) -> None:
    path = write(tmp_path, "broken.md", f"---\nid: b-1\n{line}\n---\nBody of the article.\n")
    message = only_error(read_file(path), path).message
    assert message.startswith(("malformed YAML front matter", "front matter")), message


@pytest.mark.parametrize(("declared", "code"), [
    ("es", "es"), ("ES", "es"), ("Spanish", "es"), ("español", "es"), ("Espanol", "es"),
    ("spa", "es"), ("es-ES", "es"), ("pt_BR", "pt"), ("Portuguese", "pt"), ("por", "pt"),
    ("deu", "de"), ("ger", "de"), ("Deutsch", "de"), ("fre", "fr"), ("Français", "fr"),
    ("nld", "nl"), ("Dutch", "nl"), ("ukr", "uk"), ("Українська", "uk"), ("zh-Hant", "zh"),
    ("Chinese", "zh"), ("sw", "sw"), ("English", "en"), ("eng", "en"),
])
def test_declared_language_names_and_codes(declared: str, code: str) -> None:
    assert normalize_language(declared) == code


def test_unknown_declared_language_is_dropped_with_a_note(tmp_path: Path) -> None:
    ok = write(tmp_path, "ok.md", "---\nlanguage: Spanish\n---\nEl puerto cerró el lunes.\n")
    odd = write(tmp_path, "odd.md", "---\nlanguage: Klingon\n---\nThe port closed on Monday.\n")
    [a] = read_file(ok)[0]
    [b] = read_file(odd)[0]
    assert (a.language, a.notes) == ("es", ())
    assert b.language is None  # not "kl": the old [:2] cut made "Spanish" "sp"
    assert b.notes == ("unknown declared language 'Klingon' (not an ISO 639 code or a language "
                       "name drift knows); the language is inferred from the text",)


# --- which files a folder holds --------------------------------------------------------------


def test_upper_case_article_names_are_articles(tmp_path: Path) -> None:
    write(tmp_path, "CNN.txt", "The harbour crane collapsed on Monday night, officials said.")
    write(tmp_path, "AP.md", "A container crane collapsed at the north harbour on Monday.")
    write(tmp_path, "README.md", "# About this folder\n")
    write(tmp_path, "License.txt", "MIT\n")
    write(tmp_path, "CHANGELOG.en.md", "Changes.\n")
    aset = read_paths([tmp_path])
    assert [a.id for a in aset.articles] == ["AP", "CNN"]
    skipped = {Path(n.source).name: n for n in aset.notes}
    assert set(skipped) == {"README.md", "License.txt", "CHANGELOG.en.md"}
    assert all(n.level == "info" and "documentation" in n.message for n in skipped.values())


def test_underscore_names_are_skipped_with_an_info_note(tmp_path: Path) -> None:
    write(tmp_path, "story.txt", "The ferry left on time on Sunday morning.")
    draft = write(tmp_path, "_draft.txt", "An unfinished draft of the ferry story.")
    write(tmp_path, "_old/earlier.txt", "An earlier version of the ferry story.")
    aset = read_paths([tmp_path])
    assert [a.id for a in aset.articles] == ["story"]
    assert [(Path(n.source).name, n.level) for n in aset.notes] == [
        ("_draft.txt", "info"), ("earlier.txt", "info")]
    assert "starting with '_'" in aset.notes[0].message
    # Named directly, such a file is read.
    assert [a.id for a in read_paths([draft]).articles] == ["_draft"]


def test_labels_json_in_a_folder_is_an_info_note(tmp_path: Path) -> None:
    write(tmp_path, "story.txt", "The ferry left on time on Sunday morning.")
    write(tmp_path, "labels.json", json.dumps({"reference": "a", "drifts": []}))
    aset = read_paths([tmp_path])
    assert aset.errors == ()
    [note] = aset.notes
    assert note.level == "info" and note.source.endswith("labels.json")
    assert "JSON without an article" in note.message


def test_empty_json_list_named_directly_gives_a_note(tmp_path: Path) -> None:
    empty = write(tmp_path, "none.json", "[]")
    good = write(tmp_path, "good.txt", "The ferry left on time on Sunday morning.")
    aset = read_paths([empty, good])
    assert [a.id for a in aset.articles] == ["good"] and aset.errors == ()
    [note] = aset.notes
    assert (note.source, note.level) == (str(empty), "warning")
    assert note.message == "holds no article (an empty JSON list)"


def test_folder_without_articles_says_so(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "# Nothing here yet\n")
    write(tmp_path, "photo.png", b"\x89PNG\r\n")
    aset = read_paths([tmp_path])
    assert aset.articles == () and aset.errors == ()
    warning = [n for n in aset.notes if n.level == "warning"]
    assert [str(n) for n in warning] == [
        f"{tmp_path}: no article files in this folder (drift reads "
        ".atom, .htm, .html, .json, .jsonl, .markdown, .md, .ndjson, .rss, .txt, .xml)"]


# --- the map back into the source file -------------------------------------------------------

PASSAGE = "La autoridad portuaria no revisó las grúas antes de la tormenta."
WITH_FURNITURE = (
    "Home / Harbour / Crane\n"
    "<ns:image>data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4</ns:image>\n"
    "Read also\n- Storm closes the port\n- Ferries cancelled\n\n"
    "The harbour crane collapsed on Monday night.  ![chart](data:image/gif;base64,R0lGODlh) "
    f"“{PASSAGE}” the harbour master said.\n"
)


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("front", ["", "---\nid: crane\ntitle: Crane falls\nlanguage: en\n---\n"],
                         ids=["txt", "md-front-matter"])
def test_source_span_of_a_passage_after_removed_boilerplate(tmp_path: Path, crlf: bool,
                                                            front: str) -> None:
    content = front + WITH_FURNITURE
    if crlf:
        content = content.replace("\n", "\r\n")
    path = write(tmp_path, "crane.md" if front else "crane.txt", content.encode())
    [art], errors = read_file(path)
    assert errors == [] and art.raw_of == "file"
    start = art.text.index(PASSAGE)
    assert start > 0 and "Read also" not in art.text  # furniture before the passage is gone
    src_start, src_end = art.source_span(start, start + len(PASSAGE))
    file_text = path.read_bytes().decode("utf-8")
    assert file_text[src_start:src_end] == PASSAGE
    assert file_text.index(PASSAGE) == src_start
    # A span across the inline data URI: the source slice holds the span's characters in order,
    # and the image that cleaning cut from between them.
    a = art.text.index("Monday night.")
    b = art.text.index("“") + 1
    lo, hi = art.source_span(a, b)
    assert file_text[lo:hi].startswith("Monday night.") and "data:image/gif" in file_text[lo:hi]
    ctx = raw_context(art, start, start + len(PASSAGE), width=20)
    assert (ctx.start, ctx.end, ctx.text, ctx.of) == (src_start, src_end, PASSAGE, "file")
    assert ctx.before.endswith("“") and ctx.after.startswith("” the harbour")


def test_a_headline_opening_with_a_quotation_is_read_as_text(tmp_path: Path) -> None:
    text = ('---\nid: q-1\ntitle: "Not one more cut": dockers walk out in Arden\n'
            "outlet: Harbour Gazette\n---\nDockers walked out on Monday.\n")
    [art], errors = read_file(write(tmp_path, "quoted.md", text))
    assert errors == []
    assert (art.id, art.title, art.outlet) == (
        "q-1", '"Not one more cut": dockers walk out in Arden', "Harbour Gazette")
