package planner

import (
	"path/filepath"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// checkCopyFile refuses a relative file name, as PostgreSQL does for
// COPY TO (PostgreSQL reads a relative COPY FROM name in its data
// directory, which pqdb does not expose: both directions need an absolute
// path).
func checkCopyFile(s *pg_query.CopyStmt) error {
	if s.Filename == "" || filepath.IsAbs(s.Filename) {
		return nil
	}
	dir := "to"
	if s.IsFrom {
		dir = "from"
	}
	return pgerr.New(pgerr.InvalidName, "relative path not allowed for COPY %s file", dir)
}

// copyParquet reports whether a COPY says FORMAT parquet, DuckDB's
// syntax for reading or writing a Parquet file. Such a COPY needs a file
// and takes no option of the text formats.
func copyParquet(s *pg_query.CopyStmt) (bool, error) {
	parquet := false
	for _, o := range s.Options {
		d := o.GetDefElem()
		if d.Defname == "format" && strings.EqualFold(defElemString(d), "parquet") {
			parquet = true
		}
	}
	if !parquet {
		return false, nil
	}
	for _, o := range s.Options {
		d := o.GetDefElem()
		if d.Defname != "format" && (d.Defname != "freeze" || !s.IsFrom) {
			return false, pgerr.Unsupported("COPY option \"%s\" is not supported with FORMAT parquet", d.Defname)
		}
	}
	if s.Filename == "" {
		dir := "TO"
		if s.IsFrom {
			dir = "FROM"
		}
		return false, pgerr.Unsupported("COPY with FORMAT parquet needs a server-side file: COPY ... %s '/path/file.parquet'", dir)
	}
	return true, nil
}

// bindCopyFromParquet binds COPY t (cols) FROM 'file.parquet' (FORMAT
// parquet) as INSERT INTO t (cols) SELECT <the file's columns> FROM
// read_parquet('file.parquet'): each target column reads the file column
// of its name (exactly, else the one that matches ignoring case) under
// the INSERT's assignment casts, and the columns COPY leaves out get
// their defaults, as COPY FROM gives them. Identity columns take the
// file's values, as COPY's do.
func (b *binder) bindCopyFromParquet(s *pg_query.CopyStmt, t *catalog.Table, cols []int) (*InsertPlan, error) {
	files, err := b.parquetFiles("COPY", []string{s.Filename})
	if err != nil {
		return nil, err
	}
	var targets, exprs []*pg_query.Node
	for _, c := range cols {
		name := t.Columns[c].Name
		src, ok := fileColumn(files.Table, name)
		if !ok {
			e := pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" is not in Parquet file \"%s\"", name, t.Name, s.Filename)
			e.Hint = "COPY FROM a Parquet file matches the table's columns, or those of its column list, to the file's columns by name."
			return nil, e
		}
		targets = append(targets, pg_query.MakeResTargetNodeWithName(name, -1))
		ref := pg_query.MakeColumnRefNode([]*pg_query.Node{pg_query.MakeStrNode(src)}, -1)
		exprs = append(exprs, pg_query.MakeResTargetNodeWithVal(ref, -1))
	}
	call := pg_query.MakeFuncCallNode([]*pg_query.Node{pg_query.MakeStrNode(readParquetFunc)}, []*pg_query.Node{pg_query.MakeAConstStrNode(s.Filename, -1)}, -1)
	from := pg_query.MakeSimpleRangeFunctionNode([]*pg_query.Node{pg_query.MakeListNode([]*pg_query.Node{call})})
	sel := &pg_query.SelectStmt{TargetList: exprs, FromClause: []*pg_query.Node{from}, Op: pg_query.SetOperation_SETOP_NONE, LimitOption: pg_query.LimitOption_LIMIT_OPTION_DEFAULT}
	ins := &pg_query.InsertStmt{
		Relation:   s.Relation,
		Cols:       targets,
		SelectStmt: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: sel}},
		Override:   pg_query.OverridingKind_OVERRIDING_SYSTEM_VALUE,
	}
	plan, err := b.bindInsert(ins)
	if err != nil {
		return nil, err
	}
	ip, ok := plan.(*InsertPlan)
	if !ok {
		return nil, pgerr.New(pgerr.InternalError, "COPY FROM a Parquet file bound to %T", plan)
	}
	return ip, nil
}

// fileColumn finds the file column that feeds a table column of the
// given name: the one of that name, else the only one equal to it
// ignoring case.
func fileColumn(t *catalog.Table, name string) (string, bool) {
	if t.ColumnIndex(name) >= 0 {
		return name, true
	}
	found := ""
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			if found != "" {
				return "", false
			}
			found = c.Name
		}
	}
	return found, found != ""
}
