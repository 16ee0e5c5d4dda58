package sqltests

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// createdObject is a table or view a script created, named as the script
// wrote it (possibly quoted or schema-qualified), so it can be dropped with
// the same text.
type createdObject struct {
	kind string // "TABLE", "VIEW" or "MATERIALIZED VIEW"
	name string
}

const identifierPattern = `(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`

var createPattern = regexp.MustCompile(`(?is)\bcreate\s+(?:or\s+replace\s+)?(?:(?:global|local)\s+)?(?:(?:temp|temporary|unlogged)\s+)?(table|view|materialized\s+view)\s+(?:if\s+not\s+exists\s+)?(` +
	identifierPattern + `(?:\s*\.\s*` + identifierPattern + `)?)`)

// objectTracker remembers the tables and views a file creates. It reads
// the SQL of successful records rather than asking the server, so it works
// on servers without information_schema.
type objectTracker struct {
	objects []createdObject
	seen    map[createdObject]bool
}

func (t *objectTracker) observe(sql string) {
	if !containsFold(sql, "create") {
		return
	}
	for _, m := range createPattern.FindAllStringSubmatch(sql, -1) {
		kind := strings.ToUpper(strings.Join(strings.Fields(m[1]), " "))
		obj := createdObject{kind: kind, name: m[2]}
		if t.seen == nil {
			t.seen = make(map[createdObject]bool)
		}
		if !t.seen[obj] {
			t.seen[obj] = true
			t.objects = append(t.objects, obj)
		}
	}
}

// containsFold reports whether s contains the lower-case ASCII word w in
// any letter case, without allocating.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

// dropObjects drops objects, views before tables and the latest created
// first. A view another view depends on fails to drop until its dependent
// is gone, so passes repeat while they make progress; what is left after
// that is dropped with CASCADE. It returns the last error when something
// could not be dropped at all.
func dropObjects(ctx context.Context, pg *pgconn.PgConn, objects []createdObject) error {
	if pg.TxStatus() != 'I' {
		// A script that left a transaction open (or aborted) would make
		// every DROP fail; its changes are not wanted anyway.
		_ = execute(ctx, pg, "ROLLBACK", false, nil).err
	}
	var ordered []createdObject
	for _, pass := range []bool{true, false} {
		for i := len(objects) - 1; i >= 0; i-- {
			if isView := objects[i].kind != "TABLE"; isView == pass {
				ordered = append(ordered, objects[i])
			}
		}
	}
	remaining := ordered
	for len(remaining) > 0 {
		var failed []createdObject
		for _, o := range remaining {
			if err := execute(ctx, pg, "DROP "+o.kind+" IF EXISTS "+o.name, false, nil).err; err != nil && !isWrongObjectType(err) {
				failed = append(failed, o)
			}
		}
		if len(failed) == len(remaining) {
			break
		}
		remaining = failed
	}
	var lastErr error
	for _, o := range remaining {
		if err := execute(ctx, pg, "DROP "+o.kind+" IF EXISTS "+o.name+" CASCADE", false, nil).err; err != nil && !isWrongObjectType(err) {
			lastErr = err
		}
	}
	return lastErr
}

// isWrongObjectType recognises "DROP VIEW x" on a table x (or the
// reverse): the name was reused for another kind of object, which the
// other DROP removes.
func isWrongObjectType(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "42809"
}

// ResetDatabase drops every table and view in schema public, asking
// information_schema.tables which exist. Use it between files when a
// server is shared and a previous run may have left objects behind; a
// RunFile already drops what its own file created.
func ResetDatabase(ctx context.Context, conn *pgx.Conn) error {
	rows, err := conn.Query(ctx,
		"SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public'",
		pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return err
	}
	var objects []createdObject
	for rows.Next() {
		var name, kind string
		if err := rows.Scan(&name, &kind); err != nil {
			rows.Close()
			return err
		}
		obj := createdObject{kind: "TABLE", name: "public." + pgx.Identifier{name}.Sanitize()}
		if kind == "VIEW" {
			obj.kind = "VIEW"
		}
		objects = append(objects, obj)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return dropObjects(ctx, conn.PgConn(), objects)
}
