"""The version guard: ``reactor-gen build`` must not regenerate a package whose surface
changed while ``info.version`` did not.

The build manifest (``reactor-gen.lock.json`` in the output directory) records, under
``surface``, the fingerprint of the surface it was generated from and the schema
version (:func:`reactor_gen.ir.serialize.surface_record`). Before writing, the build
calls :func:`check_version_guard` with the new model; the manifest already names the
schema file and its sha256, so the guard finds that exact schema in git history (the
working tree's schema usually differs from ``HEAD``'s by just the edit being built) to
list the changes. Without git it still refuses, naming both fingerprints.

``reactor_gen.pipeline.write`` calls :func:`check_packages` before writing; the surface
record itself is written by ``pipeline.build`` into the manifest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from reactor_gen.diagnostics import DiagnosticError
from reactor_gen.ir.model import ModelIR
from reactor_gen.ir.serialize import SURFACE_FORMAT, fingerprint, from_canonical
from reactor_gen.lifecycle.common import LifecycleError, git
from reactor_gen.lifecycle.diff import Change, diff_ir, required_bump
from reactor_gen.write import MANIFEST_NAME

__all__ = [
    "MANIFEST_NAME",
    "GuardResult",
    "PreviousSurface",
    "VersionGuardError",
    "check_packages",
    "check_version_guard",
    "previous_surface",
]

GUARD_EXIT_CODE = 1
_SHOWN = 5
_HISTORY = 50

GuardStatus = Literal["first-build", "unchanged", "new-version", "overridden", "unknown"]


class VersionGuardError(LifecycleError):
    """The surface changed but ``info.version`` did not (exit code 1, like any refused build)."""

    def __init__(self, message: str, changes: tuple[Change, ...]) -> None:
        super().__init__(message, exit_code=GUARD_EXIT_CODE)
        self.changes = changes


@dataclass(frozen=True)
class PreviousSurface:
    """What the last build recorded."""

    fingerprint: str | None
    schema_version: str | None
    schema_file: str | None
    schema_sha256: str | None
    ir: ModelIR | None = None


@dataclass(frozen=True)
class GuardResult:
    """Why the build may go ahead."""

    status: GuardStatus
    previous_version: str | None
    changes: tuple[Change, ...] = ()
    note: str = ""


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


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
        return PreviousSurface(None, None, None, None)
    surface = _obj(data.get("surface"))
    model = _obj(data.get("model"))
    schema = _obj(data.get("schema"))
    version = _str(surface.get("schema_version")) or _str(model.get("version"))
    ir: ModelIR | None = None
    if surface.get("format") != SURFACE_FORMAT:
        surface = {}
    raw_ir = surface.get("ir")
    if isinstance(raw_ir, dict):
        try:
            ir = from_canonical(raw_ir, version=version or "")
        except (KeyError, TypeError, ValueError):
            ir = None
    return PreviousSurface(
        _str(surface.get("fingerprint")),
        version,
        _str(schema.get("file")),
        _str(schema.get("sha256")),
        ir,
    )


def _schema_from_history(schema_path: Path, sha256: str) -> ModelIR | None:
    """The IR of the committed version of ``schema_path`` whose bytes hash to ``sha256``
    (HEAD first, then up to 50 earlier commits touching it)."""
    from reactor_gen.load import load_document, parse_document

    directory = schema_path.resolve().parent
    top = git(directory, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    root = Path(top.decode().strip())
    try:
        relative = schema_path.resolve().relative_to(root).as_posix()
    except ValueError:
        return None
    log = git(root, "log", f"-n{_HISTORY}", "--format=%H", "--", relative) or b""
    for revision in ["HEAD", *log.decode().split()]:
        raw = git(root, "show", f"{revision}:{relative}")
        if raw is None or hashlib.sha256(raw).hexdigest() != sha256:
            continue
        try:
            document = parse_document(raw, file=relative, suffix=schema_path.suffix)
            return load_document(document, raw, path=schema_path, file=relative).ir
        except DiagnosticError:
            return None
    return None


def _listing(changes: tuple[Change, ...]) -> str:
    shown = "; ".join(str(change) for change in changes[:_SHOWN])
    more = len(changes) - _SHOWN
    return shown + (f"; … and {more} more" if more > 0 else "")


def check_version_guard(
    ir: ModelIR,
    out_dir: Path,
    *,
    allow_same_version: bool = False,
    schema_path: Path | None = None,
) -> GuardResult:
    """Raise :class:`VersionGuardError` when ``ir``'s surface differs from the one
    recorded in ``out_dir`` while its ``info.version`` is the same, unless
    ``allow_same_version``. ``schema_path`` (the schema being built) lets the guard
    find the previous schema in git to list the changes."""
    previous = previous_surface(out_dir)
    if previous is None:
        return GuardResult("first-build", None)
    if previous.fingerprint is None:
        return GuardResult(
            "unknown",
            previous.schema_version,
            note="the previous build recorded no surface fingerprint; not checked",
        )
    current = fingerprint(ir)
    if previous.fingerprint == current:
        return GuardResult("unchanged", previous.schema_version)
    old_ir = previous.ir
    if old_ir is None and schema_path is not None and previous.schema_sha256:
        candidate = schema_path.parent / (previous.schema_file or schema_path.name)
        old_ir = _schema_from_history(candidate, previous.schema_sha256)
    changes = tuple(diff_ir(old_ir, ir)) if old_ir is not None else ()
    if previous.schema_version != ir.version:
        return GuardResult("new-version", previous.schema_version, changes)
    if allow_same_version:
        return GuardResult(
            "overridden",
            previous.schema_version,
            changes,
            note=f"surface changed under the same version {ir.version} (--allow-same-version)",
        )
    if changes:
        detail = f" ({len(changes)} change(s): {_listing(changes)})"
        try:
            detail += f"; needed: {required_bump(changes, ir.version).suggested}"
        except ValueError:
            pass
    else:
        detail = f" (surface fingerprint {previous.fingerprint[:12]} → {current[:12]})"
    raise VersionGuardError(
        f"refusing to regenerate {out_dir}: the surface of {ir.title!r} changed but "
        f"info.version is still {ir.version}{detail}. Bump info.version in the schema, "
        "or pass --allow-same-version to regenerate anyway",
        changes,
    )


def check_packages(packages: Iterable[Any], *, allow_same_version: bool = False) -> list[str]:
    """The build command's hook: :func:`check_version_guard` for every
    :class:`reactor_gen.pipeline.GeneratedPackage` about to be written (those with an
    ``out_dir``). Raises :class:`VersionGuardError` on the first refusal; returns notes
    to print (overrides)."""
    notes: list[str] = []
    for package in packages:
        out_dir = getattr(package, "out_dir", None)
        if out_dir is None:
            continue
        result = check_version_guard(
            package.model.ir,
            Path(out_dir),
            allow_same_version=allow_same_version,
            schema_path=Path(package.model.path),
        )
        if result.note and result.status == "overridden":
            notes.append(f"{package.model.ir.title}: warning: {result.note}")
    return notes
