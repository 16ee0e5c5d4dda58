package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/storage"
)

// FileAccess opens server-side files for read_parquet and COPY ...
// (FORMAT parquet) FROM a file. The engine implements it and decides
// which paths a session may read (--allow-files).
type FileAccess interface {
	// ParquetFiles resolves paths, each a file or a glob, and describes
	// the Parquet files they name, as the relation called name.
	ParquetFiles(name string, paths []string) (*storage.ParquetFiles, error)
}

// readParquetFunc is the table function that reads Parquet files.
const readParquetFunc = "read_parquet"

// isTableFunc reports whether rf is a call of the table function name on
// its own (not in ROWS FROM, not WITH ORDINALITY): read_parquet,
// pqdb_history and pqdb_as_of bind as scans.
func isTableFunc(rf *pg_query.RangeFunction, name string) bool {
	if len(rf.Functions) != 1 || rf.IsRowsfrom || rf.Ordinality {
		return false
	}
	fc := rf.Functions[0].GetList().GetItems()[0].GetFuncCall()
	return fc != nil && len(fc.Funcname) == 1 && funcName(fc) == name
}

// bindReadParquet binds read_parquet('path or glob') or
// read_parquet(ARRAY['a', 'b']) in FROM as a scan of the files, so that
// projections and filters are pushed into it as into a table scan.
func (b *binder) bindReadParquet(rf *pg_query.RangeFunction) (Node, []scopeCol, error) {
	fc := rf.Functions[0].GetList().GetItems()[0].GetFuncCall()
	if len(rf.Coldeflist) > 0 {
		return nil, nil, b.errColumnDefinitionNotAllowed(rf.Coldeflist)
	}
	if len(fc.Args) != 1 {
		return nil, nil, b.errAt(pgerr.UndefinedFunction, fc.Location, "function read_parquet takes one argument: a path, a glob or an array of them")
	}
	paths, ok := constantStrings(fc.Args[0])
	if !ok || len(paths) == 0 {
		return nil, nil, b.errAt(pgerr.FeatureNotSupported, fc.Location, "read_parquet needs a constant path, glob or array of them")
	}
	files, err := b.parquetFiles(readParquetFunc, paths)
	if err != nil {
		return nil, nil, err
	}
	alias := readParquetFunc
	if rf.Alias != nil {
		alias = rf.Alias.Aliasname
	}
	scan := &Scan{Table: files.Table, Alias: alias, Files: files}
	cols := make([]scopeCol, len(files.Table.Columns))
	for i, c := range files.Table.Columns {
		scan.Cols = append(scan.Cols, i)
		cols[i] = scopeCol{table: alias, name: c.Name, t: c.Type}
	}
	if err := applyColumnAliases(cols, rf.Alias); err != nil {
		return nil, nil, err
	}
	return scan, cols, nil
}

// parquetFiles opens Parquet files through the engine's FileAccess.
func (b *binder) parquetFiles(name string, paths []string) (*storage.ParquetFiles, error) {
	if b.opts.Files == nil {
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied: server-side file access is not enabled")
	}
	return b.opts.Files.ParquetFiles(name, paths)
}

// constantStrings reads a string literal or an ARRAY[...] of them.
func constantStrings(n *pg_query.Node) ([]string, bool) {
	if tc := n.GetTypeCast(); tc != nil {
		n = tc.Arg
	}
	if c := n.GetAConst(); c != nil {
		s, ok := c.Val.(*pg_query.A_Const_Sval)
		if !ok {
			return nil, false
		}
		return []string{s.Sval.Sval}, true
	}
	arr := n.GetAArrayExpr()
	if arr == nil {
		return nil, false
	}
	var out []string
	for _, e := range arr.Elements {
		s, ok := constantStrings(e)
		if !ok || len(s) != 1 {
			return nil, false
		}
		out = append(out, s[0])
	}
	return out, true
}
