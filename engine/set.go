package engine

import (
	"context"

	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
)

// set runs SET / RESET for the settings pqdb knows. Inside a transaction
// block the change is undone if the block rolls back, and a SET LOCAL
// change when it ends either way.
func (s *Session) set(ctx context.Context, p *planner.SetPlan, out ResultWriter) (string, error) {
	if p.All {
		s.resetAll()
		return p.Tag, nil
	}
	if (p.Name == "transaction_isolation" || p.Name == "transaction_read_only") && !p.Reset {
		// SET transaction_isolation = ... is SET TRANSACTION.
		return s.transactionModes(ctx, &planner.TxnModesPlan{Modes: map[string]string{p.Name: p.Value}}, out)
	}
	st, ok := settings[p.Name]
	if !ok {
		return "", unknownSetting(p.Name)
	}
	if p.Local && s.txn == nil {
		return p.Tag, out.Notice(&pgerr.Error{Severity: "WARNING", Code: pgerr.NoActiveSqlTransaction, Message: "SET LOCAL can only be used in transaction blocks"})
	}
	v := s.defaults[p.Name]
	if p.Reset && st.check != nil && p.Name != "session_authorization" {
		// A setting that cannot be changed cannot be reset either (its
		// check refuses even its default); RESET SESSION AUTHORIZATION
		// returns to the session's user, which pqdb never leaves.
		if _, err := st.check(v); err != nil {
			return "", err
		}
	}
	if !p.Reset {
		v = p.Value
		if st.check != nil {
			nv, err := st.check(v)
			if err != nil {
				return "", err
			}
			v = nv
		}
	}
	s.noteTransactionSetting(p.Name, p.Local)
	s.setSetting(p.Name, v)
	return p.Tag, nil
}

// resetAll is RESET ALL: every setting a session may change goes back to
// its value at connection start, as SET name TO DEFAULT would, except the
// current transaction's modes (GUC_NO_RESET_ALL in PostgreSQL).
func (s *Session) resetAll() {
	for name, v := range s.defaults {
		switch name {
		case "transaction_isolation", "transaction_read_only", "session_authorization":
			continue
		}
		if s.settings[name] != v {
			s.noteTransactionSetting(name, false)
			s.setSetting(name, v)
		}
	}
}

// noteTransactionSetting remembers, inside a block, a setting's value
// before the block changed it, so that the block's end can restore it.
func (s *Session) noteTransactionSetting(name string, local bool) {
	if s.txn == nil {
		return
	}
	if _, saved := s.txnSettings[name]; !saved {
		s.txnSettings[name] = s.settings[name]
	}
	if local {
		s.localSettings[name] = true
	}
}

// endTransactionSettings restores settings when a block ends.
func (s *Session) endTransactionSettings(committed bool) {
	for name, old := range s.txnSettings {
		if !committed || s.localSettings[name] {
			s.setSetting(name, old)
		}
	}
	clear(s.txnSettings)
	clear(s.localSettings)
}

// show runs SHOW name.
func (s *Session) show(p *planner.ShowPlan, formats []int16, out ResultWriter) (string, error) {
	v, ok := s.settings[p.Name]
	if !ok {
		return "", unknownSetting(p.Name)
	}
	name := p.Name
	if d, ok := displayName[name]; ok {
		name = d
	}
	if err := out.Columns([]Column{textColumn(name)}, formats); err != nil {
		return "", err
	}
	if err := out.Row([][]byte{[]byte(v)}); err != nil {
		return "", err
	}
	return "SHOW", nil
}
