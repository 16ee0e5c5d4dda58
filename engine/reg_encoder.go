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

// nameRegColumns makes enc print its text-format reg* columns by name.
func (s *Session) nameRegColumns(enc *rowEncoder, types []catalog.Type, formats []int16) error {
	for i, t := range types {
		if !catalog.IsRegKind(t.Kind) || formatFor(formats, i) != catalog.FormatText {
			continue
		}
		n, err := s.catalogNamesFor()
		if err != nil {
			return err
		}
		enc.encs[i] = &regNameEncoder{name: n.outputFunc(t.Kind)}
	}
	return nil
}

// outputFunc is the output function of the reg* kind k.
func (n *catalogNames) outputFunc(k catalog.Kind) func(uint32) string {
	switch k {
	case catalog.RegClass:
		return n.regclassOut
	case catalog.RegType:
		return n.regtypeOut
	case catalog.RegProc:
		return n.regprocOut
	case catalog.RegProcedure:
		return n.regprocedureOut
	case catalog.RegNamespace:
		return n.regnamespaceOut
	case catalog.RegOper:
		return n.regoperOut
	case catalog.RegOperator:
		return n.regoperatorOut
	}
	return n.regroleOut
}

// inputFunc is the input function of the reg* kind k.
func (n *catalogNames) inputFunc(k catalog.Kind) func(string) (uint32, error) {
	switch k {
	case catalog.RegClass:
		return n.regclassIn
	case catalog.RegType:
		return n.regtypeIn
	case catalog.RegProc:
		return n.regprocIn
	case catalog.RegProcedure:
		return n.regprocedureIn
	case catalog.RegNamespace:
		return n.regnamespaceIn
	case catalog.RegOper:
		return n.regoperIn
	case catalog.RegOperator:
		return n.regoperatorIn
	}
	return n.regroleIn
}
