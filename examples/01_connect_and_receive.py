"""Connect, receive video frames and model messages, disconnect.

python examples/01_connect_and_receive.py --local http://localhost:8080
REACTOR_TRANSPORT=native python examples/01_connect_and_receive.py --local   # libwebrtc
"""

from __future__ import annotations

from _connect import model_options, parse, run
from reactor_models.feature_model import FeatureModel, Hello


async def main() -> None:
    args = parse(__doc__ or "")
    async with FeatureModel(**model_options(args)) as model:
        # the model greets on connect; a predicate makes the waiter count one already received
        hello: Hello = await model.wait_for_hello(lambda h: True, timeout=10)
        print(f"connected to {hello.model}; tracks {hello.tracks}; session {model.session_id}")
        print(f"transport: {model.client.transport.name}")  # REACTOR_TRANSPORT or transport=
        count = 0
        async for frame in model.main_video.frames():  # av.VideoFrame
            count += 1
            if count % 10 == 0:
                print(f"frame {count}: {frame.width}x{frame.height} pts={frame.pts}")
            if count == 30:
                break
        audio = await model.main_audio.next_frame(timeout=5)  # av.AudioFrame
        print(f"audio: {audio.samples} samples at {audio.sample_rate} Hz")
    print("received 30 frames")


if __name__ == "__main__":
    raise SystemExit(run(main))
