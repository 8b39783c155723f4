"""Generate a package from a schema into a temp dir and import it like an installed one
(shared by the e2e tests of packages that are not goldens in ``generated/``, or that check
the pipeline's output itself)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from reactor_gen.pipeline import build


@contextmanager
def generated_package(schema: Path, out: Path, module: str) -> Iterator[ModuleType]:
    """Build ``schema`` into ``out`` and import ``module`` from there; unimport it afterwards."""
    package = build(schema)
    for rel, text in package.files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(module)
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n.startswith(module)]:
            del sys.modules[name]
