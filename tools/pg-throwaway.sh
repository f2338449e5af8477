#!/usr/bin/env bash
# start: create and start a throwaway PostgreSQL cluster on loopback; print its directory and URL.
# stop DIR: stop it and remove it. Runs the server as an unprivileged user when called as root.
set -eu
cmd=${1:-start}
find_bin() {
  for d in /usr/lib/postgresql/*/bin /usr/local/bin /usr/bin; do
    [ -x "$d/$1" ] && { echo "$d/$1"; return; }
  done
  return 1
}
INITDB=$(find_bin initdb) || { echo "initdb not found" >&2; exit 1; }
PGCTL=$(find_bin pg_ctl) || { echo "pg_ctl not found" >&2; exit 1; }
as_user() {
  if [ "$(id -u)" = 0 ]; then
    id -u postgres >/dev/null 2>&1 || useradd -r -M postgres >/dev/null 2>&1 || true
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}
if [ "$cmd" = stop ]; then
  dir=$2
  as_user "$PGCTL -D $dir/data -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi
dir=$(mktemp -d /tmp/strikewatch-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir" 2>/dev/null || true
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_user "$INITDB -D $dir/data -U strikewatch --auth=trust -E UTF8 --locale=C" >"$dir/initdb.log" 2>&1 \
  || { echo "initdb failed: $(tail -1 "$dir/initdb.log")" >&2; exit 1; }
as_user "$PGCTL -D $dir/data -l $dir/server.log -w -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off' start" >/dev/null 2>&1 \
  || { echo "pg_ctl start failed: $(tail -1 "$dir/server.log" 2>/dev/null)" >&2; exit 1; }
echo "$dir"
echo "postgresql+psycopg://strikewatch@127.0.0.1:$port/postgres"
