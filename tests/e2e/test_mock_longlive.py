"""LongliveV2's stand-in (``python -m reactor_models.longlive_v2 mock``) on the REAL
reactor-runtime, driven by the generated SDK: each of the nine commands, the typed messages
its description says it emits (in order, with the arguments sent where a field has their
name), the served /schema, and the video pattern following the last command.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from harness.server import REPO_ROOT
from harness.stand_in import StandIn
from reactor_models import longlive_v2 as sdk
from test_mock_feature import corner, frame_where, near

from reactor_client.apps.mock.pattern import command_color
from reactor_gen.load import load_model

pytestmark = pytest.mark.runtime

#: command call -> the messages it broadcasts, in order (its description's "Emits", without
#: the `command_error` failure path)
CALLS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("set_seed", {"seed": 7}, []),
    ("set_shot", {"prompt": "A lighthouse at dusk"}, ["scene_cut", "shot_set", "state"]),
    ("start", {}, ["state"]),
    ("pause", {}, ["generation_paused", "state"]),
    ("resume", {}, ["generation_resumed", "state"]),
    ("scene_cut", {"prompt": "A desert road"}, ["scene_cut", "state"]),
    (
        "schedule_scene_cut",
        {"prompt": "A forest", "at_session_chunk": 12},
        ["scene_cut", "scene_cut_scheduled", "state"],
    ),
    ("schedule_shot", {"prompt": "Closer", "at_session_chunk": 9}, ["shot_scheduled", "state"]),
    ("reset", {}, ["generation_reset", "state"]),
]


@pytest.fixture(scope="module")
def stand_in() -> Iterator[StandIn]:
    process = StandIn("longlive_v2", "--size", "160x120")
    try:
        yield process
    finally:
        assert process.interrupt() == 0, process.text()


@pytest.fixture
async def model(stand_in: StandIn) -> AsyncIterator[Any]:
    async with sdk.LongliveV2Model(url=stand_in.url) as m:
        yield m


def test_the_served_schema_is_the_models(stand_in: StandIn, tmp_path: Path) -> None:
    served = tmp_path / "served.json"
    served.write_bytes(httpx.get(f"{stand_in.url}/schema", timeout=10).content)
    original = load_model(REPO_ROOT / "schemas" / "longlive-v2.json").ir
    ir = load_model(served).ir
    assert (ir.commands, ir.messages, ir.tracks) == (
        original.commands,
        original.messages,
        original.tracks,
    )


async def test_every_command_emits_its_typed_messages(model: Any, stand_in: StandIn) -> None:
    received: list[Any] = []

    async def collect() -> None:
        async for message in model.messages():
            received.append(message)

    collector = asyncio.create_task(collect())
    try:
        for name, args, emits in CALLS:
            before = len(received)
            assert await getattr(model, name)(**args) is None  # 202 commands: no reply
            await asyncio.sleep(0.3)  # nothing more than `emits` comes
            got = received[before:]
            assert [m.TYPE for m in got] == emits, (name, got)
            for message in got:  # typed, not UnknownMessage
                assert type(message).__module__ == "reactor_models.longlive_v2.messages"
            for message in got:
                for field in set(args) & set(type(message).model_fields):
                    assert getattr(message, field) == args[field], (name, message)
            stand_in.wait_for_line(f"{name}(")
    finally:
        collector.cancel()

    # a typed waiter sees them too
    await model.set_shot(prompt="A harbour")
    shot = await model.wait_for_shot_set(lambda m: m.prompt == "A harbour", timeout=5)
    assert isinstance(shot, sdk.ShotSet)
    state = await model.wait_for_state(lambda s: s.running, timeout=5)  # the latest counts
    assert isinstance(state, sdk.State) and isinstance(state.scheduled_shots, list)


async def test_the_video_shows_the_last_command(model: Any) -> None:
    for name in ("start", "pause"):
        await getattr(model, name)()
        await frame_where(model.main_video, lambda f, n=name: near(corner(f), command_color(n)))
