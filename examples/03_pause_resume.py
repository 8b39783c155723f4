"""Pause and resume an output track (the runtime stops sending it to this connection).

python examples/03_pause_resume.py --local http://localhost:8080
"""

from __future__ import annotations

import asyncio

from _connect import model_options, parse, run
from reactor_models.feature_model import FeatureModel


async def main() -> None:
    args = parse(__doc__ or "")
    async with FeatureModel(**model_options(args)) as model:
        video = model.main_video
        await video.next_frame(timeout=10)
        await video.pause()
        await asyncio.sleep(0.5)  # frames already in flight
        before = video.frames_received
        await asyncio.sleep(1.0)
        print(f"paused: {video.frames_received - before} frames in 1 s")
        await video.resume()
        await video.next_frame(timeout=10)
        before = video.frames_received
        await asyncio.sleep(1.0)
        print(f"resumed: {video.frames_received - before} frames in 1 s")


if __name__ == "__main__":
    raise SystemExit(run(main))
