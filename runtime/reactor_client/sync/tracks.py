"""Blocking twins of the media objects: :class:`SyncOutputTrack`, :class:`SyncInputTrack`
and :class:`SyncClip`, each running the async object's coroutines on a :class:`LoopThread`."""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, overload

import numpy

from ..media.feed import FrameT
from ..media.inputs import InputTrack, MediaSource
from ..media.streams import ArrayConverter
from ..media.tracks import OutputTrack
from ..session.dispatch import Subscription
from .loop import LoopThread

if TYPE_CHECKING:
    import av

    from ..clips import Clip
    from ..errors import ReactorError
    from ..media.recorder import Recorder, RecordingResult


__all__ = ["SyncClip", "SyncInputTrack", "SyncOutputTrack", "SyncRecorder"]


class SyncOutputTrack(Generic[FrameT]):
    """A model output track, blocking: ``for frame in track.frames(): ...``.

    Wraps an :class:`reactor_client.OutputTrack` (``.track``); attributes such as ``name``,
    ``kind``, ``frames_received`` and ``paused`` read through to it. Callbacks given to
    :meth:`on_frame` run on the model's loop thread.
    """

    def __init__(self, track: OutputTrack[FrameT], loop: LoopThread) -> None:
        self.track = track
        self._loop = loop

    @property
    def name(self) -> str:
        return self.track.name

    @property
    def kind(self) -> str:
        return self.track.kind

    @property
    def paused(self) -> bool:
        return self.track.paused

    @property
    def frames_received(self) -> int:
        return self.track.frames_received

    @property
    def frames_decoded(self) -> int:
        return self.track.frames_decoded

    @property
    def codec(self) -> str | None:
        return self.track.codec

    @property
    def last_frame_at(self) -> float | None:
        return self.track.last_frame_at

    def __repr__(self) -> str:
        return repr(self.track)

    def _repr_html_(self) -> str:
        return self.track._repr_html_()

    def frames(self, *, maxsize: int | None = None) -> Iterator[FrameT]:
        """A plain iterator of decoded frames (drop-oldest, ``maxsize`` deep).

        Ends when the client disconnects; raises ``DisconnectedError`` when the transport is
        lost for good; ``InvalidStateError`` before ``connect()``. The subscription (and the
        decoding it keeps on) ends with the iterator: when a ``for`` loop over
        ``track.frames()`` is left, or when you call ``.close()`` on an iterator you keep.
        """
        stream = self._loop.call(self.track.frames, maxsize=maxsize)  # subscribed now
        return self._loop.iterate(stream, on_close=stream.close)

    def ndarrays(
        self, *, format: str = "rgb24", maxsize: int | None = None
    ) -> Iterator[numpy.ndarray]:
        """Like :meth:`frames` but yields numpy arrays (video in ``format``, e.g. ``rgb24``
        ``(H, W, 3) uint8``; audio as PCM samples), converted on the caller's thread."""
        stream = self._loop.call(self.track.frames, maxsize=maxsize)  # subscribed now
        return self._arrays(self._loop.iterate(stream.raw(), on_close=stream.close), format)

    @staticmethod
    def _arrays(frames: Iterator[Any], format: str) -> Iterator[numpy.ndarray]:
        convert = ArrayConverter(format)
        try:
            for frame in frames:
                yield convert(frame)
        finally:
            close = getattr(frames, "close", None)
            if close is not None:
                close()

    def next_frame(self, *, timeout: float | None = None) -> FrameT:
        """The next frame to arrive (``RequestTimeoutError`` after ``timeout`` seconds)."""
        return self._loop.run(self.track.next_frame(timeout=timeout))

    @overload
    def snapshot(self, path: None = None, *, timeout: float | None = 10.0) -> numpy.ndarray: ...

    @overload
    def snapshot(self, path: str | Path, *, timeout: float | None = 10.0) -> Path: ...

    def snapshot(
        self, path: str | Path | None = None, *, timeout: float | None = 10.0
    ) -> numpy.ndarray | Path:
        """The next video frame: written as PNG to ``path`` (returns the path), or, without a
        path, returned as an RGB ``(H, W, 3) uint8`` array."""
        if path is None:
            return self._loop.run(self.track.snapshot(timeout=timeout))
        return self._loop.run(self.track.snapshot(path, timeout=timeout))

    def on_frame(
        self,
        callback: Callable[[FrameT], Any],
        *,
        on_error: Callable[[ReactorError], Any] | None = None,
        maxsize: int | None = None,
    ) -> Subscription:
        """Call ``callback(frame)`` for every decoded frame, **on the loop thread**; returns a
        :class:`~reactor_client.Subscription` (call it, from any thread, to stop)."""
        inner = self._loop.call(self.track.on_frame, callback, on_error=on_error, maxsize=maxsize)
        return self._loop.subscription(inner)

    def show(self, *, fps: float = 15.0, format: str = "jpeg", width: int | None = None) -> Any:
        """A live image widget of this video track for Jupyter (``reactor-client[notebook]``);
        see :meth:`reactor_client.OutputTrack.show`. Works from a plain notebook cell."""
        return self._loop.call(self.track.show, fps=fps, format=format, width=width)

    def pause(self) -> None:
        """Ask the runtime to stop sending this track."""
        self._loop.run(self.track.pause())

    def resume(self) -> None:
        """Ask the runtime to (re)start sending this track."""
        self._loop.run(self.track.resume())


class SyncInputTrack:
    """A track you publish to the model, blocking (wraps :class:`reactor_client.InputTrack`)."""

    def __init__(self, track: InputTrack, loop: LoopThread) -> None:
        self.track = track
        self._loop = loop

    @property
    def name(self) -> str:
        return self.track.name

    @property
    def kind(self) -> str:
        return self.track.kind

    @property
    def published(self) -> bool:
        return self.track.published

    def __repr__(self) -> str:
        return repr(self.track)

    def publish(self, source: MediaSource = None, *, loop: bool = False, fps: float = 30.0) -> None:
        """Claim the publisher slot and start sending ``source`` (an aiortc track, a media file
        path/URL, or ``None``: then :meth:`push_frame` / :meth:`push_audio`)."""
        self._loop.run(self.track.publish(source, loop=loop, fps=fps))

    def unpublish(self) -> None:
        """Stop sending and release the publisher slot."""
        self._loop.run(self.track.unpublish())

    def push_frame(
        self, frame: numpy.ndarray | av.VideoFrame, *, user_data: bytes | None = None
    ) -> None:
        """Send one video frame (an RGB ``(H, W, 3) uint8`` array or an ``av.VideoFrame``);
        returns at once (the frame is handed to the loop)."""
        self._loop.call(self.track.push_frame, frame, user_data=user_data)

    def push_audio(self, samples: numpy.ndarray, sample_rate: int = 48000) -> None:
        """Send PCM audio: int16 (or float in [-1, 1]) samples, mono ``(n,)`` or ``(channels, n)``."""
        self._loop.call(self.track.push_audio, samples, sample_rate)


class SyncRecorder:
    """A running client-side recording (:class:`reactor_client.Recorder`, ``.recorder``) with
    blocking :meth:`wait` and :meth:`stop`."""

    def __init__(self, recorder: Recorder, loop: LoopThread) -> None:
        self.recorder = recorder
        self._loop = loop

    @property
    def path(self) -> Path:
        return self.recorder.path

    @property
    def result(self) -> RecordingResult:
        """What was written so far (complete once stopped)."""
        return self.recorder.result

    def wait(self, timeout: float | None = None) -> None:
        """Block until the recording ends by itself (its ``seconds`` or the session)."""
        self._loop.run(self.recorder.wait(timeout))

    def stop(self) -> RecordingResult:
        """Stop now and finish the file."""
        return self._loop.run(self.recorder.stop())

    def __repr__(self) -> str:
        return f"<SyncRecorder {self.recorder.path.name}>"


class SyncClip:
    """A runtime-side clip (:class:`reactor_client.Clip`, ``.clip``) with a blocking
    :meth:`download`."""

    def __init__(self, clip: Clip, loop: LoopThread) -> None:
        self.clip = clip
        self._loop = loop

    @property
    def duration_seconds(self) -> float:
        return self.clip.duration_seconds

    def __getattr__(self, name: str) -> typing.Any:  # session_id, kind, markers, playlist_url
        return getattr(self.clip, name)

    def __repr__(self) -> str:
        return repr(self.clip)

    def download(
        self, path: str | Path, *, timeout: float | None = 60.0, poll_cap: float = 2.0
    ) -> Path:
        """Wait until the clip is ready and write it to ``path`` as one MP4 that starts at 0 (see :meth:`Clip.download`)."""
        return self._loop.run(self.clip.download(path, timeout=timeout, poll_cap=poll_cap))
