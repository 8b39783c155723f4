"""Helpers of tests/scaling: the stepped test model's package (generated from its committed
schema into a temp dir by the same pipeline as ``generated/`` and imported like an installed
one: it is not a golden), and waiting for runtimes to have no session left."""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from harness.server import MODELS_DIR, RuntimeServer

from reactor_gen.pipeline import build

STEPPED_DIR = MODELS_DIR / "stepped_model"
MODULE = "reactor_models.stepped_model"


@contextmanager
def stepped_sdk(out: Path) -> Iterator[ModuleType]:
    package = build(STEPPED_DIR / "stepped-model.json")
    for rel, text in package.files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(MODULE)
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n.startswith(MODULE)]:
            del sys.modules[name]


def wait_idle(servers: list[RuntimeServer], timeout: float = 10.0) -> None:
    """Every server has no session left (its ``/health`` says ``available`` again: a session
    the client stopped is torn down asynchronously, in well under a second)."""
    deadline = time.monotonic() + timeout
    while True:
        states = [s.health().get("state") for s in servers]
        if all(state == "available" for state in states):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"sessions left on the runtimes: {states}")
        time.sleep(0.1)
