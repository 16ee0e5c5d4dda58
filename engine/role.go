package engine

import (
	"strings"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
	"github.com/pqdb/pqdb/storage"
)

// roleStatement runs CREATE, ALTER and DROP ROLE. Passwords are stored
// only as verifiers: a value that already is one (SCRAM-SHA-256$... or
// md5...) is kept as given, as Postgres does; anything else is hashed
// into a SCRAM-SHA-256 verifier.
func (s *Session) roleStatement(txn *storage.Txn, snap *storage.Snapshot, plan planner.Plan, out ResultWriter) (string, error) {
	switch p := plan.(type) {
	case *planner.CreateRolePlan:
		r := &catalog.Role{Name: p.Name}
		if err := s.applyRoleOptions(r, p.Options); err != nil {
			return "", err
		}
		return "CREATE ROLE", txn.CreateRole(r)
	case *planner.AlterRolePlan:
		old := snap.Role(p.Name)
		if old == nil {
			return "", pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", p.Name)
		}
		r := *old
		if err := s.applyRoleOptions(&r, p.Options); err != nil {
			return "", err
		}
		return "ALTER ROLE", txn.AlterRole(&r)
	case *planner.DropRolePlan:
		for _, name := range p.Names {
			if snap.Role(name) == nil {
				if p.IfExists {
					if err := out.Notice(pgerr.Notice(pgerr.SuccessfulCompletion, "role \"%s\" does not exist, skipping", name)); err != nil {
						return "", err
					}
					continue
				}
				return "", pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", name)
			}
			if name == s.info.User {
				return "", pgerr.New(pgerr.ObjectInUse, "current user cannot be dropped")
			}
			if err := txn.DropRole(name); err != nil {
				return "", err
			}
		}
		return "DROP ROLE", nil
	}
	return "", pgerr.Unsupported("statement is not supported")
}

func (s *Session) applyRoleOptions(r *catalog.Role, o planner.RoleOptions) error {
	if o.Login != nil {
		r.Login = *o.Login
	}
	if o.Superuser != nil {
		r.Superuser = *o.Superuser
	}
	if !o.SetPassword {
		return nil
	}
	if o.Password == nil {
		r.Password = ""
		return nil
	}
	pw := *o.Password
	if strings.HasPrefix(pw, "SCRAM-SHA-256$") || (len(pw) == 35 && strings.HasPrefix(pw, "md5")) {
		r.Password = pw
		return nil
	}
	if s.eng.verifier == nil {
		return pgerr.Unsupported("passwords cannot be stored: no password hashing is configured")
	}
	v, err := s.eng.verifier(r.Name, pw)
	if err != nil {
		return err
	}
	r.Password = v
	return nil
}

// RoleVerifier returns the stored password verifier of a role that may
// log in, for authenticating connections.
func (e *Engine) RoleVerifier(name string) (string, bool) {
	r := e.store.Role(name)
	if r == nil || !r.Login {
		return "", false
	}
	return r.Password, true
}
