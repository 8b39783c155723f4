"""Unit tests of the v0 JSON / v1 protobuf codecs (exact vectors from wire-protocol §6.11, local-runtime §4.3)."""

from __future__ import annotations

import json

import pytest

from reactor_client.types import UploadReference
from reactor_client.wire import codec_for, decode
from reactor_client.wire.codec import is_json_frame
from reactor_client.wire.pb import common_pb2, control_pb2, data_pb2, model_pb2, platform_pb2
from reactor_client.wire.v1 import to_struct

V1 = codec_for("v1")
V0 = codec_for("v0")
REF = UploadReference(upload_id="abc123", name="a.png", mime_type="image/png", size=104)


@pytest.mark.parametrize(
    ("out", "channel", "hex_"),
    [
        (
            V1.command("set_shot", {"prompt": "a red fox"}, None, "data_1"),
            "data",
            "0a06646174615f31100152230a087365745f73686f7412170a150a0670726f6d7074120b1a09612072656420666f78",
        ),
        (
            V1.command("set_prompt", {"prompt": "hello"}, None, "data_1"),
            "data",
            "0a06646174615f31100152210a0a7365745f70726f6d707412130a110a0670726f6d707412071a0568656c6c6f",
        ),
        (V1.ping(), "control", "10035200"),
        (V1.track_notification("resume_track", "main_video"), "control", "10038a010c0a0a6d61696e5f766964656f"),
    ],
)
def test_v1_exact_vectors(out, channel, hex_):  # type: ignore[no-untyped-def]
    assert out.channel == channel
    assert isinstance(out.frame, bytes)
    assert out.frame.hex() == hex_


def test_v1_request_schema_and_publish() -> None:
    msg = control_pb2.ControlClientMessage.FromString(V1.request_schema("ctrl_1").frame)  # type: ignore[arg-type]
    assert (msg.request_id, msg.kind, msg.WhichOneof("payload")) == ("ctrl_1", common_pb2.MESSAGE_KIND_REQUEST, "request_schema")
    msg = control_pb2.ControlClientMessage.FromString(V1.publish_track("webcam", "ctrl_2").frame)  # type: ignore[arg-type]
    assert msg.publish_track.name == "webcam" and msg.kind == common_pb2.MESSAGE_KIND_REQUEST
    for verb in ("pause_track", "resume_track", "unpublish_track"):
        msg = control_pb2.ControlClientMessage.FromString(V1.track_notification(verb, "x").frame)  # type: ignore[arg-type]
        assert msg.WhichOneof("payload") == verb and getattr(msg, verb).name == "x"
        assert msg.kind == common_pb2.MESSAGE_KIND_NOTIFICATION and msg.request_id == ""


def test_v1_command_uploads_and_file_uploaded() -> None:
    out = V1.command("inspect_file", {"note": "n"}, {"file": REF}, "data_7")
    msg = data_pb2.DataClientMessage.FromString(out.frame)  # type: ignore[arg-type]
    ref = msg.command.uploads["file"]
    assert (ref.upload_id, ref.name, ref.mime_type, ref.size) == ("abc123", "a.png", "image/png", 104)
    fu = control_pb2.ControlClientMessage.FromString(V1.file_uploaded(REF).frame)  # type: ignore[arg-type]
    assert fu.file_uploaded.upload_id == "abc123" and fu.file_uploaded.size == 104


def _server_data(**kw) -> bytes:  # type: ignore[no-untyped-def]
    return data_pb2.DataServerMessage(**kw).SerializeToString()


def test_v1_decode_reply_ack_error_broadcast() -> None:
    reply = _server_data(
        request_id="data_1",
        kind=common_pb2.MESSAGE_KIND_RESPONSE,
        message=model_pb2.ModelMessage(type="state", data=to_struct({"seed": 7, "running": True, "shots": [1, 2]})),
    )
    inb = decode(reply, "data")
    assert (inb.codec, inb.source, inb.type, inb.request_id, inb.is_response) == ("v1", "model", "state", "data_1", True)
    assert inb.data == {"seed": 7.0, "running": True, "shots": [1.0, 2.0]}
    assert isinstance(inb.data["seed"], float)

    ack = decode(_server_data(request_id="data_2", kind=common_pb2.MESSAGE_KIND_RESPONSE), "data")
    assert ack.is_response and ack.type is None and ack.error is None

    err = decode(
        _server_data(request_id="data_3", kind=common_pb2.MESSAGE_KIND_RESPONSE, error=common_pb2.Error(code="nope", message="failed 2")),
        "data",
    )
    assert err.error is not None and (err.error.code, err.error.message) == ("nope", "failed 2")

    bc = decode(
        _server_data(kind=common_pb2.MESSAGE_KIND_NOTIFICATION, message=model_pb2.ModelMessage(type="tick")), "data"
    )
    assert not bc.is_response and bc.type == "tick" and bc.data == {}


def test_v1_decode_control_payloads() -> None:
    schema = control_pb2.ControlServerMessage(
        request_id="ctrl_1",
        kind=common_pb2.MESSAGE_KIND_RESPONSE,
        model_schema=platform_pb2.ModelSchema(openapi=to_struct({"openapi": "3.1.0", "info": {"title": "x"}})),
    ).SerializeToString()
    inb = decode(schema, "control")
    assert (inb.source, inb.type, inb.request_id) == ("platform", "model_schema", "ctrl_1")
    assert inb.data["info"] == {"title": "x"}
    ended = control_pb2.ControlServerMessage(
        kind=common_pb2.MESSAGE_KIND_NOTIFICATION, session_ended=platform_pb2.SessionEnded(reason="bye")
    ).SerializeToString()
    assert decode(ended, "control").type == "session_ended"
    assert decode(ended, "control").data == {"reason": "bye"}
    mod = control_pb2.ControlServerMessage(
        kind=common_pb2.MESSAGE_KIND_NOTIFICATION,
        moderation=platform_pb2.Moderation(action="warn", categories=["violence"]),
    ).SerializeToString()
    assert decode(mod, "control").data["categories"] == ["violence"]
    refused = control_pb2.ControlServerMessage(
        request_id="ctrl_2", kind=common_pb2.MESSAGE_KIND_RESPONSE, error=common_pb2.Error(code="publish_refused")
    ).SerializeToString()
    r = decode(refused, "control")
    assert r.is_response and r.error is not None and r.error.code == "publish_refused"


def test_v0_encoding_matches_spec() -> None:
    assert json.loads(V0.command("set_shot", {"prompt": "a red fox"}, None, "").frame) == {
        "scope": "application",
        "data": {"type": "set_shot", "data": {"prompt": "a red fox"}},
    }
    assert V0.command("set_shot", {"prompt": "a red fox"}, None, "").channel == "data"
    with_uploads = json.loads(V0.command("set_image", {"label": "hi"}, {"image": REF}, "").frame)
    assert with_uploads["data"]["uploads"] == {"image": REF.to_json()}
    assert json.loads(V0.ping().frame) == {"scope": "runtime", "data": {"type": "ping", "data": {}}}
    assert V0.ping().channel == "data"
    assert json.loads(V0.request_schema("").frame)["data"]["type"] == "requestSchema"
    assert json.loads(V0.file_uploaded(REF).frame)["data"] == {"type": "fileUploaded", "data": REF.to_json()}
    pub = V0.publish_track("webcam", "ctrl_1")
    assert pub.channel == "control"
    assert json.loads(pub.frame) == {"type": "request", "method": "publish_track", "request_id": "ctrl_1", "data": {"name": "webcam"}}
    assert json.loads(V0.track_notification("resume_track", "main_video").frame) == {
        "type": "notification",
        "event": "resume_track",
        "data": {"name": "main_video"},
    }


def test_v0_decode() -> None:
    inb = decode(
        '{"scope":"application","data":{"type":"state","data":{"paused":false,"current_chunk":12.0}}}', "data"
    )
    assert (inb.codec, inb.source, inb.type, inb.data) == ("v0", "model", "state", {"paused": False, "current_chunk": 12.0})
    rt = decode(b'{"scope":"runtime","data":{"type":"modelSchema","data":{"openapi":"3.1.0"}}}', "data")
    assert (rt.source, rt.type) == ("platform", "model_schema")
    resp = decode(
        '{"type":"response","method":"publish_track","request_id":"ctrl_2","error":{"code":"publish_refused","message":"taken"}}',
        "control",
    )
    assert resp.is_response and resp.request_id == "ctrl_2" and resp.error is not None and resp.error.code == "publish_refused"
    legacy = decode('{"type":"tick","data":{"n":1}}', "data")
    assert (legacy.source, legacy.type) == ("model", "tick")
    with pytest.raises(ValueError):
        decode("[1, 2]", "data")


def test_frame_type_dispatch() -> None:
    assert is_json_frame("x") and is_json_frame(b'  {"a":1}') and is_json_frame(b"[1]")
    assert not is_json_frame(bytes.fromhex("10035200"))
    # a text frame on a v1 connection (pre-latch broadcast) still decodes as v0
    assert decode('{"scope":"application","data":{"type":"state","data":{}}}', "data").codec == "v0"
    with pytest.raises(ValueError):
        decode(b"\xff\xff\xff", "data")
