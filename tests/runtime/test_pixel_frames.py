"""``PixelFrame``: the native engine's BGRA pictures, read as arrays without PyAV and made
PyAV frames once, only for readers of frames."""

from __future__ import annotations

import asyncio
import fractions
import subprocess
import sys

import av
import numpy as np
import pytest

from reactor_client.media.feed import TrackFeed
from reactor_client.media.metadata import FrameMetadata
from reactor_client.media.pixels import CHANNELS, PixelFrame, as_av
from reactor_client.media.streams import ArrayStream, VideoStream, to_array

HEIGHT, WIDTH = 36, 64  # a width whose rgb24 rows PyAV does not pad (so padding tells nothing)


def engine_bytes(seed: int = 3) -> tuple[np.ndarray, bytes]:
    pixels = np.random.default_rng(seed).integers(0, 256, (HEIGHT, WIDTH, 4), np.uint8)
    return pixels, pixels.tobytes()


@pytest.mark.parametrize("fmt", sorted(CHANNELS))
def test_numpy_channel_orders_equal_swscale(fmt: str) -> None:
    _, bgra = engine_bytes()
    frame = PixelFrame(bgra, WIDTH, HEIGHT)
    ours = frame.to_ndarray(fmt)
    theirs = av.VideoFrame.from_ndarray(frame.pixels.copy(), format="bgra").to_ndarray(format=fmt)
    assert ours.shape == theirs.shape and ours.flags.c_contiguous and ours.flags.writeable
    assert (ours == theirs).all()


def test_bgra_is_a_read_only_view_of_the_engine_bytes() -> None:
    pixels, bgra = engine_bytes()
    array = PixelFrame(bgra, WIDTH, HEIGHT).to_ndarray("bgra")
    assert np.shares_memory(array, np.frombuffer(bgra, np.uint8))
    assert not array.flags.writeable and (array == pixels).all()


def test_other_formats_go_through_pyav() -> None:
    _, bgra = engine_bytes()
    frame = PixelFrame(bgra, WIDTH, HEIGHT)
    expected = av.VideoFrame.from_ndarray(frame.pixels.copy(), format="bgra").to_ndarray(format="gray")
    assert (frame.to_ndarray("gray") == expected).all()
    assert (to_array(frame, "gray") == expected).all()


def test_to_av_is_made_once_with_the_frame_timing_and_metadata() -> None:
    _, bgra = engine_bytes()
    meta = FrameMetadata(4, 99, b"{}")
    frame = PixelFrame(bgra, WIDTH, HEIGHT, pts=3000, time_base=fractions.Fraction(1, 90000), opaque=meta)
    first = frame.to_av()
    assert first is frame.to_av() and as_av(frame) is first
    assert (first.format.name, first.width, first.height) == ("bgra", WIDTH, HEIGHT)
    assert (first.pts, first.time_base, first.opaque) == (3000, fractions.Fraction(1, 90000), meta)
    assert np.shares_memory(np.frombuffer(first.planes[0], np.uint8), np.frombuffer(bgra, np.uint8))
    plain = av.VideoFrame(8, 8, "rgb24")
    assert as_av(plain) is plain


async def test_frame_streams_get_pyav_frames_and_array_streams_the_pixels() -> None:
    feed: TrackFeed[av.VideoFrame] = TrackFeed("main_video", "video", 4)
    arrays, views = ArrayStream(VideoStream(feed), "rgb24"), ArrayStream(VideoStream(feed), "bgra")
    pixels, bgra = engine_bytes()
    meta = FrameMetadata(9, 1, b"{}")
    delivered = PixelFrame(bgra, WIDTH, HEIGHT, pts=0, opaque=meta)
    feed.on_engine_frame("VP9", delivered)
    rgb = await asyncio.wait_for(arrays.__anext__(), 1)
    view = await asyncio.wait_for(views.__anext__(), 1)
    assert delivered._av is None  # arrays were read from the pixels: no PyAV frame was made
    frames = VideoStream(feed)
    feed.on_engine_frame("VP9", delivered)
    frame = await asyncio.wait_for(frames.__anext__(), 1)
    assert isinstance(frame, av.VideoFrame) and frame is delivered._av and frame.opaque is meta
    assert (rgb == pixels[..., 2::-1]).all() and rgb.flags.c_contiguous
    assert np.shares_memory(view, np.frombuffer(bgra, np.uint8))
    assert (frame.to_ndarray(format="rgb24") == rgb).all()
    assert (await asyncio.wait_for(arrays.__anext__(), 1) == rgb).all()  # the second delivery
    feed.end()
    with pytest.raises(StopAsyncIteration):  # an array stream still ends with the session
        await asyncio.wait_for(arrays.__anext__(), 1)


async def test_formats_numpy_cannot_make_reuse_one_swscale_context() -> None:
    feed: TrackFeed[av.VideoFrame] = TrackFeed("main_video", "video", 4)
    gray, rgb = ArrayStream(VideoStream(feed), "gray"), ArrayStream(VideoStream(feed), "rgb24")
    for pts in range(2):
        feed.on_engine_frame("VP9", PixelFrame(engine_bytes(pts)[1], WIDTH, HEIGHT, pts=pts))
        await asyncio.wait_for(gray.__anext__(), 1)
        await asyncio.wait_for(rgb.__anext__(), 1)
    assert gray._convert.reformatter is not None and rgb._convert.reformatter is None
    context = gray._convert.reformatter
    feed.on_engine_frame("VP9", PixelFrame(engine_bytes(5)[1], WIDTH, HEIGHT, pts=5))
    await asyncio.wait_for(gray.__anext__(), 1)
    assert gray._convert.reformatter is context


def test_blocking_arrays_read_the_pixels_and_reuse_swscale_where_needed() -> None:
    from reactor_client.sync.tracks import SyncOutputTrack

    items = [PixelFrame(engine_bytes(seed)[1], WIDTH, HEIGHT, pts=seed) for seed in range(3)]
    arrays = list(SyncOutputTrack._arrays(iter(items), "rgb24"))
    assert all((a == p.pixels[..., 2::-1]).all() for a, p in zip(arrays, items, strict=True))
    assert all(p._av is None for p in items)
    grays = list(SyncOutputTrack._arrays(iter(items), "gray"))
    assert [g.shape for g in grays] == [(HEIGHT, WIDTH)] * 3


def test_to_av_from_two_threads_makes_one_frame() -> None:
    import threading

    for _ in range(50):
        frame = PixelFrame(engine_bytes()[1], WIDTH, HEIGHT)
        barrier, made = threading.Barrier(2), []

        def read(frame: PixelFrame = frame, barrier: threading.Barrier = barrier, made: list = made) -> None:
            barrier.wait()
            made.append(frame.to_av())

        threads = [threading.Thread(target=read) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert made[0] is made[1]


def test_importing_the_client_and_a_package_does_not_import_pyav() -> None:
    code = (
        "import sys, reactor_client, reactor_client.media, reactor_models.longlive_v2\n"
        "from reactor_client.transport.native import media\n"
        "print('av' in sys.modules)\n"
        "from reactor_client import StepInputFrame\n"  # names PyAV's classes: imports it
        "print('av' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
