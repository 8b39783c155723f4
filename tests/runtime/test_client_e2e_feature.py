"""End to end: ReactorClient against the REAL runtime serving the feature model
(input track, audio output, uploads, typed replies, model error codes)."""

from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Any

import av
import pytest

from reactor_client import (
    CommandFailedError,
    InternalModelError,
    Message,
    PublishRefusedError,
    ReactorClient,
    Status,
)

from _e2e_helpers import SolidColorTrack

MODEL = "feature-model"


def make_client(server: Any, codec: str = "v1") -> ReactorClient:
    return ReactorClient(MODEL, local=True, url=server.url, codec=codec)  # type: ignore[arg-type]


async def test_tracks_replies_and_model_errors(feature_server: Any) -> None:
    client = make_client(feature_server)
    hello = asyncio.get_running_loop().create_future()
    client.on_message(lambda m: hello.done() or hello.set_result(m), type="hello")
    await client.connect()
    try:
        assert [(t.name, t.kind, t.direction) for t in client.tracks] == [
            ("webcam", "video", "sendonly"),
            ("main_video", "video", "recvonly"),
            ("main_audio", "audio", "recvonly"),
        ]
        assert (await asyncio.wait_for(hello, 5)).data["model"] == "feature-model"
        echo = await client.send_command("echo", {"text": "ab", "repeat": 3})
        assert echo == Message("echo", {"text": "ababab", "count": 3.0})
        assert await client.send_command("set_color", {"red": 255, "green": 0, "blue": 0}) is None
        with pytest.raises(CommandFailedError) as failed:
            await client.send_command("fail", {"code": "quota_exceeded", "message": "too many"})
        assert failed.value.code == "quota_exceeded" and failed.value.message == "too many"
        with pytest.raises(InternalModelError):
            await client.send_command("crash")
        # audio output: decoded PyAV audio frames
        audio = await client.output_track("main_audio").next_frame(timeout=5)
        assert isinstance(audio, av.AudioFrame) and audio.sample_rate == 48000
        pcm = await asyncio.wait_for(client.output_track("main_audio").ndarrays().__anext__(), 5)
        assert pcm.size > 0
        # video reflects set_color (lossy VP8: tolerance)
        async for rgb in client.output_track("main_video").ndarrays(format="rgb24"):
            r, g, b = rgb.reshape(-1, 3).mean(axis=0)
            if r > 200 and g < 60 and b < 60:
                break
        # pause stops the track, resume restarts it
        track = client.output_track("main_video")
        await track.pause()
        await asyncio.sleep(0.6)
        n = track.frames_received
        await asyncio.sleep(0.6)
        assert track.frames_received - n <= 2
        await track.resume()
        await track.next_frame(timeout=5)
    finally:
        await client.disconnect()


async def test_publish_input_track_model_observes_it(feature_server: Any) -> None:
    client = make_client(feature_server)
    await client.connect()
    try:
        webcam = client.input_track("webcam")
        assert not webcam.published
        await webcam.publish(SolidColorTrack((200, 40, 90)))
        assert webcam.published
        with pytest.raises(PublishRefusedError):  # a second publish from the same connection
            await client.publish("webcam", SolidColorTrack((0, 0, 0)))
        report: Message | None = None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            report = await client.send_command("report_input")
            assert report is not None and report.type == "input_report"
            if report.data["frames_received"] >= 5 and report.data["mean_color"]:
                break
            await asyncio.sleep(0.3)
        assert report is not None and report.data["frames_received"] >= 5
        r, g, b = report.data["mean_color"]
        assert abs(r - 200) < 25 and abs(g - 40) < 25 and abs(b - 90) < 25
        assert (report.data["width"], report.data["height"]) == (64.0, 48.0)
        await webcam.unpublish()
        assert not webcam.published
    finally:
        await client.disconnect()


@pytest.mark.parametrize("codec", ["v1", "v0"])
async def test_upload_round_trip(feature_server: Any, codec: str, tmp_path: Any) -> None:
    client = make_client(feature_server, codec)
    await client.connect()
    try:
        payload = bytes(range(256)) * 40
        path = tmp_path / "blob.png"
        path.write_bytes(payload)
        received = asyncio.ensure_future(client.wait_for_message("upload_received", timeout=8))
        await asyncio.sleep(0)
        ref = await client.upload(path)
        assert (ref.name, ref.mime_type, ref.size) == ("blob.png", "image/png", len(payload))
        assert (await received).data["sha256"] == hashlib.sha256(payload).hexdigest()
        info_waiter = asyncio.ensure_future(client.wait_for_message("file_info", timeout=8))
        await asyncio.sleep(0)
        reply = await client.send_command("inspect_file", {"note": "hi"}, uploads={"file": ref})
        info = await info_waiter
        if codec == "v1":
            assert reply == info
        assert info.data["sha256"] == hashlib.sha256(payload).hexdigest()
        assert info.data["size"] == float(len(payload)) and info.data["note"] == "hi"
        ref2 = await client.upload(b"raw bytes", name="x.txt")
        assert ref2.mime_type == "text/plain" and ref2.size == 9
    finally:
        await client.disconnect()
    assert client.status == Status.DISCONNECTED
