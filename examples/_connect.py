"""Shared command line of the examples: ``--local [URL]`` (or ``--local --url URL``) or the
cloud (``--api-key`` / ``REACTOR_API_KEY``, ``--url`` for another API), plus ``--out DIR``
for files an example writes: the convention of ``play`` and the scaffold's ``main.py`` too."""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

LOCAL_URL = "http://localhost:8080"


def parse(
    description: str, argv: list[str] | None = None, *, seconds: float | None = None
) -> argparse.Namespace:
    """The shared options; ``seconds``: also ``--seconds N`` with that default."""
    parser = argparse.ArgumentParser(description=description)
    if seconds is not None:
        parser.add_argument(
            "--seconds", type=float, default=seconds, help=f"how long (default {seconds:g})"
        )
    parser.add_argument(
        "--local",
        nargs="?",
        const="",
        metavar="URL",
        help=f"a local reactor-runtime at URL (default {LOCAL_URL})",
    )
    parser.add_argument(
        "--url", help="the local runtime's URL (the same as --local URL), or the Reactor API's"
    )
    parser.add_argument(
        "--api-key", default=os.environ.get("REACTOR_API_KEY"), help="Reactor API key (cloud)"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("."), help="directory for files written (default .)"
    )
    args = parser.parse_args(argv)
    if args.local is None and not args.api_key:
        parser.error(
            "pass --local [URL] for a local runtime, or --api-key / REACTOR_API_KEY for the cloud"
        )
    if args.local and args.url and args.local != args.url:
        parser.error(f"--local {args.local} and --url {args.url} disagree: give the URL once")
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def model_options(args: argparse.Namespace) -> dict[str, Any]:
    """Constructor keywords of a generated model class for these arguments."""
    if args.local is not None:
        return {"url": args.local or args.url or LOCAL_URL, "local": True}
    if args.url:
        return {"api_key": args.api_key, "url": args.url}
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
