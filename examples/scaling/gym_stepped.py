"""A stepped world model as a Gymnasium environment: ``reset(seed=...)`` starts a stepped
session, ``step(action)`` sends the action's commands and returns the frames it produced, and
a vector env steps two sessions in lockstep (each on its own runtime: a local runtime serves
one session at a time).

    pip install 'reactor-client[gym]'
    python examples/scaling/gym_stepped.py --url http://127.0.0.1:8081 --url http://127.0.0.1:8082

Written for the stepped test model (tests/models/stepped_model: the red channel of its
frames is its ``level`` state, the green one the step number); any stepped model works the
same way with its own commands (docs/scaling.md shows the typed ``CommandActions`` form).
"""

from __future__ import annotations

import argparse
import functools
import sys
from typing import Any

import gymnasium
import numpy as np

from reactor_client import ReactorClient, StepCommand
from reactor_client.gym import DiscreteActions, ReactorEnv

LEVELS = [0, 64, 128, 255]  # action i sets the level to LEVELS[i]
ACTIONS = DiscreteActions([[StepCommand("set_level", {"level": v})] for v in LEVELS])


def brightness(result: Any, observation: np.ndarray[Any, Any]) -> float:
    """Reward: the red channel's mean, 0..1 (the model's level, as the picture shows it)."""
    return float(observation[..., 0].mean()) / 255.0


def make_env(url: str) -> ReactorEnv:
    return ReactorEnv(
        functools.partial(ReactorClient, "stepped-model", url=url, local=True),
        actions=ACTIONS,
        frame_shape=(48, 64),  # the model's frames: 64x48 unless its width/height say otherwise
        reward=brightness,
        max_episode_steps=4,
        render_mode="rgb_array",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--url", action="append", required=True, help="a local runtime (repeat)")
    args = parser.parse_args(argv)

    env = make_env(args.url[0])
    try:
        observation, info = env.reset(seed=0)
        print(f"reset: step {info['step']}, observation {observation.shape} {observation.dtype}")
        for action in (3, 1):
            observation, reward, terminated, truncated, info = env.step(action)
            print(
                f"action {action} (level {LEVELS[action]}): pixel {observation[0, 0].tolist()}, "
                f"reward {float(reward):.2f}, step {info['step']}"
            )
        frame = env.render()
        print(f"render: {None if frame is None else frame.shape}")
    finally:
        env.close()  # ends the session

    if len(args.url) < 2:
        return 0
    envs = gymnasium.vector.SyncVectorEnv([functools.partial(make_env, u) for u in args.url[:2]])
    try:
        observations, infos = envs.reset(seed=[1, 2])
        for actions in ([0, 3], [2, 1]):
            observations, rewards, terminations, truncations, infos = envs.step(np.array(actions))
            pixels = [o[0, 0].tolist() for o in observations]
            print(f"vector step {infos['step'].tolist()}: actions {actions} -> pixels {pixels}")
    finally:
        envs.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
