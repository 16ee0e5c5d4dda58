package pgcatalog

import (
	"slices"
	"testing"

	"github.com/pqdb/pqdb/catalog"
)

// objectsDB is a Database holding one schema of objects of every kind
// the catalogs of this file describe. Methods it does not define panic
// (the embedded nil interface), so a table that needs more shows.
type objectsDB struct {
	Database
	tables    []*catalog.Table
	views     []*catalog.View
	indexes   []*catalog.Index
	sequences []*catalog.Sequence
	types     []*catalog.UserType
}

func (d *objectsDB) DatabaseName() string  { return "db" }
func (d *objectsDB) UserName() string      { return "postgres" }
func (d *objectsDB) BootstrapUser() string { return "postgres" }
func (d *objectsDB) Schemas() []Schema {
	return []Schema{{Name: "public", OID: PublicOID}, {Name: "s", OID: 16384, Comment: "schema s"}}
}
func (d *objectsDB) Tables(schema string) []*catalog.Table  { return inSchema(d.tables, schema) }
func (d *objectsDB) Views(schema string) []*catalog.View    { return inSchema(d.views, schema) }
func (d *objectsDB) Indexes(schema string) []*catalog.Index { return inSchema(d.indexes, schema) }
func (d *objectsDB) Sequences(schema string) []*catalog.Sequence {
	return inSchema(d.sequences, schema)
}
func (d *objectsDB) UserTypes(schema string) []*catalog.UserType { return inSchema(d.types, schema) }
func (d *objectsDB) Roles() []*catalog.Role                      { return nil }
func (d *objectsDB) ImplementsFunction(name string) bool         { return name == "lower" || name == "sum" }
func (d *objectsDB) ExprColumns(expr string) []string            { return []string{"price"} }
func (d *objectsDB) DeparseDefault(t *catalog.Table, col int) string {
	return t.Columns[col].Default
}
func (d *objectsDB) DeparseCheck(c *Constraint) string  { return "(" + c.Check + ")" }
func (d *objectsDB) DeparseView(v *catalog.View) string { return v.SQL }
func (d *objectsDB) ViewColumns(v *catalog.View) ([]catalog.Column, error) {
	if v.Schema != "public" {
		// A system view.
		return []catalog.Column{{Name: "x", Type: catalog.TypeName}}, nil
	}
	return []catalog.Column{{Name: "id", Type: catalog.TypeInt4}, {Name: "code", Type: catalog.VarcharType(20)}}, nil
}

func inSchema[T interface{ *E }, E any](all []T, schema string) []T {
	var out []T
	for _, o := range all {
		var s string
		switch o := any(o).(type) {
		case *catalog.Table:
			s = o.Schema
		case *catalog.View:
			s = o.Schema
		case *catalog.Index:
			s = o.Schema
		case *catalog.Sequence:
			s = o.Schema
		case *catalog.UserType:
			s = o.Schema
		}
		if s == schema {
			out = append(out, o)
		}
	}
	return out
}

func newObjectsDB() *objectsDB {
	mood := &catalog.UserType{ID: 16400, Schema: "public", Name: "mood",
		Labels: []catalog.EnumLabel{{OID: 16402, Label: "sad", SortOrder: 1}, {OID: 16403, Label: "ok", SortOrder: 2}}}
	posint := &catalog.UserType{ID: 16404, Schema: "public", Name: "posint",
		Domain: &catalog.Domain{Base: catalog.TypeInt4, NotNull: true, Checks: []catalog.Check{{Name: "posint_check", Expr: "VALUE > 0"}}}}
	parent := &catalog.Table{ID: 16410, Schema: "public", Name: "parent", PrimaryKey: []int{0}, Comment: "the parent",
		Columns: []catalog.Column{
			{Name: "id", Type: catalog.TypeInt4, NotNull: true, Default: "nextval('parent_id_seq'::regclass)"},
			{Name: "code", Type: catalog.VarcharType(20), NotNull: true, Comment: "the code"},
			{Name: "price", Type: catalog.NumericType(10, 2), Default: "1.5"},
			{Name: "m", Type: mood.Type()},
			{Name: "tags", Type: catalog.ArrayOf(catalog.TypeInt4)},
			{Name: "qty", Type: catalog.TypeInt4, Domain: posint.ID},
		},
		Checks: []catalog.Check{{Name: "parent_price_check", Expr: "price > 0"}}}
	child := &catalog.Table{ID: 16420, Schema: "public", Name: "child", PrimaryKey: []int{0},
		Columns: []catalog.Column{
			{Name: "cid", Type: catalog.TypeInt4, NotNull: true, Identity: "a", Default: "nextval('child_cid_seq'::regclass)"},
			{Name: "pid", Type: catalog.TypeInt4},
		},
		ForeignKeys: []catalog.ForeignKey{{Name: "child_pid_fkey", Columns: []string{"pid"}, RefSchema: "public",
			RefTable: "parent", RefColumns: []string{"id"}, OnDelete: 'c', OnUpdate: 'a'}}}
	return &objectsDB{
		tables: []*catalog.Table{parent, child},
		views:  []*catalog.View{{ID: 16430, Schema: "public", Name: "v", SQL: "SELECT id, code FROM parent", Columns: []string{"id", "code"}, Comment: "a view"}},
		indexes: []*catalog.Index{
			{ID: 16440, Schema: "public", Name: "parent_code_key", Table: "parent", Columns: []string{"code"}, Unique: true, Constraint: true},
			{ID: 16441, Schema: "public", Name: "child_pid_idx", Table: "child", Columns: []string{"pid"}, Comment: "an index"},
		},
		sequences: []*catalog.Sequence{
			{ID: 16450, Schema: "public", Name: "parent_id_seq", Type: catalog.TypeInt4, Start: 1, Increment: 1, Min: 1, Max: 2147483647, Cache: 1, OwnedTable: "parent", OwnedColumn: "id"},
			{ID: 16451, Schema: "public", Name: "child_cid_seq", Type: catalog.TypeInt4, Start: 1, Increment: 1, Min: 1, Max: 2147483647, Cache: 1, OwnedTable: "child", OwnedColumn: "cid"},
		},
		types: []*catalog.UserType{mood, posint},
	}
}

// TestObjectCatalogsMakeRecords builds every catalog of this family from
// one database: each value must be of its column's type.
func TestObjectCatalogsMakeRecords(t *testing.T) {
	db := newObjectsDB()
	for _, name := range []string{"pg_attribute", "pg_type", "pg_index", "pg_constraint", "pg_attrdef", "pg_description",
		"pg_depend", "pg_sequence", "pg_enum", "pg_database", "pg_proc", "pg_aggregate", "pg_inherits", "pg_partitioned_table"} {
		r := Lookup(PgCatalog, name)
		cols := make([]int, len(r.Columns))
		for i := range cols {
			cols[i] = i
		}
		rec, err := r.Record(db, cols)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rec.Release()
	}
}

// TestBootstrapCatalogsDecode serves every catalog whose rows are the
// bki's as they are: each bki value must read as its column's type
// ("-" in a regproc column is OID 0).
func TestBootstrapCatalogsDecode(t *testing.T) {
	for _, c := range bkiCatalogs {
		if dynamicRows[c.Name] != nil {
			continue
		}
		r := Lookup(PgCatalog, c.Name)
		rec, err := r.Record(nil, []int{0})
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		rec.Release()
	}
}

// rowsWhere are the rows of catalog name whose column col is v.
func rowsWhere(t *testing.T, db Database, name, col string, v catalog.Datum) [][]catalog.Datum {
	t.Helper()
	r, rows, err := CatalogRows(db, name)
	if err != nil {
		t.Fatal(err)
	}
	k := r.Column(col)
	var out [][]catalog.Datum
	for _, row := range rows {
		if row[k] == v {
			out = append(out, row)
		}
	}
	return out
}

func TestAttributesOfUserRelations(t *testing.T) {
	db := newObjectsDB()
	attrs := rowsWhere(t, db, "pg_attribute", "attrelid", uint32(16410))
	if len(attrs) != 12 {
		t.Fatalf("parent has %d attributes", len(attrs))
	}
	// The system columns come first, tableoid (-6) to ctid (-1).
	for i, name := range []string{"tableoid", "cmax", "xmax", "cmin", "xmin", "ctid"} {
		if attrs[i][1] != name || attrs[i][5] != int16(i-6) || attrs[i][3] != int32(0) || attrs[i][13] != true {
			t.Errorf("system column %d: %v", i-6, attrs[i])
		}
	}
	attrs = attrs[6:]
	// attname, atttypid, attlen, attnum, attndims, atttypmod, attbyval,
	// attalign, attstorage, attnotnull, atthasdef, attcollation
	pick := func(row []catalog.Datum) []catalog.Datum {
		return []catalog.Datum{row[1], row[2], row[4], row[5], row[6], row[8], row[9], row[10], row[11], row[13], row[14], row[21]}
	}
	want := [][]catalog.Datum{
		{"id", uint32(23), int16(4), int16(1), int32(0), int32(-1), true, "i", "p", true, true, uint32(0)},
		{"code", uint32(1043), int16(-1), int16(2), int32(0), int32(24), false, "i", "x", true, false, uint32(100)},
		{"price", uint32(1700), int16(-1), int16(3), int32(0), int32(655366), false, "i", "m", false, true, uint32(0)},
		{"m", uint32(16400), int16(4), int16(4), int32(0), int32(-1), true, "i", "p", false, false, uint32(0)},
		{"tags", uint32(1007), int16(-1), int16(5), int32(1), int32(-1), false, "i", "x", false, false, uint32(0)},
		{"qty", uint32(16404), int16(4), int16(6), int32(0), int32(-1), true, "i", "p", false, false, uint32(0)},
	}
	for i, row := range attrs {
		if got := pick(row); !slices.Equal(got, want[i]) {
			t.Errorf("attribute %d: got %v, want %v", i+1, got, want[i])
		}
	}
	child := rowsWhere(t, db, "pg_attribute", "attrelid", uint32(16420)) // its six system columns first
	if child[6][16] != "a" || child[6][14] != false {
		t.Errorf("identity column: attidentity %v atthasdef %v", child[6][16], child[6][14])
	}
	if n := len(rowsWhere(t, db, "pg_attribute", "attrelid", uint32(16430))); n != 2 {
		t.Errorf("view has %d attributes", n)
	}
	if n := len(rowsWhere(t, db, "pg_attribute", "attrelid", uint32(16450))); n != 3+6 {
		t.Errorf("sequence has %d attributes", n)
	}
	if n := len(rowsWhere(t, db, "pg_attribute", "attrelid", PrimaryKeyIndexOID(db.tables[0]))); n != 1 {
		t.Errorf("primary key index has %d attributes", n)
	}
	// pg_class's relkind is "char", served as text but declared "char".
	for _, row := range rowsWhere(t, db, "pg_attribute", "attrelid", uint32(1259)) {
		if row[1] == "relkind" && (row[2] != uint32(catalog.OIDChar) || row[13] != true) {
			t.Errorf("pg_class.relkind: atttypid %v attnotnull %v", row[2], row[13])
		}
		if row[1] == "relacl" && row[13] != false {
			t.Errorf("pg_class.relacl is NOT NULL")
		}
	}
}

func TestTypesOfUserObjects(t *testing.T) {
	db := newObjectsDB()
	mood := rowsWhere(t, db, "pg_type", "typname", "mood")
	if len(mood) != 1 || mood[0][6] != "e" || mood[0][14] != uint32(16401) {
		t.Fatalf("mood: %v", mood)
	}
	arr := rowsWhere(t, db, "pg_type", "oid", uint32(16401))
	if len(arr) != 1 || arr[0][1] != "_mood" || arr[0][13] != uint32(16400) || arr[0][15] != procOID("array_in") {
		t.Fatalf("_mood: %v", arr)
	}
	posint := rowsWhere(t, db, "pg_type", "typname", "posint")
	if len(posint) != 1 || posint[0][6] != "d" || posint[0][25] != uint32(23) || posint[0][24] != true {
		t.Fatalf("posint: %v", posint)
	}
	parent := rowsWhere(t, db, "pg_type", "typrelid", uint32(16410))
	if len(parent) != 1 || parent[0][1] != "parent" || parent[0][6] != "c" || parent[0][0] != RowTypeOID(db.tables[0]) {
		t.Fatalf("parent's row type: %v", parent)
	}
	if n := len(rowsWhere(t, db, "pg_type", "typrelid", uint32(16430))); n != 1 {
		t.Errorf("view has %d row types", n)
	}
	if n := len(rowsWhere(t, db, "pg_type", "oid", uint32(1248))); n != 1 {
		t.Errorf("pg_database's row type listed %d times", n)
	}
	if n := len(rowsWhere(t, db, "pg_type", "typname", "int4")); n != 1 {
		t.Errorf("int4 listed %d times", n)
	}
}

func TestConstraintsAndIndexes(t *testing.T) {
	db := newObjectsDB()
	got := map[string]string{}
	for _, c := range Constraints(db) {
		got[c.Name] = string(c.Kind)
	}
	want := map[string]string{"parent_pkey": "p", "parent_code_key": "u", "parent_price_check": "c", "child_pkey": "p",
		"child_pid_fkey": "f", "posint_check": "c",
		// information_schema's domains' checks
		"cardinal_number_domain_check": "c", "yes_or_no_check": "c"}
	if len(got) != len(want) {
		t.Errorf("constraints %v, want %v", got, want)
	}
	for n, k := range want {
		if got[n] != k {
			t.Errorf("constraint %s: kind %q, want %q", n, got[n], k)
		}
	}
	fk := ConstraintByOID(db, ForeignKeyOID(db.tables[1], 0))
	if fk == nil || fk.RefTable != db.tables[0] || !slices.Equal(fk.RefColumns, []int{1}) || fk.Index != PrimaryKeyIndexOID(db.tables[0]) {
		t.Fatalf("foreign key: %+v", fk)
	}
	row := fk.datums()
	if row[12] != "a" || row[13] != "c" || row[14] != "s" || !slices.Equal(row[20].(catalog.ArrayValue), catalog.ArrayValue{uint32(96)}) {
		t.Errorf("foreign key row: %v", row)
	}
	check := ConstraintByOID(db, CheckOID(db.tables[0], 0))
	if check == nil || check.Check != "price > 0" || !slices.Equal(check.Columns, []int{3}) {
		t.Errorf("check: %+v", check)
	}
	idx := rowsWhere(t, db, "pg_index", "indexrelid", uint32(16440))
	if len(idx) != 1 || idx[0][4] != true || idx[0][6] != false ||
		!slices.Equal(idx[0][15].(catalog.ArrayValue), catalog.ArrayValue{int16(2)}) ||
		!slices.Equal(idx[0][17].(catalog.ArrayValue), catalog.ArrayValue{uint32(3126)}) {
		t.Errorf("unique index: %v", idx)
	}
	pk := rowsWhere(t, db, "pg_index", "indexrelid", PrimaryKeyIndexOID(db.tables[0]))
	if len(pk) != 1 || pk[0][6] != true || !slices.Equal(pk[0][17].(catalog.ArrayValue), catalog.ArrayValue{uint32(1978)}) {
		t.Errorf("primary key index: %v", pk)
	}
}

func TestDependenciesOfSequences(t *testing.T) {
	db := newObjectsDB()
	kinds := map[uint32]string{}
	for _, row := range rowsWhere(t, db, "pg_depend", "classid", uint32(pgClassClassOID)) {
		if row[3] == uint32(pgClassClassOID) && (row[1] == uint32(16450) || row[1] == uint32(16451)) {
			kinds[row[1].(uint32)] = row[6].(string) + string(rune('0'+row[5].(int32)))
		}
	}
	if kinds[16450] != "a1" || kinds[16451] != "i1" {
		t.Errorf("sequence dependencies: %v", kinds)
	}
}

func TestDescriptionsAndFunctions(t *testing.T) {
	db := newObjectsDB()
	descs := map[[2]any]string{}
	for _, row := range rowsWhere(t, db, "pg_description", "classoid", uint32(pgClassClassOID)) {
		descs[[2]any{row[0], row[2]}] = row[3].(string)
	}
	if descs[[2]any{uint32(16410), int32(0)}] != "the parent" || descs[[2]any{uint32(16410), int32(2)}] != "the code" ||
		descs[[2]any{uint32(16430), int32(0)}] != "a view" || descs[[2]any{uint32(16441), int32(0)}] != "an index" {
		t.Errorf("descriptions: %v", descs)
	}
	if n := len(rowsWhere(t, db, "pg_description", "objoid", uint32(16384))); n != 1 {
		t.Errorf("schema comment listed %d times", n)
	}
	_, procs, _ := CatalogRows(db, "pg_proc")
	listed := map[catalog.Datum]bool{}
	for _, p := range procs {
		listed[p[1]] = true
	}
	// Implemented functions and the types' support functions, nothing
	// else.
	if !listed["lower"] || !listed["sum"] || !listed["array_in"] || !listed["int4recv"] || listed["upper"] {
		t.Errorf("pg_proc lists lower %v, sum %v, array_in %v, int4recv %v, upper %v",
			listed["lower"], listed["sum"], listed["array_in"], listed["int4recv"], listed["upper"])
	}
	_, aggs, _ := CatalogRows(db, "pg_aggregate")
	if len(aggs) == 0 || len(aggs) != len(rowsWhere(t, db, "pg_proc", "prokind", "a")) {
		t.Errorf("%d aggregates", len(aggs))
	}
}
