""":class:`ReactorEnv`: a stepped Reactor session as a ``gymnasium.Env``."""

from __future__ import annotations

import collections
from collections.abc import Callable, Mapping
from typing import Any, SupportsFloat

import gymnasium
import numpy as np
import numpy.typing as npt
from gymnasium import spaces

from ..errors import ConfigurationError, SessionEndedError
from ..stepping import StepResult
from ..sync.loop import LoopThread
from .actions import ActionResult, as_request

Frame = npt.NDArray[np.uint8]

#: Seconds one step may take (a world model on a busy GPU can be slow).
STEP_TIMEOUT = 120.0
#: Seconds starting a session may take.
CONNECT_TIMEOUT = 180.0


class ReactorEnv(gymnasium.Env[Frame, Any]):
    """A stepped session of a Reactor model as a Gymnasium environment.

    ``reset(seed=...)`` starts a new stepped session (ending the previous one) with the
    starting state, runs its first step and returns that step's picture; ``step(action)``
    turns the action into typed commands with ``actions`` and runs one step; the
    observation is the step's last frame of ``track`` as an ``(H, W, 3)`` ``uint8`` RGB
    array (``stack=k``: the last ``k`` frames, ``(k, H, W, 3)``); ``render()`` returns the
    last frame. Each env holds one session, on its own event loop thread; a local runtime
    serves one session at a time, so every env of a vector env needs its own runtime.

    Args:
        model: A generated model class (built as ``model(**options)``), or a callable
            returning an unconnected session object (a model instance or a
            ``reactor_client.ReactorClient``).
        actions: Action → what the step sends: a list of commands (generated ``*Params``
            instances), a :class:`~reactor_client.gym.StepRequest` (``state``,
            ``commands``, ``media``) or ``None``. :class:`~reactor_client.gym.CommandActions`
            and :class:`~reactor_client.gym.DiscreteActions` are such functions and carry
            their space.
        frame_shape: ``(height, width)`` of the model's frames (the observation space's
            shape; a step returning another size raises ``ConfigurationError``).
        action_space: The action space (default: ``actions.space``).
        track: The output video track observed (default: the model's first one).
        stack: Observe the last ``stack`` frames instead of one.
        initial_state: ``rng -> state`` for each ``reset`` (``rng`` is the env's seeded
            ``np_random``): the starting state of the new session, e.g. a random level.
            ``reset(options={"state": {...}})`` adds to it.
        seed_field: A state field of the model that takes a seed (``"seed"``): each
            ``reset`` sets it from ``np_random`` (within the field's declared bounds, else
            0..2**31-1), so the model's own randomness follows ``reset(seed=...)``.
        reward: ``(result, observation) -> float`` (default 0.0); ``result`` is the step's
            ``reactor_client.StepResult``.
        terminated: ``(result, observation) -> bool`` (default never).
        max_episode_steps: Truncate an episode after this many steps.
        render_mode: ``"rgb_array"`` or ``None``.
        render_fps: ``metadata["render_fps"]`` (the model's frame rate).
        step_timeout: Seconds one step may take.
        connect_timeout: Seconds starting a session may take.
        **options: Constructor options of ``model`` (``url=``, ``local=True``, ``jwt=``, ...;
            ``generation`` is always ``"stepped"``).
    """

    metadata: dict[str, Any] = {"render_modes": ["rgb_array"], "render_fps": 10}

    def __init__(
        self,
        model: Callable[..., Any],
        *,
        actions: Callable[[Any], ActionResult],
        frame_shape: tuple[int, int],
        action_space: spaces.Space[Any] | None = None,
        track: str | None = None,
        stack: int | None = None,
        initial_state: Callable[[np.random.Generator], Mapping[str, Any]] | None = None,
        seed_field: str | None = None,
        reward: Callable[[StepResult[Any], Frame], SupportsFloat] | None = None,
        terminated: Callable[[StepResult[Any], Frame], bool] | None = None,
        max_episode_steps: int | None = None,
        render_mode: str | None = None,
        render_fps: float = 10,
        step_timeout: float = STEP_TIMEOUT,
        connect_timeout: float = CONNECT_TIMEOUT,
        **options: Any,
    ) -> None:
        space = action_space if action_space is not None else getattr(actions, "space", None)
        if not isinstance(space, spaces.Space):
            raise ConfigurationError(
                "ReactorEnv needs action_space= (or actions= with a .space, such as "
                "CommandActions or DiscreteActions)"
            )
        if render_mode not in (None, "rgb_array"):
            raise ConfigurationError(
                f"render_mode must be 'rgb_array' or None, not {render_mode!r}"
            )
        height, width = (int(v) for v in frame_shape)
        if height < 1 or width < 1:
            raise ConfigurationError(f"frame_shape is (height, width), not {frame_shape!r}")
        if stack is not None and stack < 1:
            raise ConfigurationError(f"stack must be >= 1, not {stack!r}")
        if max_episode_steps is not None and max_episode_steps < 1:
            raise ConfigurationError(f"max_episode_steps must be >= 1, not {max_episode_steps!r}")
        if not isinstance(model, type) and options:
            raise ConfigurationError(
                f"options {sorted(options)} go to a model class; a factory builds its session itself"
            )
        if "generation" in options:
            raise ConfigurationError("a ReactorEnv's session is always stepped: drop generation=")
        self.action_space = space
        self._frame = (height, width, 3)
        shape = self._frame if stack is None else (stack, *self._frame)
        self.observation_space = spaces.Box(0, 255, shape=shape, dtype=np.uint8)
        self.render_mode = render_mode
        self.metadata = {**self.metadata, "render_fps": render_fps}
        self._model = model
        self._options = options
        self._actions = actions
        self._track = track
        self._stack = stack
        self._initial_state = initial_state
        self._seed_field = seed_field
        self._reward = reward
        self._terminated = terminated
        self._max_steps = max_episode_steps
        self._step_timeout = step_timeout
        self._connect_timeout = connect_timeout
        self._loop: LoopThread | None = None
        self._session: Any = None
        self._frames: collections.deque[Frame] = collections.deque(maxlen=stack or 1)
        self._steps = 0
        self._ended = False
        #: The last step's ``reactor_client.StepResult`` (``elapsed_seconds``, ``files``, every
        #: track's frames); ``None`` before ``reset()``.
        self.last_result: StepResult[Any] | None = None

    # ------------------------------------------------------------------ gymnasium
    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Frame, dict[str, Any]]:
        super().reset(seed=seed)
        loop = self._running_loop()
        if self._session is None:  # built on the loop thread, connected by _restart
            self._session = loop.call(self._build)
        state: dict[str, Any] = {}
        if self._seed_field is not None:
            low, high = self._seed_range(self._seed_field)
            state[self._seed_field] = int(self.np_random.integers(low, high + 1))
        if self._initial_state is not None:
            state.update(self._initial_state(self.np_random))
        if options and options.get("state"):
            state.update(options["state"])
        loop.run(self._restart(state), timeout=self._connect_timeout)
        result = loop.run(self._session.step(timeout=self._step_timeout))
        self._frames.clear()
        self._steps = 0
        self._ended = False
        observation = self._observe(result, reset=True)
        return observation, self._info(result)

    def step(self, action: Any) -> tuple[Frame, SupportsFloat, bool, bool, dict[str, Any]]:
        if self._session is None:
            raise ConfigurationError("call reset() before step()")
        if self._ended:
            raise ConfigurationError("the episode's session has ended: call reset()")
        request = as_request(self._actions(action))
        loop = self._running_loop()
        try:
            result = loop.run(
                self._session.step(
                    state=request.state,
                    commands=list(request.commands),
                    media=request.media,
                    timeout=self._step_timeout,
                )
            )
        except SessionEndedError as exc:  # the runtime ended it (steps=N, a platform notice)
            self._ended = True
            return self._observation(), 0.0, False, True, {"session_ended": str(exc)}
        observation = self._observe(result, reset=False)
        self._steps += 1
        reward = float(self._reward(result, observation)) if self._reward is not None else 0.0
        terminated = bool(self._terminated(result, observation)) if self._terminated else False
        truncated = self._max_steps is not None and self._steps >= self._max_steps
        return observation, reward, terminated, truncated, self._info(result)

    def render(self) -> Frame | None:
        if self.render_mode != "rgb_array":
            return None
        if not self._frames:
            return np.zeros(self._frame, np.uint8)
        frame: Frame = self._frames[-1].copy()
        return frame

    def close(self) -> None:
        session, self._session = self._session, None
        loop, self._loop = self._loop, None
        if loop is None:
            return
        try:
            if session is not None:
                loop.run(session.disconnect(), timeout=30)
        finally:
            loop.close()

    # ------------------------------------------------------------------ helpers
    @property
    def session(self) -> Any:
        """The model (or client) of the current episode; ``None`` before ``reset()``."""
        return self._session

    def _running_loop(self) -> LoopThread:
        if self._loop is None:
            self._loop = LoopThread(name="reactor-env-loop")
        return self._loop

    def _build(self) -> Any:
        return self._model(**self._options) if isinstance(self._model, type) else self._model()

    def _seed_range(self, name: str) -> tuple[int, int]:
        """The bounds a generated package declares for state field ``name`` (0..2**31-1
        when it declares none, or for a plain client)."""
        params = getattr(type(self._session), "_state_params", {}).get(name)
        info = getattr(params, "model_fields", {}).get(name)
        low, high = 0, 2**31 - 1
        if info is not None:
            from .actions import field_space

            derived = field_space(info)
            space = derived[0] if derived is not None else None
            if isinstance(space, spaces.Discrete):
                low = int(space.start)
                high = min(high, low + int(space.n) - 1)
        return low, high

    async def _restart(self, state: Mapping[str, Any]) -> None:
        if self._session.status.value != "disconnected":
            await self._session.disconnect()
        starting = {"state": dict(state)} if state else None
        await self._session.connect(generation="stepped", starting_input=starting)
        if self._track is None:
            self._track = self._first_video_track()

    def _first_video_track(self) -> str:
        client = getattr(self._session, "client", self._session)
        for spec in client.tracks:
            if spec.is_output and spec.kind == "video":
                return str(spec.name)
        raise ConfigurationError(
            f"{type(self._session).__name__} has no output video track to observe"
        )

    def _observe(self, result: StepResult[Any], *, reset: bool) -> Frame:
        assert self._track is not None
        frames = result.frames(self._track)
        for frame in frames[-(self._stack or 1) :]:
            if frame.shape != self._frame:
                raise ConfigurationError(
                    f"step {result.step} returned {self._track} frames of shape {frame.shape}; the "
                    f"observation space says {self._frame}: pass frame_shape={frame.shape[:2]}"
                )
            self._frames.append(np.array(frame, dtype=np.uint8, copy=True))
        if reset and self._frames:  # a stack starts full: the first frame repeated
            while len(self._frames) < (self._stack or 1):
                self._frames.appendleft(self._frames[0])
        return self._observation()

    def _observation(self) -> Frame:
        if not self._frames:
            return np.zeros(self.observation_space.shape or self._frame, np.uint8)
        if self._stack is None:
            return self._frames[-1]
        return np.stack(list(self._frames))

    def _info(self, result: StepResult[Any]) -> dict[str, Any]:
        # deterministic on purpose (Gymnasium's checker compares infos): timings and files are
        # on ``last_result``
        self.last_result = result
        assert self._track is not None
        return {"step": result.step, "frames": len(result.frames(self._track))}


__all__ = ["CONNECT_TIMEOUT", "ReactorEnv", "STEP_TIMEOUT"]
