package pgcatalog

import (
	"sync"

	"github.com/pqdb/pqdb/catalog"
)

// pg_constraint: schema by schema, each table's primary key, the unique
// constraints its unique indexes stand for, its CHECK constraints and
// its foreign keys, then the CHECK constraints of the domains. A
// domain's NOT NULL is pg_type.typnotnull, not a constraint, in
// PostgreSQL 15.
var _ = makesRows("pg_constraint", pgConstraintRows)

// The kinds of constraint (pg_constraint.contype).
const (
	ConstraintPrimaryKey = 'p'
	ConstraintUnique     = 'u'
	ConstraintCheck      = 'c'
	ConstraintForeignKey = 'f'
)

// Constraint is a constraint as pg_constraint shows it, with what a
// printer of its definition (pg_get_constraintdef) needs.
type Constraint struct {
	OID       uint32
	Name      string
	Namespace uint32
	Kind      byte // ConstraintPrimaryKey, ...
	// Table is the constrained table; nil for a domain's CHECK, whose
	// domain is Domain.
	Table  *catalog.Table
	Domain *catalog.UserType
	// Columns are the attnums of the constrained columns (conkey): the
	// key's, or those a CHECK reads.
	Columns []int
	// Index is the OID of the index of a key, or of the referenced key
	// of a foreign key (conindid); 0 for a CHECK.
	Index uint32
	// Check is a CHECK's expression, as SQL text.
	Check string
	// ForeignKey is a foreign key's definition, RefTable the table it
	// references and RefColumns the attnums of the referenced columns
	// (confkey).
	ForeignKey *catalog.ForeignKey
	RefTable   *catalog.Table
	RefColumns []int
}

// DomainCheckOID is the pg_constraint OID of domain u's i-th CHECK
// constraint (derived from the domain's OID as a table's are; those of
// information_schema's domains are PostgreSQL's).
func DomainCheckOID(u *catalog.UserType, i int) uint32 {
	if oid, ok := systemDomainCheckOID(u, i); ok {
		return oid
	}
	return derivedOID(u.ID, slotCheck+i)
}

// Constraints lists the constraints of db, in pg_constraint's order.
func Constraints(db Database) []*Constraint {
	out := systemDomainConstraints()
	for _, s := range db.Schemas() {
		indexes := db.Indexes(s.Name)
		tables := db.Tables(s.Name)
		for _, t := range tables {
			for _, x := range tableIndexes(t, indexes) {
				c := &Constraint{OID: PrimaryKeyConstraintOID(t), Name: t.PrimaryKeyConstraint(), Namespace: s.OID,
					Kind: ConstraintPrimaryKey, Table: t, Columns: x.attnums, Index: x.oid}
				switch {
				case x.primary:
				case x.unique:
					ix := indexByOID(indexes, x.oid)
					if !ix.Constraint {
						continue // CREATE UNIQUE INDEX makes no constraint
					}
					c.OID, c.Name, c.Kind = UniqueConstraintOID(ix), ix.Name, ConstraintUnique
				default:
					continue
				}
				out = append(out, c)
			}
			for i, ch := range t.Checks {
				out = append(out, &Constraint{OID: CheckOID(t, i), Name: ch.Name, Namespace: s.OID, Kind: ConstraintCheck,
					Table: t, Columns: attnums(t, db.ExprColumns(ch.Expr)), Check: ch.Expr})
			}
			for i := range t.ForeignKeys {
				fk := &t.ForeignKeys[i]
				c := &Constraint{OID: ForeignKeyOID(t, i), Name: fk.Name, Namespace: s.OID, Kind: ConstraintForeignKey,
					Table: t, Columns: attnums(t, fk.Columns), ForeignKey: fk}
				if fk.RefSchema == s.Name {
					c.RefTable = tableNamed(tables, fk.RefTable)
				} else {
					c.RefTable = tableNamed(db.Tables(fk.RefSchema), fk.RefTable)
				}
				if c.RefTable != nil {
					c.RefColumns = attnums(c.RefTable, fk.RefColumns)
					c.Index = referencedIndex(c.RefTable, c.RefColumns, db.Indexes(fk.RefSchema))
				}
				out = append(out, c)
			}
		}
		for _, u := range db.UserTypes(s.Name) {
			if u.Domain == nil {
				continue
			}
			for i, ch := range u.Domain.Checks {
				out = append(out, &Constraint{OID: DomainCheckOID(u, i), Name: ch.Name, Namespace: s.OID,
					Kind: ConstraintCheck, Domain: u, Check: ch.Expr})
			}
		}
	}
	return out
}

// ConstraintByOID is the constraint of db whose OID is oid, or nil.
func ConstraintByOID(db Database, oid uint32) *Constraint {
	for _, c := range Constraints(db) {
		if c.OID == oid {
			return c
		}
	}
	return nil
}

func pgConstraintRows(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, c := range Constraints(db) {
		rows = append(rows, c.datums())
	}
	return rows, nil
}

func (c *Constraint) datums() []catalog.Datum {
	var relid, typid uint32
	if c.Table != nil {
		relid = uint32(c.Table.ID)
	}
	if c.Domain != nil {
		typid = uint32(c.Domain.ID)
	}
	var conkey catalog.Datum
	if c.Domain == nil {
		conkey = int2Array(c.Columns)
	}
	// What only foreign keys have is ' ' or NULL for the others.
	var confrelid uint32
	updType, delType, matchType := " ", " ", " "
	var confkey, pfeqop, ppeqop, ffeqop catalog.Datum
	if fk := c.ForeignKey; fk != nil {
		updType, delType, matchType = string(fk.OnUpdate), string(fk.OnDelete), "s"
		if c.RefTable != nil {
			confrelid = uint32(c.RefTable.ID)
			confkey = int2Array(c.RefColumns)
			ops := make(catalog.ArrayValue, len(c.Columns))
			for i, num := range c.Columns {
				ops[i] = equalityOperator(c.Table.Columns[num-1].Type)
			}
			pfeqop, ppeqop, ffeqop = ops, ops, ops
		}
	}
	var bin catalog.Datum
	if c.Kind == ConstraintCheck {
		bin = c.Check
	}
	return []catalog.Datum{
		c.OID, c.Name, c.Namespace, string(c.Kind), false, false, true, relid, typid, c.Index, uint32(0),
		confrelid, updType, delType, matchType, true, int32(0), c.Kind != ConstraintCheck, conkey, confkey,
		pfeqop, ppeqop, ffeqop, nil, nil, bin,
	}
}

// int2Array is the int2[] of nums.
func int2Array(nums []int) catalog.ArrayValue {
	out := make(catalog.ArrayValue, len(nums))
	for i, n := range nums {
		out[i] = int16(n)
	}
	return out
}

// attnums are the attnums of t's columns names, in order (names t does
// not have are left out).
func attnums(t *catalog.Table, names []string) []int {
	var out []int
	for _, n := range names {
		if k := t.ColumnIndex(n); k >= 0 {
			out = append(out, k+1)
		}
	}
	return out
}

// indexByOID is the index of indexes whose OID is oid, or nil.
func indexByOID(indexes []*catalog.Index, oid uint32) *catalog.Index {
	for _, ix := range indexes {
		if uint32(ix.ID) == oid {
			return ix
		}
	}
	return nil
}

// referencedIndex is the OID of the unique index of t (its primary
// key's first) whose columns are the attnums cols in any order: the
// index a foreign key onto them relies on; 0 for none.
func referencedIndex(t *catalog.Table, cols []int, indexes []*catalog.Index) uint32 {
	for _, x := range tableIndexes(t, indexes) {
		if x.unique && sameSet(x.attnums, cols) {
			return x.oid
		}
	}
	return 0
}

func sameSet(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[int]bool{}
	for _, n := range a {
		in[n] = true
	}
	for _, n := range b {
		if !in[n] {
			return false
		}
	}
	return true
}

// equalityOperator is the OID of the btree equality operator of type t
// (pg_operator's = between two values of it), with the fallbacks of
// defaultBtreeOpclass; 0 for none.
func equalityOperator(t catalog.Type) uint32 { return forType(equalityOperators(), t) }

var equalityOperators = sync.OnceValue(func() map[uint32]uint32 {
	out := map[uint32]uint32{}
	rows, err := sharedBKIRows("pg_operator")
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		// oid, oprname, oprnamespace, oprowner, oprkind, oprcanmerge,
		// oprcanhash, oprleft, oprright, ...
		if r[1] == "=" && r[5] == true && r[7] == r[8] {
			if _, seen := out[r[7].(uint32)]; !seen {
				out[r[7].(uint32)] = r[0].(uint32)
			}
		}
	}
	return out
})
