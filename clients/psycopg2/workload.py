"""psycopg2 workload: parameters, executemany, copy_expert in both
directions, named (server-side) cursors, the SQLSTATE of errors and
transaction control. Connects through the libpq environment."""
import decimal
import io
import sys

import psycopg2
import psycopg2.errorcodes


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


step("create", create)
step("parameters", params)
step("copy_expert from", copy)
step("named cursors", named_cursors)
step("copy_expert to", copy_to)
step("error codes", errors)
step("transactions", transaction)
conn.close()
