#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests, installing it from Debian's packages if needed.
# Prints the SQLAlchemy URL of a fresh database on stdout; everything else goes to stderr.
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGROOT="${PGROOT:-/tmp/csto-pg}"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
if [ ! -f "$PGROOT/data/PG_VERSION" ]; then
  mkdir -p "$PGROOT"
  [ "$(id -u)" = 0 ] && chown postgres "$PGROOT"
  run "$bindir/initdb -D $PGROOT/data -U postgres -A trust" >&2
fi
if ! run "$bindir/pg_ctl -D $PGROOT/data status" >/dev/null 2>&1; then
  run "$bindir/pg_ctl -D $PGROOT/data -o '-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1' -l $PGROOT/log -w start" >&2
fi
run "$bindir/psql -h 127.0.0.1 -p $PGPORT -U postgres -tAc \"DROP DATABASE IF EXISTS csto_test\"" >&2
run "$bindir/psql -h 127.0.0.1 -p $PGPORT -U postgres -tAc \"CREATE DATABASE csto_test\"" >&2
echo "postgresql://postgres@127.0.0.1:$PGPORT/csto_test"
