"""Every field type the runtime renders, each on a tiny inline document."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from reactor_gen.diagnostics import DiagnosticError
from reactor_gen.ir.build import build_ir, extract_emits, version_problem
from reactor_gen.ir.model import (
    Constraints,
    Field,
    FrozenObject,
    ModelIR,
)
from reactor_gen.ir.serialize import freeze_json, thaw_json
from reactor_gen.naming import apply_names
from reactor_gen.types import (
    KINDS,
    AnyType,
    DictType,
    EnumType,
    IntegerType,
    ListType,
    NullableType,
    NumberType,
    StringType,
    UploadType,
)

UPLOAD = {
    "type": "object",
    "format": "reactor-upload-reference",
    "properties": {"upload_id": {"type": "string"}},
    "required": ["upload_id"],
}


def doc_with(
    props: dict[str, Any],
    required: list[str] | None = None,
    *,
    message: bool = False,
    extra_components: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "object", "properties": props}
    if required is not None:
        body["required"] = required
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "tiny", "version": "v1.0.0", "description": ""},
        "x-reactor": {"tracks": []},
        "components": {"schemas": {"ReactorUploadReference": UPLOAD, **(extra_components or {})}},
    }
    if message:
        doc["webhooks"] = {
            "thing": {
                "post": {
                    "operationId": "thing",
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                }
            }
        }
    else:
        doc["paths"] = {
            "/events/go": {
                "post": {
                    "operationId": "go",
                    "summary": "Go.",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": body}},
                    },
                    "responses": {"202": {"description": "Command accepted"}},
                }
            }
        }
    return doc


def build(doc: dict[str, Any]) -> ModelIR:
    return apply_names(build_ir(doc, file="t.json"), file="t.json")


def one_field(
    frag: dict[str, Any], *, required: bool = False, message: bool = False, **kw: Any
) -> Field:
    ir = build(doc_with({"f": frag}, ["f"] if required else None, message=message, **kw))
    obj = ir.messages[0].payload if message else ir.commands[0].params
    (f,) = obj.fields
    return f


def errors(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(DiagnosticError) as info:
        build(doc)
    return [str(d) for d in info.value.diagnostics]


P = "/paths/~1events~1go/post/requestBody/content/application~1json/schema/properties/f"


@pytest.mark.parametrize("kind", ["string", "integer", "number", "boolean"])
def test_scalars(kind: str) -> None:
    f = one_field({"type": kind}, required=True)
    assert f.type == KINDS[kind]()
    assert f.required and not f.has_default and f.moderate is None
    assert f.pointer == P


def test_enums() -> None:
    assert one_field({"type": "string", "enum": ["a", "b"]}).type == EnumType(("a", "b"))
    assert one_field({"type": "integer", "enum": [3, 1, 2]}).type.values == (
        3,
        1,
        2,
    )
    mixed = one_field({"enum": [1, "x", True, None, 2.5]})
    assert mixed.type == EnumType((1, "x", True, None, 2.5))
    with_default = one_field({"type": "string", "enum": ["off", "2x"], "default": "2x"})
    assert (with_default.has_default, with_default.default, with_default.required) == (
        True,
        "2x",
        False,
    )
    nullable_enum = one_field({"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "null"}]})
    assert nullable_enum.type == NullableType(EnumType(("a",)))


def test_nullable_list_dict_any() -> None:
    assert one_field({"anyOf": [{"type": "integer"}, {"type": "null"}]}).type == NullableType(
        IntegerType()
    )
    assert one_field({"anyOf": [{"type": "null"}, {"type": "string"}]}).type.item == StringType()
    assert one_field({"type": "array", "items": {"type": "string"}}).type == ListType(StringType())
    anything = AnyType()
    assert one_field({"type": "array", "items": {}}).type == ListType(anything)
    assert one_field({"type": "array"}).type == ListType(anything)  # 2.x bare list
    assert one_field(
        {"type": "object", "additionalProperties": {"type": "number"}}
    ).type == DictType(NumberType())
    assert one_field({"type": "object", "additionalProperties": {}}).type == DictType(anything)
    assert one_field({"type": "object"}).type == DictType(anything)  # 2.x bare dict
    assert one_field({}).type == anything
    assert one_field({"description": "whatever"}).type == anything
    nested_list = one_field(
        {
            "type": "array",
            "items": {
                "anyOf": [
                    {"type": "array", "items": {"type": "integer"}},
                    {"type": "null"},
                ]
            },
        }
    )
    assert nested_list.type == ListType(
        NullableType(ListType(IntegerType())),
    )


def test_nested_objects_and_class_names() -> None:
    clip = {
        "type": "object",
        "properties": {"start": {"type": "number"}, "label": {"type": "string"}},
        "required": ["start"],
    }
    ir = build(
        doc_with(
            {
                "clip": clip,
                "clips": {"type": "array", "items": clip},
                "maybe_clip": {"anyOf": [clip, {"type": "null"}]},
                "by_name": {"type": "object", "additionalProperties": clip},
            },
            message=True,
        )
    )
    payload = ir.messages[0].payload
    assert payload.class_name == "Thing"
    f = {x.name: x for x in payload.fields}
    obj = f["clip"].type.obj
    assert obj is not None and obj.class_name == "ThingClip"
    assert [(x.name, x.required) for x in obj.fields] == [
        ("label", False),
        ("start", True),
    ]
    assert obj.pointer.endswith("/properties/clip")
    clips = f["clips"].type.item
    assert clips is not None and clips.obj is not None and clips.obj.class_name == "ThingClips"
    maybe = f["maybe_clip"].type.item
    assert maybe is not None and maybe.obj is not None and maybe.obj.class_name == "ThingMaybeClip"
    by_name = f["by_name"].type.item
    assert (
        by_name is not None and by_name.obj is not None and by_name.obj.class_name == "ThingByName"
    )


def test_uploads() -> None:
    plain = one_field(
        {
            "$ref": "#/components/schemas/ReactorUploadReference",
            "description": "img",
            "x-reactor-moderate": True,
        },
        required=True,
    )
    assert plain.type == UploadType()
    assert (plain.required, plain.description, plain.moderate) == (True, "img", True)
    optional = one_field({"$ref": "#/components/schemas/ReactorUploadReference", "default": None})
    assert optional.type == NullableType(UploadType())
    assert (optional.required, optional.has_default, optional.default) == (
        False,
        True,
        None,
    )
    # a differently named component recognised by its format
    other = one_field(
        {"$ref": "#/components/schemas/File"},
        extra_components={"File": {"type": "object", "format": "file-reference"}},
    )
    assert other.type == UploadType()
    inline = one_field({"type": "object", "format": "reactor-upload-reference", "properties": {}})
    assert inline.type == UploadType()
    listed = one_field(
        {
            "type": "array",
            "items": {"$ref": "#/components/schemas/ReactorUploadReference"},
        }
    )
    assert listed.type == ListType(UploadType())


def test_ref_to_a_plain_component_is_inlined() -> None:
    f = one_field(
        {"$ref": "#/components/schemas/Point"},
        extra_components={
            "Point": {
                "type": "object",
                "properties": {"x": {"type": "number"}},
                "required": ["x"],
            }
        },
    )
    assert f.type.kind == "object" and f.type.obj is not None
    assert f.type.obj.class_name == "GoParamsF"
    assert f.type.obj.pointer == "/components/schemas/Point"


def test_constraints_and_defaults() -> None:
    f = one_field({"type": "number", "minimum": 0, "maximum": 1.5, "default": 0.5})
    assert f.constraints == Constraints(minimum=0, maximum=1.5)
    assert f.default == 0.5
    s = one_field({"type": "string", "minLength": 1, "maxLength": 10})
    assert s.constraints == Constraints(min_length=1, max_length=10)
    n = one_field(
        {
            "anyOf": [{"type": "integer"}, {"type": "null"}],
            "minimum": 3,
            "default": None,
        }
    )
    assert n.constraints.minimum == 3 and n.default is None and n.has_default
    lst = one_field({"type": "array", "items": {"type": "integer"}, "default": [1, 2]})
    assert lst.default == (1, 2)
    dct = one_field(
        {
            "type": "object",
            "additionalProperties": {},
            "default": {"b": [1], "a": {"z": None}},
        }
    )
    assert dct.default == (("a", (("z", None),)), ("b", (1,)))
    assert isinstance(dct.default, FrozenObject)
    assert thaw_json(dct.default) == {"a": {"z": None}, "b": [1]}
    # default: null on a plain type makes it nullable
    nul = one_field({"type": "string", "default": None})
    assert nul.type == NullableType(StringType()) and not nul.required


def test_required_rules() -> None:
    # commands: required iff listed and no default (listed + default = optional, no error)
    f = one_field({"type": "integer", "default": 3}, required=True)
    assert (f.required, f.has_default) == (False, True)
    assert one_field({"type": "integer"}).required is False  # not listed, no default
    # messages: per `required`, defaults irrelevant
    m = one_field({"type": "integer", "default": 3}, required=True, message=True)
    assert m.required is True and m.moderate is None
    assert one_field({"type": "integer"}, message=True).required is False
    # moderate flags on message fields are not read
    assert one_field({"type": "string", "x-reactor-moderate": True}, message=True).moderate is None


def test_freeze_json_distinguishes_objects_from_pair_lists() -> None:
    as_object = freeze_json({"a": 1})
    as_list = freeze_json([["a", 1]])
    assert isinstance(as_object, FrozenObject) and not isinstance(as_list, FrozenObject)
    assert thaw_json(as_object) == {"a": 1} and thaw_json(as_list) == [["a", 1]]


def test_extract_emits() -> None:
    known = ["state", "command_error", "shot_set"]
    text = "Emits `shot_set`, `state`; `shot_set` again, `unknown`, plain state, `command_error`."
    assert extract_emits(text, known) == ("shot_set", "state", "command_error")
    assert extract_emits("", known) == ()


@pytest.mark.parametrize(
    ("version", "ok"),
    [
        ("v3.0.5", True),
        ("1.0.5-ge6187a05", True),
        ("v0.0.0", True),
        ("V1.2.3", True),
        ("v1.2.3rc1", True),
        ("1.2.3-rc.1", True),
        ("v1.2.3-beta2-gabc123", True),
        ("1.2.3.post1", True),
        ("1.2", False),
        ("latest", False),
        ("v1.2.3-gxyz", False),
        ("v1.2.3+local", False),
        ("v1.2.3 ", False),
        ("1.2.3-banana", False),
        ("", False),
    ],
)
def test_versions(version: str, ok: bool) -> None:
    assert (version_problem(version) is None) is ok


def test_layout_and_reply_resolution() -> None:
    doc = doc_with({}, message=True)
    doc["components"]["schemas"]["StatusReply"] = {
        "type": "object",
        "properties": {"ok": {"type": "boolean"}},
        "required": ["ok"],
    }
    doc["webhooks"]["status_reply"] = {
        "post": {
            "requestBody": {
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/StatusReply"}}
                }
            }
        }
    }
    doc["paths"] = {
        "/events/ping": {
            "post": {
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"type": "object", "properties": {}}}
                    }
                },
                "responses": {
                    "200": {
                        "description": "StatusReply",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/StatusReply"}
                            }
                        },
                    }
                },
            }
        },
        "/events/fire_and_forget": {
            "post": {
                "operationId": "fire_and_forget",
                "description": "Only a description.",
            }
        },
    }
    ir = build(doc)
    assert ir.layout == "3.x"  # one webhook uses a $ref
    ping = next(c for c in ir.commands if c.name == "ping")  # name from the path
    assert ping.reply == "status_reply" and ping.description == ""
    fire = next(c for c in ir.commands if c.name == "fire_and_forget")  # operationId wins
    assert fire.reply is None and fire.description == "Only a description."
    assert fire.params.fields == () and fire.params.class_name == "FireAndForgetParams"
    msg = ir.message("status_reply")
    assert (
        msg is not None
        and msg.component == "StatusReply"
        and msg.payload.class_name == "StatusReply"
    )
    inline_only = build(doc_with({}, message=True))
    assert inline_only.layout == "2.x"
    no_hooks = build(doc_with({}))
    assert no_hooks.layout == "3.x"


def test_message_descriptions() -> None:
    doc = doc_with({}, message=True)
    post = doc["webhooks"]["thing"]["post"]
    post["summary"] = "First paragraph."
    post["description"] = "First paragraph.\n\nSecond paragraph."
    assert build(doc).messages[0].description == "First paragraph.\n\nSecond paragraph."
    post["description"] = "Something else."
    assert build(doc).messages[0].description == "First paragraph."
    del post["summary"]
    assert build(doc).messages[0].description == "Something else."


HOSTILE = 'He said "hi" \'\'\' """ \\ \\n {{ x }} {% if %} {# c #}\nline2\r\n\t été 🎬 \u0000 \u2028 ${x} `go`'


def test_hostile_text_roundtrips_verbatim() -> None:
    doc = doc_with(
        {
            "f": {"type": "string", "default": HOSTILE, "description": HOSTILE},
            "g": {"type": "string", "enum": [HOSTILE, "plain"]},
        },
        message=False,
    )
    doc["info"]["description"] = HOSTILE
    doc["paths"]["/events/go"]["post"]["summary"] = HOSTILE
    doc["webhooks"] = {
        "thing": {
            "post": {
                "summary": HOSTILE,
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"h": {"type": "string", "description": HOSTILE}},
                            }
                        }
                    }
                },
            }
        }
    }
    original = copy.deepcopy(doc)
    ir = build(doc)
    assert doc == original  # the input is not mutated
    assert ir.description == HOSTILE
    cmd = ir.commands[0]
    assert cmd.description == HOSTILE
    f, g = cmd.params.fields
    assert f.default == HOSTILE and f.description == HOSTILE
    assert g.type.values == (HOSTILE, "plain")
    assert ir.messages[0].description == HOSTILE
    assert ir.messages[0].payload.fields[0].description == HOSTILE


def test_all_problems_reported_together() -> None:
    doc = doc_with(
        {
            "a": {"oneOf": [{"type": "string"}]},
            "b": {"type": ["string", "null"]},
            "c": {"$ref": "#/components/schemas/Nope"},
            "d": {"type": "integer", "default": "x"},
        }
    )
    doc["info"]["title"] = "9lives"
    lines = errors(doc)
    assert len(lines) == 5
    base = (
        "t.json: /paths/~1events~1go/post/requestBody/content/application~1json/schema/properties"
    )
    assert lines[0].startswith("t.json: /info/title: invalid model name '9lives'")
    assert lines[1].startswith(f"{base}/a/oneOf: unsupported schema keyword 'oneOf'")
    assert lines[2].startswith(f"{base}/b/type: unsupported type array")
    assert lines[3].startswith(f"{base}/c/$ref: unresolved $ref '#/components/schemas/Nope'")
    assert lines[4] == f'{base}/d/default: default "x" does not match the field\'s type (integer)'


def test_cyclic_ref() -> None:
    doc = doc_with(
        {"f": {"$ref": "#/components/schemas/Node"}},
        extra_components={
            "Node": {
                "type": "object",
                "properties": {"next": {"$ref": "#/components/schemas/Node"}},
            }
        },
    )
    assert errors(doc) == [
        "t.json: /components/schemas/Node/properties/next/$ref: cyclic $ref: Node -> Node; "
        "recursive types are not supported"
    ]
