#!/bin/sh
# Starts (or stops) a private PostgreSQL 15 instance on the loopback interface,
# the reference server of the TPC-H benchmark. It runs as the postgres user when
# called by root, with trust authentication and only these settings changed from
# the defaults: shared_buffers 2GB (lineitem at SF1 is about 1 GB), work_mem 64MB.
#
#   ./postgres15.sh start   # prints the DSN to pass as -pg-dsn
#   ./postgres15.sh stop
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGPORT=${PGPORT:-54315}
PGDIR=${PGDIR:-/tmp/pqdb-bench-pg15}

as_postgres() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "${1:-}" in
start)
	if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
		mkdir -p "$PGDIR"
		[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
		as_postgres "$PGBIN/initdb" -D "$PGDIR/data" --auth=trust --username=postgres >/dev/null
	fi
	as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
		-o "-c listen_addresses=127.0.0.1 -c port=$PGPORT -c unix_socket_directories=$PGDIR -c shared_buffers=2GB -c work_mem=64MB" start >/dev/null
	echo "postgres://postgres@127.0.0.1:$PGPORT/postgres?sslmode=disable"
	;;
stop)
	as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop
	;;
*)
	echo "usage: $0 start|stop" >&2
	exit 2
	;;
esac
