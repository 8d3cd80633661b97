#!/usr/bin/env bash
# Install (if needed) and run the test suite; extra arguments go to pytest (e.g. -m slow).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
exec "${MATCHER_VENV:-$ROOT/.venv}/bin/python" -m pytest "$@"
