"""Packet loss and delay on the media path (a UDP relay on loopback the test runs, see
``harness/lossy_relay.py``): frames keep flowing and recover at key frames, commands still
complete, and the stats report the loss."""

from __future__ import annotations

import asyncio
import time
from typing import Any, AsyncIterator

import pytest

from harness.lossy_relay import LossyRelay
from harness.server import FEATURE_MODEL_DIR, RuntimeServer
from reactor_client import ReactorClient

pytestmark = pytest.mark.runtime


@pytest.fixture(scope="module")
def textured_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The feature model at 320x240 (several RTP packets per key frame)."""
    env = {"FEATURE_WIDTH": "320", "FEATURE_HEIGHT": "240", "FEATURE_FPS": "20"}
    with RuntimeServer(FEATURE_MODEL_DIR, env=env, log_dir=tmp_path_factory.mktemp("logs")) as server:
        yield server


@pytest.fixture
async def relay() -> AsyncIterator[LossyRelay]:
    relay = await LossyRelay().start()
    try:
        yield relay
    finally:
        relay.close()


@pytest.mark.parametrize("loss", [0.05, 0.20])
async def test_media_survives_loss_and_delay(textured_server: Any, relay: LossyRelay, loss: float) -> None:
    relay.loss, relay.delay = loss, 0.03
    client = ReactorClient("feature-model", local=True, url=textured_server.url)
    with relay.patch_signaling():
        await client.connect()
    try:
        assert relay.runtime_addr is not None and relay.client_addr is not None
        video = client.output_track("main_video")
        frames = video.frames(maxsize=64)
        await asyncio.wait_for(frames.__anext__(), 15)
        await client.get_stats()
        count, start = 0, time.monotonic()
        while time.monotonic() - start < 4.0:
            await asyncio.wait_for(frames.__anext__(), 5)  # never stalls for 5 s
            count += 1
        fps = count / (time.monotonic() - start)
        reply = await client.send_command("echo", {"text": "through loss"})  # the data path works
        assert reply is not None and reply.data["text"] == "through loss"
        stats = await client.get_stats()
        lost = stats.tracks["main_video"].packets_lost + stats.tracks["main_audio"].packets_lost
        assert relay.dropped > 0
        assert lost > 0, stats  # the stats see the loss
        assert fps >= (6 if loss >= 0.2 else 10), (fps, relay.dropped, relay.pli_sent)
        print(f"loss {loss:.0%}: {fps:.1f} fps delivered, {relay.dropped} packets dropped, "
              f"{relay.pli_sent} PLIs, stats packets_lost={lost}")
    finally:
        await client.disconnect()
