"""Writing a generated package: ``write`` (atomic), ``check`` and ``diff``.

Ownership is tracked by a manifest, :data:`MANIFEST_NAME`, in each output directory: the
generator version, the schema file name and sha256, the runtime requirement and every
generated file with its sha256 (sorted keys, no timestamps). A rebuild

* (re)writes only files whose bytes differ;
* deletes files the *previous* manifest owned that the new build no longer produces
  (e.g. after a command was removed), and then directories this emptied;
* never touches a file the manifest does not list (a user's own file), and refuses to
  overwrite such a file when a generated file would take its path (``force`` overrides).

Nothing is written before the whole new output has been rendered and formatted (the
caller passes complete file maps). Files are first written to temporary files in their
own directory and then moved into place with :func:`os.replace`; the manifest is
replaced last.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from reactor_gen.errors import UserError

__all__ = [
    "MANIFEST_NAME",
    "Plan",
    "WriteError",
    "apply_plan",
    "atomic_write_bytes",
    "make_manifest",
    "plan_output",
    "read_manifest",
    "render_diff",
    "sha256_text",
]

MANIFEST_NAME = "reactor-gen.lock.json"
MANIFEST_FORMAT = 1


class WriteError(UserError):
    """The output cannot be written safely (conflicting user file, bad manifest...)."""


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_manifest(
    files: Mapping[str, str],
    *,
    generator: str,
    generator_version: str,
    model: str,
    model_version: str,
    schema_name: str,
    schema_sha256: str,
    runtime_requirement: str,
    surface: Mapping[str, Any] | None = None,
) -> str:
    """The manifest text for ``files`` (which must not contain the manifest itself);
    ``surface`` is the IR's surface record (:func:`reactor_gen.ir.serialize.surface_record`)
    that the version guard compares."""
    document: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "generator": {"name": generator, "version": generator_version},
        "model": {"name": model, "version": model_version},
        "schema": {"file": schema_name, "sha256": schema_sha256},
        "runtime": runtime_requirement,
        "files": {path: sha256_text(files[path]) for path in sorted(files)},
    }
    if surface is not None:
        document["surface"] = dict(surface)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _safe_relative(path: str) -> bool:
    pure = PurePosixPath(path)
    return (
        bool(path)
        and not pure.is_absolute()
        and ".." not in pure.parts
        and "\\" not in path
        and path == pure.as_posix()
    )


def read_manifest(out_dir: Path) -> dict[str, str] | None:
    """``{path: sha256}`` of the files the previous build owns, or None without a
    (readable) manifest. Unsafe paths (absolute, ``..``) are ignored."""
    try:
        document = json.loads((out_dir / MANIFEST_NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(files, dict):
        return None
    return {
        str(p): str(h)
        for p, h in files.items()
        if isinstance(p, str) and _safe_relative(p) and p != MANIFEST_NAME
    }


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


@dataclass(frozen=True)
class Plan:
    """What building ``files`` into ``out_dir`` would change."""

    out_dir: Path
    files: Mapping[str, str]
    """The complete new output (manifest included)."""
    changed: tuple[str, ...]
    """Files that exist with different bytes."""
    missing: tuple[str, ...]
    """Files that do not exist yet."""
    stale: tuple[str, ...]
    """Files the previous manifest owned that the new build does not produce."""
    conflicts: tuple[str, ...] = ()
    """User files (not owned) that a generated file would overwrite."""
    old: Mapping[str, bytes | None] = field(default_factory=dict)

    @property
    def up_to_date(self) -> bool:
        return not (self.changed or self.missing or self.stale)

    def differences(self) -> list[tuple[str, str]]:
        """``(path, "changed" | "missing" | "stale")`` for every file that differs, by path."""
        pairs = [(p, "changed") for p in self.changed]
        pairs += [(p, "missing") for p in self.missing]
        pairs += [(p, "stale") for p in self.stale]
        return sorted(pairs)


def plan_output(files: Mapping[str, str], out_dir: Path) -> Plan:
    """Compare ``files`` (relative POSIX paths → text) with ``out_dir``."""
    for path in files:
        if not _safe_relative(path):
            raise WriteError(f"refusing to write outside the output directory: {path!r}")
    owned = read_manifest(out_dir) or {}
    changed: list[str] = []
    missing: list[str] = []
    conflicts: list[str] = []
    old: dict[str, bytes | None] = {}
    for path in sorted(files):
        current = _read(out_dir / path)
        old[path] = current
        new = files[path].encode("utf-8")
        if current is None:
            missing.append(path)
        elif current != new:
            changed.append(path)
            if path not in owned and path != MANIFEST_NAME:
                conflicts.append(path)
    stale: list[str] = []
    for path in sorted(owned):
        if path in files:
            continue
        current = _read(out_dir / path)
        if current is not None:
            stale.append(path)
            old[path] = current
    return Plan(
        out_dir=out_dir,
        files=dict(files),
        changed=tuple(changed),
        missing=tuple(missing),
        stale=tuple(stale),
        conflicts=tuple(conflicts),
        old=old,
    )


def _write_temp(target: Path, data: bytes) -> Path:
    """``data`` in a temporary file beside ``target`` (same mode as ``target``, else
    0644), flushed to disk; the caller ``os.replace``s it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = target.stat().st_mode & 0o7777
        except OSError:
            mode = 0o644
        os.chmod(name, mode)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and
    :func:`os.replace` (readers see the old bytes or the new ones, never a mix). The one
    atomic write: :func:`apply_plan`, ``pull`` and the cache use it."""
    temp = _write_temp(path, data)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def apply_plan(plans: Iterable[Plan], *, force: bool = False) -> list[str]:
    """Write every plan; return ``out_dir/path`` lines of what changed.

    All conflicts of all plans are checked before anything is written. Then every new
    or changed file is written to a temporary file next to its target; only when all
    temporaries exist are they moved into place (manifests last), and stale owned
    files are deleted.
    """
    plans = list(plans)
    if not force:
        conflicts = [str(p.out_dir / c) for p in plans for c in p.conflicts]
        if conflicts:
            raise WriteError(
                "refusing to overwrite files the generator does not own (not in "
                f"{MANIFEST_NAME}): " + ", ".join(conflicts) + "; move them away or pass --force"
            )
    staged: list[tuple[Path, Path]] = []
    try:
        for plan in plans:
            for path in sorted(plan.changed + plan.missing):
                target = plan.out_dir / path
                staged.append((_write_temp(target, plan.files[path].encode("utf-8")), target))
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    # manifests last: an interrupted run leaves the previous manifest in charge
    staged.sort(key=lambda item: (item[1].name == MANIFEST_NAME, str(item[1])))
    report: list[str] = []
    for temp, target in staged:
        os.replace(temp, target)
    for plan in plans:
        for path in plan.changed + plan.missing:
            report.append(f"wrote {plan.out_dir / path}")
        for path in plan.stale:
            target = plan.out_dir / path
            target.unlink(missing_ok=True)
            report.append(f"deleted {target}")
            _prune_empty_dirs(target.parent, plan.out_dir)
    return report


def _prune_empty_dirs(directory: Path, stop: Path) -> None:
    """Remove ``directory`` and its parents up to (excluding) ``stop`` while empty."""
    stop = stop.resolve()
    current = directory.resolve()
    while current != stop and stop in current.parents:
        try:
            current.rmdir()  # only succeeds when empty: user files keep their dirs
        except OSError:
            return
        current = current.parent


def render_diff(plan: Plan, label: str | None = None) -> str:
    """A unified diff from the files on disk to the new output (stale files deleted).
    ``label`` names the output directory in the headers (default: its path)."""
    chunks: list[str] = []
    base = (label if label is not None else plan.out_dir.as_posix()).strip("/")
    for path in sorted(set(plan.changed + plan.missing + plan.stale)):
        before_bytes = plan.old.get(path)
        before = (
            before_bytes.decode("utf-8", errors="replace").splitlines(keepends=True)
            if before_bytes is not None
            else []
        )
        after = plan.files[path].splitlines(keepends=True) if path in plan.files else []
        chunks.extend(
            difflib.unified_diff(
                before,
                after,
                fromfile=f"a/{base}/{path}" if before_bytes is not None else "/dev/null",
                tofile=f"b/{base}/{path}" if path in plan.files else "/dev/null",
            )
        )
    text = "".join(line if line.endswith("\n") else line + "\n" for line in chunks)
    return text
