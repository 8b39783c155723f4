"""N concurrent sessions in ONE client process, for ``bench/sessions_bench.py``.

    <python> bench/_sessions_client.py --client ours|vendor --url URL [--url URL ...] [--window 8]

Connects one client per URL (each URL is its own runtime server), consumes ``main_video`` as
RGB arrays on every session, starts generation, then measures over ``--window`` seconds the
frames delivered per session and the process's CPU. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
from typing import Any

import _worker

MODEL = "longlive-v2"
TRACK = "main_video"


def cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


class Ours:
    def __init__(self, url: str) -> None:
        from av.video.reformatter import VideoReformatter

        from reactor_client import ReactorClient, TrackSpec

        self.client = ReactorClient(MODEL, url=url, local=True, tracks=[TrackSpec(TRACK, "video", "recvonly")])
        self.frames = 0
        reformatter = VideoReformatter()

        def hit(frame: Any) -> None:
            reformatter.reformat(frame, format="rgb24").to_ndarray()
            self.frames += 1

        self.client.output_track(TRACK).on_frame(hit)

    async def connect(self) -> None:
        await self.client.connect()

    async def command(self, name: str, data: dict[str, Any]) -> Any:
        return await self.client.send_command(name, data)

    async def close(self) -> None:
        await self.client.disconnect()


class Vendor:
    def __init__(self, url: str) -> None:
        from reactor_sdk import Reactor

        self.client = Reactor(MODEL, local=True, api_url=url)
        self.frames = 0

        def hit(frame: Any) -> None:
            self.frames += 1

        self.client.track(TRACK).on_frame(hit)

    async def connect(self) -> None:
        await self.client.connect()

    async def command(self, name: str, data: dict[str, Any]) -> Any:
        return await self.client.send_command(name, data)

    async def close(self) -> None:
        await self.client.disconnect()
        self.client.close()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    cls = Ours if args.client == "ours" else Vendor
    clients = [cls(url) for url in args.url]
    await asyncio.gather(*(asyncio.wait_for(c.connect(), 60) for c in clients))
    for c in clients:
        await c.command("set_shot", {"prompt": "a field of wheat"})
        await c.command("start", {})
    await asyncio.sleep(args.warmup)
    f0, cpu0, t0 = [c.frames for c in clients], cpu_seconds(), time.perf_counter()
    await asyncio.sleep(args.window)
    f1, cpu1, t1 = [c.frames for c in clients], cpu_seconds(), time.perf_counter()
    await asyncio.gather(*(c.close() for c in clients))
    fps = [(b - a) / (t1 - t0) for a, b in zip(f0, f1)]
    return {"client": args.client, "sessions": len(clients), "fps": fps, "cpu_pct": 100 * (cpu1 - cpu0) / (t1 - t0)}


def main() -> int:
    parser = _worker.parser()
    parser.add_argument("--url", action="append", required=True)
    parser.add_argument("--window", type=float, default=8.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    return _worker.report(run, parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
