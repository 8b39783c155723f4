"""Unit tests of ``OutputTrack`` and its ``TrackFeed`` (no server): decode gating at key
frames, metadata trailers, fan-out consumers (streams, callbacks, snapshot), and how they end."""

from __future__ import annotations

import asyncio
import fractions
from typing import Any

import av
import numpy as np
import pytest

from reactor_client import DisconnectedError, FrameMetadata, InvalidStateError, ReactorError, Status, frame_metadata
from reactor_client.media.metadata import append_trailer, split_trailer
from reactor_client.media.tracks import OutputTrack

KEY = b"\x10\x02\x00\x9d\x01\x2a\x40\x00\x30\x00rest"  # VP8 key frame tag, 64x48
INTER = b"\x31\x02\x00inter"


class FakeControl:
    def __init__(self, status: Status = Status.READY) -> None:
        self.status = status
        self.verbs: list[tuple[str, str]] = []
        self.errors: list[ReactorError] = []

    def require_ready(self, what: str) -> None:
        if self.status != Status.READY:
            raise InvalidStateError(what)

    def send_track_verb(self, verb: str, name: str) -> None:
        self.verbs.append((verb, name))

    async def claim_publisher(self, name: str) -> None: ...

    def replace_track(self, name: str, track: Any) -> None: ...

    def report_error(self, error: ReactorError) -> None:
        self.errors.append(error)


class Jitter:
    def __init__(self, data: bytes, timestamp: int) -> None:
        self.data = data
        self.timestamp = timestamp


class FakeTransport:
    """Stands in for the transport a track is bound to: counts key frame requests."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    def request_keyframe(self, track: str) -> None:
        self.requests.append(track)

    def take(self) -> bool:
        flagged = bool(self.requests)
        self.requests.clear()
        return flagged


def video_frame(pts: int, value: int = 100) -> av.VideoFrame:
    frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), value, np.uint8), format="rgb24")
    frame.pts, frame.time_base = pts, fractions.Fraction(1, 90000)
    return frame


def make_track(status: Status = Status.READY) -> tuple[OutputTrack[av.VideoFrame], FakeControl, FakeTransport]:
    control = FakeControl(status)
    track: OutputTrack[av.VideoFrame] = OutputTrack(control, "main_video", "video", 2)
    transport = FakeTransport()
    track.feed.bind(transport)
    return track, control, transport


async def test_nothing_is_decoded_without_a_consumer() -> None:
    track, _, receiver = make_track()
    assert track.feed.on_encoded("VP8", Jitter(KEY, 0)) is False
    assert track.feed.on_encoded("VP8", Jitter(INTER, 3000)) is False
    assert track.frames_received == 2 and track.bytes_received == len(KEY) + len(INTER)
    assert not receiver.take()


async def test_decoding_starts_at_a_key_frame_and_requests_one() -> None:
    track, _, receiver = make_track()
    frames = track.frames()
    assert receiver.take()  # a consumer arrived: ask for a key frame right away
    assert track.feed.on_encoded("VP8", Jitter(INTER, 0)) is False  # an inter frame cannot start a decoder
    assert track.feed.on_encoded("VP8", Jitter(KEY, 3000)) is True
    assert track.feed.on_encoded("VP8", Jitter(INTER, 6000)) is True  # decoding continues
    del frames  # the only consumer is gone ...
    assert track.feed.on_encoded("VP8", Jitter(INTER, 9000)) is False  # ... and so is decoding
    assert track.feed.on_encoded("VP8", Jitter(INTER, 12000)) is False


async def test_non_vp8_codecs_are_not_gated_on_key_frames() -> None:
    track, _, _ = make_track()
    it = track.frames()
    assert track.feed.on_encoded("H264", Jitter(b"\x00\x00\x01\x41", 0)) is True
    del it


async def test_metadata_trailer_is_stripped_and_reattached_to_the_decoded_frame() -> None:
    track, _, _ = make_track()
    not_negotiated = Jitter(append_trailer(KEY, FrameMetadata(1, 1, b"")), 0)
    track.feed.on_encoded("VP8", not_negotiated)
    assert not_negotiated.data != KEY  # only a connection that agreed to trailers is stripped
    track.feed.metadata_negotiated = True
    frames = track.frames(maxsize=4)
    meta = FrameMetadata(7, 123456, b'{"n":1}')
    encoded = Jitter(append_trailer(KEY, meta), 3000)
    assert track.feed.on_encoded("VP8", encoded) is True
    assert encoded.data == KEY  # the decoder sees the payload only
    track.feed.on_decoded(video_frame(3000))
    track.feed.on_decoded(video_frame(6000))  # no trailer for this one
    first = await asyncio.wait_for(frames.__anext__(), 1)
    second = await asyncio.wait_for(frames.__anext__(), 1)
    assert frame_metadata(first) == meta and frame_metadata(first).json() == {"n": 1}  # type: ignore[union-attr]
    assert frame_metadata(second) is None
    assert track.frames_decoded == 2
    track.feed.end()


def test_split_trailer_leaves_other_payloads_alone() -> None:
    assert split_trailer(b"no trailer here") == (b"no trailer here", None)
    assert split_trailer(b"xxRXMT") == (b"xxRXMT", None)
    assert split_trailer(b"\xff\xff\xff\x7fRXMT") == (b"\xff\xff\xff\x7fRXMT", None)  # length past the start
    payload, meta = split_trailer(append_trailer(b"vp8", FrameMetadata(1, 2, b"")))
    assert payload == b"vp8" and meta == FrameMetadata(1, 2, b"")
    assert FrameMetadata(1, 2).json() is None


async def test_consumers_coexist_and_each_gets_every_frame() -> None:
    track, control, _ = make_track()
    a = track.frames(maxsize=8)
    b = track.ndarrays(maxsize=8)
    got_sync: list[int] = []
    got_async: list[int] = []

    async def slow(frame: av.VideoFrame) -> None:
        got_async.append(frame.pts)

    sub1 = track.on_frame(lambda f: got_sync.append(f.pts), maxsize=8)
    sub2 = track.on_frame(slow, maxsize=8)
    for pts in (0, 3000, 6000):
        track.feed.on_decoded(video_frame(pts))
    assert [(await a.__anext__()).pts for _ in range(3)] == [0, 3000, 6000]
    arrays = [await b.__anext__() for _ in range(3)]
    assert arrays[0].shape == (48, 64, 3)
    await asyncio.sleep(0.05)
    assert got_sync == [0, 3000, 6000] and got_async == [0, 3000, 6000]
    sub1()
    assert not sub1.active and sub2.active
    track.feed.on_decoded(video_frame(9000))
    await asyncio.sleep(0.05)
    assert got_sync == [0, 3000, 6000] and got_async[-1] == 9000
    track.feed.end()


async def test_lost_transport_raises_in_iterators_and_reaches_callbacks() -> None:
    track, control, _ = make_track()
    it = track.frames()
    errors: list[ReactorError] = []
    sub = track.on_frame(lambda f: None, on_error=errors.append)
    track.feed.end(DisconnectedError("transport lost: test"))
    with pytest.raises(DisconnectedError):
        await asyncio.wait_for(it.__anext__(), 1)
    await asyncio.sleep(0.01)
    assert [type(e) for e in errors] == [DisconnectedError] and not sub.active


async def test_disconnect_ends_iterators_normally() -> None:
    track, _, _ = make_track()
    it = track.frames()
    track.feed.end()
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(it.__anext__(), 1)


async def test_failing_callback_is_reported_not_fatal() -> None:
    track, control, _ = make_track()

    def boom(frame: av.VideoFrame) -> None:
        raise ValueError("bad callback")

    track.on_frame(boom)
    track.feed.on_decoded(video_frame(0))
    await asyncio.sleep(0.05)
    assert control.errors and "bad callback" in str(control.errors[0])
    track.feed.end()


async def test_reading_before_connect_fails_at_once() -> None:
    track, _, _ = make_track(Status.DISCONNECTED)
    for call in (track.frames, track.ndarrays):
        with pytest.raises(InvalidStateError, match="connect"):
            call()
    with pytest.raises(InvalidStateError):
        await track.next_frame(timeout=1)
    with pytest.raises(InvalidStateError):
        await track.snapshot()
    with pytest.raises(InvalidStateError):
        await track.pause()


async def test_snapshot_png_and_array() -> None:
    track, _, _ = make_track()

    async def feed() -> None:
        await asyncio.sleep(0.02)
        track.feed.on_decoded(video_frame(0, value=42))

    asyncio.ensure_future(feed())
    rgb = await track.snapshot(timeout=1)
    assert rgb.shape == (48, 64, 3) and int(rgb.mean()) in range(40, 45)
    track.feed.end()


async def test_pause_and_resume_are_track_verbs() -> None:
    track, control, _ = make_track()
    await track.pause()
    assert track.paused and control.verbs == [("pause_track", "main_video")]
    await track.resume()
    assert not track.paused and control.verbs[-1] == ("resume_track", "main_video")


async def test_streams_are_typed_by_kind_closeable_and_context_managed() -> None:
    from reactor_client import AudioStream, VideoStream
    from reactor_client.media.streams import STREAMS

    track, _, transport = make_track()
    assert STREAMS == {"video": VideoStream, "audio": AudioStream}
    stream = track.frames(maxsize=4)
    assert isinstance(stream, VideoStream) and track.wants_decoded
    async with VideoStream(track) as second:
        assert track.feed.fanout.subscribers == 2
        track.feed.on_decoded(video_frame(0))
        assert (await second.next(timeout=1)).pts == 0
    assert track.feed.fanout.subscribers == 1 and second.closed  # left the block: unsubscribed
    await stream.aclose()  # still referenced, yet decoding stops now
    assert not track.wants_decoded and stream.closed
    assert track.feed.on_encoded("VP8", Jitter(KEY, 3000)) is False
    with pytest.raises(StopAsyncIteration):
        await stream.__anext__()
    arrays = track.ndarrays()
    assert track.wants_decoded
    await arrays.aclose()
    assert not track.wants_decoded
    with pytest.raises(InvalidStateError, match="AudioStream needs a track of kind 'audio'; 'main_video' is 'video'"):
        AudioStream(track)  # type: ignore[arg-type]
