"""Actions of a :class:`~reactor_client.gym.ReactorEnv`: what one ``step(action)`` sends, and
action spaces derived from a generated package's command parameters.

:class:`CommandActions` reads a generated ``*Params`` class's fields (pydantic field info:
the annotation and its ``ge``/``gt``/``le``/``lt`` bounds): an enum (``Literal``), a ``bool``
or a bounded ``int`` becomes ``Discrete``, a bounded ``float`` a ``Box`` of shape ``(1,)``,
and an action maps back to the typed command, validated as the SDK validates it.
:class:`DiscreteActions` is a ``Discrete`` space over prepared command lists (key bindings).
"""

from __future__ import annotations

import dataclasses
import enum
import math
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pydantic
from gymnasium import spaces
from pydantic.fields import FieldInfo

from ..errors import ConfigurationError


@dataclasses.dataclass(frozen=True)
class StepRequest:
    """What one step sends: ``state`` (applied as ``set_<key>``), ``commands`` (generated
    ``*Params`` instances, or ``reactor_client.StepCommand``) and ``media`` (input track
    name → frames). An action function may return this, or just a list of commands."""

    state: Mapping[str, Any] | None = None
    commands: Sequence[Any] = ()
    media: Mapping[str, Sequence[Any]] | None = None


ActionResult = StepRequest | Sequence[Any] | None
"""What an action function returns: a :class:`StepRequest`, a list of commands, or ``None``
(a step with no input)."""


def as_request(value: ActionResult) -> StepRequest:
    if value is None:
        return StepRequest()
    if isinstance(value, StepRequest):
        return value
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise ConfigurationError(
            "an action function returns a StepRequest or a list of commands, not "
            f"{type(value).__name__}"
        )
    return StepRequest(commands=list(value))


@dataclasses.dataclass(frozen=True)
class _Field:
    command: type[pydantic.BaseModel]
    name: str
    space: spaces.Space[Any]
    decode: Callable[[Any], Any]


class CommandActions:
    """An action space derived from commands' parameters, and the map from an action back to
    those commands (call it with an action: it returns the typed ``*Params`` instances).

    ``CommandActions(SetLevelParams)`` → ``Discrete(256)`` (``level`` is 0..255), action
    ``7`` → ``[SetLevelParams(level=7)]``. Several fields (of one command or several) make a
    ``Dict`` space keyed by field name (one command) or ``"<command>.<field>"`` (several).

    Args:
        commands: Generated ``*Params`` classes (each has ``COMMAND``, its wire name).
        fixed: Values of fields that are not actions, by command wire name:
            ``{"set_prompt": {"prompt": "a forest"}}``. Needed for a required field without
            finite choices or bounds (a free string, an unbounded number).
        exclude: Fields left out of the space even though they could be actions
            (``"<command>.<field>"`` or the bare field name); they keep their default.
    """

    def __init__(
        self,
        *commands: type[pydantic.BaseModel],
        fixed: Mapping[str, Mapping[str, Any]] | None = None,
        exclude: Sequence[str] = (),
    ) -> None:
        if not commands:
            raise ConfigurationError("CommandActions needs at least one *Params class")
        given_by_command = {k: dict(v) for k, v in (fixed or {}).items()}
        self.commands = tuple(commands)
        self._fixed: dict[type[pydantic.BaseModel], dict[str, Any]] = {}
        fields: list[_Field] = []
        names = {_command_name(c) for c in commands}
        for name in given_by_command:
            if name not in names:
                raise ConfigurationError(
                    f"fixed= names {name!r}, which is not one of the commands {sorted(names)}"
                )
        for cls in commands:
            name = _command_name(cls)
            given = given_by_command.get(name, {})
            self._fixed[cls] = given
            for field_name, info in cls.model_fields.items():
                if (
                    field_name in given
                    or field_name in exclude
                    or f"{name}.{field_name}" in exclude
                ):
                    continue
                derived = field_space(info)
                if derived is not None:
                    fields.append(_Field(cls, field_name, *derived))
                elif info.is_required():
                    raise ConfigurationError(
                        f"{name}: {field_name} ({_type_name(info.annotation)}) has no finite choices "
                        f"or bounds, so it cannot be an action: give it a value with "
                        f"fixed={{{name!r}: {{{field_name!r}: ...}}}}"
                    )
        if not fields:
            raise ConfigurationError(
                f"no parameter of {sorted(names)} can be an action (enums, bools and bounded "
                "numbers can)"
            )
        self._fields = fields
        self._keys: list[str] | None = None
        self.space: spaces.Space[Any]
        if len(fields) == 1:
            self.space = fields[0].space
        else:
            several = len(commands) > 1
            self._keys = [
                f"{_command_name(f.command)}.{f.name}" if several else f.name for f in fields
            ]
            self.space = spaces.Dict(dict(zip(self._keys, (f.space for f in fields), strict=True)))

    def __call__(self, action: Any) -> list[pydantic.BaseModel]:
        values: dict[type[pydantic.BaseModel], dict[str, Any]] = {
            cls: dict(given) for cls, given in self._fixed.items()
        }
        if self._keys is None:
            only = self._fields[0]
            values[only.command][only.name] = only.decode(action)
        else:
            if not isinstance(action, Mapping):
                raise ConfigurationError(
                    f"this action space is a Dict ({', '.join(self._keys)}): an action is a dict, "
                    f"not {type(action).__name__}"
                )
            for key, f in zip(self._keys, self._fields, strict=True):
                values[f.command][f.name] = f.decode(action[key])
        return [cls.model_validate(values[cls]) for cls in self.commands]

    def __repr__(self) -> str:
        names = ", ".join(_command_name(c) for c in self.commands)
        return f"CommandActions({names}; space={self.space})"


class DiscreteActions:
    """``Discrete(len(choices))`` over prepared steps: action ``i`` sends ``choices[i]`` (a
    list of commands, a :class:`StepRequest`, or ``None`` for a step with no input). The
    usual mapping of keys to a game's moves::

        DiscreteActions([None, [SetMovementParams(movement="forward")],
                         [SetMovementParams(movement="back")]])
    """

    def __init__(self, choices: Sequence[ActionResult]) -> None:
        if not choices:
            raise ConfigurationError("DiscreteActions needs at least one choice")
        self.choices = [as_request(c) for c in choices]
        self.space = spaces.Discrete(len(self.choices))

    def __call__(self, action: Any) -> StepRequest:
        index = int(action)
        if not 0 <= index < len(self.choices):
            raise ConfigurationError(f"action {index} is not in 0..{len(self.choices) - 1}")
        return self.choices[index]


# ----------------------------------------------------------------------------- fields
def field_space(
    info: FieldInfo,
) -> tuple[spaces.Space[Any], Callable[[Any], Any]] | None:
    """The action space of one parameter and the decoder from a sample to its value, or
    ``None`` when it has no finite choices or bounds."""
    annotation = _without_none(info.annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
        origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        choices = typing.get_args(annotation)
        return spaces.Discrete(len(choices)), lambda a: choices[int(a)]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        members = list(annotation)
        return spaces.Discrete(len(members)), lambda a: members[int(a)]
    if annotation is bool:
        return spaces.Discrete(2), lambda a: bool(int(a))
    if annotation is int:
        low, high = _bounds(info, integral=True)
        if low is None or high is None or high < low:
            return None
        start, size = int(low), int(high) - int(low) + 1
        return spaces.Discrete(size, start=start), lambda a: int(a)
    if annotation is float:
        low, high = _bounds(info, integral=False)
        if low is None or high is None or high < low:
            return None
        lo, hi = float(low), float(high)
        box = spaces.Box(low=np.float32(lo), high=np.float32(hi), shape=(1,), dtype=np.float32)
        return box, lambda a: min(max(float(np.asarray(a).reshape(-1)[0]), lo), hi)
    return None


def _bounds(info: FieldInfo, *, integral: bool) -> tuple[float | None, float | None]:
    low: float | None = None
    high: float | None = None
    for meta in info.metadata:
        for attr, is_low, strict in (
            ("ge", True, False),
            ("gt", True, True),
            ("le", False, False),
            ("lt", False, True),
        ):
            value = getattr(meta, attr, None)
            if value is None:
                continue
            value = float(value)
            if strict:
                if integral:
                    value = math.floor(value) + 1 if is_low else math.ceil(value) - 1
                else:
                    value = math.nextafter(value, math.inf if is_low else -math.inf)
            if is_low:
                low = value if low is None else max(low, value)
            else:
                high = value if high is None else min(high, value)
    return low, high


def _without_none(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _command_name(cls: type[pydantic.BaseModel]) -> str:
    name = getattr(cls, "COMMAND", None)
    if not isinstance(name, str):
        raise ConfigurationError(
            f"{cls.__name__} is not a generated *Params class (it has no COMMAND)"
        )
    return name


def _type_name(annotation: Any) -> str:
    return getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")


__all__ = [
    "ActionResult",
    "CommandActions",
    "DiscreteActions",
    "StepRequest",
    "as_request",
    "field_space",
]
