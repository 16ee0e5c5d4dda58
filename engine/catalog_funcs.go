package engine

import (
	"math"
	"strconv"
	"strings"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/catalog/pgcatalog"
	"github.com/pqdb/pqdb/exec"
	"github.com/pqdb/pqdb/pgerr"
	"github.com/pqdb/pqdb/planner"
)

// catalogFuncs are the functions that read the session's catalog: the
// reg* types' input and output functions (which the planner calls for
// casts, catalog/type_reg.go), to_reg*, and the system information
// functions clients' catalog queries call (format_type, pg_get_userbyid,
// pg_table_is_visible, pg_get_constraintdef, ...). Each is declared once
// here; catalogNames (catalog_names.go) resolves the names.
func (s *Session) catalogFuncs() map[string]planner.HostFunc {
	text, oid, i4, b := catalog.TypeText, catalog.TypeOid, catalog.TypeInt4, catalog.TypeBool
	anyType := catalog.TypeUnknown
	fns := map[string]planner.HostFunc{}
	// The reg* types: NAMEin reads a name (an error when it names
	// nothing), to_NAME likewise but NULL for nothing, NAMEout prints.
	for _, t := range []catalog.Type{catalog.TypeRegclass, catalog.TypeRegtype, catalog.TypeRegproc,
		catalog.TypeRegprocedure, catalog.TypeRegnamespace, catalog.TypeRegrole, catalog.TypeRegoper, catalog.TypeRegoperator,
		catalog.TypeRegconfig, catalog.TypeRegdictionary, catalog.TypeRegcollation} {
		name := t.String()
		fns[name+"in"] = planner.HostFunc{Args: []catalog.Type{text}, MinArgs: 1, Result: t,
			Fn: s.withNames(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
				v, err := n.inputFunc(t.Kind)(args[0].(string))
				if err != nil {
					return nil, err
				}
				return v, nil
			})}
		fns["to_"+name] = planner.HostFunc{Args: []catalog.Type{text}, MinArgs: 1, Result: t,
			Fn: s.withNames(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
				v, err := n.inputFunc(t.Kind)(args[0].(string))
				if err != nil {
					// to_regclass and its kin return NULL for a
					// name that finds nothing, but still reject
					// bad syntax.
					switch pgerr.CodeOf(err) {
					case pgerr.UndefinedTable, pgerr.UndefinedObject, pgerr.UndefinedFunction, pgerr.UndefinedSchema, pgerr.AmbiguousFunction:
						return nil, nil
					}
					return nil, err
				}
				return v, nil
			})}
		fns[name+"out"] = planner.HostFunc{Args: []catalog.Type{t}, MinArgs: 1, Result: text,
			Fn: s.withNames(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
				return n.outputFunc(t.Kind)(args[0].(uint32)), nil
			})}
	}
	visible := func(f func(n *catalogNames, oid uint32) (bool, bool)) planner.HostFunc {
		return planner.HostFunc{Args: []catalog.Type{oid}, MinArgs: 1, Result: b,
			Fn: s.withNames(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
				v, exists := f(n, args[0].(uint32))
				if !exists {
					return nil, nil // PostgreSQL's answer for an OID that names nothing
				}
				return v, nil
			})}
	}
	fns["pg_table_is_visible"] = visible(func(n *catalogNames, oid uint32) (bool, bool) {
		_, ok := n.classes[oid]
		return n.classVisible(oid), ok
	})
	fns["pg_type_is_visible"] = visible(func(n *catalogNames, oid uint32) (bool, bool) {
		_, ok := n.types[oid]
		return n.typeVisible(oid), ok
	})
	fns["pg_function_is_visible"] = visible(func(n *catalogNames, oid uint32) (bool, bool) {
		n.loadProcs()
		_, ok := n.procs[oid]
		return n.procVisible(oid), ok
	})
	// The objects pqdb has only built-in ones of, all in pg_catalog.
	for _, name := range []string{"operator", "opclass", "opfamily", "collation", "conversion",
		"statistics_obj", "ts_parser", "ts_dict", "ts_template", "ts_config"} {
		fns["pg_"+name+"_is_visible"] = visible(func(n *catalogNames, oid uint32) (bool, bool) {
			return oid != 0 && oid < 16384, oid != 0 && oid < 16384
		})
	}
	fns["format_type"] = planner.HostFunc{Args: []catalog.Type{oid, i4}, MinArgs: 2, Result: text,
		Fn: s.withNamesNullable(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
			if args[0] == nil {
				return nil, nil
			}
			typmod, given := args[1].(int32)
			if !given {
				typmod = -1
			}
			return n.formatType(args[0].(uint32), typmod, given), nil
		})}
	fns["pg_get_userbyid"] = planner.HostFunc{Args: []catalog.Type{oid}, MinArgs: 1, Result: catalog.TypeName,
		Fn: s.withNames(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
			if name, ok := n.roles[args[0].(uint32)]; ok {
				return name, nil
			}
			return "unknown (OID=" + strconv.FormatUint(uint64(args[0].(uint32)), 10) + ")", nil
		})}
	fns["pg_my_temp_schema"] = planner.HostFunc{Result: oid,
		Fn: s.withNames(func(n *catalogNames, _ []catalog.Datum) (catalog.Datum, error) { return n.tempNS, nil })}
	fns["pg_is_other_temp_schema"] = planner.HostFunc{Args: []catalog.Type{oid}, MinArgs: 1, Result: b,
		Fn: s.withNames(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
			ns := args[0].(uint32)
			return ns != n.tempNS && strings.HasPrefix(n.namespaces[ns], tempSchemaPrefix), nil
		})}
	fns["current_schemas"] = planner.HostFunc{Args: []catalog.Type{b}, MinArgs: 1, Result: catalog.ArrayOf(catalog.TypeName),
		Fn: s.withNames(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
			implicit := args[0].(bool)
			out := catalog.ArrayValue{}
			for _, ns := range n.path {
				if !implicit && (ns == n.tempNS || ns == pgcatalog.PgCatalogOID && !n.explicitPgCatalog()) {
					continue
				}
				out = append(out, n.namespaces[ns])
			}
			return out, nil
		})}
	fns["pg_encoding_to_char"] = planner.HostFunc{Args: []catalog.Type{i4}, MinArgs: 1, Result: catalog.TypeName,
		Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
			if args[0] == nil {
				return nil, nil
			}
			// pqdb's one encoding is UTF8 (6); SQL_ASCII is 0.
			switch args[0].(int32) {
			case 0:
				return "SQL_ASCII", nil
			case 6:
				return "UTF8", nil
			}
			return "", nil
		}}
	fns["pg_char_to_encoding"] = planner.HostFunc{Args: []catalog.Type{catalog.TypeName}, MinArgs: 1, Result: i4,
		Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
			if args[0] == nil {
				return nil, nil
			}
			// Names are compared as PostgreSQL's clean_encoding_name
			// leaves them: lower case, letters and digits only.
			name := strings.Map(func(r rune) rune {
				switch {
				case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
					return r
				case r >= 'A' && r <= 'Z':
					return r + 'a' - 'A'
				}
				return -1
			}, args[0].(string))
			switch name {
			case "utf8", "unicode":
				return int32(6), nil
			case "sqlascii":
				return int32(0), nil
			}
			return int32(-1), nil
		}}
	fns["getdatabaseencoding"] = planner.HostFunc{Result: catalog.TypeName,
		Fn: func(*exec.Context, []catalog.Datum) (catalog.Datum, error) { return "UTF8", nil }}
	fns["pg_postmaster_start_time"] = planner.HostFunc{Result: catalog.TypeTimestampTZ,
		Fn: func(*exec.Context, []catalog.Datum) (catalog.Datum, error) {
			return s.eng.started.UnixMicro(), nil
		}}
	// current_setting of a setting named by a value rather than a
	// constant (which the planner binds as a constant itself).
	fns["current_setting"] = planner.HostFunc{Args: []catalog.Type{text, b}, MinArgs: 1, Result: text,
		Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
			if args[0] == nil || len(args) > 1 && args[1] == nil {
				return nil, nil
			}
			if v, ok := s.settings[lower(args[0].(string))]; ok {
				return v, nil
			}
			if len(args) > 1 && args[1].(bool) {
				return nil, nil
			}
			return nil, pgerr.New(pgerr.UndefinedObject, "unrecognized configuration parameter \"%s\"", args[0].(string))
		}}
	fns["pg_is_in_recovery"] = planner.HostFunc{Result: b,
		Fn: func(*exec.Context, []catalog.Datum) (catalog.Datum, error) { return false, nil }}
	// The server address functions return inet in PostgreSQL, a type
	// pqdb lacks: they are text here, NULL as for a Unix-socket
	// connection.
	for _, name := range []string{"inet_server_addr", "inet_client_addr"} {
		fns[name] = planner.HostFunc{Result: text, Fn: func(*exec.Context, []catalog.Datum) (catalog.Datum, error) { return nil, nil }}
	}
	for _, name := range []string{"inet_server_port", "inet_client_port"} {
		fns[name] = planner.HostFunc{Result: i4, Fn: func(*exec.Context, []catalog.Datum) (catalog.Datum, error) { return nil, nil }}
	}
	// A transaction's id, assigned when first asked for, as
	// PostgreSQL assigns one at the first write: int8 from
	// txid_current, xid8 from pg_current_xact_id.
	fns["txid_current"] = planner.HostFunc{Result: catalog.TypeInt8,
		Fn: func(*exec.Context, []catalog.Datum) (catalog.Datum, error) { return s.transactionID(), nil }}
	fns["pg_current_xact_id"] = planner.HostFunc{Result: catalog.TypeXid8,
		Fn: func(*exec.Context, []catalog.Datum) (catalog.Datum, error) {
			return catalog.OrderedUint64(uint64(s.transactionID())), nil
		}}
	// age(xid) is the number of transactions since xid, as of the
	// transaction's id; the special xids below 3 (invalid, bootstrap,
	// frozen) are infinitely old.
	xidType := catalog.TypeXid
	fns[planner.HostOverloadKey("age", []catalog.Type{xidType})] = planner.HostFunc{Args: []catalog.Type{xidType}, MinArgs: 1, Result: i4,
		Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
			if args[0] == nil {
				return nil, nil
			}
			xid := args[0].(uint32)
			if xid < 3 {
				return int32(math.MaxInt32), nil
			}
			return int32(uint32(s.transactionID()) - xid), nil
		}}
	fns["parse_ident"] = planner.HostFunc{Args: []catalog.Type{text, b}, MinArgs: 1, Result: catalog.ArrayOf(text),
		Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
			for _, a := range args {
				if a == nil {
					return nil, nil
				}
			}
			strict := len(args) < 2 || args[1].(bool)
			return parseIdent(args[0].(string), strict)
		}}
	// pqdb has no privileges: every role may do anything to every
	// object that exists, so these are true for one that does; a name
	// that finds nothing is an error and an OID that finds nothing
	// NULL, as in PostgreSQL.
	// pg_has_role([user,] role, privilege): pqdb has no role
	// membership; every role may act as any other that exists.
	fns["pg_has_role"] = planner.HostFunc{Args: []catalog.Type{anyType, anyType, text}, MinArgs: 2, Result: b,
		Fn: s.withNamesNullable(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
			for _, a := range args {
				if a == nil {
					return nil, nil
				}
			}
			for _, role := range args[:len(args)-1] {
				switch r := role.(type) {
				case string:
					if _, err := n.regroleIn(r); err != nil {
						return nil, err
					}
				case uint32:
					if _, ok := n.roles[r]; !ok {
						return nil, nil
					}
				}
			}
			return true, nil
		})}
	for name, kind := range map[string]catalog.Type{
		"has_table_privilege": catalog.TypeRegclass, "has_sequence_privilege": catalog.TypeRegclass,
		"has_column_privilege": catalog.TypeRegclass, "has_any_column_privilege": catalog.TypeRegclass,
		"has_schema_privilege": catalog.TypeRegnamespace, "has_function_privilege": catalog.TypeRegprocedure,
		"has_database_privilege": catalog.TypeOid, "has_type_privilege": catalog.TypeRegtype,
	} {
		fns[name] = planner.HostFunc{Args: []catalog.Type{anyType, anyType, anyType, text}, MinArgs: 2, Result: b,
			Fn: s.withNamesNullable(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
				return n.hasPrivilege(name, kind, args)
			})}
	}
	return fns
}

// explicitPgCatalog reports whether search_path names pg_catalog (else it
// is searched first implicitly, and current_schemas(false) omits it).
func (n *catalogNames) explicitPgCatalog() bool {
	for i, ns := range n.path {
		if ns == pgcatalog.PgCatalogOID {
			return i > 0 && n.path[i-1] != n.tempNS || i > 1
		}
	}
	return false
}

// withNames makes a host function of fn, which sees the session's
// catalog names; NULL when any argument is NULL (a strict function).
func (s *Session) withNames(fn func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error)) exec.HostFunc {
	return s.withNamesNullable(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
		for _, a := range args {
			if a == nil {
				return nil, nil
			}
		}
		return fn(n, args)
	})
}

// withNamesNullable is withNames for a function that reads NULL
// arguments itself.
func (s *Session) withNamesNullable(fn func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error)) exec.HostFunc {
	return func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
		n, err := s.catalogNamesFor()
		if err != nil {
			return nil, err
		}
		return fn(n, args)
	}
}

// hasPrivilege is has_X_privilege([user,] object, [column,] privilege).
func (n *catalogNames) hasPrivilege(fn string, kind catalog.Type, args []catalog.Datum) (catalog.Datum, error) {
	want := 2
	if fn == "has_column_privilege" {
		want = 3
	}
	if len(args) > want {
		// The user comes first: by name or OID, and must exist.
		switch u := args[0].(type) {
		case string:
			if _, err := n.regroleIn(u); err != nil {
				return nil, err
			}
		case uint32:
			if _, ok := n.roles[u]; !ok {
				return nil, nil
			}
		}
		args = args[1:]
	}
	for _, a := range args {
		if a == nil {
			return nil, nil
		}
	}
	priv, _ := args[len(args)-1].(string)
	if err := checkPrivilegeNames(priv); err != nil {
		return nil, err
	}
	switch obj := args[0].(type) {
	case string:
		var err error
		switch kind.Kind {
		case catalog.RegClass:
			_, err = n.regclassIn(obj)
		case catalog.RegNamespace:
			_, err = n.regnamespaceIn(obj)
		case catalog.RegProcedure:
			_, err = n.regprocedureIn(obj)
		case catalog.RegType:
			_, err = n.regtypeIn(obj)
		default:
			if _, ok := n.databases[obj]; !ok {
				err = pgerr.New(pgerr.UndefinedDatabase, "database \"%s\" does not exist", obj)
			}
		}
		if err != nil {
			return nil, err
		}
	case uint32:
		var ok bool
		switch kind.Kind {
		case catalog.RegClass:
			_, ok = n.classes[obj]
		case catalog.RegNamespace:
			_, ok = n.namespaces[obj]
		case catalog.RegProcedure:
			n.loadProcs()
			_, ok = n.procs[obj]
		case catalog.RegType:
			_, ok = n.types[obj]
		default:
			for _, db := range n.databases {
				ok = ok || db == obj
			}
		}
		if !ok {
			return nil, nil
		}
	}
	return true, nil
}

// checkPrivilegeNames rejects a privilege list naming an unknown
// privilege, as PostgreSQL's convert_*_priv_string do (the lists they
// accept differ per object kind; pqdb accepts the union).
func checkPrivilegeNames(list string) error {
	for _, p := range strings.Split(list, ",") {
		name := strings.ToUpper(strings.TrimSpace(p))
		name = strings.TrimSuffix(name, " WITH GRANT OPTION")
		switch name {
		case "SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER",
			"USAGE", "CREATE", "CONNECT", "TEMPORARY", "TEMP", "EXECUTE", "SET", "ALTER SYSTEM":
			continue
		}
		return pgerr.New(pgerr.InvalidParameterValue, "unrecognized privilege type: \"%s\"", strings.TrimSpace(p))
	}
	return nil
}

// sizeFuncs are pg_size_pretty and the relation and database size
// functions, which report the bytes pqdb's files take.
func (s *Session) sizeFuncs() map[string]planner.HostFunc {
	i8 := catalog.TypeInt8
	relSize := func(withIndexes bool) planner.HostFunc {
		return planner.HostFunc{Args: []catalog.Type{catalog.TypeRegclass, catalog.TypeText}, MinArgs: 1, Result: i8,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				if args[0] == nil {
					return nil, nil
				}
				snap := s.catalogView()
				t := snap.TableByID(int64(args[0].(uint32)))
				if t == nil {
					// An index, view or sequence: no file of its own.
					return int64(0), nil
				}
				return snap.TableSize(t), nil
			}}
	}
	return map[string]planner.HostFunc{
		"pg_relation_size":       relSize(false),
		"pg_table_size":          relSize(false),
		"pg_total_relation_size": relSize(true),
		// Every relation is in pg_default, whose size is the
		// database's; pg_global holds no file of pqdb's.
		"pg_tablespace_size": {Args: []catalog.Type{catalog.TypeUnknown}, MinArgs: 1, Result: i8,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				switch ts := args[0].(type) {
				case nil:
					return nil, nil
				case string:
					switch ts {
					case "pg_default":
						return s.catalogView().DatabaseSize(), nil
					case "pg_global":
						return int64(0), nil
					}
					return nil, pgerr.New(pgerr.UndefinedObject, "tablespace \"%s\" does not exist", ts)
				case uint32:
					switch ts {
					case 1663:
						return s.catalogView().DatabaseSize(), nil
					case 1664:
						return int64(0), nil
					}
				}
				return nil, nil
			}},
		"pg_indexes_size": {Args: []catalog.Type{catalog.TypeRegclass}, MinArgs: 1, Result: i8,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				if args[0] == nil {
					return nil, nil
				}
				// pqdb's indexes are not stored apart from their table.
				return int64(0), nil
			}},
		// The served database's files; the template databases
		// pg_database lists have none.
		"pg_database_size": {Args: []catalog.Type{catalog.TypeUnknown}, MinArgs: 1, Result: i8,
			Fn: s.withNamesNullable(func(n *catalogNames, args []catalog.Datum) (catalog.Datum, error) {
				var oid uint32
				switch db := args[0].(type) {
				case nil:
					return nil, nil
				case string:
					var ok bool
					if oid, ok = n.databases[db]; !ok {
						return nil, pgerr.New(pgerr.UndefinedDatabase, "database \"%s\" does not exist", db)
					}
				case uint32:
					oid = db
				}
				if oid != n.databases[n.database] {
					known := false
					for _, db := range n.databases {
						known = known || db == oid
					}
					if !known {
						return nil, nil
					}
					return int64(0), nil
				}
				return s.catalogView().DatabaseSize(), nil
			})},
		"pg_size_pretty": {Args: []catalog.Type{i8}, MinArgs: 1, Result: catalog.TypeText,
			Fn: func(_ *exec.Context, args []catalog.Datum) (catalog.Datum, error) {
				if args[0] == nil {
					return nil, nil
				}
				return sizePretty(args[0].(int64)), nil
			}},
	}
}

// sizePretty is pg_size_pretty(bigint): bytes below 10 kB, else the
// largest unit that keeps the number below 20480, rounded half away
// from zero.
func sizePretty(size int64) string {
	const limit = 10 * 1024
	const limit2 = limit*2 - 1
	abs := func(v int64) int64 {
		if v < 0 {
			return -v
		}
		return v
	}
	halfRounded := func(v int64) int64 {
		if v < 0 {
			return (v - 1) / 2
		}
		return (v + 1) / 2
	}
	if size > -limit && size < limit {
		return strconv.FormatInt(size, 10) + " bytes"
	}
	// Division, not shifts, so that negative sizes round as positive
	// ones do.
	size /= 1 << 9 // one extra bit for rounding
	for _, unit := range []string{"kB", "MB", "GB", "TB"} {
		if abs(size) < limit2 {
			return strconv.FormatInt(halfRounded(size), 10) + " " + unit
		}
		size /= 1 << 10
	}
	return strconv.FormatInt(halfRounded(size), 10) + " PB"
}

// transactionID is txid_current: the id of the session's transaction
// (storage.Txn.ID, which the commit log and history also record), the
// same for every call within it.
func (s *Session) transactionID() int64 {
	if txn := s.currentTxn(); txn != nil {
		return txn.ID()
	}
	return s.eng.store.NewTransactionID()
}

// parseIdent is parse_ident(qualified identifier [, strict]): the names
// of a dotted identifier, unquoted ones folded to lower case. Not strict,
// what follows the identifier is ignored.
func parseIdent(s string, strict bool) (catalog.Datum, error) {
	invalid := func(detail string) error {
		e := pgerr.New(pgerr.InvalidParameterValue, "string is not a valid identifier: \"%s\"", s)
		e.Detail = detail
		return e
	}
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' }
	isStart := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80 }
	out := catalog.ArrayValue{}
	i, afterDot := 0, false
	for {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		switch {
		case i < len(s) && s[i] == '"':
			var name strings.Builder
			i++
			for {
				j := strings.IndexByte(s[i:], '"')
				if j < 0 {
					return nil, invalid("String has unclosed double quotes.")
				}
				name.WriteString(s[i : i+j])
				i += j + 1
				if i < len(s) && s[i] == '"' {
					name.WriteByte('"')
					i++
					continue
				}
				break
			}
			if name.Len() == 0 {
				return nil, invalid("Quoted identifier must not be empty.")
			}
			out = append(out, name.String())
		case i < len(s) && isStart(s[i]):
			j := i
			for j < len(s) && (isStart(s[j]) || s[j] >= '0' && s[j] <= '9' || s[j] == '$') {
				j++
			}
			out = append(out, strings.ToLower(s[i:j]))
			i = j
		case afterDot:
			return nil, invalid("No valid identifier after \".\".")
		case i < len(s) && s[i] == '.':
			return nil, invalid("No valid identifier before \".\".")
		default:
			return nil, invalid("")
		}
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i < len(s) && s[i] == '.' {
			i, afterDot = i+1, true
			continue
		}
		if i < len(s) && strict {
			return nil, invalid("")
		}
		return out, nil
	}
}
