package tpch

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// DuckDB is the reference engine: an in-memory DuckDB whose tables are views
// over the Parquet files.
type DuckDB struct {
	db *sql.DB
}

// OpenDuckDB starts an in-memory DuckDB and defines one view per table over
// its Parquet file (files maps table names to paths).
func OpenDuckDB(ctx context.Context, files map[string]string) (*DuckDB, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	// One connection: the views live in the in-memory catalog shared by all
	// connections anyway, but a single session keeps the measurements serial.
	db.SetMaxOpenConns(1)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		view := fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet('%s')",
			name, strings.ReplaceAll(files[name], "'", "''"))
		if _, err := db.ExecContext(ctx, view); err != nil {
			db.Close()
			return nil, fmt.Errorf("duckdb: %w", err)
		}
	}
	return &DuckDB{db: db}, nil
}

// Version reports the DuckDB library version.
func (d *DuckDB) Version(ctx context.Context) (string, error) {
	var v string
	err := d.db.QueryRowContext(ctx, "SELECT version()").Scan(&v)
	return v, err
}

// Exec runs a statement that returns no rows (a CREATE TABLE, a COPY).
func (d *DuckDB) Exec(ctx context.Context, sql string) error {
	if _, err := d.db.ExecContext(ctx, sql); err != nil {
		return fmt.Errorf("duckdb: %w", err)
	}
	return nil
}

// Count returns the number of rows DuckDB sees in a table.
func (d *DuckDB) Count(ctx context.Context, table string) (int64, error) {
	var n int64
	err := d.db.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n)
	return n, err
}

// Run executes q, reads its whole answer and returns it with the wall time.
func (d *DuckDB) Run(ctx context.Context, q Query) (Result, time.Duration, error) {
	start := time.Now()
	rows, err := d.db.QueryContext(ctx, q.SQL)
	if err != nil {
		return Result{}, 0, fmt.Errorf("duckdb %s: %w", q.Name, err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return Result{}, 0, err
	}
	var res Result
	for _, t := range types {
		name := t.DatabaseTypeName()
		res.Columns = append(res.Columns, Column{
			Name:        t.Name(),
			Type:        name,
			Approximate: name == "DOUBLE" || name == "FLOAT",
		})
	}
	cells := make([]any, len(types))
	ptrs := make([]any, len(types))
	for i := range cells {
		ptrs[i] = &cells[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return Result{}, 0, err
		}
		row := make([]Value, len(cells))
		for i, c := range cells {
			if row[i], err = duckValue(c); err != nil {
				return Result{}, 0, fmt.Errorf("duckdb %s column %s: %w", q.Name, res.Columns[i].Name, err)
			}
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return Result{}, 0, err
	}
	return res, time.Since(start), nil
}

// duckValue renders a scanned DuckDB value as exact text.
func duckValue(v any) (Value, error) {
	switch x := v.(type) {
	case nil:
		return Value{Null: true}, nil
	case duckdb.Decimal:
		return Value{Text: formatScaled(x.Value, int(x.Scale))}, nil
	case *big.Int:
		return Value{Text: x.String()}, nil
	case int64:
		return Value{Text: strconv.FormatInt(x, 10)}, nil
	case int32:
		return Value{Text: strconv.FormatInt(int64(x), 10)}, nil
	case float64:
		return Value{Text: strconv.FormatFloat(x, 'f', -1, 64)}, nil
	case string:
		return Value{Text: x}, nil
	case time.Time:
		// DATE arrives as midnight UTC; PostgreSQL writes it in ISO style.
		return Value{Text: x.Format("2006-01-02")}, nil
	default:
		return Value{}, fmt.Errorf("unexpected DuckDB value type %T", v)
	}
}

// Close shuts DuckDB down.
func (d *DuckDB) Close() error { return d.db.Close() }

// CountParquetRows counts the rows DuckDB reads from a list of Parquet files,
// which proves that another engine's files are standard Parquet.
func (d *DuckDB) CountParquetRows(ctx context.Context, files []string) (int64, error) {
	if len(files) == 0 {
		return 0, fmt.Errorf("duckdb: no Parquet files to read")
	}
	quoted := make([]string, len(files))
	for i, f := range files {
		quoted[i] = "'" + strings.ReplaceAll(f, "'", "''") + "'"
	}
	var n int64
	err := d.db.QueryRowContext(ctx, "SELECT count(*) FROM read_parquet(["+strings.Join(quoted, ", ")+"])").Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("duckdb: %w", err)
	}
	return n, nil
}
