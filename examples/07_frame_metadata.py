"""Per-frame metadata: what the model attached to each frame (``TrackPayload(metadata=...)``).

Frame metadata is opt-in (``frame_metadata=True``): see docs/known-issues.md for why.

python examples/07_frame_metadata.py --local http://localhost:8080
"""

from __future__ import annotations

from _connect import model_options, parse, run
from reactor_models.feature_model import FeatureModel

import reactor_client


async def main() -> None:
    args = parse(__doc__ or "")
    async with FeatureModel(**model_options(args), frame_metadata=True) as model:
        print(f"frame metadata negotiated: {model.client.frame_metadata_negotiated}")
        seen = 0
        async for frame in model.main_video.frames():
            meta = reactor_client.frame_metadata(frame)
            if meta is None:
                continue
            print(
                f"frame_id={meta.frame_id} capture_time_us={meta.capture_time_us} user_data={meta.json()}"
            )
            seen += 1
            if seen == 5:
                break


if __name__ == "__main__":
    raise SystemExit(run(main))
