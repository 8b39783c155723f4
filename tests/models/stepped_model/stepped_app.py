"""Stepped test model: the default ``ReactorApp`` step loop with state, input tracks and a
deterministic ``generate()`` (reactor-runtime 3.10.0, CPU only).

State (``StepState``; every public field is a ``set_<field>`` command)
    ``prompt`` (str; hand-written ``set_prompt`` that also logs ``prompt=<first 16 chars>``),
    ``level`` (0-255), ``frames`` (0-64 output frames per step), ``width`` / ``height``
    (1-8192, size of the generated frames when no camera frame came in), ``explode``
    (bool: ``generate()`` raises, reported as a failed step).

Commands
    ``note(text)`` -> ``noted``: logs ``note=<first 16 chars>``; replies length and sha256.
    ``fail(code)``: always raises ``CommandError(code, ...)``.

Tracks
    ``camera`` (video, in), ``mic`` (audio, in), ``main_video`` (video, out).

Output of a step
    ``frames`` frames of ``main_video``. Frame ``i`` is filled with
    ``(level, step % 256, i % 256)``, except that when the step got camera frames frame 0 is
    ``255 - <last camera frame>`` (exact, so pixels can be compared bit for bit) and every
    frame takes the camera frame's size. Before the media, a ``step_report`` message says
    what the step saw: its number, the calls applied since the previous step in order
    (``log``), the state, the camera frames and mic samples it read.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
from reactor_runtime import (
    Audio,
    CommandError,
    InputField,
    InputState,
    MediaInput,
    MessageField,
    ModelMessage,
    Output,
    ReactorApp,
    ReadMode,
    StepCompleted,
    StepOutcome,
    Video,
    event,
    session_started,
)


class StepState(InputState):
    prompt: str = InputField(default="", description="Prompt text.")
    level: int = InputField(default=0, ge=0, le=255, description="Red channel of generated frames.")
    frames: int = InputField(default=1, ge=0, le=64, description="Output frames per step.")
    width: int = InputField(default=64, ge=1, le=8192, description="Width of generated frames.")
    height: int = InputField(default=48, ge=1, le=8192, description="Height of generated frames.")
    explode: bool = InputField(default=False, description="generate() raises (a failed step).")


class SteppedInput(MediaInput):
    camera: Video
    mic: Audio


class SteppedOutput(Output):
    main_video: Video


class StepReport(ModelMessage):
    """What a step saw, sent before its media."""

    step: int = MessageField(description="Steps run in this session, this one included.")
    log: list[str] = MessageField(description="Calls applied since the previous step, in order.")
    prompt_length: int = MessageField(description="Length of the prompt.")
    level: int = MessageField(description="The level.")
    camera_frames: int = MessageField(description="Camera frames read by this step.")
    camera_shape: list[int] | None = MessageField(description="Shape of the last camera frame.")
    mic_samples: int = MessageField(description="Mic samples read by this step.")


class Noted(ModelMessage):
    """Reply to `note`."""

    length: int = MessageField(description="Length of the text.")
    sha256: str = MessageField(description="Hex SHA-256 of the UTF-8 text.")


class SteppedModel(ReactorApp):
    """Stepped test model: state, camera and mic in, main_video out, deterministic frames."""

    fps = 10
    state: StepState
    inputs: SteppedInput

    def load(self, config_path: object = None) -> None:
        self._reset()

    def _reset(self) -> None:
        self.log: list[str] = []
        self.steps_run = 0

    @session_started
    async def on_session_started(self) -> None:
        self._reset()

    @event(name="set_prompt", description="Set the prompt (logged).")
    def set_prompt(self, prompt: str = InputField(description="Prompt text.")) -> None:
        if self.state is not None:
            self.state.prompt = prompt
        self.log.append(f"prompt={prompt[:16]}")

    @event(name="note", description="Log a note; replies with `noted`.")
    async def note(self, text: str = InputField(description="Any text.")) -> Noted:
        self.log.append(f"note={text[:16]}")
        return Noted(length=len(text), sha256=hashlib.sha256(text.encode()).hexdigest())

    @event(name="fail", description="Always fails with `code`.")
    async def fail(
        self, code: str = InputField(default="model_busy", description="Error code.")
    ) -> None:
        raise CommandError(code, "fail was asked to fail")

    async def process_input(self) -> Any:
        camera = self._drain(self.inputs.camera)
        mic = self._drain(self.inputs.mic)
        state = self.state
        log, self.log = self.log, []
        return {
            "prompt_length": len(state.prompt),
            "level": state.level,
            "frames": state.frames,
            "width": state.width,
            "height": state.height,
            "explode": state.explode,
            "camera": [f.data for f in camera],
            "mic_samples": int(sum(f.data.shape[-1] for f in mic)),
            "log": log,
        }

    @staticmethod
    def _drain(buffer: Any) -> list[Any]:
        try:
            count = buffer.available
            return (buffer.try_read(count, mode=ReadMode.FIFO) or []) if count else []
        except Exception:  # BufferClosed between sessions
            return []

    def generate(self, input: Any, /) -> Any:
        self.steps_run += 1
        input["step"] = self.steps_run
        if input["explode"]:
            raise RuntimeError(f"step {self.steps_run} exploded")
        camera = input["camera"]
        height, width = camera[-1].shape[:2] if camera else (input["height"], input["width"])
        count = input["frames"]
        if count == 0:
            return input, None
        video = np.empty((count, height, width, 3), dtype=np.uint8)
        for i in range(count):
            video[i] = (input["level"], self.steps_run % 256, i % 256)
        if camera:
            video[0] = 255 - camera[-1]
        return input, SteppedOutput(main_video=video)

    async def process_output(self, outcome: StepOutcome, /) -> Output | StepCompleted | None:
        if outcome.error is not None:
            return StepCompleted(error=str(outcome.error))
        input, output = outcome.result
        camera = input["camera"]
        await self.send(
            StepReport(
                step=input["step"],
                log=input["log"],
                prompt_length=input["prompt_length"],
                level=input["level"],
                camera_frames=len(camera),
                camera_shape=list(camera[-1].shape) if camera else None,
                mic_samples=input["mic_samples"],
            )
        )
        return output
