"""Stage 1b: strip web boilerplate from an article body, keeping a map back to the raw text.

Cleaning only ever deletes: the cleaned text is a concatenation of verbatim pieces of the raw
text, so every cleaned offset maps back to a raw offset (``Article.raw_offset``).

The rules are line based and were calibrated on the five seed articles (image data URIs,
"Read also" link lists, "Share on" / "Related posts" trailers, breadcrumbs, a trailing
"RECOMMENDATION" block) and the six development sets (no rule removes a sentence of a clean
article there). Pipeline, in order:

1. drop image lines and cut inline ``data:`` URIs;
2. drop breadcrumb, avatar and logo lines;
3. drop "Read also"-style headings together with the link list under them;
4. cut the trailing block that starts at a "Share on" / "Related posts" / "RECOMMENDATION"
   marker when what follows looks like furniture (short lines without sentence-final
   punctuation: link titles, menu items, site names), not when it is merely short;
5. collapse runs of blank lines and trim the ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drift.records import Piece

# 1. An image on a line of its own: an <image> wrapper, a markdown image, or a bare data URI.
# The seeds wrap data URIs in a namespaced tag (``<ns:image>data:...</ns:image>``).
IMAGE_LINE = re.compile(
    r"^\s*(?:<(?:[\w-]+:)?(?:image|img|picture|figure)\b.*|!\[[^\]]*\]\([^)]*\)|data:image/\S+)"
    r"\s*$",
    re.I,
)
# An inline data URI inside a line of text (cut out, the rest of the line stays).
DATA_URI = re.compile(r"!?\[[^\]]*\]\(data:[^)]*\)|\bdata:[a-z]+/[\w.+-]+[;,][^\s\"'()<>]*", re.I)

# 2. "Home / Malta / Headline": a navigation root then at least one separator.
BREADCRUMB = re.compile(
    r"^\s*(?:home|inicio|accueil|startseite|início|головна|главная)\s*(?:/|›|»|>|\|)", re.I
)
# Any line made of 3+ short segments joined by " / ", " › " or " » " is a breadcrumb as well.
CRUMB_SEP = re.compile(r"\s(?:/|›|»)\s")
# "Robert Avatar", "Malta Bulletin Logo": theme widgets that leak into extracted text.
WIDGET_LINE = re.compile(r"^\s*(?:\S+\s){0,3}(?:avatar|logo)\s*$", re.I)

# 3. Headings of link lists; the list under them is dropped too.
LINK_PHRASES = (
    r"read (?:also|more)|see also|more (?:on this|from|stories|news)|"
    r"related(?: articles| stories| news)?|you may also like|also read|lee también|lea también|"
    r"lire aussi|читайте також|читайте также")
LINK_LIST_HEADING = re.compile(r"^\s*(?:" + LINK_PHRASES + r")\s*:?\s*$", re.I)
LIST_ITEM = re.compile(r"^\s*(?:[-*•·▪►]|\d+[.)])\s+\S")

# 4. Markers that open a trailing block of site furniture.
TRAILER_MARKER = re.compile(
    r"^\s*(?:share(?: on| this(?: article| story)?)?(?: \w+)?|"
    # "Share on: Facebook | X | WhatsApp | Email": a share widget that lists its networks.
    r"share(?:\s*:| on\s*:?| this(?: article| story)?\s*:)\s*[\w.+ -]+(?:\s*[|·]\s*[\w.+ -]+)+|"
    r"related posts?|recommendations?|recommended(?: for you)?|most read|"
    r"popular (?:posts|stories)|trending|newsletter|subscribe(?: now)?|comments?|tags?:.*)"
    r"\s*:?\s*$",
    re.I,
)
# A trailer marker cuts everything after it only when what follows looks like site furniture,
# not merely short lines (short wire paragraphs after a "Comments" or "Tags:" line are article
# text). Calibrated on the seeds' two trailers (002: "RECOMMENDATION" then blank lines; 003:
# "Share on", "Related posts", "Lisa Avatar", "Search", "About us", the site's logo line and name,
# and a 12-word slogan): every line there is a menu item, a name or a slogan with no sentence-final
# punctuation and at most 12 words; and on the devset, where no line after a marker is cut.
#
# A line with this many words or more is article text wherever it is (the longest furniture line
# of the seeds has 12 words; devset paragraphs after a "Share" widget have 30 and more).
ARTICLE_LINE_WORDS = 25
# A line without sentence-final punctuation and at most this many words looks like a link title,
# a menu item or a site name (seed trailer lines: 1-12 words; headlines of "related" lists in news
# pages are mostly 6-14 words).
FURNITURE_WORDS = 15
# At least this share of the non-blank lines after a marker must look like furniture for the
# trailer to be cut: a related-stories list may hold a headline that ends in "?" or a dated line
# with a full stop, while a run of short wire paragraphs ends nearly every line in punctuation
# (three such paragraphs after "Comments": 0%).
FURNITURE_SHARE = 0.75
SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Cleaned text and the pieces mapping it back into the raw text."""

    text: str
    pieces: tuple[Piece, ...]
    # Share of the raw text's letters (images and data URIs not counted) that cleaning removed.
    removed_share: float = 0.0


def _lines(raw: str) -> list[tuple[int, int]]:
    """(start, end) of each line of ``raw``, the end excluding the newline."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in raw.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _is_breadcrumb(line: str) -> bool:
    if BREADCRUMB.match(line):
        return True
    parts = CRUMB_SEP.split(line.strip())
    return len(parts) >= 3 and all(0 < len(p.split()) <= 8 for p in parts)


def _furniture_like(line: str) -> bool:
    """Does a line after a trailer marker look like site furniture (a link title, a menu item, a
    site name or slogan), rather than a sentence of the article?"""
    stripped = line.strip()
    if not stripped:
        return True
    if (IMAGE_LINE.match(line) or _is_breadcrumb(line) or WIDGET_LINE.match(line)
            or LINK_LIST_HEADING.match(line) or TRAILER_MARKER.match(line)
            or LIST_ITEM.match(line)):
        return True
    return len(stripped.split()) <= FURNITURE_WORDS and not SENTENCE_END.search(stripped)


def _is_trailer(text: list[str], after: int) -> bool:
    """Is everything from line ``after`` on a trailing block of furniture?"""
    rest = [line for line in text[after:] if line.strip()]
    if any(len(line.split()) >= ARTICLE_LINE_WORDS for line in rest):
        return False
    if not rest:
        return True
    return sum(_furniture_like(line) for line in rest) >= FURNITURE_SHARE * len(rest)


def _keep_lines(raw: str, lines: list[tuple[int, int]]) -> list[bool]:
    """Decide which lines survive (steps 1-4)."""
    keep = [True] * len(lines)
    text = [raw[s:e] for s, e in lines]
    i = 0
    while i < len(lines):
        line = text[i]
        if IMAGE_LINE.match(line) or _is_breadcrumb(line) or WIDGET_LINE.match(line):
            keep[i] = False
        elif LINK_LIST_HEADING.match(line):
            keep[i] = False
            j = i + 1
            while j < len(lines) and (LIST_ITEM.match(text[j]) or not text[j].strip()):
                if text[j].strip():
                    keep[j] = False
                j += 1
            i = j
            continue
        elif TRAILER_MARKER.match(line):
            if _is_trailer(text, i + 1):
                for j in range(i, len(lines)):
                    keep[j] = False
                break
            keep[i] = False
        i += 1
    return keep


def clean(raw: str) -> Cleaned:
    """Remove boilerplate from ``raw`` (newlines already normalised to ``\\n``)."""
    lines = _lines(raw)
    keep = _keep_lines(raw, lines)
    removed_share = _removed_share(raw, lines, keep)
    ranges: list[tuple[int, int]] = []  # raw ranges kept, in order
    blank_run = True  # start as if after a blank line: leading blank lines are dropped
    for (start, end), kept in zip(lines, keep, strict=True):
        if not kept:
            continue
        line = raw[start:end]
        newline_end = min(end + 1, len(raw))
        if not line.strip():
            if not blank_run:
                ranges.append((end, newline_end))  # keep just the newline
            blank_run = True
            continue
        blank_run = False
        cursor = start
        for m in DATA_URI.finditer(line):
            ranges.append((cursor, start + m.start()))
            cursor = start + m.end()
        ranges.append((cursor, newline_end))
    pieces: list[Piece] = []
    parts: list[str] = []
    pos = 0
    for rs, re_ in ranges:
        if re_ <= rs:
            continue
        if pieces and pieces[-1].raw_start + pieces[-1].length == rs:
            last = pieces[-1]
            pieces[-1] = Piece(last.start, last.raw_start, last.length + (re_ - rs))
        else:
            pieces.append(Piece(pos, rs, re_ - rs))
        parts.append(raw[rs:re_])
        pos += re_ - rs
    text = "".join(parts)
    # 5. Trim trailing whitespace by shortening the last pieces.
    trimmed = len(text.rstrip())
    text = text[:trimmed]
    out: list[Piece] = []
    for p in pieces:
        if p.start >= trimmed:
            break
        out.append(Piece(p.start, p.raw_start, min(p.length, trimmed - p.start)))
    return Cleaned(text, tuple(out), removed_share)


def _removed_share(raw: str, lines: list[tuple[int, int]], keep: list[bool]) -> float:
    """Letters of dropped lines over all letters; image lines and data URIs count for neither
    (a base64 image is thousands of "letters" and no text)."""
    total = removed = 0
    for (start, end), kept in zip(lines, keep, strict=True):
        line = raw[start:end]
        if IMAGE_LINE.match(line):
            continue
        letters = sum(c.isalpha() for c in DATA_URI.sub("", line))
        total += letters
        if not kept:
            removed += letters
    return removed / total if total else 0.0
