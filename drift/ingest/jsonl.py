"""JSON and JSON Lines: one article per object."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from drift.ingest.base import Meta, ReadFailure, decode, make_article, read_bytes
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
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if not body.strip():
        raise ReadFailure("article text is empty")
    return make_article(body, Meta.from_mapping(obj), default_id=default_id, source=source)


def load_json(path: Path) -> Any:
    """Parsed JSON of a .json file (shared with directory scanning)."""
    text = decode(read_bytes(path))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise ReadFailure(f"malformed JSON at {where}: {exc.msg}") from exc


def read_json(path: Path) -> tuple[list[Article], list[ReadError]]:
    """A .json file: an article object, or a list of them."""
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
            obj = json.loads(line)
            articles.append(_article(obj, default_id=f"{path.stem}-{lineno}", source=where))
        except json.JSONDecodeError as exc:
            errors.append(ReadError(where, f"malformed JSON: {exc.msg} (column {exc.colno})"))
        except ReadFailure as exc:
            errors.append(ReadError(where, str(exc)))
    return articles, errors
