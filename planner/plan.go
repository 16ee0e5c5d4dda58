package planner

import (
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgcopy"
	"github.com/pqdb/pqdb/storage"
)

// Node is an operator of the logical plan. Types describes its output
// columns in order; parents refer to them by index.
type Node interface {
	Types() []catalog.Type
}

// Scan reads a base table: the table columns listed in Cols (in that
// order), then the hidden row id when RowID is set. Filters are conjuncts
// over the scan's output that the rules pushed down; simple comparisons
// among them also prune row groups in storage.
type Scan struct {
	Table   *catalog.Table
	Alias   string
	Cols    []int
	RowID   bool
	Filters []Expr
	// Files, when set, is read instead of a stored table: Table then
	// describes the files' columns (read_parquet, bind_read_parquet.go).
	Files *storage.ParquetFiles
	// HistoryOf, when set, is the table whose history is read instead
	// (pqdb_history, bind_history.go): Table then describes the history's
	// columns (storage.HistoryColumns).
	HistoryOf *catalog.Table
	// AsOf, when set, reads Table's rows as of an earlier point
	// (pqdb_as_of, bind_as_of.go).
	AsOf *storage.AsOf
}

// Values produces constant rows.
type Values struct {
	Rows  [][]Expr
	Typs  []catalog.Type
	Names []string
}

// Filter keeps the rows for which Pred is true.
type Filter struct {
	Input Node
	Pred  Expr
}

// Project computes Exprs over each input row.
type Project struct {
	Input Node
	Exprs []Expr
}

// Aggregate groups its input by Groups and computes Aggs per group; its
// output is the group values followed by the aggregate values.
type Aggregate struct {
	Input  Node
	Groups []Expr
	Aggs   []*AggRef
}

// JoinKind is the kind of a Join.
type JoinKind uint8

const (
	JoinInner JoinKind = iota
	JoinLeft
	JoinCross
	// JoinSemi keeps each Left row for which some Right row makes Cond
	// true, once (EXISTS, IN); JoinAnti keeps each Left row for which
	// none does (NOT EXISTS). Both output Left's columns only.
	JoinSemi
	JoinAnti
	// JoinFull keeps every row of both inputs: the matching pairs, then
	// each unmatched row of either side with NULLs for the other.
	JoinFull
)

// Join combines Left and Right; its output is Left's columns followed by
// Right's (Left's only for semi and anti joins). Cond is over the
// combined row Left ++ Right (nil for a cross join).
type Join struct {
	Kind        JoinKind
	Left, Right Node
	Cond        Expr
}

// SortKey is one ORDER BY key.
type SortKey struct {
	Expr       Expr
	Desc       bool
	NullsFirst bool
}

// Sort orders its input.
type Sort struct {
	Input Node
	Keys  []SortKey
}

// Limit applies LIMIT/OFFSET; nil means none. They are constants or
// parameters, evaluated when the plan is lowered. WithTies (FETCH FIRST
// ... WITH TIES) also passes the rows that tie with the last one in the
// ORDER BY of its input, which is then always a Sort.
type Limit struct {
	Input         Node
	Count, Offset Expr
	WithTies      bool
}

// Distinct removes duplicate rows.
type Distinct struct{ Input Node }

// Window computes window functions that share one PARTITION BY and ORDER
// BY over its input: its output is the input's columns followed by one
// column per function (Funcs), in an order of its own. PartitionBy,
// OrderBy and the functions' arguments are over the input row. A query
// with several window specifications stacks several Window nodes; each
// keeps the columns below it at their positions.
type Window struct {
	Input       Node
	PartitionBy []Expr
	OrderBy     []SortKey
	Funcs       []WindowCall
}

// SetOpKind is UNION, INTERSECT or EXCEPT.
type SetOpKind uint8

const (
	SetUnion SetOpKind = iota
	SetIntersect
	SetExcept
)

// SetOp combines two inputs of the same column types.
type SetOp struct {
	Kind        SetOpKind
	All         bool
	Left, Right Node
}

func (n *Scan) Types() []catalog.Type {
	ts := make([]catalog.Type, 0, len(n.Cols)+1)
	for _, c := range n.Cols {
		ts = append(ts, n.Table.Columns[c].Type)
	}
	if n.RowID {
		ts = append(ts, catalog.TypeInt8)
	}
	return ts
}
func (n *Values) Types() []catalog.Type { return n.Typs }
func (n *Filter) Types() []catalog.Type { return n.Input.Types() }
func (n *Project) Types() []catalog.Type {
	ts := make([]catalog.Type, len(n.Exprs))
	for i, e := range n.Exprs {
		ts[i] = e.Type()
	}
	return ts
}
func (n *Aggregate) Types() []catalog.Type {
	ts := make([]catalog.Type, 0, len(n.Groups)+len(n.Aggs))
	for _, g := range n.Groups {
		ts = append(ts, g.Type())
	}
	for _, a := range n.Aggs {
		ts = append(ts, a.T)
	}
	return ts
}
func (n *Join) Types() []catalog.Type {
	if n.Kind == JoinSemi || n.Kind == JoinAnti {
		return n.Left.Types()
	}
	return append(append([]catalog.Type(nil), n.Left.Types()...), n.Right.Types()...)
}
func (n *Sort) Types() []catalog.Type     { return n.Input.Types() }
func (n *Limit) Types() []catalog.Type    { return n.Input.Types() }
func (n *Distinct) Types() []catalog.Type { return n.Input.Types() }
func (n *Window) Types() []catalog.Type {
	ts := append([]catalog.Type(nil), n.Input.Types()...)
	for _, f := range n.Funcs {
		ts = append(ts, f.T)
	}
	return ts
}
func (n *SetOp) Types() []catalog.Type { return n.Left.Types() }

// inputs returns a node's children.
func inputs(n Node) []Node {
	switch n := n.(type) {
	case *Filter:
		return []Node{n.Input}
	case *Project:
		return []Node{n.Input}
	case *Aggregate:
		return []Node{n.Input}
	case *Join:
		return []Node{n.Left, n.Right}
	case *LateralJoin:
		return []Node{n.Left, n.Right}
	case *Sort:
		return []Node{n.Input}
	case *Limit:
		return []Node{n.Input}
	case *LockRows:
		return []Node{n.Input}
	case *Distinct:
		return []Node{n.Input}
	case *Window:
		return []Node{n.Input}
	case *ProjectSet:
		return []Node{n.Input}
	case *SetOp:
		return []Node{n.Left, n.Right}
	case *RecursiveUnion:
		return []Node{n.NonRec, n.Rec}
	case *CTEScan:
		return []Node{n.Plan}
	}
	return nil
}

// mapInputs replaces each child c of n by fn(c), in place, and returns n.
func mapInputs(n Node, fn func(Node) Node) Node {
	switch x := n.(type) {
	case *Filter:
		x.Input = fn(x.Input)
	case *Project:
		x.Input = fn(x.Input)
	case *Aggregate:
		x.Input = fn(x.Input)
	case *Join:
		x.Left, x.Right = fn(x.Left), fn(x.Right)
	case *LateralJoin:
		x.Left, x.Right = fn(x.Left), fn(x.Right)
	case *Sort:
		x.Input = fn(x.Input)
	case *Limit:
		x.Input = fn(x.Input)
	case *LockRows:
		x.Input = fn(x.Input)
	case *Distinct:
		x.Input = fn(x.Input)
	case *Window:
		x.Input = fn(x.Input)
	case *ProjectSet:
		x.Input = fn(x.Input)
	case *SetOp:
		x.Left, x.Right = fn(x.Left), fn(x.Right)
	case *RecursiveUnion:
		x.NonRec, x.Rec = fn(x.NonRec), fn(x.Rec)
	case *CTEScan:
		x.Plan = fn(x.Plan)
	}
	return n
}

// clonePlan returns a deep copy of the plan tree n: new nodes, and new
// copies of the slices the rewrite rules assign into. Expressions are
// immutable values (mapExpr builds new ones), so they are shared. The
// rules rewrite nodes in place, which is safe only on a tree: the binder
// shares a subtree where it uses one bound expression twice (BETWEEN's
// operand is compared with both bounds, so a scalar subquery there has one
// plan under two comparisons), and a rewrite that moves a subquery's plan
// into its parent would otherwise let one rule's edit of one place change
// the other.
func clonePlan(n Node) Node {
	switch x := n.(type) {
	case *Scan:
		c := *x
		c.Cols = append([]int(nil), x.Cols...)
		c.Filters = append([]Expr(nil), x.Filters...)
		return &c
	case *Values:
		c := *x
		c.Rows = make([][]Expr, len(x.Rows))
		for i, r := range x.Rows {
			c.Rows[i] = append([]Expr(nil), r...)
		}
		return &c
	case *Filter:
		return &Filter{Input: clonePlan(x.Input), Pred: x.Pred}
	case *Project:
		return &Project{Input: clonePlan(x.Input), Exprs: append([]Expr(nil), x.Exprs...)}
	case *Aggregate:
		return &Aggregate{Input: clonePlan(x.Input), Groups: append([]Expr(nil), x.Groups...), Aggs: append([]*AggRef(nil), x.Aggs...)}
	case *Join:
		c := *x
		c.Left, c.Right = clonePlan(x.Left), clonePlan(x.Right)
		return &c
	case *LateralJoin:
		c := *x
		c.Left, c.Right = clonePlan(x.Left), clonePlan(x.Right)
		c.OuterCols = append([]Expr(nil), x.OuterCols...)
		return &c
	case *Sort:
		return &Sort{Input: clonePlan(x.Input), Keys: append([]SortKey(nil), x.Keys...)}
	case *Limit:
		c := *x
		c.Input = clonePlan(x.Input)
		return &c
	case *LockRows:
		return &LockRows{Input: clonePlan(x.Input), Targets: append([]LockTarget(nil), x.Targets...)}
	case *Distinct:
		return &Distinct{Input: clonePlan(x.Input)}
	case *ProjectSet:
		c := *x
		c.Input, c.Funcs = clonePlan(x.Input), cloneSetCalls(x.Funcs)
		return &c
	case *Window:
		c := &Window{Input: clonePlan(x.Input), PartitionBy: append([]Expr(nil), x.PartitionBy...),
			OrderBy: append([]SortKey(nil), x.OrderBy...), Funcs: make([]WindowCall, len(x.Funcs))}
		for i, f := range x.Funcs {
			c.Funcs[i] = f
			c.Funcs[i].Args = append([]Expr(nil), f.Args...)
		}
		return c
	case *SetOp:
		c := *x
		c.Left, c.Right = clonePlan(x.Left), clonePlan(x.Right)
		return &c
	case *RecursiveUnion:
		c := *x
		c.NonRec, c.Rec = clonePlan(x.NonRec), clonePlan(x.Rec)
		return &c
	case *CTEScan:
		c := *x
		c.Plan = clonePlan(x.Plan)
		return &c
	case *WorkTableScan:
		c := *x
		c.Typs = append([]catalog.Type(nil), x.Typs...)
		return &c
	}
	return n
}

// Plan is what planning a statement yields: one of the *Plan types below.
type Plan interface{ planKind() string }

// ResultColumn describes one output column of a query.
type ResultColumn struct {
	Name     string
	Type     catalog.Type
	TableOID uint32
	AttrNum  int16
	// untyped marks a select-list literal or NULL whose type nothing
	// constrained: it is text, except as an input of a set operation,
	// where it takes the other inputs' type (SELECT NULL UNION SELECT 1).
	untyped bool
}

// QueryPlan is a statement that returns rows (SELECT, VALUES, EXPLAIN).
type QueryPlan struct {
	Root    Node
	Columns []ResultColumn
	// Tag is the command tag verb ("SELECT").
	Tag string
	// LockStrength is set when the query locks rows (SELECT ... FOR
	// UPDATE, at any level) to its first locking clause's strength ("FOR
	// UPDATE", "FOR SHARE", ...): it runs with LowerOptions.LockRows, and
	// sends its rows only once every row is locked.
	LockStrength string
}

// Written is the rows a data-modifying statement wrote, for its
// RETURNING list: Table's columns in order (the new rows of INSERT and
// UPDATE, the old rows of DELETE), then columns of types Extra (the FROM
// items' columns that RETURNING reads, in UPDATE ... FROM and DELETE ...
// USING). ON CONFLICT DO UPDATE reads its proposed rows through one too,
// with the id of the row each conflicts with as the extra column.
// Lowering reads them from LowerOptions.Written.
type Written struct {
	Table *catalog.Table
	Extra []catalog.Type
}

func (n *Written) Types() []catalog.Type {
	ts := make([]catalog.Type, len(n.Table.Columns), len(n.Table.Columns)+len(n.Extra))
	for i, c := range n.Table.Columns {
		ts[i] = c.Type
	}
	return append(ts, n.Extra...)
}

// ModifiedRows is the RETURNING rows of the data-modifying WITH query
// Name, the Index-th of its statement's ModifyingWithPlan, as a table:
// every reference reads the same rows, computed once before the main
// statement ran. Lowering reads them from LowerOptions.Modified.
type ModifiedRows struct {
	Name  string
	Alias string
	Index int
	Typs  []catalog.Type
}

func (n *ModifiedRows) Types() []catalog.Type { return n.Typs }

// ModifyingWithPlan is a statement whose top-level WITH holds
// data-modifying queries: each of CTEs runs to its end, in order, before
// Main; all read the snapshot the statement started with, so none sees
// another's writes (only its RETURNING rows, through ModifiedRows).
type ModifyingWithPlan struct {
	CTEs []*ModifyingCTE
	Main Plan
}

// ModifyingCTE is one data-modifying WITH query: Plan is an InsertPlan,
// UpdatePlan or DeletePlan.
type ModifyingCTE struct {
	Name string
	Plan Plan
}

// Returning is a RETURNING list: Root, a plan over a Written leaf,
// computes the rows the statement returns, described by Columns.
type Returning struct {
	Root    Node
	Columns []ResultColumn
}

// InsertPlan inserts the rows of Source (one column per table column, in
// table order, already of the column types).
type InsertPlan struct {
	Table     *catalog.Table
	Source    Node
	Returning *Returning  // nil without RETURNING
	Conflict  *OnConflict // nil without ON CONFLICT
}

// OnConflict is an INSERT's ON CONFLICT clause. A proposed row conflicts
// when a live row holds its key under one of the arbiter constraints.
type OnConflict struct {
	// Arbiters name the key constraints (<table>_pkey or a unique
	// index) proposed rows are checked against; nil means every one of
	// the table's (DO NOTHING without a conflict target).
	Arbiters []string
	// Update is nil for DO NOTHING. For DO UPDATE it computes the
	// updates from the conflicting rows: it joins the table (with row
	// ids) to a Written leaf of the proposed rows, each followed by the
	// id of the row it conflicts with, and yields the row id, whether
	// the DO UPDATE's WHERE holds, then the new value of every column.
	Update Node
}

// UpdatePlan replaces rows: Source yields the row id followed by the new
// value of every table column, then, for a RETURNING list of an UPDATE
// ... FROM, the FROM items' columns.
type UpdatePlan struct {
	Table     *catalog.Table
	Source    Node
	Returning *Returning
	// Joined: the statement has FROM items, so a row may come once per
	// matching FROM row; it is updated once, with the first.
	Joined bool
	// Assigned are the columns of Table the SET list may change; the
	// others keep their values.
	Assigned []int
}

// DeletePlan deletes the rows whose ids Source yields: an int8 column,
// followed by the rows' old values (every table column) and the USING
// items' columns when the statement has a RETURNING list.
type DeletePlan struct {
	Table     *catalog.Table
	Source    Node
	Returning *Returning
	// Joined: the statement has USING items, so a row id may come more
	// than once.
	Joined bool
}

// CopyFromPlan loads COPY ... FROM STDIN data, or the data of a
// server-side File, into Columns of Table.
type CopyFromPlan struct {
	Table   *catalog.Table
	Columns []int
	Options pgcopy.Options
	// Freeze is COPY ... (FREEZE): allowed only on a table created or
	// truncated in the current subtransaction.
	Freeze bool
	// File is the absolute path of the file to read; "" for STDIN.
	File string
	// Fill, when the columns COPY leaves out have defaults, yields every
	// column of Table from the copied records (a ModifiedRows leaf of
	// index 0): the copied values and the others' defaults.
	Fill Node
	// Insert, for COPY ... FROM a file (FORMAT parquet), inserts the
	// file's rows: the INSERT INTO Table (Columns) SELECT ... FROM
	// read_parquet(File) it stands for (copy_parquet.go).
	Insert *InsertPlan
}

// CopyToPlan writes the rows of Root with COPY ... TO STDOUT or to a
// server-side File.
type CopyToPlan struct {
	Root    Node
	Columns []ResultColumn
	Options pgcopy.Options
	// File is the absolute path of the file to write; "" for STDOUT.
	File string
	// Parquet writes File as a Parquet file (FORMAT parquet); Options
	// are then unused.
	Parquet bool
}

// CreateTablePlan creates a table, the unique indexes its UNIQUE
// constraints stand for and the sequences of its serial and identity
// columns.
type CreateTablePlan struct {
	Table       *catalog.Table
	Indexes     []*catalog.Index
	Sequences   []*catalog.Sequence
	IfNotExists bool
	// Temp is set for a temporary table, in the session's temporary
	// schema, which may not exist yet.
	Temp *TempTable
}

// CreateTableAsPlan creates Table and, WithData, fills it with the rows
// of Source (CREATE TABLE ... AS, SELECT ... INTO).
type CreateTableAsPlan struct {
	Table       *catalog.Table
	Source      Node
	IfNotExists bool
	WithData    bool
	SelectInto  bool
	Temp        *TempTable
}

// TruncatePlan empties Tables (TRUNCATE), restarting the sequences their
// columns own when RestartIdentity.
type TruncatePlan struct {
	Tables          []*catalog.Table
	RestartIdentity bool
	// Cascade also truncates the tables whose foreign keys reference
	// Tables.
	Cascade bool
}

// CreateSequencePlan creates a sequence.
type CreateSequencePlan struct {
	Sequence    *catalog.Sequence
	IfNotExists bool
}

// AlterSequencePlan replaces a sequence's definition with Sequence and,
// with Restart, makes RestartWith its next value. A missing sequence is a
// notice with IfExists.
type AlterSequencePlan struct {
	Sequence    *catalog.Sequence
	Restart     bool
	RestartWith int64
	Missing     bool // the sequence does not exist (IF EXISTS)
}

// CreateViewPlan creates a view.
type CreateViewPlan struct {
	View    *catalog.View
	Replace bool
}

// CreateIndexPlan records an index.
type CreateIndexPlan struct {
	Index       *catalog.Index
	IfNotExists bool
}

// CreateSchemaPlan creates a namespace.
type CreateSchemaPlan struct {
	Name        string
	IfNotExists bool
}

// ObjectKind names what a DropPlan drops.
type ObjectKind uint8

const (
	ObjectTable ObjectKind = iota
	ObjectView
	ObjectIndex
	ObjectSchema
	ObjectSequence
)

// QualifiedName is schema.name.
type QualifiedName struct{ Schema, Name string }

// DropPlan drops objects; with IfExists a missing one is a notice, with
// Cascade the views that depend on them go too.
type DropPlan struct {
	Kind     ObjectKind
	Names    []QualifiedName
	IfExists bool
	Cascade  bool
}

// TxnKind is a transaction control statement.
type TxnKind uint8

const (
	TxnBegin TxnKind = iota
	TxnCommit
	TxnRollback
	TxnSavepoint
	TxnRelease
	TxnRollbackTo
)

// TxnPlan is BEGIN / COMMIT / ROLLBACK, or a savepoint command with the
// savepoint's Name.
type TxnPlan struct {
	Kind TxnKind
	Name string
	// Modes are BEGIN's transaction modes, as settings:
	// transaction_isolation and transaction_read_only.
	Modes map[string]string
}

// TxnModesPlan is SET TRANSACTION (or, with Session, SET SESSION
// CHARACTERISTICS AS TRANSACTION): Modes are transaction_isolation and
// transaction_read_only values (default_... for the session form).
type TxnModesPlan struct {
	Modes   map[string]string
	Session bool
}

// CheckpointPlan flushes everything to Parquet.
type CheckpointPlan struct{}

// SetPlan is SET name = value (Value "" with Reset for RESET/DEFAULT;
// All for RESET ALL, with no Name). Tag is the command tag: RESET for
// RESET, else SET.
type SetPlan struct {
	Name  string
	Value string
	Reset bool
	All   bool
	Local bool
	Tag   string
}

// ShowPlan is SHOW name.
type ShowPlan struct{ Name string }

func (*QueryPlan) planKind() string           { return "query" }
func (p *ModifyingWithPlan) planKind() string { return p.Main.planKind() }
func (*InsertPlan) planKind() string          { return "insert" }
func (*UpdatePlan) planKind() string          { return "update" }
func (*DeletePlan) planKind() string          { return "delete" }
func (*CopyFromPlan) planKind() string        { return "copy" }
func (*CopyToPlan) planKind() string          { return "copy" }
func (*CreateTablePlan) planKind() string     { return "create table" }
func (*CreateViewPlan) planKind() string      { return "create view" }
func (*CreateTableAsPlan) planKind() string   { return "create table as" }
func (*TruncatePlan) planKind() string        { return "truncate" }
func (*CreateIndexPlan) planKind() string     { return "create index" }
func (*CreateSchemaPlan) planKind() string    { return "create schema" }
func (*CreateSequencePlan) planKind() string  { return "create sequence" }
func (*TxnModesPlan) planKind() string        { return "set transaction" }
func (*AlterSequencePlan) planKind() string   { return "alter sequence" }
func (*DropPlan) planKind() string            { return "drop" }
func (*TxnPlan) planKind() string             { return "transaction" }
func (*CheckpointPlan) planKind() string      { return "checkpoint" }
func (*SetPlan) planKind() string             { return "set" }
func (*ShowPlan) planKind() string            { return "show" }

// ExplainPlan is EXPLAIN of Inner; its rows are the plan's text (or
// its one row the plan as JSON).
type ExplainPlan struct {
	Inner Plan
	// Analyze runs Inner and reports what each operator did; Timing
	// (with Analyze) adds its times; Summary adds the planning (and,
	// with Analyze, execution) time.
	Analyze, Timing, Summary bool
	// Costs (on unless COSTS OFF) shows each node's estimated rows, the
	// planner's own figures (join_estimate.go), beside what ANALYZE
	// counted. pqdb has no cost model, so no costs or widths are shown.
	Costs bool
	// Format is "text" or "json".
	Format string
	// Planning is the time Bind took over the statement.
	Planning time.Duration
}

func (*ExplainPlan) planKind() string { return "explain" }
