package planner

import "github.com/pqdb/pqdb/catalog"

// copyDefaults is the Fill of a COPY FROM into columns cols of t: nil
// when every column left out defaults to NULL.
func (b *binder) copyDefaults(t *catalog.Table, cols []int) (Node, error) {
	pos := map[int]int{}
	typs := make([]catalog.Type, len(cols))
	for k, c := range cols {
		pos[c], typs[k] = k, t.Columns[c].Type
	}
	exprs := make([]Expr, len(t.Columns))
	defaults := false
	for i, c := range t.Columns {
		if k, ok := pos[i]; ok {
			exprs[i] = &ColRef{Index: k, T: c.Type, Name: c.Name}
			continue
		}
		e, err := b.columnDefault(t, i)
		if err != nil {
			return nil, err
		}
		if k, ok := e.(*Const); !ok || k.Value != nil {
			defaults = true
		}
		exprs[i] = e
	}
	if !defaults {
		return nil, nil
	}
	return &Project{Input: &ModifiedRows{Name: t.Name, Typs: typs}, Exprs: exprs}, nil
}

// columnNamesOf are the names of t's columns, as SQL spells them.
func columnNamesOf(t *catalog.Table) []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}
