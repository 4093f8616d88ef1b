"""Records passed between pipeline stages: frozen, hashable, offset-carrying.

Every span's ``text`` equals ``article.text[start:end]`` of the article it belongs to; the
constructors below are the only places spans are made, and they check it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["high", "medium", "low"]
SEVERITY_RANK: dict[str, int] = {"low": 1, "medium": 2, "high": 3}


@dataclass(frozen=True, slots=True)
class Span:
    """A character range of an article's cleaned text, with the text it covers."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span ``text[start:end]``."""
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span {start}:{end} outside text of length {len(text)}")
        return cls(start, end, text[start:end])

    def to_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of cleaned text copied verbatim from the raw text: ``clean[start:start+length]``
    equals ``raw[raw_start:raw_start+length]``."""

    start: int
    raw_start: int
    length: int


@dataclass(frozen=True, slots=True)
class Article:
    """One article after reading and cleaning.

    ``text`` is what the audit sees; ``raw`` is the body as read (after front matter or HTML
    extraction) and ``pieces`` map every character of ``text`` back into ``raw``.
    """

    id: str
    source: str
    text: str
    raw: str
    pieces: tuple[Piece, ...] = ()
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    date: str | None = None
    language: str | None = None  # declared language (front matter / metadata), if any
    reference: bool = False
    # Where ``raw`` lies in the source text (additive, issue 2 review): ``raw`` starts at
    # ``raw_base`` of the source text ("file": the file decoded from UTF-8, BOM excluded, with its
    # own line endings; "field": the JSON text field; "extract": trafilatura's text of an HTML
    # page; None when unknown). ``raw_crlf`` lists the positions (in the newline-normalised source
    # text) of each "\n" that was "\r\n" in the source.
    raw_of: str | None = None
    raw_base: int = 0
    raw_crlf: tuple[int, ...] = ()
    # One-line warnings about this article for the user (cleaning removed most of the text, an
    # unknown declared language, a front-matter value that was not text ...).
    notes: tuple[str, ...] = ()
    # When ``drift check`` first stored the article (ISO 8601): what orders it among the others
    # when it has no ``date`` (drift/lineage.py). None outside the store.
    seen: str | None = None

    def __post_init__(self) -> None:
        # Articles round-trip through JSON (drift.store), which turns tuples into lists.
        for name in ("raw_crlf", "notes"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    def source_offset(self, offset: int) -> int:
        """Position in the source text (see ``raw_of``) of the cleaned-text position ``offset``."""
        import bisect

        pos = self.raw_base + self.raw_offset(offset)
        return pos + bisect.bisect_right(self.raw_crlf, pos)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """``(start, end)`` in the source text of the cleaned span ``text[start:end]``: the source
        slice holds the span's characters, and whatever cleaning removed between them."""
        if end <= start:
            at = self.source_offset(start)
            return at, at
        return self.source_offset(start), self.source_offset(end - 1) + 1

    def raw_offset(self, offset: int) -> int:
        """Position in ``raw`` of the cleaned-text position ``offset``.

        The character ``text[offset]`` is ``raw[raw_offset(offset)]``; where two pieces meet, the
        offset belongs to the piece that starts there. ``len(text)`` maps to the end of the last
        piece (map a span's exclusive end as ``raw_offset(end - 1) + 1``).
        """
        for piece in self.pieces:
            if piece.start <= offset < piece.start + piece.length:
                return piece.raw_start + (offset - piece.start)
        last = self.pieces[-1] if self.pieces else None
        if last is not None and offset == last.start + last.length:
            return last.raw_start + last.length
        raise ValueError(f"offset {offset} is not in the cleaned text of {self.id}")

    def span(self, start: int, end: int) -> Span:
        return Span.of(self.text, start, end)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article, with the paragraph it belongs to."""

    span: Span
    paragraph: int


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: ``span`` covers the quoted words, ``outer`` includes the quote marks."""

    span: Span
    outer: Span
    marks: str  # the opening and closing marks, e.g. '“”'


@dataclass(frozen=True, slots=True)
class Segmentation:
    """Paragraphs, sentences and quotations of one article."""

    paragraphs: tuple[Span, ...]
    sentences: tuple[Sentence, ...]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class Translation:
    """A machine translation of a passage and what produced it."""

    text: str
    backend: str
    model: str | None

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "backend": self.backend, "model": self.model}


@dataclass(frozen=True, slots=True)
class Passage:
    """A span of an article that is not in English."""

    article: str
    span: Span
    language: str
    confidence: float
    kind: Literal["sentence", "quote"] = "sentence"
    translation: Translation | None = None
    untranslated_reason: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "span": self.span.to_json(),
            "language": self.language,
            "confidence": round(self.confidence, 3),
            "translation": self.translation.to_json() if self.translation else None,
            "untranslated_reason": self.untranslated_reason,
        }


@dataclass(frozen=True, slots=True)
class ReadError:
    """A file (or item) that could not be read, and why; the rest of the set goes on."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True, slots=True)
class ArticleSet:
    """The articles read from the paths of one run, and what could not be read."""

    articles: tuple[Article, ...]
    errors: tuple[ReadError, ...] = field(default_factory=tuple)
    # Not errors: files skipped on purpose, a JSON list with no article, an empty folder ... (each
    # a Note with its level; the CLI shows warnings always and info notes with --verbose).
    notes: tuple[Note, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Note:
    """Something the user may want to know about an input that is not a read error."""

    source: str
    message: str
    level: Literal["info", "warning"] = "warning"

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


Relation = Literal["contradicts", "supports", "differs"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of another article (the reference, or one of the set) that bears on a finding."""

    article: str
    span: Span
    relation: Relation

    def to_json(self) -> dict[str, object]:
        return {"article": self.article, "span": self.span.to_json(), "relation": self.relation}


@dataclass(frozen=True, slots=True)
class Carrier:
    """An article that carries a drift (drift/lineage.py), with the wording around the change it
    shares with another carrier beyond what the reference shares."""

    article: str
    time: str | None  # when it was published (or first seen), ISO 8601; None: unordered
    finding: str | None  # the id of its finding of this drift; None: seen without a finding
    # A repeater: the earlier carrier whose wording it shares most (its likely source, when
    # ``score`` reaches the copy bar); an unordered carrier: the carrier it reads closest to.
    peer: str | None = None
    score: float | None = None  # 0..1: shared wording around the change, beyond the reference's
    shared: str | None = None  # the longest run of that wording, in the carrier's English

    def to_json(self, peer_key: str | None = None) -> dict[str, object]:
        out: dict[str, object] = {"article": self.article, "time": self.time,
                                  "finding": self.finding}
        if peer_key is not None:
            out |= {peer_key: self.peer,
                    "copy_score": None if self.score is None else round(self.score, 3),
                    "shared": self.shared}
        return out


@dataclass(frozen=True, slots=True)
class Lineage:
    """Where a drift came from among the articles: the earliest carrier and its repeaters."""

    drift: str  # a stable id of the drift (type and values), the same in every carrier
    order: Literal["known", "partial", "unknown"]  # partial: some carriers have no time
    introducer: Carrier | None  # None when no carrier is known to come first
    repeaters: tuple[Carrier, ...]  # dated carriers after the introducer, in time order
    unordered: tuple[Carrier, ...]  # carriers without a time, or tied for the earliest

    @property
    def carriers(self) -> tuple[Carrier, ...]:
        return ((self.introducer,) if self.introducer else ()) + self.repeaters + self.unordered

    def to_json(self) -> dict[str, object]:
        return {
            "drift": self.drift,
            "order": self.order,
            "introducer": self.introducer.to_json() if self.introducer else None,
            "repeaters": [c.to_json("copied_from") for c in self.repeaters],
            "unordered": [c.to_json("shares_with") for c in self.unordered],
        }


@dataclass(frozen=True, slots=True)
class Dated:
    """An article's place in time: when it was published (or first seen), and from where."""

    article: str
    time: str | None  # ISO 8601 (a date alone when that is all the article gives)
    source: Literal["date", "seen"] | None  # its date field, or first seen by ``drift check``

    def to_json(self) -> dict[str, object]:
        return {"article": self.article, "time": self.time, "from": self.source}


@dataclass(frozen=True, slots=True)
class CopyEdge:
    """Article ``target`` reads like a rewrite of ``source``: they share wording beyond the
    reference's. Without a known order between them the edge has no direction."""

    source: str
    target: str
    directed: bool
    score: float
    shared: str | None  # the longest run of shared wording, in ``target``'s English

    def to_json(self) -> dict[str, object]:
        return {"from": self.source, "to": self.target, "directed": self.directed,
                "score": round(self.score, 3), "shared": self.shared}


@dataclass(frozen=True, slots=True)
class Trail:
    """One drift carried by several articles, for the story-level lineage."""

    drift: str
    type: str
    expected: str | None
    found: str | None
    lineage: Lineage

    def to_json(self) -> dict[str, object]:
        lin = self.lineage
        return {
            "drift": self.drift, "type": self.type, "expected": self.expected,
            "found": self.found, "order": lin.order,
            "introducer": lin.introducer.article if lin.introducer else None,
            "repeaters": [c.article for c in lin.repeaters],
            "unordered": [c.article for c in lin.unordered],
            "findings": [c.finding for c in lin.carriers if c.finding is not None],
        }


@dataclass(frozen=True, slots=True)
class StoryLineage:
    """The story-level lineage: the articles in time order, who reads like a rewrite of whom,
    and every drift more than one article carries."""

    timeline: tuple[Dated, ...]  # dated articles in time order, then the undated in set order
    edges: tuple[CopyEdge, ...]
    trails: tuple[Trail, ...]

    def to_json(self) -> dict[str, object]:
        return {"timeline": [d.to_json() for d in self.timeline],
                "edges": [e.to_json() for e in self.edges],
                "drifts": [t.to_json() for t in self.trails]}


@dataclass(frozen=True, slots=True)
class Origin:
    """Whether a finding on translated text is the outlet's change (``article``) or drift's own
    machine translation's (``translation``), decided by translating the passage a second way
    (drift/origin.py)."""

    value: Literal["article", "translation"]
    reason: str  # one sentence for an editor
    words: tuple[str, ...] = ()  # the changed words looked for in the second translation
    passage: Span | None = None  # the translated passage of the finding's article
    first: str | None = None  # drift's translation of it
    second: Translation | None = None  # the second translation (None: not needed)

    def to_json(self) -> dict[str, object]:
        return {
            "reason": self.reason,
            "words": list(self.words),
            "passage": self.passage.to_json() if self.passage else None,
            "first": self.first,
            "second": self.second.to_json() if self.second else None,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One drift: where it is, what it should say, what it says, and why we think so."""

    id: str
    type: str
    severity: Severity
    confidence: float
    article: str
    span: Span
    evidence: tuple[Evidence, ...]
    expected: str | None
    found: str | None
    explanation: str
    nli_contradiction: float | None = None  # with --nli: P(contradiction) of evidence vs span
    # The learned judge's P(changed) for the sentence (when it ran), and what the finding rests
    # on: "rules" (a comparator), "judge" (the learned judge alone) or "rules+judge".
    judge_changed: float | None = None
    basis: str = "rules"
    # Where the drift came from (drift/lineage.py: set when another article carries it too) and,
    # on translated text, whether the outlet or drift's translation made the change
    # (drift/origin.py).
    lineage: Lineage | None = None
    origin: Origin | None = None

    def to_json(self) -> dict[str, object]:
        extra: dict[str, object] = {}
        if self.nli_contradiction is not None:
            extra["nli_contradiction"] = round(self.nli_contradiction, 3)
        if self.judge_changed is not None or self.basis != "rules":
            extra["basis"] = self.basis
            extra["judge_changed"] = (round(self.judge_changed, 3)
                                      if self.judge_changed is not None else None)
        return extra | {
            "id": self.id,
            "type": self.type,
            "severity": self.severity,
            "confidence": round(self.confidence, 3),
            "article": self.article,
            "span": self.span.to_json(),
            "evidence": [e.to_json() for e in self.evidence],
            "expected": self.expected,
            "found": self.found,
            "explanation": self.explanation,
        } | self._provenance()

    def _provenance(self) -> dict[str, object]:
        out: dict[str, object] = {}
        if self.lineage is not None:
            out["lineage"] = self.lineage.to_json()
        if self.origin is not None:
            out["origin"] = self.origin.value
            out["origin_detail"] = self.origin.to_json()
        return out
