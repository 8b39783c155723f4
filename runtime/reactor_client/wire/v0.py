"""v0 legacy JSON codec (wire-protocol §6.2)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..errors import InvalidStateError
from ..types import UploadReference
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
    Source,
    TrackVerb,
    WireError,
)
from .correlation import InOrderCorrelator

#: v0 runtime message types → neutral platform event names
PLATFORM_TYPES = {
    "modelSchema": MODEL_SCHEMA,
    "clipReady": CLIP_READY,
    "clipFailed": CLIP_FAILED,
    "moderation": MODERATION,
    "sessionEnded": SESSION_ENDED,
}


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _scoped(scope: str, type_: str, data: Mapping[str, Any], **extra: Any) -> str:
    inner: dict[str, Any] = {"type": type_, "data": dict(data)}
    inner.update(extra)
    return _dumps({"scope": scope, "data": inner})


class V0Codec:
    """The JSON text codec: every runtime speaks it; commands get no replies, and schema
    and clip replies carry no request id (they are matched in order)."""

    name = "v0"
    capabilities = CodecCapabilities(replies=False, steps=False)

    def correlator(self) -> InOrderCorrelator:
        return InOrderCorrelator()

    def decode(self, frame: Frame, channel: Channel) -> Inbound:
        return decode(frame)

    def step(self, request_id: str, body: bytes) -> Outbound:
        raise InvalidStateError("step() needs the v1 codec (connected with v0)")

    def command(
        self,
        name: str,
        data: Mapping[str, Any],
        uploads: Mapping[str, UploadReference] | None,
        request_id: str,
    ) -> Outbound:
        extra: dict[str, Any] = {}
        if uploads:
            extra["uploads"] = {k: v.to_json() for k, v in uploads.items()}
        return Outbound("data", _scoped("application", name, data, **extra))

    def ping(self) -> Outbound:
        return Outbound("data", _scoped("runtime", "ping", {}))

    def request_schema(self, request_id: str) -> Outbound:
        return Outbound("data", _scoped("runtime", "requestSchema", {}))

    def file_uploaded(self, ref: UploadReference) -> Outbound:
        return Outbound("data", _scoped("runtime", "fileUploaded", ref.to_json()))

    def request_clip(self, duration_seconds: float, request_id: str) -> Outbound:
        return Outbound(
            "data", _scoped("runtime", "requestClip", {"duration_seconds": duration_seconds})
        )

    def request_recording(self, request_id: str) -> Outbound:
        return Outbound("data", _scoped("runtime", "requestRecording", {}))

    def publish_track(self, name: str, request_id: str) -> Outbound:
        frame = {
            "type": "request",
            "method": "publish_track",
            "request_id": request_id,
            "data": {"name": name},
        }
        return Outbound("control", _dumps(frame))

    def track_notification(self, verb: TrackVerb, name: str) -> Outbound:
        return Outbound(
            "control", _dumps({"type": "notification", "event": verb, "data": {"name": name}})
        )


def _as_dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else ({} if value is None else {"value": value})


def decode(frame: str | bytes) -> Inbound:
    """Decode one v0 JSON frame (text, or bytes starting with ``{``/``[``). Raises ValueError."""
    text = frame.decode("utf-8") if isinstance(frame, (bytes, bytearray)) else frame
    obj = json.loads(text)
    if not isinstance(obj, dict):
        raise ValueError("v0 frame is not a JSON object")
    kind = obj.get("type")
    if kind in ("response", "request", "notification") and ("method" in obj or "event" in obj):
        err = obj.get("error")
        return Inbound(
            codec="v0",
            source="track",
            type=str(obj.get("method") or obj.get("event") or ""),
            data=_as_dict(obj.get("data")),
            request_id=str(obj.get("request_id") or ""),
            is_response=kind == "response",
            error=WireError(str(err.get("code", "")), str(err.get("message", "")))
            if isinstance(err, dict)
            else None,
        )
    scope = obj.get("scope")
    inner = obj.get("data")
    if scope in ("application", "runtime") and isinstance(inner, dict) and "type" in inner:
        type_ = str(inner["type"])
        source: Source = "model"
        if scope == "runtime":
            source, type_ = "platform", PLATFORM_TYPES.get(type_, type_)
        return Inbound(codec="v0", source=source, type=type_, data=_as_dict(inner.get("data")))
    if isinstance(kind, str):  # legacy frame without an envelope: an application payload
        return Inbound(codec="v0", source="model", type=kind, data=_as_dict(obj.get("data")))
    raise ValueError("unrecognised v0 frame")
