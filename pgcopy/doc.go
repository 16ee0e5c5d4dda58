// Package pgcopy reads and writes the data of PostgreSQL's COPY in its
// three formats, text, CSV and binary, as Arrow records.
//
// A Reader decodes the byte stream of COPY ... FROM STDIN (the payload of
// the client's CopyData messages, concatenated) into records of up to
// 64k rows whose columns have the Arrow types of the target columns
// (catalog.Type.ArrowType). The stream may be cut anywhere: a row, a
// quoted CSV field or a binary length word can straddle two reads. Values
// go straight from the input buffer into Arrow builders through
// catalog.ColumnDecoder, the same input and receive functions that read
// literals and parameters, so a value means the same thing in COPY as in
// INSERT.
//
// With SetWorkers(n), a Reader decodes large inputs in parallel
// (parallel.go): after a prelude of 8,192 rows decoded as usual (a
// smaller COPY starts no goroutine), it reads the input on the caller's
// goroutine, a splitter (split.go) cuts it into chunks of whole rows, up
// to 16,384 rows or 16 MB, by finding row ends only (text: a newline
// after an even number of backslashes; CSV: a newline outside quotes;
// binary: the field length words), and n goroutines decode the chunks
// with the same row readers as the sequential path, each chunk started at
// its line number. A worker first tries a chunk column by column
// (columnar.go): a block of a few hundred rows at a time, it splits the
// rows, then runs each column's decoder over the block's values; at
// anything unusual (an end marker or trailer, a wrong field count, FORCE
// options, a value a decoder refuses) it gives up and reads the chunk row
// by row, so that errors and their context are the sequential path's.
// Next returns the chunks' records and the first error
// in input order, with the context the sequential Reader would give; what
// the splitter does not walk (the end of the input, a binary trailer or
// malformed tuple, what follows a read error) is left to the sequential
// path. At most n+1 chunks are in flight; Close stops the workers.
//
// A Writer encodes records for COPY ... TO STDOUT with catalog's column
// encoders.
//
// Errors follow PostgreSQL: structural problems of the stream (a missing
// or extra column, an unterminated quoted field, a bad binary header) are
// 22P04 bad_copy_file_format; a value its type cannot read keeps the
// type's own SQLSTATE (22P02, 22003, 22007, ...). Every error carries
// pgerr.Error.Where in PostgreSQL's form, "COPY t, line 3, column a:
// \"abc\"", so that clients show the same context.
//
// Invariants: a Reader never returns a record holding part of a row; after
// an error the Reader stops (COPY is all or nothing, its caller discards
// what it read). Sequential and parallel Readers return the same rows in
// the same order and the same error with the same Where (the records
// before an error may be cut differently); the input is only ever read on
// the caller's goroutine.
package pgcopy
