"""The pytest plugin of ``reactor-client`` (entry point ``pytest11``): the ``reactor_fake``
fixture builds the fake of any generated model class.

    def test_app_starts_generation(reactor_fake):
        fake = reactor_fake(LongliveV2Model)          # a FakeLongliveV2Model (not connected)

A blocking model class (``reactor_models.<m>.sync.<Prefix>Model``) gives its blocking fake.
Fakes the fixture made are closed when the test ends (blocking ones) — async ones hold no
outside resources. Nothing here imports pydantic or a model until the fixture is used.
"""

from __future__ import annotations

import importlib
import typing
from collections.abc import Callable, Iterator

import pytest


def fake_class(model_class: type[typing.Any]) -> type[typing.Any]:
    """``Fake<Name>`` from the package's ``testing`` module (``testing.sync`` for a blocking
    class) for a generated model class."""
    module = model_class.__module__
    package, _, leaf = module.rpartition(".")
    blocking = leaf == "sync"
    if not package.startswith("reactor_models."):
        raise TypeError(f"{model_class.__name__} is not a generated reactor_models model class")
    target = f"{package}.testing.sync" if blocking else f"{package}.testing"
    try:
        testing = importlib.import_module(target)
    except ModuleNotFoundError as exc:
        raise TypeError(
            f"{package} has no test kit ({target}); regenerate it with reactor-gen"
        ) from exc
    fake = getattr(testing, f"Fake{model_class.__name__}", None)
    if fake is None:
        raise TypeError(f"{target} has no Fake{model_class.__name__}")
    return typing.cast("type[typing.Any]", fake)


@pytest.fixture
def reactor_fake() -> Iterator[Callable[..., typing.Any]]:
    """A factory: ``reactor_fake(ModelClass, **options)`` → its fake (not connected yet)."""
    made: list[typing.Any] = []

    def make(model_class: type[typing.Any], **options: typing.Any) -> typing.Any:
        fake = fake_class(model_class)(**options)
        made.append(fake)
        return fake

    yield make
    for fake in made:
        close = getattr(fake, "close", None)
        if callable(close):
            close()


__all__ = ["fake_class", "reactor_fake"]
