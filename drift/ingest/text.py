"""Plain text and Markdown, each with optional YAML front matter."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from drift.ingest.base import Meta, ReadFailure, decode_source, make_article, read_bytes
from drift.records import Article

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
# Markdown markup that is not article text: headings' hashes and emphasis markers stay (they
# do not change meaning); only images and HTML comments are removed by cleaning.


class _NoAliasLoader(yaml.SafeLoader):
    """safe_load without anchors and aliases: front matter has no use for them, and a chain of
    aliases (``&a [x, x]``, ``&b [*a, *a]`` ...) expands exponentially ("billion laughs")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _AliasRefused(
                None, None, "YAML anchors and aliases (&name, *name) are not allowed",
                event.start_mark)
        return super().compose_node(parent, index)


class _AliasRefused(yaml.composer.ComposerError):
    pass


def split_front_matter(text: str, source: str) -> tuple[Meta, str]:
    """Front matter (as Meta) and the body after it."""
    meta, start = front_matter(text)
    return meta, text[start:]


def front_matter(text: str) -> tuple[Meta, int]:
    """Front matter (as Meta) and where the body starts in ``text``.

    Raises ReadFailure (one line) for malformed YAML, anchors or aliases, front matter that is
    not a mapping, or YAML nested too deeply to parse.
    """
    m = FRONT_MATTER.match(text)
    if not m:
        return Meta(), 0
    block = m.group(1)
    try:
        data = yaml.load(block, Loader=_NoAliasLoader)  # a SafeLoader subclass
    except _AliasRefused as exc:
        raise ReadFailure(f"front matter{_where(exc)}: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        # Hand-written front matter often has an unquoted colon in a title ("title: Chile: ...");
        # YAML rejects it, but when every line is a flat "key: value" pair of plain text the
        # intent is clear. Anything else (an unclosed "[", a stray line) is an error.
        data = _flat_pairs(block)
        if data is None:
            problem = getattr(exc, "problem", None) or exc
            raise ReadFailure(f"malformed YAML front matter{_where(exc)}: {problem}") from exc
    except (RecursionError, MemoryError) as exc:
        raise ReadFailure("malformed YAML front matter: nested too deeply to read") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ReadFailure("front matter is not a mapping of keys to values")
    return Meta.from_mapping(data), m.end()


def _where(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f" (line {mark.line + 2})" if mark is not None else ""


FLAT_PAIR = re.compile(r"^([A-Za-z_][\w-]*):[ \t]*(.*)$")
# A value that opens YAML syntax (a flow list or mapping, a quoted string, an anchor, alias, tag,
# block scalar or directive) is not plain text: "title: [unclosed" is malformed YAML, not a title.
YAML_SYNTAX = tuple("[{\"'&*!|>%@`")


def _opens_with_quotation(value: str) -> bool:
    """Does a value open with a closed quotation and go on in plain text (a headline's
    'title: "A drop in the ocean": growers slam rescue')? Then the quotes are the headline's,
    not YAML's; an unclosed one ('title: "unterminated') stays an error."""
    if value[:1] not in {'"', "'"}:
        return False
    close = value.find(value[0], 1)
    return close > 1 and bool(value[close + 1:].strip())


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
        if value.startswith(YAML_SYNTAX) and not _opens_with_quotation(value):
            return None
        data[m.group(1)] = {"true": True, "false": False}.get(value.lower(), value)
    return data


def read_text(path: Path) -> list[Article]:
    """A .txt or .md file: one article."""
    source = decode_source(read_bytes(path))
    meta, start = front_matter(source.text)
    return [make_article(source.text[start:], meta, default_id=path.stem, source=str(path),
                         raw_of="file", raw_base=start, raw_crlf=source.crlf)]
