"""JSON values frozen for the IR (hashable, deterministic) and back.

A leaf module: the IR, the schema types (:mod:`reactor_gen.types`) and the render filters
all read it, so it imports nothing of theirs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Union

__all__ = ["FrozenObject", "JsonScalar", "JsonValue", "freeze_json", "short_json", "thaw_json"]

JsonScalar = str | int | float | bool | None
JsonValue = Union[JsonScalar, "tuple[JsonValue, ...]", "tuple[tuple[str, JsonValue], ...]"]
"""A JSON value frozen for the IR: arrays become tuples, objects become tuples of
``(key, value)`` pairs sorted by key. See :func:`freeze_json`."""


class FrozenObject(tuple):  # type: ignore[type-arg]
    """A frozen JSON *object*: a tuple of ``(key, value)`` pairs sorted by key.

    A plain tuple subclass (so it is a ``tuple[tuple[str, JsonValue], ...]`` and compares
    like one); the subclass only lets consumers tell ``{"a": 1}`` apart from
    ``[["a", 1]]``. :func:`thaw_json` turns it back into a dict.
    """

    __slots__ = ()


def freeze_json(value: Any) -> JsonValue:
    """Freeze a JSON value for the IR: lists → tuples, objects → :class:`FrozenObject`
    (a tuple of ``(key, value)`` pairs sorted by key). Scalars are returned unchanged.
    """
    if isinstance(value, Mapping):
        return FrozenObject(
            sorted(
                ((str(k), freeze_json(v)) for k, v in value.items()),
                key=lambda kv: kv[0],
            )
        )
    if isinstance(value, (list, tuple)):
        return tuple(freeze_json(item) for item in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def thaw_json(value: JsonValue) -> Any:
    """Inverse of :func:`freeze_json`: plain ``dict``/``list``/scalars again."""
    if isinstance(value, FrozenObject):
        return {key: thaw_json(item) for key, item in value}
    if isinstance(value, tuple):
        return [thaw_json(item) for item in value]
    return value


def short_json(value: Any) -> str:
    """``value`` as JSON, cut to 60 characters: how diagnostics quote schema values."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
