#!/usr/bin/env bash
# The main job on a fresh machine: set up, then import your files (or generate demo data into an empty
# database), build the model and indexes, train rankers from outcome events, and serve the API.
# Arguments go to `matcher run` (e.g. --talents FILE --jobs FILE --events FILE, --no-serve, --port 8000).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
exec "${MATCHER_VENV:-$ROOT/.venv}/bin/matcher" run "$@"
