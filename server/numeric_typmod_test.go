package server

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestNumericTypmodOutsideDecimal128 checks what a client sees of
// numeric(p,s) with a negative scale, a scale above the precision or a
// precision above 38 (which pqdb holds as var-scale numeric): the
// modifiers in RowDescription, the values, and the DETAIL of 22003
// "numeric field overflow" from a cast, INSERT, UPDATE and COPY. Every
// expectation was recorded from PostgreSQL 15.
func TestNumericTypmodOutsideDecimal128(t *testing.T) {
	_, connect := startServer(t)
	conn := connect(t)
	mustExec(t, conn,
		`CREATE TABLE nt (h numeric(5,-2), m numeric(4,6), w numeric(60,10))`,
		`INSERT INTO nt VALUES (12345, 0.001234, 1.5)`)

	sql := `SELECT h, m, w, coalesce(h, h), h + 1, min(m) OVER (), 1::numeric(1000,-1000), 0.05::numeric(2,3) FROM nt`
	res := conn.PgConn().ExecParams(ctx(t), sql, nil, nil, nil, nil).Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var typmods, values []string
	for _, f := range res.FieldDescriptions {
		typmods = append(typmods, fmt.Sprintf("%d/%d", f.DataTypeOID, f.TypeModifier))
	}
	for _, v := range res.Rows[0] {
		values = append(values, string(v))
	}
	if got, want := strings.Join(typmods, " "), "1700/329730 1700/262154 1700/3932174 1700/329730 1700/-1 1700/-1 1700/65537052 1700/131079"; got != want {
		t.Errorf("%s:\n types %s\n want  %s", sql, got, want)
	}
	if got, want := strings.Join(values, "|"), "12300|0.001234|1.5000000000|12300|12301|0.001234|0|0.050"; got != want {
		t.Errorf("%s:\n row  %s\n want %s", sql, got, want)
	}

	for _, tc := range []struct{ sql, detail string }{
		{`SELECT (0.05 * 2)::numeric(2,3)`, "A field with precision 2, scale 3 must round to an absolute value less than 10^-1."},
		{`SELECT 1e10::float8::numeric(5,-2)`, "A field with precision 5, scale -2 must round to an absolute value less than 10^7."},
		{`SELECT 'Infinity'::numeric(5,-2)`, "A field with precision 5, scale -2 cannot hold an infinite value."},
		{`INSERT INTO nt VALUES (0, 0.01, 0)`, "A field with precision 4, scale 6 must round to an absolute value less than 10^-2."},
		{`INSERT INTO nt (w) VALUES (1e50)`, "A field with precision 60, scale 10 must round to an absolute value less than 10^50."},
		{`UPDATE nt SET h = h * 1000`, "A field with precision 5, scale -2 must round to an absolute value less than 10^7."},
	} {
		_, err := conn.Exec(ctx(t), tc.sql)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "22003" || pe.Message != "numeric field overflow" || pe.Detail != tc.detail {
			t.Errorf("%s: %v (detail %q), want 22003 numeric field overflow, %q", tc.sql, err, detailOf(pe), tc.detail)
		}
	}

	if _, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader("12350\t-0.0012345\t1.23456789012\n"), "COPY nt FROM STDIN"); err != nil {
		t.Fatal(err)
	}
	var h, m, w string
	if err := conn.QueryRow(ctx(t), `SELECT h::text, m::text, w::text FROM nt WHERE h > 12300`).Scan(&h, &m, &w); err != nil {
		t.Fatal(err)
	}
	if got, want := h+"|"+m+"|"+w, "12400|-0.001235|1.2345678901"; got != want {
		t.Errorf("after COPY: %s, want %s", got, want)
	}
	_, err := conn.PgConn().CopyFrom(ctx(t), strings.NewReader("99999999\t0\t0\n"), "COPY nt FROM STDIN")
	var pe *pgconn.PgError
	errors.As(err, &pe)
	if got, want := detailOf(pe), "A field with precision 5, scale -2 must round to an absolute value less than 10^7."; sqlstate(err) != "22003" || got != want {
		t.Errorf("COPY: %v (detail %q), want 22003 with %q", err, got, want)
	}
}
