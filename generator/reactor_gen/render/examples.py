"""Realistic argument values for the README's examples."""

from __future__ import annotations

from typing import Any

from reactor_gen.ir.model import Command, Field, TypeRef
from reactor_gen.ir.serialize import thaw_json
from reactor_gen.render.filters import py_value

__all__ = ["example_args", "example_value"]

SAMPLE_TEXT = "A sunset over the ocean"


def example_value(f: Field) -> Any:
    """A realistic value for README examples (``None`` = leave the argument out)."""
    return _example(f.type, f)


def _example(t: TypeRef, f: Field | None) -> Any:
    default = thaw_json(f.default) if f is not None and f.has_default else None
    c = f.constraints if f is not None else None
    k = t.kind
    if k == "string":
        if isinstance(default, str) and default:
            return default
        return SAMPLE_TEXT
    if k in ("integer", "number"):
        low = c.minimum if c is not None else None
        high = c.maximum if c is not None else None
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
        return _example(t.item, f if t.item.kind not in ("object",) else None)
    if k == "list":
        assert t.item is not None
        if isinstance(default, list) and default:
            return default
        item = _example(t.item, None)
        return [item] if item is not None else []
    if k == "dict":
        return default if isinstance(default, dict) else {}
    if k == "object":
        assert t.obj is not None
        return {
            g.name: v for g in t.obj.fields if g.required and (v := _example(g.type, g)) is not None
        }
    if k == "upload":
        return _UploadPath("image.png")
    return None


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
