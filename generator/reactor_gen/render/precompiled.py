"""Templates compiled ahead of time, shipped with the generator like ``.pyc`` files.

Compiling the ~30 Jinja templates is most of a first render (~0.1 s of CPU), so their
compiled form is part of the generator: ``reactor_gen/_compiled_templates/`` holds one
Python module per template (Jinja's :class:`~jinja2.ModuleLoader` layout) and a manifest of
the sha256 of every template source it was compiled from, of the code that shapes compiling
(the environment's options, the filters) and the Jinja version.

:func:`loader_for` uses them only when they are exactly current: every template in the
directory has the recorded hash, none is missing or added, and the environment, filters and
Jinja version are the ones it was compiled with.
Otherwise (a template edited in a checkout, another Jinja, or
``REACTOR_GEN_NO_PRECOMPILED=1``) templates compile from source, as before, and the output is
the same either way (tested). After editing a template, run ``scripts/precompile-templates``
(``tests/generator/test_render.py`` fails until the compiled copy is current again).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import jinja2

__all__ = ["COMPILED_DIR", "loader_for", "precompile", "source_hashes"]

COMPILED_DIR = Path(__file__).resolve().parents[1] / "_compiled_templates"
MANIFEST = "MANIFEST.json"


def source_hashes(directory: Path) -> dict[str, str]:
    """``{template name: sha256 of its source}`` for every template under ``directory``."""
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*.jinja"))
    }


_COMPILE_INPUTS = (
    "render/__init__.py",
    "render/filters.py",
    "render/pylayout.py",
    "pyliterals.py",
    "jsonvalue.py",
)
"""Code that shapes compiled templates besides their sources: the environment's options
(``make_environment``) and the filters Jinja's optimizer may run at compile time."""


def _manifest(directory: Path) -> dict[str, object]:
    package = Path(__file__).resolve().parents[1]
    code = hashlib.sha256()
    for name in _COMPILE_INPUTS:
        code.update((package / name).read_bytes())
    return {
        "jinja2": jinja2.__version__,
        "code": code.hexdigest(),
        "templates": source_hashes(directory),
    }


def loader_for(directory: Path) -> jinja2.BaseLoader:
    """The loader of the templates in ``directory``: the compiled copy when it is current
    (and ``REACTOR_GEN_NO_PRECOMPILED`` is not set), else the sources."""
    sources = jinja2.FileSystemLoader(str(directory))
    if os.environ.get("REACTOR_GEN_NO_PRECOMPILED"):
        return sources
    try:
        recorded = json.loads((COMPILED_DIR / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return sources
    if recorded != _manifest(directory):
        return sources
    return jinja2.ChoiceLoader([jinja2.ModuleLoader(str(COMPILED_DIR)), sources])


def precompile(env: jinja2.Environment, directory: Path, target: Path = COMPILED_DIR) -> int:
    """Compile every template of ``directory`` with ``env``'s settings into ``target``
    (replacing it); the number of templates."""
    names = sorted(source_hashes(directory))
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in names:
        source = (directory / name).read_text(encoding="utf-8")
        code = env.compile(source, name, None, raw=True, defer_init=True)
        module = jinja2.ModuleLoader.get_module_filename(name)
        (staging / module).write_text(str(code), encoding="utf-8")
    (staging / MANIFEST).write_text(
        json.dumps(_manifest(directory), indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return len(names)


def main() -> int:
    from reactor_gen.render import make_environment, templates_dir

    directory = templates_dir()
    count = precompile(make_environment.__wrapped__(directory), directory)
    print(f"compiled {count} templates into {COMPILED_DIR}", file=sys.stderr)
    return 0
