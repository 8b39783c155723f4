"""Upload a file as a command argument (the SDK uploads it first, then sends the reference).

python examples/02_upload.py --local http://localhost:8080
"""

from __future__ import annotations

import hashlib

from _connect import model_options, parse, run
from reactor_models.feature_model import FeatureModel


async def main() -> None:
    args = parse(__doc__ or "")
    path = args.out / "upload-example.bin"
    path.write_bytes(bytes(range(256)) * 64)  # any file: a path, bytes, or an UploadReference
    async with FeatureModel(**model_options(args)) as model:
        info = await model.inspect_file(file=path, note="from example 02")
        assert info is not None
        local = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"model received {info.file_name} ({info.size} bytes, {info.mime_type})")
        print(
            "sha256 matches"
            if info.sha256 == local
            else f"sha256 MISMATCH {info.sha256} != {local}"
        )


if __name__ == "__main__":
    raise SystemExit(run(main))
