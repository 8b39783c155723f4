"""Bulk data-channel throughput of aiortc's SCTP: stock vs the levers ``reactor_client`` applies.

Two aiortc peer connections in one process on loopback (``iceServers=[]``); the sender
pushes ``--mib`` MiB in ``--message-kib`` KiB binary messages on one ordered, reliable
channel and the receiver counts them. Each variant runs in a fresh process (the levers are
applied per connection, so a process holds one variant); variants alternate within a round.
Variants: ``stock`` (no lever), each single lever, and ``all`` (what a session gets).
Prints MB/s medians and the ratio to stock; ``--profile VARIANT`` prints the receiver's and
sender's top cProfile entries instead. Nothing fails on a number.

    .venv/bin/python bench/sctp_bench.py --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent


async def _transfer(variant: str, mib: int, message_kib: int) -> dict[str, Any]:
    from aiortc import RTCConfiguration, RTCPeerConnection

    from reactor_client.transport.aiortc import levers as sctp

    levers = sctp.parse_levers(variant)
    config = RTCConfiguration(iceServers=[])
    sender, receiver = RTCPeerConnection(config), RTCPeerConnection(config)
    channel = sender.createDataChannel("bulk")
    for pc in (sender, receiver):
        pc.on("datachannel", lambda ch: None)
    sctp.speed_up(sender.sctp, levers)
    total = mib * 1024 * 1024
    received = 0
    done = asyncio.Event()

    @receiver.on("datachannel")
    def _incoming(ch: Any) -> None:
        sctp.speed_up(receiver.sctp, levers)

        @ch.on("message")
        def _message(message: bytes) -> None:
            nonlocal received
            received += len(message)
            if received >= total:
                done.set()

    await sender.setLocalDescription(await sender.createOffer())
    await receiver.setRemoteDescription(sender.localDescription)
    await receiver.setLocalDescription(await receiver.createAnswer())
    await sender.setRemoteDescription(receiver.localDescription)
    for pc in (sender, receiver):
        sctp.tune_sockets(pc, levers)
    opened = asyncio.Event()
    channel.on("open", opened.set)
    await asyncio.wait_for(opened.wait(), 20)

    message = os.urandom(message_kib * 1024)
    started = time.perf_counter()
    sent = 0
    high_water = 4 * 1024 * 1024
    low = asyncio.Event()
    channel.bufferedAmountLowThreshold = high_water // 2
    channel.on("bufferedamountlow", low.set)
    while sent < total:
        if channel.bufferedAmount > high_water:
            low.clear()
            await low.wait()
        channel.send(message)
        sent += len(message)
    await asyncio.wait_for(done.wait(), 600)
    seconds = time.perf_counter() - started
    await sender.close()
    await receiver.close()
    return {"mb_per_s": total / seconds / 1e6, "seconds": seconds}


def worker(args: argparse.Namespace) -> int:
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        result = asyncio.run(_transfer(args.worker, args.mib, args.message_kib))
        profiler.disable()
        print(f"{args.worker}: {result['mb_per_s']:.1f} MB/s (under cProfile)")
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "tottime")).print_stats(
            int(os.environ.get("TOP", "25"))
        )
        return 0
    result = asyncio.run(_transfer(args.worker, args.mib, args.message_kib))
    print(json.dumps(result), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--worker")
    parser.add_argument("--profile", metavar="VARIANT")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mib", type=int, default=16)
    parser.add_argument("--message-kib", type=int, default=64)
    parser.add_argument("--variants", nargs="*")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)
    sys.path.insert(0, str(REPO_ROOT / "runtime"))
    sys.path.insert(0, str(BENCH_DIR))
    from _common import (
        OUR_VENV,
        command_line,
        fmt,
        git_state,
        machine_lines,
        markdown_table,
        median,
        print_table,
        ratio,
        run_worker,
        update_doc_section,
    )

    from reactor_client.transport.aiortc import levers as sctp

    python = str(OUR_VENV / "bin" / "python")
    if args.profile:
        cmd = [python, __file__, "--worker", args.profile, "--profile", args.profile]
        cmd += ["--mib", str(args.mib), "--message-kib", str(args.message_kib)]
        return subprocess.run(cmd, cwd=REPO_ROOT, check=False).returncode
    variants = args.variants or ["stock", *sctp.LEVERS, "all"]
    results: dict[str, list[float]] = {v: [] for v in variants}
    for round_no in range(args.rounds):
        order = variants if round_no % 2 == 0 else list(reversed(variants))
        for variant in order:
            cmd = [python, __file__, "--worker", variant, "--mib", str(args.mib)]
            cmd += ["--message-kib", str(args.message_kib)]
            result = run_worker(cmd, timeout=900)
            if "error" in result:
                print(f"{variant}: {result['error']}")
                continue
            results[variant].append(result["mb_per_s"])
            print(f"round {round_no + 1} {variant}: {result['mb_per_s']:.1f} MB/s", flush=True)
    stock = median(results.get("stock", []))
    header = ["variant", "MB/s (median)", "runs", "x stock"]
    rows = [
        [v, fmt(median(r), 1), str(len(r)), fmt(ratio(median(r), stock))]
        for v, r in results.items()
    ]
    title = f"aiortc data channel, {args.mib} MiB in {args.message_kib} KiB messages, loopback"
    print_table(title, header, rows)
    if not args.no_doc:
        body = "\n".join(
            [
                "## aiortc data channel: stock SCTP vs the levers `reactor_client` applies",
                "",
                f"`{command_line()}`, {git_state(['runtime/reactor_client/transport/aiortc'])}.",
                *machine_lines(),
                "",
                markdown_table(header, rows),
                "",
                "Two aiortc peers in one process; both ends get the variant. `all` is what every",
                "aiortc session of `reactor_client` runs (`REACTOR_SCTP_LEVERS` overrides it).",
            ]
        )
        update_doc_section("sctp-bench", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
