#!/usr/bin/env bash
# Set up a fresh machine: a project virtualenv with the CPU build of PyTorch and matcher installed.
# Idempotent: re-running only installs what is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MATCHER_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3

# A CJK font for the event report's charts (matplotlib ships none): only when missing and only as root or sudo.
if [ -z "$(fc-list :lang=zh 2>/dev/null || true)" ] && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then AS_ROOT=""; elif sudo -n true 2>/dev/null; then AS_ROOT="sudo -n"; else AS_ROOT="-"; fi
  if [ "$AS_ROOT" = "-" ]; then
    echo "warning: no CJK font and no root; event report charts will show boxes for Chinese" >&2
  else
    { $AS_ROOT apt-get update -qq && $AS_ROOT apt-get install -y -qq --no-install-recommends fonts-wqy-microhei; } \
      || echo "warning: could not install fonts-wqy-microhei; event report charts will lack Chinese glyphs" >&2
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
fi
# torch first, pinned to the CPU wheel on this machine's disk: a bare `torch` would pull a multi-GB CUDA build.
"$VENV/bin/python" -c "import torch, sys; sys.exit(0 if torch.__version__.startswith('2.13.0') else 1)" 2>/dev/null \
  || "$VENV/bin/pip" install -q torch==2.13.0
"$VENV/bin/pip" install -q -e "$ROOT[dev]"
echo "matcher installed in $VENV"
