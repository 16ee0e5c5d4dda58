package planner

import (
	"math"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
)

// Sequences: CREATE/ALTER SEQUENCE, and the sequences behind serial and
// identity columns. The rules for options and their defaults are those
// of PostgreSQL's init_params (commands/sequence.c).

// serialTypes are the serial pseudo-types and the integer types they
// stand for.
var serialTypes = map[string]catalog.Type{
	"smallserial": catalog.TypeInt2, "serial2": catalog.TypeInt2,
	"serial": catalog.TypeInt4, "serial4": catalog.TypeInt4,
	"bigserial": catalog.TypeInt8, "serial8": catalog.TypeInt8,
}

// serialType reports whether tn names a serial pseudo-type.
func serialType(tn *pg_query.TypeName) (catalog.Type, bool) {
	if len(tn.Names) != 1 || len(tn.Typmods) > 0 || len(tn.ArrayBounds) > 0 {
		return catalog.Type{}, false
	}
	t, ok := serialTypes[tn.Names[0].GetString_().Sval]
	return t, ok
}

// typeBounds are the smallest and largest values of an integer type.
func typeBounds(t catalog.Type) (int64, int64) {
	switch t.Kind {
	case catalog.Int2:
		return math.MinInt16, math.MaxInt16
	case catalog.Int4:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

// seqOptions are the options given, before defaults apply.
type seqOptions struct {
	typ                     *catalog.Type
	increment, start, cache *int64
	min, max                *int64
	noMin, noMax            bool
	cycle                   *bool
	restart                 bool
	restartWith             *int64
	ownedTable, ownedColumn string
	ownedNone, ownedBySet   bool
}

func (b *binder) parseSeqOptions(opts []*pg_query.Node, alter bool) (*seqOptions, error) {
	o := &seqOptions{}
	seen := map[string]bool{}
	for _, n := range opts {
		d := n.GetDefElem()
		if seen[d.Defname] {
			return nil, b.errAt(pgerr.SyntaxError, d.Location, "conflicting or redundant options")
		}
		seen[d.Defname] = true
		num := func() (*int64, error) {
			v, ok := defElemInt(d.Arg)
			if !ok {
				return nil, b.errAt(pgerr.SyntaxError, d.Location, "%s requires a numeric value", d.Defname)
			}
			return &v, nil
		}
		var err error
		switch d.Defname {
		case "as":
			t, err := b.typeFromName(d.Arg.GetTypeName())
			if err != nil {
				return nil, err
			}
			if !t.IsInteger() {
				return nil, b.errAt(pgerr.InvalidParameterValue, d.Location, "sequence type must be smallint, integer, or bigint")
			}
			o.typ = &t
		case "increment":
			o.increment, err = num()
		case "start":
			o.start, err = num()
		case "cache":
			o.cache, err = num()
		case "minvalue":
			if d.Arg == nil {
				o.noMin = true
			} else {
				o.min, err = num()
			}
		case "maxvalue":
			if d.Arg == nil {
				o.noMax = true
			} else {
				o.max, err = num()
			}
		case "cycle":
			v := d.Arg.GetBoolean().GetBoolval()
			if iv, ok := defElemInt(d.Arg); ok {
				v = iv != 0
			}
			o.cycle = &v
		case "restart":
			if !alter {
				return nil, b.errAt(pgerr.FeatureNotSupported, d.Location, "RESTART option not supported here")
			}
			o.restart = true
			if d.Arg != nil {
				o.restartWith, err = num()
			}
		case "owned_by":
			var parts []string
			for _, it := range d.Arg.GetList().GetItems() {
				parts = append(parts, it.GetString_().Sval)
			}
			o.ownedBySet = true
			switch {
			case len(parts) == 1 && strings.EqualFold(parts[0], "none"):
				o.ownedNone = true
			case len(parts) >= 2:
				o.ownedTable, o.ownedColumn = parts[len(parts)-2], parts[len(parts)-1]
			default:
				return nil, b.errAt(pgerr.SyntaxError, d.Location, "invalid OWNED BY option")
			}
		case "sequence_name":
			// Identity options may name the sequence; handled by the caller.
		default:
			return nil, b.errAt(pgerr.SyntaxError, d.Location, "option \"%s\" not recognized", d.Defname)
		}
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}

// defElemInt reads an integer option value.
func defElemInt(n *pg_query.Node) (int64, bool) {
	if n == nil {
		return 0, false
	}
	switch v := n.Node.(type) {
	case *pg_query.Node_Integer:
		return int64(v.Integer.Ival), true
	case *pg_query.Node_Float:
		f, err := strconv.ParseInt(v.Float.Fval, 10, 64)
		return f, err == nil
	}
	return 0, false
}

// applySeqOptions sets seq from o, over seq's current definition when
// alter is true and over PostgreSQL's defaults otherwise, and checks the
// result as init_params does.
func applySeqOptions(seq *catalog.Sequence, o *seqOptions, alter bool) error {
	if !alter {
		seq.Type, seq.Increment, seq.Cache = catalog.TypeInt8, 1, 1
	}
	if o.typ != nil {
		// Bounds that were the old type's defaults follow the new type.
		oldLo, oldHi := typeBounds(seq.Type)
		lo, hi := typeBounds(*o.typ)
		if alter && seq.Min == oldLo && seq.Min < 0 || alter && seq.Min < lo {
			seq.Min = lo
		}
		if alter && seq.Max == oldHi || alter && seq.Max > hi {
			seq.Max = hi
		}
		seq.Type = *o.typ
	}
	if o.increment != nil {
		if *o.increment == 0 {
			return pgerr.New(pgerr.InvalidParameterValue, "INCREMENT must not be zero")
		}
		seq.Increment = *o.increment
	}
	if o.cycle != nil {
		seq.Cycle = *o.cycle
	}
	lo, hi := typeBounds(seq.Type)
	switch {
	case o.max != nil:
		seq.Max = *o.max
	case o.noMax || !alter:
		if seq.Increment > 0 {
			seq.Max = hi
		} else {
			seq.Max = -1
		}
	}
	switch {
	case o.min != nil:
		seq.Min = *o.min
	case o.noMin || !alter:
		if seq.Increment > 0 {
			seq.Min = 1
		} else {
			seq.Min = lo
		}
	}
	if seq.Max < lo || seq.Max > hi {
		return pgerr.New(pgerr.InvalidParameterValue, "MAXVALUE (%d) is out of range for sequence data type %s", seq.Max, seq.Type)
	}
	if seq.Min < lo || seq.Min > hi {
		return pgerr.New(pgerr.InvalidParameterValue, "MINVALUE (%d) is out of range for sequence data type %s", seq.Min, seq.Type)
	}
	if seq.Min >= seq.Max {
		return pgerr.New(pgerr.InvalidParameterValue, "MINVALUE (%d) must be less than MAXVALUE (%d)", seq.Min, seq.Max)
	}
	switch {
	case o.start != nil:
		seq.Start = *o.start
	case !alter:
		if seq.Increment > 0 {
			seq.Start = seq.Min
		} else {
			seq.Start = seq.Max
		}
	}
	if seq.Start < seq.Min {
		return pgerr.New(pgerr.InvalidParameterValue, "START value (%d) cannot be less than MINVALUE (%d)", seq.Start, seq.Min)
	}
	if seq.Start > seq.Max {
		return pgerr.New(pgerr.InvalidParameterValue, "START value (%d) cannot be greater than MAXVALUE (%d)", seq.Start, seq.Max)
	}
	if o.restartWith != nil {
		if *o.restartWith < seq.Min {
			return pgerr.New(pgerr.InvalidParameterValue, "RESTART value (%d) cannot be less than MINVALUE (%d)", *o.restartWith, seq.Min)
		}
		if *o.restartWith > seq.Max {
			return pgerr.New(pgerr.InvalidParameterValue, "RESTART value (%d) cannot be greater than MAXVALUE (%d)", *o.restartWith, seq.Max)
		}
	}
	if o.cache != nil {
		if *o.cache <= 0 {
			return pgerr.New(pgerr.InvalidParameterValue, "CACHE (%d) must be greater than zero", *o.cache)
		}
		seq.Cache = *o.cache
	}
	return nil
}

func (b *binder) bindCreateSequence(s *pg_query.CreateSeqStmt) (Plan, error) {
	switch s.Sequence.Relpersistence {
	case "t":
		return nil, pgerr.Unsupported("temporary sequences are not supported")
	case "u":
		return nil, pgerr.Unsupported("unlogged sequences are not supported")
	}
	schema, err := b.creationSchema(s.Sequence.Schemaname)
	if err != nil {
		return nil, err
	}
	if !b.cat.HasSchema(schema) {
		return nil, b.errAt(pgerr.InvalidSchemaName, s.Sequence.Location, "schema \"%s\" does not exist", schema)
	}
	o, err := b.parseSeqOptions(s.Options, false)
	if err != nil {
		return nil, err
	}
	seq := &catalog.Sequence{Schema: schema, Name: s.Sequence.Relname}
	if err := applySeqOptions(seq, o, false); err != nil {
		return nil, err
	}
	if err := b.ownedBy(seq, o); err != nil {
		return nil, err
	}
	return &CreateSequencePlan{Sequence: seq, IfNotExists: s.IfNotExists}, nil
}

// ownedBy applies OWNED BY table.column (in the sequence's schema) or
// OWNED BY NONE.
func (b *binder) ownedBy(seq *catalog.Sequence, o *seqOptions) error {
	if !o.ownedBySet {
		return nil
	}
	if o.ownedNone {
		seq.OwnedTable, seq.OwnedColumn = "", ""
		return nil
	}
	t := b.cat.Table(seq.Schema, o.ownedTable)
	if t == nil {
		return pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", o.ownedTable)
	}
	if t.ColumnIndex(o.ownedColumn) < 0 {
		return pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", o.ownedColumn, o.ownedTable)
	}
	seq.OwnedTable, seq.OwnedColumn = t.Name, o.ownedColumn
	return nil
}

func (b *binder) bindAlterSequence(s *pg_query.AlterSeqStmt) (Plan, error) {
	schema := b.objectSchema(s.Sequence.Schemaname, s.Sequence.Relname)
	cur := b.cat.Sequence(schema, s.Sequence.Relname)
	if cur == nil {
		if s.MissingOk {
			return &AlterSequencePlan{Sequence: &catalog.Sequence{Schema: schema, Name: s.Sequence.Relname}, Missing: true}, nil
		}
		return nil, b.errAt(pgerr.UndefinedTable, s.Sequence.Location, "relation \"%s\" does not exist", s.Sequence.Relname)
	}
	o, err := b.parseSeqOptions(s.Options, true)
	if err != nil {
		return nil, err
	}
	seq := *cur
	if err := applySeqOptions(&seq, o, true); err != nil {
		return nil, err
	}
	if err := b.ownedBy(&seq, o); err != nil {
		return nil, err
	}
	p := &AlterSequencePlan{Sequence: &seq, Restart: o.restart, RestartWith: seq.Start}
	if o.restartWith != nil {
		p.RestartWith = *o.restartWith
	}
	return p, nil
}

// columnSequence makes the sequence of a serial or identity column of t
// named as PostgreSQL names it (table_column_seq), with identity options
// opts applied.
func (b *binder) columnSequence(t *catalog.Table, col catalog.Column, opts []*pg_query.Node) (*catalog.Sequence, error) {
	o, err := b.parseSeqOptions(opts, false)
	if err != nil {
		return nil, err
	}
	name := t.Name + "_" + col.Name + "_seq"
	for _, n := range opts {
		if d := n.GetDefElem(); d.Defname == "sequence_name" {
			var parts []string
			for _, it := range d.Arg.GetList().GetItems() {
				parts = append(parts, it.GetString_().Sval)
			}
			name = parts[len(parts)-1]
		}
	}
	if o.typ == nil {
		typ := col.Type
		o.typ = &typ
	}
	seq := &catalog.Sequence{Schema: t.Schema, Name: name, OwnedTable: t.Name, OwnedColumn: col.Name}
	if err := applySeqOptions(seq, o, false); err != nil {
		return nil, err
	}
	return seq, nil
}

// nextvalDefault is the stored DEFAULT text of a column filled from seq:
// nextval('schema.name'::regclass). The name is always schema-qualified:
// the default is bound again at each INSERT, in that session's
// search_path, and must still find this sequence (PostgreSQL stores its
// OID). pg_get_expr prints the schema only where the sequence is not
// visible, as PostgreSQL does.
func (b *binder) nextvalDefault(seq *catalog.Sequence) string {
	name := exec.QuoteIdent(seq.Schema) + "." + exec.QuoteIdent(seq.Name)
	return "nextval('" + strings.ReplaceAll(name, "'", "''") + "'::regclass)"
}
