"""``FakeModel``: a generated model class running over an in-memory runtime, for unit tests.

A generated package's ``reactor_models.<m>.testing.Fake<Prefix>Model`` is its real model class
with this mixin in front: the same typed commands, validation, codec, dispatch, listeners,
waiters, tracks and ``step()`` — only the transport is :class:`~reactor_client.transport.memory.MemoryRuntime`
instead of WebRTC to a GPU. What the fake adds is the far end, scripted by the test:

* :attr:`FakeModel.commands` records every command with its validated typed params;
  :meth:`~FakeModel.assert_command` names the difference when a call is missing;
* :meth:`~FakeModel.on_command` scripts a reaction (messages to send back, or a
  :class:`CommandError`); :meth:`~FakeModel.fail_command` is the one-line failure;
* :meth:`~FakeModel.emit` sends a typed message; :meth:`~FakeModel.push_frame` feeds an
  output track; :meth:`~FakeModel.next_input_frame` reads what the app published;
* :meth:`~FakeModel.on_step` scripts stepped generation; :meth:`~FakeModel.lose` and
  :meth:`~FakeModel.end_session` simulate a lost transport and a session the platform ended.
"""

from __future__ import annotations

import asyncio
import fractions
import itertools
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import av
import numpy as np
import pydantic

from ..errors import ConfigurationError, ReactorError
from ..kinds import is_video
from ..options import ClientOptions, takes_options
from ..transport.memory import NO_REPLY, MemoryRuntime, StepFailure, StepOutput, StepRequest
from ..transport.memory import CommandError as _WireError
from ..typed.model import ModelClient
from ..types import Message

Params = pydantic.BaseModel
Reaction = Callable[[typing.Any], "pydantic.BaseModel | Sequence[pydantic.BaseModel] | None"]


class CommandError(Exception):
    """Raise it from an :meth:`FakeModel.on_command` reaction to make the command fail with
    the model error ``code`` (the app sees ``reactor_client.CommandFailedError`` and its
    subclasses, as from a real model)."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class RecordedCommand:
    """One command the app sent: its wire name, its params validated into the generated
    ``*Params`` class (``None`` for a command this package does not know) and the raw data."""

    name: str
    params: pydantic.BaseModel | None
    data: dict[str, typing.Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        args = _fields(self)
        return f"{self.name}({', '.join(f'{k}={v!r}' for k, v in args.items())})"


def _fields(command: RecordedCommand) -> dict[str, typing.Any]:
    if command.params is None:
        return dict(command.data)
    return {k: getattr(command.params, k) for k in type(command.params).model_fields}


def _integral(value: typing.Any) -> typing.Any:
    """Wire numbers are floats (``7.0``): give integral ones back as ints for validation."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral(v) for v in value]
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    return value


class FakeModel(ModelClient[typing.Any]):
    """Mixin in front of a generated model class (see the module docstring).

    A generated subclass sets ``_params_classes`` (command → ``*Params`` class),
    ``_reply_classes`` (command → reply message class) and ``_reply_examples`` (command →
    schema-valid example reply data, sent when no reaction is scripted).
    """

    _params_classes: typing.ClassVar[Mapping[str, type[pydantic.BaseModel]]] = {}
    _reply_classes: typing.ClassVar[Mapping[str, type[pydantic.BaseModel]]] = {}
    _reply_examples: typing.ClassVar[Mapping[str, Mapping[str, typing.Any]]] = {}

    @takes_options(ClientOptions)
    def __init__(self, options: ClientOptions) -> None:
        """The model's client over a fresh in-memory runtime (no network). Takes the model
        class's options; ``transport`` is the fake's own."""
        self.runtime = MemoryRuntime(
            self._model_name,
            tracks=self._tracks,
            generation=options.generation or "streamed",
        )
        #: Every command the app sent, in order.
        self.commands: list[RecordedCommand] = []
        self._reactions: dict[str, Reaction] = {}
        self._pts = itertools.count()
        self.runtime.on_command = self._handle
        super().__init__(**options.replace(transport=self.runtime.factory()).as_kwargs())

    # ------------------------------------------------------------------ commands
    def on_command(self, name: str, reaction: Reaction | None) -> None:
        """Script what the model does when the app sends ``name``: ``reaction(params)``
        returns messages to send back (a typed message, a sequence of them, or None) or
        raises :class:`CommandError`. For a command that declares a reply, the first
        message of the reply's class is the reply; the others are broadcast first.
        ``None`` removes the reaction (the default: an example reply, or a plain ack)."""
        self._known(name)
        if reaction is None:
            self._reactions.pop(name, None)
        else:
            self._reactions[name] = reaction

    def fail_command(self, name: str, code: str, message: str = "") -> None:
        """Make every later ``name`` fail with model error ``code``."""

        def fail(params: typing.Any) -> None:
            raise CommandError(code, message)

        self.on_command(name, fail)

    def assert_command(self, name: str, **expected: typing.Any) -> RecordedCommand:
        """The first recorded ``name`` whose params have every ``expected`` value; an
        ``AssertionError`` naming the closest difference when there is none."""
        self._known(name)
        same_name = [c for c in self.commands if c.name == name]
        if not same_name:
            sent = ", ".join(repr(c) for c in self.commands) or "none"
            raise AssertionError(f"{name} was never sent (commands sent: {sent})")
        best: tuple[int, RecordedCommand, list[str]] | None = None
        for command in same_name:
            values = _fields(command)
            diffs = [
                f"{key}: expected {value!r}, got {values[key]!r}"
                if key in values
                else f"{key}: not an argument of {name}"
                for key, value in expected.items()
                if key not in values or values[key] != value
            ]
            if not diffs:
                return command
            if best is None or len(diffs) < best[0]:
                best = (len(diffs), command, diffs)
        assert best is not None
        _, closest, diffs = best
        raise AssertionError(
            f"no {name} with {expected!r}; the closest, {closest!r}, differs in " + "; ".join(diffs)
        )

    def _known(self, name: str) -> None:
        if self._params_classes and name not in self._params_classes:
            import difflib

            close = difflib.get_close_matches(name, self._params_classes, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigurationError(
                f"{self._model_label} has no command {name!r}{hint} "
                f"(commands: {', '.join(sorted(self._params_classes))})"
            )

    def _handle(self, name: str, data: dict[str, typing.Any]) -> typing.Any:
        cls = self._params_classes.get(name)
        params = cls.model_validate(_integral(data)) if cls is not None else None
        self.commands.append(RecordedCommand(name, params, dict(data)))
        reaction = self._reactions.get(name)
        reply_cls = self._reply_classes.get(name)
        if reaction is None:
            example = self._reply_examples.get(name)
            if reply_cls is None or example is None:
                return None
            return reply_cls.TYPE, dict(example)  # type: ignore[attr-defined]
        try:
            produced = reaction(params)
        except CommandError as exc:
            return _WireError(exc.code, exc.message)
        messages = (
            []
            if produced is None
            else [produced]
            if isinstance(produced, pydantic.BaseModel)
            else list(produced)
        )
        # the reply is the first message of the reply's wire type (matched by TYPE, not by
        # class identity: a re-imported messages module must not turn the reply into a broadcast)
        reply_type = getattr(reply_cls, "TYPE", None)
        reply = next(
            (m for m in messages if reply_cls and getattr(type(m), "TYPE", None) == reply_type),
            None,
        )
        for message in messages:
            if message is not reply:
                self.emit(message)
        if reply is None:
            return None
        return _wire(reply)

    # ------------------------------------------------------------------ messages and media
    def emit(self, message: pydantic.BaseModel | Message) -> None:
        """Send a model message to the app (a generated message instance, or a raw
        :class:`~reactor_client.Message`); listeners run before this returns."""
        wire_type, data = _wire(message)
        self.runtime.broadcast(wire_type, data)

    def push_frame(
        self, track: str, frame: np.ndarray[typing.Any, typing.Any] | av.VideoFrame | av.AudioFrame
    ) -> None:
        """Feed output track ``track`` one frame: an RGB ``(H, W, 3) uint8`` array or an
        ``av.VideoFrame`` (video), int16 samples ``(channels, n)`` or an ``av.AudioFrame``
        (audio, 48 kHz)."""
        spec = next((t for t in self._tracks if t.name == track and t.is_output), None)
        if spec is None:
            outputs = [t.name for t in self._tracks if t.is_output]
            raise ConfigurationError(
                f"{self._model_label} has no output track {track!r} (outputs: {outputs})"
            )
        if isinstance(frame, np.ndarray):
            if is_video(spec.kind):
                frame = av.VideoFrame.from_ndarray(
                    np.ascontiguousarray(frame, np.uint8), format="rgb24"
                )
            else:
                samples = np.atleast_2d(np.asarray(frame, np.int16))
                frame = av.AudioFrame.from_ndarray(
                    samples.reshape(1, -1),
                    format="s16",
                    layout="mono" if samples.shape[0] == 1 else "stereo",
                )
                frame.sample_rate = 48_000
        if frame.pts is None:
            step = 3000 if isinstance(frame, av.VideoFrame) else 960
            frame.pts = next(self._pts) * step
            frame.time_base = fractions.Fraction(
                1, 90_000 if isinstance(frame, av.VideoFrame) else 48_000
            )
        self.runtime.push_frame(track, frame)

    async def next_input_frame(
        self, track: str, *, timeout: float | None = 5.0
    ) -> av.VideoFrame | av.AudioFrame:
        """The next frame the app sends on input track ``track`` (after it published it)."""
        transport = self.runtime._transport
        source = transport.inputs.get(track) if transport is not None else None
        if source is None:
            raise ReactorError(f"the app has not published {track!r}", code="NOT_PUBLISHED")
        try:
            return typing.cast(
                "av.VideoFrame | av.AudioFrame", await asyncio.wait_for(source.recv(), timeout)
            )
        except asyncio.TimeoutError:
            raise ReactorError(
                f"no frame on {track!r} within {timeout} s", code="TIMEOUT"
            ) from None

    # ------------------------------------------------------------------ steps and faults
    def on_step(self, answer: Callable[[StepRequest], StepOutput | StepFailure] | None) -> None:
        """Script ``step()``: ``answer(request)`` returns a :class:`StepOutput` (frames per
        output track) or a :class:`StepFailure`; None: every step succeeds with no frames."""
        self.runtime.on_step = answer

    def lose(self, reason: str = "transport lost") -> None:
        """Drop the transport as a network failure would (reconnect policy applies)."""
        self.runtime.lose(reason)

    def end_session(self, reason: str = "the session ended") -> None:
        """The platform ends the session (``sessionEnded``)."""
        self.runtime.end_session(reason)


def _wire(message: pydantic.BaseModel | Message) -> tuple[str, dict[str, typing.Any]]:
    if isinstance(message, Message):
        return message.type, dict(message.data)
    wire_type = getattr(type(message), "TYPE", None)
    if not isinstance(wire_type, str):
        raise ConfigurationError(
            f"emit() takes a generated message (with a TYPE) or a reactor_client.Message, "
            f"not {type(message).__name__}"
        )
    return wire_type, message.model_dump(mode="json", by_alias=True)


__all__ = [
    "NO_REPLY",
    "CommandError",
    "FakeModel",
    "RecordedCommand",
    "StepFailure",
    "StepOutput",
    "StepRequest",
]
