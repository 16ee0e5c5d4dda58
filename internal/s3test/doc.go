// Package s3test runs a real S3-compatible server for tests, and its own
// tests pin down the object-store behaviour pqdb's storage relies on.
//
// # Why a real server
//
// pqdb publishes a table's manifest and claims a namespace's writer lease
// by conditional put: If-None-Match: * creates an object only if the key
// is free, If-Match: <etag> replaces it only if nobody replaced it since
// it was read. Whether a store honours those headers, on plain and on
// multipart uploads, and how the refusal reaches Go code through
// gocloud.dev/blob, is exactly what a fake would get wrong. So the tests
// run against versitygw (github.com/versity/versitygw, Apache-2.0), an S3
// gateway over a local directory, started as a subprocess on a loopback
// port.
//
// # The server
//
// Start finds the versitygw binary ($PQDB_VERSITYGW, then PATH, then
// GOBIN or GOPATH/bin, where `go install
// github.com/versity/versitygw/cmd/versitygw@v1.8.0` puts it; .ci/run
// installs it there), starts it over a fresh temporary directory with the
// posix backend on a free 127.0.0.1 port and the fixed AccessKey and
// SecretKey, waits until it accepts connections, and stops it when the
// test ends. Without the binary the test is skipped, unless $CI is set,
// where a missing server is a failure: CI must not pass by skipping.
//
// Server.NewBucket creates a bucket and returns its gocloud URL,
//
//	s3://NAME?endpoint=http%3A%2F%2F127.0.0.1%3APORT&region=us-east-1&use_path_style=true
//
// which blob.OpenBucket opens once the credentials are in the
// environment (Server.Env for a child process, Server.SetEnv for the test
// itself); Server.OpenBucket opens it with the credentials passed
// directly instead, which leaves the environment alone and lets tests run
// in parallel.
//
// The server runs in a child process rather than in the test binary:
// versitygw's embeddable package (embedgw) brings about 55 more modules
// into pqdb's module graph (an HTTP framework, LDAP, Vault, NATS, Kafka,
// RabbitMQ and Datadog clients) and allows one gateway per process.
//
// # What the tests pin
//
// conditional_test.go runs one table of cases over the three stores pqdb
// uses (s3:// on versitygw, file://, mem://), and the store table at its
// top records where they differ: plain writes, reads, ranges, listing and
// deletes; create-if-absent (blob.WriterOptions.IfNotExist), which every
// store honours and refuses at Close with gcerrors.FailedPrecondition;
// replace-if-unchanged (If-Match), which only s3blob can express, through
// WriterOptions.BeforeWrite; multipart uploads with both conditions;
// conditional deletes; ETags that name content rather than a write; and
// races of many writers on one key, where exactly one may win.
// posix_test.go pins how versitygw's posix backend lays objects out on
// disk.
package s3test
