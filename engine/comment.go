package engine

import (
	"maps"

	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// comment runs COMMENT ON: the object's definition is replaced by a copy
// carrying the comment, in the transaction, keeping its id (OID).
func (s *Session) comment(txn *storage.Txn, p *planner.CommentPlan) error {
	snap := txn.View()
	switch p.Kind {
	case planner.ObjectSchema:
		return txn.CommentSchema(p.Name, p.Comment)
	case planner.ObjectTable:
		t := snap.Table(p.Schema, p.Name).Clone()
		if p.Column != "" {
			t.Columns[t.ColumnIndex(p.Column)].Comment = p.Comment
		} else {
			t.Comment = p.Comment
		}
		return txn.AlterTable(t.Schema, t.Name, t, nil)
	case planner.ObjectView:
		v := *snap.View(p.Schema, p.Name)
		if p.Column != "" {
			v.ColumnComments = maps.Clone(v.ColumnComments)
			if v.ColumnComments == nil {
				v.ColumnComments = map[string]string{}
			}
			if p.Comment == "" {
				delete(v.ColumnComments, p.Column)
			} else {
				v.ColumnComments[p.Column] = p.Comment
			}
		} else {
			v.Comment = p.Comment
		}
		return txn.AlterView(&v)
	case planner.ObjectSequence:
		q := *snap.Sequence(p.Schema, p.Name)
		q.Comment = p.Comment
		return txn.AlterSequence(&q)
	case planner.ObjectIndex:
		ix := *snap.Index(p.Schema, p.Name)
		ix.Comment = p.Comment
		return txn.AlterIndex(&ix)
	}
	return pgerr.Unsupported("COMMENT ON is not supported for this object")
}
