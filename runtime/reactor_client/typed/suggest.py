"""A misspelt keyword argument names the one meant: ``model.echo(txt="hi")`` raises
``TypeError: FeatureModel.echo() got an unexpected keyword argument 'txt'; did you mean
'text'?`` (Python's own message has no suggestion before 3.13's for some cases)."""

from __future__ import annotations

import functools
import inspect
import typing

from ..suggestions import check_keywords, did_you_mean

_KEYWORDS = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _checker(
    owner: str, name: str, fn: typing.Callable[..., typing.Any]
) -> typing.Callable[[typing.Mapping[str, typing.Any]], None] | None:
    params = inspect.signature(fn).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return None
    known = [p.name for p in params if p.kind in _KEYWORDS and p.name != "self"]

    def check(kwargs: typing.Mapping[str, typing.Any]) -> None:
        check_keywords(f"{owner}.{name}", kwargs, known)

    return check


def missing_attribute(obj: object, name: str) -> AttributeError:
    """The ``AttributeError`` for ``obj.name``, naming the closest public member
    (``model.on_colour_changed`` → ``did you mean 'on_color_changed'?``)."""
    hint = ""
    if not name.startswith("_"):
        hint = did_you_mean(name, (n for n in dir(type(obj)) if not n.startswith("_")))
    return AttributeError(f"{type(obj).__name__!r} object has no attribute {name!r}{hint}")


def add_suggestions(cls: type) -> None:
    """Wrap the public methods ``cls`` itself defines so that an unknown keyword argument
    raises a ``TypeError`` naming the closest one (signatures, docstrings and coroutine-ness
    are kept)."""
    for name, fn in list(vars(cls).items()):
        if name.startswith("_") or not inspect.isfunction(fn):
            continue
        check = _checker(cls.__name__, name, fn)
        if check is None:
            continue
        setattr(cls, name, _wrap(fn, check))


def _wrap(
    fn: typing.Callable[..., typing.Any],
    check: typing.Callable[[typing.Mapping[str, typing.Any]], None],
) -> typing.Callable[..., typing.Any]:
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(
            self: typing.Any, *args: typing.Any, **kwargs: typing.Any
        ) -> typing.Any:
            check(kwargs)
            return await fn(self, *args, **kwargs)

        return async_wrapper

    @functools.wraps(fn)
    def wrapper(self: typing.Any, *args: typing.Any, **kwargs: typing.Any) -> typing.Any:
        check(kwargs)
        return fn(self, *args, **kwargs)

    return wrapper


__all__ = ["add_suggestions", "missing_attribute"]
