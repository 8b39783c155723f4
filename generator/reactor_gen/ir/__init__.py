"""The frozen IR (:mod:`reactor_gen.ir.model`), its builder (:mod:`reactor_gen.ir.build`) and
its JSON forms (:mod:`reactor_gen.ir.serialize`)."""

from reactor_gen.ir.build import build_ir
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
)
from reactor_gen.ir.serialize import (
    canonical_json,
    fingerprint,
    freeze_json,
    from_canonical,
    surface_record,
    thaw_json,
    to_canonical,
)
from reactor_gen.types import SchemaType

__all__ = [
    "Command",
    "Constraints",
    "Field",
    "FrozenObject",
    "JsonValue",
    "Message",
    "ModelIR",
    "ObjectType",
    "SchemaType",
    "Track",
    "build_ir",
    "canonical_json",
    "fingerprint",
    "freeze_json",
    "from_canonical",
    "surface_record",
    "thaw_json",
    "to_canonical",
]
