"""``ConnectionStats``: what ``ReactorClient.get_stats()`` reports.

Counters come from the transport (packets, loss, jitter) and from the tracks'
own counters (frames received and decoded, bytes); rates (``fps``, ``bitrate_kbps``) are
derived between two calls (the first call measures since the track was connected).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .media.tracks import OutputTrack
    from .transport.base import RtpCounters


@dataclass(frozen=True)
class TrackStats:
    """Receive statistics of one output track."""

    name: str
    kind: str
    fps: float
    bitrate_kbps: float
    packets_received: int
    packets_lost: int
    jitter_ms: float
    frames_received: int
    frames_decoded: int
    frames_dropped: int


@dataclass(frozen=True)
class ConnectionStats:
    """A snapshot of the connection (``rtt_ms`` None until measured)."""

    rtt_ms: float | None
    connection_state: str
    tracks: dict[str, TrackStats] = field(default_factory=dict)
    timestamp: float = 0.0


@dataclass
class _Sample:
    at: float
    frames: int
    bytes: int


class StatsCollector:
    """Keeps the previous sample per track so rates cover the time between calls."""

    def __init__(self) -> None:
        self._previous: dict[str, _Sample] = {}

    def reset(self, outputs: Mapping[str, OutputTrack[Any]]) -> None:
        """A new connection: the next rates are measured from now."""
        now = time.monotonic()
        self._previous = {
            n: _Sample(now, t.frames_received, t.bytes_received) for n, t in outputs.items()
        }

    async def collect(
        self,
        outputs: Mapping[str, OutputTrack[Any]],
        counters: Callable[[str], Awaitable[RtpCounters]],
        *,
        rtt_seconds: float | None | Callable[[], float | None],
        connection_state: str,
    ) -> ConnectionStats:
        """One snapshot. ``rtt_seconds`` may be a callable, read after the counters (an engine
        that measures the round trip with its statistics updates it while they are read)."""
        now = time.monotonic()
        tracks: dict[str, TrackStats] = {}
        for name, track in outputs.items():
            rtp = await counters(name)
            # an engine that hides encoded frames from the track counts its bytes in RTP stats
            received = track.bytes_received or rtp.bytes_received
            prev = self._previous.get(name)
            if prev is None or prev.bytes > received:
                prev = _Sample(now, track.frames_received, received)
            elapsed = max(now - prev.at, 1e-6)
            fps = (track.frames_received - prev.frames) / elapsed
            kbps = (received - prev.bytes) * 8 / 1000.0 / elapsed
            self._previous[name] = _Sample(now, track.frames_received, received)
            tracks[name] = TrackStats(
                name=name,
                kind=track.kind,
                fps=round(fps, 2),
                bitrate_kbps=round(kbps, 1),
                packets_received=rtp.packets_received,
                packets_lost=rtp.packets_lost,
                jitter_ms=round(rtp.jitter_ms, 2),
                frames_received=track.frames_received,
                frames_decoded=track.frames_decoded,
                frames_dropped=track.frames_dropped,
            )
        if callable(rtt_seconds):
            rtt_seconds = rtt_seconds()
        rtt = None if rtt_seconds is None else round(rtt_seconds * 1000.0, 2)
        return ConnectionStats(
            rtt_ms=rtt, connection_state=connection_state, tracks=tracks, timestamp=time.time()
        )


__all__ = ["ConnectionStats", "TrackStats", "StatsCollector"]
