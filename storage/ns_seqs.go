package storage

// nsSeqs maps namespace names to commit seqs, for the few namespaces one
// transaction reads: a slice searched in order, which a statement fills
// without the allocations of a map.
type nsSeqs []nsSeq

type nsSeq struct {
	ns  string
	seq uint64
}

func (m nsSeqs) get(ns string) (uint64, bool) {
	for _, e := range m {
		if e.ns == ns {
			return e.seq, true
		}
	}
	return 0, false
}

func (m *nsSeqs) set(ns string, seq uint64) {
	for i := range *m {
		if (*m)[i].ns == ns {
			(*m)[i].seq = seq
			return
		}
	}
	*m = append(*m, nsSeq{ns, seq})
}
