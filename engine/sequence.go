package engine

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// The sequence functions. Their values are not transactional (storage
// never rolls a nextval back); currval and lastval read what this session
// last got, as in PostgreSQL.

// sequenceFuncs are nextval, currval, setval and lastval.
func (s *Session) sequenceFuncs() map[string]planner.HostFunc {
	text, i8, b, rel := catalog.TypeText, catalog.TypeInt8, catalog.TypeBool, catalog.TypeRegclass
	return map[string]planner.HostFunc{
		"nextval": {Args: []catalog.Type{rel}, MinArgs: 1, Result: i8,
			Fn: s.onSequence(func(seq *catalog.Sequence) (catalog.Datum, error) {
				if s.readOnly() {
					return nil, pgerr.New(pgerr.ReadOnlySqlTransaction, "cannot execute nextval() in a read-only transaction")
				}
				v, err := s.nextVal(seq)
				if err != nil {
					return nil, err
				}
				s.noteSequenceValue(seq, v)
				return v, nil
			})},
		"currval": {Args: []catalog.Type{rel}, MinArgs: 1, Result: i8,
			Fn: s.onSequence(func(seq *catalog.Sequence) (catalog.Datum, error) {
				v, ok := s.seqValues[seq.ID]
				if !ok {
					return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "currval of sequence \"%s\" is not yet defined in this session", seq.Name)
				}
				return v, nil
			})},
		"setval": {Args: []catalog.Type{rel, i8, b}, MinArgs: 2, Result: i8,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				if args[0] == nil || args[1] == nil || len(args) > 2 && args[2] == nil {
					return nil, nil
				}
				seq, err := s.resolveSequence(args[0].(uint32))
				if err != nil {
					return nil, err
				}
				v, called := args[1].(int64), true
				if len(args) > 2 {
					called = args[2].(bool)
				}
				if s.readOnly() {
					return nil, pgerr.New(pgerr.ReadOnlySqlTransaction, "cannot execute setval() in a read-only transaction")
				}
				if err := s.setVal(seq, v, called); err != nil {
					return nil, err
				}
				if called {
					s.noteSequenceValue(seq, v)
				}
				return v, nil
			}},
		"pg_get_serial_sequence": {Args: []catalog.Type{text, text}, MinArgs: 2, Result: text,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				if args[0] == nil || args[1] == nil {
					return nil, nil
				}
				return s.serialSequence(args[0].(string), args[1].(string))
			}},
		"lastval": {Result: i8,
			Fn: func(_ *exec.Context, _ []catalog.Datum) (catalog.Datum, error) {
				if !s.haveLastval {
					return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "lastval is not yet defined in this session")
				}
				return s.lastval, nil
			}},
	}
}

// currentTxn is the transaction a statement of this session runs in, if
// any: the sequence functions see the sequences it created.
func (s *Session) currentTxn() *storage.Txn {
	if s.txn != nil {
		return s.txn
	}
	return s.implicit
}

func (s *Session) nextVal(seq *catalog.Sequence) (int64, error) {
	if t := s.currentTxn(); t != nil {
		return t.NextVal(seq.Schema, seq.Name)
	}
	return s.eng.store.NextVal(seq.Schema, seq.Name)
}

func (s *Session) setVal(seq *catalog.Sequence, v int64, called bool) error {
	if t := s.currentTxn(); t != nil {
		return t.SetVal(seq.Schema, seq.Name, v, called)
	}
	return s.eng.store.SetVal(seq.Schema, seq.Name, v, called)
}

// onSequence makes a host function of fn over the sequence its first
// argument names; NULL for a NULL name.
func (s *Session) onSequence(fn func(seq *catalog.Sequence) (catalog.Datum, error)) exec.HostFunc {
	return func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
		if args[0] == nil {
			return nil, nil
		}
		seq, err := s.resolveSequence(args[0].(uint32))
		if err != nil {
			return nil, err
		}
		return fn(seq)
	}
}

// noteSequenceValue records v as seq's current value in this session.
func (s *Session) noteSequenceValue(seq *catalog.Sequence, v int64) {
	if s.seqValues == nil {
		s.seqValues = map[int64]int64{}
	}
	s.seqValues[seq.ID] = v
	s.lastval, s.haveLastval = v, true
}

// resolveSequence finds the sequence a regclass value identifies.
func (s *Session) resolveSequence(oid uint32) (*catalog.Sequence, error) {
	if seq := s.catalogView().SequenceByID(int64(oid)); seq != nil {
		return seq, nil
	}
	n, err := s.catalogNamesFor()
	if err != nil {
		return nil, err
	}
	if c, ok := n.classes[oid]; ok {
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a sequence", c.name)
	}
	return nil, pgerr.New(pgerr.InternalError, "could not open relation with OID %d", oid)
}

// serialSequence is pg_get_serial_sequence(table, column): the quoted,
// qualified name of the sequence a serial or identity column owns, NULL
// for a column that owns none and for a relation other than a table
// (SQLAlchemy asks it of a view's columns). The table name is read as
// regclass input, the column name as written.
func (s *Session) serialSequence(table, column string) (catalog.Datum, error) {
	parts, err := catalog.SplitRelationName(table)
	if err != nil {
		return nil, err
	}
	snap := s.catalogView()
	name := parts[len(parts)-1]
	for _, sc := range s.relationSchemas(snap, parts) {
		t := snap.Table(sc, name)
		if t == nil {
			continue
		}
		if t.ColumnIndex(column) < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", column, name)
		}
		for _, q := range snap.Sequences(sc) {
			if q.OwnedTable == t.Name && q.OwnedColumn == column {
				schema := q.Schema
				if schema == s.tempSchema() {
					schema = "pg_temp" // as PostgreSQL names its own
				}
				return exec.QuoteIdent(schema) + "." + exec.QuoteIdent(q.Name), nil
			}
		}
		return nil, nil
	}
	// Any other relation (a view, a system catalog) owns no sequence;
	// only a name that is no relation at all is an error, as regclass
	// input says it.
	names, err := s.catalogNamesFor()
	if err != nil {
		return nil, err
	}
	if _, err := names.regclassIn(table); err != nil {
		return nil, err
	}
	return nil, nil
}

// relationSchemas are the schemas a relation name split by
// catalog.SplitRelationName is looked up in: its own, or the session's temporary
// schema and then the search path.
func (s *Session) relationSchemas(snap *storage.Snapshot, parts []string) []string {
	if len(parts) == 2 {
		if parts[0] == "pg_temp" {
			return []string{s.tempSchema()}
		}
		return []string{parts[0]}
	}
	schemas := searchPath(s.settings["search_path"], s.info.User)
	if snap.HasSchema(s.tempSchema()) {
		schemas = append([]string{s.tempSchema()}, schemas...)
	}
	return schemas
}

// sequenceDDL runs CREATE and ALTER SEQUENCE.
func (s *Session) sequenceDDL(txn *storage.Txn, snap *storage.Snapshot, plan planner.Plan, out ResultWriter) (string, error) {
	switch p := plan.(type) {
	case *planner.CreateSequencePlan:
		q := p.Sequence
		if exists, tag, err := existingRelation(snap, q.Schema, q.Name, p.IfNotExists, "CREATE SEQUENCE", out); exists {
			return tag, err
		}
		return "CREATE SEQUENCE", txn.CreateSequence(q)
	case *planner.AlterSequencePlan:
		if p.Missing {
			return "ALTER SEQUENCE", out.Notice(pgerr.Notice(pgerr.SuccessfulCompletion, "relation \"%s\" does not exist, skipping", p.Sequence.Name))
		}
		if err := txn.AlterSequence(p.Sequence); err != nil {
			return "", err
		}
		if p.Restart {
			if err := txn.RestartSequence(p.Sequence.Schema, p.Sequence.Name, p.RestartWith); err != nil {
				return "", err
			}
		}
		return "ALTER SEQUENCE", nil
	}
	return "", pgerr.Unsupported("statement is not supported")
}
