"""Sessions completed per minute: ``reactor_client.batch`` over a pool of runtimes vs a naive
sequential loop, and the ceiling of concurrent sessions at 720p on this machine.

Throughput: K items, each one session of the feature model (640x360 at 20 fps): connect,
``set_color``, read RGB frames until the picture shows the colour, then ``--hold`` seconds of
RGB frames, disconnect. The naive loop runs the items one after another on one runtime
(``async with Model(...)`` per item); the batch runner runs them over 1, 2 and 3 runtimes
(``urls=``, one session per runtime at a time). Rounds alternate the order; the table has
the medians over rounds and the ratio to the naive loop.

Ceiling: N concurrent sessions of the LongliveV2 simulator at 1280x720, 30 fps (textured), N
runtimes and one client process holding N sessions (``bench/_sessions_client.py``, RGB arrays
on every session), for N = 1 .. ``--ceiling-max``. A session "holds" when it gets >= 90 % of
the source rate. The runtimes encode VP8 on the same 2 cores as the client, so this is the
ceiling of this machine, client and servers together.

    .venv/bin/python bench/batch_bench.py [--items 8] [--hold 1] [--rounds 3] [--ceiling-max 4] [--no-doc]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    REPO_ROOT,
    command_line,
    fmt,
    git_state,
    machine_lines,
    markdown_table,
    median,
    print_table,
    update_doc_section,
)

sys.path.insert(0, str(REPO_ROOT / "tests"))
from harness import FEATURE_MODEL_DIR, LONGLIVE_SIM_DIR, RuntimeServer  # noqa: E402
from runtime_bench import fresh_session  # noqa: E402
from sessions_bench import run as run_sessions_client  # noqa: E402

from reactor_client.batch import ItemRetry, run_batch  # noqa: E402
from reactor_models.feature_model import FeatureModel  # noqa: E402

FEATURE_ENV = {"FEATURE_WIDTH": "640", "FEATURE_HEIGHT": "360", "FEATURE_FPS": "20"}
CEILING_FPS = 30
CEILING_ENV = {
    "SIM_WIDTH": "1280", "SIM_HEIGHT": "720", "SIM_FPS": str(CEILING_FPS), "SIM_TEXTURE": "1",
    "SIM_FRAMES_PER_CHUNK": "8", "SIM_TOTAL_CHUNKS": "100000",
}


def colors(n: int) -> list[tuple[int, int, int]]:
    palette = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255), (255, 0, 255)]
    return [palette[i % len(palette)] for i in range(n)]


def make_work(hold: float) -> Any:
    async def work(model: FeatureModel, rgb: tuple[int, int, int]) -> int:
        await model.set_color(red=rgb[0], green=rgb[1], blue=rgb[2])
        frames = model.main_video.ndarrays()
        count = 0
        shown_at: float | None = None
        try:
            async for frame in frames:
                count += 1
                if shown_at is None:
                    pixel = frame[frame.shape[0] // 2, frame.shape[1] // 2]
                    if all(abs(int(p) - c) <= 40 for p, c in zip(pixel, rgb, strict=True)):
                        shown_at = time.monotonic()
                elif time.monotonic() - shown_at >= hold:
                    return count
        finally:
            await frames.aclose()
        raise RuntimeError("the video ended")

    return work


async def naive(urls: list[str], items: list[Any], hold: float) -> tuple[float, int]:
    work = make_work(hold)
    started, done = time.monotonic(), 0
    for item in items:
        try:
            async with FeatureModel(url=urls[0], local=True) as model:
                await work(model, item)
            done += 1
        except Exception as exc:  # noqa: BLE001 - a naive loop just reports and goes on
            print(f"    naive: {type(exc).__name__}: {exc}", flush=True)
    return time.monotonic() - started, done


async def batch(urls: list[str], items: list[Any], hold: float) -> tuple[float, int]:
    started = time.monotonic()
    result = await run_batch(
        make_work(hold),
        items,
        model=FeatureModel,
        urls=urls,
        options={"local": True},
        retry=ItemRetry(attempts=2),
        timeout=60,
        progress=False,
    )
    for item in result.failed:
        print(f"    batch: {item.error_line}", flush=True)
    return time.monotonic() - started, len(result.ok)


def throughput(args: argparse.Namespace) -> tuple[list[str], list[list[str]]]:
    items = colors(args.items)
    configs = [("naive loop", 1, naive)] + [(f"batch runner, {n} runtime(s)", n, batch) for n in args.pools]
    per_min: dict[str, list[float]] = {name: [] for name, _, _ in configs}
    per_item: dict[str, list[float]] = {name: [] for name, _, _ in configs}
    with ExitStack() as stack:
        servers = [
            stack.enter_context(RuntimeServer(FEATURE_MODEL_DIR, env=FEATURE_ENV, log_level="WARNING"))
            for _ in range(max(args.pools))
        ]
        for rnd in range(args.rounds):
            order = configs if rnd % 2 == 0 else list(reversed(configs))
            for name, n, run in order:
                for server in servers:
                    fresh_session(server)
                seconds, done = asyncio.run(run([s.url for s in servers[:n]], items, args.hold))
                per_min[name].append(60.0 * done / seconds)
                per_item[name].append(seconds / max(done, 1))
                print(f"  round {rnd + 1}: {name}: {done}/{len(items)} in {seconds:.1f} s", flush=True)
    base = median(per_min["naive loop"])
    header = ["how", "runtimes", "sessions/min (median)", "ratio to naive", "s per session (median)", "rounds"]
    rows = [
        [name, str(n), fmt(median(per_min[name]), 1), fmt(median(per_min[name]) / base, 2),
         fmt(median(per_item[name]), 2), str(len(per_min[name]))]
        for name, n, _ in configs
    ]
    return header, rows


def ceiling(args: argparse.Namespace) -> tuple[list[str], list[list[str]], int]:
    header = ["sessions", "min fps", "median fps", "client CPU % (process)", "CPU % per session", "holds 30 fps"]
    rows: list[list[str]] = []
    largest = 0
    with ExitStack() as stack:
        servers = [
            stack.enter_context(RuntimeServer(LONGLIVE_SIM_DIR, env=CEILING_ENV, log_level="WARNING"))
            for _ in range(args.ceiling_max)
        ]
        for n in range(1, args.ceiling_max + 1):
            for server in servers[:n]:
                fresh_session(server)
            res = run_sessions_client("ours", [s.url for s in servers[:n]], args.window)
            if "error" in res:
                rows.append([str(n), "error", res["error"][:60], "", "", ""])
                print("  " + " | ".join(rows[-1]), flush=True)
                continue
            fps = res["fps"]
            holds = min(fps) >= 0.9 * CEILING_FPS
            if holds and largest == n - 1:
                largest = n
            rows.append([
                str(n), fmt(min(fps), 1), fmt(median(fps), 1), fmt(res["cpu_pct"], 1),
                fmt(res["cpu_pct"] / n, 1), "yes" if holds else "no",
            ])
            print("  " + " | ".join(rows[-1]), flush=True)
    return header, rows, largest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=8)
    parser.add_argument("--hold", type=float, default=1.0, help="seconds of frames per session")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pools", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--ceiling-max", type=int, default=4)
    parser.add_argument("--window", type=float, default=8.0, help="ceiling: seconds measured")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    machine = machine_lines()
    t_header, t_rows = throughput(args)
    print_table("sessions completed per minute", t_header, t_rows)
    c_header, c_rows, largest = ceiling(args) if args.ceiling_max else ([], [], 0)
    if c_rows:
        print_table("concurrent sessions at 1280x720", c_header, c_rows)
        print(f"largest N holding {CEILING_FPS} fps at 1280x720: {largest}")
    if args.no_doc:
        return 0
    body = [
        "## Batch runner (`bench/batch_bench.py`)",
        "",
        f"`{command_line()}` ({time.monotonic() - started:.0f} s; tree at {git_state(['runtime', 'bench'])}).",
        "",
        *machine,
        "",
        f"**Sessions completed per minute.** {args.items} items, each one session of the feature model "
        f"(640x360 at 20 fps): connect, `set_color`, RGB frames until the picture shows it, then "
        f"{args.hold:g} s more of RGB frames, disconnect. The naive loop runs them one after another "
        "on one runtime; `reactor_client.batch.run_batch` runs them over a pool of runtimes (one "
        "session per runtime at a time). Rounds alternate the order; medians over rounds.",
        "",
        markdown_table(t_header, t_rows),
    ]
    if c_rows:
        body += [
            "",
            f"**Concurrent sessions at 1280x720.** N runtimes serving the LongliveV2 simulator "
            f"(textured, {CEILING_FPS} fps) and one client process holding N sessions, RGB arrays on "
            f"every session, {args.window:g} s window. The runtimes encode VP8 on the same 2 cores as "
            "the client: this is the machine's ceiling, client and servers together (with the model "
            "on GPUs elsewhere, only the client's column counts).",
            "",
            markdown_table(c_header, c_rows),
            "",
            f"Largest N where every session holds >= 90 % of {CEILING_FPS} fps: {largest}.",
        ]
    update_doc_section("batch-bench", "\n".join(body))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
