"""The native transport (``transport="native"``, reactor_webrtc) on its own: the hand-off of
engine-thread callbacks to the event loop, teardown (nothing left running), the engine lease,
choosing a transport (``"auto"``, ``REACTOR_TRANSPORT``) and the fallback when the wheel is
absent. The whole session over it is the other runtime tests, run with ``--transport native``.

The wheel installs here (``reactor-client[native]``), so nothing in this file is skipped.
"""

from __future__ import annotations

import asyncio
import fractions
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import av
import numpy as np
import pytest

from reactor_client import ConfigurationError, ReactorClient
from reactor_client.media.pixels import PixelFrame
from reactor_client.transport import TransportEvents, TransportSetup, resolve_transport
from reactor_client.transport.native import NATIVE_INFO, engine
from reactor_client.transport.native.handoff import LoopHandoff, guarded
from reactor_client.transport.native.media import AudioReceiver, VideoReceiver
from reactor_client.transport.native.peer import NativeTransport, NativeTransportFactory
from reactor_client.types import TrackSpec

MODEL = "feature-model"


def os_threads() -> int:
    return len(os.listdir(f"/proc/{os.getpid()}/task"))


def in_thread(fn: Any, *args: Any) -> None:
    """Call ``fn`` on another thread (as the engine does) and wait for it."""
    thread = threading.Thread(target=fn, args=args)
    thread.start()
    thread.join()


async def settle(predicate: Any, timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


@pytest.fixture
def fresh_engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The engine module's state for this test only (restored afterwards)."""
    for name, value in (("_factory", None), ("_settings", None), ("_leases", 0), ("_pinned", False)):
        monkeypatch.setattr(engine, name, value)
    yield


# ---------------------------------------------------------------------- the hand-off


async def test_engine_thread_posts_run_on_the_loop_in_order() -> None:
    loop = asyncio.get_running_loop()
    handoff = LoopHandoff(loop)
    seen: list[tuple[int, threading.Thread]] = []

    def engine_thread() -> None:
        for i in range(100):
            handoff.post(lambda i=i: seen.append((i, threading.current_thread())))

    in_thread(engine_thread)
    await settle(lambda: len(seen) == 100)
    assert [i for i, _ in seen] == list(range(100))
    assert {t for _, t in seen} == {threading.current_thread()}  # the loop's thread, never the engine's
    assert handoff.ran == 100 and handoff.dropped == 0


async def test_nothing_runs_after_close_not_even_what_was_posted_before() -> None:
    handoff = LoopHandoff(asyncio.get_running_loop())
    ran: list[int] = []
    in_thread(lambda: [handoff.post(ran.append, i) for i in range(10)])  # queued on the loop...
    handoff.close()  # ... and closed before the loop ran them
    in_thread(lambda: handoff.post(ran.append, 99))
    await asyncio.sleep(0.05)
    assert ran == [] and handoff.dropped == 11


def test_a_closed_loop_or_a_failing_callback_never_reaches_the_engine(caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.new_event_loop()
    handoff = LoopHandoff(loop)
    ran: list[int] = []

    def boom() -> None:
        raise RuntimeError("listener bug")

    handoff.post(boom)
    handoff.post(ran.append, 1)
    loop.run_until_complete(asyncio.sleep(0.01))
    assert ran == [1]  # the failure did not stop the next post
    assert "native transport callback boom failed" in caplog.text
    loop.close()
    handoff.post(ran.append, 2)  # the application's loop is gone: dropped, no exception
    assert ran == [1] and handoff.dropped == 1
    guarded(boom)()  # an engine callback never raises into the engine's thread


class FakeSink:
    def __init__(self) -> None:
        self.wants_decoded = False


async def test_video_is_wrapped_on_the_engine_thread_only_while_someone_reads() -> None:
    sink = FakeSink()
    handoff = LoopHandoff(asyncio.get_running_loop())
    delivered: list[Any] = []
    receiver = VideoReceiver(sink, handoff, delivered.append)
    bgra = np.zeros((48, 64, 4), np.uint8)
    bgra[..., :3] = (255, 128, 0)  # B, G, R
    meta = type("Meta", (), {"frame_id": 7, "capture_time_us": 1234, "user_data": b'{"a":1}'})()

    in_thread(receiver, bgra.tobytes(), 64, 48, None)  # nobody reads: counted, not converted
    sink.wants_decoded = True
    in_thread(receiver, bgra.tobytes(), 64, 48, meta)
    await settle(lambda: len(delivered) == 2)
    assert delivered[0] is None and receiver.converted == 1
    pixels = delivered[1]  # the engine's BGRA, made a PyAV frame only for frame readers
    assert isinstance(pixels, PixelFrame) and (pixels.width, pixels.height) == (64, 48)
    assert np.shares_memory(pixels.to_ndarray("bgra"), pixels.pixels)
    frame = pixels.to_av()
    assert frame is pixels.to_av()  # made once, shared by every reader
    assert isinstance(frame, av.VideoFrame) and (frame.width, frame.height) == (64, 48)
    assert frame.to_ndarray(format="rgb24")[0, 0].tolist() == [0, 128, 255]
    assert frame.pts is not None and frame.pts >= 0 and frame.time_base == fractions.Fraction(1, 90000)
    assert frame.opaque.frame_id == 7 and frame.opaque.json() == {"a": 1}
    handoff.close()
    in_thread(receiver, bgra.tobytes(), 64, 48, None)
    await asyncio.sleep(0.02)
    assert len(delivered) == 2  # closed: the engine's callback does nothing more
    in_thread(receiver, b"short", 64, 48, None)  # a bad buffer never raises into the engine


async def test_audio_10ms_chunks_become_20ms_frames() -> None:
    sink = FakeSink()
    sink.wants_decoded = True
    handoff = LoopHandoff(asyncio.get_running_loop())
    delivered: list[Any] = []
    receiver = AudioReceiver(sink, handoff, delivered.append)
    chunk = (np.arange(480, dtype=np.int16)).tobytes()
    in_thread(lambda: [receiver(chunk, 48000, 1, 480) for _ in range(4)])
    await settle(lambda: len(delivered) == 2)
    first, second = delivered
    assert isinstance(first, av.AudioFrame) and first.samples == 960 and first.sample_rate == 48000
    assert (first.pts, second.pts) == (0, 960)
    assert first.to_ndarray()[0, :3].tolist() == [0, 1, 2]


def test_encoded_taps_are_refused_where_the_transport_shows_none() -> None:
    from types import SimpleNamespace

    from reactor_client.media.feed import TrackFeed

    feed: TrackFeed[Any] = TrackFeed("main_video", "video", 2)
    feed.bind(SimpleNamespace(info=NATIVE_INFO, request_keyframe=lambda track: None))
    assert not feed.encoded_frames
    with pytest.raises(ConfigurationError, match="this transport shows no encoded frames"):
        feed.add_encoded_tap(lambda frame: None)  # fails clearly instead of never being called
    feed.on_engine_frame("VP9", None)  # counted though not converted
    assert (feed.frames_received, feed.frames_decoded, feed.codec) == (1, 0, "VP9")


# ---------------------------------------------------------------------- the engine


def test_one_engine_per_process_leased_and_dropped_with_the_last_transport(
    fresh_engine: None, caplog: pytest.LogCaptureFixture
) -> None:
    builds = engine.state().builds
    first, release_first = engine.acquire(engine.EngineSettings(immediate_playout=True))
    caplog.set_level(logging.INFO, logger="reactor_client")
    second, release_second = engine.acquire(engine.EngineSettings(immediate_playout=False))
    assert first is second and engine.state().builds == builds + 1  # one per process
    assert "the engine runs with EngineSettings(immediate_playout=True)" in caplog.text
    release_first(True)
    release_first(True)  # idempotent
    assert engine.state().alive and engine.state().leases == 1
    del first, second  # (the test's own references: a factory dies with its last one)
    release_second(True)
    assert not engine.state().alive and engine.state().leases == 0  # libwebrtc's threads end
    third, release_third = engine.acquire(engine.EngineSettings(immediate_playout=False))
    assert engine.state().settings == engine.EngineSettings(immediate_playout=False)
    release_third(False)  # an engine object is still referenced somewhere: keep the engine
    assert engine.state().alive and engine.state().pinned
    del third


async def test_a_transport_closed_before_connecting_releases_everything(fresh_engine: None) -> None:
    tracks = (
        TrackSpec("webcam", "video", "sendonly"),
        TrackSpec("main_video", "video", "recvonly"),
        TrackSpec("main_audio", "audio", "recvonly"),
    )
    sink = FakeSink()
    setup = TransportSetup(tracks=tracks, ice_servers=[], sinks={"main_video": sink, "main_audio": sink})  # type: ignore[dict-item]
    lost: list[str] = []
    events = TransportEvents(on_message=lambda *a: None, on_lost=lost.append, on_activity=lambda: None)
    baseline = threading.active_count()
    transport = NativeTransportFactory().create(setup, events)
    assert isinstance(transport, NativeTransport) and engine.state().leases == 1
    sdp, mapping = await transport.create_offer()
    assert [m["name"] for m in mapping] == ["webcam", "main_video", "main_audio"]
    assert "a=candidate" not in sdp  # candidates are trickled, not waited for
    assert "x-reactor-frame-metadata" not in sdp and "x-reactor-dc-chunking" not in sdp  # not asked for
    await transport.close()
    await transport.close()  # idempotent
    assert transport.pc is None and not transport.channels and not transport.local_tracks
    state = engine.state()
    assert not state.alive and state.leases == 0 and not state.pinned
    assert lost == []  # close() reports no loss
    assert threading.active_count() == baseline  # the closing thread is gone


async def test_offers_carry_what_the_client_asked_for(fresh_engine: None) -> None:
    tracks = (TrackSpec("main_video", "video", "recvonly"),)
    sink = FakeSink()
    setup = TransportSetup(
        tracks=tracks, ice_servers=[{"urls": ["stun:127.0.0.1:3478"]}], sinks={"main_video": sink},  # type: ignore[dict-item]
        frame_metadata=True, dc_chunking=True,
    )
    events = TransportEvents(on_message=lambda *a: None, on_lost=lambda r: None, on_activity=lambda: None)
    transport = NativeTransportFactory().create(setup, events)
    try:
        sdp, _ = await transport.create_offer()
        assert "a=x-reactor-frame-metadata:1" in sdp and "a=x-reactor-dc-chunking" in sdp
    finally:
        await transport.close()
    with pytest.raises(Exception, match="TURN server without username"):
        engine.ice_servers([{"urls": ["turn:example.com"]}])


# ---------------------------------------------------------------------- choosing a transport


def test_auto_falls_back_to_aiortc_when_the_wheel_does_not_import(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="reactor_client")
    assert resolve_transport("auto").info.name == "native"
    assert "transport auto: native" in caplog.text
    monkeypatch.setitem(sys.modules, "reactor_webrtc", None)  # `import reactor_webrtc` fails, as without the wheel
    assert resolve_transport("auto").info.name == "aiortc"
    assert "transport auto: aiortc (reactor-webrtc does not import: ModuleNotFoundError" in caplog.text
    with pytest.raises(ConfigurationError) as caught:
        ReactorClient("m", local=True, transport="native")
    message = str(caught.value)
    assert "pip install 'reactor-client[native]'" in message and "glibc >= 2.34" in message
    assert "transport='auto' falls back to aiortc" in message


def test_reactor_transport_sets_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REACTOR_TRANSPORT", raising=False)
    assert ReactorClient("m", local=True).transport.name == "aiortc"  # the default
    assert ReactorClient("m", local=True).options.transport is None
    monkeypatch.setenv("REACTOR_TRANSPORT", "native")
    assert ReactorClient("m", local=True).transport == NATIVE_INFO
    assert ReactorClient("m", local=True, transport="aiortc").transport.name == "aiortc"  # the argument wins
    monkeypatch.setenv("REACTOR_TRANSPORT", "auto")
    assert ReactorClient("m", local=True).transport.name == "native"
    monkeypatch.setenv("REACTOR_TRANSPORT", "quic")
    with pytest.raises(ConfigurationError, match="REACTOR_TRANSPORT='quic' is not a transport"):
        ReactorClient("m", local=True)


def test_a_native_client_imports_no_aiortc() -> None:
    code = (
        "import sys\n"
        "from reactor_models.feature_model import FeatureModel\n"
        "m = FeatureModel(local=True, transport='native')\n"
        "assert m.client.transport.name == 'native'\n"
        "print(sorted(n for n in sys.modules if n == 'aiortc' or n.startswith('aiortc.')))\n"
    )
    result = run_script(code)
    assert result.stdout.strip() == "[]"


# ---------------------------------------------------------------------- on the real runtime


@pytest.mark.pinned_transport
async def test_a_native_session_runs_callbacks_on_the_loop_and_leaves_nothing_running(feature_server: Any) -> None:
    async def session() -> tuple[list[threading.Thread], int]:
        threads: list[threading.Thread] = []
        async with ReactorClient(MODEL, local=True, url=feature_server.url, transport="native") as client:
            assert client.transport == NATIVE_INFO and client.connection is not None
            sub = client.output_track("main_video").on_frame(lambda f: threads.append(threading.current_thread()))
            client.on_message(lambda m: threads.append(threading.current_thread()))
            await client.send_command("echo", {"text": "x"})
            await settle(lambda: len(threads) >= 10, timeout=10)
            sub()
            live = os_threads()
        return threads, live

    await session()  # the binding starts its two helper threads once per process
    tasks, py_threads, native_threads = len(asyncio.all_tasks()), threading.active_count(), os_threads()
    threads, live = await session()
    assert set(threads) == {threading.current_thread()}  # frames and messages: on the loop's thread
    assert live > native_threads  # libwebrtc ran its threads during the session ...
    await settle(lambda: os_threads() <= native_threads, timeout=5)  # ... and none is left
    assert len(asyncio.all_tasks()) <= tasks and threading.active_count() <= py_threads
    state = engine.state()
    assert not state.alive and state.leases == 0 and not state.pinned


@pytest.mark.pinned_transport
async def test_candidates_are_trickled(feature_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from reactor_client.signaling.transport import TransportSignaling

    posts: list[tuple[int, bool]] = []
    original = TransportSignaling.ice_candidates

    async def record(self: Any, connection_id: int, candidates: Any, *, is_final: bool) -> None:
        posts.append((len(candidates), is_final))
        await original(self, connection_id, candidates, is_final=is_final)

    monkeypatch.setattr(TransportSignaling, "ice_candidates", record)
    async with ReactorClient(MODEL, local=True, url=feature_server.url, transport="native") as client:
        await client.output_track("main_video").next_frame(timeout=5)
    assert posts and sum(n for n, _ in posts) > 0 and posts[-1][1] is True  # ... ending with is_final


@pytest.mark.pinned_transport
def test_exiting_without_disconnect_closes_the_engine_in_order(feature_server: Any) -> None:
    """A script that forgets ``disconnect()`` still exits cleanly: the engine objects are
    dropped before the interpreter tears down (libwebrtc's last callbacks need Python)."""
    code = (
        "import asyncio\n"
        "from reactor_client import ReactorClient\n"
        "from reactor_client.transport.native import engine\n"
        "async def main():\n"
        f"    c = ReactorClient({MODEL!r}, local=True, url={feature_server.url!r}, transport='native')\n"
        "    await c.connect()\n"
        "    await c.output_track('main_video').next_frame(timeout=10)\n"
        "    return c\n"
        "client = asyncio.run(main())\n"
        "print('leases', engine.state().leases, flush=True)\n"
    )
    result = run_script(code)
    assert "leases 1" in result.stdout and "panic" not in result.stderr
    httpx_stop(feature_server)


@pytest.mark.pinned_transport
def test_a_native_session_reading_arrays_never_imports_pyav(feature_server: Any) -> None:
    """Arrays (``ndarrays()``, ``snapshot()``, the blocking model's ``ndarrays()``) are read
    from the engine's pixels, so such a
    session never pays for PyAV (~17 MB); the first reader of frames gets ``av.VideoFrame``s."""
    code = (
        "import asyncio, json, sys\n"
        "from reactor_client import ReactorClient\n"
        "async def main():\n"
        f"    async with ReactorClient({MODEL!r}, local=True, url={feature_server.url!r}, transport='native') as c:\n"
        "        track = c.output_track('main_video')\n"
        "        async with track.ndarrays() as rgb, track.ndarrays(format='bgra') as bgra:\n"
        "            a, b = await rgb.__anext__(), await bgra.__anext__()\n"
        "        snap = await track.snapshot()\n"
        "        before = 'av' in sys.modules\n"
        "    from reactor_models.feature_model.sync import FeatureModel\n"
        f"    with FeatureModel(local=True, url={feature_server.url!r}, transport='native') as m:\n"
        "        blocking = next(iter(m.main_video.ndarrays()))\n"
        "    before = before or 'av' in sys.modules\n"
        f"    async with ReactorClient({MODEL!r}, local=True, url={feature_server.url!r}, transport='native') as c:\n"
        "        frame = await c.output_track('main_video').next_frame(timeout=10)\n"
        "        print(json.dumps({'rgb': [a.shape, a.flags.c_contiguous, a.flags.writeable],\n"
        "                          'bgra': [b.shape, b.flags.writeable], 'snapshot': snap.shape, 'blocking': blocking.shape,\n"
        "                          'pyav_before_frames': before, 'frame': [type(frame).__name__, frame.format.name]}))\n"
        "asyncio.run(main())\n"
    )
    result = run_script(code)
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    (height, width, channels), contiguous, writeable = seen["rgb"]
    assert channels == 3 and height > 0 and width > 0 and contiguous and writeable
    assert seen["bgra"] == [[height, width, 4], False]  # a view of the engine's bytes
    assert seen["snapshot"] == seen["blocking"] == [height, width, 3]
    assert seen["pyav_before_frames"] is False
    assert seen["frame"] == ["VideoFrame", "bgra"]


def run_script(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with this test's import path; it must succeed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    return result


def httpx_stop(server: Any) -> None:
    """End the session the script left behind (the next test of the module needs the runtime)."""
    import httpx

    httpx.post(f"{server.url}/stop_session", timeout=5)


def test_a_decoded_frame_wraps_the_engine_pixels_without_a_copy() -> None:
    """The engine hands each frame over as a new ``bytes``; the ``av.VideoFrame`` the
    consumer gets is a view of it (one copy fewer per frame: ~4.7 ms at 1280x720)."""
    height, width = 72, 128
    pixels = np.random.default_rng(1).integers(0, 255, (height, width, 4), np.uint8)
    bgra = pixels.tobytes()
    frame = PixelFrame(bgra, width, height).to_av()
    assert (frame.format.name, frame.width, frame.height) == ("bgra", width, height)
    assert np.shares_memory(
        np.frombuffer(frame.planes[0], np.uint8), np.frombuffer(bgra, np.uint8)
    )
    rgb = frame.to_ndarray(format="rgb24")
    assert (rgb == pixels[..., 2::-1]).all()
    del bgra  # the frame keeps the engine's buffer alive
    assert (frame.to_ndarray(format="rgb24") == rgb).all()
