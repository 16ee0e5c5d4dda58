-- Runs with ON_ERROR_STOP on: the first error ends psql with exit code 3.
SELECT 'before' AS step;
SELECT * FROM no_such_table;
SELECT 'after' AS step;
