"""The build caches change speed, never bytes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import black
import pytest

from reactor_gen import cache
from reactor_gen.format import black_mode, format_file
from reactor_gen.pipeline import build
from reactor_gen.render import make_environment

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "x = {  'a':1,\n'b' : [1,2,\n3]}\n"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("REACTOR_GEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("REACTOR_GEN_NO_CACHE", raising=False)
    make_environment.cache_clear()  # the environment binds its bytecode-cache folder
    yield tmp_path / "cache"
    make_environment.cache_clear()


def entries(root: Path, kind: str) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and f"/{kind}/" in p.as_posix())


def test_hit_returns_exactly_what_black_returns(cache_dir: Path) -> None:
    expected = black.format_str(SOURCE, mode=black_mode())
    assert format_file("m.py", SOURCE) == expected  # miss: computed and stored
    (entry,) = entries(cache_dir, "format")
    assert format_file("m.py", SOURCE) == expected  # hit
    assert format_file("README.md", SOURCE) == SOURCE  # only .py files are formatted
    assert entry.read_bytes().endswith(expected.encode())


def test_corrupted_entry_is_a_miss(cache_dir: Path) -> None:
    expected = format_file("m.py", SOURCE)
    (entry,) = entries(cache_dir, "format")
    entry.write_bytes(entry.read_bytes()[:-5] + b"oops\n")  # body no longer matches its hash
    assert format_file("m.py", SOURCE) == expected
    entry.write_bytes(b"garbage")
    assert format_file("m.py", SOURCE) == expected


def test_no_cache_env_bypasses_everything(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REACTOR_GEN_NO_CACHE", "1")
    assert cache.cache_root() is None
    format_file("m.py", SOURCE)
    assert not cache_dir.exists()


def test_unwritable_cache_degrades_to_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("REACTOR_GEN_CACHE_DIR", str(blocker / "cache"))
    assert format_file("m.py", SOURCE) == black.format_str(SOURCE, mode=black_mode())


def test_cached_build_is_byte_identical_and_skips_black(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reactor_gen.render import make_environment

    # templates compiled from source (not the shipped compiled copy): the bytecode cache
    monkeypatch.setenv("REACTOR_GEN_NO_PRECOMPILED", "1")
    make_environment.cache_clear()
    try:
        cold = build(ROOT / "schemas" / "x2.json").files
        warm = build(ROOT / "schemas" / "x2.json").files
    finally:
        make_environment.cache_clear()
    assert warm == cold
    assert entries(cache_dir, "jinja"), "templates were compiled into the bytecode cache"
    assert build(ROOT / "schemas" / "x2.json").files == cold  # the compiled copy: the same
    # A fresh interpreter with a warm cache renders the same package without importing black.
    probe = (
        "import sys\n"
        "from reactor_gen.pipeline import build\n"
        f"files = build({str(ROOT / 'schemas' / 'x2.json')!r}).files\n"
        "assert 'black' not in sys.modules, 'black was imported'\n"
        "import hashlib, json\n"
        "print(hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest())\n"
    )
    env = {**os.environ, "REACTOR_GEN_CACHE_DIR": str(cache_dir)}
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == hashlib.sha256(json.dumps(cold, sort_keys=True).encode()).hexdigest()
