// node-postgres workload: parameters, named prepared statements, a cursor
// read with FETCH and the parsing of each type into JavaScript values.
// Connects through the libpq environment variables, which pg reads itself.
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
    console.log(JSON.stringify(row, (k, v) => (v instanceof Date ? 'Date(' + v.toISOString() + ')' : v)));
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

  await client.end();
}

main().catch((e) => {
  console.log('fatal', e.code, e.message);
  process.exit(1);
});
