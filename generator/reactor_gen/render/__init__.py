"""Rendering: a named :class:`~reactor_gen.ir.model.ModelIR` → an in-memory file map.

One Jinja :class:`~jinja2.Environment` (``StrictUndefined``, ``trim_blocks``,
``lstrip_blocks``, ``keep_trailing_newline``, no autoescape) loads the repository's
top-level ``templates/`` folder, falling back to the copy packaged as
``reactor_gen/_templates``. Everything a template needs that is more than a lookup
(type expressions, defaults, docstrings, README examples) is computed here, in Python,
into small view objects (:mod:`reactor_gen.render.views`); the templates only lay text
out (``pg``, the playground page's view from :mod:`reactor_gen.render.playground`, and
``mk``, the stand-in model's data from :mod:`reactor_gen.render.mock`, are passed to every
template beside ``m``). Schema text reaches the output exclusively
through the escaping filters of :mod:`reactor_gen.render.filters`.

The result is ``{relative path: text}`` sorted by path, unformatted (see
:mod:`reactor_gen.format`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import jinja2

from reactor_gen.cache import jinja_cache_dir
from reactor_gen.ir.model import ModelIR
from reactor_gen.render import filters, pylayout
from reactor_gen.render.mock import build_mock_view
from reactor_gen.render.playground import PlaygroundView, build_playground
from reactor_gen.render.precompiled import loader_for
from reactor_gen.render.scaffold import FILES as SCAFFOLD_FILES
from reactor_gen.render.scaffold import build_scaffold_view
from reactor_gen.render.testing import build_testing_view
from reactor_gen.render.views import ModelView, build_view
from reactor_gen.version import GENERATOR_NAME, GENERATOR_VERSION

__all__ = ["TEMPLATE_FILES", "make_environment", "render_model", "templates_dir"]

TEMPLATE_FILES: tuple[tuple[str, str], ...] = (
    ("README.md", "README.md.jinja"),
    ("pyproject.toml", "pyproject.toml.jinja"),
    ("reactor_models/{package}/__init__.py", "package/__init__.py.jinja"),
    ("reactor_models/{package}/__main__.py", "package/__main__.py.jinja"),
    ("reactor_models/{package}/_client.py", "package/_client.py.jinja"),
    ("reactor_models/{package}/commands.py", "package/commands.py.jinja"),
    ("reactor_models/{package}/listeners.py", "package/listeners.py.jinja"),
    ("reactor_models/{package}/messages.py", "package/messages.py.jinja"),
    ("reactor_models/{package}/_surface.json", "package/surface.json.jinja"),
    ("reactor_models/{package}/_playground/__init__.py", "package/playground/__init__.py.jinja"),
    ("reactor_models/{package}/_playground/index.html", "package/playground/index.html.jinja"),
    ("reactor_models/{package}/py.typed", "package/py.typed.jinja"),
    ("reactor_models/{package}/sync.py", "package/sync.py.jinja"),
    ("reactor_models/{package}/testing/__init__.py", "package/testing/__init__.py.jinja"),
    ("reactor_models/{package}/testing/sync.py", "package/testing/sync.py.jinja"),
    ("reactor_models/{package}/tracks.py", "package/tracks.py.jinja"),
    ("reactor_models/{package}/_scaffold/__init__.py", "scaffold/__init__.py.jinja"),
    *(
        (f"reactor_models/{{package}}/_scaffold/{data}", template)
        for _project, data, template in SCAFFOLD_FILES
    ),
)
"""(output path pattern, template name) of every generated file."""


def templates_dir() -> Path:
    """The repository's ``templates/`` folder, else the packaged ``_templates`` copy."""
    repo = Path(__file__).resolve().parents[3] / "templates"
    if (repo / "package").is_dir():
        return repo
    return Path(__file__).resolve().parents[1] / "_templates"


@functools.lru_cache(maxsize=4)
def make_environment(directory: Path | None = None) -> jinja2.Environment:
    """The one Jinja environment (cached per template directory)."""
    bytecode_dir = jinja_cache_dir()
    env = jinja2.Environment(
        loader=loader_for(directory or templates_dir()),
        bytecode_cache=(
            jinja2.FileSystemBytecodeCache(str(bytecode_dir)) if bytecode_dir else None
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(
        {
            "py_str": filters.py_str,
            "py_literal": filters.py_literal,
            "py_value": filters.py_value,
            "docstring": filters.docstring,
            "comment": filters.comment_text,
            "html_comment": filters.html_comment_text,
            "html": filters.html_text,
            "html_code": filters.html_code_text,
            "md_cell": filters.md_cell,
            "md_inline": filters.md_inline,
            "md_text": filters.md_text,
            "toml_str": filters.toml_str,
            "wrap": filters.wrap,
            "with_extra": filters.with_extra,
        }
    )
    env.globals.update({"generator_name": GENERATOR_NAME, "generator_version": GENERATOR_VERSION})
    env.globals.update({name: getattr(pylayout, name) for name in pylayout.TEMPLATE_GLOBALS})
    return env


def render_model(
    ir: ModelIR,
    *,
    schema_name: str,
    schema_sha256: str,
    directory: Path | None = None,
    on_file: Callable[[str, str], None] | None = None,
) -> dict[str, str]:
    """Render every file of ``ir``'s package: ``{relative path: text}`` sorted by path.

    ``schema_name`` is the schema's file name (``longlive-v2.json``) and
    ``schema_sha256`` the hex digest of its bytes; both go into the file headers.
    ``on_file(path, text)`` is called as each file is rendered (the early formatter starts
    on it while the rest renders).
    """
    if not ir.prefix or not ir.package:
        raise ValueError("render_model() needs a named IR (run reactor_gen.naming)")
    env = make_environment(directory)
    view: ModelView = build_view(ir, schema_name=schema_name, sha256=schema_sha256)
    scaffold = build_scaffold_view(ir, view.distribution)
    playground: PlaygroundView = build_playground(view)
    kit = build_testing_view(view)
    stand_in = build_mock_view(
        ir,
        f"Generated by {GENERATOR_NAME} {GENERATOR_VERSION} from {schema_name} "
        f"(sha256 {schema_sha256}). Do not edit.",
    )
    files: dict[str, str] = {}
    for pattern, template in TEMPLATE_FILES:
        path = pattern.format(package=ir.package)
        files[path] = env.get_template(template).render(
            m=view, s=scaffold, pg=playground, t=kit, mk=stand_in
        )
        if on_file is not None:
            on_file(path, files[path])
    return dict(sorted(files.items()))
