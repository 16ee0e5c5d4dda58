package engine

import (
	"slices"
	"strings"

	"github.com/pqdb/pqdb/pgerr"
)

// cascadeNotice is PostgreSQL's notice of a DROP ... CASCADE that drops
// the objects deps, each described as "kind name".
func cascadeNotice(deps []string) *pgerr.Error {
	if len(deps) == 1 {
		return pgerr.Notice(pgerr.SuccessfulCompletion, "drop cascades to %s", deps[0])
	}
	n := pgerr.Notice(pgerr.SuccessfulCompletion, "drop cascades to %d other objects", len(deps))
	lines := make([]string, len(deps))
	for i, d := range deps {
		lines[i] = "drop cascades to " + d
	}
	n.Detail = strings.Join(lines, "\n")
	return n
}

// cascadedObjects collects the objects a DROP SCHEMA ... CASCADE drops,
// to name them in PostgreSQL's order: creation order (the order of their
// OIDs), each view elsewhere right after the object it reads.
type cascadedObjects []cascadedObject

type cascadedObject struct {
	id   int64 // the OID of the object, or of the one it depends on
	sub  int   // 0 for the object itself, 1 for its dependents
	desc string
}

func (c *cascadedObjects) add(id int64, sub int, desc string) {
	*c = append(*c, cascadedObject{id, sub, desc})
}

// descriptions are the objects' descriptions in PostgreSQL's order.
func (c cascadedObjects) descriptions() []string {
	slices.SortStableFunc(c, func(a, b cascadedObject) int {
		if a.id != b.id {
			return int(a.id - b.id)
		}
		return a.sub - b.sub
	})
	out := make([]string, len(c))
	for i, o := range c {
		out[i] = o.desc
	}
	return out
}

// cascadedName describes an object of kind in a cascade notice: its
// name, qualified unless its schema is on the session's search path, as
// PostgreSQL's getObjectDescription prints it.
func (s *Session) cascadedName(kind, schema, name string) string {
	if slices.Contains(searchPath(s.settings["search_path"], s.info.User), schema) {
		return kind + " " + name
	}
	return kind + " " + schema + "." + name
}
