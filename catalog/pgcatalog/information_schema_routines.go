package pgcatalog

import (
	"strconv"

	"github.com/pqdb/pqdb/catalog"
)

// information_schema.routines and parameters: the functions of pg_proc
// (those pqdb can call), each named specifically as name_oid.

// procedure is what routines and parameters read of a row of pg_proc.
type procedure struct {
	oid, namespace, returnType, language uint32
	name, kind, volatility, source       string
	strict, securityDefiner              bool
	argTypes                             []uint32 // every argument's, IN and OUT (proallargtypes, else proargtypes)
	argModes, argNames                   []string
}

// procedures reads pg_proc's rows.
func procedures(db Database) ([]procedure, error) {
	r, rows, err := CatalogRows(db, "pg_proc")
	if err != nil || r == nil {
		return nil, err
	}
	col := func(name string) int { return r.Column(name) }
	oid, name, ns, kind, lang := col("oid"), col("proname"), col("pronamespace"), col("prokind"), col("prolang")
	ret, vol, strict, secdef, src := col("prorettype"), col("provolatile"), col("proisstrict"), col("prosecdef"), col("prosrc")
	argTypes, allArgTypes, modes, names := col("proargtypes"), col("proallargtypes"), col("proargmodes"), col("proargnames")
	out := make([]procedure, 0, len(rows))
	for _, row := range rows {
		p := procedure{oid: row[oid].(uint32), name: row[name].(string), namespace: row[ns].(uint32),
			kind: textOf(row[kind]), language: row[lang].(uint32), returnType: row[ret].(uint32),
			volatility: textOf(row[vol]), strict: row[strict] == true, securityDefiner: row[secdef] == true,
			source: textOf(row[src])}
		types := row[allArgTypes]
		if types == nil {
			types = row[argTypes]
		}
		if a, ok := types.(catalog.ArrayValue); ok {
			for _, t := range a {
				p.argTypes = append(p.argTypes, t.(uint32))
			}
		}
		if a, ok := row[modes].(catalog.ArrayValue); ok {
			for _, m := range a {
				p.argModes = append(p.argModes, textOf(m))
			}
		}
		if a, ok := row[names].(catalog.ArrayValue); ok {
			for _, n := range a {
				p.argNames = append(p.argNames, textOf(n))
			}
		}
		out = append(out, p)
	}
	return out, nil
}

func textOf(d catalog.Datum) string {
	s, _ := d.(string)
	return s
}

func (p procedure) specificName() string { return p.name + "_" + strconv.FormatUint(uint64(p.oid), 10) }

// Languages of pg_language, and the names information_schema gives them.
const (
	languageInternal = 12
	languageC        = 13
	languageSQL      = 14
)

// typeOfOID describes the type with OID oid as routines and parameters
// do: its data_type and udt; they leave lengths and precisions NULL.
func typeOfOID(oid uint32, users map[uint32]userTypeName) (dataType, udtSchema, udtName string) {
	if t, ok := catalog.TypeByOID(oid); ok {
		c := typeOf(t, users)
		return c.dataType, c.udtSchema, c.udtName
	}
	if u, ok := users[oid]; ok {
		return "USER-DEFINED", u.schema, u.name
	}
	name := pgTypeNames[oid]
	for _, r := range catalog.PgTypes {
		if r.OID == oid && r.Typelem != 0 && r.Typlen == -1 {
			return "ARRAY", PgCatalog, name
		}
	}
	// format_type of the types pqdb has no kind for: their names, but
	// for those SQL spells otherwise.
	dataType = name
	switch name {
	case "timetz":
		dataType = "time with time zone"
	case "varbit":
		dataType = "bit varying"
	case "char":
		dataType = `"char"`
	}
	return dataType, PgCatalog, name
}

func schemaName(db Database, oid uint32) string {
	switch oid {
	case PgCatalogOID:
		return PgCatalog
	case InformationSchemaOID:
		return InformationSchema
	}
	for _, s := range db.Schemas() {
		if s.OID == oid {
			return s.Name
		}
	}
	return ""
}

var routinesColumns = func() []catalog.Column {
	cols := []catalog.Column{
		{Name: "specific_catalog", Type: sqlIdentifier},
		{Name: "specific_schema", Type: sqlIdentifier},
		{Name: "specific_name", Type: sqlIdentifier},
		{Name: "routine_catalog", Type: sqlIdentifier},
		{Name: "routine_schema", Type: sqlIdentifier},
		{Name: "routine_name", Type: sqlIdentifier},
		{Name: "routine_type", Type: characterData},
		{Name: "module_catalog", Type: sqlIdentifier},
		{Name: "module_schema", Type: sqlIdentifier},
		{Name: "module_name", Type: sqlIdentifier},
		{Name: "udt_catalog", Type: sqlIdentifier},
		{Name: "udt_schema", Type: sqlIdentifier},
		{Name: "udt_name", Type: sqlIdentifier},
		{Name: "data_type", Type: characterData},
		{Name: "character_maximum_length", Type: cardinalNumber},
		{Name: "character_octet_length", Type: cardinalNumber},
		{Name: "character_set_catalog", Type: sqlIdentifier},
		{Name: "character_set_schema", Type: sqlIdentifier},
		{Name: "character_set_name", Type: sqlIdentifier},
		{Name: "collation_catalog", Type: sqlIdentifier},
		{Name: "collation_schema", Type: sqlIdentifier},
		{Name: "collation_name", Type: sqlIdentifier},
		{Name: "numeric_precision", Type: cardinalNumber},
		{Name: "numeric_precision_radix", Type: cardinalNumber},
		{Name: "numeric_scale", Type: cardinalNumber},
		{Name: "datetime_precision", Type: cardinalNumber},
		{Name: "interval_type", Type: characterData},
		{Name: "interval_precision", Type: cardinalNumber},
		{Name: "type_udt_catalog", Type: sqlIdentifier},
		{Name: "type_udt_schema", Type: sqlIdentifier},
		{Name: "type_udt_name", Type: sqlIdentifier},
		{Name: "scope_catalog", Type: sqlIdentifier},
		{Name: "scope_schema", Type: sqlIdentifier},
		{Name: "scope_name", Type: sqlIdentifier},
		{Name: "maximum_cardinality", Type: cardinalNumber},
		{Name: "dtd_identifier", Type: sqlIdentifier},
		{Name: "routine_body", Type: characterData},
		{Name: "routine_definition", Type: characterData},
		{Name: "external_name", Type: characterData},
		{Name: "external_language", Type: characterData},
		{Name: "parameter_style", Type: characterData},
		{Name: "is_deterministic", Type: yesOrNo},
		{Name: "sql_data_access", Type: characterData},
		{Name: "is_null_call", Type: yesOrNo},
		{Name: "sql_path", Type: characterData},
		{Name: "schema_level_routine", Type: yesOrNo},
		{Name: "max_dynamic_result_sets", Type: cardinalNumber},
		{Name: "is_user_defined_cast", Type: yesOrNo},
		{Name: "is_implicitly_invocable", Type: yesOrNo},
		{Name: "security_type", Type: characterData},
		{Name: "to_sql_specific_catalog", Type: sqlIdentifier},
		{Name: "to_sql_specific_schema", Type: sqlIdentifier},
		{Name: "to_sql_specific_name", Type: sqlIdentifier},
		{Name: "as_locator", Type: yesOrNo},
		{Name: "created", Type: timeStamp},
		{Name: "last_altered", Type: timeStamp},
		{Name: "new_savepoint_level", Type: yesOrNo},
		{Name: "is_udt_dependent", Type: yesOrNo},
		{Name: "result_cast_from_data_type", Type: characterData},
		{Name: "result_cast_as_locator", Type: yesOrNo},
		{Name: "result_cast_char_max_length", Type: cardinalNumber},
		{Name: "result_cast_char_octet_length", Type: cardinalNumber},
		{Name: "result_cast_char_set_catalog", Type: sqlIdentifier},
		{Name: "result_cast_char_set_schema", Type: sqlIdentifier},
		{Name: "result_cast_char_set_name", Type: sqlIdentifier},
		{Name: "result_cast_collation_catalog", Type: sqlIdentifier},
		{Name: "result_cast_collation_schema", Type: sqlIdentifier},
		{Name: "result_cast_collation_name", Type: sqlIdentifier},
		{Name: "result_cast_numeric_precision", Type: cardinalNumber},
		{Name: "result_cast_numeric_precision_radix", Type: cardinalNumber},
		{Name: "result_cast_numeric_scale", Type: cardinalNumber},
		{Name: "result_cast_datetime_precision", Type: cardinalNumber},
		{Name: "result_cast_interval_type", Type: characterData},
		{Name: "result_cast_interval_precision", Type: cardinalNumber},
		{Name: "result_cast_type_udt_catalog", Type: sqlIdentifier},
		{Name: "result_cast_type_udt_schema", Type: sqlIdentifier},
		{Name: "result_cast_type_udt_name", Type: sqlIdentifier},
		{Name: "result_cast_scope_catalog", Type: sqlIdentifier},
		{Name: "result_cast_scope_schema", Type: sqlIdentifier},
		{Name: "result_cast_scope_name", Type: sqlIdentifier},
		{Name: "result_cast_maximum_cardinality", Type: cardinalNumber},
		{Name: "result_cast_dtd_identifier", Type: sqlIdentifier},
	}
	return cols
}()

var _ = addsRelation(&Relation{OID: 13377, Schema: InformationSchema, Name: "routines", Columns: routinesColumns, rows: routinesRows})

func routinesRows(db Database) ([][]catalog.Datum, error) {
	procs, err := procedures(db)
	if err != nil {
		return nil, err
	}
	users := userTypesByOID(db)
	dbName := db.DatabaseName()
	rows := make([][]catalog.Datum, 0, len(procs))
	for _, p := range procs {
		schema := schemaName(db, p.namespace)
		var routineType catalog.Datum
		switch p.kind {
		case "f":
			routineType = "FUNCTION"
		case "p":
			routineType = "PROCEDURE"
		}
		var udtCatalog, udtSchema, udtName, dataType, dtd catalog.Datum
		if p.kind != "p" {
			dt, us, un := typeOfOID(p.returnType, users)
			udtCatalog, udtSchema, udtName, dataType, dtd = dbName, us, un, dt, "0"
		}
		body, language := "EXTERNAL", "INTERNAL"
		switch p.language {
		case languageSQL:
			body, language = "SQL", "SQL"
		case languageC:
			language = "C"
		}
		var externalName catalog.Datum
		if p.language == languageC {
			externalName = p.source
		}
		security := "INVOKER"
		if p.securityDefiner {
			security = "DEFINER"
		}
		row := make([]catalog.Datum, len(routinesColumns))
		copy(row, []catalog.Datum{dbName, schema, p.specificName(), dbName, schema, p.name, routineType,
			nil, nil, nil, nil, nil, nil, dataType})
		// type_udt_*, dtd_identifier, then the routine's body and traits.
		copy(row[28:], []catalog.Datum{udtCatalog, udtSchema, udtName, nil, nil, nil, nil, dtd,
			body, p.source, externalName, language, "GENERAL", yesNo(p.volatility == "i"), "MODIFIES",
			yesNo(p.strict), nil, "YES", int32(0), nil, nil, security, nil, nil, nil, "NO", nil, nil, nil, "NO"})
		rows = append(rows, row)
	}
	return rows, nil
}

var _ = addsRelation(&Relation{OID: 13334, Schema: InformationSchema, Name: "parameters", Columns: []catalog.Column{
	{Name: "specific_catalog", Type: sqlIdentifier},
	{Name: "specific_schema", Type: sqlIdentifier},
	{Name: "specific_name", Type: sqlIdentifier},
	{Name: "ordinal_position", Type: cardinalNumber},
	{Name: "parameter_mode", Type: characterData},
	{Name: "is_result", Type: yesOrNo},
	{Name: "as_locator", Type: yesOrNo},
	{Name: "parameter_name", Type: sqlIdentifier},
	{Name: "data_type", Type: characterData},
	{Name: "character_maximum_length", Type: cardinalNumber},
	{Name: "character_octet_length", Type: cardinalNumber},
	{Name: "character_set_catalog", Type: sqlIdentifier},
	{Name: "character_set_schema", Type: sqlIdentifier},
	{Name: "character_set_name", Type: sqlIdentifier},
	{Name: "collation_catalog", Type: sqlIdentifier},
	{Name: "collation_schema", Type: sqlIdentifier},
	{Name: "collation_name", Type: sqlIdentifier},
	{Name: "numeric_precision", Type: cardinalNumber},
	{Name: "numeric_precision_radix", Type: cardinalNumber},
	{Name: "numeric_scale", Type: cardinalNumber},
	{Name: "datetime_precision", Type: cardinalNumber},
	{Name: "interval_type", Type: characterData},
	{Name: "interval_precision", Type: cardinalNumber},
	{Name: "udt_catalog", Type: sqlIdentifier},
	{Name: "udt_schema", Type: sqlIdentifier},
	{Name: "udt_name", Type: sqlIdentifier},
	{Name: "scope_catalog", Type: sqlIdentifier},
	{Name: "scope_schema", Type: sqlIdentifier},
	{Name: "scope_name", Type: sqlIdentifier},
	{Name: "maximum_cardinality", Type: cardinalNumber},
	{Name: "dtd_identifier", Type: sqlIdentifier},
	{Name: "parameter_default", Type: characterData},
}, rows: parametersRows})

// parameterModes names pg_proc's proargmodes as parameters does; a
// function without modes has only IN arguments.
var parameterModes = map[string]string{"i": "IN", "o": "OUT", "b": "INOUT", "v": "IN", "t": "OUT"}

func parametersRows(db Database) ([][]catalog.Datum, error) {
	procs, err := procedures(db)
	if err != nil {
		return nil, err
	}
	users := userTypesByOID(db)
	dbName := db.DatabaseName()
	var rows [][]catalog.Datum
	for _, p := range procs {
		schema := schemaName(db, p.namespace)
		for i, t := range p.argTypes {
			mode := "IN"
			if i < len(p.argModes) {
				mode = parameterModes[p.argModes[i]]
			}
			var name catalog.Datum
			if i < len(p.argNames) && p.argNames[i] != "" {
				name = p.argNames[i]
			}
			dataType, udtSchema, udtName := typeOfOID(t, users)
			rows = append(rows, []catalog.Datum{dbName, schema, p.specificName(), int32(i + 1), mode, "NO", "NO", name,
				dataType, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil,
				dbName, udtSchema, udtName, nil, nil, nil, nil, strconv.Itoa(i + 1), nil})
		}
	}
	return rows, nil
}
