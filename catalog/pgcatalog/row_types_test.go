package pgcatalog

import "testing"

// TestEverySystemRelationOfPostgreSQL: pqdb has every table and view of
// PostgreSQL 15's pg_catalog and information_schema, with PostgreSQL's
// OID, and its row type and the row type's array type with theirs.
func TestEverySystemRelationOfPostgreSQL(t *testing.T) {
	have := map[string]relationTypes{}
	for _, r := range Relations() {
		have[r.Schema+"."+r.Name] = relationTypes{r.OID, r.RowType, r.ArrayType}
	}
	for _, v := range Views() {
		have[v.Schema+"."+v.Name] = relationTypes{uint32(v.ID), SystemViewTypes(v).RowType, SystemViewTypes(v).ArrayType}
	}
	for name, want := range pgRelationTypes {
		if got, ok := have[name]; !ok {
			t.Errorf("%s is missing", name)
		} else if got != want {
			t.Errorf("%s: OIDs %+v, PostgreSQL's %+v", name, got, want)
		}
	}
	for name := range have {
		if _, ok := pgRelationTypes[name]; !ok {
			t.Errorf("%s is not one of PostgreSQL 15's", name)
		}
	}
}

// TestSystemRowTypes: pg_type has the row type of every system relation
// and its array type, once each.
func TestSystemRowTypes(t *testing.T) {
	db := newObjectsDB()
	for _, name := range []string{"pg_aggregate", "_pg_aggregate", "pg_class", "_pg_class", "pg_tables", "_pg_tables", "sql_features", "_cardinal_number", "yes_or_no"} {
		if n := len(rowsWhere(t, db, "pg_type", "typname", name)); n != 1 {
			t.Errorf("%s listed %d times", name, n)
		}
	}
}
