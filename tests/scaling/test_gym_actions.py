"""Action spaces derived from generated params classes (reactor_client.gym.CommandActions) and
key bindings (DiscreteActions), on the committed goldens (lingbot: a camera/WASD world model;
the feature model: every parameter type) and the stepped test model's package. No server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from _scaling import stepped_sdk
from gymnasium import spaces
from reactor_models.feature_model import commands as feature
from reactor_models.lingbot import commands as lingbot

import reactor_client
from reactor_client import StepCommand
from reactor_client.gym import CommandActions, DiscreteActions, ReactorEnv, StepRequest


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with stepped_sdk(tmp_path_factory.mktemp("stepped-sdk")) as module:
        yield module


def test_bounded_int_is_discrete_from_its_low_bound(sdk: ModuleType) -> None:
    actions = CommandActions(sdk.SetLevelParams)
    assert actions.space == spaces.Discrete(256)
    assert actions(np.int64(7)) == [sdk.SetLevelParams(level=7)]
    frames = CommandActions(sdk.SetFramesParams).space
    assert frames == spaces.Discrete(65)  # 0..64
    width = CommandActions(sdk.SetWidthParams).space
    assert isinstance(width, spaces.Discrete) and width.start == 1 and width.n == 8192


def test_enums_floats_and_several_commands() -> None:
    movement = CommandActions(lingbot.SetMovementParams)
    assert movement.space == spaces.Discrete(5)
    assert movement(1) == [lingbot.SetMovementParams(movement="forward")]
    rotation = CommandActions(lingbot.SetRotationSpeedDegParams)
    assert rotation.space == spaces.Box(0.0, 30.0, (1,), np.float32)
    (params,) = rotation(np.array([12.5], np.float32))
    assert params.rotation_speed_deg == 12.5 and type(params.rotation_speed_deg) is float
    (top,) = rotation(np.array([30.5], np.float32))
    assert top.rotation_speed_deg == 30.0  # clipped into the bounds
    both = CommandActions(lingbot.SetMovementParams, lingbot.SetLookHorizontalParams)
    assert both.space == spaces.Dict(
        {
            "set_movement.movement": spaces.Discrete(5),
            "set_look_horizontal.look_horizontal": spaces.Discrete(3),
        }
    )
    sample = both.space.sample()
    commands = both(sample)
    assert [type(c) for c in commands] == [
        lingbot.SetMovementParams,
        lingbot.SetLookHorizontalParams,
    ]
    with pytest.raises(reactor_client.ConfigurationError, match="an action is a dict"):
        both(3)


def test_every_parameter_type_of_the_feature_model() -> None:
    actions = CommandActions(feature.ConfigureParams, fixed={"configure": {"label": "run"}})
    assert isinstance(actions.space, spaces.Dict)
    keys = set(actions.space.spaces)
    assert {"steps", "strength", "quality", "tone_hz"} <= keys
    assert actions.space["quality"] == spaces.Discrete(3)  # Literal[1, 2, 3] (numeric choices)
    assert actions.space["steps"] == spaces.Discrete(50, start=1)
    assert "label" not in keys and "note" not in keys and "tags" not in keys  # fixed / free / list
    for _ in range(20):
        (params,) = actions(actions.space.sample())
        assert params.label == "run" and params.quality in (1, 2, 3)
        assert 1 <= params.steps <= 50 and 0.0 <= params.strength <= 1.0


def test_parameters_that_cannot_be_actions_are_named() -> None:
    with pytest.raises(reactor_client.ConfigurationError) as info:
        CommandActions(lingbot.SetSeedParams)  # ge=0 only: no upper bound
    assert str(info.value).startswith(
        "set_seed: seed (int) has no finite choices or bounds, so it cannot be an action: "
        "give it a value with fixed={'set_seed': {'seed': ...}}"
    )
    with pytest.raises(reactor_client.ConfigurationError, match="set_prompt: prompt"):
        CommandActions(lingbot.SetPromptParams)
    with pytest.raises(reactor_client.ConfigurationError, match="no parameter of"):
        CommandActions(lingbot.SetPromptParams, fixed={"set_prompt": {"prompt": "a hall"}})
    with pytest.raises(reactor_client.ConfigurationError, match="not one of the commands"):
        CommandActions(lingbot.SetMovementParams, fixed={"set_moves": {}})
    with pytest.raises(reactor_client.ConfigurationError, match="not a generated"):
        CommandActions(StepRequest)  # type: ignore[arg-type]


def test_discrete_actions_are_key_bindings() -> None:
    keys = DiscreteActions(
        [None, [lingbot.SetMovementParams(movement="forward")], StepRequest(state={"seed": 1})]
    )
    assert keys.space == spaces.Discrete(3)
    assert keys(0) == StepRequest()
    assert keys(np.int64(1)).commands == [lingbot.SetMovementParams(movement="forward")]
    assert keys(2).state == {"seed": 1}
    with pytest.raises(reactor_client.ConfigurationError, match="not in 0..2"):
        keys(3)
    raw = DiscreteActions([[StepCommand("set_level", {"level": 9})]])
    assert raw(0).commands == [StepCommand("set_level", {"level": 9})]


def test_env_arguments_are_checked_before_anything_connects(sdk: ModuleType) -> None:
    level = CommandActions(sdk.SetLevelParams)
    cases = [
        ({"actions": lambda a: None, "frame_shape": (48, 64)}, "needs action_space="),
        ({"actions": level, "frame_shape": (0, 64)}, "frame_shape is"),
        ({"actions": level, "frame_shape": (48, 64), "render_mode": "human"}, "render_mode"),
        ({"actions": level, "frame_shape": (48, 64), "generation": "streamed"}, "always stepped"),
        ({"actions": level, "frame_shape": (48, 64), "stack": 0}, "stack must be"),
    ]
    for kwargs, message in cases:
        with pytest.raises(reactor_client.ConfigurationError, match=message):
            ReactorEnv(sdk.SteppedModel, **kwargs)  # type: ignore[arg-type]
    env = ReactorEnv(sdk.SteppedModel, actions=level, frame_shape=(48, 64))
    with pytest.raises(reactor_client.ConfigurationError, match=r"call reset\(\) before step"):
        env.step(0)
    env.close()  # nothing was started: nothing to end


def test_import_without_gymnasium_is_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    blocker = tmp_path / "gymnasium.py"
    blocker.write_text("raise ImportError('No module named gymnasium')\n")
    done = subprocess.run(
        [sys.executable, "-c", "import reactor_client.gym"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path)},
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "ImportError: reactor_client.gym needs gymnasium: pip install 'reactor-client[gym]'"
    )
