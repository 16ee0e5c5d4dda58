package tpch

import "context"

// primaryKeys are the TPC-H primary keys (clause 1.4.2) but lineitem's.
// Both servers declare them after loading: PostgreSQL builds its indexes
// on them, and pqdb's planner reads them (a query grouped by a table's key
// and some of its other columns groups by the key alone and reads the
// others through it, as PostgreSQL allows). DuckDB reads the Parquet
// files, which declare none.
var primaryKeys = []string{
	"ALTER TABLE region ADD PRIMARY KEY (r_regionkey)",
	"ALTER TABLE nation ADD PRIMARY KEY (n_nationkey)",
	"ALTER TABLE supplier ADD PRIMARY KEY (s_suppkey)",
	"ALTER TABLE part ADD PRIMARY KEY (p_partkey)",
	"ALTER TABLE partsupp ADD PRIMARY KEY (ps_partkey, ps_suppkey)",
	"ALTER TABLE customer ADD PRIMARY KEY (c_custkey)",
	"ALTER TABLE orders ADD PRIMARY KEY (o_orderkey)",
}

// lineitemKey is lineitem's primary key, declared on PostgreSQL only: no
// query groups by it, so pqdb's planner would not use it, and building it
// costs pqdb more than the other keys together (at SF1 3.8 s, and its
// resident set grows by some 330 MB while it checks the 6 M keys).
const lineitemKey = "ALTER TABLE lineitem ADD PRIMARY KEY (l_orderkey, l_linenumber)"

// foreignKeyIndexes are the indexes on the foreign keys the queries join
// or correlate on. PostgreSQL needs them: it runs Q17's, Q20's and Q2's
// correlated subqueries once per outer row, which without an index is a
// scan of lineitem or partsupp per row (hours at SF1). pqdb decorrelates
// those subqueries and scans Parquet, so they are only built on
// PostgreSQL; the spec allows exactly these (clause 1.5.7).
var foreignKeyIndexes = []string{
	"CREATE INDEX ON nation (n_regionkey)",
	"CREATE INDEX ON supplier (s_nationkey)",
	"CREATE INDEX ON customer (c_nationkey)",
	"CREATE INDEX ON partsupp (ps_suppkey)",
	"CREATE INDEX ON orders (o_custkey)",
	"CREATE INDEX ON lineitem (l_partkey, l_suppkey)",
	"CREATE INDEX ON lineitem (l_suppkey)",
}

// CreateKeyIndexes declares primaryKeys, builds foreignKeyIndexes and
// refreshes the planner statistics: PostgreSQL's setup.
func (s *Server) CreateKeyIndexes(ctx context.Context) error {
	stmts := append(append([]string{}, primaryKeys...), lineitemKey)
	return s.execAll(ctx, append(append(stmts, foreignKeyIndexes...), "ANALYZE"))
}

// CreatePrimaryKeys declares primaryKeys: pqdb's setup.
func (s *Server) CreatePrimaryKeys(ctx context.Context) error {
	return s.execAll(ctx, primaryKeys)
}

func (s *Server) execAll(ctx context.Context, stmts []string) error {
	for _, stmt := range stmts {
		if err := s.exec(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}
