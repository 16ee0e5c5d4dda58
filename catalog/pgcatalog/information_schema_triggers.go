package pgcatalog

import "github.com/pqdb/pqdb/catalog"

// information_schema.triggers is empty: pqdb has no triggers (foreign
// keys are checked without them, and PostgreSQL leaves its internal
// ones out of this view).
var _ = addsRelation(&Relation{OID: 13440, Schema: InformationSchema, Name: "triggers", Columns: []catalog.Column{
	{Name: "trigger_catalog", Type: sqlIdentifier},
	{Name: "trigger_schema", Type: sqlIdentifier},
	{Name: "trigger_name", Type: sqlIdentifier},
	{Name: "event_manipulation", Type: characterData},
	{Name: "event_object_catalog", Type: sqlIdentifier},
	{Name: "event_object_schema", Type: sqlIdentifier},
	{Name: "event_object_table", Type: sqlIdentifier},
	{Name: "action_order", Type: cardinalNumber},
	{Name: "action_condition", Type: characterData},
	{Name: "action_statement", Type: characterData},
	{Name: "action_orientation", Type: characterData},
	{Name: "action_timing", Type: characterData},
	{Name: "action_reference_old_table", Type: sqlIdentifier},
	{Name: "action_reference_new_table", Type: sqlIdentifier},
	{Name: "action_reference_old_row", Type: sqlIdentifier},
	{Name: "action_reference_new_row", Type: sqlIdentifier},
	{Name: "created", Type: timeStamp},
}, rows: emptyRows})
