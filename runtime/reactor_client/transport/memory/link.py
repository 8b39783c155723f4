"""The in-memory transport, its factory and its session signaling (no HTTP, no RTP)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping
from typing import Any

import av

from ...errors import ConfigurationError, TransportError
from ...signaling.session import OpenedSession
from ...wire.base import Channel, Frame
from ..base import RtpCounters, TransportEvents, TransportSetup, WebRtcSignaling
from .runtime import MEMORY_INFO, MemoryRuntime, _RawFrame


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


__all__ = ["MemorySessionSignaling", "MemoryTransport", "MemoryTransportFactory"]
