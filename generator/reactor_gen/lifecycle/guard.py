"""The version guard: ``reactor-gen build`` must not regenerate a package whose surface
changed while ``info.version`` did not.

The build manifest (``reactor-gen.lock.json`` in the output directory) records the
surface it was generated from (:func:`reactor_gen.lifecycle.surface.surface_record`:
fingerprint, schema version and the canonical IR). Before writing, the build calls
:func:`check_version_guard` with the new IR; after writing it stores
:func:`manifest_surface` under the key ``surface``.

Integration (build path)::

    from reactor_gen.lifecycle.guard import add_surface_to_manifest, check_version_guard
    check_version_guard(ir, out_dir, allow_same_version=args.allow_same_version)  # before writing
    files[MANIFEST_NAME] = add_surface_to_manifest(files[MANIFEST_NAME], ir)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from reactor_gen.ir.model import ModelIR
from reactor_gen.lifecycle.common import LifecycleError
from reactor_gen.lifecycle.diff import Change, diff_ir, required_bump
from reactor_gen.lifecycle.surface import (
    SURFACE_FORMAT,
    fingerprint,
    from_canonical,
    surface_record,
)

__all__ = [
    "MANIFEST_NAME",
    "GuardResult",
    "VersionGuardError",
    "add_surface_to_manifest",
    "check_version_guard",
    "manifest_surface",
    "previous_surface",
]

MANIFEST_NAME = "reactor-gen.lock.json"
_SHOWN = 5

GuardStatus = Literal["first-build", "unchanged", "new-version", "overridden", "unknown"]


class VersionGuardError(LifecycleError):
    """The surface changed but ``info.version`` did not (exit code 3)."""

    def __init__(self, message: str, changes: tuple[Change, ...]) -> None:
        super().__init__(message, exit_code=3)
        self.changes = changes


@dataclass(frozen=True)
class PreviousSurface:
    """What the last build recorded."""

    fingerprint: str | None
    schema_version: str | None
    ir: ModelIR | None


@dataclass(frozen=True)
class GuardResult:
    """Why the build may go ahead."""

    status: GuardStatus
    previous_version: str | None
    changes: tuple[Change, ...] = ()
    note: str = ""


def manifest_surface(ir: ModelIR) -> dict[str, Any]:
    """The manifest's ``surface`` entry for ``ir``."""
    return surface_record(ir)


def add_surface_to_manifest(manifest_text: str, ir: ModelIR) -> str:
    """Return the manifest JSON text with the ``surface`` entry for ``ir`` added
    (same layout as the build writes it: indent 2, sorted keys, trailing newline)."""
    document = json.loads(manifest_text)
    document["surface"] = manifest_surface(ir)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def previous_surface(out_dir: Path) -> PreviousSurface | None:
    """The surface recorded in ``out_dir``'s manifest; None when there is no manifest.

    Tolerates manifests written before the surface was recorded (fields are None).
    """
    path = out_dir / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LifecycleError(f"cannot read the build manifest {path}: {exc}") from exc
    if not isinstance(data, dict):
        return PreviousSurface(None, None, None)
    surface = data.get("surface")
    schema = data.get("schema")
    version: Any = None
    if isinstance(surface, dict):
        version = surface.get("schema_version")
    if version is None and isinstance(schema, dict):
        version = schema.get("version")
    model = data.get("model")
    if version is None and isinstance(model, dict):
        version = model.get("version")
    if version is None:
        version = data.get("schema_version")
    if not isinstance(surface, dict) or surface.get("format") != SURFACE_FORMAT:
        return PreviousSurface(None, version if isinstance(version, str) else None, None)
    ir: ModelIR | None = None
    raw_ir = surface.get("ir")
    if isinstance(raw_ir, dict):
        try:
            ir = from_canonical(raw_ir, version=str(version or ""))
        except (KeyError, TypeError, ValueError):
            ir = None
    found = surface.get("fingerprint")
    return PreviousSurface(
        found if isinstance(found, str) else None,
        version if isinstance(version, str) else None,
        ir,
    )


def _listing(changes: tuple[Change, ...]) -> str:
    shown = "; ".join(str(change) for change in changes[:_SHOWN])
    more = len(changes) - _SHOWN
    return shown + (f"; … and {more} more" if more > 0 else "")


def check_version_guard(
    ir: ModelIR, out_dir: Path, *, allow_same_version: bool = False
) -> GuardResult:
    """Raise :class:`VersionGuardError` when ``ir``'s surface differs from the one
    recorded in ``out_dir`` while its ``info.version`` is the same, unless
    ``allow_same_version``."""
    previous = previous_surface(out_dir)
    if previous is None:
        return GuardResult("first-build", None)
    if previous.fingerprint is None:
        return GuardResult(
            "unknown",
            previous.schema_version,
            note="the previous build recorded no surface fingerprint; not checked",
        )
    if previous.fingerprint == fingerprint(ir):
        return GuardResult("unchanged", previous.schema_version)
    changes = tuple(diff_ir(previous.ir, ir)) if previous.ir is not None else ()
    if previous.schema_version != ir.version:
        return GuardResult("new-version", previous.schema_version, changes)
    if allow_same_version:
        return GuardResult(
            "overridden",
            previous.schema_version,
            changes,
            note=f"surface changed under the same version {ir.version} (--allow-same-version)",
        )
    detail = f" ({len(changes)} change(s): {_listing(changes)})" if changes else ""
    suggestion = ""
    if changes:
        try:
            suggestion = f" (needed: {required_bump(changes, ir.version).suggested})"
        except ValueError:
            suggestion = ""
    raise VersionGuardError(
        f"refusing to regenerate {out_dir}: the surface of {ir.title!r} changed but "
        f"info.version is still {ir.version}{detail}. Bump info.version in the schema"
        f"{suggestion}, or pass --allow-same-version to regenerate anyway",
        changes,
    )
