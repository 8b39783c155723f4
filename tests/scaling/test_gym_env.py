"""reactor_client.gym.ReactorEnv on the stepped test model (tests/models/stepped_model) served by
REAL runtimes, through its generated package: Gymnasium's own env checker passes, a vector env
of two steps both sessions in lockstep (each env on its own runtime), the same seed and actions
give the same frames, and the example runs."""

from __future__ import annotations

import functools
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import gymnasium
import numpy as np
import pytest
from _scaling import STEPPED_DIR, stepped_sdk, wait_idle
from gymnasium.utils.env_checker import check_env
from harness.server import REPO_ROOT, RuntimeServer

from reactor_client.gym import CommandActions, ReactorEnv

pytestmark = pytest.mark.runtime

EXAMPLE = REPO_ROOT / "examples" / "scaling" / "gym_stepped.py"


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with stepped_sdk(tmp_path_factory.mktemp("stepped-sdk")) as module:
        yield module


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[RuntimeServer]]:
    started = [
        RuntimeServer(STEPPED_DIR, log_dir=tmp_path_factory.mktemp("gym-logs")).start()
        for _ in range(2)
    ]
    try:
        yield started
    finally:
        for server in started:
            server.stop()


def random_level(rng: np.random.Generator) -> dict[str, Any]:
    return {"level": int(rng.integers(0, 256))}


def make_env(model: type[Any], level: type[Any], url: str, **kwargs: Any) -> ReactorEnv:
    kwargs.setdefault("initial_state", random_level)
    """``model``: the generated SteppedModel; ``level``: its SetLevelParams (classes, not
    the module, so an AsyncVectorEnv can pickle this for its worker processes)."""
    return ReactorEnv(
        model,
        url=url,
        local=True,
        actions=CommandActions(level),  # Discrete(256): the level
        frame_shape=(48, 64),
        render_mode="rgb_array",
        **kwargs,
    )


def test_gymnasium_env_checker_passes(sdk: ModuleType, servers: list[RuntimeServer]) -> None:
    env = make_env(sdk.SteppedModel, sdk.SetLevelParams, servers[0].url, max_episode_steps=20)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            check_env(env)
        gym_warnings = [
            str(w.message)
            for w in caught
            if "gymnasium" in w.filename
            # an env built without gymnasium.make has no spec to build a second one from (which
            # would need a second runtime anyway: a local runtime serves one session)
            and "Not able to test alternative render modes" not in str(w.message)
        ]
        assert gym_warnings == []
        assert env.action_space == gymnasium.spaces.Discrete(256)
        assert env.observation_space == gymnasium.spaces.Box(0, 255, (48, 64, 3), np.uint8)
    finally:
        env.close()
    env.close()  # twice is fine
    wait_idle(servers[:1])  # close() ended the session


def test_observations_follow_actions_and_render(
    sdk: ModuleType, servers: list[RuntimeServer]
) -> None:
    env = make_env(sdk.SteppedModel, sdk.SetLevelParams, servers[0].url, max_episode_steps=3)
    try:
        observation, info = env.reset(seed=3)
        assert info["step"] == 1 and observation.shape == (48, 64, 3)
        level = observation[0, 0, 0]
        assert (observation == [level, 1, 0]).all()  # the model's frame: (level, step, index)
        for n, action in enumerate((7, 200, 31), start=2):
            observation, reward, terminated, truncated, info = env.step(action)
            assert (observation == [action, n, 0]).all()
            assert info["step"] == n and reward == 0.0 and not terminated
            assert truncated == (n == 4)  # max_episode_steps=3
        assert (env.render() == observation).all()
    finally:
        env.close()


def test_same_seed_and_actions_give_the_same_frames(
    sdk: ModuleType, servers: list[RuntimeServer]
) -> None:
    env = make_env(sdk.SteppedModel, sdk.SetLevelParams, servers[0].url, stack=2)
    actions = [5, 250, 5, 128]

    def episode(seed: int) -> list[np.ndarray[Any, Any]]:
        observation, _ = env.reset(seed=seed)
        frames = [observation]
        for action in actions:
            frames.append(env.step(action)[0])
        return frames

    try:
        first, again, other = episode(11), episode(11), episode(12)
    finally:
        env.close()
    assert first[0].shape == (2, 48, 64, 3)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first[0], other[0])  # another seed, another starting level
    assert np.array_equal(first[-1], other[-1])  # ... and then the same actions, the same frames


def test_seed_field_takes_the_seed_within_its_bounds(
    sdk: ModuleType, servers: list[RuntimeServer]
) -> None:
    from gymnasium.utils.seeding import np_random

    # the stepped model has no seed of its own: its level (0..255) stands in for one
    env = make_env(
        sdk.SteppedModel,
        sdk.SetLevelParams,
        servers[0].url,
        initial_state=None,
        seed_field="level",
    )
    try:
        for seed in (7, 8):
            observation, _ = env.reset(seed=seed)
            expected = int(np_random(seed)[0].integers(0, 256))
            assert (observation == [expected, 1, 0]).all()
    finally:
        env.close()


def test_vector_env_of_two_steps_in_lockstep(sdk: ModuleType, servers: list[RuntimeServer]) -> None:
    envs = gymnasium.vector.SyncVectorEnv(
        [
            functools.partial(
                make_env, sdk.SteppedModel, sdk.SetLevelParams, s.url, max_episode_steps=10
            )
            for s in servers
        ]
    )
    try:
        observations, infos = envs.reset(seed=[1, 2])
        assert observations.shape == (2, 48, 64, 3) and infos["step"].tolist() == [1, 1]
        for n, actions in enumerate(([10, 20], [30, 40], [50, 60]), start=2):
            observations, rewards, terminated, truncated, infos = envs.step(np.array(actions))
            assert infos["step"].tolist() == [n, n]  # both sessions took this step
            assert observations[:, 0, 0].tolist() == [[actions[0], n, 0], [actions[1], n, 0]]
    finally:
        envs.close()
    wait_idle(servers)


def test_async_vector_env(sdk: ModuleType, servers: list[RuntimeServer]) -> None:
    envs = gymnasium.vector.AsyncVectorEnv(
        [
            functools.partial(make_env, sdk.SteppedModel, sdk.SetLevelParams, s.url)
            for s in servers
        ],
        context="spawn",
    )
    try:
        observations, infos = envs.reset(seed=[1, 2])
        observations, *_, infos = envs.step(np.array([3, 4]))
        assert observations[:, 0, 0].tolist() == [[3, 2, 0], [4, 2, 0]]
    finally:
        envs.close()


def test_example_runs(servers: list[RuntimeServer], tmp_path: Path) -> None:
    cmd = [sys.executable, str(EXAMPLE), *(f"--url={s.url}" for s in servers)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "reset: step 1, observation (48, 64, 3) uint8"
    assert lines[1] == "action 3 (level 255): pixel [255, 2, 0], reward 1.00, step 2"
    assert lines[2] == "action 1 (level 64): pixel [64, 3, 0], reward 0.25, step 3"
    assert lines[3] == "render: (48, 64, 3)"
    assert lines[4] == "vector step [2, 2]: actions [0, 3] -> pixels [[0, 2, 0], [255, 2, 0]]"
    assert lines[5] == "vector step [3, 3]: actions [2, 1] -> pixels [[128, 3, 0], [64, 3, 0]]"
