"""An in-memory transport: a whole session with no network and no runtime process.

:class:`MemoryRuntime` is the far end — a scripted stand-in for a ``reactor-runtime``
that speaks both wire codecs (the first frame the client sends latches one, as on the
real runtime). Pass ``runtime.factory()`` as ``transport=`` to any client constructor::

    runtime = MemoryRuntime("demo", tracks=[TrackSpec("main_video", "video", "recvonly")])
    runtime.on_command = lambda name, data: ("echo", data)   # reply with a message
    async with ReactorClient("demo", transport=runtime.factory()) as client:
        await client.send_command("ping", {"n": 1})
        runtime.broadcast("state", {"running": True})
        runtime.push_frame("main_video", av.VideoFrame(...))
        runtime.lose("cable pulled")                         # the transport dies

It runs the real client code above the transport: signaling order, codec negotiation,
correlation, dispatch, tracks, keepalive and reconnect. It carries no RTP: pushed frames
go straight to the output track (counted as received and decoded).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import av

from ..errors import ConfigurationError, TransportError
from ..signaling.session import OpenedSession
from ..types import TrackSpec
from ..wire.base import Channel, Frame
from ..wire.pb import common_pb2, control_pb2, data_pb2, model_pb2, platform_pb2, track_pb2
from ..wire.v1 import from_struct, is_json_frame, to_struct
from .base import (
    RtpCounters,
    TransportCapabilities,
    TransportEvents,
    TransportInfo,
    TransportSetup,
    WebRtcSignaling,
)

MEMORY_INFO = TransportInfo(
    "memory",
    TransportCapabilities(
        dc_chunking=True,
        frame_metadata=False,
        encoded_frames=False,
        input_tracks=True,
        rtp_stats=False,
    ),
)

RESPONSE = common_pb2.MESSAGE_KIND_RESPONSE
NOTIFICATION = common_pb2.MESSAGE_KIND_NOTIFICATION


@dataclass(frozen=True)
class CommandError:
    """``on_command``'s answer for a refused command."""

    code: str
    message: str = ""


class _NoReply:
    def __repr__(self) -> str:
        return "NO_REPLY"


#: ``on_command``'s answer for a command the runtime never answers (a hung model).
NO_REPLY = _NoReply()

#: What ``on_command`` may return: None (a bodyless acknowledgement), ``(type, data)`` (a
#: reply message), a :class:`CommandError` (the model refused) or :data:`NO_REPLY`.
CommandResult = tuple[str, Mapping[str, Any]] | CommandError | _NoReply | None


@dataclass(frozen=True)
class ReceivedCommand:
    """A command the client sent."""

    name: str
    data: dict[str, Any]
    request_id: str = ""


@dataclass(frozen=True)
class ReceivedFrame:
    """Any client frame, decoded: ``kind`` is the v1 payload name or the v0 type."""

    channel: Channel
    codec: Literal["v0", "v1"]
    kind: str
    request_id: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class _RawFrame:
    data: bytes
    timestamp: int


class MemoryRuntime:
    """The far end of in-memory transports (see the module docstring)."""

    def __init__(
        self,
        model_name: str = "memory-model",
        tracks: Sequence[TrackSpec] = (),
        *,
        schema: Mapping[str, Any] | None = None,
        speaks_v1: bool = True,
        generation: str = "streamed",
    ) -> None:
        self.model_name = model_name
        self.tracks = tuple(tracks)
        self.schema = dict(schema or {"openapi": "3.1.0", "info": {"title": model_name}})
        self.speaks_v1 = speaks_v1
        self.generation = generation
        #: Called for every command; see :data:`CommandResult`.
        self.on_command: Callable[[str, dict[str, Any]], CommandResult] | None = None
        self.received: list[ReceivedFrame] = []
        self.commands: list[ReceivedCommand] = []
        self.sessions_started = 0
        self.sessions_ended = 0
        self.connections = 0
        self.codec: Literal["v0", "v1"] | None = None
        self._transport: MemoryTransport | None = None
        self._ids = itertools.count(1)
        self.session_id: str | None = None

    def factory(self) -> MemoryTransportFactory:
        """The ``transport=`` value that connects a client to this runtime."""
        return MemoryTransportFactory(self)

    # ------------------------------------------------------------------ server → client
    @property
    def connected(self) -> bool:
        return self._transport is not None and not self._transport.closed

    def _live(self) -> MemoryTransport:
        if self._transport is None or self._transport.closed:
            raise TransportError("no client is connected to this MemoryRuntime")
        return self._transport

    def broadcast(self, type: str, data: Mapping[str, Any] | None = None) -> None:
        """Send a model message to the client (in the latched codec; v0 before any frame)."""
        payload = dict(data or {})
        if self.codec == "v1":
            msg = data_pb2.DataServerMessage(
                kind=NOTIFICATION,
                message=model_pb2.ModelMessage(type=type, data=to_struct(payload)),
            )
            self._live().deliver("data", msg.SerializeToString())
        else:
            frame = {"scope": "application", "data": {"type": type, "data": payload}}
            self._live().deliver("data", json.dumps(frame))

    def end_session(self, reason: str = "the session ended") -> None:
        """Tell the client the session ended (``sessionEnded``)."""
        if self.codec == "v1":
            msg = control_pb2.ControlServerMessage(
                kind=NOTIFICATION, session_ended=platform_pb2.SessionEnded(reason=reason)
            )
            self._live().deliver("control", msg.SerializeToString())
        else:
            frame = {
                "scope": "runtime",
                "data": {"type": "sessionEnded", "data": {"reason": reason}},
            }
            self._live().deliver("data", json.dumps(frame))

    def moderate(
        self,
        action: str = "terminate",
        *,
        message: str = "Session terminated due to policy violation.",
        input_kind: str = "",
        command: str = "",
        categories: Sequence[str] = (),
    ) -> None:
        """Send a content-moderation notice (``moderation``), as the platform does."""
        fields: dict[str, Any] = {
            "action": action,
            "input_kind": input_kind,
            "command": command,
            "categories": list(categories),
            "message": message,
        }
        if self.codec == "v1":
            notice = platform_pb2.Moderation(
                action=action,
                input_kind=input_kind,
                command=command,
                categories=list(categories),
                message=message,
            )
            msg = control_pb2.ControlServerMessage(kind=NOTIFICATION, moderation=notice)
            self._live().deliver("control", msg.SerializeToString())
        else:
            frame = {"scope": "runtime", "data": {"type": "moderation", "data": fields}}
            self._live().deliver("data", json.dumps(frame))

    def send_raw(self, channel: Channel, frame: Frame) -> None:
        """Deliver any frame as is (to test decoding of odd input)."""
        self._live().deliver(channel, frame)

    def push_frame(self, track: str, frame: av.VideoFrame | av.AudioFrame) -> None:
        """Deliver a decoded frame on output track ``track`` (its ``pts`` is kept)."""
        self._live().push_frame(track, frame)

    def lose(self, reason: str = "transport lost") -> None:
        """Kill the transport as a network failure would."""
        self._live().lose(reason)

    # ------------------------------------------------------------------ client → server
    def _receive(self, channel: Channel, frame: Frame) -> None:
        if self.codec is None:
            self.codec = "v0" if is_json_frame(frame) or not self.speaks_v1 else "v1"
        if is_json_frame(frame):
            self._receive_v0(channel, frame)
        elif self.codec == "v1":
            self._receive_v1(channel, frame if isinstance(frame, bytes) else frame.encode())

    def _receive_v0(self, channel: Channel, frame: Frame) -> None:
        text = frame.decode() if isinstance(frame, (bytes, bytearray)) else frame
        obj = json.loads(text)
        if "scope" in obj:
            inner = obj["data"]
            kind, data = str(inner["type"]), dict(inner.get("data") or {})
            self.received.append(ReceivedFrame(channel, "v0", kind, "", data))
            if obj["scope"] == "application":
                self._command(ReceivedCommand(kind, data))
            elif kind == "requestSchema":
                reply = {"scope": "runtime", "data": {"type": "modelSchema", "data": self.schema}}
                self._live().deliver("data", json.dumps(reply))
            return
        kind = str(obj.get("method") or obj.get("event") or "")
        rid = str(obj.get("request_id") or "")
        self.received.append(ReceivedFrame(channel, "v0", kind, rid, dict(obj.get("data") or {})))
        if obj.get("type") == "request" and kind == "publish_track":
            reply = {"type": "response", "method": kind, "request_id": rid, "data": obj["data"]}
            self._live().deliver("control", json.dumps(reply))

    def _receive_v1(self, channel: Channel, frame: bytes) -> None:
        if channel == "data":
            dmsg = data_pb2.DataClientMessage.FromString(frame)
            which = dmsg.WhichOneof("payload") or ""
            data = from_struct(dmsg.command.data) if which == "command" else {}
            self.received.append(ReceivedFrame(channel, "v1", which, dmsg.request_id, data))
            if which == "command":
                self._command(ReceivedCommand(dmsg.command.type, data, dmsg.request_id))
            return
        cmsg = control_pb2.ControlClientMessage.FromString(frame)
        which = cmsg.WhichOneof("payload") or ""
        self.received.append(ReceivedFrame(channel, "v1", which, cmsg.request_id))
        if which == "request_schema":
            out = control_pb2.ControlServerMessage(
                request_id=cmsg.request_id,
                kind=RESPONSE,
                model_schema=platform_pb2.ModelSchema(openapi=to_struct(self.schema)),
            )
            self._live().deliver("control", out.SerializeToString())
        elif which == "publish_track":
            out = control_pb2.ControlServerMessage(
                request_id=cmsg.request_id,
                kind=RESPONSE,
                publish_track=track_pb2.PublishTrackResponse(name=cmsg.publish_track.name),
            )
            self._live().deliver("control", out.SerializeToString())

    def _command(self, command: ReceivedCommand) -> None:
        self.commands.append(command)
        result = self.on_command(command.name, command.data) if self.on_command else None
        if result is NO_REPLY:
            return
        if self.codec != "v1":
            if isinstance(result, tuple):
                self.broadcast(result[0], result[1])
            return
        out = data_pb2.DataServerMessage(request_id=command.request_id, kind=RESPONSE)
        if isinstance(result, CommandError):
            out.error.CopyFrom(common_pb2.Error(code=result.code, message=result.message))
        elif isinstance(result, tuple):
            out.message.CopyFrom(model_pb2.ModelMessage(type=result[0], data=to_struct(result[1])))
        if command.request_id:
            self._live().deliver("data", out.SerializeToString())
        elif isinstance(result, tuple):
            self.broadcast(result[0], result[1])

    # ------------------------------------------------------------------ session signaling
    def _open(self, session_id: str | None) -> OpenedSession:
        if session_id is None:
            self.session_id = f"memory-session-{next(self._ids)}"
            self.sessions_started += 1
            created = True
        elif session_id != self.session_id:
            raise ConfigurationError(
                f"this MemoryRuntime runs session {self.session_id}, not {session_id}"
            )
        else:
            created = False
        descriptor = {
            "session_id": self.session_id,
            "model": {"name": self.model_name},
            "generation": self.generation,
            "capabilities": {"tracks": [t.to_json() for t in self.tracks]},
        }
        return OpenedSession(self.session_id, descriptor, created)

    def _attach(self, transport: MemoryTransport) -> None:
        self.connections += 1
        self.codec = None
        self._transport = transport


class _MemoryWebRtc:
    """The WebRTC signaling routes of a memory session (nothing to exchange)."""

    def __init__(self) -> None:
        self._ids = itertools.count(1001)

    async def register(self) -> int:
        return next(self._ids)

    async def ice_servers(self) -> list[Any]:
        return []

    async def offer(
        self,
        connection_id: int,
        sdp: str,
        track_mapping: list[dict[str, str]],
        *,
        reoffer: bool = False,
    ) -> int:
        return connection_id

    async def answer(self, connection_id: int) -> tuple[str, int]:
        return "", connection_id


class MemorySessionSignaling:
    """Session signaling against a :class:`MemoryRuntime` (no HTTP)."""

    def __init__(self, runtime: MemoryRuntime) -> None:
        self.runtime = runtime
        self._webrtc = _MemoryWebRtc()

    @property
    def http(self) -> Any:
        raise ConfigurationError(
            "uploads and clip downloads need HTTP: the memory transport has none"
        )

    async def open(
        self, session_id: str | None, start: Mapping[str, Any] | None = None
    ) -> OpenedSession:
        return self.runtime._open(session_id)

    async def end(self, session_id: str) -> None:
        self.runtime.sessions_ended += 1
        self.runtime.session_id = None

    def webrtc(self, session_id: str) -> Any:
        return self._webrtc

    async def ice_servers(self, transport: Any) -> list[Any]:
        return []

    def rewrite_url(self, url: str) -> str:
        return url

    async def aclose(self) -> None:
        return None


class MemoryTransport:
    """One in-memory connection to a :class:`MemoryRuntime`."""

    info = MEMORY_INFO

    def __init__(
        self, runtime: MemoryRuntime, setup: TransportSetup, events: TransportEvents
    ) -> None:
        self.runtime = runtime
        self.setup = setup
        self.events = events
        self.closed = False
        self._lost = False
        self.chunking = setup.dc_chunking
        self.frame_metadata = False
        self.max_message_size = 64 * 1024 * 1024 if setup.dc_chunking else 262144
        self.sending = False
        self.rtt_seconds: float | None = None
        self.inputs: dict[str, Any] = {}
        self.keyframe_requests: list[str] = []

    @property
    def state(self) -> str:
        return "closed" if self.closed else "connected"

    async def connect(
        self, signaling: WebRtcSignaling, connection_id: int, *, reoffer: bool, timeout: float
    ) -> int:
        cid = await signaling.offer(connection_id, "", [], reoffer=reoffer)
        self.runtime._attach(self)
        return cid

    def send(self, channel: Channel, frame: Frame) -> None:
        if self.closed or self._lost:
            raise TransportError(f"{channel} channel is closed")
        loop = asyncio.get_running_loop()
        loop.call_soon(self._to_runtime, channel, frame)

    def _to_runtime(self, channel: Channel, frame: Frame) -> None:
        if not self.closed and not self._lost:
            self.runtime._receive(channel, frame)

    def deliver(self, channel: Channel, frame: Frame) -> None:
        """A server frame for the client, delivered at once (listeners run before this returns)."""
        if not self.closed and not self._lost:
            self.events.on_message(channel, frame)

    def push_frame(self, track: str, frame: av.VideoFrame | av.AudioFrame) -> None:
        sink = self.setup.sinks.get(track)
        if sink is None:
            raise ConfigurationError(
                f"no output track {track!r} (known: {sorted(self.setup.sinks)})"
            )
        if sink.on_encoded("raw", _RawFrame(b"", int(frame.pts or 0))):
            sink.on_decoded(frame)

    def lose(self, reason: str) -> None:
        if not self.closed and not self._lost:
            self._lost = True
            self.events.on_lost(reason)

    def request_keyframe(self, track: str) -> None:
        self.keyframe_requests.append(track)

    def set_input(self, track: str, source: Any) -> None:
        self.inputs[track] = source

    async def rtp_counters(self, track: str) -> RtpCounters:
        return RtpCounters()

    async def close(self) -> None:
        self.closed = True


class MemoryTransportFactory:
    """``transport=`` for a :class:`MemoryRuntime`."""

    info = MEMORY_INFO

    def __init__(self, runtime: MemoryRuntime) -> None:
        self.runtime = runtime

    def session_signaling(self, model_name: str, url: str) -> MemorySessionSignaling:
        return MemorySessionSignaling(self.runtime)

    def create(self, setup: TransportSetup, events: TransportEvents) -> MemoryTransport:
        return MemoryTransport(self.runtime, setup, events)


__all__ = [
    "NO_REPLY",
    "CommandError",
    "MemoryRuntime",
    "MemorySessionSignaling",
    "MemoryTransport",
    "MemoryTransportFactory",
    "ReceivedCommand",
    "ReceivedFrame",
    "MEMORY_INFO",
]
