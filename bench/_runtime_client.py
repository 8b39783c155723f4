"""One measured client session for ``bench/runtime_bench.py`` (run as its own process).

    <python> bench/_runtime_client.py --client ours|vendor --url http://127.0.0.1:PORT [...]

``ours`` runs under ``.venv`` (``reactor_client``), ``vendor`` under ``bench/.venv-peers``
(``reactor_sdk`` 1.13). Both do exactly the same thing, with each client's documented API:

1. Subscribe to ``main_video`` as RGB numpy arrays *before* connecting (ours: the array
   stream ``ndarrays()`` returns, ``ArrayStream(VideoStream(track))``, opened before
   ``connect()``; vendor: ``@reactor.track("main_video").on_frame``, which hands out RGB
   ndarrays). The vendor's array is a read-only view of the engine's BGRA buffer
   (``frame[..., 2::-1]``: no copy, negative strides); ours is a contiguous copy. With
   ``--ours-array view`` ours hands out the same kind of view where the frame is BGRA (the
   native transport: ``ndarrays(format="bgra")`` is a view of the engine's buffer, sliced
   the same way), for a like-for-like CPU figure; aiortc's frames are YUV and are converted
   either way.
2. ``t0``; ``connect()``; wait for the first decoded frame -> connect-to-first-frame.
   (The simulator streams idle frames as soon as a client is connected.)
3. ``set_shot`` + ``start`` (acks awaited), then ``--warmup`` seconds of streaming.
4. ``--commands`` sequential ``set_seed`` commands, each awaiting its correlated ack
   (v1 reply) -> round-trip times.
5. A ``--window`` of plain streaming: frames delivered to the consumer / wall time -> fps,
   and the process's CPU time (``getrusage(RUSAGE_SELF)``: user+sys of every thread, the
   native ones of the vendor library included) / wall time -> % of one core.
6. ``disconnect()`` (ends the session server-side), print one JSON line, exit.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import threading
import time
from typing import Any

import _worker

MODEL = "longlive-v2"
TRACK = "main_video"


def cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


class Counter:
    """Frames delivered to the consumer (written by one thread, read by another)."""

    def __init__(self) -> None:
        self.count = 0
        self.first_at: float | None = None
        self.shape: tuple[int, ...] | None = None
        self.first = threading.Event()

    def hit(self, frame: Any) -> None:
        self.count += 1
        if self.first_at is None:
            self.first_at = time.perf_counter()
            self.shape = tuple(getattr(frame, "shape", ()))
            self.first.set()


async def wait_first(counter: Counter, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not counter.first.is_set():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no frame within {timeout}s")
        await asyncio.sleep(0.002)


# ----------------------------------------------------------------------------- ours


class OursAdapter:
    def __init__(self, url: str, array: str = "copy") -> None:
        from reactor_client import ReactorClient, TrackSpec
        from reactor_client.media import ArrayStream, VideoStream

        self.client = ReactorClient(
            MODEL, url=url, local=True, tracks=[TrackSpec(TRACK, "video", "recvonly")]
        )
        self.counter = Counter()
        counter = self.counter
        # Opened before connecting (like the vendor's on_frame): what ndarrays() returns, an
        # RGB array stream. "copy": contiguous rgb24 arrays (ndarrays()'s default); "view":
        # the vendor's kind of array, a view of the BGRA pixels (ndarrays(format="bgra"),
        # a view on the native transport) sliced the same way. On aiortc the frames are YUV
        # and converted either way.
        fmt = "bgra" if array == "view" else "rgb24"
        stream = ArrayStream(VideoStream(self.client.output_track(TRACK)), fmt)

        async def consume() -> None:
            async for pixels in stream:
                counter.hit(pixels[..., 2::-1] if fmt == "bgra" and pixels.shape[-1] == 4 else pixels)

        self._consume = consume
        self._consumer: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self._consumer = asyncio.ensure_future(self._consume())
        await self.client.connect()

    async def command(self, name: str, data: dict[str, Any]) -> Any:
        return await self.client.send_command(name, data)

    def codec(self) -> str:
        return str(self.client.codec)

    async def disconnect(self) -> None:
        await self.client.disconnect()
        if self._consumer is not None:
            self._consumer.cancel()


# ----------------------------------------------------------------------------- vendor


class VendorAdapter:
    def __init__(self, url: str) -> None:
        from reactor_sdk import Reactor

        self.client = Reactor(MODEL, local=True, api_url=url)
        self.counter = Counter()
        counter = self.counter

        @self.client.track(TRACK).on_frame
        def _on_frame(frame: Any) -> None:  # runs on the SDK's media delivery thread
            counter.hit(frame)

        self._handler = _on_frame

    async def connect(self) -> None:
        await self.client.connect()

    async def command(self, name: str, data: dict[str, Any]) -> Any:
        return await self.client.send_command(name, data)

    def codec(self) -> str:
        return "v1 (protobuf, the only wire reactor_sdk 1.x speaks)"

    async def disconnect(self) -> None:
        await self.client.disconnect()
        self.client.close()


# ----------------------------------------------------------------------------- the run


async def session(args: argparse.Namespace) -> dict[str, Any]:
    adapter: OursAdapter | VendorAdapter
    if args.client == "ours":
        adapter = OursAdapter(args.url, args.ours_array)
    else:
        adapter = VendorAdapter(args.url)
    counter = adapter.counter
    out: dict[str, Any] = {"client": args.client, "pid": os.getpid()}

    t0 = time.perf_counter()
    await asyncio.wait_for(adapter.connect(), 30)
    out["connect_s"] = time.perf_counter() - t0
    await wait_first(counter, 30)
    assert counter.first_at is not None
    out["first_frame_s"] = counter.first_at - t0
    out["frame_shape"] = list(counter.shape or ())
    out["codec"] = adapter.codec()

    await asyncio.wait_for(adapter.command("set_shot", {"prompt": "a lighthouse at dusk, slow dolly in"}), 10)
    await asyncio.wait_for(adapter.command("start", {}), 10)
    await asyncio.sleep(args.warmup)

    rtts: list[float] = []
    acks_with_body = 0
    for i in range(args.commands):
        t = time.perf_counter()
        reply = await asyncio.wait_for(adapter.command("set_seed", {"seed": i + 1}), 10)
        rtts.append((time.perf_counter() - t) * 1000.0)
        acks_with_body += reply is not None
    out["rtt_ms"] = rtts
    out["acks_with_body"] = acks_with_body

    await asyncio.sleep(0.5)  # let the command burst settle before the window
    c0, cpu0, w0 = counter.count, cpu_seconds(), time.perf_counter()
    await asyncio.sleep(args.window)
    c1, cpu1, w1 = counter.count, cpu_seconds(), time.perf_counter()
    out["window_s"] = w1 - w0
    out["window_frames"] = c1 - c0
    out["fps"] = (c1 - c0) / (w1 - w0)
    out["cpu_pct"] = 100.0 * (cpu1 - cpu0) / (w1 - w0)
    out["total_frames"] = counter.count

    t = time.perf_counter()
    await asyncio.wait_for(adapter.disconnect(), 15)
    out["disconnect_s"] = time.perf_counter() - t
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return out


def main() -> int:
    parser = _worker.parser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--window", type=float, default=8.0)
    parser.add_argument("--ours-array", choices=["copy", "view"], default="copy")
    return _worker.report(session, parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
