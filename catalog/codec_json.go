package catalog

import (
	"unsafe"

	"github.com/pqdb/pqdb/jsonb"
)

// json and jsonb values are held as text (an Arrow string column, a
// Parquet string with the JSON logical type, so other engines read them):
// a json value as the text the user gave, once checked to be JSON; a jsonb
// value as jsonb_out prints it, the canonical text (keys sorted and
// deduplicated, numbers as numeric prints them). Parsing, printing and
// their errors are package jsonb's, PostgreSQL's to the letter: 22P02 with
// json_errdetail's DETAIL and the "JSON data, line N: ..." CONTEXT (in
// pgerr.Error's Where).
//
// The binary forms are json_send/json_recv (the text itself) and
// jsonb_send/jsonb_recv (a version byte 1, then the text). jsonb_send of
// a stored value is its version byte and its stored text: that is
// jsonb.AppendSend of the parsed value, because the stored text is
// jsonb_out's, and sending it as it is spares a parse per value.

// jsonbSendVersion is the version byte jsonb_send writes before the text.
const jsonbSendVersion = 1

// jsonReader reads json and jsonb input into the text pqdb stores. It
// keeps its parser and buffers between values, so that once warm it
// allocates nothing; it is not safe for concurrent use.
type jsonReader struct {
	parser jsonb.Parser
	value  []byte // the last jsonb value parsed
	text   []byte // its canonical text
}

// read is json_in or jsonb_in for t: for json the input itself once
// checked, for jsonb its canonical text. The result is valid until the
// next call. in must be valid UTF-8 (the caller checks the encoding).
func (r *jsonReader) read(t Type, in []byte) ([]byte, error) {
	if t.Kind == JSON {
		return in, jsonb.ValidateJSON(in)
	}
	var err error
	if r.value, err = r.parser.Append(r.value[:0], in); err != nil {
		return nil, err
	}
	return r.canonical(), nil
}

// recv is json_recv or jsonb_recv for t: msg is the binary form; the
// encoding is checked here.
func (r *jsonReader) recv(t Type, msg []byte) ([]byte, error) {
	if t.Kind == JSON {
		return msg, jsonb.RecvJSON(msg)
	}
	var err error
	if r.value, err = r.parser.Recv(r.value[:0], msg); err != nil {
		return nil, err
	}
	return r.canonical(), nil
}

func (r *jsonReader) canonical() []byte {
	r.text = jsonb.AppendText(r.text[:0], jsonb.Value(r.value))
	return r.text
}

// stringBytes views s as bytes without copying, for readers that do not
// write to their input.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// parseJSONText is the input function of json or jsonb (t) for one value.
func parseJSONText(t Type, s string) (string, error) {
	var r jsonReader
	out, err := r.read(t, stringBytes(s))
	if err != nil {
		return "", err
	}
	if t.Kind == JSON {
		return s, nil
	}
	return string(out), nil
}

// recvJSON is the receive function of json or jsonb (t) for one value.
func recvJSON(t Type, msg []byte) (string, error) {
	var r jsonReader
	out, err := r.recv(t, msg)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// appendJSONBSend appends jsonb_send's form of a stored jsonb value.
func appendJSONBSend(b []byte, stored string) []byte {
	return append(append(b, jsonbSendVersion), stored...)
}
