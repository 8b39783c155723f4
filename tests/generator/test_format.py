"""Formatting in parallel changes speed, never bytes: every file is black's output."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import black
import pytest

from reactor_gen import format as fmt
from reactor_gen.format import FormatError, black_mode, format_files
from reactor_gen.load import load_model
from reactor_gen.render import make_environment, render_model

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = sorted((ROOT / "schemas").glob("*.json"))
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")


@pytest.fixture(autouse=True)
def no_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("REACTOR_GEN_NO_CACHE", "1")
    make_environment.cache_clear()
    yield
    make_environment.cache_clear()


def rendered(schema: Path) -> dict[str, str]:
    loaded = load_model(schema)
    return render_model(loaded.ir, schema_name=schema.name, schema_sha256=loaded.sha256)


def by_black(files: dict[str, str]) -> dict[str, str]:
    return {
        p: black.format_str(t, mode=black_mode()) if p.endswith(".py") else t
        for p, t in sorted(files.items())
    }


@needs_fork
@pytest.mark.parametrize("jobs", ["1", "2", "3", "16"])
@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda p: p.stem)
def test_every_job_count_gives_blacks_bytes(
    schema: Path, jobs: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REACTOR_GEN_FORMAT_JOBS", jobs)
    files = rendered(schema)
    out = format_files(files)
    assert list(out) == sorted(files)
    assert out == by_black(files)


def test_without_fork_formatting_is_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fork", raising=False)
    monkeypatch.delenv("REACTOR_GEN_FORMAT_JOBS", raising=False)
    assert fmt.format_jobs() == 1
    files = rendered(ROOT / "schemas" / "x2.json")
    assert format_files(files) == by_black(files)


@needs_fork
def test_fork_failure_falls_back_to_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise OSError("no processes left")

    monkeypatch.setenv("REACTOR_GEN_FORMAT_JOBS", "2")
    monkeypatch.setattr(os, "fork", no_fork)
    files = rendered(ROOT / "schemas" / "x2.json")
    assert format_files(files) == by_black(files)


@needs_fork
def test_a_child_that_dies_only_costs_time(monkeypatch: pytest.MonkeyPatch) -> None:
    def die(*args: object) -> None:
        os._exit(3)

    monkeypatch.setenv("REACTOR_GEN_FORMAT_JOBS", "2")
    monkeypatch.setattr(fmt, "_child", die)  # the forked child inherits the patch
    files = rendered(ROOT / "schemas" / "x2.json")
    assert format_files(files) == by_black(files)


RAISING_CHILD = """
import os, sys
from reactor_gen import format as fmt
from reactor_gen.format import early
def boom(*args):
    raise RuntimeError("a bug in the child")
fmt._child = boom
early._serve = boom
early._loop = boom
files = {f"m{i}.py": "x = {'n': %d}\\n" % i for i in range(4)}
with fmt.early_formatter():
    out = fmt.format_files(files)
import black
assert out == {p: black.format_str(t, mode=fmt.black_mode()) for p, t in files.items()}
print("returned in", os.getpid())
"""


@needs_fork
def test_a_child_that_raises_exits_and_never_returns_into_the_caller() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", RAISING_CHILD],
        env={**os.environ, "REACTOR_GEN_NO_CACHE": "1", "REACTOR_GEN_FORMAT_JOBS": "3"},
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("returned in") == 1, proc.stdout  # the parent only


@needs_fork
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_errors_name_the_first_bad_file_in_path_order(
    jobs: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REACTOR_GEN_FORMAT_JOBS", jobs)
    files = {
        "a.py": "x = 1\n" * 2000,  # the biggest: taken first, the bad ones by whoever is free
        "b.py": "def (:\n",
        "c.py": "class\n",
        "d.md": "not python (\n",
    }
    with pytest.raises(FormatError, match=r"^black could not format b\.py: "):
        format_files(files)


def test_files_are_handed_out_largest_first() -> None:
    texts = {"e": "x", "a": "x" * 10, "c": "x" * 5, "b": "x" * 5}
    assert fmt._largest_first(texts) == ["a", "b", "c", "e"]


@needs_fork
def test_too_many_files_for_the_ticket_pipe_are_formatted_serially(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REACTOR_GEN_FORMAT_JOBS", "2")
    monkeypatch.setattr(fmt, "_MAX_TICKETS", 2)
    files = {f"m{i}.py": f"x = {{ 'n':{i} }}\n" for i in range(3)}
    assert format_files(files) == by_black(files)


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_odd_job_settings_mean_serial(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REACTOR_GEN_FORMAT_JOBS", value)
    if hasattr(os, "fork"):
        assert fmt.format_jobs() == 1


# -- the early formatter (black imported in a forked process while the parent renders) ---
# In-process it is a no-op here (this module imported black), so a fresh interpreter runs it.

PROBE = """
import hashlib, json, os, sys
from pathlib import Path
from reactor_gen import format as fmt
from reactor_gen.format import early
from reactor_gen.pipeline import build_many
mode = sys.argv[2]
PARENT = os.getpid()
if mode == "dead-server":
    early._serve = lambda *a: os._exit(1)
elif mode == "hung-sibling":  # the siblings it forks hang: the flush times out, then the group is stopped
    early._REPLY_SECONDS = 3.0
    real_loop = early._loop
    def loop(requests, replies):
        if os.getppid() != PARENT:
            import time
            time.sleep(3600)
        return real_loop(requests, replies)
    early._loop = loop
elif mode == "dead-sibling":  # the first sibling works, the ones it forks die
    real_loop = early._loop
    def loop(requests, replies):
        if os.getppid() != PARENT:  # forked by the first sibling
            os._exit(1)
        return real_loop(requests, replies)
    early._loop = loop
elif mode == "garbage-server":
    fmt._encode = lambda results: b"not a pickle"
packages = build_many(sorted(Path(sys.argv[1]).glob("*.json")), out=Path("unused"))
print(json.dumps({"black_here": "black" in sys.modules, "files": {
    p.name + "/" + rel: hashlib.sha256(text.encode()).hexdigest()
    for p in packages for rel, text in p.files.items()
}}, sort_keys=True))
"""


def golden_hashes() -> dict[str, str]:
    import hashlib

    out = {}
    for schema in SCHEMAS:
        for path in sorted((ROOT / "generated" / schema.stem).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and ".egg-info" not in str(path):
                rel = path.relative_to(ROOT / "generated" / schema.stem).as_posix()
                out[f"{schema.stem}/{rel}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def run_probe(mode: str, **env: str) -> dict:
    import json
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT / "schemas"), mode],
        env={**os.environ, "REACTOR_GEN_NO_CACHE": "1", **env},
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@needs_fork
@pytest.mark.parametrize(
    ("mode", "jobs"),
    [
        ("normal", "2"),
        ("dead-server", "2"),
        ("dead-sibling", "2"),
        ("dead-sibling", "3"),  # two die, each holding only its own pipes: no hang
        ("hung-sibling", "3"),
        ("garbage-server", "2"),
    ],
)
def test_early_formatter_gives_the_goldens(mode: str, jobs: str) -> None:
    result = run_probe(mode, REACTOR_GEN_FORMAT_JOBS=jobs)
    golden = golden_hashes()
    assert {k: v for k, v in result["files"].items() if k in golden} == golden
    # the pool did the work, else (it failed) the parent fell back to black itself
    assert result["black_here"] is (mode != "normal")


def test_black_expected_follows_the_format_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert fmt.black_expected()  # REACTOR_GEN_NO_CACHE=1 (fixture)
    monkeypatch.delenv("REACTOR_GEN_NO_CACHE")
    monkeypatch.setenv("REACTOR_GEN_CACHE_DIR", str(tmp_path))
    assert fmt.black_expected()  # never filled
    fmt.format_file("m.py", "x=1\n")
    assert not fmt.black_expected()


def test_no_fork_from_a_process_with_other_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """An embedding program's threads could hold locks a forked child would copy."""
    import threading

    monkeypatch.delenv("REACTOR_GEN_FORMAT_JOBS", raising=False)

    from reactor_gen.format import format_jobs

    stop = threading.Event()
    worker = threading.Thread(target=stop.wait, daemon=True)
    worker.start()
    try:
        assert format_jobs() == 1
    finally:
        stop.set()
        worker.join()
