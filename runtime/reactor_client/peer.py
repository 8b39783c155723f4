"""The aiortc ``RTCPeerConnection``: transceivers in ``capabilities.tracks`` order, channels
``control`` then ``data``, offer/answer, and track ↔ name by transceiver."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.rtcdatachannel import RTCDataChannel
from aiortc.rtcrtptransceiver import RTCRtpTransceiver

from . import chunking
from .errors import TransportError
from .media import jitter, tap
from .media.metadata import answer_has_metadata, offer_with_metadata
from .types import TrackSpec

DEFAULT_MAX_MESSAGE_SIZE = 262144
CHANNELS = ("control", "data")


class Peer:
    """One WebRTC peer connection to the runtime (a re-offer builds a new ``Peer``)."""

    def __init__(
        self,
        tracks: Sequence[TrackSpec],
        ice_servers: Sequence[RTCIceServer],
        *,
        on_frame: Callable[[str, str | bytes], None],
        on_track: Callable[[str, MediaStreamTrack], None],
        on_lost: Callable[[str], None],
        taps: Mapping[str, tap.FeedHandler] | None = None,
        frame_metadata: bool = False,
        early_frame_release: bool = True,
        dc_chunking: bool = True,
        on_activity: Callable[[], None] | None = None,
    ) -> None:
        self.tracks = tuple(tracks)
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=list(ice_servers)))
        self._on_lost = on_lost
        self._closed = False
        self.offer_chunking = dc_chunking
        self.chunking = False  # negotiated: the answer mirrored the chunking line
        self._reassemblers: dict[str, chunking.Reassembler] = {}
        self._on_activity = on_activity  # every inbound SCTP message, also a partial one
        self.channels: dict[str, RTCDataChannel] = {}
        self._opened: dict[str, asyncio.Event] = {}
        for label in CHANNELS:
            ch = self.pc.createDataChannel(label)
            self.channels[label] = ch
            ev = asyncio.Event()
            self._opened[label] = ev
            ch.on("open", ev.set)
            ch.on(
                "message",
                lambda frame, _label=label: self._on_message(on_frame, _label, frame),
            )
            ch.on("close", lambda _label=label: self._lost(f"{_label} channel closed"))
        self.transceivers: dict[str, RTCRtpTransceiver] = {}
        self.feeds: dict[str, tap.DecoderFeed] = {}
        self.jitter_buffers: dict[str, jitter.EarlyReleaseJitterBuffer] = {}
        for spec in self.tracks:
            transceiver = self.pc.addTransceiver(spec.kind, direction=spec.direction)
            self.transceivers[spec.name] = transceiver
            handler = (taps or {}).get(spec.name)
            if handler is not None and spec.direction == "recvonly":
                self.feeds[spec.name] = tap.install(transceiver.receiver, handler)
            if early_frame_release and spec.direction == "recvonly" and spec.kind == "video":
                self.jitter_buffers[spec.name] = jitter.install(transceiver.receiver)
        self.offer_frame_metadata = frame_metadata
        self.frame_metadata = False  # negotiated: the answer mirrored the offer's line
        self._connected = asyncio.Event()
        self._failed = asyncio.Event()

        @self.pc.on("connectionstatechange")
        def _state() -> None:
            state = self.pc.connectionState
            if state == "connected":
                self._connected.set()
            elif state in ("failed", "closed"):
                self._failed.set()
                self._lost(f"peer connection {state}")

        @self.pc.on("track")
        def _track(track: MediaStreamTrack) -> None:
            name = self.name_of(track)
            if name is not None:
                on_track(name, track)

    def _on_message(
        self, on_frame: Callable[[str, str | bytes], None], label: str, frame: str | bytes
    ) -> None:
        """Deliver one inbound message; on a chunked connection, reassemble its frames first."""
        if not self.chunking:
            on_frame(label, frame)
            return
        if self._on_activity is not None:
            self._on_activity()  # a long message is arriving: the transport is alive
        reassembler = self._reassemblers.setdefault(label, chunking.Reassembler())
        try:
            message = reassembler.feed(frame)
        except chunking.ChunkingError as exc:
            self._lost(f"{label} channel: {exc}")
            return
        if message is not None:
            on_frame(label, message)

    def name_of(self, track: MediaStreamTrack) -> str | None:
        """The declared name of a received track (by transceiver identity, then by mid)."""
        for name, tr in self.transceivers.items():
            if tr.receiver.track is track:
                return name
        return None

    def _lost(self, reason: str) -> None:
        if not self._closed:
            self._on_lost(reason)

    async def create_offer(self) -> tuple[str, list[dict[str, str]]]:
        """createOffer + setLocalDescription (gathers all candidates); returns ``(sdp, track_mapping)``."""
        offer = await self.pc.createOffer()
        await self.pc.setLocalDescription(offer)
        mapping = []
        for spec in self.tracks:
            mid = self.transceivers[spec.name].mid
            if mid is None:
                raise TransportError(f"no mid assigned to track {spec.name!r}")
            mapping.append(
                {"mid": mid, "name": spec.name, "kind": spec.kind, "direction": spec.direction}
            )
        sdp = self.pc.localDescription.sdp
        if self.offer_frame_metadata:
            sdp = offer_with_metadata(
                sdp
            )  # aiortc ignores it; the runtime reads the signalled text
        if self.offer_chunking:
            sdp = chunking.offer_with_chunking(sdp)
        return sdp, mapping

    async def set_answer(self, sdp: str) -> None:
        self.frame_metadata = self.offer_frame_metadata and answer_has_metadata(sdp)
        self.chunking = self.offer_chunking and chunking.answer_has_chunking(sdp)
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))

    def receiver(self, name: str) -> Any:
        """The ``RTCRtpReceiver`` of output track ``name``."""
        return self.transceivers[name].receiver

    @property
    def rtt_seconds(self) -> float | None:
        """Smoothed round-trip time of the SCTP association (the data-channel path)."""
        sctp = self.pc.sctp
        srtt = getattr(sctp, "_srtt", None) if sctp is not None else None
        return float(srtt) if srtt else None

    async def wait_ready(self, timeout: float) -> None:
        """The ready gate: peer connected AND both channels open (TransportError otherwise)."""

        async def gate() -> None:
            await self._connected.wait()
            for ev in self._opened.values():
                await ev.wait()

        gate_task = asyncio.ensure_future(gate())
        fail_task = asyncio.ensure_future(self._failed.wait())
        try:
            done, _ = await asyncio.wait(
                {gate_task, fail_task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            gate_task.cancel()
            fail_task.cancel()
        if gate_task not in done or not gate_task.done() or gate_task.cancelled():
            state = self.pc.connectionState
            raise TransportError(f"transport not ready within {timeout} s (peer {state})")

    @property
    def max_message_size(self) -> int:
        if self.chunking:
            return chunking.MAX_MESSAGE
        sctp = self.pc.sctp
        size = getattr(sctp, "_remote_max_message_size", None) if sctp is not None else None
        return int(size) if size else DEFAULT_MAX_MESSAGE_SIZE

    @property
    def sending(self) -> bool:
        """Whether data-channel messages are still queued for sending (a long upload)."""
        return any(ch.bufferedAmount > 0 for ch in self.channels.values())

    def is_open(self) -> bool:
        return not self._closed and all(ch.readyState == "open" for ch in self.channels.values())

    def send(self, channel: str, frame: str | bytes) -> None:
        ch = self.channels[channel]
        if ch.readyState != "open":
            raise TransportError(f"{channel} channel is {ch.readyState}")
        if self.chunking:
            for part in chunking.frame_message(frame):
                ch.send(part)
            return
        ch.send(frame)

    def replace_track(self, name: str, track: MediaStreamTrack | None) -> None:
        self.transceivers[name].sender.replaceTrack(track)

    def stats_hint(self) -> dict[str, Any]:
        return {
            "connection_state": self.pc.connectionState,
            "ice_state": self.pc.iceConnectionState,
        }

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            await asyncio.wait_for(self.pc.close(), 5.0)
        except Exception:  # noqa: BLE001 - best effort
            pass
