#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `start DIR` installs Debian's postgresql when missing,
# creates a cluster in DIR (owned by the postgres user, trust auth, a Unix socket in DIR, no TCP) and prints
# its SQLAlchemy URL; `stop DIR` stops it and removes DIR.
set -euo pipefail
action="${1:-}"; dir="${2:-}"
[ -n "$action" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
PORT="${MATCHER_PG_PORT:-54329}"

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$action" in
  start)
    if [ -z "$(bin_dir)" ]; then
      [ "$(id -u)" -eq 0 ] || { echo "postgresql is not installed and this is not root" >&2; exit 1; }
      apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends postgresql >&2
    fi
    bin="$(bin_dir)"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $PORT -k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c max_connections=200" \
      start >/dev/null
    echo "postgresql+psycopg://postgres@/postgres?host=$dir&port=$PORT"
    ;;
  stop)
    bin="$(bin_dir)"
    [ -d "$dir/data" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
