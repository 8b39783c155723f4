"""Realistic argument values for the README's examples (also the playground's placeholders
and the starter project's setup arguments).

A value comes from, in order: the field's default; an example its description gives
(``e.g. "w+left"``); its string ``format``; an editing instruction for a prompt described as
one; its name (``prompt`` → a scene, ``tags`` → ``["outdoor"]``, ``label`` → ``"Take 1"``...);
else a placeholder naming the field (``"example mime type"``). Enums take their default or
first choice; numbers their default or lower bound.
"""

from __future__ import annotations

import re
from typing import Any

from reactor_gen.ir.model import Command, Constraints, Field, Message, TypeRef
from reactor_gen.ir.serialize import thaw_json
from reactor_gen.render.filters import py_value

__all__ = ["EDIT_TEXT", "SAMPLE_TEXT", "example_args", "example_payload", "example_value"]

SAMPLE_TEXT = "A sunset over the ocean"
"""The example prompt: a scene."""
EDIT_TEXT = "Turn it into a watercolour painting"
"""The example of a prompt its description calls an (editing) instruction."""

_FORMATS = {
    "uri": "https://example.com/input.png",
    "url": "https://example.com/input.png",
    "uri-reference": "input.png",
    "email": "user@example.com",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "date-time": "2025-01-01T12:00:00Z",
    "date": "2025-01-01",
    "time": "12:00:00",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
}
_NAMES: tuple[tuple[frozenset[str], str], ...] = tuple(
    (frozenset(words.split()), value)
    for words, value in (
        ("negative", "blurry, low quality"),
        ("prompt prompts scene caption", SAMPLE_TEXT),
        ("instruction instructions", EDIT_TEXT),
        ("url urls uri link href", "https://example.com/input.png"),
        ("email", "user@example.com"),
        ("path file filename", "input.png"),
        ("color colour", "#ff8800"),
        ("language lang locale", "en"),
        ("tag tags keyword keywords category", "outdoor"),
        ("label title", "Take 1"),
        ("note notes comment comments", "First try"),
        ("text message greeting", "Hello"),
        ("name", "demo"),
        ("id", "abc123"),
    )
)
_GIVEN_EXAMPLE = re.compile(
    r"\b(?:e\.g\.|eg\.|for example|such as)[:,]?\s*"
    r"(?:\"(?P<dq>[^\"\n]+)\"|'(?P<sq>[^'\n]+)'|`(?P<bt>[^`\n]+)`|“(?P<cq>[^”\n]+)”)",
    re.IGNORECASE,
)
_EDIT_WORDS = re.compile(r"\b(?:edit|editing|instruction)\b", re.IGNORECASE)


def example_value(f: Field) -> Any:
    """A realistic value for README examples (``None`` = leave the argument out)."""
    return _example(f.type, f, f.name, f.description)


def example_payload(message: Message) -> dict[str, Any]:
    """A schema-valid example payload of ``message`` by wire field name: every field with a
    value (:func:`example_value`), and required ones even without (``None``). What the test
    kit's fake replies and the stand-in model sends until told otherwise."""
    return {
        f.name: value
        for f in message.payload.fields
        if (value := example_value(f)) is not None or f.required
    }


def _example(t: TypeRef, f: Field | None, name: str, description: str) -> Any:
    default = thaw_json(f.default) if f is not None and f.has_default else None
    c = f.constraints if f is not None else Constraints()
    k = t.kind
    if k == "string":
        if isinstance(default, str) and default:
            return default
        return _fit(_text(name, description, t.format), c)
    if k in ("integer", "number"):
        low, high = c.minimum, c.maximum
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            if (low is None or default >= low) and (high is None or default <= high):
                if low is not None or default >= 0:
                    return default
        if low is not None:
            return low
        return 0 if k == "integer" else 0.5
    if k == "boolean":
        return default if isinstance(default, bool) else True
    if k == "enum":
        if f is not None and f.has_default and default in t.enum_values:
            return default
        return t.enum_values[0] if t.enum_values else None
    if k == "nullable":
        assert t.item is not None
        return _example(t.item, f if t.item.kind != "object" else None, name, description)
    if k == "list":
        assert t.item is not None
        if isinstance(default, list) and default:
            return default
        item = _example(t.item, None, _singular(name), description)
        return [item] if item is not None else []
    if k == "dict":
        assert t.item is not None
        if isinstance(default, dict) and default:
            return default
        value = _example(t.item, None, name, "")
        return {} if value is None else {"example": value}
    if k == "object":
        assert t.obj is not None
        return {
            g.name: v
            for g in t.obj.fields
            if g.required and (v := _example(g.type, g, g.name, g.description)) is not None
        }
    if k == "upload":
        return _UploadPath("image.png")
    return None


def _text(name: str, description: str, fmt: str) -> str:
    given = _GIVEN_EXAMPLE.search(description)
    if given is not None:
        return next(v for v in given.groupdict().values() if v is not None)
    if fmt in _FORMATS:
        return _FORMATS[fmt]
    words = [w for w in name.lower().split("_") if w]
    if "prompt" in words and _EDIT_WORDS.search(description):
        return EDIT_TEXT
    for keys, value in _NAMES:
        if keys.intersection(words):
            return value
    return "example " + " ".join(words) if words else "example"


def _fit(text: str, c: Constraints) -> str:
    """``text`` cut to ``maxLength`` and padded to ``minLength``."""
    if c.max_length is not None:
        text = text[: c.max_length]
    if c.min_length is not None and len(text) < c.min_length:
        text += "x" * (c.min_length - len(text))
    return text


def _singular(name: str) -> str:
    """``tags`` → ``tag`` (what one item of a list field is called)."""
    if name.endswith("ies") and len(name) > 3:
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss") and len(name) > 1:
        return name[:-1]
    return name


class _UploadPath(str):
    """An example upload argument (rendered as a string path)."""


def example_args(command: Command) -> str:
    parts = []
    for f in command.params.fields:
        value = example_value(f)
        if value is None:
            continue
        parts.append(f"{f.py_name}={py_value(value)}")
    return ", ".join(parts)
