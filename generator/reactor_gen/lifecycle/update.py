"""``reactor-gen update``: republish every model whose schema is newer than its package.

For each model: pull its schema when a source is configured (``--pull-from``), read
``schemas/<name>.json``, compare ``info.version`` (as PEP 440: ``v3.0.5-gabc`` → ``3.0.5``)
with the newest version of ``reactor-models-<name>`` on the index, and when the schema is
newer: regenerate (``reactor-gen build``, version guard included), build the dists,
test-import the wheel (unpacked, in a fresh interpreter), upload. Exit codes: 2 when the
index is ahead of any schema, else 1 when any model failed, else 0.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version
from rich.console import Console

from reactor_gen.diagnostics import DiagnosticError
from reactor_gen.lifecycle.common import Layout, LifecycleError
from reactor_gen.lifecycle.index import index_url_for, newest_version
from reactor_gen.lifecycle.publish import BuiltProject, Credentials, publish
from reactor_gen.lifecycle.pull import pull
from reactor_gen.lifecycle.report import step
from reactor_gen.load import load_model
from reactor_gen.naming import distribution_name

__all__ = [
    "Builder",
    "UpdateRow",
    "default_builder",
    "distribution_name",
    "parse_sources",
    "test_import_wheel",
    "update",
    "update_exit_code",
]

Builder = Callable[[str, Layout, bool], Path]
"""``builder(name, layout, allow_same_version)`` regenerates ``generated/<name>/`` and
returns the package directory (raising on failure)."""


@dataclass(frozen=True)
class UpdateRow:
    """One model's line in the summary table."""

    model: str
    schema_version: str
    published: str
    action: str
    ok: bool = True
    index_ahead: bool = False


def default_builder() -> Builder:
    """What ``reactor-gen build NAME`` does, through the same path
    (:func:`reactor_gen.pipeline.build_many` + :func:`reactor_gen.pipeline.write`):
    render in memory, run the version guard, write ``generated/<name>/``."""

    def build(name: str, layout: Layout, allow_same_version: bool) -> Path:
        from reactor_gen import pipeline

        (package,) = pipeline.build_many(
            [layout.schema_path(name)], generated=layout.generated, nest=False
        )
        pipeline.write([package], allow_same_version=allow_same_version)
        assert package.out_dir is not None
        return package.out_dir

    return build


def parse_sources(values: Sequence[str], names: Sequence[str]) -> dict[str, str]:
    """``--pull-from`` values: ``NAME=SOURCE``, or a bare ``SOURCE`` when exactly one
    model is named. A source is an ``http(s)://`` URL or a model directory."""
    sources: dict[str, str] = {}
    for value in values:
        name, sep, source = value.partition("=")
        if sep and not name.startswith(("http://", "https://")) and "/" not in name:
            sources[name] = source
        elif len(names) == 1:
            sources[names[0]] = value
        else:
            raise LifecycleError(
                f"--pull-from {value!r}: use NAME=URL (or NAME=DIR) when updating several models"
            )
    return sources


def test_import_wheel(built: BuiltProject, module: str, *, python: str = sys.executable) -> None:
    """Unpack the wheel and import ``module`` from it in a fresh interpreter (the
    package's dependencies come from ``python``'s environment)."""
    wheel = next((f for f in built.files if f.suffix == ".whl"), None)
    if wheel is None:
        raise LifecycleError(f"no wheel built for {built.name}")
    with tempfile.TemporaryDirectory(prefix="reactor-gen-import-") as tmp:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(tmp)
        code = (
            "import importlib, os, sys\n"
            f"m = importlib.import_module({module!r})\n"
            f"root = os.path.realpath({tmp!r})\n"
            "path = os.path.realpath(m.__file__ or '')\n"
            "sys.exit(0 if path.startswith(root) else 'imported from ' + path)\n"
        )
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([tmp, *filter(None, [env.get("PYTHONPATH")])])
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        result = subprocess.run(
            [python, "-c", code], capture_output=True, text=True, env=env, timeout=300, check=False
        )
    if result.returncode != 0:
        lines = [line for line in (result.stderr or result.stdout).splitlines() if line.strip()]
        raise LifecycleError(
            f"test import of {module} from {wheel.name} failed: "
            f"{lines[-1] if lines else result.returncode}"
        )


def _version(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion as exc:
        raise LifecycleError(f"info.version {text!r} is not a PEP 440 version") from exc


def _update_one(
    name: str,
    layout: Layout,
    *,
    source: str | None,
    repository_url: str,
    index_url: str,
    credentials: Credentials,
    console: Console,
    builder: Builder,
    dry_run: bool,
    allow_same_version: bool,
    runtime_python: str | None,
) -> UpdateRow:
    pulled_changed = False
    if source is not None:
        with step(console, f"pulling {name} from {source}"):
            if source.startswith(("http://", "https://")):
                result = pull(name, layout, url=source)
            else:
                result = pull(name, layout, model_dir=Path(source), runtime_python=runtime_python)
        pulled_changed = result.changed
    path = layout.existing_schema(name)
    try:
        ir = load_model(path).ir
    except DiagnosticError as exc:
        problem = exc.diagnostics[0] if exc.diagnostics else exc
        raise LifecycleError(f"{path} is not a usable schema: {problem}") from exc
    schema_version = _version(ir.package_version)
    dist = distribution_name(ir.title)
    newest = newest_version(index_url, dist, auth=credentials.auth)
    published = str(newest) if newest is not None else "—"
    row = UpdateRow(name, ir.version, published, "")
    if newest is not None and newest > schema_version:
        return UpdateRow(
            name, ir.version, published, "index ahead of schema", ok=False, index_ahead=True
        )
    if newest is not None and newest == schema_version:
        if pulled_changed:
            return UpdateRow(
                name,
                ir.version,
                published,
                "schema changed but info.version not bumped",
                ok=False,
            )
        return UpdateRow(name, ir.version, published, "up to date")
    first = newest is None
    if dry_run:
        return UpdateRow(
            name, ir.version, published, "would publish" + (" (first release)" if first else "")
        )
    with step(console, f"regenerating {name}"):
        package_dir = builder(name, layout, allow_same_version)
    module = f"reactor_models.{ir.package}"
    results = publish(
        name,
        layout,
        repository_url=repository_url,
        credentials=credentials,
        console=console,
        index_url=index_url,
        package_dir=package_dir,
        before_upload=lambda built: test_import_wheel(built, module),
    )
    others = [r for r in results if r.name != dist and r.outcome == "uploaded"]
    action = f"published {results[-1].version}" + (" (first release)" if first else "")
    if others:
        action += "; also " + ", ".join(f"{r.name} {r.version}" for r in others)
    return UpdateRow(row.model, row.schema_version, row.published, action)


def update(
    names: Sequence[str],
    layout: Layout,
    *,
    repository_url: str,
    credentials: Credentials,
    console: Console,
    index_url: str | None = None,
    sources: dict[str, str] | None = None,
    builder: Builder | None = None,
    dry_run: bool = False,
    allow_same_version: bool = False,
    runtime_python: str | None = None,
) -> list[UpdateRow]:
    """Update every model in ``names``; a failing model does not stop the others."""
    simple = index_url or index_url_for(repository_url)
    build = builder or default_builder()
    rows: list[UpdateRow] = []
    for name in names:
        try:
            rows.append(
                _update_one(
                    name,
                    layout,
                    source=(sources or {}).get(name),
                    repository_url=repository_url,
                    index_url=simple,
                    credentials=credentials,
                    console=console,
                    builder=build,
                    dry_run=dry_run,
                    allow_same_version=allow_same_version,
                    runtime_python=runtime_python,
                )
            )
        except LifecycleError as exc:
            rows.append(UpdateRow(name, "?", "?", f"failed: {exc}", ok=False))
    return rows


def update_exit_code(rows: Sequence[UpdateRow]) -> int:
    """2 when the index is ahead of any schema, 1 when anything failed, else 0."""
    if any(row.index_ahead for row in rows):
        return 2
    if any(not row.ok for row in rows):
        return 1
    return 0
