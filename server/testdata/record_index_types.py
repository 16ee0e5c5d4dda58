#!/usr/bin/env python3
"""Records PostgreSQL 15's answers for TestIndexTypesPG15
(index_types_test.go): lookups through a btree or hash index whose key is
of each type pqdb stores as order keys in its index files (floats with
NaN, -0 and the infinities, bool, char(n) with its blanks, numeric of any
scale, jsonb, arrays, interval, ...), before and after an UPDATE of the
key, a VACUUM and (in pqdb only) a restart.

Writes index_types_pg15.json: a list of steps, each one of
  {"exec": sql}                              run on both
  {"restart": true}                          pqdb only: restart the server
  {"query": sql, "params": [text, ...], "index": bool, "want": "id id ..."}
where params are $1, $2, ... as text (NULL as null), index says whether
pqdb must read through an index (EXPLAIN shows "Index Scan using"), and
want is PostgreSQL's rows, each query's one column, as text joined by
spaces. Run with a PostgreSQL 15 up (a C or
C.UTF-8 database), e.g.:

    PGPORT=54316 PGDATABASE=me_scratch python3 server/testdata/record_index_types.py
"""
import json, os, random, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
PSQL = ["psql", "-h", os.environ.get("PGHOST", "127.0.0.1"), "-p", os.environ.get("PGPORT", "54316"),
        "-U", os.environ.get("PGUSER", "postgres"), "-d", os.environ.get("PGDATABASE", "me_scratch"),
        "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"]

rng = random.Random(15)

# name, SQL type, access method, value pool (text; None is NULL), values
# the equality lookups use, whether an equality alone is selective (a
# bool is not: pqdb estimates two values, as PostgreSQL would read the
# table), ranges as (low, high).
TYPES = [
    ("float8", "float8", "btree",
     ["NaN", "-0", "0", "Infinity", "-Infinity", "1.5", "-1.5", "2.5", "1e308", "-1e-308", "0.1", "3", "7.25", "-100"],
     ["NaN", "-0", "0", "Infinity", "-Infinity", "0.1"], True, [("-1.5", "2.5"), ("3", "NaN"), ("-Infinity", "0"), ("0", "0")]),
    ("real", "real", "btree",
     ["NaN", "-0", "0", "Infinity", "-Infinity", "1.5", "-1.5", "0.1", "3e38", "-3.25", "100", "7"],
     ["NaN", "0", "-0", "0.1", "Infinity"], True, [("-1.5", "1.5"), ("7", "NaN"), ("-Infinity", "-1.5")]),
    ("bool", "bool", "btree", ["true", "false"], ["true", "false"], False, [("false", "true")]),
    ("char4", "char(4)", "btree",
     ["ab", "ab  ", "a", "", " a", "b!", "abcd", "ABC", "a b", "zz", "b"],
     ["ab", "ab  ", "", " a", "abcd"], True, [("a", "ab"), ("ab ", "b"), ("", "a")]),
    ("char4hash", "char(4)", "hash", ["ab", "ab  ", "a", "", " a", "b!", "abcd"], ["ab  ", "a", ""], True, []),
    ("numeric", "numeric", "btree",
     ["NaN", "Infinity", "-Infinity", "0", "0.000", "1.5", "1.50", "-1.5", "1e20", "123456789012345678901234567890.5", "0.0001",
      "-7", "42"],
     ["NaN", "0", "1.5", "1.500", "Infinity", "123456789012345678901234567890.50"], True,
     [("-1.5", "1.5"), ("1", "NaN"), ("-Infinity", "0")]),
    ("numeric30", "numeric(30,2)", "btree",
     ["0", "1.50", "-1.5", "12345678901234567890123456.78", "0.01", "-0.01", "99", "-12345678901234567890123456.78", "7.77"],
     ["0", "1.5", "0.01", "12345678901234567890123456.78"], True, [("-1.5", "1.5"), ("0", "100")]),
    ("numeric10", "numeric(10,2)", "btree", ["0", "1.50", "-1.5", "12345678.90", "0.01", "-0.01", "99", "7.77"],
     ["0", "1.5", "0.01"], True, [("-1.5", "1.5")]),
    ("jsonb", "jsonb", "btree",
     ["null", "1", "1.0", '"a"', "[]", "{}", "[1, 2]", '{"a": 1}', '{"a": 1.0}', "true", "[null]", '{"b": [1]}', '""', "false",
      '{"a": 1, "bb": 2}', "[[]]"],
     ["1", "[]", '{"a": 1.00}', "null", '"a"'], True, [("1", "[]"), ("[]", "{}"), ('""', "true")]),
    ("int4arr", "int4[]", "btree", ["{}", "{1}", "{1,2}", "{1,NULL}", "{NULL}", "{2}", "{1,2,3}", "{-1}", "{0,0}"],
     ["{}", "{1}", "{NULL}", "{1,NULL}"], True, [("{1}", "{2}"), ("{}", "{1}")]),
    ("textarr", "text[]", "btree", ["{}", "{a}", "{a,b}", '{"a b"}', "{NULL}", "{b}", '{""}', "{ab}"],
     ["{a}", '{""}', "{NULL}"], True, [("{a}", "{b}")]),
    ("float8arr", "float8[]", "btree", ["{NaN}", "{-0}", "{0}", "{Infinity,1}", "{1,NaN}", "{}", "{-Infinity}"],
     ["{0}", "{NaN}", "{-0}"], True, [("{0}", "{NaN}")]),
    ("interval", "interval", "btree",
     ["1 day", "24 hours", "1 mon", "30 days", "-1 day", "00:00:01", "1 year", "360 days", "0", "1 mon -30 days"],
     ["1 day", "24 hours", "30 days", "0"], True, [("1 day", "1 mon"), ("-1 day", "0")]),
    ("intervalhash", "interval", "hash", ["1 day", "24 hours", "1 mon", "30 days", "-1 day"], ["24 hours", "1 mon"], True, []),
    ("uuid", "uuid", "btree",
     ["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "80000000-0000-0000-0000-000000000001",
      "12345678-1234-1234-1234-123456789abc"],
     ["80000000-0000-0000-0000-000000000001"], True, [("00000000-0000-0000-0000-000000000000", "80000000-0000-0000-0000-000000000001")]),
]

ROWS = 1200


def literal(v, typ):
    if v is None:
        return "NULL"
    return "'%s'::%s" % (v.replace("'", "''"), typ)


def rows_sql(table, typ, pool, lo, hi):
    vals = []
    for i in range(lo, hi):
        v = None if rng.random() < 0.05 else rng.choice(pool)
        vals.append("(%d, %s)" % (i, literal(v, typ)))
    return "INSERT INTO %s VALUES %s" % (table, ", ".join(vals))


def queries(table, typ, pool, eqs, selective, ranges):
    q = []
    sel = "SELECT id FROM %s WHERE " % table
    for v in eqs:
        q.append((sel + "k = $1 ORDER BY id", [v], selective))
    for _ in range(2):
        q.append((sel + "k IN ($1, $2, $3) ORDER BY id", rng.sample(pool * 2, 3), selective))
    q.append((sel + "k IN ($1, $2) ORDER BY id", [eqs[0], None], selective))
    for lo, hi in ranges:
        q.append((sel + "k BETWEEN $1 AND $2 ORDER BY id", [lo, hi], True))
        q.append((sel + "k > $1 AND k < $2 ORDER BY id", [lo, hi], True))
    q.append((sel + "k IS NULL ORDER BY id", [], False))
    q.append((sel + "k = $1 AND id %% 2 = 0 ORDER BY id" % (), [eqs[-1]], selective))
    # Literals, as psql sends them (the binder's casts: char(4) over
    # bpchar, real over double precision, numeric(p,s) over numeric).
    q.append((sel + "k = %s ORDER BY id" % literal(eqs[0], "text").replace("::text", ""), [], selective))
    if typ == "bool":
        q.append((sel + "k = $1 AND id = $2", ["true", "700"], True))
    if typ == "real":
        # real 0.1 is not double precision 0.1: no row, no index lookup
        q.append((sel + "k = 0.1 ORDER BY id", [], False))
        q.append((sel + "k BETWEEN 0.1 AND 1.5 ORDER BY id", [], True))
        q.append((sel + "k IN (0.1, 1.5, 7) ORDER BY id", [], True))
    if typ.startswith("numeric("):
        q.append((sel + "k IN (1.5, 0.011, 7.77) ORDER BY id", [], True))
        q.append((sel + "k BETWEEN -1.505 AND 1.499 ORDER BY id", [], True))
        q.append((sel + "k = 1.501 ORDER BY id", [], False))
    if typ.startswith("char"):
        q.append((sel + "k IN ('ab', 'a  ', 'zz') ORDER BY id", [], True))
    return q


def steps_for(name, typ, method, pool, eqs, selective, ranges):
    table = "ixt_" + name
    full_pool = pool + [None]
    steps = [
        {"exec": "CREATE TABLE %s (id int, k %s)" % (table, typ)},
        {"exec": rows_sql(table, typ, full_pool, 1, 501)},
        {"exec": "CHECKPOINT"},
        {"exec": "CREATE INDEX %s_k ON %s USING %s (k)" % (table, table, method)},
    ]
    if typ == "bool":
        steps.append({"exec": "CREATE INDEX %s_k_id ON %s (k, id)" % (table, table)})
    steps += [
        {"exec": rows_sql(table, typ, full_pool, 501, 1101)},
        {"exec": "CHECKPOINT"},
        {"exec": rows_sql(table, typ, full_pool, 1101, ROWS + 1)},
    ]
    qs = queries(table, typ, pool, eqs, selective, ranges)

    def add_queries():
        for sql, params, index in qs:
            steps.append({"query": sql, "params": params, "index": index})
    add_queries()
    steps += [
        {"exec": "UPDATE %s SET k = %s WHERE id %% 7 = 0" % (table, literal(eqs[0], typ))},
        {"exec": "UPDATE %s SET k = NULL WHERE id %% 13 = 0" % table},
        {"exec": "UPDATE %s SET k = %s WHERE k = %s" % (table, literal(eqs[-1], typ), literal(pool[1], typ))},
        {"exec": "DELETE FROM %s WHERE id %% 11 = 0" % table},
    ]
    add_queries()
    steps += [{"exec": "CHECKPOINT"}, {"exec": "VACUUM %s" % table}]
    add_queries()
    steps.append({"restart": True})
    add_queries()
    return steps


def run_query(sql, params):
    """Runs sql with params through PREPARE and EXECUTE (PostgreSQL infers
    the parameters' types, as for a client's unnamed statement)."""
    script = "\\pset null <NULL>\n"
    if params:
        args = ", ".join("NULL" if p is None else "'%s'" % p.replace("'", "''") for p in params)
        script += "PREPARE q AS %s;\nEXECUTE q(%s);\n" % (sql, args)
    else:
        script += sql + ";\n"
    out = subprocess.run(PSQL, input=script, capture_output=True, text=True, check=True).stdout
    return " ".join(line for line in out.splitlines() if line)


def main():
    steps = []
    for spec in TYPES:
        steps += steps_for(*spec)
    names = set()
    for s in steps:
        if "exec" in s and s["exec"].startswith("CREATE TABLE"):
            names.add(s["exec"].split()[2])
    subprocess.run(PSQL, input="".join("DROP TABLE IF EXISTS %s;\n" % n for n in names), check=True, capture_output=True, text=True)
    for s in steps:
        if "exec" in s:
            subprocess.run(PSQL, input=s["exec"] + ";\n", check=True, capture_output=True, text=True)
        elif "query" in s:
            s["want"] = run_query(s["query"], s["params"])
    subprocess.run(PSQL, input="".join("DROP TABLE IF EXISTS %s;\n" % n for n in names), check=True, capture_output=True, text=True)
    with open(os.path.join(HERE, "index_types_pg15.json"), "w") as f:
        f.write("[\n" + ",\n".join(json.dumps(s) for s in steps) + "\n]\n")


if __name__ == "__main__":
    main()
