package storage

import (
	"fmt"
	"testing"
)

// A unique index over more keys than one map holds: the keys go to files
// and are checked a file at a time, split once or several times, both
// when the index is created and when it commits; a key duplicated beyond
// memory is named as one duplicated in memory is, NULLs never conflict,
// and many copies of one key end the check however often they split.
func TestUniqueIndexBeyondMemory(t *testing.T) {
	defer func(n int) { dupCheckKeys = n }(dupCheckKeys)
	const n = 1000
	distinct := func(i int) any { return (i * 7) % n } // each key once, out of order
	for _, c := range []struct {
		name   string
		limit  int
		a      func(i int) any
		detail string // "" when the index is created
		splits int64  // at least
	}{
		{"distinct keys, one split", 200, distinct, "", 1},
		{"distinct keys, two levels", 5, distinct, "", 2},
		{"NULLs", 40, func(i int) any {
			if i%3 == 0 {
				return nil
			}
			return i
		}, "", 1},
		{"a duplicate far apart", 40, func(i int) any {
			if i == 900 {
				return 3
			}
			return i
		}, "Key (a)=(3) is duplicated.", 1},
		{"one key many times", 40, func(i int) any {
			if i < 60 {
				return i
			}
			return 5000
		}, "Key (a)=(5000) is duplicated.", maxDupSplits},
		{"a duplicate in memory", 40, func(i int) any {
			if i == 20 {
				return 10
			}
			return i
		}, "Key (a)=(10) is duplicated.", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			dupCheckKeys = c.limit
			s := openTest(t, t.TempDir(), Options{TempDir: t.TempDir()})
			defer s.Close()
			tbl := uTable("u")
			mustCreate(t, s, tbl)
			rows := make([]uRow, n)
			for i := range rows {
				rows[i] = uRow{int64(i), c.a(i), fmt.Sprint(i)}
			}
			mustInsert(t, s, tbl, uRecord(rows...))
			before := dupSplits.Load()
			tx := s.Begin()
			err := tx.CreateIndex(uniqueIndex(tbl, "u_a_key", "a"))
			if err == nil {
				err = tx.Commit()
			} else {
				tx.Rollback()
			}
			if c.detail != "" {
				wantUnique(t, err, `could not create unique index "u_a_key"`, c.detail)
			} else if err != nil {
				t.Fatal(err)
			}
			if got := dupSplits.Load() - before; got < c.splits || c.splits == 0 && got != 0 {
				t.Fatalf("%d splits of the keys into files, want at least %d", got, c.splits)
			}
			if c.detail != "" {
				return
			}
			g := s.Begin()
			defer g.Rollback()
			wantUnique(t, g.Insert(tbl, uRecord(uRow{n, 7, "again"})), `duplicate key value violates unique constraint "u_a_key"`, "Key (a)=(7) already exists.")
		})
	}
}
