"""MJPEG or WebRTC for the playground's video? (docs/runtime-api.md, "Playground").

Two measurements, printed as tables (nothing is written to the docs; copy what you need):

1. **Encoder cost per frame at 640x360**, the work the playground server adds per frame shown
   on the page: PyAV's ``mjpeg`` (what the playground uses, qscale 5) against aiortc's own VP8
   and H.264 encoders (what a WebRTC relay from the playground to the page would run: aiortc
   cannot forward the received packets, it re-encodes decoded frames). Process CPU time per
   frame (libx264 and libvpx use threads), median over alternating rounds, on a synthetic
   moving picture (gradient + noise + a moving block, harder than the feature model's solid
   colour).
2. **The real path** (feature model on the real runtime at 640x360, 30 fps → reactor_client →
   playground app on uvicorn → an HTTP client in another process reading the MJPEG parts):
   latency from the decoded frame reaching the feed to its JPEG part parsed by the reader
   (``time.monotonic()`` is CLOCK_MONOTONIC, one clock for both processes), and this
   process's CPU time per decoded frame with a viewer against decoding alone.

Usage: ``.venv/bin/python bench/playground_video.py [--rounds 5] [--seconds 8]``.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import av
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "generated" / "feature-model"))

WIDTH, HEIGHT = 640, 360


def synthetic_frames(n: int) -> list[av.VideoFrame]:
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    base = np.stack([x * 255 // WIDTH, y * 255 // HEIGHT, (x + y) % 256], -1).astype(np.int16)
    frames = []
    for i in range(n):
        img = base + rng.integers(-12, 12, size=base.shape)
        bx = (i * 9) % (WIDTH - 80)
        img[100:180, bx : bx + 80] = (240, 40, 40)
        rgb = np.clip(img, 0, 255).astype(np.uint8)
        frames.append(av.VideoFrame.from_ndarray(rgb, format="rgb24"))
    return frames


READER = """
import sys, time, httpx
url, seconds = sys.argv[1], float(sys.argv[2])
end = time.monotonic() + seconds
buf = b""
with httpx.stream("GET", url, timeout=None) as resp:
    for chunk in resp.iter_bytes():
        buf += chunk
        while True:
            head_end = buf.find(b"\\r\\n\\r\\n")
            if head_end < 0:
                break
            lines = buf[:head_end].decode().splitlines()
            fields = dict(x.split(": ", 1) for x in lines if ": " in x)
            size = head_end + 4 + int(fields["Content-Length"]) + 2
            if len(buf) < size:
                break
            print(fields["X-Frame-Seq"], time.monotonic(), flush=True)
            buf = buf[size:]
        if time.monotonic() > end:
            break
"""


def encoder_bench(rounds: int) -> list[tuple[str, float, float, float]]:
    from aiortc.codecs.h264 import H264Encoder
    from aiortc.codecs.vpx import Vp8Encoder

    from reactor_client.apps.playground.mjpeg import live_view_encoder

    frames = synthetic_frames(60)
    for f in frames:  # aiortc's encoders take yuv420p frames (what its decoder hands out)
        f.pts = 0
    yuv = [f.reformat(format="yuv420p") for f in frames]
    for i, f in enumerate(yuv):
        f.pts = i * 3000
        f.time_base = __import__("fractions").Fraction(1, 90000)

    def run_mjpeg() -> tuple[list[float], list[int]]:
        enc = live_view_encoder()
        cpu, size = [], []
        for f in yuv:
            t = time.process_time()
            out = enc.encode(f)
            cpu.append(time.process_time() - t)
            size.append(len(out))
        return cpu, size

    def run_aiortc(cls: Any) -> tuple[list[float], list[int]]:
        enc = cls()
        cpu, size = [], []
        for f in yuv:
            t = time.process_time()
            payloads, _ts = enc.encode(f)
            cpu.append(time.process_time() - t)
            size.append(sum(len(p) for p in payloads))
        return cpu[5:], size[5:]  # skip the first key frames / rate-control warm-up

    runners = {
        "mjpeg (PyAV, q5)": run_mjpeg,
        "vp8 (aiortc)": lambda: run_aiortc(Vp8Encoder),
        "h264 (aiortc)": lambda: run_aiortc(H264Encoder),
    }
    cpu: dict[str, list[float]] = {k: [] for k in runners}
    size: dict[str, list[int]] = {k: [] for k in runners}
    for _ in range(rounds):  # alternate, so a busy moment hits every encoder alike
        for name, run in runners.items():
            c, s = run()
            cpu[name].append(statistics.median(c))
            size[name].extend(s)
    base = statistics.median(cpu["mjpeg (PyAV, q5)"])
    return [
        (
            name,
            statistics.median(cpu[name]) * 1000,
            statistics.median(cpu[name]) / base,
            statistics.median(size[name]) / 1024,
        )
        for name in runners
    ]


async def real_path(seconds: float) -> dict[str, float]:
    import uvicorn
    from harness.server import FEATURE_MODEL_DIR, RuntimeServer
    from reactor_models.feature_model import FeatureModel
    from reactor_models.feature_model._playground import SURFACE

    from reactor_client.apps.playground.server import Playground, create_app

    env = {"FEATURE_WIDTH": str(WIDTH), "FEATURE_HEIGHT": str(HEIGHT), "FEATURE_FPS": "30"}
    with RuntimeServer(FEATURE_MODEL_DIR, env=env) as runtime:
        model = FeatureModel(url=runtime.url, local=True)
        pg = Playground(model, SURFACE, package="reactor_models.feature_model", max_fps=30)
        sock = socket.create_server(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(create_app(pg), log_level="warning"))
        serving = asyncio.ensure_future(server.serve(sockets=[sock]))
        while model.status.value != "ready":
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)

        # decoding alone (what any consumer of the track costs)
        count = 0

        def on_frame(_: Any) -> None:
            nonlocal count
            count += 1

        sub = model.main_video.on_frame(on_frame)
        await asyncio.sleep(1.0)
        count, cpu0 = 0, time.process_time()
        await asyncio.sleep(seconds)
        decode_only = (time.process_time() - cpu0) / max(count, 1)
        decode_fps = count / seconds
        sub()
        await asyncio.sleep(0.5)

        # one MJPEG viewer, in another process (its parsing is not ours to count); it prints
        # "<X-Frame-Seq> <time.monotonic()>" per part (CLOCK_MONOTONIC: one clock machine-wide)
        feed = pg.feeds["main_video"]
        port = sock.getsockname()[1]
        reader = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            READER,
            f"http://127.0.0.1:{port}/video/main_video",
            str(seconds + 1.0),
            stdout=asyncio.subprocess.PIPE,
        )
        await asyncio.sleep(1.0)
        decoded0, cpu0 = model.main_video.frames_decoded, time.process_time()
        await asyncio.sleep(seconds)
        with_viewer = (time.process_time() - cpu0) / max(
            model.main_video.frames_decoded - decoded0, 1
        )
        out, _ = await reader.communicate()
        latencies: list[float] = []
        parts = 0
        for line in out.decode().splitlines()[10:]:
            seq, at = line.split()
            parts += 1
            if int(seq) in feed.frame_times:
                latencies.append(float(at) - feed.frame_times[int(seq)])
        server.should_exit = True
        await serving
        return {
            "decode_fps": decode_fps,
            "viewer_fps": parts / (seconds + 1.0 - 10 / 30),
            "decode_ms": decode_only * 1000,
            "viewer_ms": with_viewer * 1000,
            "lat_p50": statistics.median(latencies) * 1000,
            "lat_p90": sorted(latencies)[int(len(latencies) * 0.9)] * 1000,
            "encode_ms": feed.encode_seconds / max(feed.frames_encoded, 1) * 1000,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()

    print(f"## encoders, {WIDTH}x{HEIGHT}, synthetic moving picture, {args.rounds} rounds")
    print("| encoder | CPU ms/frame (median) | vs mjpeg | KiB/frame (median) |")
    print("|---|---|---|---|")
    for name, ms, ratio, kib in encoder_bench(args.rounds):
        print(f"| {name} | {ms:.2f} | {ratio:.2f}x | {kib:.1f} |")

    r = asyncio.run(real_path(args.seconds))
    print(
        f"\n## real path, feature model {WIDTH}x{HEIGHT} @ 30 fps, {args.seconds:.0f} s per phase"
    )
    print("| | value |")
    print("|---|---|")
    print(
        f"| frames/s decoded (no viewer) / shown to one MJPEG viewer | "
        f"{r['decode_fps']:.1f} / {r['viewer_fps']:.1f} |"
    )
    print(
        f"| client CPU ms per decoded frame: decoding only / + MJPEG + HTTP | "
        f"{r['decode_ms']:.2f} / {r['viewer_ms']:.2f} |"
    )
    print(f"| JPEG encode, thread CPU ms/frame | {r['encode_ms']:.2f} |")
    print(
        f"| latency decoded frame -> part parsed, p50 / p90 ms | "
        f"{r['lat_p50']:.1f} / {r['lat_p90']:.1f} |"
    )


if __name__ == "__main__":
    main()
