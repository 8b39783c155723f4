"""Fields test model: the numeric parameter shapes of issue 17 and a message with a field
called ``name`` (reactor-runtime 3.10.0, CPU only).

Commands
    ``configure`` -> ``settings``: ``batch`` (int with ``choices`` and bounds), ``steps``
    (int whose default is written ``4.0``), ``ratio`` (float with ``choices``), ``gain``
    (bounded float). The reply echoes the values and the Python type each arrived as.
    ``announce(label)``: broadcasts ``announcement``, whose field ``name`` is ``label``; on
    runtime 3.10 the message goes out with ``label`` as its wire type (docs/known-issues.md).

Tracks
    ``main_video`` (video, out): a small solid frame while a client is connected.
"""

from __future__ import annotations

import asyncio

import numpy as np
from reactor_runtime import (
    InputField,
    MessageField,
    ModelMessage,
    Output,
    ReactorApp,
    Video,
    event,
)


class FieldsOutput(Output):
    main_video: Video


class Settings(ModelMessage):
    """Reply to `configure`: the values the handler received."""

    batch: int = MessageField(description="Batch size.")
    steps: int = MessageField(description="Number of steps.")
    ratio: float = MessageField(description="Aspect ratio.")
    gain: float = MessageField(description="Output gain.")
    kinds: dict[str, str] = MessageField(
        description="Python type name of each value as the handler received it."
    )


class Announcement(ModelMessage):
    """Broadcast by `announce`."""

    # On runtime 3.10 this field shadows ModelMessage.name: the message goes out typed as
    # its value (what the generator warns about).
    name: str = MessageField(description="Who is announced.")
    count: int = MessageField(description="Announcements so far in this session.")


class FieldsModel(ReactorApp):
    """Fields test model: numeric parameter shapes and a message with a field `name`."""

    fps = 10

    def load(self, config_path: object = None) -> None:
        self.announced = 0

    @event(name="configure", description="Apply settings; replies with `settings`.")
    async def configure(
        self,
        batch: int = InputField(
            default=4, ge=1, le=8, choices=[1, 2, 4, 8], description="Batch size."
        ),
        steps: int = InputField(default=4.0, ge=1, le=50, description="Number of steps."),
        ratio: float = InputField(
            default=1.0, choices=[0.5, 1.0, 2.0], description="Aspect ratio."
        ),
        gain: float = InputField(default=0.25, ge=0.0, le=1.0, description="Output gain."),
    ) -> Settings:
        values = {"batch": batch, "steps": steps, "ratio": ratio, "gain": gain}
        return Settings(
            batch=batch,
            steps=int(steps),
            ratio=ratio,
            gain=gain,
            kinds={key: type(value).__name__ for key, value in values.items()},
        )

    @event(name="announce", description="Broadcast `announcement` naming `label`.")
    async def announce(self, label: str = InputField(description="The name to announce.")) -> None:
        self.announced += 1
        await self.send(Announcement(name=label, count=self.announced))

    async def run(self) -> None:
        frame = np.full((16, 16, 3), (40, 80, 120), dtype=np.uint8)
        while True:
            await self.connected.wait()
            while self.connected.is_set():
                await self.emit(FieldsOutput(main_video=frame))
                await asyncio.sleep(1.0 / self.fps)
