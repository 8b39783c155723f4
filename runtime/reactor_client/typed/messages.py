"""Message helpers of the generated SDKs: :class:`UnknownMessage`, :func:`parse_message`,
:func:`parse_reply` and the typed message iterator."""

from __future__ import annotations

import dataclasses
import typing

import pydantic

from ..errors import ReactorError
from ..types import Message

_M = typing.TypeVar("_M", bound=pydantic.BaseModel)
_Parsed = typing.TypeVar("_Parsed")


@dataclasses.dataclass(frozen=True)
class UnknownMessage:
    """A message this package has no class for, or one that failed validation."""

    type: str
    """The wire ``type``."""
    data: dict[str, typing.Any]
    """The payload as it came off the wire."""
    error: pydantic.ValidationError | None = None
    """Why validation failed (``None`` for a type this package does not know)."""


_U = typing.TypeVar("_U")


class MessageAdapter(typing.Generic[_U]):
    """A package's message union parsed through one pydantic ``TypeAdapter``, discriminated
    by the envelope's ``type`` (each class's ``TYPE``).

    The payload is validated under ``data`` of a per-type envelope, so a model's own field
    called ``type`` never collides with the discriminator, and ``model_dump()`` stays equal
    to the payload. Unknown types and invalid payloads become :class:`UnknownMessage`.
    """

    def __init__(self, union: typing.Any) -> None:
        members = typing.get_args(union) or (union,)
        envelopes: list[typing.Any] = []
        self.classes: dict[str, type[pydantic.BaseModel]] = {}
        for cls in members:
            wire_type = cls.TYPE
            self.classes[wire_type] = cls
            literal: typing.Any = typing.Literal[wire_type]
            envelopes.append(
                pydantic.create_model(
                    f"{cls.__name__}Envelope", type=(literal, ...), data=(cls, ...)
                )
            )
        target: typing.Any = envelopes[0]
        if len(envelopes) > 1:
            union_of_envelopes: typing.Any = typing.Union[tuple(envelopes)]  # noqa: UP007
            target = typing.Annotated[union_of_envelopes, pydantic.Field(discriminator="type")]
        self._adapter: pydantic.TypeAdapter[typing.Any] = pydantic.TypeAdapter(target)

    def parse(self, message: Message) -> _U | UnknownMessage:
        """``message`` as its class; :class:`UnknownMessage` (with ``error`` set when the
        payload does not validate) for anything else. Never raises."""
        cls = self.classes.get(message.type)
        if cls is None:
            return UnknownMessage(message.type, dict(message.data))
        try:
            parsed = self._adapter.validate_python({"type": message.type, "data": message.data})
        except pydantic.ValidationError:
            try:  # the payload's own error, located at its fields (not under the envelope)
                cls.model_validate(message.data)
            except pydantic.ValidationError as exc:
                return UnknownMessage(message.type, dict(message.data), exc)
            raise
        return typing.cast("_U", parsed.data)


def parse_message(message: Message, classes: typing.Mapping[str, type[_M]]) -> _M | UnknownMessage:
    """``message`` validated into ``classes[message.type]``; :class:`UnknownMessage` (with
    ``error`` set when validation failed) for anything else. Never raises."""
    cls = classes.get(message.type)
    if cls is None:
        return UnknownMessage(message.type, dict(message.data))
    try:
        return cls.model_validate(message.data)
    except pydantic.ValidationError as exc:
        return UnknownMessage(message.type, dict(message.data), exc)


def parse_reply(reply: Message | None, cls: type[_M]) -> _M | None:
    """A command's reply as ``cls`` (``None`` for a bodyless acknowledgement).

    Raises:
        reactor_client.ReactorError: the reply does not match ``cls``
            (code ``INVALID_REPLY``).
    """
    if reply is None:
        return None
    try:
        return cls.model_validate(reply.data)
    except pydantic.ValidationError as exc:
        raise ReactorError(
            f"reply {reply.type!r} does not match {cls.__name__}: {exc}",
            code="INVALID_REPLY",
        ) from exc


class _TypedMessages(typing.Generic[_Parsed]):
    """Async iterator over parsed messages (subscribed when created)."""

    def __init__(
        self,
        raw: typing.AsyncIterator[Message],
        parse: typing.Callable[[Message], _Parsed],
    ) -> None:
        self._raw = raw
        self._parse = parse

    def __aiter__(self) -> _TypedMessages[_Parsed]:
        return self

    async def __anext__(self) -> _Parsed:
        return self._parse(await self._raw.__anext__())
