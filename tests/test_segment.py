"""Stage 2a, segmentation: paragraphs, sentences and quotations with exact offsets."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from drift.ingest import read_paths
from drift.records import Segmentation
from drift.segment import segment


def sentences(text: str) -> list[str]:
    return [s.span.text for s in segment(text).sentences]


def quotes(text: str) -> list[tuple[str, str, str]]:
    return [(q.span.text, q.outer.text, q.marks) for q in segment(text).quotes]


def check_offsets(text: str, seg: Segmentation) -> None:
    for p in seg.paragraphs:
        assert p.text == text[p.start : p.end] and p.text.strip() == p.text != ""
    prev_end = -1
    for s in seg.sentences:
        assert s.span.text == text[s.span.start : s.span.end]
        assert s.span.text.strip() == s.span.text != ""
        para = seg.paragraphs[s.paragraph]
        assert para.start <= s.span.start < s.span.end <= para.end
        assert s.span.start >= prev_end
        prev_end = s.span.end
    for q in seg.quotes:
        assert q.span.text == text[q.span.start : q.span.end]
        assert q.outer.text == text[q.outer.start : q.outer.end]
        assert q.outer.start < q.span.start <= q.span.end < q.outer.end
        assert q.outer.text[0] + q.outer.text[-1] == q.marks


# --- sentences -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. Senate met on Jan. 31 in Washington. Mr. Ortega spoke first.",
            ["The U.S. Senate met on Jan. 31 in Washington.", "Mr. Ortega spoke first."],
        ),
        (
            "Officials cited John F. Kennedy as a model. The vote is next week.",
            ["Officials cited John F. Kennedy as a model.", "The vote is next week."],
        ),
        (
            "The ferry left at 6 a.m. from the north pier. Dr. Wren and Ms. Ruiz were on board.",
            ["The ferry left at 6 a.m. from the north pier.",
             "Dr. Wren and Ms. Ruiz were on board."],
        ),
        # A dotted abbreviation ends a sentence before a clear sentence start.
        (
            "The ferry left at 6 a.m. The crossing took an hour.",
            ["The ferry left at 6 a.m.", "The crossing took an hour."],
        ),
        (
            "Troops went back to the U.S. They had served a year. The U.S. Army confirmed it.",
            ["Troops went back to the U.S.", "They had served a year.",
             "The U.S. Army confirmed it."],
        ),
        (
            "Talks resume on Sept. 3 in Lima. Gen. Ochoa and Gov. Prado will attend.",
            ["Talks resume on Sept. 3 in Lima.", "Gen. Ochoa and Gov. Prado will attend."],
        ),
        (
            "Rule No. 5 was changed. Asked if he agreed, he said no. Then he left.",
            ["Rule No. 5 was changed.", "Asked if he agreed, he said no.", "Then he left."],
        ),
        (
            "They sat in the sun. Then it rained.",
            ["They sat in the sun.", "Then it rained."],
        ),
        (
            "Is it over? Nobody knows! Prices rose 3.5% in May... Analysts expected less.",
            ["Is it over?", "Nobody knows!", "Prices rose 3.5% in May...",
             "Analysts expected less."],
        ),
        (
            "El Sr. Gómez llegó a las 9. Según la Sra. Ruiz, el acto empezó tarde.",
            ["El Sr. Gómez llegó a las 9.", "Según la Sra. Ruiz, el acto empezó tarde."],
        ),
        (
            "Prices fell at Acme Inc. The company blamed the weather.",
            ["Prices fell at Acme Inc.", "The company blamed the weather."],
        ),
    ],
)
def test_sentences_and_abbreviations(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected
    check_offsets(text, segment(text))


# --- quotations ------------------------------------------------------------------------------

QUOTE_CASES = [
    ('He said: "We will not stop. We will win." Then he left.', "We will not stop. We will win.",
     '""', "Then he left."),
    ("He said: “We will not stop. We will win.” Then he left.", "We will not stop. We will win.",
     "“”", "Then he left."),
    ("Ella dijo: «No vamos a parar. Vamos a ganar.» Luego se fue.",
     "No vamos a parar. Vamos a ganar.", "«»", "Luego se fue."),
    ("Le ministre a dit : « Nous ne céderons pas. Jamais. » Puis il est parti.",
     "Nous ne céderons pas. Jamais.", "«»", "Puis il est parti."),
    ("Er sagte: „Wir hören nicht auf. Wir gewinnen.“ Dann ging er.",
     "Wir hören nicht auf. Wir gewinnen.", "„“", "Dann ging er."),
    ("He called it ‘a bad deal. Truly bad.’ Others agreed.", "a bad deal. Truly bad.", "‘’",
     "Others agreed."),
    ("He called it 'a bad deal. Truly bad.' Others agreed.", "a bad deal. Truly bad.", "''",
     "Others agreed."),
]


@pytest.mark.parametrize(("text", "inner", "marks", "after"), QUOTE_CASES,
                         ids=[c[2] + str(n) for n, c in enumerate(QUOTE_CASES)])
def test_no_boundary_inside_a_quotation(text: str, inner: str, marks: str, after: str) -> None:
    seg = segment(text)
    check_offsets(text, seg)
    [quote] = seg.quotes
    assert quote.span.text == inner
    assert quote.marks == marks
    between = text[quote.outer.start + 1 : quote.outer.end - 1]
    assert quote.outer.text == marks[0] + between + marks[1]
    # The quotation stays in one sentence, and the sentence after it is found.
    assert [s.span.text for s in seg.sentences] == [text[: quote.outer.end], after]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mexico's leaders met the victims' families. They don't agree on the plan.", []),
        ("The town's mayor said residents' groups weren't consulted.", []),
        ("The victims' families said the 'review' was late.", [("review", "'review'", "''")]),
        ("'We stand with the victims' families,' the mayor said.",
         [("We stand with the victims' families,",
           "'We stand with the victims' families,'", "''")]),
        ("They called them 'the bosses' and 'the guys' in the report.",
         [("the bosses", "'the bosses'", "''"), ("the guys", "'the guys'", "''")]),
        ("He said ‘we don’t know yet’ on Monday.",
         [("we don’t know yet", "‘we don’t know yet’", "‘’")]),
        ('"We won," she said. "It was close."',
         [("We won,", '"We won,"', '""'), ("It was close.", '"It was close."', '""')]),
        ("“Nobody called it ‘a crisis’ then,” he said.",
         [("Nobody called it ‘a crisis’ then,", "“Nobody called it ‘a crisis’ then,”", "“”")]),
        ('An unclosed "quotation runs on. To the end.', []),
    ],
)
def test_quotes_and_apostrophes(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert quotes(text) == expected
    check_offsets(text, segment(text))


# --- paragraphs ------------------------------------------------------------------------------


def test_wrapped_lines_are_joined_into_one_paragraph() -> None:
    text = (
        "The council met on Tuesday and\n"
        "discussed the budget for the\n"
        "coming year.\n"
        "A second paragraph starts here.\n"
        "\n"
        "   Indented third paragraph.   \n"
        "Heading without a full stop\n"
        "Fourth paragraph after a heading."
    )
    seg = segment(text)
    check_offsets(text, seg)
    assert [p.text for p in seg.paragraphs] == [
        "The council met on Tuesday and\ndiscussed the budget for the\ncoming year.",
        "A second paragraph starts here.",
        "Indented third paragraph.",
        "Heading without a full stop",
        "Fourth paragraph after a heading.",
    ]
    assert [s.paragraph for s in seg.sentences] == [0, 1, 2, 3, 4]
    assert seg.sentences[0].span.text == seg.paragraphs[0].text


# --- real articles ---------------------------------------------------------------------------

# A dotted abbreviation or a month before a word that starts a sentence: a missed boundary.
MISSED_BOUNDARY = re.compile(r"\b(?:[A-Za-z]\.){2,} (?:The|He|She|It|They|In|This) ")


def real_articles(seeds_dir: Path, devsets: list[Path]) -> list[tuple[str, Any]]:
    out = []
    for folder in [seeds_dir, *devsets]:
        for art in read_paths([folder]).articles:
            out.append((f"{folder.name}/{art.id}", art))
    return out


def test_real_articles_segment_cleanly(seeds_dir: Path, devsets: list[Path]) -> None:
    problems: list[str] = []
    for name, art in real_articles(seeds_dir, devsets):
        seg = segment(art.text)
        check_offsets(art.text, seg)
        assert len(seg.sentences) >= 5, name
        for s in seg.sentences:
            t = s.span.text
            if t[0].islower():
                problems.append(f"{name}: starts mid-sentence: {t[:50]}")
            if MISSED_BOUNDARY.search(t):
                problems.append(f"{name}: missed boundary: {t[:50]}")
            if re.search(r"\b(?:Jan|Feb|Mr|Mrs|Dr|Gen|Gov)\.$", t):
                problems.append(f"{name}: ends at an abbreviation: {t[-50:]}")
    assert not problems, "\n".join(problems)


def test_real_foreign_quotes_are_quotations(
    seeds_dir: Path, devsets: list[Path], load_labels: Callable[[Path], dict[str, Any]]
) -> None:
    """Each non-English quote of an English article is inside one quotation, whole."""
    checked = 0
    for folder in [seeds_dir, *devsets]:
        labels = load_labels(folder)
        arts = {a.id.split("_")[0]: a for a in read_paths([folder]).articles}
        for gold in labels["non_english"]:
            art = arts[gold["article"]]
            if art.language not in (None, "en"):
                continue  # a whole article in another language: its sentences, not quotes
            start = art.text.index(gold["text"])
            end = start + len(gold["text"])
            inside = [q for q in segment(art.text).quotes
                      if q.span.start <= start and end <= q.span.end]
            assert len(inside) == 1, (folder.name, gold["article"], gold["text"][:40])
            checked += 1
    assert checked >= 7
