"""How often a 36 MB download after a 36 MB upload wedges, per client (docs/known-issues.md).

One trial is one fresh stepped session on the real reactor-runtime 3.10.0 (``stepped_model``):
step 1 uploads a 4000x3000 camera frame (36 MB), step 2 asks for a 4000x3000 frame back
(36 MB). A trial that does not finish within ``--deadline`` seconds, or whose session is lost,
counts as wedged. Clients: ours on the native transport, ours on aiortc, the vendor's
``reactor_sdk`` 1.13 (its own native engine). Each client runs in its own process, the order
alternates between rounds. Prints a table; nothing fails on a number.

    .venv/bin/python bench/native_wedge.py --rounds 2 --trials 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
SIZE = (3000, 4000, 3)
CLIENTS = ("ours-native", "ours-aiortc", "vendor")


def _camera() -> Any:
    import numpy as np

    return np.random.default_rng(5).integers(0, 256, SIZE, dtype=np.uint8)


async def _ours_trial(url: str, transport: str) -> None:
    import reactor_client

    camera = _camera()
    async with reactor_client.ReactorClient(
        "stepped-model", url=url, local=True, generation="stepped", transport=transport
    ) as client:
        await client.step({"frames": 0}, media={"camera": [camera]})
        result = await client.step({"frames": 1, "width": SIZE[1], "height": SIZE[0], "level": 3})
        assert result.frames("main_video")[0].shape == SIZE


async def _vendor_trial(url: str) -> None:
    from reactor_sdk import Reactor

    camera = _camera()
    reactor = Reactor("stepped-model", local=True, api_url=url, generation="stepped")
    await reactor.connect()
    try:
        await reactor.track("camera").publish()
        await reactor.step(state={"frames": 0}, media={"camera": [camera]})
        result = await reactor.step(
            state={"frames": 1, "width": SIZE[1], "height": SIZE[0], "level": 3}
        )
        assert result.track("main_video").frames[0].array.shape == SIZE
    finally:
        await reactor.disconnect()
        reactor.close()


async def _trials(client: str, url: str, trials: int, deadline: float) -> dict[str, Any]:
    outcomes: list[str] = []
    seconds: list[float] = []
    for _ in range(trials):
        trial = _vendor_trial(url) if client == "vendor" else _ours_trial(url, client[5:])
        started = time.monotonic()
        try:
            await asyncio.wait_for(trial, deadline)
            outcomes.append("ok")
            seconds.append(time.monotonic() - started)
        except Exception as exc:  # noqa: BLE001 - a wedge shows as a timeout or a lost session
            outcomes.append(f"wedged: {type(exc).__name__}: {exc}"[:160])
        await asyncio.sleep(1.0)  # let the runtime finish the session
    return {"outcomes": outcomes, "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--worker", choices=CLIENTS)
    parser.add_argument("--url")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--trials", type=int, default=10, help="trials per client per round")
    parser.add_argument("--deadline", type=float, default=40.0)
    parser.add_argument("--clients", nargs="*", default=list(CLIENTS), choices=CLIENTS)
    args = parser.parse_args(argv)
    if args.worker:
        result = asyncio.run(_trials(args.worker, args.url, args.trials, args.deadline))
        print(json.dumps(result), flush=True)
        return 0

    sys.path.insert(0, str(BENCH_DIR))
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    from _common import OUR_VENV, PEER_VENV, fmt, median, print_table, run_worker
    from harness.server import MODELS_DIR, RuntimeServer

    pythons = {c: OUR_VENV / "bin" / "python" for c in CLIENTS}
    pythons["vendor"] = PEER_VENV / "bin" / "python"
    clients = [c for c in args.clients if pythons[c].exists()]
    for missing in sorted(set(args.clients) - set(clients)):
        print(f"{missing}: {pythons[missing]} missing (bench/setup_peers.sh), not measured")
    totals: dict[str, dict[str, list[Any]]] = {c: {"outcomes": [], "seconds": []} for c in clients}
    with RuntimeServer(MODELS_DIR / "stepped_model") as server:
        for round_no in range(args.rounds):
            order = clients if round_no % 2 == 0 else list(reversed(clients))
            for client in order:
                cmd = [str(pythons[client]), str(Path(__file__).resolve()), "--worker", client]
                cmd += ["--url", server.url, "--trials", str(args.trials)]
                cmd += ["--deadline", str(args.deadline)]
                result = run_worker(cmd, timeout=args.trials * (args.deadline + 5) + 60)
                if "error" in result:
                    print(f"{client}: worker failed: {result['error']}")
                    continue
                totals[client]["outcomes"] += result["outcomes"]
                totals[client]["seconds"] += result["seconds"]
    rows = []
    for client, total in totals.items():
        outcomes = total["outcomes"]
        wedged = [o for o in outcomes if o != "ok"]
        ok_median = fmt(median(total["seconds"])) if total["seconds"] else "-"
        rows.append([client, str(len(outcomes)), str(len(wedged)), ok_median])
        for reason in sorted(set(wedged)):
            print(f"{client}: {wedged.count(reason)}x {reason}")
    print_table(
        "36 MB up, then 36 MB down, one fresh stepped session per trial",
        ["client", "trials", "wedged", "median s (ok trials)"],
        rows,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
