"""Schema types as classes: one :class:`SchemaType` subclass per kind of JSON-Schema type
a Reactor model uses, owning what varies by kind (see :mod:`reactor_gen.types.base`).

============================  ============================================  ===============
class                         schema                                        Python (command)
============================  ============================================  ===============
:class:`StringType`           ``{"type": "string"}``                        ``str``
:class:`IntegerType`          ``{"type": "integer"}``                       ``StrictInt``
:class:`NumberType`           ``{"type": "number"}``                        ``StrictFloat``
:class:`BooleanType`          ``{"type": "boolean"}``                       ``StrictBool``
:class:`EnumType`             ``{"enum": [...]}``                           ``Literal[...]``
:class:`NullableType`         ``{"anyOf": [T, {"type": "null"}]}``          ``T | None``
:class:`ListType`             ``{"type": "array", "items": T}``             ``list[T]``
:class:`DictType`             ``{"type": "object", "additionalProperties"}``  ``dict[str, T]``
:class:`ObjectRefType`        an object with ``properties``                 a nested class
:class:`UploadType`           ``$ref`` ReactorUploadReference               ``UploadSource``
:class:`AnyType`              ``{}``                                        ``typing.Any``
============================  ============================================  ===============
"""

from __future__ import annotations

from typing import Any

from reactor_gen.types.base import (
    DiffSink,
    Role,
    SchemaType,
    Side,
    Widget,
    WidgetInput,
    given_default,
    is_number,
    json_text,
)
from reactor_gen.types.choices import EnumType, same_choice
from reactor_gen.types.containers import DictType, ListType, NullableType
from reactor_gen.types.objects import ObjectRefType
from reactor_gen.types.scalars import (
    UPLOAD_ARG,
    AnyType,
    BooleanType,
    IntegerType,
    NumberType,
    StringType,
    UploadType,
)

__all__ = [
    "KINDS",
    "UPLOAD_ARG",
    "AnyType",
    "BooleanType",
    "DictType",
    "DiffSink",
    "EnumType",
    "IntegerType",
    "ListType",
    "NullableType",
    "NumberType",
    "ObjectRefType",
    "Role",
    "SchemaType",
    "Side",
    "StringType",
    "UploadType",
    "Widget",
    "WidgetInput",
    "from_parts",
    "given_default",
    "is_number",
    "json_text",
    "same_choice",
]

KINDS: dict[str, type[SchemaType]] = {
    cls.kind: cls
    for cls in (
        StringType,
        IntegerType,
        NumberType,
        BooleanType,
        EnumType,
        NullableType,
        ListType,
        DictType,
        ObjectRefType,
        UploadType,
        AnyType,
    )
}
"""Every kind by its canonical name."""


def from_parts(kind: str, item: SchemaType | None, values: tuple[Any, ...], obj: Any) -> SchemaType:
    """A type from its canonical parts (``kind``, ``item``, ``enum_values``, ``obj``)."""
    cls = KINDS[kind]
    if issubclass(cls, (NullableType, ListType, DictType)):
        assert item is not None, f"{kind} needs an item type"
        return cls(item=item)
    if cls is EnumType:
        return EnumType(values=values)
    if cls is ObjectRefType:
        return ObjectRefType(obj=obj)
    return cls()
