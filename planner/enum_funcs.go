package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// The enum support functions: enum_first(anyenum), enum_last(anyenum),
// enum_range(anyenum) and enum_range(anyenum, anyenum). All but the last
// depend only on the type of their argument, never its value, so they are
// bound to constants from the statement's catalog; enum_range with two
// bounds becomes a call the lowerer gives the labels (lower_enum.go), or
// a constant when both bounds are.

var enumFuncs = map[string]bool{"enum_first": true, "enum_last": true, "enum_range": true}

// enumFunc binds a call of an enum support function; ok is false for
// other names and for calls no enum argument resolves, which then fail
// as calls of a missing function.
func (b *binder) enumFunc(name string, args []Expr, loc int32) (Expr, bool, error) {
	if !enumFuncs[name] || len(args) == 0 || len(args) > 2 || len(args) == 2 && name != "enum_range" {
		return nil, false, nil
	}
	var t catalog.Type
	for _, a := range args {
		if a.Type().Kind == catalog.Enum {
			t = a.Type()
			break
		}
	}
	if t.Kind != catalog.Enum {
		return nil, false, nil
	}
	for i, a := range args {
		at := a.Type()
		if at.Kind == catalog.Enum && at != t {
			return nil, false, nil
		}
		c, err := b.coerce(a, t, loc)
		if err != nil {
			return nil, true, err
		}
		args[i] = c
	}
	u, err := enumTypeIn(b.cat, t)
	if err != nil {
		return nil, true, err
	}
	labels := u.LabelTexts()
	switch {
	case name == "enum_range" && len(args) == 1:
		return &Const{Value: labelArray(labels), T: catalog.ArrayOf(t)}, true, nil
	case name == "enum_range":
		lo, loConst := args[0].(*Const)
		hi, hiConst := args[1].(*Const)
		if !loConst || !hiConst {
			// A NULL bound is the open end: written as the first or last
			// label, so that folding, which takes calls with a NULL
			// argument for NULL, keeps the call.
			if loConst && lo.Value == nil && len(labels) > 0 {
				args[0] = &Const{Value: labels[0], T: t}
			}
			if hiConst && hi.Value == nil && len(labels) > 0 {
				args[1] = &Const{Value: labels[len(labels)-1], T: t}
			}
			return &FuncExpr{Name: name, Args: args, T: catalog.ArrayOf(t)}, true, nil
		}
		first, last := 0, len(labels)-1
		if lo.Value != nil {
			first = u.LabelIndex(lo.Value.(string))
		}
		if hi.Value != nil {
			last = u.LabelIndex(hi.Value.(string))
		}
		return &Const{Value: labelArray(labels[first:max(first, last+1)]), T: catalog.ArrayOf(t)}, true, nil
	}
	if len(labels) == 0 {
		return nil, true, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "enum %s contains no values", u.Name)
	}
	if name == "enum_first" {
		return &Const{Value: labels[0], T: t}, true, nil
	}
	return &Const{Value: labels[len(labels)-1], T: t}, true, nil
}

// labelArray is an array value of labels.
func labelArray(labels []string) catalog.ArrayValue {
	out := make(catalog.ArrayValue, len(labels))
	for i, l := range labels {
		out[i] = l
	}
	return out
}
