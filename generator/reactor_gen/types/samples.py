"""Example text for string fields, and the small helpers example values share.

A string's value comes from, in order: an example its description gives (``e.g. "w+left"``);
its ``format``; an editing instruction for a prompt described as one; its name (``prompt``
→ a scene, ``tags`` → ``outdoor``, ``label`` → ``"Take 1"``...); else a placeholder naming
the field (``"example mime type"``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reactor_gen.ir.model import Constraints

__all__ = ["EDIT_TEXT", "SAMPLE_TEXT", "UploadPath", "fit", "singular", "text_for"]

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


def text_for(name: str, description: str, fmt: str) -> str:
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


def fit(text: str, c: Constraints) -> str:
    """``text`` cut to ``maxLength`` and padded to ``minLength``."""
    if c.max_length is not None:
        text = text[: c.max_length]
    if c.min_length is not None and len(text) < c.min_length:
        text += "x" * (c.min_length - len(text))
    return text


def singular(name: str) -> str:
    """``tags`` → ``tag`` (what one item of a list field is called)."""
    if name.endswith("ies") and len(name) > 3:
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss") and len(name) > 1:
        return name[:-1]
    return name


class UploadPath(str):
    """An example upload argument (rendered as a string path)."""
