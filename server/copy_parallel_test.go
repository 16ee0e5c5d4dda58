package server

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestCopyParallelDecoding loads inputs of many chunks (pgcopy cuts them
// at 16,384 rows after 8,192), which the server decodes in parallel, in
// all three formats, and checks what arrived; a bad value late in the input fails
// the COPY with PostgreSQL's context for its line whether the input is
// decoded in parallel or not, and the first bad row in the input is the
// one reported.
func TestCopyParallelDecoding(t *testing.T) {
	if testing.Short() {
		t.Skip("large COPY")
	}
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE big (id int, name text, price numeric(12,2), day date)")
	const rows = 150_000
	row := func(i int) string {
		return fmt.Sprintf("%d\t%s\t%d.%02d\t2024-01-%02d\n", i, []string{"plain", "tab\\there", "line\\\nbreak", "\\N"}[i%4], i%1000, i%100, 1+i%28)
	}
	var text strings.Builder
	for i := 0; i < rows; i++ {
		text.WriteString(row(i))
	}
	var csv strings.Builder
	csv.WriteString("id,name,price,day\n")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&csv, "%d,%s,%d.%02d,2024-01-%02d\n", i, []string{"plain", "\"tab\there\"", "\"line\nbreak\"", ""}[i%4], i%1000, i%100, 1+i%28)
	}
	binaryRows := make([][]any, rows)
	for i := range binaryRows {
		var name any = []string{"plain", "tab\there", "line\nbreak"}[i%4%3]
		if i%4 == 3 {
			name = nil
		}
		binaryRows[i] = []any{int32(i), name, fmt.Sprintf("%d.%02d", i%1000, i%100), fmt.Sprintf("2024-01-%02d", 1+i%28)}
	}
	summary := "SELECT count(*), sum(id), count(name), sum(price), count(DISTINCT name), min(day), max(day), " +
		"sum(length(name)) FROM big"
	var want [][]string
	for k, load := range []func() (int64, error){
		func() (int64, error) {
			tag, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader(text.String()), "COPY big FROM STDIN")
			return tag.RowsAffected(), err
		},
		func() (int64, error) {
			tag, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader(csv.String()), "COPY big FROM STDIN (FORMAT csv, HEADER)")
			return tag.RowsAffected(), err
		},
		func() (int64, error) {
			return conn.CopyFrom(ctx(t), pgx.Identifier{"big"}, []string{"id", "name", "price", "day"}, pgx.CopyFromRows(binaryRows))
		},
	} {
		mustExec(t, conn, "TRUNCATE big")
		if n, err := load(); err != nil || n != rows {
			t.Fatalf("load %d: %d rows, %v", k, n, err)
		}
		got := rowsText(t, conn, summary)
		if k == 0 {
			want = got
			if got[0][0] != fmt.Sprint(rows) || got[0][2] != fmt.Sprint(rows/4*3) {
				t.Fatalf("text load: %v", got)
			}
		} else if !reflect.DeepEqual(got, want) {
			t.Fatalf("load %d: got %v, want %v", k, got, want)
		}
	}

	// Bad prices at rows 140,000 and 145,000 of the CSV: the first is
	// reported, with or without workers, at the line PostgreSQL 15 gives
	// for the same input (quoted newlines count as lines).
	bad := strings.Replace(csv.String(), "\n140000,plain,0.00,", "\n140000,plain,zero,", 1)
	bad = strings.Replace(bad, "\n145000,plain,0.00,", "\n145000,plain,oops,", 1)
	mustExec(t, conn, "TRUNCATE big")
	for _, workers := range []string{"0", "1"} {
		mustExec(t, conn, "SET max_parallel_workers_per_gather = "+workers)
		_, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader(bad), "COPY big FROM STDIN (FORMAT csv, HEADER)")
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "22P02" || pe.Where != `COPY big, line 175002, column price: "zero"` {
			t.Fatalf("workers %s: %v (where %q)", workers, err, pe.Where)
		}
		if got := rowsText(t, conn, "SELECT count(*) FROM big"); got[0][0] != "0" {
			t.Fatalf("workers %s: a failed COPY left %s rows", workers, got[0][0])
		}
	}
	mustExec(t, conn, "RESET max_parallel_workers_per_gather")

	// The end marker ends the data, whatever follows it.
	ended := text.String()[:strings.Index(text.String(), "\n100000\t")+1] + "\\.\n" + "garbage\tthat\tis\tignored\n" + text.String()
	tag, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader(ended), "COPY big FROM STDIN")
	if err != nil || tag.RowsAffected() != 100_000 {
		t.Fatalf("end marker: %v %v", tag, err)
	}
}
