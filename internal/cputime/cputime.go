// Package cputime reads the process's CPU time, for benchmarks that
// report CPU per operation beside wall time: a server's goroutines, its
// background work and a test client share the process, and on a small
// machine the CPU they spend is the figure that compares across runs.
package cputime

import "syscall"

// Process returns the process's user and system CPU time so far, in
// nanoseconds; 0 where the system does not say.
func Process() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
