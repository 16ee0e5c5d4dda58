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
	// Comment is the column's COMMENT ON COLUMN text; "" for none.
	Comment string `json:"comment,omitempty"`
	// Domain is the OID of the domain the column was declared with (its
	// Type is then the domain's base type), or 0.
	Domain int64 `json:"domain,omitempty"`
	// Collation is the collation the column declares (COLLATE "C"), as
	// pg_collation.collname; "" for its type's default.
	Collation string `json:"collation,omitempty"`
}

// Table is a base table. Its rows also carry a hidden, stable 64-bit row id
// (see storage), which is not one of Columns.
type Table struct {
	ID         int64    `json:"id"` // unique within the store; also the table's OID
	Schema     string   `json:"schema"`
	Name       string   `json:"name"`
	Columns    []Column `json:"columns"`
	PrimaryKey []int    `json:"primary_key,omitempty"` // column indexes, in key order
	// PrimaryKeyName names the primary key constraint and its index. It
	// is chosen once, when the key is made (CONSTRAINT name, else
	// <table>_pkey), and stays when the table is renamed, as in
	// PostgreSQL. Read it with PrimaryKeyConstraint.
	PrimaryKeyName string `json:"primary_key_name,omitempty"`
	// Checks are the table's CHECK constraints, in name order (the order
	// PostgreSQL checks them in).
	Checks []Check `json:"checks,omitempty"`
	// ForeignKeys are the table's FOREIGN KEY constraints, in the order
	// they were added.
	ForeignKeys []ForeignKey `json:"foreign_keys,omitempty"`
	// Comment is the table's COMMENT ON TABLE text; "" for none.
	Comment string `json:"comment,omitempty"`
	// SortKey names the columns, in order, by which storage writes the
	// rows of each new segment (WITH (sort_key = 'a, b'), shown in
	// pg_class.reloptions); empty for the primary key's order. It
	// follows renames of its columns and loses a dropped one.
	SortKey []string `json:"sort_key,omitempty"`
	// Unlogged marks a table made by CREATE UNLOGGED TABLE: pg_class
	// shows it, its indexes and its sequences as unlogged, though pqdb
	// writes it as durably as any other.
	Unlogged bool `json:"unlogged,omitempty"`
	// System marks a relation of pg_catalog or information_schema: its
	// rows are made from the catalog when it is scanned, and it cannot
	// be written.
	System bool `json:"-"`
}

// PrimaryKeyConstraint is the name of t's primary key constraint. A
// catalog written before names were stored holds none: its key keeps the
// name PostgreSQL would have given it, <table>_pkey.
func (t *Table) PrimaryKeyConstraint() string {
	if t.PrimaryKeyName != "" {
		return t.PrimaryKeyName
	}
	return DefaultPrimaryKeyName(t.Name)
}

// PrimaryKeyCovered reports whether t has a primary key and has says
// true of each of its columns (indexes into Columns): a set of columns
// holding the key, whose values then pick at most one row.
func (t *Table) PrimaryKeyCovered(has func(col int) bool) bool {
	if len(t.PrimaryKey) == 0 {
		return false
	}
	for _, k := range t.PrimaryKey {
		if !has(k) {
			return false
		}
	}
	return true
}

// DefaultPrimaryKeyName is the name PostgreSQL gives table's primary key
// when no CONSTRAINT clause names it.
func DefaultPrimaryKeyName(table string) string { return table + "_pkey" }

// ForeignKey is a FOREIGN KEY constraint of a table: every row whose
// Columns are all non-NULL (MATCH SIMPLE) must match a row of RefTable
// on RefColumns, which a primary key or unique index of RefTable covers.
type ForeignKey struct {
	Name       string   `json:"name"`
	Columns    []string `json:"columns"`
	RefSchema  string   `json:"ref_schema"`
	RefTable   string   `json:"ref_table"`
	RefColumns []string `json:"ref_columns"`
	// OnDelete and OnUpdate are the referential actions, as
	// pg_constraint.confdeltype and confupdtype: 'a' NO ACTION,
	// 'r' RESTRICT, 'c' CASCADE, 'n' SET NULL, 'd' SET DEFAULT.
	OnDelete byte `json:"on_delete"`
	OnUpdate byte `json:"on_update"`
}

// References reports whether fk points at the table schema.name.
func (fk *ForeignKey) References(schema, name string) bool {
	return fk.RefSchema == schema && fk.RefTable == name
}

// Clone returns a copy of t whose slices may be changed without
// changing t.
func (t *Table) Clone() *Table {
	c := *t
	c.Columns = append([]Column(nil), t.Columns...)
	c.PrimaryKey = append([]int(nil), t.PrimaryKey...)
	c.Checks = append([]Check(nil), t.Checks...)
	c.SortKey = append([]string(nil), t.SortKey...)
	c.ForeignKeys = make([]ForeignKey, len(t.ForeignKeys))
	for i, fk := range t.ForeignKeys {
		fk.Columns = append([]string(nil), fk.Columns...)
		fk.RefColumns = append([]string(nil), fk.RefColumns...)
		c.ForeignKeys[i] = fk
	}
	if len(c.ForeignKeys) == 0 {
		c.ForeignKeys = nil
	}
	return &c
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
	Comment string   `json:"comment,omitempty"`
	// ColumnComments are the COMMENT ON COLUMN texts of its columns, by
	// column name.
	ColumnComments map[string]string `json:"column_comments,omitempty"`
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
	// Constraint marks the index of a UNIQUE constraint (of CREATE TABLE
	// or ALTER TABLE ADD), which pg_constraint lists and ALTER TABLE
	// DROP CONSTRAINT drops, apart from one made by CREATE UNIQUE INDEX.
	Constraint bool `json:"constraint,omitempty"`
	// Options are the key columns' sort orders, one per column, as
	// pg_index.indoption: IndexDesc and IndexNullsFirst bits; nil when
	// every column is ascending with NULLs last.
	Options []int16 `json:"options,omitempty"`
	// Method is the index's access method, as pg_am.amname ("hash",
	// "gin", ...); "" is btree (AccessMethod).
	Method string `json:"method,omitempty"`
	// Opclasses are the operator classes the key columns name, one per
	// column, "" for the column type's default; nil when every one is
	// the default.
	Opclasses []string `json:"opclasses,omitempty"`
	// Include are the non-key columns of INCLUDE (...), stored in the
	// index but not searched by.
	Include []string `json:"include,omitempty"`
	Comment string   `json:"comment,omitempty"`
	// Exprs are the expressions of the key columns whose Columns entry
	// is "" (pg_index.indkey 0), in key order (index.go).
	Exprs []IndexExpr `json:"exprs,omitempty"`
	// Predicate is a partial index's WHERE condition as SQL text, as
	// written and re-bound where used; "" for none.
	Predicate string `json:"predicate,omitempty"`
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
