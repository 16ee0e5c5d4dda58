package wire

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/pqdb/pqdb/pgerr"
)

// fakeBackend is a tiny engine that understands a handful of statements,
// enough to drive every path of the protocol layer:
//
//	select N      one int4 column "n" holding N
//	select $1     one text column "v" echoing the parameter
//	generate N    int4 column "g" with rows 1..N
//	error         fails at Execute with 42601
//	copy          COPY FROM STDIN counting lines; tag "COPY n"
//	copy first    reads only the first line of its input, then succeeds
//	copy strict   like copy, but fails with 22P02 at a line "bad"
//	sleep         blocks until its context is cancelled
//	block         blocks until the test releases it, then returns one row
//	panic         panics
//	notice        sends a NOTICE; tag "DO"
//	begin/commit  open and close a transaction block
//
// Anything else is a syntax error at Parse. Statements are split on ';'.
type fakeBackend struct {
	newSessionErr error

	started chan string   // sleep and block announce themselves here
	release chan struct{} // block waits for this
	copied  chan string   // what each copy statement read

	mu       sync.Mutex
	sleepCtx context.Context // the context of the latest sleep
	infos    []StartupInfo
	closed   int
	sessions int
}

func newFakeBackend() *fakeBackend {
	return &fakeBackend{
		started: make(chan string, 16),
		release: make(chan struct{}),
		copied:  make(chan string, 16),
	}
}

func (b *fakeBackend) NewSession(info StartupInfo) (Session, error) {
	if b.newSessionErr != nil {
		return nil, b.newSessionErr
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.infos = append(b.infos, info)
	b.sessions++
	return &fakeSession{b: b, tx: 'I'}, nil
}

func (b *fakeBackend) closedSessions() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

type fakeSession struct {
	b  *fakeBackend
	tx byte
}

type fakeStmt struct{ sql string }

func (s fakeStmt) SQL() string { return s.sql }

var (
	int4Column = Column{Name: "n", TypeOID: 23, TypeSize: 4, TypeMod: -1}
	textColumn = Column{Name: "v", TypeOID: 25, TypeSize: -1, TypeMod: -1}
	genColumn  = Column{Name: "g", TypeOID: 23, TypeSize: 4, TypeMod: -1}
)

func (s *fakeSession) ParameterStatus() map[string]string {
	return map[string]string{
		"server_version":              "15.0 (pqdb fake)",
		"client_encoding":             "UTF8",
		"DateStyle":                   "ISO, MDY",
		"standard_conforming_strings": "on",
	}
}

func (s *fakeSession) Parse(sql string) ([]Statement, error) {
	var stmts []Statement
	for _, part := range strings.Split(sql, ";") {
		text := strings.ToLower(strings.TrimSpace(part))
		if text == "" {
			continue
		}
		if _, _, err := s.shape(text); err != nil {
			return nil, err
		}
		stmts = append(stmts, fakeStmt{text})
	}
	return stmts, nil
}

// shape reports the parameter and result columns of a statement.
func (s *fakeSession) shape(text string) (params []uint32, cols []Column, err error) {
	word, arg, _ := strings.Cut(text, " ")
	switch {
	case word == "select" && arg == "$1":
		return []uint32{25}, []Column{textColumn}, nil
	case word == "select":
		if _, err := strconv.Atoi(arg); err != nil {
			break
		}
		return nil, []Column{int4Column}, nil
	case word == "generate":
		if _, err := strconv.Atoi(arg); err != nil {
			break
		}
		return nil, []Column{genColumn}, nil
	case text == "block":
		return nil, []Column{int4Column}, nil
	case text == "error", text == "copy", text == "copy first", text == "copy strict", text == "sleep", text == "panic",
		text == "notice", text == "begin", text == "commit":
		return nil, nil, nil
	}
	return nil, nil, pgerr.New(pgerr.SyntaxError, "syntax error at or near \"%s\"", word).WithPosition(1)
}

func (s *fakeSession) Describe(ctx context.Context, stmt Statement, paramOIDs []uint32) ([]uint32, []Column, error) {
	return s.shape(stmt.SQL())
}

func (s *fakeSession) Execute(ctx context.Context, stmt Statement, paramOIDs []uint32, args [][]byte,
	argFormats []int16, resultFormats []int16, out ResultWriter) (string, error) {
	text := stmt.SQL()
	_, cols, err := s.shape(text)
	if err != nil {
		return "", err
	}
	if cols != nil {
		if err := out.Columns(cols, resultFormats); err != nil {
			return "", err
		}
	}
	word, arg, _ := strings.Cut(text, " ")
	switch {
	case word == "select" && arg == "$1":
		if err := out.Row([][]byte{args[0]}); err != nil {
			return "", err
		}
		return "SELECT 1", nil
	case word == "select":
		n, _ := strconv.Atoi(arg)
		if err := out.Row([][]byte{encodeInt4(n, formatOf(resultFormats, 0))}); err != nil {
			return "", err
		}
		return "SELECT 1", nil
	case word == "generate":
		n, _ := strconv.Atoi(arg)
		row := make([][]byte, 1)
		for i := 1; i <= n; i++ {
			row[0] = encodeInt4(i, formatOf(resultFormats, 0))
			if err := out.Row(row); err != nil {
				return "", err
			}
		}
		return fmt.Sprintf("SELECT %d", n), nil
	case text == "error":
		return "", pgerr.New(pgerr.SyntaxError, "syntax error at or near \"error\"").WithPosition(1)
	case text == "copy", text == "copy first", text == "copy strict":
		r, err := out.CopyIn(0, []int16{0})
		if err != nil {
			return "", err
		}
		sc := bufio.NewScanner(r)
		var lines []string
		for sc.Scan() {
			if text == "copy strict" && sc.Text() == "bad" {
				return "", pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type integer: \"bad\"")
			}
			lines = append(lines, sc.Text())
			if text == "copy first" {
				break
			}
		}
		if err := sc.Err(); err != nil {
			return "", err
		}
		s.b.copied <- strings.Join(lines, ",")
		return fmt.Sprintf("COPY %d", len(lines)), nil
	case text == "sleep":
		s.b.mu.Lock()
		s.b.sleepCtx = ctx
		s.b.mu.Unlock()
		s.b.started <- text
		<-ctx.Done()
		return "", ctx.Err()
	case text == "block":
		s.b.started <- text
		<-s.b.release
		if err := out.Row([][]byte{encodeInt4(1, formatOf(resultFormats, 0))}); err != nil {
			return "", err
		}
		return "SELECT 1", nil
	case text == "panic":
		panic("fake engine bug")
	case text == "notice":
		if err := out.Notice(pgerr.Notice(pgerr.SuccessfulCompletion, "hello from the engine")); err != nil {
			return "", err
		}
		return "DO", nil
	case text == "begin":
		s.tx = 'T'
		return "BEGIN", nil
	case text == "commit":
		s.tx = 'I'
		return "COMMIT", nil
	}
	return "", fmt.Errorf("fake session cannot run %q", text)
}

func (s *fakeSession) TxStatus() byte { return s.tx }

func (s *fakeSession) Close() {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.closed++
}

func encodeInt4(n int, format int16) []byte {
	if format == 1 {
		return binary.BigEndian.AppendUint32(nil, uint32(int32(n)))
	}
	return strconv.AppendInt(nil, int64(n), 10)
}
