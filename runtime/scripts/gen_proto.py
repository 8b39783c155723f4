#!/usr/bin/env python
"""Regenerate the committed protobuf bindings in ``reactor_client/wire/pb/``.

Compiles ``reactor_client/wire/proto/reactor_client/wire/v1/*.proto`` (proto package
``reactor_client.wire.v1``) with grpcio-tools (``--python_out`` + ``--pyi_out``), flattens the
output into ``wire/pb/`` and rewrites cross-file imports to package-relative ones.

The file paths and package are our own, not the wire protocol's ``reactor_wire/v1``: protobuf
registers every generated file in one process-wide descriptor pool, and reactor-runtime registers
``reactor_wire/v1/*.proto``, so the same names would make ``reactor_client`` and
``reactor_runtime`` impossible to import into one process. The binary encoding carries only field
numbers, so the bytes on the wire do not change with these names.

The generator is pinned (its protoc version is written into every module and checked by
protobuf at import): ``pip install grpcio-tools==1.84.0`` (protoc for protobuf 7.35.1), in a
venv of its own if you like, then ``python runtime/scripts/gen_proto.py``.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "reactor_client" / "wire"
PROTO_ROOT = ROOT / "proto"
OUT = ROOT / "pb"
PROTO_DIR = Path("reactor_client") / "wire" / "v1"  # under PROTO_ROOT; also the proto package
GRPCIO_TOOLS = "1.84.0"
_IMPORT = re.compile(r"^from reactor_client\.wire\.v1 import (\w+_pb2) as (\w+)$", re.M)


def main() -> int:
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("grpcio-tools")
    except PackageNotFoundError:
        found = "none"
    if found != GRPCIO_TOOLS:
        print(f"need grpcio-tools=={GRPCIO_TOOLS} (found {found})", file=sys.stderr)
        return 1
    import grpc_tools
    from grpc_tools import protoc

    protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in (PROTO_ROOT / PROTO_DIR).glob("*.proto"))
    include = str(Path(grpc_tools.__file__).parent / "_proto")
    with tempfile.TemporaryDirectory() as tmp:
        args = ["protoc", f"-I{PROTO_ROOT}", f"-I{include}", f"--python_out={tmp}", f"--pyi_out={tmp}", *protos]
        if protoc.main(args) != 0:
            print("protoc failed", file=sys.stderr)
            return 1
        generated = Path(tmp) / PROTO_DIR
        for old in OUT.glob("*_pb2.py*"):
            old.unlink()
        for src in sorted(generated.iterdir()):
            text = src.read_text()
            text = _IMPORT.sub(r"from . import \1 as \2", text)
            # left absolute, it would import from the codec module reactor_client.wire.v1
            if "reactor_client.wire.v1 import" in text:
                print(f"unrewritten import in {src.name}", file=sys.stderr)
                return 1
            (OUT / src.name).write_text(text)
    init = OUT / "__init__.py"
    if not init.exists():
        init.write_text('"""Generated protobuf bindings (do not edit; run scripts/gen_proto.py)."""\n')
    print(f"wrote {len(list(OUT.glob('*_pb2.py')))} modules to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
