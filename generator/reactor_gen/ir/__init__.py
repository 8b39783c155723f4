"""The frozen IR (:mod:`reactor_gen.ir.model`) and its builder (:mod:`reactor_gen.ir.build`)."""

from reactor_gen.ir.build import build_ir, freeze_json, thaw_json
from reactor_gen.ir.model import (
    Command,
    Constraints,
    Field,
    FrozenObject,
    JsonValue,
    Message,
    ModelIR,
    ObjectType,
    Track,
    TypeRef,
)

__all__ = [
    "Command",
    "Constraints",
    "Field",
    "FrozenObject",
    "JsonValue",
    "Message",
    "ModelIR",
    "ObjectType",
    "Track",
    "TypeRef",
    "build_ir",
    "freeze_json",
    "thaw_json",
]
