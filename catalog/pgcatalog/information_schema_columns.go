package pgcatalog

import (
	"strconv"

	"github.com/pqdb/pqdb/catalog"
)

// information_schema.columns: every column of every table and view.

var _ = addsRelation(&Relation{OID: 13295, Schema: InformationSchema, Name: "columns", Columns: informationSchemaColumns["columns"], rows: columnsRows})

// columnFacts is what columns says of one column besides its type.
type columnFacts struct {
	schema, table string
	position      int
	col           catalog.Column
	notNull       bool
	updatable     bool
	identity      *catalog.Sequence // the sequence of an identity column
	// builtinType is, for a column of a bki catalog, the OID of the type
	// the bki declares ("char", regproc, aclitem[], ...), whatever type
	// pqdb serves it as; 0 for the others.
	builtinType uint32
	// deflt is column_default: the DEFAULT as pg_get_expr prints it.
	deflt catalog.Datum
}

func columnsRows(db Database) ([][]catalog.Datum, error) {
	users := userTypesByOID(db)
	var rows [][]catalog.Datum
	add := func(f columnFacts) {
		rows = append(rows, columnRow(db, users, f))
	}
	_, builtinByName := builtinTypes()
	attnotnull := Lookup(PgCatalog, "pg_attribute").Column("attnotnull")
	for _, r := range Relations() {
		bki := bkiCatalogNamed(r)
		var attrs [][]catalog.Datum
		if bki != nil {
			attrs = systemTableAttrs(r)
		}
		for i, c := range r.Columns {
			f := columnFacts{schema: r.Schema, table: r.Name, position: i + 1, col: c, updatable: !systemRelationIsView(r)}
			if bki != nil {
				// A catalog's column has the type and nullness
				// pg_attribute gives it.
				if t := builtinByName[bki.Columns[i].Type]; t != nil {
					f.builtinType = t.OID
				} else if oid, ok := catalogRowArrayType(bki.Columns[i].Type); ok {
					f.builtinType = oid
				}
				f.notNull = attrs[i][attnotnull] == true
			}
			add(f)
		}
	}
	for _, v := range Views() {
		addViewColumns(db, v, add)
	}
	for _, s := range visibleSchemas(db) {
		sequences := db.Sequences(s.Name)
		for _, t := range db.Tables(s.Name) {
			for i, c := range t.Columns {
				f := columnFacts{schema: s.Name, table: t.Name, position: i + 1, col: c, updatable: true,
					notNull: c.NotNull || inPrimaryKey(t, i)}
				if c.Identity != "" {
					f.identity = identitySequence(sequences, t.Name, c.Name)
				} else if hasAttrDef(c) {
					f.deflt = db.DeparseDefault(t, i)
				}
				add(f)
			}
		}
		for _, v := range db.Views(s.Name) {
			addViewColumns(db, v, add)
		}
	}
	return rows, nil
}

// addViewColumns adds the columns of view v; a view that no longer binds
// (a table it reads was changed under it) lists none.
func addViewColumns(db Database, v *catalog.View, add func(columnFacts)) {
	cols, err := db.ViewColumns(v)
	if err != nil {
		return
	}
	for i, c := range cols {
		add(columnFacts{schema: v.Schema, table: v.Name, position: i + 1, col: c})
	}
}

func inPrimaryKey(t *catalog.Table, col int) bool {
	for _, k := range t.PrimaryKey {
		if k == col {
			return true
		}
	}
	return false
}

// identitySequence is the sequence of seqs that column table.column owns,
// or nil.
func identitySequence(seqs []*catalog.Sequence, table, column string) *catalog.Sequence {
	for _, q := range seqs {
		if q.OwnedTable == table && q.OwnedColumn == column {
			return q
		}
	}
	return nil
}

func columnRow(db Database, users map[uint32]userTypeName, f columnFacts) []catalog.Datum {
	c := f.col
	ct := typeOf(c.Type, users)
	if f.builtinType != 0 {
		ct = builtinColumnType(f.builtinType, users)
	}
	var domainCatalog, domainSchema, domainName catalog.Datum
	if c.Domain != 0 {
		if u, ok := users[uint32(c.Domain)]; ok {
			domainCatalog, domainSchema, domainName = db.DatabaseName(), u.schema, u.name
		}
	}
	deflt := f.deflt
	isIdentity := "NO"
	var generation, start, increment, maximum, minimum catalog.Datum
	cycle := "NO"
	if c.Identity != "" {
		isIdentity, generation = "YES", "BY DEFAULT"
		if c.Identity == "a" {
			generation = "ALWAYS"
		}
		if q := f.identity; q != nil {
			start, increment = int8Text(q.Start), int8Text(q.Increment)
			maximum, minimum, cycle = int8Text(q.Max), int8Text(q.Min), yesNo(q.Cycle)
		}
	}
	return []catalog.Datum{
		db.DatabaseName(), f.schema, f.table, c.Name, int32(f.position), deflt, yesNo(!f.notNull),
		ct.dataType, ct.charMaxLength, ct.charOctetLength, ct.numericPrecision, ct.numericRadix,
		ct.numericScale, ct.datetimePrecision, ct.intervalType, nil,
		nil, nil, nil, // character set
		nil, nil, nil, // collation: the type's default
		domainCatalog, domainSchema, domainName,
		db.DatabaseName(), ct.udtSchema, ct.udtName,
		nil, nil, nil, nil,
		strconv.Itoa(f.position), "NO",
		isIdentity, generation, start, increment, maximum, minimum, cycle,
		"NEVER", nil, yesNo(f.updatable),
	}
}

// builtinColumnType describes the built-in type with OID oid without a
// modifier: as typeOf does when pqdb has a kind for it, else by its name.
func builtinColumnType(oid uint32, users map[uint32]userTypeName) columnType {
	if t, ok := catalog.TypeByOID(oid); ok && t.OID() == oid {
		return typeOf(t, users)
	}
	var ct columnType
	ct.dataType, ct.udtSchema, ct.udtName = typeOfOID(oid, users)
	return ct
}
