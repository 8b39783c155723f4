"""The IR's JSON forms: frozen JSON values, the canonical surface, its fingerprint and
the record the build manifest keeps.

* :func:`freeze_json` / :func:`thaw_json`: schema JSON values (defaults) in and out of the
  frozen IR (lists → tuples, objects → :class:`FrozenObject`);
* :func:`to_canonical` / :func:`from_canonical`: the IR as plain JSON and back (``pointer``
  fields, ``warnings``, string ``format`` (README examples only) and ``info.version`` left
  out, so it depends on the *surface* only; descriptions and generated Python names are
  included, since they shape the package);
* :func:`canonical_json` (sorted keys, no whitespace, UTF-8) and :func:`fingerprint`
  (its sha256); :func:`surface_record` is the manifest's ``surface`` entry, which the
  version guard compares.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any, cast

from reactor_gen.ir.model import (
    Command,
    Constraints,
    Field,
    Message,
    ModelIR,
    ObjectType,
    PackageNames,
    Track,
)
from reactor_gen.jsonvalue import freeze_json, thaw_json
from reactor_gen.types import SchemaType, from_parts

__all__ = [
    "SURFACE_FORMAT",
    "canonical_json",
    "fingerprint",
    "freeze_json",
    "from_canonical",
    "surface_record",
    "thaw_json",
    "to_canonical",
]


SURFACE_FORMAT = 2
"""Version of the canonical surface layout; bump when :func:`to_canonical` changes."""


def _plain(value: Any) -> Any:
    if isinstance(value, SchemaType):
        # the layout of surface format 2, whatever the kind
        return {
            "kind": value.kind,
            "item": _plain(value.inner),
            "enum_values": list(value.choices),
            "obj": _plain(value.object_type),
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for spec in dataclasses.fields(value):
            if spec.name in ("pointer", "warnings", "format", "names"):
                continue
            item = getattr(value, spec.name)
            out[spec.name] = thaw_json(item) if spec.name == "default" else _plain(item)
        return out
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def to_canonical(ir: ModelIR) -> dict[str, Any]:
    """The IR as plain JSON, without pointers and without ``version``."""
    data = cast(dict[str, Any], _plain(ir))
    data.pop("version", None)
    return data


def canonical_json(ir: ModelIR) -> str:
    """Canonical serialisation: sorted keys, compact separators, non-ASCII kept."""
    return json.dumps(to_canonical(ir), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(ir: ModelIR) -> str:
    """Hex sha256 of :func:`canonical_json` (equal surfaces ⇔ equal fingerprints)."""
    return hashlib.sha256(canonical_json(ir).encode("utf-8")).hexdigest()


def surface_record(ir: ModelIR, *, include_ir: bool = False) -> dict[str, Any]:
    """What the build manifest stores for the version guard (key ``surface``):
    format, fingerprint and schema version (plus the canonical IR when asked)."""
    record: dict[str, Any] = {
        "format": SURFACE_FORMAT,
        "fingerprint": fingerprint(ir),
        "schema_version": ir.version,
    }
    if include_ir:
        record["ir"] = to_canonical(ir)
    return record


# --- back from JSON -----------------------------------------------------------------


def _names(prefix: str) -> PackageNames:
    from reactor_gen.naming import package_names  # naming imports the IR: not at import time

    return package_names(prefix) if prefix else PackageNames()


def _type(data: dict[str, Any]) -> SchemaType:
    item = data.get("item")
    obj = data.get("obj")
    return from_parts(
        data["kind"],
        _type(item) if item is not None else None,
        tuple(data.get("enum_values", ())),
        _object(obj) if obj is not None else None,
    )


def _field(data: dict[str, Any]) -> Field:
    constraints = data.get("constraints") or {}
    return Field(
        name=data["name"],
        type=_type(data["type"]),
        required=bool(data["required"]),
        has_default=bool(data.get("has_default", False)),
        default=freeze_json(data.get("default")),
        description=data.get("description", ""),
        constraints=Constraints(**constraints),
        moderate=data.get("moderate"),
        py_name=data.get("py_name", ""),
        unusable_default=data.get("unusable_default", ""),
    )


def _object(data: dict[str, Any]) -> ObjectType:
    return ObjectType(
        fields=tuple(_field(f) for f in data.get("fields", ())),
        description=data.get("description", ""),
        class_name=data.get("class_name", ""),
    )


def from_canonical(data: dict[str, Any], *, version: str = "") -> ModelIR:
    """Rebuild a :class:`ModelIR` from :func:`to_canonical` output.

    Raises ``KeyError``/``TypeError``/``ValueError`` on a malformed record.
    """
    return ModelIR(
        title=data["title"],
        version=version,
        description=data.get("description", ""),
        commands=tuple(
            Command(
                name=c["name"],
                description=c.get("description", ""),
                params=_object(c["params"]),
                reply=c.get("reply"),
                emits=tuple(c.get("emits", ())),
                method_name=c.get("method_name", ""),
            )
            for c in data.get("commands", ())
        ),
        messages=tuple(
            Message(
                name=m["name"],
                description=m.get("description", ""),
                payload=_object(m["payload"]),
                component=m.get("component"),
                listener_name=m.get("listener_name", ""),
                waiter_name=m.get("waiter_name", ""),
            )
            for m in data.get("messages", ())
        ),
        tracks=tuple(
            Track(
                name=t["name"],
                kind=t["kind"],
                direction=t["direction"],
                attr_name=t.get("attr_name", ""),
                publish_name=t.get("publish_name", ""),
                unpublish_name=t.get("unpublish_name", ""),
            )
            for t in data.get("tracks", ())
        ),
        layout=data.get("layout", "3.x"),
        prefix=data.get("prefix", ""),
        names=_names(data.get("prefix", "")),
        package=data.get("package", ""),
    )
