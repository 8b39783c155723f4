"""The codec seam: neutral inbound shapes, what a codec can do, and the codec protocol.

A :class:`Codec` owns the wire: it encodes every client frame, decodes every server frame
into a neutral :class:`Inbound`, says what it supports (:class:`CodecCapabilities`) and
correlates replies with requests (:class:`Correlator`). Nothing outside ``wire/`` looks at
a codec's name to decide what to do.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, Protocol

from ..errors import ReactorError
from ..types import UploadReference

Channel = Literal["control", "data"]
#: Who an inbound frame comes from: the model (its messages and command replies), the
#: platform (schema, clips, moderation, session end) or the track machinery (track verbs).
Source = Literal["model", "platform", "track"]
Frame = str | bytes
TrackVerb = Literal["pause_track", "resume_track", "unpublish_track"]
#: What a request waits for; a codec correlates each kind its own way.
ReplyKind = Literal["command", "step", "model_schema", "clip", "publish_track"]

# Neutral names of platform events (``Inbound.type`` when ``source == "platform"``).
MODEL_SCHEMA = "model_schema"
CLIP_READY = "clip_ready"
CLIP_FAILED = "clip_failed"
MODERATION = "moderation"
SESSION_ENDED = "session_ended"


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
    """One decoded server frame, in codec-neutral terms.

    ``type`` is the model message type (``source="model"``), one of the platform event
    names above (``"platform"``) or the track verb answered (``"track"``); ``None`` for a
    bodyless acknowledgement or a bare error reply. ``step`` is the step result of a
    stepped-generation answer. ``codec`` names the codec that decoded it (for logs).
    """

    codec: str
    source: Source
    type: str | None
    data: dict[str, Any] = field(default_factory=dict)
    request_id: str = ""
    is_response: bool = False
    error: WireError | None = None
    step: Any = None


@dataclass(frozen=True)
class CodecCapabilities:
    """What a codec can carry."""

    replies: bool
    """Commands get a correlated reply (a typed message, an acknowledgement or an error
    code); without it a command is fire-and-forget."""
    steps: bool
    """Stepped generation (``step()`` requests and results)."""


class Correlator(Protocol):
    """Matches replies to requests on one connection (created by :meth:`Codec.correlator`)."""

    async def request(
        self,
        kind: ReplyKind,
        make: Callable[[str], Outbound],
        send: Callable[[Outbound], None],
        timeout: float | None,
        what: str,
    ) -> Inbound:
        """``make(request_id)`` the frame, ``send`` it, and wait for its reply
        (``RequestTimeoutError`` naming ``what`` after ``timeout`` seconds)."""
        ...

    def resolve(self, inbound: Inbound) -> None:
        """Hand ``inbound`` to the request it answers, if any."""
        ...

    def fail_all(self, exc: ReactorError) -> None:
        """Fail every pending request with ``exc`` and refuse new ones until :meth:`open`."""
        ...

    def open(self) -> None:
        """Accept requests again (a new transport)."""
        ...


class Codec(Protocol):
    """A data-channel wire codec: encoding, decoding, correlation and capabilities."""

    @property
    def name(self) -> str: ...

    @property
    def capabilities(self) -> CodecCapabilities: ...

    def correlator(self) -> Correlator:
        """A fresh correlator for one connection."""
        ...

    def decode(self, frame: Frame, channel: Channel) -> Inbound:
        """Decode one server frame received on ``channel`` (``ValueError`` if it cannot)."""
        ...

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

    def track_notification(self, verb: TrackVerb, name: str) -> Outbound: ...

    def step(self, request_id: str, body: bytes) -> Outbound:
        """A step request whose serialized payload is ``body`` (only when
        ``capabilities.steps``)."""
        ...


SendFrame = Callable[[Outbound], None]
Request = Callable[[ReplyKind, Callable[[str], Outbound], float | None, str], Awaitable[Inbound]]
