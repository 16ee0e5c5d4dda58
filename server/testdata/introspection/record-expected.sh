#!/usr/bin/env bash
# Records server/testdata/introspection/*.out from PostgreSQL 15: starts a
# private server (bench/postgres15.sh, in a temporary directory on a free
# loopback port), so that no role or database of another cluster shows in
# the answers, runs the replay against it with -update-introspection, and
# stops it. Run from anywhere in the tree (as root, it runs the server as
# user postgres).
set -euo pipefail
cd "$(dirname "$0")/../../.."
export PGDIR=$(mktemp -d) PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'sh bench/postgres15.sh stop >/dev/null; rm -rf "$PGDIR"' EXIT
sh bench/postgres15.sh start >/dev/null
PQDB_INTROSPECTION_POSTGRES=127.0.0.1:$PGPORT go test -count=1 ./server -run TestIntrospectionReplay -update-introspection "$@"
