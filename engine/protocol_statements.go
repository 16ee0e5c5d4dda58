package engine

import (
	"time"

	"github.com/pqdb/pqdb/catalog/pgcatalog"
)

// protocolStatement is a named statement of the extended protocol, which
// the protocol layer keeps and reports here so that
// pg_prepared_statements lists it (from_sql false), as in PostgreSQL.
type protocolStatement struct {
	query     string
	paramOIDs []uint32
	at        time.Time
}

// NoteProtocolStatement records a named statement a Parse message created
// (wire.StatementLister).
func (s *Session) NoteProtocolStatement(name, query string, paramOIDs []uint32) {
	if s.protocolStatements == nil {
		s.protocolStatements = map[string]protocolStatement{}
	}
	s.protocolStatements[name] = protocolStatement{query: query, paramOIDs: paramOIDs, at: time.Now()}
}

// ForgetProtocolStatement drops a statement a Close message destroyed.
func (s *Session) ForgetProtocolStatement(name string) { delete(s.protocolStatements, name) }

// listedProtocolStatements are the rows of pg_prepared_statements for the
// protocol's statements.
func (s *Session) listedProtocolStatements() []pgcatalog.PreparedStatement {
	out := make([]pgcatalog.PreparedStatement, 0, len(s.protocolStatements))
	for name, p := range s.protocolStatements {
		out = append(out, pgcatalog.PreparedStatement{Name: name, Statement: p.query, PrepareTime: p.at, ParamTypes: p.paramOIDs})
	}
	return out
}
