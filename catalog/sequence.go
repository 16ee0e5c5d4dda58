package catalog

// Sequence is a sequence generator: CREATE SEQUENCE, and the sequence
// behind a serial or identity column. Its definition is catalog data and
// changes transactionally; its current value is not (nextval is never
// rolled back, as in PostgreSQL) and lives in storage.
type Sequence struct {
	ID     int64  `json:"id"` // unique within the store; also its OID
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Type is the sequence's data type (int2, int4 or int8), which bounds
	// its default minimum and maximum.
	Type      Type  `json:"type"`
	Start     int64 `json:"start"`
	Increment int64 `json:"increment"`
	Min       int64 `json:"min"`
	Max       int64 `json:"max"`
	Cache     int64 `json:"cache"`
	Cycle     bool  `json:"cycle,omitempty"`
	// OwnedTable and OwnedColumn name the column that owns the sequence
	// (serial, identity, OWNED BY): dropping that table drops it.
	OwnedTable  string `json:"owned_table,omitempty"`
	OwnedColumn string `json:"owned_column,omitempty"`
	// Comment is the sequence's COMMENT ON SEQUENCE text; "" for none.
	Comment string `json:"comment,omitempty"`
}
