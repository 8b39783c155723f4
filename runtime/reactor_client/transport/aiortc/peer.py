"""The aiortc transport: an ``RTCPeerConnection`` with transceivers in
``capabilities.tracks`` order, channels ``control`` then ``data``, offer/answer, the
encoded-frame tap and early-release jitter buffer per output track, and a reader per
output track that hands decoded frames to its sink."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError
from aiortc.rtcdatachannel import RTCDataChannel
from aiortc.rtcrtptransceiver import RTCRtpTransceiver

from ... import chunking
from ...errors import TransportError
from ...kinds import CLOCK_RATE, is_video
from ...media.metadata import answer_has_metadata, offer_with_metadata
from ...sdp import UnusableSection, sanitize_answer
from .. import gate
from ..base import (
    DEFAULT_MAX_MESSAGE_SIZE,
    RtpCounters,
    TransportCapabilities,
    TransportEvents,
    TransportInfo,
    TransportSetup,
    WebRtcSignaling,
)
from . import jitter, levers, tap

log = logging.getLogger("reactor_client")

CHANNELS = ("control", "data")

AIORTC_INFO = TransportInfo(
    "aiortc",
    TransportCapabilities(
        dc_chunking=True,
        frame_metadata=True,
        encoded_frames=True,
        input_tracks=True,
        rtp_stats=True,
    ),
)


def supported_codecs() -> dict[str, set[str]]:
    """The codec names aiortc sends and receives, per kind (``rtx`` included)."""
    from aiortc.codecs import CODECS

    return {kind: {c.mimeType.split("/", 1)[1] for c in codecs} for kind, codecs in CODECS.items()}


def _ice(servers: Sequence[Any]) -> list[RTCIceServer]:
    from ...signaling.transport import parse_ice_servers

    return parse_ice_servers(list(servers))


class AiortcTransport:
    """One aiortc peer connection to the runtime (a re-offer builds a new one)."""

    info = AIORTC_INFO

    def __init__(self, setup: TransportSetup, events: TransportEvents) -> None:
        self.setup = setup
        self.events = events
        self.tracks = setup.tracks
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=_ice(setup.ice_servers)))
        self._closed = False
        self._lost_reported = False
        self.chunking = False  # negotiated: the answer mirrored the chunking line
        self.frame_metadata = False  # negotiated: the answer mirrored the offer's line
        self._reassemblers: dict[str, chunking.Reassembler] = {}
        self.channels: dict[str, RTCDataChannel] = {}
        self._opened: dict[str, asyncio.Event] = {}
        for label in CHANNELS:
            ch = self.pc.createDataChannel(label)
            self.channels[label] = ch
            ev = asyncio.Event()
            self._opened[label] = ev
            ch.on("open", ev.set)
            ch.on("message", lambda frame, _label=label: self._on_message(_label, frame))
            ch.on("close", lambda _label=label: self._lost(f"{_label} channel closed"))
        levers.speed_up(self.pc.sctp)  # the association the channels created: faster bulk data
        self.transceivers: dict[str, RTCRtpTransceiver] = {}
        self.feeds: dict[str, tap.DecoderFeed] = {}
        self.jitter_buffers: dict[str, jitter.EarlyReleaseJitterBuffer] = {}
        self._readers: dict[str, asyncio.Task[None]] = {}
        for spec in self.tracks:
            transceiver = self.pc.addTransceiver(spec.kind, direction=spec.direction)
            self.transceivers[spec.name] = transceiver
            sink = setup.sinks.get(spec.name)
            if sink is not None and spec.is_output:
                self.feeds[spec.name] = tap.install(transceiver.receiver, sink.on_encoded)
            if setup.early_frame_release and spec.is_output and is_video(spec.kind):
                self.jitter_buffers[spec.name] = jitter.install(transceiver.receiver)
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
            if name is not None and name in setup.sinks and not self._closed:
                self._start_reader(name, track)

    # ------------------------------------------------------------------ inbound
    def _on_message(self, label: str, frame: str | bytes) -> None:
        """Deliver one inbound message; on a chunked connection, reassemble its frames first."""
        if self._closed:
            return
        if not self.chunking:
            self.events.on_message(label, frame)  # type: ignore[arg-type]
            return
        self.events.on_activity()  # a long message is arriving: the transport is alive
        reassembler = self._reassemblers.setdefault(label, chunking.Reassembler())
        try:
            message = reassembler.feed(frame)
        except chunking.ChunkingError as exc:
            self._lost(f"{label} channel: {exc}")
            return
        if message is not None:
            self.events.on_message(label, message)  # type: ignore[arg-type]

    def _start_reader(self, name: str, track: MediaStreamTrack) -> None:
        old = self._readers.pop(name, None)
        if old is not None:
            old.cancel()
        self._readers[name] = asyncio.ensure_future(self._read(name, track))

    async def _read(self, name: str, track: MediaStreamTrack) -> None:
        """Drain the decoder's output for ``name`` into its sink until the track ends."""
        sink = self.setup.sinks[name]
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a decoder hiccup must not stop the drain
                log.debug("decoder error on %s", name, exc_info=True)
                sink.on_decode_error()
                await asyncio.sleep(0.01)
                continue
            sink.on_decoded(frame)  # type: ignore[arg-type]

    def name_of(self, track: MediaStreamTrack) -> str | None:
        """The declared name of a received track (by transceiver identity)."""
        for name, tr in self.transceivers.items():
            if tr.receiver.track is track:
                return name
        return None

    def _lost(self, reason: str) -> None:
        if not self._closed and not self._lost_reported:
            self._lost_reported = True
            self.events.on_lost(reason)

    # ------------------------------------------------------------------ negotiation
    async def create_offer(self) -> tuple[str, list[dict[str, str]]]:
        """createOffer + setLocalDescription (gathers all candidates); returns ``(sdp, track_mapping)``."""
        offer = await self.pc.createOffer()
        await self.pc.setLocalDescription(offer)
        levers.tune_sockets(self.pc)  # the sockets exist once candidates are gathered
        mapping = []
        for spec in self.tracks:
            mid = self.transceivers[spec.name].mid
            if mid is None:
                raise TransportError(f"no mid assigned to track {spec.name!r}")
            mapping.append(
                {"mid": mid, "name": spec.name, "kind": spec.kind, "direction": spec.direction}
            )
        sdp = self.pc.localDescription.sdp
        if self.setup.frame_metadata:
            sdp = offer_with_metadata(sdp)  # aiortc ignores it; the runtime reads the text
        if self.setup.dc_chunking:
            sdp = chunking.offer_with_chunking(sdp)
        return sdp, mapping

    async def set_answer(self, sdp: str) -> None:
        """Apply the runtime's answer, kept to the codecs aiortc has (:func:`sanitize_answer`):
        payload types of others (H.265, AV1, ...) are dropped; a track answered only with
        codecs aiortc lacks is a ``TransportError`` (``UNSUPPORTED_CODEC``) naming them."""
        self.frame_metadata = self.setup.frame_metadata and answer_has_metadata(sdp)
        self.chunking = self.setup.dc_chunking and chunking.answer_has_chunking(sdp)
        sdp, removed, unusable = sanitize_answer(sdp, supported_codecs())
        if unusable:
            raise TransportError(
                "the runtime's SDP answer offers "
                + "; ".join(self._describe(u) for u in unusable)
                + ": this client (aiortc) has none of them ("
                + ", ".join(f"{k}: {', '.join(sorted(v))}" for k, v in supported_codecs().items())
                + "); the model must also offer one of those",
                code="UNSUPPORTED_CODEC",
            )
        if removed:
            log.info("SDP answer: dropped codecs aiortc does not have: %s", ", ".join(removed))
        try:
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))
        except Exception as exc:  # aiortc's OperationError/ValueError say little on their own
            raise TransportError(f"aiortc refused the runtime's SDP answer: {exc}") from exc
        levers.speed_up(self.pc.sctp)  # bundling may have given the association another DTLS

    def _describe(self, section: UnusableSection) -> str:
        name = next(
            (n for n, tr in self.transceivers.items() if tr.mid == section.mid), section.mid
        )
        codecs = ", ".join(section.codecs) or "no codec"
        return f"track {name!r} ({section.kind}) only {codecs}"

    async def connect(
        self, signaling: WebRtcSignaling, connection_id: int, *, reoffer: bool, timeout: float
    ) -> int:
        sdp, mapping = await self.create_offer()
        cid = await signaling.offer(connection_id, sdp, mapping, reoffer=reoffer)
        answer, cid = await signaling.answer(cid)
        await self.set_answer(answer)
        await self.wait_ready(timeout)
        levers.note_path(self.pc)  # burst SACKs only towards a runtime on this machine
        return cid

    async def wait_ready(self, timeout: float) -> None:
        """The ready gate: peer connected AND both channels open (TransportError otherwise)."""
        if not await gate.ready(self._connected, self._opened.values(), self._failed, timeout):
            state = self.pc.connectionState
            raise TransportError(f"transport not ready within {timeout} s (peer {state})")

    # ------------------------------------------------------------------ state
    def receiver(self, name: str) -> Any:
        """The ``RTCRtpReceiver`` of output track ``name``."""
        return self.transceivers[name].receiver

    @property
    def rtt_seconds(self) -> float | None:
        """Smoothed round-trip time of the SCTP association (the data-channel path)."""
        sctp = self.pc.sctp
        srtt = getattr(sctp, "_srtt", None) if sctp is not None else None
        return float(srtt) if srtt else None

    @property
    def state(self) -> str:
        return str(self.pc.connectionState)

    @property
    def max_message_size(self) -> int:
        if self.chunking:
            return chunking.MAX_MESSAGE
        sctp = self.pc.sctp
        size = getattr(sctp, "_remote_max_message_size", None) if sctp is not None else None
        return int(size) if size else DEFAULT_MAX_MESSAGE_SIZE

    @property
    def sending(self) -> bool:
        sctp = self.pc.sctp
        queued = bool(getattr(sctp, "_outbound_queue", None)) if sctp is not None else False
        return queued or any(ch.bufferedAmount > 0 for ch in self.channels.values())

    # ------------------------------------------------------------------ outbound
    def send(self, channel: str, frame: str | bytes) -> None:
        ch = self.channels[channel]
        if ch.readyState != "open":
            raise TransportError(f"{channel} channel is {ch.readyState}")
        if self.chunking:
            for part in chunking.frame_message(frame):
                ch.send(part)
            return
        ch.send(frame)

    def request_keyframe(self, track: str) -> None:
        transceiver = self.transceivers.get(track)
        if transceiver is not None:
            tap.request_keyframe(transceiver.receiver)

    def set_input(self, track: str, source: Any) -> None:
        self.transceivers[track].sender.replaceTrack(source)

    async def rtp_counters(self, track: str) -> RtpCounters:
        transceiver = self.transceivers.get(track)
        if transceiver is None:
            return RtpCounters()
        spec = next(t for t in self.tracks if t.name == track)
        received = lost = 0
        jitter_ms = 0.0
        report = await transceiver.receiver.getStats()
        for stat in report.values():
            if getattr(stat, "type", "") == "inbound-rtp":
                received += int(stat.packetsReceived)
                lost += max(0, int(stat.packetsLost))
                jitter_ms = max(jitter_ms, float(stat.jitter) / CLOCK_RATE[spec.kind] * 1000.0)
        return RtpCounters(received, lost, jitter_ms)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for reader in self._readers.values():
            reader.cancel()
        self._readers.clear()
        try:
            await asyncio.wait_for(self.pc.close(), 5.0)
        except Exception:  # noqa: BLE001 - best effort
            pass


class AiortcTransportFactory:
    """Builds :class:`AiortcTransport` s (the default engine)."""

    info = AIORTC_INFO

    def session_signaling(self, model_name: str, url: str) -> None:
        return None

    def create(self, setup: TransportSetup, events: TransportEvents) -> AiortcTransport:
        return AiortcTransport(setup, events)


__all__ = ["AiortcTransport", "AiortcTransportFactory", "AIORTC_INFO", "DEFAULT_MAX_MESSAGE_SIZE"]
