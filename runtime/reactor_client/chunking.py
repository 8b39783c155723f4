"""Data-channel chunking (``a=x-reactor-dc-chunking:1``): framing and reassembly.

When the client's offer carries :data:`SDP_ATTRIBUTE` at session level and the runtime's
answer mirrors it, every message on both data channels travels as one or more **binary**
SCTP messages ("frames"), each starting with a one-byte header:

* bit 0 (:data:`MORE`): more frames of this message follow;
* bit 1 (:data:`TEXT`): the reassembled message is UTF-8 text, otherwise binary;
* the other bits are 0.

A frame is at most :data:`MAX_FRAME` bytes, header included; a reassembled message is at most
:data:`MAX_MESSAGE` bytes (64 MiB). The framing was established by interop with
reactor-runtime 3.10.0 (``../shared/reference/stepped-generation.md``). Pure functions, no I/O.
"""

from __future__ import annotations

from .sdp import has_session_line, with_session_line

MAX_MESSAGE = 64 * 1024 * 1024
"""Largest reassembled message (bytes) either side takes on a chunked channel."""
MAX_FRAME = 65536
"""Largest SCTP message of a chunked channel, the header byte included."""
MAX_PAYLOAD = MAX_FRAME - 1
MORE = 0x01
TEXT = 0x02
SDP_ATTRIBUTE = f"a=x-reactor-dc-chunking:1 max-message-size={MAX_MESSAGE}"
_SDP_PREFIX = "a=x-reactor-dc-chunking:1"


class ChunkingError(ValueError):
    """An inbound frame breaks the framing (bad header, oversized message, bad UTF-8)."""


def offer_with_chunking(sdp: str) -> str:
    """Insert :data:`SDP_ATTRIBUTE` at session level (before the first ``m=`` line)."""
    return with_session_line(sdp, SDP_ATTRIBUTE, prefix=_SDP_PREFIX)


def answer_has_chunking(sdp: str) -> bool:
    """Whether the answer mirrored the chunking line at session level."""
    return has_session_line(sdp, _SDP_PREFIX)


def frame_message(message: str | bytes) -> list[bytes]:
    """Split one message into its frames (an empty message is one header-only frame)."""
    if isinstance(message, str):
        data = message.encode("utf-8")
        flag = TEXT
    else:
        data = bytes(message)
        flag = 0
    if len(data) > MAX_MESSAGE:
        raise ChunkingError(f"a message of {len(data)} bytes exceeds {MAX_MESSAGE} bytes")
    if len(data) <= MAX_PAYLOAD:
        return [bytes((flag,)) + data]
    view = memoryview(data)
    last = len(data) - MAX_PAYLOAD
    more = bytes((flag | MORE,))
    frames = [more + view[i : i + MAX_PAYLOAD] for i in range(0, last, MAX_PAYLOAD)]
    frames.append(bytes((flag,)) + view[len(frames) * MAX_PAYLOAD :])
    return frames


class Reassembler:
    """Joins the frames of one channel back into messages (one instance per channel)."""

    def __init__(self, max_message: int = MAX_MESSAGE) -> None:
        self.max_message = max_message
        self._parts: list[bytes] = []
        self._size = 0
        self._text: bool | None = None

    @property
    def pending(self) -> int:
        """Payload bytes of an incomplete message held so far."""
        return self._size

    def feed(self, frame: str | bytes) -> str | bytes | None:
        """Take one SCTP message; returns the completed message, or None while more follow."""
        if isinstance(frame, str):
            raise ChunkingError("unframed text message on a chunked channel")
        if not frame:
            raise ChunkingError("empty frame (no header byte) on a chunked channel")
        if len(frame) > MAX_FRAME:
            raise ChunkingError(f"a frame of {len(frame)} bytes exceeds {MAX_FRAME} bytes")
        header = frame[0]
        if header & ~(MORE | TEXT):
            raise ChunkingError(f"bad chunk header 0x{header:02x}")
        text = bool(header & TEXT)
        if self._text is not None and text != self._text:
            self._reset()
            raise ChunkingError("text flag changed within one message")
        self._text = text
        self._size += len(frame) - 1
        if self._size > self.max_message:
            self._reset()
            raise ChunkingError(f"reassembled message exceeds {self.max_message} bytes")
        self._parts.append(bytes(frame[1:]) if len(frame) > 1 else b"")
        if header & MORE:
            return None
        data = self._parts[0] if len(self._parts) == 1 else b"".join(self._parts)
        self._reset()
        if text:
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ChunkingError(f"text message is not UTF-8: {exc}") from exc
        return data

    def _reset(self) -> None:
        self._parts = []
        self._size = 0
        self._text = None


__all__ = [
    "MAX_MESSAGE",
    "MAX_FRAME",
    "MAX_PAYLOAD",
    "MORE",
    "TEXT",
    "SDP_ATTRIBUTE",
    "ChunkingError",
    "Reassembler",
    "answer_has_chunking",
    "frame_message",
    "offer_with_chunking",
]
