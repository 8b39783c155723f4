"""Helpers shared by the runtime-core end-to-end tests (tests/runtime/test_client_e2e_*.py)."""

from __future__ import annotations

import asyncio
import fractions
import time
from typing import Any

import av
import numpy as np
from aiortc import VideoStreamTrack

from reactor_client import Message, ReactorClient


class SolidColorTrack(VideoStreamTrack):
    """An aiortc video track producing solid-colour frames."""

    def __init__(self, rgb: tuple[int, int, int], size: tuple[int, int] = (64, 48)) -> None:
        super().__init__()
        self.rgb = rgb
        self.size = size

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        w, h = self.size
        arr = np.empty((h, w, 3), dtype=np.uint8)
        arr[:] = self.rgb
        frame = av.VideoFrame.from_ndarray(arr, format="rgb24")
        frame.pts = pts
        frame.time_base = time_base if isinstance(time_base, fractions.Fraction) else fractions.Fraction(1, 90000)
        return frame


async def collect_until(client: ReactorClient, type_: str, pred: Any = None, timeout: float = 5.0) -> Message:
    return await client.wait_for_message(type_, pred, timeout=timeout)


async def measure_fps(client: ReactorClient, track: str, frames: int = 24, timeout: float = 10.0) -> float:
    it = client.output_track(track).frames(maxsize=64)
    await asyncio.wait_for(it.__anext__(), timeout)
    start = time.monotonic()
    for _ in range(frames):
        await asyncio.wait_for(it.__anext__(), timeout)
    return frames / (time.monotonic() - start)


async def kill_transport(client: ReactorClient) -> None:
    """Make the live transport die under the client, as a network failure would: aiortc's peer
    connection closes; the native transport's data channel closes (libwebrtc has no close() on
    the peer connection the client holds)."""
    await asyncio.sleep(0)  # what was just scheduled (a command) goes out first
    assert client.connection is not None
    transport: Any = client.connection.transport
    if client.transport.name == "aiortc":
        await transport.pc.close()
    else:
        transport.channels["data"].close(0.0)
