#!/usr/bin/env python3
"""Records PostgreSQL 15's results for exec's var-scale numeric tests into
varnumeric_pg15.txt (read by TestVarNumericPG15). Run with a private
server up (PGPORT=54321 PGDIR=/tmp/execpg sh bench/postgres15.sh start):

    python3 exec/testdata/record_varnumeric.py

Each output line is: op TAB arg... TAB result, where result is the text
PostgreSQL prints, NULL, or "ERROR <sqlstate>"."""
import os, subprocess

PSQL = ["psql", "-h", "127.0.0.1", "-p", os.environ.get("PGPORT", "54321"),
        "-U", "postgres", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"]

VALS = ["0", "0.00", "1", "-1", "1.5", "1.50", "-2.25", "3.14159", "0.000001",
        "12345678901234567890.123456789", "-98765432109876543210987654321098765432.1",
        "100", "7", "-0.5", "2", "9999.9999", "0.1", "1e-20", "NaN", "Infinity", "-Infinity"]
SMALL = ["0", "1", "-1", "1.5", "-2.25", "3.14159", "0.000001", "100", "7", "-0.5",
         "2", "0.1", "2.5", "-3.5", "12345.6789", "NaN", "Infinity", "-Infinity"]
INTS = ["0", "1", "-1", "2", "3", "-2", "5", "10"]

def run(sql):
    r = subprocess.run(PSQL, input=sql, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    return r.stdout

SETUP = """
create or replace function pg_temp.try(q text) returns text language plpgsql as $$
declare r text;
begin
  execute q into r;
  return coalesce(r, 'NULL');
exception when others then
  return 'ERROR ' || sqlstate;
end $$;
"""

def vals_sql(vs):
    return "(values " + ",".join("(%s)" % quote(v) for v in vs) + ")"

def quote(v):
    return "'" + v.replace("'", "''") + "'"

out = []

def unary(op, expr, vs):
    sql = SETUP + "select a, pg_temp.try(format(%s, a)) from %s as t(a);" % (quote(expr), vals_sql(vs))
    for line in run(sql).splitlines():
        a, r = line.split("\t")
        out.append("\t".join([op, a, r]))

def binary(op, expr, xs, ys):
    sql = SETUP + "select a, b, pg_temp.try(format(%s, a, b)) from %s as t(a), %s as u(b);" % (
        quote(expr), vals_sql(xs), vals_sql(ys))
    for line in run(sql).splitlines():
        a, b, r = line.split("\t")
        out.append("\t".join([op, a, b, r]))

N = "%L::numeric"
for op, sym in [("add", "+"), ("sub", "-"), ("mul", "*"), ("div", "/"), ("mod", "%%")]:
    binary(op, "select (%s %s %s)::text" % (N, sym, N), VALS, VALS)
binary("cmp", "select sign(" + "case when %L::numeric < %L::numeric then -1 when %L::numeric = %L::numeric then 0 else 1 end)::text"
       .replace("%L::numeric < %L::numeric then -1 when %L::numeric = %L::numeric",
                "%1$L::numeric < %2$L::numeric then -1 when %1$L::numeric = %2$L::numeric"), VALS, VALS)
unary("neg", "select (-%L::numeric)::text", VALS)
for f in ["abs", "ceil", "floor", "sign", "round", "trunc", "sqrt", "exp", "ln", "log", "log10",
          "scale", "min_scale", "trim_scale"]:
    unary(f, "select %s(%%L::numeric)::text" % f, SMALL if f in ("exp",) else VALS)
binary("round2", "select round(%L::numeric, %L::int4)::text", VALS, INTS + ["-2"])
binary("trunc2", "select trunc(%L::numeric, %L::int4)::text", VALS, INTS + ["-2"])
binary("power", "select power(%L::numeric, %L::numeric)::text", SMALL, SMALL)
binary("logb", "select log(%L::numeric, %L::numeric)::text", SMALL, SMALL)
binary("divf", "select div(%L::numeric, %L::numeric)::text", VALS, VALS)
for t in ["int2", "int4", "int8", "float4", "float8"]:
    unary("to_" + t, "select (%%L::numeric)::%s::text" % t, VALS)
binary("to_typmod", "select (%L::numeric)::numeric(%s)::text", VALS, ["5,2", "10,0", "3,3", "38,10", "4,-1"])
FLOATS = ["0", "0.1", "1e-5", "-2.5", "3.141592653589793", "1e300", "-1e-300", "123456789012345678", "NaN", "Infinity", "-Infinity"]
unary("from_float8", "select (%L::float8)::numeric::text", FLOATS)
unary("from_float4", "select (%L::float4)::numeric::text", FLOATS[:5] + ["3.1415927", "NaN"])
# decimal128 operands (declared numeric(p,s)) divided: var results
binary("div_dec", "select (%L::numeric(20,2) / %L::numeric(12,3))::text",
       ["10.00", "-2.00", "1.00", "123456789.12", "0.01"], ["3.000", "7.000", "0.001", "-6.000", "0.000"])
binary("mul_dec_wide", "select (%L::numeric(30,10) * %L::numeric(30,10))::text",
       ["12345678901234567890.1234567891", "-0.0000000001"], ["98765432109876543210.9876543211", "3.0000000000"])

# aggregates over groups
AGG_ROWS = [("1", "1.5"), ("1", "1.50"), ("1", "2"), ("2", "0.1"), ("2", "NaN"), ("3", "Infinity"),
            ("3", "5"), ("4", "-1.25"), ("4", "3.333"), ("4", "12345678901234567890.5"), ("5", None),
            ("6", "Infinity"), ("6", "-Infinity"), ("7", "1"), ("7", "2"), ("7", "2")]
rows = ",".join("(%s,%s)" % (g, "NULL::numeric" if v is None else quote(v) + "::numeric") for g, v in AGG_ROWS)
sql = ("select g, coalesce(sum(x)::text,'NULL'), coalesce(avg(x)::text,'NULL'), coalesce(min(x)::text,'NULL'), "
       "coalesce(max(x)::text,'NULL'), count(x) from (values %s) t(g,x) group by g order by g;" % rows)
for line in run(sql).splitlines():
    out.append("agg\t" + line)
INT_ROWS = [("1", "1"), ("1", "2"), ("2", "7"), ("2", "-3"), ("2", "5"), ("3", "2147483647"), ("3", "2147483647"), ("4", None)]
rows = ",".join("(%s,%s)" % (g, "NULL::int4" if v is None else v + "::int4") for g, v in INT_ROWS)
sql = "select g, coalesce(avg(x)::text,'NULL') from (values %s) t(g,x) group by g order by g;" % rows
for line in run(sql).splitlines():
    out.append("avg_int4\t" + line)
DEC_ROWS = [("1", "1.25"), ("1", "2.50"), ("1", "3.00"), ("2", "-7.77"), ("3", "0.01"), ("3", "0.02"), ("3", "0.02")]
rows = ",".join("(%s,%s::numeric(10,2))" % (g, quote(v)) for g, v in DEC_ROWS)
sql = "select g, avg(x)::text from (values %s) t(g,x) group by g order by g;" % rows
for line in run(sql).splitlines():
    out.append("avg_dec\t" + line)
# distinct and order
sql = "select string_agg(x::text, ' ' order by x, x::text) from (select distinct on (x) x from %s t(x) order by x, x::text) s;" % \
      ("(values " + ",".join("(%s::numeric)" % quote(v) for v in VALS) + ")")
out.append("sorted_distinct\t" + run(sql).strip())

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "varnumeric_pg15.txt")
with open(path, "w") as f:
    f.write("\n".join(out) + "\n")
print(len(out), "lines")
