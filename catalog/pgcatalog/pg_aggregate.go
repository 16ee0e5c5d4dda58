package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// pg_aggregate: the bki's rows of the aggregates pqdb implements (those
// whose function pg_proc lists).
var _ = makesRows("pg_aggregate", pgAggregateRows)

func pgAggregateRows(db Database) ([][]catalog.Datum, error) {
	procs, err := sharedBKIRows("pg_proc")
	if err != nil {
		return nil, err
	}
	names := make(map[uint32]string, len(procs))
	for _, p := range procs {
		names[p[0].(uint32)] = p[1].(string)
	}
	boot, err := sharedBKIRows("pg_aggregate")
	if err != nil {
		return nil, err
	}
	implemented := implementedFunctions(db)
	var rows [][]catalog.Datum
	for _, r := range boot {
		if implemented(names[r[0].(uint32)]) {
			rows = append(rows, r)
		}
	}
	return rows, nil
}
