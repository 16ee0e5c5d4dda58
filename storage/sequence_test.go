package storage

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pqdb/pqdb/catalog"
	"github.com/pqdb/pqdb/pgerr"
)

// testSeq is an ascending int8 sequence starting at 1, as CREATE SEQUENCE
// name would make it.
func testSeq(schema, name string) *catalog.Sequence {
	return &catalog.Sequence{Schema: schema, Name: name, Type: catalog.TypeInt8,
		Start: 1, Increment: 1, Min: 1, Max: math.MaxInt64, Cache: 1}
}

func mustCreateSeq(t *testing.T, s *Store, seq *catalog.Sequence) {
	t.Helper()
	tx := s.Begin()
	must(t, tx.CreateSequence(seq))
	must(t, tx.Commit())
}

func wantMessage(t *testing.T, err error, code, msg string) {
	t.Helper()
	wantCode(t, err, code)
	if !strings.Contains(err.Error(), msg) {
		t.Fatalf("error %q, want message %q", err, msg)
	}
}

// nextVals calls NextVal n times and returns the values.
func nextVals(t *testing.T, s *Store, schema, name string, n int) []int64 {
	t.Helper()
	out := make([]int64, n)
	for i := range out {
		v, err := s.NextVal(schema, name)
		if err != nil {
			t.Fatalf("NextVal #%d: %v", i+1, err)
		}
		out[i] = v
	}
	return out
}

func wantVals(t *testing.T, got []int64, want ...int64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

// storedSeqPos reads the position stored in SQLite for sequence id.
func storedSeqPos(t *testing.T, s *Store, schema string, id int64) (seqPos, bool) {
	t.Helper()
	var p seqPos
	err := s.namespace(schema).db.QueryRow(`SELECT last, called FROM sequence_values WHERE id = ?`, id).Scan(&p.last, &p.called)
	if err != nil {
		return p, false
	}
	return p, true
}

func TestSequenceCreateDropTransactional(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})

	tx := s.Begin()
	seq := testSeq("public", "s")
	must(t, tx.CreateSequence(seq))
	if seq.ID < firstObjectID {
		t.Fatalf("id %d not allocated", seq.ID)
	}
	if got := tx.Snapshot().Sequence("public", "s"); got == nil || got.ID != seq.ID {
		t.Fatalf("transaction does not see its sequence: %+v", got)
	}
	if s.Snapshot().Sequence("public", "s") != nil {
		t.Fatal("uncommitted sequence visible outside")
	}
	seq.Increment = 99 // the transaction keeps its own copy
	tx.Rollback()
	if s.Snapshot().Sequence("public", "s") != nil {
		t.Fatal("rolled-back sequence visible")
	}

	mustCreateSeq(t, s, testSeq("public", "s"))
	mustCreateSeq(t, s, testSeq("public", "a"))
	if got := s.Snapshot().Sequences("public"); len(got) != 2 || got[0].Name != "a" || got[1].Name != "s" {
		t.Fatalf("Sequences = %+v", got)
	}
	def := s.Snapshot().Sequence("public", "s")
	if def.Increment != 1 || s.Snapshot().SequenceByID(def.ID) != def {
		t.Fatalf("definition %+v", def)
	}

	// Drop, rolled back, then committed.
	tx = s.Begin()
	must(t, tx.DropSequence("public", "s"))
	if tx.Snapshot().Sequence("public", "s") != nil {
		t.Fatal("dropped sequence still visible in its transaction")
	}
	wantMessage(t, tx.DropSequence("public", "s"), pgerr.UndefinedTable, `sequence "s" does not exist`)
	tx.Rollback()
	if s.Snapshot().Sequence("public", "s") == nil {
		t.Fatal("rolled-back drop dropped the sequence")
	}
	must(t, s.Close())

	s = openTest(t, dir, Options{})
	if got := s.Snapshot().Sequence("public", "s"); got == nil || *got != *def {
		t.Fatalf("after reopen: %+v, want %+v", got, def)
	}
	tx = s.Begin()
	must(t, tx.DropSequence("public", "s"))
	must(t, tx.Commit())
	if _, err := s.NextVal("public", "s"); err == nil {
		t.Fatal("NextVal of a dropped sequence")
	} else {
		wantMessage(t, err, pgerr.UndefinedTable, `relation "s" does not exist`)
	}
	if _, ok := storedSeqPos(t, s, "public", def.ID); ok {
		t.Fatal("value of dropped sequence still stored")
	}
	s.crash()

	s = openTest(t, dir, Options{})
	defer s.Close()
	if s.Snapshot().Sequence("public", "s") != nil || s.Snapshot().Sequence("public", "a") == nil {
		t.Fatalf("after reopen: %+v", s.Snapshot().Sequences("public"))
	}
	// New ids stay above the sequences' ids after a reopen.
	tbl := kvTable("t")
	mustCreate(t, s, tbl)
	if tbl.ID <= def.ID {
		t.Fatalf("table id %d reuses sequence ids (<= %d)", tbl.ID, def.ID)
	}
}

func TestSequenceNameConflicts(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	mustCreate(t, s, kvTable("t"))
	mustCreateSeq(t, s, testSeq("public", "s"))
	tx := s.Begin()
	defer tx.Rollback()
	must(t, tx.CreateView(&catalog.View{Schema: "public", Name: "v", SQL: "select 1", Columns: []string{"x"}}))
	must(t, tx.CreateIndex(&catalog.Index{Schema: "public", Name: "i", Table: "t", Columns: []string{"k"}}))
	for _, name := range []string{"t", "v", "i", "s"} {
		wantMessage(t, tx.CreateSequence(testSeq("public", name)), pgerr.DuplicateTable, `relation "`+name+`" already exists`)
	}
	tbl := kvTable("s")
	wantMessage(t, tx.CreateTable(tbl), pgerr.DuplicateTable, `relation "s" already exists`)
	wantMessage(t, tx.CreateView(&catalog.View{Schema: "public", Name: "s"}), pgerr.DuplicateTable, `relation "s" already exists`)
	wantMessage(t, tx.CreateIndex(&catalog.Index{Schema: "public", Name: "s", Table: "t", Columns: []string{"k"}}), pgerr.DuplicateTable, `relation "s" already exists`)
	// A sequence of the same name in another schema is fine.
	must(t, tx.CreateSchema("other"))
	must(t, tx.CreateSequence(testSeq("other", "s")))
	wantCode(t, tx.CreateSequence(testSeq("nope", "s")), pgerr.InvalidSchemaName)

	// Two transactions creating one name: the second commit fails.
	a, b := s.Begin(), s.Begin()
	must(t, a.CreateSequence(testSeq("public", "x")))
	must(t, b.CreateSequence(testSeq("public", "x")))
	must(t, a.Commit())
	wantCode(t, b.Commit(), pgerr.DuplicateTable)

	// Invalid definitions.
	bad := testSeq("public", "bad")
	bad.Increment = 0
	wantMessage(t, tx.CreateSequence(bad), pgerr.InvalidParameterValue, "INCREMENT must not be zero")
	bad = testSeq("public", "bad")
	bad.Start = 0
	wantMessage(t, tx.CreateSequence(bad), pgerr.InvalidParameterValue, "START value (0) cannot be less than MINVALUE (1)")
}

func TestSequenceAlter(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	mustCreate(t, s, kvTable("t"))
	mustCreateSeq(t, s, testSeq("public", "s"))
	wantVals(t, nextVals(t, s, "public", "s", 3), 1, 2, 3)

	tx := s.Begin()
	def := *s.Snapshot().Sequence("public", "s")
	def.Increment = 10
	must(t, tx.AlterSequence(&def))
	if got := tx.Snapshot().Sequence("public", "s"); got.Increment != 10 {
		t.Fatalf("alter not visible in its transaction: %+v", got)
	}
	// The transaction's nextval uses its definition; others the committed one.
	if v, err := tx.NextVal("public", "s"); err != nil || v != 13 {
		t.Fatalf("Txn.NextVal = %d, %v; want 13", v, err)
	}
	wantVals(t, nextVals(t, s, "public", "s", 1), 14)
	tx.Rollback()
	if got := s.Snapshot().Sequence("public", "s"); got.Increment != 1 {
		t.Fatalf("rolled-back alter visible: %+v", got)
	}

	tx = s.Begin()
	def.Name = "r"
	def.ID = 0 // found by name... which is "r": missing
	wantMessage(t, tx.AlterSequence(&def), pgerr.UndefinedTable, `relation "r" does not exist`)
	def.ID = s.Snapshot().Sequence("public", "s").ID
	def.Name = "t"
	wantMessage(t, tx.AlterSequence(&def), pgerr.DuplicateTable, `relation "t" already exists`)
	def.Name = "r" // rename and change the increment
	must(t, tx.AlterSequence(&def))
	must(t, tx.Commit())
	snap := s.Snapshot()
	if snap.Sequence("public", "s") != nil || snap.Sequence("public", "r") == nil {
		t.Fatalf("rename: %+v", snap.Sequences("public"))
	}
	// The value is kept: 14, then +10.
	wantVals(t, nextVals(t, s, "public", "r", 2), 24, 34)
	if err := s.RestartSequence("public", "r", 5); err != nil {
		t.Fatal(err)
	}
	wantVals(t, nextVals(t, s, "public", "r", 2), 5, 15)
	wantMessage(t, s.RestartSequence("public", "r", 0), pgerr.InvalidParameterValue, "RESTART value (0) cannot be less than MINVALUE (1)")
	must(t, s.Close())

	s = openTest(t, dir, Options{})
	defer s.Close()
	if got := s.Snapshot().Sequence("public", "r"); got == nil || got.Increment != 10 {
		t.Fatalf("after reopen: %+v", got)
	}
	wantVals(t, nextVals(t, s, "public", "r", 1), 25) // a clean close leaves no gap
}

func TestSequenceSavepoints(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	mustCreateSeq(t, s, testSeq("public", "old"))

	tx := s.Begin()
	must(t, tx.CreateSequence(testSeq("public", "a")))
	sp := tx.Savepoint()
	must(t, tx.CreateSequence(testSeq("public", "b")))
	def := *tx.Snapshot().Sequence("public", "a")
	def.Increment = 7
	must(t, tx.AlterSequence(&def))
	must(t, tx.DropSequence("public", "old"))
	must(t, tx.RollbackTo(sp))
	snap := tx.Snapshot()
	if snap.Sequence("public", "b") != nil || snap.Sequence("public", "a").Increment != 1 || snap.Sequence("public", "old") == nil {
		t.Fatalf("after RollbackTo: %+v", snap.Sequences("public"))
	}
	// The name is free again, as in PostgreSQL.
	must(t, tx.CreateSequence(testSeq("public", "b")))
	must(t, tx.Commit())
	s.crash()

	s = openTest(t, dir, Options{})
	defer s.Close()
	var names []string
	for _, seq := range s.Snapshot().Sequences("public") {
		names = append(names, seq.Name+":"+string(rune('0'+seq.Increment)))
	}
	if strings.Join(names, ",") != "a:1,b:1,old:1" {
		t.Fatalf("after reopen: %v", names)
	}
}

func TestSequenceValues(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	mk := func(name string, start, inc, minv, maxv int64, cycle bool) {
		t.Helper()
		mustCreateSeq(t, s, &catalog.Sequence{Schema: "public", Name: name, Type: catalog.TypeInt8,
			Start: start, Increment: inc, Min: minv, Max: maxv, Cache: 1, Cycle: cycle})
	}
	mk("up", 1, 1, 1, math.MaxInt64, false)
	wantVals(t, nextVals(t, s, "public", "up", 3), 1, 2, 3)

	mk("down", -1, -1, math.MinInt64, -1, false)
	wantVals(t, nextVals(t, s, "public", "down", 3), -1, -2, -3)

	mk("by2", 5, 2, 1, 10, false)
	wantVals(t, nextVals(t, s, "public", "by2", 3), 5, 7, 9)
	_, err := s.NextVal("public", "by2")
	wantMessage(t, err, pgerr.SequenceGeneratorLimitExceeded, `nextval: reached maximum value of sequence "by2" (10)`)
	_, err = s.NextVal("public", "by2")
	wantCode(t, err, pgerr.SequenceGeneratorLimitExceeded)
	if v, called, err := s.LastValue("public", "by2"); err != nil || v != 9 || !called {
		t.Fatalf("LastValue = %d, %v, %v; want 9, true", v, called, err)
	}

	mk("low", 3, -1, 1, 3, false)
	wantVals(t, nextVals(t, s, "public", "low", 3), 3, 2, 1)
	_, err = s.NextVal("public", "low")
	wantMessage(t, err, pgerr.SequenceGeneratorLimitExceeded, `nextval: reached minimum value of sequence "low" (1)`)

	mk("cyc", 2, 1, 1, 3, true)
	wantVals(t, nextVals(t, s, "public", "cyc", 6), 2, 3, 1, 2, 3, 1)
	mk("cycdown", 2, -1, 1, 3, true)
	wantVals(t, nextVals(t, s, "public", "cycdown", 5), 2, 1, 3, 2, 1)
	mk("cycstep", 1, 4, 1, 10, true)
	wantVals(t, nextVals(t, s, "public", "cycstep", 5), 1, 5, 9, 1, 5)

	// No overflow at the ends of int64.
	mk("top", math.MaxInt64-1, 1, 1, math.MaxInt64, false)
	wantVals(t, nextVals(t, s, "public", "top", 2), math.MaxInt64-1, math.MaxInt64)
	_, err = s.NextVal("public", "top")
	wantCode(t, err, pgerr.SequenceGeneratorLimitExceeded)
	mk("bottom", math.MinInt64+1, -1, math.MinInt64, -1, false)
	wantVals(t, nextVals(t, s, "public", "bottom", 2), math.MinInt64+1, math.MinInt64)
	_, err = s.NextVal("public", "bottom")
	wantCode(t, err, pgerr.SequenceGeneratorLimitExceeded)
	mk("bigstep", 0, math.MaxInt64, math.MinInt64, math.MaxInt64, false)
	wantVals(t, nextVals(t, s, "public", "bigstep", 2), 0, math.MaxInt64)
	_, err = s.NextVal("public", "bigstep")
	wantCode(t, err, pgerr.SequenceGeneratorLimitExceeded)

	// setval.
	if v, called, _ := s.LastValue("public", "up"); v != 3 || !called {
		t.Fatalf("LastValue = %d, %v", v, called)
	}
	must(t, s.SetVal("public", "up", 10, true))
	if v, called, _ := s.LastValue("public", "up"); v != 10 || !called {
		t.Fatalf("LastValue after setval = %d, %v", v, called)
	}
	wantVals(t, nextVals(t, s, "public", "up", 2), 11, 12)
	must(t, s.SetVal("public", "up", 10, false))
	if v, called, _ := s.LastValue("public", "up"); v != 10 || called {
		t.Fatalf("LastValue after setval false = %d, %v", v, called)
	}
	wantVals(t, nextVals(t, s, "public", "up", 2), 10, 11)
	wantMessage(t, s.SetVal("public", "up", 0, true), pgerr.NumericValueOutOfRange,
		`setval: value 0 is out of bounds for sequence "up" (1..9223372036854775807)`)
	wantMessage(t, s.SetVal("public", "by2", 11, true), pgerr.NumericValueOutOfRange,
		`setval: value 11 is out of bounds for sequence "by2" (1..10)`)
	must(t, s.SetVal("public", "by2", 10, true))
	_, err = s.NextVal("public", "by2")
	wantCode(t, err, pgerr.SequenceGeneratorLimitExceeded)
	must(t, s.SetVal("public", "by2", 10, false))
	wantVals(t, nextVals(t, s, "public", "by2", 1), 10)
	must(t, s.SetVal("public", "cyc", 3, true))
	wantVals(t, nextVals(t, s, "public", "cyc", 1), 1)

	// Missing sequences and schemas.
	_, err = s.NextVal("public", "nope")
	wantMessage(t, err, pgerr.UndefinedTable, `relation "nope" does not exist`)
	wantCode(t, s.SetVal("public", "nope", 1, true), pgerr.UndefinedTable)
	_, _, err = s.LastValue("public", "nope")
	wantCode(t, err, pgerr.UndefinedTable)
	_, err = s.NextVal("nope", "s")
	wantCode(t, err, pgerr.InvalidSchemaName)
	mustCreate(t, s, kvTable("t"))
	_, err = s.NextVal("public", "t") // a table is not a sequence
	wantCode(t, err, pgerr.UndefinedTable)
}

// slowDown makes sequence id look as if its last mark were old, so its
// next mark reserves the base count.
func slowDown(s *Store, schema string, id int64) {
	sv := s.namespace(schema).seqValue(id)
	sv.mu.Lock()
	sv.marked = sv.marked.Add(-time.Second)
	sv.mu.Unlock()
}

// TestSequenceReservation checks the high-water mark: one SQLite write
// per reserveCount values, the mark ahead of every value handed out.
func TestSequenceReservation(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	mustCreateSeq(t, s, testSeq("public", "s"))
	id := s.Snapshot().Sequence("public", "s").ID
	if p, ok := storedSeqPos(t, s, "public", id); !ok || p != (seqPos{last: 1}) {
		t.Fatalf("stored at create: %+v, %v", p, ok)
	}
	for i := int64(1); i <= 2*seqLogVals+1; i++ {
		v := nextVals(t, s, "public", "s", 1)[0]
		if v != i {
			t.Fatalf("value %d, want %d", v, i)
		}
		want := ((i-1)/seqLogVals + 1) * seqLogVals
		if p, _ := storedSeqPos(t, s, "public", id); p != (seqPos{last: want, called: true}) {
			t.Fatalf("after nextval %d: stored %+v, want %d", i, p, want)
		}
		slowDown(s, "public", id)
	}

	// Drawn fast, the reservations grow; the mark stays ahead.
	for round := 0; round < 5; round++ {
		vs := nextVals(t, s, "public", "s", 10000)
		p, _ := storedSeqPos(t, s, "public", id)
		if p.last < vs[len(vs)-1] || p.last-vs[len(vs)-1] > maxSeqBurst*seqLogVals {
			t.Fatalf("stored mark %d, last value %d", p.last, vs[len(vs)-1])
		}
	}
	sv := s.namespace("public").seqValue(id)
	sv.mu.Lock()
	burst := sv.burst
	sv.mu.Unlock()
	if burst < 2 {
		t.Fatalf("reservation did not grow (burst %d)", burst)
	}

	// A large Cache reserves more per write.
	big := testSeq("public", "big")
	big.Cache = 100
	mustCreateSeq(t, s, big)
	nextVals(t, s, "public", "big", 1)
	if p, _ := storedSeqPos(t, s, "public", big.ID); p.last != 100 {
		t.Fatalf("stored %+v, want 100", p)
	}
	// A sequence near its end stores the last value it can reach.
	short := testSeq("public", "short")
	short.Max = 5
	mustCreateSeq(t, s, short)
	nextVals(t, s, "public", "short", 1)
	if p, _ := storedSeqPos(t, s, "public", short.ID); p.last != 5 {
		t.Fatalf("stored %+v, want 5", p)
	}
	// setval stores at once.
	must(t, s.SetVal("public", "s", 1000, false))
	if p, _ := storedSeqPos(t, s, "public", id); p != (seqPos{last: 1000}) {
		t.Fatalf("stored after setval %+v", p)
	}
}

func TestSequenceConcurrentNextVal(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	mustCreateSeq(t, s, testSeq("public", "s"))
	const workers, per = 8, 1000
	vals := make([][]int64, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			tx := s.Begin() // some through a transaction, some through the store
			defer tx.Rollback()
			for i := 0; i < per; i++ {
				var v int64
				var err error
				if w%2 == 0 {
					v, err = s.NextVal("public", "s")
				} else {
					v, err = tx.NextVal("public", "s")
				}
				if err != nil {
					t.Error(err)
					return
				}
				vals[w] = append(vals[w], v)
			}
		}(w)
	}
	wg.Wait()
	seen := map[int64]bool{}
	for _, vs := range vals {
		for i, v := range vs {
			if seen[v] {
				t.Fatalf("value %d handed out twice", v)
			}
			seen[v] = true
			if i > 0 && v <= vs[i-1] {
				t.Fatalf("values of one session not increasing: %d after %d", v, vs[i-1])
			}
		}
	}
	if len(seen) != workers*per {
		t.Fatalf("%d distinct values, want %d", len(seen), workers*per)
	}
	for v := int64(1); v <= workers*per; v++ {
		if !seen[v] {
			t.Fatalf("value %d skipped", v)
		}
	}
}

// TestSequenceCrash checks that no value handed out before a crash is
// handed out again after reopen.
func TestSequenceCrash(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	mustCreateSeq(t, s, testSeq("public", "s"))
	down := testSeq("public", "down")
	down.Start, down.Increment, down.Min, down.Max = -1, -3, math.MinInt64, -1
	mustCreateSeq(t, s, down)

	var high int64
	var low int64 = 0
	crashAndCheck := func() {
		t.Helper()
		s.crash()
		s = openTest(t, dir, Options{})
		if v := nextVals(t, s, "public", "s", 1)[0]; v <= high {
			t.Fatalf("after crash: nextval %d, already handed out up to %d", v, high)
		} else {
			high = v
		}
		if v := nextVals(t, s, "public", "down", 1)[0]; v >= low {
			t.Fatalf("after crash: nextval %d, already handed out down to %d", v, low)
		} else {
			low = v
		}
	}
	take := func(n int) {
		t.Helper()
		vs := nextVals(t, s, "public", "s", n)
		high = vs[n-1]
		ds := nextVals(t, s, "public", "down", n)
		low = ds[n-1]
	}

	take(5) // inside the first block
	crashAndCheck()
	take(40) // across a block boundary
	crashAndCheck()
	take(seqLogVals - 1) // up to a block's end
	crashAndCheck()

	// Right after setval, and right after the first nextval following it.
	must(t, s.SetVal("public", "s", 5000, true))
	high = 5000
	must(t, s.SetVal("public", "down", -5000, true))
	low = -5000
	crashAndCheck()
	must(t, s.SetVal("public", "s", 9000, false))
	must(t, s.SetVal("public", "down", -9000, false))
	s.crash()
	s = openTest(t, dir, Options{})
	wantVals(t, nextVals(t, s, "public", "s", 1), 9000)
	wantVals(t, nextVals(t, s, "public", "down", 1), -9000)
	high, low = 9000, -9000
	crashAndCheck()

	// Values a transaction drew from the sequence it created.
	tx := s.Begin()
	must(t, tx.CreateSequence(testSeq("public", "fresh")))
	for want := int64(1); want <= 3; want++ {
		if v, err := tx.NextVal("public", "fresh"); err != nil || v != want {
			t.Fatalf("Txn.NextVal = %d, %v; want %d", v, err, want)
		}
	}
	must(t, tx.Commit())
	wantVals(t, nextVals(t, s, "public", "fresh", 1), 4)
	s.crash()
	s = openTest(t, dir, Options{})
	if v := nextVals(t, s, "public", "fresh", 1)[0]; v <= 4 {
		t.Fatalf("after crash: nextval %d, already handed out up to 4", v)
	}
	must(t, s.Close())
}

func TestSequenceInTransaction(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	tx := s.Begin()
	defer tx.Rollback()
	must(t, tx.CreateSchema("x"))
	seq := testSeq("x", "s")
	seq.Increment = 5
	must(t, tx.CreateSequence(seq))
	if v, err := tx.NextVal("x", "s"); err != nil || v != 1 {
		t.Fatalf("Txn.NextVal = %d, %v", v, err)
	}
	if v, err := tx.NextVal("x", "s"); err != nil || v != 6 {
		t.Fatalf("Txn.NextVal = %d, %v", v, err)
	}
	must(t, tx.SetVal("x", "s", 100, true))
	if v, called, err := tx.LastValue("x", "s"); err != nil || v != 100 || !called {
		t.Fatalf("Txn.LastValue = %d, %v, %v", v, called, err)
	}
	_, err := s.NextVal("x", "s")
	wantCode(t, err, pgerr.InvalidSchemaName)
	_, err = tx.NextVal("x", "nope")
	wantCode(t, err, pgerr.UndefinedTable)
	_, err = tx.NextVal("nope", "s")
	wantCode(t, err, pgerr.InvalidSchemaName)

	// A savepoint rollback takes the sequence away; values are not rolled back.
	sp := tx.Savepoint()
	must(t, tx.CreateSequence(testSeq("public", "p")))
	if v, err := tx.NextVal("public", "p"); err != nil || v != 1 {
		t.Fatalf("Txn.NextVal = %d, %v", v, err)
	}
	_, err = s.NextVal("public", "p")
	wantCode(t, err, pgerr.UndefinedTable)
	must(t, tx.RollbackTo(sp))
	_, err = tx.NextVal("public", "p")
	wantCode(t, err, pgerr.UndefinedTable)
	if v, err := tx.NextVal("x", "s"); err != nil || v != 105 {
		t.Fatalf("Txn.NextVal after RollbackTo = %d, %v", v, err)
	}
	must(t, tx.Commit())
	wantVals(t, nextVals(t, s, "x", "s", 1), 110)

	// Store.NextVal works in a transaction's schema only once committed.
	tx = s.Begin()
	must(t, tx.CreateSequence(testSeq("x", "later")))
	_, err = s.NextVal("x", "later")
	wantCode(t, err, pgerr.UndefinedTable)
	tx.Rollback()
	_, err = tx.NextVal("x", "s")
	if err == nil {
		t.Fatal("NextVal on a finished transaction")
	}
}

func TestSequenceDroppedWithOwner(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	tbl := kvTable("t")
	mustCreate(t, s, tbl)
	owned := testSeq("public", "t_k_seq")
	owned.OwnedTable, owned.OwnedColumn = "t", "k"
	mustCreateSeq(t, s, owned)
	mustCreateSeq(t, s, testSeq("public", "free"))
	nextVals(t, s, "public", "t_k_seq", 1)

	tx := s.Begin()
	must(t, tx.DropTable("public", "t"))
	if tx.Snapshot().Sequence("public", "t_k_seq") != nil {
		t.Fatal("owned sequence survives its table in the transaction")
	}
	tx.Rollback()
	if s.Snapshot().Sequence("public", "t_k_seq") == nil {
		t.Fatal("rolled-back table drop dropped the sequence")
	}

	// Created together with the table in one transaction (serial), dropped
	// together in another.
	tx = s.Begin()
	t2 := kvTable("t2")
	s2 := testSeq("public", "t2_k_seq")
	s2.OwnedTable, s2.OwnedColumn = "t2", "k"
	must(t, tx.CreateSequence(s2))
	must(t, tx.CreateTable(t2))
	must(t, tx.Commit())

	tx = s.Begin()
	must(t, tx.DropTable("public", "t"))
	must(t, tx.DropTable("public", "t2"))
	must(t, tx.Commit())
	if got := s.Snapshot().Sequences("public"); len(got) != 1 || got[0].Name != "free" {
		t.Fatalf("sequences after drop: %+v", got)
	}
	_, err := s.NextVal("public", "t_k_seq")
	wantCode(t, err, pgerr.UndefinedTable)
	if _, ok := storedSeqPos(t, s, "public", owned.ID); ok {
		t.Fatal("value of dropped owned sequence still stored")
	}
	s.crash()
	s = openTest(t, dir, Options{})
	defer s.Close()
	if got := s.Snapshot().Sequences("public"); len(got) != 1 || got[0].Name != "free" {
		t.Fatalf("sequences after reopen: %+v", got)
	}
	// A table of the same name later does not own anything by accident.
	mustCreate(t, s, kvTable("t"))
	mustCreateSeq(t, s, testSeq("public", "t_k_seq"))
	wantVals(t, nextVals(t, s, "public", "t_k_seq", 1), 1)
}

func TestSequenceDropSchema(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, Options{})
	defer func() { s.Close() }()
	tx := s.Begin()
	must(t, tx.CreateSchema("x"))
	must(t, tx.CreateSequence(testSeq("x", "s")))
	must(t, tx.Commit())
	wantVals(t, nextVals(t, s, "x", "s", 2), 1, 2)

	tx = s.Begin()
	wantCode(t, tx.DropSchema("x"), pgerr.DependentObjectsStillExist)
	tx.Rollback()

	// DROP SCHEMA x CASCADE: the caller drops the sequence, then the schema.
	tx = s.Begin()
	must(t, tx.DropSequence("x", "s"))
	must(t, tx.DropSchema("x"))
	must(t, tx.Commit())
	_, err := s.NextVal("x", "s")
	wantCode(t, err, pgerr.InvalidSchemaName)

	// A sequence committed concurrently keeps the schema from being dropped.
	tx = s.Begin()
	must(t, tx.CreateSchema("y"))
	must(t, tx.Commit())
	a := s.Begin()
	must(t, a.DropSchema("y"))
	mustCreateSeq(t, s, testSeq("y", "s"))
	wantCode(t, a.Commit(), pgerr.DependentObjectsStillExist)

	// Dropped and created anew in one transaction: a new sequence of the
	// same name starts from its start.
	tx = s.Begin()
	must(t, tx.DropSequence("y", "s"))
	must(t, tx.DropSchema("y"))
	must(t, tx.CreateSchema("y"))
	must(t, tx.CreateSequence(testSeq("y", "s")))
	if v, err := tx.NextVal("y", "s"); err != nil || v != 1 {
		t.Fatalf("Txn.NextVal = %d, %v", v, err)
	}
	must(t, tx.Commit())
	wantVals(t, nextVals(t, s, "y", "s", 1), 2)
	must(t, s.Close())
	s = openTest(t, dir, Options{})
	wantVals(t, nextVals(t, s, "y", "s", 1), 3)
	if s.Snapshot().HasSchema("x") {
		t.Fatal("dropped schema back after reopen")
	}
}

func TestSequenceDDLEvents(t *testing.T) {
	s := openTest(t, t.TempDir(), Options{})
	defer s.Close()
	mustCreateSeq(t, s, testSeq("public", "s"))
	tx := s.Begin()
	def := *s.Snapshot().Sequence("public", "s")
	def.Increment = 3
	must(t, tx.AlterSequence(&def))
	must(t, tx.Commit())
	tx = s.Begin()
	must(t, tx.DropSequence("public", "s"))
	must(t, tx.Commit())
	rows, err := s.namespace("public").db.Query(`SELECT table_id, payload FROM events WHERE op = ? ORDER BY seq, ord`, opDDL)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ops []string
	for rows.Next() {
		var id int64
		var payload string
		if err := rows.Scan(&id, &payload); err != nil {
			t.Fatal(err)
		}
		if id != def.ID {
			t.Fatalf("event for object %d, want %d", id, def.ID)
		}
		var h map[string]any
		if err := json.Unmarshal([]byte(payload), &h); err != nil {
			t.Fatal(err)
		}
		ops = append(ops, h["op"].(string))
	}
	want := "create_sequence alter_sequence drop_sequence"
	if got := strings.Join(ops, " "); got != want {
		t.Fatalf("DDL events %s, want %s", got, want)
	}
}

const seqCrashChildEnv = "PQDB_STORAGE_SEQ_CRASH_CHILD"

// seqCrashChild draws values from public.s in dir, printing "val v" for
// each, with a setval now and then, until it is killed.
func seqCrashChild(dir string) {
	s, err := openChild(dir, Options{})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	if s.Snapshot().Sequence("public", "s") == nil {
		tx := s.Begin()
		if err := tx.CreateSequence(testSeq("public", "s")); err == nil {
			err = tx.Commit()
		}
		if err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		if i%500 == 499 {
			v, _, _ := s.LastValue("public", "s")
			if err := s.SetVal("public", "s", v+7, true); err != nil {
				fmt.Fprintln(out, "error", err)
				out.Flush()
				os.Exit(2)
			}
		}
		v, err := s.NextVal("public", "s")
		if err != nil {
			fmt.Fprintln(out, "error", err)
			out.Flush()
			os.Exit(2)
		}
		fmt.Fprintln(out, "val", v)
		out.Flush()
	}
}

// TestSequenceKill9 kills a process drawing values and checks that the
// sequence continues above every value it printed.
func TestSequenceKill9(t *testing.T) {
	if dir := os.Getenv(seqCrashChildEnv); dir != "" {
		seqCrashChild(dir)
		return
	}
	dir := t.TempDir()
	var high int64
	for round := 0; round < 3; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSequenceKill9$")
		cmd.Env = append(childEnv(t, dir), seqCrashChildEnv+"="+dir)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killAt := 700 + round*111
		deadline := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
		sc := bufio.NewScanner(stdout)
		n := 0
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "error") {
				t.Fatalf("child: %s", line)
			}
			v, err := strconv.ParseInt(strings.TrimPrefix(line, "val "), 10, 64)
			if err != nil {
				continue
			}
			if v <= high {
				t.Fatalf("round %d: value %d handed out again (had up to %d)", round, v, high)
			}
			high = v
			if n++; n == killAt {
				cmd.Process.Signal(syscall.SIGKILL)
			}
		}
		deadline.Stop()
		cmd.Wait()
		if n < killAt {
			t.Fatalf("round %d: child stopped after %d values", round, n)
		}
	}
	s := openTest(t, dir, Options{})
	defer s.Close()
	if v := nextVals(t, s, "public", "s", 1)[0]; v <= high {
		t.Fatalf("after kill: nextval %d, had up to %d", v, high)
	}
}

func BenchmarkNextVal(b *testing.B) {
	s, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	tx := s.Begin()
	seq := testSeq("public", "s")
	if err := tx.CreateSequence(seq); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.NextVal("public", "s"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
