-- Runs with ON_ERROR_STOP off: an error is reported and the script goes on.
CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(6,2), added date);
\copy items FROM 'items.csv' WITH (FORMAT csv, HEADER true)
SELECT id, name, price, added FROM items ORDER BY id;
\copy (SELECT id, name, price, added FROM items ORDER BY id) TO STDOUT
\copy (SELECT id, name, price FROM items ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true)
\x on
SELECT id, name, price FROM items WHERE id = 2;
\x off
SELECT id, colour FROM items;
SELECT 1 / 0;
SELECT nosuchfn(id) FROM items;
SELECT id FROM items WHERE;
SELECT count(*) AS still_usable FROM items;
\echo done
