"""What every measured client process of the benchmarks shares (stdlib only: it also runs in
``bench/.venv-peers``): the command line and the one-JSON-line report."""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable, Coroutine
from typing import Any


def parser() -> argparse.ArgumentParser:
    """``--client ours|vendor`` plus the caller's own options."""
    p = argparse.ArgumentParser()
    p.add_argument("--client", choices=("ours", "vendor"), required=True)
    return p


def report(run: Callable[[argparse.Namespace], Coroutine[Any, Any, dict[str, Any]]], args: argparse.Namespace) -> int:
    """Run ``run(args)`` and print its result (or the error) as one JSON line; exit status."""
    try:
        result = asyncio.run(run(args))
    except BaseException as exc:  # noqa: BLE001 - report, don't hide
        print(json.dumps({"client": args.client, "error": f"{type(exc).__name__}: {exc}"}), flush=True)
        return 1
    print(json.dumps(result), flush=True)
    return 0
