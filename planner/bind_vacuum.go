package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// VacuumPlan is VACUUM [(options)] [table [(columns)], ...] and
// ANALYZE [(options)] [table [(columns)], ...].
//
// What pqdb does for them (engine/vacuum.go): VACUUM folds the tables'
// unflushed tails, deletions included, into Parquet segments and
// deletion vectors, then compacts their segments (storage's compact.go):
// small and delete-heavy segments are merged into large ones holding only
// live rows, which reclaims dead row versions; VACUUM FULL rewrites every
// segment; VERBOSE reports what each table's compaction did. The
// planner's estimates come from the statistics every segment carries
// from its writing (row counts, bounds, NULL counts and distinct-value
// sketches; storage's estimate.go), kept up to date by every flush, so
// ANALYZE gathers only what segments written before sketches existed
// lack: it flushes the tables' tails and sketches those segments
// (storage's analyze.go). A column list names columns that must exist;
// every column is analyzed.
type VacuumPlan struct {
	// Vacuum is false for ANALYZE, which may run in a transaction block.
	Vacuum bool
	// Analyze is set for ANALYZE and VACUUM (ANALYZE).
	Analyze bool
	// Tables are the tables named; AllTables is set when none was
	// named, which means every table (a statement naming only views has
	// neither).
	Tables    []*catalog.Table
	AllTables bool
	// Full (VACUUM FULL) rewrites every segment; Verbose reports each
	// table's compaction in INFO messages.
	Full, Verbose bool
}

// Tag is the command tag: VACUUM for every VACUUM, ANALYZE for ANALYZE.
func (p *VacuumPlan) Tag() string {
	if p.Vacuum {
		return "VACUUM"
	}
	return "ANALYZE"
}

func (*VacuumPlan) planKind() string { return "vacuum" }

// vacuumOptionsUnsupported are the VACUUM options PostgreSQL 15 knows
// whose effect pqdb cannot give: they are refused rather than ignored.
// They steer heap and index page processing, which pqdb does not have.
var vacuumOptionsUnsupported = map[string]bool{
	"disable_page_skipping": true, "index_cleanup": true,
	"process_toast": true, "truncate": true, "parallel": true,
}

func (b *binder) bindVacuum(s *pg_query.VacuumStmt) (Plan, error) {
	p := &VacuumPlan{Vacuum: s.IsVacuumcmd, Analyze: !s.IsVacuumcmd, AllTables: len(s.Rels) == 0}
	cmd := "VACUUM"
	if !s.IsVacuumcmd {
		cmd = "ANALYZE"
	}
	for _, o := range s.Options {
		d := o.GetDefElem()
		switch d.Defname {
		case "analyze", "freeze", "skip_locked", "verbose", "full":
		default:
			if !s.IsVacuumcmd {
				return nil, b.errAt(pgerr.SyntaxError, d.Location, "unrecognized ANALYZE option \"%s\"", d.Defname)
			}
			if !vacuumOptionsUnsupported[d.Defname] {
				return nil, b.errAt(pgerr.SyntaxError, d.Location, "unrecognized VACUUM option \"%s\"", d.Defname)
			}
		}
		if !s.IsVacuumcmd && (d.Defname == "analyze" || d.Defname == "freeze" || d.Defname == "full") {
			return nil, b.errAt(pgerr.SyntaxError, d.Location, "unrecognized ANALYZE option \"%s\"", d.Defname)
		}
		if d.Defname == "index_cleanup" || d.Defname == "parallel" {
			// Not Boolean options; refused whatever their value.
			return nil, pgerr.Unsupported("VACUUM option %s is not supported", strings.ToUpper(d.Defname))
		}
		// The Boolean options pqdb cannot give are accepted when off,
		// which asks for what it does anyway.
		on, err := defElemBool(d)
		if err != nil {
			return nil, err
		}
		switch d.Defname {
		case "analyze":
			p.Analyze = on
		case "full":
			p.Full = on
		case "verbose":
			if on && !s.IsVacuumcmd {
				return nil, pgerr.Unsupported("ANALYZE VERBOSE is not supported")
			}
			p.Verbose = on
		case "freeze", "skip_locked":
			// FREEZE: pqdb has no transaction ids that could wrap around,
			// so there is nothing to freeze (row versions are ordered by
			// commit sequence numbers). SKIP_LOCKED: VACUUM and ANALYZE
			// take no lock any session holds, so none is ever skipped.
		default:
			if !on {
				break
			}
			return nil, pgerr.Unsupported("VACUUM option %s is not supported", strings.ToUpper(d.Defname))
		}
	}
	for _, n := range s.Rels {
		r := n.GetVacuumRelation()
		if len(r.VaCols) > 0 && !p.Analyze {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "ANALYZE option must be specified when a column list is provided")
		}
		t, err := b.vacuumTable(r.Relation, cmd)
		if err != nil {
			return nil, err
		}
		if t == nil {
			continue
		}
		for _, c := range r.VaCols {
			name := c.GetString_().Sval
			if t.ColumnIndex(name) < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, t.Name)
			}
		}
		p.Tables = append(p.Tables, t)
	}
	return p, nil
}

// vacuumTable resolves a table VACUUM or ANALYZE names. A view is skipped
// with PostgreSQL's warning (nil, nil).
func (b *binder) vacuumTable(rv *pg_query.RangeVar, cmd string) (*catalog.Table, error) {
	schema := b.objectSchema(rv.Schemaname, rv.Relname)
	if t := b.cat.Table(schema, rv.Relname); t != nil {
		return t, nil
	}
	if b.cat.View(schema, rv.Relname) != nil {
		verb := "vacuum"
		if cmd == "ANALYZE" {
			verb = "analyze"
		}
		b.notify(pgerr.NewWarning(pgerr.Warning, "skipping \"%s\" --- cannot %s non-tables or special system tables", rv.Relname, verb))
		return nil, nil
	}
	return nil, b.errAt(pgerr.UndefinedTable, rv.Location, "relation \"%s\" does not exist", qualified(rv))
}
