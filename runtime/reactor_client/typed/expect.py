"""``Expectation``: wait for a message registered before the command that causes it.

    async with model.expect(ColorChanged, lambda m: m.rgb == [255, 0, 0]) as changed:
        await model.set_color(red=255, green=0, blue=0)
    print(changed.value)            # the block waited for it on exit

The race-free form for concurrent commands (as Playwright's ``expect_response``): the
listener exists before anything is sent, so no message can slip past it.
"""

from __future__ import annotations

import asyncio
import typing
from types import TracebackType

import pydantic

from ..errors import InvalidStateError, RequestTimeoutError
from ..session.dispatch import Subscription
from ..types import Message

if typing.TYPE_CHECKING:
    from .model import ModelClient

_M = typing.TypeVar("_M", bound=pydantic.BaseModel)


class Expectation(typing.Generic[_M]):
    """An async context manager that registers on entry and waits on a clean exit."""

    def __init__(
        self,
        model: ModelClient[typing.Any],
        cls: type[_M],
        predicate: typing.Callable[[_M], bool] | None,
        timeout: float | None,
    ) -> None:
        wire_type = getattr(cls, "TYPE", None)
        if not isinstance(wire_type, str):
            raise InvalidStateError(f"expect() takes a generated message class, not {cls!r}")
        self._model = model
        self._cls = cls
        self._type = wire_type
        self._predicate = predicate
        self._timeout = timeout
        self._future: asyncio.Future[_M] | None = None
        self._sub: Subscription | None = None

    async def __aenter__(self) -> Expectation[_M]:
        future: asyncio.Future[_M] = asyncio.get_running_loop().create_future()
        self._future = future

        def check(raw: Message) -> None:
            parsed = self._model._parse(raw)
            if future.done() or not isinstance(parsed, self._cls):
                return
            if self._predicate is None or self._predicate(parsed):
                future.set_result(parsed)

        self._sub = self._model.client.on_message(check, type=self._type)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                await self.wait()
        finally:
            if self._sub is not None:
                self._sub.unsubscribe()

    async def wait(self) -> _M:
        """The expected message (``RequestTimeoutError`` after the timeout)."""
        if self._future is None:
            raise InvalidStateError("use expect() as `async with model.expect(...) as e:`")
        try:
            return await asyncio.wait_for(asyncio.shield(self._future), self._timeout)
        except asyncio.TimeoutError:
            raise RequestTimeoutError(
                f"no {self._type!r} message within {self._timeout} s"
            ) from None

    @property
    def value(self) -> _M:
        """The message, once the block has exited (``InvalidStateError`` before)."""
        if self._future is None or not self._future.done():
            raise InvalidStateError(f"the {self._type!r} message has not arrived yet")
        return self._future.result()


__all__ = ["Expectation"]
