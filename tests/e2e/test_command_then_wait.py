"""The command-then-wait race (issue 19), on the REAL runtime over both codecs.

``await model.cmd(); await model.wait_for_x()`` — the two lines every README shows — must
return the message the command caused, though over v1 its broadcast arrives before the
command's acknowledgement. ``model.expect(...)`` is the form that cannot race at all."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from harness.server import LONGLIVE_SIM_DIR, RuntimeServer

from reactor_models.feature_model import FeatureModel
from reactor_models.feature_model.messages import ColorChanged, InputReport
from reactor_models.longlive_v2 import LongliveV2Model

pytestmark = pytest.mark.runtime


@pytest.fixture(params=["v1", "v0"])
async def feature(request: pytest.FixtureRequest, feature_server: RuntimeServer) -> AsyncIterator[FeatureModel]:
    async with FeatureModel(url=feature_server.url, codec=request.param) as model:
        assert model.client.codec == request.param
        yield model


async def test_the_natural_two_lines_return_what_the_command_caused(feature: FeatureModel) -> None:
    for rgb in ([255, 0, 0], [0, 255, 0], [0, 0, 255]):
        await feature.set_color(red=rgb[0], green=rgb[1], blue=rgb[2])
        changed = await feature.wait_for_color_changed(timeout=10)
        assert changed.rgb == rgb and changed.source == "command"
    # the message is returned once: waiting again without a command takes the next one
    with pytest.raises(TimeoutError):
        await feature.wait_for_color_changed(timeout=1.0)


async def test_a_reply_wins_over_a_periodic_broadcast_of_its_type(feature: FeatureModel) -> None:
    """input_report is broadcast every 0.5 s and is also report_input's reply: the waiter
    returns the reply (v1 correlates it), or on v0 the first report after the command."""
    for _ in range(3):
        await feature.report_input()
        report = await feature.wait_for_input_report(timeout=10)
        assert isinstance(report, InputReport)


async def test_expect_registers_before_sending(feature: FeatureModel) -> None:
    async with feature.expect(ColorChanged, lambda m: m.rgb == [9, 9, 9], timeout=10) as changed:
        await feature.set_color(red=9, green=9, blue=9)
    assert changed.value.rgb == [9, 9, 9]
    # concurrent commands, each with its own expectation
    async with feature.expect(ColorChanged, lambda m: m.rgb == [1, 1, 1]) as one, feature.expect(
        ColorChanged, lambda m: m.rgb == [2, 2, 2]
    ) as two:
        await asyncio.gather(
            feature.set_color(red=1, green=1, blue=1), feature.set_color(red=2, green=2, blue=2)
        )
    assert (one.value.rgb, two.value.rgb) == ([1, 1, 1], [2, 2, 2])


@pytest.fixture(scope="module")
def sim_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeServer]:
    with RuntimeServer(LONGLIVE_SIM_DIR, log_dir=tmp_path_factory.mktemp("race")) as server:
        yield server


@pytest.mark.parametrize("codec", ["v1", "v0"])
async def test_longlive_pause_then_wait_for_generation_paused(sim_server: RuntimeServer, codec: str) -> None:
    """The seed's LongliveV2 flow: pause, then wait for generation_paused."""
    async with LongliveV2Model(url=sim_server.url, codec=codec) as model:  # type: ignore[arg-type]
        await model.set_shot(prompt="A sunset over the ocean")
        await model.start()
        await model.wait_for_generation_started(timeout=30)
        await model.pause()
        paused = await model.wait_for_generation_paused(timeout=10)
        assert paused is not None
        await model.resume()
        await model.wait_for_generation_resumed(timeout=10)


def test_the_blocking_twin_has_the_same_semantics(feature_server: RuntimeServer) -> None:
    from reactor_models.feature_model.sync import FeatureModel as Blocking

    with Blocking(url=feature_server.url) as model:
        model.set_color(red=7, green=7, blue=7)
        assert model.wait_for_color_changed(timeout=10).rgb == [7, 7, 7]
        with model.expect(ColorChanged, lambda m: m.rgb == [8, 8, 8]) as changed:
            model.set_color(red=8, green=8, blue=8)
        assert changed.value.rgb == [8, 8, 8]
