"""``ConnectionStats``: what ``ReactorClient.get_stats()`` reports.

Counters come from aiortc's ``getStats()`` (packets, loss, jitter) and from the tracks'
own counters (frames received and decoded, bytes); rates (``fps``, ``bitrate_kbps``) are
derived between two calls (the first call measures since the track was connected).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiortc import RTCRtpReceiver

    from .media.tracks import OutputTrack


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
        receivers: Mapping[str, RTCRtpReceiver],
        *,
        rtt_seconds: float | None,
        connection_state: str,
    ) -> ConnectionStats:
        now = time.monotonic()
        tracks: dict[str, TrackStats] = {}
        for name, track in outputs.items():
            packets_received = packets_lost = 0
            jitter_ms = 0.0
            receiver = receivers.get(name)
            if receiver is not None:
                report = await receiver.getStats()
                for stat in report.values():
                    if getattr(stat, "type", "") == "inbound-rtp":
                        packets_received += int(stat.packetsReceived)
                        packets_lost += max(0, int(stat.packetsLost))
                        clock = 90_000 if track.kind == "video" else 48_000
                        jitter_ms = max(jitter_ms, float(stat.jitter) / clock * 1000.0)
            prev = self._previous.get(name)
            if prev is None:
                prev = _Sample(now, track.frames_received, track.bytes_received)
            elapsed = max(now - prev.at, 1e-6)
            fps = (track.frames_received - prev.frames) / elapsed
            kbps = (track.bytes_received - prev.bytes) * 8 / 1000.0 / elapsed
            self._previous[name] = _Sample(now, track.frames_received, track.bytes_received)
            tracks[name] = TrackStats(
                name=name,
                kind=track.kind,
                fps=round(fps, 2),
                bitrate_kbps=round(kbps, 1),
                packets_received=packets_received,
                packets_lost=packets_lost,
                jitter_ms=round(jitter_ms, 2),
                frames_received=track.frames_received,
                frames_decoded=track.frames_decoded,
                frames_dropped=track.decode_errors + track._fanout.dropped,
            )
        rtt = None if rtt_seconds is None else round(rtt_seconds * 1000.0, 2)
        return ConnectionStats(
            rtt_ms=rtt, connection_state=connection_state, tracks=tracks, timestamp=time.time()
        )


__all__ = ["ConnectionStats", "TrackStats", "StatsCollector"]
