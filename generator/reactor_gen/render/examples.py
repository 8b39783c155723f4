"""Realistic argument values for the README's examples (also the playground's placeholders
and the starter project's setup arguments).

A value comes from, in order: the field's default; an example its description gives
(``e.g. "w+left"``); its string ``format``; an editing instruction for a prompt described as
one; its name (``prompt`` → a scene, ``tags`` → ``["outdoor"]``, ``label`` → ``"Take 1"``...);
else a placeholder naming the field (``"example mime type"``). Enums take their default or
first choice; numbers their default or lower bound. Each kind of type makes its own
(:meth:`reactor_gen.types.SchemaType.example`; string text in :mod:`reactor_gen.types.samples`).
"""

from __future__ import annotations

from typing import Any

from reactor_gen.ir.model import Command, Field, Message
from reactor_gen.render.filters import py_value
from reactor_gen.types.samples import EDIT_TEXT, SAMPLE_TEXT

__all__ = ["EDIT_TEXT", "SAMPLE_TEXT", "example_args", "example_payload", "example_value"]


def example_value(f: Field) -> Any:
    """A realistic value for README examples (``None`` = leave the argument out)."""
    return f.type.example(f, f.name, f.description)


def example_payload(message: Message) -> dict[str, Any]:
    """A schema-valid example payload of ``message`` by wire field name: every field with a
    value (:func:`example_value`), and required ones even without (``None``). What the test
    kit's fake replies and the stand-in model sends until told otherwise."""
    return {
        f.name: value
        for f in message.payload.fields
        if (value := example_value(f)) is not None or f.required
    }


def example_args(command: Command) -> str:
    parts = []
    for f in command.params.fields:
        value = example_value(f)
        if value is None:
            continue
        parts.append(f"{f.py_name}={py_value(value)}")
    return ", ".join(parts)
