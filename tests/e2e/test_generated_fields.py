"""The numeric field shapes of issue 17 and a message with a field called ``name``, round-tripped
through a generated package on the REAL runtime.

``tests/models/fields_model`` declares ``configure`` with an int with choices and bounds
(``batch``), an int whose default is written ``4.0`` (``steps``), a float with choices
(``ratio``) and a bounded float (``gain``), replying with the values and the Python types its
handler received; ``announce`` broadcasts ``announcement``, whose field ``name`` reactor-runtime
3.10 turns into the message's wire type. The package is generated into a temp dir from the
committed schema (``tests/models/fields_model/fields-model.json``) by the same pipeline as
``generated/``.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from _generated import generated_package
from harness.server import MODELS_DIR, RuntimeServer, runtime_python

import reactor_client
from reactor_gen.pipeline import build

pytestmark = pytest.mark.runtime

MODEL_DIR = MODELS_DIR / "fields_model"
SCHEMA = MODEL_DIR / "fields-model.json"


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("generated-fields")
    with generated_package(SCHEMA, out, "reactor_models.fields_model") as module:
        yield module


@pytest.fixture(scope="module")
def fields_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeServer]:
    with RuntimeServer(MODEL_DIR, log_dir=tmp_path_factory.mktemp("fields-logs")) as server:
        yield server


def test_committed_schema_is_what_the_runtime_renders(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    subprocess.run(
        [str(runtime_python()), "-m", "reactor_runtime.schema", "--out", str(out)],
        cwd=MODEL_DIR,
        check=True,
        capture_output=True,
    )
    assert json.loads(out.read_text()) == json.loads(SCHEMA.read_text())


async def next_of_type(messages: Any, wire_type: str, timeout: float = 10) -> Any:
    async def find() -> Any:
        async for msg in messages:
            if getattr(msg, "type", None) == wire_type or getattr(msg, "TYPE", None) == wire_type:
                return msg
        raise AssertionError("messages() ended")

    return await asyncio.wait_for(find(), timeout)


async def test_fields_round_trip_on_the_runtime(
    sdk: ModuleType, fields_server: RuntimeServer
) -> None:
    # the build accepted every shape, and warned about the `name` field
    (warning,) = build(SCHEMA, file=SCHEMA.name).ir.warnings
    assert "/components/schemas/Announcement/properties/name: warning:" in str(warning)

    async with sdk.FieldsModel(url=fields_server.url, local=True) as model:
        # the schema's defaults (steps written 4.0 is the int 4 in the package)
        assert sdk.ConfigureParams().steps == 4 and type(sdk.ConfigureParams().steps) is int
        reply = await model.configure()
        assert isinstance(reply, sdk.Settings)
        assert (reply.batch, reply.steps, reply.ratio, reply.gain) == (4, 4, 1.0, 0.25)

        # every accepted shape reaches the handler typed as declared (an int is a valid float)
        reply = await model.configure(batch=8, steps=7, ratio=0.5, gain=1)
        assert (reply.batch, reply.steps, reply.ratio, reply.gain) == (8, 7, 0.5, 1.0)
        assert reply.kinds == {"batch": "int", "steps": "int", "ratio": "float", "gain": "float"}
        reply = await model.configure(ratio=2)
        assert reply.ratio == 2.0 and reply.kinds["ratio"] == "float"

        # refused before sending, and the runtime refuses the same values itself
        refused = {
            "ratio": (0.7, True, "1.0"),  # a float choice: not a choice, a bool, a string
            "gain": ("0.25", True, 1.5),  # a float: a string, a bool, out of bounds
            "batch": (3, True, 16),  # an int with choices and bounds
            "steps": ("4", True, 4.5),
        }
        for field, values in refused.items():
            for value in values:
                with pytest.raises(
                    reactor_client.CommandValidationError, match=f"^configure: {field}: "
                ) as info:
                    await model.configure(**{field: value})
                assert f"(got {value!r})" in str(info.value)
                with pytest.raises(reactor_client.InvalidCommandError):
                    await model.client.send_command("configure", {field: value})
        with pytest.raises(
            reactor_client.CommandValidationError,
            match=r"configure: ratio: Input should be 0\.5, 1\.0 or 2\.0 \(got 0\.7\)",
        ):
            await model.configure(ratio=0.7)
        reply = await model.configure(batch=2)  # the session is fine after the refusals
        assert reply.batch == 2

        # `announcement` arrives under the value of its field `name` (docs/known-issues.md)
        messages = model.messages()
        await model.announce(label="alice")
        unknown = await next_of_type(messages, "alice")
        assert isinstance(unknown, sdk.UnknownMessage)
        assert unknown.data == {"name": "alice", "count": 1} and unknown.error is None
        assert model.client.latest_message("announcement") is None
