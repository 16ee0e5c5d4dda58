package exec

// MemoryReport is what an operator that holds rows tells EXPLAIN ANALYZE
// about its memory and temporary files, as PostgreSQL reports them: a
// sort's method ("quicksort" in memory, "external merge" on disk) and
// space, a hash node's batches and peak memory.
type MemoryReport struct {
	Kind ReportKind
	// Spilled is set when the operator wrote temporary files.
	Spilled bool
	// PeakMemory is the most bytes it held at once; DiskBytes what it
	// wrote to temporary files.
	PeakMemory int64
	DiskBytes  int64
	// Batches is how many partitions a hash aggregate or hash join
	// processed, 1 when it did not spill.
	Batches int
}

// ReportKind says which of PostgreSQL's formats a MemoryReport takes.
type ReportKind uint8

const (
	// ReportNone: the operator has nothing to report (it did not run).
	ReportNone ReportKind = iota
	// ReportSort: "Sort Method: quicksort  Memory: 25kB".
	ReportSort
	// ReportHash: "Batches: 1  Memory Usage: 40kB".
	ReportHash
)

// memoryReporter is an operator with a MemoryReport.
type memoryReporter interface {
	MemoryReport() MemoryReport
}

// MemoryReport is the wrapped operator's report of its last run, if it
// makes one.
func (o *Instrumented) MemoryReport() MemoryReport {
	if r, ok := o.in.(memoryReporter); ok {
		return r.MemoryReport()
	}
	return MemoryReport{}
}
