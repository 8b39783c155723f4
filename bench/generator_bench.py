"""Generator benchmark: ``reactor-gen build`` vs ``openapi-python-client generate``, per schema.

For every ``schemas/*.json`` this times the WHOLE process of each generator, start to exit,
formatting included:

* ours:   ``.venv/bin/reactor-gen build <schema> --out <fresh tmp dir>``
* theirs: ``bench/.venv-peers/bin/openapi-python-client generate --path <schema>
  --output-path <fresh tmp dir> --overwrite`` with its default post-hooks (ruff), so
  ``bench/.venv-peers/bin`` is put first on PATH (without it the hooks are skipped:
  "ruff is not in PATH").

One untimed warm-up run of each, then N repetitions alternating the order (ours first on even
repetitions, theirs first on odd ones); wall time via ``time.perf_counter`` around
``subprocess.run``, CPU (user+sys of the child) via ``RUSAGE_CHILDREN``. Reports medians and
the ratio ours/theirs (targets: warm <= 0.5, cold <= 0.6). A generator that fails on a schema is recorded as such,
with its first error line. Writes the ``generator-bench`` section of ``docs/benchmarks.md``.

    .venv/bin/python bench/generator_bench.py [--reps 5] [--schemas schemas/x.json ...] [--no-doc]
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    OUR_VENV,
    PEER_VENV,
    REPO_ROOT,
    command_line,
    dist_versions,
    fmt,
    git_state,
    machine_lines,
    markdown_table,
    median,
    print_table,
    ratio,
    update_doc_section,
)

SECTION = "generator-bench"
TARGET_WARM = 0.5
"""A rebuild (caches filled): issue 10."""
TARGET_COLD = 0.6
"""A first build (REACTOR_GEN_NO_CACHE=1): issue 17."""
TIMEOUT = 120.0


@dataclass
class Tool:
    name: str
    bin_dir: Path

    def command(self, schema: Path, out: Path) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("VIRTUAL_ENV", None)
        env.pop("PYTHONPATH", None)
        env["PATH"] = f"{self.bin_dir}{os.pathsep}{env.get('PATH', '')}"
        env["NO_COLOR"] = "1"
        return env


@dataclass
class Ours(Tool):
    """reactor-gen; ``cache_dir`` None = cold (REACTOR_GEN_NO_CACHE=1: no format or template
    cache at all), else warm (a cache dir of its own, filled by the untimed warm-up)."""

    cache_dir: Path | None = None

    def command(self, schema: Path, out: Path) -> list[str]:
        return [str(self.bin_dir / "reactor-gen"), "build", str(schema), "--out", str(out)]

    def env(self) -> dict[str, str]:
        env = super().env()
        if self.cache_dir is None:
            env["REACTOR_GEN_NO_CACHE"] = "1"
        else:
            env.pop("REACTOR_GEN_NO_CACHE", None)
            env["REACTOR_GEN_CACHE_DIR"] = str(self.cache_dir)
        return env


class Theirs(Tool):
    def command(self, schema: Path, out: Path) -> list[str]:
        return [
            str(self.bin_dir / "openapi-python-client"), "generate",
            "--path", str(schema), "--output-path", str(out), "--overwrite",
        ]


def compile_bytecode() -> str:
    """Write the ``.pyc`` files of our generator, as ``pip install`` does for an installed
    package (the peers' venv got its own from pip). The dev checkout is an editable install,
    and where ``PYTHONDONTWRITEBYTECODE`` is set (this machine, CI) nothing else writes them,
    so without this step every timed run of ours would compile its modules from source while
    theirs would not. Returns where the package is."""
    python = OUR_VENV / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import os, reactor_gen; print(os.path.dirname(reactor_gen.__file__))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    subprocess.run([str(python), "-m", "compileall", "-q", where], check=True)
    return where


@dataclass
class Run:
    wall: float
    cpu: float
    ok: bool
    files: int
    note: str = ""


@dataclass
class Result:
    schema: str
    runs: dict[str, list[Run]] = field(
        default_factory=lambda: {"ours": [], "ours-cold": [], "theirs": []}
    )


def _count_files(root: Path) -> int:
    if not root.exists():
        return 0
    return sum(1 for p in root.rglob("*") if p.is_file() and ".ruff_cache" not in p.parts)


def _first_problem(text: str) -> str:
    """The most telling line of a tool's output (an error, else a warning), shortened."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for key in ("error", "Error", "Traceback", "Warning"):
        for ln in lines:
            if key in ln:
                return ln[:160]
    return (lines[-1][:160] if lines else "")


def run_once(tool: Tool, schema: Path, workdir: Path, tag: str) -> Run:
    out = workdir / f"{tool.name}-{tag}"
    if out.exists():
        shutil.rmtree(out)
    cmd = tool.command(schema, out)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, cwd=workdir, env=tool.env(), capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
        wall = time.perf_counter() - t0
        code, output = proc.returncode, (proc.stdout or "") + (proc.stderr or "")
    except subprocess.TimeoutExpired as exc:
        wall = time.perf_counter() - t0
        code, output = -1, f"timeout after {TIMEOUT:.0f}s {exc}"
    except OSError as exc:
        wall = time.perf_counter() - t0
        code, output = -1, f"cannot run: {exc}"
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    files = _count_files(out)
    ok = code == 0 and files > 0
    note = ""
    if not ok:
        note = f"exit {code}: {_first_problem(output)}" if code != 0 else "exit 0 but no files written"
    elif "Warning" in output or "warning" in output:
        note = f"warnings: {_first_problem(output)}"
    shutil.rmtree(out, ignore_errors=True)
    return Run(wall, cpu, ok, files, note)


def bench_schema(schema: Path, tools: list[Tool], reps: int, workdir: Path) -> Result:
    result = Result(schema.name)
    for tool in tools:  # warm-up: page cache, .pyc files
        run_once(tool, schema, workdir, "warmup")
    for rep in range(reps):
        order = tools[rep % len(tools):] + tools[:rep % len(tools)]  # rotate who goes first
        for tool in order:
            result.runs[tool.name].append(run_once(tool, schema, workdir, f"r{rep}"))
    return result


def _summary(runs: list[Run]) -> tuple[float, float, bool, int, str]:
    good = [r for r in runs if r.ok]
    notes = sorted({r.note for r in runs if r.note})
    wall = median([r.wall for r in good]) if good else float("nan")
    cpu = median([r.cpu for r in good]) if good else float("nan")
    files = good[0].files if good else 0
    return wall, cpu, bool(good) and len(good) == len(runs), files, "; ".join(notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions per tool and schema")
    parser.add_argument("--schemas", nargs="*", type=Path, help="schema files (default: schemas/*.json)")
    parser.add_argument(
        "--analysis", type=Path, default=Path(__file__).resolve().parent / "generator_profile.md",
        help="markdown note added under the table (default: bench/generator_profile.md)",
    )
    parser.add_argument("--no-doc", action="store_true", help="print only; do not touch docs/benchmarks.md")
    args = parser.parse_args(argv)

    schemas = [p.resolve() for p in (args.schemas or sorted((REPO_ROOT / "schemas").glob("*.json")))]
    theirs = Theirs("theirs", PEER_VENV / "bin")
    if not (theirs.bin_dir / "openapi-python-client").exists():
        print("bench/.venv-peers is missing: run bench/setup_peers.sh first", file=sys.stderr)
        return 2
    if not (OUR_VENV / "bin" / "reactor-gen").exists():
        print(".venv/bin/reactor-gen is missing: run scripts/bootstrap first", file=sys.stderr)
        return 2

    machine = machine_lines()  # load average before we add to it
    revision = git_state(["generator", "templates"])
    started = time.time()
    compiled = compile_bytecode()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="reactor-gen-bench-") as tmp:
        for schema in schemas:
            print(f"[generator-bench] {schema.name}: {args.reps} reps x 3 variants ...", flush=True)
            warm = Ours("ours", OUR_VENV / "bin", cache_dir=Path(tmp) / f"cache-{schema.stem}")
            cold = Ours("ours-cold", OUR_VENV / "bin", cache_dir=None)
            results.append(bench_schema(schema, [warm, theirs, cold], args.reps, Path(tmp)))
    elapsed = time.time() - started
    load_end = " / ".join(f"{x:.2f}" for x in os.getloadavg())

    header = [
        "schema", "ours warm (s)", "ours cold (s)", "theirs (s)", "ratio warm",
        "ratio cold", f"target warm <= {TARGET_WARM} / cold <= {TARGET_COLD}",
        "CPU warm / cold / theirs (s)",
        "files ours / theirs",
    ]
    rows: list[list[str]] = []
    notes: list[str] = []
    def verdict(r: float, target: float) -> str:
        return "n/a" if math.isnan(r) else ("met" if r <= target else "**missed**")

    for res in results:
        o_wall, o_cpu, o_ok, o_files, o_note = _summary(res.runs["ours"])
        c_wall, c_cpu, c_ok, c_files, c_note = _summary(res.runs["ours-cold"])
        t_wall, t_cpu, t_ok, t_files, t_note = _summary(res.runs["theirs"])
        r_warm, r_cold = ratio(o_wall, t_wall), ratio(c_wall, t_wall)

        def cell(wall: float, ok: bool, files: int) -> str:
            text = fmt(wall, 3) if files else "failed"
            return text + (" (some runs failed)" if files and not ok else "")

        rows.append([
            res.schema, cell(o_wall, o_ok, o_files), cell(c_wall, c_ok, c_files),
            cell(t_wall, t_ok, t_files), fmt(r_warm, 2), fmt(r_cold, 2),
            f"{verdict(r_warm, TARGET_WARM)} / {verdict(r_cold, TARGET_COLD)}",
            f"{fmt(o_cpu, 3)} / {fmt(c_cpu, 3)} / {fmt(t_cpu, 3)}", f"{o_files} / {t_files}",
        ])
        for label, note in (("reactor-gen (warm)", o_note), ("reactor-gen (cold)", c_note),
                            ("openapi-python-client", t_note)):
            if note:
                notes.append(f"- `{res.schema}`, {label}: {note}")

    print_table(f"Generator bench (medians of {args.reps}, whole process incl. formatting)", header, rows)
    for n in notes:
        print(n)
    print(f"[generator-bench] done in {elapsed:.0f}s")

    if args.no_doc:
        return 0
    analysis = args.analysis.read_text().strip() if args.analysis and args.analysis.exists() else ""
    peer_versions = dist_versions(PEER_VENV / "bin" / "python", ["openapi-python-client", "ruff"])
    our_versions = dist_versions(OUR_VENV / "bin" / "python", ["reactor-gen"])
    body = "\n".join([
        "## Generator: `reactor-gen build` vs `openapi-python-client generate`",
        "",
        f"Command: `{command_line()}` (run from the repository root; {elapsed:.0f} s; "
        f"tree at {revision}).",
        "",
        *machine,
        f"- Load average at end: {load_end} (other engineers' tests and type checks share the "
        "2 cores; a busy machine leaves little for our parallel formatting)",
        f"- Tools: reactor-gen {our_versions.get('reactor-gen', '?')} (`.venv/bin/reactor-gen`), "
        f"openapi-python-client {peer_versions.get('openapi-python-client', '?')} with ruff "
        f"{peer_versions.get('ruff', '?')} (`bench/.venv-peers/bin/`, first on PATH so its default "
        "ruff post-hooks run)",
        "",
        "What is timed: the whole generator process, start to exit, formatting included "
        "(`reactor-gen build <schema> --out <fresh dir>` vs `openapi-python-client generate --path "
        "<schema> --output-path <fresh dir> --overwrite`). One untimed warm-up of each, then "
        f"{args.reps} repetitions rotating which goes first; medians of wall time (and of the "
        "child's user+sys CPU). Ratio = ours / theirs; the targets are <= 0.5 warm and <= 0.6 cold on every schema. "
        "reactor-gen is timed twice: *warm* with its build caches (black's output keyed by the "
        "sha256 of black version + mode + input, and Jinja bytecode; the state of any machine "
        "that has built before: CI `--check`, regeneration, `update`) and *cold* with "
        "`REACTOR_GEN_NO_CACHE=1` (a first build: no cache read or written, so black formats "
        "every `.py` file, in parallel over the CPUs it may use). Both use the templates compiled "
        "ahead of time that ship with reactor-gen (`reactor_gen/_compiled_templates`, like "
        "`.pyc` files; `REACTOR_GEN_NO_PRECOMPILED=1` compiles them from source). All produce "
        "the same bytes (tested). \"files\" counts the files each tool wrote (caches excluded). "
        "Both tools run as installed: the peers' venv has the `.pyc` files pip wrote; for ours "
        f"the bench writes them first (`python -m compileall {Path(compiled).name}/`, what pip "
        "does at install; the checkout is an editable install and `PYTHONDONTWRITEBYTECODE` is "
        "set here, so nothing else would).",
        "",
        markdown_table(header, rows),
        "",
        *(["Notes from the runs:", "", *notes, ""] if notes else []),
        *([analysis, ""] if analysis else []),
        "Noise: 2 shared cores with other work running; each process is short, so single runs can "
        "jump by tens of percent. The medians and the in-run ratio are what to read.",
    ])
    update_doc_section(SECTION, body)
    print(f"[generator-bench] wrote section {SECTION!r} of docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
