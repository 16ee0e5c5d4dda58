package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// ViewReferences lists the relations a view's stored query names, for
// refusing to drop what a view depends on. A name without a schema has
// Schema "".
func ViewReferences(sql string) ([]QualifiedName, error) {
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return nil, err
	}
	var out []QualifiedName
	for _, st := range tree.Stmts {
		walkMessage(st.ProtoReflect(), func(m protoreflect.Message) {
			if rv, ok := m.Interface().(*pg_query.RangeVar); ok {
				out = append(out, QualifiedName{Schema: rv.Schemaname, Name: rv.Relname})
			}
		})
	}
	return out, nil
}

// walkMessage visits m and every message below it. DDL is rare and parse
// trees are small, so walking them by reflection costs nothing that
// matters and needs no hand-written visitor for every node type.
func walkMessage(m protoreflect.Message, fn func(protoreflect.Message)) {
	fn(m)
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				walkMessage(l.Get(i).Message(), fn)
			}
		case fd.Message() != nil && !fd.IsMap():
			walkMessage(v.Message(), fn)
		}
		return true
	})
}
