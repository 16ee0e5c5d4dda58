package tpch

import (
	"fmt"
	"path/filepath"
)

// Table is one of the eight TPC-H tables: its name, its DDL on a server, the
// Parquet file that holds its generated rows, and how those rows are copied
// into a server. The row type differs per table, so the generic parts live in
// tableDef and callers see only this interface.
type Table interface {
	// Name is the SQL name of the table (and the stem of its file name).
	Name() string
	// Columns names the columns in table order, as COPY sends them.
	Columns() []string
	// CreateSQL is the CREATE TABLE statement with the TPC-H column types.
	CreateSQL() string
	// copyRows opens a Parquet file of this table for a loader.
	copyRows(path string) (copyRows, error)
}

// tableDef is a Table whose rows are the Go type T, stored in Parquet through
// T's struct tags.
type tableDef[T any] struct {
	name    string
	columns []string
	create  string
	// values writes one row's COPY values into v, taking reusable numeric and
	// date holders from s.
	values func(row *T, s *copyScratch, v []any)
}

func (t *tableDef[T]) Name() string      { return t.name }
func (t *tableDef[T]) Columns() []string { return t.columns }
func (t *tableDef[T]) CreateSQL() string { return t.create }

func (t *tableDef[T]) copyRows(path string) (copyRows, error) {
	r, err := OpenParquet[T](path)
	if err != nil {
		return nil, err
	}
	return newRowStream(r, t), nil
}

// Tables lists the eight tables in the order they are loaded: the small
// dimension tables first, so a load that fails on lineitem has shown the rest
// work.
var Tables = []Table{RegionTable, NationTable, SupplierTable, PartTable, PartSuppTable, CustomerTable, OrdersTable, LineItemTable}

// TableByName finds one of Tables.
func TableByName(name string) (Table, bool) {
	for _, t := range Tables {
		if t.Name() == name {
			return t, true
		}
	}
	return nil, false
}

// TableFile is the conventional name of a table's generated file for a scale
// factor, e.g. lineitem-sf1.parquet.
func TableFile(dir, table string, scaleFactor int64) string {
	return filepath.Join(dir, fmt.Sprintf("%s-sf%d.parquet", table, scaleFactor))
}
