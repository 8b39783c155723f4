"""The generated blocking API (``reactor_models.feature_model.sync``) on the REAL runtime.

Plain ``def`` tests: no event loop in the test, exactly how a script or notebook uses it.
"""

from __future__ import annotations

import inspect
import threading
import time
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from reactor_models.feature_model import FeatureModel as AsyncFeatureModel
from reactor_models.feature_model import messages
from reactor_models.feature_model.sync import FeatureModel

import reactor_client
from reactor_client.sync import SyncModel
from reactor_client.typed import ModelClient

pytestmark = pytest.mark.runtime


@pytest.fixture
def model(feature_server: Any) -> Any:
    with FeatureModel(url=feature_server.url, local=True) as m:
        yield m


def loop_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.endswith("-loop")]


def test_blocking_options_are_the_async_ones() -> None:
    sync_params = inspect.signature(SyncModel.__init__).parameters
    async_params = inspect.signature(ModelClient.__init__).parameters
    assert list(sync_params) == list(async_params)
    assert [p.default for p in sync_params.values()] == [p.default for p in async_params.values()]
    with pytest.raises(TypeError, match=r"FeatureModel.__init__\(\) got an unexpected"):
        FeatureModel(locl=True)  # type: ignore[call-arg]


def test_with_block_connects_replies_and_cleans_up(feature_server: Any) -> None:
    before = loop_threads()
    with FeatureModel(url=feature_server.url, local=True) as model:
        assert model.status is reactor_client.Status.READY
        assert isinstance(model.aio, AsyncFeatureModel)
        echo = model.echo(text="hi", repeat=2)
        assert isinstance(echo, messages.Echo) and echo.text == "hihi" and echo.count == 2
        with pytest.raises(reactor_client.CommandValidationError, match="quality"):
            model.configure(label="x", quality=7)
        assert len(loop_threads()) == len(before) + 1
    assert model.status is reactor_client.Status.DISCONNECTED
    assert loop_threads() == before  # the loop thread is gone
    model.close()  # idempotent
    with pytest.raises(reactor_client.InvalidStateError):
        model.echo(text="after close")


def test_listeners_run_on_the_loop_thread_and_waiters_block(model: Any) -> None:
    seen: list[tuple[list[int], str]] = []
    decorated: list[messages.ColorChanged] = []
    sub = model.on_color_changed(lambda m: seen.append((m.rgb, threading.current_thread().name)))

    @model.on_color_changed()
    def remember(message: messages.ColorChanged) -> None:
        decorated.append(message)

    model.set_color(red=10, green=20, blue=30)
    changed = model.wait_for_color_changed(lambda m: m.rgb == [10, 20, 30], timeout=10)
    assert changed.source == "command"
    deadline = time.monotonic() + 5
    while not seen and time.monotonic() < deadline:
        time.sleep(0.02)
    assert seen[0][0] == [10, 20, 30]
    assert seen[0][1] == "FeatureModel-loop"  # not the caller's thread
    assert decorated and decorated[0].rgb == [10, 20, 30]
    sub.unsubscribe()  # from this (foreign) thread
    model.set_color(red=1, green=2, blue=3)
    model.wait_for_color_changed(lambda m: m.rgb == [1, 2, 3], timeout=10)
    time.sleep(0.1)
    assert len(seen) == 1 and len(decorated) == 2


def test_blocking_call_inside_a_listener_is_refused_not_deadlocked(model: Any) -> None:
    errors: list[BaseException] = []

    def reenter(_: Any) -> None:
        try:
            model.echo(text="from inside")
        except reactor_client.InvalidStateError as exc:
            errors.append(exc)

    model.on_color_changed(reenter)
    model.set_color(red=5)
    model.wait_for_color_changed(lambda m: m.rgb[0] == 5, timeout=10)
    deadline = time.monotonic() + 5
    while not errors and time.monotonic() < deadline:
        time.sleep(0.02)
    assert errors and "deadlock" in str(errors[0])


def test_frames_are_a_plain_iterator_and_break_unsubscribes(model: Any) -> None:
    video = model.main_video
    assert video is model.main_video  # one wrapper per track
    got = []
    for frame in video.frames():
        got.append(frame)
        if len(got) == 3:
            break
    assert all(isinstance(f, av.VideoFrame) and f.width == 64 for f in got)
    # an iterator kept by the caller (so no garbage collection hides a missing unsubscribe)
    kept = video.frames()
    assert video.track.feed.fanout.subscribers == 1  # subscribed when called, not on next()
    next(kept)
    kept.close()
    deadline = time.monotonic() + 2
    while video.track.feed.fanout.subscribers and time.monotonic() < deadline:
        time.sleep(0.02)
    assert video.track.feed.fanout.subscribers == 0
    arrays = video.ndarrays()
    assert video.track.feed.fanout.subscribers == 1
    first = next(arrays)
    arrays.close()
    assert first.shape == (48, 64, 3) and first.dtype == np.uint8
    deadline = time.monotonic() + 2
    while video.track.feed.fanout.subscribers and time.monotonic() < deadline:
        time.sleep(0.02)
    assert video.track.feed.fanout.subscribers == 0


def test_snapshot_record_and_on_frame(model: Any, tmp_path: Path) -> None:
    rgb = model.main_video.snapshot()
    assert np.allclose(rgb.reshape(-1, 3).mean(axis=0), (0, 128, 255), atol=8)
    assert model.main_video.snapshot(tmp_path / "shot.png").read_bytes()[:4] == b"\x89PNG"

    frames: list[int] = []
    sub = model.main_video.on_frame(lambda f: frames.append(f.width))
    result = model.record(tmp_path / "two.mp4", 1.0)
    sub.unsubscribe()
    assert result.path == tmp_path / "two.mp4" and result.path.stat().st_size > 0
    with av.open(str(result.path)) as container:
        assert sum(1 for _ in container.decode(video=0)) >= 15
    assert frames and set(frames) == {64}

    with model.recording(tmp_path / "open.webm") as recorder:
        time.sleep(0.6)
    assert recorder.result is not None and recorder.result.path.stat().st_size > 0
    with model.recording(tmp_path / "stopped.mp4") as recorder:
        time.sleep(0.6)
        result = recorder.stop()  # blocking, inside the block
    assert result.path.stat().st_size > 0 and result.frames["main_video"] > 0


def test_input_track_push_frame_reaches_the_model(model: Any) -> None:
    model.publish_webcam()
    assert model.webcam.published
    pixels = np.full((48, 64, 3), (200, 30, 90), np.uint8)
    report = None
    for _ in range(60):
        model.webcam.push_frame(pixels)
        report = model.report_input()
        if report is not None and report.frames_received >= 5 and report.mean_color:
            break
        time.sleep(0.05)
    assert report is not None and report.frames_received >= 5
    assert np.allclose(report.mean_color, (200, 30, 90), atol=20)
    model.unpublish_webcam()


def test_messages_iterator_and_status_listener(feature_server: Any) -> None:
    statuses: list[reactor_client.Status] = []
    model = FeatureModel(url=feature_server.url, local=True)
    model.on_status(statuses.append)
    try:
        model.connect()
        stream = model.messages()  # subscribed when called: the echo below is not missed
        model.echo(text="stream me")
        for message in stream:
            if isinstance(message, messages.Echo):
                assert message.text == "stream me"
                break
        assert model.get_stats().tracks["main_video"].frames_decoded >= 0
    finally:
        model.close()
    assert reactor_client.Status.READY in statuses
    assert statuses[-1] is reactor_client.Status.DISCONNECTED


def test_repr_and_notebook_html(model: Any) -> None:
    assert repr(model) == (
        "<FeatureModel feature-model v0.0.0 status=ready "
        "tracks=[webcam,main_video,main_audio] "
        "commands=[configure,crash,echo,fail,inspect_file,report_input,set_color]>"
    )
    card = model._repr_html_()
    for part in ("FeatureModel", "v0.0.0", "ready", "main_video", "webcam", "set_color", "color_changed"):
        assert part in card, part
    assert "<script" not in card
    assert "main_video" in model.main_video._repr_html_()


def test_server_side_clip_downloads_blocking(model: Any, tmp_path: Path) -> None:
    time.sleep(1.2)  # the runtime records whole 1 s chunks
    clip = model.request_clip(1.0)
    assert clip.duration_seconds > 0 and "token" not in repr(clip).lower()
    path = clip.download(tmp_path / "clip.mp4", timeout=30)
    with av.open(str(path)) as container:
        assert sum(1 for _ in container.decode(video=0)) >= 20


def test_timeouts_are_reactor_errors(model: Any) -> None:
    with pytest.raises(reactor_client.RequestTimeoutError):
        model.wait_for_color_changed(lambda m: m.rgb == [1, 1, 1], timeout=0.3)
    with pytest.raises(reactor_client.RequestTimeoutError):
        model.wait_for_configured(timeout=0.3)
    assert model.echo(text="still fine").text == "still fine"


def test_close_from_a_listener_and_a_waiting_caller(feature_server: Any) -> None:
    model = FeatureModel(url=feature_server.url, local=True)
    model.connect()
    model.on_color_changed(lambda _: model.close())  # from the loop thread
    try:  # the close may overtake the command's acknowledgement
        model.set_color(red=9)
    except reactor_client.ReactorError as exc:  # never a bare CancelledError
        assert isinstance(exc, (reactor_client.DisconnectedError, reactor_client.InvalidStateError))
    deadline = time.monotonic() + 10
    while model.loop._thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not model.loop._thread.is_alive()
    assert model.aio.status is reactor_client.Status.DISCONNECTED  # it disconnected first
    with pytest.raises(reactor_client.InvalidStateError):
        model.echo(text="after close")


def test_exit_with_an_exception_keeps_that_exception(feature_server: Any) -> None:
    with pytest.raises(ZeroDivisionError):
        with FeatureModel(url=feature_server.url, local=True) as model:
            real = model.aio.disconnect

            async def failing() -> None:  # ends the session, then fails like a dead runtime
                await real()
                raise reactor_client.NetworkError("runtime gone")

            model.aio.disconnect = failing  # type: ignore[method-assign]
            1 / 0  # noqa: B018
    assert model.loop.closed
    # without an exception in the block, the disconnect error is the one raised
    model = FeatureModel(url=feature_server.url, local=True)
    model.connect()
    real = model.aio.disconnect

    async def failing_again() -> None:
        await real()
        raise reactor_client.NetworkError("runtime gone")

    model.aio.disconnect = failing_again  # type: ignore[method-assign]
    with pytest.raises(reactor_client.NetworkError, match="runtime gone"):
        model.close()
    assert model.loop.closed


def test_an_unclosed_model_ends_its_session_and_thread(feature_server: Any) -> None:
    import gc

    before = loop_threads()
    model = FeatureModel(url=feature_server.url, local=True)
    model.connect()
    aio = model.aio
    del model
    gc.collect()
    deadline = time.monotonic() + 10
    while loop_threads() != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert loop_threads() == before
    assert aio.status is reactor_client.Status.DISCONNECTED
