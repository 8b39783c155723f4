"""The LongliveV2 simulator's rendered schema yields the same IR as ``schemas/longlive-v2.json``.

The simulator is rendered by the vendor's own renderer (``python -m reactor_runtime.schema`` in
the server venv), so this proves our committed schema, our loader and the real runtime agree on
the surface the generated package is built from.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
from pathlib import Path

import pytest
from harness.server import LONGLIVE_SIM_DIR

from reactor_gen.load import load_model

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.runtime


def test_rendered_simulator_schema_has_the_committed_surface(runtime_python_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "longlive-v2.json"
    subprocess.run(
        [str(runtime_python_path), "-m", "reactor_runtime.schema", "--out", str(out)],
        cwd=LONGLIVE_SIM_DIR,
        check=True,
        capture_output=True,
        timeout=120,
    )
    rendered = load_model(out).ir
    committed = load_model(REPO / "schemas" / "longlive-v2.json").ir
    assert json.loads(out.read_text())["info"]["title"] == "longlive-v2"
    # Everything but the version the renderer stamps (v0.0.0 by default) must be identical.
    assert dataclasses.replace(rendered, version=committed.version) == committed
    assert rendered.commands == committed.commands
    assert rendered.messages == committed.messages
