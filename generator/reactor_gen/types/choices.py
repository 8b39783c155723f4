"""The choice kind: ``{"enum": [...]}``, with or without a uniform ``type``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from reactor_gen.jsonvalue import JsonScalar, short_json
from reactor_gen.pyliterals import md_code, py_literal, py_value
from reactor_gen.types.base import (
    DiffSink,
    Role,
    SchemaType,
    Side,
    Widget,
    WidgetInput,
    given_default,
    is_number,
)

if TYPE_CHECKING:
    from reactor_gen.ir.model import Constraints, Field

__all__ = ["EnumType", "same_choice"]


def same_choice(value: Any, choice: Any) -> bool:
    """Whether ``value`` is the enum member ``choice``: numbers compare by value (``1`` is
    the choice ``1.0``, as for the runtime), anything else by type and value (``True`` is
    not ``1``)."""
    if is_number(value) and is_number(choice):
        return bool(value == choice)
    return type(value) is type(choice) and value == choice


@dataclass(frozen=True)
class EnumType(SchemaType):
    """A fixed set of JSON scalars, in schema order.

    Python: ``typing.Literal[...]`` of the choices; choices with a float among them are not
    valid ``Literal`` members, so such a field is a ``float`` (``typing.Any`` when mixed with
    other kinds) that the generated ``_one_of`` validator restricts to the choices. Command
    parameters with numeric choices always go through ``_one_of``, which refuses a bool
    where pydantic's ``Literal[1, 2]`` takes ``True`` for ``1``.
    """

    kind: ClassVar[str] = "enum"
    is_scalar: ClassVar[bool] = True
    values: tuple[JsonScalar, ...] = ()

    @property
    def choices(self) -> tuple[Any, ...]:
        return self.values

    @property
    def takes_bounds(self) -> bool:  # type: ignore[override]
        """Bounds apply to choices that are all numbers (``choices=[1, 2, 4], ge=1``)."""
        return bool(self.values) and all(is_number(v) for v in self.values)

    @property
    def has_float(self) -> bool:
        """A float among the choices: not a valid ``typing.Literal``."""
        return any(isinstance(v, float) for v in self.values)

    def conforms(self, value: Any) -> bool:
        return any(same_choice(value, allowed) for allowed in self.values)

    def label(self) -> str:
        return "enum [" + ", ".join(short_json(v) for v in self.values) + "]"

    def diff_label(self) -> str:
        return "enum[" + ", ".join(repr(v) for v in self.values) + "]"

    def compare(self, new: SchemaType, where: str, role: Role, sink: DiffSink) -> bool:
        assert isinstance(new, EnumType)
        removed = [v for v in self.values if v not in new.values]
        added = [v for v in new.values if v not in self.values]
        for v in removed:
            sink.change("breaking", where, f"enum value {v!r} removed")
        for v in added:
            sink.change("compatible", where, f"enum value {v!r} added")
        if not removed and not added:
            sink.change("documentation", where, "enum values reordered")
        return True

    def _plain(self) -> str:
        if self.has_float:
            return "float" if all(is_number(v) for v in self.values) else "typing.Any"
        values = ", ".join(py_literal(v) for v in self.values)
        return f"typing.Literal[{values}]" if values else "typing.Any"

    def model_type(self, side: Side, qual: str = "") -> str:
        if side == "command" and self.needs_one_of():
            choices = ", ".join(py_literal(v) for v in self.values)
            return f"typing.Annotated[{self._plain()}, _one_of({choices})]"
        return self._plain()

    def arg_type(self, qual: str = "_commands.") -> str:
        return self._plain()

    def doc_type(self, *, markup: bool = True) -> str:
        code = md_code if markup else (lambda text: text)
        choices = ", ".join(code(py_value(v)) for v in self.values)
        if not choices:
            return "any"
        return ("float, one of " if self.has_float else "one of ") + choices

    def needs_one_of(self) -> bool:
        return any(is_number(v) for v in self.values)

    def example(self, field: Field | None, name: str, description: str) -> Any:
        default = given_default(field)
        if field is not None and field.has_default and default in self.values:
            return default
        return self.values[0] if self.values else None

    def another(self, value: Any, constraints: Constraints) -> Any:
        if len(self.values) > 1:
            return next(v for v in reversed(self.values) if v != value)
        return value

    def widget(self, given: WidgetInput) -> Widget:
        return Widget(
            kind="enum",
            element="select",
            choices=self.values,
            blank=given.nullable or not given.field.has_default,
        )
