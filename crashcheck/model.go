package crashcheck

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// Row is the value part of one cc row.
type Row struct {
	V    int64
	S    string
	Null bool // s IS NULL
}

func (r Row) String() string {
	if r.Null {
		return fmt.Sprintf("v=%d s=NULL", r.V)
	}
	return fmt.Sprintf("v=%d s=%s", r.V, abbreviate(r.S))
}

// abbreviate quotes s, cutting long strings in the middle so a mismatch
// report stays readable while still showing NUL bytes.
func abbreviate(s string) string {
	if len(s) > 80 {
		return strconv.Quote(s[:40]) + "…(" + strconv.Itoa(len(s)) + " bytes)…" + strconv.Quote(s[len(s)-20:])
	}
	return strconv.Quote(s)
}

// Model is one client's knowledge of its key range: the rows of every
// acknowledged commit, plus the changes of the transaction in progress
// (or in doubt, once its COMMIT was cut off).
type Model struct {
	committed map[int64]Row
	keys      []int64       // the keys of committed, for random picks
	slot      map[int64]int // key → index in keys
	// pending holds the open transaction's changes; a nil value is a
	// deletion.
	pending map[int64]*Row
	// doubt holds the changes of a transaction whose COMMIT got no answer.
	doubt map[int64]*Row

	// Counters: the sums of the deltas this client added to each shared
	// counter row, committed, in the open transaction and in doubt.
	counted, counting, countDoubt map[int32]int64
}

// NewModel returns the model of an empty range.
func NewModel() *Model {
	return &Model{committed: map[int64]Row{}, slot: map[int64]int{}, pending: map[int64]*Row{},
		counted: map[int32]int64{}, counting: map[int32]int64{}}
}

// Add records an increment of shared counter id in the open transaction.
func (m *Model) Add(id int32, delta int64) { m.counting[id] += delta }

// Get returns the row k as the open transaction sees it.
func (m *Model) Get(k int64) (Row, bool) {
	if p, ok := m.pending[k]; ok {
		if p == nil {
			return Row{}, false
		}
		return *p, true
	}
	r, ok := m.committed[k]
	return r, ok
}

// Put records an insert or update of k in the open transaction.
func (m *Model) Put(k int64, r Row) { m.pending[k] = &r }

// Delete records a deletion of k in the open transaction.
func (m *Model) Delete(k int64) { m.pending[k] = nil }

// Visible returns the rows the open transaction sees with keys in [lo, hi),
// in key order.
func (m *Model) Visible(lo, hi int64) ([]int64, []Row) {
	var keys []int64
	for k := range m.committed {
		if k >= lo && k < hi {
			if _, ok := m.pending[k]; !ok {
				keys = append(keys, k)
			}
		}
	}
	for k, p := range m.pending {
		if k >= lo && k < hi && p != nil {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	rows := make([]Row, len(keys))
	for i, k := range keys {
		rows[i], _ = m.Get(k)
	}
	return keys, rows
}

// RandomKey returns a key that probably exists (committed, or written by
// the open transaction); ok is false when the range is empty.
func (m *Model) RandomKey(pick func(n int) int) (int64, bool) {
	if len(m.keys) > 0 && (len(m.pending) == 0 || pick(4) > 0) {
		return m.keys[pick(len(m.keys))], true
	}
	for k, p := range m.pending {
		if p != nil {
			return k, true
		}
	}
	return 0, false
}

// Commit folds the open transaction into the committed rows.
func (m *Model) Commit() {
	apply(m, m.pending)
	addCounts(m.counted, m.counting)
	m.Abort()
}

// Abort forgets the open transaction.
func (m *Model) Abort() {
	m.pending = map[int64]*Row{}
	m.counting = map[int32]int64{}
}

// InDoubt moves the open transaction aside: its COMMIT was sent but never
// answered.
func (m *Model) InDoubt() {
	m.doubt, m.countDoubt = m.pending, m.counting
	m.Abort()
}

func addCounts(to, from map[int32]int64) {
	for id, d := range from {
		to[id] += d
	}
}

func apply(m *Model, changes map[int64]*Row) {
	for k, p := range changes {
		if p == nil {
			if i, ok := m.slot[k]; ok {
				last := m.keys[len(m.keys)-1]
				m.keys[i] = last
				m.slot[last] = i
				m.keys = m.keys[:len(m.keys)-1]
				delete(m.slot, k)
			}
			delete(m.committed, k)
			continue
		}
		if _, ok := m.committed[k]; !ok {
			m.slot[k] = len(m.keys)
			m.keys = append(m.keys, k)
		}
		m.committed[k] = *p
	}
}

// Fit compares the rows found in the range after a restart with the
// model: they must equal the committed rows (without), or the committed
// rows with the whole in-doubt transaction applied (with). diff describes
// the differences from the committed rows when neither fits.
func (m *Model) Fit(found map[int64]Row) (without, with bool, diff string) {
	diff = differences(m.committed, found)
	if diff == "" {
		without = true
	}
	if len(m.doubt) == 0 {
		with = without
	} else {
		applied := maps.Clone(m.committed)
		for k, p := range m.doubt {
			if p == nil {
				delete(applied, k)
			} else {
				applied[k] = *p
			}
		}
		with = differences(applied, found) == ""
	}
	if without || with {
		diff = ""
	}
	return without, with, diff
}

// Resolve settles the in-doubt transaction: it committed, or it did not.
func (m *Model) Resolve(committed bool) {
	if committed {
		apply(m, m.doubt)
		addCounts(m.counted, m.countDoubt)
	}
	m.doubt, m.countDoubt = nil, nil
}

// Reconcile checks the rows found in the range after a restart, and the
// shared counters, against the models of all clients, and settles every
// in-doubt transaction: each must be present or absent as a whole, in
// the client's range and in the counters alike.
func Reconcile(models []*Model, ranges []map[int64]Row, counters map[int32]int64) error {
	type choice struct{ without, with bool }
	choices := make([]choice, len(models))
	var doubtful []int // clients whose in-doubt transaction can go either way
	for i, m := range models {
		without, with, diff := m.Fit(ranges[i])
		if diff != "" {
			return fmt.Errorf("client %d: rows differ from the acknowledged commits:\n%s", i, diff)
		}
		choices[i] = choice{without, with}
		if without && with && len(m.countDoubt) > 0 {
			doubtful = append(doubtful, i)
		}
	}
	// Try every way of settling the doubtful transactions; the others
	// are settled by their rows.
	for mask := 0; mask < 1<<len(doubtful); mask++ {
		include := make([]bool, len(models))
		for i, c := range choices {
			include[i] = c.with && !c.without
		}
		for j, i := range doubtful {
			include[i] = mask&(1<<j) != 0
		}
		if sumsMatch(models, include, counters) {
			for i, m := range models {
				m.Resolve(include[i])
			}
			return nil
		}
	}
	want := map[int32]int64{}
	for _, m := range models {
		addCounts(want, m.counted)
	}
	return fmt.Errorf("shared counters differ from the acknowledged increments (settling the in-doubt transactions either way): got %v, acknowledged %v", counters, want)
}

// sumsMatch reports whether the counters equal the committed increments
// plus those of the included in-doubt transactions.
func sumsMatch(models []*Model, include []bool, counters map[int32]int64) bool {
	want := map[int32]int64{}
	for i, m := range models {
		addCounts(want, m.counted)
		if include[i] {
			addCounts(want, m.countDoubt)
		}
	}
	for id, n := range counters {
		if want[id] != n {
			return false
		}
	}
	for id, n := range want {
		if counters[id] != n {
			return false
		}
	}
	return true
}

// differences lists up to ten keys whose rows differ between want and got.
func differences(want, got map[int64]Row) string {
	var keys []int64
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			keys = append(keys, k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := ""
	for i, k := range keys {
		if i == 10 {
			out += fmt.Sprintf("… and %d more\n", len(keys)-10)
			break
		}
		w, wok := want[k]
		g, gok := got[k]
		switch {
		case !gok:
			out += fmt.Sprintf("k=%d: missing, expected %v\n", k, w)
		case !wok:
			out += fmt.Sprintf("k=%d: present (%v), expected absent\n", k, g)
		default:
			out += fmt.Sprintf("k=%d: expected %v, got %v\n", k, w, g)
		}
	}
	return out
}
