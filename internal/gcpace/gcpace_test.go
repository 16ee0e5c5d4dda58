package gcpace

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercentFor(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 300},
		{1 * mib, 300},
		{24 * mib, 300},
		{42 * mib, 300}, // 3L = 126 MiB: still under the bound
		{48 * mib, 266}, // 3L past the bound: 128 MiB of headroom
		{64 * mib, 200},
		{100 * mib, 128},
		{128 * mib, 100},
		{4096 * mib, 100},
	} {
		if got := PercentFor(c.live); got != c.want {
			t.Errorf("PercentFor(%d MiB) = %d, want %d", c.live/mib, got, c.want)
		}
		// The heap may never hold more than MaxExtraHeadroom beyond
		// GOGC 100's headroom (the live bytes again).
		if extra := int64(c.live)*int64(PercentFor(c.live))/100 - int64(c.live); extra > MaxExtraHeadroom {
			t.Errorf("PercentFor(%d MiB): headroom %d bytes past the bound", c.live/mib, extra)
		}
	}
}

// currentPercent reads the collector's percentage.
func currentPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestPacerFollowsLiveHeap: a large live heap brings the percentage down
// after a cycle, a small one back up, and Stop restores the original.
func TestPacerFollowsLiveHeap(t *testing.T) {
	t.Setenv("GOGC", "")
	original := currentPercent()
	p := Start()
	if p == nil {
		t.Fatal("Start with GOGC unset returned no pacer")
	}
	waitFor := func(what string, ok func(int) bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			runtime.GC()
			if ok(currentPercent()) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("percentage %d: never %s", currentPercent(), what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor("300 for a small heap", func(pc int) bool { return pc == SmallHeapPercent })
	big := make([]byte, 192<<20) // live past MaxExtraHeadroom: GOGC 100
	for i := range big {
		if i%4096 == 0 {
			big[i] = 1
		}
	}
	waitFor("100 for a 192 MiB heap", func(pc int) bool { return pc <= 110 })
	runtime.KeepAlive(big)
	big = nil
	waitFor("300 once the heap is small again", func(pc int) bool { return pc == SmallHeapPercent })
	p.Stop()
	if got := currentPercent(); got != original {
		t.Errorf("after Stop the percentage is %d, want the original %d", got, original)
	}
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	if got := currentPercent(); got != original {
		t.Errorf("a cycle after Stop changed the percentage to %d", got)
	}
}

// TestGOGCInEnvironmentWins: an operator's GOGC is left alone.
func TestGOGCInEnvironmentWins(t *testing.T) {
	t.Setenv("GOGC", "150")
	before := currentPercent()
	if p := Start(); p != nil {
		p.Stop()
		t.Fatal("Start paced the collector although GOGC is set")
	}
	if got := currentPercent(); got != before {
		t.Errorf("percentage changed from %d to %d", before, got)
	}
}
