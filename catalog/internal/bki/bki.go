// Package bki reads PostgreSQL's bootstrap catalog file, postgres.bki
// (Debian's postgresql-15 installs it as
// /usr/share/postgresql/15/postgres.bki): the definition of every system
// catalog (its OID, row type and columns) and the rows initdb starts it
// with. pqdb's generators turn it into Go data, so that what clients see
// of the system catalogs comes from PostgreSQL's own data.
package bki

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// DefaultPath is where Debian's postgresql-15 installs the file.
const DefaultPath = "/usr/share/postgresql/15/postgres.bki"

// Symbols are the build-time macros postgres.bki leaves unexpanded, with
// their values on the 64-bit platforms pqdb runs on.
var Symbols = map[string]string{
	"NAMEDATALEN":     "64",
	"SIZEOF_POINTER":  "8",
	"ALIGNOF_POINTER": "d",
	"FLOAT8PASSBYVAL": "t",
}

// Column is one column of a catalog: its name and its type's name as the
// bki writes it (an array type as _elem).
type Column struct {
	Name string
	Type string
}

// Relation is one catalog of the file.
type Relation struct {
	Name    string
	OID     uint32
	RowType uint32 // rowtype_oid; 0 when the file gives none
	Shared  bool   // shared_relation: one copy for the whole cluster
	Columns []Column
	// Rows are the inserted rows, each value in column order as the file
	// writes it (symbols expanded; "_null_" is NULL).
	Rows [][]string
}

// Row is one row of r by column name.
func (r *Relation) Row(i int) map[string]string {
	m := make(map[string]string, len(r.Columns))
	for k, c := range r.Columns {
		m[c.Name] = r.Rows[i][k]
	}
	return m
}

// Read returns every catalog of the .bki file at path, in file order.
func Read(path string) ([]*Relation, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*Relation
	var cur *Relation
	inColumns := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		fields := strings.Fields(line)
		switch {
		case len(fields) >= 3 && fields[0] == "create":
			oid, err := strconv.ParseUint(fields[2], 10, 32)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", line, err)
			}
			cur = &Relation{Name: fields[1], OID: uint32(oid)}
			for i := 3; i < len(fields); i++ {
				switch fields[i] {
				case "shared_relation":
					cur.Shared = true
				case "rowtype_oid":
					if i+1 < len(fields) {
						v, err := strconv.ParseUint(fields[i+1], 10, 32)
						if err != nil {
							return nil, fmt.Errorf("%s: %v", line, err)
						}
						cur.RowType = uint32(v)
						i++
					}
				}
			}
			out = append(out, cur)
			inColumns = true
		case cur == nil:
		case inColumns && line == ")":
			inColumns = false
		case inColumns && line != "(":
			name, typ, ok := strings.Cut(strings.TrimSuffix(line, " ,"), " = ")
			if ok {
				typ, _, _ = strings.Cut(typ, " ") // FORCE NOT NULL / FORCE NULL
				cur.Columns = append(cur.Columns, Column{Name: name, Type: typ})
			}
		case strings.HasPrefix(line, "insert ("):
			vals, err := tokens(strings.TrimSuffix(strings.TrimPrefix(line, "insert ("), ")"))
			if err != nil {
				return nil, fmt.Errorf("%s: %v", line, err)
			}
			if len(vals) != len(cur.Columns) {
				return nil, fmt.Errorf("%s: %d values for %d columns", line, len(vals), len(cur.Columns))
			}
			for i, v := range vals {
				if s, ok := Symbols[v]; ok {
					vals[i] = s
				}
			}
			cur.Rows = append(cur.Rows, vals)
		case len(fields) >= 1 && fields[0] == "close":
			cur = nil
		}
	}
	return out, sc.Err()
}

// Find returns the catalog called name, or nil.
func Find(rels []*Relation, name string) *Relation {
	for _, r := range rels {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// tokens splits the values of a bki insert; single or double quotes group
// a value that may hold spaces.
func tokens(s string) ([]string, error) {
	var out []string
	for i := 0; i < len(s); {
		switch {
		case s[i] == ' ':
			i++
		case s[i] == '\'' || s[i] == '"':
			// A quoted value; a doubled quote inside stands for one.
			q := s[i]
			var v strings.Builder
			j := i + 1
			for ; j < len(s); j++ {
				if s[j] != q {
					v.WriteByte(s[j])
					continue
				}
				if j+1 < len(s) && s[j+1] == q {
					v.WriteByte(q)
					j++
					continue
				}
				break
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated quote")
			}
			out = append(out, v.String())
			i = j + 1
		default:
			j := strings.IndexByte(s[i:], ' ')
			if j < 0 {
				j = len(s) - i
			}
			out = append(out, s[i:i+j])
			i += j
		}
	}
	return out, nil
}
