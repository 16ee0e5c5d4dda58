package pgcatalog

import (
	"cmp"
	"strings"

	"github.com/pqdb/pqdb/catalog"
)

// pg_class: every relation. The system tables and views first, then,
// schema by schema, each table, the index of its primary key, the
// indexes, the views and the sequences.
var _ = makesRows("pg_class", pgClassRows)

// Access methods (pg_am).
const (
	heapAM  = 2
	btreeAM = 403
)

// classRow is one row of pg_class; what pqdb has no notion of (toast,
// tablespaces, row security, partitions, statistics) is PostgreSQL's
// value for a relation without it.
type classRow struct {
	oid, namespace, rowType, am uint32
	name                        string
	kind, persistence           string
	natts, checks               int
	hasIndex, hasRules          bool
	hasTriggers, shared         bool
	options                     catalog.Datum // reloptions: nil or a text[]
}

func (c classRow) datums() []catalog.Datum {
	return []catalog.Datum{
		c.oid, c.name, c.namespace, c.rowType, uint32(0), uint32(BootstrapSuperuserOID), c.am,
		c.oid /* relfilenode */, uint32(0), int32(0), float32(-1), int32(0), uint32(0),
		c.hasIndex, c.shared, c.persistence, c.kind, int16(c.natts), int16(c.checks),
		c.hasRules, c.hasTriggers, false, false, false, true, c.replicaIdentity(), false, uint32(0),
		uint32(0), uint32(0), nil, c.options, nil,
	}
}

// tableOptions is pg_class.reloptions of table t: the storage parameters
// that change it, as name=value. Only pqdb's sort_key does (fillfactor
// is accepted and has no effect).
func tableOptions(t *catalog.Table) catalog.Datum {
	if len(t.SortKey) == 0 {
		return nil
	}
	names := make([]string, len(t.SortKey))
	for i, c := range t.SortKey {
		names[i] = sortKeyIdent(c)
	}
	return catalog.ArrayValue{"sort_key=" + strings.Join(names, ", ")}
}

// sortKeyIdent writes a sort_key column name as the parameter reads it:
// plain when it is lower case letters, digits and underscores, else
// double-quoted.
func sortKeyIdent(name string) string {
	plain := name != "" && (name[0] < '0' || name[0] > '9')
	for i := 0; i < len(name) && plain; i++ {
		c := name[i]
		plain = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if plain {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// replicaIdentity is relreplident: "d" (the primary key) for a table,
// "n" (nothing) for every other relation and for the system catalogs,
// which PostgreSQL's bootstrap creates without one.
func (c classRow) replicaIdentity() string {
	if c.kind == "r" && c.namespace != PgCatalogOID {
		return "d"
	}
	return "n"
}

func pgClassRows(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, r := range Relations() {
		ns := uint32(PgCatalogOID)
		if r.Schema == InformationSchema {
			ns = InformationSchemaOID
		}
		c := classRow{oid: r.OID, namespace: ns, rowType: r.RowType, am: heapAM, name: r.Name,
			kind: "r", persistence: "p", natts: len(r.Columns)}
		if r.view {
			c.am, c.kind, c.hasRules = 0, "v", true
		}
		rows = append(rows, c.datums())
	}
	for _, v := range Views() {
		// A system view's columns are its query's, known once bound.
		cols, _ := systemViewColumns(db, v)
		rows = append(rows, classRow{oid: uint32(v.ID), namespace: SchemaOID(db, v.Schema), rowType: SystemViewTypes(v).RowType,
			name: v.Name, kind: "v", persistence: "p", natts: len(cols), hasRules: true}.datums())
	}
	// A table a foreign key references has triggers too in PostgreSQL
	// (the key's actions run as triggers on it).
	referenced := map[[2]string]bool{}
	for _, s := range db.Schemas() {
		for _, t := range db.Tables(s.Name) {
			for _, fk := range t.ForeignKeys {
				referenced[[2]string{fk.RefSchema, fk.RefTable}] = true
			}
		}
	}
	for _, s := range db.Schemas() {
		persistence := "p"
		if strings.HasPrefix(s.Name, "pg_temp") {
			persistence = "t"
		}
		indexes := db.Indexes(s.Name)
		// An unlogged table's indexes and sequences are unlogged too.
		ofTable := map[string]string{}
		for _, t := range db.Tables(s.Name) {
			tp := persistence
			if t.Unlogged {
				tp = "u"
			}
			ofTable[t.Name] = tp
			hasIndex := len(t.PrimaryKey) > 0
			for _, ix := range indexes {
				hasIndex = hasIndex || ix.Table == t.Name
			}
			rows = append(rows, classRow{oid: uint32(t.ID), namespace: s.OID, rowType: RowTypeOID(t), am: heapAM,
				name: t.Name, kind: "r", persistence: tp, natts: len(t.Columns), checks: len(t.Checks),
				hasIndex: hasIndex, hasTriggers: len(t.ForeignKeys) > 0 || referenced[[2]string{s.Name, t.Name}],
				options: tableOptions(t)}.datums())
			if len(t.PrimaryKey) > 0 {
				rows = append(rows, classRow{oid: PrimaryKeyIndexOID(t), namespace: s.OID, am: btreeAM,
					name: t.PrimaryKeyConstraint(), kind: "i", persistence: tp, natts: len(t.PrimaryKey)}.datums())
			}
		}
		for _, ix := range indexes {
			rows = append(rows, classRow{oid: uint32(ix.ID), namespace: s.OID, am: AccessMethodOID(ix.AccessMethod()), name: ix.Name,
				kind: "i", persistence: cmp.Or(ofTable[ix.Table], persistence), natts: len(ix.Columns) + len(ix.Include)}.datums())
		}
		for _, v := range db.Views(s.Name) {
			rows = append(rows, classRow{oid: uint32(v.ID), namespace: s.OID, rowType: ViewRowTypeOID(v), name: v.Name, kind: "v",
				persistence: persistence, natts: len(v.Columns), hasRules: true}.datums())
		}
		for _, q := range db.Sequences(s.Name) {
			sp := persistence
			if q.OwnedTable != "" && ofTable[q.OwnedTable] != "" {
				sp = ofTable[q.OwnedTable]
			}
			rows = append(rows, classRow{oid: uint32(q.ID), namespace: s.OID, name: q.Name, kind: "S",
				persistence: sp, natts: 3}.datums())
		}
	}
	return rows, nil
}
