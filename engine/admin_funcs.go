package engine

import (
	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
)

// hostFuncs are the functions whose effects belong to sessions: signalling
// another backend, changing a setting from inside a query, reading the
// session's catalog. They close over the session only, so the map is
// made once per session: every statement binds with it, and pg_proc asks
// it about each of its rows.
func (s *Session) hostFuncs() map[string]planner.HostFunc {
	if s.hostFuncMap == nil {
		s.hostFuncMap = s.makeHostFuncs()
	}
	return s.hostFuncMap
}

func (s *Session) makeHostFuncs() map[string]planner.HostFunc {
	fns := s.sequenceFuncs()
	for _, more := range []map[string]planner.HostFunc{s.commentFuncs(), s.catalogFuncs(), s.definitionFuncs(), s.procFuncs(), s.sizeFuncs(), s.statFuncs()} {
		for name, f := range more {
			fns[name] = f
		}
	}
	for name, f := range map[string]planner.HostFunc{
		"pg_cancel_backend": {Args: []catalog.Type{catalog.TypeInt4}, MinArgs: 1, Result: catalog.TypeBool,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				return s.eng.signal(args[0], false), nil
			}},
		"pg_terminate_backend": {Args: []catalog.Type{catalog.TypeInt4, catalog.TypeInt8}, MinArgs: 1, Result: catalog.TypeBool,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				return s.eng.signal(args[0], true), nil
			}},
		"set_config": {Args: []catalog.Type{catalog.TypeText, catalog.TypeText, catalog.TypeBool}, MinArgs: 3, Result: catalog.TypeText,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				if args[0] == nil {
					return nil, pgerr.New(pgerr.NullValueNotAllowed, "SET requires parameter name")
				}
				value, _ := args[1].(string)
				local, _ := args[2].(bool)
				return s.setConfig(lower(args[0].(string)), value, args[1] == nil, local)
			}},
	} {
		fns[name] = f
	}
	return fns
}

// signal cancels the running statement of the session with that backend
// process id; terminate also ends the session (at its next statement, or
// now if one is running). It reports whether such a session exists.
func (e *Engine) signal(pid catalog.Datum, terminate bool) catalog.Datum {
	if pid == nil {
		return nil
	}
	e.mu.Lock()
	target := e.byPID[uint32(pid.(int32))]
	e.mu.Unlock()
	if target == nil {
		return false
	}
	target.runMu.Lock()
	if terminate {
		target.terminated.Store(true)
		if target.terminate != nil {
			target.terminate()
		}
	}
	if target.running != nil {
		target.running()
	}
	target.runMu.Unlock()
	return true
}

// SetTerminate receives from the protocol layer the function that ends
// this session's connection.
func (s *Session) SetTerminate(terminate func()) {
	s.runMu.Lock()
	s.terminate = terminate
	s.runMu.Unlock()
}

// setConfig is set_config(name, value, is_local): SET or SET LOCAL from
// inside a query, returning the new value.
func (s *Session) setConfig(name, value string, reset, local bool) (catalog.Datum, error) {
	st, ok := settings[name]
	if !ok {
		return nil, unknownSetting(name)
	}
	if local && s.txn == nil {
		// Like SET LOCAL outside a block: no lasting effect.
		return s.settings[name], nil
	}
	v := s.defaults[name]
	if !reset {
		v = value
		if st.check != nil {
			nv, err := st.check(v)
			if err != nil {
				return nil, err
			}
			v = nv
		}
	}
	s.noteTransactionSetting(name, local)
	s.setSetting(name, v)
	return v, nil
}

func errTerminated() error {
	return &pgerr.Error{Severity: "FATAL", Code: pgerr.AdminShutdown, Message: "terminating connection due to administrator command"}
}
