"""Offsets hold for any input: properties of what cleaning, segmentation, detection and the readers
actually return, each checked against an expectation computed here, independently of the
``Span`` / ``Piece`` constructors (``Span.of`` slices the text itself, so ``span.text ==
text[start:end]`` alone could not fail).

The inputs mix arbitrary text with what the pipeline treats specially: CR and CRLF line ends,
front matter, boilerplate lines, quotation marks of every kind, apostrophes, RTL and zero-width
characters, other scripts.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drift.clean import clean
from drift.detect import detect_passages
from drift.ingest import read_file, read_paths
from drift.ingest.base import Meta, ReadFailure, make_article
from drift.records import Article, Segmentation
from drift.segment import DOUBLE_PAIRS, SINGLE_PAIRS, segment

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of text the pipeline treats specially, mixed into arbitrary text.
FRAGMENTS = [
    "\n", "\n\n", "\r\n", "\r", " ", ". ", "? ", "! ", "… ", ", ", ": ",
    '"', "“", "”", "«", "»", "„", "‘", "’", "'", "‹", "›", "¿", "¡", "(", ")", "「", "」",
    " « ", " » ", "« Non. » ", "„So“ ", "U.S. ", "a.m. ", "Jan. 31 ", "Mr. ", "John F. Kennedy ",
    "No. 5 ", "etc. ", "Mexico's ", "victims' ", "don't ", "the ", "The ", "El ", "he said. ",
    "dijo. ",
    "data:image/png;base64,iVBORw0KGgo=", "<ns:image>data:image/jpeg;base64,/9j/4AAQ</ns:image>",
    "![photo](data:image/gif;base64,R0lGOD)", "<img src=x>",
    "Read also\n", "Read also:\n- a link\n- another link\n", "Related posts\n", "Share on\n",
    "Share on: Facebook | X\n", "RECOMMENDATION\n", "Comments\n", "Tags: port, storm\n",
    "Home / Malta / Story\n", "News › World › Story\n", "Robert Avatar\n", "Malta Bulletin Logo\n",
    "- item\n", "1. item\n", "---\n", "---\ntitle: x\n---\n",
    "Señora ", "Pentágono ", "Міністерство заявило ", "東京 ", "\u00a0", "\t", "\u2028",
    # RTL and zero-width characters
    "\u200f", "\u200e", "\u202b", "\u202c", "\u2067", "\u2069", "\u200b", "\u200d", "\ufeff",
    "שלום ", "مرحبا بالعالم ",
    "La autoridad portuaria publicó el informe el lunes. ",
    "The harbour crane collapsed on Monday night. ",
    "“Nadie revisó las grúas antes de la tormenta,” dijo. ",
]

texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40
).map("".join)
# Text as a reader sees it: newlines already normalised.
normalised = texts.map(lambda t: t.replace("\r\n", "\n").replace("\r", "\n"))

OPENING = set(DOUBLE_PAIRS) | set(SINGLE_PAIRS)


def covered(spans: list[tuple[int, int]], n: int) -> list[bool]:
    marks = [False] * n
    for start, end in spans:
        for i in range(start, end):
            marks[i] = True
    return marks


def check_segmentation(text: str, seg: Segmentation) -> None:
    """Paragraphs, sentences and quotations against what they must be, computed from ``text``."""
    n = len(text)
    paras = [(p.start, p.end) for p in seg.paragraphs]
    for (start, end), p in zip(paras, seg.paragraphs, strict=True):
        assert 0 <= start < end <= n
        assert p.text == text[start:end]
        assert not text[start].isspace() and not text[end - 1].isspace(), "paragraphs are trimmed"
        assert "\n\n" not in text[start:end]
    for (_, a_end), (b_start, _) in itertools.pairwise(paras):
        assert a_end < b_start, "paragraphs are sorted and apart"
        assert "\n" in text[a_end:b_start], "paragraphs are separated by a line break"
    # Every non-space character is in a paragraph; nothing else is.
    in_para = covered(paras, n)
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert in_para[i], (i, ch)

    sents = [(s.span.start, s.span.end) for s in seg.sentences]
    for (start, end), s in zip(sents, seg.sentences, strict=True):
        assert 0 <= start < end <= n
        assert s.span.text == text[start:end]
        assert not text[start].isspace() and not text[end - 1].isspace(), "sentences are trimmed"
        p_start, p_end = paras[s.paragraph]
        assert p_start <= start and end <= p_end, "a sentence lies in its paragraph"
    for (_, a_end), (b_start, _) in itertools.pairwise(sents):
        assert a_end <= b_start, "sentences are sorted and do not overlap"
    # The sentences of a paragraph cover its every non-space character.
    in_sent = covered(sents, n)
    for i in range(n):
        if in_para[i] and not text[i].isspace():
            assert in_sent[i], (i, text[i])

    for q in seg.quotes:
        o, c = q.outer.start, q.outer.end
        assert 0 <= o < c <= n
        assert q.outer.text == text[o:c] and q.span.text == text[q.span.start : q.span.end]
        assert text[o] == q.marks[0] in OPENING
        assert text[c - 1] == q.marks[1] == {**DOUBLE_PAIRS, **SINGLE_PAIRS}[q.marks[0]]
        assert o < q.span.start <= q.span.end < c
        inner = text[q.span.start : q.span.end]
        assert inner.strip() == inner and inner, "the quoted words, without the marks' spacing"
        assert any(ps <= o and c <= pe for ps, pe in paras), "a quote lies in one paragraph"
        # No sentence boundary inside a quotation: its words are in one sentence.
        assert any(ss <= q.span.start and q.span.end <= se for ss, se in sents), q
    outers = sorted((q.outer.start, q.outer.end) for q in seg.quotes)
    for (_, a_end), (b_start, b_end) in itertools.pairwise(outers):
        assert a_end <= b_start or b_end <= a_end, "quotations nest or are apart"


def check_map_back(article: Article) -> None:
    """Cleaning never invents characters: each cleaned character is the raw character that
    ``raw_offset`` names, and the positions rise strictly (text order is raw order)."""
    text, raw = article.text, article.raw
    prev = -1
    for i, ch in enumerate(text):
        at = article.raw_offset(i)
        assert raw[at] == ch, (i, ch, at)
        assert at > prev, "cleaned text follows the raw text in order"
        prev = at
    assert text == text.rstrip(), "trailing space is trimmed"


@SETTINGS
@given(normalised)
def test_cleaning_only_deletes(raw: str) -> None:
    cleaned = clean(raw)
    # The cleaned text is a subsequence of the raw text, found greedily left to right.
    pos = 0
    for ch in cleaned.text:
        pos = raw.index(ch, pos) + 1
    assert cleaned.text == cleaned.text.rstrip()
    assert 0.0 <= cleaned.removed_share <= 1.0
    # Pieces as the documented contract states it: verbatim runs, in order, tiling the text.
    expect = 0
    for p in cleaned.pieces:
        assert p.start == expect and p.length > 0
        copied = raw[p.raw_start : p.raw_start + p.length]
        assert cleaned.text[p.start : p.start + p.length] == copied
        expect += p.length
    assert expect == len(cleaned.text)


@SETTINGS
@given(normalised)
def test_segmentation_of_arbitrary_text(text: str) -> None:
    check_segmentation(text, segment(text))


@SETTINGS
@given(normalised)
def test_article_cleaning_segmentation_and_detection(raw: str) -> None:
    try:
        article = make_article(raw, Meta(), default_id="fuzz", source="fuzz")
    except ReadFailure:
        assert not clean(raw).text.strip()
        return
    check_map_back(article)
    seg = segment(article.text)
    check_segmentation(article.text, seg)
    sentence_spans = {(s.span.start, s.span.end) for s in seg.sentences}
    quote_spans = [(q.span.start, q.span.end) for q in seg.quotes]
    for p in detect_passages(article, seg):
        start, end = p.span.start, p.span.end
        assert p.article == "fuzz" and 0 <= start < end <= len(article.text)
        assert p.span.text == article.text[start:end]
        assert 0.0 <= p.confidence <= 1.0
        assert re.fullmatch(r"[a-z]{2}|und", p.language), p.language
        if p.kind == "sentence":
            assert (start, end) in sentence_spans
        else:  # a quotation, maybe without a trailing comma that belongs to the sentence
            assert any(qs == start and end <= qe and not article.text[end:qe].strip(",;:")
                       for qs, qe in quote_spans), p


# --- readers: arbitrary text written to a file comes back as the cleaned text ----------------


def expected_text(body: str) -> str:
    return clean(body.replace("\r\n", "\n").replace("\r", "\n")).text


def file_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig")


def check_source_map(article: Article, source: str) -> None:
    """Every cleaned character is at ``source_offset`` in the file's own text (a CR or CRLF
    there, for a cleaned newline), in order."""
    prev = -1
    for i, ch in enumerate(article.text):
        at = article.source_offset(i)
        assert at > prev
        prev = at
        if ch == "\n":
            assert source[at] == "\n" or source[at] == "\r", (i, at)
        else:
            assert source[at] == ch, (i, ch, at, source[at])


body_text = texts.filter(lambda t: "\x00" not in t and not t.lstrip("\ufeff").startswith("---"))


@SETTINGS
@given(body=body_text)
def test_txt_round_trip(body: str) -> None:
    path = Path(_tmp()) / "story.txt"
    path.write_bytes(body.encode("utf-8"))
    articles, errors = read_file(path)
    want = expected_text(body.removeprefix("\ufeff"))
    if not want.strip():
        assert articles == [] and len(errors) == 1 and "\n" not in errors[0].message
        return
    [art] = articles
    assert errors == [] and art.text == want and art.raw_of == "file"
    check_source_map(art, file_text(path))


titles = st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs", "Cc", "Cn")),
                 min_size=1, max_size=30).filter(lambda t: t.strip() != "")


@SETTINGS
@given(title=titles, body=body_text, crlf=st.booleans())
def test_markdown_front_matter_round_trip(title: str, body: str, crlf: bool) -> None:
    # A JSON string (every character escaped as \\uXXXX) is a YAML double-quoted scalar.
    front = f"---\ntitle: {json.dumps(title)}\nlanguage: Spanish\n---\n"
    if crlf:
        front, body = front.replace("\n", "\r\n"), body.replace("\n", "\r\n")
    path = Path(_tmp()) / "story.md"
    path.write_bytes((front + body).encode("utf-8"))
    articles, errors = read_file(path)
    want = expected_text(body)
    if not want.strip():
        assert articles == [] and len(errors) == 1
        return
    [art] = articles
    assert errors == [], errors
    assert art.text == want
    assert art.title == (title.strip() or None) and art.language == "es"
    check_source_map(art, file_text(path))


@SETTINGS
@given(bodies=st.lists(body_text, min_size=1, max_size=4))
def test_json_and_jsonl_round_trip(bodies: list[str]) -> None:
    folder = Path(_tmp())
    objs = [{"id": f"item-{n}", "text": b} for n, b in enumerate(bodies)]
    (folder / "batch.json").write_text(json.dumps(objs), encoding="utf-8")
    (folder / "batch.jsonl").write_text("\n".join(json.dumps(o) for o in objs), encoding="utf-8")
    for name in ("batch.json", "batch.jsonl"):
        articles, errors = read_file(folder / name)
        kept = [(o["id"], expected_text(o["text"])) for o in objs
                if expected_text(o["text"]).strip()]
        assert [(a.id, a.text) for a in articles] == kept
        assert len(errors) == len(objs) - len(kept)
        for art in articles:
            assert art.raw_of == "field"
            body = next(o["text"] for o in objs if o["id"] == art.id)
            check_source_map(art, body)


_COUNTER = itertools.count()
_ROOT: list[Path] = []


def _tmp() -> str:
    """A fresh folder per example (hypothesis reuses a test's fixtures across examples)."""
    import tempfile

    if not _ROOT:
        _ROOT.append(Path(tempfile.mkdtemp(prefix="drift-offsets-")))
    folder = _ROOT[0] / str(next(_COUNTER))
    folder.mkdir()
    return str(folder)


def test_a_folder_of_fuzzed_files_reads_every_good_one() -> None:
    """Hostile files beside good ones: each bad one is one error, the good ones are read."""
    folder = Path(_tmp())
    (folder / "good.txt").write_text("The ferry left on time on Sunday morning.", encoding="utf-8")
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (folder / "nul.txt").write_bytes(b"\x00\x01\x02")
    (folder / "latin1.md").write_bytes("Año nuevo".encode("latin-1"))
    (folder / "bomb.md").write_text("---\na: &a [x, x]\nb: [*a, *a]\n---\nBody.\n",
                                    encoding="utf-8")
    aset = read_paths([folder])
    assert [a.id for a in aset.articles] == ["good"]
    assert sorted(Path(e.source).name for e in aset.errors) == ["bomb.md", "deep.json",
                                                                 "latin1.md", "nul.txt"]
    assert all("\n" not in str(e) for e in aset.errors)
