"""psycopg2 workload: parameters, executemany, copy_expert in both
directions, named (server-side) cursors, the SQLSTATE of errors,
transaction control, and what an application does (generated ids,
upserts, lists as arrays, Json as jsonb, window functions, a data-modifying
WITH), and type introspection (casters registered for the OIDs pg_type
gives, register_default_jsonb). Connects through the libpq environment."""
import decimal
import io
import sys

import psycopg2
import psycopg2.errorcodes
import psycopg2.extras


def step(name, fn):
    print("==", name)
    try:
        fn()
    except psycopg2.Error as e:
        print("error", e.pgcode, e.pgerror.splitlines()[0] if e.pgerror else e)
        conn.rollback()
    sys.stdout.flush()


conn = psycopg2.connect("")
cur = conn.cursor()


def create():
    cur.execute("CREATE TABLE books (id int PRIMARY KEY, title text, price numeric(8,2), pages bigint, published date, in_stock boolean)")
    conn.commit()
    print("created")


def params():
    rows = [
        (1, "Dune", decimal.Decimal("9.99"), 412, "1965-08-01", True),
        (2, "It's here", decimal.Decimal("12.50"), 1138, None, False),
        (3, None, None, None, None, None),
    ]
    cur.executemany("INSERT INTO books VALUES (%s, %s, %s, %s, %s, %s)", rows)
    print("rowcount", cur.rowcount)
    conn.commit()
    cur.execute("SELECT id, title, price, pages, published, in_stock FROM books WHERE id >= %(low)s ORDER BY id", {"low": 1})
    for row in cur.fetchall():
        print(repr(row))
    cur.execute("SELECT %s::text, %s::int + 1, %s", ("a'b\"c", 41, decimal.Decimal("1.25")))
    print(repr(cur.fetchone()))
    print([d.name for d in cur.description])
    conn.commit()


def copy():
    data = io.StringIO("10\tcopied one\t1.00\t10\t2020-01-01\tt\n11\t\\N\t\\N\t\\N\t\\N\t\\N\n")
    cur.copy_expert("COPY books FROM STDIN", data)
    print("copied", cur.rowcount)
    csv = io.StringIO("id,title\n12,\"with, comma\"\n")
    cur.copy_expert("COPY books (id, title) FROM STDIN WITH (FORMAT csv, HEADER true)", csv)
    print("copied", cur.rowcount)
    conn.commit()
    cur.execute("SELECT count(*), sum(pages) FROM books")
    print(repr(cur.fetchone()))
    conn.commit()


def errors():
    for sql in ["SELECT * FROM missing_table", "SELECT 1/0", "INSERT INTO books (id) VALUES (1)", "SELECT 'x'::int", "SELEC 1"]:
        try:
            cur.execute(sql)
        except psycopg2.Error as e:
            print(e.pgcode, psycopg2.errorcodes.lookup(e.pgcode), type(e).__name__)
            conn.rollback()
    cur.execute("SELECT count(*) FROM books")
    print("still usable", cur.fetchone()[0])
    conn.commit()


def transaction():
    cur.execute("INSERT INTO books (id, title) VALUES (20, 'rolled back')")
    conn.rollback()
    cur.execute("SELECT count(*) FROM books WHERE id = 20")
    print("after rollback", cur.fetchone()[0])
    conn.rollback()
    conn.autocommit = True
    cur.execute("INSERT INTO books (id, title) VALUES (21, 'autocommitted')")
    conn.autocommit = False
    cur.execute("SELECT title FROM books WHERE id = 21")
    print(cur.fetchone()[0])
    conn.commit()


def named_cursors():
    named = conn.cursor("books_cur")
    named.itersize = 2
    named.execute("SELECT id, title FROM books WHERE id < %s ORDER BY id", (20,))
    print(repr(named.fetchone()))
    print(repr(named.fetchmany(2)))
    named.scroll(1)
    print([row[0] for row in named])
    print([d.name for d in named.description])
    named.close()
    conn.commit()
    held = conn.cursor("held_cur", withhold=True)
    held.execute("SELECT id FROM books WHERE id <= 3 ORDER BY id")
    conn.commit()
    print("after commit", held.fetchall())
    held.close()
    conn.commit()


def copy_to():
    out = io.StringIO()
    cur.copy_expert("COPY (SELECT id, title, price, published, in_stock FROM books WHERE id < 20 ORDER BY id) TO STDOUT", out)
    print(repr(out.getvalue()))
    out = io.StringIO()
    cur.copy_expert("COPY (SELECT id, title, price FROM books WHERE id < 20 ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true, NULL 'none')", out)
    print(repr(out.getvalue()))
    out = io.StringIO()
    cur.copy_expert("COPY books (id, pages) TO STDOUT WITH CSV", out)
    print(sorted(out.getvalue().splitlines()))
    print("rowcount", cur.rowcount)
    conn.commit()


def type_introspection():
    """What applications do to read types psycopg2 has no caster for: look
    the enum's OID and its array's up in pg_type and register casters for
    them (new_type, new_array_type), and register jsonb's with loads of
    their own (register_default_jsonb). pqdb has no composite types, so
    register_composite runs only on a type that does not exist. The OIDs of
    user types differ between servers, so only whether they agree is
    printed."""
    cur.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')")
    cur.execute("CREATE TABLE diary (id int PRIMARY KEY, m mood, ms mood[], doc jsonb)")
    cur.execute("""INSERT INTO diary VALUES (1, 'happy', '{sad,ok}', '{"a": [1, 2]}'), (2, NULL, '{}', NULL)""")
    conn.commit()
    cur.execute("SELECT t.oid, t.typarray FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
                "WHERE t.typname = %s AND n.nspname = ANY(current_schemas(false))", ("mood",))
    oid, array_oid = cur.fetchone()
    cur.execute("SELECT %s::regtype::text, %s::regtype::text", (oid, array_oid))
    print("names", cur.fetchone())
    mood = psycopg2.extensions.new_type((oid,), "MOOD", lambda v, c: None if v is None else "mood:" + v)
    psycopg2.extensions.register_type(mood, conn)
    psycopg2.extensions.register_type(psycopg2.extensions.new_array_type((array_oid,), "MOOD[]", mood), conn)
    psycopg2.extras.register_default_jsonb(conn, loads=lambda v: {"jsonb": v})
    cur.execute("SELECT id, m, ms, doc FROM diary ORDER BY id")
    print([(d.name, d.type_code in (oid, array_oid) or d.type_code) for d in cur.description])
    for row in cur.fetchall():
        print(row)
    try:
        psycopg2.extras.register_composite("nothing", conn)
    except psycopg2.ProgrammingError as e:
        print("composite", e)
    psycopg2.extras.register_default_jsonb(conn)
    conn.commit()


def application():
    cur.execute("""CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text,
        tags text[], scores int[], profile jsonb, visits int NOT NULL DEFAULT 0, version int NOT NULL DEFAULT 1)""")
    cur.execute("""CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int NOT NULL,
        amount numeric(10,2) NOT NULL, region text NOT NULL)""")
    cur.execute("CREATE TABLE invoices_archive (id bigint PRIMARY KEY, customer_id int, amount numeric(10,2), region text)")
    conn.commit()
    for part in [generated_ids, on_conflict, arrays, jsonb, windows, rolled_back_upsert, modifying_with]:
        try:
            part()
        except psycopg2.Error as e:
            print("error", e.pgcode, e.pgerror.splitlines()[0] if e.pgerror else e)
            conn.rollback()


def generated_ids():
    print("-- generated ids")
    for email, name, tags, scores, profile in [
        ("ada@example.com", "Ada", ["admin", "beta"], [90, 85], {"plan": "pro", "seats": 5}),
        ("bob@example.com", "Bob", ["beta"], [70], {"plan": "free", "seats": 1}),
        ("cy@example.com", "Cy", [], None, {"plan": "pro", "seats": 2, "trial": True}),
    ]:
        cur.execute("INSERT INTO customers (email, name, tags, scores, profile) VALUES (%s, %s, %s, %s, %s) RETURNING id",
                    (email, name, tags, scores, psycopg2.extras.Json(profile)))
        print("customer", email, "id", cur.fetchone()[0])
    invoices = [(1, decimal.Decimal("120.00"), "eu"), (2, decimal.Decimal("15.50"), "us"), (1, decimal.Decimal("30.25"), "eu"),
                (3, decimal.Decimal("99.99"), "us"), (2, decimal.Decimal("5.00"), "eu"), (3, decimal.Decimal("42.00"), "eu")]
    ids = psycopg2.extras.execute_values(cur, "INSERT INTO invoices (customer_id, amount, region) VALUES %s RETURNING id", invoices, fetch=True)
    print("invoice ids", [row[0] for row in ids])
    conn.commit()
    try:
        cur.execute("INSERT INTO invoices (id, customer_id, amount, region) VALUES (%s, %s, %s, %s)", (100, 1, 1, "eu"))
    except psycopg2.Error as e:
        print("explicit identity:", e.pgcode, type(e).__name__, e.diag.message_primary)
        conn.rollback()


# The statement an ORM sends to save customers by their natural key: a
# row is updated only when its name changed.
UPSERT = """INSERT INTO customers AS c (email, name, visits) VALUES %s
    ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, visits = c.visits + EXCLUDED.visits, version = c.version + 1
    WHERE c.name IS DISTINCT FROM EXCLUDED.name
    RETURNING *"""


def on_conflict():
    print("-- on conflict")
    for email in ["ada@example.com", "dee@example.com"]:
        cur.execute("INSERT INTO customers (email, name) VALUES (%s, %s) ON CONFLICT (email) DO NOTHING RETURNING id", (email, "new"))
        print(email, cur.rowcount, cur.fetchall())
    dict_cur = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
    for rows in [[("bob@example.com", "Robert", 3), ("eve@example.com", "Eve", 1)], [("bob@example.com", "Robert", 3)]]:
        for row in psycopg2.extras.execute_values(dict_cur, UPSERT, rows, fetch=True):
            print(dict(row))
    cur.executemany("INSERT INTO customers (email, name) VALUES (%s, %s) ON CONFLICT (email) DO NOTHING",
                    [("ada@example.com", "Ada"), ("fay@example.com", "Fay")])
    print("rowcount", cur.rowcount)
    conn.commit()
    dict_cur.execute("SELECT * FROM customers ORDER BY id")
    for row in dict_cur:
        print(dict(row))
    conn.commit()


def arrays():
    print("-- arrays")
    cur.execute("SELECT id, email FROM customers WHERE id = ANY(%s) ORDER BY id", ([1, 3, 99],))
    print(cur.fetchall())
    cur.execute("SELECT array_agg(id ORDER BY id) FROM customers WHERE email = ANY(%s)", (["cy@example.com", "bob@example.com"],))
    print("ids by email", cur.fetchone()[0])
    cur.execute("UPDATE customers SET tags = %s, scores = %s WHERE email = %s",
                (["vip", "has space", 'quote"d', "back\\slash"], [1, 2, 3], "dee@example.com"))
    cur.execute("SELECT id, tags, scores, 'beta' = ANY(tags) FROM customers ORDER BY id")
    for row in cur:
        print(row)
    conn.commit()


def jsonb():
    print("-- jsonb")
    cur.execute("SELECT id, profile->>'plan', (profile->>'seats')::int FROM customers WHERE profile @> %s ORDER BY id",
                (psycopg2.extras.Json({"plan": "pro"}),))
    print(cur.fetchall())
    cur.execute("SELECT profile FROM customers WHERE id = %s", (3,))
    print("profile", cur.fetchone()[0])
    cur.execute("SELECT jsonb_agg(jsonb_build_object('email', email, 'plan', profile->'plan') ORDER BY id) FROM customers WHERE profile IS NOT NULL")
    print("plans", cur.fetchone()[0])
    conn.commit()


def windows():
    print("-- window functions")
    cur.execute("""SELECT id, customer_id, region, amount,
        row_number() OVER (PARTITION BY region ORDER BY amount DESC, id),
        sum(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
        lag(amount) OVER (PARTITION BY customer_id ORDER BY id)
        FROM invoices ORDER BY id""")
    for row in cur:
        print(row)
    conn.commit()


def rolled_back_upsert():
    print("-- rolled back upsert")
    try:
        with conn:
            cur.execute("""INSERT INTO customers AS c (email, name) VALUES (%s, %s)
                ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, version = c.version + 1 RETURNING name, version""",
                        ("ada@example.com", "Ada Lovelace"))
            print("inside", cur.fetchone())
            raise LookupError("undo")
    except LookupError:
        pass
    cur.execute("SELECT name, version FROM customers WHERE email = %s", ("ada@example.com",))
    print("after rollback", cur.fetchone())
    conn.commit()


def modifying_with():
    print("-- data-modifying WITH")
    cur.execute("""WITH moved AS (DELETE FROM invoices WHERE amount < %s RETURNING *)
        INSERT INTO invoices_archive SELECT * FROM moved RETURNING id""", (40,))
    print("archived", sorted(row[0] for row in cur.fetchall()))
    conn.commit()
    cur.execute("SELECT (SELECT count(*) FROM invoices), (SELECT count(*) FROM invoices_archive), (SELECT sum(amount) FROM invoices_archive)")
    print(cur.fetchone())
    conn.commit()


step("create", create)
step("parameters", params)
step("copy_expert from", copy)
step("named cursors", named_cursors)
step("copy_expert to", copy_to)
step("error codes", errors)
step("transactions", transaction)
step("type introspection", type_introspection)
step("application", application)
conn.close()
