package planner

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// ALTER TABLE runs its commands one after another, each against the table
// as the ones before it left it, inside the statement's transaction: an
// error anywhere undoes them all, as in PostgreSQL. Binding the statement
// only resolves the table and refuses unsupported commands; the engine
// binds each command (BindAlterTableCmd) against the transaction's
// catalog right before applying it, because a command may name what an
// earlier one created.
//
// A command becomes an AlterTableStep: the table's new definition and the
// work around it (indexes and sequences to create or drop, existing rows
// to validate). Commands that change the stored columns (ADD, DROP,
// RENAME COLUMN, ALTER COLUMN TYPE) rewrite the table: Sources says where
// each new column comes from, and BindRewrite turns it into a plan over
// a scan of the old table (see storage's "Altering tables").

// AlterTablePlan is ALTER TABLE [IF EXISTS] [ONLY] name cmd [, ...].
type AlterTablePlan struct {
	Schema, Name string
	// Missing is set when the table does not exist and IF EXISTS was
	// given: the statement only sends its notice.
	Missing bool
	Cmds    []*pg_query.AlterTableCmd
	Query   string // the statement text, for error positions
}

// RenamePlan is ALTER TABLE/VIEW/SEQUENCE/INDEX ... RENAME [COLUMN |
// CONSTRAINT] ... TO .... Table and column renames run as an
// AlterTableStep (Step); the others name the object.
type RenamePlan struct {
	Tag     string // command tag: ALTER TABLE, ALTER VIEW, ...
	Kind    ObjectKind
	Schema  string
	Name    string
	NewName string
	Missing bool // IF EXISTS found nothing: the statement only sends its notice
	Step    *AlterTableStep
}

// ColumnSource is where a column of a rewritten table takes its values
// from: column Old of the old table (retyped to the new column's type,
// or through Using), or, when Old is -1, the column's DEFAULT.
type ColumnSource struct {
	Old   int
	Using *pg_query.Node
}

// AlterTableStep is one bound ALTER TABLE command.
type AlterTableStep struct {
	Old   *catalog.Table
	Table *catalog.Table // the definition after the command
	// Renamed maps old column names to new ones.
	Renamed map[string]string
	// Sources, when set, rewrite the table (one per column of Table).
	Sources []ColumnSource
	// Notices are what binding the command has to tell the client
	// (notices.go); with Skip they are all it does (IF [NOT] EXISTS found
	// nothing to do).
	Notices []*pgerr.Error
	Skip    bool

	CreateIndexes []*catalog.Index
	DropIndexes   []string
	// AlterIndexes are new definitions of indexes whose expressions or
	// predicate follow a renamed column.
	AlterIndexes    []*catalog.Index
	CreateSequences []*catalog.Sequence
	DropSequences   []string
	// ValidateNotNull lists columns the existing rows must hold no NULL
	// in; ValidateChecks the CHECK constraints they must pass;
	// ValidateKey a new primary key they must not duplicate.
	ValidateNotNull []int
	ValidateChecks  []catalog.Check
	ValidateKey     *catalog.Index
	// ValidateForeignKeys names new foreign keys of Table the existing
	// rows must satisfy.
	ValidateForeignKeys []string

	// DroppedColumn and Cascade: views reading the column fail the
	// command with 2BP01, or are dropped with CASCADE.
	DroppedColumn string
	Cascade       bool
	// RetypedColumn: views reading it fail the command (0A000).
	RetypedColumn string
	// RenamedColumn and RenamedTable: views reading the old name cannot
	// follow the rename (their query is stored as text).
	RenamedColumn string
	RenamedTable  bool
}

// Rewrites reports whether the step rewrites the table's rows.
func (s *AlterTableStep) Rewrites() bool { return s.Sources != nil }

func (*AlterTablePlan) planKind() string { return "alter table" }
func (*RenamePlan) planKind() string     { return "rename" }

func (b *binder) bindAlterTable(s *pg_query.AlterTableStmt) (Plan, error) {
	if s.Objtype != pg_query.ObjectType_OBJECT_TABLE {
		return nil, pgerr.Unsupported("ALTER %s is not supported", objectTypeName(s.Objtype))
	}
	p := &AlterTablePlan{Query: b.query}
	rv := s.Relation
	p.Schema = b.objectSchema(rv.Schemaname, rv.Relname)
	p.Name = rv.Relname
	if b.cat.Table(p.Schema, p.Name) == nil {
		if b.cat.View(p.Schema, p.Name) != nil || b.cat.Sequence(p.Schema, p.Name) != nil || b.cat.Index(p.Schema, p.Name) != nil {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table", rv.Relname)
		}
		if !s.MissingOk {
			return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", qualified(rv))
		}
		p.Missing = true
		b.notify(pgerr.Notice(pgerr.SuccessfulCompletion, "relation \"%s\" does not exist, skipping", qualified(rv)))
		return p, nil
	}
	for _, n := range s.Cmds {
		cmd := n.GetAlterTableCmd()
		switch cmd.Subtype {
		case pg_query.AlterTableType_AT_AddColumn, pg_query.AlterTableType_AT_DropColumn,
			pg_query.AlterTableType_AT_ColumnDefault, pg_query.AlterTableType_AT_SetNotNull,
			pg_query.AlterTableType_AT_DropNotNull, pg_query.AlterTableType_AT_AlterColumnType,
			pg_query.AlterTableType_AT_AddConstraint, pg_query.AlterTableType_AT_DropConstraint,
			pg_query.AlterTableType_AT_SetRelOptions, pg_query.AlterTableType_AT_ResetRelOptions:
		default:
			return nil, pgerr.Unsupported("ALTER TABLE %s is not supported", alterCmdName(cmd.Subtype))
		}
		p.Cmds = append(p.Cmds, cmd)
	}
	return p, nil
}

// alterCmdName names an ALTER TABLE subcommand for errors.
func alterCmdName(t pg_query.AlterTableType) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimPrefix(t.String(), "AT_"), "_", " "))
}

func objectTypeName(t pg_query.ObjectType) string {
	return strings.ReplaceAll(strings.TrimPrefix(t.String(), "OBJECT_"), "_", " ")
}

// BindAlterTableCmd binds one ALTER TABLE command against cat, where the
// table schema.name exists.
func BindAlterTableCmd(cat Catalog, schema, name string, cmd *pg_query.AlterTableCmd, query string, opts Options) (*AlterTableStep, error) {
	b := &binder{cat: cat, query: query, searchPath: existingSchemas(cat, opts.SearchPath), opts: opts}
	old := cat.Table(schema, name)
	if old == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", name)
	}
	st := &AlterTableStep{Old: old, Table: old.Clone()}
	var err error
	switch cmd.Subtype {
	case pg_query.AlterTableType_AT_AddColumn:
		err = b.alterAddColumn(st, cmd)
	case pg_query.AlterTableType_AT_DropColumn:
		err = b.alterDropColumn(st, cmd)
	case pg_query.AlterTableType_AT_ColumnDefault:
		err = b.alterColumnDefault(st, cmd)
	case pg_query.AlterTableType_AT_SetNotNull, pg_query.AlterTableType_AT_DropNotNull:
		err = b.alterNotNull(st, cmd)
	case pg_query.AlterTableType_AT_AlterColumnType:
		err = b.alterColumnType(st, cmd)
	case pg_query.AlterTableType_AT_AddConstraint:
		err = b.alterAddConstraint(st, cmd.Def.GetConstraint())
	case pg_query.AlterTableType_AT_DropConstraint:
		err = b.alterDropConstraint(st, cmd)
	case pg_query.AlterTableType_AT_SetRelOptions, pg_query.AlterTableType_AT_ResetRelOptions:
		err = b.alterStorageParams(st, cmd, cmd.Subtype == pg_query.AlterTableType_AT_ResetRelOptions)
	default:
		err = pgerr.Unsupported("ALTER TABLE %s is not supported", alterCmdName(cmd.Subtype))
	}
	if err != nil {
		// PostgreSQL reports ALTER TABLE's errors without a position.
		return nil, pgerr.From(err).WithPosition(0)
	}
	st.Notices = b.notices
	return st, nil
}

// column returns the index of the named column of st's table, or 42703.
func (st *AlterTableStep) column(name string) (int, error) {
	i := st.Table.ColumnIndex(name)
	if i < 0 {
		return -1, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, st.Table.Name)
	}
	return i, nil
}

// keepAll makes the step a rewrite in which every column keeps its
// values.
func (st *AlterTableStep) keepAll() {
	st.Sources = make([]ColumnSource, len(st.Table.Columns))
	for i := range st.Sources {
		st.Sources[i] = ColumnSource{Old: i}
	}
}

// takenNames are the constraint names st's table uses, and the relation
// names of its schema (an index-backed constraint is a relation).
func (b *binder) takenNames(st *AlterTableStep) map[string]bool {
	t := st.Table
	taken := map[string]bool{}
	if len(t.PrimaryKey) > 0 {
		taken[t.PrimaryKeyConstraint()] = true
	}
	for _, c := range t.Checks {
		taken[c.Name] = true
	}
	for _, fk := range t.ForeignKeys {
		taken[fk.Name] = true
	}
	for _, ix := range b.cat.Indexes(t.Schema) {
		taken[ix.Name] = true
	}
	for _, ix := range st.CreateIndexes {
		taken[ix.Name] = true
	}
	return taken
}

func (b *binder) alterAddColumn(st *AlterTableStep, cmd *pg_query.AlterTableCmd) error {
	t := st.Table
	cd := cmd.Def.GetColumnDef()
	if t.ColumnIndex(cd.Colname) >= 0 {
		if cmd.MissingOk {
			st.Skip = true
			b.notify(pgerr.Notice(pgerr.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists, skipping", cd.Colname, t.Name))
			return nil
		}
		return pgerr.New(pgerr.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists", cd.Colname, t.Name)
	}
	var pk []string
	var pkName string
	var uniques [][]string
	var checks []pendingCheck
	addPK := func(cols []string, name string, loc int32) error {
		if len(t.PrimaryKey) > 0 || pk != nil {
			return b.errAt(pgerr.InvalidTableDefinition, loc, "multiple primary keys for table \"%s\" are not allowed", t.Name)
		}
		pk, pkName = cols, name
		return nil
	}
	uniqueNames := map[int]string{}
	addUnique := func(cols []string, name string) {
		uniqueNames[len(uniques)] = name
		uniques = append(uniques, cols)
	}
	var fks []pendingForeignKey
	col, seq, err := b.bindColumnDef(t, cd, addPK, addUnique, &checks, &fks)
	if err != nil {
		return err
	}
	b.warnColumnTypesAgain(cd)
	keep := st.Table.Columns
	st.keepAll()
	t.Columns = append(keep, col)
	st.Sources = append(st.Sources, ColumnSource{Old: -1})
	if seq != nil {
		st.CreateSequences = append(st.CreateSequences, seq)
	}
	if pk != nil {
		t.Columns[len(t.Columns)-1].NotNull = true
		t.PrimaryKey = []int{len(t.Columns) - 1}
	}
	if err := b.checkBtreeKey(t, pk); err != nil {
		return err
	}
	taken := b.takenNames(st)
	if pk != nil {
		if t.PrimaryKeyName, err = b.primaryKeyName(t, pkName, taken); err != nil {
			return err
		}
	}
	for i, cols := range uniques {
		if err := b.checkBtreeKey(t, cols); err != nil {
			return err
		}
		st.CreateIndexes = append(st.CreateIndexes, uniqueIndex(t, cols, uniqueNames[i], taken))
	}
	if err := b.bindChecks(t, checks, taken); err != nil {
		return err
	}
	for _, p := range fks {
		p.c.FkAttrs = []*pg_query.Node{pg_query.MakeStrNode(col.Name)}
		if err := b.addForeignKey(st, p.c); err != nil {
			return err
		}
	}
	return nil
}

// uniqueIndex is the index of a UNIQUE constraint on cols of t, named
// name when the constraint has one (CONSTRAINT name UNIQUE (...)), else
// as PostgreSQL names it (table_col1_col2_key, numbered when taken).
func uniqueIndex(t *catalog.Table, cols []string, name string, taken map[string]bool) *catalog.Index {
	if name == "" {
		base := t.Name + "_" + strings.Join(cols, "_") + "_key"
		name = base
		for i := 1; taken[name]; i++ {
			name = base + itoa(int64(i))
		}
	}
	taken[name] = true
	return &catalog.Index{Schema: t.Schema, Name: name, Table: t.Name, Columns: cols, Unique: true, Constraint: true}
}

func (b *binder) alterDropColumn(st *AlterTableStep, cmd *pg_query.AlterTableCmd) error {
	t := st.Table
	j := t.ColumnIndex(cmd.Name)
	if j < 0 {
		if cmd.MissingOk {
			st.Skip = true
			b.notify(pgerr.Notice(pgerr.SuccessfulCompletion, "column \"%s\" of relation \"%s\" does not exist, skipping", cmd.Name, t.Name))
			return nil
		}
		return pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", cmd.Name, t.Name)
	}
	st.DroppedColumn, st.Cascade = cmd.Name, cmd.Behavior == pg_query.DropBehavior_DROP_CASCADE
	st.keepAll()
	st.Sources = slices.Delete(st.Sources, j, j+1)
	t.Columns = slices.Delete(t.Columns, j, j+1)
	if slices.Contains(t.PrimaryKey, j) {
		t.PrimaryKey, t.PrimaryKeyName = nil, ""
	}
	for i, k := range t.PrimaryKey {
		if k > j {
			t.PrimaryKey[i] = k - 1
		}
	}
	// Constraints and indexes over the column go with it, and so does
	// its place in the sort key.
	t.SortKey = slices.DeleteFunc(t.SortKey, func(c string) bool { return c == cmd.Name })
	t.Checks = slices.DeleteFunc(t.Checks, func(c catalog.Check) bool { return exprReadsColumn(c.Expr, cmd.Name) })
	t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk catalog.ForeignKey) bool { return slices.Contains(fk.Columns, cmd.Name) })
	for _, ix := range b.cat.Indexes(t.Schema) {
		if ix.Table == t.Name && (ix.Stores(cmd.Name) || indexReadsColumn(ix, cmd.Name)) {
			st.DropIndexes = append(st.DropIndexes, ix.Name)
		}
	}
	for _, seq := range sequencesOwnedBy(b.cat, st.Old, cmd.Name) {
		st.DropSequences = append(st.DropSequences, seq)
	}
	return nil
}

// sequencesOwnedBy names the sequences owned by column col of t.
func sequencesOwnedBy(cat Catalog, t *catalog.Table, col string) []string {
	c := t.Columns[t.ColumnIndex(col)]
	var out []string
	// A serial or identity column's default names its sequence; its
	// owner is recorded on the sequence.
	for _, name := range []string{t.Name + "_" + col + "_seq", sequenceOfDefault(c.Default)} {
		if name == "" || slices.Contains(out, name) {
			continue
		}
		if seq := cat.Sequence(t.Schema, name); seq != nil && seq.OwnedTable == t.Name && seq.OwnedColumn == col {
			out = append(out, name)
		}
	}
	return out
}

// sequenceOfDefault is the sequence name in a nextval('name'::regclass)
// default, or "".
func sequenceOfDefault(def string) string {
	rest, ok := strings.CutPrefix(def, "nextval('")
	if !ok {
		return ""
	}
	name, _, ok := strings.Cut(rest, "'")
	if !ok {
		return ""
	}
	if _, after, ok := strings.Cut(name, "."); ok {
		name = after
	}
	return strings.Trim(name, "\"")
}

func (b *binder) alterColumnDefault(st *AlterTableStep, cmd *pg_query.AlterTableCmd) error {
	i, err := st.column(cmd.Name)
	if err != nil {
		return err
	}
	col := &st.Table.Columns[i]
	if cmd.Def == nil {
		col.Default = ""
		if col.Identity != "" {
			col.Default = st.Old.Columns[i].Default
		}
		return nil
	}
	if col.Identity != "" {
		e := pgerr.New(pgerr.SyntaxError, "column \"%s\" of relation \"%s\" is an identity column", col.Name, st.Table.Name)
		e.Hint = "Use ALTER TABLE ... ALTER COLUMN ... DROP IDENTITY instead."
		return e
	}
	col.Default, err = b.storedDefault(col.Type, cmd.Def)
	return err
}

func (b *binder) alterNotNull(st *AlterTableStep, cmd *pg_query.AlterTableCmd) error {
	i, err := st.column(cmd.Name)
	if err != nil {
		return err
	}
	col := &st.Table.Columns[i]
	if cmd.Subtype == pg_query.AlterTableType_AT_DropNotNull {
		if slices.Contains(st.Table.PrimaryKey, i) {
			return pgerr.New(pgerr.InvalidTableDefinition, "column \"%s\" is in a primary key", col.Name)
		}
		if col.Identity != "" {
			return pgerr.New(pgerr.SyntaxError, "column \"%s\" of relation \"%s\" is an identity column", col.Name, st.Table.Name)
		}
		col.NotNull = false
		return nil
	}
	if !col.NotNull {
		col.NotNull = true
		st.ValidateNotNull = append(st.ValidateNotNull, i)
	}
	return nil
}

func (b *binder) alterColumnType(st *AlterTableStep, cmd *pg_query.AlterTableCmd) error {
	t := st.Table
	i, err := st.column(cmd.Name)
	if err != nil {
		return err
	}
	cd := cmd.Def.GetColumnDef()
	col := &t.Columns[i]
	old := col.Type
	st.RetypedColumn = col.Name
	st.keepAll()
	st.Sources[i].Using = cd.RawDefault
	// The values must convert: by assignment, or through USING.
	_, sc := tableScope(st.Old, st.Old.Name)
	sc.cols = sc.cols[:len(st.Old.Columns)]
	var val Expr = &ColRef{Index: i, T: old, Name: col.Name}
	if cd.RawDefault != nil {
		if val, err = b.bindExpr(cd.RawDefault, sc, ctxCheck); err != nil {
			return err
		}
	}
	// PostgreSQL binds USING first, then resolves the new type twice,
	// both times without a position (ATPrepAlterColumnType,
	// ATExecAlterColumnType).
	query := b.query
	b.query = ""
	typ, err := b.typeFromName(cd.TypeName)
	var collation string
	if err == nil {
		// Without COLLATE the column takes the new type's collation.
		collation, err = b.columnCollation(cd, typ)
	}
	b.query = query
	if err != nil {
		return err
	}
	if _, err := b.assign(val, typ); err != nil {
		var e *pgerr.Error
		if cd.RawDefault != nil {
			e = pgerr.New(pgerr.DatatypeMismatch, "result of USING clause for column \"%s\" cannot be cast automatically to type %s", col.Name, typ)
			e.Hint = "You might need to add an explicit cast."
		} else {
			e = pgerr.New(pgerr.DatatypeMismatch, "column \"%s\" cannot be cast automatically to type %s", col.Name, typ)
			e.Hint = "You might need to specify \"USING " + exec.QuoteIdent(col.Name) + "::" + typ.String() + "\"."
		}
		if pe := pgerr.From(err); pe.Code != pgerr.DatatypeMismatch {
			return err
		}
		return e
	}
	b.warnColumnTypesAgain(cd)
	if err := b.checkRetypedIndexExprs(t, col.Name); err != nil {
		return err
	}
	col.Type, col.Collation = typ, collation
	col.Domain = 0
	if d := b.domainOf(cd.TypeName); d != nil {
		col.Domain = d.ID
	}
	if col.Default != "" {
		if _, err := b.columnDefault(t, i); err != nil {
			return pgerr.New(pgerr.DatatypeMismatch, "default for column \"%s\" cannot be cast automatically to type %s", col.Name, typ)
		}
	}
	return b.checkRetypedKey(t, i)
}

func (b *binder) alterAddConstraint(st *AlterTableStep, c *pg_query.Constraint) error {
	t := st.Table
	if c.Deferrable || c.Initdeferred {
		return pgerr.Unsupported("DEFERRABLE constraints are not supported")
	}
	taken := b.takenNames(st)
	if c.Conname != "" && taken[c.Conname] {
		if b.cat.Index(t.Schema, c.Conname) != nil && (c.Contype == pg_query.ConstrType_CONSTR_UNIQUE || c.Contype == pg_query.ConstrType_CONSTR_PRIMARY) {
			return pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", c.Conname)
		}
		return pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", c.Conname, t.Name)
	}
	keys := func() ([]string, error) {
		if err := checkConstraintIndex(c); err != nil {
			return nil, err
		}
		var cols []string
		for _, k := range c.Keys {
			name := k.GetString_().Sval
			if t.ColumnIndex(name) < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" named in key does not exist", name)
			}
			cols = append(cols, name)
		}
		return cols, nil
	}
	switch c.Contype {
	case pg_query.ConstrType_CONSTR_CHECK:
		before := len(t.Checks)
		if err := b.bindChecks(t, []pendingCheck{{c: c}}, taken); err != nil {
			return err
		}
		if before == len(t.Checks) || c.SkipValidation {
			return nil
		}
		name := c.Conname
		if name == "" {
			name = newCheckName(st.Old.Checks, t.Checks)
		}
		for _, ck := range t.Checks {
			if ck.Name == name {
				st.ValidateChecks = append(st.ValidateChecks, ck)
			}
		}
		return nil
	case pg_query.ConstrType_CONSTR_UNIQUE:
		cols, err := keys()
		if err == nil {
			err = b.checkBtreeKey(t, cols)
		}
		if err != nil {
			return err
		}
		ix := uniqueIndex(t, cols, c.Conname, taken)
		st.CreateIndexes = append(st.CreateIndexes, ix)
		return nil
	case pg_query.ConstrType_CONSTR_PRIMARY:
		if len(t.PrimaryKey) > 0 {
			return pgerr.New(pgerr.InvalidTableDefinition, "multiple primary keys for table \"%s\" are not allowed", t.Name)
		}
		cols, err := keys()
		if err == nil {
			err = b.checkBtreeKey(t, cols)
		}
		if err != nil {
			return err
		}
		if t.PrimaryKeyName, err = b.primaryKeyName(t, c.Conname, taken); err != nil {
			return err
		}
		for _, name := range cols {
			i := t.ColumnIndex(name)
			t.PrimaryKey = append(t.PrimaryKey, i)
			if !t.Columns[i].NotNull {
				t.Columns[i].NotNull = true
				st.ValidateNotNull = append(st.ValidateNotNull, i)
			}
		}
		st.ValidateKey = &catalog.Index{Schema: t.Schema, Name: t.PrimaryKeyName, Table: t.Name, Columns: cols, Unique: true}
		return nil
	case pg_query.ConstrType_CONSTR_FOREIGN:
		return b.addForeignKey(st, c)
	}
	return pgerr.New(pgerr.FeatureNotSupported, "%s constraints are not supported", constraintName(c.Contype))
}

// newCheckName is the name of the one check in after that before lacks.
func newCheckName(before, after []catalog.Check) string {
	for _, c := range after {
		if !slices.ContainsFunc(before, func(o catalog.Check) bool { return o.Name == c.Name }) {
			return c.Name
		}
	}
	return ""
}

func (b *binder) alterDropConstraint(st *AlterTableStep, cmd *pg_query.AlterTableCmd) error {
	t := st.Table
	name := cmd.Name
	if i := slices.IndexFunc(t.Checks, func(c catalog.Check) bool { return c.Name == name }); i >= 0 {
		t.Checks = slices.Delete(t.Checks, i, i+1)
		return nil
	}
	if i := slices.IndexFunc(t.ForeignKeys, func(fk catalog.ForeignKey) bool { return fk.Name == name }); i >= 0 {
		t.ForeignKeys = slices.Delete(t.ForeignKeys, i, i+1)
		return nil
	}
	if len(t.PrimaryKey) > 0 && name == t.PrimaryKeyConstraint() {
		t.PrimaryKey, t.PrimaryKeyName = nil, ""
		return nil
	}
	if ix := b.cat.Index(t.Schema, name); ix != nil && ix.Table == t.Name && ix.Constraint {
		st.DropIndexes = append(st.DropIndexes, name)
		return nil
	}
	if cmd.MissingOk {
		st.Skip = true
		b.notify(pgerr.Notice(pgerr.SuccessfulCompletion, "constraint \"%s\" of relation \"%s\" does not exist, skipping", name, t.Name))
		return nil
	}
	return pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" of relation \"%s\" does not exist", name, t.Name)
}

// BindRewrite is the plan that computes the rows of a rewritten table
// (st.Table) from a scan of the old one, in cat, which holds the old
// table and every sequence the new columns' defaults name.
func BindRewrite(cat Catalog, st *AlterTableStep, opts Options) (Node, error) {
	b := &binder{cat: cat, searchPath: existingSchemas(cat, opts.SearchPath), opts: opts}
	scan, sc := tableScope(st.Old, st.Old.Name)
	scan.RowID = false
	sc.cols = sc.cols[:len(st.Old.Columns)]
	exprs := make([]Expr, len(st.Sources))
	for i, src := range st.Sources {
		col := st.Table.Columns[i]
		var e Expr
		var err error
		switch {
		case src.Old < 0:
			e, err = b.columnDefault(st.Table, i)
		case src.Using != nil:
			if e, err = b.bindExpr(src.Using, sc, ctxCheck); err == nil {
				e, err = b.assign(e, col.Type)
			}
		default:
			old := st.Old.Columns[src.Old]
			e, err = b.assign(&ColRef{Index: src.Old, T: old.Type, Name: old.Name}, col.Type)
		}
		if err != nil {
			return nil, err
		}
		exprs[i] = e
	}
	return optimize(&Project{Input: scan, Exprs: exprs}, b.location(), b.estimates())
}

// RenameSequenceInDefault returns the column default def with sequence
// old renamed to new when def is nextval('old'...), and whether it was.
func RenameSequenceInDefault(def, old, new string) (string, bool) {
	if sequenceOfDefault(def) != old {
		return def, false
	}
	rest, _ := strings.CutPrefix(def, "nextval('")
	lit, tail, _ := strings.Cut(rest, "'")
	name := exec.QuoteIdent(new)
	if schema, _, ok := strings.Cut(lit, "."); ok {
		name = schema + "." + name
	}
	return "nextval('" + strings.ReplaceAll(name, "'", "''") + "'" + tail, true
}
