"""The kinds around another type: ``T | None``, ``list[T]`` and ``dict[str, T]``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from reactor_gen.types.base import DiffSink, Role, SchemaType, Side, given_default
from reactor_gen.types.samples import singular

if TYPE_CHECKING:
    from reactor_gen.ir.model import Field

__all__ = ["DictType", "ListType", "NullableType"]


@dataclass(frozen=True)
class _Container(SchemaType):
    """A type around ``item``; subclasses say how to write it."""

    item: SchemaType
    diff_suffix: ClassVar[str] = ""
    """What the diff appends to a field's path for the inner type (``[]``, ``{}``)."""

    @property
    def inner(self) -> SchemaType | None:
        return self.item

    def with_inner(self, inner: SchemaType) -> SchemaType:
        return replace(self, item=inner)

    def wrap(self, inner: str) -> str:
        """The Python annotation around the inner annotation."""
        raise NotImplementedError

    def model_type(self, side: Side, qual: str = "") -> str:
        return self.wrap(self.item.model_type(side, qual))

    def arg_type(self, qual: str = "_commands.") -> str:
        return self.wrap(self.item.arg_type(qual))

    def needs_one_of(self) -> bool:
        return self.item.needs_one_of()

    def compare(self, new: SchemaType, where: str, role: Role, sink: DiffSink) -> bool:
        assert isinstance(new, _Container)
        sink.types(self.item, new.item, where + self.diff_suffix)
        return True


@dataclass(frozen=True)
class NullableType(_Container):
    """``{"anyOf": [T, {"type": "null"}]}`` (or a field defaulting to null)."""

    kind: ClassVar[str] = "nullable"
    admits_null: ClassVar[bool] = True

    def unwrap(self) -> SchemaType:
        return self.item.unwrap()

    def wrap(self, inner: str) -> str:
        return f"{inner} | None"

    def conforms(self, value: Any) -> bool:
        return value is None or self.item.conforms(value)

    def label(self) -> str:
        return f"{self.item.label()} or null"

    def diff_label(self) -> str:
        return f"{self.item.diff_label()} | null"

    def includes(self, other: SchemaType) -> bool:
        if isinstance(other, NullableType):
            return False
        return self.item == other or self.item.includes(other)

    def doc_type(self, *, markup: bool = True) -> str:
        return f"{self.item.doc_type(markup=markup)} or None"

    def example(self, field: Field | None, name: str, description: str) -> Any:
        return self.item.example(field, name, description)


@dataclass(frozen=True)
class ListType(_Container):
    """``{"type": "array", "items": T}`` (a bare array has items of any type)."""

    kind: ClassVar[str] = "list"
    takes_lengths: ClassVar[bool] = True
    diff_suffix: ClassVar[str] = "[]"

    def wrap(self, inner: str) -> str:
        return f"list[{inner}]"

    def conforms(self, value: Any) -> bool:
        return isinstance(value, list) and all(self.item.conforms(v) for v in value)

    def label(self) -> str:
        return f"array of {self.item.label()}"

    def diff_label(self) -> str:
        return f"list[{self.item.diff_label()}]"

    def doc_type(self, *, markup: bool = True) -> str:
        return f"list[{self.item.doc_type(markup=markup)}]"

    def example(self, field: Field | None, name: str, description: str) -> Any:
        default = given_default(field)
        if isinstance(default, list) and default:
            return default
        item = self.item.example(None, singular(name), description)
        return [item] if item is not None else []


@dataclass(frozen=True)
class DictType(_Container):
    """``{"type": "object", "additionalProperties": V}`` (a bare object maps to any)."""

    kind: ClassVar[str] = "dict"
    diff_suffix: ClassVar[str] = "{}"

    def wrap(self, inner: str) -> str:
        return f"dict[str, {inner}]"

    def conforms(self, value: Any) -> bool:
        return isinstance(value, Mapping) and all(self.item.conforms(v) for v in value.values())

    def label(self) -> str:
        return f"object of {self.item.label()}"

    def diff_label(self) -> str:
        return f"dict[str, {self.item.diff_label()}]"

    def doc_type(self, *, markup: bool = True) -> str:
        return f"dict[str, {self.item.doc_type(markup=markup)}]"

    def example(self, field: Field | None, name: str, description: str) -> Any:
        default = given_default(field)
        if isinstance(default, dict) and default:
            return default
        value = self.item.example(None, name, "")
        return {} if value is None else {"example": value}
