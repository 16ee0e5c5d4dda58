package pgxv5

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// application does what a pgx program does: ids from RETURNING, a Batch
// of inserts each read through its QueryRow callback, upserts collected
// into structs by column name, Go slices and maps as array and jsonb
// parameters, window functions, a rolled-back upsert and a data-modifying
// WITH.
func application(ctx context.Context, w io.Writer, conn *pgx.Conn) error {
	for _, ddl := range []string{
		`CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text,
			tags text[], scores int[], profile jsonb, visits int NOT NULL DEFAULT 0, version int NOT NULL DEFAULT 1)`,
		`CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int NOT NULL,
			amount numeric(10,2) NOT NULL, region text NOT NULL)`,
		`CREATE TABLE invoices_archive (id bigint PRIMARY KEY, customer_id int, amount numeric(10,2), region text)`,
	} {
		if _, err := conn.Exec(ctx, ddl); err != nil {
			return err
		}
	}
	steps := []func(context.Context, io.Writer, *pgx.Conn) error{generatedIDs, onConflict, arrays, jsonbValues, windows, rolledBackUpsert, modifyingWith}
	for _, step := range steps {
		if err := step(ctx, w, conn); err != nil {
			fmt.Fprintln(w, "error", describe(err))
		}
	}
	return nil
}

// customer is a row of customers, scanned by column name.
type customer struct {
	ID      int32          `db:"id"`
	Email   string         `db:"email"`
	Name    *string        `db:"name"`
	Tags    []string       `db:"tags"`
	Scores  []int32        `db:"scores"`
	Profile map[string]any `db:"profile"`
	Visits  int32          `db:"visits"`
	Version int32          `db:"version"`
}

func (c customer) String() string {
	name := "<nil>"
	if c.Name != nil {
		name = *c.Name
	}
	return fmt.Sprintf("%d %s %s %#v %#v %v visits=%d version=%d", c.ID, c.Email, name, c.Tags, c.Scores, c.Profile, c.Visits, c.Version)
}

// printCustomers prints the customers a query returns.
func printCustomers(ctx context.Context, w io.Writer, conn *pgx.Conn, query string, args ...any) error {
	rows, err := conn.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	customers, err := pgx.CollectRows(rows, pgx.RowToStructByName[customer])
	if err != nil {
		return err
	}
	for _, c := range customers {
		fmt.Fprintln(w, c)
	}
	fmt.Fprintln(w, len(customers), "customers")
	return nil
}

// numericText shows a numeric as its decimal digits, or <nil> for NULL.
func numericText(n pgtype.Numeric) string {
	v, err := n.Value()
	if err != nil {
		return err.Error()
	}
	if v == nil {
		return "<nil>"
	}
	return fmt.Sprint(v)
}

func generatedIDs(ctx context.Context, w io.Writer, conn *pgx.Conn) error {
	fmt.Fprintln(w, "-- generated ids")
	insert := "INSERT INTO customers (email, name, tags, scores, profile) VALUES ($1, $2, $3, $4, $5) RETURNING id"
	for _, c := range []customer{
		{Email: "ada@example.com", Name: ptr("Ada"), Tags: []string{"admin", "beta"}, Scores: []int32{90, 85}, Profile: map[string]any{"plan": "pro", "seats": 5}},
		{Email: "bob@example.com", Name: ptr("Bob"), Tags: []string{"beta"}, Scores: []int32{70}, Profile: map[string]any{"plan": "free", "seats": 1}},
		{Email: "cy@example.com", Name: ptr("Cy"), Tags: []string{}, Profile: map[string]any{"plan": "pro", "seats": 2, "trial": true}},
	} {
		var id int32
		if err := conn.QueryRow(ctx, insert, c.Email, c.Name, c.Tags, c.Scores, c.Profile).Scan(&id); err != nil {
			return err
		}
		fmt.Fprintln(w, "customer", c.Email, "id", id)
	}
	b := &pgx.Batch{}
	var ids []int64
	for _, inv := range []struct {
		customer int32
		amount   string
		region   string
	}{{1, "120.00", "eu"}, {2, "15.50", "us"}, {1, "30.25", "eu"}, {3, "99.99", "us"}, {2, "5.00", "eu"}, {3, "42.00", "eu"}} {
		b.Queue("INSERT INTO invoices (customer_id, amount, region) VALUES ($1, $2, $3) RETURNING id", inv.customer, inv.amount, inv.region).
			QueryRow(func(row pgx.Row) error {
				var id int64
				err := row.Scan(&id)
				ids = append(ids, id)
				return err
			})
	}
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	fmt.Fprintln(w, "invoice ids", ids)
	_, err := conn.Exec(ctx, "INSERT INTO invoices (id, customer_id, amount, region) VALUES ($1, $2, $3, $4)", 100, 1, "1", "eu")
	fmt.Fprintln(w, "explicit identity:", describe(err))
	return nil
}

func ptr[T any](v T) *T { return &v }

func onConflict(ctx context.Context, w io.Writer, conn *pgx.Conn) error {
	fmt.Fprintln(w, "-- on conflict")
	for _, email := range []string{"ada@example.com", "dee@example.com"} {
		var id int32
		err := conn.QueryRow(ctx, "INSERT INTO customers (email, name) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING RETURNING id", email, "new").Scan(&id)
		switch err {
		case nil:
			fmt.Fprintln(w, email, "inserted as", id)
		case pgx.ErrNoRows:
			fmt.Fprintln(w, email, "already there")
		default:
			return err
		}
	}
	// An ORM saving several customers by their natural key in one
	// statement, updating a row only when its name changed.
	upsert := `INSERT INTO customers AS c (email, name, visits) VALUES ($1, $2, $3), ($4, $5, $6)
		ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, visits = c.visits + EXCLUDED.visits, version = c.version + 1
		WHERE c.name IS DISTINCT FROM EXCLUDED.name
		RETURNING *`
	if err := printCustomers(ctx, w, conn, upsert, "bob@example.com", "Robert", 3, "eve@example.com", "Eve", 1); err != nil {
		return err
	}
	if err := printCustomers(ctx, w, conn, upsert, "bob@example.com", "Robert", 3, "ada@example.com", "Ada", 1); err != nil {
		return err
	}
	tag, err := conn.Exec(ctx, `INSERT INTO customers (email, name) VALUES ($1, $2), ($3, $4) ON CONFLICT (email) DO NOTHING`,
		"ada@example.com", "Ada", "fay@example.com", "Fay")
	if err != nil {
		return err
	}
	fmt.Fprintln(w, tag.String())
	return printCustomers(ctx, w, conn, "SELECT * FROM customers ORDER BY id")
}

func arrays(ctx context.Context, w io.Writer, conn *pgx.Conn) error {
	fmt.Fprintln(w, "-- arrays")
	rows, err := conn.Query(ctx, "SELECT email FROM customers WHERE id = ANY($1) ORDER BY id", []int64{1, 3, 99})
	if err != nil {
		return err
	}
	emails, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "emails by id", emails)
	var ids []int32
	if err := conn.QueryRow(ctx, "SELECT array_agg(id ORDER BY id) FROM customers WHERE email = ANY($1)", []string{"cy@example.com", "bob@example.com"}).Scan(&ids); err != nil {
		return err
	}
	fmt.Fprintln(w, "ids by email", ids)
	if _, err := conn.Exec(ctx, "UPDATE customers SET tags = $1, scores = $2 WHERE email = $3",
		[]string{"vip", "has space", `quote"d`}, []int32{1, 2, 3}, "dee@example.com"); err != nil {
		return err
	}
	rows, err = conn.Query(ctx, "SELECT id, tags, scores, 'beta' = ANY(tags) FROM customers ORDER BY id")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int32
		var tags []string
		var scores []int32
		var beta *bool
		if err := rows.Scan(&id, &tags, &scores, &beta); err != nil {
			return err
		}
		isBeta := "<nil>"
		if beta != nil {
			isBeta = fmt.Sprint(*beta)
		}
		fmt.Fprintf(w, "%d %#v %#v %s\n", id, tags, scores, isBeta)
	}
	return rows.Err()
}

func jsonbValues(ctx context.Context, w io.Writer, conn *pgx.Conn) error {
	fmt.Fprintln(w, "-- jsonb")
	rows, err := conn.Query(ctx, "SELECT id, profile->>'plan', (profile->>'seats')::int FROM customers WHERE profile @> $1 ORDER BY id", map[string]any{"plan": "pro"})
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, seats int32
		var plan string
		if err := rows.Scan(&id, &plan, &seats); err != nil {
			return err
		}
		fmt.Fprintln(w, id, plan, seats)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var profile map[string]any
	if err := conn.QueryRow(ctx, "SELECT profile FROM customers WHERE id = $1", 3).Scan(&profile); err != nil {
		return err
	}
	fmt.Fprintln(w, "profile", profile)
	var plans []struct {
		Email string `json:"email"`
		Plan  string `json:"plan"`
	}
	if err := conn.QueryRow(ctx, "SELECT jsonb_agg(jsonb_build_object('email', email, 'plan', profile->'plan') ORDER BY id) FROM customers WHERE profile IS NOT NULL").Scan(&plans); err != nil {
		return err
	}
	fmt.Fprintln(w, "plans", plans)
	return nil
}

func windows(ctx context.Context, w io.Writer, conn *pgx.Conn) error {
	fmt.Fprintln(w, "-- window functions")
	rows, err := conn.Query(ctx, `SELECT id, customer_id, region, amount,
		row_number() OVER (PARTITION BY region ORDER BY amount DESC, id),
		sum(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
		lag(amount) OVER (PARTITION BY customer_id ORDER BY id)
		FROM invoices ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, rank int64
		var customer int32
		var region string
		var amount, running, previous pgtype.Numeric
		if err := rows.Scan(&id, &customer, &region, &amount, &rank, &running, &previous); err != nil {
			return err
		}
		fmt.Fprintln(w, id, customer, region, numericText(amount), rank, numericText(running), numericText(previous))
	}
	return rows.Err()
}

func rolledBackUpsert(ctx context.Context, w io.Writer, conn *pgx.Conn) error {
	fmt.Fprintln(w, "-- rolled back upsert")
	errUndo := fmt.Errorf("undo")
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		var name string
		var version int32
		err := tx.QueryRow(ctx, `INSERT INTO customers AS c (email, name) VALUES ($1, $2)
			ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, version = c.version + 1 RETURNING name, version`,
			"ada@example.com", "Ada Lovelace").Scan(&name, &version)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, "inside", name, version)
		return errUndo
	})
	if err != errUndo {
		return err
	}
	return printCustomers(ctx, w, conn, "SELECT * FROM customers WHERE email = $1", "ada@example.com")
}

func modifyingWith(ctx context.Context, w io.Writer, conn *pgx.Conn) error {
	fmt.Fprintln(w, "-- data-modifying WITH")
	rows, err := conn.Query(ctx, `WITH moved AS (DELETE FROM invoices WHERE amount < $1 RETURNING *)
		INSERT INTO invoices_archive SELECT * FROM moved RETURNING id`, 40)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	slices.Sort(ids)
	fmt.Fprintln(w, "archived", ids)
	var live, archived int64
	var total pgtype.Numeric
	if err := conn.QueryRow(ctx, "SELECT (SELECT count(*) FROM invoices), (SELECT count(*) FROM invoices_archive), (SELECT sum(amount) FROM invoices_archive)").Scan(&live, &archived, &total); err != nil {
		return err
	}
	fmt.Fprintln(w, "live", live, "archived", archived, "amount", numericText(total))
	return nil
}
