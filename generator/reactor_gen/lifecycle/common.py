"""Shared bits of the lifecycle commands: version tags, schema dumps, secret redaction,
and (re-exported) the error type, the repository layout and the atomic write."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from reactor_gen.errors import UserError
from reactor_gen.layout import Layout, check_model_name, find_root
from reactor_gen.write import atomic_write_bytes

__all__ = [
    "LifecycleError",
    "Layout",
    "atomic_write_bytes",
    "check_model_name",
    "dump_schema",
    "find_root",
    "git",
    "redact",
    "release_tag",
    "run_command",
]

_TAG_RE = re.compile(r"v?\d+\.\d+\.\d+(?:-g[0-9a-f]+)?")


LifecycleError = UserError
"""The lifecycle commands' name for :class:`reactor_gen.errors.UserError` (one type)."""


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


def run_command(
    command: Sequence[str],
    *,
    what: str,
    secrets: Sequence[str | None] = (),
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 600.0,
    text: bool = True,
) -> subprocess.CompletedProcess[Any]:
    """Run ``command``; a failure to start, a timeout or a non-zero exit becomes one
    :class:`LifecycleError` line (``<what> failed: <the most telling output line>``) with
    ``secrets`` redacted. The one way lifecycle code runs a tool (git, build, twine...)."""
    run_env = dict(env) if env is not None else dict(os.environ)
    run_env.update({"NO_COLOR": "1", "TERM": "dumb"})
    try:
        result = subprocess.run(
            list(command),
            capture_output=True,
            text=text,
            env=run_env,
            cwd=cwd,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LifecycleError(redact(f"{what} failed: {exc}", secrets)) from exc
    if result.returncode != 0:
        out, err = result.stdout, result.stderr
        if not text:
            out, err = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
        combined = _ANSI.sub("", "\n".join([out, err]))
        lines = [line.strip() for line in combined.splitlines() if line.strip()]
        interesting = [
            line for line in lines if "error" in line.lower() or "HTTP" in line or "fatal" in line
        ]
        last = (interesting or lines or [f"exit code {result.returncode}"])[-1]
        raise LifecycleError(redact(f"{what} failed: {last}", secrets))
    return result


def git(cwd: Path, *args: str) -> bytes | None:
    """``git -C cwd args...`` stdout, or None when git is missing or fails (for callers
    that fall back, like the version guard's history search)."""
    try:
        return bytes(
            run_command(["git", "-C", str(cwd), *args], what="git", text=False, timeout=30).stdout
        )
    except LifecycleError:
        return None


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every non-empty secret in ``text`` with ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
