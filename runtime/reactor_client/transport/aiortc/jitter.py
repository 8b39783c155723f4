"""Early frame release: a video jitter buffer that completes a frame on its marker bit.

aiortc's ``JitterBuffer`` hands a video frame to the decoder only when the first packet of the
*next* frame arrives (a timestamp change); the RTP marker bit that ends a frame is ignored, so
every frame waits one frame interval (33 ms at 30 fps) before decoding.
:class:`EarlyReleaseJitterBuffer` releases a frame as soon as the packet carrying the marker
bit arrives **and** every packet from the buffer's origin (the first packet after the previous
frame) up to it is present with the same timestamp. On loss (a gap before the marker, a lost
marker packet) or reordering it falls back to aiortc's timestamp rule unchanged.

Installed per receiver by :func:`install` (video receivers only; audio keeps aiortc's buffer).
"""

from __future__ import annotations

from typing import Any

from aiortc.jitterbuffer import JitterBuffer, JitterFrame
from aiortc.rtcrtpreceiver import RTCRtpReceiver

from ...errors import TransportError

_BUFFER_ATTR = "_RTCRtpReceiver__jitter_buffer"
VIDEO_CAPACITY = 512  # what aiortc uses for video


class EarlyReleaseJitterBuffer(JitterBuffer):
    """aiortc's video jitter buffer plus marker-bit release (see the module docstring)."""

    def __init__(self, capacity: int = VIDEO_CAPACITY) -> None:
        super().__init__(capacity=capacity, is_video=True)
        self.early_releases = 0

    def _remove_frame(self, sequence_number: int) -> JitterFrame | None:
        frame: JitterFrame | None = super()._remove_frame(sequence_number)  # the timestamp rule
        if frame is not None:
            return frame
        return self._release_marked()

    def _release_marked(self) -> JitterFrame | None:
        if self._origin is None:
            return None
        packets: list[Any] = []
        timestamp: int | None = None
        for count in range(self.capacity):
            packet = self._packets[(self._origin + count) % self.capacity]
            if packet is None:
                return None  # a gap: wait (loss or reordering)
            if timestamp is None:
                timestamp = packet.timestamp
            elif packet.timestamp != timestamp:
                return None  # the timestamp rule's case
            packets.append(packet)
            if packet.marker:
                self.remove(count + 1)
                self.early_releases += 1
                return JitterFrame(data=b"".join(p._data for p in packets), timestamp=timestamp)
        return None


def install(receiver: RTCRtpReceiver) -> EarlyReleaseJitterBuffer:
    """Replace ``receiver``'s video jitter buffer (before any packet arrived)."""
    current = getattr(receiver, _BUFFER_ATTR, None)
    if not isinstance(current, JitterBuffer):
        raise TransportError(
            "this aiortc version has no jitter buffer to replace (reactor-client supports aiortc 1.14-1.16)"
        )
    buffer = EarlyReleaseJitterBuffer(current.capacity)
    setattr(receiver, _BUFFER_ATTR, buffer)
    return buffer


__all__ = ["EarlyReleaseJitterBuffer", "install"]
