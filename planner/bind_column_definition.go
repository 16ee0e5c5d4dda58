package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// Column definition lists: a function in FROM that returns records of no
// fixed shape (json_to_record, jsonb_to_recordset, ...; exec's
// RecordFuncOf) takes its columns' names and types from the list written
// after its alias, f(...) AS x(a int, b text), or inside ROWS FROM, f(...)
// AS (a int). The list is required for such a function and refused for
// any other (42601), as in PostgreSQL. json(b)_populate_record(set)
// take them from their base argument's type instead, a table's row type
// (NULL::t, castToRowType), and refuse a list then.

// bindRecordFuncFrom binds a call in FROM of the record function name
// (exec.RecordFuncOf) with the column definition list coldefs: its json
// argument, read as json or jsonb, and the columns the list defines, or,
// for json(b)_populate_record(set), the fields of its base argument's
// type (a table's row type; the list is for a base of type record).
func (b *binder) bindRecordFuncFrom(fc *pg_query.FuncCall, name string, coldefs []*pg_query.Node, sc *scope) (*SetCall, []scopeCol, error) {
	f, _ := exec.RecordFuncOf(name)
	if fc.AggStar || fc.AggDistinct || len(fc.AggOrder) > 0 || fc.AggFilter != nil || fc.Over != nil {
		return nil, nil, b.errAt(pgerr.WrongObjectType, fc.Location, "%s is not an aggregate function", name)
	}
	args := make([]Expr, len(fc.Args))
	for i, a := range fc.Args {
		if a.GetNamedArgExpr() != nil {
			return nil, nil, b.errAt(pgerr.FeatureNotSupported, fc.Location, "named arguments of %s are not supported", name)
		}
		e, err := b.bindExpr(a, sc, ctxFromFunc)
		if err != nil {
			return nil, nil, err
		}
		args[i] = e
	}
	want := 1
	if f.Populate {
		want = 2
	}
	last := len(args) - 1
	if len(args) != want || args[last].Type().Kind != f.JSON.Kind && args[last].Type().Kind != catalog.Unknown ||
		f.Populate && args[0].Type().Kind != catalog.Record {
		return nil, nil, b.noSuchFunc(name, args, fc.Location)
	}
	var err error
	if args[last], err = b.coerce(args[last], f.JSON, fc.Location); err != nil {
		return nil, nil, err
	}
	var fields []catalog.RecordField
	switch base := args[0]; {
	case f.Populate && len(base.Type().Fields()) > 0:
		if len(coldefs) > 0 {
			return nil, nil, b.errAt(pgerr.SyntaxError, columnDefinitionLocation(coldefs), "a column definition list is redundant for a function returning a named composite type")
		}
		if c, ok := base.(*Const); !ok || c.Value != nil {
			// Its fields would stand for the keys the json lacks.
			return nil, nil, b.errAt(pgerr.FeatureNotSupported, fc.Location, "%s with a base record other than NULL is not supported", name)
		}
		fields = base.Type().Fields()
		for _, fd := range fields {
			if fd.Type.HasEnum() || fd.Type.HasRecord() {
				return nil, nil, b.errAt(pgerr.FeatureNotSupported, fc.Location, "%s of a row with a field of type %s is not supported", name, fd.Type)
			}
		}
	case len(coldefs) == 0:
		return nil, nil, b.errAt(pgerr.SyntaxError, fc.Location, "a column definition list is required for functions returning \"record\"")
	default:
		if f.Populate {
			if c, ok := base.(*Const); !ok || c.Value != nil {
				return nil, nil, b.errAt(pgerr.FeatureNotSupported, fc.Location, "%s with a base record other than NULL is not supported", name)
			}
		}
		if fields, err = b.columnDefinitions(coldefs); err != nil {
			return nil, nil, err
		}
	}
	call := &SetCall{Name: name, Args: args, Fields: fields}
	cols := make([]scopeCol, len(fields))
	for i, fd := range fields {
		call.Types = append(call.Types, fd.Type)
		cols[i] = scopeCol{name: fd.Name, t: fd.Type}
	}
	return call, cols, nil
}

// columnDefinitions binds a column definition list into the fields it
// defines. Their values are read from text (exec.NewRecordSetFunc), so
// types whose input needs the catalog (enums, domains) are refused.
func (b *binder) columnDefinitions(coldefs []*pg_query.Node) ([]catalog.RecordField, error) {
	fields := make([]catalog.RecordField, 0, len(coldefs))
	seen := map[string]bool{}
	for _, n := range coldefs {
		cd := n.GetColumnDef()
		if cd == nil || cd.TypeName == nil {
			return nil, pgerr.Unsupported("this column definition list is not supported")
		}
		if seen[cd.Colname] {
			return nil, b.errAt(pgerr.DuplicateColumn, cd.Location, "column name \"%s\" specified more than once", cd.Colname)
		}
		seen[cd.Colname] = true
		if d := b.domainOf(cd.TypeName); d != nil {
			return nil, b.errAt(pgerr.FeatureNotSupported, cd.Location, "columns of domain %s in a column definition list are not supported", d.Name)
		}
		t, err := b.typeFromName(cd.TypeName)
		if err != nil {
			return nil, err
		}
		if t.HasEnum() || t.HasRecord() || t.Kind == catalog.Record || t.Kind == catalog.Void {
			return nil, b.errAt(pgerr.FeatureNotSupported, cd.Location, "columns of type %s in a column definition list are not supported", t)
		}
		fields = append(fields, catalog.RecordField{Name: cd.Colname, Type: t})
	}
	return fields, nil
}

// errColumnDefinitionNotAllowed refuses a column definition list on a
// function that does not return record.
func (b *binder) errColumnDefinitionNotAllowed(coldefs []*pg_query.Node) error {
	return b.errAt(pgerr.SyntaxError, columnDefinitionLocation(coldefs), "a column definition list is only allowed for functions returning \"record\"")
}

// columnDefinitionLocation is where a column definition list starts.
func columnDefinitionLocation(coldefs []*pg_query.Node) int32 {
	if cd := coldefs[0].GetColumnDef(); cd != nil {
		return cd.Location
	}
	return -1
}
