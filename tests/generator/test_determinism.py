"""Output is byte-identical across runs, PYTHONHASHSEED values and working directories."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import hashlib, json, sys
from pathlib import Path
from reactor_gen.pipeline import build, find_schemas
root = Path(sys.argv[1])
out = {}
for schema in find_schemas(root / "schemas"):
    for rel, text in build(schema).files.items():
        out[schema.name + "/" + rel] = hashlib.sha256(text.encode()).hexdigest()
print(json.dumps(out, sort_keys=True))
"""


def _run(seed: str, cwd: Path) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_builds_are_identical_across_hash_seeds_and_cwds(tmp_path: Path) -> None:
    first = _run("1", ROOT)
    second = _run("4242", tmp_path)
    assert first == second
    assert len(first) > 100


def test_cli_output_matches_committed_golden_from_another_cwd(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "reactor_gen", "--root", str(ROOT), "build", "longlive-v2",
         "--out", str(out)],
        cwd=tmp_path, env={**os.environ, "PYTHONHASHSEED": "99"},
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    golden = ROOT / "generated" / "longlive-v2"
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out)
        assert path.read_bytes() == (golden / rel).read_bytes(), rel
    digest = hashlib.sha256((out / "reactor-gen.lock.json").read_bytes()).hexdigest()
    assert digest == hashlib.sha256(
        (golden / "reactor-gen.lock.json").read_bytes()
    ).hexdigest()
