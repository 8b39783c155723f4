"""Moderation test model: the platform's moderation notices, sent by the runtime itself.

reactor-runtime 3.10 sends a moderation notice only for ``POST /stop_session`` with
``{"moderate": true}``, and then only a ``terminate`` with empty ``input_kind``, ``command``
and ``categories``. The cloud platform also sends ``warn`` notices and attributes the
verdict; this model stands in for it: ``set_prompt`` checks its (``moderate=True``)
``prompt`` and answers a flagged one through the runtime's OWN notice path — the runner's
codec for each connection (``Codec.encode_moderation``, v0 JSON or v1 protobuf) broadcast
with ``ConnectionManager.broadcast_response``, exactly what the runtime's moderated stop
calls — so both wire codecs carry what a real verdict carries.

Commands
    ``set_prompt(prompt)`` -> ``prompt_set``. A prompt starting with ``warn:`` is answered
    with a ``warn`` notice first (``categories`` from the rest of the prompt, split on
    ``,``); one starting with ``terminate:`` gets a ``terminate`` notice, after which the
    runtime stops the session (a plain stop, so the notice is the only one) and the
    command's reply is held until the connections are gone.

Tracks
    ``main_video`` (video, out): a grey picture at 10 fps.
"""

from __future__ import annotations

import asyncio
from typing import Any

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

NOTICE = "Session terminated due to policy violation."


class ModerationOutput(Output):
    main_video: Video


class PromptSet(ModelMessage):
    """Reply to `set_prompt`: the prompt now in effect."""

    prompt: str = MessageField(description="The prompt.")


class ModerationModel(ReactorApp):
    """Sends moderation notices for flagged prompts (see the module docstring)."""

    fps = 10

    def load(self, config_path: object = None) -> None:
        self.prompt = ""

    def _runner(self) -> Any:
        # the sink the runtime bound for model messages is its runner's own method
        return self._out_broadcast.__self__  # type: ignore[attr-defined]

    def _notify(self, action: str, categories: list[str], stop: bool) -> None:
        runner = self._runner()

        def broadcast() -> None:
            runner._connections.broadcast_response(
                lambda version: runner._codec_for(version).encode_moderation(
                    action=action,
                    message=NOTICE if action == "terminate" else "The prompt was flagged.",
                    input_kind="text",
                    command="set_prompt",
                    categories=categories,
                )
            )

        # on the runtime's loop, in order: the notice, then (terminate) the stop
        runner._loop.call_soon_threadsafe(broadcast)
        if stop:
            runner._loop.call_soon_threadsafe(runner.stop_session)

    @event(name="set_prompt", description="Set the prompt; flagged prompts get moderation notices.")
    async def set_prompt(
        self,
        prompt: str = InputField(moderate=True, description="What to show."),
    ) -> PromptSet:
        action, _, rest = prompt.partition(":")
        categories = [c.strip() for c in rest.split(",") if c.strip()]
        if action == "warn":
            self._notify("warn", categories, stop=False)
        elif action == "terminate":
            self._notify("terminate", categories, stop=True)
            # hold the reply until the session's connections are gone: the verdict, not a
            # reply, is what the client sees (bounded, so the session's close is not held up)
            connections = self._runner()._connections
            for _ in range(100):
                await asyncio.sleep(0.05)
                if connections.count == 0:
                    break
        self.prompt = prompt
        return PromptSet(prompt=prompt)

    async def run(self) -> None:
        frame = np.full((48, 64, 3), 128, dtype=np.uint8)
        while True:
            await self.connected.wait()
            while self.connected.is_set():
                await self.emit(ModerationOutput(main_video=frame))
                await asyncio.sleep(1.0 / self.fps)
