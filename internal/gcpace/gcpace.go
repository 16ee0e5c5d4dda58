package gcpace

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

const (
	// SmallHeapPercent is the GOGC percentage of a small live heap.
	SmallHeapPercent = 300
	// MaxExtraHeadroom bounds the heap's growth past its live bytes
	// beyond GOGC 100's.
	MaxExtraHeadroom = 128 << 20
	// liveMetric is the runtime's count of the heap's live bytes, as
	// marked by the last cycle.
	liveMetric = "/gc/heap/live:bytes"
)

// PercentFor returns the GOGC percentage for a live heap of live bytes.
func PercentFor(live uint64) int {
	if live == 0 {
		return SmallHeapPercent
	}
	headroom := max(live, min(live*SmallHeapPercent/100, MaxExtraHeadroom))
	return int(headroom * 100 / live)
}

// A Pacer adjusts the collector's percentage after each cycle.
type Pacer struct {
	mu       sync.Mutex // serializes adjust with Stop
	stopped  bool
	percent  int // the percentage last set
	original int // the percentage before Start
	sample   []metrics.Sample
}

// Start starts pacing the collector, unless the environment sets GOGC
// (then it returns nil, which Stop accepts).
func Start() *Pacer {
	if os.Getenv("GOGC") != "" {
		return nil
	}
	p := &Pacer{sample: []metrics.Sample{{Name: liveMetric}}}
	p.percent = SmallHeapPercent
	p.original = debug.SetGCPercent(p.percent)
	p.arm()
	return p
}

// Stop ends pacing and restores the percentage found at Start.
func (p *Pacer) Stop() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.stopped {
		p.stopped = true
		debug.SetGCPercent(p.original)
	}
}

// arm makes an object that the next cycle finds unreachable, whose
// cleanup adjusts the percentage and arms again.
func (p *Pacer) arm() {
	token := new([16]byte) // not a tiny allocation, whose cleanup could wait on its neighbours
	runtime.AddCleanup(token, func(p *Pacer) {
		if p.adjust() {
			p.arm()
		}
	}, p)
}

// adjust sets the percentage for the live heap the last cycle marked,
// when it differs from the current one by more than a tenth, and reports
// whether pacing goes on (Stop was not called).
func (p *Pacer) adjust() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return false
	}
	metrics.Read(p.sample)
	if p.sample[0].Value.Kind() != metrics.KindUint64 {
		return true
	}
	want := PercentFor(p.sample[0].Value.Uint64())
	if diff := want - p.percent; diff*10 > p.percent || -diff*10 > p.percent {
		debug.SetGCPercent(want)
		p.percent = want
	}
	return true
}
