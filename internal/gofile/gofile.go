// Package gofile writes the Go files pqdb's generators make from
// PostgreSQL's data (go generate): gofmt-formatted, or the generator
// stops with the error.
package gofile

import (
	"go/format"
	"log"
	"os"
)

// Write formats the Go source src and writes it to path; a source that
// does not parse or a file that cannot be written ends the generator.
func Write(path string, src []byte) {
	formatted, err := format.Source(src)
	if err != nil {
		log.Fatalf("%s: %v", path, err)
	}
	if err := os.WriteFile(path, formatted, 0o644); err != nil {
		log.Fatal(err)
	}
}
