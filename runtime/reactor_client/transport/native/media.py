"""Media between ``reactor_webrtc`` and PyAV frames.

Output tracks: libwebrtc decodes every received frame itself and hands it to a callback on
one of its threads: video as BGRA bytes (``Track.on_video_frame``), audio as 10 ms of s16
PCM (``Track.on_audio_frame``). A :class:`VideoReceiver` / :class:`AudioReceiver` turns
them into a :class:`~reactor_client.media.pixels.PixelFrame` (BGRA pixels, made a
``av.VideoFrame`` only when a consumer reads frames rather than arrays, so a session that
reads ``ndarrays()`` never imports PyAV) / an ``av.AudioFrame`` (``s16``, 20 ms, as Opus
frames are) on that thread, only while the track's sink wants decoded frames, and hands them
(or, when nobody wants them, just the fact that one arrived) to the event loop.

Timestamps: the engine does not say a decoded frame's RTP timestamp, so video ``pts`` count
90 kHz ticks since the track's first frame arrived (arrival time), audio ``pts`` count
samples. Frame metadata arrives with the decoded frame and is put on ``frame.opaque`` as a
:class:`~reactor_client.media.metadata.FrameMetadata`.

Input tracks: :func:`pump` reads a source's frames (``await source.recv()``, the interface
of the client's pushed-frame and media-file sources) on the event loop and pushes them into
the engine's local track (BGRA video; 48 kHz mono s16 audio).
"""

from __future__ import annotations

import fractions
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import numpy

from ...kinds import AUDIO, CLOCK_RATE, VIDEO, is_video
from ...media.metadata import FrameMetadata
from ...media.pixels import PixelFrame
from .handoff import LoopHandoff

if TYPE_CHECKING:
    import av

log = logging.getLogger("reactor_client")

VIDEO_CLOCK = CLOCK_RATE[VIDEO]
AUDIO_RATE = CLOCK_RATE[AUDIO]
VIDEO_TIME_BASE = fractions.Fraction(1, VIDEO_CLOCK)
AUDIO_FRAME_SECONDS = 0.020

#: ``deliver(frame_or_None)`` on the event loop.
Deliver = Callable[[Any], None]


class WantsDecoded(Protocol):
    @property
    def wants_decoded(self) -> bool: ...


def frame_metadata(meta: Any) -> FrameMetadata | None:
    """The engine's ``FrameMetadata`` as the client's (None stays None)."""
    if meta is None:
        return None
    return FrameMetadata(int(meta.frame_id), int(meta.capture_time_us), bytes(meta.user_data))


def audio_frame(pcm: bytes, sample_rate: int, channels: int, pts: int) -> av.AudioFrame:
    """An ``av.AudioFrame`` (packed ``s16``) of interleaved PCM. (PyAV is imported here, on
    the engine's audio thread, the first time a decoded audio frame is wanted.)"""
    import av

    samples = numpy.frombuffer(pcm, dtype=numpy.int16).reshape(1, -1)
    layout: Any = {1: "mono", 2: "stereo"}.get(channels, channels)
    frame = av.AudioFrame.from_ndarray(samples, format="s16", layout=layout)
    frame.sample_rate = sample_rate
    frame.pts = pts
    frame.time_base = fractions.Fraction(1, sample_rate)
    return frame


class VideoReceiver:
    """The engine's decoded-video callback for one output track (runs on an engine thread)."""

    def __init__(self, sink: WantsDecoded, handoff: LoopHandoff, deliver: Deliver) -> None:
        self.sink = sink
        self.handoff = handoff
        self.deliver = deliver
        self._first: float | None = None
        self.frames = 0
        self.converted = 0

    def __call__(self, bgra: bytes, width: int, height: int, meta: Any = None) -> None:
        try:
            if self.handoff.closed:
                return
            now = time.monotonic()
            if self._first is None:
                self._first = now
            self.frames += 1
            frame: PixelFrame | None = None
            if self.sink.wants_decoded:  # wrap only what someone reads
                frame = PixelFrame(
                    bgra,
                    width,
                    height,
                    pts=int((now - self._first) * VIDEO_CLOCK),
                    time_base=VIDEO_TIME_BASE,
                    opaque=frame_metadata(meta),
                )
                self.converted += 1
            self.handoff.post(self.deliver, frame)
        except BaseException:  # noqa: BLE001 - nothing may escape into the engine's thread
            pass


class AudioReceiver:
    """The engine's decoded-audio callback for one output track (runs on an engine thread):
    10 ms chunks are joined into 20 ms frames."""

    def __init__(self, sink: WantsDecoded, handoff: LoopHandoff, deliver: Deliver) -> None:
        self.sink = sink
        self.handoff = handoff
        self.deliver = deliver
        self._parts: list[bytes] = []
        self._samples = 0  # per channel, in _parts
        self._format: tuple[int, int] | None = None  # (sample_rate, channels) of _parts
        self._pts = 0
        self.frames = 0

    def __call__(self, pcm: bytes, sample_rate: int, channels: int, samples: int) -> None:
        try:
            if self.handoff.closed:
                return
            if self._format is not None and self._format != (sample_rate, channels):
                self._flush()
            self._format = (sample_rate, channels)
            self._parts.append(bytes(pcm))
            self._samples += samples
            if self._samples >= int(sample_rate * AUDIO_FRAME_SECONDS):
                self._flush()
        except BaseException:  # noqa: BLE001 - nothing may escape into the engine's thread
            pass

    def _flush(self) -> None:
        if not self._parts or self._format is None:
            return
        rate, channels = self._format
        frame: av.AudioFrame | None = None
        if self.sink.wants_decoded:
            frame = audio_frame(b"".join(self._parts), rate, channels, self._pts)
        self._pts += self._samples
        self._parts, self._samples = [], 0
        self.frames += 1
        self.handoff.post(self.deliver, frame)


class InputSink(Protocol):
    """Where :func:`pump` puts an input track's media (the engine's local track, looked up on
    each push so that the pump never holds an engine object itself)."""

    def push_video(self, bgra: bytes, width: int, height: int, user_data: bytes | None) -> None: ...

    def push_audio(self, pcm: bytes, sample_rate: int, channels: int) -> None: ...


async def pump(kind: str, source: Any, sink: InputSink) -> None:
    """Push ``source``'s frames into an input track until the source ends.

    ``source`` is anything with ``async recv()`` returning ``av.VideoFrame`` /
    ``av.AudioFrame`` (the client's pushed-frame tracks, a media file's tracks). Video goes
    in as BGRA (a frame's ``opaque`` bytes, ``push_frame(user_data=...)``, ride along as its
    metadata trailer when the runtime agreed to frame metadata); audio as 48 kHz mono s16.
    """
    import av  # the source's frames are PyAV frames: it is imported already

    resampler = None if is_video(kind) else av.AudioResampler("s16", "mono", AUDIO_RATE)
    while True:
        try:
            frame = await source.recv()
        except Exception as exc:  # noqa: BLE001 - the source ended (aiortc's MediaStreamError) or failed
            log.debug("input source ended: %r", exc)
            return
        if resampler is None:
            pixels = frame.to_ndarray(format="bgra")
            height, width = pixels.shape[:2]
            user_data = frame.opaque if isinstance(frame.opaque, bytes) else None
            sink.push_video(pixels.tobytes(), width, height, user_data)
            continue
        for out in resampler.resample(frame):
            sink.push_audio(out.to_ndarray().tobytes(), AUDIO_RATE, 1)


__all__ = ["AudioReceiver", "VideoReceiver", "audio_frame", "frame_metadata", "pump"]
