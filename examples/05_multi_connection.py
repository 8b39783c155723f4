"""Two connections to one session: a second client joins by session id and leaves without
ending the session for the first.

    python examples/05_multi_connection.py --local http://localhost:8080
"""

from __future__ import annotations

from _connect import model_options, parse, run
from reactor_models.feature_model import FeatureModel


async def main() -> None:
    args = parse(__doc__ or "")
    async with FeatureModel(**model_options(args)) as first:
        viewer = FeatureModel(**model_options(args))
        await viewer.connect(session_id=first.session_id)
        try:
            print(
                f"session {first.session_id}: connections {first.client.connection_id} and {viewer.client.connection_id}"
            )
            await first.set_color(red=255, green=0, blue=0)  # one client steers, both see it
            changed = await viewer.wait_for_color_changed(lambda m: m.rgb == [255, 0, 0], timeout=5)
            print(f"viewer saw colour {changed.rgb}")
        finally:
            await viewer.disconnect()  # a client that joined never ends the session
        frame = await first.main_video.next_frame(timeout=5)
        print(f"first client still streaming: {frame.width}x{frame.height}")


if __name__ == "__main__":
    raise SystemExit(run(main))
