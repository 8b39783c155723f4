"""The blocking API for scripts: no async, no event loop of your own.

python examples/08_blocking_script.py --local http://localhost:8080
"""

from __future__ import annotations

import threading

from _connect import model_options, parse, run
from reactor_models.feature_model import ColorChanged
from reactor_models.feature_model.sync import FeatureModel


def main() -> None:
    args = parse(__doc__ or "")
    with FeatureModel(**model_options(args)) as model:  # connects; disconnects at the end
        print(f"status {model.status.value}; session {model.session_id}")

        # listeners run on the model's background loop thread
        @model.on_color_changed()
        def changed(message: ColorChanged) -> None:
            print(f"color_changed {message.rgb} (on {threading.current_thread().name})")

        model.set_color(red=255, green=0, blue=0)  # blocks until the runtime accepted it
        model.wait_for_color_changed(lambda m: m.rgb == [255, 0, 0], timeout=10)

        for count, frame in enumerate(model.main_video.frames(), start=1):  # a plain iterator
            if count == 10:
                print(f"frame {count}: {frame.width}x{frame.height}")
                break
        rgb = model.main_video.snapshot()  # (H, W, 3) uint8
        print(f"centre pixel {rgb[rgb.shape[0] // 2, rgb.shape[1] // 2].tolist()}")
        result = model.record(args.out / "blocking.mp4", seconds=1.0)
        print(f"{result.path.name}: {result.frames} frames")
        echo = model.echo(text="done")
        print(f"echo {echo.text if echo else None}")


if __name__ == "__main__":
    raise SystemExit(run(main))
