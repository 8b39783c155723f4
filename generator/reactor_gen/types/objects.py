"""The object kind: an inline object with ``properties``, a nested class of its own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from reactor_gen.types.base import DiffSink, Role, SchemaType, Side

if TYPE_CHECKING:
    from reactor_gen.ir.model import Field, ObjectType

__all__ = ["ObjectRefType"]


@dataclass(frozen=True)
class ObjectRefType(SchemaType):
    """A field whose value is an object with named properties: a pydantic class in the
    generated ``commands``/``messages`` (``ConfigureParamsRegion``); a command method
    also takes a mapping for it."""

    kind: ClassVar[str] = "object"
    obj: ObjectType

    @property
    def object_type(self) -> ObjectType | None:
        return self.obj

    def with_object(self, obj: ObjectType) -> ObjectRefType:
        """The same type over ``obj`` (the naming pass fills in class names)."""
        return replace(self, obj=obj)

    def conforms(self, value: Any) -> bool:
        if not isinstance(value, Mapping):
            return False
        fields = {f.name: f for f in self.obj.fields}
        if any(key not in fields for key in value):
            return False
        if any(f.required and f.name not in value for f in fields.values()):
            return False
        return all(fields[k].type.conforms(value[k]) for k in value)

    def diff_label(self) -> str:
        return f"object {self.obj.class_name}" if self.obj.class_name else "object"

    def compare(self, new: SchemaType, where: str, role: Role, sink: DiffSink) -> bool:
        assert isinstance(new, ObjectRefType)
        sink.objects(self.obj, new.obj, where)
        return True

    def model_type(self, side: Side, qual: str = "") -> str:
        return qual + self.obj.class_name

    def arg_type(self, qual: str = "_commands.") -> str:
        return f"{qual}{self.obj.class_name} | typing.Mapping[str, typing.Any]"

    def doc_type(self, *, markup: bool = True) -> str:
        return self.obj.class_name

    def needs_one_of(self) -> bool:
        return any(f.type.needs_one_of() for f in self.obj.fields)

    def example(self, field: Field | None, name: str, description: str) -> Any:
        return {
            g.name: v
            for g in self.obj.fields
            if g.required and (v := g.type.example(g, g.name, g.description)) is not None
        }
