package storage

import "slices"

// Updates that keep keys.
//
// An UPDATE that assigns only columns outside a key constraint writes new
// row versions holding the very keys of the rows they replace, which
// held them alone: nothing can conflict, at the statement or at commit,
// so neither looks the keys up. (A concurrent transaction that freed and
// took such a key again must have deleted the replaced row, a write
// conflict caught without the key.) This keeps an update by primary key,
// the commonest OLTP write, from probing the segments for its own key.

// keyChanges accumulates which columns a transaction's new row versions
// of a table may hold new values in. Its zero value knows nothing, and
// so lets every key be checked.
type keyChanges struct {
	noted bool  // new row versions were noted
	any   bool  // some were inserted, or updated in unknown columns
	cols  []int // the columns updates assigned, sorted, distinct
}

// note records new row versions that differ from the rows they replace
// only in assigned, or that are new rows (assigned nil).
func (k *keyChanges) note(assigned []int) {
	k.noted = true
	if assigned == nil {
		k.any = true
		return
	}
	for _, c := range assigned {
		if i, found := slices.BinarySearch(k.cols, c); !found {
			k.cols = slices.Insert(k.cols, i, c)
		}
	}
}

// touch reports whether the new row versions may hold keys of c that the
// rows they replace did not.
func (k *keyChanges) touch(c *keyConstraint) bool {
	return !k.noted || k.any || c.assigns(k.cols)
}

// assigns reports whether assigning the columns assigned may change a
// row's key of c (a computed constraint's keys depend on every column).
func (c *keyConstraint) assigns(assigned []int) bool {
	for _, col := range c.cols {
		if slices.Contains(assigned, col) {
			return true
		}
	}
	return false
}
