package engine

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/planner"
)

// statFuncs are the statistics functions of PostgreSQL's cumulative
// statistics system that clients call directly rather than through the
// pg_stat_* views (DBeaver lists each index with
// pg_stat_get_numscans(indexrelid)). pqdb counts no scans, as its
// pg_stat_* views say: they report zero.
func (s *Session) statFuncs() map[string]planner.HostFunc {
	return map[string]planner.HostFunc{
		"pg_stat_get_numscans": {Args: []catalog.Type{catalog.TypeOid}, MinArgs: 1, Result: catalog.TypeInt8,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				if args[0] == nil {
					return nil, nil
				}
				return int64(0), nil
			}},
	}
}
