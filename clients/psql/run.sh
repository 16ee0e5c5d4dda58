#!/usr/bin/env bash
# psql workload: connection settings come from PGHOST, PGPORT, PGUSER and
# PGDATABASE. Prints everything psql prints, plus its exit codes.
cd "$(dirname "$0")"
run() {
	psql -X -q "$@" 2>&1
	echo "exit $?"
}
echo '== multi-statement string'
run -c "CREATE TABLE multi (a int, b text); INSERT INTO multi VALUES (1, 'x'), (2, NULL); SELECT a, b FROM multi ORDER BY a"
run -c "SELECT count(*) FROM multi; SELECT max(a) FROM multi"
echo '== script, errors go on'
run -v ON_ERROR_STOP=0 -f workload.sql
echo '== script, errors stop'
run -v ON_ERROR_STOP=1 -f stop.sql
echo '== application'
run -v ON_ERROR_STOP=0 -f application.sql
