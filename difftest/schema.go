package difftest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Kind is the family of a column or expression type. Expressions of one
// kind may be compared with each other; the concrete PostgreSQL type is
// in Type.
type Kind int

const (
	KInt Kind = iota
	KNumeric
	KFloat
	KText
	KBool
	KDate
	// The kinds below came later; anyKind draws them less often than
	// the ones above so that they do not crowd those out.
	KTimestamp
	KTimestamptz
	KJsonb
	KIntArray  // int4[]
	KTextArray // text[]
	numKinds
)

// firstNewKind is the first of the later kinds.
const firstNewKind = KTimestamp

func (k Kind) String() string {
	return [...]string{"int", "numeric", "float", "text", "bool", "date", "timestamp", "timestamptz", "jsonb", "int[]", "text[]"}[k]
}

// colPrefix names generated columns of kind k (i1, ts2, ...): skeleton
// blurs the numbers away.
func (k Kind) colPrefix() string {
	return [...]string{"i", "n", "f", "s", "b", "d", "ts", "tz", "j", "ia", "ta"}[k]
}

// Type is a PostgreSQL type the generator uses.
type Type struct {
	Kind Kind
	// Name is the SQL spelling: int2, int4, int8, numeric, float8, text,
	// varchar, bool, date, timestamp, timestamptz, jsonb, int4[], text[].
	Name string
	// Prec and Scale are numeric(p,s)'s typmod (Scale -1: unconstrained
	// or unknown scale); Len is varchar(n)'s.
	Prec, Scale, Len int
	// FracDigits is timestamp(p)'s and timestamptz(p)'s p when HasFrac.
	FracDigits int
	HasFrac    bool
}

// SQL is the type as written in DDL and casts.
func (t Type) SQL() string {
	switch {
	case t.Name == "numeric" && t.Prec > 0:
		return fmt.Sprintf("numeric(%d,%d)", t.Prec, t.Scale)
	case t.Name == "varchar" && t.Len > 0:
		return fmt.Sprintf("varchar(%d)", t.Len)
	case t.HasFrac:
		return fmt.Sprintf("%s(%d)", t.Name, t.FracDigits)
	}
	return t.Name
}

var (
	tInt2   = Type{Kind: KInt, Name: "int2"}
	tInt4   = Type{Kind: KInt, Name: "int4"}
	tInt8   = Type{Kind: KInt, Name: "int8"}
	tFloat8 = Type{Kind: KFloat, Name: "float8"}
	tText   = Type{Kind: KText, Name: "text"}
	tBool   = Type{Kind: KBool, Name: "bool"}
	tDate   = Type{Kind: KDate, Name: "date"}
	tTS     = Type{Kind: KTimestamp, Name: "timestamp"}
	tTSTZ   = Type{Kind: KTimestamptz, Name: "timestamptz"}
	tJsonb  = Type{Kind: KJsonb, Name: "jsonb"}
	tIntArr = Type{Kind: KIntArray, Name: "int4[]"}
	tTxtArr = Type{Kind: KTextArray, Name: "text[]"}
)

func tNumeric(scale int) Type { return Type{Kind: KNumeric, Name: "numeric", Scale: scale} }

// intMax is the largest value of an integer type.
func intMax(t Type) float64 {
	switch t.Name {
	case "int2":
		return 32767
	case "int4":
		return 2147483647
	}
	return 9.2e18
}

// Column is a table column with the domain its values are drawn from.
type Column struct {
	Name string
	Type Type
	// NullFrac is the share of NULLs.
	NullFrac float64
	// Bound is the largest magnitude of a value (int, numeric, float;
	// of an element for int4[]): the expression generator uses it to
	// keep arithmetic from overflowing.
	Bound float64
	// Lo and Hi are the integer domain (int columns and int4[] elements;
	// numeric and float values are Lo..Hi units of 10^-scale or 1/4).
	Lo, Hi int64
	// Unique marks the id column: 1..rows, never NULL.
	Unique bool
}

// Table is a generated table and where pqdb keeps its rows.
type Table struct {
	Name string
	Cols []Column
	// Rows is the number of rows inserted (before updates and deletes).
	Rows int
	// Flushed tables get a CHECKPOINT on pqdb after loading, so their
	// rows are in Parquet segments; the others stay in the writer's tail.
	Flushed bool
}

// Schema is the set of generated tables.
type Schema struct {
	Tables []*Table
}

// DDL is the CREATE TABLE statements.
func (s *Schema) DDL() []string {
	var out []string
	for _, t := range s.Tables {
		out = append(out, t.DDL())
	}
	return out
}

// DDL is the table's CREATE TABLE statement.
func (t *Table) DDL() string {
	var cols []string
	for _, c := range t.Cols {
		cols = append(cols, c.Name+" "+c.Type.SQL())
	}
	return fmt.Sprintf("CREATE TABLE %s (%s)", t.Name, strings.Join(cols, ", "))
}

// Table returns the table called name.
func (s *Schema) Table(name string) *Table {
	for _, t := range s.Tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}

var rowCounts = []int{0, 1, 2, 3, 7, 20, 64, 150, 400, 1100, 2500}

// GenSchema makes 2-4 tables. Every table has an id column (unique
// int4, 1..rows) that joins of big tables use to keep results small,
// then 3-8 columns of random types.
func GenSchema(r *rand.Rand) *Schema {
	s := &Schema{}
	n := 2 + r.IntN(3)
	bigDone := false
	for i := range n {
		t := &Table{Name: fmt.Sprintf("t%d", i+1)}
		rows := rowCounts[r.IntN(len(rowCounts))]
		if !bigDone && i == n-1 {
			rows = 1100 + r.IntN(1500) // at least one table spans many batches
		}
		if rows >= 1000 {
			bigDone = true
		}
		t.Rows = rows
		t.Flushed = r.IntN(2) == 0
		t.Cols = append(t.Cols, Column{Name: "id", Type: tInt4, Unique: true, Lo: 1, Hi: int64(max(rows, 1)), Bound: float64(max(rows, 1))})
		ncols := 3 + r.IntN(6)
		used := map[string]int{}
		for range ncols {
			c := genColumn(r)
			base := c.Name
			used[base]++
			c.Name = fmt.Sprintf("%s%d", base, used[base])
			t.Cols = append(t.Cols, c)
		}
		s.Tables = append(s.Tables, t)
	}
	return s
}

// intDomains are the ranges of int columns: low cardinality ones make
// joins and GROUP BY interesting, wide ones test the type's range.
var intDomains = [][2]int64{{0, 3}, {-10, 10}, {-50, 50}, {-1000, 1000}, {0, 100000}}

func genColumn(r *rand.Rand) Column {
	c := Column{NullFrac: []float64{0, 0.1, 0.15, 0.2}[r.IntN(4)]}
	switch r.IntN(13) {
	case 0, 1:
		c.Type = []Type{tInt2, tInt4, tInt8}[r.IntN(3)]
		d := intDomains[r.IntN(len(intDomains))]
		if c.Type.Name == "int2" && d[1] > 1000 {
			d = [2]int64{-1000, 1000}
		}
		if c.Type.Name == "int8" && r.IntN(3) == 0 {
			d = [2]int64{-5_000_000_000, 5_000_000_000}
		}
		c.Lo, c.Hi = d[0], d[1]
		c.Bound = float64(max(-d[0], d[1]))
		c.Name = "i"
	case 2:
		// {9, -1} is plain numeric: each value is written with its own
		// scale (data.go), at most 9 digits.
		ps := [][2]int{{5, 0}, {5, 2}, {8, 2}, {10, 4}, {12, 3}, {18, 6}, {9, -1}}[r.IntN(7)]
		c.Type = Type{Kind: KNumeric, Name: "numeric", Prec: ps[0], Scale: ps[1]}
		if ps[1] < 0 {
			c.Type.Prec = 0
		}
		// values are Lo..Hi units of 10^-scale, within the precision
		maxUnits := int64(1)
		for range min(ps[0], 9) {
			maxUnits *= 10
		}
		maxUnits--
		span := []int64{5, 300, maxUnits}[r.IntN(3)]
		span = min(span, maxUnits)
		c.Lo, c.Hi = -span, span
		sc := 1.0
		for range ps[1] {
			sc *= 10
		}
		c.Bound = float64(span) / sc
		c.Name = "n"
	case 3:
		c.Type = tFloat8
		span := []int64{8, 400, 40000}[r.IntN(3)]
		c.Lo, c.Hi = -span, span
		c.Bound = float64(span) // quarter units, plus rare specials below 1e7
		c.Name = "f"
	case 4, 5:
		if r.IntN(2) == 0 {
			c.Type = tText
		} else {
			c.Type = Type{Kind: KText, Name: "varchar", Len: 12}
		}
		c.Name = "s"
	case 6:
		c.Type = tBool
		c.Name = "b"
	case 7, 8:
		c.Type = tDate
		c.Name = "d"
	case 9:
		c.Type = []Type{tTS, tTSTZ}[r.IntN(2)]
		if r.IntN(3) == 0 {
			// timestamp(p): values round to p fractional digits as
			// they are stored.
			c.Type.HasFrac, c.Type.FracDigits = true, r.IntN(7)
		}
	case 10:
		c.Type = tJsonb
	default:
		c.Type = []Type{tIntArr, tTxtArr}[r.IntN(2)]
		d := intDomains[r.IntN(4)]
		c.Lo, c.Hi = d[0], d[1]
		c.Bound = float64(max(-d[0], d[1]))
	}
	if c.Name == "" {
		c.Name = c.Type.Kind.colPrefix()
	}
	return c
}
