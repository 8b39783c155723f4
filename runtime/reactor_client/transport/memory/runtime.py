"""``MemoryRuntime``: the far end of in-memory transports, a scripted stand-in for a
``reactor-runtime`` that speaks both wire codecs."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import av

from ...errors import ConfigurationError, TransportError
from ...signaling.session import OpenedSession
from ...types import TrackSpec
from ...wire.base import Channel, Frame
from ...wire.pb import common_pb2, control_pb2, data_pb2, model_pb2, platform_pb2, track_pb2
from ...wire.v1 import from_struct, is_json_frame, to_struct
from ..base import TransportCapabilities, TransportInfo
from .steps import StepFailure, StepOutput, StepRequest, encode_answer, parse_request

if TYPE_CHECKING:
    from .link import MemoryTransport, MemoryTransportFactory

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
        #: Called for every ``step()``; returns a :class:`StepOutput` or :class:`StepFailure`
        #: (default: an empty result).
        self.on_step: Callable[[StepRequest], StepOutput | StepFailure] | None = None
        self.step_requests: list[StepRequest] = []
        self.steps_done = 0
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
        from .link import MemoryTransportFactory

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
            elif which == "request_step":
                self._step(dmsg.request_id, dmsg.request_step)
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

    def _step(self, request_id: str, msg: Any) -> None:
        request = parse_request(self.steps_done + 1, msg)
        self.step_requests.append(request)
        answer = self.on_step(request) if self.on_step is not None else StepOutput()
        if isinstance(answer, StepOutput):
            self.steps_done += 1
        out = data_pb2.DataServerMessage(
            request_id=request_id,
            kind=RESPONSE,
            step_result=encode_answer(request.step, answer),
        )
        self._live().deliver("data", out.SerializeToString())

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


__all__ = [
    "MEMORY_INFO",
    "NO_REPLY",
    "CommandError",
    "CommandResult",
    "MemoryRuntime",
    "ReceivedCommand",
    "ReceivedFrame",
]
