#!/usr/bin/env bash
# Create bench/.venv-peers: the peer tools the benchmarks compare against.
#   reactor-sdk 1.13.0             vendor Python client (runtime bench)
#   openapi-python-client 0.29.1   peer code generator (generator bench); ruff comes with it
# Uses the same interpreter as the project's .venv (Python 3.11) unless PYTHON is set, so
# both clients of the runtime bench run on the same Python. Idempotent.
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  if [ -x ../.venv/bin/python ]; then
    PY=$(readlink -f ../.venv/bin/python)
  else
    PY=python3
  fi
fi

if [ ! -x .venv-peers/bin/python ]; then
  "$PY" -m venv .venv-peers
fi
.venv-peers/bin/python -m pip install -q --upgrade pip
# numpy: reactor_sdk hands video frames out as numpy arrays
.venv-peers/bin/python -m pip install -q 'reactor-sdk==1.13.0' 'openapi-python-client==0.29.1' numpy
.venv-peers/bin/python - <<'PY'
import importlib.metadata as md, sys
for dist in ("reactor-sdk", "openapi-python-client", "ruff", "numpy"):
    print(f"  {dist} {md.version(dist)}")
print(f"  python {sys.version.split()[0]}")
PY

# bench/.venv-user: ours as a user installs it (a plain `pip install "reactor-client[native]"`,
# from the checkout), for memory figures without the dev venv's extras: in the dev venv httpx
# also imports its command line's click, rich and pygments (~5 MB), which a user's venv lacks.
if [ ! -x .venv-user/bin/python ]; then
  "$PY" -m venv .venv-user
fi
.venv-user/bin/python -m pip install -q --upgrade pip
.venv-user/bin/python -m pip install -q "../runtime[native]"
.venv-user/bin/python -m pip install -q --no-deps --force-reinstall ../runtime  # this checkout's code
echo "setup_peers: ok (bench/.venv-peers, bench/.venv-user)"
