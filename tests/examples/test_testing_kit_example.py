"""``examples/testing_kit``: a small app with its own pytest tests that use only the
generated fake — run as a user runs them (``pytest examples/testing_kit``), no server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

KIT = Path(__file__).resolve().parents[2] / "examples" / "testing_kit"


def test_the_example_app_tests_pass_on_the_fake_alone() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", str(KIT)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=KIT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout, result.stdout
