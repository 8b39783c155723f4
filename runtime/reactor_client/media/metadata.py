"""Per-frame metadata: the ``RXMT`` trailer the runtime appends to encoded video frames.

When the offer carries the session-level SDP line :data:`SDP_ATTRIBUTE` and the runtime
mirrors it, every encoded video frame arrives as
``[encoded payload][FrameMetadata protobuf][u32 LE length]["RXMT"]``. The receiver tap
(:mod:`reactor_client.media.tap`) strips the trailer before aiortc's decoder sees the
frame; :func:`frame_metadata` reads it back from the decoded frame.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..sdp import has_session_line, with_session_line
from ..wire.pb import media_pb2

if TYPE_CHECKING:
    import av

SDP_ATTRIBUTE = "a=x-reactor-frame-metadata:1"
MAGIC = b"RXMT"
_TRAILER_TAIL = 8  # u32 length + magic


@dataclass(frozen=True)
class FrameMetadata:
    """What the model attached to one video frame.

    ``frame_id`` counts up by one per frame the runtime sent; ``capture_time_us`` is the
    sender's capture stamp (microseconds on the runtime's clock: compare stamps with each
    other, not with local time); ``user_data`` is what the model passed as
    ``TrackPayload(metadata=...)`` (a dict arrives as compact JSON bytes; empty if none).
    """

    frame_id: int
    capture_time_us: int
    user_data: bytes = b""

    def json(self) -> Any:
        """``user_data`` parsed as JSON (``None`` when empty); ``ValueError`` if it is not JSON."""
        if not self.user_data:
            return None
        return json.loads(self.user_data.decode("utf-8"))


def split_trailer(data: bytes) -> tuple[bytes, FrameMetadata | None]:
    """``(payload, metadata)`` of one encoded frame; a frame without a valid trailer is
    returned unchanged with ``None``."""
    if len(data) < _TRAILER_TAIL or data[-4:] != MAGIC:
        return data, None
    (length,) = struct.unpack_from("<I", data, len(data) - _TRAILER_TAIL)
    start = len(data) - _TRAILER_TAIL - length
    if start < 0:
        return data, None
    message = media_pb2.FrameMetadata()
    try:
        message.ParseFromString(data[start : len(data) - _TRAILER_TAIL])
    except Exception:  # noqa: BLE001 - a payload that merely ends in "RXMT"
        return data, None
    meta = FrameMetadata(message.frame_id, message.capture_time_us, bytes(message.user_data))
    return data[:start], meta


def append_trailer(payload: bytes, meta: FrameMetadata) -> bytes:
    """The inverse of :func:`split_trailer` (used by tests and by senders)."""
    body: bytes = media_pb2.FrameMetadata(
        frame_id=meta.frame_id, capture_time_us=meta.capture_time_us, user_data=meta.user_data
    ).SerializeToString()
    return payload + body + struct.pack("<I", len(body)) + MAGIC


def frame_metadata(frame: av.VideoFrame) -> FrameMetadata | None:
    """The metadata the model attached to ``frame`` (a frame from an output track), or
    ``None`` when the frame carried none (metadata not negotiated, or an audio frame).

    When a connection's frame queue runs dry, reactor-runtime's pacer re-sends the last frame,
    metadata included, under a new ``frame_id``: the same ``user_data`` can arrive twice."""
    meta = getattr(frame, "opaque", None)
    return meta if isinstance(meta, FrameMetadata) else None


def offer_with_metadata(sdp: str) -> str:
    """Insert :data:`SDP_ATTRIBUTE` at session level (before the first ``m=`` line)."""
    return with_session_line(sdp, SDP_ATTRIBUTE)


def answer_has_metadata(sdp: str) -> bool:
    """Whether the answer mirrored the frame-metadata line at session level."""
    return has_session_line(sdp, SDP_ATTRIBUTE)


__all__ = [
    "FrameMetadata",
    "frame_metadata",
    "split_trailer",
    "append_trailer",
    "offer_with_metadata",
    "answer_has_metadata",
    "SDP_ATTRIBUTE",
]
