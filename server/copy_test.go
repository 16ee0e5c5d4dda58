package server

import (
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestCopyFromStdin(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn, "CREATE TABLE c (id int, name text, price numeric(6,2), day date)")

	text := "1\tone\t1.50\t2024-01-01\n2\t\\N\t\\N\t\\N\n"
	tag, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader(text), "COPY c FROM STDIN")
	if err != nil || tag.String() != "COPY 2" {
		t.Fatalf("text copy: %q %v", tag, err)
	}
	csv := "id,name,price,day\n3,\"th,ree\",3.25,2024-03-03\n4,,,\n"
	tag, err = conn.PgConn().CopyFrom(ctx(t), strings.NewReader(csv), "COPY c FROM STDIN (FORMAT csv, HEADER true)")
	if err != nil || tag.String() != "COPY 2" {
		t.Fatalf("csv copy: %q %v", tag, err)
	}
	n, err := conn.CopyFrom(ctx(t), pgx.Identifier{"c"}, []string{"id", "name"}, pgx.CopyFromRows([][]any{{int32(5), "five"}, {int32(6), nil}}))
	if err != nil || n != 2 {
		t.Fatalf("binary copy: %d %v", n, err)
	}
	want := [][]string{
		{"1", "one", "1.50", "2024-01-01"}, {"2", "NULL", "NULL", "NULL"},
		{"3", "th,ree", "3.25", "2024-03-03"}, {"4", "NULL", "NULL", "NULL"},
		{"5", "five", "NULL", "NULL"}, {"6", "NULL", "NULL", "NULL"},
	}
	if got := rowsText(t, conn, "SELECT * FROM c ORDER BY id"); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}

	// COPY TO STDOUT, as Postgres prints it.
	outs := []struct{ sql, want string }{
		{"COPY (SELECT * FROM c WHERE id <= 3 ORDER BY id) TO STDOUT", "1\tone\t1.50\t2024-01-01\n2\t\\N\t\\N\t\\N\n3\tth,ree\t3.25\t2024-03-03\n"},
		{"COPY (SELECT id, name FROM c WHERE id IN (3, 4) ORDER BY id) TO STDOUT (FORMAT csv, HEADER)", "id,name\n3,\"th,ree\"\n4,\n"},
		{"COPY c (name) TO STDOUT WITH (NULL 'nil')", "one\nnil\nth,ree\nnil\nfive\nnil\n"},
	}
	for _, o := range outs {
		var buf strings.Builder
		tag, err := conn.PgConn().CopyTo(ctx(t), &buf, o.sql)
		if err != nil {
			t.Fatalf("%s: %v", o.sql, err)
		}
		if buf.String() != o.want || !strings.HasPrefix(tag.String(), "COPY ") {
			t.Errorf("%s: got %q (%s), want %q", o.sql, buf.String(), tag, o.want)
		}
	}

	// A bad row fails the whole COPY: nothing of it is visible.
	_, err = conn.PgConn().CopyFrom(ctx(t), strings.NewReader("7\tseven\t1\t2024-01-01\n8\teight\tnope\t2024-01-01\n"), "COPY c FROM STDIN")
	if sqlstate(err) != "22P02" {
		t.Fatalf("bad copy: %v", err)
	}
	if got := rowsText(t, conn, "SELECT count(*) FROM c"); !reflect.DeepEqual(got, [][]string{{"6"}}) {
		t.Fatalf("failed copy left rows: %v", got)
	}
}
