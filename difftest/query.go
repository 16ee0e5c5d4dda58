package difftest

import (
	"fmt"
	"strings"
)

// FromItem is one item of a FROM clause and how it joins the ones
// before it. Join is "" for the first item, else ",", "CROSS JOIN",
// "JOIN", "LEFT JOIN", "RIGHT JOIN" or "FULL JOIN"; On holds the ON
// conjuncts (an empty list prints as ON true).
//
// Table is a table's name, or the text of another item (from_items.go):
// a function call (generate_series(...), unnest(...) [WITH
// ORDINALITY]), LATERAL (SELECT ...), or a parenthesized join, whose
// alias is written with AS (As). ColNames, when set, is the alias's
// column list. Keys are expressions whose values tell the item's rows
// apart (per row of the items before it, for a lateral item), for
// orders that must be total; an item without them (unnest without
// ORDINALITY, a LATERAL subquery with LIMIT) may repeat a row.
//
// Eq is the join's equality (new.id = old.col on big tables), kept apart
// from On so that the shrinker never drops it and turns a small join
// into a huge cross product. For comma and cross joins it is printed in
// WHERE.
type FromItem struct {
	Join     string
	Table    string
	Alias    string
	As       bool
	ColNames []string
	Keys     []string
	Eq       string
	On       []string
}

// source prints the item without its join: the table or function, and
// the alias.
func (f FromItem) source() string {
	s := f.Table + " "
	if f.As {
		s += "AS "
	}
	s += f.Alias
	if len(f.ColNames) > 0 {
		s += "(" + strings.Join(f.ColNames, ", ") + ")"
	}
	return s
}

// Select is one SELECT block. Where and Having are lists of conjuncts,
// so the shrinker can drop them one by one.
type Select struct {
	Distinct bool
	Items    []Expr
	From     []FromItem
	Where    []string
	GroupBy  []string
	Having   []string
}

// OrderTerm sorts by output column Pos (1-based).
type OrderTerm struct {
	Pos   int
	Desc  bool
	Nulls string // "", "NULLS FIRST", "NULLS LAST"
}

// Query is a generated statement: a SELECT, or two joined by a set
// operation, with an optional ORDER BY over every output column (a total
// order, so LIMIT is deterministic).
type Query struct {
	Sel     Select
	SetOp   string // "", "UNION", "UNION ALL", "INTERSECT", ...
	Right   *Select
	OrderBy []OrderTerm
	Limit   int // < 0: none
	Offset  int

	// Shape names the query kind for the statistics.
	Shape string
	// Features used, for the report.
	Features []string
}

// fromSQL prints the FROM clause.
func fromSQL(items []FromItem) string {
	var b strings.Builder
	for i, f := range items {
		switch {
		case i == 0:
		case f.Join == ",":
			b.WriteString(", ")
		default:
			b.WriteString(" " + f.Join + " ")
		}
		b.WriteString(f.source())
		if i > 0 && f.Join != "," && f.Join != "CROSS JOIN" {
			on := f.On
			if f.Eq != "" {
				on = append([]string{f.Eq}, on...)
			}
			if len(on) == 0 {
				b.WriteString(" ON true")
			} else {
				b.WriteString(" ON " + strings.Join(on, " AND "))
			}
		}
	}
	return b.String()
}

// SQL prints the SELECT block.
func (s *Select) SQL() string {
	var b strings.Builder
	b.WriteString("SELECT ")
	if s.Distinct {
		b.WriteString("DISTINCT ")
	}
	var items []string
	for _, e := range s.Items {
		items = append(items, e.SQL)
	}
	b.WriteString(strings.Join(items, ", "))
	b.WriteString(" FROM " + fromSQL(s.From))
	var where []string
	for _, f := range s.From {
		if f.Eq != "" && (f.Join == "," || f.Join == "CROSS JOIN") {
			where = append(where, f.Eq)
		}
	}
	where = append(where, s.Where...)
	if len(where) > 0 {
		b.WriteString(" WHERE " + strings.Join(where, " AND "))
	}
	if len(s.GroupBy) > 0 {
		b.WriteString(" GROUP BY " + strings.Join(s.GroupBy, ", "))
	}
	if len(s.Having) > 0 {
		b.WriteString(" HAVING " + strings.Join(s.Having, " AND "))
	}
	return b.String()
}

// SQL prints the query.
func (q *Query) SQL() string {
	s := q.Sel.SQL()
	if q.SetOp != "" {
		s += " " + q.SetOp + " " + q.Right.SQL()
	}
	if len(q.OrderBy) > 0 {
		var terms []string
		for _, o := range q.OrderBy {
			t := fmt.Sprint(o.Pos)
			if o.Desc {
				t += " DESC"
			}
			if o.Nulls != "" {
				t += " " + o.Nulls
			}
			terms = append(terms, t)
		}
		s += " ORDER BY " + strings.Join(terms, ", ")
	}
	if q.Limit >= 0 {
		s += fmt.Sprintf(" LIMIT %d", q.Limit)
		if q.Offset > 0 {
			s += fmt.Sprintf(" OFFSET %d", q.Offset)
		}
	}
	return s
}

// Dedups reports whether the query keeps one row of several equal ones
// (DISTINCT, GROUP BY, a set operation other than UNION ALL, which also
// matches rows of one side with equal rows of the other), or one value of
// several equal ones (min and max, which keep the last of equal inputs,
// so which one depends on the plan's row order), or cuts a sorted result
// (LIMIT, OFFSET), where rows that tie on the ORDER BY may fall either
// side of the cut: of equal numerics printed differently (1.5 and 1.50),
// which one is left open.
func (q *Query) Dedups() bool {
	d := q.Sel.Distinct || len(q.Sel.GroupBy) > 0 || q.SetOp != "" && q.SetOp != "UNION ALL" || q.Sel.picksMinMax() || q.Limit >= 0 || q.Offset > 0
	if q.Right != nil {
		d = d || q.Right.Distinct || len(q.Right.GroupBy) > 0 || q.Right.picksMinMax()
	}
	return d
}

// picksMinMax reports whether a select item or HAVING conjunct calls min
// or max.
func (s *Select) picksMinMax() bool {
	texts := append([]string(nil), s.Having...)
	for _, it := range s.Items {
		texts = append(texts, it.SQL)
	}
	for _, t := range texts {
		if strings.Contains(t, "min(") || strings.Contains(t, "max(") {
			return true
		}
	}
	return false
}

// Ordered reports whether the result order is defined.
func (q *Query) Ordered() bool { return len(q.OrderBy) > 0 }

// clone copies q deeply enough for the shrinker to edit the copy.
func (q *Query) clone() *Query {
	c := *q
	c.Sel = q.Sel.clone()
	if q.Right != nil {
		r := q.Right.clone()
		c.Right = &r
	}
	c.OrderBy = append([]OrderTerm(nil), q.OrderBy...)
	return &c
}

func (s Select) clone() Select {
	c := s
	c.Items = append([]Expr(nil), s.Items...)
	c.From = make([]FromItem, len(s.From))
	for i, f := range s.From {
		f.On = append([]string(nil), f.On...)
		c.From[i] = f
	}
	c.Where = append([]string(nil), s.Where...)
	c.GroupBy = append([]string(nil), s.GroupBy...)
	c.Having = append([]string(nil), s.Having...)
	return c
}
