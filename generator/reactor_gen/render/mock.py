"""The stand-in model's data: ``reactor_models/<pkg>/_mock/surface.json``.

``python -m reactor_models.<pkg> mock`` (and ``reactor-gen mock``) serve a stand-in of the
model on the real ``reactor-runtime``: ``reactor_client.apps.mock`` builds the runtime model
class from this file, so the stand-in needs neither jinja2 nor black nor the schema parser,
and runs under any interpreter that has ``reactor-runtime`` (it reads plain JSON).

The file is the model's surface as the IR has it (commands with their fields, types,
constraints, defaults, descriptions, reply and ``Emits``; messages with their fields and
component name; tracks in schema order) plus one schema-valid example payload per message
(:func:`reactor_gen.render.examples.example_payload`, the values the test kit's fake replies
with). Layout, ``"format": 1``::

    {"format": 1, "model": {"name", "version", "description", "distribution"},
     "tracks": [{"name", "kind", "direction"}],
     "commands": [{"name", "description", "reply": name | null, "emits": [name...],
                   "fields": [FIELD...]}],
     "messages": [{"name", "component": name | null, "description", "fields": [FIELD...],
                   "example": {field: value}}]}
    FIELD = {"name", "type": TYPE, "required", "default"?, "description", "moderate"?,
             "minimum"?, "maximum"?, "min_length"?, "max_length"?}
    TYPE  = {"kind": "string" | "integer" | "number" | "boolean" | "upload" | "any"}
          | {"kind": "enum", "values": [...]} | {"kind": "nullable" | "list" | "dict", "item": TYPE}
          | {"kind": "object", "fields": [FIELD...]}
"""

from __future__ import annotations

import json
from typing import Any

from reactor_gen.ir.model import Field, ModelIR, TypeRef
from reactor_gen.ir.serialize import thaw_json
from reactor_gen.naming import distribution_name
from reactor_gen.render.examples import _UploadPath, example_payload

__all__ = ["MOCK_FORMAT", "mock_surface", "mock_surface_json"]

MOCK_FORMAT = 1
"""Version of the layout above; ``reactor_client.apps.mock`` refuses other versions."""

_UPLOAD_MIME = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "mp4": "video/mp4"}


def _type(t: TypeRef) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": t.kind}
    if t.kind == "enum":
        out["values"] = list(t.enum_values)
    if t.item is not None:
        out["item"] = _type(t.item)
    if t.obj is not None:
        out["fields"] = [_field(f) for f in t.obj.fields]
    return out


def _field(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f.name, "type": _type(f.type), "required": f.required}
    if f.has_default:
        out["default"] = thaw_json(f.default)
    out["description"] = f.description
    if f.moderate is not None:
        out["moderate"] = f.moderate
    c = f.constraints
    for key, value in (
        ("minimum", c.minimum),
        ("maximum", c.maximum),
        ("min_length", c.min_length),
        ("max_length", c.max_length),
    ):
        if value is not None:
            out[key] = value
    return out


def _json_example(value: Any) -> Any:
    """An example value as the wire carries it (an upload example becomes a reference)."""
    if isinstance(value, _UploadPath):
        suffix = str(value).rsplit(".", 1)[-1].lower()
        return {
            "upload_id": "0" * 32,
            "name": str(value),
            "mime_type": _UPLOAD_MIME.get(suffix, "application/octet-stream"),
            "size": 0,
        }
    if isinstance(value, dict):
        return {key: _json_example(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_example(item) for item in value]
    return value


def mock_surface(ir: ModelIR) -> dict[str, Any]:
    """The stand-in's data for ``ir`` (see the module docstring)."""
    return {
        "format": MOCK_FORMAT,
        "model": {
            "name": ir.title,
            "version": ir.version,
            "description": ir.description,
            "distribution": distribution_name(ir.title),
        },
        "tracks": [{"name": t.name, "kind": t.kind, "direction": t.direction} for t in ir.tracks],
        "commands": [
            {
                "name": c.name,
                "description": c.description,
                "reply": c.reply,
                "emits": list(c.emits),
                "fields": [_field(f) for f in c.params.fields],
            }
            for c in ir.commands
        ],
        "messages": [
            {
                "name": m.name,
                "component": m.component,
                "description": m.description,
                "fields": [_field(f) for f in m.payload.fields],
                "example": _json_example(example_payload(m)),
            }
            for m in ir.messages
        ],
    }


def mock_surface_json(ir: ModelIR) -> str:
    """:func:`mock_surface` as the bytes written into the package (stable, indented)."""
    return json.dumps(mock_surface(ir), indent=1, ensure_ascii=False, allow_nan=False) + "\n"
