package pgcatalog

import (
	"strings"

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
	if r, ok := systemRowTypeNames()[oid]; ok {
		if strings.HasPrefix(r.name, "_") {
			return "ARRAY", r.schema, r.name
		}
		return "USER-DEFINED", r.schema, r.name
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

var _ = addsRelation(&Relation{OID: 13377, Schema: InformationSchema, Name: "routines", Columns: informationSchemaColumns["routines"], rows: routinesRows})

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
		row := make([]catalog.Datum, len(informationSchemaColumns["routines"]))
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

var _ = addsRelation(&Relation{OID: 13334, Schema: InformationSchema, Name: "parameters", Columns: informationSchemaColumns["parameters"], rows: parametersRows})

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
