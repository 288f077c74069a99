#!/usr/bin/env bash
# A throw-away PostgreSQL server for tests: fast (no fsync), trust auth, 127.0.0.1 only.
#   scripts/pg-test-server.sh start <dir>   prints postgres://postgres@127.0.0.1:<port>/postgres
#   scripts/pg-test-server.sh stop <dir>    stops the server and removes <dir>
# Needs the Debian `postgresql` package. As root the server runs as the `postgres` user
# (initdb refuses root); as an ordinary user it runs as that user.
set -euo pipefail

die() { echo "pg-test-server: $*" >&2; exit 1; }

usage() { die "usage: $0 start|stop <dir>"; }
[ $# -eq 2 ] || usage
action=$1
dir=$2

# Newest installed server binaries, else whatever is on PATH.
find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/$1" ] && { echo "$d/$1"; return; }
  done
  command -v "$1" || die "$1 not found: install the postgresql package"
}

if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user"
  as_server() { (cd / && runuser -u postgres -- "$@"); }
else
  as_server() { "$@"; }
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

url_for() { echo "postgres://postgres@127.0.0.1:$1/postgres"; }

# The marker proves <dir> is ours before `stop` deletes it.
marker=.aop-pg-test-server

start() {
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local pg_ctl initdb
  pg_ctl=$(find_bin pg_ctl)
  initdb=$(find_bin initdb)

  if [ -f "$dir/$marker" ] && [ -f "$dir/port" ] && as_server "$pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    url_for "$(cat "$dir/port")"
    return
  fi
  [ -z "$(ls -A "$dir")" ] || [ -f "$dir/$marker" ] || die "$dir is not empty and not a test server directory"
  touch "$dir/$marker"
  rm -rf "$dir/data"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$dir"
    as_server test -w "$dir" || die "user postgres cannot write $dir (choose a directory under /tmp)"
  fi

  as_server "$initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  cat >>"$dir/data/postgresql.conf" <<EOF
# scripts/pg-test-server.sh: a disposable server, speed over durability
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
full_page_writes = off
synchronous_commit = off
max_connections = 200
shared_buffers = 64MB
log_min_messages = warning
EOF

  # Take the first free port from 54320; if another server grabs it first, try the next.
  local port=54320 tries=0
  while [ $tries -lt 40 ]; do
    if ! port_in_use $port; then
      if as_server "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -o "-p $port" start >/dev/null 2>&1; then
        echo $port >"$dir/port"
        url_for $port
        return
      fi
      tries=$((tries + 1))
    fi
    port=$((port + 1))
  done
  [ -f "$dir/server.log" ] && tail -n 20 "$dir/server.log" >&2
  die "could not start a server (see $dir/server.log)"
}

stop() {
  [ -d "$dir" ] || return 0
  [ -f "$dir/$marker" ] || die "$dir was not created by this script; not removing it"
  local pg_ctl
  pg_ctl=$(find_bin pg_ctl)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_server "$pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
