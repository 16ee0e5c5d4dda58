package difftest

import (
	"regexp"
	"strings"
)

// shrink makes q smaller while pqdb still differs from PostgreSQL the
// same way (same outcome class) under configuration c: it drops WHERE,
// HAVING and ON conjuncts, joined tables, select items, ORDER BY, LIMIT,
// DISTINCT and set operation sides, and replaces predicates and
// expressions by their operands. It stops after MaxShrink attempts.
func (rn *Runner) shrink(q *Query, c ExecConfig, o outcome) (*Query, outcome) {
	budget := min(rn.MaxShrink, rn.ShrinkLeft)
	defer func(start int) { rn.ShrinkLeft -= start - budget }(budget)
	for budget > 0 {
		improved := false
		for _, cand := range candidates(q) {
			if budget <= 0 {
				break
			}
			budget--
			co := rn.direct(cand, c)
			if co.class == o.class && co.failed() && (co.class != "pqdb-error" || co.pq.Code == o.pq.Code) {
				q, o, improved = cand, co, true
				break
			}
		}
		if !improved {
			break
		}
	}
	return q, o
}

// candidates are the one-step reductions of q, smallest effect first.
func candidates(q *Query) []*Query {
	var out []*Query
	add := func(f func(c *Query) bool) {
		c := q.clone()
		if f(c) {
			out = append(out, c)
		}
	}
	// Whole parts.
	if q.SetOp != "" {
		add(func(c *Query) bool { c.SetOp, c.Right = "", nil; return true })
		add(func(c *Query) bool { c.Sel, c.SetOp, c.Right = *c.Right, "", nil; return true })
	}
	if q.Limit >= 0 {
		add(func(c *Query) bool { c.Limit, c.Offset = -1, 0; return true })
	}
	if q.Offset > 0 {
		add(func(c *Query) bool { c.Offset = 0; return true })
	}
	if len(q.OrderBy) > 0 && q.Limit < 0 {
		add(func(c *Query) bool { c.OrderBy = nil; return true })
	}
	sels := []func(c *Query) *Select{func(c *Query) *Select { return &c.Sel }}
	if q.Right != nil {
		sels = append(sels, func(c *Query) *Select { return c.Right })
	}
	for si, sel := range sels {
		s := sel(q)
		if s.Distinct {
			add(func(c *Query) bool { sel(c).Distinct = false; return true })
		}
		// Joined tables whose alias nothing else mentions.
		for i := 1; i < len(s.From); i++ {
			add(func(c *Query) bool {
				cs := sel(c)
				alias := cs.From[i].Alias
				cs.From = append(cs.From[:i:i], cs.From[i+1:]...)
				if i == 0 {
					return false
				}
				return !mentions(c.SQL(), alias)
			})
		}
		for i := range s.Where {
			add(func(c *Query) bool { cs := sel(c); cs.Where = append(cs.Where[:i:i], cs.Where[i+1:]...); return true })
		}
		for i := range s.Having {
			add(func(c *Query) bool {
				cs := sel(c)
				cs.Having = append(cs.Having[:i:i], cs.Having[i+1:]...)
				return true
			})
		}
		for i := range s.From {
			for j := range s.From[i].On {
				add(func(c *Query) bool {
					f := &sel(c).From[i]
					f.On = append(f.On[:j:j], f.On[j+1:]...)
					return true
				})
			}
		}
		// Select items (not in set operations, which need both sides alike).
		if q.SetOp == "" && si == 0 && len(s.Items) > 1 {
			for i := range s.Items {
				add(func(c *Query) bool {
					c.Sel.Items = append(c.Sel.Items[:i:i], c.Sel.Items[i+1:]...)
					var ob []OrderTerm
					for _, o := range c.OrderBy {
						if o.Pos == i+1 {
							continue
						}
						if o.Pos > i+1 {
							o.Pos--
						}
						ob = append(ob, o)
					}
					c.OrderBy = ob
					return true
				})
			}
		}
		// Operands instead of expressions.
		for i, w := range s.Where {
			for _, sub := range operands(w) {
				add(func(c *Query) bool { sel(c).Where[i] = sub; return true })
			}
		}
		for i, w := range s.Having {
			for _, sub := range operands(w) {
				add(func(c *Query) bool { sel(c).Having[i] = sub; return true })
			}
		}
		for i, f := range s.From {
			for j, on := range f.On {
				for _, sub := range operands(on) {
					add(func(c *Query) bool { sel(c).From[i].On[j] = sub; return true })
				}
			}
		}
		if q.SetOp == "" {
			for i, e := range s.Items {
				if isGroupKey(s, e.SQL) {
					continue
				}
				for _, sub := range operands(e.SQL) {
					add(func(c *Query) bool { sel(c).Items[i].SQL = sub; return true })
				}
			}
		}
	}
	return out
}

func isGroupKey(s *Select, e string) bool {
	for _, g := range s.GroupBy {
		if g == e {
			return true
		}
	}
	return false
}

// mentions reports whether sql refers to alias.
func mentions(sql, alias string) bool {
	return regexp.MustCompile(`\b` + regexp.QuoteMeta(alias) + `\.`).MatchString(sql)
}

// operands splits an expression at its top level: "(a AND b)" gives a
// and b, "(NOT a)" gives a, "f(a, b)" gives a and b, "CASE WHEN c THEN a
// ELSE b END" gives c, a and b. The pieces are candidates only: the
// shrinker keeps one when PostgreSQL still accepts the query.
func operands(e string) []string {
	e = strings.TrimSpace(e)
	var inner string
	switch {
	case strings.HasPrefix(e, "CASE ") && strings.HasSuffix(e, " END"):
		inner = e[5 : len(e)-4]
		var out []string
		for _, p := range splitTop(inner, []string{" WHEN ", " THEN ", " ELSE "}) {
			p = strings.TrimPrefix(strings.TrimSpace(p), "WHEN ")
			out = append(out, strings.TrimSpace(p))
		}
		return nonEmpty(out, e)
	case strings.HasPrefix(e, "(") && strings.HasSuffix(e, ")") && matchingClose(e, 0) == len(e)-1:
		inner = e[1 : len(e)-1]
		if strings.HasPrefix(inner, "NOT ") {
			return []string{inner[4:]}
		}
		if strings.HasPrefix(inner, "SELECT ") {
			return nil
		}
		parts := splitTop(inner, []string{" AND ", " OR ", " + ", " - ", " * ", " / ", " % ", " || ", " = ", " <> ", " <= ", " >= ", " < ", " > ",
			" IS DISTINCT FROM ", " IS NOT DISTINCT FROM ", " NOT BETWEEN ", " BETWEEN SYMMETRIC ", " BETWEEN ", " LIKE ", " NOT LIKE ", " ILIKE ", " NOT ILIKE ", " NOT IN ", " IN "})
		if len(parts) > 1 {
			return nonEmpty(parts, e)
		}
		return nil
	default:
		open := strings.IndexByte(e, '(')
		if open > 0 && strings.HasSuffix(e, ")") && matchingClose(e, open) == len(e)-1 && regexp.MustCompile(`^[A-Za-z_]+$`).MatchString(e[:open]) {
			if strings.EqualFold(e[:open], "CAST") || strings.EqualFold(e[:open], "EXTRACT") {
				return nil
			}
			return nonEmpty(splitTop(e[open+1:len(e)-1], []string{", "}), e)
		}
	}
	return nil
}

func nonEmpty(parts []string, whole string) []string {
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p != "" && p != whole && !strings.HasPrefix(p, "AND ") && !strings.HasPrefix(p, "SELECT ") {
			out = append(out, p)
		}
	}
	return out
}

// matchingClose is the index of the parenthesis closing the one at open.
func matchingClose(s string, open int) int {
	depth := 0
	inStr := false
	for i := open; i < len(s); i++ {
		ch := s[i]
		switch {
		case inStr:
			if ch == '\'' {
				inStr = false
			}
		case ch == '\'':
			inStr = true
		case ch == '(':
			depth++
		case ch == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// splitTop splits s at separators outside parentheses, strings and
// CASE ... END.
func splitTop(s string, seps []string) []string {
	var out []string
	depth, caseDepth := 0, 0
	inStr := false
	last := 0
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if inStr {
			if ch == '\'' {
				inStr = false
			}
			continue
		}
		switch ch {
		case '\'':
			inStr = true
			continue
		case '(':
			depth++
			continue
		case ')':
			depth--
			continue
		}
		if depth > 0 {
			continue
		}
		if strings.HasPrefix(s[i:], "CASE ") && (i == 0 || s[i-1] == ' ' || s[i-1] == '(') {
			caseDepth++
			continue
		}
		if caseDepth > 0 {
			if strings.HasPrefix(s[i:], " END") && (i+4 == len(s) || s[i+4] == ' ' || s[i+4] == ')' || s[i+4] == ',') {
				caseDepth--
			}
			continue
		}
		for _, sep := range seps {
			if strings.HasPrefix(s[i:], sep) {
				out = append(out, s[last:i])
				last = i + len(sep)
				i = last - 1
				break
			}
		}
	}
	return append(out, s[last:])
}
