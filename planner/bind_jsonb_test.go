package planner

import (
	"testing"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/storage"
)

// noTables is a catalog without tables, for statements over literals.
type noTables struct{}

func (noTables) HasSchema(name string) bool                     { return name == DefaultSchema }
func (noTables) Table(schema, name string) *catalog.Table       { return nil }
func (noTables) View(schema, name string) *catalog.View         { return nil }
func (noTables) Index(schema, name string) *catalog.Index       { return nil }
func (noTables) Indexes(schema string) []*catalog.Index         { return nil }
func (noTables) Sequence(schema, name string) *catalog.Sequence { return nil }
func (noTables) UserType(schema, name string) *catalog.UserType { return nil }
func (noTables) UserTypeByOID(oid uint32) *catalog.UserType     { return nil }
func (noTables) Scan(*catalog.Table, []int, []storage.Predicate) (storage.RecordReader, error) {
	return nil, nil
}
func (noTables) History(*catalog.Table, []int) (storage.RecordReader, error) { return nil, nil }
func (noTables) ScanAsOf(*catalog.Table, storage.AsOf, []int, []storage.Predicate) (storage.RecordReader, error) {
	return nil, nil
}

func bindOne(t *testing.T, sql string) (Plan, error) {
	t.Helper()
	stmts, err := Parse(sql)
	if err != nil || len(stmts) != 1 {
		t.Fatalf("parse %q: %v", sql, err)
	}
	bound, err := Bind(noTables{}, stmts[0], nil, Options{})
	if err != nil {
		return nil, err
	}
	return bound.Plan, nil
}

// TestJSONOperatorBinding: the operators resolve by operand type to the
// functions of pg_operator, with PostgreSQL's errors for the rest; json
// cannot be grouped, made distinct, unioned or sorted.
func TestJSONOperatorBinding(t *testing.T) {
	for _, c := range []struct {
		sql  string
		code string // "" when the statement binds
	}{
		{`SELECT '{"a": 1}'::jsonb -> 'a', '[1]'::jsonb -> 0, '{"a": 1}'::json ->> 'a'`, ""},
		{`SELECT '{"a": 1}'::jsonb #> '{a}', '{"a": 1}'::json #>> ARRAY['a']`, ""},
		{`SELECT '{}'::jsonb @> '{}', '{}' <@ '{}'::jsonb, '{}'::jsonb ? 'a', '{}' ?| '{a}'`, ""},
		{`SELECT '{}'::jsonb || '{}', '{}'::jsonb || 'x'::text, '{}'::jsonb - 'a', '[]'::jsonb - 1, '{}'::jsonb #- '{a}'`, ""},
		{`SELECT '1'::jsonb = '1', '1'::jsonb < '2'`, ""},
		{`SELECT '1'::jsonb GROUP BY 1 ORDER BY 1`, ""},
		{`SELECT '{"a": 1}' -> 'a'`, pgerr.AmbiguousFunction},
		{`SELECT '[1]'::jsonb -> 1::int8`, pgerr.UndefinedFunction},
		{`SELECT '[1]'::json || '[2]'::json`, pgerr.UndefinedFunction},
		{`SELECT '[1]'::json - 'a'`, pgerr.UndefinedFunction},
		{`SELECT '1'::json = '1'::json`, pgerr.UndefinedFunction},
		{`SELECT '1'::json GROUP BY 1`, pgerr.UndefinedFunction},
		{`SELECT DISTINCT '1'::json`, pgerr.UndefinedFunction},
		{`SELECT '1'::json UNION SELECT '1'::json`, pgerr.UndefinedFunction},
		{`SELECT '1'::json UNION ALL SELECT '1'::json`, ""},
		{`SELECT '1'::json ORDER BY 1`, pgerr.UndefinedFunction},
		{`SELECT (SELECT DISTINCT '1'::json)`, pgerr.UndefinedFunction},
		{`SELECT count(DISTINCT x) FROM (VALUES ('1'::json)) v(x)`, pgerr.UndefinedFunction},
		{`SELECT json_agg(x), jsonb_object_agg('k', x) FROM (VALUES ('1'::json)) v(x)`, ""},
		{`SELECT jsonb_agg('a')`, pgerr.DatatypeMismatch},
	} {
		_, err := bindOne(t, c.sql)
		if got := pgerr.CodeOf(err); got != c.code {
			t.Errorf("%s: %v, want SQLSTATE %q", c.sql, err, c.code)
		}
	}
	p, err := bindOne(t, `SELECT '{"a": 1}'::jsonb -> 'a'`)
	if err != nil {
		t.Fatal(err)
	}
	if typ := p.(*QueryPlan).Columns[0].Type; typ != catalog.TypeJSONB {
		t.Errorf("jsonb -> text is %s", typ)
	}
}
