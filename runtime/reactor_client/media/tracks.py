"""``OutputTrack``: the handle of a track the model sends.

A handle has a name, a kind, the track verbs (``pause``/``resume``) and its counters; its
media arrives through its :class:`~.feed.TrackFeed` (the transport's sink), and consuming it
means opening a stream (:mod:`.streams`): :meth:`OutputTrack.frames`, :meth:`~OutputTrack.ndarrays`,
``VideoStream(track)``; :meth:`~OutputTrack.next_frame`, :meth:`~OutputTrack.snapshot` and
:meth:`~OutputTrack.on_frame` open one for you. Input tracks are :mod:`.inputs`.

Tracks reach their session through the small :class:`TrackControl` protocol (implemented by
the session's :class:`~reactor_client.session.context.SessionContext`).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, overload

import numpy

from ..errors import InvalidStateError, ReactorError
from ..kinds import TrackKind, is_video
from ..session.dispatch import Subscription, invoke, listener_error
from ..status import Status
from .control import TrackControl, TrackVerb
from .encoded import EncodedFrame
from .feed import FrameT, TrackFeed
from .images import encode_image
from .pixels import as_av
from .streams import ArrayStream, FrameStream, open_stream, to_array

if TYPE_CHECKING:
    from .feed import AnyFrame


class OutputTrack(Generic[FrameT]):
    """A track the model sends (video: ``av.VideoFrame``, audio: ``av.AudioFrame``).

    Every consumer (a stream from :meth:`frames` or :meth:`ndarrays`, :meth:`on_frame`,
    :meth:`snapshot`, a recording) gets its own drop-oldest queue fed from one fan-out, so any
    number of them coexist and a slow one never slows the others. When the transport is lost
    for good, streams raise :class:`~reactor_client.DisconnectedError` (callbacks get it
    through ``on_error``); after :meth:`ReactorClient.disconnect` they end normally.
    """

    def __init__(self, control: TrackControl, name: str, kind: TrackKind, queue_size: int) -> None:
        self._control = control
        self.name = name
        self.kind = kind
        self.paused = False
        #: The media side: the transport delivers here (see :class:`~.feed.TrackFeed`).
        self.feed: TrackFeed[FrameT] = TrackFeed(name, kind, queue_size)
        self._consumers: set[asyncio.Task[None]] = set()

    def __repr__(self) -> str:
        return (
            f"<OutputTrack {self.name} {self.kind} frames={self.frames_received} "
            f"status={self._control.status.value}>"
        )

    def _repr_html_(self) -> str:
        import html

        return (
            f"<b>{html.escape(self.name)}</b> ({self.kind}, model output): "
            f"{self.frames_received} frames received, {self.frames_decoded} decoded, "
            f"session {html.escape(self._control.status.value)}"
        )

    # ------------------------------------------------------------------ counters
    @property
    def frames_received(self) -> int:
        """Encoded frames received (decoded or not)."""
        return self.feed.frames_received

    @property
    def bytes_received(self) -> int:
        return self.feed.bytes_received

    @property
    def frames_decoded(self) -> int:
        """Frames the decoder produced."""
        return self.feed.frames_decoded

    @property
    def decode_errors(self) -> int:
        """Frames that failed to decode."""
        return self.feed.decode_errors

    @property
    def frames_dropped(self) -> int:
        """Decoded frames dropped by slow consumers, plus frames that failed to decode."""
        return self.feed.frames_dropped

    @property
    def last_frame_at(self) -> float | None:
        """``time.monotonic()`` of the last encoded frame (None before the first)."""
        return self.feed.last_frame_at

    @property
    def codec(self) -> str | None:
        """The codec of the last encoded frame (``VP8``, ``opus``, ...)."""
        return self.feed.codec

    @property
    def metadata_negotiated(self) -> bool:
        """Whether the runtime agreed to append frame-metadata trailers on this connection."""
        return self.feed.metadata_negotiated

    @property
    def wants_decoded(self) -> bool:
        """Whether an open stream or a recorder needs decoded frames right now."""
        return self.feed.wants_decoded

    # ------------------------------------------------------------------ recorders
    def add_encoded_tap(self, tap: Callable[[EncodedFrame], None]) -> Callable[[], None]:
        """Call ``tap(encoded_frame)`` for every encoded frame (no decoding); returns a remover."""
        return self.feed.add_encoded_tap(tap)

    def hold_decoding(self) -> Callable[[], None]:
        """Keep decoding on while a consumer that is not a stream needs it; returns the release."""
        return self.feed.hold_decoding()

    def on_peer_event(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """``listener("rebase")`` on a new transport, ``listener("closed")`` when the session is over."""
        return self.feed.on_peer_event(listener)

    # ------------------------------------------------------------------ streams
    def _require_session(self, what: str) -> None:
        if self._control.status == Status.DISCONNECTED:
            raise InvalidStateError(
                f"{self.name}.{what} needs a connected session (call connect() first)"
            )

    def frames(self, *, maxsize: int | None = None) -> FrameStream[FrameT]:
        """Open a stream of decoded frames (a ``VideoStream`` or ``AudioStream``).

        Iterate it (``async for frame in track.frames()``), or ``async with`` it; close it
        with ``aclose()``. It ends when the client disconnects and raises
        ``DisconnectedError`` when the transport is lost for good. ``InvalidStateError``
        before ``connect()``. (PyAV's ``frame.to_image()`` needs Pillow:
        ``pip install 'reactor-client[images]'``.)
        """
        self._require_session("frames()")
        return open_stream(self.feed, maxsize)

    def ndarrays(self, *, format: str = "rgb24", maxsize: int | None = None) -> ArrayStream:
        """Like :meth:`frames` but yields numpy arrays (video in ``format``, e.g. ``rgb24``
        ``(H, W, 3) uint8``; audio as PCM samples)."""
        self._require_session("ndarrays()")
        return ArrayStream(open_stream(self.feed, maxsize), format)

    async def next_frame(self, *, timeout: float | None = None) -> FrameT:
        """The next frame to arrive (``RequestTimeoutError`` after ``timeout`` seconds)."""
        self._require_session("next_frame()")
        async with open_stream(self.feed, 1) as stream:
            return await stream.next(timeout)

    @overload
    async def snapshot(
        self, path: None = None, *, timeout: float | None = 10.0
    ) -> numpy.ndarray: ...

    @overload
    async def snapshot(self, path: str | Path, *, timeout: float | None = 10.0) -> Path: ...

    async def snapshot(
        self, path: str | Path | None = None, *, timeout: float | None = 10.0
    ) -> numpy.ndarray | Path:
        """The next video frame: written as PNG to ``path`` (returns the path), or, without a
        path, returned as an RGB ``(H, W, 3) uint8`` array.

        The next frame is not yet the effect of a command just acknowledged: the runtime
        queues up to 10 frames per connection, so a change shows ~0.1-0.6 s later. To see it,
        read :meth:`frames` until a frame shows it, or use frame metadata."""
        if not is_video(self.kind):
            raise InvalidStateError(f"snapshot() needs a video track; {self.name!r} is {self.kind}")
        self._require_session("snapshot()")
        async with open_stream(self.feed, 1) as stream:
            frame = await stream.next_item(timeout)
        if path is None:
            return to_array(frame, "rgb24")
        target = Path(path)
        data = encode_image(as_av(frame), "png")
        tmp = target.with_name(f".{target.name}.part")
        tmp.write_bytes(data)
        tmp.replace(target)
        return target

    def show(self, *, fps: float = 15.0, format: str = "jpeg", width: int | None = None) -> Any:
        """A live image widget of this video track for Jupyter (``reactor-client[notebook]``).

        Shows at most ``fps`` frames per second; call it from the notebook (inside its event
        loop). Returns a :class:`~reactor_client.media.notebook.TrackView` (display it, or
        ``.stop()`` it).
        """
        from .notebook import TrackView

        return TrackView(self, fps=fps, fmt=format, width=width)

    def on_frame(
        self,
        callback: Callable[[FrameT], Any],
        *,
        on_error: Callable[[ReactorError], Any] | None = None,
        maxsize: int | None = None,
    ) -> Subscription:
        """Call ``callback(frame)`` (sync or async) for every decoded frame; returns a
        :class:`~reactor_client.Subscription` (call it to stop).

        Fed by its own stream, so a slow callback skips frames instead of delaying anyone.
        The subscription ends with the session; if the transport is lost for good,
        ``on_error(DisconnectedError)`` is called (errors raised by ``callback`` go to the
        client's ``on_error``). May be registered before ``connect()`` (from inside the event
        loop), also between a ``disconnect()`` and the next ``connect()``. An async callback
        is awaited before the next frame is taken.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            raise InvalidStateError(
                f"{self.name}.on_frame() must be called from inside the event loop (in async code)"
            ) from None
        fanout = self.feed.fanout
        if fanout.closed and fanout.error is None:
            fanout.reopen()  # after a normal disconnect: wait for the next connect
        stream = open_stream(self.feed, maxsize)
        sub: Subscription

        async def consume() -> None:
            try:
                async for frame in stream:
                    if not sub.active:
                        return
                    try:
                        result = callback(frame)
                        if inspect.isawaitable(result):
                            await result
                    except asyncio.CancelledError:
                        raise
                    except Exception as exc:  # noqa: BLE001 - a failing callback is reported
                        self._listener_failed(exc)
            except ReactorError as exc:
                if on_error is not None:
                    invoke(on_error, (exc,), self._listener_failed)
            finally:
                sub.active = False

        task = asyncio.ensure_future(consume())
        self._consumers.add(task)
        task.add_done_callback(self._consumers.discard)

        def remove(_: Subscription) -> None:
            stream.close()
            task.cancel()

        sub = Subscription(callback, remove)
        return sub

    def _listener_failed(self, exc: BaseException) -> None:
        self._control.report_error(listener_error(exc, "on_frame listener"))

    # ------------------------------------------------------------------ verbs
    async def pause(self) -> None:
        """Ask the runtime to stop sending this track (a per-connection subscription)."""
        self._control.require_ready(f"{self.name}.pause()")
        self._control.send_track_verb("pause_track", self.name)
        self.paused = True

    async def resume(self) -> None:
        """Ask the runtime to (re)start sending this track."""
        self._control.require_ready(f"{self.name}.resume()")
        self._control.send_track_verb("resume_track", self.name)
        self.paused = False


def __getattr__(name: str) -> Any:
    """``InputTrack`` and ``MediaSource`` moved to :mod:`.inputs`; still importable here.
    ``AnyFrame`` is made on first use (importing this module does not import PyAV)."""
    if name == "AnyFrame":
        from . import feed

        return feed.AnyFrame
    if name in ("InputTrack", "MediaSource"):
        from . import inputs

        return getattr(inputs, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["OutputTrack", "TrackControl", "TrackVerb", "AnyFrame"]
