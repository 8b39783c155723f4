"""The transport seam: what a session needs from a WebRTC engine.

A :class:`TransportFactory` (one per engine: ``aiortc``, ``memory``, ...) builds one
:class:`Transport` per connection from a :class:`TransportSetup`. The transport runs the
offer/answer through the session's WebRTC signaling, carries the two data channels
(``control`` and ``data``), hands each output track's media to its :class:`MediaSink`,
sends input tracks, reports statistics and closes. Everything it reports back goes
through the setup's callbacks, on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..media.encoded import JitterFrameLike
from ..types import TrackSpec
from ..wire.base import Channel, Frame

if TYPE_CHECKING:
    import av

    from ..media.pixels import PixelFrame
    from ..signaling.session import SessionSignaling


#: The plain (unchunked) data-channel message limit of reactor-runtime (§5.6).
DEFAULT_MAX_MESSAGE_SIZE = 262144


@dataclass(frozen=True)
class TransportCapabilities:
    """What a transport can do (a session falls back, or says why not, where one is missing)."""

    dc_chunking: bool
    """Data-channel chunking (``x-reactor-dc-chunking``: messages up to 64 MiB)."""
    frame_metadata: bool
    """Per-frame metadata trailers on output video."""
    encoded_frames: bool
    """Output tracks see encoded frames (remuxed ``.webm`` recording without decoding,
    decoding only while someone reads)."""
    input_tracks: bool
    """Input tracks: publishing media and pushed frames."""
    rtp_stats: bool
    """Packet, loss and jitter counters in ``get_stats()``."""


@dataclass(frozen=True)
class TransportInfo:
    """Which transport runs and what it can do (``client.transport``)."""

    name: str
    capabilities: TransportCapabilities


@dataclass(frozen=True)
class RtpCounters:
    """Receive counters of one output track."""

    packets_received: int = 0
    packets_lost: int = 0
    jitter_ms: float = 0.0
    bytes_received: int = 0
    """RTP payload bytes, from an engine that does not show the track its encoded frames
    (the track's own byte count stays 0 there; statistics use this instead)."""


class MediaSink(Protocol):
    """Where a transport delivers one output track's media (an output track's feed)."""

    def on_encoded(self, codec: str, frame: JitterFrameLike) -> bool:
        """An encoded frame arrived; returns whether it should be decoded (the sink may
        strip a metadata trailer from ``frame.data`` first)."""
        ...

    def on_decoded(self, frame: av.VideoFrame | av.AudioFrame | PixelFrame) -> None:
        """A decoded frame (``pts`` in the codec clock, matching the encoded timestamp): a
        PyAV frame, or an engine's BGRA picture not yet made one (:class:`PixelFrame`)."""
        ...

    def on_decode_error(self) -> None:
        """The decoder failed on a frame."""
        ...

    @property
    def wants_decoded(self) -> bool:
        """Whether decoded frames are needed right now. An engine that decodes by itself
        (``encoded_frames=False``) reads it on its own threads, before converting a frame."""
        ...

    def on_engine_frame(
        self, codec: str | None, frame: av.VideoFrame | av.AudioFrame | PixelFrame | None
    ) -> None:
        """A frame an engine without encoded frames received and decoded by itself (on the
        event loop): counted like an encoded frame, and delivered like a decoded one;
        ``frame`` is None when it was not converted because nobody wanted it."""
        ...


class WebRtcSignaling(Protocol):
    """The session's WebRTC signaling routes (offer and answer)."""

    async def offer(
        self,
        connection_id: int,
        sdp: str,
        track_mapping: list[dict[str, str]],
        *,
        reoffer: bool = False,
    ) -> int: ...

    async def answer(self, connection_id: int) -> tuple[str, int]: ...

    async def ice_candidates(
        self, connection_id: int, candidates: Sequence[Mapping[str, Any]], *, is_final: bool
    ) -> None:
        """Trickle local ICE candidates (``candidate``, ``sdp_mid``, ``sdp_mline_index``);
        ``is_final``: gathering is complete."""
        ...


@dataclass(frozen=True)
class TransportEvents:
    """What a transport reports, on the event loop."""

    on_message: Callable[[Channel, Frame], None]
    """A complete data-channel message (reassembled when chunked)."""
    on_lost: Callable[[str], None]
    """The transport died (called at most once per transport, not after ``close()``)."""
    on_activity: Callable[[], None]
    """Something arrived (also part of a long chunked message): the transport is alive."""


@dataclass(frozen=True)
class TransportSetup:
    """Everything one connection's transport is built from."""

    tracks: tuple[TrackSpec, ...]
    ice_servers: Sequence[Any]
    sinks: Mapping[str, MediaSink]
    frame_metadata: bool = False
    early_frame_release: bool = True
    dc_chunking: bool = False


class Transport(Protocol):
    """One WebRTC connection to the runtime (a re-offer builds a new one)."""

    @property
    def info(self) -> TransportInfo: ...

    @property
    def chunking(self) -> bool:
        """Whether data-channel chunking was agreed."""
        ...

    @property
    def frame_metadata(self) -> bool:
        """Whether the runtime agreed to attach frame metadata."""
        ...

    @property
    def max_message_size(self) -> int: ...

    @property
    def sending(self) -> bool:
        """Whether data-channel messages are still queued for sending (a long upload)."""
        ...

    @property
    def state(self) -> str:
        """The connection state (``new``, ``connecting``, ``connected``, ``failed``, ``closed``)."""
        ...

    @property
    def rtt_seconds(self) -> float | None:
        """Round-trip time of the data-channel path, when measured."""
        ...

    async def connect(
        self, signaling: WebRtcSignaling, connection_id: int, *, reoffer: bool, timeout: float
    ) -> int:
        """Offer, answer, and wait until connected with both channels open; returns the
        connection id the runtime confirmed. ``TransportError`` on failure."""
        ...

    def send(self, channel: Channel, frame: Frame) -> None:
        """Send one message (chunked when agreed); ``TransportError`` if the channel is not open."""
        ...

    def request_keyframe(self, track: str) -> None:
        """Ask the sender of output track ``track`` for a key frame."""
        ...

    def set_input(self, track: str, source: Any) -> None:
        """Send ``source`` (the engine's media track, or None: nothing) on input track ``track``."""
        ...

    async def rtp_counters(self, track: str) -> RtpCounters:
        """Receive counters of output track ``track``."""
        ...

    async def close(self) -> None:
        """Close the connection (idempotent); no callback fires afterwards."""
        ...


class TransportFactory(Protocol):
    """Builds transports of one engine; pass one as ``transport=`` to inject it."""

    @property
    def info(self) -> TransportInfo: ...

    def session_signaling(self, model_name: str, url: str) -> SessionSignaling | None:
        """The session signaling to use instead of HTTP (an in-memory runtime), or None."""
        ...

    def create(self, setup: TransportSetup, events: TransportEvents) -> Transport:
        """A new, unconnected transport reporting through ``events``."""
        ...


__all__ = [
    "DEFAULT_MAX_MESSAGE_SIZE",
    "MediaSink",
    "RtpCounters",
    "Transport",
    "TransportCapabilities",
    "TransportEvents",
    "TransportFactory",
    "TransportInfo",
    "TransportSetup",
    "WebRtcSignaling",
]
