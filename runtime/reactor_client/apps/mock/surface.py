"""The stand-in model's data: its surface (``_mock/surface.json``, written by reactor-gen) and
the user's examples file, and what the stand-in sends for each command (stdlib only).

What a command does on the stand-in, in order:

1. If the examples file makes it fail (``"commands": {"<c>": {"error": {"code", "message"}}}``),
   it broadcasts the failure messages its description names (``command_error``...: a name
   with ``error``, ``errors``, ``fail``, ``failed``, ``failure``, ``refused`` or
   ``rejected`` in it), then fails with that code, as a model's ``CommandError`` would.
2. Otherwise it broadcasts, in order, each message its description says it emits (the
   ``Emits:`` of the generated docs), except its reply and the failure messages; the
   examples file can replace that list (``"emits": [...]``, sent as given).
3. A command whose schema declares a reply answers with that message.

Each message's payload is, from weakest to strongest: the generated example (schema-valid,
realistic values: the test kit's), the examples file's ``"messages": {"<m>": {...}}``, the
command's own arguments where a field has the same name and a value of the field's type
(``set_shot(prompt=...)`` → ``shot_set.prompt``), then
``"commands": {"<c>": {"messages": {"<m>": {...}}}}``. A failure message's ``command``
field is the command's name and its ``reason``/``message``/``error``/``detail`` field the
error's message. The examples file can also send messages to each client that connects
(``"on_connect": [...]``) and every few seconds (``"periodic": {"<m>": seconds}``).
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "SURFACE_FORMATS",
    "Examples",
    "FieldSpec",
    "MockCommand",
    "MockMessage",
    "Surface",
    "SurfaceError",
    "Behaviour",
    "Plan",
    "check_value",
    "describe_args",
    "is_failure_message",
    "load_examples",
    "load_surface",
]

SURFACE_FORMATS = (1, 2)
"""The ``format`` values of a surface description this version reads (2, ``_surface.json``,
adds the Python names the stand-in does not need)."""

_FAILURE_WORDS = frozenset({"error", "errors", "fail", "failed", "failure", "refused", "rejected"})
_REASON_FIELDS = ("reason", "message", "error", "detail")


class SurfaceError(Exception):
    """A surface or examples file the stand-in cannot use (one line: ``file: where: what``)."""


@dataclass(frozen=True)
class FieldSpec:
    """One field of a command or message (the surface's ``FIELD``)."""

    name: str
    type: Mapping[str, Any]
    required: bool
    has_default: bool
    default: Any
    description: str
    moderate: bool | None
    minimum: int | float | None
    maximum: int | float | None
    min_length: int | None
    max_length: int | None

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> FieldSpec:
        return cls(
            name=str(data["name"]),
            type=data["type"],
            required=bool(data["required"]),
            has_default="default" in data,
            default=data.get("default"),
            description=str(data.get("description", "")),
            moderate=data.get("moderate"),
            minimum=data.get("minimum"),
            maximum=data.get("maximum"),
            min_length=data.get("min_length"),
            max_length=data.get("max_length"),
        )


@dataclass(frozen=True)
class MockCommand:
    name: str
    description: str
    reply: str | None
    emits: tuple[str, ...]
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class MockMessage:
    name: str
    component: str | None
    description: str
    fields: tuple[FieldSpec, ...]
    example: Mapping[str, Any]

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class Surface:
    """A model's surface as the stand-in serves it."""

    name: str
    version: str
    description: str
    distribution: str
    """The generated package's distribution (``reactor-models-<model>``)."""
    tracks: tuple[tuple[str, str, str], ...]
    """(name, kind, direction) in schema order; direction from the model's side."""
    commands: tuple[MockCommand, ...]
    messages: tuple[MockMessage, ...]

    def command(self, name: str) -> MockCommand | None:
        return next((c for c in self.commands if c.name == name), None)

    def message(self, name: str) -> MockMessage | None:
        return next((m for m in self.messages if m.name == name), None)


def _read_json(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SurfaceError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise SurfaceError(f"{path}: not JSON: {exc}") from None


def load_surface(path: str | Path) -> Surface:
    """Read a package's surface description (``_surface.json``, see
    ``reactor_gen.render.surface``; or an older package's ``_mock/surface.json``)."""
    path = Path(path)
    data = _read_json(path, "stand-in's surface")
    if not isinstance(data, dict) or data.get("format") not in SURFACE_FORMATS:
        found = data.get("format") if isinstance(data, dict) else None
        readable = " or ".join(str(f) for f in SURFACE_FORMATS)
        raise SurfaceError(
            f"{path}: surface format {found!r}, this reactor-client reads format "
            f"{readable}: rebuild the package with a matching reactor-gen"
        )
    try:
        model = data["model"]
        return Surface(
            name=str(model["name"]),
            version=str(model.get("version", "")),
            description=str(model.get("description", "")),
            distribution=str(model.get("distribution", "")),
            tracks=tuple((t["name"], t["kind"], t["direction"]) for t in data["tracks"]),
            commands=tuple(
                MockCommand(
                    name=str(c["name"]),
                    description=str(c.get("description", "")),
                    reply=c.get("reply"),
                    emits=tuple(c.get("emits", ())),
                    fields=tuple(FieldSpec.parse(f) for f in c["fields"]),
                )
                for c in data["commands"]
            ),
            messages=tuple(
                MockMessage(
                    name=str(m["name"]),
                    component=m.get("component"),
                    description=str(m.get("description", "")),
                    fields=tuple(FieldSpec.parse(f) for f in m["fields"]),
                    example=dict(m.get("example", {})),
                )
                for m in data["messages"]
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SurfaceError(f"{path}: malformed surface ({type(exc).__name__}: {exc})") from None


# --- values -----------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def check_value(type_: Mapping[str, Any], value: Any) -> str | None:
    """``None`` when ``value`` is a wire value of the surface type ``type_``, else why not
    (the same rules as reactor-runtime's: an integral float is an integer, a bool is not a
    number)."""
    kind = type_.get("kind")
    if kind == "any":
        return None
    if kind == "string":
        return None if isinstance(value, str) else f"expected string, got {_name(value)}"
    if kind == "integer":
        return None if _is_int(value) else f"expected integer, got {_name(value)}"
    if kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and isinstance(value, float) and not math.isfinite(value):
            return "expected a finite number"
        return None if ok else f"expected number, got {_name(value)}"
    if kind == "boolean":
        return None if isinstance(value, bool) else f"expected boolean, got {_name(value)}"
    if kind == "enum":
        values = list(type_.get("values", ()))
        same = any(v == value and isinstance(v, bool) == isinstance(value, bool) for v in values)
        return None if same else f"{value!r} is not one of {values}"
    if kind == "nullable":
        return None if value is None else check_value(type_["item"], value)
    if kind == "list":
        if not isinstance(value, list):
            return f"expected array, got {_name(value)}"
        for index, item in enumerate(value):
            reason = check_value(type_["item"], item)
            if reason is not None:
                return f"[{index}]: {reason}"
        return None
    if kind == "dict":
        if not isinstance(value, dict):
            return f"expected object, got {_name(value)}"
        for key, item in value.items():
            reason = check_value(type_["item"], item)
            if reason is not None:
                return f"[{key!r}]: {reason}"
        return None
    if kind == "object":
        if not isinstance(value, dict):
            return f"expected object, got {_name(value)}"
        fields = {f["name"]: f for f in type_.get("fields", ())}
        for name, spec in fields.items():
            if spec.get("required") and name not in value:
                return f"missing required field {name!r}"
        for name, item in value.items():
            if name not in fields:
                return f"unknown field {name!r}"
            reason = check_value(fields[name]["type"], item)
            if reason is not None:
                return f"{name}: {reason}"
        return None
    if kind == "upload":
        ok = isinstance(value, dict) and isinstance(value.get("upload_id"), str)
        return None if ok else "expected an upload reference with a string 'upload_id'"
    return f"unknown type kind {kind!r}"


def _name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def is_failure_message(name: str) -> bool:
    """Whether message ``name`` reports a failure (``command_error``, ``generation_failed``...):
    the stand-in sends it only when a command fails."""
    return not _FAILURE_WORDS.isdisjoint(name.lower().split("_"))


# --- the examples file -------------------------------------------------------------------


@dataclass(frozen=True)
class CommandExamples:
    emits: tuple[str, ...] | None = None
    messages: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    error: tuple[str, str] | None = None


@dataclass(frozen=True)
class Examples:
    """The user's examples file (``mock --examples FILE``), checked against the surface."""

    messages: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    commands: Mapping[str, CommandExamples] = field(default_factory=dict)
    on_connect: tuple[str, ...] = ()
    periodic: Mapping[str, float] = field(default_factory=dict)


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise SurfaceError(f"{where}: expected an object, got {_name(value)}")
    return value


def _names(value: Any, where: str, surface: Surface) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SurfaceError(f"{where}: expected a list of message names")
    for index, name in enumerate(value):
        _message(surface, name, f"{where}[{index}]")
    return tuple(value)


def _message(surface: Surface, name: str, where: str) -> MockMessage:
    message = surface.message(name)
    if message is None:
        known = ", ".join(m.name for m in surface.messages) or "none"
        raise SurfaceError(f"{where}: {surface.name} has no message {name!r} (messages: {known})")
    return message


def _payload(surface: Surface, name: str, value: Any, where: str) -> Mapping[str, Any]:
    message = _message(surface, name, where)
    fields = _mapping(value, where)
    for key, item in fields.items():
        spec = message.field(key)
        if spec is None:
            known = ", ".join(f.name for f in message.fields) or "none"
            raise SurfaceError(f"{where}.{key}: {name} has no field {key!r} (fields: {known})")
        reason = check_value(spec.type, item)
        if reason is not None:
            raise SurfaceError(f"{where}.{key}: {reason}")
    return dict(fields)


def load_examples(path: str | Path | None, surface: Surface) -> Examples:
    """Read and check the examples file (``None``: no file, the generated examples only)."""
    if path is None:
        return Examples()
    path = Path(path)
    data = _mapping(_read_json(path, "examples file"), str(path))
    where = str(path)
    unknown = sorted(set(data) - {"messages", "commands", "on_connect", "periodic"})
    if unknown:
        raise SurfaceError(
            f"{where}: unknown key {unknown[0]!r} (keys: messages, commands, on_connect, periodic)"
        )
    messages = {
        name: _payload(surface, name, value, f"{where}: messages.{name}")
        for name, value in _mapping(data.get("messages", {}), f"{where}: messages").items()
    }
    commands: dict[str, CommandExamples] = {}
    for name, value in _mapping(data.get("commands", {}), f"{where}: commands").items():
        at = f"{where}: commands.{name}"
        if surface.command(name) is None:
            known = ", ".join(c.name for c in surface.commands) or "none"
            raise SurfaceError(f"{at}: {surface.name} has no command {name!r} (commands: {known})")
        entry = _mapping(value, at)
        extra = sorted(set(entry) - {"emits", "messages", "error"})
        if extra:
            raise SurfaceError(f"{at}: unknown key {extra[0]!r} (keys: emits, messages, error)")
        error = None
        if "error" in entry:
            raw = _mapping(entry["error"], f"{at}.error")
            code, text = raw.get("code"), raw.get("message", "refused by the stand-in model")
            if not isinstance(code, str) or not code or not isinstance(text, str):
                raise SurfaceError(f'{at}.error: expected {{"code": "...", "message": "..."}}')
            error = (code, text)
        commands[name] = CommandExamples(
            emits=_names(entry["emits"], f"{at}.emits", surface) if "emits" in entry else None,
            messages={
                m: _payload(surface, m, v, f"{at}.messages.{m}")
                for m, v in _mapping(entry.get("messages", {}), f"{at}.messages").items()
            },
            error=error,
        )
    periodic: dict[str, float] = {}
    for name, seconds in _mapping(data.get("periodic", {}), f"{where}: periodic").items():
        _message(surface, name, f"{where}: periodic.{name}")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:
            raise SurfaceError(f"{where}: periodic.{name}: expected seconds > 0, got {seconds!r}")
        periodic[name] = float(seconds)
    return Examples(
        messages=messages,
        commands=commands,
        on_connect=_names(data.get("on_connect", []), f"{where}: on_connect", surface),
        periodic=periodic,
    )


# --- what a command sends -----------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What the stand-in does for one command (see the module docstring)."""

    broadcasts: tuple[str, ...]
    reply: str | None
    error: tuple[str, str] | None


class Behaviour:
    """The stand-in's behaviour: the surface plus the examples file."""

    def __init__(self, surface: Surface, examples: Examples | None = None) -> None:
        self.surface = surface
        self.examples = examples or Examples()

    def plan(self, command: MockCommand) -> Plan:
        own = self.examples.commands.get(command.name, CommandExamples())
        if own.error is not None:
            failures = tuple(m for m in command.emits if is_failure_message(m))
            return Plan(broadcasts=failures, reply=None, error=own.error)
        if own.emits is not None:
            broadcasts = own.emits
        else:
            broadcasts = tuple(
                m for m in command.emits if m != command.reply and not is_failure_message(m)
            )
        return Plan(broadcasts=broadcasts, reply=command.reply, error=None)

    def payload(
        self,
        message: str,
        command: MockCommand | None = None,
        args: Mapping[str, Any] | None = None,
        error: tuple[str, str] | None = None,
    ) -> dict[str, Any]:
        """The data of ``message`` sent for ``command`` called with ``args`` (wire values)."""
        spec = self.surface.message(message)
        if spec is None:
            raise KeyError(message)
        data: dict[str, Any] = copy.deepcopy(dict(spec.example))
        data.update(copy.deepcopy(dict(self.examples.messages.get(message, {}))))
        if command is not None:
            for f in spec.fields:
                if args and f.name in args and check_value(f.type, args[f.name]) is None:
                    data[f.name] = copy.deepcopy(args[f.name])
            if error is not None:
                self._fill_failure(spec, data, command.name, error)
            own = self.examples.commands.get(command.name)
            if own is not None:
                data.update(copy.deepcopy(dict(own.messages.get(message, {}))))
        return data

    @staticmethod
    def _fill_failure(
        spec: MockMessage, data: dict[str, Any], command: str, error: tuple[str, str]
    ) -> None:
        code, text = error
        for f in spec.fields:
            if check_value(f.type, "") is not None:
                continue
            if f.name in ("command", "command_name"):
                data[f.name] = command
            elif f.name in _REASON_FIELDS:
                data[f.name] = text
            elif f.name in ("code", "error_code"):
                data[f.name] = code


def describe_args(args: Mapping[str, Any]) -> str:
    """``prompt='A sunset', seed=42``: a command's arguments as the pattern and the log show
    them."""
    parts = []
    for name, value in args.items():
        text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
        parts.append(f"{name}={text}")
    return ", ".join(parts)
