package wire

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pqdb/pqdb/pgerr"
)

// fakeBackend is a tiny engine that understands a handful of statements,
// enough to drive every path of the protocol layer. The statements are
// real SQL that PostgreSQL answers the same way (see oracle_test.go),
// except the last group, which only exists to provoke the fake:
//
//	select N                        int4 column "?column?" holding N
//	select $1                       text column "?column?" echoing the parameter
//	select generate_series(1,N)     int4 column "generate_series", rows 1..N
//	select 1/0                      fails with 22012 before any row
//	select pg_sleep(N)              blocks until its context is cancelled
//	drop table if exists nonexistent_table   a NOTICE, tag "DROP TABLE"
//	begin / commit / rollback       open and close a transaction block
//	set application_name = 'x'      changes a setting reported in ParameterStatus
//	copy t from stdin               counts lines (table t has one text column)
//	copy n from stdin               the same, but lines must be integers (22P02)
//
//	copy first                      reads only the first line, then succeeds
//	block                           blocks until the test releases it, then one row
//	panic                           panics
//
// Anything else is a syntax error at Parse. Statements are split on ';'.
type fakeBackend struct {
	newSessionErr error
	// keepAlive is what every session's KeepAlives asks for.
	keepAlive net.KeepAliveConfig

	started chan string   // pg_sleep and block announce themselves here
	release chan struct{} // block waits for this
	copied  chan string   // what each COPY read, lines joined by ","

	mu       sync.Mutex
	sleepCtx context.Context // the context of the latest pg_sleep
	infos    []StartupInfo
	closed   int
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
	return &fakeSession{b: b, tx: 'I', settings: map[string]string{
		"server_version":              "15.0 (pqdb fake)",
		"client_encoding":             "UTF8",
		"DateStyle":                   "ISO, MDY",
		"standard_conforming_strings": "on",
		"application_name":            info.Params["application_name"],
	}}, nil
}

func (b *fakeBackend) closedSessions() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

type fakeSession struct {
	b        *fakeBackend
	tx       byte
	settings map[string]string
}

type fakeStmt struct {
	sql  string
	kind string // which statement of the grammar
	n    int    // its number, where it has one
}

func (s *fakeStmt) SQL() string { return s.sql }

var (
	int4Column   = Column{Name: "?column?", TypeOID: 23, TypeSize: 4, TypeMod: -1}
	textColumn   = Column{Name: "?column?", TypeOID: 25, TypeSize: -1, TypeMod: -1}
	seriesColumn = Column{Name: "generate_series", TypeOID: 23, TypeSize: 4, TypeMod: -1}

	selectNumber = regexp.MustCompile(`^select (\d+)$`)
	selectSeries = regexp.MustCompile(`^select generate_series\(1, ?(\d+)\)$`)
	selectSleep  = regexp.MustCompile(`^select pg_sleep\((\d+)\)$`)
	setAppName   = regexp.MustCompile(`^set application_name = '([^']*)'$`)
)

func (s *fakeSession) ParameterStatus() map[string]string { return s.settings }

func (s *fakeSession) Parse(sql string) ([]Statement, error) {
	var stmts []Statement
	for _, part := range strings.Split(sql, ";") {
		text := strings.ToLower(strings.TrimSpace(part))
		if text == "" {
			continue
		}
		stmt, err := parseFake(text)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, stmt)
	}
	return stmts, nil
}

func parseFake(text string) (*fakeStmt, error) {
	stmt := &fakeStmt{sql: text, kind: text}
	for kind, re := range map[string]*regexp.Regexp{"number": selectNumber, "series": selectSeries, "sleep": selectSleep} {
		if m := re.FindStringSubmatch(text); m != nil {
			stmt.kind = kind
			stmt.n, _ = strconv.Atoi(m[1])
			return stmt, nil
		}
	}
	if setAppName.MatchString(text) {
		stmt.kind = "set"
		return stmt, nil
	}
	switch text {
	case "block":
		stmt.n = 1
		return stmt, nil
	case "select $1", "select 1/0", "drop table if exists nonexistent_table", "begin", "commit", "rollback",
		"copy t from stdin", "copy n from stdin", "copy first", "panic":
		return stmt, nil
	}
	word, _, _ := strings.Cut(text, " ")
	return nil, pgerr.New(pgerr.SyntaxError, "syntax error at or near \"%s\"", word).WithPosition(1)
}

func (s *fakeSession) Describe(ctx context.Context, stmt Statement, paramOIDs []uint32) ([]uint32, []Column, error) {
	st := stmt.(*fakeStmt)
	switch st.kind {
	case "select $1":
		return []uint32{25}, []Column{textColumn}, nil
	case "number", "select 1/0", "block":
		return nil, []Column{int4Column}, nil
	case "series":
		return nil, []Column{seriesColumn}, nil
	case "sleep":
		return nil, []Column{{Name: "pg_sleep", TypeOID: 2278, TypeSize: 4, TypeMod: -1}}, nil
	}
	return nil, nil, nil
}

func (s *fakeSession) Execute(ctx context.Context, stmt Statement, paramOIDs []uint32, args [][]byte,
	argFormats []int16, resultFormats []int16, out ResultWriter) (string, error) {
	st := stmt.(*fakeStmt)
	if s.tx == 'E' && st.kind != "commit" && st.kind != "rollback" {
		return "", pgerr.New(pgerr.InFailedSqlTransaction,
			"current transaction is aborted, commands ignored until end of transaction block")
	}
	switch st.kind {
	case "select 1/0":
		return "", pgerr.New(pgerr.DivisionByZero, "division by zero")
	case "sleep":
		s.b.mu.Lock()
		s.b.sleepCtx = ctx
		s.b.mu.Unlock()
		s.b.started <- st.kind
		<-ctx.Done()
		return "", ctx.Err()
	case "block":
		s.b.started <- st.kind
		<-s.b.release
	case "panic":
		panic("fake engine bug")
	}

	_, cols, _ := s.Describe(ctx, stmt, paramOIDs)
	if cols != nil {
		if err := out.Columns(cols, resultFormats); err != nil {
			return "", err
		}
	}
	switch st.kind {
	case "select $1":
		if len(args) == 0 {
			return "", pgerr.New(pgerr.UndefinedParameter, "there is no parameter $1")
		}
		if err := out.Row([][]byte{args[0]}); err != nil {
			return "", err
		}
		return "SELECT 1", nil
	case "number", "block":
		if err := out.Row([][]byte{encodeInt4(st.n, formatOf(resultFormats, 0))}); err != nil {
			return "", err
		}
		return "SELECT 1", nil
	case "series":
		row := make([][]byte, 1)
		for i := 1; i <= st.n; i++ {
			row[0] = encodeInt4(i, formatOf(resultFormats, 0))
			if err := out.Row(row); err != nil {
				return "", err
			}
		}
		return fmt.Sprintf("SELECT %d", st.n), nil
	case "drop table if exists nonexistent_table":
		notice := pgerr.Notice(pgerr.SuccessfulCompletion, "table \"nonexistent_table\" does not exist, skipping")
		if err := out.Notice(notice); err != nil {
			return "", err
		}
		return "DROP TABLE", nil
	case "set":
		s.settings["application_name"] = setAppName.FindStringSubmatch(st.sql)[1]
		return "SET", nil
	case "begin":
		s.tx = 'T'
		return "BEGIN", nil
	case "commit", "rollback":
		aborted := s.tx == 'E'
		s.tx = 'I'
		if aborted {
			return "ROLLBACK", nil
		}
		return strings.ToUpper(st.kind), nil
	case "copy t from stdin", "copy n from stdin", "copy first":
		return s.copy(st.kind, out)
	}
	return "", fmt.Errorf("fake session cannot run %q", st.sql)
}

func (s *fakeSession) copy(kind string, out ResultWriter) (string, error) {
	r, err := out.CopyIn(0, []int16{0})
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(r)
	var lines []string
	for sc.Scan() {
		line := sc.Text()
		if kind == "copy n from stdin" {
			if _, err := strconv.Atoi(line); err != nil {
				return "", pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type integer: \"%s\"", line)
			}
		}
		lines = append(lines, line)
		if kind == "copy first" {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	s.b.copied <- strings.Join(lines, ",")
	return fmt.Sprintf("COPY %d", len(lines)), nil
}

func (s *fakeSession) TxStatus() byte { return s.tx }

func (s *fakeSession) IdleTimeouts() (inTransaction, idle time.Duration) { return 0, 0 }

func (s *fakeSession) ClientCheckInterval() time.Duration { return 0 }

func (s *fakeSession) KeepAlives() (net.KeepAliveConfig, bool) {
	return s.b.keepAlive, s.b.keepAlive.Enable
}

func (s *fakeSession) AbortTransaction() {
	if s.tx == 'T' {
		s.tx = 'E'
	}
}

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
