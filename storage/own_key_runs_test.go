package storage

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pqdb/pqdb/pgerr"
)

// TestOwnKeysBeyondMemory inserts, updates and deletes rows of a table
// with a primary key and a unique index in one transaction whose own key
// indexes freeze into runs every few keys, and checks every statement's
// unique violations against a model, through savepoint rollbacks and the
// commit.
func TestOwnKeysBeyondMemory(t *testing.T) {
	defer func(n int) { ownKeyRunKeys = n }(ownKeyRunKeys)
	for _, limit := range []int{1, 3, 64} {
		ownKeyRunKeys = limit
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			s := openTest(t, t.TempDir(), Options{})
			tbl := createU(t, s, "u")
			tx := s.Begin()
			rng := rand.New(rand.NewPCG(uint64(limit), 1))
			ids := map[int64]int64{} // live row id → id column
			byID := map[int64]int64{}
			ab := map[int]int64{} // a → row id holding (a, 'x')
			for step := range 600 {
				id := int64(rng.IntN(300))
				a := rng.IntN(300)
				_, idTaken := byID[id]
				_, abTaken := ab[a]
				if step == 300 {
					// Roll a stretch of changes back, keys frozen
					// meanwhile included.
					sp := tx.Savepoint()
					for i := range 40 {
						if _, err := tx.InsertIDs(tbl, uRecord(uRow{int64(1000 + i), 1000 + i, "x"})); err != nil {
							t.Fatal(err)
						}
					}
					if err := tx.RollbackTo(sp); err != nil {
						t.Fatal(err)
					}
				}
				switch rng.IntN(4) {
				case 0, 1:
					rowIDs, err := tx.InsertIDs(tbl, uRecord(uRow{id, a, "x"}))
					if idTaken || abTaken {
						wantCode(t, err, pgerr.UniqueViolation)
						continue
					}
					if err != nil {
						t.Fatalf("step %d: insert (%d, %d): %v", step, id, a, err)
					}
					ids[rowIDs[0]], byID[id], ab[a] = id, rowIDs[0], rowIDs[0]
				case 3: // give a live row a new id and a
					if len(ids) == 0 {
						continue
					}
					var r int64
					for r = range ids {
						break
					}
					oldID := ids[r]
					holderID, idHeld := byID[id]
					holderAB, abHeld := ab[a]
					err := tx.Update(tbl, []int64{r}, uRecord(uRow{id, a, "x"}))
					if idHeld && holderID != r || abHeld && holderAB != r {
						wantCode(t, err, pgerr.UniqueViolation)
						continue
					}
					if err != nil {
						t.Fatalf("step %d: update row %d to (%d, %d): %v", step, r, id, a, err)
					}
					delete(byID, oldID)
					for k, v := range ab {
						if v == r {
							delete(ab, k)
						}
					}
					ids[r], byID[id], ab[a] = id, r, r
				case 2:
					if !idTaken {
						continue
					}
					r := byID[id]
					if err := tx.Delete(tbl, []int64{r}); err != nil {
						t.Fatal(err)
					}
					delete(ids, r)
					delete(byID, id)
					for k, v := range ab {
						if v == r {
							delete(ab, k)
						}
					}
				}
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			rows, _ := scanAll(t, s.Snapshot(), tbl)
			if len(rows) != len(ids) {
				t.Fatalf("%d rows committed, want %d", len(rows), len(ids))
			}
		})
	}
}
