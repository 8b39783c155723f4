"""MJPEG feeds: one output video track as ``multipart/x-mixed-replace`` JPEG parts.

A :class:`MjpegFeed` subscribes to its track (``on_frame``) only while at least one viewer is
attached, so a track nobody watches is not decoded; each frame is encoded once (PyAV's
``mjpeg`` encoder, in a worker thread, at most ``max_fps`` per second) and shared by every
viewer, and a slow viewer skips to the newest frame instead of queueing old ones.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import av

from ...media.images import JpegEncoder
from ...media.pacing import RateLimiter
from ...media.tracks import OutputTrack
from ...session.dispatch import Subscription

__all__ = ["BOUNDARY", "QUALITY", "MjpegFeed", "live_view_encoder", "part"]

BOUNDARY = "reactorframe"
"""The multipart boundary of every MJPEG response."""
HISTORY = 1024
"""Frame arrival times kept by a feed (for measuring latency)."""
QUALITY = 5
"""The feeds' fixed JPEG ``qscale`` (PyAV's default, 2, makes large parts for a live view)."""


def live_view_encoder() -> JpegEncoder:
    """A feed's encoder: :class:`~reactor_client.media.images.JpegEncoder` at :data:`QUALITY`."""
    return JpegEncoder(QUALITY)


def part(jpeg: bytes, seq: int = 0) -> bytes:
    """One ``multipart/x-mixed-replace`` part carrying ``jpeg`` (``X-Frame-Seq``: the feed's
    frame number, for measuring)."""
    head = (
        f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n"
        f"X-Frame-Seq: {seq}\r\n\r\n"
    ).encode("ascii")
    return head + jpeg + b"\r\n"


class MjpegFeed:
    """The JPEG stream of one output video track, shared by its viewers."""

    def __init__(
        self,
        track: OutputTrack[Any],
        *,
        max_fps: float = 30.0,
        encoder: Callable[[], JpegEncoder] = live_view_encoder,
    ) -> None:
        self.track = track
        self.max_fps = max_fps
        self.viewers = 0
        self.frames_encoded = 0
        self.frame_times: dict[int, float] = {}
        """Frame number -> ``time.monotonic()`` when its decoded frame arrived (the last
        :data:`HISTORY`)."""
        self.encode_seconds = 0.0
        """Thread CPU time spent encoding (``time.thread_time`` in the worker)."""
        self.latest: bytes | None = None
        self.latest_at = 0.0
        self._encoder = encoder()
        self._seq = 0
        self._changed = asyncio.Condition()
        self._sub: Subscription | None = None
        self._rate = RateLimiter(max_fps)

    # -- subscription -------------------------------------------------------------

    def _ensure_subscribed(self) -> None:
        if self.viewers > 0 and (self._sub is None or not self._sub.active):
            self._sub = self.track.on_frame(self._on_frame, maxsize=1)

    def refresh(self) -> None:
        """Subscribe again if viewers are waiting and the last subscription ended with its
        session (called when the client becomes ready)."""
        self._ensure_subscribed()

    def _attach(self) -> None:
        self.viewers += 1
        self._ensure_subscribed()

    def _detach(self) -> None:
        self.viewers -= 1
        if self.viewers <= 0 and self._sub is not None:
            self._sub.unsubscribe()
            self._sub = None

    def _encode(self, frame: av.VideoFrame) -> tuple[bytes, float]:
        start = time.thread_time()
        jpeg = self._encoder.encode(frame)
        return jpeg, time.thread_time() - start

    async def _on_frame(self, frame: av.VideoFrame) -> None:
        arrived = time.monotonic()
        if not self._rate.admit(arrived):
            return
        jpeg, cpu = await asyncio.to_thread(self._encode, frame)
        self.frames_encoded += 1
        self.encode_seconds += cpu
        async with self._changed:
            self.latest, self.latest_at = jpeg, time.monotonic()
            self._seq += 1
            self.frame_times[self._seq] = arrived
            self.frame_times.pop(self._seq - HISTORY, None)
            self._changed.notify_all()

    # -- viewers ------------------------------------------------------------------

    async def _next(self, after: int, timeout: float) -> int:
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: self._seq > after), timeout)
            except asyncio.TimeoutError:
                pass
            return self._seq

    async def stream(self, stopping: Callable[[], bool]) -> AsyncIterator[bytes]:
        """The parts for one viewer, the newest frame each time, until ``stopping()``."""
        self._attach()
        try:
            seen = 0
            if self.latest is not None:  # something to show at once
                seen = self._seq
                yield part(self.latest, seen)
            while not stopping():
                seq = await self._next(seen, 0.5)
                if seq > seen and self.latest is not None:
                    seen = seq
                    yield part(self.latest, seq)
        finally:
            self._detach()

    async def snapshot(self, timeout: float = 10.0) -> bytes | None:
        """One JPEG: a fresh frame (waiting up to ``timeout``), else the last one shown."""
        self._attach()
        try:
            await self._next(self._seq, timeout)
            return self.latest
        finally:
            self._detach()
