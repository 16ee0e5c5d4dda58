package planner

import (
	"strings"
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/storage"
)

// Catalog is the planner's view of the database at statement start:
// object definitions, and a way to read a table's rows for the scans it
// plans. storage.Snapshot implements it.
type Catalog interface {
	HasSchema(name string) bool
	Table(schema, name string) *catalog.Table
	View(schema, name string) *catalog.View
	Index(schema, name string) *catalog.Index
	Indexes(schema string) []*catalog.Index
	Sequence(schema, name string) *catalog.Sequence
	// UserType and UserTypeByOID find enums and domains (user_type.go).
	UserType(schema, name string) *catalog.UserType
	UserTypeByOID(oid uint32) *catalog.UserType
	Scan(t *catalog.Table, cols []int, preds []storage.Predicate) (storage.RecordReader, error)
	// History reads t's retained events (storage.HistoryColumns).
	History(t *catalog.Table, cols []int) (storage.RecordReader, error)
	// ScanAsOf is Scan of t's rows as of an earlier point.
	ScanAsOf(t *catalog.Table, at storage.AsOf, cols []int, preds []storage.Predicate) (storage.RecordReader, error)
}

// DefaultSchema is the schema every database has.
const DefaultSchema = "public"

// binder holds the state of binding one statement.
type binder struct {
	cat   Catalog
	query string // the whole query text, for error positions
	// params are the parameter types: given by the client, or inferred
	// from context while binding (Unknown until then).
	params []catalog.Type
	// views tracks views being expanded, to stop recursive definitions.
	views map[string]bool
	// searchPath lists the existing schemas unqualified names are looked
	// up in, in order.
	searchPath []string
	// stmt is the statement being bound.
	stmt *Statement
	// ctes are the WITH queries in scope, outermost first.
	ctes []cte
	opts Options
	// valueDefault, while INSERT binds its VALUES, gives the value of
	// DEFAULT in the pos-th target column.
	valueDefault func(pos int) (Expr, error)
	// windowClause is the WINDOW clause of the query block being bound,
	// which OVER name refers to.
	windowClause []*pg_query.Node
	// topWith is the WITH clause of the statement being bound, the only
	// one that may hold data-modifying queries; modifying are those
	// bound so far (bind_modifying_cte.go).
	topWith   *pg_query.WithClause
	modifying []*ModifyingCTE
	// wholeRowNames are the names the statement may reference as whole
	// rows, and nullableSide counts the outer joins whose nullable side
	// is being bound (bind_record_presence.go).
	wholeRowNames map[string]bool
	nullableSide  int
	// notices are what binding has to tell the client, and
	// storedDefinition counts the stored definitions being bound, whose
	// notices are not told again (notices.go).
	notices          []*pgerr.Error
	storedDefinition int
	// subqueryNames are the names of the scalar subqueries bound so far,
	// for the select-list items they are (colname.go).
	subqueryNames map[*pg_query.SubLink]string
	// relationSchemas, while CREATE VIEW binds its query, records the
	// schema each table or view the query names resolved to
	// (bind_view_names.go).
	relationSchemas map[*pg_query.RangeVar]string
	// storedLiterals, while a DEFAULT or a view's query is bound for
	// storage, holds the text to store in place of a literal's, by the
	// literal's location: the schema-qualified name a regclass literal
	// resolved to, the time a clock literal ('now', 'today') read
	// (bind_default_names.go).
	storedLiterals map[int32]string
	// checkingCTE is above zero while a WITH query is bound for its
	// errors only (checkCTE): references met then are not counted.
	checkingCTE int
	// locking is the locking clauses of the query block being bound
	// (FOR UPDATE ...), and lockStrength is the first clause of the
	// first block that locks rows (bind_locking.go).
	locking      *lockingState
	lockStrength string
	// deparse, when the binder binds a stored definition for display,
	// notes what the bound tree forgets of its text (deparse_notes.go).
	deparse *deparseNotes
}

// Options carry the session state binding depends on.
type Options struct {
	// SearchPath is the session's search_path with "$user" already
	// replaced; schemas that do not exist are skipped.
	SearchPath []string
	// Setting reads a run-time setting (current_setting).
	Setting func(name string) (string, bool)
	// ReadClock, when set, hears of every literal read from the clock
	// while binding (a literal of 'now', 'today'... of any type:
	// catalog.IsClockInput; a text one is a harmless false alarm), inView when
	// it stands in a view's query: a plan holding one is of its moment.
	ReadClock     func(inView bool)
	User          string
	Database      string
	BackendPID    uint32
	ServerVersion string
	// Location is the session's TimeZone, for reading timestamptz
	// literals.
	Location *time.Location
	// HostFuncs are functions the engine provides, by name.
	HostFuncs map[string]HostFunc
	// TempSchema is the name of the session's temporary schema, whether
	// or not it exists yet (temp_schema.go); "" where there is none.
	TempSchema string
	// NoParams says the statement runs without parameter values (a
	// simple Query message): a $n in it is an error (42P02), as in
	// PostgreSQL, not a NULL.
	NoParams bool
	// System serves pg_catalog and information_schema (nil: they do not
	// exist).
	System SystemCatalog
	// Files opens server-side files (nil: every file is refused).
	Files FileAccess
}

// HostFunc declares an engine-provided function: its argument types
// (a call may leave out the trailing ones from MinArgs on) and result.
// It is found by name, or, for an overload of a function exec
// implements for other argument types, by HostOverloadKey.
type HostFunc struct {
	// Args are the parameter types; an Unknown one takes a value of
	// any type as it is (a literal as text).
	Args    []catalog.Type
	MinArgs int
	Result  catalog.Type
	Fn      exec.HostFunc
}

// Bound is a bound statement: its plan, the final type of every
// parameter it uses, and the notices binding raised, which the engine
// sends before it runs the plan (notices.go).
type Bound struct {
	Plan    Plan
	Params  []catalog.Type
	Notices []*pgerr.Error
}

// Bind plans one statement. paramTypes are the parameter types the client
// declared (Unknown where it left the choice to the server). The result
// is never nil: on error it holds the notices raised before the error,
// which PostgreSQL sends before it (a WARNING about timestamp(7), then
// the error about the literal cast to it).
func Bind(cat Catalog, stmt *Statement, paramTypes []catalog.Type, opts Options) (bound *Bound, err error) {
	// Binding and optimizing touch nothing outside the plan they build, so
	// a bug that panics here fails the statement (XX000), not the session.
	defer func() {
		if r := recover(); r != nil {
			bound, err = &Bound{}, pgerr.FromPanic(r)
		}
	}()
	cat = withSystemCatalog(cat, opts.System)
	b := &binder{cat: cat, query: stmt.Query, params: append([]catalog.Type(nil), paramTypes...), searchPath: existingSchemas(cat, opts.SearchPath)}
	b.stmt, b.opts = stmt, opts
	start := time.Now()
	p, err := b.bindStatement(stmt.Node)
	if err == nil {
		err = checkJSONKeys(p)
	}
	if err != nil {
		return &Bound{Notices: b.notices}, err
	}
	for i, t := range b.params {
		if t.Kind == catalog.Unknown {
			b.params[i] = catalog.TypeText
		}
	}
	if err := optimizePlan(p, b.location(), b.estimates()); err != nil {
		return &Bound{Notices: b.notices}, err
	}
	if x, ok := p.(*ExplainPlan); ok {
		x.Planning = time.Since(start)
	}
	return &Bound{Plan: p, Params: b.params, Notices: b.notices}, nil
}

func optimizeReturning(r *Returning, loc *time.Location, est tableEstimates) (err error) {
	if r != nil {
		r.Root, err = optimize(r.Root, loc, est)
	}
	return err
}

// optimizePlan rewrites the plan trees a statement carries; loc is the
// session's TimeZone, which constant folding computes in, and est what the
// catalog knows of its tables' sizes (nil: nothing), which orders joins.
// The error is one a constant expression raised (rule_fold.go).
func optimizePlan(p Plan, loc *time.Location, est tableEstimates) (err error) {
	opt := func(n *Node) {
		if err == nil {
			*n, err = optimize(*n, loc, est)
		}
	}
	switch p := p.(type) {
	case *QueryPlan:
		opt(&p.Root)
	case *ExplainPlan:
		return optimizePlan(p.Inner, loc, est)
	case *CreateTableAsPlan:
		opt(&p.Source)
	case *InsertPlan:
		opt(&p.Source)
		if err == nil {
			err = optimizeReturning(p.Returning, loc, est)
		}
		if p.Conflict != nil && p.Conflict.Update != nil {
			opt(&p.Conflict.Update)
		}
	case *UpdatePlan:
		opt(&p.Source)
		if err == nil {
			err = optimizeReturning(p.Returning, loc, est)
		}
	case *DeletePlan:
		opt(&p.Source)
		if err == nil {
			err = optimizeReturning(p.Returning, loc, est)
		}
	case *ModifyingWithPlan:
		for _, c := range p.CTEs {
			if err = optimizePlan(c.Plan, loc, est); err != nil {
				return err
			}
		}
		return optimizePlan(p.Main, loc, est)
	case *CopyToPlan:
		opt(&p.Root)
	case *DeclarePlan:
		return optimizePlan(p.Query, loc, est)
	}
	return err
}

// estimates is what the catalog can tell of table sizes; nil when it
// cannot.
func (b *binder) estimates() tableEstimates {
	cat := b.cat
	if s, ok := cat.(systemCatalogView); ok {
		cat = s.Catalog
	}
	est, _ := cat.(tableEstimates)
	return est
}

func (b *binder) bindStatement(n *pg_query.Node) (Plan, error) {
	switch s := n.Node.(type) {
	case *pg_query.Node_SelectStmt:
		return b.topLevel(s.SelectStmt.WithClause, func() (Plan, error) { return b.bindQuery(s.SelectStmt) })
	case *pg_query.Node_InsertStmt:
		return b.topLevel(s.InsertStmt.WithClause, func() (Plan, error) { return b.bindInsert(s.InsertStmt) })
	case *pg_query.Node_CreateTableAsStmt:
		return b.bindCreateTableAsStmt(s.CreateTableAsStmt)
	case *pg_query.Node_TruncateStmt:
		return b.bindTruncate(s.TruncateStmt)
	case *pg_query.Node_UpdateStmt:
		return b.topLevel(s.UpdateStmt.WithClause, func() (Plan, error) { return b.bindUpdate(s.UpdateStmt) })
	case *pg_query.Node_DeleteStmt:
		return b.topLevel(s.DeleteStmt.WithClause, func() (Plan, error) { return b.bindDelete(s.DeleteStmt) })
	case *pg_query.Node_CreateStmt:
		return b.bindCreateTable(s.CreateStmt)
	case *pg_query.Node_CreateSeqStmt:
		return b.bindCreateSequence(s.CreateSeqStmt)
	case *pg_query.Node_CreateEnumStmt:
		return b.bindCreateEnum(s.CreateEnumStmt)
	case *pg_query.Node_AlterEnumStmt:
		return b.bindAlterEnum(s.AlterEnumStmt)
	case *pg_query.Node_CreateDomainStmt:
		return b.bindCreateDomain(s.CreateDomainStmt)
	case *pg_query.Node_AlterDomainStmt:
		return b.bindAlterDomain(s.AlterDomainStmt)
	case *pg_query.Node_AlterSeqStmt:
		return b.bindAlterSequence(s.AlterSeqStmt)
	case *pg_query.Node_ViewStmt:
		return b.bindCreateView(s.ViewStmt)
	case *pg_query.Node_IndexStmt:
		return b.bindCreateIndex(s.IndexStmt)
	case *pg_query.Node_CreateSchemaStmt:
		if len(s.CreateSchemaStmt.SchemaElts) > 0 {
			return nil, pgerr.Unsupported("CREATE SCHEMA with schema elements is not supported")
		}
		return &CreateSchemaPlan{Name: s.CreateSchemaStmt.Schemaname, IfNotExists: s.CreateSchemaStmt.IfNotExists}, nil
	case *pg_query.Node_DropStmt:
		return b.bindDrop(s.DropStmt)
	case *pg_query.Node_AlterTableStmt:
		return b.bindAlterTable(s.AlterTableStmt)
	case *pg_query.Node_RenameStmt:
		return b.bindRename(s.RenameStmt)
	case *pg_query.Node_CommentStmt:
		return b.bindComment(s.CommentStmt)
	case *pg_query.Node_TransactionStmt:
		return b.bindTransaction(s.TransactionStmt)
	case *pg_query.Node_CopyStmt:
		return b.bindCopy(s.CopyStmt)
	case *pg_query.Node_ExplainStmt:
		return b.bindExplain(s.ExplainStmt)
	case *pg_query.Node_CheckPointStmt:
		return &CheckpointPlan{}, nil
	case *pg_query.Node_VacuumStmt:
		return b.bindVacuum(s.VacuumStmt)
	case *pg_query.Node_VariableSetStmt:
		return b.bindSet(s.VariableSetStmt)
	case *pg_query.Node_PrepareStmt:
		return b.bindPrepare(s.PrepareStmt, b.stmt)
	case *pg_query.Node_ExecuteStmt:
		return &ExecutePlan{Name: s.ExecuteStmt.Name, Args: s.ExecuteStmt.Params}, nil
	case *pg_query.Node_DeallocateStmt:
		return &DeallocatePlan{Name: s.DeallocateStmt.Name, All: s.DeallocateStmt.Isall}, nil
	case *pg_query.Node_DiscardStmt:
		return bindDiscard(s.DiscardStmt)
	case *pg_query.Node_DeclareCursorStmt:
		return b.bindDeclare(s.DeclareCursorStmt)
	case *pg_query.Node_FetchStmt:
		return b.bindFetch(s.FetchStmt)
	case *pg_query.Node_ClosePortalStmt:
		return &ClosePlan{Cursor: s.ClosePortalStmt.Portalname}, nil
	case *pg_query.Node_CreateRoleStmt:
		return b.bindCreateRole(s.CreateRoleStmt)
	case *pg_query.Node_AlterRoleStmt:
		return b.bindAlterRole(s.AlterRoleStmt)
	case *pg_query.Node_DropRoleStmt:
		return b.bindDropRole(s.DropRoleStmt)
	case *pg_query.Node_VariableShowStmt:
		return &ShowPlan{Name: strings.ToLower(s.VariableShowStmt.Name)}, nil
	}
	return nil, pgerr.Unsupported("statement type %s is not supported", statementName(n))
}

// statementName names a parse node's statement type for error messages.
func statementName(n *pg_query.Node) string {
	name := strings.TrimPrefix(strings.TrimPrefix(typeName(n.Node), "*pg_query.Node_"), "pg_query.Node_")
	return name
}

func (b *binder) bindTransaction(s *pg_query.TransactionStmt) (Plan, error) {
	switch s.Kind {
	case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN, pg_query.TransactionStmtKind_TRANS_STMT_START:
		modes, err := transactionModes(s.Options, "transaction_")
		if err != nil {
			return nil, err
		}
		return &TxnPlan{Kind: TxnBegin, Modes: modes}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT:
		return &TxnPlan{Kind: TxnCommit}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		return &TxnPlan{Kind: TxnRollback}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		return &TxnPlan{Kind: TxnSavepoint, Name: s.SavepointName}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_RELEASE:
		return &TxnPlan{Kind: TxnRelease, Name: s.SavepointName}, nil
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		return &TxnPlan{Kind: TxnRollbackTo, Name: s.SavepointName}, nil
	}
	return nil, pgerr.Unsupported("%s is not supported", strings.ToLower(strings.TrimPrefix(s.Kind.String(), "TRANS_STMT_")))
}

func (b *binder) bindSet(s *pg_query.VariableSetStmt) (Plan, error) {
	name := strings.ToLower(s.Name)
	switch s.Kind {
	case pg_query.VariableSetKind_VAR_SET_VALUE:
		var parts []string
		for _, a := range s.Args {
			v, err := setArgText(a)
			if tc := a.GetTypeCast(); tc != nil && err == nil {
				v, err = b.setIntervalText(tc, v)
			}
			if err != nil {
				return nil, err
			}
			parts = append(parts, v)
		}
		return &SetPlan{Name: name, Value: strings.Join(parts, ", "), Local: s.IsLocal, Tag: "SET"}, nil
	case pg_query.VariableSetKind_VAR_SET_DEFAULT:
		return &SetPlan{Name: name, Reset: true, Local: s.IsLocal, Tag: "SET"}, nil
	case pg_query.VariableSetKind_VAR_RESET:
		return &SetPlan{Name: name, Reset: true, Tag: "RESET"}, nil
	case pg_query.VariableSetKind_VAR_RESET_ALL:
		return &SetPlan{Reset: true, All: true, Tag: "RESET"}, nil
	case pg_query.VariableSetKind_VAR_SET_MULTI:
		// SET TRANSACTION ... and SET SESSION CHARACTERISTICS AS
		// TRANSACTION ...: the modes are settings.
		if name != "transaction" && name != "session characteristics" {
			return nil, pgerr.Unsupported("SET %s is not supported", name)
		}
		session := name == "session characteristics"
		prefix := "transaction_"
		if session {
			prefix = "default_transaction_"
		}
		modes, err := transactionModes(s.Args, prefix)
		if err != nil {
			return nil, err
		}
		return &TxnModesPlan{Modes: modes, Session: session}, nil
	}
	return nil, pgerr.Unsupported("this form of SET is not supported")
}

// setIntervalText is the value of SET TIME ZONE INTERVAL '...' [fields],
// the one SET argument the grammar writes with a type, as PostgreSQL
// flattens it for the setting: INTERVAL 'interval_out of the value'.
func (b *binder) setIntervalText(tc *pg_query.TypeCast, text string) (string, error) {
	t, err := b.typeFromName(tc.TypeName)
	if err != nil {
		return "", err
	}
	if t.Kind != catalog.Interval {
		return "", pgerr.Unsupported("unsupported SET value")
	}
	v, err := catalog.ParseText(t, text)
	if err != nil {
		return "", err
	}
	return "INTERVAL '" + string(catalog.AppendDatumText(nil, catalog.TypeInterval, v)) + "'", nil
}

func setArgText(n *pg_query.Node) (string, error) {
	if c := n.GetAConst(); c != nil {
		switch v := c.Val.(type) {
		case *pg_query.A_Const_Sval:
			return v.Sval.Sval, nil
		case *pg_query.A_Const_Ival:
			return itoa(int64(v.Ival.Ival)), nil
		case *pg_query.A_Const_Fval:
			return v.Fval.Fval, nil
		case *pg_query.A_Const_Boolval:
			if v.Boolval.Boolval {
				return "on", nil
			}
			return "off", nil
		}
	}
	if tc := n.GetTypeCast(); tc != nil {
		return setArgText(tc.Arg)
	}
	return "", pgerr.Unsupported("unsupported SET value")
}

// transactionModes reads the modes of BEGIN / SET TRANSACTION into
// settings named prefix+"isolation" and prefix+"read_only" (prefix
// "transaction_" or "default_transaction_"). The engine gives each level
// its meaning; DEFERRABLE only matters to read-only serializable
// transactions in PostgreSQL, which never fail here, so it is accepted.
func transactionModes(modes []*pg_query.Node, prefix string) (map[string]string, error) {
	out := map[string]string{}
	for _, m := range modes {
		d := m.GetDefElem()
		if d == nil {
			continue
		}
		v := strings.ToLower(defElemString(d))
		if c := d.Arg.GetAConst(); c != nil {
			// READ ONLY / READ WRITE arrive as the integer constants 1 / 0.
			if iv, ok := c.Val.(*pg_query.A_Const_Ival); ok {
				v = itoa(int64(iv.Ival.Ival))
			}
		}
		switch d.Defname {
		case "transaction_isolation":
			out[prefix+"isolation"] = v
		case "transaction_read_only":
			if v == "true" || v == "1" {
				v = "on"
			} else if v == "false" || v == "0" {
				v = "off"
			}
			out[prefix+"read_only"] = v
		case "transaction_deferrable":
		default:
			return nil, pgerr.Unsupported("transaction mode %s is not supported", d.Defname)
		}
	}
	return out, nil
}
