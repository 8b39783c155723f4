"""The native transport: one ``reactor_webrtc`` (libwebrtc) peer connection to the runtime.

Same wire as the aiortc transport (transceivers in ``capabilities.tracks`` order, channels
``control`` then ``data``, ``track_mapping`` by mid), with libwebrtc doing the work:

* **signaling**: the offer is POSTed as soon as it exists and local candidates are trickled
  (``POST …/ice_candidates``, batched for 25 ms, ``is_final`` when gathering completes)
  while the answer is polled; the runtime's answer carries its own candidates.
* **data channels**: chunking (``x-reactor-dc-chunking``, messages up to 64 MiB) is done by
  the engine, so ``send`` hands whole messages over and ``on_message`` gets whole ones.
* **output tracks**: libwebrtc decodes; see :mod:`.media` (frames reach the track's sink
  through ``MediaSink.on_engine_frame``, converted only while someone reads them).
* **input tracks**: an engine track per input transceiver, attached before the offer; a
  published source is pumped into it (:func:`.media.pump`).
* **threads**: every engine callback is handed to the event loop (:mod:`.handoff`); the
  callbacks hold the transport only weakly. ``close()`` drops the hand-off first (nothing is
  delivered afterwards), releases the peer connection off the event loop, and returns the
  engine lease (:mod:`.engine`: the last one stops libwebrtc).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import reactor_webrtc as rw

from ... import chunking
from ...errors import DisconnectedError, TransportError
from ...kinds import is_video
from ...media.metadata import answer_has_metadata
from .. import gate
from ..base import (
    DEFAULT_MAX_MESSAGE_SIZE,
    RtpCounters,
    TransportEvents,
    TransportSetup,
    WebRtcSignaling,
)
from . import NATIVE_INFO, engine
from .callbacks import _EngineCallbacks, _Input, _kind, state_name  # noqa: F401
from .handoff import LoopHandoff, guarded
from .media import pump
from .teardown import _drop, _release_off_loop, _track_for_exit

log = logging.getLogger("reactor_client")

CHANNELS = ("control", "data")
TRICKLE_BATCH = 0.025  # seconds of candidates per POST (what the JS SDK does)
ACTIVITY_POLL = 0.5  # seconds between looks at a chunked channel's arriving frames


class NativeTransport:
    """One reactor_webrtc peer connection to the runtime (a re-offer builds a new one)."""

    info = NATIVE_INFO

    def __init__(self, setup: TransportSetup, events: TransportEvents) -> None:
        self.setup = setup
        self.events = events
        self.tracks = setup.tracks
        self._loop = asyncio.get_running_loop()
        self._handoff = LoopHandoff(self._loop)
        self._closed = False
        self._lost_reported = False
        self._state = "new"
        self.chunking = False  # negotiated: the answer mirrored the chunking line
        self.frame_metadata = False  # negotiated: the answer mirrored it and the gate opened
        self._rtt: float | None = None
        self._connected = asyncio.Event()
        self._failed = asyncio.Event()
        self._opened = {label: asyncio.Event() for label in CHANNELS}
        self._candidates: list[dict[str, Any]] = []
        self._candidate_ready = asyncio.Event()
        self._gathered = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._pumps: dict[str, asyncio.Task[None]] = {}
        self._codecs: dict[str, str] = {}
        self._learning: asyncio.Task[None] | None = None

        factory, self._release_engine = engine.acquire(
            engine.EngineSettings(immediate_playout=setup.early_frame_release)
        )
        _track_for_exit(self)
        try:
            self._callbacks = cb = _EngineCallbacks(self, self._handoff)
            observer = rw.PeerConnectionObserver()
            observer.on_connection_state_change = guarded(cb.on_state)
            observer.on_ice_candidate = guarded(cb.on_candidate)
            observer.on_ice_gathering_change = guarded(cb.on_gathering)
            observer.on_track = guarded(cb.on_track)
            config = engine.configuration(
                setup.ice_servers,
                frame_metadata=setup.frame_metadata,
                dc_chunking=setup.dc_chunking,
            )
            self.pc: rw.PeerConnection | None = factory.create_peer_connection(config, observer)
            self.channels: dict[str, rw.DataChannel] = {}
            for label in CHANNELS:
                ch = self.pc.create_data_channel(label)
                ch.on_message(cb.channel_message(label))
                ch.on_open(cb.channel_open(label))
                ch.on_close(cb.channel_close(label))
                self.channels[label] = ch
            self.transceivers: dict[str, rw.Transceiver] = {}
            self.local_tracks: dict[str, rw.Track] = {}
            for spec in self.tracks:
                direction = (
                    rw.TransceiverDirection.RecvOnly
                    if spec.is_output
                    else rw.TransceiverDirection.SendOnly
                )
                self.transceivers[spec.name] = self.pc.add_transceiver(_kind(spec.kind), direction)
                if spec.is_input:
                    self.local_tracks[spec.name] = (
                        factory.create_video_track(spec.name)
                        if is_video(spec.kind)
                        else factory.create_audio_track_with_local_source(spec.name)
                    )
        except BaseException:
            self._closed = True
            self._handoff.close()
            self.pc = None
            self._release_engine(False)  # whatever was made may still be referenced: pin
            raise

    # ------------------------------------------------------------------ engine events (loop)
    def _on_state(self, state: str) -> None:
        self._state = state
        if state == "connected":
            self._connected.set()
        elif state in ("failed", "closed"):
            self._failed.set()
            self._lost(f"peer connection {state}")

    def _on_candidate(self, entry: dict[str, Any]) -> None:
        self._candidates.append(entry)
        self._candidate_ready.set()

    def _on_gathered(self) -> None:
        self._gathered = True
        self._candidate_ready.set()

    def _on_channel_open(self, label: str) -> None:
        self._opened[label].set()

    def _on_message(self, label: str, frame: str | bytes) -> None:
        if not self._closed:
            self.events.on_message(label, frame)  # type: ignore[arg-type]

    def _on_frame(self, name: str, frame: Any) -> None:
        if self._closed:
            return
        sink = self.setup.sinks.get(name)
        if sink is None:
            return
        codec = self._codecs.get(name)
        if codec is None and self._learning is None:
            self._learning = self._spawn(self._learn_codecs())
        sink.on_engine_frame(codec, frame)

    def _lost(self, reason: str) -> None:
        if not self._closed and not self._lost_reported:
            self._lost_reported = True
            self.events.on_lost(reason)

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # ------------------------------------------------------------------ negotiation
    # No local name below holds an engine object: a traceback kept by an error (reported to
    # the application, kept by a test report) would keep it alive past close() (see _drop).
    def _live_pc(self) -> rw.PeerConnection:
        if self.pc is None:
            raise TransportError("the native transport is closed")
        return self.pc

    def _mid(self, track: str) -> str | None:
        return self.transceivers[track].mid() if track in self.transceivers else None

    async def create_offer(self) -> tuple[str, list[dict[str, str]]]:
        """Attach the input tracks, create the offer and set it; ``(sdp, track_mapping)``."""
        for name in list(self.local_tracks):
            await self.transceivers[name].set_track(self.local_tracks[name])
        offer = await self._live_pc().create_offer()
        await self._live_pc().set_local_description(offer)
        mapping = []
        for spec in self.tracks:
            mid = self._mid(spec.name)
            if mid is None:
                raise TransportError(f"no mid assigned to track {spec.name!r}")
            mapping.append(
                {"mid": mid, "name": spec.name, "kind": spec.kind, "direction": spec.direction}
            )
        return offer.sdp, mapping

    async def set_answer(self, sdp: str) -> None:
        await self._live_pc().set_remote_description(rw.SessionDescription("answer", sdp))
        self.frame_metadata = (
            self.setup.frame_metadata
            and answer_has_metadata(sdp)
            and self._live_pc().frame_metadata_gate().is_open()
        )
        self.chunking = self.setup.dc_chunking and chunking.answer_has_chunking(sdp)

    async def connect(
        self, signaling: WebRtcSignaling, connection_id: int, *, reoffer: bool, timeout: float
    ) -> int:
        sdp, mapping = await self.create_offer()
        cid = await signaling.offer(connection_id, sdp, mapping, reoffer=reoffer)
        self._spawn(self._trickle(signaling, cid))
        answer, cid = await signaling.answer(cid)
        await self.set_answer(answer)
        await self.wait_ready(timeout)
        if self.chunking:
            self._spawn(self._watch_chunks())
        return cid

    async def _watch_chunks(self) -> None:
        """The engine reassembles chunked messages and hands over whole ones only, so a long
        inbound message (a stepped result of tens of MB) shows no sign of life for seconds:
        count its arriving frames instead and report them as activity (the keepalive then
        does not probe a transport that is busy delivering)."""
        seen = 0
        while not self._closed:
            await asyncio.sleep(ACTIVITY_POLL)
            frames = 0
            for label in list(self.channels):
                stats = self.channels[label].chunking_stats() if label in self.channels else None
                frames += stats.frames_received if stats is not None else 0
            if frames > seen and not self._closed:
                self.events.on_activity()
            seen = frames

    async def _trickle(self, signaling: WebRtcSignaling, connection_id: int) -> None:
        """POST local candidates as they are gathered (25 ms batches), then ``is_final``.
        Best effort: the runtime also learns our address from the connectivity checks."""
        while not self._closed:
            await self._candidate_ready.wait()
            await asyncio.sleep(TRICKLE_BATCH)
            self._candidate_ready.clear()
            batch, self._candidates = self._candidates, []
            final = self._gathered
            if batch or final:
                try:
                    await signaling.ice_candidates(connection_id, batch, is_final=final)
                except Exception as exc:  # noqa: BLE001
                    log.debug("trickling %d ICE candidates failed: %s", len(batch), exc)
            if final:
                return

    async def wait_ready(self, timeout: float) -> None:
        """The ready gate: peer connected AND both channels open (TransportError otherwise)."""
        if not await gate.ready(self._connected, self._opened.values(), self._failed, timeout):
            raise TransportError(f"transport not ready within {timeout} s (peer {self._state})")

    async def _learn_codecs(self) -> None:
        """The codec of each output track (the engine names it only in its statistics)."""
        outputs = {s.name for s in self.tracks if s.is_output}
        for _ in range(10):
            await asyncio.sleep(0.2)
            await self._stats()
            if outputs <= self._codecs.keys():
                return

    async def _stats(self) -> rw.StatsReport | None:
        if self.pc is None:
            return None
        report = await self.pc.get_stats()
        mids = {self._mid(name): name for name in self.transceivers}
        for inbound in report.inbound_rtp:
            name = mids.get(inbound.mid)
            if name is not None and inbound.codec_mime_type:
                self._codecs[name] = inbound.codec_mime_type.split("/", 1)[-1]
        # the selected pair's RTT; on loopback it is below libwebrtc's resolution and reads 0.0,
        # which is still a measurement once the pair is writable (its checks were answered)
        rtt = [
            p.current_round_trip_time_s
            for p in report.candidate_pairs
            if p.nominated and (p.writable or p.current_round_trip_time_s > 0)
        ]
        if rtt and rtt[0] >= 0:
            self._rtt = rtt[0]
        elif report.sctp is not None and report.sctp.smoothed_rtt_ms > 0:
            self._rtt = report.sctp.smoothed_rtt_ms / 1000.0
        return report

    # ------------------------------------------------------------------ state
    @property
    def rtt_seconds(self) -> float | None:
        """Round-trip time of the selected ICE pair (else the SCTP association's), as of the
        last statistics (``get_stats()``)."""
        return self._rtt

    @property
    def state(self) -> str:
        return self._state

    @property
    def max_message_size(self) -> int:
        return chunking.MAX_MESSAGE if self.chunking else DEFAULT_MAX_MESSAGE_SIZE

    @property
    def sending(self) -> bool:
        return any(ch.buffered_amount() > 0 for ch in self.channels.values())

    # ------------------------------------------------------------------ outbound
    def _channel_state(self, channel: str) -> str:
        if self._closed or channel not in self.channels:
            return "closed"
        return str(self.channels[channel].state()).rsplit(".", 1)[-1].lower()

    def send(self, channel: str, frame: str | bytes) -> None:
        state = self._channel_state(channel)
        if state != "open":
            error = TransportError if state == "connecting" else DisconnectedError
            raise error(f"{channel} channel is {state}")
        data, binary = (frame.encode("utf-8"), False) if isinstance(frame, str) else (frame, True)
        try:
            self.channels[channel].send(bytes(data), binary)
        except rw.DataChannelQueueFull as exc:
            raise TransportError(f"{channel} channel: send queue full ({exc})") from None
        except rw.DataChannelMessageTooLarge as exc:
            raise TransportError(f"{channel} channel: message too large ({exc})") from None

    def request_keyframe(self, track: str) -> None:
        """Nothing to do: libwebrtc decodes every frame and asks for key frames itself."""

    def set_input(self, track: str, source: Any) -> None:
        old = self._pumps.pop(track, None)
        if old is not None:
            old.cancel()
        if source is None:
            return
        if track not in self.local_tracks:
            raise TransportError(f"no input track {track!r} (known: {sorted(self.local_tracks)})")
        spec = next(t for t in self.tracks if t.name == track)
        self._pumps[track] = self._spawn(pump(spec.kind, source, _Input(self, track)))

    async def rtp_counters(self, track: str) -> RtpCounters:
        mid = self._mid(track)
        if mid is None:
            return RtpCounters()
        report = await self._stats()
        for inbound in report.inbound_rtp if report is not None else ():
            if inbound.mid == mid:
                return RtpCounters(
                    inbound.packets_received,
                    max(0, inbound.packets_lost),
                    inbound.jitter_s * 1000.0,
                    inbound.bytes_received,
                )
        return RtpCounters()

    # ------------------------------------------------------------------ teardown
    def _take_engine_objects(self) -> list[Any]:
        """Every engine object this transport holds, handed over (the transport keeps none)."""
        held: list[Any] = [self.pc]
        held += self.channels.values()
        held += self.transceivers.values()
        held += self.local_tracks.values()
        with self._callbacks.lock:
            self._callbacks.taken = True
            held += self._callbacks.remote_tracks.values()
            self._callbacks.remote_tracks.clear()
        self.pc = None
        self.channels = {}
        self.transceivers = {}
        self.local_tracks = {}
        return held

    def _close_at_exit(self) -> None:
        """The interpreter is exiting with this transport open (no ``disconnect()``): drop the
        engine objects now, in order, while Python can still run the engine's last callbacks."""
        if self._closed:
            return
        self._closed = True
        self._handoff.close()
        self._release_engine(_drop(self._take_engine_objects()))

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._handoff.close()  # nothing the engine reports reaches the session any more
        tasks = list(self._tasks) + list(self._pumps.values())
        for task in tasks:
            task.cancel()
        self._pumps.clear()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        held = self._take_engine_objects()
        await _release_off_loop(held, self._release_engine)


class NativeTransportFactory:
    """Builds :class:`NativeTransport` s (``transport="native"``)."""

    info = NATIVE_INFO

    def session_signaling(self, model_name: str, url: str) -> None:
        return None

    def create(self, setup: TransportSetup, events: TransportEvents) -> NativeTransport:
        return NativeTransport(setup, events)


__all__ = ["NativeTransport", "NativeTransportFactory", "state_name"]
