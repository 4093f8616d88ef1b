"""Stage 1b, cleaning: boilerplate goes, article text stays, and every character maps back.

On the seeds and the development sets (read from ../shared, skipped without it) and on the
project's own examples.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drift.clean import clean
from drift.ingest import read_paths
from drift.ingest.base import Meta, make_article
from drift.records import Article

SEED_BOILERPLATE = (
    "data:image", "<", "Read also", "Share on", "Related posts", "RECOMMENDATION",
    "Home / Malta", "Avatar", "MALTA BULLETIN",
)
# A few distinctive words of the last real paragraph of each seed: the trailer cut must stop
# right after it.
SEED_LAST_PARAGRAPH_WORDS = {
    "000": ("Canada", "China", "tariffs"),
    "001": ("sovereignty", "delicate", "powerful"),
    "002": ("touchbacks", "timetable", "sustainable"),
    "003": ("drone", "jeopardize", "decades"),
    "004": ("diplomacy", "curb", "escalates"),
}


def check_pieces(article: Article) -> None:
    """Every piece is a verbatim copy of the raw text; pieces tile the cleaned text in order;
    ``raw_offset`` maps each character back."""
    text, raw, pieces = article.text, article.raw, article.pieces
    assert pieces, article.id
    pos, raw_pos = 0, 0
    for p in pieces:
        assert p.length > 0
        assert p.start == pos, "pieces must tile the cleaned text"
        assert p.raw_start >= raw_pos, "pieces must follow the raw text in order"
        assert text[p.start : p.start + p.length] == raw[p.raw_start : p.raw_start + p.length]
        pos, raw_pos = p.start + p.length, p.raw_start + p.length
    assert pos == len(text)
    for offset in range(len(text)):
        assert raw[article.raw_offset(offset)] == text[offset], (article.id, offset)
    last = pieces[-1]
    assert article.raw_offset(len(text)) == last.raw_start + last.length
    with pytest.raises(ValueError):
        article.raw_offset(len(text) + 1)


def article_of(raw: str) -> Article:
    return make_article(raw, Meta(), default_id="example", source="example")


def seed_articles(seeds_dir: Path) -> dict[str, Article]:
    aset = read_paths([seeds_dir])
    assert aset.errors == ()
    return {a.id.split("_")[0]: a for a in aset.articles if not a.reference}


# --- the seeds -------------------------------------------------------------------------------


def test_seed_boilerplate_is_removed(seeds_dir: Path) -> None:
    arts = seed_articles(seeds_dir)
    assert sorted(arts) == sorted(SEED_LAST_PARAGRAPH_WORDS)
    for key, art in arts.items():
        for junk in SEED_BOILERPLATE:
            assert junk not in art.text, (key, junk)
        assert "\n\n\n" not in art.text and art.text == art.text.strip()


def test_seed_article_text_survives(seeds_dir: Path) -> None:
    for key, art in seed_articles(seeds_dir).items():
        last = art.text.rsplit("\n", 1)[-1]
        for word in SEED_LAST_PARAGRAPH_WORDS[key]:
            assert word in last, (key, word, last[:80])
        # Every raw line that is not boilerplate survives whole, as a line of the cleaned text.
        kept = set(art.text.split("\n"))
        for line in article_lines(art.raw):
            assert line in kept, (key, line[:80])


IMAGE_TAG = re.compile(r"<([\w-]+:)?image>")  # the seeds wrap images in a namespaced tag


def article_lines(raw: str) -> list[str]:
    """The seeds' lines that are article text, found independently of drift's rules: a line
    that is not an image, a breadcrumb, a widget or a link list, up to the trailer."""
    out: list[str] = []
    in_list = False
    for line in raw.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped in {"Share on", "RECOMMENDATION"}:
            break
        if stripped == "Read also":
            in_list = True
            continue
        if in_list and stripped.startswith("- "):
            continue
        in_list = False
        if IMAGE_TAG.match(stripped) or stripped.startswith("Home /"):
            continue
        if stripped.endswith("Avatar"):
            continue
        out.append(line)
    assert len(out) >= 5
    return out


def test_seed_pieces_map_back(seeds_dir: Path) -> None:
    aset = read_paths([seeds_dir])
    for art in aset.articles:
        check_pieces(art)


# --- the development sets --------------------------------------------------------------------

# devset/README.md: "Breadcrumbs, 'Read also', 'Share on', 'Related posts' and image lines are
# boilerplate, not drift."
BREADCRUMB = re.compile(r"^Home( / [^/]+)+$")
LINK_LIST_HEADINGS = {"Read also", "Related posts"}


def devset_boilerplate(raw: str) -> set[str]:
    """The README's boilerplate lines of one article (link lists with their items)."""
    found: set[str] = set()
    in_list = False
    for line in raw.split("\n"):
        if line in LINK_LIST_HEADINGS:
            found.add(line)
            in_list = True
        elif in_list and line.startswith("- "):
            found.add(line)
        else:
            in_list = False
            if BREADCRUMB.match(line) or IMAGE_TAG.match(line) or line.startswith("Share on"):
                found.add(line)
    return found


def test_devset_cleaning_removes_only_boilerplate(devsets: list[Path]) -> None:
    lost: list[str] = []
    left: list[str] = []
    seen_boilerplate = 0
    for folder in devsets:
        for art in read_paths([folder]).articles:
            check_pieces(art)
            kept = set(art.text.split("\n"))
            boilerplate = devset_boilerplate(art.raw)
            seen_boilerplate += len(boilerplate)
            for line in art.raw.split("\n"):
                if line.strip() and line not in kept and line not in boilerplate:
                    lost.append(f"{folder.name}/{art.id}: {line[:70]}")
                if line in boilerplate and line in kept:
                    left.append(f"{folder.name}/{art.id}: {line[:70]}")
    assert seen_boilerplate >= 10  # the sets do hold boilerplate of every kind
    assert not lost, "article text removed:\n" + "\n".join(lost)
    assert not left, "boilerplate left in:\n" + "\n".join(left)


# --- the project's own examples --------------------------------------------------------------

PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"


@pytest.mark.parametrize(
    "line",
    [
        f'<ns2:image>{PNG}" alt="A crane at the harbour"</ns2:image>',
        f"<img src='{PNG}'>",
        f"![A crane at the harbour]({PNG})",
        PNG,
        "Home / Local / Harbour crane collapses",
        "Inicio / Nacional / Economía",
        "News › Europe › Ports",
        "Sarah Avatar",
        "Lakeside Gazette Logo",
    ],
)
def test_furniture_lines_are_dropped(line: str) -> None:
    before = "The harbour crane collapsed on Monday night."
    after = "No one was hurt, the port said."
    art = article_of(f"{before}\n{line}\n{after}")
    assert art.text == f"{before}\n{after}"
    check_pieces(art)


def test_inline_data_uri_is_cut_and_the_line_kept() -> None:
    raw = f"The port published a photo {PNG} of the damaged crane on its website."
    art = article_of(raw)
    assert art.text == "The port published a photo  of the damaged crane on its website."
    assert len(art.pieces) == 2
    check_pieces(art)


def test_link_list_goes_and_the_article_after_it_stays() -> None:
    raw = (
        "The harbour crane collapsed on Monday night.\n"
        "Read also:\n"
        "- Storm closes the coast road\n"
        "- Ferry cancelled for a second day\n"
        "\n"
        "Engineers will inspect the other cranes this week, the port authority said.\n"
    )
    art = article_of(raw)
    assert art.text == (
        "The harbour crane collapsed on Monday night.\n\n"
        "Engineers will inspect the other cranes this week, the port authority said."
    )
    check_pieces(art)


def test_trailer_is_cut() -> None:
    raw = (
        "The harbour crane collapsed on Monday night.\n\n"
        "Share on: Facebook | X | Email\n"
        "Related posts\n"
        "Storm closes the coast road\n"
        "Subscribe to our newsletter\n"
    )
    art = article_of(raw)
    assert art.text == "The harbour crane collapsed on Monday night."
    check_pieces(art)


def test_share_widget_before_more_article_text_keeps_the_text() -> None:
    paragraph = (
        "Engineers will inspect the other four cranes at the north harbour this week, and the "
        "port authority said it would publish their findings before the ferries return in May."
    )
    raw = f"The harbour crane collapsed on Monday night.\nShare this article\n{paragraph}\n"
    art = article_of(raw)
    assert art.text == f"The harbour crane collapsed on Monday night.\n{paragraph}"
    check_pieces(art)


@pytest.mark.parametrize(
    "line",
    [
        "Shares in the port operator fell 3% on Tuesday.",
        "Share prices rose | analysts said the fall was over.",
        "The council split the cost 50 / 50 with the port.",
        "He read also the letters from residents.",
        "Comments from residents were mostly angry.",
        "The logo of the port was repainted.",
        "Home owners near the harbour were told to stay inside.",
    ],
)
def test_article_sentences_that_look_like_furniture_stay(line: str) -> None:
    raw = f"The harbour crane collapsed on Monday night.\n{line}\nNo one was hurt."
    assert article_of(raw).text == raw


def test_blank_lines_collapse_and_ends_are_trimmed() -> None:
    raw = "\n\n  \nFirst paragraph.\n\n\n\n   \nSecond paragraph.   \n\n\n"
    art = article_of(raw)
    assert art.text == "First paragraph.\n\nSecond paragraph."
    check_pieces(art)


def test_clean_of_nothing_but_furniture_is_empty() -> None:
    cleaned = clean(f"{PNG}\nHome / News / Ports\n")
    assert cleaned.text == ""
    assert cleaned.pieces == ()


def test_raw_offset_at_a_seam() -> None:
    """Where a removed line sits between two pieces, an offset belongs to the piece it starts."""
    raw = "Before the crane fell.\nHome / News / Ports\nAfter the crane fell."
    art = article_of(raw)
    assert art.text == "Before the crane fell.\nAfter the crane fell."
    seam = art.text.index("After")
    assert art.raw_offset(seam) == raw.index("After")
    assert art.raw_offset(seam - 1) == raw.index("\nHome")
    check_pieces(art)


# --- trailers: furniture after the marker, not merely short lines (issue 2 review) -----------

WIRE_TAIL = [
    "Two cranes were damaged.",
    "No one was hurt, police said.",
    "The port reopens on Friday.",
    "Ferries will run a reduced timetable until then.",
]


@pytest.mark.parametrize("marker", ["Share this article", "Comments", "Trending", "Newsletter",
                                    "Tags: harbour, storm", "Most read", "Subscribe"])
def test_short_wire_paragraphs_after_a_marker_stay(marker: str) -> None:
    raw = "\n".join(["The harbour crane collapsed on Monday night.", marker, *WIRE_TAIL])
    art = article_of(raw)
    assert art.text == "\n".join(["The harbour crane collapsed on Monday night.", *WIRE_TAIL])
    assert art.notes == ()
    check_pieces(art)


def test_short_wire_paragraphs_with_a_title_line_after_a_marker_stay() -> None:
    # One line without a full stop (a sub-heading) among sentences: still article text.
    tail = ["Damage report", *WIRE_TAIL]
    raw = "\n\n".join(["The harbour crane collapsed on Monday night.", "Comments", *tail])
    assert article_of(raw).text == "\n\n".join(
        ["The harbour crane collapsed on Monday night.", *tail])


def test_link_list_trailer_is_cut() -> None:
    raw = "\n".join([
        "The harbour crane collapsed on Monday night.",
        "",
        "Share this article",
        "Facebook",
        "X",
        "Email",
        "More from Harbour News",
        "Crane inspections ordered across the port",
        "Ferry operator cuts its winter timetable",
        "Is the old swing bridge next?",
        "© 2024 Harbour News",
    ])
    art = article_of(raw)
    assert art.text == "The harbour crane collapsed on Monday night."
    check_pieces(art)


def test_seed_trailers_still_cut_by_the_furniture_rule(seeds_dir: Path) -> None:
    arts = seed_articles(seeds_dir)
    for key, marker in (("002", "RECOMMENDATION"), ("003", "Related posts")):
        raw = arts[key].raw
        assert marker in raw
        assert marker not in arts[key].text
        assert arts[key].text.rstrip() == arts[key].text
        assert arts[key].notes == (), key  # no seed loses most of its text


def test_cleaning_that_removes_most_of_the_text_is_noted() -> None:
    links = [f"- Harbour story number {n} about cranes, ferries and storms" for n in range(12)]
    raw = "\n".join(["The crane fell.", "Read also", *links])
    art = article_of(raw)
    assert art.text == "The crane fell."
    [note] = art.notes
    assert re.fullmatch(r"cleaning removed 9\d% of the text as web boilerplate; check that the "
                        r"article is complete", note)
    # Image data is not text: an article that is mostly a data URI is not noted.
    assert article_of(f"{PNG}\nThe crane fell on Monday night.").notes == ()


def test_removed_share_is_measured_on_letters() -> None:
    half = clean("Crane falls at port\nHome / News / Ports / Crane falls at port here")
    assert 0.5 < half.removed_share < 0.8
    assert clean("The crane fell.").removed_share == 0.0
