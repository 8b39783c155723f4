"""Stepped Reactor models as Gymnasium environments (extra ``reactor-client[gym]``).

    from reactor_client.gym import CommandActions, ReactorEnv
    from reactor_models.stepped_model import SteppedModel, SetLevelParams

    env = ReactorEnv(SteppedModel, url="http://127.0.0.1:8080",
                     actions=CommandActions(SetLevelParams),    # Discrete(256): level 0..255
                     frame_shape=(48, 64), render_mode="rgb_array")
    observation, info = env.reset(seed=0)                    # a new stepped session, its first step
    observation, reward, terminated, truncated, info = env.step(env.action_space.sample())
    env.close()                                              # ends the session

See :class:`ReactorEnv`, :class:`CommandActions`, :class:`DiscreteActions` and docs/scaling.md.
"""

from __future__ import annotations

try:
    import gymnasium  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "reactor_client.gym needs gymnasium: pip install 'reactor-client[gym]'"
    ) from exc

from .actions import ActionResult, CommandActions, DiscreteActions, StepRequest, field_space
from .env import CONNECT_TIMEOUT, STEP_TIMEOUT, ReactorEnv

__all__ = [
    "ActionResult",
    "CONNECT_TIMEOUT",
    "CommandActions",
    "DiscreteActions",
    "ReactorEnv",
    "STEP_TIMEOUT",
    "StepRequest",
    "field_space",
]
