#!/usr/bin/env bash
# Set up a fresh machine: a project virtualenv with the CPU build of PyTorch and matcher installed.
# Idempotent: re-running only installs what is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MATCHER_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3

if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
fi
# torch first, pinned to the CPU wheel on this machine's disk: a bare `torch` would pull a multi-GB CUDA build.
"$VENV/bin/python" -c "import torch, sys; sys.exit(0 if torch.__version__.startswith('2.13.0') else 1)" 2>/dev/null \
  || "$VENV/bin/pip" install -q torch==2.13.0
"$VENV/bin/pip" install -q -e "$ROOT[dev]"
echo "matcher installed in $VENV"
