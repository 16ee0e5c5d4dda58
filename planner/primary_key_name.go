package planner

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// primaryKeyName chooses the name of t's new primary key: the CONSTRAINT
// clause's name, or PostgreSQL's default <table>_pkey, numbered
// (<table>_pkey1, ...) while another relation of the schema or another
// constraint of t has it. The key's index is a relation, so a given name
// may not be any relation's name (42P07), nor another constraint's of t
// (42710). taken holds t's constraint names and gains the chosen one.
func (b *binder) primaryKeyName(t *catalog.Table, name string, taken map[string]bool) (string, error) {
	relationTaken := func(n string) bool { return n == t.Name || b.relationTaken(t.Schema, n) }
	if name != "" {
		if relationTaken(name) {
			return "", pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", name)
		}
		if taken[name] {
			return "", pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", name, t.Name)
		}
		taken[name] = true
		return name, nil
	}
	base := catalog.DefaultPrimaryKeyName(t.Name)
	name = base
	for i := 1; taken[name] || relationTaken(name); i++ {
		name = base + itoa(int64(i))
	}
	taken[name] = true
	return name, nil
}
