"""Thinning a frame stream to at most a given rate (live views: notebook widget, MJPEG)."""

from __future__ import annotations

import time

__all__ = ["RateLimiter"]


class RateLimiter:
    """Admits at most ``fps`` frames per second on average (``fps <= 0``: every frame).

    A frame that arrives a little early (jitter) still counts against the interval it
    belongs to instead of being dropped, so a 20 fps source thinned to 15 fps shows 15,
    not the 10 a plain "time since the last one" test would let through.
    """

    def __init__(self, fps: float) -> None:
        self.fps = fps
        self._next_at = 0.0

    def admit(self, now: float | None = None) -> bool:
        """Whether the frame arriving at ``now`` (``time.monotonic()``) is shown."""
        if self.fps <= 0:
            return True
        now = time.monotonic() if now is None else now
        if now < self._next_at:
            return False
        interval = 1.0 / self.fps
        self._next_at = max(self._next_at, now - interval) + interval
        return True
