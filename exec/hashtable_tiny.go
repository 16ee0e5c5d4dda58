package exec

// A grouping on a few distinct keys (TPC-H Q1's two flags: four groups
// over millions of rows) spends most of a hash probe on hashing. While a
// packed table has at most tinyGroups groups, a row's group is found by
// comparing its packed key with every group's, without branches that
// depend on the data; the first row whose key is new goes through the
// hash table as usual, so the slots are complete when the table grows
// past tinyGroups.

// tinyGroups is the most groups findTiny searches.
const tinyGroups = 8

// findTiny sets groups[k] to the group of packed key keys[k] while the
// table holds it, -1 for a key it does not hold unless insert is set; it
// returns how many rows it did, stopping at the first new key when
// inserting. The table has at most tinyGroups groups.
func (t *hashTable) findTiny(keys []packedKey, groups []int32, insert bool) int {
	var gk [tinyGroups]packedKey
	n := copy(gk[:], t.groupKeys)
	for k, key := range keys {
		g := int32(-1)
		for i := range gk[:n] {
			if (gk[i][0]^key[0])|(gk[i][1]^key[1]) == 0 {
				g = int32(i)
			}
		}
		if g < 0 && insert {
			return k
		}
		groups[k] = g
	}
	return len(keys)
}
