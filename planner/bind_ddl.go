package planner

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgcopy"
	"github.com/pqdb/pqdb/pgerr"
)

func (b *binder) bindCreateTable(s *pg_query.CreateStmt) (Plan, error) {
	if len(s.InhRelations) > 0 || s.Partspec != nil || s.Partbound != nil || s.OfTypename != nil {
		return nil, pgerr.Unsupported("inheritance, partitioning and typed tables are not supported")
	}
	temp, err := b.tempTable(s.Relation, s.Oncommit)
	if err != nil {
		return nil, err
	}
	schema, err := b.creationSchema(s.Relation.Schemaname)
	if err != nil {
		return nil, err
	}
	if temp != nil {
		schema = b.opts.TempSchema
	}
	t := &catalog.Table{Schema: schema, Name: s.Relation.Relname, Unlogged: s.Relation.Relpersistence == "u"}
	if temp == nil && !b.cat.HasSchema(t.Schema) {
		return nil, b.errAt(pgerr.InvalidSchemaName, s.Relation.Location, "schema \"%s\" does not exist", t.Schema)
	}
	var pk []string
	var pkLoc int32
	var pkName string
	var uniques [][]string
	// uniqueNames are the names UNIQUE constraints give themselves
	// (CONSTRAINT name UNIQUE), by their position in uniques.
	uniqueNames := map[int]string{}
	addUnique := func(cols []string, name string) {
		uniqueNames[len(uniques)] = name
		uniques = append(uniques, cols)
	}
	var seqs []*catalog.Sequence
	var checks []pendingCheck
	var fks []pendingForeignKey
	addPK := func(cols []string, name string, loc int32) error {
		if pk != nil {
			return b.errAt(pgerr.InvalidTableDefinition, loc, "multiple primary keys for table \"%s\" are not allowed", t.Name)
		}
		pk, pkName, pkLoc = cols, name, loc
		return nil
	}
	var coldefs []*pg_query.ColumnDef
	for _, elt := range s.TableElts {
		switch e := elt.Node.(type) {
		case *pg_query.Node_ColumnDef:
			col, seq, err := b.bindColumnDef(t, e.ColumnDef, addPK, addUnique, &checks, &fks)
			if err != nil {
				return nil, err
			}
			coldefs = append(coldefs, e.ColumnDef)
			if seq != nil {
				seqs = append(seqs, seq)
			}
			t.Columns = append(t.Columns, col)
		case *pg_query.Node_Constraint:
			c := e.Constraint
			if c.Contype == pg_query.ConstrType_CONSTR_CHECK {
				checks = append(checks, pendingCheck{c: c})
				continue
			}
			if c.Contype == pg_query.ConstrType_CONSTR_FOREIGN {
				fks = append(fks, pendingForeignKey{c: c})
				continue
			}
			if c.Contype != pg_query.ConstrType_CONSTR_PRIMARY && c.Contype != pg_query.ConstrType_CONSTR_UNIQUE {
				return nil, b.errAt(pgerr.FeatureNotSupported, c.Location, "%s constraints are not supported", constraintName(c.Contype))
			}
			if err := checkConstraintIndex(c); err != nil {
				return nil, err
			}
			var cols []string
			for _, k := range c.Keys {
				cols = append(cols, k.GetString_().Sval)
			}
			if c.Contype == pg_query.ConstrType_CONSTR_UNIQUE {
				addUnique(cols, c.Conname)
				continue
			}
			if err := addPK(cols, c.Conname, c.Location); err != nil {
				return nil, err
			}
		default:
			return nil, pgerr.Unsupported("CREATE TABLE element %s is not supported", statementName(elt))
		}
	}
	b.warnColumnTypesAgain(coldefs...)
	if err := b.checkStorageParams(t, s.Options); err != nil {
		return nil, err
	}
	for _, name := range pk {
		i := t.ColumnIndex(name)
		if i < 0 {
			return nil, b.errAt(pgerr.UndefinedColumn, pkLoc, "column \"%s\" named in key does not exist", name)
		}
		t.Columns[i].NotNull = true
		t.PrimaryKey = append(t.PrimaryKey, i)
	}
	if err := b.checkBtreeKey(t, pk); err != nil {
		return nil, err
	}
	plan := &CreateTablePlan{Table: t, Sequences: seqs, IfNotExists: s.IfNotExists, Temp: temp}
	// A UNIQUE constraint is a unique index named by its CONSTRAINT
	// clause, else as Postgres names it: table_col1_col2_key.
	taken := map[string]bool{}
	if pk != nil {
		name, err := b.primaryKeyName(t, pkName, taken)
		if err != nil {
			return nil, err
		}
		t.PrimaryKeyName = name
	}
	for i, cols := range uniques {
		for _, name := range cols {
			if t.ColumnIndex(name) < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" named in key does not exist", name)
			}
		}
		if err := b.checkBtreeKey(t, cols); err != nil {
			return nil, err
		}
		plan.Indexes = append(plan.Indexes, uniqueIndex(t, cols, uniqueNames[i], taken))
	}
	if err := b.bindChecks(t, checks, taken); err != nil {
		return nil, err
	}
	for _, p := range fks {
		if p.column != "" {
			p.c.FkAttrs = []*pg_query.Node{pg_query.MakeStrNode(p.column)}
		}
		fk, err := b.bindForeignKey(t, p.c, taken, uniques)
		if err != nil {
			return nil, err
		}
		t.ForeignKeys = append(t.ForeignKeys, fk)
	}
	return plan, nil
}

// bindColumnDef binds a column definition of table t (CREATE TABLE, ALTER
// TABLE ADD COLUMN): its type, DEFAULT, identity and NOT NULL, and the
// sequence of a serial or identity column. Key and CHECK constraints
// written on the column go to addPK, uniques, checks and fks.
func (b *binder) bindColumnDef(t *catalog.Table, cd *pg_query.ColumnDef, addPK func(cols []string, name string, loc int32) error, addUnique func(cols []string, name string), checks *[]pendingCheck, fks *[]pendingForeignKey) (catalog.Column, *catalog.Sequence, error) {
	var err error
	if err := checkNotSystemColumnName(cd.Colname); err != nil {
		return catalog.Column{}, nil, err
	}
	if t.ColumnIndex(cd.Colname) >= 0 {
		return catalog.Column{}, nil, b.errAt(pgerr.DuplicateColumn, cd.Location, "column \"%s\" specified more than once", cd.Colname)
	}
	typ, serial := serialType(cd.TypeName)
	if !serial {
		if typ, err = b.typeFromName(cd.TypeName); err != nil {
			return catalog.Column{}, nil, err
		}
	}
	col := catalog.Column{Name: cd.Colname, Type: typ, NotNull: cd.IsNotNull || serial}
	if d := b.domainOf(cd.TypeName); d != nil && !serial {
		col.Domain = d.ID
	}
	if col.Collation, err = b.columnCollation(cd, typ); err != nil {
		return catalog.Column{}, nil, err
	}
	var identityOpts []*pg_query.Node
	hasDefault := false
	for _, cn := range cd.Constraints {
		c := cn.GetConstraint()
		switch c.Contype {
		case pg_query.ConstrType_CONSTR_DEFAULT:
			if hasDefault {
				return catalog.Column{}, nil, b.errAt(pgerr.SyntaxError, c.Location, "multiple default values specified for column \"%s\" of table \"%s\"", cd.Colname, t.Name)
			}
			hasDefault = true
			if col.Default, err = b.storedDefault(typ, c.RawExpr); err != nil {
				return catalog.Column{}, nil, err
			}
		case pg_query.ConstrType_CONSTR_IDENTITY:
			if col.Identity != "" {
				return catalog.Column{}, nil, b.errAt(pgerr.SyntaxError, c.Location, "multiple identity specifications for column \"%s\" of table \"%s\"", cd.Colname, t.Name)
			}
			if !typ.IsInteger() {
				return catalog.Column{}, nil, b.errAt(pgerr.InvalidParameterValue, c.Location, "identity column type must be smallint, integer, or bigint")
			}
			col.Identity, col.NotNull, identityOpts = c.GeneratedWhen, true, c.Options
		case pg_query.ConstrType_CONSTR_NOTNULL:
			col.NotNull = true
		case pg_query.ConstrType_CONSTR_NULL:
		case pg_query.ConstrType_CONSTR_PRIMARY:
			col.NotNull = true
			if err := addPK([]string{cd.Colname}, c.Conname, c.Location); err != nil {
				return catalog.Column{}, nil, err
			}
		case pg_query.ConstrType_CONSTR_UNIQUE:
			if err := checkConstraintIndex(c); err != nil {
				return catalog.Column{}, nil, err
			}
			addUnique([]string{cd.Colname}, c.Conname)
		case pg_query.ConstrType_CONSTR_CHECK:
			*checks = append(*checks, pendingCheck{c: c, column: cd.Colname})
		case pg_query.ConstrType_CONSTR_FOREIGN:
			*fks = append(*fks, pendingForeignKey{c: c, column: cd.Colname})
		case pg_query.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE, pg_query.ConstrType_CONSTR_ATTR_IMMEDIATE:
			// The default of every constraint.
		case pg_query.ConstrType_CONSTR_ATTR_DEFERRABLE, pg_query.ConstrType_CONSTR_ATTR_DEFERRED:
			if n := len(*fks); n > 0 && (*fks)[n-1].column == cd.Colname {
				(*fks)[n-1].c.Deferrable = true
				continue
			}
			return catalog.Column{}, nil, b.errAt(pgerr.FeatureNotSupported, c.Location, "DEFERRABLE constraints are not supported")
		default:
			return catalog.Column{}, nil, b.errAt(pgerr.FeatureNotSupported, c.Location, "%s constraints are not supported", constraintName(c.Contype))
		}
	}
	if cd.RawDefault != nil || cd.Generated != "" {
		return catalog.Column{}, nil, b.errAt(pgerr.FeatureNotSupported, cd.Location, "generated columns are not supported")
	}
	switch {
	case serial && hasDefault:
		return catalog.Column{}, nil, b.errAt(pgerr.SyntaxError, cd.Location, "multiple default values specified for column \"%s\" of table \"%s\"", cd.Colname, t.Name)
	case col.Identity != "" && hasDefault:
		return catalog.Column{}, nil, b.errAt(pgerr.SyntaxError, cd.Location, "both default and identity specified for column \"%s\" of table \"%s\"", cd.Colname, t.Name)
	}
	var seq *catalog.Sequence
	if serial || col.Identity != "" {
		if seq, err = b.columnSequence(t, col, identityOpts); err != nil {
			return catalog.Column{}, nil, err
		}
		col.Default = b.nextvalDefault(seq)
	}
	return col, seq, nil
}

func constraintName(t pg_query.ConstrType) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimPrefix(t.String(), "CONSTR_"), "_", " "))
}

func (b *binder) bindCreateView(s *pg_query.ViewStmt) (Plan, error) {
	sel := s.Query.GetSelectStmt()
	if sel == nil {
		return nil, pgerr.Unsupported("unsupported view query")
	}
	// The query's own WITH is its top level, where data-modifying
	// queries bind, but PostgreSQL refuses them in a view once the query
	// is bound.
	b.topWith = sel.WithClause
	b.relationSchemas = map[*pg_query.RangeVar]string{}
	b.storedLiterals = map[int32]string{}
	_, cols, err := b.bindSelect(sel, nil, nil)
	b.topWith = nil
	if err != nil {
		return nil, err
	}
	b.qualifyRelations()
	b.writeStoredLiterals(s.Query.ProtoReflect())
	b.storedLiterals = nil
	if len(b.modifying) > 0 {
		return nil, pgerr.Unsupported("views must not contain data-modifying statements in WITH")
	}
	if len(b.params) > 0 {
		return nil, pgerr.New(pgerr.UndefinedParameter, "there is no parameter $1")
	}
	sql, err := pg_query.Deparse(&pg_query.ParseResult{Version: parseTreeVersion(), Stmts: []*pg_query.RawStmt{{Stmt: s.Query}}})
	if err != nil {
		return nil, pgerr.New(pgerr.InternalError, "cannot store view definition: %v", err)
	}
	schema, err := b.creationSchema(s.View.Schemaname)
	if err != nil {
		return nil, err
	}
	v := &catalog.View{Schema: schema, Name: s.View.Relname, SQL: sql}
	if len(s.Aliases) > len(cols) {
		return nil, pgerr.New(pgerr.SyntaxError, "CREATE VIEW specifies more column names than columns")
	}
	seen := map[string]bool{}
	for i, c := range cols {
		name := c.Name
		if i < len(s.Aliases) {
			name = s.Aliases[i].GetString_().Sval
		}
		if seen[name] {
			return nil, pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", name)
		}
		seen[name] = true
		v.Columns = append(v.Columns, name)
	}
	return &CreateViewPlan{View: v, Replace: s.Replace}, nil
}

func (b *binder) bindCreateIndex(s *pg_query.IndexStmt) (Plan, error) {
	t, err := b.targetTable(s.Relation)
	if err != nil {
		return nil, err
	}
	method, m, err := bindIndexMethod(s)
	if err == nil {
		err = checkIndexStatement(s)
	}
	if err != nil {
		return nil, err
	}
	ix := &catalog.Index{Schema: t.Schema, Name: s.Idxname, Table: t.Name, Unique: s.Unique}
	if method != "btree" {
		ix.Method = method
	}
	column := func(p *pg_query.Node) (*pg_query.IndexElem, error) {
		e := p.GetIndexElem()
		if e.Expr == nil && t.ColumnIndex(e.Name) < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", e.Name)
		}
		return e, nil
	}
	var names []string // the key columns', for the index's own columns
	for _, p := range s.IndexParams {
		e, err := column(p)
		if err == nil {
			err = checkIndexOrder(method, m, e)
		}
		if err != nil {
			return nil, err
		}
		var typ catalog.Type
		if e.Expr != nil {
			x, err := b.bindIndexExpr(t, e.Expr, false)
			if err != nil {
				return nil, err
			}
			text, err := deparseExpr(e.Expr)
			if err != nil {
				return nil, err
			}
			typ = x.Type()
			if err := b.checkIndexKeyType(typ, typ.String(), method); err != nil {
				return nil, err
			}
			ix.Exprs = append(ix.Exprs, catalog.IndexExpr{SQL: text, Type: typ})
			names = append(names, b.indexColumnName(e.Expr))
		} else {
			typ = t.Columns[t.ColumnIndex(e.Name)].Type
			names = append(names, e.Name)
		}
		opclass, err := indexOpclass(method, e, typ)
		if err != nil {
			return nil, err
		}
		ix.Columns = append(ix.Columns, e.Name)
		ix.Options = append(ix.Options, indexColumnOption(e))
		ix.Opclasses = append(ix.Opclasses, opclass)
	}
	if !slices.ContainsFunc(ix.Options, func(o int16) bool { return o != 0 }) {
		ix.Options = nil
	}
	if !slices.ContainsFunc(ix.Opclasses, func(o string) bool { return o != "" }) {
		ix.Opclasses = nil
	}
	for _, p := range s.IndexIncludingParams {
		e, err := column(p)
		if err == nil && e.Expr != nil {
			err = pgerr.Unsupported("expressions are not supported in included columns")
		}
		if err != nil {
			return nil, err
		}
		ix.Include = append(ix.Include, e.Name)
	}
	if err := b.checkIndexColumns(t, ix.Columns, method); err != nil {
		return nil, err
	}
	if s.WhereClause != nil {
		if _, err := b.bindIndexExpr(t, s.WhereClause, true); err != nil {
			return nil, err
		}
		if ix.Predicate, err = deparseExpr(s.WhereClause); err != nil {
			return nil, err
		}
	}
	names = uniqueColumnNames(append(names, ix.Include...))
	k := 0
	for i, col := range ix.Columns {
		if col == "" {
			ix.Exprs[k].Name = names[i]
			k++
		}
	}
	if ix.Name == "" {
		// Postgres' default: table_col_idx, naming the included
		// columns too.
		base := t.Name + "_" + strings.Join(names, "_") + "_idx"
		ix.Name = base
		for i := 1; b.cat.Index(t.Schema, ix.Name) != nil; i++ {
			ix.Name = base + itoa(int64(i))
		}
	}
	if err := checkIndexKind(ix); err != nil {
		return nil, err
	}
	b.noteUnbuiltIndex(ix)
	return &CreateIndexPlan{Index: ix, IfNotExists: s.IfNotExists}, nil
}

func (b *binder) bindDrop(s *pg_query.DropStmt) (Plan, error) {
	p := &DropPlan{IfExists: s.MissingOk, Cascade: s.Behavior == pg_query.DropBehavior_DROP_CASCADE}
	switch s.RemoveType {
	case pg_query.ObjectType_OBJECT_TABLE:
		p.Kind = ObjectTable
	case pg_query.ObjectType_OBJECT_VIEW:
		p.Kind = ObjectView
	case pg_query.ObjectType_OBJECT_INDEX:
		p.Kind = ObjectIndex
	case pg_query.ObjectType_OBJECT_SEQUENCE:
		p.Kind = ObjectSequence
	case pg_query.ObjectType_OBJECT_TYPE, pg_query.ObjectType_OBJECT_DOMAIN:
		return b.bindDropType(s)
	case pg_query.ObjectType_OBJECT_SCHEMA:
		p.Kind = ObjectSchema
		for _, o := range s.Objects {
			p.Names = append(p.Names, QualifiedName{Name: o.GetString_().Sval})
		}
		return p, nil
	default:
		return nil, pgerr.Unsupported("DROP %s is not supported", strings.TrimPrefix(s.RemoveType.String(), "OBJECT_"))
	}
	for _, o := range s.Objects {
		var parts []string
		for _, it := range o.GetList().GetItems() {
			parts = append(parts, it.GetString_().Sval)
		}
		var q QualifiedName
		switch len(parts) {
		case 1:
			q.Name = parts[0]
			q.Schema = b.objectSchema("", q.Name)
		case 2:
			q.Schema, q.Name = b.schemaAlias(parts[0]), parts[1]
		default:
			return nil, pgerr.New(pgerr.SyntaxError, "improper qualified name (too many dotted names): %s", strings.Join(parts, "."))
		}
		p.Names = append(p.Names, q)
	}
	return p, nil
}

func (b *binder) bindCopy(s *pg_query.CopyStmt) (Plan, error) {
	if s.IsProgram {
		return nil, pgerr.Unsupported("COPY to or from an external program is not supported")
	}
	if s.WhereClause != nil {
		return nil, pgerr.Unsupported("COPY ... WHERE is not supported")
	}
	if err := checkCopyFile(s); err != nil {
		return nil, err
	}
	parquet, err := copyParquet(s)
	if err != nil {
		return nil, err
	}
	if !s.IsFrom {
		return b.bindCopyTo(s, parquet)
	}
	t, err := b.targetTable(s.Relation)
	if err != nil {
		return nil, err
	}
	p := &CopyFromPlan{Table: t, File: s.Filename}
	if p.Columns, err = copyColumns(t, s.Attlist); err != nil {
		return nil, err
	}
	p.Freeze = copyFreeze(s.Options)
	if parquet {
		p.Insert, err = b.bindCopyFromParquet(s, t, p.Columns)
		return p, err
	}
	var names []string
	for _, c := range p.Columns {
		names = append(names, t.Columns[c].Name)
	}
	if p.Options, err = copyOptions(s, t.Name, columnNamesOf(t), names); err != nil {
		return nil, err
	}
	p.Fill, err = b.copyDefaults(t, p.Columns)
	return p, err
}

// bindCopyTo binds COPY table [(cols)] TO STDOUT and COPY (query) TO
// STDOUT as the query whose rows are written out.
func (b *binder) bindCopyTo(s *pg_query.CopyStmt, parquet bool) (Plan, error) {
	p := &CopyToPlan{File: s.Filename, Parquet: parquet}
	options := func(table string, known []string) (err error) {
		if !parquet {
			p.Options, err = copyOptions(s, table, known, resultNames(p.Columns))
		}
		p.Options.Columns = resultNames(p.Columns)
		return err
	}
	var err error
	if s.Query != nil {
		sel := s.Query.GetSelectStmt()
		if sel == nil {
			return nil, pgerr.Unsupported("COPY (%s) TO is not supported", statementName(s.Query))
		}
		if p.Root, p.Columns, err = b.bindSelect(sel, nil, nil); err != nil {
			return nil, err
		}
		return p, options("", resultNames(p.Columns))
	}
	schema := b.objectSchema(s.Relation.Schemaname, s.Relation.Relname)
	t := b.cat.Table(schema, s.Relation.Relname)
	if t == nil {
		if b.cat.View(schema, s.Relation.Relname) != nil {
			e := b.errAt(pgerr.WrongObjectType, s.Relation.Location, "cannot copy from view \"%s\"", s.Relation.Relname)
			e.Hint = "Try the COPY (SELECT ...) TO variant."
			return nil, e
		}
		return nil, b.errAt(pgerr.UndefinedTable, s.Relation.Location, "relation \"%s\" does not exist", qualified(s.Relation))
	}
	cols, err := copyColumns(t, s.Attlist)
	if err != nil {
		return nil, err
	}
	scan := &Scan{Table: t, Alias: t.Name, Cols: cols}
	p.Root = scan
	for _, c := range cols {
		col := t.Columns[c]
		p.Columns = append(p.Columns, ResultColumn{Name: col.Name, Type: col.Type})
	}
	return p, options(t.Name, columnNamesOf(t))
}

func resultNames(cols []ResultColumn) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return names
}

// copyColumns resolves a COPY column list (all columns when empty).
func copyColumns(t *catalog.Table, attlist []*pg_query.Node) ([]int, error) {
	var cols []int
	if len(attlist) == 0 {
		for i := range t.Columns {
			cols = append(cols, i)
		}
		return cols, nil
	}
	for _, a := range attlist {
		name := a.GetString_().Sval
		i := t.ColumnIndex(name)
		if i < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, t.Name)
		}
		cols = append(cols, i)
	}
	return cols, nil
}

// copyOptions reads COPY's WITH (...) options over Postgres' defaults
// for the format. columns are the names of the columns the data holds
// and known those of the table (or query) they come from, which the
// FORCE_* options name.
func copyOptions(s *pg_query.CopyStmt, table string, known, columns []string) (pgcopy.Options, error) {
	format := pgcopy.Text
	var delim, null, quote, escape *string
	header, headerMatch := false, false
	var force []*pg_query.DefElem
	for _, o := range s.Options {
		d := o.GetDefElem()
		val := defElemString(d)
		switch d.Defname {
		case "format":
			switch strings.ToLower(val) {
			case "text":
				format = pgcopy.Text
			case "csv":
				format = pgcopy.CSV
			case "binary":
				format = pgcopy.Binary
			default:
				return pgcopy.Options{}, pgerr.New(pgerr.InvalidParameterValue, "COPY format \"%s\" not recognized", val)
			}
		case "delimiter":
			delim = &val
		case "null":
			null = &val
		case "header":
			// defGetCopyHeaderChoice: a Boolean, or "match" (COPY FROM).
			switch strings.ToLower(val) {
			case "", "true", "on", "1":
				header = true
			case "false", "off", "0":
				header = false
			case "match":
				if !s.IsFrom {
					return pgcopy.Options{}, pgerr.New(pgerr.SyntaxError, "cannot use \"%s\" with HEADER in COPY TO", val)
				}
				header, headerMatch = true, true
			default:
				return pgcopy.Options{}, pgerr.New(pgerr.SyntaxError, "header requires a Boolean value or \"match\"")
			}
		case "quote":
			quote = &val
		case "escape":
			escape = &val
		case "freeze":
			if _, err := defElemBool(d); err != nil {
				return pgcopy.Options{}, err
			}
		case "force_quote", "force_not_null", "force_null":
			force = append(force, d)
		default:
			return pgcopy.Options{}, pgerr.Unsupported("COPY option \"%s\" is not supported", d.Defname)
		}
	}
	opts := pgcopy.DefaultOptions(format)
	opts.Table, opts.Header, opts.HeaderMatch = table, header, headerMatch
	single := func(v *string, what string, dst *byte) error {
		if v == nil {
			return nil
		}
		if len(*v) != 1 {
			return pgerr.New(pgerr.FeatureNotSupported, "COPY %s must be a single one-byte character", what)
		}
		*dst = (*v)[0]
		return nil
	}
	if err := single(delim, "delimiter", &opts.Delimiter); err != nil {
		return pgcopy.Options{}, err
	}
	if err := single(quote, "quote", &opts.Quote); err != nil {
		return pgcopy.Options{}, err
	}
	if quote != nil && escape == nil {
		opts.Escape = opts.Quote
	}
	if err := single(escape, "escape", &opts.Escape); err != nil {
		return pgcopy.Options{}, err
	}
	if null != nil {
		opts.Null = *null
	}
	opts.Columns = columns
	if err := copyForce(&opts, force, s.IsFrom, table, known); err != nil {
		return pgcopy.Options{}, err
	}
	return opts, opts.Validate()
}

func defElemString(d *pg_query.DefElem) string {
	if d.Arg == nil {
		return ""
	}
	if s := d.Arg.GetString_(); s != nil {
		return s.Sval
	}
	if i := d.Arg.GetInteger(); i != nil {
		return itoa(int64(i.Ival))
	}
	if bv := d.Arg.GetBoolean(); bv != nil {
		if bv.Boolval {
			return "true"
		}
		return "false"
	}
	if c := d.Arg.GetAConst(); c != nil {
		if s, ok := c.Val.(*pg_query.A_Const_Sval); ok {
			return s.Sval.Sval
		}
	}
	return ""
}
