"""Run the stand-in's server by path under an interpreter that has reactor-runtime but not
necessarily reactor-client (``python .../reactor_client/apps/mock/_standalone.py ARGS``).

The modules beside this file (``runner``, ``model``, ``surface``, ``pattern``) import only
the standard library, numpy and reactor-runtime, and each other relatively; they are loaded
here as the package ``_reactor_stand_in_app`` without importing ``reactor_client`` (whose
dependencies that interpreter may lack).
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    if sys.path and Path(sys.path[0] or ".").resolve() == here:
        del sys.path[0]  # the modules here are reached through the package below only
    package = types.ModuleType("_reactor_stand_in_app")
    package.__path__ = [str(here)]
    sys.modules[package.__name__] = package
    runner = importlib.import_module("_reactor_stand_in_app.runner")
    raise SystemExit(runner.main())
