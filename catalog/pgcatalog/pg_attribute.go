package pgcatalog

import (
	"slices"
	"sync"

	"github.com/pqdb/pqdb/catalog"
)

// pg_attribute: the columns of every relation of pg_class, numbered from
// 1: of the system tables (by the types the bki declares, so that \d
// pg_class reads as in PostgreSQL), the system views, and schema by
// schema the tables, the indexes (their columns, named as the table's and
// typed as their operator classes store them), the views (typed by their queries) and the sequences.
// Tables and sequences also list PostgreSQL's system columns, with
// negative numbers (pg_attribute_system.go).
var _ = makesRows("pg_attribute", pgAttributeRows)

// attrRow is one row of pg_attribute; what pqdb has no notion of
// (statistics targets, compression, inheritance, dropped columns,
// missing values, column privileges) is PostgreSQL's value for a column
// without it.
type attrRow struct {
	relid      uint32
	name       string
	typid      uint32
	typmod     int32
	props      typeProps
	num        int
	ndims      int32
	notnull    bool
	hasDefault bool
	identity   string
	// system marks a system column, which has no statistics target
	// (attstattarget 0, not -1).
	system bool
}

func (a attrRow) datums() []catalog.Datum {
	statTarget := int32(-1)
	if a.system {
		statTarget = 0
	}
	return []catalog.Datum{
		a.relid, a.name, a.typid, statTarget, a.props.length, int16(a.num), a.ndims, int32(-1), a.typmod,
		a.props.byval, a.props.align, a.props.storage, "", a.notnull, a.hasDefault, false, a.identity, "",
		false, true, int32(0), a.props.collation, nil, nil, nil, nil,
	}
}

// columnAttr is the row of a column of type t (and domain, when not 0)
// of relation relid.
func columnAttr(relid uint32, num int, name string, t catalog.Type, domain int64) attrRow {
	a := attrRow{relid: relid, name: name, typid: t.OID(), typmod: t.Typmod, props: columnTypeProps(t), num: num}
	if domain != 0 {
		// The domain carries the modifier (pg_type.typtypmod).
		a.typid, a.typmod = uint32(domain), -1
		if d := systemDomainByOID(a.typid); d != nil {
			a.props.collation = d.Collation // "C", as information_schema.sql's domains say
		}
	}
	if t.IsArray() {
		a.ndims = 1
	}
	return a
}

// storedColumnAttr is columnAttr for column c of a table or an index,
// with the collation it declares.
func storedColumnAttr(relid uint32, num int, c catalog.Column) attrRow {
	a := columnAttr(relid, num, c.Name, c.Type, c.Domain)
	a.props.collation = columnCollation(c)
	return a
}

func pgAttributeRows(db Database) ([][]catalog.Datum, error) {
	rows := systemTablesAttrs()
	for _, v := range Views() {
		cols, err := systemViewColumns(db, v)
		if err != nil {
			// A system view pqdb cannot bind yet shows no columns rather
			// than hiding every other relation's.
			continue
		}
		rows = append(rows, viewAttrs(v, cols)...)
	}
	for _, s := range db.Schemas() {
		indexes := db.Indexes(s.Name)
		for _, t := range db.Tables(s.Name) {
			rows = append(rows, systemColumnAttrs(uint32(t.ID))...)
			for i, c := range t.Columns {
				a := storedColumnAttr(uint32(t.ID), i+1, c)
				a.notnull, a.identity = c.NotNull, c.Identity
				a.hasDefault = hasAttrDef(c)
				rows = append(rows, a.datums())
			}
			for _, x := range tableIndexes(t, indexes) {
				for i := range x.cols {
					a := storedColumnAttr(x.oid, i+1, x.storedColumn(i))
					a.props.collation = x.collation(i)
					rows = append(rows, a.datums())
				}
			}
		}
		for _, v := range db.Views(s.Name) {
			cols, err := db.ViewColumns(v)
			if err != nil {
				// A view that no longer binds (it cannot be read either)
				// shows no columns rather than failing every query of
				// pg_attribute, psql's \d of any table among them.
				continue
			}
			rows = append(rows, viewAttrs(v, cols)...)
		}
		for _, q := range db.Sequences(s.Name) {
			rows = append(rows, systemColumnAttrs(uint32(q.ID))...)
			for i, c := range sequenceColumns {
				a := columnAttr(uint32(q.ID), i+1, c.Name, c.Type, 0)
				a.notnull = true
				rows = append(rows, a.datums())
			}
		}
	}
	return rows, nil
}

// sequenceColumns are the columns a sequence relation reads as.
var sequenceColumns = []catalog.Column{
	{Name: "last_value", Type: catalog.TypeInt8},
	{Name: "log_cnt", Type: catalog.TypeInt8},
	{Name: "is_called", Type: catalog.TypeBool},
}

func viewAttrs(v *catalog.View, cols []catalog.Column) [][]catalog.Datum {
	rows := make([][]catalog.Datum, len(cols))
	for i, c := range cols {
		a := columnAttr(uint32(v.ID), i+1, c.Name, c.Type, c.Domain)
		// A view's column records no array dimensions.
		a.ndims = 0
		rows[i] = a.datums()
	}
	return rows
}

// systemViewColumnCache holds the columns of the system views by OID:
// their queries read only system relations, so their types never
// change.
var systemViewColumnCache sync.Map

func systemViewColumns(db Database, v *catalog.View) ([]catalog.Column, error) {
	if cols, ok := systemViewColumnCache.Load(v.ID); ok {
		return cols.([]catalog.Column), nil
	}
	cols, err := db.ViewColumns(v)
	if err != nil {
		return nil, err
	}
	systemViewColumnCache.Store(v.ID, cols)
	return cols, nil
}

// systemTablesAttrs are the columns of every system table, which never
// change: made once, and clipped so that appending copies them.
var systemTablesAttrs = sync.OnceValue(func() [][]catalog.Datum {
	var rows [][]catalog.Datum
	for _, r := range Relations() {
		if !r.view {
			rows = append(rows, systemColumnAttrs(r.OID)...)
		}
		rows = append(rows, systemTableAttrs(r)...)
	}
	return slices.Clip(rows)
})

// systemTableAttrs are the columns of system table r. Those of a bki
// catalog have the type the bki declares ("char", regproc, oidvector,
// ...), whatever type pqdb serves them as, and are NOT NULL as
// bootstrap mode marks them: a fixed-width column with only fixed-width
// columns before it.
func systemTableAttrs(r *Relation) [][]catalog.Datum {
	bki := bkiCatalogNamed(r)
	rows := make([][]catalog.Datum, len(r.Columns))
	fixedPrefix := true
	for i, c := range r.Columns {
		a := columnAttr(r.OID, i+1, c.Name, c.Type, c.Domain)
		if bki != nil {
			_, byName := builtinTypes()
			if t := byName[bki.Columns[i].Type]; t != nil {
				a.typid, a.typmod, a.props = t.OID, -1, builtinTypeProps(t.OID)
				// Bootstrap mode's rules: a varlena type with elements
				// (arrays, oidvector, int2vector) has one dimension, and
				// collatable columns of catalogs use the C collation.
				a.ndims = 0
				if t.Typelem != 0 && t.Typlen < 0 {
					a.ndims = 1
				}
				if a.props.collation != 0 {
					a.props.collation = cCollationOID
				}
			} else if rt, ok := catalogRowArrayType(bki.Columns[i].Type); ok {
				// An array of a catalog's row type (pg_statistic_ext_data.stxdexpr).
				a.typid, a.typmod, a.props, a.ndims = rt, -1, rowTypeProps, 1
			}
			fixed := a.props.length > 0 || a.typid == catalog.OIDOidvector || a.typid == catalog.OIDInt2vector
			fixedPrefix = fixedPrefix && fixed
			a.notnull = fixedPrefix
			if forced, ok := forcedNullness[r.Name+"."+c.Name]; ok {
				a.notnull = forced
			}
		}
		if r.view {
			a.ndims = 0 // a view's column records no array dimensions
		}
		if c.Collation != "" {
			a.props.collation = columnCollation(c)
		}
		rows[i] = a.datums()
	}
	return rows
}

// cCollationOID is the "C" collation.
const cCollationOID = 950

// forcedNullness are the columns of catalogs whose NOT NULL the catalog
// headers force against bootstrap mode's rule (BKI_FORCE_NOT_NULL,
// BKI_FORCE_NULL): postgres.bki's create statements carry the mark,
// which bki_gen.go leaves out.
var forcedNullness = map[string]bool{
	"pg_attrdef.adbin": true, "pg_database.datcollate": true, "pg_database.datctype": true,
	"pg_default_acl.defaclacl": true, "pg_description.description": true, "pg_extension.extversion": true,
	"pg_init_privs.initprivs": true, "pg_largeobject.data": true, "pg_parameter_acl.parname": true,
	"pg_policy.polroles": true, "pg_proc.prosrc": true, "pg_replication_origin.roname": true,
	"pg_rewrite.ev_action": true, "pg_rewrite.ev_qual": true, "pg_seclabel.label": true,
	"pg_seclabel.provider": true, "pg_shdescription.description": true, "pg_shseclabel.label": true,
	"pg_shseclabel.provider": true, "pg_statistic_ext.stxkind": true, "pg_subscription.subconninfo": true,
	"pg_subscription.subpublications": true, "pg_subscription.subsynccommit": true, "pg_trigger.tgargs": true,
	"pg_subscription_rel.srsublsn": false,
}

// bkiCatalogNamed is the bki catalog of system table r, or nil.
func bkiCatalogNamed(r *Relation) *bkiCatalog {
	if r.Schema != PgCatalog {
		return nil
	}
	for _, c := range bkiCatalogs {
		if c.Name == r.Name {
			return c
		}
	}
	return nil
}

// tableNamed is the table of tables called name, or nil.
func tableNamed(tables []*catalog.Table, name string) *catalog.Table {
	for _, t := range tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}
