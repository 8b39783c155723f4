"""Codec-neutral message shapes shared by ``v0`` and ``v1``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, Protocol

from ..types import UploadReference

Channel = Literal["control", "data"]
Scope = Literal["application", "runtime", "control"]
Frame = str | bytes


class Outbound(NamedTuple):
    """An encoded frame and the channel it must go out on."""

    channel: Channel
    frame: Frame


@dataclass(frozen=True)
class WireError:
    """An error payload from the runtime (``code`` is the runtime's or the model's)."""

    code: str
    message: str = ""


@dataclass(frozen=True)
class Inbound:
    """One decoded inbound frame.

    ``scope``: ``application`` = model message, ``runtime`` = platform message
    (``modelSchema``, ``clipReady``, ``clipFailed``, ``moderation``, ``sessionEnded``),
    ``control`` = reply to a track verb (``type`` = method, e.g. ``publish_track``).
    ``type`` is None for a bodyless v1 ack or a bare error reply.
    ``step`` is the ``StepResult`` protobuf of a v1 step answer (stepped generation).
    """

    codec: Literal["v0", "v1"]
    scope: Scope
    type: str | None
    data: dict[str, Any] = field(default_factory=dict)
    request_id: str = ""
    is_response: bool = False
    error: WireError | None = None
    step: Any = None


class Codec(Protocol):
    """Encoder side of a wire codec."""

    @property
    def name(self) -> Literal["v0", "v1"]: ...

    def command(
        self,
        name: str,
        data: Mapping[str, Any],
        uploads: Mapping[str, UploadReference] | None,
        request_id: str,
    ) -> Outbound: ...

    def ping(self) -> Outbound: ...

    def request_schema(self, request_id: str) -> Outbound: ...

    def file_uploaded(self, ref: UploadReference) -> Outbound: ...

    def request_clip(self, duration_seconds: float, request_id: str) -> Outbound: ...

    def request_recording(self, request_id: str) -> Outbound: ...

    def publish_track(self, name: str, request_id: str) -> Outbound: ...

    def track_notification(
        self, verb: Literal["pause_track", "resume_track", "unpublish_track"], name: str
    ) -> Outbound: ...
