-- What an application does, the way a psql script writes it: variables
-- set with \set and quoted with :'name', generated ids read with \gset,
-- arrays and jsonb as literals. Runs with ON_ERROR_STOP off.
CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text,
    tags text[], scores int[], profile jsonb, visits int NOT NULL DEFAULT 0, version int NOT NULL DEFAULT 1);
CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int NOT NULL,
    amount numeric(10,2) NOT NULL, region text NOT NULL);
CREATE TABLE invoices_archive (id bigint PRIMARY KEY, customer_id int, amount numeric(10,2), region text);

\echo '-- generated ids'
\set email 'ada@example.com'
INSERT INTO customers (email, name, tags, scores, profile)
    VALUES (:'email', 'Ada', '{admin,beta}', '{90,85}', '{"plan": "pro", "seats": 5}') RETURNING id AS ada \gset
INSERT INTO customers (email, name, tags, scores, profile)
    VALUES ('bob@example.com', 'Bob', ARRAY['beta'], ARRAY[70], '{"plan": "free", "seats": 1}') RETURNING id AS bob \gset
INSERT INTO customers (email, name, tags, scores, profile)
    VALUES ('cy@example.com', 'Cy', '{}', NULL, '{"plan": "pro", "seats": 2, "trial": true}') RETURNING id AS cy \gset
\echo ids :ada :bob :cy
INSERT INTO invoices (customer_id, amount, region) VALUES
    (:ada, 120.00, 'eu'), (:bob, 15.50, 'us'), (:ada, 30.25, 'eu'), (:cy, 99.99, 'us'), (:bob, 5.00, 'eu'), (:cy, 42.00, 'eu')
    RETURNING id, customer_id;
INSERT INTO invoices (id, customer_id, amount, region) VALUES (100, :ada, 1, 'eu');

\echo '-- on conflict'
INSERT INTO customers (email, name) VALUES (:'email', 'Ada again') ON CONFLICT (email) DO NOTHING RETURNING id;
INSERT INTO customers (email, name) VALUES ('dee@example.com', 'Dee') ON CONFLICT (email) DO NOTHING RETURNING id;
INSERT INTO customers AS c (email, name, visits) VALUES ('bob@example.com', 'Robert', 3), ('eve@example.com', 'Eve', 1)
    ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, visits = c.visits + EXCLUDED.visits, version = c.version + 1
    WHERE c.name IS DISTINCT FROM EXCLUDED.name
    RETURNING *;
INSERT INTO customers AS c (email, name, visits) VALUES ('bob@example.com', 'Robert', 3)
    ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, visits = c.visits + EXCLUDED.visits, version = c.version + 1
    WHERE c.name IS DISTINCT FROM EXCLUDED.name
    RETURNING *;
SELECT id, email, name, visits, version FROM customers ORDER BY id;

\echo '-- arrays'
SELECT id, email FROM customers WHERE id = ANY('{1,3,99}'::int[]) ORDER BY id;
SELECT id, email FROM customers WHERE email = ANY(ARRAY['cy@example.com', 'bob@example.com']) ORDER BY id;
SELECT id, tags, scores, array_length(tags, 1) AS ntags, 'beta' = ANY(tags) AS beta FROM customers ORDER BY id;

\echo '-- jsonb'
SELECT id, profile->>'plan' AS plan, (profile->>'seats')::int AS seats FROM customers WHERE profile @> '{"plan": "pro"}' ORDER BY id;
SELECT profile FROM customers WHERE id = :cy;
SELECT jsonb_agg(jsonb_build_object('email', email, 'plan', profile->'plan') ORDER BY id) AS plans FROM customers WHERE profile IS NOT NULL;

\echo '-- window functions'
SELECT id, customer_id, region, amount,
    row_number() OVER (PARTITION BY region ORDER BY amount DESC, id) AS rank_in_region,
    sum(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
    lag(amount) OVER (PARTITION BY customer_id ORDER BY id) AS previous
FROM invoices ORDER BY id;

\echo '-- rolled back upsert'
BEGIN;
INSERT INTO customers AS c (email, name) VALUES (:'email', 'Ada Lovelace')
    ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, version = c.version + 1 RETURNING id, name, version;
ROLLBACK;
SELECT id, name, version FROM customers WHERE email = :'email';

\echo '-- data-modifying WITH'
WITH moved AS (DELETE FROM invoices WHERE amount < 40 RETURNING *),
    archived AS (INSERT INTO invoices_archive SELECT * FROM moved RETURNING id)
SELECT id FROM archived ORDER BY id;
SELECT (SELECT count(*) FROM invoices) AS live, (SELECT count(*) FROM invoices_archive) AS archived, (SELECT sum(amount) FROM invoices_archive) AS archived_amount;
SELECT id, customer_id, amount, region FROM invoices_archive ORDER BY id;
