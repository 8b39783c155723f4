"""Sessions per process: N concurrent sessions (one runtime server each) in ONE client
process, ours vs the vendor ``reactor_sdk``, alternating, same run.

For N = 1 .. ``--max``: start N LongliveV2 simulator servers (textured 320x180 at 30 fps, so
the servers stay cheap on a 2-core machine), run one client process per client type holding
N sessions, and record the per-session delivered fps (min and median), the process's CPU and
CPU per session. "Holds full fps" = every session delivers >= 90 % of the source rate.

    .venv/bin/python bench/sessions_bench.py [--max 4] [--window 8] [--no-doc]
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    BENCH_DIR,
    OUR_VENV,
    PEER_VENV,
    REPO_ROOT,
    command_line,
    fmt,
    machine_lines,
    markdown_table,
    median,
    print_table,
    run_worker,
    update_doc_section,
)

sys.path.insert(0, str(REPO_ROOT / "tests"))
from harness import LONGLIVE_SIM_DIR, RuntimeServer  # noqa: E402
from runtime_bench import fresh_session  # noqa: E402

WORKER = BENCH_DIR / "_sessions_client.py"
PYTHONS = {"ours": OUR_VENV / "bin" / "python", "vendor": PEER_VENV / "bin" / "python"}
FPS = 30


def run(client: str, urls: list[str], window: float) -> dict[str, Any]:
    cmd = [str(PYTHONS[client]), str(WORKER), "--client", client, "--window", str(window)]
    for url in urls:
        cmd += ["--url", url]
    return run_worker(cmd)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max", type=int, default=4)
    parser.add_argument("--window", type=float, default=8.0)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    env = {
        "SIM_WIDTH": "320", "SIM_HEIGHT": "180", "SIM_FPS": str(FPS), "SIM_TEXTURE": "1",
        "SIM_FRAMES_PER_CHUNK": "8", "SIM_TOTAL_CHUNKS": "100000",
    }
    header = ["sessions", "client", "min fps", "median fps", "CPU % (process)", "CPU % per session", "holds full fps"]
    rows: list[list[str]] = []
    largest = {"ours": 0, "vendor": 0}
    with ExitStack() as stack:
        servers = [stack.enter_context(RuntimeServer(LONGLIVE_SIM_DIR, env=env, log_level="WARNING")) for _ in range(args.max)]
        for n in range(1, args.max + 1):
            order = ["ours", "vendor"] if n % 2 else ["vendor", "ours"]
            for client in order:
                for server in servers[:n]:
                    fresh_session(server)
                res = run(client, [s.url for s in servers[:n]], args.window)
                if "error" in res:
                    rows.append([str(n), client, "error", res["error"][:60], "", "", ""])
                    continue
                fps = res["fps"]
                holds = min(fps) >= 0.9 * FPS
                if holds and largest[client] == n - 1:
                    largest[client] = n
                rows.append([
                    str(n), client, fmt(min(fps), 1), fmt(median(fps), 1), fmt(res["cpu_pct"], 1),
                    fmt(res["cpu_pct"] / n, 1), "yes" if holds else "no",
                ])
                print("  " + " | ".join(rows[-1]), flush=True)
    print_table("sessions per process", header, rows)
    print(f"largest N holding full fps: ours {largest['ours']}, vendor {largest['vendor']}")
    if not args.no_doc:
        body = "\n".join([
            "## Sessions per process (`bench/sessions_bench.py`)",
            "",
            f"`{command_line()}`: N runtime servers (LongliveV2 simulator, textured 320x180 at {FPS} fps), "
            "one client process holding N sessions, RGB arrays consumed on every session. The servers "
            "run on the same 2 cores, so at larger N they compete with the client.",
            "",
            *machine_lines(),
            "",
            markdown_table(header, rows),
            "",
            f"Largest N holding full fps (every session >= 90 % of {FPS} fps): ours {largest['ours']}, "
            f"vendor {largest['vendor']}.",
        ])
        update_doc_section("sessions-bench", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
