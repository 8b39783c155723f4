"""The stand-in as a reactor-runtime model: classes built from a :class:`~.surface.Surface`.

Everything the runtime reads to validate commands and render ``/schema`` is built from the
surface the way a model author would write it by hand, so the runtime itself does the work:

* each command is a ``Command`` class (``make_command``, the runtime's own builder for
  ``@event`` handlers and state setters) whose fields carry the schema's types
  (``str``/``int``/``float``/``bool``, ``Literal[...]`` for enums, ``T | None``, ``list[T]``,
  ``dict[str, V]``, a dataclass for an inline object, ``UploadedFile``, ``Any``) and
  ``InputField(default, ge, le, min_length, max_length, moderate, description)``; its handler
  returns the reply message class when the schema declares one. The runtime validates every
  command against these (a wrong type, a value out of range, a missing or unknown argument is
  refused with ``invalid_command`` before the handler runs) and renders them into ``paths``;
* each message is a ``ModelMessage`` subclass named after its component, with its wire
  name, docstring, field types, descriptions and defaults (``webhooks`` +
  ``components.schemas``);
* the tracks are an ``Output`` and a ``MediaInput`` subclass (``Video``/``Audio`` fields);
* the model's description is the app class's docstring, its name the manifest name.

What no class can say: a default the runtime refuses to declare (a list or an object, or
one outside its own constraints) is declared as ``None`` and then put back into the field's
record, so ``/schema`` still shows it (a handler that is not sent the argument gets ``None``;
the stand-in does not care). Tracks are listed inputs first (the runtime's order).
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import time
import typing
from collections.abc import Callable, Mapping
from typing import Any

from .pattern import SAMPLE_RATE, AudioPattern, VideoPattern
from .surface import (
    Behaviour,
    FieldSpec,
    MockCommand,
    Surface,
    SurfaceError,
    describe_args,
)

__all__ = ["MODULE", "build_model", "surface_notes"]

MODULE = "_reactor_stand_in"
"""The module the built classes claim (``runtime.import`` is ``_reactor_stand_in:StandInModel``)."""

Log = Callable[[str], None]


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("-", "_").split("_"))


def _annotation(type_: Mapping[str, Any], hint: str) -> Any:
    """The Python annotation reactor-runtime renders back into ``type_``."""
    from reactor_runtime import UploadedFile

    kind = type_["kind"]
    simple: dict[str, Any] = {
        "string": str,
        "integer": int,
        "number": float,
        "boolean": bool,
        "any": Any,
        "upload": UploadedFile,
    }
    if kind in simple:
        return simple[kind]
    if kind == "enum":
        values = tuple(type_["values"])
        if not values:
            raise SurfaceError(f"{hint}: an enum without values")
        return typing.Literal[values]
    if kind == "nullable":
        return typing.Optional[_annotation(type_["item"], hint)]  # noqa: UP045 (a runtime object)
    if kind == "list":
        return list[_annotation(type_["item"], f"{hint}[]")]  # type: ignore[misc]
    if kind == "dict":
        return dict[str, _annotation(type_["item"], f"{hint}{{}}")]  # type: ignore[misc]
    if kind == "object":
        members: list[Any] = []
        for spec in type_.get("fields", ()):
            member = _annotation(spec["type"], f"{hint}.{spec['name']}")
            if spec.get("required"):
                members.append((spec["name"], member))
            else:
                members.append((spec["name"], member, dataclasses.field(default=None)))
        try:
            return dataclasses.make_dataclass(
                _pascal(hint.rsplit(".", 1)[-1]), members, kw_only=True
            )
        except (TypeError, ValueError) as exc:
            raise SurfaceError(f"{hint}: cannot declare this object: {exc}") from None
    raise SurfaceError(f"{hint}: unknown type kind {kind!r}")


def _default_ok(annotation: Any, info: Any, name: str) -> bool:
    """Whether reactor-runtime accepts ``info.default`` as a declared default."""
    from reactor_runtime.core.fields import raise_if_default_invalid
    from reactor_runtime.core.typespec import TypeSpec

    try:
        raise_if_default_invalid("stand-in", name, info.default, info)
    except TypeError:
        return False
    return info.default is None or TypeSpec.of(annotation).check(info.default) is None


def _build_command(command: MockCommand) -> Any:
    from reactor_runtime import InputField
    from reactor_runtime.core.model import CommandField
    from reactor_runtime.interface.events.decorators import make_command

    fields: list[tuple[str, Any, Any]] = []
    restore: dict[str, Any] = {}
    for f in command.fields:
        annotation = _annotation(f.type, f"commands.{command.name}.{f.name}")
        options: dict[str, Any] = {
            "description": f.description or None,
            "ge": f.minimum,
            "le": f.maximum,
            "min_length": f.min_length,
            "max_length": f.max_length,
            "moderate": bool(f.moderate),
        }
        info = InputField(f.default, **options) if f.has_default else InputField(**options)
        if f.has_default and not _default_ok(annotation, info, f.name):
            restore[f.name] = f.default
            info = InputField(None, **options)
        fields.append((f.name, annotation, info))
    try:
        cls = make_command(command.name, list(fields))
    except (TypeError, ValueError, SyntaxError) as exc:
        raise SurfaceError(f"commands.{command.name}: cannot declare it: {exc}") from None
    for name, default in restore.items():
        entry = cls.__command_fields__[name]
        cls.__command_fields__[name] = CommandField(
            spec=entry.spec, info=dataclasses.replace(entry.info, default=default)
        )
    return cls


def _build_message(
    name: str, component: str | None, description: str, fields: tuple[FieldSpec, ...]
) -> Any:
    from reactor_runtime import MessageField, ModelMessage
    from reactor_runtime.core.fields import raise_if_default_not_static
    from reactor_runtime.interface.events.messages import MessageFieldSpec

    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {
        "__module__": MODULE,
        "__doc__": description or None,
        "__annotations__": annotations,
        "name": name,
    }
    restore: dict[str, Any] = {}
    for f in fields:
        annotations[f.name] = _annotation(f.type, f"messages.{name}.{f.name}")
        text = f.description or None
        if f.has_default:
            default = f.default
            try:
                raise_if_default_not_static("stand-in", f.name, default)
            except TypeError:
                restore[f.name], default = default, None
            namespace[f.name] = MessageField(default, description=text)
        elif not f.required:
            namespace[f.name] = MessageField(None, description=text)
        else:
            namespace[f.name] = MessageField(description=text)
    try:
        cls: Any = type(component or _pascal(name), (ModelMessage,), namespace)
    except (TypeError, ValueError, SyntaxError) as exc:
        raise SurfaceError(f"messages.{name}: cannot declare it: {exc}") from None
    for field_name, default in restore.items():
        entry = cls.__message_fields__[field_name]
        cls.__message_fields__[field_name] = MessageFieldSpec(
            spec=entry.spec, description=entry.description, default=default
        )
    return cls


def surface_notes(surface: Surface) -> list[str]:
    """Where ``/schema`` of the stand-in differs from the surface (one line each): what a
    reactor-runtime 3.x model cannot declare (a schema from another renderer, or hand-written)."""
    notes = []
    if any(m.component is None for m in surface.messages):
        notes.append(
            "the schema has the runtime 2.x layout (inline webhook bodies, 202 replies); "
            "reactor-runtime 3.x serves components and 200 replies"
        )
    directions = [direction for _, _, direction in surface.tracks]
    if "in" in directions and "out" in directions[: directions.index("in")]:
        notes.append("tracks: reactor-runtime lists input tracks first")
    unstated = [
        f"{c.name}.{f.name}" for c in surface.commands for f in c.fields if f.moderate is None
    ]
    if unstated:
        notes.append(
            f"x-reactor-moderate is stated (false) on every command field, the schema leaves "
            f"it out on {len(unstated)} ({', '.join(unstated[:3])}{', ...' if len(unstated) > 3 else ''})"
        )
    optional = [
        f"{c.name}.{f.name}"
        for c in surface.commands
        for f in c.fields
        if not f.required and not f.has_default
    ]
    if optional:
        notes.append(
            f"optional command fields without a default are required: {', '.join(optional)}"
        )
    loose = [
        f"{m.name}.{f.name}"
        for m in surface.messages
        for f in m.fields
        if not f.required and not f.has_default
    ]
    if loose:
        notes.append(
            f"optional message fields without a default get default null: {', '.join(loose)}"
        )
    return notes


def _jsonable(value: Any) -> Any:
    """A handler argument as wire JSON (an uploaded file: its name, type and size)."""
    from reactor_runtime import UploadedFile

    if isinstance(value, UploadedFile):
        return {"name": value.name, "mime_type": value.mime_type, "size": value.size}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, enum.Enum):
        return _jsonable(value.value)
    return value


def build_model(
    surface: Surface,
    behaviour: Behaviour,
    *,
    width: int,
    height: int,
    fps: float,
    log: Log,
) -> type[Any]:
    """The stand-in's ``ReactorApp`` subclass for ``surface`` (registers its messages and
    tracks in the runtime's process-wide registries: build one model per process)."""
    from reactor_runtime import (
        Audio,
        CommandError,
        MediaInput,
        Output,
        ReactorApp,
        ReadMode,
        Video,
        connected,
        session_started,
    )
    from reactor_runtime.interface.events.decorators import EVENT_ATTR, EventHandler

    messages = {
        m.name: _build_message(m.name, m.component, m.description, m.fields)
        for m in surface.messages
    }
    for c in surface.commands:
        if c.reply is not None and c.reply not in messages:
            raise SurfaceError(f"commands.{c.name}: its reply {c.reply!r} is not a message")
    kinds = {"video": Video, "audio": Audio}
    outputs = {name: kinds[kind] for name, kind, direction in surface.tracks if direction == "out"}
    inputs = {name: kinds[kind] for name, kind, direction in surface.tracks if direction == "in"}
    output_cls = (
        type("StandInOutput", (Output,), {"__module__": MODULE, "__annotations__": outputs})
        if outputs
        else None
    )
    input_cls = (
        type("StandInInput", (MediaInput,), {"__module__": MODULE, "__annotations__": inputs})
        if inputs
        else None
    )
    samples_per_frame = max(1, round(SAMPLE_RATE / fps))

    class StandInBase(ReactorApp):  # type: ignore[misc]
        buffer_size = 2

        def load(self, config_path: object = None) -> None:
            self._mock_reset()

        def _mock_reset(self) -> None:
            self._mock_last: str | None = None
            self._mock_count = 0
            self._mock_args = ""
            self._mock_frame = 0
            self._mock_received = dict.fromkeys(inputs, 0)
            self._mock_latest: dict[str, Any] = {}
            self._mock_video = {
                name: VideoPattern(name, width, height)
                for name, kind in outputs.items()
                if kind is Video
            }
            self._mock_audio = {
                name: AudioPattern() for name, kind in outputs.items() if kind is Audio
            }

        @session_started  # type: ignore[untyped-decorator]
        async def _mock_session_started(self) -> None:
            self._mock_reset()

        @connected  # type: ignore[untyped-decorator]
        async def _mock_connected(self) -> None:
            for name in behaviour.examples.on_connect:
                await self.send(messages[name](**behaviour.payload(name)))

        def _mock_message(
            self, name: str, command: MockCommand, args: Mapping[str, Any], error: Any = None
        ) -> Any:
            return messages[name](**behaviour.payload(name, command, args, error))

        async def _mock_handle(self, command: MockCommand, kwargs: Mapping[str, Any]) -> Any:
            args = {key: _jsonable(value) for key, value in kwargs.items()}
            self._mock_last = command.name
            self._mock_count += 1
            self._mock_args = describe_args(args)
            plan = behaviour.plan(command)
            log(
                f"{command.name}({self._mock_args})"
                + (f" -> fails {plan.error[0]}" if plan.error else "")
            )
            for name in plan.broadcasts:
                await self.send(self._mock_message(name, command, args, plan.error))
            if plan.error is not None:
                raise CommandError(*plan.error)
            if plan.reply is not None:
                return self._mock_message(plan.reply, command, args)
            return None

        def _mock_drain(self) -> list[tuple[str, int, Any]]:
            if not inputs:
                return []
            report = []
            holder = getattr(self, "inputs", None)
            for name, kind in inputs.items():
                buffer: Any = getattr(holder, name, None)
                try:
                    count = buffer.available if buffer is not None else 0
                    frames = buffer.try_read(count, mode=ReadMode.FIFO) if count else None
                except Exception:  # BufferClosed between sessions
                    frames = None
                if frames:
                    self._mock_received[name] += len(frames)
                    if kind is Video:
                        self._mock_latest[name] = frames[-1].data
                report.append((name, self._mock_received[name], self._mock_latest.get(name)))
            return report

        async def run(self) -> None:
            while True:
                await self.connected.wait()
                now = time.monotonic()
                next_at = now
                due = {name: now + seconds for name, seconds in behaviour.examples.periodic.items()}
                while self.connected.is_set():
                    received = self._mock_drain()
                    if output_cls is not None:
                        payloads: dict[str, Any] = {
                            name: pattern.frame(
                                self._mock_frame,
                                self._mock_last,
                                self._mock_count,
                                self._mock_args,
                                received,
                            )
                            for name, pattern in self._mock_video.items()
                        }
                        for name, tone in self._mock_audio.items():
                            payloads[name] = tone.samples(samples_per_frame, self._mock_last)
                        await self.emit(output_cls(**payloads))
                    self._mock_frame += 1
                    now = time.monotonic()
                    for name, at in due.items():
                        if now >= at:
                            due[name] = now + behaviour.examples.periodic[name]
                            await self.send(messages[name](**behaviour.payload(name)))
                    next_at = max(next_at + 1.0 / fps, now - 1.0 / fps)
                    delay = next_at - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)

    namespace: dict[str, Any] = {
        "__module__": MODULE,
        "__doc__": surface.description or None,
        "__annotations__": {"inputs": input_cls} if input_cls is not None else {},
        "fps": fps,
    }
    for index, command in enumerate(surface.commands):
        namespace[f"_mock_command_{index}"] = _handler(
            command,
            _build_command(command),
            messages.get(command.reply or ""),
            EVENT_ATTR,
            EventHandler,
        )
    app: type[Any] = type(_pascal(surface.name) + "StandIn", (StandInBase,), namespace)
    return app


def _handler(
    command: MockCommand, command_cls: Any, reply_cls: Any, attr: str, handler_type: Any
) -> Any:
    async def handler(self: Any, **kwargs: Any) -> Any:
        return await self._mock_handle(command, kwargs)

    handler.__annotations__ = {"return": reply_cls} if reply_cls is not None else {}
    handler.__qualname__ = handler.__name__ = f"on_{command.name}"
    setattr(
        handler,
        attr,
        handler_type(
            name=command.name,
            description=command.description,
            command=command_cls,
            is_async=True,
            reserved=(),
        ),
    )
    return handler
