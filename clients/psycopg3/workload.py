"""psycopg 3 workload: binary parameters and results, COPY in both
directions, pipeline mode, prepared statements and what a rollback does to
them, nested transactions, server-side cursors, and what an application
does (generated ids, upserts, lists as arrays, Jsonb, window functions, a
data-modifying WITH), and type introspection (TypeInfo, EnumInfo and
register_enum). Connects through the libpq environment."""
import datetime
import decimal
import enum
import logging
import sys

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types import TypeInfo
from psycopg.types.composite import CompositeInfo
from psycopg.types.enum import EnumInfo, register_enum
from psycopg.types.json import Jsonb


def step(name, fn):
    print("==", name)
    try:
        fn()
    except psycopg.Error as e:
        diag = e.diag
        print("error", diag.sqlstate, diag.message_primary)
        conn.rollback()
    sys.stdout.flush()


# When a pipeline's error reaches psycopg before the end of the block,
# leaving the block logs a warning naming the connection's port and the
# pipeline's address; when it surfaces depends on timing, not on the server.
logging.getLogger("psycopg").setLevel(logging.ERROR)

conn = psycopg.connect("")


def create():
    conn.execute("CREATE TABLE events (id bigint PRIMARY KEY, kind text, amount numeric(10,3), score double precision, at date, ok boolean)")
    conn.commit()
    print("created")


def binary_parameters():
    with conn.cursor(binary=True) as cur:
        cur.execute("INSERT INTO events VALUES (%b, %b, %b, %b, %b, %b)",
                    (1, "start", decimal.Decimal("10.125"), 0.5, datetime.date(2024, 5, 1), True))
        cur.execute("INSERT INTO events VALUES (%b, %b, %b, %b, %b, %b)", (2, None, None, None, None, None))
        cur.execute("SELECT id, kind, amount, score, at, ok FROM events WHERE id <= %b ORDER BY id", (2,))
        print([c.name for c in cur.description])
        print("binary results", all(r == 1 for r in [cur.pgresult.fformat(i) for i in range(6)]))
        for row in cur:
            print(repr(row))
    conn.commit()


def prepared():
    with conn.cursor() as cur:
        for i in range(3, 11):
            cur.execute("INSERT INTO events (id, kind, score) VALUES (%s, %s, %s)", (i, "tick", i / 4), prepare=True)
        cur.execute("SELECT count(*), sum(score) FROM events WHERE kind = %s", ("tick",), prepare=True)
        print(cur.fetchone())
        cur.executemany("INSERT INTO events (id, kind) VALUES (%s, %s)", [(11, "many"), (12, "many")])
        cur.execute("SELECT id FROM events WHERE kind = %s ORDER BY id", ("many",), prepare=True)
        print(cur.fetchall())
    conn.commit()


def copy_in():
    with conn.cursor() as cur:
        with cur.copy("COPY events (id, kind, amount) FROM STDIN") as copy:
            copy.write_row((20, "copied", decimal.Decimal("1.5")))
            copy.write_row((21, None, None))
        print("copied", cur.rowcount)
        with cur.copy("COPY events (id, kind, ok) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "text", "bool"])
            copy.write_row((22, "binary", True))
        print("copied", cur.rowcount)
        cur.execute("SELECT id, kind, amount, ok FROM events WHERE id >= 20 ORDER BY id")
        for row in cur:
            print(repr(row))
    conn.commit()


def pipeline():
    with conn.pipeline():
        cur1 = conn.execute("INSERT INTO events (id, kind) VALUES (%s, %s)", (30, "pipelined"))
        cur2 = conn.execute("SELECT id, kind FROM events WHERE id = %s", (30,))
        cur3 = conn.execute("SELECT count(*) FROM events")
    print(cur1.rowcount, cur2.fetchall(), cur3.fetchone())
    conn.commit()
    try:
        with conn.pipeline():
            conn.execute("INSERT INTO events (id, kind) VALUES (%s, %s)", (31, "pipelined"))
            conn.execute("INSERT INTO events (id, kind) VALUES (%s, %s)", (1, "duplicate"))
            conn.execute("INSERT INTO events (id, kind) VALUES (%s, %s)", (32, "pipelined"))
    except psycopg.Error as e:
        print("pipeline error", e.diag.sqlstate, type(e).__name__, e.diag.message_primary)
    conn.rollback()
    print(conn.execute("SELECT count(*) FROM events WHERE id > 30").fetchone())
    conn.commit()


def errors():
    for query in ["SELECT * FROM missing", "INSERT INTO events (id) VALUES (1)", "SELECT 'x'::int"]:
        try:
            conn.execute(query)
        except psycopg.Error as e:
            print(e.sqlstate, type(e).__name__)
            conn.rollback()
    print(conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("events"))).fetchone())
    conn.commit()


def prepared_rollback():
    # A rollback forgets the statements prepared since the transaction
    # began, so psycopg follows it with DEALLOCATE ALL and prepares again.
    with conn.cursor() as cur:
        for i in range(40, 43):
            cur.execute("INSERT INTO events (id, kind) VALUES (%s, %s)", (i, "undone"), prepare=True)
        cur.execute("SELECT count(*) FROM events WHERE kind = %s", ("undone",), prepare=True)
        print("before rollback", cur.fetchone())
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM events WHERE kind = %s", ("undone",), prepare=True)
        print("after rollback", cur.fetchone())
        cur.execute("INSERT INTO events (id, kind) VALUES (%s, %s)", (43, "redone"), prepare=True)
        cur.execute("SELECT id, kind FROM events WHERE id >= %s ORDER BY id", (40,), prepare=True)
        print(cur.fetchall())
    conn.commit()


def nested_transactions():
    with conn.transaction():
        conn.execute("INSERT INTO events (id, kind) VALUES (50, 'outer')")
        try:
            with conn.transaction():
                conn.execute("INSERT INTO events (id, kind) VALUES (51, 'inner, failed')")
                conn.execute("INSERT INTO events (id, kind) VALUES (1, 'duplicate')")
        except psycopg.errors.UniqueViolation as e:
            print("inner block", e.sqlstate, type(e).__name__)
        with conn.transaction():
            conn.execute("INSERT INTO events (id, kind) VALUES (52, 'inner, kept')")
            with conn.transaction():
                conn.execute("INSERT INTO events (id, kind) VALUES (53, 'innermost, rolled back')")
                raise psycopg.Rollback()
        print("status inside", conn.info.transaction_status.name)
    print("status after", conn.info.transaction_status.name)
    print(conn.execute("SELECT id, kind FROM events WHERE id >= 50 ORDER BY id").fetchall())
    conn.commit()


def server_cursors():
    with conn.cursor(name="events_cur") as cur:
        cur.itersize = 3
        cur.execute("SELECT id, kind FROM events WHERE id < %s ORDER BY id", (13,))
        print([c.name for c in cur.description])
        print(cur.fetchone())
        print(cur.fetchmany(2))
        cur.scroll(2)
        print(cur.fetchone())
        print([row[0] for row in cur])
    conn.commit()
    with conn.cursor(name="held", withhold=True) as cur:
        cur.execute("SELECT id FROM events WHERE id BETWEEN 3 AND 6 ORDER BY id")
        conn.commit()
        print("after commit", cur.fetchall())
    conn.commit()


def copy_out():
    with conn.cursor() as cur:
        with cur.copy("COPY (SELECT id, kind, amount FROM events WHERE id >= 20 AND id < 30 ORDER BY id) TO STDOUT") as copy:
            copy.set_types(["int8", "text", "numeric"])
            for row in copy.rows():
                print(repr(row))
        print("rowcount", cur.rowcount)
        with cur.copy("COPY (SELECT id, kind, amount FROM events WHERE id >= 20 AND id < 30 ORDER BY id) TO STDOUT (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "text", "numeric"])
            print("binary", [repr(row) for row in copy.rows()])
        # Read as a stream of bytes, the way a program saves a COPY to a file.
        with cur.copy("COPY events (id, kind) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy:
            text = b"".join(bytes(data) for data in copy).decode()
            print(sorted(text.splitlines()))
    conn.commit()


def type_introspection():
    """What applications do with types psycopg does not know: fetch their
    TypeInfo from pg_type by name, register an enum (EnumInfo,
    register_enum) and read through it, and register a builtin type's info
    under another name. The OIDs of user types differ between servers, so
    only whether they agree is printed."""
    conn.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')")
    conn.execute("CREATE TABLE diary (id int PRIMARY KEY, m mood, ms mood[], doc jsonb)")
    conn.execute("""INSERT INTO diary VALUES (1, 'happy', '{sad,ok}', '{"a": [1, 2]}'), (2, NULL, '{}', NULL)""")
    conn.commit()
    for name in ["jsonb", "int4", "numeric", "text", "timestamptz", "int2vector", "mood", "nothing"]:
        info = TypeInfo.fetch(conn, name)
        if info is None:
            print(name, "not found")
        elif info.oid < 16384:
            print(name, info.name, info.oid, info.array_oid, info.regtype, info.delimiter)
        else:
            print(name, info.name, info.regtype, info.delimiter, "user type")
    info = EnumInfo.fetch(conn, "mood")
    print("enum", info.name, info.labels, info.regtype)
    moods = enum.Enum("Mood", ["SAD", "OK", "HAPPY"])
    register_enum(info, conn, moods, mapping={moods.SAD: "sad", moods.OK: "ok", moods.HAPPY: "happy"})
    cur = conn.execute("SELECT id, m, ms, doc FROM diary ORDER BY id")
    print([(d.name, d.type_code == info.oid or d.type_code == info.array_oid or d.type_code) for d in cur.description])
    for row in cur:
        print(row)
    conn.execute("INSERT INTO diary (id, m, ms) VALUES (%s, %s, %s)", (3, moods.OK, [moods.HAPPY, moods.SAD]))
    print(conn.execute("SELECT m::text, ms::text FROM diary WHERE id = 3").fetchone())
    with conn.cursor(binary=True) as cur:
        cur.execute("SELECT m, ms FROM diary WHERE id = %s", (1,))
        print("binary", cur.fetchone())
    # A composite type's info: pqdb has no composite types, so only the
    # lookup of one that does not exist runs.
    print("composite", CompositeInfo.fetch(conn, "nothing"))
    conn.commit()


def application():
    conn.execute("""CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text,
        tags text[], scores int[], profile jsonb, visits int NOT NULL DEFAULT 0, version int NOT NULL DEFAULT 1)""")
    conn.execute("""CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int NOT NULL,
        amount numeric(10,2) NOT NULL, region text NOT NULL)""")
    conn.execute("CREATE TABLE invoices_archive (id bigint PRIMARY KEY, customer_id int, amount numeric(10,2), region text)")
    conn.commit()
    for part in [generated_ids, on_conflict, arrays, jsonb, windows, rolled_back_upsert, modifying_with]:
        try:
            part()
        except psycopg.Error as e:
            print("error", e.diag.sqlstate, e.diag.message_primary)
            conn.rollback()


def generated_ids():
    print("-- generated ids")
    with conn.cursor() as cur:
        for email, name, tags, scores, profile in [
            ("ada@example.com", "Ada", ["admin", "beta"], [90, 85], {"plan": "pro", "seats": 5}),
            ("bob@example.com", "Bob", ["beta"], [70], {"plan": "free", "seats": 1}),
            ("cy@example.com", "Cy", [], None, {"plan": "pro", "seats": 2, "trial": True}),
        ]:
            cur.execute("INSERT INTO customers (email, name, tags, scores, profile) VALUES (%s, %s, %s, %s, %s) RETURNING id",
                        (email, name, tags, scores, Jsonb(profile)))
            print("customer", email, "id", cur.fetchone()[0])
        invoices = [(1, decimal.Decimal("120.00"), "eu"), (2, decimal.Decimal("15.50"), "us"), (1, decimal.Decimal("30.25"), "eu"),
                    (3, decimal.Decimal("99.99"), "us"), (2, decimal.Decimal("5.00"), "eu"), (3, decimal.Decimal("42.00"), "eu")]
        cur.executemany("INSERT INTO invoices (customer_id, amount, region) VALUES (%s, %s, %s) RETURNING id", invoices, returning=True)
        ids = []
        while True:
            ids.append(cur.fetchone()[0])
            if not cur.nextset():
                break
        print("invoice ids", ids)
    conn.commit()
    try:
        conn.execute("INSERT INTO invoices (id, customer_id, amount, region) VALUES (%s, %s, %s, %s)", (100, 1, 1, "eu"))
    except psycopg.Error as e:
        print("explicit identity:", e.sqlstate, type(e).__name__, e.diag.message_primary)
        conn.rollback()


def on_conflict():
    print("-- on conflict")
    for email in ["ada@example.com", "dee@example.com"]:
        cur = conn.execute("INSERT INTO customers (email, name) VALUES (%s, %s) ON CONFLICT (email) DO NOTHING RETURNING id", (email, "new"))
        print(email, cur.rowcount, cur.fetchall())
    # An ORM saving customers by their natural key, one statement for
    # several rows; a row is updated only when its name changed.
    upsert = """INSERT INTO customers AS c (email, name, visits) VALUES (%s, %s, %s), (%s, %s, %s)
        ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, visits = c.visits + EXCLUDED.visits, version = c.version + 1
        WHERE c.name IS DISTINCT FROM EXCLUDED.name
        RETURNING *"""
    with conn.cursor(row_factory=dict_row) as cur:
        for params in [("bob@example.com", "Robert", 3, "eve@example.com", "Eve", 1), ("bob@example.com", "Robert", 3, "ada@example.com", "Ada", 1)]:
            cur.execute(upsert, params)
            print(cur.rowcount, cur.fetchall())
        cur.executemany("INSERT INTO customers (email, name) VALUES (%s, %s) ON CONFLICT (email) DO NOTHING",
                        [("ada@example.com", "Ada"), ("fay@example.com", "Fay")])
        print("rowcount", cur.rowcount)
        conn.commit()
        for row in cur.execute("SELECT * FROM customers ORDER BY id"):
            print(row)
    conn.commit()


def arrays():
    print("-- arrays")
    print(conn.execute("SELECT id, email FROM customers WHERE id = ANY(%s) ORDER BY id", ([1, 3, 99],)).fetchall())
    print("ids by email", conn.execute("SELECT array_agg(id ORDER BY id) FROM customers WHERE email = ANY(%s)",
                                        (["cy@example.com", "bob@example.com"],)).fetchone()[0])
    conn.execute("UPDATE customers SET tags = %s, scores = %s WHERE email = %s",
                 (["vip", "has space", 'quote"d', "back\\slash", None], [1, None, 3], "dee@example.com"))
    with conn.cursor(binary=True) as cur:
        cur.execute("SELECT id, tags, scores, 'beta' = ANY(tags) FROM customers WHERE id = ANY(%b) ORDER BY id", ([1, 2, 3, 5, 7],))
        print("binary results", [cur.pgresult.fformat(i) for i in range(4)])
        for row in cur:
            print(row)
    conn.commit()


def jsonb():
    print("-- jsonb")
    print(conn.execute("SELECT id, profile->>'plan', (profile->>'seats')::int FROM customers WHERE profile @> %s ORDER BY id",
                       (Jsonb({"plan": "pro"}),)).fetchall())
    print("profile", conn.execute("SELECT profile FROM customers WHERE id = %s", (3,)).fetchone()[0])
    with conn.cursor(binary=True) as cur:
        cur.execute("SELECT profile FROM customers WHERE id = %s", (1,))
        print("binary profile", cur.fetchone()[0])
    print("plans", conn.execute("SELECT jsonb_agg(jsonb_build_object('email', email, 'plan', profile->'plan') ORDER BY id) "
                                "FROM customers WHERE profile IS NOT NULL").fetchone()[0])
    conn.commit()


def windows():
    print("-- window functions")
    cur = conn.execute("""SELECT id, customer_id, region, amount,
        row_number() OVER (PARTITION BY region ORDER BY amount DESC, id),
        sum(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
        lag(amount) OVER (PARTITION BY customer_id ORDER BY id)
        FROM invoices ORDER BY id""")
    for row in cur:
        print(row)
    conn.commit()


def rolled_back_upsert():
    print("-- rolled back upsert")
    with conn.transaction():
        row = conn.execute("""INSERT INTO customers AS c (email, name) VALUES (%s, %s)
            ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, version = c.version + 1 RETURNING name, version""",
                           ("ada@example.com", "Ada Lovelace")).fetchone()
        print("inside", row)
        raise psycopg.Rollback()
    print("after rollback", conn.execute("SELECT name, version FROM customers WHERE email = %s", ("ada@example.com",)).fetchone())
    conn.commit()


def modifying_with():
    print("-- data-modifying WITH")
    cur = conn.execute("""WITH moved AS (DELETE FROM invoices WHERE amount < %s RETURNING *)
        INSERT INTO invoices_archive SELECT * FROM moved RETURNING id""", (40,))
    print("archived", sorted(row[0] for row in cur.fetchall()))
    conn.commit()
    print(conn.execute("SELECT (SELECT count(*) FROM invoices), (SELECT count(*) FROM invoices_archive), "
                       "(SELECT sum(amount) FROM invoices_archive)").fetchone())
    conn.commit()


step("create", create)
step("binary parameters", binary_parameters)
step("copy from", copy_in)
step("pipeline", pipeline)
step("errors", errors)
step("prepared statements", prepared)
step("rollback after prepared statements", prepared_rollback)
step("nested transactions", nested_transactions)
step("server-side cursors", server_cursors)
step("copy to", copy_out)
step("type introspection", type_introspection)
step("application", application)
conn.close()
