"""``SyncFakeModel``: the blocking twin of :class:`~reactor_client.testing.FakeModel`.

A generated ``reactor_models.<m>.testing.sync.Fake<Prefix>Model`` is the package's blocking
model class over the async fake: every call blocks, listeners and ``on_command`` reactions
run on the model's loop thread, and the test-side controls below block until done.
"""

from __future__ import annotations

import typing
from collections.abc import Callable

import av
import numpy as np
import pydantic

from ..sync.model import SyncModel
from ..types import Message
from .fake import FakeModel, Reaction, RecordedCommand, StepFailure, StepOutput, StepRequest

_F = typing.TypeVar("_F", bound=FakeModel)


class SyncFakeModel(SyncModel[_F]):
    """Blocking controls of the fake (see :class:`~reactor_client.testing.FakeModel`)."""

    @property
    def fake(self) -> _F:
        """The async fake this wraps."""
        return self.aio

    @property
    def commands(self) -> list[RecordedCommand]:
        """Every command the app sent, in order."""
        return self.aio.commands

    def on_command(self, name: str, reaction: Reaction | None) -> None:
        """Script ``name`` (the reaction runs on the model's loop thread)."""
        self.aio.on_command(name, reaction)

    def fail_command(self, name: str, code: str, message: str = "") -> None:
        """Make every later ``name`` fail with model error ``code``."""
        self.aio.fail_command(name, code, message)

    def assert_command(self, name: str, **expected: typing.Any) -> RecordedCommand:
        """The first recorded ``name`` with every ``expected`` value (``AssertionError`` else)."""
        return self.aio.assert_command(name, **expected)

    def emit(self, message: pydantic.BaseModel | Message) -> None:
        """Send a model message; returns once the listeners ran."""
        self.loop.call(self.aio.emit, message)

    def push_frame(
        self, track: str, frame: np.ndarray[typing.Any, typing.Any] | av.VideoFrame | av.AudioFrame
    ) -> None:
        """Feed output track ``track`` one frame."""
        self.loop.call(self.aio.push_frame, track, frame)

    def next_input_frame(
        self, track: str, *, timeout: float | None = 5.0
    ) -> av.VideoFrame | av.AudioFrame:
        """The next frame the app sends on input track ``track``."""
        return self.loop.run(self.aio.next_input_frame(track, timeout=timeout))

    def on_step(self, answer: Callable[[StepRequest], StepOutput | StepFailure] | None) -> None:
        """Script ``step()`` (see :meth:`FakeModel.on_step`)."""
        self.aio.on_step(answer)

    def lose(self, reason: str = "transport lost") -> None:
        """Drop the transport as a network failure would."""
        self.loop.call(self.aio.lose, reason)

    def end_session(self, reason: str = "the session ended") -> None:
        """The platform ends the session."""
        self.loop.call(self.aio.end_session, reason)


__all__ = ["SyncFakeModel"]
