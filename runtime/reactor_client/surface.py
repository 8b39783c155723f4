"""A generated package's description of its surface: ``reactor_models/<pkg>/_surface.json``.

reactor-gen writes one such file per package (``reactor_gen.render.surface``): the commands
with their fields, types and Python names, the messages with their classes, listeners and
example payloads, the tracks. Everything that needs the surface at run time reads it here:
the offline stand-in (``python -m reactor_models.<pkg> mock``), the playground (which typed
method a form calls), ``new --setup`` (which commands and keywords a setup may call) and a
model's ``repr``. Importing this module imports only the standard library.

Packages generated before the file existed (format 1 was the stand-in's
``_mock/surface.json``, without Python names) are still read: :func:`surface_file` falls back
to it, and the readers to the package's older per-reader copies.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import typing
from dataclasses import dataclass
from pathlib import Path

if typing.TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = [
    "FORMATS",
    "LEGACY_FILE",
    "SURFACE_FILE",
    "PackageSurface",
    "as_path",
    "load_package_surface",
    "surface_file",
]

SURFACE_FILE: typing.Final = "_surface.json"
"""The surface description inside a generated package."""
LEGACY_FILE: typing.Final = "_mock/surface.json"
"""Where packages generated before ``_surface.json`` kept the stand-in's (format 1) copy."""
FORMATS: typing.Final = (1, 2)
"""The ``format`` values this version reads (2 adds the Python names)."""


def surface_file(package: str) -> Traversable | None:
    """``package``'s surface description (``_surface.json``, else the legacy stand-in file),
    or None when it has neither or is not importable."""
    try:
        root = importlib.resources.files(package)
    except (ModuleNotFoundError, TypeError):
        return None
    for name in (SURFACE_FILE, LEGACY_FILE):
        resource = root.joinpath(name)
        try:
            if resource.is_file():
                return resource
        except OSError:
            continue
    return None


@dataclass(frozen=True)
class PackageSurface:
    """A package's surface description (the parsed JSON, plus the views its readers need)."""

    data: typing.Mapping[str, typing.Any]

    @property
    def format(self) -> int:
        return int(self.data.get("format", 0))

    @property
    def has_python_names(self) -> bool:
        """Format 2 and later name every method, argument and listener."""
        return self.format >= 2

    @property
    def model(self) -> typing.Mapping[str, typing.Any]:
        return typing.cast(typing.Mapping[str, typing.Any], self.data.get("model", {}))

    @property
    def command_names(self) -> tuple[str, ...]:
        """Wire names of the commands, sorted."""
        return tuple(str(c["name"]) for c in self.data.get("commands", ()))

    @property
    def message_names(self) -> tuple[str, ...]:
        """Wire names of the messages, sorted."""
        return tuple(str(m["name"]) for m in self.data.get("messages", ()))

    def setup_commands(self) -> dict[str, tuple[str, ...]]:
        """Typed method → its keyword parameters, for every command (what ``new --setup``
        may call)."""
        return {
            str(c["method"]): tuple(str(f["py_name"]) for f in c.get("fields", ()))
            for c in sorted(self.data.get("commands", ()), key=lambda c: str(c["method"]))
        }

    def playground(self) -> dict[str, typing.Any]:
        """What the playground server needs: model, version, package, distribution;
        commands (wire name → method, args (wire name → Python name), uploads, reply);
        messages; video_tracks; audio_tracks."""
        model = self.model
        tracks = [t for t in self.data.get("tracks", ()) if t.get("direction") == "out"]
        return {
            "model": model.get("name", ""),
            "version": model.get("version", ""),
            "package": model.get("package", ""),
            "distribution": model.get("distribution", ""),
            "commands": {
                str(c["name"]): {
                    "method": str(c["method"]),
                    "args": {str(f["name"]): str(f["py_name"]) for f in c.get("fields", ())},
                    "uploads": list(c.get("uploads", ())),
                    "reply": c.get("reply"),
                }
                for c in self.data.get("commands", ())
            },
            "messages": list(self.message_names),
            "video_tracks": [t["name"] for t in tracks if t.get("kind") == "video"],
            "audio_tracks": [t["name"] for t in tracks if t.get("kind") == "audio"],
        }


@functools.lru_cache(maxsize=64)
def load_package_surface(package: str) -> PackageSurface | None:
    """The surface description of ``package`` (``reactor_models.<pkg>``), read once; None
    when the package has none, or one of a format this version does not read."""
    resource = surface_file(package)
    if resource is None:
        return None
    try:
        data = json.loads(resource.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") not in FORMATS:
        return None
    return PackageSurface(data)


def as_path(resource: Traversable, *, prefix: str) -> Path:
    """``resource`` as a file on disk (itself, or a temporary copy when the package is not
    a plain directory, e.g. a zip)."""
    if isinstance(resource, Path):
        return resource
    import tempfile

    handle = tempfile.NamedTemporaryFile("wb", prefix=prefix, suffix=".json", delete=False)
    with handle:
        handle.write(resource.read_bytes())
    return Path(handle.name)
