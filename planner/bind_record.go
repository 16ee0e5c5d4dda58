package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// Records in expressions (record_expr.go has their nodes):
//
//	ROW(a, b), (a, b)   a record with fields f1, f2, ...; ROW(t.*, x)
//	                    spreads t's columns into fields
//	t, t.*              a whole-row reference (as a value): a record of
//	                    the FROM item t's columns, named after them. A
//	                    column called t wins over the table t, as in
//	                    PostgreSQL.
//	(r).f, (r).*        a field of a record; (r).* in a select list (or
//	                    a row constructor) is one column per field
//	r IS [NOT] NULL     exec's record null test (every field NULL, none)
//	r1 op r2            record_eq and record_cmp: field by field, NULL
//	                    fields equal to each other and above any value
//
// A whole-row reference is built where it is read, from the columns of
// its FROM item. An outer join's NULL-extended rows would then read as a
// record of NULLs, which is not PostgreSQL's NULL record; so each FROM
// item on the nullable side of an outer join that the statement may
// reference as a whole row gets a presence column (bind_record_presence.go),
// a constant true that the join NULL-extends, and the record is NULL
// where it is.

// bindRow binds a row constructor in value position.
func (b *binder) bindRow(r *pg_query.RowExpr, sc *scope, ctx exprContext) (Expr, error) {
	args, err := b.bindRowArgs(r.Args, sc, ctx)
	if err != nil {
		return nil, err
	}
	fields := make([]catalog.RecordField, len(args))
	for i, a := range args {
		// An untyped parameter is read as text; an untyped literal
		// stays unknown, as in PostgreSQL, where it prints as written
		// and compares with nothing.
		if p, ok := a.(*Param); ok && p.T.Kind == catalog.Unknown {
			a = b.resolveUnknown(a)
			args[i] = a
		}
		if a.Type().Kind == catalog.Void {
			return nil, pgerr.Unsupported("a row constructor with a void element is not supported")
		}
		fields[i] = catalog.RecordField{Name: catalog.RowFieldName(i), Type: a.Type()}
	}
	return &RowExpr{Args: args, T: catalog.RecordOf(fields)}, nil
}

// bindRowArgs binds the elements of a row constructor: t.* and (r).*
// stand for one element per column or field.
func (b *binder) bindRowArgs(nodes []*pg_query.Node, sc *scope, ctx exprContext) ([]Expr, error) {
	var args []Expr
	for _, n := range nodes {
		if spread, ok, err := b.bindStarValues(n, sc, ctx); ok {
			if err != nil {
				return nil, err
			}
			args = append(args, spread...)
			continue
		}
		e, err := b.bindExpr(n, sc, ctx)
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	return args, nil
}

// bindStarValues binds t.* or (r).* where it stands for a list of values
// (in a row constructor): ok reports whether n is one.
func (b *binder) bindStarValues(n *pg_query.Node, sc *scope, ctx exprContext) ([]Expr, bool, error) {
	if ref := n.GetColumnRef(); ref != nil && isStar(ref) {
		if len(ref.Fields) != 2 {
			return nil, true, b.errAt(pgerr.FeatureNotSupported, ref.Location, "a row constructor with * is not supported")
		}
		table := ref.Fields[0].GetString_().GetSval()
		if !sc.tableVisible(table) {
			return nil, true, sc.missingTable(table, ref.Location, b.query)
		}
		exprs, _ := sc.expandStar(table)
		return exprs, true, nil
	}
	if ind := n.GetAIndirection(); ind != nil && endsInStar(ind) {
		exprs, _, err := b.bindFieldStar(ind, sc, ctx)
		return exprs, true, err
	}
	return nil, false, nil
}

func endsInStar(ind *pg_query.A_Indirection) bool {
	return len(ind.Indirection) > 0 && ind.Indirection[len(ind.Indirection)-1].GetAStar() != nil
}

// bindFieldStar binds (r).*: one expression per field of the record r,
// with the fields' names.
func (b *binder) bindFieldStar(ind *pg_query.A_Indirection, sc *scope, ctx exprContext) ([]Expr, []string, error) {
	rest := &pg_query.A_Indirection{Arg: ind.Arg, Indirection: ind.Indirection[:len(ind.Indirection)-1]}
	var rec Expr
	var err error
	if len(rest.Indirection) == 0 {
		rec, err = b.bindExpr(rest.Arg, sc, ctx)
	} else {
		rec, err = b.bindIndirection(rest, sc, ctx)
	}
	if err != nil {
		return nil, nil, err
	}
	t := rec.Type()
	if t.Kind != catalog.Record {
		return nil, nil, pgerr.New(pgerr.WrongObjectType, "type %s is not composite", t)
	}
	var exprs []Expr
	var names []string
	for i, f := range t.Fields() {
		exprs = append(exprs, fieldOf(rec, i))
		names = append(names, f.Name)
	}
	return exprs, names, nil
}

// fieldOf reads field i of rec: a row expression's own element (a
// whole-row reference's field is its FROM item's column, which the outer
// join NULL-extends with it), else a FieldSelect.
func fieldOf(rec Expr, i int) Expr {
	if r, ok := rec.(*RowExpr); ok {
		return r.Args[i]
	}
	return &FieldSelect{Arg: rec, Index: i, T: rec.Type().Fields()[i].Type}
}

// bindFieldIndirection binds (r).a.b and subscripts after fields:
// field selections and subscripts applied in turn.
func (b *binder) bindFieldIndirection(x *pg_query.A_Indirection, sc *scope, ctx exprContext) (Expr, error) {
	if endsInStar(x) {
		return nil, b.errAt(pgerr.FeatureNotSupported, indirectionLocation(x), "row expansion via \"*\" is not supported here")
	}
	e, err := b.bindExpr(x.Arg, sc, ctx)
	if err != nil {
		return nil, err
	}
	for k, n := range x.Indirection {
		if n.GetAIndices() != nil {
			// Subscripts after a field: bind them over the field value.
			sub := &pg_query.A_Indirection{Arg: x.Arg, Indirection: x.Indirection[k:]}
			return b.bindIndirectionOver(e, sub, sc, ctx)
		}
		name := n.GetString_().GetSval()
		if e, err = b.selectField(e, name, indirectionLocation(x)); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// selectField binds (rec).name.
func (b *binder) selectField(rec Expr, name string, loc int32) (Expr, error) {
	t := rec.Type()
	if t.Kind != catalog.Record {
		return nil, b.errAt(pgerr.WrongObjectType, loc, "column notation .%s applied to type %s, which is not a composite type", name, t)
	}
	for i, f := range t.Fields() {
		if f.Name == name {
			return fieldOf(rec, i), nil
		}
	}
	if r, ok := rec.(*RowExpr); ok && r.Table != "" {
		return nil, b.errAt(pgerr.UndefinedColumn, loc, "column %s.%s does not exist", r.Table, name)
	}
	return nil, b.errAt(pgerr.UndefinedColumn, loc, "could not identify column \"%s\" in record data type", name)
}

// indirectionLocation is where an indirection's argument stands, for
// errors (A_Indirection has no location of its own).
func indirectionLocation(x *pg_query.A_Indirection) int32 {
	if ref := x.Arg.GetColumnRef(); ref != nil {
		return ref.Location
	}
	return -1
}

// wholeRow is the record of the FROM item table's columns (those table.*
// stands for), found as lookup finds a column: in s, or through the
// captures of the enclosing queries. It is nil when no visible item is
// called table.
func (s *scope) wholeRow(table string, loc int32, query string) (Expr, error) {
	if s.visible() && s.ownsTable(table) {
		if s.lateralRefused {
			e := (&pgerr.Error{Code: pgerr.InvalidColumnReference, Message: "invalid reference to FROM-clause entry for table \"" + table + "\""}).WithPosition(position(query, loc))
			e.Detail = "The combining JOIN type must be INNER or LEFT for a LATERAL reference."
			return nil, e
		}
		var args []Expr
		var fields []catalog.RecordField
		var present Expr
		nullable, joinAlias := false, false
		// A table's or view's whole row is of its row type, named after
		// it, whose fields keep the columns' own names under aliases.
		relation := ""
		for i, c := range s.cols {
			switch {
			case c.table != table:
				continue
			case c.presence:
				present = &ColRef{Index: i, T: c.t}
				continue
			case c.hidden && !c.usingCopy:
				continue
			}
			nullable = nullable || c.nullable
			joinAlias = joinAlias || c.hiddenTable != "" || c.merged
			if len(args) == 0 {
				relation = c.relation
			}
			name := c.name
			if c.rowField == "" || c.relation != relation {
				relation = ""
			} else {
				name = c.rowField
			}
			args = append(args, &ColRef{Index: i, T: c.t, Name: c.name})
			fields = append(fields, catalog.RecordField{Name: name, Type: c.t})
		}
		if relation == "" || joinAlias {
			// Not a table's or view's row: the fields are named as
			// the columns are referenced.
			relation = ""
			for j, a := range args {
				fields[j].Name = a.(*ColRef).Name
			}
		}
		// The whole row of a join alias is a row of its columns, never
		// NULL, as in PostgreSQL (which expands it so).
		if nullable && present == nil && !joinAlias {
			// The item is NULL-extended by an outer join but has no
			// presence column: a whole-row reference pqdb did not
			// foresee (bind_record_presence.go), refused rather than
			// read as a record of NULLs.
			return nil, (&pgerr.Error{Code: pgerr.FeatureNotSupported, Message: "a whole-row reference to \"" + table + "\" on the nullable side of an outer join is not supported here"}).WithPosition(position(query, loc))
		}
		return &RowExpr{Args: args, T: catalog.NamedRecordOf(relation, fields), Table: table, Present: present}, nil
	}
	if s.parent != nil && s.capture != nil {
		outer, err := s.parent.wholeRow(table, loc, query)
		if outer == nil || err != nil {
			return nil, err
		}
		return &OuterRef{Index: s.capture.add(outer), T: outer.Type()}, nil
	}
	return nil, nil
}

// recordComparison binds l op r over two records: record_eq and
// record_cmp, which need as many fields, of the same types, on both
// sides.
func (b *binder) recordComparison(op string, l, r Expr, loc int32) (Expr, error) {
	l, r, err := b.unifyRecords(l, r, op, loc)
	if err != nil {
		return nil, err
	}
	x := comparisonOps[op]
	if x != exec.OpEq && x != exec.OpNe {
		if err := recordKeyError(l.Type(), true); err != nil {
			return nil, withPos(err, position(b.query, loc))
		}
	}
	return &BinExpr{Op: x, L: l, R: r, T: catalog.TypeBool}, nil
}

// unifyRecords readies the operands of a comparison of which one is a
// record: an untyped literal beside a record is read as one (which
// PostgreSQL's record_in refuses for anonymous records); the records
// need not be of one type, only comparable (exec.CheckRecordsComparable).
// Records of different types are cast to one (each field to the fields'
// common type), so that the comparison, and a hash join on it, reads
// both sides alike.
func (b *binder) unifyRecords(l, r Expr, op string, loc int32) (Expr, Expr, error) {
	lt, rt := l.Type(), r.Type()
	var err error
	if lt.Kind == catalog.Unknown {
		if l, err = b.coerce(l, rt, loc); err != nil {
			return nil, nil, err
		}
	}
	if rt.Kind == catalog.Unknown {
		if r, err = b.coerce(r, lt, loc); err != nil {
			return nil, nil, err
		}
	}
	if l.Type().Kind != catalog.Record || r.Type().Kind != catalog.Record {
		return nil, nil, b.noOperator(op, lt, rt, loc)
	}
	if err := exec.CheckRecordsComparable(l.Type(), r.Type()); err != nil {
		return nil, nil, withPos(err, position(b.query, loc))
	}
	if recordHas(l.Type(), func(t catalog.Type) bool { return t.Kind == catalog.JSON }) {
		return nil, nil, withPos(errNoJSONEquality(), position(b.query, loc))
	}
	if l.Type() == r.Type() {
		return l, r, nil
	}
	lf, rf := l.Type().Fields(), r.Type().Fields()
	fields := make([]catalog.RecordField, len(lf))
	for j := range lf {
		ft, err := commonType([]catalog.Type{lf[j].Type, rf[j].Type}, "record comparison")
		if err != nil {
			return nil, nil, withPos(err, position(b.query, loc))
		}
		fields[j] = catalog.RecordField{Name: lf[j].Name, Type: ft}
	}
	t := catalog.RecordOf(fields)
	if l.Type() != t {
		l = &CastExpr{Arg: l, T: t}
	}
	if r.Type() != t {
		r = &CastExpr{Arg: r, T: t}
	}
	return l, r, nil
}

// recordHas reports whether a field of record type t (at any depth)
// satisfies pred.
func recordHas(t catalog.Type, pred func(catalog.Type) bool) bool {
	for _, f := range t.Fields() {
		if pred(f.Type) || f.Type.Kind == catalog.Record && recordHas(f.Type, pred) {
			return true
		}
	}
	return false
}

// recordKeyError refuses to group by (ordering false) or to order by a
// record whose fields pqdb cannot compare so: json, which has no
// equality (PostgreSQL fails only once it compares two rows), and, for
// ordering, enums, which exec would order by label rather than by the
// enum's declared order.
func recordKeyError(t catalog.Type, ordering bool) error {
	if t.Kind != catalog.Record {
		return nil
	}
	if recordHas(t, func(f catalog.Type) bool { return f.Kind == catalog.JSON }) {
		return pgerr.Unsupported("comparing records with a field of type json is not supported")
	}
	if ordering && recordHas(t, func(f catalog.Type) bool { return f.HasEnum() }) {
		return pgerr.Unsupported("ordering records with a field of an enum type is not supported")
	}
	return nil
}

// isRecordTypeName tells the type name record (or pg_catalog.record).
func isRecordTypeName(tn *pg_query.TypeName) bool {
	if len(tn.ArrayBounds) > 0 || len(tn.Names) == 0 || len(tn.Names) > 2 {
		return false
	}
	if len(tn.Names) == 2 && tn.Names[0].GetString_().GetSval() != "pg_catalog" {
		return false
	}
	return tn.Names[len(tn.Names)-1].GetString_().GetSval() == "record"
}

// castToRecord binds x::record: a record stays as it is; NULL is a NULL
// record (of no fields); text is read by record_in, which refuses
// anonymous records (0A000), as PostgreSQL's does; nothing else casts.
func (b *binder) castToRecord(tc *pg_query.TypeCast, sc *scope, ctx exprContext) (Expr, error) {
	arg, err := b.bindExpr(tc.Arg, sc, ctx)
	if err != nil {
		return nil, err
	}
	t := arg.Type()
	switch {
	case t.Kind == catalog.Record:
		return arg, nil
	case t.Kind == catalog.Unknown:
		if c, ok := arg.(*Const); ok && c.Value == nil {
			return &Const{T: catalog.RecordOf(nil)}, nil
		}
		loc := tc.Location
		if c, ok := arg.(*Const); ok && c.Loc > 0 {
			loc = c.Loc
		}
		return nil, b.errAt(pgerr.FeatureNotSupported, loc, "input of anonymous composite types is not implemented")
	}
	return nil, b.errAt(pgerr.CannotCoerce, tc.Location, "cannot cast type %s to record", t)
}

// errRecordColumn refuses a table column of record type t, or of an
// array of records: PostgreSQL refuses an anonymous record there too
// (42P16), but stores a table's row type, which pqdb cannot (0A000).
func errRecordColumn(name string, t catalog.Type) error {
	if t.Record == nil || t.Record.Name == "" {
		return pgerr.New(pgerr.InvalidTableDefinition, "column \"%s\" has pseudo-type %s", name, noTypmod(t))
	}
	return pgerr.Unsupported("column \"%s\" is of row type %s: tables cannot store records", name, t)
}

// commonRecordType is the type records of types ts (and untyped NULLs)
// take together in a CASE, COALESCE, set operation or VALUES column. A
// table's row type goes only with itself. In PostgreSQL each anonymous
// record keeps its own fields; pqdb's columns have one record type, so
// the records must have as many fields, each of one type in all of them
// (modifiers aside): the first's names, each field of the fields' common
// type.
func commonRecordType(ts []catalog.Type, what string) (catalog.Type, error) {
	var first catalog.Type
	for _, t := range ts {
		switch {
		case t.Kind == catalog.Unknown:
			continue
		case t.Kind != catalog.Record:
			return catalog.Type{}, pgerr.New(pgerr.DatatypeMismatch, "%s types %s and %s cannot be matched", what, noTypmod(first), noTypmod(t))
		case first.Kind == catalog.Unknown:
			first = t
		case t != first && (t.Record.Name != "" || first.Record.Name != ""):
			// A table's row type meets only itself.
			return catalog.Type{}, pgerr.New(pgerr.DatatypeMismatch, "%s types %s and %s cannot be matched", what, first, t)
		}
	}
	if first.Record.Name != "" {
		return first, nil
	}
	fields := append([]catalog.RecordField(nil), first.Fields()...)
	for j := range fields {
		var fts []catalog.Type
		for _, t := range ts {
			if t.Kind != catalog.Record {
				continue
			}
			if len(t.Fields()) != len(fields) || t.Fields()[j].Type.OID() != fields[j].Type.OID() {
				return catalog.Type{}, pgerr.Unsupported("%s of records whose fields differ in number or type is not supported", what)
			}
			fts = append(fts, t.Fields()[j].Type)
		}
		ft, err := commonType(fts, what)
		if err != nil {
			return catalog.Type{}, err
		}
		fields[j].Type = ft
	}
	return catalog.RecordOf(fields), nil
}

// checkRecordKeys refuses a node that groups, makes distinct or sorts by
// records pqdb cannot compare so (recordKeyError); checkJSONNode calls it
// for every node of a plan.
func checkRecordKeys(n Node) error {
	check := func(es []Expr, ordering bool) error {
		for _, e := range es {
			if err := recordKeyError(e.Type(), ordering); err != nil {
				return err
			}
		}
		return nil
	}
	checkTypes := func(ts []catalog.Type) error {
		for _, t := range ts {
			if err := recordKeyError(t, false); err != nil {
				return err
			}
		}
		return nil
	}
	sortExprs := func(keys []SortKey) []Expr {
		out := make([]Expr, len(keys))
		for i, k := range keys {
			out[i] = k.Expr
		}
		return out
	}
	switch x := n.(type) {
	case *Aggregate:
		if err := check(x.Groups, false); err != nil {
			return err
		}
		for _, a := range x.Aggs {
			if a.Dis {
				if err := check(a.Args, false); err != nil {
					return err
				}
			}
			if err := check(sortExprs(a.Order), true); err != nil {
				return err
			}
		}
	case *Distinct:
		return checkTypes(x.Input.Types())
	case *SetOp:
		if x.Kind != SetUnion || !x.All {
			return checkTypes(x.Left.Types())
		}
	case *Sort:
		return check(sortExprs(x.Keys), true)
	case *Window:
		if err := check(x.PartitionBy, false); err != nil {
			return err
		}
		return check(sortExprs(x.OrderBy), true)
	}
	return nil
}

// bindRecordIn binds rec [NOT] IN (a, b, ...) for a record rec as
// PostgreSQL does when the list has no common type with it: rec = a OR
// rec = b ... (rec <> a AND rec <> b ... for NOT IN), each a record
// comparison.
func (b *binder) bindRecordIn(rec Expr, items []*pg_query.Node, opName string, sc *scope, ctx exprContext, loc int32) (Expr, error) {
	terms := make([]Expr, len(items))
	for i, it := range items {
		e, err := b.bindExpr(it, sc, ctx)
		if err != nil {
			return nil, err
		}
		if terms[i], err = b.recordComparison(opName, rec, e, loc); err != nil {
			return nil, err
		}
	}
	if opName == "<>" {
		return makeAnd(terms), nil
	}
	return makeOr(terms), nil
}

// tableRowType is the row type of the table tn names, when it names one
// (and no type): its columns' names and types, named after the table.
func (b *binder) tableRowType(tn *pg_query.TypeName) (catalog.Type, bool) {
	if len(tn.ArrayBounds) > 0 || len(tn.Typmods) > 0 || len(tn.Names) == 0 || len(tn.Names) > 2 {
		return catalog.Type{}, false
	}
	name := tn.Names[len(tn.Names)-1].GetString_().GetSval()
	qualifier := ""
	if len(tn.Names) == 2 {
		qualifier = tn.Names[0].GetString_().GetSval()
	}
	t := b.cat.Table(b.objectSchema(qualifier, name), name)
	if t == nil {
		return catalog.Type{}, false
	}
	fields := make([]catalog.RecordField, len(t.Columns))
	for i, c := range t.Columns {
		fields[i] = catalog.RecordField{Name: c.Name, Type: c.Type}
	}
	return catalog.NamedRecordOf(name, fields), true
}

// castToRowType binds x::t for a table's row type t: NULL is a NULL row
// (what json(b)_populate_record(set) takes as its base); a record of as
// many fields converts field by field (a row constructor's elements by
// assignment, as PostgreSQL coerces them). Reading a row's text
// (record_in of t) is not supported.
func (b *binder) castToRowType(tc *pg_query.TypeCast, t catalog.Type, sc *scope, ctx exprContext) (Expr, error) {
	arg, err := b.bindExpr(tc.Arg, sc, ctx)
	if err != nil {
		return nil, err
	}
	at := arg.Type()
	switch {
	case at == t:
		return arg, nil
	case at.Kind == catalog.Unknown:
		if c, ok := arg.(*Const); ok && c.Value == nil {
			return &Const{T: t}, nil
		}
		return nil, b.errAt(pgerr.FeatureNotSupported, tc.Location, "reading the text of row type %s is not supported", t)
	case at.Kind != catalog.Record:
		return nil, b.errAt(pgerr.CannotCoerce, tc.Location, "cannot cast type %s to %s", at, t)
	}
	fields := t.Fields()
	if len(at.Fields()) != len(fields) {
		return nil, b.errAt(pgerr.CannotCoerce, tc.Location, "cannot cast type %s to %s", at, t)
	}
	if r, ok := arg.(*RowExpr); ok && r.Table == "" {
		args := make([]Expr, len(fields))
		for j, f := range fields {
			if args[j], err = b.assignColumn(r.Args[j], f.Type, f.Name); err != nil {
				return nil, err
			}
		}
		return &RowExpr{Args: args, T: t}, nil
	}
	if _, err := exec.Cast(exec.Literal(nil, at), t); err != nil {
		return nil, withPos(err, position(b.query, tc.Location))
	}
	return &CastExpr{Arg: arg, T: t}, nil
}
