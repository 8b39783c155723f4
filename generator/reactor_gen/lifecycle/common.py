"""Shared bits of the lifecycle commands: errors, the repository layout, atomic writes,
model names, version tags and secret redaction."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "LifecycleError",
    "Layout",
    "atomic_write_bytes",
    "check_model_name",
    "dump_schema",
    "find_root",
    "redact",
    "release_tag",
]

_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_TAG_RE = re.compile(r"v?\d+\.\d+\.\d+(?:-g[0-9a-f]+)?")


class LifecycleError(Exception):
    """A user-facing failure: printed as one line, never as a traceback.

    ``exit_code`` is what the CLI exits with (1 unless a command documents otherwise).
    """

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Layout:
    """Where a reactor-gen checkout keeps things."""

    root: Path

    @property
    def schemas(self) -> Path:
        return self.root / "schemas"

    @property
    def generated(self) -> Path:
        return self.root / "generated"

    @property
    def runtime(self) -> Path:
        return self.root / "runtime"

    def schema_path(self, name: str) -> Path:
        return self.schemas / f"{check_model_name(name)}.json"

    def package_dir(self, name: str) -> Path:
        return self.generated / check_model_name(name)

    def model_names(self) -> list[str]:
        """Every model with a ``schemas/<name>.json``, sorted."""
        if not self.schemas.is_dir():
            return []
        return sorted(p.stem for p in self.schemas.glob("*.json") if p.is_file())


def find_root(start: Path | None = None) -> Path:
    """The checkout root: env ``REACTOR_GEN_ROOT``, else the nearest directory at or
    above ``start`` (default: the working directory) that has a ``schemas/`` folder."""
    configured = os.environ.get("REACTOR_GEN_ROOT", "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "schemas").is_dir():
            return candidate
    raise LifecycleError(
        f"no schemas/ directory at or above {here}; run inside a reactor-gen checkout "
        "or set REACTOR_GEN_ROOT"
    )


def check_model_name(name: str) -> str:
    """Reject names that are not plain file stems (``longlive-v2``)."""
    if not _NAME_RE.fullmatch(name):
        raise LifecycleError(f"invalid model name {name!r}: use letters, digits, '.', '_' or '-'")
    return name


def release_tag(version: str) -> str:
    """``1.2.3`` / ``v1.2.3`` / ``1.2.3-gabc`` → the renderer's tag form ``v1.2.3``."""
    value = version.strip()
    if not _TAG_RE.fullmatch(value):
        raise LifecycleError(
            f"invalid version {version!r}: expected X.Y.Z or X.Y.Z-g<hex>, optional 'v'"
        )
    return value if value.startswith("v") else f"v{value}"


def dump_schema(document: Any) -> bytes:
    """A schema as written to ``schemas/``: indent 2, UTF-8, trailing newline."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory + rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every non-empty secret in ``text`` with ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
