"""Runtime client benchmark: our ``reactor_client`` vs the vendor ``reactor_sdk`` 1.13, same run.

Serves the LongliveV2 simulator (``tests/models/longlive_v2_sim``) with the REAL
reactor-runtime 3.10.0 (``tests/harness``' ``RuntimeServer``, from ``.venv-server``) at each
resolution (default 640x360 and 1280x720, 30 fps), and for ``--rounds`` rounds runs one
session of each client, alternating which goes first. Every session is a fresh process
(``bench/_runtime_client.py``; ours under ``.venv``, the vendor's under ``bench/.venv-peers``)
and a fresh runtime session (the client's disconnect ends it; the driver also POSTs
``/stop_session`` and waits for ``/health`` to say ``available`` before the next one).

Rows (medians over the rounds, ratio ours/vendor, and whether ours is at parity or better):

* connect -> first frame (s): from calling ``connect()`` to the first decoded RGB frame.
* command round trip, median / p95 (ms): ``--commands`` sequential ``set_seed`` commands
  while generation runs, each awaiting its correlated v1 ack.
* delivered fps: frames handed to the consumer as RGB numpy arrays over ``--window`` s.
* client CPU (% of one core): user+sys CPU of the client process over the same window.
* peak RSS (MB): ``ru_maxrss`` of the client process (informational).

Writes the ``runtime-bench`` section of ``docs/benchmarks.md``.

    .venv/bin/python bench/runtime_bench.py [--rounds 3] [--window 10] [--commands 100]
        [--sizes 640x360 1280x720] [--no-doc]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    BENCH_DIR,
    OUR_VENV,
    PEER_VENV,
    REPO_ROOT,
    SERVER_VENV,
    command_line,
    dist_versions,
    fmt,
    git_state,
    run_worker,
    machine_lines,
    markdown_table,
    median,
    percentile,
    print_table,
    ratio,
    update_doc_section,
)

sys.path.insert(0, str(REPO_ROOT / "tests"))
from harness import LONGLIVE_SIM_DIR, RuntimeServer

SECTION = "runtime-bench"
WORKER = BENCH_DIR / "_runtime_client.py"
PYTHONS = {"ours": OUR_VENV / "bin" / "python", "vendor": PEER_VENV / "bin" / "python"}
PARITY_BAND = 0.05  # within +/-5 % counts as parity


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    higher_is_better: bool
    digits: int
    informational: bool = False


METRICS = [
    Metric("first_frame_s", "connect -> first frame (s)", False, 3),
    Metric("connect_s", "connect() returns (s)", False, 3, informational=True),
    Metric("rtt_median_ms", "command round trip, median (ms)", False, 2),
    Metric("rtt_p95_ms", "command round trip, p95 (ms)", False, 2),
    Metric("fps", "delivered fps (RGB ndarrays)", True, 1),
    Metric("cpu_pct", "client CPU (% of one core)", False, 1),
    Metric("maxrss_mb", "client peak RSS (MB)", False, 0, informational=True),
]


def parse_size(text: str) -> tuple[int, int]:
    w, h = text.lower().split("x")
    return int(w), int(h)


def wait_available(server: RuntimeServer, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if server.health(timeout=1.0).get("state") == "available":
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"runtime not back to 'available' after {timeout}s: {server.log_tail(20)}")


def fresh_session(server: RuntimeServer) -> None:
    """Make sure no session is left over: stop it (a no-op when there is none), wait for idle."""
    try:
        httpx.post(f"{server.url}/stop_session", json={}, timeout=5.0)
    except httpx.HTTPError:
        pass
    wait_available(server)
    time.sleep(0.3)


def run_client(client: str, server: RuntimeServer, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [
        str(PYTHONS[client]), str(WORKER), "--client", client, "--url", server.url,
        "--window", str(args.window), "--commands", str(args.commands), "--warmup", str(args.warmup),
    ]
    if client == "ours":
        cmd += ["--ours-array", args.ours_array]
    result = {"client": client, **run_worker(cmd, timeout=120)}
    if "rtt_ms" in result:
        rtts = result.pop("rtt_ms")
        result["rtt_median_ms"] = median(rtts)
        result["rtt_p95_ms"] = percentile(rtts, 95)
        result["rtt_n"] = len(rtts)
    return result


def bench_size(width: int, height: int, args: argparse.Namespace, log_dir: Path) -> dict[str, list[dict[str, Any]]]:
    env = {
        "SIM_WIDTH": str(width),
        "SIM_HEIGHT": str(height),
        "SIM_FPS": str(args.fps),
        "SIM_FRAMES_PER_CHUNK": "8",
        "SIM_TOTAL_CHUNKS": "100000",  # never completes within a session
        "SIM_BUFFER_SIZE": "2",
        "SIM_TEXTURE": "1" if args.texture else "0",
    }
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "vendor": []}
    with RuntimeServer(LONGLIVE_SIM_DIR, env=env, log_dir=log_dir, log_level="WARNING") as server:
        for rnd in range(args.rounds):
            order = ["ours", "vendor"] if rnd % 2 == 0 else ["vendor", "ours"]
            for client in order:
                fresh_session(server)
                res = run_client(client, server, args)
                res["round"] = rnd + 1
                runs[client].append(res)
                if "error" in res:
                    print(f"  {width}x{height} round {rnd + 1} {client}: ERROR {res['error']}", flush=True)
                else:
                    print(
                        f"  {width}x{height} round {rnd + 1} {client:6s}: first frame {res['first_frame_s']:.3f}s, "
                        f"rtt {res['rtt_median_ms']:.2f}/{res['rtt_p95_ms']:.2f}ms, {res['fps']:.1f} fps, "
                        f"cpu {res['cpu_pct']:.1f}%, rss {res['maxrss_mb']:.0f}MB",
                        flush=True,
                    )
        fresh_session(server)
    return runs


def verdict(metric: Metric, r: float) -> str:
    if math.isnan(r):
        return "n/a"
    better = r > 1 + PARITY_BAND if metric.higher_is_better else r < 1 - PARITY_BAND
    worse = r < 1 - PARITY_BAND if metric.higher_is_better else r > 1 + PARITY_BAND
    label = "better" if better else "**worse**" if worse else "parity"
    return f"{label} (info)" if metric.informational else label


def summarize(all_runs: dict[str, dict[str, list[dict[str, Any]]]]) -> tuple[list[str], list[list[str]], list[dict[str, Any]]]:
    header = ["size", "metric", "ours", "vendor", "ratio ours/vendor", "verdict"]
    rows: list[list[str]] = []
    losses: list[dict[str, Any]] = []
    for size, runs in all_runs.items():
        for m in METRICS:
            ours = median([r[m.key] for r in runs["ours"] if "error" not in r])
            vendor = median([r[m.key] for r in runs["vendor"] if "error" not in r])
            r = ratio(ours, vendor)
            v = verdict(m, r)
            rows.append([size, m.label, fmt(ours, m.digits), fmt(vendor, m.digits), fmt(r, 2), v])
            if v.startswith("**worse**"):
                losses.append({"size": size, "metric": m, "ours": ours, "vendor": vendor, "ratio": r})
    return header, rows, losses


def raw_rows(all_runs: dict[str, dict[str, list[dict[str, Any]]]]) -> tuple[list[str], list[list[str]]]:
    header = ["size", "round", "client", "first frame (s)", "rtt med / p95 (ms)", "fps", "CPU %", "RSS (MB)"]
    rows = []
    for size, runs in all_runs.items():
        merged = sorted(runs["ours"] + runs["vendor"], key=lambda r: (r["round"], r["client"]))
        for r in merged:
            if "error" in r:
                rows.append([size, str(r["round"]), r["client"], "error: " + r["error"][:80], "", "", "", ""])
                continue
            rows.append([
                size, str(r["round"]), r["client"], fmt(r["first_frame_s"], 3),
                f"{fmt(r['rtt_median_ms'])} / {fmt(r['rtt_p95_ms'])}", fmt(r["fps"], 1),
                fmt(r["cpu_pct"], 1), fmt(r["maxrss_mb"], 0),
            ])
    return header, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--window", type=float, default=10.0, help="fps/CPU window per session (s)")
    parser.add_argument("--commands", type=int, default=100, help="set_seed round trips per session")
    parser.add_argument("--warmup", type=float, default=1.0, help="streaming before the measurements (s)")
    parser.add_argument("--fps", type=int, default=30, help="simulator frame rate")
    parser.add_argument("--sizes", nargs="*", default=["640x360", "1280x720"])
    parser.add_argument(
        "--analysis", type=Path, default=BENCH_DIR / "runtime_profile.md",
        help="markdown note added under the table (default: bench/runtime_profile.md, the profile of our client)",
    )
    parser.add_argument(
        "--texture", action="store_true",
        help="realistic content: a scrolling noise + gradient texture (section runtime-bench-textured)",
    )
    parser.add_argument("--no-doc", action="store_true", help="print only; do not touch docs/benchmarks.md")
    parser.add_argument(
        "--ours-array",
        choices=["copy", "view"],
        default="copy",
        help="ours hands out a contiguous RGB copy (default, what ndarrays() gives) or, where the "
        "frame is BGRA (native transport), the vendor's kind of array: a strided view, no copy",
    )
    parser.add_argument(
        "--ours-python", type=Path, default=PYTHONS["ours"],
        help="the interpreter ours runs under (default .venv, the dev venv; "
        "bench/.venv-user/bin/python is a plain `pip install ./runtime[native]`, the install a "
        "user has: bench/setup_peers.sh makes it)",
    )
    args = parser.parse_args(argv)
    PYTHONS["ours"] = args.ours_python.absolute()
    section = SECTION + ("-textured" if args.texture else "")

    for client, python in PYTHONS.items():
        if not python.exists():
            hint = "bench/setup_peers.sh" if client == "vendor" else "scripts/bootstrap"
            print(f"{python} missing: run {hint}", file=sys.stderr)
            return 2

    machine = machine_lines()
    revision = git_state(["runtime"])
    started = time.time()
    all_runs: dict[str, dict[str, list[dict[str, Any]]]] = {}
    with tempfile.TemporaryDirectory(prefix="runtime-bench-") as tmp:
        for size in args.sizes:
            w, h = parse_size(size)
            print(f"[runtime-bench] {size} @ {args.fps} fps, {args.rounds} rounds ...", flush=True)
            all_runs[size] = bench_size(w, h, args, Path(tmp))
    elapsed = time.time() - started

    header, rows, losses = summarize(all_runs)
    rheader, rrows = raw_rows(all_runs)
    print_table(f"Runtime bench (medians of {args.rounds} rounds)", header, rows)
    print_table("Runtime bench: every session", rheader, rrows)
    for loss in losses:
        m = loss["metric"]
        print(f"LOSS {loss['size']} {m.label}: ours {fmt(loss['ours'], m.digits)} vs vendor "
              f"{fmt(loss['vendor'], m.digits)} (ratio {fmt(loss['ratio'])})")
    print(f"[runtime-bench] done in {elapsed:.0f}s")
    if args.no_doc:
        return 0

    ours_v = dist_versions(PYTHONS["ours"], ["reactor-client", "aiortc", "av", "numpy"])
    peer_v = dist_versions(PYTHONS["vendor"], ["reactor-sdk", "numpy"])
    server_v = dist_versions(SERVER_VENV / "bin" / "python", ["reactor-runtime"])
    analysis = args.analysis.read_text().strip() if args.analysis and args.analysis.exists() else ""
    loss_lines = [
        f"- {lo['size']}, {lo['metric'].label}: ours {fmt(lo['ours'], lo['metric'].digits)} vs vendor "
        f"{fmt(lo['vendor'], lo['metric'].digits)} (ratio {fmt(lo['ratio'])})"
        for lo in losses
    ]
    body = "\n".join([
        "## Runtime client: `reactor_client` vs vendor `reactor_sdk`"
        + (" (textured, moving content)" if args.texture else " (flat-colour content)"),
        "",
        f"Command: `{command_line()}` (run from the repository root; {elapsed:.0f} s; "
        f"tree at {revision}).",
        "",
        *machine,
        f"- Server: reactor-runtime {server_v.get('reactor-runtime', '?')} (`.venv-server`) serving the "
        f"LongliveV2 simulator at {args.fps} fps, 8 frames/chunk, output buffer 2 frames, on loopback",
        f"- Ours: reactor-client {ours_v.get('reactor-client', '?')} (aiortc {ours_v.get('aiortc', '?')}, "
        f"av {ours_v.get('av', '?')}, numpy {ours_v.get('numpy', '?')}) in `.venv`; vendor: reactor-sdk "
        f"{peer_v.get('reactor-sdk', '?')} (native libwebrtc via ctypes, numpy {peer_v.get('numpy', '?')}) "
        "in `bench/.venv-peers`; both on the same Python",
        "",
        "How: per resolution one runtime process; "
        f"{args.rounds} rounds, each running one session of each client, alternating which goes first. "
        "Each session is its own process and a fresh runtime session. In a session: subscribe to "
        "`main_video` as RGB numpy arrays before connecting, time `connect()` -> first frame, "
        f"`set_shot` + `start`, {args.warmup:g} s warm-up, {args.commands} sequential `set_seed` "
        "commands each awaiting its v1 ack (round trip), then a "
        f"{args.window:g} s window counting frames delivered to the consumer (fps) and the process's "
        "user+sys CPU (`getrusage(RUSAGE_SELF)`, all threads, native ones included). "
        "Tables show medians over the rounds (per-session median/p95 for the round trip). "
        f"Verdict: within +/-{PARITY_BAND:.0%} of the vendor is parity; rows marked (info) carry no "
        "target.",
        "",
        markdown_table(header, rows),
        "",
        *(["Where we lose:", "", *loss_lines, ""] if loss_lines else ["Ours is at parity or better on every targeted row in this run.", ""]),
        *([analysis, ""] if analysis else []),
        "<details><summary>Every session</summary>",
        "",
        markdown_table(rheader, rrows),
        "",
        "</details>",
        "",
        "Caveats: 2 shared cores, and the runtime server (VP8 encoding) runs on the same machine as "
        "the client, so absolute numbers are noisy; compare the two clients within the run. "
        + (
            "Frames are a noise + gradient texture scrolling 4 px per frame (SIM_TEXTURE=1), so the "
            "encoder produces real-size frames and decoding dominates. "
            if args.texture
            else "The simulator streams flat-colour frames, which VP8 compresses to very little, so the "
            "decode cost of real video is under-represented here and per-packet/per-frame overhead "
            "dominates (see the textured section for real-size frames). "
        )
        + "fps is capped by the source (30). The round trip of ~1-2 ms is near the timer noise of a "
        "loaded machine.",
    ])
    update_doc_section(section, body)
    print(f"[runtime-bench] wrote section {section!r} of docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
