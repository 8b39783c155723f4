"""Python literals and Markdown code spans for schema values: the escaping the renderer's
filters (:mod:`reactor_gen.render.filters`) and the schema types (:mod:`reactor_gen.types`)
share. A leaf module: it imports nothing of the generator but frozen JSON values.

Every helper is total (any value in, valid output out) and deterministic.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from reactor_gen.jsonvalue import JsonValue, thaw_json

__all__ = ["comment_text", "md_code", "py_literal", "py_str", "py_value"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_controls(text: str, *, keep_newlines: bool) -> str:
    """Escape characters that may not appear raw in a (non-raw) Python string body."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif 0xD800 <= code <= 0xDFFF:  # lone surrogate: not encodable as UTF-8
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def py_str(value: str) -> str:
    """A Python string literal for ``value`` in black's quotes: double quotes unless they
    would need more escapes than single ones (so black leaves the literal as it is).
    ``repr``-based; lone surrogates escaped."""
    text = repr(value)
    if text[0] == "'" and value.count('"') <= value.count("'"):
        # repr chose single quotes and escaped every ' (or had none to escape): the same
        # body with " escaped instead and ' bare costs no more escapes.
        text = '"' + text[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
    # repr() keeps lone surrogates raw (they are "printable" to it): escape them so the
    # file can be written as UTF-8.
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def py_literal(value: JsonValue) -> str:
    """A Python literal for a frozen IR JSON value (defaults, enum members)."""
    return _literal(thaw_json(value))


def _literal(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f'float("{value!r}")'
        return repr(value)
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ", ".join(f"{py_str(k)}: {_literal(v)}" for k, v in items) + "}"
    raise TypeError(f"not a JSON value: {value!r}")


def py_value(value: Any) -> str:
    """A Python literal for README examples: like :func:`py_literal` but for thawed
    values, strings in double quotes (as black would write them)."""
    if isinstance(value, str):
        return _SURROGATE.sub(
            lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False)
        )
    if isinstance(value, list):
        return "[" + ", ".join(py_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_value(k)}: {py_value(v)}" for k, v in value.items()) + "}"
    return _literal(value)


def comment_text(text: str) -> str:
    """One line of text for a ``#`` comment (no newlines or control characters)."""
    return "".join(
        " " if (ord(c) < 0x20 or ord(c) == 0x7F or 0xD800 <= ord(c) <= 0xDFFF) else c for c in text
    )


def md_code(text: str) -> str:
    """A Markdown code span showing ``text`` verbatim: fenced by one backtick more than
    its longest run of backticks, padded with a space when it starts or ends with one."""
    text = comment_text(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
