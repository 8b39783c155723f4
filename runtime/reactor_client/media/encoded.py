"""Encoded frames as a transport hands them to an output track (before decoding)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class JitterFrameLike(Protocol):
    """An encoded frame leaving a transport's jitter buffer (aiortc's ``JitterFrame``)."""

    data: bytes
    timestamp: int


@dataclass(frozen=True)
class EncodedFrame:
    """One encoded frame as received (after the metadata trailer was removed).

    ``timestamp`` is in the codec's clock (90 kHz video, 48 kHz audio), zero-based like the
    pts of the decoded frames; ``keyframe`` is known for VP8 (else ``None``).
    """

    codec: str
    data: bytes
    timestamp: int
    keyframe: bool | None


def vp8_keyframe(data: bytes) -> bool:
    """RFC 6386 §9.1: bit 0 of the frame tag is 0 on a key frame."""
    return len(data) >= 3 and (data[0] & 0x01) == 0


def vp8_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a VP8 key frame header (None for an inter frame)."""
    if not vp8_keyframe(data) or len(data) < 10 or data[3:6] != b"\x9d\x01\x2a":
        return None
    width = int.from_bytes(data[6:8], "little") & 0x3FFF
    height = int.from_bytes(data[8:10], "little") & 0x3FFF
    return width, height


__all__ = ["EncodedFrame", "JitterFrameLike", "vp8_keyframe", "vp8_size"]
