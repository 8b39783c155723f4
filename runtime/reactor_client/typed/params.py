"""Command helpers of the generated SDKs: :data:`OMIT`, :data:`UploadSource`, validation
(:func:`validate_params`, :func:`validate_state`), wire payloads (:func:`dump_params`,
:func:`step_command`) and uploads (:func:`resolve_uploads`)."""

from __future__ import annotations

import enum
import os
import typing

import pydantic

from ..errors import CommandValidationError, ConfigurationError
from ..session.client import ReactorClient
from ..stepping import StepCommand
from ..types import UploadReference

_P = typing.TypeVar("_P", bound=pydantic.BaseModel)


# ----------------------------------------------------------------------------- commands
class Omitted(enum.Enum):
    """Type of :data:`OMIT`, the default of arguments whose schema default is a
    list or an object: leaving them out lets the schema default apply."""

    OMIT = "OMIT"


OMIT: typing.Final = Omitted.OMIT
"""Sentinel default: the argument was not given."""


def _check_upload_source(value: object) -> object:
    if isinstance(value, (UploadReference, str, bytes, os.PathLike)):
        return value
    raise ValueError(
        "expected a reactor_client.UploadReference, a file path or bytes, "
        f"not {type(value).__name__}"
    )


UploadSource = typing.Annotated[typing.Any, pydantic.AfterValidator(_check_upload_source)]
"""An upload argument: ``reactor_client.UploadReference | str | os.PathLike[str] |
bytes`` (paths and bytes are uploaded before the command is sent)."""

_CONSTRAINTS: dict[str, tuple[str, str]] = {
    "greater_than_equal": ("must be >= {}", "ge"),
    "greater_than": ("must be > {}", "gt"),
    "less_than_equal": ("must be <= {}", "le"),
    "less_than": ("must be < {}", "lt"),
    "string_too_short": ("must be at least {} characters long", "min_length"),
    "string_too_long": ("must be at most {} characters long", "max_length"),
    "too_short": ("must have at least {} items", "min_length"),
    "too_long": ("must have at most {} items", "max_length"),
}


def _describe(command: str, error: typing.Mapping[str, typing.Any]) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "arguments"
    kind = error["type"]
    if kind == "missing":
        return f"{command}: {where}: is required"
    if kind == "extra_forbidden":
        return f"{command}: {where}: unexpected argument"
    text = str(error["msg"])
    if kind in _CONSTRAINTS:
        template, key = _CONSTRAINTS[kind]
        ctx = error.get("ctx") or {}
        if key in ctx:
            text = template.format(ctx[key])
    return f"{command}: {where}: {text} (got {error.get('input')!r})"


def validate_params(cls: type[_P], command: str, values: typing.Mapping[str, typing.Any]) -> _P:
    """Validate a command's arguments (``OMIT`` values left out) into ``cls``.

    Raises:
        reactor_client.CommandValidationError: naming the command, the field and the
            violated constraint (``set_seed: seed: must be >= 0 (got -1)``).
    """
    given = {key: value for key, value in values.items() if value is not OMIT}
    try:
        return cls.model_validate(given)
    except pydantic.ValidationError as exc:
        errors = [_describe(command, error) for error in exc.errors()]
        raise CommandValidationError(command, errors, "; ".join(errors)) from None


def dump_params(
    params: pydantic.BaseModel, exclude: typing.AbstractSet[str] = frozenset()
) -> dict[str, typing.Any]:
    """The JSON ``data`` of a command: wire names, upload fields excluded, and arguments
    equal to their schema default left out (the runtime applies its defaults itself; sending
    them explicitly gains nothing and trips reactor-runtime 3.10 on ``null`` for a nullable
    field with ``maxLength``)."""
    return params.model_dump(
        mode="json", by_alias=True, exclude=set(exclude), exclude_defaults=True
    )


async def resolve_uploads(
    client: ReactorClient, values: typing.Mapping[str, typing.Any]
) -> dict[str, UploadReference]:
    """Upload every path/bytes value (``None`` values are skipped); keep references."""
    uploads: dict[str, UploadReference] = {}
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, UploadReference):
            uploads[key] = value
        else:
            uploads[key] = await client.upload(value)
    return uploads


# ----------------------------------------------------------------------------- stepped generation
StateParams = typing.Mapping[str, type[pydantic.BaseModel]]
"""A generated package's ``STATE_PARAMS``: state key -> params model of ``set_<key>``."""


def validate_state(
    state_params: StateParams, state: typing.Mapping[str, typing.Any]
) -> dict[str, typing.Any]:
    """Validate a step's (or ``starting_input``'s) ``state`` with the ``set_<key>`` params
    models, before anything is sent; returns the wire values (defaults kept: a state key
    always carries its value).

    Raises:
        reactor_client.CommandValidationError: an unknown key, or a value the command's
            params model rejects (``set_level: level: must be <= 255 (got 300)``).
    """
    out: dict[str, typing.Any] = {}
    for key, value in state.items():
        cls = state_params.get(key)
        if cls is None:
            known = ", ".join(sorted(state_params)) or "none"
            message = f"state: {key}: not a state field of this model (known: {known})"
            raise CommandValidationError(f"set_{key}", [message], message)
        params = validate_params(cls, f"set_{key}", {key: value})
        dumped = params.model_dump(mode="json", by_alias=True)
        out[key] = dumped[key]
    return out


def step_command(command: pydantic.BaseModel | StepCommand) -> StepCommand:
    """A generated ``*Params`` instance (it knows its command's wire name, ``COMMAND``) as
    a :class:`~reactor_client.StepCommand`; a ``StepCommand`` passes through."""
    if isinstance(command, StepCommand):
        return command
    name = getattr(type(command), "COMMAND", None)
    if not isinstance(command, pydantic.BaseModel) or not isinstance(name, str):
        raise ConfigurationError(
            f"step commands are generated *Params instances, not {type(command).__name__}"
        )
    return StepCommand(name, dump_params(command))


def _starting_input(
    state_params: StateParams, starting_input: typing.Mapping[str, typing.Any] | None
) -> dict[str, typing.Any] | None:
    if starting_input is None:
        return None
    out = dict(starting_input)
    if out.get("state") is not None:
        out["state"] = validate_state(state_params, out["state"])
    if out.get("commands") is not None:
        out["commands"] = [
            step_command(c) if isinstance(c, (pydantic.BaseModel, StepCommand)) else c
            for c in out["commands"]
        ]
    return out
