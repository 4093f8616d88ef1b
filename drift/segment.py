"""Stage 2a: paragraphs, sentences and quotations, with offsets into the cleaned text.

A light rule-based segmenter: it runs before language detection and translation, on text in
any language, so it cannot lean on an English parser. Claim extraction re-parses English
sentences with spaCy later.
"""

from __future__ import annotations

import re

from drift.records import Quote, Segmentation, Sentence, Span

# Words that end in a period without ending a sentence (English, Spanish, French, Portuguese).
ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "sra", "srta", "dra", "gen", "gov", "sen", "rep",
    "lt", "col", "capt", "sgt", "prof", "inc", "corp", "co", "ltd", "no", "nos", "vs", "etc",
    "approx", "dept", "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "av", "avda", "pres", "sec", "sta", "ee", "uu", "núm", "art", "pp",
))
# "No. 5", "art. 3": abbreviations only before a number ('"No." Nothing else' ends a sentence).
NUMBER_ABBREVIATIONS = frozenset(("no", "nos", "núm", "art", "pp"))
# Also ordinary lower-case words ("in the sun.", "el mar.", "à l'est."): abbreviations only when
# capitalised.
WORD_ABBREVIATIONS = frozenset(("sat", "sun", "mar", "col", "sec", "est", "wed"))
# Abbreviations that often end a sentence ("Acme Inc.", "etc.", "EE. UU."); like initials and
# dotted abbreviations ("U.S.", "a.m.") they end one only before a clear sentence start.
ENDING_ABBREVIATIONS = frozenset(("etc", "inc", "corp", "co", "ltd", "jr", "sr", "uu"))
# Capitalised words that start a sentence, not a name ("... into the U.S. The summary ...").
SENTENCE_STARTERS = frozenset((
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "this", "that", "these", "those",
    "there", "his", "her", "its", "their", "our", "but", "and", "yet", "so", "however",
    "meanwhile", "in", "on", "at", "after", "before", "when", "while", "if", "as", "according",
    "el", "la", "los", "las", "un", "una", "él", "ella", "ellos", "ellas", "en", "pero", "según",
))
# Double-quote pairs (open, close). Straight quotes pair in order of appearance.
DOUBLE_PAIRS = {"“": "”", "«": "»", "„": "“", '"': '"'}
SINGLE_PAIRS = {"‘": "’", "'": "'", "‹": "›"}
TERMINAL = ".!?…"
CLOSERS = "\"'”’»)]›“"  # “ closes a German „quote“
OPENERS = "\"'“‘«¿¡([„‹"


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph ranges: each non-blank line, joined with the next when the line was wrapped
    (it lacks terminal punctuation and the next line starts in lower case)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        start, end = start + lead, start + lead + len(stripped)
        if spans and text[spans[-1][1]] == "\n" and spans[-1][1] + 1 == start - lead:
            prev = text[spans[-1][0] : spans[-1][1]]
            if prev[-1] not in TERMINAL + CLOSERS + ":" and stripped[0].islower():
                spans[-1] = (spans[-1][0], end)
                continue
        spans.append((start, end))
    return spans


def _pair_quotes(text: str, start: int, end: int, pairs: dict[str, str],
                 blocked: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(open index, close index, marks) of quote pairs inside text[start:end]."""
    found: list[tuple[int, int, str]] = []
    i = start
    while i < end:
        ch = text[i]
        if ch in pairs and not any(b <= i < c for b, c in blocked) and _can_open(text, i, start):
            close = pairs[ch]
            j = i + 1
            while j < end:
                if (text[j] == close and _can_close(text, j, end, ch)
                        and not _plural_possessive(text, j, end, ch, start)):
                    break
                j += 1
            if j < end and j > i + 1:
                found.append((i, j, ch + close))
                i = j + 1
                continue
        i += 1
    return found


def _plural_possessive(text: str, j: int, end: int, opener: str, start: int) -> bool:
    """Is the single quote at ``j`` the apostrophe of a plural possessive ("the victims' families")
    inside a quotation that closes later? It is when it follows an "s", a word follows it, and a
    closing quote comes later with no new quotation opening in between."""
    if opener not in "'‘" or text[j - 1] not in "sS" or not text[j + 1 : j + 3].startswith(" "):
        return False
    if not text[j + 2 : j + 3].isalpha():
        return False
    close = SINGLE_PAIRS[opener]
    for k in range(j + 1, end):
        if text[k] == opener and _can_open(text, k, start):
            return False
        if text[k] == close and _can_close(text, k, end, opener):
            return True
    return False


def _can_open(text: str, i: int, start: int) -> bool:
    ch = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else " "
    prev = text[i - 1] if i > start else " "
    if ch in "'’‘":
        # An apostrophe inside or at the end of a word (Mexico's, victims') never opens a quote.
        return not prev.isalnum() and (nxt.isalnum() or nxt in "¿¡")
    if ch == '"':
        return not nxt.isspace()
    return True


def _can_close(text: str, j: int, end: int, opener: str) -> bool:
    nxt = text[j + 1] if j + 1 < end else " "
    prev = text[j - 1]
    if opener in "'‘":
        # A closing single quote is followed by a non-letter (don't, Mexico's stay apostrophes).
        return not nxt.isalnum() and not prev.isspace()
    if opener == '"':
        return not prev.isspace()
    return True


def quotes(text: str, para: tuple[int, int]) -> list[Quote]:
    """Quotations inside one paragraph; single-quoted spans nested in double quotes are skipped."""
    start, end = para
    doubles = _pair_quotes(text, start, end, DOUBLE_PAIRS, [])
    blocked = [(o, c + 1) for o, c, _ in doubles]
    singles = _pair_quotes(text, start, end, SINGLE_PAIRS, blocked)
    out: list[Quote] = []
    for o, c, marks in sorted(doubles + singles):
        inner_start, inner_end = o + 1, c
        while inner_start < inner_end and text[inner_start].isspace():
            inner_start += 1
        while inner_end > inner_start and text[inner_end - 1].isspace():
            inner_end -= 1
        if inner_end > inner_start:
            out.append(Quote(Span.of(text, inner_start, inner_end), Span.of(text, o, c + 1), marks))
    return out


# Terminal punctuation and the closing marks after it: “ closes German „quotes“, and French
# puts a (narrow) space before a closing guillemet (« Non. »).
BOUNDARY = re.compile(r"[.!?…]+(?:[ \u00a0\u202f]?[»›])?[\"'”’»)\]›“]*(?=\s+)")


def _starts_sentence(text: str, at: int, end: int) -> bool:
    """Does a word that usually opens a sentence ("The", "He", "El") begin at ``at``?"""
    m = re.match(r"[^\W\d_]+", text[at : min(end, at + 40)].lstrip(OPENERS))
    return m is not None and m.group(0)[0].isupper() and m.group(0).lower() in SENTENCE_STARTERS


def _ends_sentence(text: str, punct: int, after: int, para_start: int, para_end: int) -> bool:
    """Does the terminal punctuation at ``punct`` end a sentence (next text at ``after``)?"""
    if after >= para_end:
        return False
    nxt = text[after]
    if not (nxt.isupper() or nxt.isdigit() or nxt in OPENERS or nxt == "-"):
        return False
    if text[punct] != ".":
        return True
    m = re.search(r"(\S+)$", text[max(para_start, punct - 40) : punct])
    if not m:
        return True
    written = m.group(1).lstrip(OPENERS)
    word = written.lower()
    if word in NUMBER_ABBREVIATIONS:
        return not nxt.isdigit()
    if word in WORD_ABBREVIATIONS and not written[:1].isupper():
        return True
    if word in ENDING_ABBREVIATIONS:
        return _starts_sentence(text, after, para_end)
    if word in ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha():  # an initial: "John F. Kennedy"
        return _starts_sentence(text, after, para_end)
    # "U.S." / "a.m.": dotted abbreviations end a sentence only before a clear sentence start.
    if "." in word and all(len(p) <= 2 for p in word.split(".")):
        return _starts_sentence(text, after, para_end)
    return True


def sentences(
    text: str, para: tuple[int, int], inside: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Sentence ranges inside one paragraph; no boundary is placed inside a quotation."""
    start, end = para
    out: list[tuple[int, int]] = []
    cur = start
    for m in BOUNDARY.finditer(text, start, end):
        stop = m.end()
        if any(o < m.start() and stop <= c for o, c in inside):
            continue
        after = stop
        while after < end and text[after].isspace():
            after += 1
        if _ends_sentence(text, m.start(), after, start, end):
            out.append((cur, stop))
            cur = after
    if cur < end:
        out.append((cur, end))
    return out


def segment(text: str) -> Segmentation:
    """Paragraphs, sentences and quotations of ``text``."""
    paras: list[Span] = []
    sents: list[Sentence] = []
    quots: list[Quote] = []
    for index, para in enumerate(paragraphs(text)):
        paras.append(Span.of(text, *para))
        para_quotes = quotes(text, para)
        quots.extend(para_quotes)
        # A quote that ends at the close of a sentence ("... in time.") holds its terminal
        # punctuation; boundaries strictly inside it are skipped, its closing edge is allowed.
        inside = [(q.outer.start, q.outer.end - 1) for q in para_quotes]
        for s, e in sentences(text, para, inside):
            sents.append(Sentence(Span.of(text, s, e), index))
    return Segmentation(tuple(paras), tuple(sents), tuple(quots))
