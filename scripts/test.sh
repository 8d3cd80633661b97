#!/usr/bin/env bash
# Install (if needed) and run the test suite; extra arguments go to pytest (e.g. -m slow).
# Without arguments (what CI runs) the suite runs on SQLite, then the store, API and pipeline tests run
# again on a throwaway PostgreSQL cluster (scripts/postgres.sh installs and starts it).
# MATCHER_TEST_POSTGRES=0 skips that second run; =1 runs it with arguments too.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
PY="${MATCHER_VENV:-$ROOT/.venv}/bin/python"
POSTGRES="${MATCHER_TEST_POSTGRES:-$([ $# -eq 0 ] && echo 1 || echo 0)}"

[ $# -eq 0 ] && "$(dirname "$PY")/ruff" check matcher api scripts tests
"$PY" -m pytest "$@"
[ "$POSTGRES" = 1 ] || exit 0

cluster="$(mktemp -d /tmp/matcher-pg.XXXXXX)"
rmdir "$cluster"
trap 'bash "$ROOT/scripts/postgres.sh" stop "$cluster"' EXIT
url="$(bash "$ROOT/scripts/postgres.sh" start "$cluster")"
echo "PostgreSQL run: tests/store tests/api tests/test_pipeline.py"
MATCHER_TEST_DATABASE_URL="$url" "$PY" -m pytest "$@" tests/store tests/api tests/test_pipeline.py
