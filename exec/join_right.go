package exec

// Hash joins that preserve their build side.
//
// A hash join hashes its right input and streams its left input through
// the table. A semi, anti or left join preserves its left input, so when
// that input is small and the other huge (TPC-H Q21's EXISTS over
// lineitem, Q22's NOT EXISTS over orders, Q13's customers LEFT JOIN
// orders) the planner swaps the inputs, as PostgreSQL's "Hash Right
// Join" and DuckDB do, and asks for the right kind of join:
//
//	L LEFT JOIN R  =  R RIGHT JOIN L  (JoinRight, columns reordered above)
//	L SEMI JOIN R  =  R RIGHT SEMI JOIN L  (JoinRightSemi)
//	L ANTI JOIN R  =  R RIGHT ANTI JOIN L  (JoinRightAnti)
//
// The small preserved input is now the build. Each probe row marks the
// build rows it matches (the residual, when there is one, is evaluated
// for each candidate pair, and only a pair that makes it true marks), and
// after the last probe row the join emits the build rows by their marks
// (joinCore.rightTail): the matched ones for a right semi join, the others
// for a right anti join, and for a right join the others null-extended,
// after the matching pairs it emitted while probing. A probe row is
// never emitted for itself, so:
//
//   - NULL keys: a probe row with one matches nothing and is dropped; a
//     build row with one is in no hash group, is never marked, and is
//     emitted by right anti and right joins, as NOT EXISTS and LEFT JOIN
//     keep a left row with a NULL key.
//   - A runtime filter of the build's keys may prune the probe side's
//     scan (runtime_filter.go) for all three kinds.
//   - The probe stops early once nothing it reads could change the
//     output (joinCore.rightDecided): every build row of a right semi or
//     anti join marked, or an empty build.
//   - A build that outgrows work_mem is partitioned with the probe side
//     (grace_join.go): build rows with a NULL key go to partition 0 for
//     the kinds that emit unmatched build rows, probe rows with one go
//     nowhere, and a partition without probe rows still runs when its
//     build rows may be emitted unmatched.
//   - NOT IN (JoinAntiNullAware) has no right form: its NULL rules are
//     about the probe side's keys as a whole, which the preserved side
//     does not see.
//
// Match marks are one bool per build row; a right semi or anti join
// without a residual marks a key's whole chain at its first match and
// skips the chain after, so each build row is visited once however many
// probe rows share its key, and with a residual it skips the build rows
// already marked, since another match cannot change their fate.

// nextRightOnly is next for JoinRightSemi and JoinRightAnti, which emit
// no pairs: it returns the candidate pairs whose build row has not yet
// matched, for the residual to decide; without a residual every
// candidate matches, so it marks them itself and returns none.
func (h *hashJoinOp) nextRightOnly(li, ri []int32, max int) ([]int32, []int32) {
	marks := h.rightMarks()
	b := h.build
	for len(li) < max && h.k < len(h.probeRows) {
		if h.chain < 0 {
			g := h.probeGroups[h.k]
			if g < 0 {
				h.k++
				continue
			}
			first := b.first[g]
			if h.residual == nil {
				// Chains are marked whole, so a marked first row means
				// the whole chain is.
				if !marks[first] {
					for r := first; r >= 0; r = b.nextOf[r] {
						h.markRight(marks, r)
					}
				}
				h.k++
				continue
			}
			h.chain = first
		}
		r, l := h.chain, h.probeRows[h.k]
		h.chain = b.nextOf[r]
		if h.chain < 0 {
			h.k++
		}
		if !marks[r] {
			li, ri = append(li, l), append(ri, r)
		}
	}
	return li, ri
}
