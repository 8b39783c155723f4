"""Streams: consuming an output track is opening a stream on it.

``VideoStream(track)`` / ``AudioStream(track)`` (or ``track.frames()``, which picks the class
for the track's kind from :data:`STREAMS`) subscribe to the track's feed when created and
yield decoded frames, oldest first, dropping the oldest when the consumer falls behind by
``maxsize``. A stream is an async iterator and an async context manager; ``aclose()`` (or
leaving the ``async with`` block) stops its feed at once — the track decodes exactly while
an open stream (or a recorder) needs decoded frames. A stream dropped without ``aclose()``
stops when it is garbage collected.

When the transport is lost for good a stream raises
:class:`~reactor_client.DisconnectedError`; after ``disconnect()`` it ends normally.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, cast

import numpy

from ..errors import InvalidStateError, RequestTimeoutError
from ..kinds import AUDIO, VIDEO, TrackKind
from .feed import FrameT, TrackFeed
from .pixels import CHANNELS, PixelFrame, as_av

if TYPE_CHECKING:
    import av  # noqa: F401 - the stream classes' quoted type arguments
    from av.video.reformatter import VideoReformatter
    from typing_extensions import Self

    from .feed import AnyFrame
    from .tracks import OutputTrack


class FrameStream(Generic[FrameT], AsyncIterator[FrameT]):
    """Decoded frames of one output track (see the module docstring)."""

    kind: ClassVar[TrackKind]

    def __init__(
        self, track: OutputTrack[FrameT] | TrackFeed[FrameT], *, maxsize: int | None = None
    ) -> None:
        feed: TrackFeed[FrameT] = track if isinstance(track, TrackFeed) else track.feed
        if feed.kind != self.kind:
            raise InvalidStateError(
                f"{type(self).__name__} needs a track of kind {self.kind!r}; "
                f"{feed.name!r} is {feed.kind!r}"
            )
        self.track_name = feed.name
        self._queue = feed.subscribe(maxsize)

    @property
    def closed(self) -> bool:
        """Whether the stream has ended (closed, or the session is over)."""
        return self._queue.closed and not len(self._queue)

    @property
    def dropped(self) -> int:
        """Frames dropped because this stream fell behind."""
        return self._queue.dropped

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> FrameT:
        return self._as_frame(await self._queue.get())

    async def anext_raw(self) -> FrameT | PixelFrame:
        """Like ``__anext__`` (``StopAsyncIteration`` at the end), but the frame as the
        transport delivered it: a PyAV frame, or a :class:`~.pixels.PixelFrame` not yet made
        one (what :class:`ArrayStream` reads)."""
        return await self._queue.get()

    def raw(self) -> AsyncIterator[FrameT | PixelFrame]:
        """This stream's frames as the transport delivered them (see :meth:`anext_raw`)."""
        return _RawItems(self)

    @staticmethod
    def _as_frame(item: FrameT | PixelFrame) -> FrameT:
        return cast("FrameT", as_av(item))

    async def next_item(self, timeout: float | None = None) -> FrameT | PixelFrame:
        """Like :meth:`next`, but the frame as the transport delivered it (see
        :meth:`anext_raw`)."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except asyncio.TimeoutError:
            raise RequestTimeoutError(
                f"no frame on {self.track_name!r} within {timeout} s"
            ) from None
        except StopAsyncIteration:
            raise InvalidStateError(
                f"{self.track_name}: the client disconnected while waiting for a frame"
            ) from None

    async def next(self, timeout: float | None = None) -> FrameT:
        """The next frame (``RequestTimeoutError`` after ``timeout`` seconds;
        ``InvalidStateError`` when the client disconnected meanwhile)."""
        return self._as_frame(await self.next_item(timeout))

    def close(self) -> None:
        """Stop receiving (idempotent); buffered frames are dropped."""
        self._queue.unsubscribe()

    async def aclose(self) -> None:
        """:meth:`close`, as async iterators and ``contextlib.aclosing`` expect."""
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _RawItems(AsyncIterator[Any]):
    def __init__(self, stream: FrameStream[Any]) -> None:
        self._stream = stream

    def __aiter__(self) -> _RawItems:
        return self

    async def __anext__(self) -> Any:
        return await self._stream.anext_raw()

    async def aclose(self) -> None:
        self._stream.close()


class VideoStream(FrameStream["av.VideoFrame"]):
    """Decoded ``av.VideoFrame`` s of a video track."""

    kind = VIDEO


class AudioStream(FrameStream["av.AudioFrame"]):
    """Decoded ``av.AudioFrame`` s of an audio track."""

    kind = AUDIO


#: The stream class for each track kind.
STREAMS: dict[str, type[FrameStream[Any]]] = {VIDEO: VideoStream, AUDIO: AudioStream}


def open_stream(feed: TrackFeed[FrameT], maxsize: int | None = None) -> FrameStream[FrameT]:
    """A stream of the class registered for ``feed.kind``."""
    return STREAMS[feed.kind](feed, maxsize=maxsize)


def to_array(
    frame: AnyFrame | PixelFrame, fmt: str, reformatter: VideoReformatter | None = None
) -> numpy.ndarray:
    """A frame as a numpy array (video in ``fmt``; audio as PCM samples). A
    :class:`~.pixels.PixelFrame` is read directly where numpy can reorder its channels;
    PyAV frames go through ``reformatter`` (one swscale context, reused across frames)."""
    if isinstance(frame, PixelFrame):
        if not needs_swscale(frame, fmt):
            return frame.to_ndarray(fmt)
        frame = frame.to_av()
    from av import VideoFrame

    if isinstance(frame, VideoFrame):
        if frame.format.name == fmt:
            return frame.to_ndarray()
        if reformatter is None:
            return frame.to_ndarray(format=fmt)
        return reformatter.reformat(frame, format=fmt).to_ndarray()
    return frame.to_ndarray()


def needs_swscale(frame: object, fmt: str) -> bool:
    """Whether :func:`to_array` converts ``frame`` to ``fmt`` with PyAV's swscale (a
    :class:`~.pixels.PixelFrame` in ``bgra`` or a channel order numpy makes does not)."""
    return not isinstance(frame, PixelFrame) or (fmt != "bgra" and fmt not in CHANNELS)


class ArrayConverter:
    """Frames (as transports deliver them) to numpy arrays in one format, for one consumer:
    :func:`to_array` with one swscale context, made when a frame first needs it and kept
    across frames. Used by :class:`ArrayStream` and the blocking ``ndarrays()``."""

    def __init__(self, fmt: str) -> None:
        self.format = fmt
        self.reformatter: VideoReformatter | None = None

    def __call__(self, frame: AnyFrame | PixelFrame) -> numpy.ndarray:
        if self.reformatter is None and needs_swscale(frame, self.format):
            from av.video.reformatter import VideoReformatter

            self.reformatter = VideoReformatter()
        return to_array(frame, self.format, self.reformatter)


class ArrayStream(AsyncIterator[numpy.ndarray]):
    """A frame stream yielding numpy arrays (``track.ndarrays()``)."""

    def __init__(self, frames: FrameStream[Any], fmt: str = "rgb24") -> None:
        self.frames = frames
        self._convert = ArrayConverter(fmt)

    def __aiter__(self) -> ArrayStream:
        return self

    async def __anext__(self) -> numpy.ndarray:
        return self._convert(await self.frames.anext_raw())

    def close(self) -> None:
        self.frames.close()

    async def aclose(self) -> None:
        self.frames.close()

    async def __aenter__(self) -> ArrayStream:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()


__all__ = [
    "ArrayConverter",
    "ArrayStream",
    "AudioStream",
    "FrameStream",
    "STREAMS",
    "VideoStream",
    "needs_swscale",
    "open_stream",
    "to_array",
]
