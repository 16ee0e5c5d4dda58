package suite

import "github.com/pqdb/pqdb/bench/storagebench"

// Peak is the pqdb server's peak resident set over one workload.
type Peak struct {
	// Bytes is VmHWM (0: not measured, e.g. a server this command did not
	// start).
	Bytes int64
	// Lifetime says the kernel's peak could not be reset at the workload's
	// start, so Bytes is the process's lifetime peak.
	Lifetime bool
}

// WatchPeak resets the peak resident set of process pid and returns the
// function that reads it at the workload's end. pid 0 measures nothing.
func WatchPeak(pid int) func() Peak {
	if pid == 0 {
		return func() Peak { return Peak{} }
	}
	reset := storagebench.ResetPeak(pid) == nil
	return func() Peak {
		m, err := storagebench.ReadProcessMemory(pid)
		if err != nil {
			return Peak{}
		}
		return Peak{Bytes: m.Peak, Lifetime: !reset}
	}
}
