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
}

// NewModel returns the model of an empty range.
func NewModel() *Model {
	return &Model{committed: map[int64]Row{}, slot: map[int64]int{}, pending: map[int64]*Row{}}
}

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
	m.pending = map[int64]*Row{}
}

// Abort forgets the open transaction.
func (m *Model) Abort() { m.pending = map[int64]*Row{} }

// InDoubt moves the open transaction aside: its COMMIT was sent but never
// answered.
func (m *Model) InDoubt() {
	if len(m.pending) > 0 {
		m.doubt = m.pending
	}
	m.pending = map[int64]*Row{}
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

// Reconcile compares the rows found in the range after a restart with the
// model. They must equal the committed rows, or the committed rows with
// the whole in-doubt transaction applied; in the latter case that
// transaction becomes committed. It returns a description of the first
// differences otherwise.
func (m *Model) Reconcile(found map[int64]Row) error {
	d := m.doubt
	m.doubt = nil
	diff := differences(m.committed, found)
	if diff == "" {
		return nil
	}
	if len(d) > 0 {
		with := maps.Clone(m.committed)
		for k, p := range d {
			if p == nil {
				delete(with, k)
			} else {
				with[k] = *p
			}
		}
		if differences(with, found) == "" {
			apply(m, d)
			return nil
		}
		return fmt.Errorf("rows differ from the acknowledged commits (an in-doubt transaction of %d changes fits neither way):\n%s", len(d), diff)
	}
	return fmt.Errorf("rows differ from the acknowledged commits:\n%s", diff)
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
