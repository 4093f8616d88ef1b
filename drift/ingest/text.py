"""Plain text and Markdown, each with optional YAML front matter."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from drift.ingest.base import Meta, ReadFailure, decode, make_article, read_bytes
from drift.records import Article

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
# Markdown markup that is not article text: headings' hashes and emphasis markers stay (they
# do not change meaning); only images and HTML comments are removed by cleaning.


def split_front_matter(text: str, source: str) -> tuple[Meta, str]:
    """Front matter (as Meta) and the body after it."""
    m = FRONT_MATTER.match(text)
    if not m:
        return Meta(), text
    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError as exc:
        # Hand-written front matter often has an unquoted colon in a title ("title: Chile: ...");
        # YAML rejects it, but when every line is a flat "key: value" pair the intent is clear.
        data = _flat_pairs(m.group(1))
        if data is None:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 2})" if mark is not None else ""
            problem = getattr(exc, "problem", None) or exc
            raise ReadFailure(f"malformed YAML front matter{where}: {problem}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ReadFailure("front matter is not a mapping of keys to values")
    return Meta.from_mapping(data), text[m.end() :]


FLAT_PAIR = re.compile(r"^([A-Za-z_][\w-]*):[ \t]*(.*)$")


def _flat_pairs(block: str) -> dict[str, object] | None:
    """``key: value`` lines as a mapping (values as strings, true/false as booleans), or None."""
    data: dict[str, object] = {}
    for line in block.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = FLAT_PAIR.match(line)
        if not m:
            return None
        value = m.group(2).strip()
        data[m.group(1)] = {"true": True, "false": False}.get(value.lower(), value)
    return data


def read_text(path: Path) -> list[Article]:
    """A .txt or .md file: one article."""
    text = decode(read_bytes(path))
    meta, body = split_front_matter(text, str(path))
    return [make_article(body, meta, default_id=path.stem, source=str(path))]
