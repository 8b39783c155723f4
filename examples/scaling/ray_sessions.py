"""Sessions across machines with Ray: every item is a Ray task holding one session, Ray retries
the tries that failed for a transient reason, and the driver gathers a result per item.

    pip install 'reactor-client[ray]' reactor-models-feature-model
    # local runtimes (a local runtime serves one session at a time): one URL each
    python examples/scaling/ray_sessions.py --url http://127.0.0.1:8081 --url http://127.0.0.1:8082
    # the cloud (5 sessions at once and 10 new a minute per account): --api-key KEY
    # an existing cluster instead of a local one: --ray-address auto

What runs where (docs/scaling.md):

* ``RuntimePool`` (an actor): lends each local runtime URL to one task at a time and counts
  each item's tries; a URL where no runtime answered twice in a row is set aside.
* ``StartLimiter`` (an actor): the cloud's 10 new sessions a minute (burst 3), for the whole
  cluster (a token bucket, ``reactor_client.batch.TokenBucket``).
* ``paint`` (a task): one item, one session (``reactor_client.batch.run_item_sync``); a
  transient failure (network, 5xx, 429, a dropped transport) raises ``TransientItemError``
  after waiting out its backoff and ``Retry-After``, and Ray runs the task again
  (``max_retries`` + ``retry_exceptions``); any other failure is returned as the item's error.
* The custom resource ``reactor_session`` caps the sessions running at once, cluster-wide
  (local: one per runtime URL; cloud: 5).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ray
from ray.exceptions import RayTaskError
from reactor_models.feature_model import FeatureModel

from reactor_client.batch import TokenBucket, TransientItemError, run_item_sync

CLOUD_SESSIONS = 5  # concurrent sessions per account (wire-protocol.md section 3.7)
CLOUD_STARTS_PER_MINUTE = 10  # new sessions per minute per account, burst 3
COLORS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255), (255, 0, 255)]


async def paint_one(model: FeatureModel, rgb: tuple[int, int, int]) -> dict[str, Any]:
    """The work of one item on its own connected session: set a colour, wait until the
    picture shows it."""
    red, green, blue = rgb
    await model.set_color(red=red, green=green, blue=blue)
    frames = model.main_video.ndarrays()
    try:
        async for frame in frames:  # the runtime queues a few frames: read until it shows
            pixel = frame[frame.shape[0] // 2, frame.shape[1] // 2].tolist()
            if all(abs(int(p) - c) <= 40 for p, c in zip(pixel, rgb, strict=True)):
                return {"pixel": pixel, "session": model.session_id}
    finally:
        await frames.aclose()
    raise RuntimeError("the video ended before it showed the colour")


class Runtimes:
    """Local runtime URLs, each lent to one task at a time (an async actor: ``acquire``
    waits for a free URL without blocking the others)."""

    def __init__(self, urls: Sequence[str], max_failures: int = 2) -> None:
        self.free: deque[str] = deque(urls)
        self.failures = dict.fromkeys(urls, 0)
        self.max_failures = max_failures
        self.set_aside: list[str] = []
        self.tries: dict[str, int] = {}
        self.changed: asyncio.Condition | None = None

    async def acquire(self, key: str) -> tuple[str, int]:
        self.changed = self.changed or asyncio.Condition()
        async with self.changed:
            while not self.free:
                if len(self.set_aside) == len(self.failures):
                    raise RuntimeError(f"no runtime left: nothing answered at {self.set_aside}")
                await self.changed.wait()
            self.tries[key] = self.tries.get(key, 0) + 1
            return self.free.popleft(), self.tries[key]

    async def aside(self) -> list[str]:
        return list(self.set_aside)

    async def release(self, url: str, unreachable: bool) -> bool:
        self.changed = self.changed or asyncio.Condition()
        async with self.changed:
            self.failures[url] = self.failures[url] + 1 if unreachable else 0
            aside = self.failures[url] >= self.max_failures
            if aside:
                self.set_aside.append(url)
            else:
                self.free.append(url)
            self.changed.notify_all()
            return aside


class StartBucket:
    """New sessions per minute for the whole cluster."""

    def __init__(self, per_minute: float, burst: int = 3) -> None:
        self.bucket = TokenBucket(per_minute, burst)

    def reserve(self) -> float:
        return self.bucket.reserve()


# Actors (Ray's decorator applied as a call: type checkers see what it returns)
RuntimePool = ray.remote(Runtimes)
StartLimiter = ray.remote(StartBucket)
#: What Ray retries a task for (Ray documents a list of exception types; its stubs say bool)
RETRIED_BY_RAY: Any = [TransientItemError]


@ray.remote(num_cpus=0.5, max_retries=3, retry_exceptions=RETRIED_BY_RAY)
def paint(
    rgb: tuple[int, int, int],
    pool: Any,
    limiter: Any,
    options: dict[str, Any],
) -> dict[str, Any]:
    """One item, one session, one try (Ray makes the others)."""
    key = json.dumps(list(rgb))
    url, tries = ray.get(pool.acquire.remote(key)) if pool is not None else (None, 0)
    if limiter is not None:
        time.sleep(ray.get(limiter.reserve.remote()))

    def give_back(unreachable: bool) -> None:
        if pool is not None:
            ray.get(pool.release.remote(url, unreachable))

    try:
        result = run_item_sync(
            paint_one, rgb, model=FeatureModel, options=options, url=url, timeout=60
        )
    except TransientItemError as exc:
        give_back(exc.unreachable)
        time.sleep(exc.delay)  # back off (at least the server's Retry-After); Ray tries again
        raise
    except BaseException:
        give_back(False)
        raise
    give_back(False)
    return {
        "item": list(rgb),
        "ok": result.ok,
        "value": result.value,
        "error": result.error_line or None,
        "url": url,
        "tries": tries,
    }


def gather(futures: dict[Any, tuple[int, int, int]]) -> list[dict[str, Any]]:
    """Every item's result; a task whose every try failed becomes the item's error."""
    results = []
    for future, rgb in futures.items():
        try:
            results.append(ray.get(future))
        except RayTaskError as exc:
            cause = exc.cause if exc.cause is not None else exc
            line = " ".join(str(cause).split())
            results.append({"item": list(rgb), "ok": False, "value": None, "error": line})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--url", action="append", default=[], help="a local runtime (repeat)")
    parser.add_argument("--api-key", default=os.environ.get("REACTOR_API_KEY"), help="the cloud")
    parser.add_argument("--api-url", help="the Reactor API's URL (with --api-key)")
    parser.add_argument("--ray-address", help="an existing cluster ('auto'); default: a local one")
    parser.add_argument("--num-cpus", type=int, default=2, help="CPUs of a local cluster")
    parser.add_argument("--results", type=Path, help="write one JSON line per item here")
    args = parser.parse_args(argv)
    if not args.url and not args.api_key:
        parser.error("pass --url URL (repeat) for local runtimes, or --api-key for the cloud")

    sessions = len(args.url) if args.url else CLOUD_SESSIONS
    if args.ray_address:
        ray.init(address=args.ray_address)  # its nodes declare reactor_session (docs/scaling.md)
    else:  # a cluster of this machine only: head and workers on 127.0.0.1
        ray.init(
            address="local",
            num_cpus=args.num_cpus,
            resources={"reactor_session": sessions},
            include_dashboard=False,
            object_store_memory=256 * 1024 * 1024,  # results are small
            _node_ip_address="127.0.0.1",
        )
    try:
        pool: Any = None  # actor handles (Ray's stubs do not type async actor methods)
        limiter: Any = None
        if args.url:
            pool, options = RuntimePool.remote(args.url), {"local": True}
        else:
            limiter = StartLimiter.remote(CLOUD_STARTS_PER_MINUTE)
            options = {"api_key": args.api_key, **({"url": args.api_url} if args.api_url else {})}
        task = paint.options(resources={"reactor_session": 1})
        futures = {task.remote(rgb, pool, limiter, options): rgb for rgb in COLORS}
        results = gather(futures)
        aside: list[str] = ray.get(pool.aside.remote()) if pool is not None else []
    finally:
        ray.shutdown()

    for result in results:
        if result["ok"]:
            print(f"{result['item']}: pixel {result['value']['pixel']} (tries {result['tries']})")
        else:
            print(f"{result['item']}: error: {result['error']}")
    for url in aside:
        print(f"{url}: set aside (no runtime answered twice in a row)")
    retried = sum(1 for r in results if r.get("tries", 1) > 1)
    ok = sum(1 for r in results if r["ok"])
    print(f"{ok} of {len(results)} items ok; {retried} retried by Ray")
    if args.results:
        args.results.write_text("".join(json.dumps(r) + "\n" for r in results))
    return 0 if ok == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
