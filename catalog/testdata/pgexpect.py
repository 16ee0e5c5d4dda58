#!/usr/bin/env python3
"""Records what PostgreSQL 15 makes of each input in text_inputs.txt.

Run against a PostgreSQL 15 server (PGHOST/PGPORT/PGUSER in the
environment); writes text_cases.txt, which codec_text_test.go replays:

    type <TAB> input <TAB> OK <TAB> output
    type <TAB> input <TAB> ERR <TAB> sqlstate <TAB> message

Each input is inserted into a column of the type, so that it goes through
the type's input function with the column's modifier (as COPY and INSERT
do, where an explicit cast would truncate strings instead). Every case
runs with TimeZone America/New_York and the default DateStyle
and IntervalStyle.
"""
import subprocess

out = []
for line in open("text_inputs.txt", encoding="utf-8").read().split("\n"):
    if not line:
        continue
    typ, inp = line.split("\t", 1)
    sql = ("SET TimeZone = 'America/New_York';\nCREATE TEMP TABLE c (v %s);\n"
           "INSERT INTO c VALUES ($pqdb$%s$pqdb$) RETURNING v;\n" % (typ, inp))
    p = subprocess.run(["psql", "-X", "-A", "-t", "-q", "-v", "VERBOSITY=verbose", "-c", sql],
                       capture_output=True, text=True)
    if p.returncode == 0:
        value = p.stdout[:-1] if p.stdout.endswith("\n") else p.stdout
        out.append("\t".join([typ, inp, "OK", value.replace("\\", "\\\\").replace("\n", "\\n")]))
    else:
        first = [l for l in p.stderr.split("\n") if l.startswith("ERROR:")][0]
        code, msg = first[len("ERROR:"):].strip().split(": ", 1)
        out.append("\t".join([typ, inp, "ERR", code, msg]))
open("text_cases.txt", "w", encoding="utf-8").write("\n".join(out) + "\n")
