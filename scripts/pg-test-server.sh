#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite (issue 21), from Debian's
# `postgresql` package (scripts/system-deps.sh installs it).
#
#   scripts/pg-test-server.sh start   start one; prints `export CIVIC_TEST_PG_DSN=...`
#   scripts/pg-test-server.sh env     print that line again for the running one
#   scripts/pg-test-server.sh stop    stop it and delete its directory
#   scripts/pg-test-server.sh run CMD [ARGS...]
#                                     start one, run CMD with CIVIC_TEST_PG_DSN set,
#                                     stop it (whatever CMD did), exit with CMD's status
#
# The cluster lives in a new temporary directory, owned by a non-root user
# (PostgreSQL refuses to run as root: as root it runs as `postgres`, or
# $PG_TEST_USER). It listens on a unix socket in that directory only (no
# TCP port, so parallel servers never collide) and trusts local connections:
# it is for tests, never for data. The state file names the directory.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
state="${PG_TEST_STATE:-$repo/.pg-test-server}"
port=5432  # names the socket file only; nothing listens on TCP

bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
  echo "pg-test-server: no PostgreSQL server binaries; run scripts/system-deps.sh" >&2
  exit 1
}

as_owner() {  # run as the cluster's owner: ourselves, or a non-root user when root
  if [ "$(id -u)" -eq 0 ]; then  # from /: the caller's folder may be closed to that user
    (cd / && runuser -u "${PG_TEST_USER:-postgres}" -- "$@")
  else
    "$@"
  fi
}

dsn_of() { echo "host=$1 port=$port user=civic dbname=civic_test"; }

start() {
  if [ -f "$state" ] && [ -d "$(cat "$state")/data" ]; then
    echo "pg-test-server: already running in $(cat "$state")" >&2
    echo "export CIVIC_TEST_PG_DSN='$(dsn_of "$(cat "$state")")'"
    return
  fi
  local bin dir owner
  bin="$(bindir)"
  dir="$(mktemp -d "${TMPDIR:-/tmp}/civic-pg.XXXXXX")"
  if [ "$(id -u)" -eq 0 ]; then
    owner="${PG_TEST_USER:-postgres}"
    id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home "$owner"
    chown "$owner" "$dir"
  fi
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U civic --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $dir -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
    start >/dev/null || { cat "$dir/server.log" >&2; rm -rf "$dir"; exit 1; }
  as_owner "$bin/createdb" -h "$dir" -p "$port" -U civic civic_test
  echo "$dir" >"$state"
  echo "pg-test-server: started in $dir" >&2
  echo "export CIVIC_TEST_PG_DSN='$(dsn_of "$dir")'"
}

stop() {
  [ -f "$state" ] || { echo "pg-test-server: none running" >&2; return; }
  local dir
  dir="$(cat "$state")"
  if [ -d "$dir/data" ]; then
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$dir" "$state"
  echo "pg-test-server: stopped, $dir removed" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env)
    [ -f "$state" ] || { echo "pg-test-server: none running" >&2; exit 1; }
    echo "export CIVIC_TEST_PG_DSN='$(dsn_of "$(cat "$state")")'" ;;
  run)
    shift
    [ $# -gt 0 ] || { echo "usage: $0 run CMD [ARGS...]" >&2; exit 2; }
    eval "$(start)"
    export CIVIC_TEST_PG_DSN
    trap stop EXIT
    status=0
    "$@" || status=$?
    exit "$status" ;;
  *) echo "usage: $0 start|stop|env|run CMD [ARGS...]" >&2; exit 2 ;;
esac
