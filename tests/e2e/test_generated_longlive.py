"""The generated LongliveV2 SDK drives the LongliveV2 simulator served by the REAL reactor-runtime.

This is the product's main path end to end: ``generated/longlive-v2`` (committed golden output)
imported as a user would, against ``tests/models/longlive_v2_sim`` on reactor-runtime 3.10.0.
Frame colours encode (scene, chunk), so scene changes are asserted on pixels.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import reactor_client
from harness.colors import decode_frame
from harness.server import RuntimeServer

from reactor_models.longlive_v2 import (
    MODEL_NAME,
    ChunkComplete,
    GenerationComplete,
    LongliveV2Model,
    SceneCut,
    State,
    UnknownMessage,
)
from reactor_models.longlive_v2 import CommandError as CommandErrorMessage

pytestmark = pytest.mark.runtime

TOTAL_CHUNKS = 14


@pytest.fixture(scope="module")
def sim_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeServer]:
    """A simulator with a short run so generation_complete is reached quickly."""
    from harness.server import LONGLIVE_SIM_DIR

    log_dir = tmp_path_factory.mktemp("e2e-longlive")
    with RuntimeServer(
        LONGLIVE_SIM_DIR, env={"SIM_TOTAL_CHUNKS": str(TOTAL_CHUNKS)}, log_dir=log_dir
    ) as server:
        yield server


@pytest.fixture(params=["v1", "v0"])
async def model(request: pytest.FixtureRequest, sim_server: RuntimeServer) -> AsyncIterator[LongliveV2Model]:
    async with LongliveV2Model(url=sim_server.url, local=True, codec=request.param) as m:
        yield m


async def test_readme_usage_end_to_end(model: LongliveV2Model) -> None:
    """The issue's usage example, as written, plus pixel checks of a scheduled scene cut."""
    assert model.client.codec in ("v0", "v1")
    states: list[State] = []
    unsubscribe = model.on_state(lambda s: states.append(s))

    await model.set_shot(prompt="A sunset over the ocean")
    await model.start()
    await model.schedule_scene_cut(prompt="A city at night", at_session_chunk=3)
    state = await model.wait_for_state(lambda s: s.session_chunk >= 2, timeout=30)
    assert isinstance(state, State)
    assert isinstance(state.session_chunk, int) and state.session_chunk >= 2  # 2.0 on the wire
    assert state.running and state.started and state.has_prompt
    assert 3 in state.scheduled_scene_cuts or state.session_chunk >= 3

    cut = await model.wait_for_scene_cut(timeout=30)
    assert isinstance(cut, SceneCut)
    assert cut.prompt == "A city at night" and cut.at_session_chunk == 3

    # After the cut, frames show scene 1.
    scenes: set[int] = set()
    async for rgb in model.main_video.ndarrays():
        decoded = decode_frame(rgb)
        if decoded is not None:
            scenes.add(decoded[0])
        if 1 in scenes:
            break
    assert 1 in scenes

    unsubscribe()
    count = len(states)
    await model.wait_for_chunk_complete(timeout=10)
    await asyncio.sleep(0.3)
    assert len(states) == count, "the listener was unsubscribed"
    assert all(isinstance(s, State) for s in states)


async def test_hard_scene_cut_restarts_current_chunk(model: LongliveV2Model) -> None:
    await model.set_shot(prompt="first scene")
    await model.start()
    await model.wait_for_state(lambda s: s.current_chunk >= 2, timeout=30)
    await model.scene_cut(prompt="second scene")
    cut = await model.wait_for_scene_cut(lambda m: m.prompt == "second scene", timeout=30)
    after = await model.wait_for_state(lambda s: s.current_prompt == "second scene", timeout=30)
    assert after.current_chunk <= 1
    assert after.session_chunk >= cut.at_session_chunk >= 2


async def test_refusals_are_typed(model: LongliveV2Model) -> None:
    errors: list[CommandErrorMessage] = []
    model.on_command_error(errors.append)
    if model.client.codec == "v1":
        with pytest.raises(reactor_client.CommandFailedError) as info:
            await model.pause()  # not generating
        assert info.value.code == "not_generating"
        with pytest.raises(reactor_client.CommandFailedError) as info:
            await model.start()  # no shot yet
        assert info.value.code == "no_shot"
    else:
        assert await model.pause() is None  # v0: fire and forget
    for _ in range(50):  # the broadcast may land just before or just after the reply
        if any(e.command == "pause" for e in errors):
            break
        await asyncio.sleep(0.1)
    refusal = next(e for e in errors if e.command == "pause")
    assert isinstance(refusal, CommandErrorMessage) and refusal.reason


async def test_generation_complete_locks_until_reset(model: LongliveV2Model) -> None:
    await model.set_shot(prompt="short run")
    await model.start()
    done = await model.wait_for_generation_complete(timeout=60)
    assert isinstance(done, GenerationComplete) and done.total_chunks == TOTAL_CHUNKS
    if model.client.codec == "v1":
        with pytest.raises(reactor_client.CommandFailedError) as info:
            await model.set_shot(prompt="again")
        assert info.value.code == "run_complete"
    await model.reset()
    reset_state = await model.wait_for_state(lambda s: not s.started and not s.has_prompt, timeout=10)
    assert reset_state.session_chunk == 0


async def test_typed_message_stream(model: LongliveV2Model) -> None:
    stream = model.messages()
    await model.set_shot(prompt="streamed")
    await model.start()
    kinds: set[type[Any]] = set()
    async for message in stream:
        kinds.add(type(message))
        assert not isinstance(message, UnknownMessage), message
        if ChunkComplete in kinds and State in kinds:
            break
    assert {ChunkComplete, State} <= kinds


async def test_invalid_arguments_never_reach_the_wire(sim_server: RuntimeServer) -> None:
    """Validation happens before sending: it fails the same way with no connection at all."""
    model = LongliveV2Model(url=sim_server.url, local=True)
    assert model.status == reactor_client.Status.DISCONNECTED
    with pytest.raises(reactor_client.CommandValidationError) as info:
        await model.set_seed(seed=-1)
    text = str(info.value)
    assert "set_seed" in text and "seed" in text and "0" in text
    with pytest.raises(reactor_client.CommandValidationError):
        await model.schedule_shot(prompt=3, at_session_chunk=1)  # type: ignore[arg-type]
    with pytest.raises(reactor_client.InvalidStateError):
        await model.set_seed(seed=7)  # valid, but not connected


async def test_connect_ts_style(sim_server: RuntimeServer) -> None:
    model = LongliveV2Model(url=sim_server.url, local=True)
    await model.connect()
    try:
        assert model.status == reactor_client.Status.READY
        assert MODEL_NAME == "longlive-v2"
        frame = await model.main_video.next_frame(timeout=10)
        assert frame.width == 64 and frame.height == 64
    finally:
        await model.disconnect()
    assert model.status == reactor_client.Status.DISCONNECTED
