"""Typed listener and waiter declarations, written once per message for a generated model
and its blocking twin.

A generated package declares, per message::

    class LongliveV2Listeners:
        on_state = _typed.Listener("state", _messages.State)
        wait_for_state = _typed.Waiter("state", _messages.State)

and both ``LongliveV2Model`` (async) and ``sync.LongliveV2Model`` (blocking) inherit them:

* ``model.on_state(callback)`` registers ``callback(message: State)`` and returns a
  :class:`reactor_client.Subscription`; ``@model.on_state()`` is the decorator form (it
  returns the function unchanged). On the blocking model the callback runs on the model's
  loop thread.
* ``model.wait_for_state(predicate=None, *, timeout=None)`` is the next ``State`` (awaited on
  the async model, returned on the blocking one); see :meth:`ModelClient._wait_for` for which
  message counts.

Type checkers see the exact types through the overloads of ``__get__``; at run time a misspelt
keyword names the one meant, as for generated methods.
"""

from __future__ import annotations

import inspect
import typing

from ..session.dispatch import Subscription
from ..suggestions import check_keywords

if typing.TYPE_CHECKING:
    from ..sync.model import SyncModel
    from .model import ModelClient

__all__ = ["AsyncWaiterCall", "BlockingWaiterCall", "Listener", "ListenerCall", "Waiter"]

_M = typing.TypeVar("_M")
_M_co = typing.TypeVar("_M_co", covariant=True)
_F = typing.TypeVar("_F", bound=typing.Callable[..., typing.Any])


class ListenerCall(typing.Protocol[_M_co]):
    """``model.on_<message>``: call it with a callback, or use ``@model.on_<message>()``."""

    @typing.overload
    def __call__(self, callback: typing.Callable[[_M_co], typing.Any]) -> Subscription: ...

    @typing.overload
    def __call__(self, callback: None = None) -> typing.Callable[[_F], _F]: ...


class AsyncWaiterCall(typing.Protocol[_M_co]):
    """``model.wait_for_<message>`` of the async model."""

    def __call__(
        self,
        predicate: typing.Callable[[_M_co], bool] | None = None,
        *,
        timeout: float | None = None,
    ) -> typing.Coroutine[typing.Any, typing.Any, _M_co]: ...


class BlockingWaiterCall(typing.Protocol[_M_co]):
    """``model.wait_for_<message>`` of the blocking model."""

    def __call__(
        self,
        predicate: typing.Callable[[_M_co], bool] | None = None,
        *,
        timeout: float | None = None,
    ) -> _M_co: ...


_P = inspect.Parameter
_LISTENER_SIGNATURE = inspect.Signature(
    [_P("callback", _P.POSITIONAL_OR_KEYWORD, default=None)]
)  # returns a Subscription, or (no callback) a decorator
_WAITER_SIGNATURE = inspect.Signature(
    [
        _P("predicate", _P.POSITIONAL_OR_KEYWORD, default=None),
        _P("timeout", _P.KEYWORD_ONLY, default=None, annotation="float | None"),
    ]
)


class _Declared(typing.Generic[_M]):
    """What a listener and a waiter declaration share: the wire type, the message class and
    the attribute name."""

    def __init__(self, wire_type: str, cls: type[_M]) -> None:
        self.wire_type = wire_type
        self.cls = cls
        self.name = ""

    def __set_name__(self, owner: type[typing.Any], name: str) -> None:
        self.name = name
        self.__doc__ = self._doc()

    def _doc(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} ({self.wire_type!r} → {self.cls.__name__})>"

    _keywords: typing.ClassVar[tuple[str, ...]]
    """The call's parameters; the first may also be passed by position."""
    _signature: typing.ClassVar[inspect.Signature]

    def _bind(self, instance: object | None) -> typing.Any:
        """``__get__``: the declaration itself on the class, else the call bound to the
        model (named, documented and signed like a method)."""
        if instance is None:
            return self
        model = typing.cast("_Subscriber", instance)
        qualname = f"{type(instance).__name__}.{self.name}"
        first, known = self._keywords[0], self._keywords

        def call(value: typing.Any = None, **kwargs: typing.Any) -> typing.Any:
            check_keywords(qualname, kwargs, known)
            return self._invoke(model, kwargs.pop(first, value), kwargs)

        call.__name__ = self.name
        call.__qualname__ = qualname
        call.__doc__ = self._doc()
        call.__signature__ = self._signature  # type: ignore[attr-defined]
        return call

    def _invoke(
        self, model: _Subscriber, first: typing.Any, kwargs: dict[str, typing.Any]
    ) -> typing.Any:
        raise NotImplementedError


class Listener(_Declared[_M]):
    """Declares ``on_<message>`` for the message class ``cls`` sent as ``wire_type``."""

    _keywords = ("callback",)
    _signature = _LISTENER_SIGNATURE

    def _doc(self) -> str:
        return (
            f"Call ``callback(message)`` for every ``{self.wire_type}`` message "
            f"(:class:`{self.cls.__name__}`); returns a :class:`reactor_client.Subscription` "
            f"(call it to unsubscribe). As a decorator, ``@model.{self.name}()`` registers "
            "the function and returns it unchanged. On a blocking model the callback runs on "
            "the model's loop thread."
        )

    @typing.overload
    def __get__(self, instance: None, owner: type[typing.Any]) -> Listener[_M]: ...

    @typing.overload
    def __get__(self, instance: object, owner: type[typing.Any]) -> ListenerCall[_M]: ...

    def __get__(self, instance: object | None, owner: type[typing.Any]) -> typing.Any:
        return self._bind(instance)

    def _invoke(
        self, model: _Subscriber, callback: typing.Any, kwargs: dict[str, typing.Any]
    ) -> typing.Any:
        if callback is not None:
            return model._typed_subscribe(self.wire_type, self.cls, callback)

        def register(fn: typing.Any) -> typing.Any:
            model._typed_subscribe(self.wire_type, self.cls, fn)
            return fn

        return register


class Waiter(_Declared[_M]):
    """Declares ``wait_for_<message>`` for the message class ``cls`` sent as ``wire_type``."""

    _keywords = ("predicate", "timeout")
    _signature = _WAITER_SIGNATURE

    def _doc(self) -> str:
        return (
            f"The next ``{self.wire_type}`` message (:class:`{self.cls.__name__}`); with "
            "``predicate``, the first one that matches, counting the latest one already "
            "received (so one sent just before this call is not missed). Raises "
            ":class:`reactor_client.RequestTimeoutError` (a ``TimeoutError``) after "
            "``timeout`` seconds. Awaited on the async model, returned on a blocking one."
        )

    @typing.overload
    def __get__(self, instance: None, owner: type[typing.Any]) -> Waiter[_M]: ...

    @typing.overload
    def __get__(
        self, instance: SyncModel[typing.Any], owner: type[typing.Any]
    ) -> BlockingWaiterCall[_M]: ...

    @typing.overload
    def __get__(
        self, instance: ModelClient[typing.Any], owner: type[typing.Any]
    ) -> AsyncWaiterCall[_M]: ...

    def __get__(self, instance: object | None, owner: type[typing.Any]) -> typing.Any:
        return self._bind(instance)

    def _invoke(
        self, model: _Subscriber, predicate: typing.Any, kwargs: dict[str, typing.Any]
    ) -> typing.Any:
        return model._typed_wait(self.wire_type, self.cls, predicate, kwargs.get("timeout"))


class _Subscriber(typing.Protocol):
    """What a model offers the declarations (``ModelClient`` and ``SyncModel`` both do)."""

    def _typed_subscribe(
        self, wire_type: str, cls: type[typing.Any], callback: typing.Callable[..., typing.Any]
    ) -> Subscription: ...

    def _typed_wait(
        self,
        wire_type: str,
        cls: type[typing.Any],
        predicate: typing.Callable[..., bool] | None,
        timeout: float | None,
    ) -> typing.Any: ...
