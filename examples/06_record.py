"""Record the output: client-side to MP4 and WebM, and a server-side clip downloaded as one MP4.

python examples/06_record.py --local http://localhost:8080 --out recordings/
"""

from __future__ import annotations

import asyncio

from _connect import model_options, parse, run
from reactor_models.feature_model import FeatureModel

import reactor_client


async def main() -> None:
    args = parse(__doc__ or "")
    async with FeatureModel(**model_options(args)) as model:
        mp4 = await model.record(args.out / "example.mp4", seconds=2)  # H.264 + AAC, one file
        print(f"{mp4.path.name}: {mp4.duration_seconds:.2f} s, frames {mp4.frames}")
        async with model.recording(
            args.out / "example.webm"
        ) as rec:  # VP8/Opus remuxed, not decoded
            await asyncio.sleep(2)
        print(
            f"{rec.result.path.name}: {rec.result.duration_seconds:.2f} s, frames {rec.result.frames}"
        )
        try:
            clip = await model.request_clip(2)  # the runtime's own recording (if the model records)
            path = await clip.download(args.out / "example-clip.mp4", timeout=60)
            print(f"{path.name}: server clip {clip.start_marker:.1f}-{clip.end_marker:.1f} s")
        except reactor_client.RecorderDisabledError as exc:
            print(f"no server-side clip: {exc}")


if __name__ == "__main__":
    raise SystemExit(run(main))
