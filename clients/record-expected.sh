#!/usr/bin/env bash
# Records every clients/*/expected.out from PostgreSQL 15: starts a private
# server (initdb and pg_ctl as user postgres, trust authentication, in a
# temporary directory on a free loopback port), runs the matrix against it
# with -update, and stops it. Run as root from anywhere in the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
dir=$(mktemp -d)
chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run_as_postgres() { su postgres -s /bin/bash -c "$*"; }
run_as_postgres "$bin/initdb -D $dir/data -A trust -U postgres --no-sync" >/dev/null
run_as_postgres "$bin/pg_ctl -D $dir/data -w -l $dir/log -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off' start" >/dev/null
trap 'run_as_postgres "$bin/pg_ctl -D $dir/data -m immediate stop" >/dev/null; rm -rf "$dir"' EXIT
PQDB_CLIENTS_POSTGRES=127.0.0.1:$port go test -count=1 ./clients -update "$@"
