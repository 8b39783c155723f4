#!/usr/bin/env python
"""Regenerate the committed protobuf bindings in ``reactor_client/wire/pb/``.

Compiles ``reactor_client/wire/proto/reactor_wire/v1/*.proto`` with grpcio-tools
(``--python_out`` + ``--pyi_out``), flattens the output into ``wire/pb/`` and
rewrites cross-file imports to package-relative ones so the bindings never
collide with another ``reactor_wire`` package (e.g. the runtime's vendored one).

Usage: python runtime/scripts/gen_proto.py
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "reactor_client" / "wire"
PROTO_ROOT = ROOT / "proto"
OUT = ROOT / "pb"
_IMPORT = re.compile(r"^from reactor_wire\.v1 import (\w+_pb2) as (\w+)$", re.M)


def main() -> int:
    import grpc_tools
    from grpc_tools import protoc

    protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.rglob("*.proto"))
    include = str(Path(grpc_tools.__file__).parent / "_proto")
    with tempfile.TemporaryDirectory() as tmp:
        args = ["protoc", f"-I{PROTO_ROOT}", f"-I{include}", f"--python_out={tmp}", f"--pyi_out={tmp}", *protos]
        if protoc.main(args) != 0:
            print("protoc failed", file=sys.stderr)
            return 1
        generated = Path(tmp) / "reactor_wire" / "v1"
        for old in OUT.glob("*_pb2.py*"):
            old.unlink()
        for src in sorted(generated.iterdir()):
            text = src.read_text()
            text = _IMPORT.sub(r"from . import \1 as \2", text)
            (OUT / src.name).write_text(text)
    init = OUT / "__init__.py"
    if not init.exists():
        init.write_text('"""Generated protobuf bindings (do not edit; run scripts/gen_proto.py)."""\n')
    print(f"wrote {len(list(OUT.glob('*_pb2.py')))} modules to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
