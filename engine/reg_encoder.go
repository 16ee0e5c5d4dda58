package engine

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/pqdb/pqdb/catalog"
)

// The reg* types print by name (catalog/type_reg.go), which needs the
// session's catalog: the catalog's encoders print their OIDs, and
// nameRegColumns replaces those of the text-format result columns of a
// reg* type by encoders that print the names, as regclassout and its
// kin do. The names are those of the catalog when the rows are sent.

// regNameEncoder prints a reg* column's values by name.
type regNameEncoder struct {
	col  *array.Uint32
	name func(uint32) string
}

func (e *regNameEncoder) Bind(col arrow.Array) { e.col = col.(*array.Uint32) }

func (e *regNameEncoder) Append(buf []byte, i int) []byte {
	return append(buf, e.name(e.col.Value(i))...)
}

// nameRegColumns makes enc print its text-format reg* columns, and
// arrays of them, by name.
func (s *Session) nameRegColumns(enc *rowEncoder, types []catalog.Type, formats []int16) error {
	for i, t := range types {
		elem := t
		if t.IsArray() {
			elem = t.ElemType()
		}
		if !catalog.IsRegKind(elem.Kind) || formatFor(formats, i) != catalog.FormatText {
			continue
		}
		n, err := s.catalogNamesFor()
		if err != nil {
			return err
		}
		names := &regNameEncoder{name: n.outputFunc(elem.Kind)}
		enc.names = true
		if t.IsArray() {
			enc.encs[i] = catalog.NewArrayTextEncoder(t, names)
		} else {
			enc.encs[i] = names
		}
	}
	return nil
}

// regIO is the input and output functions of one reg* kind.
type regIO struct {
	in  func(string) (uint32, error)
	out func(uint32) string
}

// io is the input and output functions of the reg* kind k.
func (n *catalogNames) io(k catalog.Kind) regIO {
	switch k {
	case catalog.RegClass:
		return regIO{n.regclassIn, n.regclassOut}
	case catalog.RegType:
		return regIO{n.regtypeIn, n.regtypeOut}
	case catalog.RegProc:
		return regIO{n.regprocIn, n.regprocOut}
	case catalog.RegProcedure:
		return regIO{n.regprocedureIn, n.regprocedureOut}
	case catalog.RegNamespace:
		return regIO{n.regnamespaceIn, n.regnamespaceOut}
	case catalog.RegOper:
		return regIO{n.regoperIn, n.regoperOut}
	case catalog.RegOperator:
		return regIO{n.regoperatorIn, n.regoperatorOut}
	case catalog.RegConfig, catalog.RegDictionary, catalog.RegCollation:
		return n.searchableIO(k)
	}
	return regIO{n.regroleIn, n.regroleOut}
}

// outputFunc is the output function of the reg* kind k.
func (n *catalogNames) outputFunc(k catalog.Kind) func(uint32) string { return n.io(k).out }

// inputFunc is the input function of the reg* kind k.
func (n *catalogNames) inputFunc(k catalog.Kind) func(string) (uint32, error) { return n.io(k).in }
