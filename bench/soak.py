"""Soak: one client on the real runtime for N minutes at 1280x720, with a fast consumer (reads
every frame), a slow one (0.25 s per frame, so its queue drops) and an ``on_frame`` callback;
samples RSS, asyncio tasks and threads every ``--every`` seconds and prints the table.

    .venv/bin/python bench/soak.py --minutes 10

A benchmark, not a test: it reports whether memory and task counts stay flat; it asserts
nothing. It rewrites the ``soak`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _common import command_line, machine_lines, markdown_table, print_table, update_doc_section  # noqa: E402
from harness.server import FEATURE_MODEL_DIR, RuntimeServer  # noqa: E402

from reactor_client import ReactorClient  # noqa: E402


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


async def soak(url: str, minutes: float, every: float) -> list[list[str]]:
    rows: list[list[str]] = []
    async with ReactorClient("feature-model", local=True, url=url) as client:
        video = client.output_track("main_video")
        counts = {"fast": 0, "slow": 0, "callback": 0}

        async def fast() -> None:
            async for _ in video.frames(maxsize=4):
                counts["fast"] += 1

        async def slow() -> None:
            async for _ in video.frames(maxsize=2):
                counts["slow"] += 1
                await asyncio.sleep(0.25)

        video.on_frame(lambda f: counts.__setitem__("callback", counts["callback"] + 1))
        consumers = [asyncio.ensure_future(fast()), asyncio.ensure_future(slow())]
        start = time.monotonic()
        last = dict(counts)
        last_at = start
        while time.monotonic() - start < minutes * 60:
            await asyncio.sleep(every)
            now = time.monotonic()
            fps = {k: (counts[k] - last[k]) / (now - last_at) for k in counts}
            last, last_at = dict(counts), now
            stats = await client.get_stats()
            rows.append(
                [
                    f"{(now - start) / 60:.1f}",
                    f"{rss_mb():.1f}",
                    str(len(asyncio.all_tasks())),
                    str(threading.active_count()),
                    f"{fps['fast']:.1f}",
                    f"{fps['slow']:.1f}",
                    f"{fps['callback']:.1f}",
                    str(stats.tracks["main_video"].frames_dropped),
                ]
            )
            print("  ".join(rows[-1]), flush=True)
        for task in consumers:
            task.cancel()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--every", type=float, default=30.0)
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")
    args = parser.parse_args()
    env = {"FEATURE_WIDTH": "1280", "FEATURE_HEIGHT": "720", "FEATURE_FPS": "30"}
    with RuntimeServer(FEATURE_MODEL_DIR, env=env) as server:
        rows = asyncio.run(soak(server.url, args.minutes, args.every))
    header = ["min", "RSS MB", "tasks", "threads", "fast fps", "slow fps", "on_frame fps", "dropped (total)"]
    print_table("soak: 1280x720 @ 30 fps, fast + slow consumer + on_frame", header, rows)
    if not args.no_doc:
        body = "\n".join(
            [
                "## Soak (`bench/soak.py`)",
                "",
                f"`{command_line()}`: one client, 1280x720 at 30 fps from the feature model, a fast "
                "consumer, a slow one (0.25 s per frame: its drop-oldest queue drops) and an "
                "`on_frame` callback. Flat RSS, task and thread counts = no leak.",
                "",
                *machine_lines(),
                "",
                markdown_table(header, rows),
            ]
        )
        update_doc_section("soak", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
