"""One measured command-to-pixel session for ``bench/latency_bench.py`` (its own process).

    <python> bench/_latency_client.py --client ours|vendor --url URL [--samples 60]

Against the feature model (solid-colour frames, ``set_color`` changes the colour of the next
frame it renders): toggle between red and blue with ``set_color`` and time, from just before
the command is sent until the first RGB frame *handed to the application* shows the new colour.
Both clients consume RGB numpy arrays with their documented API (ours: ``ndarrays()``; vendor:
``track(...).on_frame``). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import threading
import time
from typing import Any

import _worker

MODEL = "feature-model"
TRACK = "main_video"
RED, BLUE = (255, 0, 0), (0, 0, 255)


class Detector:
    """Called with every delivered RGB frame (any thread); notes when the target colour shows."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.target: tuple[int, int, int] | None = None
        self.sent_at = 0.0
        self.latency: float | None = None
        self.hit = threading.Event()
        self.frames = 0

    def arm(self, target: tuple[int, int, int]) -> None:
        with self.lock:
            self.target, self.latency = target, None
            self.hit.clear()
            self.sent_at = time.perf_counter()

    def frame(self, rgb: Any) -> None:
        self.frames += 1
        with self.lock:
            target = self.target
        if target is None or self.hit.is_set():
            return
        h, w = rgb.shape[0], rgb.shape[1]
        pixel = rgb[h // 2, w // 2]
        if all(abs(int(pixel[i]) - target[i]) < 60 for i in range(3)):
            self.latency = time.perf_counter() - self.sent_at
            self.hit.set()


class Ours:
    def __init__(self, url: str, detector: Detector) -> None:
        from reactor_client import ReactorClient

        import os

        stock = os.environ.get("REACTOR_BENCH_STOCK_JITTER") == "1"
        self.client = ReactorClient(MODEL, url=url, local=True, early_frame_release=not stock)
        self.detector = detector
        self.task: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        await self.client.connect()

        async def consume() -> None:
            async for rgb in self.client.output_track(TRACK).ndarrays():
                self.detector.frame(rgb)

        self.task = asyncio.ensure_future(consume())

    async def command(self, name: str, data: dict[str, Any]) -> Any:
        return await self.client.send_command(name, data)

    async def close(self) -> None:
        await self.client.disconnect()
        if self.task is not None:
            self.task.cancel()


class Vendor:
    def __init__(self, url: str, detector: Detector) -> None:
        from reactor_sdk import Reactor

        self.client = Reactor(MODEL, local=True, api_url=url)
        self.client.track(TRACK).on_frame(detector.frame)

    async def connect(self) -> None:
        await self.client.connect()

    async def command(self, name: str, data: dict[str, Any]) -> Any:
        return await self.client.send_command(name, data)

    async def close(self) -> None:
        await self.client.disconnect()
        self.client.close()


async def session(args: argparse.Namespace) -> dict[str, Any]:
    detector = Detector()
    client: Ours | Vendor = Ours(args.url, detector) if args.client == "ours" else Vendor(args.url, detector)
    await asyncio.wait_for(client.connect(), 30)
    deadline = time.monotonic() + 15
    while detector.frames == 0 and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    rng = random.Random(1)
    latencies: list[float] = []
    misses = 0
    for i in range(args.samples + 3):
        target = RED if i % 2 == 0 else BLUE
        detector.arm(target)
        ack = asyncio.ensure_future(client.command("set_color", dict(zip(("red", "green", "blue"), target))))
        ok = await asyncio.get_running_loop().run_in_executor(None, detector.hit.wait, 3.0)
        await ack
        if i >= 3:  # warm-up samples dropped
            if ok and detector.latency is not None:
                latencies.append(detector.latency * 1000.0)
            else:
                misses += 1
        await asyncio.sleep(rng.uniform(0.05, 0.15))  # decorrelate from the frame phase
    await client.close()
    return {"client": args.client, "latency_ms": latencies, "misses": misses}


def main() -> int:
    parser = _worker.parser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--samples", type=int, default=60)
    return _worker.report(session, parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
