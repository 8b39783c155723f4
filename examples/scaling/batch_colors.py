"""Many sessions on one machine: one session per item over a pool of local runtimes, retries,
a progress bar, a result or a typed error per item, and a results file that makes the run
resumable (run it again: finished items are skipped; Ctrl-C ends every session first).

    pip install 'reactor-client[batch]' reactor-models-feature-model
    python examples/scaling/batch_colors.py --url http://127.0.0.1:8081 --url http://127.0.0.1:8082 \\
        --results colors.jsonl
    # the cloud instead: --api-key KEY (5 sessions at once, 10 new a minute)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from reactor_models.feature_model import FeatureModel

from reactor_client.batch import ItemRetry, run_batch_sync

COLORS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255), (255, 0, 255)]


async def paint(model: FeatureModel, rgb: tuple[int, int, int]) -> dict[str, Any]:
    """One item on its own connected session: set a colour, wait until the picture shows it."""
    red, green, blue = rgb
    await model.set_color(red=red, green=green, blue=blue)
    frames = model.main_video.ndarrays()
    try:
        async for frame in frames:  # the runtime queues a few frames: read until it shows
            pixel = frame[frame.shape[0] // 2, frame.shape[1] // 2].tolist()
            if all(abs(int(p) - c) <= 40 for p, c in zip(pixel, rgb, strict=True)):
                return {"pixel": pixel, "session": model.session_id}
    finally:
        await frames.aclose()
    raise RuntimeError("the video ended before it showed the colour")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--url", action="append", default=[], help="a local runtime (repeat)")
    parser.add_argument("--api-key", default=os.environ.get("REACTOR_API_KEY"), help="the cloud")
    parser.add_argument("--api-url", help="the Reactor API's URL (with --api-key)")
    parser.add_argument("--results", type=Path, help="JSON lines, one per finished item")
    parser.add_argument("--attempts", type=int, default=3, help="tries per item")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if not args.url and not args.api_key:
        parser.error("pass --url URL (repeat) for local runtimes, or --api-key for the cloud")

    if args.url:
        options: dict[str, Any] = {"local": True}
        starts_per_minute = None
    else:  # the cloud's per-account limits: 5 sessions at once, 10 new a minute (burst 3)
        options = {"api_key": args.api_key, **({"url": args.api_url} if args.api_url else {})}
        starts_per_minute = 10
    try:
        results = run_batch_sync(
            paint,
            COLORS,
            model=FeatureModel,
            options=options,
            urls=args.url or None,  # one session per runtime at a time; none: the cloud
            key=lambda rgb: "#{:02x}{:02x}{:02x}".format(*rgb),
            retry=ItemRetry(attempts=args.attempts),
            timeout=60,
            results=args.results,
            progress=False if args.no_progress else None,
            starts_per_minute=starts_per_minute,
        )
    except KeyboardInterrupt:
        return 130
    for item in results:
        if item.ok:
            print(f"{item.key}: {item.status.value}, pixel {item.value and item.value['pixel']}")
        else:
            print(f"{item.key}: {item.status.value} after {item.attempts} tries: {item.error_line}")
    print(results.summary())
    return 0 if len(results.ok) == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
