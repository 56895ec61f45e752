#!/usr/bin/env bash
# Project-local PostgreSQL for `make run` and `make test`: a cluster under .data/pg on a loopback port,
# from Debian's postgresql package (installed when missing). Usage: db/local-postgres.sh start|stop|status
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
port="${PGPORT_LOCAL:-54329}"
data_link="$root/.data/pg"
superuser=buurtcentra

sudo_cmd=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo_cmd="sudo"

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

ensure_installed() {
  if [ -z "$(find_bin)" ]; then
    echo "PostgreSQL not found: installing Debian's postgresql package" >&2
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql postgresql-contrib >/dev/null
  fi
}

# initdb and postgres refuse to run as root: as root, run them as Debian's 'postgres' user.
as_owner() {
  # From / : the postgres user may not be able to enter the current folder (a private temp folder).
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

data_dir() {
  if [ -L "$data_link" ] || [ -d "$data_link" ]; then readlink -f "$data_link"; return; fi
  mkdir -p "$root/.data"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$root/.data"; then
    # The checkout is not reachable for the postgres user (e.g. under a private temp folder):
    # keep the cluster in a folder it can reach and link it from .data/pg.
    local target="/var/tmp/buurtcentra-pg/$(echo "$root" | sha256sum | cut -c1-16)"
    mkdir -p "$target"
    ln -sfn "$target" "$data_link"
    echo "$target"
  else
    mkdir -p "$data_link"
    echo "$data_link"
  fi
}

start() {
  ensure_installed
  local bin dir
  bin="$(find_bin)"
  dir="$(data_dir)"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir" -U "$superuser" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    return 0
  fi
  # The log lives next to the cluster, so it is writable wherever the cluster had to go.
  local log="$dir.log"
  touch "$log"; [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$log"
  as_owner "$bin/pg_ctl" -D "$dir" -l "$log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c fsync=off -c max_connections=200" start >/dev/null
}

stop() {
  local bin dir
  bin="$(find_bin)" || return 0
  [ -e "$data_link" ] || return 0
  dir="$(readlink -f "$data_link")"
  as_owner "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
}

create_databases() {
  local bin db
  bin="$(find_bin)"
  for db in "$@"; do
    if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U "$superuser" -d postgres -qtAc "select 1 from pg_database where datname = '$db'" | grep -q 1; then
      "$bin/psql" -h 127.0.0.1 -p "$port" -U "$superuser" -d postgres -qc "create database \"$db\"" >/dev/null
    fi
  done
}

# start [database ...]: start the cluster, create the named databases when missing, print the connection string.
case "${1:-start}" in
  start) start; shift || true; create_databases "$@"; echo "Host=127.0.0.1;Port=$port;Username=$superuser" ;;
  stop) stop ;;
  status) as_owner "$(find_bin)/pg_ctl" -D "$(readlink -f "$data_link")" status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
