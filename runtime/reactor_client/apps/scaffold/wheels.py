"""Wheels of the app's own dependencies that no package index may have.

A starter project depends on the model's package and ``reactor-client``. When either was
installed from a local build (a directory or a file, not an index: PEP 610's
``direct_url.json`` says so), ``pip install .`` in the project could not find it, so
``new`` builds its wheel into the project's ``wheels/`` and the project depends on that
file (:func:`reactor_client.apps.scaffold.project.use_wheels`). Standard library only:
wheels are built by ``python -m pip wheel``.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from .project import ScaffoldError, Wheel, canonical_name

__all__ = ["build_wheel", "local_source"]


def local_source(distribution: str) -> Path | None:
    """Where ``distribution`` was installed from when that was a local directory or file
    (editable or not); ``None`` when it came from an index or is not installed."""
    try:
        text = importlib.metadata.distribution(distribution).read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        return None
    if not text:
        return None
    try:
        url = str(json.loads(text).get("url", ""))
    except (ValueError, AttributeError):
        return None
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme != "file":
        return None  # a VCS or an https URL: pip can fetch it again
    return Path(urllib.request.url2pathname(parsed.path))


def build_wheel(distribution: str, source: Path) -> Wheel:
    """The wheel of ``distribution`` from ``source``: a wheel file as it is, else what
    ``pip wheel --no-deps`` builds from the directory (or sdist). Raises
    :class:`ScaffoldError` (one line) when that fails."""
    name = canonical_name(distribution)
    if source.is_file() and source.suffix == ".whl":
        return Wheel(name, source.name, source.read_bytes())
    if not source.exists():
        raise ScaffoldError(
            f"{distribution} was installed from {source}, which is gone: reinstall it from a "
            "directory or wheel that exists (pip install PATH), then run new again"
        )
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet"]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")  # no index needed for the build backend
    with tempfile.TemporaryDirectory(prefix="reactor-new-wheel-") as out:
        try:
            result = subprocess.run(
                [*command, "--wheel-dir", out, str(source)],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ScaffoldError(f"cannot build the wheel of {distribution}: {exc}") from None
        built = sorted(Path(out).glob("*.whl"))
        if result.returncode != 0 or len(built) != 1:
            lines = [line for line in (result.stderr or result.stdout).splitlines() if line]
            last = lines[-1].strip() if lines else f"exit code {result.returncode}"
            raise ScaffoldError(
                f"cannot build the wheel of {distribution} from {source} "
                f"(python -m pip wheel): {last}"
            )
        return Wheel(name, built[0].name, built[0].read_bytes())
