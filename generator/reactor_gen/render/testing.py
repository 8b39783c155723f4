"""The test kit's view: per command its params class, its reply class and a schema-valid
example reply (what a generated fake answers when the test scripted nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from reactor_gen.ir.model import Message
from reactor_gen.render.examples import example_payload
from reactor_gen.render.filters import py_value
from reactor_gen.render.views import ModelView

__all__ = ["FakeCommandView", "TestingView", "build_testing_view"]


@dataclass(frozen=True)
class FakeCommandView:
    name: str
    params_class: str
    reply_class: str
    reply_example: str
    """A Python literal of the example reply's wire data ("" without a reply)."""


@dataclass(frozen=True)
class TestingView:
    fake_class: str
    commands: tuple[FakeCommandView, ...]


def _example_reply(message: Message) -> str:
    return py_value(example_payload(message))


def build_testing_view(view: ModelView) -> TestingView:
    """What ``testing/__init__.py`` and ``testing/sync.py`` need from the model's view."""
    commands = []
    for c in view.commands:
        reply = view.ir.message(c.command.reply) if c.command.reply else None
        commands.append(
            FakeCommandView(
                name=c.name,
                params_class=c.params.class_name,
                reply_class=c.reply_class,
                reply_example=_example_reply(reply) if reply is not None else "",
            )
        )
    return TestingView(fake_class=view.ir.names.fake_class, commands=tuple(commands))
