package pgcatalog

import (
	"strings"

	"github.com/pqdb/pqdb/catalog"
)

// pg_attrdef: the DEFAULT of every table column that has one. adbin
// holds the default's SQL text as pqdb keeps it, where PostgreSQL has a
// node tree: pg_get_expr prints it. An identity column's value comes
// from its sequence, not from a default, as in PostgreSQL.
var _ = makesRows("pg_attrdef", pgAttrdefRows)

func pgAttrdefRows(db Database) ([][]catalog.Datum, error) {
	var rows [][]catalog.Datum
	for _, s := range db.Schemas() {
		for _, t := range db.Tables(s.Name) {
			for i, c := range t.Columns {
				if hasAttrDef(c) {
					rows = append(rows, []catalog.Datum{AttrDefOID(t, i+1), uint32(t.ID), int16(i + 1), c.Default})
				}
			}
		}
	}
	return rows, nil
}

// hasAttrDef reports whether column c has a row in pg_attrdef
// (pg_attribute.atthasdef). PostgreSQL stores none for a DEFAULT that is
// a NULL constant (DEFAULT NULL, DEFAULT NULL::int).
func hasAttrDef(c catalog.Column) bool {
	return c.Default != "" && c.Identity == "" && !isNullDefault(c.Default)
}

// isNullDefault reports whether a stored DEFAULT text is a NULL
// constant, bare or cast to a type name.
func isNullDefault(text string) bool {
	rest, ok := strings.CutPrefix(strings.ToUpper(text), "NULL")
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	typ, ok := strings.CutPrefix(rest, "::")
	return ok && typ != "" && strings.Trim(typ, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ ") == ""
}
