package pgcatalog

import (
	"fmt"

	"github.com/pqdb/pqdb/catalog"
)

// information_schema's views of constraints: table_constraints,
// key_column_usage, referential_constraints, constraint_column_usage,
// constraint_table_usage and check_constraints, made from pg_constraint's
// list (Constraints). Like PostgreSQL 15, table_constraints and
// check_constraints also list each NOT NULL column as a CHECK constraint
// named <schema oid>_<table oid>_<attnum>_not_null.

// constraintTypes names the kinds of constraint as table_constraints
// does.
var constraintTypes = map[byte]string{
	ConstraintPrimaryKey: "PRIMARY KEY",
	ConstraintUnique:     "UNIQUE",
	ConstraintCheck:      "CHECK",
	ConstraintForeignKey: "FOREIGN KEY",
}

// referentialActions names pg_constraint's confupdtype and confdeltype
// as referential_constraints does.
var referentialActions = map[byte]string{
	'a': "NO ACTION",
	'r': "RESTRICT",
	'c': "CASCADE",
	'n': "SET NULL",
	'd': "SET DEFAULT",
}

// schema is the schema of the constraint: its table's or its domain's.
func (c *Constraint) schema() string {
	if c.Table != nil {
		return c.Table.Schema
	}
	return c.Domain.Schema
}

// notNullConstraint is a NOT NULL column as PostgreSQL 15's
// information_schema shows it: a CHECK constraint.
type notNullConstraint struct {
	name   string
	table  *catalog.Table
	column string
}

// notNullConstraints lists the NOT NULL columns of db's tables (primary
// key columns are NOT NULL), table by table.
func notNullConstraints(db Database) []notNullConstraint {
	var out []notNullConstraint
	for _, s := range db.Schemas() {
		for _, t := range db.Tables(s.Name) {
			for i, c := range t.Columns {
				if c.NotNull || inPrimaryKey(t, i) {
					out = append(out, notNullConstraint{name: fmt.Sprintf("%d_%d_%d_not_null", s.OID, t.ID, i+1), table: t, column: c.Name})
				}
			}
		}
	}
	return out
}

// referencedKey is the primary key or unique constraint of cons whose
// index foreign key fk relies on, or nil.
func referencedKey(cons []*Constraint, fk *Constraint) *Constraint {
	for _, c := range cons {
		if (c.Kind == ConstraintPrimaryKey || c.Kind == ConstraintUnique) && c.Index == fk.Index && c.Table == fk.RefTable {
			return c
		}
	}
	return nil
}

var _ = addsRelation(&Relation{OID: 13411, Schema: InformationSchema, Name: "table_constraints", Columns: informationSchemaColumns["table_constraints"], rows: func(db Database) ([][]catalog.Datum, error) {
	dbName := db.DatabaseName()
	var rows [][]catalog.Datum
	for _, c := range Constraints(db) {
		if c.Table == nil {
			continue
		}
		var nullsDistinct catalog.Datum
		if c.Kind == ConstraintUnique {
			nullsDistinct = "YES"
		}
		rows = append(rows, []catalog.Datum{dbName, c.Table.Schema, c.Name, dbName, c.Table.Schema, c.Table.Name,
			constraintTypes[c.Kind], "NO", "NO", "YES", nullsDistinct})
	}
	for _, n := range notNullConstraints(db) {
		rows = append(rows, []catalog.Datum{dbName, n.table.Schema, n.name, dbName, n.table.Schema, n.table.Name,
			"CHECK", "NO", "NO", "YES", nil})
	}
	return rows, nil
}})

var _ = addsRelation(&Relation{OID: 13329, Schema: InformationSchema, Name: "key_column_usage", Columns: informationSchemaColumns["key_column_usage"], rows: keyColumnUsageRows})

// keyColumnUsageRows lists the columns of primary keys, unique
// constraints and foreign keys; a foreign key's column also tells the
// position, in the key it references, of the column it references.
func keyColumnUsageRows(db Database) ([][]catalog.Datum, error) {
	dbName := db.DatabaseName()
	cons := Constraints(db)
	var rows [][]catalog.Datum
	for _, c := range cons {
		if c.Table == nil || c.Kind == ConstraintCheck {
			continue
		}
		var key *Constraint
		if c.Kind == ConstraintForeignKey {
			key = referencedKey(cons, c)
		}
		for i, num := range c.Columns {
			var position catalog.Datum
			if key != nil && i < len(c.RefColumns) {
				for k, ref := range key.Columns {
					if ref == c.RefColumns[i] {
						position = int32(k + 1)
					}
				}
			}
			rows = append(rows, []catalog.Datum{dbName, c.Table.Schema, c.Name, dbName, c.Table.Schema, c.Table.Name,
				c.Table.Columns[num-1].Name, int32(i + 1), position})
		}
	}
	return rows, nil
}

var _ = addsRelation(&Relation{OID: 13339, Schema: InformationSchema, Name: "referential_constraints", Columns: informationSchemaColumns["referential_constraints"], rows: func(db Database) ([][]catalog.Datum, error) {
	dbName := db.DatabaseName()
	cons := Constraints(db)
	var rows [][]catalog.Datum
	for _, c := range cons {
		if c.Kind != ConstraintForeignKey {
			continue
		}
		var keyCatalog, keySchema, keyName catalog.Datum
		if key := referencedKey(cons, c); key != nil {
			keyCatalog, keySchema, keyName = dbName, key.Table.Schema, key.Name
		}
		// pqdb's foreign keys are all MATCH SIMPLE, which the standard
		// calls NONE.
		rows = append(rows, []catalog.Datum{dbName, c.Table.Schema, c.Name, keyCatalog, keySchema, keyName, "NONE",
			referentialActions[c.ForeignKey.OnUpdate], referentialActions[c.ForeignKey.OnDelete]})
	}
	return rows, nil
}})

var _ = addsRelation(&Relation{OID: 13300, Schema: InformationSchema, Name: "constraint_column_usage", Columns: informationSchemaColumns["constraint_column_usage"], rows: func(db Database) ([][]catalog.Datum, error) {
	dbName := db.DatabaseName()
	var rows [][]catalog.Datum
	for _, c := range Constraints(db) {
		// A foreign key uses the columns it references; the others, the
		// columns of their own table.
		t, cols := c.Table, c.Columns
		if c.Kind == ConstraintForeignKey {
			t, cols = c.RefTable, c.RefColumns
		}
		if t == nil {
			continue
		}
		for _, num := range cols {
			rows = append(rows, []catalog.Datum{dbName, t.Schema, t.Name, t.Columns[num-1].Name, dbName, c.schema(), c.Name})
		}
	}
	return rows, nil
}})

var _ = addsRelation(&Relation{OID: 13305, Schema: InformationSchema, Name: "constraint_table_usage", Columns: informationSchemaColumns["constraint_table_usage"], rows: func(db Database) ([][]catalog.Datum, error) {
	dbName := db.DatabaseName()
	var rows [][]catalog.Datum
	for _, c := range Constraints(db) {
		// CHECK constraints are left out, as in PostgreSQL; a foreign
		// key uses the table it references.
		t := c.Table
		switch c.Kind {
		case ConstraintCheck:
			continue
		case ConstraintForeignKey:
			t = c.RefTable
		}
		if t == nil {
			continue
		}
		rows = append(rows, []catalog.Datum{dbName, t.Schema, t.Name, dbName, c.schema(), c.Name})
	}
	return rows, nil
}})

var _ = addsRelation(&Relation{OID: 13260, Schema: InformationSchema, Name: "check_constraints", Columns: informationSchemaColumns["check_constraints"], rows: func(db Database) ([][]catalog.Datum, error) {
	dbName := db.DatabaseName()
	var rows [][]catalog.Datum
	for _, c := range Constraints(db) {
		switch {
		case c.Kind == ConstraintCheck:
			// substring(pg_get_constraintdef(oid) FROM 7): the
			// parenthesized expression after CHECK.
			rows = append(rows, []catalog.Datum{dbName, c.schema(), c.Name, "(" + db.DeparseCheck(c) + ")"})
		}
	}
	for _, n := range notNullConstraints(db) {
		rows = append(rows, []catalog.Datum{dbName, n.table.Schema, n.name, n.column + " IS NOT NULL"})
	}
	return rows, nil
}})
