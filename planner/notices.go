package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Notices are what binding tells the client besides the plan: the
// NOTICEs and WARNINGs PostgreSQL raises while it analyzes a statement
// (TIMESTAMP(7) precision reduced to maximum allowed, 6; an IF EXISTS
// that found nothing, skipping). The binder collects them in the order it
// meets them (notify); Bind hands them over with the plan (Bound.Notices)
// and BindAlterTableCmd with its step (AlterTableStep.Notices), and the
// engine sends them before it runs what it was given. A statement made
// with PREPARE sends them at PREPARE, as PostgreSQL analyzes it there.
//
// Notices raised while binding a stored definition (a view's query, a
// column's DEFAULT, a domain's CHECK) are dropped: PostgreSQL raised
// them once, when the definition was made, and keeps the definition
// analyzed; pqdb keeps its text and binds it again at each use.

// notify records n for the client. A notice that points into the
// statement is recorded once however often binding reaches that place:
// a WITH query is bound at each reference to it, PostgreSQL analyzes it
// once.
func (b *binder) notify(n *pgerr.Error) {
	if b.storedDefinition > 0 {
		return
	}
	if n.Position > 0 {
		for _, m := range b.notices {
			if m.Position == n.Position && m.Code == n.Code && m.Message == n.Message {
				return
			}
		}
	}
	b.notices = append(b.notices, n)
}

// bindingStored marks the binding of a stored definition until the
// returned function is called.
func (b *binder) bindingStored() (done func()) {
	b.storedDefinition++
	return func() { b.storedDefinition-- }
}

// resolveTypeName is catalog.ResolveTypeName for a type name written at
// loc in the statement, its warning sent to the client.
func (b *binder) resolveTypeName(name string, typmods []int32, loc int32) (catalog.Type, error) {
	t, warn, err := catalog.ResolveTypeName(name, typmods)
	if warn != nil {
		b.notify(warn.WithPosition(position(b.query, loc)))
	}
	return t, err
}

// warnColumnTypesAgain repeats the warnings about the types of the column
// definitions cds, without a position: PostgreSQL resolves the type of a
// new column twice, first where it analyzes the statement (with
// positions), then where it builds the table's row type
// (BuildDescForRelation, ATExecAddColumn, without), and warns each time.
func (b *binder) warnColumnTypesAgain(cds ...*pg_query.ColumnDef) {
	query := b.query
	b.query = ""
	defer func() { b.query = query }()
	for _, cd := range cds {
		if _, serial := serialType(cd.TypeName); !serial {
			_, _ = b.typeFromName(cd.TypeName)
		}
	}
}
