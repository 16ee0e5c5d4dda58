package catalog

import "github.com/pqdb/pqdb/pgerr"

// pg_node_tree (OID 194) is the type of the catalogs' stored expressions:
// pg_attrdef.adbin, pg_constraint.conbin, pg_index.indexprs and indpred,
// pg_proc.proargdefaults, ... PostgreSQL keeps a serialized parse tree
// there; pqdb keeps the expression's SQL text, which pg_get_expr reads.
// Like PostgreSQL, it prints the value it holds, casts it to text
// implicitly, and accepts no input: a pg_node_tree could otherwise hold
// anything the server would later trust.

func errNodeTreeInput() error {
	return pgerr.New(pgerr.FeatureNotSupported, "cannot accept a value of type pg_node_tree")
}
