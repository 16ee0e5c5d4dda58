package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// bindExplain binds EXPLAIN [ANALYZE] [VERBOSE] and EXPLAIN (options)
// with PostgreSQL's option rules and errors. pqdb has no cost model: with
// COSTS (the default) a node shows only its estimated rows, "(rows=N)"
// where PostgreSQL shows "(cost=... rows=N width=W)", and COSTS OFF
// prints the plan as PostgreSQL does with COSTS OFF. VERBOSE changes
// nothing because every node already shows its output columns or
// expressions. Options that would
// report what pqdb does not measure (BUFFERS, WAL, SETTINGS) and the XML
// and YAML formats are refused.
func (b *binder) bindExplain(s *pg_query.ExplainStmt) (Plan, error) {
	p := &ExplainPlan{Format: "text", Costs: true}
	var timing, summary *bool
	var wal bool
	for _, o := range s.Options {
		d := o.GetDefElem()
		switch d.Defname {
		case "analyze":
			v, err := defElemBool(d)
			if err != nil {
				return nil, err
			}
			p.Analyze = v
		case "verbose":
			if _, err := defElemBool(d); err != nil {
				return nil, err
			}
		case "costs":
			v, err := defElemBool(d)
			if err != nil {
				return nil, err
			}
			p.Costs = v
		case "timing", "summary":
			v, err := defElemBool(d)
			if err != nil {
				return nil, err
			}
			if d.Defname == "timing" {
				timing = &v
			} else {
				summary = &v
			}
		case "buffers", "settings", "wal":
			v, err := defElemBool(d)
			if err != nil {
				return nil, err
			}
			if !v {
				break
			}
			if d.Defname == "wal" {
				wal = true // refused below, after ANALYZE's check
				break
			}
			return nil, b.errAt(pgerr.FeatureNotSupported, d.Location, "EXPLAIN option %s is not supported", strings.ToUpper(d.Defname))
		case "format":
			f := strings.ToLower(defElemString(d))
			switch f {
			case "text", "json":
				p.Format = f
			case "xml", "yaml":
				return nil, b.errAt(pgerr.FeatureNotSupported, d.Location, "EXPLAIN (FORMAT %s) is not supported: use TEXT or JSON", strings.ToUpper(f))
			default:
				return nil, b.errAt(pgerr.InvalidParameterValue, d.Location, "unrecognized value for EXPLAIN option \"format\": \"%s\"", defElemString(d))
			}
		default:
			return nil, b.errAt(pgerr.SyntaxError, d.Location, "unrecognized EXPLAIN option \"%s\"", d.Defname)
		}
	}
	if wal && !p.Analyze {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "EXPLAIN option WAL requires ANALYZE")
	}
	if wal {
		return nil, pgerr.Unsupported("EXPLAIN option WAL is not supported")
	}
	p.Timing = p.Analyze
	if timing != nil {
		if *timing && !p.Analyze {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "EXPLAIN option TIMING requires ANALYZE")
		}
		p.Timing = *timing
	}
	p.Summary = p.Analyze
	if summary != nil {
		p.Summary = *summary
	}
	inner, err := b.bindStatement(s.Query)
	if err != nil {
		return nil, err
	}
	if p.Analyze && !runsUnderAnalyze(inner) {
		return nil, pgerr.Unsupported("EXPLAIN ANALYZE of %s is not supported: only queries, INSERT, UPDATE and DELETE run under EXPLAIN ANALYZE", strings.ToUpper(inner.planKind()))
	}
	p.Inner = inner
	return p, nil
}

// runsUnderAnalyze reports whether EXPLAIN ANALYZE runs p (LowerExplain
// lowers its parts, the engine runs them): a query or a data-modifying
// statement, with or without data-modifying WITH queries, or the EXECUTE
// of a prepared one (which can only be such a statement; the engine
// explains its plan).
func runsUnderAnalyze(p Plan) bool {
	switch p := p.(type) {
	case *QueryPlan, *InsertPlan, *UpdatePlan, *DeletePlan, *ExecutePlan:
		return true
	case *ModifyingWithPlan:
		return runsUnderAnalyze(p.Main)
	}
	return false
}

// ExplainRuns reports whether EXPLAIN statement s runs its query
// (ANALYZE), which the statement log classes by that query.
func ExplainRuns(s *pg_query.ExplainStmt) bool {
	for _, o := range s.Options {
		if d := o.GetDefElem(); d != nil && d.Defname == "analyze" {
			v, _ := defElemBool(d)
			return v
		}
	}
	return false
}

// defElemBool reads a boolean option as PostgreSQL's defGetBoolean does:
// no value is true; 1 and 0 and the words boolin accepts are read.
func defElemBool(d *pg_query.DefElem) (bool, error) {
	if d.Arg == nil {
		return true, nil
	}
	if i := d.Arg.GetInteger(); i != nil && (i.Ival == 0 || i.Ival == 1) {
		return i.Ival == 1, nil
	}
	if d.Arg.GetInteger() == nil {
		if v, err := catalog.ParseBool(defElemString(d)); err == nil {
			return v, nil
		}
	}
	return false, pgerr.New(pgerr.SyntaxError, "%s requires a Boolean value", d.Defname)
}
