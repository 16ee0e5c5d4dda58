package planner

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// sessionFunc binds the functions whose value is a fact about the
// session (current_setting, version, pg_backend_pid, ...). They are
// constants for the statement, so they bind to literals. ok is false for
// any other function.
func (b *binder) sessionFunc(name string, args []Expr, loc int32) (Expr, bool, error) {
	text := func(s string) Expr { return &Const{Value: s, T: catalog.TypeText} }
	switch name {
	case "version":
		if len(args) == 0 {
			return text("PostgreSQL " + b.opts.ServerVersion + " (pqdb) on x86_64-pc-linux-gnu, compiled by Go"), true, nil
		}
	case "pg_backend_pid":
		if len(args) == 0 {
			return &Const{Value: int32(b.opts.BackendPID), T: catalog.TypeInt4}, true, nil
		}
	case "current_database":
		if len(args) == 0 {
			return &Const{Value: b.opts.Database, T: catalog.TypeName}, true, nil
		}
	case "current_schema":
		if len(args) == 0 {
			if len(b.searchPath) == 0 {
				return &Const{T: catalog.TypeName}, true, nil
			}
			return &Const{Value: b.searchPath[0], T: catalog.TypeName}, true, nil
		}
	case "pg_typeof":
		// The argument's type, printed as format_type prints it.
		if len(args) == 1 {
			t := args[0].Type()
			if t.Kind == catalog.Bpchar {
				return text("character"), true, nil
			}
			if t.Kind == catalog.Array || t.Kind == catalog.Enum || t.Kind == catalog.Record {
				// A record prints as its table's row type, or record.
				return text(noTypmod(t).String()), true, nil
			}
			return text(catalog.Type{Kind: t.Kind, Typmod: -1}.String()), true, nil
		}
	case "current_setting":
		if len(args) < 1 || len(args) > 2 {
			break
		}
		setting, ok := constString(args[0])
		missingOKConst := true
		if len(args) == 2 {
			_, missingOKConst = args[1].(*Const)
		}
		if !ok || !missingOKConst {
			if _, host := b.opts.HostFuncs[name]; host {
				// A setting named by a column (psql's \dconfig):
				// read per row by the engine's current_setting.
				break
			}
			return nil, true, b.errAt(pgerr.FeatureNotSupported, loc, "current_setting() needs a constant setting name")
		}
		missingOK := false
		if len(args) == 2 {
			missingOK, _ = args[1].(*Const).Value.(bool)
		}
		if b.opts.Setting != nil {
			if v, ok := b.opts.Setting(setting); ok {
				return text(v), true, nil
			}
		}
		if missingOK {
			return &Const{T: catalog.TypeText}, true, nil
		}
		return nil, true, b.errAt(pgerr.UndefinedObject, loc, "unrecognized configuration parameter \"%s\"", setting)
	}
	return nil, false, nil
}

// constString is the value of a string literal (typed or not).
func constString(e Expr) (string, bool) {
	if c, ok := e.(*Const); ok {
		if s, ok := c.Value.(string); ok {
			return s, true
		}
	}
	return "", false
}

// sqlValueUser binds CURRENT_USER, SESSION_USER, USER and CURRENT_ROLE.
func (b *binder) sqlValueFunc(op pg_query.SQLValueFunctionOp) (Expr, bool) {
	switch op {
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_USER, pg_query.SQLValueFunctionOp_SVFOP_SESSION_USER,
		pg_query.SQLValueFunctionOp_SVFOP_USER, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
		return &Const{Value: b.opts.User, T: catalog.TypeName}, true
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
		return &Const{Value: b.opts.Database, T: catalog.TypeName}, true
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
		if len(b.searchPath) == 0 {
			return &Const{T: catalog.TypeName}, true
		}
		return &Const{Value: b.searchPath[0], T: catalog.TypeName}, true
	}
	return nil, false
}
