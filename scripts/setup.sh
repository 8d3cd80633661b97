#!/usr/bin/env bash
# Set up a fresh machine: a project virtualenv with the CPU build of PyTorch and matcher installed.
# Idempotent: re-running only installs what is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MATCHER_VENV:-$ROOT/.venv}"
# Debian's python3.11 where it can make virtualenvs: built with PGO and LTO, it serves an API request in
# ~10% less CPU than a source build without them (pyenv's default). $PYTHON overrides.
if [ -n "${PYTHON:-}" ]; then
  PY="$PYTHON"
elif [ -x /usr/bin/python3.11 ] && /usr/bin/python3.11 -c "import ensurepip, venv" 2>/dev/null; then
  PY=/usr/bin/python3.11
else
  PY=python3.11
fi
command -v "$PY" >/dev/null 2>&1 || PY=python3

# System packages, only when missing and only as root or with sudo (else a warning, and set-up goes on):
# a CJK font for the event report's charts (matplotlib ships none) and Java 17+ for the Spark engine.
apt_install() {  # apt_install PACKAGE WHAT-BREAKS-WITHOUT-IT
  command -v apt-get >/dev/null 2>&1 || { echo "warning: no apt-get to install $1; $2" >&2; return 0; }
  local as_root=""
  if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then as_root="sudo -n"; else echo "warning: not root, $1 missing; $2" >&2; return 0; fi
  fi
  { $as_root apt-get update -qq && $as_root apt-get install -y -qq --no-install-recommends "$1"; } \
    || echo "warning: could not install $1; $2" >&2
}
[ -n "$(fc-list :lang=zh 2>/dev/null || true)" ] \
  || apt_install fonts-wqy-microhei "event report charts will show boxes for Chinese"
java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])' \
  || apt_install openjdk-17-jre-headless "the Spark engine (and its tests) will not run"
[ -x /usr/bin/chromium ] \
  || apt_install chromium "the browser tests of the web pages (tests/web) are skipped"
command -v pdftotext >/dev/null 2>&1 \
  || apt_install poppler-utils "the printout tests cannot read the booth sheets' and slips' text back"
command -v wrk >/dev/null 2>&1 \
  || apt_install wrk "scripts/bench_api.py falls back to its in-process httpx client"

if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
fi
# torch first, pinned to the CPU wheel on this machine's disk: a bare `torch` would pull a multi-GB CUDA build.
"$VENV/bin/python" -c "import torch, sys; sys.exit(0 if torch.__version__.startswith('2.13.0') else 1)" 2>/dev/null \
  || "$VENV/bin/pip" install -q torch==2.13.0
"$VENV/bin/pip" install -q -e "$ROOT[dev]"
echo "matcher installed in $VENV"
