"""A small app on the feature model, written against the real model class.

``warm_up`` asks for a colour and waits until the model confirms it; ``brightness`` reads
the mean brightness of the next frame. ``test_color_app.py`` tests both with the generated
fake only — no runtime, no GPU, no network. Run them with ``pytest examples/testing_kit``.
"""

from __future__ import annotations

from reactor_models.feature_model import FeatureModel
from reactor_models.feature_model.messages import ColorChanged


async def warm_up(model: FeatureModel, rgb: tuple[int, int, int]) -> ColorChanged:
    """Set the colour and return the model's confirmation (a waiter with a predicate also
    counts the latest message, so a confirmation that arrived before the command's
    acknowledgement is not missed)."""
    red, green, blue = rgb
    await model.set_color(red=red, green=green, blue=blue)
    return await model.wait_for_color_changed(lambda m: m.rgb == [red, green, blue], timeout=5)


async def brightness(model: FeatureModel) -> float:
    """Mean brightness (0-255) of the next frame of ``main_video``."""
    frame = await model.main_video.next_frame(timeout=5)
    return float(frame.to_ndarray(format="rgb24").mean())
