"""Tests of ``color_app`` that use only the generated fake (``reactor_models.feature_model.testing``)."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest
from color_app import brightness, warm_up
from reactor_models.feature_model import FeatureModel
from reactor_models.feature_model.messages import ColorChanged
from reactor_models.feature_model.testing import FakeFeatureModel

from reactor_client import CommandFailedError
from reactor_client.testing import CommandError


def test_warm_up_sends_the_colour_and_returns_the_confirmation() -> None:
    async def scenario() -> None:
        async with FakeFeatureModel() as model:
            # when the app sets a colour, the model reports it changed
            model.on_command(
                "set_color",
                lambda p: [ColorChanged(rgb=[p.red, p.green, p.blue], source="command")],
            )
            confirmed = await warm_up(model, (255, 0, 0))
            assert confirmed.rgb == [255, 0, 0]
            model.assert_command("set_color", red=255, green=0, blue=0)

    asyncio.run(scenario())


def test_warm_up_surfaces_a_busy_model() -> None:
    async def scenario() -> None:
        async with FakeFeatureModel() as model:
            model.fail_command("set_color", "model_busy", "warming up")
            with pytest.raises(CommandFailedError, match="warming up"):
                await warm_up(model, (0, 0, 0))

    asyncio.run(scenario())


def test_brightness_reads_the_next_frame(reactor_fake: Any) -> None:
    async def scenario() -> None:
        fake = reactor_fake(FeatureModel)  # the pytest fixture of reactor-client
        async with fake as model:
            reading = asyncio.ensure_future(brightness(model))
            await asyncio.sleep(0.01)
            model.push_frame("main_video", np.full((48, 64, 3), 90, np.uint8))
            assert await reading == pytest.approx(90.0)

    asyncio.run(scenario())


def test_an_unknown_command_error_code_still_fails_typed() -> None:
    async def scenario() -> None:
        async with FakeFeatureModel() as model:

            def refuse(params: Any) -> None:
                raise CommandError("out_of_colours")

            model.on_command("set_color", refuse)
            with pytest.raises(CommandFailedError) as info:
                await model.set_color(red=1, green=1, blue=1)
            assert info.value.code == "out_of_colours"

    asyncio.run(scenario())
