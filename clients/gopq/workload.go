package gopq

import (
	"database/sql"
	"errors"
	"fmt"
	"io"

	"github.com/lib/pq"
)

// Run connects to dsn and runs the workload, printing to w. A failing step
// is printed and the next one runs; the error is for a failure to connect.
func Run(w io.Writer, dsn string) error {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		return err
	}
	steps := []struct {
		name string
		run  func(io.Writer, *sql.DB) error
	}{
		{"create", create},
		{"exec and query with parameters", parameters},
		{"transaction", transaction},
		{"CopyIn", copyIn},
		{"errors", errorCodes},
		{"application", application},
	}
	for _, s := range steps {
		fmt.Fprintln(w, "==", s.name)
		if err := s.run(w, db); err != nil {
			fmt.Fprintln(w, "error", describe(err))
		}
	}
	return nil
}

// describe shows a server error as SQLSTATE, condition name and message.
func describe(err error) string {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s %s %s", pe.Code, pe.Code.Name(), pe.Message)
	}
	return err.Error()
}

func create(w io.Writer, db *sql.DB) error {
	_, err := db.Exec("CREATE TABLE parts (id int PRIMARY KEY, label text, cost numeric(9,3), stock bigint, ok boolean, ratio double precision, since date)")
	if err == nil {
		fmt.Fprintln(w, "created")
	}
	return err
}

func parameters(w io.Writer, db *sql.DB) error {
	res, err := db.Exec("INSERT INTO parts VALUES ($1, $2, $3, $4, $5, $6, $7), ($8, $9, $10, $11, $12, $13, $14)",
		1, "bolt", "0.125", int64(1)<<40, true, 0.75, "2023-12-31",
		2, nil, nil, nil, nil, nil, nil)
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected()
	fmt.Fprintln(w, "inserted", n)
	rows, err := db.Query("SELECT id, label, cost, stock, ok, ratio, since FROM parts WHERE id >= $1 ORDER BY id", 1)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, _ := rows.ColumnTypes()
	for _, c := range cols {
		fmt.Fprintf(w, "%s:%s ", c.Name(), c.DatabaseTypeName())
	}
	fmt.Fprintln(w)
	for rows.Next() {
		var (
			id    int
			label sql.NullString
			cost  sql.NullString
			stock sql.NullInt64
			ok    sql.NullBool
			ratio sql.NullFloat64
			since sql.NullTime
		)
		if err := rows.Scan(&id, &label, &cost, &stock, &ok, &ratio, &since); err != nil {
			return err
		}
		fmt.Fprintln(w, id, label, cost, stock, ok, ratio, since.Valid, since.Time.Format("2006-01-02"))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var label string
	if err := db.QueryRow("SELECT label FROM parts WHERE id = $1 AND ok = $2", 1, true).Scan(&label); err != nil {
		return err
	}
	fmt.Fprintln(w, "label", label)
	err = db.QueryRow("SELECT label FROM parts WHERE id = $1", 99).Scan(&label)
	fmt.Fprintln(w, "no rows:", errors.Is(err, sql.ErrNoRows))
	return nil
}

func transaction(w io.Writer, db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	if _, err := tx.Exec("INSERT INTO parts (id, label) VALUES ($1, $2)", 50, "gone"); err != nil {
		return err
	}
	if err := tx.Rollback(); err != nil {
		return err
	}
	tx, err = db.Begin()
	if err != nil {
		return err
	}
	stmt, err := tx.Prepare("INSERT INTO parts (id, label) VALUES ($1, $2)")
	if err != nil {
		return err
	}
	for id := 51; id <= 53; id++ {
		if _, err := stmt.Exec(id, fmt.Sprint("kept ", id)); err != nil {
			return err
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		return err
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM parts WHERE id >= 50").Scan(&n); err != nil {
		return err
	}
	fmt.Fprintln(w, "rows after rollback and commit", n)
	return nil
}

func copyIn(w io.Writer, db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare(pq.CopyIn("parts", "id", "label", "cost", "since"))
	if err != nil {
		return err
	}
	for id := 100; id < 105; id++ {
		if _, err := stmt.Exec(id, fmt.Sprintf("copied\t%d\n", id), "1.5", "2020-02-02"); err != nil {
			return err
		}
	}
	if _, err := stmt.Exec(105, nil, nil, nil); err != nil {
		return err
	}
	if _, err := stmt.Exec(); err != nil {
		return err
	}
	if err := stmt.Close(); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	var n int
	var total, label string
	if err := db.QueryRow("SELECT count(*), sum(cost)::text, max(label) FROM parts WHERE id >= 100").Scan(&n, &total, &label); err != nil {
		return err
	}
	fmt.Fprintf(w, "copied %d rows, cost %s, label %q\n", n, total, label)
	return nil
}

func errorCodes(w io.Writer, db *sql.DB) error {
	for _, q := range []string{"SELECT * FROM nowhere", "INSERT INTO parts (id) VALUES (1)", "SELECT 1/0", "SELECT $1::int"} {
		var err error
		if q == "SELECT $1::int" {
			_, err = db.Exec(q, "twelve")
		} else {
			_, err = db.Exec(q)
		}
		fmt.Fprintln(w, describe(err))
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM parts").Scan(&n); err != nil {
		return err
	}
	fmt.Fprintln(w, "still usable", n)
	return nil
}
