"""Offsets hold for any text: cleaning, segmentation and detection never make a span whose text
is not the slice of the article it claims to cover."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drift.clean import clean
from drift.detect import detect_passages
from drift.ingest.base import Meta, ReadFailure, make_article
from drift.records import Article, Segmentation
from drift.segment import segment

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of text the pipeline treats specially, mixed into arbitrary text.
FRAGMENTS = [
    "\n", "\n\n", " ", ". ", "? ", "! ", "… ", ", ", ": ",
    '"', "“", "”", "«", "»", "„", "‘", "’", "'", "‹", "›", "¿", "¡", "(", ")",
    " « ", " » ", "U.S. ", "a.m. ", "Jan. 31 ", "Mr. ", "John F. Kennedy ", "No. 5 ", "etc. ",
    "Mexico's ", "victims' ", "don't ", "the ", "The ", "El ", "he said. ", "dijo. ",
    "data:image/png;base64,iVBORw0KGgo=", "<ns:image>data:image/jpeg;base64,/9j/4AAQ</ns:image>",
    "![photo](data:image/gif;base64,R0lGOD)", "<img src=x>",
    "Read also\n", "Read also:\n- a link\n- another link\n", "Related posts\n", "Share on\n",
    "Share on: Facebook | X\n", "RECOMMENDATION\n", "Home / Malta / Story\n",
    "News › World › Story\n", "Robert Avatar\n", "Malta Bulletin Logo\n", "- item\n", "1. item\n",
    "Señora ", "Pentágono ", "Міністерство заявило ", "東京 ", "\u00a0", "\t", "\u2028",
    "La autoridad portuaria publicó el informe el lunes. ",
    "The harbour crane collapsed on Monday night. ",
]

texts = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40
).map("".join)


def check_segmentation(text: str, seg: Segmentation) -> None:
    paras = seg.paragraphs
    for p in paras:
        assert p.text == text[p.start : p.end]
        assert p.start < p.end
    for a, b in itertools.pairwise(paras):
        assert a.end <= b.start
    prev_end = 0
    for s in seg.sentences:
        span = s.span
        assert span.text == text[span.start : span.end]
        assert span.start < span.end
        assert 0 <= s.paragraph < len(paras)
        para = paras[s.paragraph]
        assert para.start <= span.start and span.end <= para.end
        assert span.start >= prev_end, "sentences overlap or are out of order"
        prev_end = span.end
    for q in seg.quotes:
        assert q.span.text == text[q.span.start : q.span.end]
        assert q.outer.text == text[q.outer.start : q.outer.end]
        assert q.outer.start <= q.span.start <= q.span.end <= q.outer.end
        assert q.span.text.strip()
        assert q.outer.text[0] == q.marks[0] and q.outer.text[-1] == q.marks[1]
        assert any(p.start <= q.outer.start and q.outer.end <= p.end for p in paras)


def check_pieces(article: Article) -> None:
    text, raw = article.text, article.raw
    pos = 0
    for p in article.pieces:
        assert p.start == pos and p.length > 0
        assert text[p.start : p.start + p.length] == raw[p.raw_start : p.raw_start + p.length]
        pos += p.length
    assert pos == len(text)
    for offset in range(len(text)):
        assert raw[article.raw_offset(offset)] == text[offset]


@SETTINGS
@given(texts)
def test_cleaning_pieces_map_back_into_raw(raw: str) -> None:
    cleaned = clean(raw)
    pos, raw_pos = 0, 0
    for p in cleaned.pieces:
        assert p.start == pos and p.length > 0 and p.raw_start >= raw_pos
        copied = raw[p.raw_start : p.raw_start + p.length]
        assert cleaned.text[p.start : p.start + p.length] == copied
        pos, raw_pos = p.start + p.length, p.raw_start + p.length
    assert pos == len(cleaned.text)
    assert cleaned.text == cleaned.text.rstrip()


@SETTINGS
@given(texts)
def test_segmentation_spans_are_slices(text: str) -> None:
    check_segmentation(text, segment(text))


@SETTINGS
@given(texts)
def test_cleaned_then_segmented_spans_are_slices(raw: str) -> None:
    cleaned = clean(raw)
    check_segmentation(cleaned.text, segment(cleaned.text))


@SETTINGS
@given(texts)
def test_article_passages_are_slices(raw: str) -> None:
    try:
        article = make_article(raw, Meta(), default_id="fuzz", source="fuzz")
    except ReadFailure:
        assert not clean(raw).text.strip()
        return
    check_pieces(article)
    seg = segment(article.text)
    check_segmentation(article.text, seg)
    for p in detect_passages(article, seg):
        assert p.article == "fuzz"
        assert p.span.text == article.text[p.span.start : p.span.end]
        assert p.span.start < p.span.end
        assert 0.0 <= p.confidence <= 1.0
