"""psycopg 3 workload: binary parameters and results, COPY in both
directions, pipeline mode, prepared statements and what a rollback does to
them, nested transactions and server-side cursors. Connects through the
libpq environment."""
import datetime
import decimal
import logging
import sys

import psycopg
from psycopg import sql


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
conn.close()
