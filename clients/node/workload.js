// node-postgres workload: parameters, named prepared statements, a cursor
// read with FETCH, the parsing of each type into JavaScript values, and
// what an application does (generated ids, upserts, JS arrays and objects
// as array and jsonb parameters, a bulk insert through unnest, window
// functions, a data-modifying WITH). Connects through the libpq environment
// variables, which pg reads itself.
'use strict';
const { Client, types } = require('pg');

async function step(client, name, fn) {
  console.log('==', name);
  try {
    await fn();
  } catch (e) {
    console.log('error', e.code, e.message);
    await client.query('ROLLBACK').catch(() => {});
  }
}

function show(rows) {
  for (const row of rows) {
    console.log(JSON.stringify(row, (k, v) => (v instanceof Date ? 'Date(' + v.toISOString() + ')' : typeof v === 'bigint' ? v + 'n' : v)));
  }
}

// application does what a node-postgres application does. The type
// parsers set by the type parsing step stay: numeric arrives tagged and
// bigint as a BigInt.
async function application(client) {
  await client.query(`CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text,
    tags text[], scores int[], profile jsonb, visits int NOT NULL DEFAULT 0, version int NOT NULL DEFAULT 1)`);
  await client.query(`CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int NOT NULL,
    amount numeric(10,2) NOT NULL, region text NOT NULL)`);
  await client.query('CREATE TABLE invoices_archive (id bigint PRIMARY KEY, customer_id int, amount numeric(10,2), region text)');

  await part(client, 'generated ids', async () => {
    const customers = [
      ['ada@example.com', 'Ada', ['admin', 'beta'], [90, 85], { plan: 'pro', seats: 5 }],
      ['bob@example.com', 'Bob', ['beta'], [70], { plan: 'free', seats: 1 }],
      ['cy@example.com', 'Cy', [], null, { plan: 'pro', seats: 2, trial: true }],
    ];
    for (const values of customers) {
      const r = await client.query('INSERT INTO customers (email, name, tags, scores, profile) VALUES ($1, $2, $3, $4, $5) RETURNING id', values);
      console.log('customer', values[0], 'id', r.rows[0].id);
    }
    // Many rows in one statement: a column of values per parameter.
    const r = await client.query(`INSERT INTO invoices (customer_id, amount, region)
      SELECT * FROM unnest($1::int[], $2::numeric[], $3::text[]) RETURNING id`,
    [[1, 2, 1, 3, 2, 3], ['120.00', '15.50', '30.25', '99.99', '5.00', '42.00'], ['eu', 'us', 'eu', 'us', 'eu', 'eu']]);
    console.log('invoice ids', r.rows.map((row) => String(row.id)).join(' '));
    try {
      await client.query('INSERT INTO invoices (id, customer_id, amount, region) VALUES ($1, $2, $3, $4)', [100, 1, 1, 'eu']);
    } catch (e) {
      console.log('explicit identity:', e.code, e.message, e.hint);
    }
  });

  await part(client, 'on conflict', async () => {
    for (const email of ['ada@example.com', 'dee@example.com']) {
      const r = await client.query('INSERT INTO customers (email, name) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING RETURNING id', [email, 'new']);
      console.log(email, r.command, r.rowCount, JSON.stringify(r.rows));
    }
    // The statement an ORM sends to save customers by their natural key;
    // a row is updated only when its name changed.
    const upsert = `INSERT INTO customers AS c (email, name, visits) VALUES ($1, $2, $3), ($4, $5, $6)
      ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, visits = c.visits + EXCLUDED.visits, version = c.version + 1
      WHERE c.name IS DISTINCT FROM EXCLUDED.name
      RETURNING *`;
    for (const values of [['bob@example.com', 'Robert', 3, 'eve@example.com', 'Eve', 1], ['bob@example.com', 'Robert', 3, 'ada@example.com', 'Ada', 1]]) {
      const r = await client.query(upsert, values);
      console.log(r.command, r.rowCount);
      show(r.rows);
    }
    const r = await client.query('INSERT INTO customers (email, name) VALUES ($1, $2), ($3, $4) ON CONFLICT (email) DO NOTHING', ['ada@example.com', 'Ada', 'fay@example.com', 'Fay']);
    console.log(r.command, r.rowCount);
    show((await client.query('SELECT * FROM customers ORDER BY id')).rows);
  });

  await part(client, 'arrays', async () => {
    show((await client.query('SELECT id, email FROM customers WHERE id = ANY($1) ORDER BY id', [[1, 3, 99]])).rows);
    show((await client.query('SELECT array_agg(id ORDER BY id) AS ids FROM customers WHERE email = ANY($1)', [['cy@example.com', 'bob@example.com']])).rows);
    const r = await client.query('UPDATE customers SET tags = $1, scores = $2 WHERE email = $3',
      [['vip', 'has space', 'quote"d', 'back\\slash', null, '{brace}', 'NULL'], [1, null, 3], 'dee@example.com']);
    console.log(r.command, r.rowCount);
    show((await client.query("SELECT id, tags, scores, 'beta' = ANY(tags) AS beta FROM customers ORDER BY id")).rows);
  });

  await part(client, 'jsonb', async () => {
    const r = await client.query("SELECT id, profile->>'plan' AS plan, (profile->>'seats')::int AS seats FROM customers WHERE profile @> $1 ORDER BY id", [{ plan: 'pro' }]);
    show(r.rows);
    const p = await client.query('SELECT profile FROM customers WHERE id = $1', [3]);
    console.log('profile', p.fields[0].dataTypeID, typeof p.rows[0].profile, JSON.stringify(p.rows[0].profile));
    const plans = await client.query("SELECT jsonb_agg(jsonb_build_object('email', email, 'plan', profile->'plan') ORDER BY id) AS plans FROM customers WHERE profile IS NOT NULL");
    show(plans.rows);
  });

  await part(client, 'window functions', async () => {
    const r = await client.query(`SELECT id, customer_id, region, amount,
      row_number() OVER (PARTITION BY region ORDER BY amount DESC, id) AS rank_in_region,
      sum(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
      lag(amount) OVER (PARTITION BY customer_id ORDER BY id) AS previous
      FROM invoices ORDER BY id`);
    show(r.rows);
  });

  await part(client, 'rolled back upsert', async () => {
    await client.query('BEGIN');
    try {
      const r = await client.query(`INSERT INTO customers AS c (email, name) VALUES ($1, $2)
        ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, version = c.version + 1 RETURNING name, version`, ['ada@example.com', 'Ada Lovelace']);
      show(r.rows);
    } finally {
      await client.query('ROLLBACK');
    }
    show((await client.query('SELECT name, version FROM customers WHERE email = $1', ['ada@example.com'])).rows);
  });

  await part(client, 'data-modifying WITH', async () => {
    const r = await client.query(`WITH moved AS (DELETE FROM invoices WHERE amount < $1 RETURNING *)
      INSERT INTO invoices_archive SELECT * FROM moved RETURNING id`, [40]);
    console.log(r.command, r.rowCount, 'archived', r.rows.map((row) => row.id).sort((a, b) => (a < b ? -1 : 1)).join(' '));
    show((await client.query('SELECT (SELECT count(*) FROM invoices) AS live, (SELECT count(*) FROM invoices_archive) AS archived, (SELECT sum(amount) FROM invoices_archive) AS amount')).rows);
  });
}

// part runs one part of the application step, reporting its error so that
// the next part runs.
// typeIntrospection does what applications do to read types node-postgres
// has no parser for: look the OIDs up in pg_type by name (an enum's, its
// array's, jsonb's) and register a parser for each, then read columns of
// those types through them. The OIDs of user types differ between
// servers, so only whether they match is printed.
async function typeIntrospection(client) {
  await client.query("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
  await client.query('CREATE TABLE diary (id int PRIMARY KEY, m mood, ms mood[], doc jsonb, docs jsonb[])');
  await client.query(`INSERT INTO diary VALUES (1, 'happy', '{sad,ok}', '{"a": [1, 2]}', ARRAY['{"b": 2}'::jsonb, 'null']),
    (2, NULL, '{}', 'true', NULL)`);
  const t = await client.query(`SELECT t.oid, t.typname, t.typarray, t.typtype, t.typcategory, t.typelem, t.typdelim, n.nspname
    FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typname = ANY($1) ORDER BY t.typname`, [['mood', '_mood', 'jsonb', '_jsonb']]);
  const byName = {};
  for (const row of t.rows) {
    byName[row.typname] = row;
  }
  for (const row of t.rows) {
    const builtin = row.nspname === 'pg_catalog';
    console.log(row.typname, row.typtype, row.typcategory, row.typdelim, row.nspname,
      builtin ? 'oid ' + row.oid + ' array ' + row.typarray + ' elem ' + row.typelem : 'user type',
      'array of', Object.keys(byName).find((k) => byName[k].oid === row.typelem) || '-',
      'has array', Object.keys(byName).find((k) => byName[k].oid === row.typarray) || '-');
  }
  const mood = byName.mood;
  const r = await client.query("SELECT 'mood'::regtype::oid AS by_regtype, to_regtype('mood')::oid AS by_to_regtype, to_regtype('nothing') AS missing, $1::oid::regtype::text AS name", [mood.oid]);
  console.log('regtype agrees', r.rows[0].by_regtype === mood.oid, r.rows[0].by_to_regtype === mood.oid, r.rows[0].missing, r.rows[0].name);
  types.setTypeParser(mood.oid, (v) => 'mood:' + v);
  types.setTypeParser(mood.typarray, (v) => types.arrayParser.create(v, (e) => 'mood:' + e).parse());
  types.setTypeParser(byName.jsonb.oid, (v) => ({ jsonb: JSON.parse(v) }));
  types.setTypeParser(byName._jsonb.oid, (v) => types.arrayParser.create(v, (e) => ({ jsonb: JSON.parse(e) })).parse());
  const rows = await client.query('SELECT id, m, ms, doc, docs FROM diary ORDER BY id');
  for (const f of rows.fields) {
    const type = Object.keys(byName).find((k) => byName[k].oid === f.dataTypeID) || f.dataTypeID;
    console.log('field', f.name, type, f.format);
  }
  show(rows.rows);
  // The per-query form: parsers given with the query, not globally.
  const perQuery = await client.query({
    text: 'SELECT m, ms FROM diary WHERE id = $1',
    values: [1],
    types: { getTypeParser: (oid, format) => (oid === mood.oid ? (v) => v.toUpperCase() : types.getTypeParser(oid, format)) },
  });
  show(perQuery.rows);
  types.setTypeParser(byName.jsonb.oid, JSON.parse);
  types.setTypeParser(byName._jsonb.oid, (v) => types.arrayParser.create(v, JSON.parse).parse());
}

async function part(client, name, fn) {
  console.log('--', name);
  try {
    await fn();
  } catch (e) {
    console.log('error', e.code, e.message);
    await client.query('ROLLBACK').catch(() => {});
  }
}

async function main() {
  const client = new Client();
  await client.connect();

  await step(client, 'create', async () => {
    const r = await client.query('CREATE TABLE orders (id int PRIMARY KEY, customer text, total numeric(10,2), qty bigint, placed date, paid boolean, weight real, ratio double precision, tiny smallint)');
    console.log(r.command);
  });

  await step(client, 'parameters', async () => {
    let r = await client.query('INSERT INTO orders VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [1, "O'Brien", '19.99', '9007199254740993', '2024-02-29', true, 1.5, 0.1, 7]);
    console.log(r.command, r.rowCount);
    r = await client.query('INSERT INTO orders (id, customer) VALUES ($1, $2), ($3, $4)', [2, null, 3, 'Ünïcode ✓']);
    console.log(r.command, r.rowCount);
    r = await client.query('SELECT id, customer FROM orders WHERE id > $1 ORDER BY id', [1]);
    show(r.rows);
    console.log(r.fields.map((f) => f.name + ':' + f.dataTypeID).join(' '));
  });

  await step(client, 'named prepared statements', async () => {
    const byId = { name: 'order-by-id', text: 'SELECT id, customer, paid FROM orders WHERE id = $1' };
    for (const id of [1, 2, 3, 1]) {
      const r = await client.query({ ...byId, values: [id] });
      show(r.rows);
    }
    const ins = { name: 'insert-order', text: 'INSERT INTO orders (id, customer, qty) VALUES ($1, $2, $3)' };
    for (let id = 10; id < 13; id++) {
      const r = await client.query({ ...ins, values: [id, 'batch', id * 10] });
      console.log(r.command, r.rowCount);
    }
    const r = await client.query({ name: 'count-orders', text: 'SELECT count(*) AS n, sum(qty) AS s FROM orders', rowMode: 'array' });
    console.log(JSON.stringify(r.rows));
  });

  await step(client, 'type parsing', async () => {
    const r = await client.query('SELECT id, customer, total, qty, placed, paid, weight, ratio, tiny FROM orders WHERE id = 1');
    const row = r.rows[0];
    for (const f of r.fields) {
      const v = row[f.name];
      console.log(f.name, f.dataTypeID, typeof v, v instanceof Date ? v.toISOString() : String(v));
    }
    types.setTypeParser(1700, (v) => 'numeric:' + v);
    types.setTypeParser(20, (v) => BigInt(v));
    const again = await client.query('SELECT total, qty FROM orders WHERE id = $1', [1]);
    console.log(again.rows[0].total, typeof again.rows[0].qty, String(again.rows[0].qty));
    const lit = await client.query("SELECT 1::int AS i, 'x'::text AS t, true AS b, NULL::int AS n, 2.5::float8 AS f, '2000-01-02'::date AS d");
    show(lit.rows);
  });

  await step(client, 'more types and a multi-statement query', async () => {
    const results = await client.query("SELECT '{\"a\": [1, 2.5, null]}'::json AS j, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u; SELECT interval '1 day 02:03:04' AS i, $$\\x6869$$::bytea AS b");
    for (const r of results) {
      console.log(r.command, r.fields.map((f) => f.name + ':' + f.dataTypeID).join(' '), JSON.stringify(r.rows));
    }
    const r = await client.query('SELECT $1::bytea AS b, $2::json AS j', [Buffer.from([0, 255, 10]), JSON.stringify({ k: 'v' })]);
    console.log(JSON.stringify(r.rows));
  });

  await step(client, 'transactions', async () => {
    await client.query('BEGIN');
    await client.query('INSERT INTO orders (id) VALUES (100)');
    await client.query('ROLLBACK');
    await client.query('BEGIN');
    await client.query('INSERT INTO orders (id) VALUES (101)');
    await client.query('COMMIT');
    const r = await client.query('SELECT id FROM orders WHERE id >= 100 ORDER BY id');
    show(r.rows);
  });

  await step(client, 'cursor with FETCH', async () => {
    await client.query('BEGIN');
    await client.query('DECLARE big_orders CURSOR FOR SELECT id, customer FROM orders ORDER BY id');
    let r = await client.query('FETCH 2 FROM big_orders');
    console.log(r.command, r.rowCount);
    show(r.rows);
    r = await client.query('MOVE 1 IN big_orders');
    console.log(r.command, r.rowCount);
    r = await client.query('FETCH ALL FROM big_orders');
    console.log(r.command, r.rowCount);
    show(r.rows);
    r = await client.query('FETCH NEXT FROM big_orders');
    console.log(r.command, r.rowCount, r.rows.length);
    r = await client.query('CLOSE big_orders');
    console.log(r.command);
    await client.query('COMMIT');
  });

  await step(client, 'errors', async () => {
    for (const [sql, values] of [['SELECT * FROM nope', []], ['INSERT INTO orders (id) VALUES ($1)', [1]], ['SELECT $1::int', ['abc']], ['SELECT 1/0', []]]) {
      try {
        await client.query(sql, values);
      } catch (e) {
        console.log(e.code, e.severity, e.message);
      }
    }
    const r = await client.query('SELECT count(*) FROM orders');
    console.log('still usable', r.rows[0].count);
  });

  await step(client, 'type introspection', () => typeIntrospection(client));

  await step(client, 'application', () => application(client));

  await client.end();
}

main().catch((e) => {
  console.log('fatal', e.code, e.message);
  process.exit(1);
});
