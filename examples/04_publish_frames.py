"""Publish an input track and push frames from numpy (timestamps and pacing are done for you).

python examples/04_publish_frames.py --local http://localhost:8080
"""

from __future__ import annotations

import asyncio

import numpy as np
from _connect import model_options, parse, run
from reactor_models.feature_model import FeatureModel


async def main() -> None:
    args = parse(__doc__ or "")
    async with FeatureModel(**model_options(args)) as model:
        await model.publish_webcam()  # no source: frames come from push_frame()
        for i in range(40):
            frame = np.zeros((48, 64, 3), np.uint8)
            frame[:] = (200, 30, 90)
            frame[:, : (i % 64)] = 255  # a moving white bar
            model.webcam.push_frame(frame)
            await asyncio.sleep(1 / 20)
        report = await model.report_input()
        assert report is not None
        print(f"model saw {report.frames_received} frames of {report.width}x{report.height}")
        print(f"mean colour of the latest: {report.mean_color}")
        await model.unpublish_webcam()


if __name__ == "__main__":
    raise SystemExit(run(main))
