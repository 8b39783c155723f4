"""Stepped-generation benchmark: our generated SDK's ``step()`` vs the vendor ``reactor_sdk``
1.13 ``step()``, same model, same runtime, same run.

Serves the stepped test model (``tests/models/stepped_model``: the default ``ReactorApp``
step loop; a step with one ``camera`` frame answers one ``main_video`` frame of the same size,
``255 - input``) with the REAL reactor-runtime 3.10.0. For each frame size (default 160x120,
640x480, 1280x720) and for ``--rounds`` rounds it runs one session of each client, alternating
which goes first; every session is a fresh process (ours under ``.venv`` with the package
generated from ``tests/models/stepped_model/stepped-model.json``, the vendor's under
``bench/.venv-peers``) and a fresh stepped runtime session. In a session: connect with
``generation="stepped"``, publish ``camera`` (the vendor needs it; ours claims it on the first
step), ``--warmup`` steps, then ``--steps`` sequential steps each carrying one RGB frame and
returning one; the first result is checked pixel for pixel.

Rows (medians over the rounds; ratio ours/vendor): step round trip median and p95 (ms), and
throughput (MB/s: request frame + result frame bytes / median round trip).

Writes the ``step-bench`` section of ``docs/benchmarks.md``.

    .venv/bin/python bench/step_bench.py [--rounds 3] [--sizes 160x120 640x480 1280x720] [--no-doc]
    <python> bench/step_bench.py --worker ours|vendor --url URL --size WxH --steps N  (one session)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
SCHEMA = REPO_ROOT / "tests" / "models" / "stepped_model" / "stepped-model.json"
SECTION = "step-bench"
PARITY_BAND = 0.05


# ----------------------------------------------------------------------------- worker
def _frame(width: int, height: int) -> Any:
    import numpy as np

    return np.random.default_rng(width * height).integers(
        0, 256, (height, width, 3), dtype=np.uint8
    )


async def _ours(url: str, width: int, height: int, warmup: int, steps: int) -> dict[str, Any]:
    import importlib

    import numpy as np

    from reactor_gen.pipeline import build

    out = Path(tempfile.mkdtemp(prefix="step-bench-"))
    for rel, text in build(SCHEMA).files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(out))
    sdk = importlib.import_module("reactor_models.stepped_model")
    frame = _frame(width, height)
    times: list[float] = []
    async with sdk.SteppedModel(url=url, local=True, generation="stepped") as model:
        first = await model.step(state={"frames": 1}, media={"camera": [frame]})
        ok = bool(np.array_equal(first.frames("main_video")[0], 255 - frame))
        for i in range(warmup + steps):
            t = time.perf_counter()
            result = await model.step(media={"camera": [frame]})
            if i >= warmup:
                times.append(time.perf_counter() - t)
            assert result.frames("main_video")[0].shape == frame.shape
    return {"times": times, "pixels_ok": ok}


async def _vendor(url: str, width: int, height: int, warmup: int, steps: int) -> dict[str, Any]:
    import numpy as np
    from reactor_sdk import Reactor

    frame = _frame(width, height)
    times: list[float] = []
    reactor = Reactor("stepped-model", local=True, api_url=url, generation="stepped")
    await reactor.connect()
    try:
        await reactor.track("camera").publish()
        first = await reactor.step(state={"frames": 1}, media={"camera": [frame]})
        ok = bool(np.array_equal(first.track("main_video").frames[0].array, 255 - frame))
        for i in range(warmup + steps):
            t = time.perf_counter()
            result = await reactor.step(media={"camera": [frame]})
            if i >= warmup:
                times.append(time.perf_counter() - t)
            assert result.track("main_video").frames[0].array.shape == frame.shape
    finally:
        await reactor.disconnect()
        reactor.close()
    return {"times": times, "pixels_ok": ok}


def worker(args: argparse.Namespace) -> int:
    width, height = (int(v) for v in args.size.lower().split("x"))
    run = _ours if args.worker == "ours" else _vendor
    try:
        result = asyncio.run(run(args.url, width, height, args.warmup, args.steps))
    except BaseException as exc:  # noqa: BLE001 - report, don't hide
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
        return 1
    print(json.dumps(result), flush=True)
    return 0


# ----------------------------------------------------------------------------- driver
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--worker", choices=("ours", "vendor"))
    parser.add_argument("--url")
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=0, help="steps per session (0: by size)")
    parser.add_argument("--sizes", nargs="*", default=["160x120", "640x480", "1280x720"])
    parser.add_argument("--analysis", type=Path, default=BENCH_DIR / "step_profile.md")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)

    import httpx

    sys.path.insert(0, str(BENCH_DIR))
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    from _common import (
        OUR_VENV,
        PEER_VENV,
        SERVER_VENV,
        command_line,
        dist_versions,
        fmt,
        git_state,
        machine_lines,
        markdown_table,
        median,
        percentile,
        print_table,
        ratio,
        run_worker,
        update_doc_section,
    )
    from harness.server import MODELS_DIR, RuntimeServer

    pythons = {"ours": OUR_VENV / "bin" / "python", "vendor": PEER_VENV / "bin" / "python"}
    for client, python in pythons.items():
        if not python.exists():
            print(
                f"{python} missing: run {'bench/setup_peers.sh' if client == 'vendor' else 'scripts/bootstrap'}"
            )
            return 2

    def fresh(server: RuntimeServer) -> None:
        try:
            httpx.post(f"{server.url}/stop_session", json={}, timeout=5.0)
        except httpx.HTTPError:
            pass
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if server.health(timeout=1.0).get("state") == "available":
                    break
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.05)
        time.sleep(0.3)

    def steps_for(size: str) -> int:
        if args.steps:
            return int(args.steps)
        w, h = (int(v) for v in size.split("x"))
        return 40 if w * h <= 160 * 120 else 20 if w * h <= 640 * 480 else 10

    machine = machine_lines(
        [
            "- Another agent was using this machine (its own real-runtime tests) while this ran: the numbers are indicative"
        ]
    )
    revision = git_state(["runtime", "bench"])
    started = time.time()
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="step-bench-") as tmp,
        RuntimeServer(
            MODELS_DIR / "stepped_model", log_dir=Path(tmp), log_level="WARNING"
        ) as server,
    ):
        for size in args.sizes:
            runs[size] = {"ours": [], "vendor": []}
            for rnd in range(args.rounds):
                for client in ["ours", "vendor"] if rnd % 2 == 0 else ["vendor", "ours"]:
                    fresh(server)
                    cmd = [
                        str(pythons[client]),
                        __file__,
                        "--worker",
                        client,
                        "--url",
                        server.url,
                        "--size",
                        size,
                        "--steps",
                        str(steps_for(size)),
                        "--warmup",
                        str(args.warmup),
                    ]
                    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT / "generator"))
                    res = run_worker(cmd, env=env)
                    if "times" in res:
                        ms = [t * 1000.0 for t in res["times"]]
                        w, h = (int(v) for v in size.split("x"))
                        res.update(
                            med=median(ms),
                            p95=percentile(ms, 95),
                            n=len(ms),
                            mbps=2 * w * h * 3 / 1e6 / (median(ms) / 1000.0),
                        )
                        print(
                            f"  {size} round {rnd + 1} {client:6s}: {res['med']:.1f} / {res['p95']:.1f} ms, "
                            f"{res['mbps']:.1f} MB/s, pixels ok {res['pixels_ok']}",
                            flush=True,
                        )
                    else:
                        print(
                            f"  {size} round {rnd + 1} {client}: ERROR {res['error']}", flush=True
                        )
                    res["round"] = rnd + 1
                    runs[size][client].append(res)
        fresh(server)
    elapsed = time.time() - started

    metrics = [
        ("med", "step round trip, median (ms)", False, 1),
        ("p95", "step round trip, p95 (ms)", False, 1),
        ("mbps", "throughput (MB/s, frame up + frame down)", True, 1),
    ]
    header = ["size", "metric", "ours", "vendor", "ratio ours/vendor", "verdict"]
    rows: list[list[str]] = []
    losses: list[str] = []
    for size, by in runs.items():
        for key, label, higher, digits in metrics:
            ours = median([r[key] for r in by["ours"] if key in r])
            vendor = median([r[key] for r in by["vendor"] if key in r])
            r = ratio(ours, vendor)
            if math.isnan(r):
                verdict = "n/a"
            elif (r > 1 + PARITY_BAND) if higher else (r < 1 - PARITY_BAND):
                verdict = "better"
            elif (r < 1 - PARITY_BAND) if higher else (r > 1 + PARITY_BAND):
                verdict = "**worse**"
                losses.append(
                    f"- {size}, {label}: ours {fmt(ours, digits)} vs vendor {fmt(vendor, digits)}"
                )
            else:
                verdict = "parity"
            rows.append([size, label, fmt(ours, digits), fmt(vendor, digits), fmt(r), verdict])
    raw_header = ["size", "round", "client", "median / p95 (ms)", "MB/s", "steps", "pixels exact"]
    raw = [
        [
            size,
            str(r["round"]),
            client,
            f"{fmt(r['med'], 1)} / {fmt(r['p95'], 1)}"
            if "med" in r
            else "error: " + r["error"][:60],
            fmt(r.get("mbps", math.nan), 1),
            str(r.get("n", "")),
            str(r.get("pixels_ok", "")),
        ]
        for size, by in runs.items()
        for client in ("ours", "vendor")
        for r in by[client]
    ]
    print_table(f"Step bench (medians of {args.rounds} rounds)", header, rows)
    print_table("Step bench: every session", raw_header, raw)
    print(f"[step-bench] done in {elapsed:.0f}s")
    if args.no_doc:
        return 0
    ours_v = dist_versions(pythons["ours"], ["reactor-client", "aiortc", "numpy"])
    peer_v = dist_versions(pythons["vendor"], ["reactor-sdk"])
    server_v = dist_versions(SERVER_VENV / "bin" / "python", ["reactor-runtime"])
    analysis = args.analysis.read_text().strip() if args.analysis.exists() else ""
    body = "\n".join(
        [
            "## Stepped generation: generated SDK `step()` vs vendor `reactor_sdk` `step()`",
            "",
            f"Command: `{command_line()}` ({elapsed:.0f} s; tree at {revision}).",
            "",
            *machine,
            f"- Server: reactor-runtime {server_v.get('reactor-runtime', '?')} serving `tests/models/stepped_model` "
            "(one `camera` RGB frame in, one `main_video` RGB frame of the same size out, `255 - input`), loopback",
            f"- Ours: reactor-client {ours_v.get('reactor-client', '?')} (aiortc {ours_v.get('aiortc', '?')}, "
            "data-channel chunking) through the generated `SteppedModel.step()`; vendor: reactor-sdk "
            f"{peer_v.get('reactor-sdk', '?')} `Reactor.step()` (native libwebrtc); same Python",
            "",
            f"How: {args.rounds} rounds per size, one session of each client per round, alternating which goes "
            f"first, each a fresh process and a fresh stepped session; {args.warmup} warm-up steps, then "
            "sequential steps each carrying one RGB frame (RAW) and answered with one; the first result of every "
            "session is compared pixel for pixel (column *pixels exact*). Throughput counts the frame bytes both "
            f"ways over the median round trip. Verdict: within +/-{PARITY_BAND:.0%} is parity.",
            "",
            markdown_table(header, rows),
            "",
            *(
                ["Where we lose:", "", *losses, ""]
                if losses
                else ["Ours is at parity or better on every row in this run.", ""]
            ),
            *([analysis, ""] if analysis else []),
            "<details><summary>Every session</summary>",
            "",
            markdown_table(raw_header, raw),
            "",
            "</details>",
        ]
    )
    update_doc_section(SECTION, body)
    print(f"[step-bench] wrote section {SECTION!r} of docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
