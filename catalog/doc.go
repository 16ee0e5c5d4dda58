// Package catalog is the one place where pqdb describes its data: schemas,
// tables, columns and views (object.go), the SQL types with their Postgres
// OIDs and Arrow representations (type.go), the Go form of one SQL value
// (datum.go), the text and binary forms values take on the wire and in
// COPY (codec_*.go), one-dimensional arrays of those types (type_array.go,
// codec_array*.go: array_in/array_out/array_recv/array_send), records
// (type_record.go, codec_record.go: record_out and record_send; every
// record is anonymous, OID 2249, and never stored), the types
// users create (user_type.go): enums (enum.go), whose Type of Kind Enum
// names the enum by OID and name while the labels stay in the catalog, and
// domains (domain.go), whose values are of their base type; the object
// identifier types regclass, regtype, regproc, regprocedure, regoper,
// regoperator, regnamespace and regrole (type_reg.go), oids whose names
// the engine reads and prints through the session's catalog; and the rows
// of the emulated pg_catalog, starting with
// pg_type (pg_type_gen.go); functions join them later. Time zones
// (timezone.go) are read as PostgreSQL reads their names: the time zone
// database, POSIX zones, and the Default set of abbreviations
// (timezone_abbrevs_gen.go).
//
// Everything a client can observe about a type comes from PostgreSQL's own
// data rather than from lists typed by hand: the OID constants and the
// pg_type rows are generated from the postgres.bki bootstrap file of
// PostgreSQL 15 (and checked against its pg_type_d.h), and the codecs print
// and read values exactly as PostgreSQL 15's input, output, receive and send
// functions do.
//
// Invariants:
//   - A Type's Kind decides its Datum representation, its Arrow type and its
//     codecs; there is exactly one of each per Kind (for an Array, per
//     Kind and element Kind). An enum value is its label's text, so its
//     codecs are text's; whether a text is one of the enum's labels is
//     checked where the labels are known (UserType.CheckValue).
//   - Kinds are stored by number in table definitions: new kinds are
//     appended, never inserted.
//   - Parsing user input never panics; every failure is a *pgerr.Error with
//     the SQLSTATE PostgreSQL reports for the same input.
package catalog

//go:generate go run ./internal/gentypes -out pg_type_gen.go
//go:generate go run ./internal/genzones -out timezone_abbrevs_gen.go
