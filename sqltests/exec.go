package sqltests

import (
	"context"

	"github.com/jackc/pgx/v5/pgconn"
)

// outcome is what one record's SQL produced on the server.
type outcome struct {
	// columns and values describe the last result set that had a row
	// description; values are already printed, row after row.
	columns  int
	values   []string
	rows     int
	affected int64
	err      error
}

// printer turns one raw text value of column col into its printed form.
type printer func(col int, text []byte, null bool, oid uint32) string

// execute runs sql and collects its output. With print nil the rows are
// read and dropped (statements); otherwise each value is printed as it
// arrives, so no raw buffer outlives its row. The simple protocol carries
// any number of statements in one record; the extended protocol, used when
// extended is set, exercises Parse/Bind/Describe/Execute with text results
// but accepts one statement only.
func execute(ctx context.Context, pg *pgconn.PgConn, sql string, extended bool, print printer) outcome {
	var out outcome
	if extended {
		rr := pg.ExecParams(ctx, sql, nil, nil, nil, nil)
		readResult(rr, print, &out)
		return out
	}
	mrr := pg.Exec(ctx, sql)
	for mrr.NextResult() {
		readResult(mrr.ResultReader(), print, &out)
		if out.err != nil {
			break
		}
	}
	if err := mrr.Close(); err != nil && out.err == nil {
		out.err = err
	}
	return out
}

func readResult(rr *pgconn.ResultReader, print printer, out *outcome) {
	fields := rr.FieldDescriptions()
	var values []string
	rows := 0
	if print != nil && fields != nil {
		oids := make([]uint32, len(fields))
		for i := range fields {
			oids[i] = fields[i].DataTypeOID
		}
		for rr.NextRow() {
			for i, v := range rr.Values() {
				values = append(values, print(i, v, v == nil, oids[i]))
			}
			rows++
		}
	} else {
		for rr.NextRow() {
			rows++
		}
	}
	tag, err := rr.Close()
	if err != nil {
		out.err = err
		return
	}
	if fields != nil {
		out.columns = len(fields)
		out.values = values
		out.rows = rows
	}
	out.affected = tag.RowsAffected()
}
