"""``reactor_client`` and ``reactor_runtime`` load into one process, in either order (issue 16).

Both register their ``.proto`` files in protobuf's one default descriptor pool; the runtime's are
``reactor_wire/v1/*.proto`` (package ``reactor_wire.v1``), so ours must use another file path and
package, or the second import fails with ``duplicate file name reactor_wire/v1/model.proto``.

reactor-runtime lives only in the server venv (Python 3.12, no aiortc), so the first test runs
there with ``PYTHONPATH=runtime/`` and imports what of ``reactor_client`` needs no aiortc: the
protobuf bindings and the v1 codec. The second runs the full ``import reactor_client`` in this
interpreter next to the runtime's generated ``reactor_wire`` modules (pure Python).
Each order runs in a fresh process: a descriptor pool cannot be emptied.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

RUNTIME_DIR = Path(__file__).resolve().parents[2] / "runtime"
CLIENT_PB = ("common", "control", "data", "media", "model", "platform", "step", "track")
RUNTIME_PB = ("common", "control", "data", "model", "platform", "step", "track")

# Runs under the server interpreter: argv[1] is "client-first" or "runtime-first".
_SERVER_SCRIPT = f"""
import importlib, importlib.util, sys, types

def load_client():
    # reactor_client/__init__.py imports aiortc, which the server venv does not have: register the
    # two parent packages bare, so that only the bindings and the v1 codec execute.
    for name in ("reactor_client", "reactor_client.wire"):
        if name not in sys.modules:
            spec = importlib.util.find_spec(name)
            module = types.ModuleType(name)
            module.__path__ = list(spec.submodule_search_locations)
            sys.modules[name] = module
    for name in {CLIENT_PB!r}:
        importlib.import_module(f"reactor_client.wire.pb.{{name}}_pb2")
    importlib.import_module("reactor_client.wire.v1")

def load_runtime():
    importlib.import_module("reactor_runtime")
    importlib.import_module("reactor_runtime.protocol.v1.codec")
    for name in {RUNTIME_PB!r}:
        importlib.import_module(f"reactor_wire.v1.{{name}}_pb2")

order = [load_client, load_runtime]
for load in order if sys.argv[1] == "client-first" else order[::-1]:
    load()

# Same bytes: what our codec encodes, the runtime's decodes and re-encodes to the very same frame.
from reactor_client.wire.v1 import V1Codec as ClientV1
from reactor_runtime.protocol.base import Channel, Direction
from reactor_runtime.protocol.v1.codec import V1Codec as RuntimeV1

# one key: a Struct is a map, whose entry order the runtime does not serialize deterministically
ours = ClientV1().command("set_prompt", {{"prompt": "hello"}}, None, "data_1")
theirs = RuntimeV1().decode(ours.frame, Channel.DATA, Direction.CLIENT)
assert theirs.command.type == "set_prompt", theirs
assert RuntimeV1().encode(theirs) == (Channel.DATA, ours.frame)
print("ok", theirs.DESCRIPTOR.full_name)
"""

# Runs under this interpreter, with the runtime's generated reactor_wire package on sys.path.
_CLIENT_SCRIPT = f"""
import importlib, sys

def load_client():
    importlib.import_module("reactor_client")
    for name in {CLIENT_PB!r}:
        importlib.import_module(f"reactor_client.wire.pb.{{name}}_pb2")

def load_runtime():
    for name in {RUNTIME_PB!r}:
        importlib.import_module(f"reactor_wire.v1.{{name}}_pb2")

order = [load_client, load_runtime]
for load in order if sys.argv[1] == "client-first" else order[::-1]:
    load()
print("ok")
"""


def _run(python: str | Path, script: str, order: str, pythonpath: list[Path]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONHOME")}
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
    result = subprocess.run(
        [str(python), "-c", script, order], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok"), result.stdout


@pytest.mark.parametrize("order", ["client-first", "runtime-first"])
def test_client_bindings_and_runtime_share_a_process(runtime_python_path: Path, order: str) -> None:
    _run(runtime_python_path, _SERVER_SCRIPT, order, [RUNTIME_DIR])


@pytest.mark.parametrize("order", ["client-first", "runtime-first"])
def test_full_client_and_runtime_bindings_share_a_process(
    runtime_python_path: Path, tmp_path: Path, order: str
) -> None:
    purelib = subprocess.run(
        [str(runtime_python_path), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    runtime_wire = Path(purelib) / "reactor_wire"
    assert (runtime_wire / "v1" / "model_pb2.py").is_file(), runtime_wire
    # only reactor_wire goes on the path: the server venv's compiled packages are for 3.12
    (tmp_path / "reactor_wire").symlink_to(runtime_wire, target_is_directory=True)
    _run(sys.executable, _CLIENT_SCRIPT, order, [tmp_path, RUNTIME_DIR])
