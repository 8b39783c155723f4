"""The stand-in's commands in each generated README ("An offline stand-in for the model") and in
the root README ("Testing your app") run as printed, on the REAL reactor-runtime: the ``mock``
command line with the README's examples file, then the model class connects to it, the command
the examples file makes fail fails with its code, and the periodic message arrives.

Only the port changes (8080 → a free one, read from the first line). The ``pip install`` line
is not run: the machine has no index with the model's package (the dev venv has it installed,
and the stand-in runs under ``REACTOR_RUNTIME_PYTHON``, the server venv, as the README says
Python 3.10/3.11 users do).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import re
import shlex
import sys
from pathlib import Path

import pytest
from harness.server import REPO_ROOT
from harness.stand_in import StandIn

import reactor_client

pytestmark = pytest.mark.runtime

PACKAGES = sorted(p.name for p in (REPO_ROOT / "generated").iterdir() if p.is_dir())
FENCE = re.compile(r"```(\w+)\n(.*?)```", re.S)


def blocks(text: str, lang: str) -> list[str]:
    return [body for kind, body in FENCE.findall(text) if kind == lang]


def command_lines(bash: str) -> list[list[str]]:
    """The commands of a bash block, but comments and ``pip install``."""
    lines = [line.split("#", 1)[0].strip() for line in bash.splitlines()]
    return [shlex.split(line) for line in lines if line and not line.startswith("pip install")]


def run_mock(argv: list[str], cwd: Path) -> StandIn:
    assert "--port" in argv and argv[argv.index("--port") + 1] == "8080", argv
    i = argv.index("--port")
    argv = argv[:i] + argv[i + 2 :]  # StandIn passes --port 0
    executable = sys.executable if argv[0] in ("python", ".venv/bin/python") else argv[0]
    return StandIn("", command=[executable, *argv[1:]], cwd=cwd)


@pytest.mark.parametrize("name", PACKAGES)
async def test_the_generated_readmes_stand_in_runs(name: str, tmp_path: Path) -> None:
    readme = (REPO_ROOT / "generated" / name / "README.md").read_text(encoding="utf-8")
    section = readme.split("### An offline stand-in for the model", 1)[1].split("\n## ", 1)[0]
    (bash,) = blocks(section, "bash")
    (examples_text,) = blocks(section, "json")
    examples = json.loads(examples_text)
    (tmp_path / "examples.json").write_text(examples_text, encoding="utf-8")
    (argv,) = command_lines(bash)
    package = argv[2]
    assert argv[:2] == ["python", "-m"] and argv[3] == "mock"
    sdk = importlib.import_module(package)
    model_class = next(getattr(sdk, n) for n in sdk.__all__ if n.endswith("Model"))
    assert f"{model_class.__name__}(local=True)" in section
    with run_mock(argv, tmp_path) as stand_in:
        async with model_class(url=stand_in.url) as model:
            assert model.status.value == "ready"
            ((command, entry),) = examples["commands"].items()
            with pytest.raises(reactor_client.CommandFailedError) as info:
                await model.client.send_command(command, {})
            assert info.value.code == entry["error"]["code"]
            ((message, _seconds),) = examples["periodic"].items()
            ((field, value),) = examples["messages"][message].items()
            got = await model.client.wait_for_message(message, timeout=5)
            assert got.data[field] == value
        assert stand_in.interrupt() == 0


async def test_the_root_readmes_stand_in_runs(tmp_path: Path) -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Testing your app", 1)[1].split("Minting a token", 1)[0]
    (bash,) = blocks(section, "bash")
    (argv,) = command_lines(bash)
    from reactor_models.feature_model import FeatureModel

    with run_mock(argv, REPO_ROOT) as stand_in:
        async with FeatureModel(url=stand_in.url) as model:
            echo = await model.echo(text="offline")
            assert echo.text == "offline"
            await asyncio.sleep(0)
        assert stand_in.interrupt() == 0
