"""The blocking twin of an async model method, declared in one line.

A generated ``sync.py`` writes, per command (and ``step``, ``publish_<track>``...)::

    class LongliveV2Model(LongliveV2Listeners, SyncModel[_client.LongliveV2Model]):
        set_shot = blocking(_client.LongliveV2Model.set_shot)

``model.set_shot(prompt="...")`` then runs the async model's ``set_shot`` on the model's loop
thread and returns its result. Type checkers see the async method's exact keywords and its
result type (``ParamSpec``); ``help()`` and :func:`inspect.signature` show the async method's
docstring and parameters; a misspelt keyword names the one meant, as the async method does.
"""

from __future__ import annotations

import functools
import types
import typing

if typing.TYPE_CHECKING:
    from .model import SyncModel

__all__ = ["Blocking", "blocking"]

_P = typing.ParamSpec("_P")
_R = typing.TypeVar("_R")


class Blocking(typing.Generic[_P, _R]):
    """A method of a blocking model that runs ``method`` of its async model (``.aio``)."""

    def __init__(
        self, method: typing.Callable[typing.Concatenate[typing.Any, _P], typing.Awaitable[_R]]
    ) -> None:
        functools.update_wrapper(self, method)  # __doc__, __name__, __wrapped__ (signature)
        self._method_name = method.__name__

    def __set_name__(self, owner: type[typing.Any], name: str) -> None:
        # calls go to the wrapped method's own name on the async model (``shoot =
        # blocking(M.set_shot)`` runs ``aio.set_shot``), whatever the attribute is called
        self.__qualname__ = f"{owner.__qualname__}.{name}"

    def __repr__(self) -> str:
        return f"<blocking {self.__qualname__}>"

    @typing.overload
    def __get__(self, instance: None, owner: type[typing.Any]) -> Blocking[_P, _R]: ...

    @typing.overload
    def __get__(
        self, instance: SyncModel[typing.Any], owner: type[typing.Any]
    ) -> typing.Callable[_P, _R]: ...

    def __get__(self, instance: object | None, owner: type[typing.Any]) -> typing.Any:
        if instance is None:
            return self
        return types.MethodType(self, instance)

    def __call__(self, model: typing.Any, /, *args: typing.Any, **kwargs: typing.Any) -> typing.Any:
        """Run the async model's method on the model's loop thread (``Model.name(model, ...)``
        works too, as for a plain method)."""
        coro = getattr(model.aio, self._method_name)(*args, **kwargs)
        return model._run(coro)


def blocking(
    method: typing.Callable[typing.Concatenate[typing.Any, _P], typing.Awaitable[_R]],
) -> Blocking[_P, _R]:
    """The blocking twin of the async model method ``method`` (see the module docstring)."""
    return Blocking(method)
