package storagebench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

// ProcessMemory is a process's memory as /proc/<pid>/status gives it, in
// bytes.
type ProcessMemory struct {
	// Peak is VmHWM: the largest resident set since the process started or
	// its peak was last reset. The kernel keeps it, so no spike is missed.
	Peak int64
	// Resident is VmRSS, and Anon its private anonymous part (RssAnon: heap
	// and stacks, not file pages or shared memory).
	Resident, Anon int64
}

// ReadProcessMemory reads the memory of process pid.
func ReadProcessMemory(pid int) (ProcessMemory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return ProcessMemory{}, err
	}
	var m ProcessMemory
	found := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, value, ok := bytes.Cut(sc.Bytes(), []byte(":"))
		if !ok {
			continue
		}
		var field *int64
		switch string(name) {
		case "VmHWM":
			field = &m.Peak
		case "VmRSS":
			field = &m.Resident
		case "RssAnon":
			field = &m.Anon
		default:
			continue
		}
		kb, err := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(value), []byte(" kB"))), 10, 64)
		if err != nil {
			return ProcessMemory{}, fmt.Errorf("/proc/%d/status: %s: %w", pid, name, err)
		}
		*field = kb * 1024
		found++
	}
	if found < 3 {
		return ProcessMemory{}, fmt.Errorf("/proc/%d/status lacks VmHWM, VmRSS or RssAnon", pid)
	}
	return m, nil
}

// ResetPeak sets process pid's VmHWM back to its current resident set
// (writing 5 to /proc/<pid>/clear_refs, Linux 4.0 and later), so the next
// reading is the peak of what runs in between. It needs the right to write
// that file (the process's owner or root).
func ResetPeak(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// memoryWatch follows one process through a phase: its peak resident set
// from the kernel, and the largest anonymous part seen by sampling.
type memoryWatch struct {
	pid       int
	reset     bool // the kernel's peak was reset at the start
	before    ProcessMemory
	stop      chan struct{}
	done      chan struct{}
	mu        sync.Mutex
	peakAnon  int64
	sampleErr error
}

// memorySampleInterval is how often the anonymous resident set is sampled.
const memorySampleInterval = 50 * time.Millisecond

// watchMemory resets pid's peak if it can and starts sampling.
func watchMemory(pid int) (*memoryWatch, error) {
	before, err := ReadProcessMemory(pid)
	if err != nil {
		return nil, err
	}
	w := &memoryWatch{pid: pid, before: before, reset: ResetPeak(pid) == nil,
		stop: make(chan struct{}), done: make(chan struct{}), peakAnon: before.Anon}
	go w.sample()
	return w, nil
}

func (w *memoryWatch) sample() {
	defer close(w.done)
	t := time.NewTicker(memorySampleInterval)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
		}
		m, err := ReadProcessMemory(w.pid)
		w.mu.Lock()
		if err != nil {
			w.sampleErr = err
		} else {
			w.peakAnon = max(w.peakAnon, m.Anon)
		}
		w.mu.Unlock()
	}
}

// MemoryPeak is what a memoryWatch saw.
type MemoryPeak struct {
	// Before is the process's memory when the phase started.
	Before ProcessMemory
	// Peak is the kernel's VmHWM at the reading: the phase's peak resident
	// set when PeakReset, else the process's lifetime peak.
	Peak      int64
	PeakReset bool
	// PeakAnon is the largest sampled anonymous resident set.
	PeakAnon int64
}

// read returns the peaks so far without stopping the watch.
func (w *memoryWatch) read() (MemoryPeak, error) {
	m, err := ReadProcessMemory(w.pid)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err == nil {
		w.peakAnon = max(w.peakAnon, m.Anon)
		err = w.sampleErr
	}
	return MemoryPeak{Before: w.before, Peak: m.Peak, PeakReset: w.reset, PeakAnon: w.peakAnon}, err
}

// finish stops sampling and returns the peaks.
func (w *memoryWatch) finish() (MemoryPeak, error) {
	close(w.stop)
	<-w.done
	return w.read()
}

// mib writes a byte count in MiB.
func mib(n int64) string {
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}

// describePeak writes the kernel's peak, marked when it could not be reset to
// the phase's start.
func (p MemoryPeak) describePeak() string {
	s := mib(p.Peak)
	if !p.PeakReset {
		s += " (process lifetime)"
	}
	return s
}
