package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// PreparePlan is PREPARE name [(types)] AS statement.
type PreparePlan struct {
	Name      string
	ParamType []catalog.Type
	Stmt      *Statement
}

// ExecutePlan is EXECUTE name [(args)]; Args are bound by EvalArgs once
// the prepared statement's parameter types are known.
type ExecutePlan struct {
	Name string
	Args []*pg_query.Node
}

// DeallocatePlan is DEALLOCATE [PREPARE] name | ALL.
type DeallocatePlan struct {
	Name string
	All  bool
}

// DiscardPlan is DISCARD ALL | PLANS | SEQUENCES | TEMP[ORARY].
type DiscardPlan struct{ What DiscardTarget }

// DiscardTarget is what DISCARD resets.
type DiscardTarget uint8

const (
	// DiscardAll returns the session to its state at connection start
	// (and does each of the others).
	DiscardAll DiscardTarget = iota
	// DiscardPlans drops cached query plans.
	DiscardPlans
	// DiscardSequences forgets the session's currval and lastval.
	DiscardSequences
	// DiscardTemp drops the session's temporary tables.
	DiscardTemp
)

// Tag is the command tag of DISCARD what.
func (d DiscardTarget) Tag() string {
	switch d {
	case DiscardPlans:
		return "DISCARD PLANS"
	case DiscardSequences:
		return "DISCARD SEQUENCES"
	case DiscardTemp:
		return "DISCARD TEMP"
	}
	return "DISCARD ALL"
}

func bindDiscard(s *pg_query.DiscardStmt) (Plan, error) {
	switch s.Target {
	case pg_query.DiscardMode_DISCARD_ALL:
		return &DiscardPlan{What: DiscardAll}, nil
	case pg_query.DiscardMode_DISCARD_PLANS:
		return &DiscardPlan{What: DiscardPlans}, nil
	case pg_query.DiscardMode_DISCARD_SEQUENCES:
		return &DiscardPlan{What: DiscardSequences}, nil
	case pg_query.DiscardMode_DISCARD_TEMP:
		return &DiscardPlan{What: DiscardTemp}, nil
	}
	return nil, pgerr.Unsupported("DISCARD %s is not supported", strings.TrimPrefix(s.Target.String(), "DISCARD_"))
}

// DeclarePlan is DECLARE name [BINARY] [SCROLL | NO SCROLL] CURSOR
// [WITH HOLD] FOR query.
type DeclarePlan struct {
	Name   string
	Binary bool
	Scroll bool
	Hold   bool
	Query  *QueryPlan
}

// FetchDirection is how FETCH and MOVE count.
type FetchDirection uint8

const (
	// FetchForward takes the next Count rows (math.MaxInt64 for ALL).
	FetchForward FetchDirection = iota
	// FetchBackward takes the Count rows before the current one, going
	// backwards.
	FetchBackward
	// FetchAbsolute goes to row Count (counting from the end when
	// negative, before the first row when 0).
	FetchAbsolute
	// FetchRelative goes Count rows from the current one.
	FetchRelative
)

// FetchPlan is FETCH or MOVE.
type FetchPlan struct {
	Cursor    string
	Direction FetchDirection
	Count     int64
	Move      bool
}

// ClosePlan is CLOSE name | ALL (Cursor empty).
type ClosePlan struct{ Cursor string }

func (*PreparePlan) planKind() string    { return "prepare" }
func (*ExecutePlan) planKind() string    { return "execute" }
func (*DeallocatePlan) planKind() string { return "deallocate" }
func (*DiscardPlan) planKind() string    { return "discard" }
func (*DeclarePlan) planKind() string    { return "declare cursor" }
func (*FetchPlan) planKind() string      { return "fetch" }
func (*ClosePlan) planKind() string      { return "close cursor" }

// Cursor options of DeclareCursorStmt (CURSOR_OPT_* in parsenodes.h).
const (
	cursorBinary   = 0x0001
	cursorScroll   = 0x0002
	cursorHold     = 0x0020
	statementLimit = 65535
)

func (b *binder) bindPrepare(s *pg_query.PrepareStmt, outer *Statement) (Plan, error) {
	p := &PreparePlan{Name: s.Name, Stmt: &Statement{Node: s.Query, Text: outer.Text, Query: outer.Query, Offset: outer.Offset}}
	if len(s.Argtypes) > statementLimit {
		return nil, pgerr.New(pgerr.TooManyArguments, "too many parameters")
	}
	for _, a := range s.Argtypes {
		t, err := b.typeFromName(a.GetTypeName())
		if err != nil {
			return nil, err
		}
		p.ParamType = append(p.ParamType, t)
	}
	return p, nil
}

func (b *binder) bindDeclare(s *pg_query.DeclareCursorStmt) (Plan, error) {
	sel := s.Query.GetSelectStmt()
	if sel == nil {
		return nil, pgerr.New(pgerr.InvalidCursorDefinition, "cannot open %s query as cursor", statementName(s.Query))
	}
	q, err := b.bindQuery(sel)
	if err != nil {
		return nil, err
	}
	return &DeclarePlan{Name: s.Portalname, Binary: s.Options&cursorBinary != 0, Scroll: s.Options&cursorScroll != 0,
		Hold: s.Options&cursorHold != 0, Query: q.(*QueryPlan)}, nil
}

func (b *binder) bindFetch(s *pg_query.FetchStmt) (Plan, error) {
	p := &FetchPlan{Cursor: s.Portalname, Count: s.HowMany, Move: s.Ismove}
	switch s.Direction {
	case pg_query.FetchDirection_FETCH_BACKWARD:
		p.Direction = FetchBackward
	case pg_query.FetchDirection_FETCH_ABSOLUTE:
		p.Direction = FetchAbsolute
	case pg_query.FetchDirection_FETCH_RELATIVE:
		p.Direction = FetchRelative
	}
	// FORWARD -n is BACKWARD n, and the other way round.
	if p.Count < 0 && (p.Direction == FetchForward || p.Direction == FetchBackward) {
		p.Count = -p.Count
		p.Direction = FetchForward + FetchBackward - p.Direction
	}
	return p, nil
}

// EvalArgs computes the arguments of EXECUTE as values of the prepared
// statement's parameter types, with the statement's catalog (for the
// labels of enums) and in the session's TimeZone (opts.Location).
func EvalArgs(cat Catalog, stmt *Statement, args []*pg_query.Node, types []catalog.Type, opts Options) ([]catalog.Datum, error) {
	if len(args) != len(types) {
		return nil, pgerr.New(pgerr.SyntaxError, "wrong number of parameters for prepared statement: expected %d parameters but got %d", len(types), len(args))
	}
	cat = withSystemCatalog(cat, opts.System)
	b := &binder{cat: cat, query: stmt.Query, searchPath: existingSchemas(cat, opts.SearchPath), opts: opts}
	loc := b.location()
	out := make([]catalog.Datum, len(args))
	for i, a := range args {
		e, err := b.bindExpr(a, &scope{}, ctxValues)
		if err != nil {
			return nil, err
		}
		if e, err = b.assign(e, types[i]); err != nil {
			return nil, err
		}
		if !isConstant(e) {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "EXECUTE arguments must be constant expressions")
		}
		v, foldable, err := evalConst(e, loc)
		if err != nil {
			return nil, err
		}
		if !foldable {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "EXECUTE arguments must be constant expressions")
		}
		out[i] = v
	}
	return out, nil
}
