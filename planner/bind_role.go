package planner

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/pgerr"
)

// RoleOptions are the role attributes a CREATE/ALTER ROLE sets; nil
// fields are left as they are (ALTER) or take their defaults (CREATE).
type RoleOptions struct {
	Login     *bool
	Superuser *bool
	// Password is the new password (or verifier) when SetPassword; nil
	// with SetPassword is PASSWORD NULL.
	Password    *string
	SetPassword bool
}

// CreateRolePlan is CREATE ROLE / CREATE USER.
type CreateRolePlan struct {
	Name    string
	Options RoleOptions
}

// AlterRolePlan is ALTER ROLE / ALTER USER.
type AlterRolePlan struct {
	Name    string
	Options RoleOptions
}

// DropRolePlan is DROP ROLE / DROP USER.
type DropRolePlan struct {
	Names    []string
	IfExists bool
}

func (*CreateRolePlan) planKind() string { return "create role" }
func (*AlterRolePlan) planKind() string  { return "alter role" }
func (*DropRolePlan) planKind() string   { return "drop role" }

// roleOptions reads the WITH options of CREATE/ALTER ROLE. pqdb has no
// privilege system yet, so the attributes that only grant privileges
// (CREATEDB, CREATEROLE, REPLICATION, BYPASSRLS) are refused rather than
// recorded and ignored; INHERIT has no effect without role membership
// and is accepted.
func roleOptions(defs []*pg_query.Node) (RoleOptions, error) {
	var o RoleOptions
	for _, n := range defs {
		d := n.GetDefElem()
		switch d.Defname {
		case "password":
			o.SetPassword = true
			if d.Arg != nil {
				if s := d.Arg.GetString_(); s != nil {
					p := s.Sval
					o.Password = &p
				}
			}
		case "canlogin":
			v := defBool(d)
			o.Login = &v
		case "superuser":
			v := defBool(d)
			o.Superuser = &v
		case "inherit":
		default:
			return o, pgerr.Unsupported("role option %s is not supported", strings.ToUpper(d.Defname))
		}
	}
	return o, nil
}

func defBool(d *pg_query.DefElem) bool {
	if d.Arg == nil {
		return true
	}
	if b := d.Arg.GetBoolean(); b != nil {
		return b.Boolval
	}
	if i := d.Arg.GetInteger(); i != nil {
		return i.Ival != 0
	}
	return true
}

func (b *binder) bindCreateRole(s *pg_query.CreateRoleStmt) (Plan, error) {
	if s.StmtType == pg_query.RoleStmtType_ROLESTMT_GROUP {
		return nil, pgerr.Unsupported("CREATE GROUP is not supported")
	}
	o, err := roleOptions(s.Options)
	if err != nil {
		return nil, err
	}
	if o.Login == nil && s.StmtType == pg_query.RoleStmtType_ROLESTMT_USER {
		login := true
		o.Login = &login
	}
	return &CreateRolePlan{Name: s.Role, Options: o}, nil
}

func (b *binder) bindAlterRole(s *pg_query.AlterRoleStmt) (Plan, error) {
	if s.Role == nil || s.Role.Roletype != pg_query.RoleSpecType_ROLESPEC_CSTRING {
		return nil, pgerr.Unsupported("ALTER ROLE is supported for named roles only")
	}
	o, err := roleOptions(s.Options)
	if err != nil {
		return nil, err
	}
	return &AlterRolePlan{Name: s.Role.Rolename, Options: o}, nil
}

func (b *binder) bindDropRole(s *pg_query.DropRoleStmt) (Plan, error) {
	p := &DropRolePlan{IfExists: s.MissingOk}
	for _, r := range s.Roles {
		spec := r.GetRoleSpec()
		if spec == nil || spec.Roletype != pg_query.RoleSpecType_ROLESPEC_CSTRING {
			return nil, pgerr.Unsupported("DROP ROLE is supported for named roles only")
		}
		p.Names = append(p.Names, spec.Rolename)
	}
	return p, nil
}
