package engine

import (
	"strings"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// commentFuncs read what COMMENT ON stored: obj_description(relation
// [, 'pg_class']) and col_description(relation, column number). pqdb's
// regclass values are relation names ('t'::regclass), so the relation
// argument is text, looked up along the search path in the session's
// current transaction.
func (s *Session) commentFuncs() map[string]planner.HostFunc {
	return map[string]planner.HostFunc{
		"obj_description": {Args: []catalog.Type{catalog.TypeText, catalog.TypeText}, MinArgs: 1, Result: catalog.TypeText,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				if args[0] == nil || len(args) > 1 && args[1] != nil && args[1].(string) != "pg_class" {
					return nil, nil
				}
				return nonEmpty(s.relationComment(args[0].(string), -1)), nil
			}},
		"col_description": {Args: []catalog.Type{catalog.TypeText, catalog.TypeInt4}, MinArgs: 2, Result: catalog.TypeText,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				if args[0] == nil || args[1] == nil {
					return nil, nil
				}
				return nonEmpty(s.relationComment(args[0].(string), int(args[1].(int32)))), nil
			}},
	}
}

func nonEmpty(s string) catalog.Datum {
	if s == "" {
		return nil
	}
	return s
}

// relationComment is the comment of the named relation, or of its column
// number col (from 1) when col > 0.
func (s *Session) relationComment(name string, col int) string {
	txn := s.txn
	if txn == nil {
		txn = s.implicit
	}
	var snap *storage.Snapshot
	if txn != nil {
		snap = txn.View()
	} else {
		snap = s.eng.store.Snapshot()
	}
	schemas := searchPath(s.settings["search_path"], s.info.User)
	if schema, rel, ok := strings.Cut(name, "."); ok {
		schemas, name = []string{schema}, rel
	}
	for _, schema := range schemas {
		if t := snap.Table(schema, name); t != nil {
			if col > 0 {
				if col <= len(t.Columns) {
					return t.Columns[col-1].Comment
				}
				return ""
			}
			return t.Comment
		}
		if v := snap.View(schema, name); v != nil {
			if col > 0 {
				if col <= len(v.Columns) {
					return v.ColumnComments[v.Columns[col-1]]
				}
				return ""
			}
			return v.Comment
		}
		if q := snap.Sequence(schema, name); q != nil && col <= 0 {
			return q.Comment
		}
		if ix := snap.Index(schema, name); ix != nil && col <= 0 {
			return ix.Comment
		}
	}
	return ""
}
