package planner

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// planKey is the text of a plan's whole structure, every node with every
// field, so that two subqueries written alike share a key and any two
// that differ (in a constant, a column, a table, an outer reference) do
// not. exprKey needs it because a SubqueryExpr prints only as (SubPlan):
// without it, (SELECT 1) and (SELECT 2), or the same subquery correlated
// to two different outer columns, would count as one expression, so GROUP
// BY and the select list's set-returning calls would merge them.
func planKey(n Node) string {
	var b strings.Builder
	k := planKeyWriter{b: &b, seen: map[uintptr]int{}}
	k.value(reflect.ValueOf(n))
	return b.String()
}

// planKeyPkg is this package's path: planKey writes its nodes field by
// field.
var planKeyPkg = reflect.TypeOf(Scan{}).PkgPath()

type planKeyWriter struct {
	b *strings.Builder
	// seen numbers the pointers already written, in the order written, so
	// that a node reached twice (a shared CTE, a cycle) is written once
	// and then referred to by its number, the same in two plans alike.
	seen map[uintptr]int
}

func (k planKeyWriter) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.Invalid:
		k.b.WriteString("nil")
	case reflect.Pointer:
		if v.IsNil() {
			k.b.WriteString("nil")
			return
		}
		if i, ok := k.seen[v.Pointer()]; ok {
			k.b.WriteString("@" + strconv.Itoa(i))
			return
		}
		k.seen[v.Pointer()] = len(k.seen)
		// A catalog object (a table, an index, a sequence) is its ID:
		// the plan refers to it, it is no part of the plan.
		if e := v.Elem(); e.Kind() == reflect.Struct && e.Type().PkgPath() != planKeyPkg {
			if id := e.FieldByName("ID"); id.IsValid() {
				k.b.WriteString(e.Type().String() + "#")
				k.value(id)
				return
			}
		}
		k.b.WriteString("&")
		k.value(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			k.b.WriteString("nil")
			return
		}
		k.value(v.Elem())
	case reflect.Struct:
		t := v.Type()
		k.b.WriteString(t.String() + "{")
		for i := range v.NumField() {
			k.b.WriteString(t.Field(i).Name + ":")
			k.value(v.Field(i))
			k.b.WriteString(" ")
		}
		k.b.WriteString("}")
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			k.b.WriteString("nil")
			return
		}
		k.b.WriteString("[")
		for i := range v.Len() {
			k.value(v.Index(i))
			k.b.WriteString(",")
		}
		k.b.WriteString("]")
	case reflect.Map:
		// Written in the order of the keys' own texts.
		entries := make([]string, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			var e strings.Builder
			sub := planKeyWriter{b: &e, seen: k.seen}
			sub.value(it.Key())
			e.WriteString(":")
			sub.value(it.Value())
			entries = append(entries, e.String())
		}
		sort.Strings(entries)
		k.b.WriteString("map[" + strings.Join(entries, ",") + "]")
	case reflect.Bool:
		k.b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		k.b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		k.b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		k.b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.String:
		k.b.WriteString(strconv.Quote(v.String()))
	default:
		// Functions and channels: only their presence can be compared.
		k.b.WriteString(fmt.Sprintf("<%s>", v.Type()))
	}
}
