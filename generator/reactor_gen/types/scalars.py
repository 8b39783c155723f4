"""The scalar kinds: string, integer, number, boolean; and ``any`` and ``upload``.

Command parameters are strict, as the runtime is: numbers must be numbers (no ``"7"`` → 7,
no ``"0.25"`` or ``True`` → a float; an int is a valid float), booleans booleans. Messages
are lax (``7.0`` → ``7``: numbers in model messages arrive as floats).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from reactor_gen.pyliterals import py_value
from reactor_gen.types.base import (
    SchemaType,
    Side,
    Widget,
    WidgetInput,
    given_default,
    is_number,
)
from reactor_gen.types.samples import UploadPath, fit, text_for

if TYPE_CHECKING:
    from reactor_gen.ir.model import Constraints, Field

__all__ = [
    "AnyType",
    "BooleanType",
    "IntegerType",
    "NumberType",
    "StringType",
    "UploadType",
    "UPLOAD_ARG",
]

UPLOAD_ARG = "reactor_client.UploadReference | str | os.PathLike[str] | bytes"
"""What a command method takes for an upload: a reference, a path or the bytes."""


def _bound_attrs(c: Constraints | None) -> tuple[tuple[str, str], ...]:
    if c is None:
        return ()
    out = []
    if c.minimum is not None:
        out.append(("min", py_value(c.minimum)))
    if c.maximum is not None:
        out.append(("max", py_value(c.maximum)))
    return tuple(out)


@dataclass(frozen=True)
class AnyType(SchemaType):
    """``{}`` or no usable type information: any JSON value."""

    kind: ClassVar[str] = "any"
    admits_null: ClassVar[bool] = True

    def includes(self, other: SchemaType) -> bool:
        return not isinstance(other, AnyType)


@dataclass(frozen=True)
class StringType(SchemaType):
    """``{"type": "string"}``."""

    kind: ClassVar[str] = "string"
    takes_lengths: ClassVar[bool] = True
    length_unit: ClassVar[str] = "characters"
    is_scalar: ClassVar[bool] = True
    format: str = field(default="", compare=False)
    """The ``format`` (``uri``, ``email``...): README examples only, so not part of the
    surface (excluded from equality and the canonical form)."""

    def conforms(self, value: Any) -> bool:
        return isinstance(value, str)

    def model_type(self, side: Side, qual: str = "") -> str:
        return "str"

    def doc_type(self, *, markup: bool = True) -> str:
        return "str"

    def example(self, field: Field | None, name: str, description: str) -> Any:
        default = given_default(field)
        if isinstance(default, str) and default:
            return default
        text = text_for(name, description, self.format)
        return fit(text, field.constraints) if field is not None else text

    def widget(self, given: WidgetInput) -> Widget:
        c = given.field.constraints
        element, attrs = "input", []
        if c.max_length is not None and c.max_length > 120:
            element = "textarea"  # room for a prompt
        elif c.max_length is not None:
            attrs.append(("maxlength", str(c.max_length)))
        if c.min_length is not None:
            attrs.append(("minlength", str(c.min_length)))
        value = given.default if given.has_value and isinstance(given.default, str) else ""
        return Widget(kind="string", element=element, value=value, attrs=tuple(attrs))


@dataclass(frozen=True)
class _Numeric(SchemaType):
    """What integers and numbers share."""

    takes_bounds: ClassVar[bool] = True
    is_scalar: ClassVar[bool] = True
    python: ClassVar[str] = ""
    strict: ClassVar[str] = ""
    step: ClassVar[str] = "any"
    fallback: ClassVar[int | float] = 0

    def model_type(self, side: Side, qual: str = "") -> str:
        return self.strict if side == "command" else self.python

    def arg_type(self, qual: str = "_commands.") -> str:
        return self.python

    def doc_type(self, *, markup: bool = True) -> str:
        return self.python

    def example(self, field: Field | None, name: str, description: str) -> Any:
        default = given_default(field)
        low = field.constraints.minimum if field is not None else None
        high = field.constraints.maximum if field is not None else None
        if is_number(default):
            if (low is None or default >= low) and (high is None or default <= high):
                if low is not None or default >= 0:
                    return default
        return low if low is not None else self.fallback

    def widget(self, given: WidgetInput) -> Widget:
        value = ""
        if given.has_value and isinstance(given.default, (int, float)):
            value = py_value(given.default)
        return Widget(
            kind=self.kind,
            input_type="number",
            value=value,
            attrs=(("step", self.step), *_bound_attrs(given.field.constraints)),
        )


@dataclass(frozen=True)
class IntegerType(_Numeric):
    """``{"type": "integer"}`` (an integral float default such as ``4.0`` is accepted by
    the parser and stored as ``4``)."""

    kind: ClassVar[str] = "integer"
    python: ClassVar[str] = "int"
    strict: ClassVar[str] = "pydantic.StrictInt"
    step: ClassVar[str] = "1"
    fallback: ClassVar[int | float] = 0

    def conforms(self, value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def another(self, value: Any, constraints: Constraints) -> Any:
        if isinstance(value, int) and constraints.maximum is None:
            return value + 1
        return value


@dataclass(frozen=True)
class NumberType(_Numeric):
    """``{"type": "number"}``: a float; an int is a valid float."""

    kind: ClassVar[str] = "number"
    python: ClassVar[str] = "float"
    strict: ClassVar[str] = "pydantic.StrictFloat"
    fallback: ClassVar[int | float] = 0.5

    def conforms(self, value: Any) -> bool:
        return is_number(value)

    def includes(self, other: SchemaType) -> bool:
        return isinstance(other, IntegerType)


@dataclass(frozen=True)
class BooleanType(SchemaType):
    """``{"type": "boolean"}``."""

    kind: ClassVar[str] = "boolean"
    is_scalar: ClassVar[bool] = True

    def conforms(self, value: Any) -> bool:
        return isinstance(value, bool)

    def model_type(self, side: Side, qual: str = "") -> str:
        return "pydantic.StrictBool" if side == "command" else "bool"

    def arg_type(self, qual: str = "_commands.") -> str:
        return "bool"

    def doc_type(self, *, markup: bool = True) -> str:
        return "bool"

    def example(self, field: Field | None, name: str, description: str) -> Any:
        default = given_default(field)
        return default if isinstance(default, bool) else True

    def another(self, value: Any, constraints: Constraints) -> Any:
        return not value if isinstance(value, bool) else value

    def widget(self, given: WidgetInput) -> Widget:
        if given.nullable or not given.field.has_default:
            # three states (true, false, not set): a select
            return Widget(
                kind="enum",
                element="select",
                choices=(True, False),
                blank=True,
                value="",
            )
        return Widget(kind="boolean", input_type="checkbox", checked=given.default is True)


@dataclass(frozen=True)
class UploadType(SchemaType):
    """A ``$ref`` to ``ReactorUploadReference`` (or ``format: reactor-upload-reference``):
    a file the client uploads first; the command carries the reference."""

    kind: ClassVar[str] = "upload"

    def conforms(self, value: Any) -> bool:
        return isinstance(value, Mapping)

    def model_type(self, side: Side, qual: str = "") -> str:
        return "UploadSource" if side == "command" else "reactor_client.UploadReference"

    def arg_type(self, qual: str = "_commands.") -> str:
        return UPLOAD_ARG

    def doc_type(self, *, markup: bool = True) -> str:
        return "upload (path, bytes or UploadReference)"

    def example(self, field: Field | None, name: str, description: str) -> Any:
        return UploadPath("image.png")

    def widget(self, given: WidgetInput) -> Widget:
        return Widget(kind="upload", input_type="file")
