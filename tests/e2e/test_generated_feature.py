"""A package generated from the feature model's schema drives that model on the REAL runtime.

``schemas/feature-model.json`` is what reactor-runtime 3.10.0 renders for the feature
model (typed replies, an upload parameter, an input video track, an output audio track, model
error codes, enums and nested types). The package is generated into a temp dir by the same
pipeline as ``generated/`` and imported like an installed package, so this checks the generated
typed surface against the real server, not against our idea of it.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import av
import pytest
import reactor_client
from harness.server import REPO_ROOT
from runtime._e2e_helpers import SolidColorTrack

from _generated import generated_package

pytestmark = pytest.mark.runtime


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("generated-feature")
    schema = REPO_ROOT / "schemas" / "feature-model.json"
    with generated_package(schema, out, "reactor_models.feature_model") as module:
        yield module


@pytest.fixture
async def model(sdk: ModuleType, feature_server: Any) -> AsyncIterator[Any]:
    async with sdk.FeatureModel(url=feature_server.url, local=True) as m:
        yield m


async def test_typed_replies(sdk: ModuleType, model: Any) -> None:
    echo = await model.echo(text="hello", repeat=3)
    assert isinstance(echo, sdk.Echo)
    assert echo.text == "hello" * 3 and echo.count == 3 and isinstance(echo.count, int)  # 3.0 on the wire

    configured = await model.configure(label="studio", quality=3, tags=["a", "b"])
    assert isinstance(configured, sdk.Configured)
    assert configured.label == "studio" and configured.quality == 3 and configured.tags == ["a", "b"]
    assert configured.mode == "balanced"  # the schema default was sent

    with pytest.raises(reactor_client.CommandValidationError) as info:
        await model.configure(label="studio", quality=7)  # not one of the integer enum values
    assert "configure" in str(info.value) and "quality" in str(info.value)


async def test_upload_parameter_accepts_bytes_path_and_reference(
    sdk: ModuleType, model: Any, tmp_path: Path
) -> None:
    payload = b"\x89PNG fake image bytes" * 50
    digest = hashlib.sha256(payload).hexdigest()

    info = await model.inspect_file(file=payload)
    assert isinstance(info, sdk.FileInfo) and info.sha256 == digest and info.size == len(payload)

    path = tmp_path / "frame.png"
    path.write_bytes(payload)
    info = await model.inspect_file(file=path, note="from a path")
    assert info.sha256 == digest and info.file_name == "frame.png" and info.note == "from a path"

    reference = await model.client.upload(payload, name="again.bin")
    info = await model.inspect_file(file=reference)
    assert info.sha256 == digest and info.file_name == "again.bin"


async def test_model_error_codes_are_typed(model: Any) -> None:
    with pytest.raises(reactor_client.CommandFailedError) as info:
        await model.fail(code="quota_exceeded", message="no more")
    assert info.value.code == "quota_exceeded"
    with pytest.raises(reactor_client.InternalModelError):
        await model.crash()
    assert await model.set_color(red=10, green=20, blue=30) is None  # a 202 command: bodyless ack


async def test_input_track_and_audio_output(sdk: ModuleType, model: Any) -> None:
    await model.publish_webcam(SolidColorTrack((200, 40, 90)))
    assert model.webcam.published
    report = None
    for _ in range(50):
        report = await model.report_input()
        if report.frames_received >= 5 and report.mean_color:
            break
        await asyncio.sleep(0.1)
    assert isinstance(report, sdk.InputReport) and report.frames_received >= 5
    r, g, b = report.mean_color
    assert abs(r - 200) < 20 and abs(g - 40) < 20 and abs(b - 90) < 20
    await model.unpublish_webcam()
    assert not model.webcam.published

    frame = await model.main_audio.next_frame(timeout=10)
    assert isinstance(frame, av.AudioFrame) and frame.sample_rate == 48000
