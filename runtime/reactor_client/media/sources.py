"""Media the client sends: frames pushed by the application, or a media file.

:class:`PushedVideoTrack` and :class:`PushedAudioTrack` are aiortc ``MediaStreamTrack``\\ s
fed from application code (``InputTrack.push_frame`` / ``push_audio``): they stamp
timestamps from a monotonic clock and pace delivery, so the application only hands over
pixels or samples.
"""

from __future__ import annotations

import asyncio
import fractions
import time
from pathlib import Path
from typing import Any

import av
import numpy
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from ..errors import ConfigurationError
from ..kinds import AUDIO, CLOCK_RATE, VIDEO, is_video

VIDEO_CLOCK = CLOCK_RATE[VIDEO]
AUDIO_RATE = CLOCK_RATE[AUDIO]
AUDIO_PTIME = 0.020  # 20 ms frames, what the Opus encoder takes


def to_video_frame(frame: numpy.ndarray | av.VideoFrame) -> av.VideoFrame:
    """An RGB ``(H, W, 3) uint8`` array (or a frame, returned as is) as an ``av.VideoFrame``."""
    if isinstance(frame, av.VideoFrame):
        return frame
    if not isinstance(frame, numpy.ndarray):
        raise ConfigurationError(
            f"push_frame() takes an RGB ndarray or an av.VideoFrame, not {type(frame).__name__}"
        )
    if frame.ndim != 3 or frame.shape[2] != 3:
        raise ConfigurationError(
            f"push_frame() needs an (H, W, 3) RGB array, got shape {frame.shape}"
        )
    if frame.dtype != numpy.uint8:
        raise ConfigurationError(f"push_frame() needs uint8 pixels, got {frame.dtype}")
    if frame.shape[0] % 2 or frame.shape[1] % 2:
        raise ConfigurationError(
            f"push_frame() needs even width and height (VP8/H.264), got {frame.shape[1]}x{frame.shape[0]}"
        )
    return av.VideoFrame.from_ndarray(numpy.ascontiguousarray(frame), format="rgb24")


class PushedVideoTrack(MediaStreamTrack):
    """Video from ``push()``: the newest pushed frame is sent, at most ``fps`` frames/s.

    Timestamps come from the time a frame is handed to the encoder (90 kHz clock), so a
    stream pushed irregularly still plays at the right speed.
    """

    kind = "video"

    def __init__(self, fps: float = 30.0) -> None:
        super().__init__()
        if fps <= 0:
            raise ConfigurationError("fps must be > 0")
        self.fps = fps
        self._latest: av.VideoFrame | None = None
        self._event = asyncio.Event()
        self._start: float | None = None
        self._next_at = 0.0
        self.frames_pushed = 0
        self.frames_sent = 0

    def push(self, frame: numpy.ndarray | av.VideoFrame, *, user_data: bytes | None = None) -> None:
        video = to_video_frame(frame)
        if user_data is not None:
            video.opaque = bytes(user_data)
        self._latest = video
        self.frames_pushed += 1
        self._event.set()

    async def recv(self) -> av.VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        while self._latest is None:
            self._event.clear()
            await self._event.wait()
            if self.readyState != "live":
                raise MediaStreamError
        now = time.monotonic()
        if self._start is None:
            self._start = self._next_at = now
        delay = self._next_at - now
        if delay > 0:
            await asyncio.sleep(delay)
            now = time.monotonic()
        self._next_at = max(self._next_at + 1.0 / self.fps, now)
        frame, self._latest = self._latest, None
        if frame is None:  # pragma: no cover - push() only ever replaces it
            return await self.recv()
        frame.pts = int((now - self._start) * VIDEO_CLOCK)
        frame.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        self.frames_sent += 1
        return frame

    def stop(self) -> None:
        super().stop()
        self._event.set()


class PushedAudioTrack(MediaStreamTrack):
    """Audio from ``push()``: 20 ms frames in real time, silence when nothing is queued."""

    kind = "audio"

    def __init__(self, max_seconds: float = 5.0) -> None:
        super().__init__()
        self._buffer = numpy.zeros(0, dtype=numpy.int16)
        self._max = int(max_seconds * AUDIO_RATE)
        self._start: float | None = None
        self._sent = 0  # samples

    def push(self, samples: numpy.ndarray, sample_rate: int = AUDIO_RATE) -> None:
        data = numpy.asarray(samples)
        is_float = data.dtype.kind == "f"  # decided before a down-mix turns ints into floats
        if data.ndim == 2:  # (channels, n): down-mix to mono
            data = data.astype(numpy.float64).mean(axis=0)
        if data.ndim != 1:
            raise ConfigurationError(
                f"push_audio() needs (n,) or (channels, n) samples, got shape {data.shape}"
            )
        if is_float:
            data = numpy.clip(data, -1.0, 1.0) * 32767
        if sample_rate != AUDIO_RATE:
            if sample_rate <= 0:
                raise ConfigurationError("sample_rate must be > 0")
            n = int(round(len(data) * AUDIO_RATE / sample_rate))
            data = numpy.interp(numpy.linspace(0, len(data) - 1, n), numpy.arange(len(data)), data)
        self._buffer = numpy.concatenate([self._buffer, data.astype(numpy.int16)])[-self._max :]

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        samples = int(AUDIO_RATE * AUDIO_PTIME)
        if self._start is None:
            self._start = time.monotonic()
        wait = self._start + self._sent / AUDIO_RATE - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        chunk, self._buffer = self._buffer[:samples], self._buffer[samples:]
        if len(chunk) < samples:
            chunk = numpy.concatenate([chunk, numpy.zeros(samples - len(chunk), dtype=numpy.int16)])
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = self._sent
        frame.time_base = fractions.Fraction(1, AUDIO_RATE)
        self._sent += samples
        return frame


def open_media_file(source: str | Path, kind: str, *, loop: bool) -> tuple[Any, MediaStreamTrack]:
    """An aiortc ``MediaPlayer`` for a file or URL and its ``kind`` track."""
    from aiortc.contrib.media import MediaPlayer

    if isinstance(source, Path) or "://" not in str(source):
        path = Path(source)
        if not path.is_file():
            raise ConfigurationError(f"media file not found: {path}")
        source = str(path)
    try:
        player = MediaPlayer(str(source), loop=loop)
    except Exception as exc:  # noqa: BLE001 - PyAV/FFmpeg errors: name the file
        raise ConfigurationError(f"cannot open media file {source}: {exc}") from exc
    track = player.video if is_video(kind) else player.audio
    if track is None:
        raise ConfigurationError(f"{source} has no {kind} stream")
    return player, track


__all__ = ["PushedVideoTrack", "PushedAudioTrack", "open_media_file", "to_video_frame"]
