"""JSON and JSON Lines: one article per object."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from drift.ingest.base import (
    Meta,
    ReadFailure,
    decode,
    make_article,
    normalise_newlines,
    read_bytes,
)
from drift.records import Article, ReadError

TEXT_KEYS = ("text", "body", "content", "article")


def is_article(obj: Any) -> bool:
    """Does this JSON value look like an article (an object with a text field)?"""
    return isinstance(obj, dict) and any(isinstance(obj.get(k), str) for k in TEXT_KEYS)


def _article(obj: Any, *, default_id: str, source: str) -> Article:
    if not isinstance(obj, dict):
        raise ReadFailure(f"expected a JSON object, found {type(obj).__name__}")
    body = next((obj[k] for k in TEXT_KEYS if isinstance(obj.get(k), str)), None)
    if body is None:
        raise ReadFailure(f"object has no text field (one of {', '.join(TEXT_KEYS)})")
    body, crlf = normalise_newlines(body)
    if not body.strip():
        raise ReadFailure("article text is empty")
    return make_article(body, Meta.from_mapping(obj), default_id=default_id, source=source,
                        raw_of="field", raw_crlf=crlf)


def _parse(text: str, *, one_line: bool = False) -> Any:
    """``json.loads``, with every parser failure as a one-line ReadFailure."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"column {exc.colno}" if one_line else f"line {exc.lineno} column {exc.colno}"
        raise ReadFailure(f"malformed JSON at {where}: {exc.msg}") from exc
    except RecursionError as exc:
        # json.loads recurses once per nesting level ("[[[[...").
        raise ReadFailure("malformed JSON: nested too deeply to read") from exc
    except MemoryError as exc:
        raise ReadFailure("JSON too large to read in memory") from exc
    except ValueError as exc:  # e.g. integers longer than Python's digit limit
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReadFailure(f"malformed JSON: {first}") from exc


def load_json(path: Path) -> Any:
    """Parsed JSON of a .json file (shared with directory scanning)."""
    return _parse(decode(read_bytes(path)))


def read_json(path: Path) -> tuple[list[Article], list[ReadError]]:
    """A .json file: an article object, or a list of them (an empty list gives no article and no
    error; ``read_paths`` notes it)."""
    data = load_json(path)
    items = data if isinstance(data, list) else [data]
    articles: list[Article] = []
    errors: list[ReadError] = []
    for n, obj in enumerate(items, 1):
        default_id = path.stem if len(items) == 1 else f"{path.stem}-{n}"
        try:
            source = str(path) if len(items) == 1 else f"{path}#{n}"
            articles.append(_article(obj, default_id=default_id, source=source))
        except ReadFailure as exc:
            errors.append(ReadError(f"{path}#{n}" if len(items) > 1 else str(path), str(exc)))
    return articles, errors


def read_jsonl(path: Path) -> tuple[list[Article], list[ReadError]]:
    """A .jsonl file: one article object per line; a bad line is reported, the others are read."""
    text = decode(read_bytes(path))
    articles: list[Article] = []
    errors: list[ReadError] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = _parse(line, one_line=True)
            articles.append(_article(obj, default_id=f"{path.stem}-{lineno}", source=where))
        except ReadFailure as exc:
            errors.append(ReadError(where, str(exc)))
    return articles, errors
