"""``reactor-gen pull``: fetch a model's schema and write ``schemas/<name>.json``.

Routes:

* ``--url URL`` — ``GET {URL}/schema`` on a local runtime (exact renderer output); when
  that route is missing (404/405, runtime 2.x or a proxy) the schema is requested over the
  data channel through :class:`reactor_client.ReactorClient` (``local=True``). Channel
  numbers arrive as floats; they are turned back into ints where the fragment says
  ``integer`` (:func:`reactor_gen.load.normalize_integral_floats`).
* ``--model-dir DIR`` — ``python -m reactor_runtime.schema --path DIR`` with the runtime's
  interpreter (``--runtime-python``, env ``REACTOR_RUNTIME_PYTHON``, else
  ``<root>/.venv-server/bin/python``). The model class is imported, weights never load.

A running runtime and the renderer's default both report ``v0.0.0``: when no
``--version`` is given and the fetched version is ``v0.0.0``, the version already in
``schemas/<name>.json`` is kept (so ``reactor-gen build``'s version guard notices a
changed surface that still needs a release number).

A schema whose ``info.title`` is not ``<name>`` (a runtime serving another model) is
refused before anything is written, unless ``force``; a forced write first copies the file
it replaces to ``schemas/<name>.json.bak`` (``.bak.2``, ... when that exists), so nothing
is lost.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx
from packaging.utils import canonicalize_name

from reactor_gen.diagnostics import DiagnosticError
from reactor_gen.lifecycle.common import (
    Layout,
    LifecycleError,
    atomic_write_bytes,
    dump_schema,
    release_tag,
)
from reactor_gen.load import load_document, normalize_integral_floats, sha256_hex

__all__ = [
    "PullResult",
    "UNSET_VERSION",
    "fetch_schema_http",
    "fetch_schema_over_channel",
    "pull",
    "render_schema",
    "resolve_runtime_python",
    "same_model",
]

UNSET_VERSION = "v0.0.0"
"""What a live runtime (and the renderer without ``--version``) reports."""

Route = Literal["http", "channel", "model-dir"]


@dataclass(frozen=True)
class PullResult:
    """What ``pull`` did."""

    name: str
    path: Path
    route: Route
    old_version: str | None
    new_version: str
    old_sha256: str | None
    new_sha256: str
    kept_version: bool
    """True when ``v0.0.0`` was replaced by the existing file's version."""
    title: str
    backup: Path | None = None
    """Where the replaced file's content was kept (a forced pull of another model)."""

    @property
    def changed(self) -> bool:
        return self.old_sha256 != self.new_sha256

    def summary(self) -> str:
        """One line for the terminal."""
        line = self._change()
        if self.backup is not None:
            line += f"; the previous content is in {self.backup}"
        return line

    def _change(self) -> str:
        short = self.new_sha256[:12]
        if not self.changed:
            return f"{self.path}: unchanged ({self.new_version}, sha256 {short}, via {self.route})"
        if self.old_sha256 is None:
            return f"{self.path}: created ({self.new_version}, sha256 {short}, via {self.route})"
        version = (
            f"{self.old_version} → {self.new_version}"
            if self.old_version != self.new_version
            else f"{self.new_version} (version unchanged)"
        )
        return (
            f"{self.path}: updated {version}, sha256 {(self.old_sha256 or '')[:12]} → "
            f"{short} (via {self.route})"
        )


# --- fetching ------------------------------------------------------------------------


def _as_document(value: Any, source: str) -> dict[str, Any]:
    if not isinstance(value, dict) or "openapi" not in value:
        raise LifecycleError(f"{source} did not return an OpenAPI document")
    return value


def fetch_schema_http(url: str, *, timeout: float = 30.0) -> dict[str, Any] | None:
    """``GET {url}/schema``; None when the route does not exist (404/405)."""
    target = url.rstrip("/") + "/schema"
    try:
        response = httpx.get(target, timeout=timeout, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise LifecycleError(f"cannot reach {target}: {exc or type(exc).__name__}") from exc
    if response.status_code in (404, 405):
        return None
    if response.status_code != 200:
        raise LifecycleError(f"GET {target} answered HTTP {response.status_code}")
    try:
        return _as_document(response.json(), f"GET {target}")
    except ValueError as exc:
        raise LifecycleError(f"GET {target} did not return JSON: {exc}") from exc


async def _channel(name: str, url: str, timeout: float) -> dict[str, Any]:
    from reactor_client import ReactorClient, ReactorError

    client = ReactorClient(name, url=url, local=True)
    try:
        await asyncio.wait_for(client.connect(), timeout)
        # GET /schema first; a missing route (404/405) falls back to the data channel.
        schema = await asyncio.wait_for(client.request_schema(), timeout)
    except ReactorError as exc:
        raise LifecycleError(f"schema request over the data channel failed: {exc}") from exc
    except asyncio.TimeoutError as exc:
        raise LifecycleError(
            f"no schema over the data channel of {url} within {timeout:g} s"
        ) from exc
    finally:
        try:
            await asyncio.wait_for(client.disconnect(), 15)
        except Exception:  # noqa: BLE001 - best effort; the schema (or error) matters
            pass
    return _as_document(schema, f"the data channel of {url}")


def fetch_schema_over_channel(name: str, url: str, *, timeout: float = 60.0) -> dict[str, Any]:
    """Connect to the local runtime at ``url`` (a session is started and stopped) and
    ask for the schema over the data channel. Numbers are returned as they came."""
    return asyncio.run(_channel(name, url, timeout))


def resolve_runtime_python(root: Path, explicit: str | os.PathLike[str] | None) -> Path:
    """``explicit``, else env ``REACTOR_RUNTIME_PYTHON``, else
    ``<root>/.venv-server/bin/python``."""
    configured = str(explicit) if explicit else os.environ.get("REACTOR_RUNTIME_PYTHON", "")
    python = Path(configured) if configured.strip() else root / ".venv-server" / "bin" / "python"
    if not python.exists():
        raise LifecycleError(
            f"runtime interpreter {python} not found; pass --runtime-python or set "
            "REACTOR_RUNTIME_PYTHON to a Python with reactor-runtime installed"
        )
    return python


def render_schema(
    model_dir: Path,
    python: Path,
    *,
    version: str | None = None,
    timeout: float = 180.0,
) -> dict[str, Any]:
    """Run the vendor renderer ``python -m reactor_runtime.schema --path DIR``."""
    if not (model_dir / "reactor.yaml").is_file():
        raise LifecycleError(f"no reactor.yaml in {model_dir}")
    command = [str(python), "-m", "reactor_runtime.schema", "--path", str(model_dir)]
    if version is not None:
        command += ["--version", version]
    try:
        result = subprocess.run(
            command,
            cwd=model_dir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LifecycleError(f"cannot run the schema renderer ({python}): {exc}") from exc
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        last = lines[-1] if lines else f"exit code {result.returncode}"
        raise LifecycleError(f"the schema renderer failed for {model_dir}: {last}")
    try:
        return _as_document(json.loads(result.stdout), "the schema renderer")
    except ValueError as exc:
        raise LifecycleError(f"the schema renderer printed no JSON: {exc}") from exc


# --- the command -------------------------------------------------------------------


def same_model(title: str, name: str) -> bool:
    """Whether ``info.title`` names the model ``name`` (case and ``-``/``_``/``.`` runs
    aside, as package names compare)."""
    return canonicalize_name(title) == canonicalize_name(name)


def _backup_path(path: Path) -> Path:
    """``<path>.bak``, else the first free ``<path>.bak.N`` (N >= 2): never an old backup."""
    candidate = path.with_name(path.name + ".bak")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak.{number}")
        number += 1
    return candidate


def _source(url: str | None, model_dir: Path | None) -> str:
    """The start of "<source> serves the model 'x'"."""
    return f"{url} serves the model" if url is not None else f"{model_dir} holds the model"


def _read_existing(path: Path) -> tuple[str | None, str | None]:
    """(version, sha256) of the current schema file, (None, None) when absent."""
    if not path.exists():
        return None, None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LifecycleError(f"cannot read {path}: {exc.strerror or exc}") from exc
    version: str | None = None
    try:
        info = json.loads(raw).get("info", {})
        found = info.get("version") if isinstance(info, dict) else None
        version = found if isinstance(found, str) else None
    except (ValueError, AttributeError):
        version = None
    return version, sha256_hex(raw)


def pull(
    name: str,
    layout: Layout,
    *,
    url: str | None = None,
    model_dir: Path | None = None,
    runtime_python: str | os.PathLike[str] | None = None,
    version: str | None = None,
    force_channel: bool = False,
    timeout: float = 60.0,
    force: bool = False,
) -> PullResult:
    """Fetch ``name``'s schema from ``url`` or ``model_dir``, validate it (it must build
    an IR) and write ``schemas/<name>.json`` atomically. A schema of another model
    (``info.title`` is not ``name``) is refused unless ``force``; then the replaced file
    is kept beside it first (:attr:`PullResult.backup`)."""
    if (url is None) == (model_dir is None):
        raise LifecycleError("pull needs exactly one of --url or --model-dir")
    path = layout.schema_path(name)
    tag = release_tag(version) if version is not None else None
    route: Route
    if model_dir is not None:
        python = resolve_runtime_python(layout.root, runtime_python)
        document = render_schema(model_dir.expanduser().resolve(), python, version=tag)
        route = "model-dir"
    else:
        assert url is not None
        fetched = None if force_channel else fetch_schema_http(url, timeout=timeout)
        if fetched is None:
            fetched = fetch_schema_over_channel(name, url, timeout=timeout)
            route = "channel"
        else:
            route = "http"
        document = fetched
    document = normalize_integral_floats(document)

    old_version, old_sha = _read_existing(path)
    info = document.setdefault("info", {})
    if not isinstance(info, dict):
        raise LifecycleError("the fetched schema has no info object")
    kept = False
    if tag is not None:
        info["version"] = tag
    elif (
        info.get("version") == UNSET_VERSION
        and old_version
        and old_version != UNSET_VERSION
        and same_model(str(info.get("title", "")), name)  # never another model's version
    ):
        info["version"] = old_version
        kept = True

    raw = dump_schema(document)
    try:
        loaded = load_document(document, raw, path=path, file=str(path))
    except DiagnosticError as exc:
        first = exc.diagnostics[0] if exc.diagnostics else exc
        more = len(exc.diagnostics) - 1
        extra = f" (and {more} more)" if more > 0 else ""
        raise LifecycleError(f"the fetched schema is not usable: {first}{extra}") from exc
    title = loaded.ir.title
    backup: Path | None = None
    if not same_model(title, name):
        if not force:
            raise LifecycleError(
                f"{_source(url, model_dir)} {title!r}, not {name!r}: "
                f"{path} was not written. Pull it under its own name "
                f"(reactor-gen pull {title} ...), or pass --force to write it as {name!r}"
            )
        if old_sha is not None and old_sha != loaded.sha256:
            backup = _backup_path(path)
            try:
                atomic_write_bytes(backup, path.read_bytes())
            except OSError as exc:
                raise LifecycleError(
                    f"cannot keep a copy of {path} in {backup}: {exc.strerror or exc}; "
                    "nothing was written"
                ) from exc
    atomic_write_bytes(path, raw)
    return PullResult(
        name=name,
        path=path,
        route=route,
        old_version=old_version,
        new_version=loaded.ir.version,
        old_sha256=old_sha,
        new_sha256=loaded.sha256,
        kept_version=kept,
        title=title,
        backup=backup,
    )
