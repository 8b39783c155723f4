"""Python type expressions of the generated code, from IR types.

Two flavours:

* **model** annotations (fields of the pydantic classes): commands use strict booleans
  and integers and an ``UploadSource`` validator for uploads; messages are lax
  (``7.0`` validates into ``int``) and read uploads as ``reactor_client.UploadReference``;
* **argument** annotations (keyword parameters of the generated command methods):
  plain Python types; nested objects also accept a mapping; uploads accept a reference,
  a path or bytes.

:func:`doc_type` is the human-readable form used in docs and README tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from reactor_gen.ir.model import TypeRef
from reactor_gen.render.filters import md_code, py_literal, py_value

__all__ = [
    "Side",
    "arg_type",
    "doc_type",
    "float_choices",
    "has_choices",
    "is_upload",
    "literal_type",
    "model_type",
    "needs_one_of",
]

Side = Literal["command", "message"]
UPLOAD_ARG = "reactor_client.UploadReference | str | os.PathLike[str] | bytes"


def _type_expr(t: TypeRef, leaf: Callable[[TypeRef], str]) -> str:
    """A type annotation: containers (nullable, list, dict) around leaves rendered by ``leaf``."""
    if t.kind in ("nullable", "list", "dict"):
        assert t.item is not None
        inner = _type_expr(t.item, leaf)
        return {
            "nullable": f"{inner} | None",
            "list": f"list[{inner}]",
            "dict": f"dict[str, {inner}]",
        }[t.kind]
    return leaf(t)


def model_type(t: TypeRef, side: Side, qual: str = "") -> str:
    """Annotation of a pydantic field. ``qual`` prefixes nested class names. Command
    parameters are strict, as the runtime is: numbers must be numbers (no ``"7"`` → 7, no
    ``"0.25"`` or ``True`` → a float; an int is a valid float), booleans booleans; numeric
    choices go through ``_one_of`` (commands.py), which refuses a bool where pydantic's
    ``Literal[1, 2]`` takes ``True`` for ``1``. Messages are lax (``7.0`` → 7)."""

    def leaf(t: TypeRef) -> str:
        k = t.kind
        if k == "integer":
            return "pydantic.StrictInt" if side == "command" else "int"
        if k == "number":
            return "pydantic.StrictFloat" if side == "command" else "float"
        if k == "boolean":
            return "pydantic.StrictBool" if side == "command" else "bool"
        if k == "upload":
            return "UploadSource" if side == "command" else "reactor_client.UploadReference"
        if k == "enum" and side == "command" and needs_one_of(t):
            choices = ", ".join(py_literal(v) for v in t.enum_values)
            return f"typing.Annotated[{_plain_leaf(t, qual)}, _one_of({choices})]"
        return _plain_leaf(t, qual)

    return _type_expr(t, leaf)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def float_choices(t: TypeRef) -> bool:
    """An enum with a float among its choices (``"type": "number", "enum": [0.5, 1.0]``):
    not a valid ``typing.Literal``, so a ``float`` (or, mixed with other kinds, ``Any``)
    restricted to the choices by a validator."""
    return t.kind == "enum" and any(isinstance(v, float) for v in t.enum_values)


def needs_one_of(t: TypeRef) -> bool:
    """Whether a command parameter of type ``t`` (or an item of it) is checked by the
    ``_one_of`` validator: choices with a number among them."""
    if t.kind == "enum":
        return any(_is_number(v) for v in t.enum_values)
    if t.kind in ("nullable", "list", "dict") and t.item is not None:
        return needs_one_of(t.item)
    if t.kind == "object" and t.obj is not None:
        return any(needs_one_of(f.type) for f in t.obj.fields)
    return False


def arg_type(t: TypeRef, qual: str = "_commands.") -> str:
    """Annotation of a command method's keyword parameter."""

    def leaf(t: TypeRef) -> str:
        if t.kind == "object":
            assert t.obj is not None
            return f"{qual}{t.obj.class_name} | typing.Mapping[str, typing.Any]"
        if t.kind == "upload":
            return UPLOAD_ARG
        return _plain_leaf(t, qual)

    return _type_expr(t, leaf)


def _plain_leaf(t: TypeRef, qual: str) -> str:
    """The annotation both sides share for a non-container type."""
    k = t.kind
    if k in _SCALARS:
        return _SCALARS[k]
    if k == "enum":
        if float_choices(t):
            return "float" if all(_is_number(v) for v in t.enum_values) else "typing.Any"
        return literal_type(t)
    if k == "object":
        assert t.obj is not None
        return qual + t.obj.class_name
    return "typing.Any"


_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def literal_type(t: TypeRef) -> str:
    values = ", ".join(py_literal(v) for v in t.enum_values)
    return f"typing.Literal[{values}]" if values else "typing.Any"


def doc_type(t: TypeRef, *, markup: bool = True) -> str:
    """Human-readable type for docs and README tables: Markdown (choices as code spans,
    no ``|``, which a table cell would have to escape), or plain text with
    ``markup=False`` (the playground's labels)."""
    k = t.kind
    if k == "enum":
        code = md_code if markup else (lambda text: text)
        choices = ", ".join(code(py_value(v)) for v in t.enum_values)
        if not choices:
            return "any"
        return ("float, one of " if float_choices(t) else "one of ") + choices
    if k == "nullable":
        assert t.item is not None
        return f"{doc_type(t.item, markup=markup)} or None"
    if k == "list":
        assert t.item is not None
        return f"list[{doc_type(t.item, markup=markup)}]"
    if k == "dict":
        assert t.item is not None
        return f"dict[str, {doc_type(t.item, markup=markup)}]"
    if k == "object":
        assert t.obj is not None
        return t.obj.class_name
    if k == "upload":
        return "upload (path, bytes or UploadReference)"
    return {
        "string": "str",
        "integer": "int",
        "number": "float",
        "boolean": "bool",
    }.get(k, "any")


def has_choices(t: TypeRef) -> bool:
    """An enum, possibly nullable."""
    while t.kind == "nullable" and t.item is not None:
        t = t.item
    return t.kind == "enum"


def is_upload(t: TypeRef) -> bool:
    return t.kind == "upload" or (
        t.kind == "nullable" and t.item is not None and t.item.kind == "upload"
    )
