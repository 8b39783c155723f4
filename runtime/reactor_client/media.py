"""Media: ``OutputTrack`` (background reader fanning frames out to drop-oldest iterators) and ``InputTrack``."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Literal, Union

import av
from av.video.reformatter import VideoReformatter
import numpy
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from .errors import RequestTimeoutError
from .session.dispatch import DropOldestQueue, Fanout

if TYPE_CHECKING:
    from .session.client import ReactorClient

AnyFrame = Union[av.VideoFrame, av.AudioFrame]


class _Mapped(AsyncIterator[Any]):
    """Async iterator applying ``fn`` to every item of a subscription (subscribed eagerly)."""

    def __init__(self, queue: DropOldestQueue[AnyFrame], fn: Callable[[AnyFrame], Any]) -> None:
        self._queue = queue
        self._fn = fn

    def __aiter__(self) -> _Mapped:
        return self

    async def __anext__(self) -> Any:
        return self._fn(await self._queue.get())


class OutputTrack:
    """A model "out" track (client recvonly). Frames are pulled continuously, read or not."""

    def __init__(self, client: ReactorClient, name: str, kind: Literal["video", "audio"], queue_size: int) -> None:
        self._client = client
        self.name = name
        self.kind = kind
        self.frames_received = 0
        self.last_frame_at: float | None = None
        self.aiortc_track: MediaStreamTrack | None = None
        self._fanout: Fanout[AnyFrame] = Fanout(queue_size)
        self._reader: asyncio.Task[None] | None = None
        self.on_frame_received: Callable[[], None] | None = None

    def __repr__(self) -> str:
        return f"<OutputTrack {self.name} {self.kind} frames={self.frames_received}>"

    def _attach(self, track: MediaStreamTrack) -> None:
        """Bind the aiortc track of the current peer and start draining it."""
        self._detach()
        self.aiortc_track = track
        self._fanout.reopen()
        self._reader = asyncio.ensure_future(self._read(track))

    def _detach(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            self._reader = None

    def _close(self) -> None:
        """The client is gone for good: stop reading and end every iterator."""
        self._detach()
        self._fanout.close()

    def _reopen(self) -> None:
        self._fanout.reopen()

    async def _read(self, track: MediaStreamTrack) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a decoder hiccup must not stop the drain
                await asyncio.sleep(0.01)
                continue
            self.frames_received += 1
            self.last_frame_at = time.monotonic()
            if self.on_frame_received is not None:
                self.on_frame_received()
            self._fanout.publish(frame)  # type: ignore[arg-type]

    def frames(self, *, maxsize: int | None = None) -> AsyncIterator[AnyFrame]:
        """An independent drop-oldest iterator of decoded frames; ends when the client disconnects."""
        return self._fanout.subscribe(maxsize)

    def ndarrays(self, *, format: str = "rgb24", maxsize: int | None = None) -> AsyncIterator[numpy.ndarray]:
        """Like :meth:`frames` but yields numpy arrays (video in ``format``; audio as PCM samples)."""

        reformatter = VideoReformatter()  # keeps its swscale context across frames

        def convert(frame: AnyFrame) -> numpy.ndarray:
            if isinstance(frame, av.VideoFrame):
                if frame.format.name == format:
                    return frame.to_ndarray()
                return reformatter.reformat(frame, format=format).to_ndarray()
            return frame.to_ndarray()

        return _Mapped(self._fanout.subscribe(maxsize), convert)

    async def next_frame(self, *, timeout: float | None = None) -> AnyFrame:
        """The next frame to arrive (RequestTimeoutError after ``timeout``)."""
        q = self._fanout.subscribe(1)
        try:
            return await asyncio.wait_for(q.get(), timeout)
        except asyncio.TimeoutError:
            raise RequestTimeoutError(f"no frame on {self.name!r} within {timeout} s") from None
        finally:
            self._fanout.unsubscribe(q)

    async def pause(self) -> None:
        await self._client.pause_track(self.name)

    async def resume(self) -> None:
        await self._client.resume_track(self.name)


class InputTrack:
    """A model "in" track (client sendonly)."""

    def __init__(self, client: ReactorClient, name: str, kind: Literal["video", "audio"]) -> None:
        self._client = client
        self.name = name
        self.kind = kind
        self.published = False
        self.track: MediaStreamTrack | None = None

    def __repr__(self) -> str:
        return f"<InputTrack {self.name} {self.kind} published={self.published}>"

    async def publish(self, track: MediaStreamTrack) -> None:
        """Claim the publisher slot and start sending ``track``."""
        await self._client.publish(self.name, track)

    async def unpublish(self) -> None:
        await self._client.unpublish(self.name)
