"""LongliveV2 simulator: a CPU-only stand-in for the real LongliveV2 model, for reactor-runtime 3.10.0.

Its rendered schema describes the same surface as ``schemas/longlive-v2.json`` (checked by
``tests/harness_tests/test_sim_schema.py``); its behaviour follows the LongliveV2 SDK README.
Instead of video it streams small solid-colour frames whose colour encodes *(scene, chunk)*,
see ``tests/harness/colors.py`` (``expected_color`` / ``decode_color``).

Clock and counters (all 0-based):

* Generation runs in chunks of ``SIM_FRAMES_PER_CHUNK`` frames at ``SIM_FPS``.  Before each
  chunk (a *chunk boundary*) queued changes are applied in this order: pending pause/resume,
  scheduled entries whose target equals the number of chunks completed since ``start``
  (``session_chunk``), a queued hard ``scene_cut``, a queued soft shot.
* ``state.session_chunk`` = chunks completed since ``start``; a target ``T`` of
  ``schedule_*`` fires at the boundary where ``session_chunk == T`` (so it shapes the chunk
  whose 0-based session index is ``T``).  ``scene_cut.at_session_chunk`` is that ``T``.
* ``state.current_chunk`` = index within the current scene of the last completed chunk
  (0 right after a scene cut fires). ``chunk_complete.chunk_index`` is the index of that
  chunk within its scene, ``chunk_complete.session_chunk`` its 0-based session index.
* Scene index (used for the frame colour) = number of hard cuts since ``start``.  A
  ``scene_cut`` sent before ``start`` (or while paused) waits for the next generated chunk; at
  session chunk 0 it just replaces the opening prompt (scene stays 0) but still emits
  ``scene_cut``.
* ``pause`` is applied at the next chunk boundary (``generation_paused`` + ``state`` then);
  ``resume`` likewise (``generation_resumed`` + ``state``); a ``resume`` that arrives before a
  pending pause took effect cancels it at once.
* ``current_frame`` is zeroed by ``reset``, by a new session and by each client connect.
* After ``SIM_TOTAL_CHUNKS`` chunks: ``generation_complete`` + ``state`` and the run is
  locked (start/set_shot/scene_cut/schedule_* refused with code ``run_complete``) until
  ``reset``.
* While not generating (before start, paused, complete) frames are dark grey; they are not
  counted in ``current_frame`` / ``frames_emitted`` (generated frames since reset/connect).

Every refusal broadcasts ``command_error {command, reason}`` and raises
``reactor_runtime.CommandError(code, reason)``; codes: ``run_complete``, ``empty_prompt``,
``no_shot``, ``already_started``, ``not_generating``, ``already_paused``, ``not_paused``,
``invalid_chunk``.

Environment knobs (read in ``load()``): ``SIM_WIDTH`` / ``SIM_HEIGHT`` (64), ``SIM_FPS`` (24),
``SIM_FRAMES_PER_CHUNK`` (4), ``SIM_TOTAL_CHUNKS`` (40), ``SIM_BUFFER_SIZE`` (2, output
queue depth in frames), ``SIM_TEXTURE`` (0; 1 = realistic content for benchmarks: a noise +
gradient texture scrolling 4 px per frame, tinted by the chunk colour, so the encoder produces
real-size frames).
"""

from __future__ import annotations

import asyncio
import os
import time

import numpy as np
from longlive_descriptions import COMMANDS, FIELDS, MESSAGES, MODEL_DESCRIPTION, PARAMS
from reactor_runtime import (
    InputField,
    MessageField,
    ModelMessage,
    Output,
    ReactorApp,
    Video,
    connected,
    event,
    get_logger,
    session_started,
)
from reactor_runtime import CommandError as RuntimeCommandError

logger = get_logger(__name__)

# Colour code, kept in sync with tests/harness/colors.py (the model runs in another venv and
# cannot import it).
_BASE = 16
_SCENE_STEP = 32
_SCENE_MOD = 8
_CHUNK_STEP = 24
_CHUNK_MOD = 10
_BLUE = 160
_IDLE = (40, 40, 40)


def _color(scene: int, chunk: int) -> tuple[int, int, int]:
    return (
        _BASE + (scene % _SCENE_MOD) * _SCENE_STEP,
        _BASE + (chunk % _CHUNK_MOD) * _CHUNK_STEP,
        _BLUE,
    )


def _env_int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    value = int(raw)
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


# --------------------------------------------------------------------------- messages


class State(ModelMessage):
    __doc__ = MESSAGES["state"]
    seed: int = MessageField(description=FIELDS[("State", "seed")])
    paused: bool = MessageField(description=FIELDS[("State", "paused")])
    running: bool = MessageField(description=FIELDS[("State", "running")])
    started: bool = MessageField(description=FIELDS[("State", "started")])
    has_prompt: bool = MessageField(description=FIELDS[("State", "has_prompt")])
    current_chunk: int = MessageField(description=FIELDS[("State", "current_chunk")])
    current_frame: int = MessageField(description=FIELDS[("State", "current_frame")])
    session_chunk: int = MessageField(description=FIELDS[("State", "session_chunk")])
    current_prompt: str | None = MessageField(description=FIELDS[("State", "current_prompt")])
    scheduled_shots: list[int] = MessageField(description=FIELDS[("State", "scheduled_shots")])
    scheduled_scene_cuts: list[int] = MessageField(
        description=FIELDS[("State", "scheduled_scene_cuts")]
    )


class ShotSet(ModelMessage):
    __doc__ = MESSAGES["shot_set"]
    prompt: str = MessageField(description=FIELDS[("ShotSet", "prompt")])


class SceneCut(ModelMessage):
    __doc__ = MESSAGES["scene_cut"]
    prompt: str = MessageField(description=FIELDS[("SceneCut", "prompt")])
    at_session_chunk: int = MessageField(description=FIELDS[("SceneCut", "at_session_chunk")])


class CommandError(ModelMessage):
    __doc__ = MESSAGES["command_error"]
    reason: str = MessageField(description=FIELDS[("CommandError", "reason")])
    command: str = MessageField(description=FIELDS[("CommandError", "command")])


class ChunkComplete(ModelMessage):
    __doc__ = MESSAGES["chunk_complete"]
    chunk_index: int = MessageField(description=FIELDS[("ChunkComplete", "chunk_index")])
    active_prompt: str = MessageField(description=FIELDS[("ChunkComplete", "active_prompt")])
    session_chunk: int = MessageField(description=FIELDS[("ChunkComplete", "session_chunk")])
    frames_emitted: int = MessageField(description=FIELDS[("ChunkComplete", "frames_emitted")])


class ShotScheduled(ModelMessage):
    __doc__ = MESSAGES["shot_scheduled"]
    prompt: str = MessageField(description=FIELDS[("ShotScheduled", "prompt")])
    at_session_chunk: int = MessageField(
        description=FIELDS[("ShotScheduled", "at_session_chunk")]
    )


class GenerationReset(ModelMessage):
    __doc__ = MESSAGES["generation_reset"]
    reason: str = MessageField(description=FIELDS[("GenerationReset", "reason")])


class GenerationPaused(ModelMessage):
    __doc__ = MESSAGES["generation_paused"]
    chunk_index: int = MessageField(description=FIELDS[("GenerationPaused", "chunk_index")])


class GenerationResumed(ModelMessage):
    __doc__ = MESSAGES["generation_resumed"]
    chunk_index: int = MessageField(description=FIELDS[("GenerationResumed", "chunk_index")])


class GenerationStarted(ModelMessage):
    __doc__ = MESSAGES["generation_started"]
    prompt: str = MessageField(description=FIELDS[("GenerationStarted", "prompt")])
    chunk_num: int = MessageField(description=FIELDS[("GenerationStarted", "chunk_num")])
    frame_num: int = MessageField(description=FIELDS[("GenerationStarted", "frame_num")])


class GenerationComplete(ModelMessage):
    __doc__ = MESSAGES["generation_complete"]
    total_chunks: int = MessageField(description=FIELDS[("GenerationComplete", "total_chunks")])


class SceneCutScheduled(ModelMessage):
    __doc__ = MESSAGES["scene_cut_scheduled"]
    prompt: str = MessageField(description=FIELDS[("SceneCutScheduled", "prompt")])
    at_session_chunk: int = MessageField(
        description=FIELDS[("SceneCutScheduled", "at_session_chunk")]
    )


class SimOutput(Output):
    main_video: Video


# --------------------------------------------------------------------------- the app


class LongliveV2(ReactorApp):
    __doc__ = MODEL_DESCRIPTION

    fps = 24
    buffer_size = 2

    # -- setup / per-session state -------------------------------------------------

    def load(self, config_path: object = None) -> None:
        self.width = _env_int("SIM_WIDTH", 64)
        self.height = _env_int("SIM_HEIGHT", 64)
        type(self).fps = _env_int("SIM_FPS", 24)
        self.frames_per_chunk = _env_int("SIM_FRAMES_PER_CHUNK", 4)
        self.total_chunks = _env_int("SIM_TOTAL_CHUNKS", 40)
        type(self).buffer_size = _env_int("SIM_BUFFER_SIZE", 2)
        self.texture: np.ndarray | None = None
        if _env_int("SIM_TEXTURE", 0, minimum=0):
            rng = np.random.default_rng(0)
            noise = rng.integers(0, 256, (self.height, self.width * 2, 3), dtype=np.uint8)
            ramp = np.linspace(0, 255, self.width * 2, dtype=np.float32)[None, :, None]
            self.texture = (noise // 2 + (ramp // 2).astype(np.uint8)).astype(np.uint8)
        self.seed = 42
        self._clear_run(keep_seed=False)
        logger.info(
            "longlive simulator loaded",
            size=f"{self.width}x{self.height}",
            fps=type(self).fps,
            frames_per_chunk=self.frames_per_chunk,
            total_chunks=self.total_chunks,
        )

    def _clear_run(self, keep_seed: bool = True) -> None:
        if not keep_seed:
            self.seed = 42
        self.prompt: str | None = None  # the prompt currently driving generation
        self.started = False
        self.paused = False
        self.complete = False
        self.pause_pending = False
        self.resume_pending = False
        self.pending_shot: str | None = None
        self.pending_cut: str | None = None
        self.scheduled_shots: dict[int, str] = {}
        self.scheduled_cuts: dict[int, str] = {}
        self.session_chunk = 0  # chunks completed since start
        self.current_chunk = 0  # in-scene index of the last completed chunk
        self.scene_chunk = 0  # in-scene index of the next chunk
        self.scene = 0
        self.current_frame = 0
        self.run_id = getattr(self, "run_id", 0) + 1  # bumped by start/reset

    @session_started
    async def on_session_started(self) -> None:
        self._clear_run(keep_seed=False)

    @connected
    async def on_connected(self) -> None:
        self.current_frame = 0
        await self.send(self._state())

    # -- helpers ---------------------------------------------------------------------

    @property
    def generating(self) -> bool:
        return self.started and not self.paused and not self.complete

    def _state(self) -> State:
        return State(
            seed=self.seed,
            paused=self.paused,
            running=self.generating,
            started=self.started,
            has_prompt=self.prompt is not None,
            current_chunk=self.current_chunk,
            current_frame=self.current_frame,
            session_chunk=self.session_chunk,
            current_prompt=self.prompt,
            scheduled_shots=sorted(self.scheduled_shots),
            scheduled_scene_cuts=sorted(self.scheduled_cuts),
        )

    async def _refuse(self, command: str, code: str, reason: str) -> None:
        await self.send(CommandError(reason=reason, command=command))
        raise RuntimeCommandError(code, reason)

    async def _check_unlocked(self, command: str) -> None:
        if self.complete:
            await self._refuse(
                command, "run_complete", "the previous run has finished; call reset first"
            )

    async def _check_prompt(self, command: str, prompt: str) -> None:
        if not prompt.strip():
            await self._refuse(command, "empty_prompt", "prompt must not be empty")

    # -- commands --------------------------------------------------------------------

    @event(name="pause", description=COMMANDS["pause"])
    async def pause(self) -> None:
        if not self.started or self.complete:
            await self._refuse("pause", "not_generating", "the session is not generating")
        if (self.paused and not self.resume_pending) or self.pause_pending:
            await self._refuse("pause", "already_paused", "generation is already paused")
        if self.resume_pending:  # paused, resume queued: cancel the resume, stay paused
            self.resume_pending = False
            await self.send(GenerationPaused(chunk_index=self.current_chunk))
            await self.send(self._state())
            return
        self.pause_pending = True

    @event(name="reset", description=COMMANDS["reset"])
    async def reset(self) -> None:
        self._clear_run(keep_seed=True)
        await self.send(GenerationReset(reason="reset requested by client"))
        await self.send(self._state())

    @event(name="start", description=COMMANDS["start"])
    async def start(self) -> None:
        await self._check_unlocked("start")
        if self.started:
            await self._refuse("start", "already_started", "generation has already started")
        if self.prompt is None and 0 not in self.scheduled_shots:
            await self._refuse("start", "no_shot", "no opening shot set; call set_shot first")
        self.started = True
        self.run_id += 1
        self.paused = False
        self.pause_pending = self.resume_pending = False
        self.session_chunk = self.current_chunk = self.scene_chunk = self.scene = 0
        opening = self.scheduled_shots.get(0, self.prompt) or ""
        await self.send(
            GenerationStarted(
                prompt=opening,
                chunk_num=self.total_chunks,
                frame_num=self.total_chunks * self.frames_per_chunk,
            )
        )
        await self.send(self._state())

    @event(name="resume", description=COMMANDS["resume"])
    async def resume(self) -> None:
        if self.pause_pending:  # pause not yet applied: cancel it
            self.pause_pending = False
            await self.send(GenerationResumed(chunk_index=self.scene_chunk))
            await self.send(self._state())
            return
        if not self.paused or self.resume_pending or self.complete:
            await self._refuse("resume", "not_paused", "the session is not paused")
        self.resume_pending = True

    @event(name="set_seed", description=COMMANDS["set_seed"])
    async def set_seed(
        self,
        seed: int = InputField(default=42, ge=0, description=PARAMS[("set_seed", "seed")]),
    ) -> None:
        self.seed = seed
        await self.send(self._state())

    @event(name="set_shot", description=COMMANDS["set_shot"])
    async def set_shot(
        self,
        prompt: str = InputField(
            default="", moderate=True, description=PARAMS[("set_shot", "prompt")]
        ),
    ) -> None:
        await self._check_unlocked("set_shot")
        await self._check_prompt("set_shot", prompt)
        if self.started:
            self.pending_shot = prompt
        else:
            self.prompt = prompt
        await self.send(ShotSet(prompt=prompt))
        await self.send(self._state())

    @event(name="scene_cut", description=COMMANDS["scene_cut"])
    async def scene_cut(
        self,
        prompt: str = InputField(
            default="", moderate=True, description=PARAMS[("scene_cut", "prompt")]
        ),
    ) -> None:
        await self._check_unlocked("scene_cut")
        await self._check_prompt("scene_cut", prompt)
        self.pending_cut = prompt  # fires (scene_cut + state) at the next chunk boundary

    @event(name="schedule_shot", description=COMMANDS["schedule_shot"])
    async def schedule_shot(
        self,
        prompt: str = InputField(
            default="", moderate=True, description=PARAMS[("schedule_shot", "prompt")]
        ),
        at_session_chunk: int = InputField(
            default=-1, description=PARAMS[("schedule_shot", "at_session_chunk")]
        ),
    ) -> None:
        await self._check_unlocked("schedule_shot")
        await self._check_prompt("schedule_shot", prompt)
        if at_session_chunk < 0:
            await self._refuse(
                "schedule_shot", "invalid_chunk", "at_session_chunk must be >= 0"
            )
        self.scheduled_shots[at_session_chunk] = prompt
        await self.send(ShotScheduled(prompt=prompt, at_session_chunk=at_session_chunk))
        await self.send(self._state())

    @event(name="schedule_scene_cut", description=COMMANDS["schedule_scene_cut"])
    async def schedule_scene_cut(
        self,
        prompt: str = InputField(
            default="", moderate=True, description=PARAMS[("schedule_scene_cut", "prompt")]
        ),
        at_session_chunk: int = InputField(
            default=-1, description=PARAMS[("schedule_scene_cut", "at_session_chunk")]
        ),
    ) -> None:
        await self._check_unlocked("schedule_scene_cut")
        await self._check_prompt("schedule_scene_cut", prompt)
        if at_session_chunk < 0:
            await self._refuse(
                "schedule_scene_cut", "invalid_chunk", "at_session_chunk must be >= 0"
            )
        self.scheduled_cuts[at_session_chunk] = prompt
        await self.send(SceneCutScheduled(prompt=prompt, at_session_chunk=at_session_chunk))
        await self.send(self._state())

    # -- the loop --------------------------------------------------------------------

    async def _boundary(self) -> None:
        """Apply everything queued for the chunk boundary, emitting its messages."""
        if self.pause_pending:
            self.pause_pending = False
            self.paused = True
            await self.send(GenerationPaused(chunk_index=self.current_chunk))
            await self.send(self._state())
        if self.resume_pending:
            self.resume_pending = False
            self.paused = False
            await self.send(GenerationResumed(chunk_index=self.scene_chunk))
            await self.send(self._state())
        if not self.generating:
            return
        sc = self.session_chunk
        # Targets already passed never fire: drop them.
        for schedule in (self.scheduled_shots, self.scheduled_cuts):
            for target in [t for t in schedule if t < sc]:
                del schedule[target]
        if sc in self.scheduled_cuts:
            cut = self.scheduled_cuts.pop(sc)
            if self.pending_cut is None:
                self.pending_cut = cut
        if sc in self.scheduled_shots:
            shot = self.scheduled_shots.pop(sc)
            if self.pending_shot is None:
                self.pending_shot = shot
        changed = False
        if self.pending_cut is not None:
            self.prompt = self.pending_cut
            self.pending_cut = None
            if sc > 0:
                self.scene += 1
            self.scene_chunk = 0
            self.current_chunk = 0
            await self.send(SceneCut(prompt=self.prompt, at_session_chunk=sc))
            changed = True
        if self.pending_shot is not None:
            self.prompt = self.pending_shot
            self.pending_shot = None
            changed = True
        if changed:
            await self.send(self._state())

    async def run(self) -> None:
        """Emit one chunk of frames per turn while a client is connected."""
        frame = np.empty((self.height, self.width, 3), dtype=np.uint8)
        while True:
            await self.connected.wait()
            next_at = time.monotonic()
            while self.connected.is_set():
                await self._boundary()
                generating = self.generating
                scene, chunk, sc = self.scene, self.scene_chunk, self.session_chunk
                run_id = self.run_id
                prompt = self.prompt or ""
                frame[:] = _color(scene, chunk) if generating else _IDLE
                period = 1.0 / float(type(self).fps)
                for _ in range(self.frames_per_chunk):
                    out = frame.copy()
                    if self.texture is not None:
                        offset = (self.current_frame * 4) % self.width
                        out = out // 2 + self.texture[:, offset : offset + self.width] // 2
                    await self.emit(SimOutput(main_video=out))
                    if generating and self.run_id == run_id:
                        self.current_frame += 1  # generated frames only (idle grey not counted)
                    # Self-paced too, so the clock holds whether or not the wire backs up.
                    next_at = max(next_at + period, time.monotonic() - period)
                    delay = next_at - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    if not self.connected.is_set():
                        break
                if not generating or not self.connected.is_set():
                    continue
                if self.run_id != run_id or not self.generating:
                    continue  # reset (or a new start) landed mid-chunk: drop its report
                self.current_chunk = chunk
                self.scene_chunk = chunk + 1
                self.session_chunk = sc + 1
                await self.send(
                    ChunkComplete(
                        chunk_index=chunk,
                        active_prompt=prompt,
                        session_chunk=sc,
                        frames_emitted=self.current_frame,
                    )
                )
                if self.session_chunk >= self.total_chunks:
                    self.started = False
                    self.paused = False
                    self.pause_pending = self.resume_pending = False
                    self.complete = True
                    await self.send(GenerationComplete(total_chunks=self.session_chunk))
                await self.send(self._state())
