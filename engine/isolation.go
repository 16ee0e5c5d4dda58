package engine

import (
	"context"

	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
)

// Transaction isolation and access modes.
//
//   - READ COMMITTED (and READ UNCOMMITTED, which PostgreSQL runs the
//     same way): each statement reads the latest committed state.
//   - REPEATABLE READ: every statement reads the committed state the
//     first one read; a row another transaction changed since then fails
//     this one's commit with 40001.
//   - SERIALIZABLE: REPEATABLE READ, with serializable snapshot
//     isolation among serializable transactions, as in PostgreSQL: a
//     commit that could make their outcome differ from every serial
//     order (write skew, a phantom read) fails with 40001
//     (storage/serializable.go). Against READ COMMITTED and REPEATABLE
//     READ writers a serializable transaction fails with 40001 exactly as
//     a REPEATABLE READ one.
//   - READ ONLY: statements that write fail with 25006.

var isolationLevel = oneOf("read uncommitted", "read committed", "repeatable read", "serializable")

func checkOnOff(name string) func(string) (string, error) {
	return func(v string) (string, error) {
		switch v {
		case "on", "true", "yes", "1":
			return "on", nil
		case "off", "false", "no", "0":
			return "off", nil
		}
		return "", pgerr.New(pgerr.InvalidParameterValue, "parameter \"%s\" requires a Boolean value", name)
	}
}

// beginModes sets up a new block's isolation level and access mode from
// BEGIN's modes and the session defaults.
func (s *Session) beginModes(ctx context.Context, modes map[string]string) error {
	s.blockQueried = false
	iso, ro := s.settings["default_transaction_isolation"], s.settings["default_transaction_read_only"]
	if v, ok := modes["transaction_isolation"]; ok {
		iso = v
	}
	if v, ok := modes["transaction_read_only"]; ok {
		ro = v
	}
	return s.setModes(ctx, iso, ro)
}

// setModes validates and applies a block's isolation level and access
// mode (as transaction-local settings, so they end with it).
func (s *Session) setModes(ctx context.Context, iso, ro string) error {
	iso, err := isolationLevel(iso)
	if err != nil {
		return err
	}
	if ro, err = checkOnOff("transaction_read_only")(ro); err != nil {
		return err
	}
	for name, v := range map[string]string{"transaction_isolation": iso, "transaction_read_only": ro} {
		s.noteTransactionSetting(name, true)
		s.setSetting(name, v)
	}
	s.txn.SetRepeatableRead(iso == "repeatable read" || iso == "serializable")
	s.txn.SetSerializable(iso == "serializable")
	return nil
}

// transactionModes runs SET TRANSACTION and SET SESSION CHARACTERISTICS
// AS TRANSACTION.
func (s *Session) transactionModes(ctx context.Context, p *planner.TxnModesPlan, out ResultWriter) (string, error) {
	if p.Session {
		for name, v := range p.Modes {
			check := isolationLevel
			if name == "default_transaction_read_only" {
				check = checkOnOff(name)
			}
			v, err := check(v)
			if err != nil {
				return "", err
			}
			s.setSetting(name, v)
		}
		return "SET", nil
	}
	if s.txn == nil {
		return "SET", out.Notice(&pgerr.Error{Severity: "WARNING", Code: pgerr.NoActiveSqlTransaction, Message: "SET TRANSACTION can only be used in transaction blocks"})
	}
	iso, ro := s.settings["transaction_isolation"], s.settings["transaction_read_only"]
	if v, ok := p.Modes["transaction_isolation"]; ok {
		nv, err := isolationLevel(v)
		if err != nil {
			return "", err
		}
		if s.blockQueried && nv != iso {
			return "", pgerr.New(pgerr.ActiveSqlTransaction, "SET TRANSACTION ISOLATION LEVEL must be called before any query")
		}
		iso = nv
	}
	if v, ok := p.Modes["transaction_read_only"]; ok {
		nv, err := checkOnOff("transaction_read_only")(v)
		if err != nil {
			return "", err
		}
		if s.blockQueried && nv == "off" && ro == "on" {
			return "", pgerr.New(pgerr.ActiveSqlTransaction, "transaction read-write mode must be set before any query")
		}
		ro = nv
	}
	return "SET", s.setModes(ctx, iso, ro)
}

// readOnly reports whether the statement about to run is in a read-only
// transaction.
func (s *Session) readOnly() bool {
	if s.txn != nil {
		return s.settings["transaction_read_only"] == "on"
	}
	return s.settings["default_transaction_read_only"] == "on"
}

// writeCommand names the command of a plan that writes, as PostgreSQL's
// "cannot execute %s in a read-only transaction" does; "" for others.
func writeCommand(plan planner.Plan) string {
	switch p := plan.(type) {
	case *planner.ModifyingWithPlan:
		// PostgreSQL names the statement, a SELECT whose WITH writes.
		if cmd := writeCommand(p.Main); cmd != "" {
			return cmd
		}
		return "SELECT"
	case *planner.ExplainPlan:
		// EXPLAIN ANALYZE runs the statement.
		if p.Analyze {
			return writeCommand(p.Inner)
		}
	case *planner.QueryPlan:
		if p.LockStrength != "" {
			return "SELECT " + p.LockStrength
		}
	case *planner.InsertPlan:
		return "INSERT"
	case *planner.UpdatePlan:
		return "UPDATE"
	case *planner.DeletePlan:
		return "DELETE"
	case *planner.CopyFromPlan:
		return "COPY FROM"
	case *planner.CreateTablePlan:
		return "CREATE TABLE"
	case *planner.CreateTableAsPlan:
		if p.SelectInto {
			return "SELECT INTO"
		}
		return "CREATE TABLE AS"
	case *planner.TruncatePlan:
		return "TRUNCATE TABLE"
	case *planner.CreateViewPlan:
		return "CREATE VIEW"
	case *planner.CreateIndexPlan:
		return "CREATE INDEX"
	case *planner.CreateSchemaPlan:
		return "CREATE SCHEMA"
	case *planner.CreateSequencePlan:
		return "CREATE SEQUENCE"
	case *planner.AlterSequencePlan:
		return "ALTER SEQUENCE"
	case *planner.DropPlan:
		return "DROP"
	case *planner.CreateTypePlan:
		if p.Type.IsDomain() {
			return "CREATE DOMAIN"
		}
		return "CREATE TYPE"
	case *planner.AlterTypePlan:
		return p.Tag
	case *planner.DropTypePlan:
		if p.Domain {
			return "DROP DOMAIN"
		}
		return "DROP TYPE"
	case *planner.AlterTablePlan:
		return "ALTER TABLE"
	case *planner.RenamePlan:
		return p.Tag
	case *planner.CommentPlan:
		return "COMMENT"
	case *planner.CreateRolePlan:
		return "CREATE ROLE"
	case *planner.AlterRolePlan:
		return "ALTER ROLE"
	case *planner.DropRolePlan:
		return "DROP ROLE"
	}
	return ""
}
