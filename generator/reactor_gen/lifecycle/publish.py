"""``reactor-gen publish``: build, check and upload a generated package (and the runtime
core when the index lacks its version).

Steps: ``python -m build --sdist --wheel`` into a temp dir (``--no-isolation`` when
hatchling is importable, so no network is needed) → look the versions up on the index's
simple API → ``twine check`` → ``twine upload --repository-url``. An already published
version is an error unless ``skip_existing``. Credentials come from the arguments, else
``REACTOR_GEN_INDEX_USERNAME``/``REACTOR_GEN_INDEX_PASSWORD``, else
``TWINE_USERNAME``/``TWINE_PASSWORD``; they reach twine through its environment (never
the command line) and are redacted from anything printed.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

from reactor_gen.layout import did_you_mean
from reactor_gen.lifecycle.common import Layout, LifecycleError, run_command
from reactor_gen.lifecycle.index import index_url_for, versions
from reactor_gen.lifecycle.report import step

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "BuiltProject",
    "Credentials",
    "PublishOutcome",
    "PublishResult",
    "build_dists",
    "publish",
    "publish_dir",
    "twine_check",
    "twine_upload",
]


@dataclass(frozen=True)
class Credentials:
    """Index credentials (both optional: an open index needs none)."""

    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def resolve(
        cls,
        username: str | None = None,
        password: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Credentials:
        """Flags first, then ``REACTOR_GEN_INDEX_*``, then ``TWINE_*``."""
        source = os.environ if env is None else env
        user = username or source.get("REACTOR_GEN_INDEX_USERNAME") or source.get("TWINE_USERNAME")
        secret = (
            password or source.get("REACTOR_GEN_INDEX_PASSWORD") or source.get("TWINE_PASSWORD")
        )
        return cls(user or None, secret or None)

    @property
    def auth(self) -> tuple[str, str] | None:
        """For httpx (index look-ups); None when no credentials were given."""
        if self.username is None and self.password is None:
            return None
        return (self.username or "", self.password or "")

    def secrets(self) -> tuple[str | None, ...]:
        return (self.password,)


@dataclass(frozen=True)
class BuiltProject:
    """The dists of one project, built into a temp dir."""

    name: str
    """Canonical distribution name (``reactor-models-longlive-v2``)."""
    version: Version
    files: tuple[Path, ...]


PublishOutcome = str
"""``uploaded``, ``already published`` (skipped) or ``present`` (runtime core)."""


@dataclass(frozen=True)
class PublishResult:
    """One project's row in the summary."""

    name: str
    version: Version
    outcome: PublishOutcome
    files: tuple[str, ...]


_run = run_command


def _has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def build_dists(project_dir: Path, outdir: Path, *, python: str = sys.executable) -> BuiltProject:
    """``python -m build --sdist --wheel`` of ``project_dir`` into ``outdir``."""
    if not (project_dir / "pyproject.toml").is_file():
        raise LifecycleError(f"no pyproject.toml in {project_dir}")
    if not _has_module("build"):
        raise LifecycleError("the 'build' package is not installed (pip install build)")
    outdir.mkdir(parents=True, exist_ok=True)
    command = [python, "-m", "build", "--sdist", "--wheel", "--outdir", str(outdir)]
    if _has_module("hatchling"):
        command.append("--no-isolation")
    command.append(str(project_dir))
    _run(command, what=f"building {project_dir}")
    wheels = sorted(outdir.glob("*.whl"))
    sdists = sorted(outdir.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise LifecycleError(f"building {project_dir} did not produce one wheel and one sdist")
    name, version, _build, _tags = parse_wheel_filename(wheels[0].name)
    return BuiltProject(str(name), version, (sdists[0], wheels[0]))


def twine_check(files: Sequence[Path]) -> None:
    """``twine check`` (errors fail; warnings such as a missing long description do not)."""
    _run([sys.executable, "-m", "twine", "check", *map(str, files)], what="twine check")


def twine_upload(
    files: Sequence[Path],
    repository_url: str,
    credentials: Credentials,
    *,
    skip_existing: bool = False,
) -> None:
    """``twine upload --repository-url URL``; credentials via the environment only."""
    env = dict(os.environ)
    for key in ("TWINE_USERNAME", "TWINE_PASSWORD", "TWINE_REPOSITORY", "TWINE_REPOSITORY_URL"):
        env.pop(key, None)
    # twine insists on a username; an open index accepts any.
    env["TWINE_USERNAME"] = credentials.username or "reactor-gen"
    env["TWINE_PASSWORD"] = credentials.password or ""
    env["TWINE_NON_INTERACTIVE"] = "1"
    command = [
        sys.executable,
        "-m",
        "twine",
        "upload",
        "--repository-url",
        repository_url,
        "--non-interactive",
        "--disable-progress-bar",
    ]
    if skip_existing:
        command.append("--skip-existing")
    command += [str(f) for f in files]
    _run(command, what=f"upload to {repository_url}", secrets=credentials.secrets(), env=env)


def _build_and_look_up(
    project_dir: Path,
    *,
    index_url: str,
    credentials: Credentials,
    workdir: Path,
    console: Console,
    skip_existing: bool,
    only_if_missing: bool,
) -> tuple[BuiltProject, PublishOutcome | None]:
    """Build ``project_dir``; the outcome is set when nothing needs uploading."""
    with step(console, f"building {project_dir.name}"):
        built = build_dists(project_dir, workdir / canonicalize_name(project_dir.name))
    on_index = versions(index_url, built.name, auth=credentials.auth)
    if built.version not in on_index:
        return built, None
    if only_if_missing:
        return built, "present"
    if not skip_existing:
        raise LifecycleError(
            f"{built.name} {built.version} is already on {index_url}; bump the "
            "schema's info.version or pass --skip-existing"
        )
    return built, "already published"


def _check_and_upload(
    built: BuiltProject,
    *,
    repository_url: str,
    credentials: Credentials,
    console: Console,
    skip_existing: bool,
) -> PublishResult:
    with step(console, f"twine check {built.name} {built.version}"):
        twine_check(built.files)
    with step(console, f"uploading {built.name} {built.version}"):
        twine_upload(built.files, repository_url, credentials, skip_existing=skip_existing)
    return PublishResult(built.name, built.version, "uploaded", tuple(f.name for f in built.files))


def publish_dir(
    project_dir: Path,
    *,
    repository_url: str,
    index_url: str,
    credentials: Credentials,
    workdir: Path,
    console: Console,
    skip_existing: bool = False,
    only_if_missing: bool = False,
) -> PublishResult:
    """Build, check and upload one project.

    ``only_if_missing``: a version already on the index is fine (``present``), used for
    the runtime core. Otherwise an existing version is an error unless ``skip_existing``.
    """
    built, outcome = _build_and_look_up(
        project_dir,
        index_url=index_url,
        credentials=credentials,
        workdir=workdir,
        console=console,
        skip_existing=skip_existing,
        only_if_missing=only_if_missing,
    )
    if outcome is not None:
        return PublishResult(built.name, built.version, outcome, tuple(f.name for f in built.files))
    return _check_and_upload(
        built,
        repository_url=repository_url,
        credentials=credentials,
        console=console,
        skip_existing=skip_existing,
    )


def publish(
    name: str,
    layout: Layout,
    *,
    repository_url: str,
    credentials: Credentials,
    console: Console,
    index_url: str | None = None,
    skip_existing: bool = False,
    with_runtime: bool = True,
    package_dir: Path | None = None,
    before_upload: Callable[[BuiltProject], None] | None = None,
) -> list[PublishResult]:
    """Publish ``generated/<name>/`` (and ``runtime/`` when the index lacks its version).

    The package is built and looked up first (so an already published version fails
    before anything is uploaded); ``before_upload`` (e.g. a test import) runs on the
    package's dists before any upload. Returns one result per project, runtime first.
    """
    project = package_dir or layout.package_dir(name)
    if not (project / "pyproject.toml").is_file():
        known = layout.model_names()
        hint = did_you_mean(name, known) if name not in known else ""
        raise LifecycleError(
            f"no generated package for {name!r} at {project}"
            + (hint or f"; run: reactor-gen build {name}")
        )
    if with_runtime and not (layout.runtime / "pyproject.toml").is_file():
        raise LifecycleError(f"no runtime core at {layout.runtime}")
    simple = index_url or index_url_for(repository_url)
    results: list[PublishResult] = []
    with tempfile.TemporaryDirectory(prefix="reactor-gen-publish-") as tmp:
        workdir = Path(tmp)
        built, outcome = _build_and_look_up(
            project,
            index_url=simple,
            credentials=credentials,
            workdir=workdir,
            console=console,
            skip_existing=skip_existing,
            only_if_missing=False,
        )
        if outcome is None and before_upload is not None:
            with step(console, f"test import of {built.name} {built.version}"):
                before_upload(built)
        if with_runtime:
            results.append(
                publish_dir(
                    layout.runtime,
                    repository_url=repository_url,
                    index_url=simple,
                    credentials=credentials,
                    workdir=workdir,
                    console=console,
                    only_if_missing=True,
                )
            )
        if outcome is not None:
            names = tuple(f.name for f in built.files)
            results.append(PublishResult(built.name, built.version, outcome, names))
        else:
            results.append(
                _check_and_upload(
                    built,
                    repository_url=repository_url,
                    credentials=credentials,
                    console=console,
                    skip_existing=skip_existing,
                )
            )
    return results
