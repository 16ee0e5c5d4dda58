#!/usr/bin/env bash
# psql \d family workload: builds schema.sql, then prints what psql's
# describing meta-commands (describe.sql) print for it. Connection
# settings come from PGHOST, PGPORT, PGUSER and PGDATABASE.
cd "$(dirname "$0")"
# Roles are cluster-wide: an earlier recording against the same
# PostgreSQL leaves them behind. What this prints depends on that
# history, so it goes nowhere.
psql -X -q -c 'DROP ROLE IF EXISTS describe_reader' -c 'DROP ROLE IF EXISTS describe_boss' >/dev/null 2>&1
echo '== schema'
psql -X -q -v ON_ERROR_STOP=0 -f schema.sql 2>&1
echo "exit $?"
# \conninfo names the server's port, which differs between the servers
# compared (libpq prints it without asking the server), so it reads PORT.
psql -X -v ON_ERROR_STOP=0 -f describe.sql 2>&1 | sed "s/ at port \"$PGPORT\"/ at port \"PORT\"/"
echo "exit ${PIPESTATUS[0]}"
