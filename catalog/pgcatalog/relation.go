package pgcatalog

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
)

// The system schemas.
const (
	PgCatalog         = "pg_catalog"
	InformationSchema = "information_schema"
)

// Relation is one table of pg_catalog or information_schema.
type Relation struct {
	OID     uint32 // its pg_class OID
	RowType uint32 // its row type's pg_type OID
	// ArrayType is the OID of its row type's array type.
	ArrayType uint32
	Schema    string
	Name      string
	Columns   []catalog.Column
	// rows makes the table's rows, each a value per column, from db.
	rows  func(db Database) ([][]catalog.Datum, error)
	table *catalog.Table
	// view marks a relation PostgreSQL has as a view (information_schema's
	// and the session views), which pg_class lists so.
	view bool
}

// Table is the relation as the planner binds it.
func (r *Relation) Table() *catalog.Table { return r.table }

// Rows makes the relation's rows from db.
func (r *Relation) Rows(db Database) ([][]catalog.Datum, error) { return r.rows(db) }

// Record makes the relation's rows from db as one Arrow record of the
// columns cols.
func (r *Relation) Record(db Database, cols []int) (arrow.Record, error) {
	rows, err := r.rows(db)
	if err != nil {
		return nil, err
	}
	fields := make([]arrow.Field, len(cols))
	builders := make([]array.Builder, len(cols))
	for i, c := range cols {
		t := r.Columns[c].Type
		fields[i] = arrow.Field{Name: r.Columns[c].Name, Type: t.ArrowType(), Nullable: true}
		builders[i] = array.NewBuilder(memory.DefaultAllocator, t.ArrowType())
	}
	defer func() {
		for _, b := range builders {
			b.Release()
		}
	}()
	for _, row := range rows {
		for i, c := range cols {
			if err := catalog.AppendDatum(builders[i], row[c]); err != nil {
				return nil, fmt.Errorf("%s.%s column %s: %w", r.Schema, r.Name, r.Columns[c].Name, err)
			}
		}
	}
	arrays := make([]arrow.Array, len(cols))
	for i, b := range builders {
		arrays[i] = b.NewArray()
		defer arrays[i].Release()
	}
	return array.NewRecord(arrow.NewSchema(fields, nil), arrays, int64(len(rows))), nil
}

// relations holds every system table by schema-qualified name, built on
// first use from the bki catalogs and the tables registered in the
// package's variables (so no init order matters).
var (
	relations     map[string]*Relation
	relationsOnce sync.Once
)

// Lookup returns the system table schema.name, or nil.
func Lookup(schema, name string) *Relation {
	relationsOnce.Do(loadRelations)
	return relations[schema+"."+name]
}

// Relations lists the system tables, by OID.
func Relations() []*Relation {
	relationsOnce.Do(loadRelations)
	out := make([]*Relation, 0, len(relations))
	for _, r := range relations {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OID < out[j].OID })
	return out
}

// register adds r to the system tables.
func register(r *Relation) *Relation {
	key := r.Schema + "." + r.Name
	if relations[key] != nil {
		panic("pgcatalog: " + key + " registered twice")
	}
	r.table = &catalog.Table{ID: int64(r.OID), Schema: r.Schema, Name: r.Name, Columns: r.Columns, System: true}
	if t, ok := pgRelationTypes[key]; ok {
		r.RowType, r.ArrayType = t.RowType, t.ArrayType
	}
	relations[key] = r
	return r
}

// bkiCatalog is a system catalog as postgres.bki creates it
// (bki_gen.go): its columns by name and bki type name, and the rows
// initdb puts in it, each value as the bki writes it ("_null_" for NULL).
type bkiCatalog struct {
	Name    string
	OID     uint32
	RowType uint32
	Shared  bool
	Columns []bkiColumn
	Rows    [][]string
}

type bkiColumn struct{ Name, Type string }

// rowMaker makes the rows of a table of pg_catalog from db.
type rowMaker = func(db Database) ([][]catalog.Datum, error)

// dynamicRows are the pg_catalog tables whose rows pqdb makes from its
// own catalog, each set in its table's file by a package variable
// (var _ = makesRows("pg_class", pgClassRows)); every other table of the
// bki serves its bootstrap rows.
var dynamicRows = map[string]rowMaker{}

func makesRows(name string, f rowMaker) bool {
	dynamicRows[name] = f
	return true
}

// extraRelations are the system tables the bki does not have
// (information_schema's, and the session views of pg_catalog),
// registered by package variables.
var extraRelations []*Relation

func addsRelation(r *Relation) bool {
	extraRelations = append(extraRelations, r)
	return true
}

// extraTables are the system tables the bki does not have that
// PostgreSQL has as tables, not views (information_schema's sql_*
// tables), registered by package variables.
var extraTables []*Relation

func addsTable(r *Relation) bool {
	extraTables = append(extraTables, r)
	return true
}

func loadRelations() {
	relations = map[string]*Relation{}
	for _, r := range extraRelations {
		r.view = true
		register(r)
	}
	for _, r := range extraTables {
		register(r)
	}
	for _, c := range bkiCatalogs {
		rel := &Relation{OID: c.OID, RowType: c.RowType, Schema: PgCatalog, Name: c.Name}
		for _, col := range c.Columns {
			rel.Columns = append(rel.Columns, catalog.Column{Name: col.Name, Type: bkiType(col.Type)})
		}
		if f := dynamicRows[c.Name]; f != nil {
			rel.rows = f
		} else {
			rel.rows = staticRows(rel, c)
		}
		register(rel)
	}
}

// staticRows serves the bootstrap rows of c, decoded once.
func staticRows(rel *Relation, c *bkiCatalog) func(Database) ([][]catalog.Datum, error) {
	decode := sync.OnceValues(func() ([][]catalog.Datum, error) { return decodeBKIRows(rel, c.Columns, c.Rows) })
	return func(Database) ([][]catalog.Datum, error) { return decode() }
}

// bkiRows returns the decoded bootstrap rows of catalog name.
func bkiRows(name string) ([][]catalog.Datum, error) {
	for _, c := range bkiCatalogs {
		if c.Name == name {
			return decodeBKIRows(Lookup(PgCatalog, name), c.Columns, c.Rows)
		}
	}
	return nil, fmt.Errorf("no bootstrap catalog %s", name)
}

// decodeBKIRows turns bki values into Datums of rel's column types.
func decodeBKIRows(rel *Relation, cols []bkiColumn, rows [][]string) ([][]catalog.Datum, error) {
	out := make([][]catalog.Datum, len(rows))
	for i, row := range rows {
		out[i] = make([]catalog.Datum, len(row))
		for k, v := range row {
			d, err := decodeBKIValue(cols[k].Type, rel.Columns[k].Type, v)
			if err != nil {
				return nil, fmt.Errorf("%s.%s row %d: %w", rel.Name, cols[k].Name, i, err)
			}
			out[i][k] = d
		}
	}
	return out, nil
}

func decodeBKIValue(bkiTypeName string, t catalog.Type, v string) (catalog.Datum, error) {
	if v == "_null_" {
		return nil, nil
	}
	switch bkiTypeName {
	case "regproc":
		// "-" is the bki's spelling of no function (OID 0).
		if v == "-" {
			return uint32(0), nil
		}
	case "oidvector", "int2vector":
		// Space-separated, as their output functions print them.
		elems := strings.Fields(v)
		vals := make([]catalog.Datum, len(elems))
		for i, e := range elems {
			n, err := strconv.ParseInt(e, 10, 64)
			if err != nil {
				return nil, err
			}
			if bkiTypeName == "oidvector" {
				vals[i] = uint32(n)
			} else {
				vals[i] = int16(n)
			}
		}
		return catalog.ArrayValue(vals), nil
	}
	return catalog.ParseText(t, v)
}

// bkiType is the pqdb type of a bki column type. Types pqdb has no kind
// for (anyarray, pg_ndistinct, pg_dependencies, pg_mcv_list, the
// statistics' types) are served as text.
func bkiType(name string) catalog.Type {
	if elem, ok := strings.CutPrefix(name, "_"); ok {
		return catalog.ArrayOf(bkiType(elem))
	}
	switch name {
	case "bool":
		return catalog.TypeBool
	case "int2":
		return catalog.TypeInt2
	case "int4":
		return catalog.TypeInt4
	case "int8":
		return catalog.TypeInt8
	case "float4":
		return catalog.TypeFloat4
	case "float8":
		return catalog.TypeFloat8
	case "name":
		return catalog.TypeName
	case "char":
		return catalog.TypeChar
	case "aclitem":
		return catalog.TypeAclitem
	case "timestamptz":
		return catalog.TypeTimestampTZ
	case "bytea":
		return catalog.TypeBytea
	case "regproc":
		return catalog.TypeRegproc
	case "regprocedure":
		return catalog.TypeRegprocedure
	case "regclass":
		return catalog.TypeRegclass
	case "regtype":
		return catalog.TypeRegtype
	case "regnamespace":
		return catalog.TypeRegnamespace
	case "regrole":
		return catalog.TypeRegrole
	case "regoper":
		return catalog.TypeRegoper
	case "regoperator":
		return catalog.TypeRegoperator
	case "regconfig":
		return catalog.TypeRegconfig
	case "regdictionary":
		return catalog.TypeRegdictionary
	case "regcollation":
		return catalog.TypeRegcollation
	case "xid":
		return catalog.TypeXid
	case "cid":
		return catalog.TypeCid
	case "xid8":
		return catalog.TypeXid8
	case "tid":
		return catalog.TypeTid
	case "pg_lsn":
		return catalog.TypePgLsn
	case "pg_node_tree":
		return catalog.TypePgNodeTree
	case "oid":
		return catalog.TypeOid
	case "oidvector":
		return catalog.TypeOidVector
	case "int2vector":
		return catalog.TypeInt2Vector
	}
	return catalog.TypeText
}
