"""What the engine calls on its own threads: the callbacks object of a native transport
(handed to the event loop through :class:`~.handoff.LoopHandoff`), and the pushing side of
an input track."""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import reactor_webrtc as rw

from ...kinds import AUDIO, VIDEO, is_video
from .handoff import LoopHandoff, guarded
from .media import AudioReceiver, VideoReceiver

if TYPE_CHECKING:
    from .peer import NativeTransport

log = logging.getLogger("reactor_client")


_STATES = (
    (rw.PeerConnectionState.New, "new"),
    (rw.PeerConnectionState.Connecting, "connecting"),
    (rw.PeerConnectionState.Connected, "connected"),
    (rw.PeerConnectionState.Disconnected, "disconnected"),
    (rw.PeerConnectionState.Failed, "failed"),
    (rw.PeerConnectionState.Closed, "closed"),
)


def state_name(state: rw.PeerConnectionState) -> str:
    for value, name in _STATES:
        if state == value:
            return name
    return "unknown"


def _kind(kind: str) -> rw.MediaKind:
    return rw.MediaKind.Video if is_video(kind) else rw.MediaKind.Audio


class _EngineCallbacks:
    """What the engine's callbacks hold: the hand-off and a weak reference to the transport
    (engine objects are opaque to the garbage collector, so nothing they hold may lead back
    to them). Runs on engine threads; every method only posts to the event loop, except
    ``on_track``, which must register the frame callback before the first frame."""

    def __init__(self, transport: NativeTransport, handoff: LoopHandoff) -> None:
        self._ref = weakref.ref(transport)
        self.handoff = handoff
        setup = transport.setup
        #: Output tracks by kind, in transceiver order: ``on_track`` fires in that order.
        self._outputs = {
            kind: [s.name for s in setup.tracks if s.is_output and s.kind == kind]
            for kind in (VIDEO, AUDIO)
        }
        self._seen = {VIDEO: 0, AUDIO: 0}
        self._sinks = dict(setup.sinks)
        #: The engine's remote tracks: a ``Track`` whose Python object is dropped loses its
        #: frame callback, so they are held here until ``close()`` takes them (under the lock:
        #: ``on_track`` runs on the engine's signaling thread).
        self.remote_tracks: dict[str, rw.Track] = {}
        self.lock = threading.Lock()
        self.taken = False
        self.receivers: dict[str, VideoReceiver | AudioReceiver] = {}

    def _call(self, method: str, *args: Any) -> None:
        transport = self._ref()
        if transport is not None:
            getattr(transport, method)(*args)

    def post(self, method: str, *args: Any) -> None:
        self.handoff.post(self._call, method, *args)

    # engine threads --------------------------------------------------------------
    def on_state(self, state: rw.PeerConnectionState) -> None:
        self.post("_on_state", state_name(state))

    def on_candidate(self, candidate: rw.IceCandidate) -> None:
        entry = {
            "candidate": candidate.candidate,
            "sdp_mid": candidate.sdp_mid,
            "sdp_mline_index": candidate.sdp_mline_index,
        }
        self.post("_on_candidate", entry)

    def on_gathering(self, state: rw.IceGatheringState) -> None:
        if state == rw.IceGatheringState.Complete:
            self.post("_on_gathered")

    def on_track(self, engine_kind: rw.MediaKind, track: rw.Track) -> None:
        if self.handoff.closed:
            return
        kind = VIDEO if engine_kind == rw.MediaKind.Video else AUDIO
        names = self._outputs[kind]
        index = self._seen[kind]
        self._seen[kind] = index + 1
        if index >= len(names):
            return  # not one of ours (the runtime sends what the mapping asked for)
        name = names[index]
        sink = self._sinks.get(name)
        if sink is None:
            return
        with self.lock:
            if self.taken:
                return
            self.remote_tracks[name] = track

        def deliver(frame: Any, _name: str = name) -> None:
            self._call("_on_frame", _name, frame)

        if kind == VIDEO:
            video = VideoReceiver(sink, self.handoff, deliver)
            self.receivers[name] = video
            track.on_video_frame(video)
        else:
            audio = AudioReceiver(sink, self.handoff, deliver)
            self.receivers[name] = audio
            track.on_audio_frame(audio)

    def channel_message(self, label: str) -> Callable[[bytes, bool], None]:
        def on_message(data: bytes, binary: bool) -> None:
            frame: str | bytes = data if binary else data.decode("utf-8", errors="replace")
            self.post("_on_message", label, frame)

        return guarded(on_message)

    def channel_open(self, label: str) -> Callable[[], None]:
        return guarded(lambda: self.post("_on_channel_open", label))

    def channel_close(self, label: str) -> Callable[[], None]:
        return guarded(lambda: self.post("_lost", f"{label} channel closed"))


class _Input:
    """An input track's engine track, looked up on every push (:class:`.media.InputSink`)."""

    def __init__(self, transport: NativeTransport, name: str) -> None:
        self._transport = transport
        self._name = name

    def push_video(self, bgra: bytes, width: int, height: int, user_data: bytes | None) -> None:
        tracks = self._transport.local_tracks
        if self._name in tracks:
            tracks[self._name].push_video_frame(bgra, width, height, user_data=user_data)

    def push_audio(self, pcm: bytes, sample_rate: int, channels: int) -> None:
        tracks = self._transport.local_tracks
        if self._name in tracks:
            tracks[self._name].push_pcm(pcm, sample_rate, channels)


__all__ = ["state_name"]
