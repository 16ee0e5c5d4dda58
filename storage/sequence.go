package storage

import (
	"sort"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// Sequence definitions.
//
// A sequence's definition is a catalog object like a table: CreateSequence,
// AlterSequence and DropSequence record DDL operations in the
// transaction, its snapshots see them, savepoints and Rollback undo them,
// and the writer stores them in the objects table (kind "sequence") with
// a DDL event. Sequences share the relation namespace of their schema
// with tables, views and indexes. A sequence owned by a table
// (OwnedTable) is dropped with that table. Its current value is not
// transactional and lives apart from the definition (sequence_values.go).

// checkSequence rejects definitions no nextval can work with, with
// PostgreSQL's messages. The SQL layer fills in defaults and checks the
// finer rules (type bounds, RESTART) before calling storage.
func checkSequence(seq *catalog.Sequence) error {
	switch {
	case seq.Increment == 0:
		return pgerr.New(pgerr.InvalidParameterValue, "INCREMENT must not be zero")
	case seq.Min >= seq.Max:
		return pgerr.New(pgerr.InvalidParameterValue, "MINVALUE (%d) must be less than MAXVALUE (%d)", seq.Min, seq.Max)
	case seq.Start < seq.Min:
		return pgerr.New(pgerr.InvalidParameterValue, "START value (%d) cannot be less than MINVALUE (%d)", seq.Start, seq.Min)
	case seq.Start > seq.Max:
		return pgerr.New(pgerr.InvalidParameterValue, "START value (%d) cannot be greater than MAXVALUE (%d)", seq.Start, seq.Max)
	case seq.Cache < 0:
		return pgerr.New(pgerr.InvalidParameterValue, "CACHE (%d) must be greater than zero", seq.Cache)
	}
	return nil
}

// CreateSequence creates a sequence at commit and assigns seq.ID if it is
// 0. It fails with 42P07 if a table, view, index or sequence of the
// schema has the name. The transaction keeps a copy: later changes to
// *seq have no effect.
func (t *Txn) CreateSequence(seq *catalog.Sequence) error {
	if t.done {
		return errTxnDone
	}
	if err := checkSequence(seq); err != nil {
		return err
	}
	if seq.ID == 0 {
		seq.ID = t.s.allocObjectID()
	} else {
		t.s.raiseObjectID(seq.ID + 1)
	}
	def := *seq
	return t.record(seq.Schema, &ddlOp{kind: ddlCreateSequence, seq: &def})
}

// AlterSequence replaces the definition of the sequence seq.ID in
// seq.Schema (found by seq.Name when seq.ID is 0); a different seq.Name
// renames it. Its current value stays; see RestartSequence for ALTER
// SEQUENCE ... RESTART. It fails with 42P01 if the sequence does not
// exist and with 42P07 if the new name is taken.
func (t *Txn) AlterSequence(seq *catalog.Sequence) error {
	if t.done {
		return errTxnDone
	}
	if err := checkSequence(seq); err != nil {
		return err
	}
	if seq.ID == 0 {
		st := t.overlay(seq.Schema)
		if st == nil {
			return pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", seq.Schema)
		}
		old := st.sequences[seq.Name]
		if old == nil {
			return pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", seq.Name)
		}
		seq.ID = old.ID
	}
	def := *seq
	return t.record(seq.Schema, &ddlOp{kind: ddlAlterSequence, seq: &def})
}

// DropSequence drops a sequence; 42P01 if it does not exist. Dropping a
// sequence that a table owns is allowed (PostgreSQL would require
// CASCADE when a column default uses it).
func (t *Txn) DropSequence(schema, name string) error {
	if t.done {
		return errTxnDone
	}
	st := t.overlay(schema)
	if st == nil {
		return pgerr.New(pgerr.InvalidSchemaName, "schema %q does not exist", schema)
	}
	seq := st.sequences[name]
	if seq == nil {
		return pgerr.New(pgerr.UndefinedTable, "sequence %q does not exist", name)
	}
	return t.record(schema, &ddlOp{kind: ddlDropSequence, name: name, id: seq.ID})
}

// applySequence performs a sequence operation on st (see nsState.apply).
func (st *nsState) applySequence(op *ddlOp) error {
	switch op.kind {
	case ddlCreateSequence:
		if st.relationExists(op.seq.Name) {
			return pgerr.New(pgerr.DuplicateTable, "relation %q already exists", op.seq.Name)
		}
		st.sequences[op.seq.Name] = op.seq
	case ddlAlterSequence:
		old := st.sequenceByID(op.seq.ID)
		if old == nil {
			return pgerr.New(pgerr.UndefinedTable, "relation %q does not exist", op.seq.Name)
		}
		if old.Name != op.seq.Name && st.relationExists(op.seq.Name) {
			return pgerr.New(pgerr.DuplicateTable, "relation %q already exists", op.seq.Name)
		}
		delete(st.sequences, old.Name)
		st.sequences[op.seq.Name] = op.seq
	case ddlDropSequence:
		seq := st.sequences[op.name]
		if seq == nil || (op.id != 0 && seq.ID != op.id) {
			return pgerr.New(pgerr.UndefinedTable, "sequence %q does not exist", op.name)
		}
		delete(st.sequences, op.name)
	}
	return nil
}

// dropOwnedSequences drops the sequences owned by table (serial and
// identity columns, OWNED BY), as dropping the table does.
func (st *nsState) dropOwnedSequences(table string) {
	for name, seq := range st.sequences {
		if seq.OwnedTable == table {
			delete(st.sequences, name)
		}
	}
}

// sequenceByID returns the sequence with the given id, or nil.
func (st *nsState) sequenceByID(id int64) *catalog.Sequence {
	for _, seq := range st.sequences {
		if seq.ID == id {
			return seq
		}
	}
	return nil
}

// Sequence returns the named sequence's definition, or nil. The result
// must not be modified.
func (s *Snapshot) Sequence(schema, name string) *catalog.Sequence {
	if st := s.spaces[schema]; st != nil {
		return st.sequences[name]
	}
	return nil
}

// SequenceByID returns the sequence with the given id (its OID), or nil.
func (s *Snapshot) SequenceByID(id int64) *catalog.Sequence {
	for _, st := range s.spaces {
		if seq := st.sequenceByID(id); seq != nil {
			return seq
		}
	}
	return nil
}

// Sequences returns the sequences of a schema in name order.
func (s *Snapshot) Sequences(schema string) []*catalog.Sequence {
	st := s.spaces[schema]
	if st == nil {
		return nil
	}
	out := make([]*catalog.Sequence, 0, len(st.sequences))
	for _, seq := range st.sequences {
		out = append(out, seq)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
