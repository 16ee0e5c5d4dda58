#!/usr/bin/env python3
"""Records PostgreSQL 15's btree order of random values for storage's
order-key tests (TestOrderKeysPG15, index_order_keys_test.go).

Writes order_keys_pg15.txt: per type, its values sorted by PostgreSQL
(ORDER BY, the type's default btree operator class), one line each:
type TAB dense rank TAB the value as text. Equal values share a rank.
Run with a PostgreSQL 15 up (a C or C.UTF-8 database, so that text
sorts bytewise as in pqdb), e.g.:

    PGPORT=54316 PGDATABASE=me_scratch python3 storage/testdata/record_order_keys.py
"""
import os, random, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
PSQL = ["psql", "-h", os.environ.get("PGHOST", "127.0.0.1"), "-p", os.environ.get("PGPORT", "54316"),
        "-U", os.environ.get("PGUSER", "postgres"), "-d", os.environ.get("PGDATABASE", "me_scratch"),
        "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"]

rng = random.Random(9)


def pick(*xs):
    return rng.choice(xs)


def float8():
    r = rng.random()
    if r < 0.25:
        return pick("NaN", "Infinity", "-Infinity", "0", "-0", "1e308", "-1e308", "5e-324", "-5e-324", "1", "-1", "0.5")
    if r < 0.5:
        return str(rng.randint(-20, 20) / 4)
    return repr(rng.choice([-1, 1]) * rng.random() * 10 ** rng.randint(-30, 30))


def float4():
    r = rng.random()
    if r < 0.25:
        return pick("NaN", "Infinity", "-Infinity", "0", "-0", "3e38", "-3e38", "1e-45", "1", "-1", "0.5")
    if r < 0.5:
        return str(rng.randint(-20, 20) / 4)
    return "%.6g" % (rng.choice([-1, 1]) * rng.random() * 10 ** rng.randint(-20, 20))


def chars(alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, n)))


def bpchar():
    return chars(" !aabB~", 4)


def numeric():
    r = rng.random()
    if r < 0.15:
        return pick("NaN", "Infinity", "-Infinity", "0", "0.000", "-0", "1", "1.0", "1.50", "1.5", "-1.5", "-1.50")
    if r < 0.5:
        return str(rng.randint(-30, 30)) + pick("", ".0", ".5", ".25", ".250", ".00")
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 30)))
    scale = rng.randint(0, len(digits))
    s = digits[:len(digits) - scale] or "0"
    if scale:
        s += "." + digits[len(digits) - scale:]
    return pick("", "-") + s + pick("", "", "e" + str(rng.randint(-40, 40)))


def numeric30_2():
    return pick("", "-") + str(rng.randint(0, 10 ** rng.randint(1, 28))) + "." + "%02d" % rng.randint(0, 99)


def jstring():
    return '"' + chars("ab", 3) + '"'


def jsonb(depth=0):
    r = rng.random()
    if depth > 2 or r < 0.5:
        return pick("null", "true", "false", "0", "1", "1.0", "-1", "2.5", "2.50", "1e3", "-0.001", '""', jstring(), jstring())
    if r < 0.75:
        return "[" + ", ".join(jsonb(depth + 1) for _ in range(rng.randint(0, 3))) + "]"
    keys = sorted({chars("abc", 3) for _ in range(rng.randint(0, 3))})
    return "{" + ", ".join('"%s": %s' % (k, jsonb(depth + 1)) for k in keys) + "}"


def interval():
    r = rng.random()
    if r < 0.3:
        return pick("1 mon", "30 days", "720 hours", "1 day", "24 hours", "-1 day", "0", "1 year", "360 days", "-1 mon 30 days",
                    "1 day -24 hours", "00:00:00.000001", "-00:00:00.000001")
    return "%d mons %d days %d hours %d.%06d secs" % (rng.randint(-3, 3), rng.randint(-40, 40), rng.randint(-50, 50),
                                                     rng.randint(0, 59), rng.randint(0, 999999))


def array(elem, quote=False, n=4):
    def one():
        if rng.random() < 0.15:
            return "NULL"
        v = elem()
        if quote:
            v = '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return v
    return "{" + ",".join(one() for _ in range(rng.randint(0, n))) + "}"


def small_int():
    return str(rng.randint(-3, 3))


CASES = [
    ("float8", float8),
    ("float4", float4),
    ("bool", lambda: pick("true", "false")),
    ("bpchar(4)", bpchar),
    ("numeric", numeric),
    ("numeric(30,2)", numeric30_2),
    ("jsonb", jsonb),
    ("interval", interval),
    ("int4[]", lambda: array(small_int)),
    ("text[]", lambda: array(lambda: chars("ab", 2), quote=True)),
    ("bpchar(3)[]", lambda: array(lambda: chars("a ", 3), quote=True)),
    ("float8[]", lambda: array(lambda: pick("NaN", "-0", "0", "1", "-1", "Infinity", "-Infinity", "0.5"), n=3)),
    ("numeric[]", lambda: array(lambda: pick("NaN", "1", "1.0", "-1", "2.50", "2.5", "0"), n=3)),
    ("bool[]", lambda: array(lambda: pick("t", "f"), n=3)),
    ("interval[]", lambda: array(lambda: pick("1 day", "24 hours", "1 mon", "30 days", "-1 day"), quote=True, n=3)),
    ("jsonb[]", lambda: array(lambda: pick("1", "1.0", "[]", "{}", "null", '"a"', "[1]"), quote=True, n=3)),
    ("timestamptz[]", lambda: array(lambda: pick("2020-01-01 00:00:00+00", "infinity", "-infinity", "1999-12-31 23:59:59.5+00"), quote=True, n=3)),
    ("uuid[]", lambda: array(lambda: pick("00000000-0000-0000-0000-000000000000", "ffffffff-0000-0000-0000-000000000001", "80000000-0000-0000-0000-000000000000"), n=3)),
]

N = 300


def sql_type(name):
    return name.replace("bpchar(", "char(")


def quote(v):
    return "'" + v.replace("'", "''") + "'"


def main():
    lines = ["# Generated by record_order_keys.py from PostgreSQL 15: type, dense rank, value (see the script)."]
    script = ["set timezone = 'UTC';", "set extra_float_digits = 1;", "set intervalstyle = 'postgres';"]
    for name, gen in CASES:
        vals = ", ".join("(%s)" % quote(gen()) for _ in range(N))
        t = sql_type(name)
        script.append("select %s, dense_rank() over (order by v), v from (values %s) x(v0), lateral (select v0::%s as v) y order by v;"
                      % (quote(name), vals, t))
    out = subprocess.run(PSQL, input="\n".join(script), capture_output=True, text=True, check=True).stdout
    for l in out.splitlines():
        if l and l != lines[-1]:  # a repeated value adds nothing
            lines.append(l)
    with open(os.path.join(HERE, "order_keys_pg15.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
