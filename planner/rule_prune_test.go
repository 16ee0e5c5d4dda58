package planner

import (
	"fmt"
	"strings"
	"testing"
)

// TestFilterOnlyColumnsDropped: a column a scan reads only for its filter
// is dropped by a Project right above the scan, so the join above never
// sees it; a column the query reads above stays, and a scan without
// such columns gets no Project.
func TestFilterOnlyColumnsDropped(t *testing.T) {
	cat := sizedTables{rows: map[string]int64{"a": 10, "b": 10}}
	for _, c := range []struct{ sql, want string }{
		{"SELECT a.k FROM a JOIN b ON a.k = b.k WHERE b.v > 3", "b: Project[k] over Scan[k v]"},
		{"SELECT a.k, b.v FROM a JOIN b ON a.k = b.k WHERE b.v > 3", "b: Scan[k v]"},
		{"SELECT a.k FROM a JOIN b ON a.k = b.k WHERE b.v > 3 AND b.j < 2", "b: Project[k] over Scan[k j v]"},
		{"SELECT a.k FROM a JOIN b ON a.k = b.k", "b: Scan[k]"},
	} {
		if got := describeScanOf(boundRoot(t, cat, c.sql), "b"); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.sql, got, c.want)
		}
	}
}

// describeScanOf finds the scan of table name in n and tells its columns
// and those of a Project right above it.
func describeScanOf(n Node, name string) string {
	if p, ok := n.(*Project); ok {
		if s, ok := p.Input.(*Scan); ok && s.Table.Name == name {
			var out []string
			for _, e := range p.Exprs {
				out = append(out, e.(*ColRef).Name)
			}
			return name + ": Project[" + strings.Join(out, " ") + "] over " + scanCols(s)
		}
	}
	if s, ok := n.(*Scan); ok && s.Table.Name == name {
		return name + ": " + scanCols(s)
	}
	for _, in := range inputs(n) {
		if d := describeScanOf(in, name); d != "" {
			return d
		}
	}
	return ""
}

func scanCols(s *Scan) string {
	var cols []string
	for _, c := range s.Cols {
		cols = append(cols, s.Table.Columns[c].Name)
	}
	return "Scan[" + strings.Join(cols, " ") + "]"
}

// TestColumnProjectFolds: the Project that drops a scan's filter-only
// columns merges into a Project right above it, which then reads the
// scan's columns itself (one operator less per batch); its expressions
// keep naming the columns they read.
func TestColumnProjectFolds(t *testing.T) {
	cat := sizedTables{rows: map[string]int64{"b": 10}}
	for _, c := range []struct{ sql, want string }{
		{"SELECT v FROM b WHERE k = 5", "Project[v=#1] over Scan[k v]"},
		{"SELECT v, j FROM b WHERE k > 5", "Project[v=#2 j=#1] over Scan[k j v]"},
		{"SELECT v + 1, k FROM b WHERE j < 2", "Project[(v=#2 op const) k=#0] over Scan[k j v]"},
		{"SELECT x FROM (SELECT v AS x, k FROM b) s WHERE k = 3", "Project[x=#1] over Scan[k v]"},
	} {
		if got := describeRootProject(boundRoot(t, cat, c.sql)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.sql, got, c.want)
		}
	}
}

// describeRootProject tells the expressions of n, a Project, by the
// columns they read (name=#index), and what lies below it.
func describeRootProject(n Node) string {
	p, ok := n.(*Project)
	if !ok {
		return fmt.Sprintf("%T at the root", n)
	}
	var out []string
	for _, e := range p.Exprs {
		out = append(out, describeColumns(e))
	}
	below := fmt.Sprintf("%T", p.Input)
	if s, ok := p.Input.(*Scan); ok {
		below = scanCols(s)
	}
	return "Project[" + strings.Join(out, " ") + "] over " + below
}

func describeColumns(e Expr) string {
	switch x := e.(type) {
	case *ColRef:
		return fmt.Sprintf("%s=#%d", x.Name, x.Index)
	case *BinExpr:
		return "(" + describeColumns(x.L) + " op " + describeColumns(x.R) + ")"
	case *Const:
		return "const"
	}
	return fmt.Sprintf("%T", e)
}
