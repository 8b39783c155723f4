"""The LongliveV2 simulator renders exactly the surface of ``schemas/longlive-v2.json``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from harness.server import LONGLIVE_SIM_DIR, REPO_ROOT, runtime_python


def render_schema(model_dir: Path) -> dict[str, Any]:
    """Render a model's schema with the real runtime (``python -m reactor_runtime.schema``)."""
    result = subprocess.run(
        [str(runtime_python()), "-m", "reactor_runtime.schema"],
        cwd=model_dir,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def normalise(document: dict[str, Any]) -> dict[str, Any]:
    """Sort keys (order may differ) and drop ``info.version``."""
    normalised: dict[str, Any] = json.loads(json.dumps(document, sort_keys=True))
    normalised.get("info", {}).pop("version", None)
    return normalised


def test_simulator_schema_matches_longlive_v2() -> None:
    rendered = normalise(render_schema(LONGLIVE_SIM_DIR))
    expected = normalise(json.loads((REPO_ROOT / "schemas" / "longlive-v2.json").read_text()))
    assert rendered == expected


def test_simulator_commands_have_no_return_type() -> None:
    rendered = render_schema(LONGLIVE_SIM_DIR)
    for path, item in rendered["paths"].items():
        assert list(item["post"]["responses"]) == ["202"], path
