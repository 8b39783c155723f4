"""``TrackFeed``: where a transport delivers one output track's media.

A feed is the transport's :class:`~reactor_client.transport.base.MediaSink` for its track:
it counts every encoded frame, strips the frame-metadata trailer, copies encoded frames to
encoded taps (a remuxing recorder), decides whether a frame is decoded — only while an open
stream or a recorder needs decoded frames, starting at a key frame — and fans decoded frames
out to the streams (:mod:`.streams`), one drop-oldest queue each.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from ..errors import ConfigurationError, ReactorError
from ..kinds import TrackKind, is_video
from ..session.fanout import DropOldestQueue, Fanout
from .encoded import EncodedFrame, JitterFrameLike, vp8_keyframe
from .metadata import FrameMetadata, split_trailer
from .pixels import PixelFrame

if TYPE_CHECKING:
    from typing import TypeAlias

    import av

    AnyFrame: TypeAlias = av.VideoFrame | av.AudioFrame

FrameT = TypeVar("FrameT", bound="AnyFrame")

_METADATA_KEEP = 128  # trailers waiting for their decoded frame
_KEYFRAME_REQUEST_INTERVAL = 0.5


class KeyframeSource(Protocol):
    """What a feed asks of the transport it is bound to."""

    def request_keyframe(self, track: str) -> None: ...


class TrackFeed(Generic[FrameT]):
    """The media side of one output track (see the module docstring)."""

    def __init__(self, name: str, kind: TrackKind, queue_size: int) -> None:
        self.name = name
        self.kind = kind
        #: Encoded frames received (decoded or not), and their bytes.
        self.frames_received = 0
        self.bytes_received = 0
        #: Frames the decoder produced, and frames it failed on.
        self.frames_decoded = 0
        self.decode_errors = 0
        self.last_frame_at: float | None = None
        self.codec: str | None = None
        #: Whether the runtime agreed to append frame-metadata trailers on this connection.
        self.metadata_negotiated = False
        #: Whether the transport shows this track its encoded frames (``on_encoded``; encoded
        #: taps and ``.webm`` remuxing need them), as its capabilities say.
        self.encoded_frames = True
        #: Decoded frames: PyAV frames, or :class:`~.pixels.PixelFrame` s that a stream turns
        #: into PyAV frames only when it is read as frames (``ndarrays()`` reads the pixels).
        self.fanout: Fanout[FrameT | PixelFrame] = Fanout(queue_size)
        self._source: KeyframeSource | None = None
        self._metadata: OrderedDict[int, FrameMetadata] = OrderedDict()
        self._encoded_taps: list[Callable[[EncodedFrame], None]] = []
        self._decode_holds = 0
        self._decoding = False
        self._last_keyframe_request = 0.0
        self._peer_listeners: list[Callable[[str], None]] = []
        self._taps_need_keyframe = False

    # ------------------------------------------------------------------ session side
    def bind(self, source: KeyframeSource) -> None:
        """A new transport feeds this track (timestamps restart at 0, decoding at a key frame)."""
        self._source = source
        self._decoding = False
        self.metadata_negotiated = False  # set once the answer is in
        caps = getattr(getattr(source, "info", None), "capabilities", None)
        self.encoded_frames = bool(getattr(caps, "encoded_frames", True))
        self._taps_need_keyframe = bool(self._encoded_taps)
        for listener in list(self._peer_listeners):
            listener("rebase")

    def unbind(self) -> None:
        """The transport is gone."""
        self._source = None
        self._decoding = False
        self._metadata.clear()

    def end(self, error: ReactorError | None = None) -> None:
        """The session is over: streams end (with ``error``: they raise it)."""
        self.unbind()
        self.fanout.close(error)
        for listener in list(self._peer_listeners):
            listener("closed")

    def reopen(self) -> None:
        """Streams continue across a reconnect (or wait for the next ``connect()``)."""
        self.fanout.reopen()

    def on_peer_event(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """``listener("rebase")`` on a new transport, ``listener("closed")`` when the session
        is over (for recorders); returns a remover."""
        self._peer_listeners.append(listener)
        return lambda: (
            self._peer_listeners.remove(listener) if listener in self._peer_listeners else None
        )

    # ------------------------------------------------------------------ MediaSink
    def on_encoded(self, codec: str, frame: JitterFrameLike) -> bool:
        """An encoded frame from the transport (event-loop thread): strip the metadata
        trailer, count, feed encoded taps, and decide whether the frame is decoded."""
        data = frame.data
        if is_video(self.kind) and self.metadata_negotiated:
            data, meta = split_trailer(data)
            if meta is not None:
                frame.data = data
                self._metadata[frame.timestamp] = meta
                while len(self._metadata) > _METADATA_KEEP:
                    self._metadata.popitem(last=False)
        self.codec = codec
        keyframe = vp8_keyframe(data) if codec == "VP8" else None
        self.frames_received += 1
        self.bytes_received += len(data)
        self.last_frame_at = time.monotonic()
        if self._encoded_taps:
            if self._taps_need_keyframe and keyframe is False:
                self._request_keyframe()  # a remuxing recorder starts at a key frame
            elif keyframe:
                self._taps_need_keyframe = False
            encoded = EncodedFrame(codec, data, frame.timestamp, keyframe)
            for tap in list(self._encoded_taps):
                tap(encoded)
        if not self.wants_decoded:
            self._decoding = False
            self._metadata.pop(frame.timestamp, None)
            return False
        if not self._decoding and is_video(self.kind) and keyframe is not None:
            if not keyframe:  # a decoder (re)starts at a key frame
                self._request_keyframe()
                self._metadata.pop(frame.timestamp, None)
                return False
        self._decoding = True
        return True

    def on_decoded(self, frame: AnyFrame | PixelFrame) -> None:
        """A decoded frame from the transport: attach its metadata, fan it out (an engine
        that reads the trailer itself has set ``frame.opaque`` already)."""
        self.frames_decoded += 1
        if (
            is_video(self.kind)
            and frame.pts is not None
            and not isinstance(frame.opaque, FrameMetadata)
        ):
            frame.opaque = self._metadata.pop(frame.pts, None)
        self.fanout.publish(frame)  # type: ignore[arg-type]  # FrameT is this track's kind

    def on_engine_frame(self, codec: str | None, frame: AnyFrame | PixelFrame | None) -> None:
        """A frame the engine received and decoded by itself (a transport without encoded
        frames): count it, and fan it out when it was converted and is still wanted."""
        if codec is not None:
            self.codec = codec
        self.frames_received += 1
        self.last_frame_at = time.monotonic()
        if frame is None or not self.wants_decoded:
            self._decoding = False
            return
        self._decoding = True
        self.on_decoded(frame)

    def on_decode_error(self) -> None:
        """The transport's decoder failed on a frame of this track."""
        self.decode_errors += 1

    # ------------------------------------------------------------------ consumers
    @property
    def wants_decoded(self) -> bool:
        """Whether an open stream or a recorder needs decoded frames right now."""
        return self.fanout.subscribers > 0 or self._decode_holds > 0

    @property
    def frames_dropped(self) -> int:
        """Decoded frames dropped because a stream fell behind, plus frames that failed to decode."""
        return self.decode_errors + self.fanout.dropped

    def subscribe(self, maxsize: int | None) -> DropOldestQueue[FrameT | PixelFrame]:
        """A new stream's queue (decoding starts, at the next key frame)."""
        queue = self.fanout.subscribe(maxsize)
        self._want_decoded()
        return queue

    def hold_decoding(self) -> Callable[[], None]:
        """Keep decoding on while a consumer that is not a stream (a recorder) needs it;
        returns the release."""
        self._decode_holds += 1
        self._want_decoded()
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._decode_holds -= 1

        return release

    def add_encoded_tap(self, tap: Callable[[EncodedFrame], None]) -> Callable[[], None]:
        """Call ``tap(encoded_frame)`` for every encoded frame (no decoding); returns a remover.
        A tap starts at the next key frame only if it waits for one itself; this requests one.
        ``ConfigurationError`` on a transport that shows no encoded frames (native, memory)."""
        if not self.encoded_frames:
            raise ConfigurationError(
                f"track {self.name!r}: this transport shows no encoded frames "
                "(client.transport.capabilities.encoded_frames is False); read decoded frames, "
                "or use transport='aiortc'"
            )
        self._encoded_taps.append(tap)
        if is_video(self.kind):
            self._taps_need_keyframe = True
            self._last_keyframe_request = 0.0
            self._request_keyframe()

        def remove() -> None:
            if tap in self._encoded_taps:
                self._encoded_taps.remove(tap)

        return remove

    def _want_decoded(self) -> None:
        if not self._decoding and is_video(self.kind):
            self._request_keyframe()

    def _request_keyframe(self) -> None:
        now = time.monotonic()
        if (
            self._source is not None
            and now - self._last_keyframe_request >= _KEYFRAME_REQUEST_INTERVAL
        ):
            self._last_keyframe_request = now
            self._source.request_keyframe(self.name)


def __getattr__(name: str) -> Any:
    """``AnyFrame`` (``av.VideoFrame | av.AudioFrame``) is made on first use, so that
    importing this module does not import PyAV."""
    if name == "AnyFrame":
        import av

        return av.VideoFrame | av.AudioFrame
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["AnyFrame", "FrameT", "KeyframeSource", "TrackFeed"]
