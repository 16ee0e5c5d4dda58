// Package jsonb implements the values of PostgreSQL 15's json and jsonb
// types: parsing and printing them exactly as PostgreSQL does, a compact
// binary form of jsonb that is navigated in place, and the operators and
// functions over both types. It is the value layer only: converting SQL
// values to JSON (to_jsonb's type dispatch), NULL arguments, array
// dimensions and set-returning plumbing belong to the caller.
//
// # jsonb: the encoding
//
// A jsonb value is a Value, a []byte holding one node. A node starts with
// a tag byte; its low nibble says what it is:
//
//	0x00 null     nothing follows
//	0x01 false    nothing follows
//	0x02 true     nothing follows
//	0x03 number   a numeric encoding follows (package numeric: ndigits,
//	              weight, sign, dscale, base-10000 digits), finite and
//	              canonical, with the display scale PostgreSQL keeps
//	              (jsonb '1.50' prints 1.50, '1e2' prints 100)
//	0x04 string   the unescaped UTF-8 bytes follow
//	0x05 array    a container, see below
//	0x06 object   a container, see below
//
// A node has no length of its own: it ends where its slice ends. Inside a
// container each child's extent is given by the container, so every child
// is itself a complete Value, and navigation (->, #>, Elem, Field) returns
// sub-slices without copying or decoding anything.
//
// A container's tag has in its high nibble a width code c (0, 1 or 2), and
// w = 1<<c bytes is the width of the integers that follow, little-endian:
//
//	tag | count (w bytes) | end offsets (w bytes each) | children
//
// An array of n elements has n end offsets and its elements as children.
// An object of n pairs has 2n end offsets and as children first its n keys
// (raw UTF-8 bytes, no tag) and then its n values, pair i being key i and
// value i. Offsets are relative to the start of the children; child j
// spans [end[j-1], end[j]) with end[-1] = 0. So element i of an array is
// reached in O(1), and an object's keys, which are stored sorted in jsonb
// key order (shorter keys first, equal lengths bytewise, as PostgreSQL's
// lengthCompareJsonbString), are binary-searched without touching values.
// w is the narrowest of 1, 2, 4 that holds the total size of the children
// (which bounds the count too); the children of one container may not
// exceed 268435455 bytes (PostgreSQL's limit, error 54000).
//
// Examples: [] is 05 00; the string "x" at the top level is 04 78;
// {"a": 1} is
//
//	06 01 01 0c 61 03 00 01 00 00 00 00 00 00 00 01
//
// an object with one-byte widths, one pair, key ending at 1, value ending
// at 12, the key "a", then the number 1 (ndigits 1, weight 0, sign +,
// dscale 0, digit 1).
//
// # Invariants
//
// Every Value this package makes is canonical (Valid checks it): object
// keys strictly increasing (a duplicate key in the input keeps its last
// value, as PostgreSQL does), minimal widths, canonical finite numerics,
// no zero bytes in strings or keys. Values are never empty. Two values
// with equal bytes are equal jsonb values, and equal values have equal
// bytes except for numbers that PostgreSQL itself considers equal but
// prints differently (1.0 and 1): byte equality is sufficient, not
// necessary. For hashing, grouping, DISTINCT and sorting use AppendKey,
// whose bytes are equal exactly when the values are and sort as Compare
// does.
//
// The accessors trust their input: they do not check bounds beyond Go's
// own. Run Valid on bytes of unknown origin.
//
// # jsonb: operations
//
// Text: Parse and Parser.Append are jsonb_in, AppendText is jsonb_out (and
// the casts to text and json), AppendPretty is jsonb_pretty, AppendQuoted
// is escape_json. Binary: AppendSend and Parser.Recv (version byte 1, then
// the text). Parse errors are PostgreSQL's to the letter: SQLSTATE,
// message, DETAIL and the CONTEXT line ("JSON data, line 1: ..."), in the
// Where field of the pgerr.Error; the parser makes the same lexer calls in
// the same order as PostgreSQL 15's recursive descent parser, so it stops
// at the same token. Nesting deeper than MaxDepth is 54001.
//
// Navigation: ObjectField (-> text), ArrayElement (-> int, with
// PostgreSQL's quirk that a scalar acts as a one-element array), Path
// (#>), AppendAsText (the ->> and #>> form of a result). Predicates:
// Contains (@>, <@), Exists, ExistsAny, ExistsAll (?, ?|, ?&). Order:
// Compare (the btree order, including the top-level quirk that the empty
// array sorts before every scalar), Equal, AppendKey. New values: Concat
// (||), DeleteKey, DeleteKeys, DeleteIndex (-), DeletePath (#-), Set
// (jsonb_set), Insert (jsonb_insert), StripNulls; these append to a
// destination slice and, once warm, allocate nothing else. Functions:
// TypeOf, ArrayLength, and the checks of the set-returning functions
// (CheckObjectKeys, CheckEach, CheckArrayElements), whose rows the caller
// takes with Len, Key, Field, Elem and AppendAsText. Casts: ToNumeric,
// ToInt16, ToInt32, ToInt64, ToFloat32, ToFloat64, ToBool.
//
// Construction: Builder assembles values part by part for
// jsonb_build_object, jsonb_build_array, jsonb_agg and jsonb_object_agg
// (sorting and deduplicating keys when an object is closed), and the
// scalar constructors AppendNull, AppendBool, AppendString and
// AppendNumeric make top-level scalars for to_jsonb-style conversions.
//
// # json
//
// A json value is its input text, kept verbatim: ValidateJSON is json_in
// (syntax only; \u0000 and lone surrogates pass, as in PostgreSQL), and
// RecvJSON is json_recv. The json functions reparse the text each time
// into a JSONDoc, a tree of nodes pointing back into the text, and return
// pieces of the text as written: JSONField, JSONElement, JSONPath (->,
// #>; with duplicate keys the last match wins, as in PostgreSQL's
// streaming search), AppendJSONAsText (->>, #>>), JSONTypeOf,
// JSONArrayLength, JSONStripNulls, and JSONDoc's ObjectKeys, Each and
// ArrayElements for the set-returning functions. Their errors, including
// which of two errors wins, follow PostgreSQL's order of events. The json
// constructors' text, whose spacing differs from function to function, is
// written by JSONObjectBuilder, AppendJSONBuildArray, JSONAgg and
// JSONObjectAgg.
//
// # Proof
//
// testdata/pg15.txt holds about eleven thousand cases (input and output,
// every operator and function, errors, sorting, containment, the json
// functions) evaluated by a real PostgreSQL 15; TestPG15Cases replays
// them. TestRecord (go test -run TestRecord -record, with a server on
// 127.0.0.1:54316) regenerates the file. Fuzz targets check that parsing
// and printing round-trip to identical bytes, that Compare and AppendKey
// agree, and that every operator makes valid values.
package jsonb
