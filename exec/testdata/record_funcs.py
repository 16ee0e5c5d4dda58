#!/usr/bin/env python3
"""Records PostgreSQL 15's results for exec's scalar function tests.

Reads funcs_cases.txt and writes funcs_pg15.txt (read by TestFuncsPG15).
Run with a PostgreSQL 15 up (TimeZone UTC, UTF8, C.UTF-8 ctype), e.g.:

    PGPORT=54316 PGDATABASE=funchelper python3 exec/testdata/record_funcs.py

Each case line is: function TAB arg TAB arg ..., where an arg is
type:value (the value read by the type's input function, with \\t, \\n
and \\\\ escapes) or ~type for a NULL of that type; lines starting with #
and blank lines are kept as they are. Each output line is the case line,
then TAB => TAB the result type (pg_typeof) TAB the result as text, or
NULL, or ERROR <sqlstate>."""
import os, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
PSQL = ["psql", "-h", os.environ.get("PGHOST", "127.0.0.1"), "-p", os.environ.get("PGPORT", "54316"),
        "-U", os.environ.get("PGUSER", "postgres"), "-d", os.environ.get("PGDATABASE", "funchelper"),
        "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"]

SETUP = r"""
set timezone = 'UTC';
set datestyle = 'ISO, MDY';
set intervalstyle = 'postgres';
set extra_float_digits = 1;
create or replace function pg_temp.try(q text) returns text language plpgsql as $$
declare r text;
begin
  execute q into r;
  -- hex, so that psql prints every character as it is
  return coalesce('V' || encode(convert_to(r, 'UTF8'), 'hex'), 'NULL');
exception when others then
  return 'ERROR ' || sqlstate;
end $$;
"""


def decode(v):
    if not v.startswith("V"):
        return v
    s = bytes.fromhex(v[1:]).decode("utf-8")
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            out.append({"t": "\t", "n": "\n", "\\": "\\"}.get(n, "\\" + n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def lit(arg):
    if arg.startswith("~"):
        return "NULL::" + arg[1:]
    typ, _, val = arg.partition(":")
    return "'" + unescape(val).replace("'", "''") + "'::" + typ


def dollar(s):
    tag = "$q$"
    while tag in s:
        tag = tag[:-1] + "q$"
    return tag + s + tag


lines = open(os.path.join(HERE, "funcs_cases.txt")).read().splitlines()
sql = [SETUP]
cases = []
for line in lines:
    if not line.strip() or line.startswith("#"):
        continue
    fields = line.split("\t")
    call = "%s(%s)" % (fields[0], ", ".join(lit(a) for a in fields[1:]))
    cases.append(line)
    sql.append("select pg_temp.try(%s), pg_temp.try(%s);" % (
        dollar("select pg_typeof(%s)::text" % call), dollar("select (%s)::text" % call)))
r = subprocess.run(PSQL, input="\n".join(sql), capture_output=True, text=True)
if r.returncode != 0:
    raise SystemExit(r.stderr)
results = r.stdout.splitlines()
if len(results) != len(cases):
    raise SystemExit("got %d results for %d cases:\n%s" % (len(results), len(cases), r.stderr))
out = []
k = 0
for line in lines:
    if not line.strip() or line.startswith("#"):
        out.append(line)
        continue
    typ, val = [decode(v) for v in results[k].split("\t")]
    k += 1
    if val.startswith("ERROR "):
        typ = "-"
    out.append(line + "\t=>\t" + typ + "\t" + val)
with open(os.path.join(HERE, "funcs_pg15.txt"), "w") as f:
    f.write("\n".join(out) + "\n")
print(k, "cases")
