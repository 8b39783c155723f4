"""``OutputTrack`` and ``InputTrack``: one object per declared track, with its own verbs.

An :class:`OutputTrack` (a model ``out`` track; client ``recvonly``) is the
:class:`~reactor_client.transport.base.MediaSink` of its transport: it sees every encoded
frame (:meth:`OutputTrack.on_encoded`), decides whether it is decoded — only while some
consumer wants decoded frames (iterators, ``on_frame`` callbacks, ``snapshot``, an
``.mp4`` recording), and fans decoded frames out to drop-oldest queues, one per consumer.

An :class:`InputTrack` (a model ``in`` track; client ``sendonly``) publishes an aiortc
track, a media file, or frames the application pushes with :meth:`InputTrack.push_frame`.

The tracks reach the session through the small :class:`TrackControl` protocol
(implemented by :class:`~reactor_client.ReactorClient`).
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    Generic,
    Literal,
    Protocol,
    TypeVar,
    overload,
)

import av
import numpy
from aiortc import MediaStreamTrack
from av.video.reformatter import VideoReformatter

from ..errors import ConfigurationError, InvalidStateError, ReactorError, RequestTimeoutError
from ..session.dispatch import Subscription, invoke, listener_error
from ..session.fanout import DropOldestQueue, Fanout
from ..status import Status
from .images import encode_image
from .metadata import FrameMetadata, split_trailer
from .encoded import EncodedFrame, JitterFrameLike, vp8_keyframe

if TYPE_CHECKING:
    from .sources import PushedAudioTrack, PushedVideoTrack

AnyFrame = av.VideoFrame | av.AudioFrame
FrameT = TypeVar("FrameT", bound=AnyFrame)
TrackVerb = Literal["pause_track", "resume_track", "unpublish_track"]
MediaSource = MediaStreamTrack | str | Path | None

_METADATA_KEEP = 128  # trailers waiting for their decoded frame
_KEYFRAME_REQUEST_INTERVAL = 0.5


class KeyframeSource(Protocol):
    """What an output track asks of the transport it is bound to."""

    def request_keyframe(self, track: str) -> None: ...


class TrackControl(Protocol):
    """What a track needs from its session (implemented by ``ReactorClient``)."""

    @property
    def status(self) -> Status: ...

    def require_ready(self, what: str) -> object:
        """Raise ``InvalidStateError`` unless the session is READY."""
        ...

    def send_track_verb(self, verb: TrackVerb, name: str) -> None:
        """Send a ``pause_track`` / ``resume_track`` / ``unpublish_track`` notification."""
        ...

    async def claim_publisher(self, name: str) -> None:
        """The ``publish_track`` request; raises ``PublishRefusedError`` when refused."""
        ...

    def replace_track(self, name: str, track: MediaStreamTrack | None) -> None:
        """Attach ``track`` to the sender of input track ``name`` (None: send nothing)."""
        ...

    def report_error(self, error: ReactorError) -> None:
        """Deliver ``error`` to the session's ``on_error`` listeners."""
        ...


class _Mapped(AsyncIterator[Any]):
    """Async iterator applying ``fn`` to every item of a subscription (subscribed eagerly)."""

    def __init__(self, queue: DropOldestQueue[Any], fn: Callable[[Any], Any]) -> None:
        self._queue = queue
        self._fn = fn

    def __aiter__(self) -> _Mapped:
        return self

    async def __anext__(self) -> Any:
        return self._fn(await self._queue.get())


def _to_array(frame: AnyFrame, fmt: str, reformatter: VideoReformatter) -> numpy.ndarray:
    if isinstance(frame, av.VideoFrame):
        if frame.format.name == fmt:
            return frame.to_ndarray()
        return reformatter.reformat(frame, format=fmt).to_ndarray()
    return frame.to_ndarray()


class OutputTrack(Generic[FrameT]):
    """A track the model sends (video: ``av.VideoFrame``, audio: ``av.AudioFrame``).

    Every consumer (:meth:`frames`, :meth:`ndarrays`, :meth:`on_frame`, :meth:`snapshot`,
    a recording) gets its own drop-oldest queue fed from one fan-out, so any number of them
    coexist and a slow one never slows the others. When the transport is lost for good,
    iterators raise :class:`~reactor_client.DisconnectedError` (callbacks get it through
    ``on_error``); after :meth:`ReactorClient.disconnect` they end normally.
    """

    def __init__(
        self, control: TrackControl, name: str, kind: Literal["video", "audio"], queue_size: int
    ) -> None:
        self._control = control
        self.name = name
        self.kind = kind
        self.paused = False
        #: Encoded frames received (decoded or not), and their bytes.
        self.frames_received = 0
        self.bytes_received = 0
        #: Frames the decoder produced.
        self.frames_decoded = 0
        #: Frames that failed to decode.
        self.decode_errors = 0
        self.last_frame_at: float | None = None
        self.codec: str | None = None
        self.on_frame_received: Callable[[], None] | None = None
        self._fanout: Fanout[FrameT] = Fanout(queue_size)
        self._source: KeyframeSource | None = None
        self._metadata: OrderedDict[int, FrameMetadata] = OrderedDict()
        self._encoded_taps: list[Callable[[EncodedFrame], None]] = []
        self._decode_holds = 0
        self._decoding = False
        self._last_keyframe_request = 0.0
        self._consumers: set[asyncio.Task[None]] = set()
        self._peer_listeners: list[Callable[[str], None]] = []
        self._taps_need_keyframe = False
        #: Whether the runtime agreed to append frame-metadata trailers on this connection.
        self.metadata_negotiated = False

    def __repr__(self) -> str:
        return f"<OutputTrack {self.name} {self.kind} frames={self.frames_received} status={self._control.status.value}>"

    # ------------------------------------------------------------------ session side
    def bind(self, source: KeyframeSource) -> None:
        """A new transport feeds this track (timestamps restart at 0, decoding at a key frame)."""
        self._source = source
        self._decoding = False
        self.metadata_negotiated = False  # set once the answer is in
        self._taps_need_keyframe = bool(self._encoded_taps)
        for listener in list(self._peer_listeners):
            listener("rebase")

    def unbind(self) -> None:
        """The transport is gone."""
        self._source = None
        self._decoding = False
        self._metadata.clear()

    def end(self, error: ReactorError | None = None) -> None:
        """The session is over: iterators end (with ``error``: raise it)."""
        self.unbind()
        self._fanout.close(error)
        for listener in list(self._peer_listeners):
            listener("closed")

    def reopen(self) -> None:
        """Iterators continue across a reconnect (or wait for the next ``connect()``)."""
        self._fanout.reopen()

    def on_peer_event(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """``listener("rebase")`` on a new transport, ``listener("closed")`` when the session
        is over (for recorders); returns a remover."""
        self._peer_listeners.append(listener)
        return lambda: (
            self._peer_listeners.remove(listener) if listener in self._peer_listeners else None
        )

    @property
    def frames_dropped(self) -> int:
        """Decoded frames dropped because a consumer fell behind, plus frames that failed to decode."""
        return self.decode_errors + self._fanout.dropped

    def unsubscribe(self, queue: DropOldestQueue[FrameT]) -> None:
        """Stop feeding a queue returned by :meth:`frames` (idempotent)."""
        self._fanout.unsubscribe(queue)

    @property
    def wants_decoded(self) -> bool:
        """Whether anyone consumes decoded frames right now."""
        return self._fanout.subscribers > 0 or self._decode_holds > 0

    def on_encoded(self, codec: str, frame: JitterFrameLike) -> bool:
        """An encoded frame from the transport (event-loop thread): strip the metadata
        trailer, count, feed encoded taps, and decide whether the frame is decoded."""
        data = frame.data
        if self.kind == "video" and self.metadata_negotiated:
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
        if self.on_frame_received is not None:
            self.on_frame_received()
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
        if not self._decoding and self.kind == "video" and keyframe is not None:
            if not keyframe:  # a decoder (re)starts at a key frame
                self._request_keyframe()
                self._metadata.pop(frame.timestamp, None)
                return False
        self._decoding = True
        return True

    def on_decoded(self, frame: AnyFrame) -> None:
        """A decoded frame from the transport: attach its metadata, fan it out."""
        self.frames_decoded += 1
        if isinstance(frame, av.VideoFrame) and frame.pts is not None:
            frame.opaque = self._metadata.pop(frame.pts, None)
        self._fanout.publish(frame)  # type: ignore[arg-type]

    def on_decode_error(self) -> None:
        """The transport's decoder failed on a frame of this track."""
        self.decode_errors += 1

    def _request_keyframe(self) -> None:
        now = time.monotonic()
        if (
            self._source is not None
            and now - self._last_keyframe_request >= _KEYFRAME_REQUEST_INTERVAL
        ):
            self._last_keyframe_request = now
            self._source.request_keyframe(self.name)

    def _want_decoded(self) -> None:
        if not self._decoding and self.kind == "video":
            self._request_keyframe()

    def add_encoded_tap(self, tap: Callable[[EncodedFrame], None]) -> Callable[[], None]:
        """Call ``tap(encoded_frame)`` for every encoded frame (no decoding); returns a remover.
        A tap starts at the next key frame only if it waits for one itself; this requests one."""
        self._encoded_taps.append(tap)
        if self.kind == "video":
            self._taps_need_keyframe = True
            self._last_keyframe_request = 0.0
            self._request_keyframe()

        def remove() -> None:
            if tap in self._encoded_taps:
                self._encoded_taps.remove(tap)

        return remove

    # ------------------------------------------------------------------ consumers
    def _require_session(self, what: str) -> None:
        if self._control.status == Status.DISCONNECTED:
            raise InvalidStateError(
                f"{self.name}.{what} needs a connected session (call connect() first)"
            )

    def _subscribe(self, maxsize: int | None) -> DropOldestQueue[FrameT]:
        queue = self._fanout.subscribe(maxsize)
        self._want_decoded()
        return queue

    def frames(self, *, maxsize: int | None = None) -> AsyncIterator[FrameT]:
        """An independent drop-oldest iterator of decoded frames.

        Ends when the client disconnects; raises ``DisconnectedError`` when the transport is
        lost for good. ``InvalidStateError`` before ``connect()``. (PyAV's ``frame.to_image()``
        needs Pillow: ``pip install 'reactor-client[images]'``.)
        """
        self._require_session("frames()")
        return self._subscribe(maxsize)

    def ndarrays(
        self, *, format: str = "rgb24", maxsize: int | None = None
    ) -> AsyncIterator[numpy.ndarray]:
        """Like :meth:`frames` but yields numpy arrays (video in ``format``, e.g. ``rgb24``
        ``(H, W, 3) uint8``; audio as PCM samples)."""
        self._require_session("ndarrays()")
        reformatter = VideoReformatter()  # keeps its swscale context across frames
        return _Mapped(
            self._subscribe(maxsize), lambda frame: _to_array(frame, format, reformatter)
        )

    async def next_frame(self, *, timeout: float | None = None) -> FrameT:
        """The next frame to arrive (``RequestTimeoutError`` after ``timeout`` seconds)."""
        self._require_session("next_frame()")
        queue = self._subscribe(1)
        try:
            return await asyncio.wait_for(queue.get(), timeout)
        except asyncio.TimeoutError:
            raise RequestTimeoutError(f"no frame on {self.name!r} within {timeout} s") from None
        except StopAsyncIteration:
            raise InvalidStateError(
                f"{self.name}: the client disconnected while waiting for a frame"
            ) from None
        finally:
            self._fanout.unsubscribe(queue)

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
        path, returned as an RGB ``(H, W, 3) uint8`` array."""
        if self.kind != "video":
            raise InvalidStateError(f"snapshot() needs a video track; {self.name!r} is {self.kind}")
        frame = await self.next_frame(timeout=timeout)
        assert isinstance(frame, av.VideoFrame)
        if path is None:
            return frame.to_ndarray(format="rgb24")
        target = Path(path)
        data = encode_image(frame, "png")
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

    def _repr_html_(self) -> str:
        import html

        return (
            f"<b>{html.escape(self.name)}</b> ({self.kind}, model output): "
            f"{self.frames_received} frames received, {self.frames_decoded} decoded, "
            f"session {html.escape(self._control.status.value)}"
        )

    def on_frame(
        self,
        callback: Callable[[FrameT], Any],
        *,
        on_error: Callable[[ReactorError], Any] | None = None,
        maxsize: int | None = None,
    ) -> Subscription:
        """Call ``callback(frame)`` (sync or async) for every decoded frame; returns a
        :class:`~reactor_client.Subscription` (call it to stop).

        Fed from the same fan-out as :meth:`frames` through its own drop-oldest queue, so a
        slow callback skips frames instead of delaying anyone. The subscription ends with the
        session; if the transport is lost for good, ``on_error(DisconnectedError)`` is called
        (errors raised by ``callback`` go to the client's ``on_error``). May be registered
        before ``connect()`` (from inside the event loop), also between a ``disconnect()`` and
        the next ``connect()``. An async callback is awaited before the next frame is taken.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            raise InvalidStateError(
                f"{self.name}.on_frame() must be called from inside the event loop (in async code)"
            ) from None
        if self._fanout.closed and self._fanout.error is None:
            self._fanout.reopen()  # after a normal disconnect: wait for the next connect
        queue = self._subscribe(maxsize)
        sub: Subscription

        async def consume() -> None:
            try:
                async for frame in queue:
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
            self._fanout.unsubscribe(queue)
            task.cancel()

        sub = Subscription(callback, remove)
        return sub

    def _listener_failed(self, exc: BaseException) -> None:
        self._control.report_error(listener_error(exc, "on_frame listener"))

    def hold_decoding(self) -> Callable[[], None]:
        """Keep decoding on while a consumer that is not a queue (a recorder) needs it."""
        self._decode_holds += 1
        self._want_decoded()
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._decode_holds -= 1

        return release

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


class InputTrack:
    """A track the client sends to the model (a model ``in`` track)."""

    def __init__(self, control: TrackControl, name: str, kind: Literal["video", "audio"]) -> None:
        self._control = control
        self.name = name
        self.kind = kind
        self.published = False
        self.track: MediaStreamTrack | None = None
        self._pushed: PushedVideoTrack | PushedAudioTrack | None = None
        self._owned: Any = None  # a MediaPlayer we opened for a file source

    def __repr__(self) -> str:
        return f"<InputTrack {self.name} {self.kind} published={self.published}>"

    def _open(
        self, source: MediaSource, loop: bool, fps: float
    ) -> tuple[MediaStreamTrack, Any, Any]:
        """``(track, pushed_track_or_None, player_or_None)`` for a publish source."""
        from .sources import PushedAudioTrack, PushedVideoTrack, open_media_file

        if source is None:
            pushed: PushedVideoTrack | PushedAudioTrack = (
                PushedVideoTrack(fps=fps) if self.kind == "video" else PushedAudioTrack()
            )
            return pushed, pushed, None
        if isinstance(source, MediaStreamTrack):
            if source.kind != self.kind:
                raise ConfigurationError(
                    f"{self.name!r} is a {self.kind} track; got a {source.kind} track"
                )
            return source, None, None
        if isinstance(source, (str, Path)):
            player, track = open_media_file(source, self.kind, loop=loop)
            return track, None, player
        raise ConfigurationError(
            f"publish source for {self.name!r} must be an aiortc MediaStreamTrack, a media file path/URL "
            f"or None (push frames), not {type(source).__name__}"
        )

    async def publish(
        self, source: MediaSource = None, *, loop: bool = False, fps: float = 30.0
    ) -> None:
        """Claim the publisher slot and start sending.

        ``source``: an aiortc ``MediaStreamTrack``; a path or URL of a media file (played in
        real time, looped with ``loop=True``); or ``None``, after which frames come from
        :meth:`push_frame` (video, paced at up to ``fps``) or :meth:`push_audio`.
        ``PublishRefusedError`` when the runtime gives the slot to someone else (or this
        connection already holds it).
        """
        self._control.require_ready(f"{self.name}.publish()")
        track, pushed, player = self._open(source, loop, fps)
        try:
            await self._control.claim_publisher(self.name)
        except BaseException:
            _stop_source(pushed, player)
            raise
        self._release_source()
        self._control.replace_track(self.name, track)
        self._pushed, self._owned = pushed, player
        self.published = True
        self.track = track

    def push_frame(
        self, frame: numpy.ndarray | av.VideoFrame, *, user_data: bytes | None = None
    ) -> None:
        """Send one video frame: an RGB ``(H, W, 3) uint8`` array or an ``av.VideoFrame``.

        Frames are timestamped on arrival and paced at the publish ``fps``; when frames come
        faster than that, the newest wins. Needs ``publish()`` without a source first.
        ``user_data`` is kept on the frame (``frame.opaque``) but NOT sent to the model yet
        (that needs an encoder-side metadata trailer; not implemented).
        """
        from .sources import PushedVideoTrack

        if not isinstance(self._pushed, PushedVideoTrack) or not self.published:
            raise InvalidStateError(
                f"push_frame() needs {self.name!r} published without a source (publish() / publish_{self.name}())"
            )
        self._pushed.push(frame, user_data=user_data)

    def push_audio(self, samples: numpy.ndarray, sample_rate: int = 48000) -> None:
        """Send PCM audio: int16 (or float in [-1, 1]) samples, mono ``(n,)`` or ``(channels, n)``."""
        from .sources import PushedAudioTrack

        if not isinstance(self._pushed, PushedAudioTrack) or not self.published:
            raise InvalidStateError(
                f"push_audio() needs {self.name!r} published without a source (publish() / publish_{self.name}())"
            )
        self._pushed.push(samples, sample_rate)

    async def unpublish(self) -> None:
        """Stop sending and release the publisher slot."""
        self._control.require_ready(f"{self.name}.unpublish()")
        self._control.replace_track(self.name, None)
        self._control.send_track_verb("unpublish_track", self.name)
        self.reset()

    def reset(self) -> None:
        """Publishes do not survive a reconnect."""
        self.published = False
        self.track = None
        self._release_source()

    def _release_source(self) -> None:
        _stop_source(self._pushed, self._owned)
        self._pushed = self._owned = None


def _stop_source(pushed: MediaStreamTrack | None, player: Any) -> None:
    if pushed is not None:
        pushed.stop()
    if player is not None:
        for t in (getattr(player, "video", None), getattr(player, "audio", None)):
            if t is not None:
                t.stop()


__all__ = ["OutputTrack", "InputTrack", "TrackControl", "AnyFrame"]
