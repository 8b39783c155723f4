"""Shared command line of the examples: ``--local [URL]`` or the cloud (``--api-key`` /
``REACTOR_API_KEY``), plus ``--out DIR`` for files an example writes."""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any


def parse(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--local",
        nargs="?",
        const="http://localhost:8080",
        metavar="URL",
        help="a local reactor-runtime (default URL http://localhost:8080)",
    )
    parser.add_argument(
        "--api-key", default=os.environ.get("REACTOR_API_KEY"), help="Reactor API key (cloud)"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("."), help="directory for files written (default .)"
    )
    args = parser.parse_args()
    if args.local is None and not args.api_key:
        parser.error(
            "pass --local [URL] for a local runtime, or --api-key / REACTOR_API_KEY for the cloud"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def model_options(args: argparse.Namespace) -> dict[str, Any]:
    """Constructor keywords of a generated model class for these arguments."""
    if args.local is not None:
        return {"url": args.local, "local": True}
    return {"api_key": args.api_key}


def run(main: Callable[[], Coroutine[Any, Any, None] | None]) -> int:
    """Run an example's ``main`` (async or not); a Reactor error becomes one line on stderr
    and exit status 1 instead of a traceback."""
    import reactor_client

    try:
        result = main()
        if inspect.iscoroutine(result):
            asyncio.run(result)
    except reactor_client.ReactorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
