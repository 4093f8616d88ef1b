"""Stage 1, reading: every input format, folders as article sets, and bad input.

Every bad file must give one clear one-line ReadError naming that file while the rest of the
set is still read. The example articles here are written for these tests.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

import drift.ingest.base
from drift.ingest import read_file, read_paths
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
    write(tmp_path, "sub/NOTES.txt", "Upper-case names are documentation.\n")
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


def test_file_over_20_mb_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    line = b"The harbour crane article goes on and on, far beyond any real news story.\n"
    with big.open("wb") as fh:
        fh.write(line * (21 * 2**20 // len(line) + 1))
    assert big.stat().st_size > 21 * 2**20
    write(tmp_path, "good.txt", "The ferry left on time on Sunday morning.")
    started = time.perf_counter()
    aset = read_paths([tmp_path])
    assert time.perf_counter() - started < 5
    assert [a.id for a in aset.articles] == ["good"]
    assert re.search(r"file is 2\d\.\d MB, over the 20 MB limit", only_error(aset, big).message)
