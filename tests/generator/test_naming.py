"""The naming pass: prefixes, keywords, reserved members, pydantic attributes, collisions."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from reactor_gen.diagnostics import DiagnosticError
from reactor_gen.ir.build import build_ir
from reactor_gen.ir.model import ModelIR
from reactor_gen.naming import (
    RESERVED_CLIENT_MEMBERS,
    RESERVED_FIELD_NAMES,
    apply_names,
    escape_member,
    field_py_name,
    package_name,
    package_names,
    pascal_case,
    prefix_name,
    snake_case,
)


def model(
    commands: dict[str, dict[str, Any]] | None = None,
    messages: dict[str, dict[str, Any]] | None = None,
    tracks: list[tuple[str, str]] | None = None,
    components: dict[str, str] | None = None,
    title: str = "demo",
) -> dict[str, Any]:
    """commands/messages: name -> properties; components: message name -> component key."""
    schemas: dict[str, Any] = {}
    hooks: dict[str, Any] = {}
    for name, props in (messages or {}).items():
        body = {"type": "object", "properties": props}
        key = (components or {}).get(name)
        if key:
            schemas[key] = body
            schema: dict[str, Any] = {"$ref": f"#/components/schemas/{key}"}
        else:
            schema = body
        hooks[name] = {
            "post": {
                "operationId": name,
                "requestBody": {"content": {"application/json": {"schema": schema}}},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "v1.0.0"},
        "x-reactor": {
            "tracks": [
                {"name": n, "kind": "video", "direction": d} for n, d in (tracks or [])
            ]
        },
        "paths": {
            f"/events/{name}": {
                "post": {
                    "operationId": name,
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "properties": props}
                            }
                        }
                    },
                    "responses": {"202": {"description": "Command accepted"}},
                }
            }
            for name, props in (commands or {}).items()
        },
        "webhooks": hooks,
        "components": {"schemas": schemas},
    }


def named(doc: dict[str, Any]) -> ModelIR:
    return apply_names(build_ir(doc, file="n.json"), file="n.json")


def naming_errors(doc: dict[str, Any]) -> list[str]:
    ir = build_ir(
        doc, file="n.json"
    )  # building must succeed: these are naming problems
    with pytest.raises(DiagnosticError) as info:
        apply_names(ir, file="n.json")
    return [str(d) for d in info.value.diagnostics]


@pytest.mark.parametrize(
    ("title", "prefix", "package"),
    [
        ("longlive-v2", "LongliveV2", "longlive_v2"),
        ("fast-h3", "FastH3", "fast_h3"),
        ("x2", "X2", "x2"),
        ("my_model", "MyModel", "my_model"),
        ("LongLive", "LongLive", "longlive"),
        ("class", "Class", "class_"),
    ],
)
def test_prefix_and_package(title: str, prefix: str, package: str) -> None:
    assert (prefix_name(title), package_name(title)) == (prefix, package)


@pytest.mark.parametrize(
    ("prefix", "model_class"),
    [
        ("LongliveV2", "LongliveV2Model"),
        ("FeatureModel", "FeatureModel"),  # not FeatureModel + "Model" twice
        ("SteppedModel", "SteppedModel"),
        ("Supermodel", "SupermodelModel"),  # only a whole trailing word counts
        ("X2", "X2Model"),
        ("Model", "ModelModel"),  # its double would be FakeModel, the runtime's class
        ("FakeModel", "FakeModelModel"),
        ("SyncModel", "SyncModelModel"),
    ],
)
def test_the_model_class_never_says_model_twice(prefix: str, model_class: str) -> None:
    names = package_names(prefix)
    assert names.model_class == model_class
    assert names.message_union == f"{prefix}Message" and names.listeners_class == f"{prefix}Listeners"


def test_case_helpers() -> None:
    assert pascal_case("set_shot") == "SetShot"
    assert pascal_case("http_ping2") == "HttpPing2"
    assert snake_case("imageStrength") == "image_strength"
    assert snake_case("HTTPPing2") == "http_ping2"
    assert snake_case("already_snake") == "already_snake"


def test_unnamed_ir_is_empty_and_named_ir_is_new() -> None:
    ir = build_ir(model({"go": {}}, {"done": {}}), file="n.json")
    assert (
        ir.prefix == ""
        and ir.commands[0].method_name == ""
        and ir.commands[0].params.class_name == ""
    )
    out = apply_names(ir, file="n.json")
    assert out is not ir and out.commands[0].method_name == "go"
    assert ir.commands[0].method_name == ""  # frozen input untouched


@pytest.mark.parametrize(
    ("command", "method"),
    [
        ("import", "import_"),
        ("async", "async_"),
        ("match", "match_"),
        ("case", "case_"),
        ("type", "type_"),
        ("_", "__"),
        ("connect", "connect_"),
        ("close", "close_"),
        ("upload", "upload_"),
        ("send_command", "send_command_"),
        ("tracks", "tracks_"),
        ("status", "status_"),
        ("set_prompt", "set_prompt"),
    ],
)
def test_command_method_escapes(command: str, method: str) -> None:
    ir = named(model({command: {}}))
    assert ir.commands[0].method_name == method


def test_reserved_members_cover_runtime_api() -> None:
    for name in (
        "connect",
        "disconnect",
        "reconnect",
        "close",
        "client",
        "status",
        "session_id",
        "messages",
        "on_message",
        "on_status",
        "on_error",
        "wait_for_message",
        "upload",
        "request_schema",
        "tracks",
        "publish",
        "unpublish",
        "send_command",
    ):
        assert name in RESERVED_CLIENT_MEMBERS


def _class_members(cls: type, *, private: bool) -> set[str]:
    """Every attribute ``cls`` and its bases (below ``object``/``typing.Generic``) define,
    dunders left out; private ones only when ``private``."""
    names: set[str] = set()
    for klass in cls.__mro__:
        if klass in (object, typing.Generic) or klass.__module__ == "typing":
            continue
        names.update(vars(klass))
    return {
        n
        for n in names
        if not (n.startswith("__") and n.endswith("__")) and (private or not n.startswith("_"))
    }


def test_reserved_members_match_the_live_runtime_classes() -> None:
    """Compared with the real classes, so a member the runtime adds cannot be shadowed by
    a command, listener or track of the same name."""
    import reactor_client
    from reactor_client.typed import ModelClient
    from reactor_models.longlive_v2 import LongliveV2Model

    # ReactorClient's public API: the generated model mirrors it and composes the client
    public = _class_members(reactor_client.ReactorClient, private=False)
    assert {"connect", "send_command", "on_message"} <= public
    assert public - RESERVED_CLIENT_MEMBERS == set()
    # everything ModelClient defines: the generated class inherits it. Its private helpers
    # (and instance attributes) need no reservation: no generated member starts with "_"
    inherited = _class_members(ModelClient, private=True)
    inherited |= set(vars(LongliveV2Model(local=True)))
    assert {"_subscribe", "_client"} <= inherited
    assert {n for n in inherited if not n.startswith("_")} - RESERVED_CLIENT_MEMBERS == set()
    # the generated classes' own helpers and constants
    own = _class_members(LongliveV2Model, private=False) - _class_members(
        ModelClient, private=False
    )
    generated = {m.listener_name for m in named_longlive().messages}
    generated |= {m.waiter_name for m in named_longlive().messages}
    generated |= {c.method_name for c in named_longlive().commands}
    generated |= {t.attr_name for t in named_longlive().tracks}
    assert own - generated - RESERVED_CLIENT_MEMBERS == set()
    # the blocking twin (reactor_models.<m>.sync) inherits SyncModel
    from reactor_client.sync import SyncModel
    from reactor_models.longlive_v2.sync import LongliveV2Model as SyncLongliveV2Model

    blocking = _class_members(SyncModel, private=True)
    sync_model = SyncLongliveV2Model(local=True)
    try:
        blocking |= set(vars(sync_model))
    finally:
        sync_model.close()
    assert {"_run", "aio", "close"} <= blocking
    assert {n for n in blocking if not n.startswith("_")} - RESERVED_CLIENT_MEMBERS == set()
    sync_own = _class_members(SyncLongliveV2Model, private=False) - _class_members(
        SyncModel, private=False
    )
    assert sync_own - generated - {"step", "on_message", "messages"} - RESERVED_CLIENT_MEMBERS == set()


def test_no_generated_member_is_private() -> None:
    """Leading underscores of a command or track name move to the end, as a field's do: a
    generated member can never shadow a private runtime member (``_run``, ``_client``), so
    the reserved set lists public names only."""
    assert escape_member("_run") == "run_"
    assert escape_member("__client") == "client__"
    assert escape_member("_") == "__"
    assert escape_member("close") == "close_"
    assert escape_member("paint") == "paint"
    assert not any(name.startswith("_") for name in RESERVED_CLIENT_MEMBERS)
    ir = named(model(commands={"_debug": {}}))
    assert [c.method_name for c in ir.commands] == ["debug_"]


def test_reserved_members_include_the_announced_runtime_members() -> None:
    for name in (
        "record",
        "recording",
        "get_stats",
        "request_clip",
        "request_recording",
        "session_id",
        "step",
    ):
        assert name in RESERVED_CLIENT_MEMBERS


def named_longlive() -> ModelIR:
    from pathlib import Path

    from reactor_gen.load import load_model

    root = Path(__file__).resolve().parents[2]
    return load_model(root / "schemas" / "longlive-v2.json").ir


def test_listeners_waiters_tracks() -> None:
    ir = named(
        model(
            {"go": {}},
            {"message": {}, "state": {}, "error": {}},
            tracks=[("webcam", "in"), ("main_video", "out"), ("status", "out")],
            components={"message": "MessagePayload"},  # class `Message` is reserved
        )
    )
    m = {x.name: (x.listener_name, x.waiter_name) for x in ir.messages}
    assert m == {
        "error": ("on_error_", "wait_for_error"),
        "message": ("on_message_", "wait_for_message_"),
        "state": ("on_state", "wait_for_state"),
    }
    t = [(x.attr_name, x.publish_name, x.unpublish_name) for x in ir.tracks]
    assert t == [
        ("webcam", "publish_webcam", "unpublish_webcam"),
        ("main_video", "", ""),
        ("status_", "", ""),
    ]


@pytest.mark.parametrize(
    ("wire", "py"),
    [
        ("prompt", "prompt"),
        ("class", "class_"),
        ("type", "type_"),
        ("match", "match_"),
        ("model_config", "model_config_"),
        ("model_name", "model_name_"),
        ("schema", "schema_"),
        ("json", "json_"),
        ("dict", "dict_"),
        ("copy", "copy_"),
        ("validate", "validate_"),
        ("construct", "construct_"),
        ("fields", "fields_"),
        ("self", "self_"),
        ("imageStrength", "image_strength"),
        ("_seed", "seed_"),
        ("modelId", "model_id_"),
    ],
)
def test_field_py_names(wire: str, py: str) -> None:
    assert field_py_name(wire) == py
    ir = named(model({"go": {wire: {"type": "string"}}}))
    f = ir.commands[0].params.fields[0]
    assert (f.name, f.py_name) == (wire, py)


def test_pydantic_attribute_list_is_complete() -> None:
    pydantic = pytest.importorskip("pydantic")
    public = {n for n in dir(pydantic.BaseModel) if not n.startswith("_")}
    missing = {
        n
        for n in public
        if not n.startswith("model_") and n not in RESERVED_FIELD_NAMES
    }
    assert missing == set()


def test_class_names() -> None:
    ir = named(
        model(
            {
                "set_shot": {
                    "clip": {
                        "type": "object",
                        "properties": {"start": {"type": "number"}},
                    }
                }
            },
            {"state": {}, "shot_set": {}, "http_ping2": {}},
            components={"state": "StateSnapshot", "shot_set": "not-an-identifier"},
        )
    )
    assert {m.name: m.payload.class_name for m in ir.messages} == {
        "http_ping2": "HttpPing2",
        "shot_set": "ShotSet",
        "state": "StateSnapshot",
    }
    params = ir.commands[0].params
    assert params.class_name == "SetShotParams"
    nested = params.fields[0].type.obj
    assert nested is not None and nested.class_name == "SetShotParamsClip"


def test_command_and_message_with_the_same_name_do_not_collide() -> None:
    ir = named(model({"scene_cut": {}}, {"scene_cut": {}}))
    assert (
        ir.commands[0].method_name == "scene_cut"
        and ir.commands[0].params.class_name == "SceneCutParams"
    )
    assert (
        ir.messages[0].payload.class_name == "SceneCut"
        and ir.messages[0].listener_name == "on_scene_cut"
    )


def test_member_collisions() -> None:
    assert naming_errors(model({"on_state": {}}, {"state": {}})) == [
        "n.json: /paths/~1events~1on_state/post: the method of command 'on_state' would be the client "
        "member 'on_state', which is already the listener of message 'state' (/webhooks/state/post); "
        "rename one of them in the model"
    ]
    lines = naming_errors(
        model(
            {"main_video": {}, "wait_for_done": {}, "publish_cam": {}},
            {"done": {}},
            tracks=[("main_video", "out"), ("cam", "in")],
        )
    )
    assert len(lines) == 3
    assert any(
        "track 'main_video'" in line and "command 'main_video'" in line
        for line in lines
    )
    assert any("waiter of message 'done'" in line for line in lines)
    assert any("publish method of track 'cam'" in line for line in lines)
    # escaping can create a collision too: `close` -> `close_`
    lines = naming_errors(model({"close": {}, "close_": {}}))
    assert [line.split(": ")[1] for line in lines] == [
        "/paths/~1events~1close_/post",
        "/paths/~1events~1close_/post/requestBody/content/application~1json/schema",
    ]
    assert (
        "client member 'close_', which is already the method of command 'close'"
        in lines[0]
    )
    assert "class 'CloseParams'" in lines[1]


def test_class_collisions() -> None:
    lines = naming_errors(model({"set_shot": {}}, {"set_shot_params": {}}))
    assert lines == [
        "n.json: /paths/~1events~1set_shot/post/requestBody/content/application~1json/schema: the parameters of command 'set_shot' would be generated "
        "as class 'SetShotParams', which is already the class generated for "
        "/webhooks/set_shot_params/post/requestBody/content/application~1json/schema; rename one of them"
    ]
    reserved = naming_errors(
        model(
            None,
            {"base_model": {}, "unknown_message": {}, "message": {}, "demo_model": {}},
        )
    )
    assert len(reserved) == 4 and all(
        "reserved by the generated package" in line for line in reserved
    )


def test_field_collisions() -> None:
    lines = naming_errors(model({"go": {"class": {}, "class_": {}}}))
    assert lines == [
        "n.json: /paths/~1events~1go/post/requestBody/content/application~1json/schema/properties/class_: "
        "fields 'class' and 'class_' both map to the Python name 'class_' (keywords and pydantic "
        "attributes get a trailing '_', camelCase becomes snake_case); rename one of them"
    ]
    assert len(naming_errors(model({"go": {"fooBar": {}, "foo_bar": {}}}))) == 1
