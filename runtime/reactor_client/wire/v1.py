"""v1 protobuf codec (``reactor_wire.v1``, wire-protocol §6.3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from google.protobuf import json_format, struct_pb2
from google.protobuf.message import DecodeError
from google.protobuf.message import Message as _PbMessage

from ..types import UploadReference
from . import v0
from .base import (
    CLIP_FAILED,
    CLIP_READY,
    MODEL_SCHEMA,
    MODERATION,
    SESSION_ENDED,
    Channel,
    CodecCapabilities,
    Frame,
    Inbound,
    Outbound,
    TrackVerb,
    WireError,
)
from .correlation import IdCorrelator
from .pb import common_pb2, control_pb2, data_pb2, model_pb2, platform_pb2, track_pb2

REQUEST = common_pb2.MESSAGE_KIND_REQUEST
RESPONSE = common_pb2.MESSAGE_KIND_RESPONSE
NOTIFICATION = common_pb2.MESSAGE_KIND_NOTIFICATION

# v1 control payload field → neutral platform event name
_PLATFORM_TYPES = {
    "clip_ready": CLIP_READY,
    "clip_failed": CLIP_FAILED,
    "moderation": MODERATION,
    "session_ended": SESSION_ENDED,
}


def to_struct(data: Mapping[str, Any]) -> struct_pb2.Struct:
    """Python mapping → ``google.protobuf.Struct`` (ints become doubles, as on the wire)."""
    s = struct_pb2.Struct()
    s.update(dict(data))
    return s


def from_struct(s: struct_pb2.Struct) -> dict[str, Any]:
    """``Struct`` → plain dict (numbers are floats)."""
    out = json_format.MessageToDict(s)
    return out if isinstance(out, dict) else {}


def _fields(msg: _PbMessage) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in msg.DESCRIPTOR.fields:
        value = getattr(msg, f.name)
        out[f.name] = list(value) if f.is_repeated else value
    return out


def is_json_frame(frame: Frame) -> bool:
    """True for a v0 frame: text, or bytes whose first non-whitespace byte is ``{``/``[`` (§6.1)."""
    if isinstance(frame, str):
        return True
    stripped = bytes(frame).lstrip()
    return stripped[:1] in (b"{", b"[")


class V1Codec:
    """The protobuf codec (runtime >= 3): correlated replies, error codes, stepped
    generation. Frames the runtime sent before the codec latched arrive as v0 JSON and
    are decoded as such (§6.1)."""

    name = "v1"
    capabilities = CodecCapabilities(replies=True, steps=True)

    def correlator(self) -> IdCorrelator:
        return IdCorrelator()

    def decode(self, frame: Frame, channel: Channel) -> Inbound:
        if is_json_frame(frame):
            return v0.decode(frame)
        assert isinstance(frame, (bytes, bytearray))
        return decode(bytes(frame), channel)

    def step(self, request_id: str, body: bytes) -> Outbound:
        return Outbound("data", body)

    @staticmethod
    def _control(msg: control_pb2.ControlClientMessage) -> Outbound:
        return Outbound("control", msg.SerializeToString())

    def command(
        self,
        name: str,
        data: Mapping[str, Any],
        uploads: Mapping[str, UploadReference] | None,
        request_id: str,
    ) -> Outbound:
        cmd = model_pb2.Command(type=name, data=to_struct(data))
        for key, ref in (uploads or {}).items():
            cmd.uploads[key].CopyFrom(
                model_pb2.UploadReference(
                    upload_id=ref.upload_id, name=ref.name, mime_type=ref.mime_type, size=ref.size
                )
            )
        msg = data_pb2.DataClientMessage(
            request_id=request_id, kind=REQUEST if request_id else NOTIFICATION, command=cmd
        )
        return Outbound("data", msg.SerializeToString())

    def ping(self) -> Outbound:
        return self._control(
            control_pb2.ControlClientMessage(kind=NOTIFICATION, ping=platform_pb2.Ping())
        )

    def request_schema(self, request_id: str) -> Outbound:
        return self._control(
            control_pb2.ControlClientMessage(
                request_id=request_id, kind=REQUEST, request_schema=platform_pb2.RequestSchema()
            )
        )

    def file_uploaded(self, ref: UploadReference) -> Outbound:
        fu = platform_pb2.FileUploaded(
            upload_id=ref.upload_id, name=ref.name, mime_type=ref.mime_type, size=ref.size
        )
        return self._control(control_pb2.ControlClientMessage(kind=NOTIFICATION, file_uploaded=fu))

    def request_clip(self, duration_seconds: float, request_id: str) -> Outbound:
        rc = platform_pb2.RequestClip(duration_seconds=duration_seconds)
        return self._control(
            control_pb2.ControlClientMessage(request_id=request_id, kind=REQUEST, request_clip=rc)
        )

    def request_recording(self, request_id: str) -> Outbound:
        return self._control(
            control_pb2.ControlClientMessage(
                request_id=request_id,
                kind=REQUEST,
                request_recording=platform_pb2.RequestRecording(),
            )
        )

    def publish_track(self, name: str, request_id: str) -> Outbound:
        return self._control(
            control_pb2.ControlClientMessage(
                request_id=request_id, kind=REQUEST, publish_track=track_pb2.PublishTrack(name=name)
            )
        )

    def track_notification(self, verb: TrackVerb, name: str) -> Outbound:
        msg = control_pb2.ControlClientMessage(kind=NOTIFICATION)
        if verb == "pause_track":
            msg.pause_track.name = name
        elif verb == "resume_track":
            msg.resume_track.name = name
        else:
            msg.unpublish_track.name = name
        return self._control(msg)


def _error(err: common_pb2.Error) -> WireError:
    return WireError(err.code, err.message)


def decode(frame: bytes, channel: Channel) -> Inbound:
    """Decode one binary v1 server frame received on ``channel``. Raises ValueError."""
    try:
        if channel == "data":
            return _decode_data(data_pb2.DataServerMessage.FromString(bytes(frame)))
        return _decode_control(control_pb2.ControlServerMessage.FromString(bytes(frame)))
    except DecodeError as exc:
        raise ValueError(f"undecodable v1 frame on {channel!r}: {exc}") from exc


def _decode_data(msg: data_pb2.DataServerMessage) -> Inbound:
    is_resp = msg.kind == RESPONSE
    which = msg.WhichOneof("payload")
    if which == "message":
        return Inbound(
            "v1",
            "model",
            msg.message.type,
            from_struct(msg.message.data),
            msg.request_id,
            is_resp,
        )
    if which == "step_result":
        return Inbound("v1", "model", None, {}, msg.request_id, True, step=msg.step_result)
    if which == "error":
        return Inbound("v1", "model", None, {}, msg.request_id, True, _error(msg.error))
    return Inbound("v1", "model", None, {}, msg.request_id, is_resp)


def _decode_control(msg: control_pb2.ControlServerMessage) -> Inbound:
    is_resp = msg.kind == RESPONSE
    which = msg.WhichOneof("payload")
    if which == "model_schema":
        return Inbound(
            "v1",
            "platform",
            MODEL_SCHEMA,
            from_struct(msg.model_schema.openapi),
            msg.request_id,
            is_resp,
        )
    if which in _PLATFORM_TYPES:
        assert which is not None
        return Inbound(
            "v1",
            "platform",
            _PLATFORM_TYPES[which],
            _fields(getattr(msg, which)),
            msg.request_id,
            is_resp,
        )
    if which == "publish_track":
        return Inbound(
            "v1", "track", "publish_track", _fields(msg.publish_track), msg.request_id, is_resp
        )
    if which == "error":
        return Inbound("v1", "track", None, {}, msg.request_id, True, _error(msg.error))
    return Inbound("v1", "track", None, {}, msg.request_id, is_resp)
