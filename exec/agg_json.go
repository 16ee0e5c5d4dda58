package exec

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/jsonb"
)

// json_agg(x) → json, jsonb_agg(x) → jsonb, json_object_agg(k, v) → json
// and jsonb_object_agg(k, v) → jsonb, as PostgreSQL's transition
// functions build them: every row's value converted as to_json or
// to_jsonb converts it (json_convert.go), a NULL as JSON null, in the
// order the rows come; a key must be a non-NULL scalar (22023 otherwise).
// A group without rows is NULL. jsonb_object_agg keeps the last of equal
// keys, json_object_agg all of them; the json forms are spaced as
// PostgreSQL spaces them ([1, 2] and { "a" : 1, "b" : 2 }, a structured
// value after the first on a new line).
//
// Each group keeps its converted parts (json text, or encoded jsonb
// values; for the object aggregates key and value alternately) one after
// another in one buffer; the value is assembled once, at finish, by
// package jsonb's builders. Two states of a group concatenate.

type jsonAggState struct {
	f          AggFunc
	t          catalog.Type
	key, val   *jsonConverter // key is nil but for the object aggregates
	structured bool           // json_agg of an array: values go on new lines
	parts      []jsonParts
	seen       []bool
	b          jsonb.Builder
	list       jsonb.JSONAgg       // json_agg's assembly, reused
	object     jsonb.JSONObjectAgg // json_object_agg's
	scratch    []byte
}

// jsonParts is one group's converted parts.
type jsonParts struct {
	data []byte
	ends []int32
}

func (p *jsonParts) add(part []byte) {
	p.data = append(p.data, part...)
	p.ends = append(p.ends, int32(len(p.data)))
}

func (p *jsonParts) part(k int) []byte {
	start := int32(0)
	if k > 0 {
		start = p.ends[k-1]
	}
	return p.data[start:p.ends[k]]
}

func (p *jsonParts) addAll(q *jsonParts) {
	for k := range q.ends {
		p.add(q.part(k))
	}
}

func newJSONAggState(a Aggregate, loc *time.Location) (aggState, error) {
	s := &jsonAggState{f: a.Func, t: a.Type}
	object := a.Func == AggJSONObjectAgg || a.Func == AggJSONBObjectAgg
	if a.Arg == nil || object && a.Arg2 == nil {
		return nil, internalf("%s needs its arguments", a.Func)
	}
	valArg := a.Arg
	if object {
		key, err := newJSONConverter(a.Arg.Type(), loc)
		if err != nil {
			return nil, err
		}
		s.key, valArg = key, a.Arg2
	}
	val, err := newJSONConverter(valArg.Type(), loc)
	if err != nil {
		return nil, err
	}
	s.val = val
	s.structured = valArg.Type().Kind == catalog.Array || valArg.Type().Kind == catalog.Record
	return s, nil
}

func (s *jsonAggState) grow(g int) {
	s.parts = growTo(s.parts, g)
	s.seen = growTo(s.seen, g)
}

func (s *jsonAggState) isJSONB() bool { return s.f == AggJSONBAgg || s.f == AggJSONBObjectAgg }

func (s *jsonAggState) update(args []arrow.Array, rows, groups []int32) error {
	vals := args[0]
	if s.key != nil {
		s.key.bind(args[0])
		vals = args[1]
	}
	s.val.bind(vals)
	for k, i := range rows {
		p := &s.parts[groups[k]]
		if s.key != nil {
			if s.key.isNull(int(i)) {
				return jsonb.ErrObjectAggNullKey()
			}
			if !s.key.isScalar() {
				return errKeyNotScalar()
			}
			p.add(s.key.text(int(i)))
		}
		if err := s.addValue(p, int(i)); err != nil {
			return err
		}
		s.seen[groups[k]] = true
	}
	return nil
}

// addValue converts row i's value and adds it to p: json text (nothing
// for a NULL, which json_agg spaces differently), or an encoded jsonb
// value.
func (s *jsonAggState) addValue(p *jsonParts, i int) error {
	switch {
	case !s.isJSONB() && s.f == AggJSONAgg && s.val.isNull(i):
		p.add(nil)
	case !s.isJSONB():
		s.scratch = s.val.appendJSON(s.scratch[:0], i)
		p.add(s.scratch)
	default:
		s.b.Reset()
		if err := s.val.addJSONB(&s.b, i); err != nil {
			return err
		}
		s.scratch = s.b.Finish(s.scratch[:0])
		p.add(s.scratch)
	}
	return nil
}

func (s *jsonAggState) merge(from aggState, groups []int32) error {
	f := from.(*jsonAggState)
	for g, seen := range f.seen {
		if t := groups[g]; seen && t >= 0 {
			s.parts[t].addAll(&f.parts[g])
			s.seen[t] = true
		}
	}
	return nil
}

func (s *jsonAggState) copyGroup(from, to int32) {
	s.parts[to] = jsonParts{}
	s.parts[to].addAll(&s.parts[from])
	s.seen[to] = s.seen[from]
}

func (s *jsonAggState) finish(mem memory.Allocator) (arrow.Array, error) {
	out := newVarlenBuilder(mem, len(s.parts), 0)
	for g := range s.parts {
		if !s.seen[g] {
			out.appendNull()
			continue
		}
		dst, err := s.assemble(out.space(16), &s.parts[g])
		if err != nil {
			out.finish(s.t).Release()
			return nil, err
		}
		out.commit(dst)
	}
	return out.finish(s.t), nil
}

// assemble appends the aggregate's value of a group's parts.
func (s *jsonAggState) assemble(dst []byte, p *jsonParts) ([]byte, error) {
	n := len(p.ends)
	switch s.f {
	case AggJSONAgg:
		a := &s.list
		a.Reset()
		for k := 0; k < n; k++ {
			if part := p.part(k); len(part) == 0 {
				a.AddNull()
			} else {
				a.Add(part, s.structured)
			}
		}
		return a.Finish(dst), nil
	case AggJSONObjectAgg:
		a := &s.object
		a.Reset()
		for k := 0; k < n; k += 2 {
			a.Add(p.part(k), p.part(k+1))
		}
		return a.Finish(dst), nil
	}
	s.b.Reset()
	if s.f == AggJSONBAgg {
		s.b.BeginArray()
		for k := 0; k < n; k++ {
			s.b.Value(jsonb.Value(p.part(k)))
		}
	} else {
		s.b.BeginObject()
		for k := 0; k < n; k += 2 {
			s.b.Key(p.part(k))
			s.b.Value(jsonb.Value(p.part(k + 1)))
		}
	}
	if err := s.b.End(); err != nil {
		return dst, err
	}
	s.scratch = s.b.Finish(s.scratch[:0])
	return jsonb.AppendText(dst, jsonb.Value(s.scratch)), nil
}

// isJSONAgg reports whether f is one of the json aggregates, which
// depend on the order of their rows.
func (f AggFunc) isJSONAgg() bool {
	return f == AggJSONAgg || f == AggJSONBAgg || f == AggJSONObjectAgg || f == AggJSONBObjectAgg
}
