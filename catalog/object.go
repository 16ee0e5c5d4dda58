package catalog

// Column is one column of a table.
type Column struct {
	Name    string `json:"name"`
	Type    Type   `json:"type"`
	NotNull bool   `json:"not_null,omitempty"`
	// Default is the column's DEFAULT expression as SQL text (serial's
	// nextval('t_id_seq'::regclass) among them), bound where a row
	// without the column is written; "" for none (NULL).
	Default string `json:"default,omitempty"`
	// Identity is "a" (GENERATED ALWAYS AS IDENTITY), "d" (BY DEFAULT) or
	// "", as pg_attribute.attidentity; the column's Default then reads
	// its sequence.
	Identity string `json:"identity,omitempty"`
}

// Table is a base table. Its rows also carry a hidden, stable 64-bit row id
// (see storage), which is not one of Columns.
type Table struct {
	ID         int64    `json:"id"` // unique within the store; also the table's OID
	Schema     string   `json:"schema"`
	Name       string   `json:"name"`
	Columns    []Column `json:"columns"`
	PrimaryKey []int    `json:"primary_key,omitempty"` // column indexes, in key order
	// Checks are the table's CHECK constraints, in name order (the order
	// PostgreSQL checks them in).
	Checks []Check `json:"checks,omitempty"`
}

// Check is a CHECK constraint: a boolean expression over a row of its
// table, kept as SQL text, that no row may make false.
type Check struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
}

// ColumnIndex returns the index of the named column, or -1.
func (t *Table) ColumnIndex(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Types returns the column types in order.
func (t *Table) Types() []Type {
	ts := make([]Type, len(t.Columns))
	for i, c := range t.Columns {
		ts[i] = c.Type
	}
	return ts
}

// View is a stored query. SQL is the defining SELECT's text; Columns are
// the output column names (after any column list in CREATE VIEW).
type View struct {
	ID      int64    `json:"id"`
	Schema  string   `json:"schema"`
	Name    string   `json:"name"`
	SQL     string   `json:"sql"`
	Columns []string `json:"columns"`
}

// Index is a secondary index definition. pqdb records indexes in the catalog
// so that DDL round-trips; scans do not use them yet.
type Index struct {
	ID      int64    `json:"id"`
	Schema  string   `json:"schema"`
	Name    string   `json:"name"`
	Table   string   `json:"table"`
	Columns []string `json:"columns"`
	Unique  bool     `json:"unique,omitempty"`
}

// Role is a database role (CREATE ROLE / CREATE USER). Password holds the
// stored verifier, never the password: "SCRAM-SHA-256$..." or
// "md5<hex>" as in Postgres' pg_authid.rolpassword, or "" for none.
type Role struct {
	Name      string `json:"name"`
	Login     bool   `json:"login,omitempty"`
	Superuser bool   `json:"superuser,omitempty"`
	Password  string `json:"password,omitempty"`
}
