"""On-disk caches that make repeated builds fast without changing a byte of output.

Two caches live under one root (``$REACTOR_GEN_CACHE_DIR``, else
``$XDG_CACHE_HOME/reactor-gen``, else ``~/.cache/reactor-gen``), in a folder per generator
version:

* ``jinja/``: Jinja's own bytecode cache (compiled templates, keyed by Jinja on the
  template source's checksum);
* ``format/``: black's output keyed by the sha256 of (black version, our explicit mode,
  the unformatted text). A hit returns exactly what black returned for that input, so
  output stays byte-identical; a hit also spares importing black at all.

Set ``REACTOR_GEN_NO_CACHE=1`` to bypass both. Every cache failure (read-only home, a
truncated entry, a full disk) degrades to "no cache", never to an error.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from reactor_gen.version import GENERATOR_VERSION

__all__ = ["cache_root", "read_text", "write_text", "content_key"]


def cache_root() -> Path | None:
    """The versioned cache folder, or None when caching is disabled."""
    if os.environ.get("REACTOR_GEN_NO_CACHE"):
        return None
    base = os.environ.get("REACTOR_GEN_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "reactor-gen")
    return Path(base) / GENERATOR_VERSION


def content_key(*parts: str) -> str:
    """A sha256 over ``parts`` (NUL-separated, so no two part lists collide)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _entry(kind: str, key: str) -> Path | None:
    root = cache_root()
    return None if root is None else root / kind / key[:2] / key


def read_text(kind: str, key: str) -> str | None:
    """The cached text for ``key`` (None on a miss or any read problem)."""
    path = _entry(kind, key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # Entries are "<sha256 of text>\n<text>": a torn or corrupted entry is a miss.
    digest, sep, body = data.partition(b"\n")
    if not sep or hashlib.sha256(body).hexdigest().encode() != digest:
        return None
    return body.decode("utf-8", "surrogatepass")


def write_text(kind: str, key: str, text: str) -> None:
    """Store ``text`` under ``key`` atomically; silently gives up on any OS error."""
    path = _entry(kind, key)
    if path is None:
        return
    from reactor_gen.write import atomic_write_bytes

    body = text.encode("utf-8", "surrogatepass")
    try:
        atomic_write_bytes(path, hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    except OSError:
        return


def jinja_cache_dir() -> Path | None:
    """Folder for Jinja's bytecode cache (created), or None when caching is off/unusable."""
    root = cache_root()
    if root is None:
        return None
    folder = root / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder
