package gopq

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/lib/pq"
)

// application does what a database/sql program over lib/pq does: ids
// from RETURNING read with QueryRow, a prepared statement reused in a
// transaction, upserts, arrays through pq.Array, jsonb marshalled with
// encoding/json, window functions, a rolled-back upsert and a
// data-modifying WITH.
func application(w io.Writer, db *sql.DB) error {
	for _, ddl := range []string{
		`CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, name text,
			tags text[], scores int[], profile jsonb, visits int NOT NULL DEFAULT 0, version int NOT NULL DEFAULT 1)`,
		`CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int NOT NULL,
			amount numeric(10,2) NOT NULL, region text NOT NULL)`,
		`CREATE TABLE invoices_archive (id bigint PRIMARY KEY, customer_id int, amount numeric(10,2), region text)`,
	} {
		if _, err := db.Exec(ddl); err != nil {
			return err
		}
	}
	steps := []func(io.Writer, *sql.DB) error{generatedIDs, onConflict, arrays, jsonbValues, windows, rolledBackUpsert, modifyingWith}
	for _, step := range steps {
		if err := step(w, db); err != nil {
			fmt.Fprintln(w, "error", describe(err))
		}
	}
	return nil
}

// customer is a row of customers as a program keeps it.
type customer struct {
	ID      int
	Email   string
	Name    sql.NullString
	Tags    pq.StringArray
	Scores  pq.Int64Array
	Profile map[string]any
	Visits  int
	Version int
}

// scanCustomer reads the row of a SELECT * or RETURNING * over customers.
func scanCustomer(rows *sql.Rows) (customer, error) {
	var c customer
	var profile []byte
	err := rows.Scan(&c.ID, &c.Email, &c.Name, &c.Tags, &c.Scores, &profile, &c.Visits, &c.Version)
	if err == nil && profile != nil {
		err = json.Unmarshal(profile, &c.Profile)
	}
	return c, err
}

func (c customer) String() string {
	return fmt.Sprintf("%d %s %v %q %v %v visits=%d version=%d", c.ID, c.Email, c.Name, []string(c.Tags), []int64(c.Scores), c.Profile, c.Visits, c.Version)
}

// printCustomers prints the customers a query returns.
func printCustomers(w io.Writer, db *sql.DB, query string, args ...any) error {
	rows, err := db.Query(query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, c)
		n++
	}
	fmt.Fprintln(w, n, "customers")
	return rows.Err()
}

func generatedIDs(w io.Writer, db *sql.DB) error {
	fmt.Fprintln(w, "-- generated ids")
	insert := "INSERT INTO customers (email, name, tags, scores, profile) VALUES ($1, $2, $3, $4, $5) RETURNING id"
	for _, c := range []struct {
		email, name string
		tags        []string
		scores      []int64
		profile     map[string]any
	}{
		{"ada@example.com", "Ada", []string{"admin", "beta"}, []int64{90, 85}, map[string]any{"plan": "pro", "seats": 5}},
		{"bob@example.com", "Bob", []string{"beta"}, []int64{70}, map[string]any{"plan": "free", "seats": 1}},
		{"cy@example.com", "Cy", []string{}, nil, map[string]any{"plan": "pro", "seats": 2, "trial": true}},
	} {
		profile, err := json.Marshal(c.profile)
		if err != nil {
			return err
		}
		var id int
		if err := db.QueryRow(insert, c.email, c.name, pq.Array(c.tags), pq.Array(c.scores), string(profile)).Scan(&id); err != nil {
			return err
		}
		fmt.Fprintln(w, "customer", c.email, "id", id)
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare("INSERT INTO invoices (customer_id, amount, region) VALUES ($1, $2, $3) RETURNING id")
	if err != nil {
		return err
	}
	defer stmt.Close()
	var ids []int64
	for _, inv := range []struct {
		customer int
		amount   string
		region   string
	}{{1, "120.00", "eu"}, {2, "15.50", "us"}, {1, "30.25", "eu"}, {3, "99.99", "us"}, {2, "5.00", "eu"}, {3, "42.00", "eu"}} {
		var id int64
		if err := stmt.QueryRow(inv.customer, inv.amount, inv.region).Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	fmt.Fprintln(w, "invoice ids", ids)
	_, err = db.Exec("INSERT INTO invoices (id, customer_id, amount, region) VALUES ($1, $2, $3, $4)", 100, 1, "1", "eu")
	fmt.Fprintln(w, "explicit identity:", describe(err))
	return nil
}

// upsertCustomer is the statement an ORM sends to save a customer by its
// natural key: it updates the row only when the name changed.
const upsertCustomer = `INSERT INTO customers AS c (email, name, visits) VALUES ($1, $2, $3)
	ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, visits = c.visits + EXCLUDED.visits, version = c.version + 1
	WHERE c.name IS DISTINCT FROM EXCLUDED.name
	RETURNING *`

func onConflict(w io.Writer, db *sql.DB) error {
	fmt.Fprintln(w, "-- on conflict")
	for _, email := range []string{"ada@example.com", "dee@example.com"} {
		var id int
		err := db.QueryRow("INSERT INTO customers (email, name) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING RETURNING id", email, "new").Scan(&id)
		switch err {
		case nil:
			fmt.Fprintln(w, email, "inserted as", id)
		case sql.ErrNoRows:
			fmt.Fprintln(w, email, "already there")
		default:
			return err
		}
	}
	for _, save := range []struct {
		email, name string
		visits      int
	}{{"bob@example.com", "Robert", 3}, {"eve@example.com", "Eve", 1}, {"bob@example.com", "Robert", 3}} {
		if err := printCustomers(w, db, upsertCustomer, save.email, save.name, save.visits); err != nil {
			return err
		}
	}
	res, err := db.Exec(`INSERT INTO customers (email, name) VALUES ($1, $2), ($3, $4) ON CONFLICT (email) DO NOTHING`,
		"ada@example.com", "Ada", "fay@example.com", "Fay")
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected()
	fmt.Fprintln(w, "inserted", n)
	return printCustomers(w, db, "SELECT * FROM customers ORDER BY id")
}

func arrays(w io.Writer, db *sql.DB) error {
	fmt.Fprintln(w, "-- arrays")
	rows, err := db.Query("SELECT id, email FROM customers WHERE id = ANY($1) ORDER BY id", pq.Array([]int64{1, 3, 99}))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			return err
		}
		fmt.Fprintln(w, id, email)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var ids pq.Int64Array
	if err := db.QueryRow("SELECT array_agg(id ORDER BY id) FROM customers WHERE email = ANY($1)", pq.Array([]string{"cy@example.com", "bob@example.com"})).Scan(&ids); err != nil {
		return err
	}
	fmt.Fprintln(w, "ids by email", []int64(ids))
	if _, err := db.Exec("UPDATE customers SET tags = $1, scores = $2 WHERE email = $3", pq.Array([]string{"vip", "has space", `quote"d`}), pq.Array([]int64{1, 2, 3}), "dee@example.com"); err != nil {
		return err
	}
	rows, err = db.Query("SELECT id, tags, scores, 'beta' = ANY(tags) FROM customers ORDER BY id")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		var tags pq.StringArray
		var scores pq.Int64Array
		var beta sql.NullBool
		if err := rows.Scan(&id, &tags, &scores, &beta); err != nil {
			return err
		}
		fmt.Fprintf(w, "%d %#v %#v %v\n", id, tags, scores, beta)
	}
	return rows.Err()
}

func jsonbValues(w io.Writer, db *sql.DB) error {
	fmt.Fprintln(w, "-- jsonb")
	filter, err := json.Marshal(map[string]any{"plan": "pro"})
	if err != nil {
		return err
	}
	rows, err := db.Query("SELECT id, profile->>'plan', (profile->>'seats')::int FROM customers WHERE profile @> $1 ORDER BY id", string(filter))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, seats int
		var plan string
		if err := rows.Scan(&id, &plan, &seats); err != nil {
			return err
		}
		fmt.Fprintln(w, id, plan, seats)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var raw []byte
	if err := db.QueryRow("SELECT profile FROM customers WHERE id = $1", 3).Scan(&raw); err != nil {
		return err
	}
	fmt.Fprintln(w, "profile", string(raw))
	if err := db.QueryRow("SELECT jsonb_agg(jsonb_build_object('email', email, 'plan', profile->'plan') ORDER BY id) FROM customers WHERE profile IS NOT NULL").Scan(&raw); err != nil {
		return err
	}
	var plans []map[string]string
	if err := json.Unmarshal(raw, &plans); err != nil {
		return err
	}
	fmt.Fprintln(w, "plans", plans)
	return nil
}

func windows(w io.Writer, db *sql.DB) error {
	fmt.Fprintln(w, "-- window functions")
	rows, err := db.Query(`SELECT id, customer_id, region, amount,
		row_number() OVER (PARTITION BY region ORDER BY amount DESC, id),
		sum(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
		lag(amount) OVER (PARTITION BY customer_id ORDER BY id)
		FROM invoices ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var customer, rank int
		var region, amount, running string
		var previous sql.NullString
		if err := rows.Scan(&id, &customer, &region, &amount, &rank, &running, &previous); err != nil {
			return err
		}
		fmt.Fprintln(w, id, customer, region, amount, rank, running, previous)
	}
	return rows.Err()
}

func rolledBackUpsert(w io.Writer, db *sql.DB) error {
	fmt.Fprintln(w, "-- rolled back upsert")
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	var name string
	var version int
	err = tx.QueryRow(`INSERT INTO customers AS c (email, name) VALUES ($1, $2)
		ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, version = c.version + 1 RETURNING name, version`, "ada@example.com", "Ada Lovelace").Scan(&name, &version)
	if err != nil {
		tx.Rollback()
		return err
	}
	fmt.Fprintln(w, "inside", name, version)
	if err := tx.Rollback(); err != nil {
		return err
	}
	if err := db.QueryRow("SELECT name, version FROM customers WHERE email = $1", "ada@example.com").Scan(&name, &version); err != nil {
		return err
	}
	fmt.Fprintln(w, "after rollback", name, version)
	return nil
}

func modifyingWith(w io.Writer, db *sql.DB) error {
	fmt.Fprintln(w, "-- data-modifying WITH")
	rows, err := db.Query(`WITH moved AS (DELETE FROM invoices WHERE amount < $1 RETURNING *)
		INSERT INTO invoices_archive SELECT * FROM moved RETURNING id`, "40")
	if err != nil {
		return err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	slices.Sort(ids)
	fmt.Fprintln(w, "archived", ids)
	var live, archived int
	var total string
	if err := db.QueryRow("SELECT (SELECT count(*) FROM invoices), (SELECT count(*) FROM invoices_archive), (SELECT sum(amount) FROM invoices_archive)").Scan(&live, &archived, &total); err != nil {
		return err
	}
	fmt.Fprintln(w, "live", live, "archived", archived, "amount", total)
	return nil
}
