package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// SystemColumns are PostgreSQL's system columns, which pg_attribute lists
// for every table, system catalog and sequence with the negative numbers
// -1 (ctid) to -6 (tableoid), and which no user column may be named after.
// pqdb keeps no per-row transaction ids or tuple addresses: of these,
// only tableoid can be selected (planner/system_columns.go).
var SystemColumns = []catalog.Column{
	{Name: "ctid", Type: catalog.TypeTid},
	{Name: "xmin", Type: catalog.TypeXid},
	{Name: "cmin", Type: catalog.TypeCid},
	{Name: "xmax", Type: catalog.TypeXid},
	{Name: "cmax", Type: catalog.TypeCid},
	{Name: "tableoid", Type: catalog.TypeOid},
}

// IsSystemColumnName reports whether name is one of SystemColumns'.
func IsSystemColumnName(name string) bool {
	for _, c := range SystemColumns {
		if c.Name == name {
			return true
		}
	}
	return false
}

// systemColumnAttrs are the pg_attribute rows of the system columns of
// relation relid, from tableoid (-6) to ctid (-1) as PostgreSQL lists
// them: NOT NULL, without statistics target or collation.
func systemColumnAttrs(relid uint32) [][]catalog.Datum {
	rows := make([][]catalog.Datum, 0, len(SystemColumns))
	for i := len(SystemColumns) - 1; i >= 0; i-- {
		c := SystemColumns[i]
		a := columnAttr(relid, -(i + 1), c.Name, c.Type, 0)
		a.props = builtinTypeProps(c.Type.OID())
		a.notnull, a.system = true, true
		rows = append(rows, a.datums())
	}
	return rows
}
